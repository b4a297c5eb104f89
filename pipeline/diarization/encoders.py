"""Offline speaker encoders as pyannote embedding models: GE2E, CAM++ (pipeline/diarization/campplus.py),
and several of them fused.

Each has what the offline diarization (pipeline/diarization/diarize.py) and the turn-level split
(pipeline/diarization/split_voices.py) use besides pyannote's `Model` interface: `partials`, the
embeddings of 1.6 s partials across a whole recording, and the constants PARTIAL_FRAMES
and MIN_ACTIVE_FRAMES.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pipeline  # noqa: F401  (telemetry off before pyannote is imported)
import torch
import torchaudio
from pyannote.audio import Model

from .campplus import CamPlusEncoder
from ..errors import ConfigError
from ..models import require


class GE2EEncoder(Model):
    """The GE2E speaker encoder (Resemblyzer's 3-layer LSTM) as a pyannote embedding model.

    Features are Resemblyzer's: 40-band power mel spectrogram, 25 ms windows, 10 ms hop,
    volume raised to -30 dBFS. With `weights` (pyannote's per-frame speaker masks) only
    the frames where the speaker is active are fed to the LSTM: zeroing the others
    instead would feed it silence and wreck the embedding.
    """

    PARTIAL_FRAMES = 160        # 1.6 s partial utterances, as GE2E was trained
    PARTIAL_STEP = 80
    STRIDE = 1                  # `partials` embeds every partial asked for
    MIN_ACTIVE_FRAMES = 30      # fewer than 0.3 s of speech gives no usable embedding
    TARGET_DBFS = -30.0
    BATCH = 64                  # partials per LSTM pass in `partials`: 256 held 108 MB more (alone, one thread), no faster

    def __init__(self, sample_rate: int = 16000, num_channels: int = 1):
        super().__init__(sample_rate=sample_rate, num_channels=num_channels)
        self.lstm = torch.nn.LSTM(40, 256, 3, batch_first=True)
        self.linear = torch.nn.Linear(256, 256)
        self.mel = torchaudio.transforms.MelSpectrogram(
            sample_rate=sample_rate, n_fft=400, hop_length=160, n_mels=40,
            norm="slaney", mel_scale="slaney", power=2.0,
        )

    @classmethod
    def from_checkpoint(cls, path: Path) -> "GE2EEncoder":
        encoder = cls()
        state = torch.load(path, map_location="cpu", weights_only=True)["model_state"]
        encoder.load_state_dict(state, strict=False)  # strict=False: the mel filterbank is ours
        return encoder.eval()

    @property
    def dimension(self) -> int:
        return 256

    def _active_frames(self, waveforms: torch.Tensor, weights: torch.Tensor | None) -> list[torch.Tensor]:
        """Per item, the mel frames (T, 40) where the speaker is active, volume-normalized."""
        samples = waveforms[:, 0]
        mels = self.mel(samples).transpose(1, 2)                       # (B, T, 40)
        batch, frames, _ = mels.shape
        if weights is None:
            active = torch.ones(batch, frames, dtype=torch.bool, device=mels.device)
        else:
            index = (torch.arange(frames, device=weights.device) * weights.shape[1] // frames)
            active = weights[:, index.clamp(max=weights.shape[1] - 1)] > 0.5
        hop = samples.shape[1] / frames
        selected = []
        for b in range(batch):
            sample_mask = active[b].repeat_interleave(int(hop) + 1)[: samples.shape[1]]
            voiced = samples[b][sample_mask] if sample_mask.any() else samples[b]
            rms = voiced.pow(2).mean().sqrt().clamp(min=1e-6)
            gain = max(1.0, float(10 ** (self.TARGET_DBFS / 20) / rms))  # raise only, like Resemblyzer
            selected.append(mels[b][active[b]] * gain ** 2)
        return selected

    def forward(self, waveforms: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
        selected = self._active_frames(waveforms, weights)
        partials, owners = [], []
        for b, frames in enumerate(selected):
            if len(frames) < self.MIN_ACTIVE_FRAMES:
                continue
            last = max(0, len(frames) - self.PARTIAL_FRAMES)
            starts = list(range(0, last + 1, self.PARTIAL_STEP))
            if starts[-1] != last:
                starts.append(last)
            for s in starts:
                partials.append(frames[s : s + self.PARTIAL_FRAMES])
                owners.append(b)
        embeddings = torch.full((len(selected), self.dimension), float("nan"), device=waveforms.device)
        if not partials:
            return embeddings  # NaN: pyannote leaves such (chunk, speaker) pairs out of clustering
        packed = torch.nn.utils.rnn.pack_sequence(partials, enforce_sorted=False)
        _, (hidden, _) = self.lstm(packed)
        partial_embeddings = torch.relu(self.linear(hidden[-1]))
        partial_embeddings = partial_embeddings / partial_embeddings.norm(dim=1, keepdim=True).clamp(min=1e-8)
        owners_t = torch.tensor(owners, device=waveforms.device)
        for b in owners_t.unique():
            mean = partial_embeddings[owners_t == b].mean(dim=0)
            embeddings[b] = mean / mean.norm().clamp(min=1e-8)
        return embeddings


    def partials(self, samples: torch.Tensor, step: int,
                 progress: Callable[[int, int], None] | None = None) -> torch.Tensor:
        """Unit-norm embeddings of the 1.6 s partials starting every `step` frames of a whole recording.

        Each partial's volume is raised to -30 dBFS on its own; the whole recording's mel
        spectrogram is computed once and the LSTM runs once per partial, however many
        sliding-window chunks later share it.
        """
        hop = 160
        total = len(samples) // hop + 1                                   # mel frames of the whole recording
        starts = list(range(0, max(1, total - self.PARTIAL_FRAMES + 1), step))
        out = []
        for first in range(0, len(starts), self.BATCH):
            # The mel spectrogram of only this batch's stretch: memory stays bounded on long calls.
            index = torch.tensor(starts[first: first + self.BATCH])
            lo, hi = int(index[0]), int(index[-1]) + self.PARTIAL_FRAMES
            piece = samples[lo * hop: hi * hop]
            mels = self.mel(piece).T                                      # (frames, 40)
            energy = torch.nn.functional.avg_pool1d(piece.pow(2)[None, None], hop, hop)[0, 0]
            frames = index[:, None] - lo + torch.arange(self.PARTIAL_FRAMES)
            batch = mels[frames.clamp(max=len(mels) - 1)]                 # (B, 160, 40)
            power = energy[frames.clamp(max=len(energy) - 1)].mean(dim=1)
            gain = (10 ** (self.TARGET_DBFS / 10) / power.clamp(min=1e-12)).clamp(min=1.0)
            _, (hidden, _) = self.lstm(batch * gain[:, None, None])
            e = torch.relu(self.linear(hidden[-1]))
            out.append(e / e.norm(dim=1, keepdim=True).clamp(min=1e-8))
            if progress is not None:
                progress(first + len(index), len(starts))
        return torch.cat(out)


class FusedEncoder(Model):
    """Several speaker encoders as one: their unit-norm embeddings side by side, scaled so
    the whole is unit-norm again. The cosine distance between two fused embeddings is then
    the mean of the encoders' own distances (score fusion)."""

    def __init__(self, encoders: list[Model]):
        super().__init__(sample_rate=16000, num_channels=1)
        self.encoders = torch.nn.ModuleList(encoders)
        self.PARTIAL_FRAMES = encoders[0].PARTIAL_FRAMES
        self.MIN_ACTIVE_FRAMES = max(e.MIN_ACTIVE_FRAMES for e in encoders)
        self.scale = len(encoders) ** -0.5

    @property
    def dimension(self) -> int:
        return sum(e.dimension for e in self.encoders)

    def forward(self, waveforms: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
        return torch.cat([e(waveforms, weights) for e in self.encoders], dim=1) * self.scale


SPEAKER_ENCODERS = {"ge2e": (GE2EEncoder, "pretrained.pt"), "campplus": (CamPlusEncoder, "campplus_cn_en_common.pt")}


def load_speaker_encoder(name: str, models_dir: Path) -> Model:
    """The offline speaker encoder `name` from the installed bundle: ge2e, campplus, or both
    fused (ge2e+campplus)."""
    parts = name.split("+")
    unknown = [p for p in parts if p not in SPEAKER_ENCODERS]
    if unknown:
        raise ConfigError(None, f"unknown speaker encoder '{unknown[0]}' (ge2e, campplus, or ge2e+campplus)")
    encoders = [SPEAKER_ENCODERS[p][0].from_checkpoint(require(p, models_dir) / SPEAKER_ENCODERS[p][1]) for p in parts]
    return encoders[0] if len(encoders) == 1 else FusedEncoder(encoders).eval()
