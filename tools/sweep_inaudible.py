#!/usr/bin/env python3
"""Sweep the (inaudible) thresholds on synthetic calls: recall and precision per setting.

Runs diarization and recognition once per call (the settings of configs/default.yaml),
then re-marks the words for each point of the grid: the masked-noise flatness, the
word probability and the wordless gap. Tune on a development folder only.
Usage: python tools/sweep_inaudible.py [FOLDER]   (default: samples/generated/dev)
"""
from __future__ import annotations

import copy
import itertools
import json
import sys
from pathlib import Path

from pipeline.audio import SAMPLE_RATE, decode
from pipeline.config import load_settings
from pipeline.structure.inaudible import mark_inaudible, masked_stretches
from pipeline.evaluation.metrics import inaudible_recall_precision, normalize_words
from pipeline.transcribe import Transcriber

GENERATED = Path(__file__).resolve().parent.parent / "samples" / "generated" / "dev"  # tune on the development split only


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else GENERATED
    transcriber = Transcriber(load_settings())
    calls = []
    for ref_path in sorted(folder.glob("*.ref.json")):
        name = ref_path.name.removesuffix(".ref.json")
        audio = decode(folder / f"{name}.wav")
        diarization = transcriber.diarizer.diarize(audio.samples, SAMPLE_RATE, name)
        words = [w for seg in transcriber.recognizer.recognize(audio.samples) for w in seg.words]
        reference = [w for t in json.loads(ref_path.read_text())["turns"] if not t.get("backchannel")
                     for w in normalize_words(t["text"])]
        style = transcriber.style.inaudible
        masked = {f: masked_stretches(audio.samples, f, style["noise_min_seconds"], style["noise_loudness_percentile"]) for f in (0.3, 0.4, 0.5, 0.6)}
        calls.append((reference, words, diarization.exclusive, masked))
    print("flatness  max_probability  min_gap  markers  recall  precision   (all calls together)")
    for flatness, probability, gap in itertools.product((0.3, 0.4, 0.5, 0.6), (0.01, 0.02, 0.05), (1.0, 1.5, 2.0)):
        found = spots = right = markers = 0
        for reference, words, turns, masked in calls:
            marked = mark_inaudible(copy.deepcopy(words), turns, probability, 1, gap, masked[flatness])
            hypothesis = [x for w in marked for x in normalize_words(w.text)]
            recall, precision = inaudible_recall_precision(reference, hypothesis)
            n_ref, n_hyp = reference.count("inaudible"), hypothesis.count("inaudible")
            found, spots = found + recall * n_ref, spots + n_ref
            right, markers = right + precision * n_hyp, markers + n_hyp
        print(f"{flatness:>8}  {probability:>15}  {gap:>7}  {markers:>7}  {found / max(spots, 1):>6.2f}  "
              f"{right / max(markers, 1):>9.2f}")


if __name__ == "__main__":
    main()
