"""Enrol a call's regulars from a past recording and its published transcript (`callscribe voices learn`).

The recording goes through the pipeline; its recognized words are aligned with the
published transcript's words, so each speaker diarization found takes the published label
that most of its aligned words carry. Each label but QUESTION (the moderator, the operator,
the officials) is then enrolled from that speaker's turns whose words carry the label, as a
speaker's print is made everywhere else (Diarizer.speaker_prints).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from .audio import Audio
from .evaluation.house import HouseDocument
from .evaluation.metrics import aligned_pairs, normalize_words
from .types import Turn


@dataclass
class Learned:
    label: str
    role: str
    print_: np.ndarray
    seconds: float
    agreement: float      # share of the speaker's aligned words that carry the label


def role_of(label: str) -> str | None:
    return {"MODERATOR": "moderator", "OPERATOR": "operator", "QUESTION": None}.get(label, "official")


def learn_voices(transcriber, audio: Audio, published: HouseDocument, sheet=None) -> list[Learned]:
    """Every published label but QUESTION, with the print of the speaker who carries it most,
    made from that speaker's turns whose words carry the label (a speaker diarization merged
    with a questioner gives only the label's own stretches)."""
    transcript = transcriber.transcribe_audio(audio, sheet)
    turns = transcript.turns
    reference = [(w, t.label) for t in published.turns for w in normalize_words(t.text)]
    hypothesis = [(w, k) for k, t in enumerate(turns) for w in normalize_words(t.text)]
    said: list[Counter] = [Counter() for _ in turns]   # per recognized turn: the labels its words carry
    for r, h in aligned_pairs([w for w, _ in reference], [w for w, _ in hypothesis], ("equal",)):
        said[hypothesis[h][1]][reference[r][1]] += 1
    votes: dict[str, Counter] = defaultdict(Counter)   # per speaker (sentence runs keep their voice)
    for turn, labels in zip(turns, said):
        votes[turn.speaker.split("/")[0]].update(labels)
    learned, voice_partials = [], transcriber.diarizer.voice_partials(audio.samples)
    for label in sorted({lab for _, lab in reference if role_of(lab)}):
        speaker = max(votes, key=lambda s: votes[s][label], default=None)
        if speaker is None or votes[speaker].most_common(1)[0][0] != label:
            continue   # no speaker is mostly this label: not enrolled
        own = [Turn(label, t.start, t.end) for t, labels in zip(turns, said)
               if t.speaker.split("/")[0] == speaker and labels and labels.most_common(1)[0][0] == label]
        prints = transcriber.diarizer.speaker_prints(own, voice_partials, audio.samples)
        if label in prints:
            vector, seconds = prints[label]
            learned.append(Learned(label, role_of(label), vector, seconds,
                                   round(votes[speaker][label] / sum(votes[speaker].values()), 2)))
    return learned
