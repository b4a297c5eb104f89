"""Read a transcript back from its JSON (callscribe.transcript/2): a saved review page, or any .json output.

Everything the renderers need comes back; the speakers are keyed by their JSON id, which
is what the review page edits (labels and roles per id, a turn's speaker by id).
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ..errors import BadInput, MissingInput
from ..structure.callsheet import CallSheet, Official
from ..types import Correction, Transcript, Turn, Word
from .writers import JSON_SCHEMA


def _sheet(data: dict | None) -> CallSheet | None:
    if not data:
        return None
    officials = [Official(o["label"], o.get("name"), o.get("title")) for o in data.get("officials", [])]
    date = dt.date.fromisoformat(data["date"]) if data.get("date") else None
    return CallSheet(data.get("title"), date, data.get("venue"), data.get("ground_rules", "background"), officials)


def _word(w: dict, speaker: str) -> Word:
    space = "" if w.get("joined") else " "
    return Word(space + w["text"], w["start"], w["end"], w.get("probability", 1.0), speaker,
                w.get("redaction"), w.get("doubt"))


def transcript_from_json(data: dict) -> Transcript:
    speakers = {s["id"]: s for s in data["speakers"]}
    turns = [Turn(t["speaker"], t["start"], t["end"], [_word(w, t["speaker"]) for w in t["words"] if w["text"]])
             for t in data["turns"]]
    for t, raw in zip(turns, data["turns"]):   # a speaker the page added or renamed has no entry
        speakers.setdefault(t.speaker, {"id": t.speaker, "label": raw.get("label", t.speaker), "role": None})
    return Transcript(
        audio_path=data["audio"]["path"], duration=data["audio"]["duration"], turns=turns,
        diarization=[Turn(d["speaker"], d["start"], d["end"]) for d in data.get("diarization", [])],
        speaker_labels={i: s["label"] for i, s in speakers.items()},
        roles={i: s["role"] for i, s in speakers.items() if s.get("role")},
        settings=data.get("settings", {}), models=data.get("models", {}), warnings=data.get("warnings", []),
        sheet=_sheet(data.get("call_sheet")),
        corrections=[Correction(**c) for c in data.get("corrections", [])],
        known={i: s["known_voice"] for i, s in speakers.items() if s.get("known_voice", {}).get("name")},
    )


def read_transcript(path: Path) -> Transcript:
    """A transcript JSON file, or a one-line reason why it cannot be read."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MissingInput(path, "no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(path, f"cannot be read ({getattr(e, 'strerror', None) or e})") from None
    except json.JSONDecodeError as e:
        raise BadInput(path, f"not JSON ({e.msg}, line {e.lineno})") from None
    if not isinstance(data, dict) or data.get("schema") != JSON_SCHEMA:
        raise BadInput(path, f"not a callscribe transcript (expected schema {JSON_SCHEMA})")
    try:
        return transcript_from_json(data)
    except (KeyError, TypeError, ValueError) as e:
        raise BadInput(path, f"a callscribe transcript with a missing or wrong field ({type(e).__name__}: {e})") from None
