"""Freed memory handed back to the system.

glibc keeps freed heap memory for reuse instead of returning it, and the models' batches
leave it scattered: on a 2-hour call, diarization peaked at 2816 MB without the release
and 2335 MB with it (docs/measurements.md). Elsewhere than glibc this does nothing.
"""
from __future__ import annotations

import ctypes
from typing import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl)
        return None


_TRIM = _malloc_trim()


def release_free_memory() -> None:
    """Return the heap's free pages to the system (glibc's malloc_trim(0))."""
    if _TRIM is not None:
        _TRIM(0)
