#!/usr/bin/env python3
"""Resident memory through diarization, step by step, on one recording.

Samples the process's resident memory every 20 ms while the configured diarizer runs,
and prints the peak of each step: pyannote's (segmentation, speaker count, embeddings and
the pooling of the shared partials inside them, clustering, reconstruction, annotation) and
callscribe's after them (split, merge), each followed by "after STEP", the stretch up to
the next step (pyannote's thresholding comes after segmentation, for example). Freed heap
memory is handed back at each step's start, so each peak is what that step needs on top
of what is kept; with --keep-free-memory it is not, between batches either
(pipeline/diarization/memory.py), as before that release existed. Run it alone: other jobs
on the same cores change the times.

Usage: python tools/memory_profile.py RECORDING [--keep-free-memory]
       (e.g. samples/generated/bench/bench-120min.wav, made by `make bench MINUTES=120`)
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench import MemorySampler  # noqa: E402

PIPELINE_STEPS = ("get_segmentations", "speaker_count", "get_embeddings", "reconstruct", "to_annotation")
DIARIZER_STEPS = ("split_partials", "split_voices", "merge_voices")
MODULE_STEPS = ("embed_partials", "pool_partials")   # inside get_embeddings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording", type=Path)
    parser.add_argument("--keep-free-memory", action="store_true", help="no malloc_trim between batches")
    args = parser.parse_args()

    import pipeline.diarization.diarize as diarize
    import pipeline.memory as memory_module
    from pipeline.audio import SAMPLE_RATE, decode
    from pipeline.config import load_settings
    from pipeline.threads import TorchThreads, available_cores

    if args.keep_free_memory:
        memory_module._TRIM = None
    settings = load_settings()
    with MemorySampler() as memory:
        audio = decode(args.recording)
        diarizer = diarize.Diarizer(settings.diarization, settings.models_path)
        TorchThreads(available_cores())()
        started, steps = time.monotonic(), {}

        def enter(step: str) -> None:
            memory_module.release_free_memory()
            memory.set_stage(step)
            steps.setdefault(step, time.monotonic() - started)

        def timed(function, name: str):
            def step(*args, **kwargs):
                enter(name)
                result = function(*args, **kwargs)
                enter(f"after {name}")
                return result
            return step

        for owner, names in ((diarizer.pipeline, PIPELINE_STEPS), (diarizer, DIARIZER_STEPS), (diarize, MODULE_STEPS)):
            for name in names:
                setattr(owner, name, timed(getattr(owner, name), name))
        clustering = diarizer.pipeline.clustering   # called, not a method: wrap its class's __call__
        type(clustering).__call__ = timed(type(clustering).__call__, "clustering")
        enter("loaded")
        diarizer.diarize(audio.samples, SAMPLE_RATE, args.recording.stem)
        enter("done")
    print(f"{args.recording.name}: {audio.duration / 60:.1f} minutes, "
          f"{'free memory kept' if args.keep_free_memory else 'free memory released'}")
    print("| step | starts at (s) | peak (MB) |\n| --- | --- | --- |")
    for step, at in steps.items():
        print(f"| {step} | {at:.1f} | {memory.peaks[step]:.0f} |")


if __name__ == "__main__":
    main()
