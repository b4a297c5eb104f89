"""The review page: one self-contained HTML file to check a transcript against its audio.

The page shows the house text (rendered here, by the same functions as the .txt), each
displayed word tied to the recognized words it came from, so a click plays from there.
Its data is the transcript's own JSON (writers.render_json): the page edits that and
saves it, and `callscribe render` turns the saved JSON back into house text, so the
house rules live only in Python. Nothing is loaded from the network; the audio is linked
by a relative path (default) or embedded as MP3.
"""
from __future__ import annotations

import base64
import difflib
import html
import json
import os
import re
from pathlib import Path
from urllib.parse import quote

from ..audio import compressed
from ..config import ReviewSettings
from ..structure.roles import load_role_rules
from ..types import Transcript, spoken_text
from .typography import HouseStyle, house_text, load_house_style, whole_turn
from .writers import header_lines, paragraph_words, published_turns, render_json, speaker_ids

TEMPLATE = Path(__file__).with_name("review_page.html")


def _key(token: str) -> str:
    return re.sub(r"[^\w]", "", token.lower())


def tie_tokens(text: str, words: list[int], word_text: list[str]) -> list[dict]:
    """The displayed paragraph cut into pieces, each with the indices of the words it shows.

    House typography can join words ("five hundred" -> "500") or add marks ("—"), and one
    word can show as several ("[Senior State Department Official One]"): the alignment
    ties a changed stretch to all its words, and an added mark to none."""
    parts = re.split(r"(\s+)", text)
    tokens, spaces = parts[0::2], parts[1::2] + [""]
    pieces = [(_key(piece), k) for k in words for piece in word_text[k].split()]
    matcher = difflib.SequenceMatcher(None, [_key(t) for t in tokens], [key for key, _ in pieces], autojunk=False)
    groups: list[tuple[int, int, list[int]]] = []          # (first token, last token + 1, word indices)
    for op, t1, t2, p1, p2 in matcher.get_opcodes():
        tied = list(dict.fromkeys(k for _, k in pieces[p1:p2]))
        if op == "equal":
            groups += [(t, t + 1, [pieces[p1 + t - t1][1]]) for t in range(t1, t2)]
        elif t2 > t1:
            groups.append((t1, t2, tied))
        elif groups:                                         # words no piece shows: with the piece before
            groups[-1] = (*groups[-1][:2], list(dict.fromkeys(groups[-1][2] + tied)))
    merged: list[tuple[int, int, list[int]]] = []
    for group in groups:                                     # pieces of one word become one
        if merged and group[2] and group[2] == merged[-1][2]:
            merged[-1] = (merged[-1][0], group[1], group[2])
        else:
            merged.append(group)
    return [{"t": "".join(tokens[i] + spaces[i] for i in range(a, b - 1)) + tokens[b - 1], "s": spaces[b - 1], "w": w}
            for a, b, w in merged if tokens[a]]


def page_blocks(t: Transcript, style: HouseStyle) -> list[dict]:
    """Published turns -> {speaker, paragraphs of pieces}; word indices count over all turns' words."""
    index = {id(w): i for i, w in enumerate(w for turn in t.turns for w in turn.words)}
    texts = [w.text.strip() for turn in t.turns for w in turn.words]
    ids = speaker_ids(t)
    blocks = []
    for turn in published_turns(t):
        groups = paragraph_words(turn.words, style)
        shown = whole_turn([spoken_text(group) for group in groups], style.cut_off_words)
        paragraphs = [tie_tokens(house_text(text, style), [index[id(w)] for w in group], texts)
                      for text, group in zip(shown, groups)]
        blocks.append({"speaker": ids[turn.speaker], "paragraphs": paragraphs})
    return blocks


def _audio_source(audio_path: str, page_path: Path | None, settings: ReviewSettings) -> str:
    if settings.audio == "embed":
        return "data:audio/mpeg;base64," + base64.b64encode(compressed(audio_path, settings.embed_bitrate)).decode()
    folder = Path(page_path).resolve().parent if page_path else Path.cwd()
    return quote(os.path.relpath(Path(audio_path).resolve(), folder))


def _script_json(value) -> str:
    """JSON safe inside <script>: no "</" can close the element early."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def review_page(t: Transcript, style: HouseStyle | None = None, settings: ReviewSettings | None = None,
                page_path: Path | None = None) -> str:
    style = style or load_house_style()
    settings = settings or ReviewSettings()
    data = json.loads(render_json(t, style))
    view = {"header": header_lines(t.sheet, style), "blocks": page_blocks(t, style),
            "labels": load_role_rules().labels}
    title = (t.sheet.title if t.sheet is not None and t.sheet.title else None) or Path(t.audio_path).name
    filled = {"TITLE": html.escape(title), "AUDIO": html.escape(_audio_source(t.audio_path, page_path, settings)),
              "TRANSCRIPT": _script_json(data), "VIEW": _script_json(view),
              "SAVE_NAME": _script_json(Path(t.audio_path).stem + ".edited.json")}
    page = TEMPLATE.read_text(encoding="utf-8")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: filled[m.group(1)], page)
