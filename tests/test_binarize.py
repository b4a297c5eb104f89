"""The pipeline's segmentation thresholding and reconstruction are pyannote's, in less memory (memory.py)."""
import numpy as np
import pytest
from pyannote.audio.pipelines import SpeakerDiarization, speaker_diarization
from pyannote.audio.utils.signal import binarize as pyannote_binarize
from pyannote.core import SlidingWindow, SlidingWindowFeature

import pipeline.diarization.diarize  # noqa: F401  (sets the pipeline's binarize)
from pipeline.diarization.memory import LeanSpeakerDiarization, binarize


def scores_with_ties() -> SlidingWindowFeature:
    rng = np.random.default_rng(1)
    data = rng.random((50, 293, 3)).astype(np.float32)
    data[rng.random(data.shape) < 0.05] = 0.7     # frames exactly at the threshold keep the last state
    data[rng.random(data.shape) < 0.01] = np.nan
    data[3, :40, 0] = 0.7                         # ...or the initial state, before any decided frame
    return SlidingWindowFeature(data, SlidingWindow(start=0.0, duration=5.0, step=0.5))


def test_binarize_gives_pyannotes_result():
    scores = scores_with_ties()
    expected = pyannote_binarize(scores, onset=0.7, initial_state=False)
    found = binarize(scores, onset=0.7, initial_state=False)
    assert found.data.dtype == np.float32   # pyannote's are float64: the same 0s and 1s
    np.testing.assert_array_equal(found.data, expected.data)
    assert found.sliding_window == expected.sliding_window


def test_hysteresis_with_two_thresholds_is_left_to_pyannote():
    scores = scores_with_ties()
    expected = pyannote_binarize(scores, onset=0.7, offset=0.3, initial_state=False)
    np.testing.assert_array_equal(binarize(scores, onset=0.7, offset=0.3, initial_state=False).data, expected.data)


def test_the_diarization_pipeline_uses_it():
    assert speaker_diarization.binarize is binarize


@pytest.mark.parametrize("clusters", [4, 1])   # 1: fewer clusters than speakers at once, padded
def test_reconstruction_gives_pyannotes_result(clusters):
    scores = scores_with_ties()
    binarized = binarize(scores, onset=0.7, initial_state=False)
    count = SpeakerDiarization.speaker_count(binarized, SlidingWindow(start=0.0, duration=0.0619, step=0.0169),
                                             warm_up=(0.0, 0.0))
    count.data = np.minimum(count.data, 3).astype(np.int8)
    hard_clusters = np.random.default_rng(2).integers(0, clusters, size=(50, 3))
    hard_clusters[np.random.default_rng(3).random(hard_clusters.shape) < 0.2] = -2   # inactive local speakers
    pipeline = object.__new__(LeanSpeakerDiarization)
    expected = SpeakerDiarization.reconstruct(pipeline, scores_with_ties(), hard_clusters, count)
    found = pipeline.reconstruct(scores, hard_clusters, count)
    assert found.data.shape == expected.data.shape and found.data.dtype == expected.data.dtype
    np.testing.assert_array_equal(found.data, expected.data)
    assert found.data.sum() > 0
    assert found.sliding_window.start == expected.sliding_window.start
    assert found.sliding_window.step == expected.sliding_window.step
