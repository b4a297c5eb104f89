#!/usr/bin/env python3
"""False corrections of the vocabulary step (pipeline/structure/vocabulary.py) on text that is
already right: the published transcripts in samples/transcripts, each turn's words passed
through `correct_terms` with the glossary and its call's officials, per score threshold.

Every change there rewrites a word the office published, so it is a false correction (or a
misspelling in the published text: the examples are printed to read). The term accuracy that
the threshold buys is read with `callscribe eval` (its "terms right" column) on the splits.

Usage: python tools/vocabulary_sweep.py [--thresholds 0.8 0.85 0.9] [--examples 10]
"""
from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import replace
from pathlib import Path

from pipeline.config import load_settings
from pipeline.evaluation.house import parse_house
from pipeline.structure.vocabulary import correct_terms, terms_for
from pipeline.types import Word

TRANSCRIPTS = Path(__file__).resolve().parent.parent / "samples" / "transcripts"


def published_words() -> list[list[Word]]:
    """Each published paragraph as recognizer-like words (times are word positions)."""
    paragraphs = []
    for path in sorted(TRANSCRIPTS.glob("*.txt")):
        for turn in parse_house(path.read_text(encoding="utf-8")).turns:
            for text in turn.paragraphs:
                paragraphs.append([Word(" " + t, i, i + 0.5, 0.9) for i, t in enumerate(text.split())])
    return paragraphs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.8, 0.85, 0.9, 0.95])
    parser.add_argument("--examples", type=int, default=10)
    args = parser.parse_args()
    settings = load_settings().vocabulary
    paragraphs = published_words()
    words = sum(len(p) for p in paragraphs)
    terms = terms_for(None, settings)
    print(f"{len(paragraphs)} published paragraphs, {words} words, {len(terms)} glossary terms\n")
    print("| threshold | corrections | per 1,000 words | most frequent (heard -> written) |")
    print("| --- | --- | --- | --- |")
    for threshold in args.thresholds:
        tuned = replace(settings, threshold=threshold)
        changes = Counter()
        for paragraph in paragraphs:
            for c in correct_terms(paragraph, terms, tuned)[1]:
                changes[f"{c.heard} -> {c.written} ({c.score:.2f})"] += 1
        total = sum(changes.values())
        common = "; ".join(f"{k} ×{n}" for k, n in changes.most_common(args.examples))
        print(f"| {threshold} | {total} | {1000 * total / words:.2f} | {common} |")


if __name__ == "__main__":
    main()
