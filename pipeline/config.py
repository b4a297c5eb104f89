"""One settings object, loaded from configs/default.yaml, a user's file, then the command line."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = PROJECT_ROOT / "configs"
DEFAULT_CONFIG = CONFIG_DIR / "default.yaml"


@dataclass
class AsrSettings:
    model: str = "base"
    device: str = "auto"
    compute_type: str = "auto"
    language: str | None = "en"
    beam_size: int = 8
    condition_on_previous_text: bool = False
    temperature: list[float] = field(default_factory=lambda: [0.0])
    no_speech_threshold: float = 0.6
    compression_ratio_threshold: float = 2.4
    vad_filter: bool = False
    cpu_threads: int = 0
    call_sheet_hotwords: bool = False
    window_minutes: float = 10.0
    gpu_batch_size: int = 16
    second_look: bool = True
    second_look_context: float = 0.5


@dataclass
class DiarizationSettings:
    model: str = "offline"
    segmentation: str = "segmentation"   # offline only: the bundle's segmentation model
    speaker_encoder: str = "ge2e"   # offline only: ge2e | campplus | ge2e+campplus
    shared_partials: bool = True    # embed the recording once in partials, pooled per chunk; False: pyannote's own
    num_speakers: int | None = None
    min_speakers: int | None = None
    max_speakers: int | None = None
    min_speakers_from_call_sheet: bool = True
    segmentation_threshold: float = 0.7
    clustering_method: str = "centroid"
    clustering_threshold: float = 0.506
    min_cluster_size: int = 9
    min_duration_off: float = 0.375
    segmentation_step: float = 0.1
    split_threshold: float | None = 0.25
    split_min_speech: float = 2.4
    split_encoder: str | None = "ge2e+campplus"   # null: the speaker encoder's own embeddings
    reassign_margin: float | None = 0.1   # short turns move to a nearer voice by more than this; None: off
    merge_encoder: str = "campplus"       # the encoder that hears speakers as one voice (merge_voices.py)
    merge_threshold: float | None = 0.62  # speakers whose embeddings' cosine is at least this merge; None: off
    voices_threshold: float = 0.47        # a speaker this alike to an enrolled voice is that voice (voices.py)
    embedding_batch_size: int = 8
    segmentation_batch_size: int = 16

    def bundle_models(self) -> list[str]:
        """The offline bundle's models this diarization loads (none for a hub pipeline)."""
        if self.model != "offline":
            return []
        encoders = self.speaker_encoder.split("+") + (self.split_encoder.split("+") if self.split_encoder else [])
        encoders += [self.merge_encoder] if self.merge_threshold is not None else []
        return [self.segmentation, *dict.fromkeys(encoders)]


@dataclass
class AlignmentSettings:
    sentence_reach: int = 2


@dataclass
class RedactionSettings:
    threshold: float = 0.75         # a span scoring this or more is a briefer's name (configs/default.yaml)
    spelling_weight: float = 0.5    # the score's share from spelling; the rest from the Metaphone key
    min_letters: int = 5            # near-misses only of name forms this long
    max_span_words: int = 3
    titles: list[str] = field(default_factory=lambda: ["mr", "mrs", "ms", "dr", "secretary"])
    not_names: list[str] = field(default_factory=list)   # capitalized words never taken for a near-miss


@dataclass
class VocabularySettings:
    correct: bool = True             # rewrite near-misses of the call's terms (configs/default.yaml)
    glossary: str | None = None      # the office glossary; None: configs/glossary.yaml
    threshold: float = 0.85          # a span scoring this or more is the term
    spelling_weight: float = 0.5     # the score's share from spelling; the rest from the Metaphone key
    min_letters: int = 5             # near-misses only of terms this long
    max_span_words: int = 3


@dataclass
class ReviewSettings:
    audio: str = "link"              # the review page's audio: link (relative path) | embed (compressed, in the page)
    embed_bitrate: str = "32k"       # MP3 bitrate of embedded audio
    unsure_probability: float = 0.45        # with no second reading: words the recognizer gave less than this are marked
    cross_check_model: str | None = "tiny.en"   # the second reading, made when a page is written (None: never)
    cross_check: bool = False               # make the second reading (set whenever a review page is written)
    disputed_probability: float = 0.65      # with it: a word the readings disagree on, given less than this, is marked…
    checked_unsure_probability: float = 0.15  # …and so is any word given less than this


@dataclass
class AudioSettings:
    min_duration: float = 1.0
    silence_dbfs: float = -50.0


@dataclass
class Settings:
    asr: AsrSettings = field(default_factory=AsrSettings)
    diarization: DiarizationSettings = field(default_factory=DiarizationSettings)
    alignment: AlignmentSettings = field(default_factory=AlignmentSettings)
    redaction: RedactionSettings = field(default_factory=RedactionSettings)
    vocabulary: VocabularySettings = field(default_factory=VocabularySettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)
    voices: str | None = None        # the known-voice library; None: the user's data directory (diarization/voices.py)
    models_dir: str | None = None
    house_style: str | None = None   # path of the house-format settings; None: configs/house.yaml
    hf_token: str | None = None
    overlap_stages: bool = True      # on CPU in int8 with 2+ cores, diarize alongside recognition

    @property
    def models_path(self) -> Path:
        return Path(self.models_dir) if self.models_dir else PROJECT_ROOT / "models"

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("hf_token")  # never write a secret into an output file
        return data


def _merge(target: Any, values: dict, where: str) -> None:
    known = {f.name: f for f in dataclasses.fields(target)}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(where, f"unknown setting '{key}' (known: {', '.join(known)})")
        current = getattr(target, key)
        if dataclasses.is_dataclass(current):
            if not isinstance(value, dict):
                raise ConfigError(where, f"'{key}' must be a mapping")
            _merge(current, value, where)
        else:
            setattr(target, key, value)


def load_settings(path: str | Path | list | None = None, overrides: dict | None = None) -> Settings:
    """Defaults, then configs/default.yaml, then `path` (or each of a list of paths), then
    `overrides` ({"asr": {"model": ...}})."""
    settings = Settings()
    for source in [DEFAULT_CONFIG, *(path if isinstance(path, list) else [path])]:
        if source is None:
            continue
        source = Path(source)
        try:
            values = yaml.safe_load(source.read_text()) or {}
        except FileNotFoundError:
            raise ConfigError(source, "config file not found") from None
        except yaml.YAMLError as e:
            raise ConfigError(source, f"not valid YAML ({str(e).splitlines()[0]})") from None
        if not isinstance(values, dict):
            raise ConfigError(source, "a config file must be a mapping of settings")
        _merge(settings, values, str(source))
    if overrides:
        _merge(settings, overrides, "command line")
    return settings
