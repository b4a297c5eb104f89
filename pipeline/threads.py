"""How one transcription shares the CPU cores between diarization and recognition."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class ThreadPlan:
    recognition: int   # CTranslate2 threads
    diarization: int   # torch threads
    overlap: bool      # diarize on a second thread while recognizing


def available_cores() -> int:
    """The cores this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def plan_threads(cores: int, device: str, compute_type: str, cpu_threads: int = 0,
                 overlap: bool = True) -> ThreadPlan:
    """Split `cores` between the two heavy stages.

    On CPU in int8, Whisper's beam search gains little from a second thread (base on a
    2-core machine: 19.5 s for 5.4 minutes on one thread beside diarization, 25.2 s on
    two alone), while pyannote's models run almost twice as fast on two. So with two or
    more cores and int8, diarization runs alongside recognition, each on its share, and
    the pipeline costs about what recognition alone does. In float32, the CPU default,
    recognition does use the second core (18.7 s on two), and the stages take turns,
    each with every core: 27.5 s end to end against 32.3 s overlapped (docs/measurements.md, "Speed").
    On a GPU the stages take turns. `cpu_threads` (asr.cpu_threads), when set, is what
    recognition gets.
    """
    cores = max(1, cores)
    if device != "cpu" or not overlap or cores < 2 or not compute_type.startswith("int8"):
        return ThreadPlan(cpu_threads or cores, cores, False)
    recognition = cpu_threads or (cores + 1) // 2
    return ThreadPlan(recognition, max(1, cores - recognition), True)


class TorchThreads:
    """A pyannote progress hook that keeps the calling thread's torch thread count at `wanted`.

    pyannote calls its hook after every batch, on the thread that diarizes. Overlapped
    diarization starts on its share of the cores; when recognition finishes first (tiny
    models do), raising `wanted` hands it the freed cores from its next batch on.
    """

    def __init__(self, wanted: int):
        self.wanted = wanted
        self._current: int | None = None

    def __call__(self, *args, **kwargs) -> None:
        if self.wanted != self._current:
            import torch
            torch.set_num_threads(self.wanted)  # OpenMP's count is per thread: set where diarization runs
            self._current = self.wanted


class InBackground(Generic[T]):
    """Runs `work` on a daemon thread; `result()` waits for it and re-raises its error.

    A daemon thread, so that Ctrl-C during recognition does not wait for diarization.
    """

    def __init__(self, work: Callable[[], T]):
        self._result: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        try:
            self._result = work()
        except BaseException as e:  # handed to the caller by result()
            self._error = e

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result
