#!/usr/bin/env python3
"""Sweep the review page's recognizer-confidence mark over transcripts already made.

Transcribe a reference split once, keeping the JSON:

    .venv/bin/callscribe batch samples/generated/hard-dev /tmp/marks/hard-dev --formats json

then score the marks (structure/doubts.py) at each threshold against the references
(NAME.ref.txt beside each recording), as `callscribe eval` does at the configured one:

    .venv/bin/python tools/doubt_sweep.py samples/generated/hard-dev /tmp/marks/hard-dev --thresholds 0.3 0.4 0.5

It sweeps the mark made without a second reading (`review.unsure_probability`). Prints,
per threshold: the share of the recognizer's errors at a marked word (recall), the
share of marked words at an error (precision), and the share of words marked.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.config import ReviewSettings
from pipeline.evaluation.house import read_house
from pipeline.evaluation.metrics import review_marks
from pipeline.render.reader import read_transcript
from pipeline.structure.doubts import mark_doubts
from pipeline.structure.text import normalize_words


def counts(split: Path, outputs: Path, threshold: float) -> list[int]:
    total = [0] * 5
    for made in sorted(outputs.glob("*.json")):
        reference = split / f"{made.stem}.ref.txt"
        if not reference.exists():
            continue
        transcript = read_transcript(made)
        mark_doubts(transcript, ReviewSettings(unsure_probability=threshold))   # no second reading
        ref = [w for t in read_house(reference).turns for w in normalize_words(t.text) if w != "inaudible"]
        total = [a + b for a, b in zip(total, review_marks(ref, transcript.words))]
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("split", type=Path)
    parser.add_argument("outputs", type=Path)
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.2, 0.3, 0.4, 0.5, 0.6, 0.7])
    args = parser.parse_args()
    print("| threshold | errors marked | precision | words marked | errors | words |")
    print("| --- | --- | --- | --- | --- | --- |")
    for threshold in args.thresholds:
        caught, errors, right, marked, words = counts(args.split, args.outputs, threshold)
        print(f"| {threshold:.2f} | {100 * caught / max(errors, 1):.1f} % | {100 * right / max(marked, 1):.1f} % "
              f"| {100 * marked / max(words, 1):.1f} % | {errors} | {words} |")


if __name__ == "__main__":
    main()
