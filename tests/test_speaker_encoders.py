"""The offline speaker encoders on real speech: GE2E, CAM++ and the two fused."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from pipeline.audio import SAMPLE_RATE, decode
from pipeline.config import load_settings
from pipeline.diarization.diarize import embed_partials
from pipeline.diarization.encoders import FusedEncoder, load_speaker_encoder
from pipeline.errors import ConfigError
from pipeline.evaluation.metrics import alone, load_rttm


@pytest.fixture(scope="module")
def telephone_turns(pyannote_sample):
    """(speaker, samples) for each reference turn of the real call, cut where no one else talks."""
    samples = torch.from_numpy(decode(pyannote_sample / "sample.wav").samples.copy())
    return [(t.speaker, samples[int(t.start * SAMPLE_RATE): int(t.end * SAMPLE_RATE)])
            for t in alone(load_rttm(pyannote_sample / "sample.rttm")) if t.end - t.start >= 1.0]


@pytest.mark.parametrize("name", ["ge2e", "campplus", "ge2e+campplus"])
def test_turns_of_one_speaker_lie_closer_than_turns_of_two(name, telephone_turns):
    encoder = load_speaker_encoder(name, load_settings().models_path)
    with torch.inference_mode():
        vectors = [encoder(s[None, None])[0].numpy() for _, s in telephone_turns]
    assert all(abs(np.linalg.norm(v) - 1) < 1e-4 for v in vectors)
    speakers = [spk for spk, _ in telephone_turns]
    pairs = [(i, j) for i in range(len(vectors)) for j in range(i + 1, len(vectors))]
    same = [1 - vectors[i] @ vectors[j] for i, j in pairs if speakers[i] == speakers[j]]
    other = [1 - vectors[i] @ vectors[j] for i, j in pairs if speakers[i] != speakers[j]]
    assert same and other and max(same) < min(other)


def test_fused_distance_is_the_mean_of_the_encoders_distances(telephone_turns):
    fused = load_speaker_encoder("ge2e+campplus", load_settings().models_path)
    assert isinstance(fused, FusedEncoder)
    (_, a), (_, b) = telephone_turns[0], telephone_turns[1]
    with torch.inference_mode():
        def cosine(encoder) -> float:
            return float(encoder(a[None, None])[0] @ encoder(b[None, None])[0])
        means = np.mean([cosine(e) for e in fused.encoders])
        assert cosine(fused) == pytest.approx(means, abs=1e-5)
    # The whole-recording partials of both encoders line up one for one, unit-norm when fused.
    partials = embed_partials(fused, a).embeddings
    assert partials.shape[1] == 256 + 192 and np.allclose(np.linalg.norm(partials, axis=1), 1, atol=1e-4)


def test_unknown_encoder_is_named():
    with pytest.raises(ConfigError, match="unknown speaker encoder 'xvector'"):
        load_speaker_encoder("ge2e+xvector", load_settings().models_path)


def test_the_split_and_the_merge_share_each_encoders_partials(pyannote_sample):
    """Each encoder is loaded once and embeds the recording once: the split fuses the pipeline's
    GE2E partials with CAM++'s, which are also the merge's; fused that way they equal the
    fused encoder's partials embedded afresh."""
    from pipeline.diarization.diarize import Diarizer

    settings = load_settings()
    diarizer = Diarizer(settings.diarization, settings.models_path)
    assert diarizer.split_encoder.encoders[0] is diarizer.pipeline._embedding.model_
    assert diarizer.split_encoder.encoders[1] is diarizer.merge_encoder
    samples = torch.from_numpy(decode(pyannote_sample / "sample.wav").samples.copy())
    computed = {}
    shared = diarizer.split_partials(samples, computed)
    assert computed["campplus"] is diarizer.partials("campplus", samples, computed)   # not embedded again
    direct = embed_partials(diarizer.split_encoder, samples)
    assert np.allclose(shared.embeddings, direct.embeddings, atol=1e-5) and shared.step == direct.step
