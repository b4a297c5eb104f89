#!/usr/bin/env python3
"""Does each step callscribe adds after pyannote's pipeline pay, on real voices and synthetic calls alike?

Diarizes every recording with an RTTM in each folder once, with the given settings and
every added step off (pyannote's pipeline alone), then applies the turn-level steps of
pipeline/diarization/edges.py with the parameters of the settings (or of
configs/default.yaml as it was when they were chosen, if the settings turn them off),
alone and together, and prints each folder's pooled DER (no collar, overlap scored,
inside NAME.uem where there is one).

Usage: python tools/steps_on_real.py FOLDER... [--config FILE]
   e.g. python tools/steps_on_real.py samples/generated/ami/tune samples/generated/dev --config configs/stock.yaml
"""
from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

# The steps' parameters as they were chosen on the development calls (docs/settings.md).
CHOSEN = {"sliver_seconds": 0.5, "edge_reach": 0.25, "edge_margin_db": 2.0, "edge_floor_percentile": 5.0,
          "bridge_seconds": 0.6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--config", default=None, help="a callscribe YAML settings file, as `callscribe --config`")
    args = parser.parse_args()

    from dev_calls import diarize_references
    from pipeline.audio import SAMPLE_RATE, frame_levels
    from pipeline.config import load_settings
    from pipeline.diarization.diarize import Diarizer
    from pipeline.diarization.edges import absorb_slivers, bridge_pauses, trim_quiet_edges
    from pipeline.evaluation.metrics import diarization_errors, error_rate, load_uem

    settings = load_settings(args.config)
    s = settings.diarization
    p = {k: getattr(s, k) if getattr(s, k) is not None else v for k, v in CHOSEN.items()}
    bare = replace(s, split_threshold=None, reassign_margin=None, sliver_seconds=None, edge_reach=None,
                   bridge_seconds=None)
    diarizer = Diarizer(bare, settings.models_path)
    steps = {
        "pyannote alone": lambda t, lv: t,
        "+ slivers": lambda t, lv: absorb_slivers(t, p["sliver_seconds"]),
        "+ edge trim": lambda t, lv: trim_quiet_edges(t, lv, p["edge_reach"], p["edge_margin_db"],
                                                      p["edge_floor_percentile"]),
        "+ bridge": lambda t, lv: bridge_pauses(t, p["bridge_seconds"]),
    }
    steps["+ all three"] = lambda t, lv: steps["+ bridge"](steps["+ edge trim"](steps["+ slivers"](t, lv), lv), lv)

    print("| steps | " + " | ".join(str(f) for f in args.folders) + " |")
    print("| --- " * (len(args.folders) + 1) + "|")
    totals = {name: [] for name in steps}
    for folder in args.folders:
        pooled = {name: None for name in steps}
        for call in diarize_references(diarizer, settings, folder):
            levels = frame_levels(call.samples, SAMPLE_RATE)
            uem_path = folder / f"{call.name}.uem"
            uem = load_uem(uem_path) if uem_path.exists() else None
            for name, step in steps.items():
                errors = diarization_errors(call.reference, step(call.diarization.turns, levels), uem)
                pooled[name] = errors if pooled[name] is None else {k: pooled[name][k] + v for k, v in errors.items()}
        for name in steps:
            totals[name].append(f"{100 * error_rate(pooled[name]):.1f} %")
    for name, cells in totals.items():
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
