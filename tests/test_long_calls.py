"""Long recordings: bounded windows for recognition, a bounded clustering training set."""
from __future__ import annotations

import subprocess
import sys

import numpy as np

from pipeline.audio import SAMPLE_RATE
from pipeline.recognition.recognize import windows


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

    from pipeline.diarization.diarize import BoundedAgglomerativeClustering
    clustering = BoundedAgglomerativeClustering(metric="cosine")
    chunks = clustering.MAX_TRAINING * 2
    embeddings = np.random.default_rng(1).standard_normal((chunks, 1, 8)).astype(np.float32)
    segmentations = SlidingWindowFeature(np.ones((chunks, 10, 1), np.float32), SlidingWindow(5.0, 0.5))
    kept, chunk_idx, _ = clustering.filter_embeddings(embeddings, segmentations)
    assert len(kept) == clustering.MAX_TRAINING
    assert chunk_idx[0] == 0 and chunk_idx[-1] == chunks - 1


def test_partials_pooled_in_blocks_match_pooling_all_at_once():
    from pyannote.core import SlidingWindow, SlidingWindowFeature

    from pipeline.diarization.diarize import pool_partials
    rng = np.random.default_rng(2)
    chunks, frames = 40, 100
    masks = np.zeros((chunks, frames, 3), np.float32)
    masks[:, :, 0] = 1                       # speaker 0 talks throughout; speaker 1 never
    masks[::2, :50, 2] = 1                   # speaker 2 over him, half of every other chunk
    segmentations = SlidingWindowFeature(masks, SlidingWindow(duration=5.0, step=0.5))
    partials = rng.standard_normal((int(chunks * 0.5 / 0.2) + 30, 16)).astype(np.float32)
    whole = pool_partials(partials, 0.2, 1.6, segmentations, 0.9, block=chunks)
    blocked = pool_partials(partials, 0.2, 1.6, segmentations, 0.9, block=7)
    np.testing.assert_array_equal(np.isnan(whole), np.isnan(blocked))
    np.testing.assert_allclose(np.nan_to_num(whole), np.nan_to_num(blocked), rtol=1e-6)
    assert np.isnan(whole[:, 1]).all()                  # a silent speaker gets no embedding
    assert not np.isnan(whole[1::2, 0]).any()           # a speaker alone in the chunk always does
    np.testing.assert_allclose(np.linalg.norm(whole[1::2, 0], axis=1), 1.0, rtol=1e-5)


def test_diarization_hook_releases_free_memory_at_most_every_interval(monkeypatch):
    """pyannote calls the hook after every batch: it passes each call on, and trims at most every `every` s."""
    import pipeline.diarization.memory as memory
    import pipeline.memory

    trims, seen = [], []
    monkeypatch.setattr(pipeline.memory, "_TRIM", trims.append)
    clock = iter([0.0, 0.5, 1.9, 2.0, 2.0, 3.0, 4.5, 4.5])
    monkeypatch.setattr(memory.time, "monotonic", lambda: next(clock))
    hook = memory.releasing(lambda *a, **k: seen.append((a, k)), every=2.0)
    for batch in range(5):
        hook("segmentation", None, completed=batch)
    # started at 0.0; calls at 0.5, 1.9, 2.0 (trim, reset to 2.0), 3.0, 4.5 (trim, reset to 4.5)
    assert trims == [0, 0]
    assert [k["completed"] for _, k in seen] == [0, 1, 2, 3, 4] and seen[0][0] == ("segmentation", None)


def test_diarization_hook_releases_free_memory_when_a_step_ends(monkeypatch):
    """pyannote's call at a step's end carries no count: memory is released then, however recent the last release."""
    import pipeline.diarization.memory as memory
    import pipeline.memory

    trims = []
    monkeypatch.setattr(pipeline.memory, "_TRIM", trims.append)
    clock = iter([0.0, 0.1, 0.2])
    monkeypatch.setattr(memory.time, "monotonic", lambda: next(clock))
    hook = memory.releasing(None, every=2.0)
    hook("segmentation", None, completed=0)   # 0.1 s after the start: too soon
    assert trims == []
    hook("segmentation", None)                # the step's end
    assert trims == [0]


ARENAS = """
import ctypes, os, sys, threading
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})   # one core
if sys.argv[1] == "pipeline":
    import pipeline   # noqa: F401
barrier = threading.Barrier(8)
def allocate():
    block = bytearray(1 << 20)   # malloc'd by this thread
    barrier.wait()               # all eight alive at once
threads = [threading.Thread(target=allocate) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
ctypes.CDLL("libc.so.6").malloc_stats()   # one "Arena N:" paragraph per heap, on stderr
"""


def test_importing_the_pipeline_keeps_one_heap_per_core():
    def heaps(first_import: str) -> int:
        done = subprocess.run([sys.executable, "-c", ARENAS, first_import], capture_output=True, text=True, check=True)
        return done.stderr.count("Arena ")
    assert heaps("nothing") > 1    # glibc alone: a heap for each thread, up to eight per core
    assert heaps("pipeline") == 1
