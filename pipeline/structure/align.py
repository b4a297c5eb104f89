"""Give each recognized word the speaker whose turn it falls in.

Recognizer segments ignore speaker changes, so a segment can hold the end of one
person's answer and the start of the next question; words are labelled one by one and
regrouped into runs of one speaker, which splits such segments where the speaker changes.

Whisper's word times blur at the edges of its segments (the first word of an answer
starts early, the last word of a question runs on), so a change of speaker that lands
inside a sentence is moved to the nearest sentence end a word or two away.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .inaudible import is_marker
from ..types import Turn, Word
from .text import ends_sentence

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


def sentence_starts(words: list[str], abbreviations: Iterable[str] = ()) -> list[int]:
    """Index of the first word of each sentence (the words as text)."""
    abbreviations = {a.lower() for a in abbreviations}
    return [i for i in range(len(words)) if i == 0 or ends_sentence(words[i - 1], abbreviations)]


def snap_to_sentences(words: list[Word], reach: int, abbreviations: Iterable[str] = ()) -> list[Word]:
    """Move each change of speaker inside a sentence to the nearest sentence end within `reach` words.

    Ties go to the longer pause. A change already at a sentence end, or with none in
    reach, stays where diarization put it; a move never crosses another change.
    """
    abbreviations = {a.lower() for a in abbreviations}
    # Nobody heard where an (inaudible) stretch's sentence ended: a change after one stays.
    ends = [ends_sentence(w.text, abbreviations) or is_marker(w) for w in words]
    for i in range(1, len(words)):
        if words[i - 1].speaker == words[i].speaker or ends[i - 1]:
            continue
        before, after = words[i - 1].speaker, words[i].speaker
        candidates = []
        for j in range(max(1, i - reach), min(len(words), i + reach + 1)):
            between = words[min(i, j): max(i, j)]
            if ends[j - 1] and all(w.speaker == (before if j < i else after) for w in between):
                candidates.append((abs(j - i), -(words[j].start - words[j - 1].end), j))
        if candidates:
            j = min(candidates)[2]
            for w in words[min(i, j): max(i, j)]:
                w.speaker = after if j < i else before
    return words


def assign_speakers(words: Iterable[Word], diarization: list[Turn], sentence_reach: int = 0,
                    abbreviations: Iterable[str] = ()) -> list[Turn]:
    labelled = label_words(words, diarization)
    return group_turns(snap_to_sentences(labelled, sentence_reach, abbreviations))
