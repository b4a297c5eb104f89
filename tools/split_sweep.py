#!/usr/bin/env python3
"""Choose split_threshold, split_min_speech and reassign_margin (configs/default.yaml) on the development calls.

Diarizes every recording in samples/generated/dev/ that has an RTTM once, with the
configured pyannote settings, then applies the turn-level split (pipeline/diarization/split_voices.py)
at every point of the grid and prints each call's diarization error rate (no collar,
overlap scored), the mean, and the same without the split. The held-out splits are
never read.

Usage: python tools/split_sweep.py [--thresholds 0.14,0.15,...] [--min-speech 2.0,2.4,3.0]
                                     [--reassign-margins none,0,0.1] [--dev samples/generated/dev] [--config FILE]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent.parent / "samples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", default="0.14,0.15,0.16,0.165,0.17,0.18,0.19,0.2,0.22")
    parser.add_argument("--min-speech", default="2.0,2.4,3.0", help="seconds of clean speech for a turn to count")
    parser.add_argument("--reassign-margins", default=None,
                        help="margins for moving short turns, 'none' for off (default: the configured one)")
    parser.add_argument("--dev", type=Path, default=HERE / "generated" / "dev")
    parser.add_argument("--config", default=None, help="a callscribe YAML settings file, as `callscribe --config`")
    args = parser.parse_args()

    from dataclasses import replace

    from dev_calls import diarize_references, print_header, print_row
    from pipeline.audio import SAMPLE_RATE
    from pipeline.config import load_settings
    from pipeline.diarization.diarize import Diarizer
    from pipeline.evaluation.metrics import diarization_error_rate

    settings = load_settings(args.config)
    # Diarized once without the split (and the merge after it); here the split alone.
    diarizer = Diarizer(replace(settings.diarization, split_threshold=None, merge_threshold=None), settings.models_path)
    calls = []  # (name, reference, diarization, samples, waveform, partials)
    for call in diarize_references(diarizer, settings, args.dev):
        waveform = torch.from_numpy(call.samples.copy())
        calls.append((call.name, call.reference, call.diarization, call.samples, waveform,
                      diarizer.split_partials(waveform)))

    print_header("threshold / min speech / reassign margin", [name for name, *_ in calls])
    print_row("off", [diarization_error_rate(ref, d.turns) for _, ref, d, *_ in calls])
    margins = ([None if m == "none" else float(m) for m in args.reassign_margins.split(",")]
               if args.reassign_margins else [settings.diarization.reassign_margin])
    grid = [(float(t), float(s), m) for m in margins for s in args.min_speech.split(",") for t in args.thresholds.split(",")]
    for threshold, min_speech, margin in grid:
        diarizer.settings = replace(diarizer.settings, split_threshold=threshold, split_min_speech=min_speech,
                                    reassign_margin=margin)
        scores = []
        for _, ref, diarization, samples, waveform, partials in calls:
            split = diarizer.split_voices(diarization, partials, waveform, SAMPLE_RATE)
            scores.append(diarization_error_rate(ref, split.turns))
        print_row(f"{threshold} / {min_speech} s / {margin}", scores)


if __name__ == "__main__":
    main()
