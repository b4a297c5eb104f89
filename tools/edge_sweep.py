#!/usr/bin/env python3
"""Choose the edge trim (diarization.edge_* in configs/default.yaml) on the development calls.

Diarizes every recording in samples/generated/dev/ that has an RTTM once, with the
configured settings but no edge trim, then trims the turns' quiet edges
(pipeline/diarization/edges.py) at every point of the grid and prints each call's diarization error
rate (no collar, overlap scored) and the mean. The held-out splits are never read
(pass --dev to score another folder).

Usage: python tools/edge_sweep.py [--reach 0.15,0.25,0.35] [--margin-db 1,2,3]
                                    [--floor-percentile 5,10] [--dev samples/generated/dev] [--config FILE]
"""
from __future__ import annotations

import argparse
import itertools
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "samples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reach", default="0.15,0.25,0.35", help="seconds an edge may move")
    parser.add_argument("--margin-db", default="1,2,3", help="dB above the noise floor that still counts as quiet")
    parser.add_argument("--floor-percentile", default="5,10", help="the noise floor: this percentile of frame levels")
    parser.add_argument("--dev", type=Path, default=HERE / "generated" / "dev")
    parser.add_argument("--config", default=None, help="a callscribe YAML settings file, as `callscribe --config`")
    args = parser.parse_args()

    from dataclasses import replace

    from dev_calls import diarize_references, print_header, print_row
    from pipeline.audio import SAMPLE_RATE, frame_levels
    from pipeline.config import load_settings
    from pipeline.diarization.diarize import Diarizer
    from pipeline.diarization.edges import trim_quiet_edges
    from pipeline.evaluation.metrics import diarization_error_rate

    settings = load_settings(args.config)
    # The sliver and pause rules are left out, as they were when the edge trim was chosen.
    diarizer = Diarizer(replace(settings.diarization, edge_reach=None, sliver_seconds=None, bridge_seconds=None),
                        settings.models_path)
    calls = [(c.name, c.reference, c.diarization.turns, frame_levels(c.samples, SAMPLE_RATE))
             for c in diarize_references(diarizer, settings, args.dev)]
    print_header("reach / margin / floor percentile", [name for name, *_ in calls])
    print_row("off", [diarization_error_rate(ref, turns) for _, ref, turns, _ in calls])
    floats = lambda text: [float(x) for x in text.split(",")]  # noqa: E731
    for reach, margin, percentile in itertools.product(floats(args.reach), floats(args.margin_db),
                                                       floats(args.floor_percentile)):
        print_row(f"{reach} s / {margin} dB / {percentile:g}",
                  [diarization_error_rate(ref, trim_quiet_edges(turns, levels, reach, margin, percentile))
                   for _, ref, turns, levels in calls])


if __name__ == "__main__":
    main()
