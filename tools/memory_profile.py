#!/usr/bin/env python3
"""Resident memory through diarization, step by step, on one recording.

Samples the process's resident memory every 20 ms while the configured diarizer runs,
and prints for each of pyannote's steps (and callscribe's split and edge trim after
them) when it started, the memory then, and its peak. With --keep-free-memory, freed
heap memory is not handed back between batches (pipeline/diarization/memory.py), as before that
release existed. Run it alone: other jobs on the same cores change the times.

Usage: python tools/memory_profile.py RECORDING [--keep-free-memory]
       (e.g. samples/generated/bench/bench-120min.wav, made by `make bench MINUTES=120`)
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench import MemorySampler  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording", type=Path)
    parser.add_argument("--keep-free-memory", action="store_true", help="no malloc_trim between batches")
    args = parser.parse_args()

    import pipeline.diarization.memory
    from pipeline.audio import SAMPLE_RATE, decode
    from pipeline.config import load_settings
    from pipeline.diarization.diarize import Diarizer
    from pipeline.threads import TorchThreads, available_cores

    if args.keep_free_memory:
        pipeline.diarization.memory._TRIM = None
    settings = load_settings()
    with MemorySampler() as memory:
        audio = decode(args.recording)
        diarizer = Diarizer(settings.diarization, settings.models_path)
        threads = TorchThreads(available_cores())
        threads()
        started, steps = time.monotonic(), {}

        def enter(step: str) -> None:
            if step != memory.stage:
                memory.set_stage(step)
                steps.setdefault(step, (time.monotonic() - started, memory.peaks[step]))

        def hook(step: str, *args, **kwargs) -> None:
            enter(step)
            threads()

        for name in ("split_partials", "split_voices", "merge_voices"):  # callscribe's own steps after pyannote's
            method = getattr(diarizer, name)
            setattr(diarizer, name, lambda *a, _m=method, _n=name, **k: (enter(_n), _m(*a, **k))[1])
        enter("loaded")
        diarizer.diarize(audio.samples, SAMPLE_RATE, args.recording.stem, hook=hook)
        enter("done")
    print(f"{args.recording.name}: {audio.duration / 60:.1f} minutes, "
          f"{'free memory kept' if args.keep_free_memory else 'free memory released'}")
    print("| step | starts at (s) | memory then (MB) | peak (MB) |\n| --- | --- | --- | --- |")
    for step, (at, then) in steps.items():
        print(f"| {step} | {at:.1f} | {then:.0f} | {memory.peaks[step]:.0f} |")


if __name__ == "__main__":
    main()
