"""House typography for recognizer text: curly quotes, restarts, fixed spellings, numbers (numbers.py), spacing.

Every rule is idempotent on text already in the house format: the published transcripts
pass through unchanged (tests/test_house.py holds the renderer to that).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from ..config import CONFIG_DIR
from ..structure.text import ends_sentence
from .numbers import house_numbers


@dataclass
class HouseStyle:
    sentence_spacing: int = 2
    show_date: bool = True
    end_marker: str | None = None
    paragraph_words: int = 150
    paragraph_min_words: int = 120
    spell_small_numbers: bool = True
    background_briefer_line: str = "Office of the Spokesperson"
    spellings: dict[str, str] = field(default_factory=dict)
    abbreviations: list[str] = field(default_factory=list)
    inaudible: dict[str, float] = field(default_factory=dict)
    cut_off_words: list[str] = field(default_factory=list)
    fillers: list[str] = field(default_factory=list)


def load_house_style(path: str | Path | None = None, **overrides) -> HouseStyle:
    data = yaml.safe_load(Path(path or CONFIG_DIR / "house.yaml").read_text()) or {}
    data.update({k: v for k, v in overrides.items() if v is not None})
    return HouseStyle(**data)


def curly_quotes(text: str) -> str:
    text = re.sub(r"(\w)'(\w)", "\\1’\\2", text)          # it's, don't
    text = re.sub(r"'(\d0s)\b", "’\\1", text)               # '90s
    text = re.sub(r'(^|[\s(\[–—-])"', "\\1“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(^|[\s(\[–—-])'", "\\1‘", text)
    return text.replace("'", "’")


_WORD = r"\w+(?:[’']\w+)?"
# Two to four words said again at once: `thanks for, thanks for that` is a restart. (One
# repeated word is usually meant: "very, very", "no, no".)
# A comma between the copies ("thank you, thank you") or a third copy ("builds and builds
# and builds") is emphasis, not a restart.
_RESTART = re.compile(rf"\b({_WORD}(?: {_WORD}){{1,3}}) (?=\1\b)(?!\1 \1\b)")


def mark_restarts(text: str) -> str:
    """`thanks for thanks for that` -> `thanks for – thanks for that`."""
    return _RESTART.sub(lambda m: f"{m.group(1)} – ", text)


def us_spelling(text: str) -> str:
    """`US`, `U.S` -> `U.S.` (but not the pronoun "us")."""
    return re.sub(r"\bU\.?S\b\.?", "U.S.", text)


def apply_spellings(text: str, spellings: dict[str, str]) -> str:
    for source, target in spellings.items():
        if source == "%":
            text = re.sub(r"(\d)\s?%", "\\1" + target, text)
            continue
        pattern = r"(?<![\w.])" + re.escape(source).replace(r"\ ", r"\s+") + r"(?![\w])"

        def cased(m: re.Match, target: str = target) -> str:
            # Targets with capitals are fixed forms; lowercase ones follow the case of what was said.
            said_capital = m.group(0)[0].isupper()
            return target[0].upper() + target[1:] if said_capital and target == target.lower() else target
        text = re.sub(pattern, cased, text, flags=re.IGNORECASE)
    return text


def space_sentences(text: str, spaces: int, abbreviations: list[str]) -> str:
    """Collapse whitespace; `spaces` spaces after each sentence-ending . ? ! (and “ ” after them)."""
    words = text.split()
    out = []
    abbreviations = {a.lower() for a in abbreviations}
    for i, word in enumerate(words):
        out.append(word)
        if i + 1 == len(words):
            break
        out.append(" " * spaces if ends_sentence(word, abbreviations) else " ")
    return "".join(out)


def inaudible_case(text: str) -> str:
    """House casing of the marker, as the published transcripts write it.

    Standing alone: `(Inaudible.)`; opening a sentence: `(Inaudible) the first one.`;
    inside or ending a sentence: `(inaudible)`, followed by the sentence's punctuation.
    """
    def repl(m: re.Match) -> str:
        before = text[: m.start()].rstrip()
        after = text[m.end():].strip()
        punct = m.group(2) or m.group(1)          # a period inside the marker ends the sentence too
        opens = not before or before[-1] in ".?!)"
        closes = punct in (".", "?", "!") or not after
        if opens and closes:
            return "(Inaudible.)" if punct in (".", "") else f"(Inaudible){punct}"
        if opens:
            return "(Inaudible)" + (m.group(2) or "")
        return "(inaudible)" + punct
    return re.sub(r"\([Ii]naudible(\.?)\)([.,;:?!]?)", repl, text)


def whole_turn(paragraphs: list[str], cut_off_words: Iterable[str] = ()) -> list[str]:
    """A turn starts with a capital and ends a sentence (. ? ! or a dash), as every turn of
    the real transcripts does. Recognized text can break off where the speaker changes in
    mid-sentence: "…last but not least," / "thank you. On the security side…". A turn
    that breaks off on one of `cut_off_words` ("…and") was cut off: it ends with an em dash."""
    paragraphs = [p.strip() for p in paragraphs if p.strip()]
    if not paragraphs:
        return paragraphs
    first = paragraphs[0]
    paragraphs[0] = first[0].upper() + first[1:]
    body = paragraphs[-1].rstrip("”’\"')")
    closing = paragraphs[-1][len(body):]
    if body and body[-1] not in ".?!—–":
        unfinished = body.rstrip(",;:")
        if not closing and unfinished and unfinished.split()[-1].lower() in cut_off_words:
            body = unfinished + " —"
        elif body[-1] in ",;:":
            body = unfinished + "."
        else:
            # A period goes inside closing quotes, after a parenthesis: “…go.”  …to (inaudible).
            body, closing = (body + closing, ".") if ")" in closing else (body + ".", closing)
    paragraphs[-1] = body + closing
    return paragraphs


def house_text(text: str, style: HouseStyle) -> str:
    """Recognizer text -> house text (idempotent on house text)."""
    text = inaudible_case(curly_quotes(text))
    text = mark_restarts(text)
    text = house_numbers(us_spelling(apply_spellings(text, style.spellings)), style.spell_small_numbers)
    return space_sentences(text, style.sentence_spacing, style.abbreviations)
