#!/usr/bin/env python3
"""Measure redaction's threshold: near-misses caught against words wrongly redacted.

Near-miss recall: the name spans the bundled Whisper models mis-heard
(tests/data/heard_names.json, made by tools/hear_names.py), each sentence redacted with a
call sheet holding that name; a span is caught when a redaction covers any of its words.
False redactions: the 39 published transcripts (samples/transcripts/), redacted with call
sheets of three names each; every redaction that is not the name itself, capitalized as
written there, is false. Reported per 10,000 words of one call sheet's pass.
Names alternate into a development half (threshold chosen there) and a held-out half.

Usage: python tools/redaction_sweep.py [--weights 0.5 0.7] [--thresholds 0.7 0.75 ...]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import re
from pathlib import Path

from pipeline.config import PROJECT_ROOT, load_settings
from pipeline.structure.callsheet import parse_call_sheet
from pipeline.structure.redact import _bare, find_names

HEARD = PROJECT_ROOT / "tests" / "data" / "heard_names.json"
TRANSCRIPTS = PROJECT_ROOT / "samples" / "transcripts"
SHEET_SIZE = 3  # briefers on a typical background call's sheet
TARGET = 1.0    # false redactions per 10,000 words


def sheet_of(names: list[str]):
    return parse_call_sheet({"officials": [{"name": n, "label": f"SENIOR OFFICIAL {i}"}
                                           for i, n in enumerate(names, 1)]})


def halves(names: list[str]) -> dict[str, list[str]]:
    return {"dev": names[0::2], "heldout": names[1::2]}


def misheard(records: list[dict]) -> list[dict]:
    """Heard spans that are neither the name as said nor empty (a dropped name has nothing to redact)."""
    return [r for r in records if r["heard"] and _bare(r["heard"].replace(" ", "")) != _bare(r["said"].replace(" ", ""))
            and "".join(_bare(w) for w in r["heard"].split()) != "".join(_bare(w) for w in r["said"].split())]


def caught(record: dict, settings) -> bool:
    words = record["sentence"].split()
    heard = record["heard"].split()
    at = next((i for i in range(len(words)) if words[i:i + len(heard)] == heard), None)
    if at is None:
        return False
    span = set(range(at, at + len(heard)))
    return any(span & set(range(m.start, m.end)) for m in find_names(words, sheet_of([record["name"]]), settings))


def false_redactions(texts: list[list[str]], names: list[str], settings) -> tuple[int, int, list[str]]:
    """(false redactions, words scanned, examples) over every transcript, sheets of SHEET_SIZE names."""
    false, scanned, examples = 0, 0, []
    for k in range(0, len(names), SHEET_SIZE):
        sheet = sheet_of(names[k:k + SHEET_SIZE])
        for words in texts:
            scanned += len(words)
            for m in find_names(words, sheet, settings):
                span = words[m.start:m.end]
                if m.score == 1.0 and span[0][:1].isupper():
                    continue  # the name itself, as the transcript writes it
                false += 1
                examples.append(f"{' '.join(span)} ~ {m.form.letters} ({m.score:.2f})")
    return false, scanned, examples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--weights", type=float, nargs="+", default=[0.5])
    ap.add_argument("--halves", nargs="+", default=["dev", "heldout"])
    ap.add_argument("--thresholds", type=float, nargs="+",
                    default=[0.7, 0.75, 0.8, 0.85, 0.9])
    ap.add_argument("--examples", action="store_true", help="print the false redactions and missed spans")
    args = ap.parse_args()
    data = json.loads(HEARD.read_text())
    texts = [re.findall(r"\S+", p.read_text()) for p in sorted(TRANSCRIPTS.glob("*.txt"))]
    base = load_settings().redaction
    print(f"{len(texts)} transcripts, {sum(map(len, texts))} words; {len(data['heard'])} heard spans")
    print("| half | spelling weight | threshold | near-misses caught | capitalized ones caught | false / 10k words |")
    print("| --- | --- | --- | --- | --- | --- |")
    for half, names in halves(data["names"]).items():
        if half not in args.halves:
            continue
        near = misheard([r for r in data["heard"] if r["name"] in names])
        for weight in args.weights:
            for threshold in args.thresholds:
                s = dataclasses.replace(base, threshold=threshold, spelling_weight=weight)
                hits = [r for r in near if caught(r, s)]
                named = [r for r in near if r["heard"][:1].isupper()]  # written as a name: Whisper's capital
                named_hits = [r for r in hits if r in named]
                false, scanned, examples = false_redactions(texts, names, s)
                print(f"| {half} | {weight} | {threshold} | {len(hits)}/{len(near)} = {len(hits) / len(near):.2f} "
                      f"| {len(named_hits)}/{len(named)} = {len(named_hits) / len(named):.2f} "
                      f"| {false} = {false / scanned * 1e4:.2f} |", flush=True)
                if args.examples:
                    print("   false:", "; ".join(examples[:40]))
                    print("   missed:", "; ".join(f"{r['heard']} ~ {r['said']}" for r in near if r not in hits))


if __name__ == "__main__":
    main()
