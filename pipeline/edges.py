"""Trim diarized turns to where the recording is louder than its noise floor.

The segmentation model's turns start a little early and run on a little late: its
frames blur over the edges, and its activation decays after a voice stops. Where a
turn begins or ends in frames no louder than the line's noise floor, nobody is
speaking there, so the edge moves inward to the first (or after the last) louder frame.
Edges only move inward, by at most `reach`, and only across quiet frames: a turn
never grows, and frames with speech (anyone's) in them are never cut.
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
