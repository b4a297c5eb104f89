"""Shared fixtures: real audio (pyannote's telephone sample, espeak-ng calls) and a CLI runner."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests share helper modules (real_calls.py)

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "samples" / "generated"


@pytest.fixture(scope="session")
def pyannote_sample() -> Path:
    """The real two-speaker telephone call (30 s) that pyannote.audio ships, with RTTM and STM."""
    import pyannote.audio
    return Path(pyannote.audio.__file__).parent / "sample"


@pytest.fixture(scope="session")
def synthetic_calls() -> Path:
    """The clean synthetic splits (dev, heldout, espeak), generated once (deterministic) into samples/generated/."""
    splits = ("dev", "heldout", "espeak")   # the hard splits are for `make eval`; no test needs them
    scripts = [s for split in splits for s in sorted((ROOT / "samples" / "calls" / split).glob("*.yaml"))]
    if any(not (GENERATED / s.parent.name / f"{s.stem}.wav").exists() for s in scripts):
        subprocess.run([sys.executable, str(ROOT / "samples" / "make_calls.py"), "--splits", *splits], check=True,
                       stdout=subprocess.DEVNULL)
    return GENERATED / "dev"


# No test reads the voices a developer enrolled: the default voice library is an empty folder.
NO_VOICES = {"XDG_DATA_HOME": str(Path(tempfile.gettempdir()) / "callscribe-tests-no-voices")}


def run_cli(*args: str | Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `callscribe ARGS` as a user would, in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, **NO_VOICES, **(env or {})},
    )


@pytest.fixture(scope="session")
def cli():
    return run_cli


DEMO_SCRIPT = ROOT / "samples" / "demo" / "briefing.yaml"
DEMO_FORMATS = ("txt", "json", "srt", "vtt", "rttm", "html")


@pytest.fixture(scope="session")
def demo_outputs(tmp_path_factory, cli) -> Path:
    """`make demo`'s briefing spoken (as `make demo` does) and transcribed into every format, once per session."""
    call = GENERATED / "demo" / "briefing.wav"
    if not call.exists() or call.stat().st_mtime < DEMO_SCRIPT.stat().st_mtime:
        subprocess.run([sys.executable, str(ROOT / "samples" / "make_calls.py"), str(DEMO_SCRIPT), "--out", str(call.parent)],
                       check=True, stdout=subprocess.DEVNULL)
    out = tmp_path_factory.mktemp("demo")
    result = cli("transcribe", call, *(a for f in DEMO_FORMATS for a in ("-o", out / f"briefing.{f}")))
    assert result.returncode == 0, result.stderr
    return out
