"""Long recordings: bounded windows for recognition, a bounded clustering training set."""
from __future__ import annotations

import numpy as np

from pipeline.audio import SAMPLE_RATE
from pipeline.recognize import windows


def test_windows_cover_the_recording_and_cut_at_the_quietest_moment():
    rng = np.random.default_rng(0)
    samples = (rng.standard_normal(SAMPLE_RATE * 3600) * 0.1).astype(np.float32)
    quiet = SAMPLE_RATE * 1210
    samples[quiet: quiet + SAMPLE_RATE] = 0  # a pause 10 s after the 20-minute mark
    cuts = windows(samples, 20 * 60 * SAMPLE_RATE)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(samples)
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))  # contiguous: no sample lost or repeated
    assert len(cuts) == 3
    assert quiet <= cuts[0][1] <= quiet + SAMPLE_RATE


def test_short_recordings_are_one_window():
    assert windows(np.zeros(SAMPLE_RATE * 600, np.float32), 20 * 60 * SAMPLE_RATE) == [(0, SAMPLE_RATE * 600)]


def test_clustering_trains_on_a_bounded_evenly_spread_subset():
    from pyannote.core import SlidingWindow, SlidingWindowFeature

    from pipeline.diarize import BoundedAgglomerativeClustering
    clustering = BoundedAgglomerativeClustering(metric="cosine")
    chunks = clustering.MAX_TRAINING * 2
    embeddings = np.random.default_rng(1).standard_normal((chunks, 1, 8)).astype(np.float32)
    segmentations = SlidingWindowFeature(np.ones((chunks, 10, 1), np.float32), SlidingWindow(5.0, 0.5))
    kept, chunk_idx, _ = clustering.filter_embeddings(embeddings, segmentations)
    assert len(kept) == clustering.MAX_TRAINING
    assert chunk_idx[0] == 0 and chunk_idx[-1] == chunks - 1
