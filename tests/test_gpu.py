"""The GPU path: `--device cuda` recognizes in float16 with faster-whisper's batched pipeline
and diarizes on the GPU.

No GPU machine has been lent to this project yet: the tests that need one skip, saying
why, wherever CTranslate2 and torch see no CUDA device; where one is present they run.
"""
from __future__ import annotations

import json
import shutil

import pytest

from pipeline.recognition.recognize import cuda_available

HAS_GPU = cuda_available()
needs_gpu = pytest.mark.skipif(not HAS_GPU, reason="no CUDA GPU visible to both CTranslate2 and torch here")


@pytest.mark.skipif(HAS_GPU, reason="a CUDA GPU is visible here: the GPU tests below run instead")
def test_asking_for_a_gpu_where_there_is_none_is_one_line_and_exit_69(cli, pyannote_sample, tmp_path):
    result = cli("transcribe", pyannote_sample / "sample.wav", "--device", "cuda", "-o", tmp_path / "call.txt")
    assert result.returncode == 69
    assert result.stderr.strip() == ("callscribe: error: --device cuda was asked for, but no CUDA GPU is "
                                     "visible to CTranslate2 and torch")
    assert not (tmp_path / "call.txt").exists()


@needs_gpu
def test_the_gpu_transcribes_in_float16_with_the_batched_pipeline(cli, pyannote_sample, tmp_path):
    result = cli("transcribe", pyannote_sample / "sample.wav", "--device", "cuda", "-o", tmp_path / "call.json")
    assert result.returncode == 0, result.stderr
    models = json.loads((tmp_path / "call.json").read_text())["models"]
    assert models["asr"]["device"] == "cuda" and models["asr"]["compute_type"] == "float16"
    assert models["diarization"]["device"] == "cuda"


@needs_gpu
def test_the_gpu_reads_the_real_telephone_call_as_well_as_the_cpu(cli, pyannote_sample, tmp_path):
    """The same bounds as the CPU's eval test (tests/test_call_structure.py)."""
    for ext in ("wav", "rttm", "stm"):
        shutil.copyfile(pyannote_sample / f"sample.{ext}", tmp_path / f"telephone.{ext}")
    result = cli("eval", tmp_path, "--device", "cuda", "--no-stock", "--json", tmp_path / "scores.json")
    assert result.returncode == 0, result.stderr
    scores = json.loads((tmp_path / "scores.json").read_text())["calls"][0]
    assert scores["der"] < 0.15 and scores["wer"] < 0.35 and scores["speakers"] == [2, 2]
