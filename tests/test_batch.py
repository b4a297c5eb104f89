"""The nightly batch and the Make pattern, on real recordings and real bad files."""
from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.evaluation.metrics import word_error_rate

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
FAST = ("--asr-model", "tiny.en")   # the batch machinery is under test, not recognition quality


def ffmpeg(*args) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *map(str, args)], check=True)


@pytest.fixture(scope="module")
def recordings(synthetic_calls, tmp_path_factory) -> Path:
    """Good recordings (one with spaces and non-ASCII letters in its name) and bad ones."""
    d = tmp_path_factory.mktemp("recordings")
    call = synthetic_calls / "foundation.wav"
    ffmpeg("-i", call, "-t", "16", d / "réunion du matin.wav")
    ffmpeg("-i", call, "-ss", "16", "-t", "40", d / "second call.mp3")
    data = call.read_bytes()
    (d / "corrupt.wav").write_bytes(data[: len(data) // 3])
    (d / "empty.wav").touch()
    (d / "notes.wav").write_text("Agenda for the morning call\n" * 30)
    return d


def batch(*args, **popen) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "batch", *map(str, args), *FAST],
                          capture_output=True, text=True, cwd=ROOT, **popen)


def report(out: Path) -> dict:
    return json.loads((out / "batch-report.json").read_text())


def test_batch_isolates_failures_and_skips_what_is_done(recordings, synthetic_calls, tmp_path):
    out = tmp_path / "out"
    started = time.perf_counter()
    first = batch(recordings, out)
    first_seconds = time.perf_counter() - started
    assert first.returncode == 1, first.stderr
    r = report(out)
    assert (r["done"], r["failed"]) == (2, 3)
    reasons = {x["name"]: x["reason"] for x in r["recordings"] if x["status"] == "failed"}
    assert set(reasons) == {"corrupt", "empty", "notes"}
    assert "truncated" in reasons["corrupt"] and "empty file" in reasons["empty"] and "not" in reasons["notes"]
    assert all(f"FAILED {name}" in first.stderr for name in reasons)
    done = {x["name"]: x["reason"] for x in r["recordings"] if x["status"] == "done"}
    assert "no call sheet" in done["réunion du matin"]   # its opening puts the call on background

    # Good transcripts are written and right: the first 16 s hold the moderator's opening.
    first_turn = (out / "réunion du matin.txt").read_text().split("\n\n")[0].split(":", 1)[1]
    opening = json.loads((synthetic_calls / "foundation.ref.json").read_text())["turns"][0]["text"]
    assert word_error_rate(opening, first_turn) < 0.4
    assert json.loads((out / "second call.json").read_text())["turns"]
    assert not list(out.glob(".*.part"))

    started = time.perf_counter()
    second = batch(recordings, out)
    assert second.returncode == 0, second.stderr   # known-bad files are not retried until they change
    assert report(out)["skipped"] == 5 and report(out)["done"] == 0
    assert time.perf_counter() - started < 0.2 * first_seconds

    # Change one call sheet: only that recording is redone.
    (recordings / "second call.yaml").write_text("title: The Second Call\nground_rules: on-the-record\n")
    try:
        third = batch(recordings, out)
        assert third.returncode == 0, third.stderr
        assert [x["name"] for x in report(out)["recordings"] if x["status"] == "done"] == ["second call"]
        assert (out / "second call.txt").read_text().startswith("The Second Call\n")
    finally:
        (recordings / "second call.yaml").unlink()


def test_a_second_batch_on_the_same_folder_exits_75(recordings, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".callscribe.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = batch(recordings, out)
    assert result.returncode == 75
    assert "another callscribe batch is already writing here" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".callscribe.lock"]


def test_a_killed_batch_leaves_no_partial_output_and_the_next_run_completes(recordings, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "batch", str(recordings), str(out), *FAST],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while not (out / "réunion du matin.json").exists():   # first recording published, second under way
        assert proc.poll() is None and time.time() < deadline
        time.sleep(0.2)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr
    assert report(out)["interrupted"] == "SIGTERM"
    assert not (out / "second call.txt").exists() and not (out / "second call.json").exists()
    assert not list(out.glob(".*.part"))
    assert (out / "réunion du matin.txt").exists()

    resumed = batch(recordings, out)
    assert resumed.returncode == 0, resumed.stderr  # the bad files failed before the stop: not retried
    r = report(out)
    assert [x["name"] for x in r["recordings"] if x["status"] == "done"] == ["second call"]
    assert any(x["name"] == "réunion du matin" and x["status"] == "skipped" for x in r["recordings"])


def test_dry_run_writes_nothing(recordings, tmp_path):
    result = batch(recordings, tmp_path / "out", "--dry-run")
    assert result.returncode == 0
    assert "would do  réunion du matin" in result.stdout
    assert not (tmp_path / "out" / "réunion du matin.txt").exists()


def test_make_pattern_builds_then_does_nothing(synthetic_calls, tmp_path):
    rec, out = tmp_path / "rec", tmp_path / "out"
    rec.mkdir()
    ffmpeg("-i", synthetic_calls / "foundation.wav", "-t", "12", rec / "briefing.wav")
    args = ["make", "--no-print-directory", "-C", str(ROOT), "transcripts", f"IN={rec}", f"OUT={out}",
            "ARGS=--asr-model tiny.en"]
    first = subprocess.run(args, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "Good afternoon" in (out / "briefing.txt").read_text() and (out / "briefing.json").exists()
    again = subprocess.run(args + ["-q"], capture_output=True, text=True)
    assert again.returncode == 0  # -q: 0 means everything is up to date
    (rec / "briefing.yaml").write_text("title: A Briefing\n")
    os.utime(rec / "briefing.yaml", (time.time() + 5, time.time() + 5))
    stale = subprocess.run(args + ["-q"], capture_output=True, text=True)
    assert stale.returncode == 1  # a new call sheet makes the transcript out of date
