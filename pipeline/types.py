"""The plain data that flows between the stages."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Word:
    """One recognized word with its time span (seconds) and recognizer probability."""

    text: str
    start: float
    end: float
    probability: float
    speaker: str | None = None
    redaction: dict | None = None  # a placeholder's match: form, exact, score, words (never the name)
    doubt: str | None = None       # why a reviewer should check it (structure/doubts.py), if they should


@dataclass
class Turn:
    """A stretch of one speaker's speech: from diarization, or a run of words after alignment."""

    speaker: str
    start: float
    end: float
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return spoken_text(self.words)


def spoken_text(words: list[Word]) -> str:
    """The words as recognized: each carries its own leading space, so a continuation
    token (",000" after "$200") stays attached to the word before it."""
    return "".join(w.text for w in words).strip()


@dataclass
class Correction:
    """A recognized span rewritten as a term of the call's vocabulary, kept so a reviewer can undo it."""

    heard: str
    written: str
    score: float
    start: float
    end: float


@dataclass
class Transcript:
    """Everything one run knows about one recording."""

    audio_path: str
    duration: float
    turns: list[Turn]                 # speaker-attributed runs of words, in time order
    diarization: list[Turn]           # the raw speaker turns (no words)
    speaker_labels: dict[str, str]    # cluster name -> printed label (MODERATOR, QUESTION, …)
    settings: dict = field(default_factory=dict)
    models: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    roles: dict[str, str] = field(default_factory=dict)      # cluster name -> moderator/operator/official/questioner
    sheet: object | None = None                              # the CallSheet, if any
    corrections: list[Correction] = field(default_factory=list)  # terms rewritten (structure/vocabulary.py)
    known: dict[str, dict] = field(default_factory=dict)     # speaker -> {"name", "score"}: a known voice matched

    @property
    def words(self) -> list[Word]:
        return [w for t in self.turns for w in t.words]
