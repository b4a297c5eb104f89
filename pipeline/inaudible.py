"""Mark (inaudible): speech that was heard but not made out.

Two signs, both measured on the word stream before words get speakers: a run of words
the recognizer was unsure of (all below a probability), and diarized speech with no
recognized words at all. Either becomes one marker word, `(inaudible)`, which then
takes its speaker like any other word; the renderer picks its house casing.
"""
from __future__ import annotations

from .types import Turn, Word

MARKER = "(inaudible)"


def _marker(start: float, end: float, trailing: str = "") -> Word:
    return Word(f" {MARKER}{trailing}", start, end, 0.0)


def replace_unsure_runs(words: list[Word], max_probability: float, min_run_words: int = 1) -> list[Word]:
    """Each run of >= min_run_words words below max_probability -> one marker (keeping the run's
    sentence punctuation, so the sentence still ends where it did)."""
    out: list[Word] = []
    run: list[Word] = []

    def flush() -> None:
        if len(run) >= min_run_words:
            last = run[-1].text.strip()
            trailing = last[-1] if last[-1:] in ".?!," else ""
            out.append(_marker(run[0].start, run[-1].end, trailing))
        else:
            out.extend(run)
        run.clear()

    for word in words:
        if word.probability < max_probability and word.text.strip() != MARKER:
            run.append(word)
        else:
            flush()
            out.append(word)
    flush()
    return out


def fill_silent_speech(words: list[Word], diarization: list[Turn], min_gap: float) -> list[Word]:
    """A marker wherever diarization heard >= min_gap seconds of speech that has no word in it."""
    spans = sorted((w.start, w.end) for w in words)
    markers = []
    for turn in diarization:
        cursor = turn.start
        for start, end in spans:
            if end <= cursor or start >= turn.end:
                continue
            if start - cursor >= min_gap:
                markers.append(_marker(cursor, start))
            cursor = max(cursor, end)
        if turn.end - cursor >= min_gap:
            markers.append(_marker(cursor, turn.end))
    return sorted(words + markers, key=lambda w: w.start)


def mark_inaudible(words: list[Word], diarization: list[Turn], max_probability: float,
                   min_run_words: int, min_gap: float) -> list[Word]:
    return fill_silent_speech(replace_unsure_runs(words, max_probability, min_run_words), diarization, min_gap)
