"""Recognize: timed words with faster-whisper (CTranslate2), on CPU or GPU."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from ..audio import SAMPLE_RATE
from ..config import AsrSettings
from ..errors import ModelMissing
from ..memory import release_free_memory
from ..models import load_catalog, require
from ..types import Word


def cuda_available() -> bool:
    """True when both CTranslate2 and torch see a GPU (recognition and diarization both need it)."""
    try:
        import ctranslate2
        import torch
        return ctranslate2.get_cuda_device_count() > 0 and torch.cuda.is_available()
    except Exception:
        return False


def resolve_device(device: str) -> str:
    if device == "auto":
        return "cuda" if cuda_available() else "cpu"
    if device == "cuda" and not cuda_available():
        raise ModelMissing(None, "--device cuda was asked for, but no CUDA GPU is visible to CTranslate2 and torch")
    return device


def resolve_compute_type(compute_type: str, device: str) -> str:
    if compute_type == "auto":
        return "float16" if device == "cuda" else "float32"
    return compute_type


def resolve_model_path(name: str, models_dir: Path) -> str:
    """A bundle name (tiny.en, base) -> its local directory; a directory as given; else a hub name."""
    if name in load_catalog():
        return str(require(name, models_dir))
    if Path(name).is_dir():
        return name
    return name  # a faster-whisper size or hub id: downloaded by faster-whisper itself


@dataclass
class RecognizedSegment:
    start: float
    end: float
    text: str
    words: list[Word]
    no_speech_prob: float = 0.0


class Recognizer:
    """Loads the Whisper model once; call `recognize` for each recording. `unload` frees its
    weights until the next decoding."""

    def __init__(self, settings: AsrSettings, models_dir: Path, device: str, compute_type: str,
                 cpu_threads: int):
        """`cpu_threads`: CTranslate2's threads, as the transcriber shares the cores out (threads.py)."""
        from faster_whisper import WhisperModel

        from .features import BlockwiseFeatureExtractor

        self.settings = settings
        self.device = device
        self.compute_type = compute_type
        path = resolve_model_path(settings.model, models_dir)
        self.model_path = path
        try:
            self.model = WhisperModel(path, device=device, compute_type=compute_type,
                                      cpu_threads=cpu_threads)
        except Exception as e:  # hub/network/ctranslate2 errors: the user needs one line
            bundled = [n for n, e in load_catalog().items() if e.kind == "whisper"]
            hint = "" if Path(path).is_dir() else f"; offline models: {', '.join(bundled)} (`callscribe models install`)"
            raise ModelMissing(None, f"cannot load speech model '{settings.model}': {str(e).splitlines()[0]}{hint}") from None
        self.model.feature_extractor = BlockwiseFeatureExtractor(**self.model.feat_kwargs)  # same features, a sixth of the memory

    def unload(self) -> None:
        """Free the model's weights (155 MB for tiny.en, 300 MB for base in float32); the next
        decoding loads them again, in 0.2 s from the page cache (docs/measurements.md)."""
        if self.model.model.model_is_loaded:
            self.model.model.unload_model()

    def recognize(self, samples: np.ndarray, hotwords: str | None = None) -> Iterator[RecognizedSegment]:
        """Lazily yield recognized segments with word timings, window by window on long recordings."""
        for start, end in windows(samples, int(self.settings.window_minutes * 60 * SAMPLE_RATE)):
            yield from self._recognize(samples[start:end], start / SAMPLE_RATE, hotwords)
            release_free_memory()   # the window's buffers: 28 MB off the hour's peak with tiny.en

    def recognize_spans(self, samples: np.ndarray, spans: list[tuple[float, float]]) -> list[Word]:
        """A second look at speech the long-form pass skipped: each span decoded on its own,
        with `second_look_context` seconds of audio either side, keeping the words inside it.

        Whisper, decoding 30 s at a time, sometimes jumps its timestamps over a few words
        (after a burst of noise, say); alone, the same words are often read. A span Whisper
        thinks holds no speech gives nothing, so a breath does not become "Thank you."
        """
        pad = self.settings.second_look_context
        words = []
        for start, end in spans:
            first = max(0, int((start - pad) * SAMPLE_RATE))
            clip = samples[first: int((end + pad) * SAMPLE_RATE)]
            for seg in self._recognize(clip, first / SAMPLE_RATE, None):
                if seg.no_speech_prob <= self.settings.no_speech_threshold:
                    words += [w for w in seg.words if start <= (w.start + w.end) / 2 <= end]
        return words

    def second_look(self, samples: np.ndarray, words: list[Word], spans: list[tuple[float, float]]) -> list[Word]:
        """`words` with what a second look hears in `spans` added, less its echoes."""
        found = drop_echoes(self.recognize_spans(samples, spans), words)
        return sorted(words + found, key=lambda w: w.start)

    def _recognize(self, samples: np.ndarray, offset: float, hotwords: str | None) -> Iterator[RecognizedSegment]:
        s = self.settings
        if not self.model.model.model_is_loaded:
            self.model.model.load_model()
        options = decoding_options(s) | {"hotwords": hotwords}
        if self.device == "cuda":
            # On a GPU, faster-whisper's batched pipeline decodes many 30 s windows at once
            # (it cuts them at silences with its own VAD).
            from faster_whisper import BatchedInferencePipeline
            segments, _info = BatchedInferencePipeline(self.model).transcribe(
                samples, batch_size=s.gpu_batch_size, **options)
        else:
            segments, _info = self.model.transcribe(samples, vad_filter=s.vad_filter, **options)
        for seg in segments:
            if is_loop_over_silence(seg, s):
                continue
            words = [Word(w.word, offset + w.start, offset + w.end, float(w.probability)) for w in seg.words or []]
            yield RecognizedSegment(offset + seg.start, offset + seg.end, seg.text, words, seg.no_speech_prob)


def _bare(word: Word) -> str:
    return word.text.strip().strip(".,?!;:…").lower()


def drop_echoes(found: list[Word], heard: list[Word], reach: float = 1.0) -> list[Word]:
    """Second-look words less those that repeat the first pass's word beside them.

    The long-form pass sometimes places a word's timestamps short of its sound ("…but who
    cares. This" ending at 8.7 s while "this" is said after it); the gap it leaves is decoded
    again and the word comes back twice (real speech: "this This", "words. words.").
    """
    heard = sorted(heard, key=lambda w: w.start)
    starts = [w.start for w in heard]
    kept = []
    for word in found:
        i = bisect.bisect(starts, word.start)
        neighbours = [n for n in heard[max(i - 1, 0): i + 1] if max(n.start - word.end, word.start - n.end) <= reach]
        if not any(_bare(n) == _bare(word) for n in neighbours):
            kept.append(word)
    return kept


def decoding_options(s: AsrSettings) -> dict:
    """faster-whisper's transcribe() options from the settings (bench.py's bare run uses them too)."""
    return dict(language=s.language, beam_size=s.beam_size, word_timestamps=True,
                condition_on_previous_text=s.condition_on_previous_text, temperature=s.temperature,
                no_speech_threshold=s.no_speech_threshold, compression_ratio_threshold=s.compression_ratio_threshold)


def is_loop_over_silence(segment, settings: AsrSettings) -> bool:
    """Whisper's hallucination on a window with no speech: text repeated over and over.

    faster-whisper measures both figures once per 30 s window (on a GPU, its batched
    pipeline measures the compression ratio per segment, and its VAD leaves little silence).
    """
    return (segment.no_speech_prob > settings.no_speech_threshold
            and segment.compression_ratio > settings.compression_ratio_threshold)


def windows(samples: np.ndarray, length: int, search: int = 30 * SAMPLE_RATE) -> list[tuple[int, int]]:
    """(start, end) sample ranges of about `length`, each cut at the quietest 0.1 s within `search` of its boundary."""
    if length <= 0 or len(samples) <= length + search:
        return [(0, len(samples))]
    hop = SAMPLE_RATE // 10
    cuts, position = [0], length
    while position < len(samples) - search:
        lo = max(cuts[-1] + hop, position - search)
        stretch = samples[lo: position + search]
        energy = np.square(stretch[: len(stretch) // hop * hop].reshape(-1, hop)).mean(axis=1)
        cuts.append(lo + int(np.argmin(energy)) * hop + hop // 2)
        position = cuts[-1] + length
    return list(zip(cuts, cuts[1:] + [len(samples)]))
