"""Diarization's memory: freed memory handed back to the system, and a leaner `binarize`.

glibc keeps freed heap memory for reuse instead of returning it, and a long call's
thousands of segmentation batches leave it scattered: on a 2-hour call, diarization
peaked at 2816 MB without the release and 2335 MB with it (README, "Long calls").
Elsewhere than glibc this does nothing.
"""
from __future__ import annotations

import ctypes
import time
from typing import Callable

import numpy as np
from pyannote.audio.utils.signal import binarize as pyannote_binarize
from pyannote.core import SlidingWindowFeature


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl)
        return None


_TRIM = _malloc_trim()


def release_free_memory() -> None:
    """Return the heap's free pages to the system (glibc's malloc_trim(0))."""
    if _TRIM is not None:
        _TRIM(0)


def releasing(hook: Callable | None, every: float = 2.0) -> Callable:
    """A pyannote progress hook that releases free memory at most every `every` seconds, then calls `hook`.

    Not after every batch: the next batch takes the same pages again.
    """
    last = time.monotonic()

    def after_batch(*args, **kwargs) -> None:
        nonlocal last
        if time.monotonic() - last >= every:
            release_free_memory()
            last = time.monotonic()
        if hook is not None:
            hook(*args, **kwargs)
    return after_batch


def binarize(scores: SlidingWindowFeature, onset: float = 0.5, offset: float | None = None,
             initial_state: bool | None = None) -> SlidingWindowFeature:
    """pyannote's `binarize` of (chunks, frames, speakers) scores, with the same result, in
    a fraction of the memory where onset and offset are one threshold (as in the pipeline).

    pyannote's hysteresis gathers each row's frame indices in Python tuples: on a 2-hour
    call, several hundred MB at once. With one threshold a frame is on above it, off below
    it, and a frame exactly at it keeps the state of the last frame that was not (the
    initial state before any): a forward fill along the frames.
    """
    if (offset not in (None, onset) or not isinstance(initial_state, bool)
            or not isinstance(scores, SlidingWindowFeature) or scores.data.ndim != 3):
        return pyannote_binarize(scores, onset=onset, offset=offset, initial_state=initial_state)
    data = np.nan_to_num(scores.data)
    on = data > onset
    frames = np.arange(data.shape[1], dtype=np.int32)[None, :, None]
    last = np.where(on | (data < onset), frames, -1)          # the last frame whose state is decided
    np.maximum.accumulate(last, axis=1, out=last)
    state = np.take_along_axis(on, np.maximum(last, 0), axis=1)
    return SlidingWindowFeature(1.0 * np.where(last >= 0, state, initial_state), scores.sliding_window)
