"""What the sweep scripts share: the reference calls, diarized once, and the DER table they print."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.types import Turn


@dataclass
class DiarizedCall:
    name: str
    reference: list[Turn]
    samples: np.ndarray
    diarization: object          # pipeline.diarization.diarize.Diarization


def diarize_references(diarizer, settings, folder: Path) -> list[DiarizedCall]:
    """Every recording in `folder` with an RTTM, diarized as `callscribe` would (call sheet floor included)."""
    from pipeline.audio import SAMPLE_RATE, decode
    from pipeline.structure.callsheet import load_call_sheet, sidecar_for
    from pipeline.evaluation.metrics import load_rttm
    from pipeline.transcribe import min_speakers

    calls = []
    for rttm in sorted(folder.glob("*.rttm")):
        audio = rttm.with_suffix(".wav")
        sheet_path = sidecar_for(audio)
        sheet = load_call_sheet(sheet_path) if sheet_path else None
        samples = decode(audio).samples
        diarization = diarizer.diarize(samples, SAMPLE_RATE, rttm.stem,
                                       min_speakers=min_speakers(sheet, settings.diarization))
        calls.append(DiarizedCall(rttm.stem, load_rttm(rttm), samples, diarization))
    if not calls:
        raise SystemExit(f"no recordings with an RTTM in {folder} (run `make samples`)")
    return calls


def print_header(grid: str, names: list[str]) -> None:
    print(f"| {grid} | " + " | ".join(names) + " | mean |")
    print("| --- " * (len(names) + 2) + "|")


def print_row(label: str, scores: list[float]) -> None:
    """One grid point: each call's DER and their unweighted mean."""
    print(f"| {label} | " + " | ".join(f"{100 * x:.1f} %" for x in scores)
          + f" | {100 * sum(scores) / len(scores):.2f} % |")
