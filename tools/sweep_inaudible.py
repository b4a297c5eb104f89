#!/usr/bin/env python3
"""Sweep the (inaudible) thresholds on the synthetic calls: recall and precision per setting.

The masked-noise stretches use the settings in configs/house.yaml throughout.

Runs diarization and recognition once per call (the settings of configs/default.yaml),
then re-marks the words for each threshold pair. Usage: python tools/sweep_inaudible.py
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

from pipeline.audio import SAMPLE_RATE, decode
from pipeline.config import load_settings
from pipeline.structure.inaudible import mark_inaudible, masked_stretches
from pipeline.evaluation.metrics import inaudible_recall_precision, normalize_words
from pipeline.transcribe import Transcriber

GENERATED = Path(__file__).resolve().parent.parent / "samples" / "generated" / "dev"  # tune on the development split only


def main() -> None:
    transcriber = Transcriber(load_settings())
    calls = []
    for ref_path in sorted(GENERATED.glob("*.ref.json")):
        name = ref_path.name.removesuffix(".ref.json")
        audio = decode(GENERATED / f"{name}.wav")
        diarization = transcriber.diarizer.diarize(audio.samples, SAMPLE_RATE, name)
        words = [w for seg in transcriber.recognizer.recognize(audio.samples) for w in seg.words]
        reference = [w for t in json.loads(ref_path.read_text())["turns"] for w in normalize_words(t["text"])]
        style = transcriber.style.inaudible
        masked = masked_stretches(audio.samples, style["noise_flatness"], style["noise_min_seconds"])
        calls.append((reference, words, diarization.exclusive, masked))
    print("max_probability  min_gap  markers  recall  precision   (all calls together)")
    for probability in (0.02, 0.05, 0.1, 0.2):
        for gap in (0.5, 1.0, 1.5):
            found = spots = right = markers = 0
            for reference, words, turns, masked in calls:
                marked = mark_inaudible(copy.deepcopy(words), turns, probability, 1, gap, masked)
                hypothesis = [x for w in marked for x in normalize_words(w.text)]
                recall, precision = inaudible_recall_precision(reference, hypothesis)
                n_ref, n_hyp = reference.count("inaudible"), hypothesis.count("inaudible")
                found, spots = found + recall * n_ref, spots + n_ref
                right, markers = right + precision * n_hyp, markers + n_hyp
            print(f"{probability:>15}  {gap:>7}  {markers:>7}  {found / max(spots, 1):>6.2f}  "
                  f"{right / max(markers, 1):>9.2f}")


if __name__ == "__main__":
    main()
