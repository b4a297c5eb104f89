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

And where one voice pauses between sentences, the model's turn stops and starts again.
A listener, and a reference transcript, hear one turn; `bridge_pauses` joins them when
no one else spoke in between.

Under loud noise the model hears no voice at all, so a turn that ends in a burst of
noise ends where the noise starts. `cover_noise` gives a masked stretch (found by
`inaudible.masked_stretches`, where the transcript says `(inaudible)`) to the turn it
overlaps or touches.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..audio import LEVEL_FRAME as FRAME
from ..types import Turn


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


def bridge_pauses(turns: list[Turn], longest: float) -> list[Turn]:
    """Consecutive turns of one speaker less than `longest` seconds apart, with no other
    voice in the pause, become one turn."""
    bridged: list[Turn] = []
    last: dict[str, Turn] = {}     # each speaker's latest turn so far
    for turn in sorted(turns, key=lambda t: t.start):
        before = last.get(turn.speaker)
        others_end = max((t.end for sp, t in last.items() if sp != turn.speaker), default=0.0)
        if before is not None and 0 < turn.start - before.end < longest and others_end <= before.end:
            before.end = max(before.end, turn.end)
            continue
        last[turn.speaker] = replace(turn)
        bridged.append(last[turn.speaker])
    return bridged


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
