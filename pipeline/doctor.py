"""`callscribe doctor`: is this machine ready? Each check says what to fix."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

from .config import Settings

Check = tuple[bool, str, str]   # passed, what was checked, how to fix it


def _ffmpeg() -> Iterator[Check]:
    for tool in ("ffmpeg", "ffprobe"):
        path = shutil.which(tool)
        if not path:
            yield False, f"{tool} is not installed", "run `make setup` or `apt-get install ffmpeg`"
            continue
        version = subprocess.run([tool, "-version"], capture_output=True, text=True).stdout.split("\n")[0]
        yield True, f"{tool}: {version}", ""


def _models(settings: Settings) -> Iterator[Check]:
    from .models import load_catalog, problems
    catalog = load_catalog()
    wanted = settings.diarization.bundle_models()
    wanted += [settings.asr.model] if settings.asr.model in catalog else []
    for name in wanted:
        found = problems(catalog[name], settings.models_path)
        yield (not found, f"model {name} in {settings.models_path}" + (f": {'; '.join(found)}" if found else " verifies"),
               f"run `callscribe models install --force {name}`")
    if settings.asr.model not in catalog:
        exists = Path(settings.asr.model).is_dir()
        yield (exists, f"speech model {settings.asr.model}: " + ("local directory" if exists else "will be fetched from the hub"),
               "hub models need network access; or use tiny.en or base")


def _gpu(settings: Settings) -> Iterator[Check]:
    from .recognition.recognize import cuda_available
    has_gpu = cuda_available()
    if settings.asr.device == "cuda":
        yield has_gpu, "GPU for --device cuda", "no CUDA GPU visible to both CTranslate2 and torch; use --device cpu"
    else:
        yield True, "GPU: " + ("visible, `auto` will use it" if has_gpu else "none visible, running on the CPU"), ""


def _write_access(out_dir: Path) -> Iterator[Check]:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".callscribe-doctor-"):
            pass
        yield True, f"can write to {out_dir.resolve()}", ""
    except OSError as e:
        yield False, f"cannot write to {out_dir}: {e.strerror}", f"check the folder's owner and permissions (running as uid {os.getuid()})"


def run_checks(settings: Settings, out_dir: Path) -> Iterator[Check]:
    yield from _ffmpeg()
    yield from _models(settings)
    yield from _gpu(settings)
    yield from _write_access(out_dir)
    yield from _telemetry()


def _telemetry() -> Iterator[Check]:
    from . import TELEMETRY_OFF
    for library, (variable, value) in TELEMETRY_OFF.items():
        off = os.environ.get(variable) == value
        yield (off, f"{library} telemetry is " + ("off" if off else "ON") + f" ({variable}={os.environ.get(variable)})",
               "import callscribe's `pipeline` package before any other library")
