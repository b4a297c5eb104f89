"""Reporters' questions heard in another role's voice (diarization merged them) get a speaker of their own."""
from __future__ import annotations

from ..types import Transcript, Turn, spoken_text
from .align import sentence_starts
from .roles import RoleRules, question_heads, question_tails
from .turn_roles import relabel_span


def give_back_questions(turns: list[Turn], transcript: Transcript, rules: RoleRules,
                        abbreviations: list[str]) -> list[Turn]:
    """Reporters' questions heard in another role's voice get a speaker id of their own, "<cluster>/question".

    The start of a turn in an official's cluster (roles.question_heads), or the end of a
    chair's turn after its hand-off to a questioner (roles.question_tails); published as QUESTION.
    """
    roles, labels = transcript.roles, transcript.speaker_labels
    starts = [sentence_starts([w.text for w in t.words], abbreviations) for t in turns]
    sentences = [(t.speaker, [spoken_text(t.words[a:b]) for a, b in zip(s, s[1:] + [None])])
                 for t, s in zip(turns, starts)]
    asked = {i: (0, count) for i, count in question_heads(sentences, roles, rules).items()}
    asked |= {i: (first, len(starts[i])) for i, first in question_tails(sentences, roles, rules).items()}
    given_back = []
    for i, turn in enumerate(turns):
        if i not in asked:
            given_back.append(turn)
            continue
        bounds = starts[i] + [len(turn.words)]
        first, last = (bounds[k] for k in asked[i])
        asker = f"{turn.speaker}/question"
        for w in turn.words[first:last]:
            w.speaker = asker
        pieces = (turn.words[:first], turn.words[first:last], turn.words[last:])
        given_back += [Turn(ws[0].speaker, ws[0].start, ws[-1].end, ws) for ws in pieces if ws]
        roles[asker], labels[asker] = "questioner", rules.labels["questioner"]
    return given_back


def askers_in_timeline(timeline: list[Turn], published: list[Turn]) -> list[Turn]:
    """The diarization turns with each given-back question's stretch under its "<cluster>/question" id.

    The RTTM and the JSON's timeline then say who spoke as the transcript does. A
    question's stretch reaches halfway to the words on either side of it.
    """
    for i, asked in enumerate(published):
        if not asked.speaker.endswith("/question"):
            continue
        cluster = asked.speaker.removesuffix("/question")
        lo = (published[i - 1].end + asked.start) / 2 if i else float("-inf")
        hi = (asked.end + published[i + 1].start) / 2 if i + 1 < len(published) else float("inf")
        timeline = relabel_span(timeline, cluster, lo, hi, asked.speaker)
    return sorted(timeline, key=lambda t: (t.start, t.end))
