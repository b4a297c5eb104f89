"""Known voices: a press office's moderators and briefers, enrolled once and recognized call after call.

A voice library is a folder of plain files, two per voice: NAME.yaml (name, role, label,
seconds enrolled, the encoder that made the print, the date) and NAME.npy (the print: a
unit-norm speaker embedding). Voiceprints are biometric data: they are written only into
the folder the user names (or their data directory), readable by the user alone (0600),
and `remove` deletes both files.

Each speaker diarization finds is compared with every enrolled voice by the cosine of its
embedding (the merge encoder's, from its longest stretches alone: merge_voices.py) with the
print; each voice goes to at most one speaker, most alike first, where the cosine reaches
`diarization.voices_threshold` (measured on real speech: docs/known-voices.md).
"""
from __future__ import annotations

import datetime
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import yaml

from ..errors import ConfigError

ROLES = ("moderator", "operator", "official")


@dataclass
class Voice:
    name: str
    role: str | None          # moderator | operator | official | None (a name only)
    label: str | None         # the printed label, e.g. SENIOR STATE DEPARTMENT OFFICIAL ONE
    seconds: float            # speech the print was made from
    encoder: str              # the speaker encoder that made it
    enrolled: str             # ISO date
    print_: np.ndarray | None = None


def default_library() -> Path:
    """$XDG_DATA_HOME/callscribe/voices, else ~/.local/share/callscribe/voices."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "callscribe" / "voices"


def _stem(name: str) -> str:
    stem = re.sub(r"[^\w.-]+", "_", name.strip()).strip("._")
    if not stem:
        raise ConfigError(name, "a voice needs a name with letters or digits")
    return stem


class VoiceLibrary:
    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder) if folder else default_library()

    def add(self, voice: Voice, print_: np.ndarray) -> Path:
        """Write (or replace) a voice, owner-only, each file whole or not at all."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stem = _stem(voice.name)
        meta = {k: v for k, v in asdict(voice).items() if k != "print_"}
        for suffix, write in ((".npy", lambda f: np.save(f, np.asarray(print_, np.float32))),
                              (".yaml", lambda f: f.write(yaml.safe_dump(meta, sort_keys=False).encode()))):
            final = self.folder / f"{stem}{suffix}"
            part = final.with_name(final.name + ".part")
            fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as f:
                write(f)
            os.replace(part, final)
        return self.folder / f"{stem}.yaml"

    def voices(self, with_prints: bool = False) -> list[Voice]:
        out = []
        for meta in sorted(self.folder.glob("*.yaml")) if self.folder.is_dir() else []:
            try:
                voice = Voice(**yaml.safe_load(meta.read_text()))
                if with_prints:
                    voice.print_ = np.load(meta.with_suffix(".npy"))
            except (OSError, TypeError, ValueError, yaml.YAMLError) as e:
                raise ConfigError(meta, f"not a voice of the library ({str(e).splitlines()[0]})") from None
            out.append(voice)
        return out

    def remove(self, name: str) -> bool:
        """Delete the voice's files; False where there was no such voice."""
        found = False
        for suffix in (".yaml", ".npy"):
            path = self.folder / f"{_stem(name)}{suffix}"
            if path.exists():
                path.unlink()
                found = True
        return found

    def prints(self, encoder: str) -> list[Voice]:
        """The voices with their prints; a print from another encoder is refused."""
        voices = self.voices(with_prints=True)
        other = [v.name for v in voices if v.encoder != encoder]
        if other:
            raise ConfigError(self.folder, f"voices {', '.join(other)} were enrolled with another speaker encoder "
                                           f"than {encoder}: enrol them again")
        return voices


def today() -> str:
    return datetime.date.today().isoformat()


def match_voices(speakers: dict[str, np.ndarray], voices: list[Voice], threshold: float) -> dict[str, tuple[Voice, float]]:
    """Speaker -> (enrolled voice, cosine): each voice to at most one speaker and each speaker
    to at most one voice, the most alike pair first, at `threshold` or above."""
    pairs = sorted(((float(e @ v.print_), s, i) for s, e in speakers.items() for i, v in enumerate(voices)),
                   reverse=True)
    matched: dict[str, tuple[Voice, float]] = {}
    taken = set()
    for cosine, speaker, i in pairs:
        if cosine < threshold:
            break
        if speaker not in matched and i not in taken:
            matched[speaker] = (voices[i], round(cosine, 3))
            taken.add(i)
    return matched
