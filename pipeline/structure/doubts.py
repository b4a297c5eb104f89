"""Doubts: the words a reviewer should check against the audio, each with its reason.

The review page marks them and jumps from one to the next. A mark costs the reviewer a
listen, so only what the pipeline has a reason to doubt is marked: a word the recognizer
was unsure of, above all one that a second, independent reading of the call (a smaller
recognizer, `review.cross_check_model`) heard otherwise; a term the vocabulary step
rewrote; a briefer's name redacted from a near-miss; a stretch marked (inaudible); and the
first word of a turn whose label came from what it says rather than from its voice
(turn_roles.py). How many of the recognizer's real errors the marks find, and how many
words they cost, is measured by `callscribe eval` (docs/review.md).
"""
from __future__ import annotations

import jiwer

from ..config import ReviewSettings
from ..types import Transcript, Word
from .inaudible import is_marker
from .text import normalize_words


def differences(reference: list[str], texts: list[str]) -> list[int]:
    """Where `texts` (words as written) differ from `reference` (normalized words): for each
    difference of the word alignment, the index of the text it sits at. A substituted or
    inserted word sits at its own text; each word of `reference` missing from `texts` sits
    at the text after the gap (the last one at the end)."""
    tokens = [(token, i) for i, text in enumerate(texts) for token in normalize_words(text)]
    if not reference or not tokens:
        return []
    found: list[int] = []
    alignment = jiwer.process_words(" ".join(reference), " ".join(t for t, _ in tokens))
    for chunk in alignment.alignments[0]:
        if chunk.type in ("substitute", "insert"):
            found += [tokens[k][1] for k in range(chunk.hyp_start_idx, chunk.hyp_end_idx)]
        elif chunk.type == "delete":
            found += [tokens[min(chunk.hyp_start_idx, len(tokens) - 1)][1]] * (chunk.ref_end_idx - chunk.ref_start_idx)
    return found


def disputed(words: list[Word], other_reading: list[str]) -> set[int]:
    """Indices of `words` that another reading of the same audio does not share (all of
    them when it heard nothing): a word it heard otherwise, or the word a word it has in
    addition sits before."""
    other = [t for text in other_reading for t in normalize_words(text)]
    if not other:
        return {i for i, w in enumerate(words) if normalize_words(w.text)}
    return set(differences(other, [w.text for w in words]))


def _probability_doubt(word: Word, disputed_here: bool | None, s: ReviewSettings) -> str | None:
    """`disputed_here`: None when there is no second reading."""
    if disputed_here is None:
        return f"the recognizer was unsure ({word.probability:.2f})" if word.probability < s.unsure_probability else None
    if disputed_here and word.probability < s.disputed_probability:
        return f"heard otherwise by a second reading; the recognizer gave it {word.probability:.2f}"
    if word.probability < s.checked_unsure_probability:
        return f"the recognizer was unsure ({word.probability:.2f})"
    return None


def mark_doubts(transcript: Transcript, settings: ReviewSettings, other_reading: list[str] | None = None) -> int:
    """Set `doubt` on the words a reviewer should check; returns how many were marked.

    `other_reading`: the words a second recognizer heard in the same audio, if it was read twice."""
    said = [w for w in transcript.words if not is_marker(w)]
    against = disputed(said, other_reading) if other_reading is not None else None
    position = {id(w): i for i, w in enumerate(said)}
    corrected = [(c.start, c.end, f"written as “{c.written}”, heard “{c.heard}” (score {c.score:.2f})")
                 for c in transcript.corrections]
    marked = 0
    for turn in transcript.turns:
        for i, word in enumerate(turn.words):
            reasons: list[str | None] = []
            if is_marker(word):
                reasons.append("not made out: listen again")
            else:
                here = None if against is None else position[id(word)] in against
                reasons.append(_probability_doubt(word, here, settings))
            if word.redaction and not word.redaction.get("exact"):
                reasons.append(f"a briefer's name heard as a near-miss and redacted (score {word.redaction['score']:.2f})")
            reasons += [why for start, end, why in corrected if start <= word.start < end]
            if i == 0 and "/" in turn.speaker:   # turn_roles gave this run a role its voice does not have
                reasons.append("labelled by what is said here, not by the voice: check who speaks")
            word.doubt = "; ".join(r for r in reasons if r) or None
            marked += word.doubt is not None
    return marked
