"""Give each recognized word the speaker whose turn it falls in.

Recognizer segments ignore speaker changes, so a segment can hold the end of one
person's answer and the start of the next question; words are labelled one by one and
regrouped into runs of one speaker, which splits such segments where the speaker changes.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .types import Turn, Word

UNKNOWN_SPEAKER = "UNKNOWN"


def speaker_of(word: Word, starts: np.ndarray, ends: np.ndarray, speakers: list[str]) -> str:
    """The speaker whose turns overlap the word most; failing any overlap, the nearest turn."""
    if not speakers:
        return UNKNOWN_SPEAKER
    overlap = np.minimum(ends, word.end) - np.maximum(starts, word.start)
    best = int(np.argmax(overlap))
    if overlap[best] > 0:
        return speakers[best]
    middle = (word.start + word.end) / 2
    distance = np.maximum(starts - middle, middle - ends)
    return speakers[int(np.argmin(distance))]


def label_words(words: Iterable[Word], turns: list[Turn]) -> list[Word]:
    """Set `speaker` on every word from the (non-overlapping) diarization turns."""
    starts = np.array([t.start for t in turns])
    ends = np.array([t.end for t in turns])
    speakers = [t.speaker for t in turns]
    labelled = []
    for word in words:
        word.speaker = speaker_of(word, starts, ends, speakers)
        labelled.append(word)
    return labelled


def group_turns(words: list[Word]) -> list[Turn]:
    """Consecutive words of one speaker become one turn."""
    turns: list[Turn] = []
    for word in words:
        if turns and turns[-1].speaker == word.speaker:
            turns[-1].words.append(word)
            turns[-1].end = word.end
        else:
            turns.append(Turn(word.speaker, word.start, word.end, [word]))
    return turns


def assign_speakers(words: Iterable[Word], diarization: list[Turn]) -> list[Turn]:
    return group_turns(label_words(words, diarization))
