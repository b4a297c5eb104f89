#!/usr/bin/env python3
"""Benchmark: wall time, real-time factor and peak memory per stage, against bare faster-whisper.

For each length asked (default 5 and 60 minutes) a synthetic call is spoken by cycling
the turns of samples/calls/briefing.yaml (generated into samples/generated/, not
committed; in samples/generated/bench/). The same process then runs callscribe's pipeline and, on the same audio
with the same model and recognition options, faster-whisper alone: what a user would
otherwise run. Prints a table; writes samples/generated/bench/bench.json.

Usage: python samples/bench.py [--minutes 5 60] [--asr-model base]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_calls import speak_script  # noqa: E402

GENERATED = HERE / "generated" / "bench"  # apart from the reference set that `make eval` reads


def long_call(minutes: int) -> Path:
    GENERATED.mkdir(parents=True, exist_ok=True)
    path = GENERATED / f"bench-{minutes}min.wav"
    if path.exists():
        return path
    script = yaml.safe_load((HERE / "calls" / "briefing.yaml").read_text())
    one_pass = 155  # seconds of speech in one pass of the briefing's turns (measured)
    turns = script["turns"] * max(1, round(minutes * 60 / one_pass))
    return speak_script({**script, "turns": turns, "call_sheet": None}, path.stem, GENERATED)


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def measured(results: dict, stage: str):
    """Wall time and peak resident memory of the process during the stage (sampled every 20 ms)."""
    peak = [rss_mb()]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.02):
            peak[0] = max(peak[0], rss_mb())
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    try:
        yield
    finally:
        stop.set()
        sampler.join()
        results[stage] = {"seconds": time.perf_counter() - started, "peak_rss_mb": max(peak[0], rss_mb())}


def bench(minutes: int, settings) -> dict:
    from faster_whisper import WhisperModel
    from pipeline.audio import SAMPLE_RATE, decode
    from pipeline.render import render
    from pipeline.transcribe import Transcriber

    path = long_call(minutes)
    stages: dict = {}
    transcriber = Transcriber(settings)
    with measured(stages, "decode"):
        audio = decode(path)
    duration = audio.duration
    with measured(stages, "diarization"):
        transcriber.diarizer.diarize(audio.samples, SAMPLE_RATE, path.stem)
    with measured(stages, "recognition"):
        words = [w for seg in transcriber.recognizer.recognize(audio.samples) for w in seg.words]
    with measured(stages, "pipeline end to end"):
        transcript = transcriber.transcribe_audio(audio)
        for fmt in ("txt", "json", "srt", "vtt", "rttm"):
            render(transcript, fmt, transcriber.style)
    everything_else = transcript.timings.get("roles", 0) + transcript.timings.get("alignment", 0)
    stages["everything else"] = {"seconds": everything_else, "peak_rss_mb": None}

    s = settings.asr
    model = WhisperModel(transcriber.recognizer.model_path, device=transcriber.device,
                         compute_type=transcriber.compute_type, cpu_threads=s.cpu_threads)
    with measured(stages, "bare faster-whisper"):
        segments, _ = model.transcribe(audio.samples, language=s.language, beam_size=s.beam_size,
                                       word_timestamps=True, condition_on_previous_text=s.condition_on_previous_text)
        bare_words = sum(len(seg.words or []) for seg in segments)
    for stage in stages.values():
        stage["rtf"] = stage["seconds"] / duration
    return {"minutes": round(duration / 60, 1), "words": len(words), "bare_words": bare_words,
            "pipeline_over_bare": stages["pipeline end to end"]["seconds"] / stages["bare faster-whisper"]["seconds"],
            "stages": stages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, nargs="+", default=[5, 60])
    parser.add_argument("--asr-model", default=None)
    args = parser.parse_args()
    from pipeline.config import load_settings
    settings = load_settings(overrides={"asr": {"model": args.asr_model}} if args.asr_model else None)
    results = {"machine": f"{os.cpu_count()} cores", "asr_model": settings.asr.model, "runs": []}
    for minutes in args.minutes:
        run = bench(minutes, settings)
        results["runs"].append(run)
        print(f"\n{run['minutes']} min call, {settings.asr.model}, {os.cpu_count()} cores "
              f"(pipeline / bare faster-whisper: {run['pipeline_over_bare']:.2f}x)")
        print("| stage | seconds | RTF | peak RSS (MB) |\n| --- | --- | --- | --- |")
        for stage, r in run["stages"].items():
            peak = "–" if r["peak_rss_mb"] is None else f"{r['peak_rss_mb']:.0f}"
            print(f"| {stage} | {r['seconds']:.1f} | {r['rtf']:.3f} | {peak} |")
    GENERATED.mkdir(parents=True, exist_ok=True)
    (GENERATED / "bench.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
