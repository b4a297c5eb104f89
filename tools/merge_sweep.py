#!/usr/bin/env python3
"""Choose diarization.merge_threshold on real and synthetic speech together.

Each recording with an RTTM in each folder is diarized once as configured but without
the merge (pipeline/diarization/merge_voices.py); then speakers are merged at every
threshold asked, from the speaker prints diarization shares (the merge encoder's
partials pooled per speaker). Prints each folder's pooled DER (no collar, overlap
scored, inside NAME.uem where there is one), its parts, and how many recordings got the
right number of speakers. Pass tuning folders only: the held-out ones are read once, at
the end, with `tools/diarization_sweep.py --as-configured`.

Usage: python tools/merge_sweep.py FOLDER... [--thresholds 0.5 0.55 0.6 …] [--config FILE]
"""
from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.5, 0.55, 0.6, 0.65, 0.7, 0.75])
    parser.add_argument("--config", default=None, help="a callscribe YAML settings file, as `callscribe --config`")
    args = parser.parse_args()
    from dev_calls import diarize_references
    from pipeline.config import load_settings
    from pipeline.diarization.diarize import Diarizer
    from pipeline.diarization.merge_voices import merge_alike, relabel
    from pipeline.evaluation.metrics import diarization_errors, error_parts, error_rate, load_uem, pooled_errors
    from pipeline.structure.callsheet import load_call_sheet, sidecar_for
    from pipeline.transcribe import min_speakers

    settings = load_settings(args.config)
    started = time.time()
    # A threshold no cosine reaches: the merge runs (its prints are kept) and merges no one.
    diarizer = Diarizer(replace(settings.diarization, merge_threshold=2.0), settings.models_path)
    folders = {}
    for folder in args.folders:
        calls = diarize_references(diarizer, settings, folder)
        for call in calls:
            sheet_path = sidecar_for(folder / f"{call.name}.wav")
            call.floor = min_speakers(load_call_sheet(sheet_path) if sheet_path else None, settings.diarization) or 1
            call.prints = diarizer.speaker_prints(call.diarization.exclusive, call.diarization.voice_partials,
                                                  call.samples)
            uem = folder / f"{call.name}.uem"
            call.scored = load_uem(uem) if uem.exists() else None
        folders[folder] = calls
    print(f"(diarized in {time.time() - started:.0f} s)")
    print("| merge_threshold | " + " | ".join(f"{f} (DER: missed/false alarm/confusion, right count of {len(c)})"
                                             for f, c in folders.items()) + " |")
    print("| --- " * (len(folders) + 1) + "|")
    for threshold in [None, *args.thresholds]:
        cells = []
        for calls in folders.values():
            errors, right = [], 0
            for call in calls:
                into = {} if threshold is None else merge_alike([call.prints], [threshold], call.floor)
                turns = relabel(call.diarization.turns, into)
                errors.append(diarization_errors(call.reference, turns, call.scored))
                right += len({t.speaker for t in turns}) == len({t.speaker for t in call.reference})
            pooled = pooled_errors(errors)
            cells.append(f"{100 * error_rate(pooled):.1f} % ({error_parts(pooled)}), {right}")
        print(f"| {'off' if threshold is None else threshold} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
