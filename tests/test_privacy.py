"""Nothing phones home: the real command line, under strace, opens no network connection.

onnxruntime's telemetry is native code (a DNS lookup of Microsoft's collector from its
C++ core), so a Python socket guard would not see it: strace sees every connect(2) of
the process and of every process it starts (batch workers). HOME points at an empty
folder, so that any telemetry queue written under ~/.cache/Microsoft is found too.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
FAST = ("--asr-model", "tiny.en")   # privacy is under test, not recognition quality
NETWORK = re.compile(r"connect\(\d+, \{sa_family=AF_INET6?,")


def traced(args: list[str], home: Path) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run `callscribe ARGS` under strace; return the run and every AF_INET/AF_INET6 connect it made."""
    if shutil.which("strace") is None:
        pytest.fail("strace is not installed: `make setup` installs it")
    log = home / "strace.log"
    env = {k: v for k, v in os.environ.items() if k not in ("ORT_DISABLE_TELEMETRY", "PYANNOTE_METRICS_ENABLED")}
    env["HOME"] = str(home)
    run = subprocess.run(["strace", "-f", "-qq", "-e", "trace=connect", "-o", str(log),
                          sys.executable, "-m", "pipeline.cli", *args, *FAST],
                         capture_output=True, text=True, cwd=ROOT, env=env)
    return run, [line for line in log.read_text().splitlines() if NETWORK.search(line)]


def written_under(home: Path, folder: str) -> list[Path]:
    return [p for p in (home / folder).rglob("*") if p.is_file()] if (home / folder).exists() else []


def test_transcribe_makes_no_network_connection(pyannote_sample, tmp_path):
    run, connections = traced(["transcribe", str(pyannote_sample / "sample.wav"), "-o", str(tmp_path / "t.json")],
                              tmp_path)
    assert run.returncode == 0, run.stderr
    assert connections == [], "\n".join(connections[:5])
    assert written_under(tmp_path, ".cache/Microsoft") == []


def test_two_worker_batch_makes_no_network_connection(pyannote_sample, tmp_path):
    recordings = tmp_path / "in"
    recordings.mkdir()
    for name in ("first", "second"):
        shutil.copy(pyannote_sample / "sample.wav", recordings / f"{name}.wav")
    run, connections = traced(["batch", str(recordings), str(tmp_path / "out"), "-j", "2"], tmp_path)
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.txt")) == ["first.txt", "second.txt"]
    assert connections == [], "\n".join(connections[:5])
    assert written_under(tmp_path, ".cache/Microsoft") == []
