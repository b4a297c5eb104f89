"""Write outputs all-or-nothing: every file goes to a temporary name first, then is renamed."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import OutputError
from .writers import FORMATS, render
from ..types import Transcript


def format_of(path: str | Path) -> str:
    """The output format an -o path asks for, from its extension."""
    ext = Path(path).suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise OutputError(path, f"unknown output format '.{ext}' (use one of: {', '.join('.' + f for f in FORMATS)})")
    return ext


PART_SUFFIX = ".part"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(files: dict[Path, str]) -> None:
    """Write every file or none: a failure (or an interruption) leaves no new file and no
    partial one behind. Each file is written to `.NAME.XXXX.part` beside it, then renamed."""
    staged: list[tuple[Path, Path]] = []
    mode = 0o666 & ~_umask()
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=PART_SUFFIX, dir=path.parent)
            staged.append((Path(tmp), path))
            os.fchmod(fd, mode)  # mkstemp makes 0600; outputs are ordinary files
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
        for tmp, path in staged:
            os.replace(tmp, path)
    except BaseException as e:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise OutputError(e.filename or "output", f"cannot write ({e.strerror})") from None
        raise


def write_outputs(transcript: Transcript, paths: list[str | Path], style=None, review=None) -> None:
    """Every output path in the format its extension names (`review`: the review page's settings)."""
    write_atomic({Path(p): render(transcript, format_of(p), style, review, Path(p)) for p in paths})
