"""Trim diarized turns to where the recording is louder than its noise floor.

The segmentation model's turns start a little early and run on a little late: its
frames blur over the edges, and its activation decays after a voice stops. Where a
turn begins or ends in frames no louder than the line's noise floor, nobody is
speaking there, so the edge moves inward to the first (or after the last) louder frame.
Edges only move inward, by at most `reach`, and only across quiet frames: a turn
never grows, and frames with speech (anyone's) in them are never cut.

At a hand-off inside one of its 5 s chunks, the model also gives a few frames on either
side of the change to the wrong voice: a scrap of turn, tens of milliseconds long, of a
speaker who is not talking, stuck to the end of the turn before or the start of the
next. `absorb_slivers` gives such a scrap to the turn it touches.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .audio import LEVEL_FRAME as FRAME
from .types import Turn


def trim_quiet_edges(turns: list[Turn], levels: np.ndarray, reach: float, margin_db: float,
                     floor_percentile: float) -> list[Turn]:
    """`turns` with their quiet edges trimmed; `levels` from `audio.frame_levels` (10 ms frames).

    The noise floor is the level below which the recording's quietest `floor_percentile`
    per cent of frames lie; a frame is quiet up to `margin_db` above it.
    """
    if not len(levels):
        return turns
    loud = levels > np.percentile(levels, floor_percentile) + margin_db
    steps = int(round(reach / FRAME))
    trimmed = []
    for turn in turns:
        first, last = int(turn.start / FRAME), min(len(loud), int(np.ceil(turn.end / FRAME)))
        if first >= last:
            trimmed.append(turn)
            continue
        start, end = turn.start, turn.end
        head = np.flatnonzero(loud[first: min(last, first + steps)])
        if not loud[first] and len(head):
            start = (first + head[0]) * FRAME
        tail_from = max(first, last - steps)
        tail = np.flatnonzero(loud[tail_from: last])
        if not loud[last - 1] and len(tail):
            end = (tail_from + tail[-1] + 1) * FRAME
        trimmed.append(replace(turn, start=start, end=end) if end > start else turn)
    return trimmed


def absorb_slivers(turns: list[Turn], shortest: float, touch: float = 0.02) -> list[Turn]:
    """Each turn shorter than `shortest` seconds that touches (within `touch`) a longer turn
    of another speaker becomes part of that turn (the longest, if it touches two).
    A short turn standing apart, in silence, stays: it may be a short answer."""
    ordered = sorted((replace(t) for t in turns), key=lambda t: t.start)
    absorbed = set()
    for i, turn in enumerate(ordered):
        if turn.end - turn.start >= shortest:
            continue
        nearby = ordered[max(0, i - 8): i + 9]  # sorted by start: what touches it is close by
        touching = [t for t in nearby if t.speaker != turn.speaker and t.end - t.start >= shortest
                    and (abs(t.end - turn.start) < touch or abs(turn.end - t.start) < touch)]
        if touching:
            host = max(touching, key=lambda t: t.end - t.start)
            host.start, host.end = min(host.start, turn.start), max(host.end, turn.end)
            absorbed.add(id(turn))
    return [t for t in ordered if id(t) not in absorbed]
