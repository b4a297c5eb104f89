"""The real published transcripts as role-assignment test cases (labels hidden)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.structure.callsheet import CallSheet, Official
from pipeline.evaluation.house import parse_house

TRANSCRIPTS = Path(__file__).resolve().parent.parent / "samples" / "transcripts"
NUMBERS = ["ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX"]
ROLE_LABELS = {"MODERATOR", "OPERATOR", "QUESTION"}
# Misspelt labels in the published feed: the same person as the label they point to.
LABEL_TYPOS = {
    "30f5cfebf6": {"SENIOR ADMINISTRATION OFFICIAL NUMBER ONE": "SENIOR ADMINISTRATION OFFICIAL ONE"},
    "3269f12fba": {"MS BAITTO": "MS BAIETTO", "MS VILALOBOS": "MS VILLALOBOS"},
    "897410c254": {"FOREIGN MINISTESR KOFOD": "FOREIGN MINISTER KOFOD"},
    "a452a3c3cb": {"FOREIGN MINISTER DE MAIO": "FOREIGN MINISTER DI MAIO"},
    "c258bac3d7": {"SENIOR ADMINISTRATION OFFICIAL ONE": "SENIOR STATE DEPARTMENT OFFICIAL ONE"},
    "000_bac27964a658bda7": {"SENIOR STATE DEPARTMENT OFFICIAL TWO": "SENIOR ADMINISTRATION OFFICIAL TWO"},
}


@dataclass
class RealCall:
    name: str
    turns: list[tuple[str, str]]      # (speaker id as diarization would give it, text)
    labels: list[str]                 # the published label of each turn
    sheet: CallSheet


def transcript_files() -> list[Path]:
    return sorted(TRANSCRIPTS.glob("*.txt"))


def load_real_call(path: Path) -> RealCall:
    doc = parse_house(path.read_text(encoding="utf-8"))
    turns, labels, officials = [], [], []
    questioner = 0
    for i, turn in enumerate(doc.turns):
        label = LABEL_TYPOS.get(path.stem, {}).get(turn.label, turn.label)
        if label == "QUESTION":
            # Diarization hears one voice per reporter. A reporter who follows up after an
            # answer is the same voice; after a hand-off (a moderator's or operator's turn,
            # or anyone's short turn) the floor has gone to a new reporter.
            before = doc.turns[i - 1] if i else None
            if before is None or before.label in ("MODERATOR", "OPERATOR") or (
                    before.label != "QUESTION" and len(before.text.split()) < 25):
                questioner += 1
            speaker = f"reporter{max(1, questioner)}"
        else:
            speaker = label.lower()
            if label not in ROLE_LABELS and label not in [o.label for o in officials]:
                officials.append(Official(label=label, name=_spoken_name(label)))
        turns.append((speaker, turn.text))
        labels.append(label)
    # A named participant who only chairs (short turns, a small share of the call: the
    # spokesperson calling on reporters at a press availability) is the sheet's moderator
    # under their own label, as a press office would list them.
    words = {o.label: sum(len(t.text.split()) for t in doc.turns if LABEL_TYPOS.get(path.stem, {}).get(t.label, t.label) == o.label)
             for o in officials}
    turns_of = {o.label: sum(1 for l in labels if l == o.label) for o in officials}
    total = sum(len(t.text.split()) for t in doc.turns)
    chairs = [o for o in officials if len(officials) > 1 and "OFFICIAL" not in o.label
              and words[o.label] / turns_of[o.label] < 40 and words[o.label] < 0.15 * total]
    moderator_label = chairs[0].label if len(chairs) == 1 else "MODERATOR"
    officials = [o for o in officials if o.label != moderator_label]
    # A call sheet lists officials in label order: ONE, TWO, THREE.
    officials.sort(key=lambda o: NUMBERS.index(o.label.split()[-1]) if o.label.split()[-1] in NUMBERS else 0)
    on_record = any(not re.search(r"OFFICIAL", o.label) for o in officials)
    sheet = CallSheet(ground_rules="on-the-record" if on_record else "background", officials=officials,
                      moderator_label=moderator_label)
    return RealCall(path.stem, turns, labels, sheet)


def _spoken_name(label: str) -> str | None:
    """On the record the label ends in the surname (SECRETARY BLINKEN); background labels name no one."""
    if "OFFICIAL" in label:
        return None
    return label.split()[-1].title()


def without_punctuation(turns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(sp, re.sub(r"[^\w\s']", " ", text.lower())) for sp, text in turns]
