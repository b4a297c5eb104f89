"""The pipeline's segmentation thresholding is pyannote's, in less memory (memory.binarize)."""
import numpy as np
from pyannote.audio.pipelines import speaker_diarization
from pyannote.audio.utils.signal import binarize as pyannote_binarize
from pyannote.core import SlidingWindow, SlidingWindowFeature

import pipeline.diarization.diarize  # noqa: F401  (sets the pipeline's binarize)
from pipeline.diarization.memory import binarize


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
    assert found.data.dtype == expected.data.dtype
    np.testing.assert_array_equal(found.data, expected.data)
    assert found.sliding_window == expected.sliding_window


def test_hysteresis_with_two_thresholds_is_left_to_pyannote():
    scores = scores_with_ties()
    expected = pyannote_binarize(scores, onset=0.7, offset=0.3, initial_state=False)
    np.testing.assert_array_equal(binarize(scores, onset=0.7, offset=0.3, initial_state=False).data, expected.data)


def test_the_diarization_pipeline_uses_it():
    assert speaker_diarization.binarize is binarize
