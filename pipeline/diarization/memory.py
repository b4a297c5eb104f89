"""Diarization's memory: freed memory handed back to the system after each of pyannote's
steps, and leaner versions of two of its steps (`binarize`,
`LeanSpeakerDiarization.reconstruct`) with the same results.
"""
from __future__ import annotations

import time
from typing import Callable

import numpy as np
from pyannote.audio.core.inference import Inference
from pyannote.audio.pipelines import SpeakerDiarization
from pyannote.audio.utils.signal import binarize as pyannote_binarize
from pyannote.core import SlidingWindowFeature

from ..memory import release_free_memory


def releasing(hook: Callable | None, every: float = 2.0) -> Callable:
    """A pyannote progress hook that releases free memory after each step and at most every
    `every` seconds between a step's batches, then calls `hook`.

    Not after every batch: the next batch takes the same pages again.
    """
    last = time.monotonic()

    def after_batch(*args, **kwargs) -> None:
        nonlocal last
        if kwargs.get("completed") is None or time.monotonic() - last >= every:   # a step's end has no count
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
    # float32, half of pyannote's float64: 0 and 1 either way, and every later sum of them is exact.
    return SlidingWindowFeature(np.where(last >= 0, state, initial_state).astype(np.float32), scores.sliding_window)


class LeanSpeakerDiarization(SpeakerDiarization):
    """pyannote's SpeakerDiarization, reconstructing the diarization one cluster at a time.

    pyannote's `reconstruct` gathers the clustered segmentation of every chunk, frame and
    cluster in one float64 array (`np.nan * np.zeros(...)`, two copies at once) before
    summing the chunks up frame by frame: several hundred MB at once on a 2-hour call.
    The sum of one cluster's column does not depend on the others', so here each column is
    made (in the segmentation's float32, which holds the maxima exactly) and summed by
    pyannote's own `Inference.aggregate` in turn; then each frame's `count` loudest clusters
    are on, as in pyannote's `to_diarization`. The result is the same array.
    """

    def reconstruct(self, segmentations: SlidingWindowFeature, hard_clusters: np.ndarray,
                    count: SlidingWindowFeature) -> SlidingWindowFeature:
        chunks, frames, _ = segmentations.data.shape
        columns = []
        for k in range(np.max(hard_clusters) + 1):   # -2 (an inactive local speaker) is in no cluster
            column = np.full((chunks, frames, 1), np.nan, dtype=np.promote_types(segmentations.data.dtype, np.float32))
            for c in np.flatnonzero((hard_clusters == k).any(axis=1)):
                column[c, :, 0] = np.max(segmentations.data[c][:, hard_clusters[c] == k], axis=1)
            columns.append(Inference.aggregate(SlidingWindowFeature(column, segmentations.sliding_window),
                                               count.sliding_window, hamming=False, missing=0.0, skip_average=True))
        activations = SlidingWindowFeature(np.hstack([c.data for c in columns]), columns[0].sliding_window)
        return loudest(activations, count)


def loudest(activations: SlidingWindowFeature, count: SlidingWindowFeature) -> SlidingWindowFeature:
    """(frames, clusters): 1 for each frame's `count` most active clusters (pyannote's
    `to_diarization` after its aggregation, without its loop over frames)."""
    most = int(np.max(count.data))
    if activations.data.shape[1] < most:
        activations.data = np.pad(activations.data, ((0, 0), (0, most - activations.data.shape[1])))
    extent = activations.extent & count.extent
    activations = activations.crop(extent, return_data=False)
    count = count.crop(extent, return_data=False)
    order = np.argsort(-activations.data, axis=-1)
    on = np.arange(order.shape[1]) < count.data[:, :1]           # the first `count` of each frame's order
    binary = np.zeros_like(activations.data)
    np.put_along_axis(binary, order, on.astype(binary.dtype), axis=1)
    return SlidingWindowFeature(binary, activations.sliding_window)
