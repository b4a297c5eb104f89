"""Render a transcript: the house text (.txt), everything (.json), subtitles (.srt, .vtt), RTTM."""
from __future__ import annotations

import json
import re
from pathlib import Path

from .. import __version__
from .typography import HouseStyle, house_text, load_house_style, whole_turn
from ..types import Transcript, Turn, Word, spoken_text

JSON_SCHEMA = "callscribe.transcript/2"
FORMATS = ("txt", "json", "srt", "vtt", "rttm", "html")


# ---------------------------------------------------------------- house text

def header_lines(sheet, style: HouseStyle) -> list[str]:
    """Title, briefer line(s), venue, date, from the call sheet: a sheet with no title gets
    no header, and nothing the sheet does not say is printed."""
    if sheet is None or not sheet.title:
        return []
    lines = [sheet.title]
    if sheet.on_background:
        lines.append(style.background_briefer_line)
    else:
        lines += [f"{o.name}, {o.title}" if o.title else o.name for o in sheet.officials if o.name]
    if sheet.venue:
        lines.append(sheet.venue)
    if style.show_date and sheet.date:
        lines.append(f"{sheet.date:%B} {sheet.date.day}, {sheet.date.year}")
    return lines


def render_house(turns: list[tuple[str, list[str]]], header: list[str], style: HouseStyle) -> str:
    """The published document: header lines, then `LABEL:  text` paragraphs; continuation
    paragraphs of a turn carry no label."""
    colon = ":" + " " * style.sentence_spacing
    blocks = list(header)
    for label, paragraphs in turns:
        for i, paragraph in enumerate(whole_turn(paragraphs, style.cut_off_words)):
            text = house_text(paragraph, style)
            blocks.append(f"{label}{colon}{text}" if i == 0 else text)
    if style.end_marker and turns:
        blocks.append(style.end_marker)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def paragraph_words(words: list[Word], style: HouseStyle) -> list[list[Word]]:
    """Split a long turn at a sentence boundary once it passes paragraph_min_words, and
    before it runs much past paragraph_words."""
    out, current = [], []
    for word in words:
        current.append(word)
        if word.text.strip()[-1:] in ".?!" and len(current) >= style.paragraph_min_words:
            out.append(current)
            current = []
    if current:
        if out and len(current) < style.paragraph_min_words // 4:
            out[-1] += current  # no stub paragraph at the end
        else:
            out.append(current)
    return out


def paragraphs(words: list[Word], style: HouseStyle) -> list[str]:
    return [spoken_text(group) for group in paragraph_words(words, style)]


def published_turns(t: Transcript) -> list[Turn]:
    """Turns as published: consecutive turns under the same label become one."""
    merged: list[Turn] = []
    for turn in t.turns:
        if not turn.words:
            continue
        if merged and t.speaker_labels.get(merged[-1].speaker) == t.speaker_labels.get(turn.speaker) \
                and t.roles.get(turn.speaker) != "questioner":
            merged[-1] = Turn(merged[-1].speaker, merged[-1].start, turn.end, merged[-1].words + turn.words)
        else:
            merged.append(turn)
    return merged


def render_txt(t: Transcript, style: HouseStyle | None = None) -> str:
    style = style or load_house_style()
    turns = [(t.speaker_labels[turn.speaker], paragraphs(turn.words, style)) for turn in published_turns(t)]
    return render_house(turns, header_lines(t.sheet, style), style)


# ---------------------------------------------------------------- machine-readable

def _round(x: float) -> float:
    return round(x, 3)


def speaker_ids(t: Transcript) -> dict[str, str]:
    """Stable ids with role names for RTTM and JSON: MODERATOR, SENIOR_…_ONE, QUESTION_1, …; a
    known voice's enrolled name."""
    ids, questioners = {}, 0
    for speaker, label in t.speaker_labels.items():
        if speaker in t.known and not _unnamed(t, speaker):   # a known voice goes by its enrolled name
            ids[speaker] = t.known[speaker]["name"].replace(" ", "_")
        elif t.roles.get(speaker) == "questioner" or label == "QUESTION":
            questioners += 1
            ids[speaker] = f"{label}_{questioners}".replace(" ", "_")
        else:
            ids[speaker] = label.replace(" ", "_")
    return ids


def _unnamed(t: Transcript, speaker: str) -> bool:
    """A briefer on a background call is never named, even when their voice is known."""
    return t.sheet is not None and t.sheet.on_background and t.roles.get(speaker) == "official"


def _known_json(t: Transcript, speaker: str) -> dict:
    voice = {k: v for k, v in t.known[speaker].items() if not (k == "name" and _unnamed(t, speaker))}
    return {"known_voice": voice}


def _sheet_json(sheet) -> dict | None:
    if sheet is None:
        return None
    officials = [{"label": o.label, **({} if sheet.on_background else {"name": o.name, "title": o.title})}
                 for o in sheet.officials]
    return {"title": sheet.title, "date": sheet.date.isoformat() if sheet.date else None, "venue": sheet.venue,
            "ground_rules": sheet.ground_rules, "officials": officials}


def render_json(t: Transcript, style: HouseStyle | None = None) -> str:
    style = style or load_house_style()
    ids = speaker_ids(t)
    data = {
        "schema": JSON_SCHEMA,
        "callscribe_version": __version__,
        "audio": {"path": t.audio_path, "duration": _round(t.duration)},
        "call_sheet": _sheet_json(t.sheet),
        "models": t.models,
        "settings": t.settings,
        "speakers": [{"id": ids[k], "cluster": k, "role": t.roles.get(k), "label": v,
                      **(_known_json(t, k) if k in t.known else {})}
                     for k, v in t.speaker_labels.items()],
        "turns": [
            {
                "speaker": ids[turn.speaker],
                "label": t.speaker_labels[turn.speaker],
                "start": _round(turn.start),
                "end": _round(turn.end),
                "text": house_text(" ".join(whole_turn([turn.text], style.cut_off_words)), style),
                "words": [
                    {"text": w.text.strip(), "start": _round(w.start), "end": _round(w.end),
                     "probability": round(w.probability, 4),
                     **({"joined": True} if i and w.text[:1] not in ("", " ") else {}),  # ",000" after "$200"
                     **({"redaction": w.redaction} if w.redaction else {}),
                     **({"doubt": w.doubt} if w.doubt else {})}
                    for i, w in enumerate(turn.words)
                ],
            }
            for turn in t.turns
        ],
        "diarization": [
            {"speaker": ids.get(d.speaker, d.speaker), "start": _round(d.start), "end": _round(d.end)}
            for d in t.diarization
        ],
        "corrections": [{"heard": c.heard, "written": c.written, "score": c.score,
                         "start": _round(c.start), "end": _round(c.end)} for c in t.corrections],
        "timings": {k: round(v, 3) for k, v in t.timings.items()},
        "warnings": t.warnings,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_rttm(t: Transcript, style: HouseStyle | None = None) -> str:
    uri = re.sub(r"\s+", "_", Path(t.audio_path).stem) or "audio"
    ids = speaker_ids(t)
    lines = [f"SPEAKER {uri} 1 {d.start:.3f} {d.end - d.start:.3f} <NA> <NA> {ids.get(d.speaker, d.speaker)} <NA> <NA>"
             for d in t.diarization]
    return "\n".join(lines) + ("\n" if lines else "")


def cues(t: Transcript, max_seconds: float = 6.0, max_chars: int = 90) -> list[tuple[float, float, str, str]]:
    """(start, end, label, text) subtitle cues: within one turn, broken at sentence ends or length."""
    out = []
    for turn in published_turns(t):
        current: list[Word] = []
        for word in turn.words:
            current.append(word)
            text = spoken_text(current)
            if text[-1:] in ".?!" or current[-1].end - current[0].start >= max_seconds or len(text) >= max_chars:
                out.append((current[0].start, current[-1].end, t.speaker_labels[turn.speaker], text))
                current = []
        if current:
            out.append((current[0].start, current[-1].end, t.speaker_labels[turn.speaker], spoken_text(current)))
    return out


def _timestamp(seconds: float, separator: str) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}{separator}{ms % 1000:03d}"


def render_srt(t: Transcript, style: HouseStyle | None = None) -> str:
    style = style or load_house_style()
    blocks = [f"{i}\n{_timestamp(s, ',')} --> {_timestamp(e, ',')}\n{label}: {house_text(text, style)}"
              for i, (s, e, label, text) in enumerate(cues(t), 1)]
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def render_vtt(t: Transcript, style: HouseStyle | None = None) -> str:
    style = style or load_house_style()
    blocks = [f"{_timestamp(s, '.')} --> {_timestamp(e, '.')}\n<v {label}>{house_text(text, style)}"
              for s, e, label, text in cues(t)]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + ("\n" if blocks else "")


RENDERERS = {"txt": render_txt, "json": render_json, "srt": render_srt, "vtt": render_vtt, "rttm": render_rttm}


def render(t: Transcript, fmt: str, style: HouseStyle | None = None, review=None, path: Path | None = None) -> str:
    """The text of one output format; the review page (html) also takes its settings and its own path."""
    if fmt == "html":
        from .review import review_page  # it builds on this module's renderers
        return review_page(t, style, review, path)
    return RENDERERS[fmt](t, style)
