#!/usr/bin/env python3
"""How much reference speech does the segmentation model miss before any clustering?

pyannote's pipeline gives each frame at most as many speakers as the segmentation model
counts there (its "speaker_counting" step); the clustering only decides who they are.
So the speaker time missed by that count is missed speech no clustering setting wins
back. Prints, per folder (pooled over its recordings with an RTTM, inside NAME.uem): the
share of reference speaker time in overlap, missed by the count, and missed by the
diarization stage's output, and the output's DER with its parts.

Usage: python tools/segmentation_miss.py FOLDER... [--config FILE]
   e.g. python tools/segmentation_miss.py samples/generated/ami/tune --config configs/stock.yaml
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def frame_counts(turns, times: np.ndarray) -> np.ndarray:
    """How many of `turns` cover each of `times`."""
    counts = np.zeros(len(times), dtype=int)
    for t in turns:
        counts += (times >= t.start) & (times < t.end)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--config", default=None, help="a callscribe YAML settings file, as `callscribe --config`")
    args = parser.parse_args()

    from pipeline.audio import SAMPLE_RATE, decode
    from pipeline.config import load_settings
    from pipeline.diarization.diarize import Diarizer
    from pipeline.evaluation.metrics import diarization_errors, error_parts, error_rate, load_rttm, load_uem, pooled_errors

    settings = load_settings(args.config)
    diarizer = Diarizer(settings.diarization, settings.models_path)
    for folder in args.folders:
        speaker_frames = overlap_frames = count_missed = output_missed = 0
        errors = []
        for rttm in sorted(folder.glob("*.rttm")):
            seen = {}
            hook = lambda step, artefact, file=None, **_: seen.setdefault(step, artefact)  # noqa: E731
            output = diarizer.diarize(decode(rttm.with_suffix(".wav")).samples, SAMPLE_RATE, uri=rttm.stem, hook=hook)
            count = seen["speaker_counting"]
            frames = count.sliding_window
            times = np.array([frames[i].middle for i in range(len(count.data))])
            uem = rttm.with_suffix(".uem")
            scored, truth = (load_uem(uem) if uem.exists() else None), load_rttm(rttm)
            inside = np.any([(times >= a) & (times < b) for a, b in scored or [(0.0, times[-1] + 1)]], axis=0)
            reference = frame_counts(truth, times)[inside]
            counted = count.data[:, 0].astype(int)[inside]
            given = frame_counts(output.turns, times)[inside]
            speaker_frames += reference.sum()
            overlap_frames += reference[reference > 1].sum()
            count_missed += np.maximum(reference - counted, 0).sum()
            output_missed += np.maximum(reference - given, 0).sum()
            errors.append(diarization_errors(truth, output.turns, scored))
        pooled = pooled_errors(errors)
        share = lambda n: f"{100 * n / max(speaker_frames, 1):.1f} %"  # noqa: E731
        print(f"{folder}: speaker time in overlap {share(overlap_frames)}, missed by the segmentation's count "
              f"{share(count_missed)}, missed by the output {share(output_missed)}; "
              f"DER {100 * error_rate(pooled):.1f} % ({error_parts(pooled)})", flush=True)


if __name__ == "__main__":
    main()
