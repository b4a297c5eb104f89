#!/usr/bin/env python3
"""Which clustering settings diarize real and synthetic speech best? A grid over pyannote's own pipeline.

Each recording with an RTTM in each folder is segmented and embedded once (pyannote's
training cache, as its own optimizer uses it), then clustered at every grid point:
linkage method × threshold × min_cluster_size × min_duration_off. Prints each folder's pooled DER (no
collar, overlap scored, inside NAME.uem where there is one) and, per folder, how many
recordings got the right number of speakers. The call sheet's speaker floor applies as
in `callscribe transcribe` when the settings keep it.

Usage: python tools/diarization_sweep.py FOLDER... [--config FILE] [--method centroid average …]
           [--threshold 0.6 0.7 …] [--min-cluster-size 3 12 …] [--min-duration-off 0 0.25 …]
   e.g. python tools/diarization_sweep.py samples/generated/ami/tune samples/generated/dev --config configs/stock.yaml
"""
from __future__ import annotations

import argparse
import itertools
import time
from dataclasses import replace
from pathlib import Path


def load_folder(folder: Path, settings) -> list[dict]:
    """pyannote file dicts (waveform kept: the training cache lives in them) with reference, UEM and floor."""
    import torch
    from pipeline.audio import SAMPLE_RATE, decode
    from pipeline.evaluation.metrics import load_rttm, load_uem
    from pipeline.structure.callsheet import load_call_sheet, sidecar_for
    from pipeline.transcribe import min_speakers

    files = []
    for rttm in sorted(folder.glob("*.rttm")):
        audio = rttm.with_suffix(".wav")
        sheet_path = sidecar_for(audio)
        sheet = load_call_sheet(sheet_path) if sheet_path else None
        uem = rttm.with_suffix(".uem")
        files.append({"waveform": torch.from_numpy(decode(audio).samples)[None], "sample_rate": SAMPLE_RATE,
                      "uri": rttm.stem, "reference": load_rttm(rttm), "scored": load_uem(uem) if uem.exists() else None,
                      "floor": min_speakers(sheet, settings.diarization)})
    if not files:
        raise SystemExit(f"no recordings with an RTTM in {folder} (run `make samples`)")
    return files


def score(pipeline, files: list[dict]) -> tuple[float, int, dict]:
    """Pooled DER, recordings with the right speaker count, and the pooled error seconds."""
    from pipeline.diarization.diarize import _turns
    from pipeline.evaluation.metrics import diarization_errors, error_rate, pooled_errors

    errors, right = [], 0
    for f in files:
        audio = {k: f[k] for k in ("waveform", "sample_rate", "uri")}
        audio.update({k: v for k, v in f.items() if k.startswith("training_cache/")})
        output = pipeline(audio, min_speakers=f["floor"])
        f.update({k: v for k, v in audio.items() if k.startswith("training_cache/")})
        turns = _turns(output.speaker_diarization)
        right += len({t.speaker for t in turns}) == len({t.speaker for t in f["reference"]})
        errors.append(diarization_errors(f["reference"], turns, f["scored"]))
    pooled = pooled_errors(errors)
    return error_rate(pooled), right, pooled


def score_as_configured(folders: list[Path], config: str | None) -> None:
    """Each folder's pooled DER for the diarization stage exactly as `callscribe transcribe` runs it."""
    from dev_calls import diarize_references
    from pipeline.config import load_settings
    from pipeline.diarization.diarize import Diarizer
    from pipeline.evaluation.metrics import diarization_errors, error_parts, error_rate, load_uem, pooled_errors

    settings = load_settings(config)
    diarizer = Diarizer(settings.diarization, settings.models_path)
    for folder in folders:
        errors, right, calls = [], 0, diarize_references(diarizer, settings, folder)
        for call in calls:
            uem = folder / f"{call.name}.uem"
            errors.append(diarization_errors(call.reference, call.diarization.turns,
                                             load_uem(uem) if uem.exists() else None))
            right += len({t.speaker for t in call.diarization.turns}) == len({t.speaker for t in call.reference})
        pooled = pooled_errors(errors)
        print(f"{folder}: {100 * error_rate(pooled):.1f} % ({error_parts(pooled)}), right count {right} of {len(calls)}",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--config", default=None, help="a callscribe YAML settings file, as `callscribe --config`")
    parser.add_argument("--threshold", type=float, nargs="+", default=None)
    parser.add_argument("--min-cluster-size", type=int, nargs="+", default=None)
    parser.add_argument("--min-duration-off", type=float, nargs="+", default=None)
    parser.add_argument("--method", nargs="+", default=None, help="pyannote linkage: centroid, average, ward …")
    parser.add_argument("--as-configured", action="store_true",
                        help="no grid: the whole diarization stage as configured, callscribe's steps included")
    args = parser.parse_args()
    if args.as_configured:
        return score_as_configured(args.folders, args.config)

    from pipeline.config import load_settings
    from pipeline.diarization.diarize import Diarizer
    from pipeline.evaluation.metrics import error_parts

    settings = load_settings(args.config)
    s = settings.diarization
    started = time.time()
    diarizer = Diarizer(replace(s, split_threshold=None, reassign_margin=None, merge_threshold=None),
                        settings.models_path)
    pipeline = diarizer.pipeline
    pipeline.training = True   # pyannote caches segmentation and embeddings in each file dict
    folders = {folder: load_folder(folder, settings) for folder in args.folders}
    grid = itertools.product(args.method or [s.clustering_method], args.threshold or [s.clustering_threshold],
                             args.min_cluster_size or [s.min_cluster_size], args.min_duration_off or [s.min_duration_off])
    print("| method, threshold, min_cluster_size, min_duration_off | "
          + " | ".join(f"{f} (DER, right count of {len(v)})" for f, v in folders.items()) + " |")
    print("| --- " * (len(folders) + 1) + "|")
    for method, threshold, mcs, off in grid:
        pipeline.instantiate({"segmentation": {"min_duration_off": off,
                                               **({} if pipeline._segmentation.model.specifications.powerset
                                                  else {"threshold": s.segmentation_threshold})},
                              "clustering": {"method": method, "threshold": threshold,
                                             "min_cluster_size": mcs}})
        cells = []
        for files in folders.values():
            der, right, pooled = score(pipeline, files)
            cells.append(f"{100 * der:.1f} % ({error_parts(pooled)}), {right}")
        print(f"| {method}, {threshold}, {mcs}, {off} | " + " | ".join(cells) + " |", flush=True)
    print(f"({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
