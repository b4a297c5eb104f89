"""The whole pipeline for one recording: decode -> diarize -> recognize -> align."""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

from .align import assign_speakers, number_speakers
from .audio import SAMPLE_RATE, Audio, decode, is_silent
from .config import Settings
from .diarize import Diarizer
from .recognize import Recognizer, resolve_compute_type, resolve_device
from .types import Transcript


@contextmanager
def _timed(timings: dict[str, float], stage: str):
    start = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


class Transcriber:
    """Holds the loaded models (loaded once per process) and transcribes recordings."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.device = resolve_device(settings.asr.device)
        self.compute_type = resolve_compute_type(settings.asr.compute_type, self.device)
        self.load_timings: dict[str, float] = {}
        with _timed(self.load_timings, "load_recognizer"):
            self.recognizer = Recognizer(settings.asr, settings.models_path, self.device, self.compute_type)
        with _timed(self.load_timings, "load_diarizer"):
            self.diarizer = Diarizer(settings.diarization, settings.models_path, self.device, settings.hf_token)

    def describe_models(self) -> dict:
        return {
            "asr": {"name": self.settings.asr.model, "device": self.device, "compute_type": self.compute_type},
            "diarization": {"name": self.settings.diarization.model, "device": self.device},
        }

    def transcribe(self, path: str | Path, num_speakers: int | None = None,
                   min_speakers: int | None = None, max_speakers: int | None = None) -> Transcript:
        audio = decode(path, self.settings.audio.min_duration)
        return self.transcribe_audio(audio, num_speakers, min_speakers, max_speakers)

    def transcribe_audio(self, audio: Audio, num_speakers: int | None = None,
                         min_speakers: int | None = None, max_speakers: int | None = None) -> Transcript:
        """Transcribe already decoded audio (so bad files are refused before models load)."""
        path = audio.path
        timings: dict[str, float] = {"decode": audio.decode_seconds}
        transcript = Transcript(
            audio_path=str(path), duration=audio.duration, turns=[], diarization=[],
            speaker_labels={}, settings=self.settings.to_dict(), models=self.describe_models(),
            timings=timings,
        )
        if is_silent(audio.samples, self.settings.audio.silence_dbfs):
            transcript.warnings.append("the recording is silent: no speech to transcribe")
            return transcript
        with _timed(timings, "diarization"):
            diarization = self.diarizer.diarize(audio.samples, SAMPLE_RATE, Path(path).stem,
                                                num_speakers, min_speakers, max_speakers)
        with _timed(timings, "recognition"):
            words = [w for seg in self.recognizer.recognize(audio.samples) for w in seg.words]
        with _timed(timings, "alignment"):
            transcript.turns = assign_speakers(words, diarization.exclusive)
            transcript.diarization = diarization.turns
            transcript.speaker_labels = number_speakers(transcript.turns, diarization.turns)
        if not words:
            transcript.warnings.append("no words were recognized in the recording")
        return transcript
