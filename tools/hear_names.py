#!/usr/bin/env python3
"""How the recognizer hears briefers' names: the data that redaction's threshold is measured on.

Speaks sentences with each name of NAMES (full name, first name alone, title + surname)
in the project's synthetic voices (samples/make_calls.py `speak`), through the telephone
band, recognizes them with the bundled Whisper models, and writes every heard name span
to tests/data/heard_names.json (read by tools/redaction_sweep.py and the tests).

Usage: nice -n 10 taskset -c 1 python tools/hear_names.py [--models tiny.en base] [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import re
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
from faster_whisper import WhisperModel

from pipeline.config import PROJECT_ROOT, load_settings
from pipeline.recognition.recognize import decoding_options
from samples.make_calls import RATE, speak, telephone

# Officials named in samples/transcripts/ (speaker lines and headers) and common names of
# many origins, as a press office's call sheets would carry them.
NAMES = [
    "Antony Blinken", "Ned Price", "Brian McKeon", "Rachel Arndt", "Jalina Porter", "Daniel Kurtz-Phelan",
    "Linda Thomas-Greenfield", "Tracey Jacobson", "Sung Kim", "Ross Wilson", "Kent Logsdon", "Julie Fisher",
    "Jen Psaki", "Lloyd Austin", "Gina Raimondo", "Maia Sandu", "Kaja Kallas", "Subrahmanyam Jaishankar",
    "Yair Lapid", "Heiko Maas", "Luigi Di Maio", "Nasser Bourita", "Yoshimasa Hayashi", "Raychelle Omamo",
    "Gabrielius Landsbergis", "Jeppe Kofod", "Mute Egede", "Wendy Sherman", "Victoria Nuland",
    "Jake Sullivan", "Karen Donfried", "Carlos Alvarado",
    "Rachel Moreno", "Margaret Ellison", "Daniel Okafor", "Catherine Moreau", "Priya Raghunathan", "Wei Zhang",
    "Olusegun Adeyemi", "Katarzyna Nowak", "Siobhan O'Callaghan", "Miguel Hernandez", "Aisha Rahman",
    "Thomas Becker", "Laura Fitzgerald", "Kevin Nguyen", "Sarah Goldberg", "James Whitaker", "Maria Lopez",
    "Ahmed Haddad", "Emily Carter", "Robert Kowalski", "Hannah Schmidt", "David Chen", "Grace Mensah",
    "Patrick Brennan", "Yuki Tanaka", "Elena Petrova", "Samuel Osei", "Nicole Dubois", "Andrew Harrington",
    "Fatima Khalil", "Brian Castellano", "Julia Lindqvist",
]
TEMPLATES = {  # form -> sentence; {full}, {first}, {last} are the name's parts
    "full": "Our first briefer today is {full}, who will take your questions.",
    "first": "Thank you, {first}. We will go to the next question now.",
    "title": "I want to ask Secretary {last} about the talks in the region.",
}
VOICES = [("en-us", 160), ("flite:slt", 170), ("flite:kal", 170)]
GAP = 0.8  # seconds of silence between sentences


def _tokens(text: str) -> list[str]:
    return [re.sub(r"[^\w]", "", t.lower()) for t in text.split()]


def heard_span(template: str, slot: str, words: list[str]) -> str:
    """The recognized words standing where the template's name slot is (difflib alignment)."""
    before, _, after = template.partition("{slot}")
    ref = _tokens(before) + ["\x00"] * len(slot.split()) + _tokens(after)
    slot_at = range(len(_tokens(before)), len(_tokens(before)) + len(slot.split()))
    said = _tokens(" ".join(words))
    out: list[int] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ref, said, autojunk=False).get_opcodes():
        if tag != "equal" and any(i in slot_at for i in range(i1, max(i2, i1 + 1))):
            out += range(j1, j2)
    return " ".join(words[j] for j in out[:4])


def sentences() -> list[tuple[str, str, str, str]]:
    """(name, form, sentence, the sentence with {slot} where the name is) for every name and form."""
    rows = []
    for name in NAMES:
        first, last = name.split(None, 1)
        for form, template in TEMPLATES.items():
            slot = {"full": name, "first": first, "title": last}[form]
            with_slot = template.replace({"full": "{full}", "first": "{first}", "title": "{last}"}[form], "{slot}")
            rows.append((name, form, template.format(full=name, first=first, last=last), with_slot))
    return rows


def speak_all(rows: list, voice: str, wpm: int, seed: int) -> tuple[np.ndarray, list[tuple[float, float]]]:
    pieces, spans, t = [], [], 0.0
    for _, _, sentence, _ in rows:
        speech = speak(sentence, voice, wpm)
        speech = speech / (np.abs(speech).max() + 1e-9) * 0.3
        pieces += [speech, np.zeros(int(GAP * RATE), np.float32)]
        spans.append((t, t + len(speech) / RATE))
        t += len(speech) / RATE + GAP
    return telephone(np.concatenate(pieces).astype(np.float32), seed, -45), spans


def recognize(model: WhisperModel, audio: np.ndarray) -> list:
    options = decoding_options(load_settings().asr)
    segments, _ = model.transcribe(audio, **options)
    return [w for s in segments for w in (s.words or [])]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="+", default=["base", "tiny.en"])
    ap.add_argument("--voices", nargs="+", default=[v for v, _ in VOICES])
    ap.add_argument("--out", type=Path, default=PROJECT_ROOT / "tests" / "data" / "heard_names.json")
    args = ap.parse_args()
    rows, heard = sentences(), []
    models = {name: WhisperModel(str(PROJECT_ROOT / "models" / name), device="cpu", compute_type="float32",
                                 cpu_threads=1) for name in args.models}
    for seed, (voice, wpm) in enumerate(VOICES):
        if voice not in args.voices:
            continue
        samples, spans = speak_all(rows, voice, wpm, seed)
        for model_name, model in models.items():  # written after each pass: a long run can be cut short
            heard += heard_spans(rows, spans, recognize(model, samples), model_name, voice)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps({"names": NAMES, "heard": heard}, indent=1) + "\n")
            print(f"{model_name} {voice}: {len(spans)} sentences, {len(heard)} heard spans in {args.out}", flush=True)


def heard_spans(rows: list, spans: list, words: list, model_name: str, voice: str) -> list[dict]:
    out = []
    for (name, form, _, template), (start, end) in zip(rows, spans):
        inside = [w.word.strip() for w in words if start - 0.3 <= (w.start + w.end) / 2 <= end + 0.3]
        said = {"full": name, "first": name.split()[0], "title": name.split(None, 1)[1]}[form]
        out.append({"name": name, "form": form, "said": said, "heard": heard_span(template, said, inside),
                    "sentence": " ".join(inside), "model": model_name, "voice": voice})
    return out


if __name__ == "__main__":
    main()
