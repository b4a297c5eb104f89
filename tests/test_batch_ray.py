"""`callscribe batch --engine ray`: the same outputs, report and exit code as the local batch,
on a Ray cluster that this module starts (`ray.init(num_cpus=2)`) and the command line joins;
a worker process killed mid-recording costs nothing but time."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
FAST = ("--asr-model", "tiny.en", "--formats", "txt,json,srt,vtt,rttm")
RUN_METADATA = ("timings",)   # the only JSON key that differs between two runs: seconds per stage
BUSY_WORKER = "ray::RayWorker.transcribe"   # Ray's process title for an actor inside transcribe()


def ffmpeg(*args) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *map(str, args)], check=True)


@pytest.fixture(scope="module")
def recordings(synthetic_calls, tmp_path_factory) -> Path:
    """Four short calls (4 s each: the engine is under test, not recognition) and a broken file."""
    d = tmp_path_factory.mktemp("recordings")
    for name, start in (("foundation", 0), ("briefing", 0), ("press_call", 0), ("question_line", 5)):
        ffmpeg("-ss", start, "-t", 4, "-i", synthetic_calls / f"{name}.wav", d / f"{name}.{'mp3' if start else 'wav'}")
    data = (synthetic_calls / "foundation.wav").read_bytes()
    (d / "broken.wav").write_bytes(data[: len(data) // 50])
    return d


@pytest.fixture(scope="module")
def cluster() -> str:
    """A local Ray cluster for the module; the command line joins it with --address."""
    import ray  # make setup installs it (the [ray] extra): missing, the tests fail rather than skip
    import pipeline  # noqa: F401  (turns Ray's usage stats off before the cluster starts)
    os.environ["RAY_worker_niceness"] = "0"   # as the private cluster: not behind the other tests at nice 15
    context = ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield context.address_info["gcs_address"]
    ray.shutdown()


def batch(*args, wait: bool = True):
    command = [sys.executable, "-m", "pipeline.cli", "batch", *map(str, args), *FAST]
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)


def report(out: Path) -> dict:
    return json.loads((out / "batch-report.json").read_text())


def statuses(out: Path) -> dict[str, tuple[str, str]]:
    return {r["name"]: (r["status"], r["reason"]) for r in report(out)["recordings"]}


def outputs(out: Path) -> dict[str, bytes | dict]:
    """Every output file; a JSON transcript parsed, less its run metadata."""
    found = {}
    for path in sorted(out.iterdir()):
        if path.name.startswith((".", "batch-report")):
            continue
        if path.suffix == ".json":
            found[path.name] = {k: v for k, v in json.loads(path.read_text()).items() if k not in RUN_METADATA}
        else:
            found[path.name] = path.read_bytes()
    return found


@pytest.fixture(scope="module")
def local_run(recordings, tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("local") / "out"
    return out, batch(recordings, out, "--engine", "local", "-j", "2")


def test_ray_writes_what_local_writes(recordings, cluster, local_run, tmp_path):
    local_out, local = local_run
    out = tmp_path / "out"
    result = batch(recordings, out, "--engine", "ray", "--address", cluster, "--workers", "2")
    assert result.returncode == local.returncode == 1, result.stderr
    assert statuses(out) == statuses(local_out)
    assert statuses(out)["broken"][0] == "failed" and "truncated" in statuses(out)["broken"][1]
    assert "FAILED broken" in result.stderr and "[4 done, 1 failed, 0 remaining]" in result.stderr
    ray_files, local_files = outputs(out), outputs(local_out)
    assert len(ray_files) == 4 * 5
    assert ray_files == local_files
    assert not list(out.glob(".*.part"))


def busy_workers() -> list[int]:
    """Process ids of the actors now transcribing a recording."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "cmdline").read_bytes().startswith(BUSY_WORKER.encode()):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_a_killed_worker_costs_nothing_but_time(recordings, cluster, local_run, tmp_path):
    out = tmp_path / "out"
    run = batch(recordings, out, "--engine", "ray", "--address", cluster, "--workers", "2", wait=False)
    deadline = time.time() + 240
    while not (busy := busy_workers()):   # a worker partway through a recording
        assert run.poll() is None and time.time() < deadline, run.communicate()[1]
        time.sleep(0.1)
    time.sleep(0.5)
    os.kill(busy[0], signal.SIGKILL)
    _, stderr = run.communicate(timeout=300)
    assert run.returncode == 1, stderr   # the broken file, as locally: nothing else failed
    assert [r for r, (status, _) in statuses(out).items() if status == "failed"] == ["broken"]
    assert outputs(out) == outputs(local_run[0])   # every output complete, the killed one's redone
    assert not list(out.glob(".*.part"))

    again = batch(recordings, out, "--engine", "ray", "--address", cluster)
    assert again.returncode == 0, again.stderr
    assert (report(out)["done"], report(out)["skipped"]) == (0, 5)


def test_without_ray_the_engine_says_how_to_install_it(recordings, tmp_path):
    hidden = tmp_path / "no-ray"
    hidden.mkdir()
    (hidden / "ray.py").write_text("raise ImportError('No module named ray')\n")
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "batch", str(recordings), str(tmp_path / "out"),
                             "--engine", "ray"], capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(hidden)})
    assert result.returncode == 69
    assert result.stderr.strip().splitlines() == [
        "callscribe: error: --engine ray needs Ray: pip install 'callscribe[ray]' (or make setup)"]
    assert not (tmp_path / "out").exists()


def test_an_option_of_the_other_engine_is_refused(recordings, tmp_path):
    for args in (["--workers", "2"], ["--engine", "ray", "-j", "2"]):
        result = subprocess.run([sys.executable, "-m", "pipeline.cli", "batch", str(recordings), str(tmp_path / "out"),
                                 *args], capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 2 and "--engine" in result.stderr
    assert not (tmp_path / "out").exists()
