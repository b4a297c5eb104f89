"""How cores are shared between diarization and recognition (pipeline/threads.py)."""
import threading

import pytest

from pipeline.threads import InBackground, ThreadPlan, TorchThreads, plan_threads


def test_two_cores_on_cpu_in_int8_overlap_the_stages_one_core_each():
    assert plan_threads(2, "cpu", "int8") == ThreadPlan(recognition=1, diarization=1, overlap=True)


def test_recognition_gets_half_the_cores_rounded_up():
    assert plan_threads(3, "cpu", "int8") == ThreadPlan(recognition=2, diarization=1, overlap=True)
    assert plan_threads(16, "cpu", "int8") == ThreadPlan(recognition=8, diarization=8, overlap=True)


def test_float32_on_cpu_runs_the_stages_in_turn_with_every_core():
    # Recognition in float32 uses the second core well; overlapping cost 32.3 s against 27.5 s.
    assert plan_threads(2, "cpu", "float32") == ThreadPlan(recognition=2, diarization=2, overlap=False)
    assert plan_threads(2, "cpu", "int8_float32") == ThreadPlan(recognition=1, diarization=1, overlap=True)


def test_one_core_or_a_gpu_or_overlap_off_runs_the_stages_in_turn():
    # One core each: a batch worker's share is never exceeded (CTranslate2's default would).
    assert plan_threads(1, "cpu", "int8") == ThreadPlan(recognition=1, diarization=1, overlap=False)
    assert plan_threads(8, "cuda", "float16") == ThreadPlan(recognition=8, diarization=8, overlap=False)
    assert plan_threads(8, "cpu", "int8", overlap=False) == ThreadPlan(recognition=8, diarization=8, overlap=False)


def test_asr_cpu_threads_is_recognitions_share_and_diarization_keeps_a_core():
    assert plan_threads(8, "cpu", "int8", cpu_threads=6) == ThreadPlan(recognition=6, diarization=2, overlap=True)
    assert plan_threads(2, "cpu", "int8", cpu_threads=4) == ThreadPlan(recognition=4, diarization=1, overlap=True)


def test_background_work_runs_on_another_thread_and_returns_its_result():
    caller = threading.get_ident()
    job = InBackground(lambda: threading.get_ident())
    assert job.result() != caller


def test_background_error_reaches_the_caller():
    def fails():
        raise ValueError("diarization failed")
    with pytest.raises(ValueError, match="diarization failed"):
        InBackground(fails).result()


def test_torch_threads_hook_sets_the_count_on_the_diarizing_thread_and_can_raise_it():
    import torch
    threads = TorchThreads(1)

    def diarize() -> list[int]:
        seen = []
        threads()                       # pyannote's first progress call
        seen.append(torch.get_num_threads())
        threads.wanted = 2              # recognition finished: its core is free
        threads("segmentation", None, completed=1, total=2)
        seen.append(torch.get_num_threads())
        return seen

    assert InBackground(diarize).result() == [1, 2]
