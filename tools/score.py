#!/usr/bin/env python3
"""Score a callscribe JSON output against a reference: DER, WER and word attribution.

References: an RTTM (speaker turns) plus either an STM (pyannote's sample) or the
NAME.ref.json that samples/make_calls.py writes beside each synthetic call.

Usage:
  python tools/score.py OUT.json --rttm REF.rttm --stm REF.stm
  python tools/score.py OUT.json --ref samples/generated/dev/NAME.ref.json
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.structure.align import label_words
from pipeline.structure.callsheet import load_call_sheet
from pipeline.structure.redact import leaks
from pipeline.evaluation.metrics import (inaudible_recall_precision, label_accuracy, attribution_accuracy, diarization_error_parts, load_rttm, load_stm,
                              normalize_words, speaker_mapping, word_error_rate)
from pipeline.types import Turn, Word


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hypothesis", type=Path)
    parser.add_argument("--rttm", type=Path)
    parser.add_argument("--stm", type=Path)
    parser.add_argument("--ref", type=Path, help="NAME.ref.json from samples/make_calls.py")
    args = parser.parse_args()

    hyp = json.loads(args.hypothesis.read_text())
    hyp_turns = [Turn(d["speaker"], d["start"], d["end"]) for d in hyp["diarization"]]
    hyp_words = [(w, t["speaker"]) for t in hyp["turns"] for x in t["words"] for w in normalize_words(x["text"])]
    if args.ref:
        ref = json.loads(args.ref.read_text())["turns"]
        ref_turns = [Turn(t["speaker"], t["start"], t["end"]) for t in ref]
        ref_words = [(w, t["speaker"]) for t in ref for w in normalize_words(t["text"])]
    else:
        ref_turns = load_rttm(args.rttm)
        # STM and RTTM may name speakers differently: take each utterance's RTTM speaker.
        labelled = label_words([Word(text, start, end, 1.0) for _, start, end, text in load_stm(args.stm)], ref_turns)
        ref_words = [(w, u.speaker) for u in labelled for w in normalize_words(u.text)]

    mapping = speaker_mapping(ref_turns, hyp_turns)
    print(f"speakers     reference {len({t.speaker for t in ref_turns})}, found {len({t.speaker for t in hyp_turns})}")
    parts = diarization_error_parts(ref_turns, hyp_turns)
    shares = ", ".join(f"{name} {100 * x:.1f}" for name, x in parts.items())
    print(f"DER          {100 * sum(parts.values()):.1f} % ({shares})")
    print(f"WER          {100 * word_error_rate([w for w, _ in ref_words], [w for w, _ in hyp_words]):.1f} %")
    print(f"attribution  {100 * attribution_accuracy(ref_words, hyp_words, mapping):.1f} % of aligned words")
    if args.ref:
        # The published view: labels, (inaudible) markers, redaction.
        ref_labels = [(w, t["label"]) for t in ref for w in normalize_words(t["text"])]
        hyp_labels = [(w, t["label"]) for t in hyp["turns"] for x in t["words"] for w in normalize_words(x["text"])]
        recall, precision = inaudible_recall_precision([w for w, _ in ref_labels], [w for w, _ in hyp_labels])
        print(f"labels       {100 * label_accuracy(ref_labels, hyp_labels):.1f} % of aligned words under the right label")
        print(f"inaudible    recall {100 * recall:.0f} %, precision {100 * precision:.0f} %")
        sheet_path = args.ref.with_name(args.ref.name.replace(".ref.json", ".yaml"))
        sheet = load_call_sheet(sheet_path) if sheet_path.exists() else None
        if sheet is not None and sheet.on_background:  # on the record, names are meant to be there
            found = leaks(args.hypothesis.read_text(), sheet)
            print(f"name leaks   {len(found)} {found if found else ''}")


if __name__ == "__main__":
    main()
