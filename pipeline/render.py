"""Render a transcript: house text (.txt), everything (.json), diarization (.rttm)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from . import __version__
from .types import Transcript

JSON_SCHEMA = "callscribe.transcript/1"
FORMATS = ("txt", "json", "rttm")

# A period after these does not end a sentence (so gets one space, not two).
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|No|vs)\.)$")


def house_spacing(text: str) -> str:
    """Collapse whitespace and put two spaces after each sentence-ending . ? !"""
    words = text.split()
    out = []
    for i, word in enumerate(words):
        out.append(word)
        if i + 1 < len(words):
            ends_sentence = word[-1:] in ".?!" or word[-2:] in ('."', ".”", '?"', "?”", '!"', "!”")
            out.append("  " if ends_sentence and not _ABBREVIATION.search(word) else " ")
    return "".join(out)


def render_txt(t: Transcript) -> str:
    paragraphs = [f"{t.speaker_labels[turn.speaker]}:  {house_spacing(turn.text)}"
                  for turn in t.turns if turn.text]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def _round(x: float) -> float:
    return round(x, 3)


def render_json(t: Transcript) -> str:
    data = {
        "schema": JSON_SCHEMA,
        "callscribe_version": __version__,
        "audio": {"path": t.audio_path, "duration": _round(t.duration)},
        "models": t.models,
        "settings": t.settings,
        "speakers": [{"id": k, "label": v} for k, v in t.speaker_labels.items()],
        "turns": [
            {
                "speaker": turn.speaker,
                "label": t.speaker_labels[turn.speaker],
                "start": _round(turn.start),
                "end": _round(turn.end),
                "text": house_spacing(turn.text),
                "words": [
                    {"text": w.text.strip(), "start": _round(w.start), "end": _round(w.end),
                     "probability": round(w.probability, 4), "speaker": w.speaker}
                    for w in turn.words
                ],
            }
            for turn in t.turns
        ],
        "diarization": [
            {"speaker": d.speaker, "start": _round(d.start), "end": _round(d.end)} for d in t.diarization
        ],
        "timings": {k: round(v, 3) for k, v in t.timings.items()},
        "warnings": t.warnings,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_rttm(t: Transcript) -> str:
    uri = re.sub(r"\s+", "_", Path(t.audio_path).stem) or "audio"
    lines = []
    for d in t.diarization:
        label = t.speaker_labels.get(d.speaker, d.speaker).replace(" ", "_")
        lines.append(f"SPEAKER {uri} 1 {d.start:.3f} {d.end - d.start:.3f} <NA> <NA> {label} <NA> <NA>")
    return "\n".join(lines) + ("\n" if lines else "")


RENDERERS = {"txt": render_txt, "json": render_json, "rttm": render_rttm}


def render(t: Transcript, fmt: str) -> str:
    return RENDERERS[fmt](t)
