"""Read a transcript in the house format: header lines, then labeled speaker turns."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

LABEL = re.compile(r"^([^\W\d_][^:\n]{0,60}?):[\s\u00a0]+(.*)$", re.S)


def _is_label(text: str) -> bool:
    """Speaker labels are capitals (any alphabet: FOREIGN MINISTER RINKĒVIČS), not a sentence."""
    return text == text.upper() and any(c.isalpha() for c in text) and not text.endswith((",", "-"))


@dataclass
class HouseTurn:
    label: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.paragraphs)


@dataclass
class HouseDocument:
    header: list[str]
    turns: list[HouseTurn]


def parse_house(text: str) -> HouseDocument:
    """Paragraphs starting `LABEL:` open a turn; unlabeled paragraphs continue the last one."""
    header: list[str] = []
    turns: list[HouseTurn] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        block = block.strip()
        if not block:
            continue
        match = LABEL.match(block)
        if match and _is_label(match.group(1)):
            turns.append(HouseTurn(normalize_label(match.group(1)), [match.group(2).strip()]))
        elif turns:
            turns[-1].paragraphs.append(block)
        else:
            header.extend(line.strip() for line in block.splitlines() if line.strip())
    return HouseDocument(header, turns)


def read_house(path: Path) -> HouseDocument:
    """A house-format file; a byte-order mark (as Notepad saves UTF-8) is not text."""
    return parse_house(path.read_text(encoding="utf-8-sig"))


def normalize_label(label: str) -> str:
    """`MR. PRICE` and `MR PRICE` are one label (the house style drops the period)."""
    return re.sub(r"\s+", " ", label.replace(".", "")).strip()
