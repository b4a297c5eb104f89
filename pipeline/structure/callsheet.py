"""The call sheet: what the press office knows about a call before it is transcribed.

An optional YAML file per recording (`--call-sheet FILE`, or NAME.yaml beside NAME.wav).
Every key is optional; unknown keys are refused so that a typo never silently drops a
briefer's name from redaction.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ConfigError

GROUND_RULES = ("background", "on-the-record")
AUDIO_SIDECAR_SUFFIXES = (".yaml", ".yml")


@dataclass
class Official:
    label: str                 # printed exactly as given: SENIOR ADMINISTRATION OFFICIAL ONE
    name: str | None = None    # the spoken name, redacted on background calls
    title: str | None = None   # on-the-record briefer line: "Name, Title"

    @property
    def placeholder(self) -> str:
        """`[Senior Administration Official One]`: the label in Title Case, in brackets."""
        return "[" + " ".join(w.capitalize() if w.isalpha() else w for w in self.label.split()) + "]"


@dataclass
class CallSheet:
    title: str | None = None
    date: dt.date | None = None
    venue: str | None = None
    ground_rules: str = "background"
    officials: list[Official] = field(default_factory=list)
    moderator: str | None = None           # the moderator's name, if known
    moderator_label: str = "MODERATOR"     # on the record a named chair prints as e.g. MR PRICE
    vocabulary: list[str] = field(default_factory=list)

    @property
    def on_background(self) -> bool:
        return self.ground_rules == "background"

    @property
    def fewest_speakers(self) -> int | None:
        """The fewest voices a call with these officials has: each official, the moderator, one questioner."""
        return len(self.officials) + 2 if self.officials else None

    def briefer_names(self) -> list[str]:
        return [o.name for o in self.officials if o.name]


_KEYS = {"title", "date", "venue", "ground_rules", "officials", "moderator", "vocabulary"}
_OFFICIAL_KEYS = {"name", "label", "title"}


def _text(value, where: str, path) -> str | None:
    if value is None:
        return None
    if not isinstance(value, (str, int, float)):
        raise ConfigError(path, f"{where} must be text")
    return str(value).strip()


def parse_call_sheet(data: dict, path: object = "call sheet") -> CallSheet:
    if data is None:
        return CallSheet()
    if not isinstance(data, dict):
        raise ConfigError(path, "a call sheet must be a mapping of keys (title, date, officials, …)")
    unknown = set(data) - _KEYS
    if unknown:
        raise ConfigError(path, f"unknown call-sheet key '{sorted(unknown)[0]}' (known: {', '.join(sorted(_KEYS))})")
    rules = str(data.get("ground_rules") or "background").strip().lower().replace("on the record", "on-the-record")
    if rules not in GROUND_RULES:
        raise ConfigError(path, f"ground_rules must be 'background' or 'on-the-record', not '{data.get('ground_rules')}'")
    date = data.get("date")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            raise ConfigError(path, f"date must be YYYY-MM-DD, not '{date}'") from None
    elif date is not None and not isinstance(date, dt.date):
        raise ConfigError(path, "date must be YYYY-MM-DD")
    officials = []
    for i, entry in enumerate(data.get("officials") or [], 1):
        if isinstance(entry, str):
            entry = {"label": entry}
        if not isinstance(entry, dict) or not entry.get("label"):
            raise ConfigError(path, f"officials[{i}] needs a label (e.g. SENIOR STATE DEPARTMENT OFFICIAL ONE)")
        bad = set(entry) - _OFFICIAL_KEYS
        if bad:
            raise ConfigError(path, f"unknown key '{sorted(bad)[0]}' in officials[{i}] (known: label, name, title)")
        officials.append(Official(label=_text(entry["label"], "label", path).upper(),
                                  name=_text(entry.get("name"), "name", path),
                                  title=_text(entry.get("title"), "title", path)))
    moderator, moderator_label = data.get("moderator"), "MODERATOR"
    if isinstance(moderator, dict):
        bad = set(moderator) - {"name", "label"}
        if bad:
            raise ConfigError(path, f"unknown key '{sorted(bad)[0]}' in moderator (known: name, label)")
        moderator_label = (_text(moderator.get("label"), "moderator label", path) or "MODERATOR").upper()
        moderator = moderator.get("name")
    vocabulary = data.get("vocabulary") or []
    if not isinstance(vocabulary, list):
        raise ConfigError(path, "vocabulary must be a list of words")
    return CallSheet(
        title=_text(data.get("title"), "title", path), date=date, venue=_text(data.get("venue"), "venue", path),
        ground_rules=rules, officials=officials, moderator=_text(moderator, "moderator", path),
        moderator_label=moderator_label,
        vocabulary=[str(v) for v in vocabulary],
    )


def load_call_sheet(path: str | Path) -> CallSheet:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(path, "call sheet not found") from None
    except yaml.YAMLError as e:
        raise ConfigError(path, f"call sheet is not valid YAML ({str(e).splitlines()[0]})") from None
    return parse_call_sheet(data, path)


def sidecar_for(audio: str | Path) -> Path | None:
    """NAME.yaml (or .yml) beside NAME.wav, if there is one."""
    audio = Path(audio)
    for suffix in AUDIO_SIDECAR_SUFFIXES:
        candidate = audio.with_suffix(suffix)
        if candidate.exists() and candidate != audio:
            return candidate
    return None
