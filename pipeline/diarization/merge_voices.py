"""Merge speakers that are one voice: a second look at the clusters, with a second encoder.

GE2E clustering, which holds the synthetic reference voices apart, breaks real people
up: one person heard on a different line, or with a cold, becomes two or more
speakers (on a real two-party telephone call, nine). CAM++, trained on thousands of
real speakers, hears those pieces as one voice, while different real people stay far
apart under it (docs/real-voices.md). So each speaker found gets one print per encoder
(`voice_prints`: pooled from the partials the split already computed), and the two most
alike speakers are merged, again and again, while every encoder finds them alike above
its threshold.
Asking every encoder keeps synthetic voices apart that CAM++ alone would merge.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..types import Turn
from .split_voices import Partials, turn_embeddings


def voice_prints(exclusive: list[Turn], partials: Partials,
                 embed: Callable[[Turn], np.ndarray | None] = lambda turn: None,
                 pooled_from: float = 10.0, most: int = 20, longest_piece: float = 10.0,
                 min_seconds: float = 1.0) -> dict[str, tuple[np.ndarray, float]]:
    """Per speaker, a unit-norm print and the seconds of its turns alone it was made from.

    A speaker with at least `pooled_from` seconds of turns long enough to hold partials
    gets the mean of those partials: the recording's, computed once for the split and
    shared, so its print costs no encoder pass. A speaker with less (a reporter's two
    questions, a voice in a 30 s clip) is embedded directly from its `most` longest turns
    of `min_seconds` or more (`embed`, at most `longest_piece` each): cheap for so little
    speech, and pooling so few partials hears the voice less well (docs/real-voices.md).
    """
    voices = {}
    for speaker in sorted({t.speaker for t in exclusive}):
        turns = [t for t in exclusive if t.speaker == speaker]
        pooled = []   # (a turn's partials summed, its seconds)
        for turn, embedding in zip(turns, turn_embeddings(turns, partials)):
            if embedding is not None:
                mean, count = embedding
                pooled.append((mean * count, turn.end - turn.start))
        if sum(seconds for _, seconds in pooled) < pooled_from:
            longest = sorted((t for t in turns if t.end - t.start >= min_seconds), key=lambda t: t.start - t.end)[:most]
            pieces = [Turn(speaker, t.start, min(t.end, t.start + longest_piece)) for t in longest]
            pooled = [(vector * (t.end - t.start), t.end - t.start) for t in pieces
                      for vector in [embed(t)] if vector is not None and np.isfinite(vector).all()]
        if pooled:
            mean = sum(vector for vector, _ in pooled)
            voices[speaker] = (mean / np.linalg.norm(mean), float(sum(seconds for _, seconds in pooled)))
    return voices


def merge_alike(voices: list[dict[str, tuple[np.ndarray, float]]], thresholds: list[float],
                fewest: int = 1) -> dict[str, str]:
    """Speaker -> the speaker it merges into. `voices[i]` are encoder i's embeddings, `thresholds[i]`
    the cosine similarity above which that encoder hears one voice; all must agree. Never
    fewer than `fewest` speakers are left (the call sheet's floor)."""
    speakers = sorted(set.intersection(*(set(v) for v in voices)))
    centroid = [{s: v[s][0] for s in speakers} for v in voices]
    weight = {s: voices[0][s][1] for s in speakers}
    into = {s: s for s in speakers}
    while len(weight) > max(1, fewest):
        alive = sorted(weight)
        pairs = [(min(c[a] @ c[b] - t for c, t in zip(centroid, thresholds)), a, b)
                 for i, a in enumerate(alive) for b in alive[i + 1:]]
        margin, a, b = max(pairs)
        if margin < 0:
            break
        for c in centroid:   # the merged voice's embedding: the two, weighted by their speech
            mean = c[a] * weight[a] + c.pop(b) * weight[b]
            c[a] = mean / np.linalg.norm(mean)
        weight[a] += weight.pop(b)
        into = {s: a if target == b else target for s, target in into.items()}
    return into


def relabel(turns: list[Turn], into: dict[str, str]) -> list[Turn]:
    """The turns under their merged speakers, in time order; one speaker's turns that now overlap become one."""
    merged: dict[str, list[Turn]] = {}
    for t in sorted(turns, key=lambda t: t.start):
        speaker = into.get(t.speaker, t.speaker)
        own = merged.setdefault(speaker, [])
        if own and t.start < own[-1].end:
            own[-1] = Turn(speaker, own[-1].start, max(own[-1].end, t.end))
        else:
            own.append(Turn(speaker, t.start, t.end))
    return sorted((t for own in merged.values() for t in own), key=lambda t: (t.start, t.speaker))
