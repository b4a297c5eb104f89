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


def traced(args: list[str], home: Path, calls: str = "connect") -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run `callscribe ARGS` under strace; return the run and every AF_INET/AF_INET6 connect it made
    (with `calls`, strace's log of those system calls: home / "strace.log")."""
    if shutil.which("strace") is None:
        pytest.fail("strace is not installed: `make setup` installs it")
    log = home / "strace.log"
    env = {k: v for k, v in os.environ.items() if k not in ("ORT_DISABLE_TELEMETRY", "PYANNOTE_METRICS_ENABLED")}
    env["HOME"] = str(home)
    run = subprocess.run(["strace", "-f", "-qq", "-e", f"trace={calls}", "-o", str(log),
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


def own_addresses() -> set[str]:
    """This machine's addresses: a Ray cluster's processes talk to each other over them."""
    found = [*subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split(), "127.0.0.1", "::1"]
    return {*found, *(f"::ffff:{a}" for a in found if ":" not in a)}


def route_lookups(log: Path) -> set[tuple[str, str]]:
    """(pid, fd) of UDP sockets that were connected and never sent anything: the way to ask
    the kernel which interface routes to an address (Ray's node-address lookup does it
    with 8.8.8.8), which puts no packet on the wire. (strace pads short pids with spaces.)"""
    datagram, sent = set(), set()
    for line in log.read_text().splitlines():
        if m := re.match(r"(\d+) +socket\(AF_INET6?, SOCK_DGRAM.*= (\d+)$", line):
            datagram.add(m.groups())
        elif m := re.match(r"(\d+) +send(?:to|msg|mmsg)\((\d+),", line):
            sent.add(m.groups())
    return datagram - sent


def test_a_ray_batch_talks_only_to_this_machine(pyannote_sample, tmp_path):
    """Ray's processes connect to each other over TCP; none may reach another host (usage stats,
    cloud metadata, DNS)."""
    import ray  # noqa: F401  (make setup installs it: missing, the test fails rather than skips)
    recordings = tmp_path / "in"
    recordings.mkdir()
    shutil.copy(pyannote_sample / "sample.wav", recordings / "call.wav")
    run, connections = traced(["batch", str(recordings), str(tmp_path / "out"), "--engine", "ray", "--workers", "1"],
                              tmp_path, calls="socket,connect,sendto,sendmsg,sendmmsg")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "call.txt").exists()
    here, lookups = own_addresses(), route_lookups(tmp_path / "strace.log")
    elsewhere = [line for line in connections
                 if (m := re.search(r'inet_(?:addr\("|pton\(AF_INET6?, ")([^"]+)', line)) is None
                 or (m.group(1) not in here and tuple(re.match(r"(\d+) +connect\((\d+),", line).groups()) not in lookups)]
    assert elsewhere == [], "\n".join(elsewhere[:5])
    assert written_under(tmp_path, ".cache/Microsoft") == []
