#!/usr/bin/env python3
"""Throughput of `callscribe batch --engine ray` with 1 and 2 workers (and of the local
engine with -j 1 and -j 2, for comparison) over the same folder, in one run.

The folder is made once from the synthetic development calls (samples/generated/dev,
spoken by `make samples`): the first SECONDS of each, into samples/generated/throughput/.
Each run is a fresh `callscribe batch ... --force` into a folder of its own, timed from
start to exit, model loading and (for Ray) starting the private local cluster included:
what a user waits for. Prints a table: recordings per minute and audio minutes per minute.

Usage: python tools/ray_throughput.py [--seconds 60] [--asr-model base] [--no-local] [--address ADDR] [--folder DIR]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "samples" / "generated" / "dev"
FOLDER = ROOT / "samples" / "generated" / "throughput"


def folder(seconds: int, where: Path) -> Path:
    """The first `seconds` of every development call (made once per length)."""
    out = where / f"{seconds}s"
    calls = sorted(DEV.glob("*.wav"))
    if not calls:
        sys.exit(f"no calls in {DEV}: run `make samples` first")
    out.mkdir(parents=True, exist_ok=True)
    for call in calls:
        if not (out / call.name).exists():
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-t", str(seconds), "-i", str(call), str(out / call.name)],
                           check=True)
    return out


def audio_minutes(recordings: Path) -> float:
    total = 0.0
    for path in sorted(recordings.glob("*.wav")):
        probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
                               capture_output=True, text=True, check=True)
        total += float(json.loads(probe.stdout)["format"]["duration"])
    return total / 60


def timed_batch(recordings: Path, engine_args: list[str], model: str) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "pipeline.cli", "batch", str(recordings), out, "--force", "-q",
                              "--asr-model", model, *engine_args], capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        if run.returncode != 0:
            sys.exit(f"{' '.join(engine_args)} failed ({run.returncode}):\n{run.stderr}")
        return seconds, json.loads((Path(out) / "batch-report.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="Length cut from each development call.")
    parser.add_argument("--asr-model", default="base")
    parser.add_argument("--address", help="A Ray cluster to join (default: a private one on this machine).")
    parser.add_argument("--no-local", action="store_true", help="Only the Ray engine.")
    parser.add_argument("--folder", type=Path, default=FOLDER, help=f"Where the cut calls go (default {FOLDER}).")
    args = parser.parse_args()

    recordings = folder(args.seconds, args.folder)
    count, minutes = len(list(recordings.glob("*.wav"))), audio_minutes(recordings)
    ray = ["--engine", "ray"] + (["--address", args.address] if args.address else [])
    runs = [("ray, 1 worker", ray + ["--workers", "1"]), ("ray, 2 workers", ray + ["--workers", "2"])]
    if not args.no_local:
        runs += [("local, -j 1", ["-j", "1"]), ("local, -j 2", ["-j", "2"])]
    print(f"{count} recordings, {minutes:.1f} audio minutes ({recordings}), "
          f"--asr-model {args.asr_model}\n")
    print("| engine | wall s | recordings / min | audio min / min |")
    print("| --- | ---: | ---: | ---: |")
    for label, engine_args in runs:
        seconds, report = timed_batch(recordings, engine_args, args.asr_model)
        assert report["done"] == count, report
        print(f"| {label} | {seconds:.0f} | {count / seconds * 60:.1f} | {minutes / seconds * 60:.2f} |", flush=True)


if __name__ == "__main__":
    main()
