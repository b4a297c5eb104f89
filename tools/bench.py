#!/usr/bin/env python3
"""Benchmark: wall time, real-time factor and peak memory per stage, against bare faster-whisper.

For each length asked (default 5 and 60 minutes) a synthetic call is spoken by cycling
the turns of samples/calls/dev/briefing.yaml (generated into samples/generated/, not
committed; in samples/generated/bench/). It runs callscribe's pipeline on it and then, in
a process of its own, on the same audio with the same model and recognition options,
faster-whisper alone: what a user would otherwise run. Prints a table; writes
samples/generated/bench/bench-MODEL-LENGTHS.json.

Usage: python tools/bench.py [--minutes 5 60] [--asr-model base] [--config FILE]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import threading
import time
from pathlib import Path

import yaml

import pipeline  # noqa: F401  (its heaps set, pipeline/memory.py, before numpy starts its threads)

HERE = Path(__file__).resolve().parent.parent / "samples"
sys.path.insert(0, str(HERE))
from make_calls import speak_script  # noqa: E402

GENERATED = HERE / "generated" / "bench"  # apart from the reference set that `make eval` reads


def long_call(minutes: int) -> Path:
    GENERATED.mkdir(parents=True, exist_ok=True)
    path = GENERATED / f"bench-{minutes}min.wav"
    if path.exists():
        return path
    script = yaml.safe_load((HERE / "calls" / "dev" / "briefing.yaml").read_text())
    one_pass = 155  # seconds of speech in one pass of the briefing's turns (measured)
    turns = script["turns"] * max(1, round(minutes * 60 / one_pass))
    return speak_script({**script, "turns": turns, "call_sheet": None}, path.stem, GENERATED)


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class MemorySampler:
    """Peak resident memory of this process per stage, sampled every 20 ms on a thread."""

    def __init__(self) -> None:
        self.stage, self.peaks = "start", {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.record()

    def record(self) -> None:
        self.peaks[self.stage] = max(self.peaks.get(self.stage, 0.0), rss_mb())

    def set_stage(self, stage: str) -> None:
        self.record()
        self.stage = stage
        self.record()

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.record()


def bench(minutes: int, settings, bare: bool = True) -> dict:
    from pipeline.audio import decode
    from pipeline.render.writers import render
    from pipeline.transcribe import Transcriber

    path = long_call(minutes)
    transcriber = Transcriber(settings)
    with MemorySampler() as memory:
        memory.set_stage("decode")
        audio = decode(path)
        started = time.perf_counter()
        transcript = transcriber.transcribe_audio(audio, on_stage=memory.set_stage)
        memory.set_stage("rendering")
        rendering = time.perf_counter()
        for fmt in ("txt", "json", "srt", "vtt", "rttm"):
            render(transcript, fmt, transcriber.style)
        finished = time.perf_counter()
    t = transcript.timings
    seconds = {"decode": t["decode"], "diarization": t["diarization"], "recognition": t["recognition"],
               "everything else": t.get("second look", 0) + t["roles"] + t["alignment"] + finished - rendering}
    peaks = memory.peaks
    together = peaks.get("diarization and recognition")  # overlapped: one peak for both
    peak = {"decode": peaks["decode"], "diarization": peaks.get("diarization", together),
            "recognition": peaks.get("recognition", together),
            "everything else": max(peaks.get("second look", 0), peaks["roles"], peaks["alignment"], peaks["rendering"])}
    stages = {name: {"seconds": seconds[name], "peak_rss_mb": peak[name]} for name in seconds}
    stages["pipeline end to end"] = {"seconds": t["decode"] + finished - started, "peak_rss_mb": max(peaks.values())}
    del transcript

    if bare:
        stages["bare faster-whisper"] = bare_in_own_process(path, transcriber)
    for stage in stages.values():
        stage["rtf"] = stage["seconds"] / audio.duration
    over = stages["pipeline end to end"]["seconds"] / stages["bare faster-whisper"]["seconds"] if bare else None
    return {"minutes": round(audio.duration / 60, 1), "pipeline_over_bare": over,
            "threads": dataclasses.asdict(transcriber.threads), "stages": stages}


def bare_in_own_process(path: Path, transcriber) -> dict:
    """Bare faster-whisper on `path`, timed in a fresh process.

    In the pipeline's process the bare run's time depended on what ran before it (21 s
    after the overlapped stages, 30 s after the stages in turn, same 5.4 minutes; the cause
    was not found). A process of its own gives every run the same start.
    """
    import subprocess
    job = {"path": str(path), "model": str(transcriber.recognizer.model_path), "device": transcriber.device,
           "compute_type": transcriber.compute_type, "asr": dataclasses.asdict(transcriber.settings.asr)}
    done = subprocess.run([sys.executable, __file__, "--bare-job", json.dumps(job)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout.splitlines()[-1])


def bare_job(job: dict) -> None:
    """Runs in the child process of bare_in_own_process: prints {"seconds", "peak_rss_mb"}."""
    from faster_whisper import WhisperModel
    from pipeline.audio import decode
    from pipeline.config import AsrSettings
    from pipeline.recognition.recognize import decoding_options
    audio, asr = decode(job["path"]), AsrSettings(**job["asr"])
    model = WhisperModel(job["model"], device=job["device"], compute_type=job["compute_type"],
                         cpu_threads=asr.cpu_threads)
    with MemorySampler() as memory:
        memory.set_stage("bare")
        started = time.perf_counter()
        segments, _ = model.transcribe(audio.samples, **decoding_options(asr))
        sum(len(seg.words or []) for seg in segments)
        seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_rss_mb": memory.peaks["bare"]}))


def throughput(job_counts: list[int]) -> list[dict]:
    """Files per hour of `callscribe batch --jobs N` over the development calls (copied 2x)."""
    import shutil
    import subprocess
    import tempfile
    calls = sorted((HERE / "generated" / "dev").glob("*.wav"))
    if not calls:
        raise SystemExit("no calls in samples/generated/dev (run `make samples`)")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        recordings = Path(tmp) / "in"
        recordings.mkdir()
        for copy in range(2):
            for call in calls:
                shutil.copyfile(call, recordings / f"{call.stem}-{copy}.wav")
        minutes = sum(len(call.read_bytes()) / 32000 / 60 for call in calls) * 2
        for jobs in job_counts:
            out = Path(tmp) / f"out-{jobs}"
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pipeline.cli", "batch", str(recordings), str(out),
                            "--jobs", str(jobs), "--quiet"], check=True)
            hours = (time.perf_counter() - started) / 3600
            results.append({"jobs": jobs, "files": 2 * len(calls), "audio_minutes": round(minutes, 1),
                            "files_per_hour": round(2 * len(calls) / hours, 1),
                            "audio_hours_per_hour": round(minutes / 60 / hours, 2)})
    return results


def print_run(run: dict, settings, machine: str) -> dict:
    """One run's table, in Markdown."""
    ratio = "" if run["pipeline_over_bare"] is None else f" (pipeline / bare faster-whisper: {run['pipeline_over_bare']:.2f}x)"
    print(f"\n{run['minutes']} min call, {settings.asr.model}, {machine}{ratio}")
    if run["threads"]["overlap"]:
        print("(diarization runs alongside recognition: end to end is less than the sum of the stages)")
    print("| stage | seconds | RTF | peak RSS (MB) |\n| --- | --- | --- | --- |")
    for stage, r in run["stages"].items():
        print(f"| {stage} | {r['seconds']:.1f} | {r['rtf']:.3f} | {r['peak_rss_mb']:.0f} |")
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, nargs="*", default=[5, 60])
    parser.add_argument("--asr-model", default=None)
    parser.add_argument("--config", default=None, help="a callscribe YAML settings file, as `callscribe --config`")
    parser.add_argument("--bare-job", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--no-bare", action="store_true", help="skip bare faster-whisper (memory runs on very long calls)")
    parser.add_argument("--jobs", type=int, nargs="*", default=[],
                        help="also measure batch throughput (files per hour) with these --jobs counts")
    args = parser.parse_args()
    if args.bare_job:
        return bare_job(json.loads(args.bare_job))
    from pipeline.config import load_settings
    from pipeline.recognition.recognize import cuda_available
    overrides = {"asr": {"model": args.asr_model}} if args.asr_model else {}
    settings = load_settings(args.config, overrides=overrides or None)
    machine = f"{os.cpu_count()} cores"
    results = {"machine": machine, "asr_model": settings.asr.model, "runs": []}
    for minutes in args.minutes:
        results["runs"].append(print_run(bench(minutes, settings, bare=not args.no_bare), settings, machine))
    # The GPU path (float16, faster-whisper's batched pipeline) on the first length, where there is a GPU.
    if args.minutes and cuda_available():
        gpu = load_settings(args.config, overrides={"asr": {**overrides.get("asr", {}), "device": "cuda"}})
        results["gpu"] = print_run(bench(args.minutes[0], gpu, bare=not args.no_bare), gpu, "CUDA GPU")
    elif args.minutes:
        results["gpu"] = None
        print("\nGPU (--device cuda: float16, batched recognition): not measured, "
              "no CUDA GPU visible to CTranslate2 and torch here")
    if args.jobs:
        results["throughput"] = throughput(args.jobs)
        print(f"\nbatch throughput, {settings.asr.model} (configs default), {machine}")
        print("| --jobs | files | audio minutes | files per hour | audio hours per hour |\n| --- | --- | --- | --- | --- |")
        for r in results["throughput"]:
            print(f"| {r['jobs']} | {r['files']} | {r['audio_minutes']} | {r['files_per_hour']} | {r['audio_hours_per_hour']} |")
    GENERATED.mkdir(parents=True, exist_ok=True)
    lengths = "-".join(f"{m}min" for m in args.minutes) or "throughput"
    out = GENERATED / f"bench-{Path(settings.asr.model).name}-{lengths}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
