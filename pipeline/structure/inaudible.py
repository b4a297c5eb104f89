"""Mark (inaudible): speech that was heard but not made out.

Three signs, all applied to the word stream before words get speakers: a run of words
the recognizer was unsure of (all below a probability); diarized speech with no
recognized words at all; and a loud stretch of broadband noise (high spectral
flatness in the telephone band) that masks whatever was said under it. Each becomes
one marker word, `(inaudible)`, which then takes its speaker like any other word; the
renderer picks its house casing.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..types import Turn, Word

MARKER = "(inaudible)"


def _marker(start: float, end: float, trailing: str = "", speaker: str | None = None) -> Word:
    return Word(f" {MARKER}{trailing}", start, end, 0.0, speaker)


def is_marker(word: Word) -> bool:
    """An (inaudible) marker, with or without the sentence punctuation it keeps."""
    return word.text.strip().startswith(MARKER)


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


def silent_speech(words: list[Word], diarization: list[Turn], min_gap: float) -> list[tuple[float, float]]:
    """(start, end) of each stretch of diarized speech >= min_gap seconds with no word in it."""
    spans = sorted((w.start, w.end) for w in words)
    gaps = []
    for turn in diarization:
        cursor = turn.start
        for start, end in spans:
            if end <= cursor or start >= turn.end:
                continue
            if start - cursor >= min_gap:
                gaps.append((cursor, start))
            cursor = max(cursor, end)
        if turn.end - cursor >= min_gap:
            gaps.append((cursor, turn.end))
    return gaps


def fill_silent_speech(words: list[Word], diarization: list[Turn], min_gap: float) -> list[Word]:
    """A marker wherever diarization heard >= min_gap seconds of speech that has no word in it."""
    markers = [_marker(start, end) for start, end in silent_speech(words, diarization, min_gap)]
    return sorted(words + markers, key=lambda w: w.start)


def mark_inaudible(words: list[Word], diarization: list[Turn], max_probability: float,
                   min_run_words: int, min_gap: float, masked: list[tuple[float, float]] = ()) -> list[Word]:
    words = mark_masked(words, list(masked))
    return fill_silent_speech(replace_unsure_runs(words, max_probability, min_run_words), diarization, min_gap)


def join_markers(words: list[Word]) -> list[Word]:
    """Markers with no word between them become one: a masked word and the silent speech
    after it are one stretch the listener could not make out, so the house text says it once."""
    out: list[Word] = []
    for word in words:
        if out and is_marker(word) and is_marker(out[-1]):
            trailing = word.text.strip()[len(MARKER):] or out[-1].text.strip()[len(MARKER):]
            out[-1] = _marker(out[-1].start, word.end, trailing, out[-1].speaker)
        else:
            out.append(word)
    return out


def masked_stretches(samples: np.ndarray, flatness: float, min_seconds: float, loudness_percentile: float = 75,
                     sample_rate: int = 16000) -> list[tuple[float, float]]:
    """(start, end) of stretches where loud noise masks speech: frames louder than
    `loudness_percentile` % of the call's frames whose 300-3400 Hz spectrum is flat (noise,
    not voice), lasting min_seconds.

    Masking noise is as loud as the speech it covers: in the louder half alone, a short
    recording's background hiss and a real voice's fricatives ("six") passed as noise.

    Computed in one-minute blocks so a two-hour call needs no more memory than a short one.
    """
    win, hop = 400, 160                                    # 25 ms windows, 10 ms hop
    freqs = np.fft.rfftfreq(win, 1 / sample_rate)
    band = (freqs >= 300) & (freqs <= 3400)
    window = np.hanning(win).astype(np.float32)
    block = 60 * sample_rate
    flat_parts, energy_parts = [], []
    for start in range(0, max(len(samples) - win, 0) + 1, block):
        chunk = samples[start: start + block + win]
        n = 1 + (len(chunk) - win) // hop
        if n <= 0:
            break
        n = min(n, block // hop)
        frames = np.lib.stride_tricks.sliding_window_view(chunk, win)[::hop][:n] * window
        power = np.abs(np.fft.rfft(frames, axis=1))[:, band] ** 2 + 1e-12
        flat_parts.append(np.exp(np.mean(np.log(power), axis=1)) / np.mean(power, axis=1))
        energy_parts.append(10 * np.log10(np.mean(power, axis=1)))
    if not flat_parts:
        return []
    flat, energy = np.concatenate(flat_parts), np.concatenate(energy_parts)
    masked = (flat > flatness) & (energy > np.percentile(energy, loudness_percentile))
    # Runs of masked frames, bridging gaps of up to 3 frames.
    stretches, run_start, gap = [], None, 0
    frame_seconds = hop / sample_rate
    for i, m in enumerate(np.append(masked, False)):
        if m:
            run_start = i if run_start is None else run_start
            gap = 0
        elif run_start is not None:
            gap += 1
            if gap > 3 or i == len(masked):
                end = i - gap + 1
                if (end - run_start) * frame_seconds >= min_seconds:
                    stretches.append((run_start * frame_seconds, end * frame_seconds + win / sample_rate))
                run_start, gap = None, 0
    return stretches


def mark_masked(words: list[Word], stretches: list[tuple[float, float]]) -> list[Word]:
    """Words under a masked stretch (the recognizer's guesses) become one marker; a stretch
    with no word gets a marker of its own."""
    out = list(words)
    for start, end in stretches:
        inside = [i for i, w in enumerate(out) if w.end > start and w.start < end]
        if inside:
            first, last = inside[0], inside[-1]
            trailing = out[last].text.strip()[-1:]
            out[first: last + 1] = [_marker(out[first].start, out[last].end, trailing if trailing in ".?!," else "")]
        else:
            out.append(_marker(start, end))
    return sorted(out, key=lambda w: w.start)


# Under loud noise the segmentation model hears no voice, so a turn that ends in a burst of
# noise ends where the noise starts: the masked stretch belongs to that turn.
def cover_noise(turns: list[Turn], stretches: list[tuple[float, float]], touch: float = 0.05) -> list[Turn]:
    """Each noise stretch that overlaps or touches (within `touch`) a turn becomes part of the
    turn it overlaps most; a stretch in the middle of a pause, with no turn beside it, stays out."""
    covered = [replace(t) for t in turns]
    for start, end in stretches:
        beside = [t for t in covered if t.start <= end + touch and t.end >= start - touch]
        if beside:
            host = max(beside, key=lambda t: min(t.end, end) - max(t.start, start))
            host.start, host.end = min(host.start, start), max(host.end, end)
    return covered
