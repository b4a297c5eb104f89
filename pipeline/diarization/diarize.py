"""Diarize: who spoke when, with pyannote.audio.

Offline (the default) runs pyannote's own SpeakerDiarization pipeline over local models
from the bundle: the PyanNet segmentation model and a speaker encoder
(pipeline/diarization/encoders.py: GE2E by default), wrapped as a pyannote `Model` so pyannote can
call it like any of its embedding models. After it, pipeline/diarization/split_voices.py takes a
turn-level second look at each speaker it found, on the fused GE2E and CAM++ embeddings,
and pipeline/diarization/merge_voices.py merges the speakers CAM++ hears as one voice.
A hub pipeline (pyannote/speaker-diarization-community-1) or a local directory holding
one is loaded with `Pipeline.from_pretrained` instead.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

import pipeline  # noqa: F401  (telemetry off before pyannote is imported)
import torch
from pyannote.audio import Model, Pipeline
from pyannote.audio.core.plda import PLDA
from pyannote.audio.pipelines import SpeakerDiarization
from pyannote.audio.pipelines import clustering as pyannote_clustering
from pyannote.audio.pipelines import speaker_diarization as pyannote_speaker_diarization
from pyannote.audio.pipelines.clustering import AgglomerativeClustering
from pyannote.audio.telemetry import set_telemetry_metrics
from pyannote.core import Annotation

from ..audio import SAMPLE_RATE
from ..config import DiarizationSettings
from .encoders import FusedEncoder, load_speaker_encoder
from ..errors import ModelMissing
from ..memory import release_free_memory
from .memory import LeanSpeakerDiarization, binarize, releasing
from .merge_voices import merge_alike, relabel, voice_prints
from ..models import require
from .split_voices import Partials, split_merged_voices
from ..types import Turn

OFFLINE = "offline"

set_telemetry_metrics(False)  # belt and braces: pipeline/__init__ already set the variable
logger = logging.getLogger(__name__)
# pyannote's clustering print()s a hint when it cannot find the clusters asked for: on
# stdout it would land inside a transcript piped there. Log it instead.
pyannote_clustering.print = lambda *args, **kwargs: logger.info(" ".join(map(str, args)))
# Its segmentation thresholds the same way in far less memory (memory.binarize).
pyannote_speaker_diarization.binarize = binarize
# Loading the bundled checkpoint makes lightning announce an in-memory format upgrade.
for _name in ("lightning.pytorch.utilities.migration.utils", "pytorch_lightning.utilities.migration.utils"):
    logging.getLogger(_name).setLevel(logging.WARNING)


class SharedPartialsDiarization(LeanSpeakerDiarization):
    """pyannote's SpeakerDiarization with (chunk, speaker) embeddings pooled from shared partials.

    pyannote embeds every (chunk, speaker) pair on its own: with 5 s chunks every 0.5 s,
    each second of speech goes through the encoder about ten times. Here GE2E embeds the
    recording once, in 1.6 s partials every 0.2 s, and each pair's embedding is the mean
    of the partials inside its chunk, weighted by how much of each partial that speaker
    alone is heard in (to the fourth power, so that clean partials dominate).
    """

    CLEAN_SHARE = 0.9   # a partial counts for a speaker when it hears that speaker alone this much
    partials: Partials | None = None   # set by get_embeddings, taken by Diarizer.diarize

    def get_embeddings(self, file, binary_segmentations, exclude_overlap: bool = False, hook=None):
        encoder = self._embedding.model_
        if not (hasattr(encoder, "partials") or isinstance(encoder, FusedEncoder)):
            return super().get_embeddings(file, binary_segmentations, exclude_overlap, hook)
        cache = file.get("training_cache/partial-embeddings", {}) if self.training else {}
        if "embeddings" in cache and cache["segmentation.threshold"] == getattr(self.segmentation, "threshold", None):
            return cache["embeddings"]  # tuning (tools/tune.py) reuses them across trials
        progress = None if hook is None else (
            lambda done, total: hook("embeddings", None, total=total, completed=done))
        self.partials = embed_partials(encoder, file["waveform"][0], progress)
        embeddings = pool_partials(self.partials.embeddings, self.partials.step, self.partials.length,
                                   binary_segmentations, self.CLEAN_SHARE)
        # Pairs too short to fill one clean partial are embedded from their own frames, as pyannote would.
        masks = binary_segmentations.data
        short = np.isnan(embeddings[..., 0]) & np.any(masks > 0, axis=1)
        pairs = list(zip(*np.nonzero(short)))
        window = binary_segmentations.sliding_window
        for first in range(0, len(pairs), self.embedding_batch_size):
            batch = pairs[first: first + self.embedding_batch_size]
            waveforms = torch.vstack([self._audio.crop(file, window[c], mode="pad")[0][None] for c, _ in batch])
            weights = torch.from_numpy(np.nan_to_num(np.stack([masks[c, :, k] for c, k in batch])).astype(np.float32))
            embeddings[tuple(np.array(batch).T)] = self._embedding(waveforms, masks=weights)
        if self.training:
            file["training_cache/partial-embeddings"] = {"segmentation.threshold": getattr(self.segmentation, "threshold", None),
                                                        "embeddings": embeddings}
        if hook is not None:
            hook("embeddings", embeddings, total=1, completed=1)
        return embeddings


PARTIAL_STEP = 20   # frames of 10 ms: every encoder's partials start every 0.2 s


def embed_partials(encoder: Model, samples: torch.Tensor,
                   progress: Callable[[int, int], None] | None = None) -> Partials:
    """`encoder`'s embeddings of a whole recording's 1.6 s partials, one every PARTIAL_STEP
    frames (every PARTIAL_STEP x STRIDE for an encoder that embeds only some of them). A
    FusedEncoder's are its encoders' own, fused as the split fuses partials it already has."""
    if isinstance(encoder, FusedEncoder):
        count = len(encoder.encoders)

        def share(i: int) -> Callable[[int, int], None] | None:   # one progress run over all the encoders
            return None if progress is None else (lambda done, total: progress(i * total + done, count * total))

        return fuse([embed_partials(e, samples, share(i)) for i, e in enumerate(encoder.encoders)])
    with torch.inference_mode():
        vectors = encoder.partials(samples.to(encoder.device), PARTIAL_STEP, progress=progress)
    return Partials(vectors.cpu().numpy(), PARTIAL_STEP * encoder.STRIDE / 100, encoder.PARTIAL_FRAMES / 100)


def fuse(parts: list[Partials]) -> Partials:
    """Several encoders' partials side by side, as FusedEncoder fuses their embeddings; an
    encoder's partials on a coarser step stand for the finer step's partials that follow."""
    if len(parts) == 1:
        return parts[0]
    step = min(p.step for p in parts)
    lined_up = [np.repeat(p.embeddings, round(p.step / step), axis=0) for p in parts]
    count = min(len(e) for e in lined_up)
    return Partials(np.concatenate([e[:count] for e in lined_up], axis=1) * len(parts) ** -0.5,
                    step, parts[0].length)


def pool_partials(partials: np.ndarray, step: float, length: float, segmentations,
                  clean_share: float, block: int = 500) -> np.ndarray:
    """(chunks, speakers, dim): per pair, the mean of the partials inside the chunk that hear that speaker alone.

    NaN where no partial does (pairs with under `length` seconds of clean speech).
    Chunks are pooled `block` at a time: all at once, a 2-hour call would gather
    15,000 chunks x 43 partials x 256 floats (660 MB) in one array.
    """
    masks = segmentations.data                                            # (C, F, S)
    window = segmentations.sliding_window
    pooled = np.empty((masks.shape[0], masks.shape[2], partials.shape[1]), np.float32)
    for first in range(0, len(masks), block):
        chunk_starts = window.start + window.step * np.arange(first, min(first + block, len(masks)))
        block_masks = np.nan_to_num(masks[first: first + block].astype(np.float64))   # float64: the shares' rounding
        pooled[first: first + block] = _pool_block(partials, step, length, block_masks,
                                                   chunk_starts, window.duration, clean_share)
    return pooled


def _pool_block(partials: np.ndarray, step: float, length: float, masks: np.ndarray,
                chunk_starts: np.ndarray, duration: float, clean_share: float) -> np.ndarray:
    chunks, frames, speakers = masks.shape
    alone = masks * (masks.sum(axis=2, keepdims=True) < 2)
    cumulative = np.concatenate([np.zeros((chunks, 1, speakers)), np.cumsum(alone, axis=1)], axis=1)
    per_chunk = int((duration - length) / step) + 1
    first = np.ceil(chunk_starts / step - 1e-6).astype(int)
    index = first[:, None] + np.arange(per_chunk)                         # (C, J) partial indices
    offset = index * step - chunk_starts[:, None]                         # partial start within its chunk
    valid = (index < len(partials)) & (offset + length <= duration + 1e-6)
    f0 = np.clip(np.round(offset / duration * frames).astype(int), 0, frames)
    f1 = np.clip(np.round((offset + length) / duration * frames).astype(int), 0, frames)
    rows = np.arange(chunks)[:, None]
    share = (cumulative[rows, f1] - cumulative[rows, f0]) / np.maximum(f1 - f0, 1)[..., None]  # (C, J, S)
    weights = (valid[..., None] & (share >= clean_share)).astype(np.float32)
    pooled = np.einsum("cjs,cjd->csd", weights, partials[np.minimum(index, len(partials) - 1)])
    norms = np.linalg.norm(pooled, axis=2, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norms > 1e-8, pooled / norms, np.nan).astype(np.float32)


class BoundedAgglomerativeClustering(AgglomerativeClustering):
    """pyannote's agglomerative clustering, trained on at most MAX_TRAINING embeddings.

    Linkage needs all pairwise distances: 20,000 embeddings (a 2-hour call) would take
    1.6 GB for them alone. Longer calls are trained on an evenly spread subset; every
    embedding is still assigned to its nearest centroid afterwards.
    """

    MAX_TRAINING = 4000

    def filter_embeddings(self, embeddings, segmentations=None, min_active_ratio: float = 0.2):
        kept, chunks, speakers = super().filter_embeddings(embeddings, segmentations, min_active_ratio)
        if len(kept) <= self.MAX_TRAINING:
            return kept, chunks, speakers
        pick = np.linspace(0, len(kept) - 1, self.MAX_TRAINING).round().astype(int)
        return kept[pick], chunks[pick], speakers[pick]


class _NoPLDA(PLDA):
    """pyannote 4 loads a PLDA whatever the clustering; agglomerative clustering never uses it."""

    def __init__(self) -> None:
        pass

    def __call__(self, embeddings: np.ndarray):
        raise RuntimeError("the offline diarization pipeline clusters without a PLDA")


@dataclass
class Diarization:
    turns: list[Turn]            # may overlap (two people talking at once)
    exclusive: list[Turn]        # one speaker at a time: what words are assigned against
    voice_partials: Partials | None = None   # the merge encoder's partials of the recording, where the merge ran


def _relabel(piece: Turn, turns: list[Turn], labels: list[str]) -> str:
    """The new id of the turn, of the same old speaker, that overlaps `piece` most."""
    overlaps = [(min(t.end, piece.end) - max(t.start, piece.start), label)
                for t, label in zip(turns, labels) if t.speaker == piece.speaker]
    best = max(overlaps, default=(0.0, piece.speaker))
    return best[1] if best[0] > 0 else piece.speaker


def _turns(annotation: Annotation) -> list[Turn]:
    return [Turn(str(speaker), float(seg.start), float(seg.end))
            for seg, _, speaker in annotation.itertracks(yield_label=True)]


class Diarizer:
    """Loads the diarization pipeline once; call `diarize` for each recording."""

    def __init__(self, settings: DiarizationSettings, models_dir: Path, device: str = "cpu",
                 token: str | None = None):
        self.settings = settings
        self.name = settings.model
        self.encoders: dict[str, Model] = {}   # by name, each loaded once: the pipeline's, the split's, the merge's
        if settings.model == OFFLINE:
            self.pipeline = self._offline(settings, models_dir)
            self.encoders[settings.speaker_encoder] = self.pipeline._embedding.model_
        else:
            self.pipeline = self._pretrained(settings.model, token)
        self.pipeline.to(torch.device(device))
        split = (settings.split_encoder or settings.speaker_encoder).split("+") if settings.model == OFFLINE else []
        for name in split + [settings.merge_encoder or ""]:
            if name and name not in self.encoders:
                self.encoders[name] = load_speaker_encoder(name, models_dir).to(torch.device(device))
        self.split_names = split
        self.split_encoder = (None if not split else self.encoders[split[0]] if len(split) == 1
                              else FusedEncoder([self.encoders[n] for n in split]).eval())
        self.merge_encoder = self.encoders.get(settings.merge_encoder)   # merges speakers, matches known voices

    @staticmethod
    def _offline(settings: DiarizationSettings, models_dir: Path) -> SpeakerDiarization:
        segmentation = Model.from_pretrained(require(settings.segmentation, models_dir) / "pytorch_model.bin")
        encoder = load_speaker_encoder(settings.speaker_encoder, models_dir)
        kind = SharedPartialsDiarization if settings.shared_partials else LeanSpeakerDiarization
        diarization = kind(
            segmentation=segmentation,
            segmentation_step=settings.segmentation_step,
            embedding=encoder,
            plda=_NoPLDA(),
            clustering="AgglomerativeClustering",
            embedding_batch_size=settings.embedding_batch_size,
            segmentation_batch_size=settings.segmentation_batch_size,
        )
        diarization.clustering = BoundedAgglomerativeClustering(metric=diarization.clustering.metric)
        powerset = segmentation.specifications.powerset   # no activity threshold: each frame's class is decoded
        diarization.instantiate({
            "segmentation": {"min_duration_off": settings.min_duration_off,
                             **({} if powerset else {"threshold": settings.segmentation_threshold})},
            "clustering": {"method": settings.clustering_method,
                           "threshold": settings.clustering_threshold,
                           "min_cluster_size": settings.min_cluster_size},
        })
        return diarization

    @staticmethod
    def _pretrained(name: str, token: str | None) -> Pipeline:
        try:
            loaded = Pipeline.from_pretrained(name, token=token)
        except Exception as e:  # the hub client raises many kinds; the user needs one line
            raise ModelMissing(None, f"cannot load diarization pipeline '{name}': {str(e).splitlines()[0]}") from None
        if loaded is None:
            raise ModelMissing(None, f"cannot load diarization pipeline '{name}' (gated model: accept its terms and pass a token)")
        return loaded

    def diarize(self, samples: np.ndarray, sample_rate: int, uri: str = "audio",
                num_speakers: int | None = None, min_speakers: int | None = None,
                max_speakers: int | None = None, hook=None) -> Diarization:
        s = self.settings
        waveform = torch.from_numpy(np.asarray(samples, dtype=np.float32))[None]  # shares the samples: no copy
        audio = {"waveform": waveform, "sample_rate": sample_rate, "uri": uri}
        output = self.pipeline(
            audio,
            num_speakers=num_speakers if num_speakers is not None else s.num_speakers,
            min_speakers=min_speakers if min_speakers is not None else s.min_speakers,
            max_speakers=max_speakers if max_speakers is not None else s.max_speakers,
            hook=releasing(hook),
        )
        release_free_memory()   # pyannote's last steps', before the split's encoders run
        if isinstance(output, Annotation):  # legacy pipelines return the annotation itself
            diarization = Diarization(_turns(output), _turns(output))
        else:
            diarization = Diarization(_turns(output.speaker_diarization), _turns(output.exclusive_speaker_diarization))
        count_given = num_speakers or s.num_speakers or max_speakers or s.max_speakers
        # Each encoder's partials of the recording, computed once and shared by the split, the
        # merge and known voices. The pipeline's own are taken off it: never another recording's.
        partials = {}
        if self.name == OFFLINE and getattr(self.pipeline, "partials", None) is not None:
            partials[s.speaker_encoder] = self.pipeline.partials
            self.pipeline.partials = None
        if s.split_threshold is not None and not count_given and partials:
            diarization = self.split_voices(diarization, self.split_partials(waveform[0], partials),
                                            waveform[0], sample_rate)
        if s.merge_threshold is not None and self.merge_encoder is not None and not count_given:
            diarization.voice_partials = self.partials(s.merge_encoder, waveform[0], partials)
            diarization = self.merge_voices(diarization, samples, min_speakers or s.min_speakers or 1)
        release_free_memory()   # the batches' buffers, before recognition needs the memory
        return diarization

    def partials(self, name: str, samples: torch.Tensor, computed: dict[str, Partials]) -> Partials:
        """Encoder `name`'s partials of the recording, from `computed` or computed there."""
        if name not in computed:
            computed[name] = embed_partials(self.encoders[name], samples)
        return computed[name]

    def split_partials(self, samples: torch.Tensor, computed: dict[str, Partials] | None = None) -> Partials:
        """The partials the split compares: the split encoders' side by side."""
        computed = {} if computed is None else computed
        return fuse([self.partials(name, samples, computed) for name in self.split_names])

    def merge_voices(self, diarization: Diarization, samples: np.ndarray, fewest: int) -> Diarization:
        """Speakers the merge encoder hears as one voice become one (pipeline/diarization/merge_voices.py)."""
        voices = self.speaker_prints(diarization.exclusive, diarization.voice_partials, samples)
        into = merge_alike([voices], [self.settings.merge_threshold], fewest)
        return Diarization(relabel(diarization.turns, into), relabel(diarization.exclusive, into),
                           diarization.voice_partials)

    def voice_partials(self, samples: np.ndarray) -> Partials:
        """The merge encoder's partials of a recording: what speaker prints are pooled from."""
        return embed_partials(self.merge_encoder, torch.from_numpy(np.asarray(samples, dtype=np.float32)))

    def speaker_prints(self, exclusive: list[Turn], partials: Partials,
                       samples: np.ndarray) -> dict[str, tuple[np.ndarray, float]]:
        """Per speaker, the merge encoder's print and the seconds it was made from: the mean of the
        recording's partials (Diarization.voice_partials, or `voice_partials`) inside the
        speaker's turns alone (merge_voices.voice_prints)."""
        encoder = self.merge_encoder

        def embed(turn: Turn) -> np.ndarray | None:   # a speaker whose turns are all too short for a partial
            piece = samples[int(turn.start * SAMPLE_RATE): int(turn.end * SAMPLE_RATE)]
            piece = np.ascontiguousarray(piece, dtype=np.float32)
            with torch.inference_mode():
                return encoder(torch.from_numpy(piece)[None, None].to(encoder.device))[0].cpu().numpy()

        return voice_prints(exclusive, partials, embed)

    def enrol(self, clips: list[np.ndarray], sample_rate: int) -> tuple[np.ndarray | None, float]:
        """A known voice's print from clips of it alone, as a speaker's is made (speaker_prints),
        and the seconds it was made from."""
        turns, offset = [], 0.0
        for clip in clips:
            turns.append(Turn("voice", offset, offset + len(clip) / sample_rate))
            offset += len(clip) / sample_rate
        samples = np.concatenate(clips) if clips else np.zeros(0, np.float32)
        return self.speaker_prints(turns, self.voice_partials(samples), samples).get("voice", (None, 0.0))

    def split_voices(self, diarization: Diarization, partials: Partials, samples: torch.Tensor,
                     sample_rate: int) -> Diarization:
        """A turn-level second look at each speaker (pipeline/diarization/split_voices.py), with the
        split encoder's partials of the recording."""
        encoder = self.split_encoder

        def embed(turn: Turn) -> np.ndarray | None:
            piece = samples[int(turn.start * sample_rate): int(turn.end * sample_rate)]
            if len(piece) < encoder.MIN_ACTIVE_FRAMES * sample_rate // 100:
                return None
            with torch.inference_mode():
                vector = encoder(piece[None, None].to(encoder.device))[0].cpu().numpy()
            return vector if np.isfinite(vector).all() else None

        # Partials start every `step` s: enough of them to cover split_min_speech seconds.
        beyond_one = (self.settings.split_min_speech - partials.length) / partials.step
        min_partials = max(1, 1 + int(np.ceil(beyond_one - 1e-6)))
        labels = split_merged_voices(diarization.turns, partials, self.settings.split_threshold, min_partials, embed,
                                     self.settings.reassign_margin)
        turns = [Turn(label, t.start, t.end) for label, t in zip(labels, diarization.turns)]
        return Diarization(turns, [Turn(_relabel(t, diarization.turns, labels), t.start, t.end)
                                   for t in diarization.exclusive], diarization.voice_partials)
