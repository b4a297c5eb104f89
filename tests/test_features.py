"""Whisper's features made a block at a time are faster-whisper's own."""
import numpy as np
import pytest
from faster_whisper.feature_extractor import FeatureExtractor

from pipeline.recognition.features import BlockwiseFeatureExtractor


@pytest.mark.parametrize("seconds", [1.0, 29.99, 30.0, 71.3])
def test_the_blockwise_spectrogram_is_faster_whispers(seconds: float):
    audio = np.random.default_rng(7).standard_normal(int(seconds * 16000)).astype(np.float32) * 0.1
    audio[: len(audio) // 3] *= 0.001     # a quiet stretch: the clamp below the loudest value acts
    expected = FeatureExtractor()(audio)
    blockwise = BlockwiseFeatureExtractor()
    blockwise.BLOCK_FRAMES = 700          # several blocks, the last one short
    found = blockwise(audio)
    assert found.shape == expected.shape
    assert found.dtype == expected.dtype
    np.testing.assert_allclose(found, expected, rtol=0, atol=2e-6)


def test_the_batched_pipelines_chunk_length_is_kept():
    blockwise = BlockwiseFeatureExtractor()
    blockwise(np.zeros(16000, np.float32) + 0.01, chunk_length=20)
    assert (blockwise.n_samples, blockwise.nb_max_frames) == (320000, 2000)
