"""Freed memory handed back to the system, and at most one heap per core.

glibc keeps freed heap memory for reuse instead of returning it, and the models' batches
leave it scattered: on a 2-hour call, diarization peaked at 2816 MB without the release
and 2335 MB with it (docs/measurements.md). glibc also gives each thread that allocates a
heap (an arena) of its own, up to eight per core, and each keeps its own free memory;
one heap per core held less and ran no slower (docs/measurements.md). Elsewhere than glibc
this does nothing.
"""
from __future__ import annotations

import ctypes
import os
from typing import Callable


def _glibc(function: str) -> Callable[..., int] | None:
    try:
        return getattr(ctypes.CDLL("libc.so.6"), function)
    except (OSError, AttributeError):  # not glibc (macOS, musl)
        return None


_TRIM = _glibc("malloc_trim")
_MALLOPT = _glibc("mallopt")
M_ARENA_MAX = -8   # glibc's malloc.h


def heap_per_core() -> None:
    """At most one heap per core this process may run on (glibc's M_ARENA_MAX, as the
    MALLOC_ARENA_MAX variable sets it); to be called before worker threads allocate."""
    if _MALLOPT is not None:
        _MALLOPT(M_ARENA_MAX, len(os.sched_getaffinity(0)))


def release_free_memory() -> None:
    """Return the heap's free pages to the system (glibc's malloc_trim(0))."""
    if _TRIM is not None:
        _TRIM(0)
