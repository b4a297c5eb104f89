"""Errors a user can act on, each with its documented exit code (sysexits.h values)."""
from __future__ import annotations


class CallscribeError(Exception):
    """An error reported as one line, without a traceback."""

    exit_code = 70  # EX_SOFTWARE

    def __init__(self, path: object | None, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}" if path is not None else reason)


class BadInput(CallscribeError):
    """The input exists but is not usable audio (empty, not audio, truncated, too short)."""

    exit_code = 65  # EX_DATAERR


class MissingInput(CallscribeError):
    """The input file does not exist or cannot be read."""

    exit_code = 66  # EX_NOINPUT


class ModelMissing(CallscribeError):
    """A model is not installed (or fails its checksum)."""

    exit_code = 69  # EX_UNAVAILABLE


class ConfigError(CallscribeError):
    """A configuration file or option value is wrong."""

    exit_code = 78  # EX_CONFIG


class OutputError(CallscribeError):
    """An output file cannot be written."""

    exit_code = 73  # EX_CANTCREAT
