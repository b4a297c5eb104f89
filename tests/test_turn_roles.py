"""Roles per sentence run (pipeline/structure/turn_roles.py) when diarization merges two people.

The cases are published transcripts, labels hidden: the synthetic development calls'
references (samples/generated/dev/*.ref.txt) and the real transcripts (samples/transcripts).
Each is given speaker ids as diarization would (one per voice, tests/real_calls.py), then two
people are put in one id, as pyannote's stock pipeline does, and the words each label gets
are counted: per voice (assign_roles alone) against per sentence run (the decoder).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.structure.callsheet import load_call_sheet
from pipeline.structure.roles import assign_roles, load_role_rules
from pipeline.structure.turn_roles import decode_units, relabel, unit_spans, units_of
from pipeline.types import Turn, Word
from real_calls import load_real_call, transcript_files

RULES = load_role_rules()


def _as_diarized(said: list[tuple[str, str]]) -> tuple[list[Turn], list[int]]:
    """One turn per run of one speaker id (what alignment gives), words 0.3 s apart, 0.8 s
    between published turns; and for each word, the index of its published turn."""
    turns, owner, t = [], [], 0.0
    for k, (speaker, text) in enumerate(said):
        words = [Word(x, t + i * 0.3, t + i * 0.3 + 0.25, 0.9, speaker) for i, x in enumerate(text.split())]
        if not words:
            continue
        t = words[-1].end + 0.8
        if turns and turns[-1].speaker == speaker:
            turns[-1].words += words
            turns[-1].end = words[-1].end
        else:
            turns.append(Turn(speaker, words[0].start, words[-1].end, words))
        owner += [k] * len(words)
    return turns, owner


def _words_right(call, sheet, merge: dict[str, str]) -> tuple[float, float]:
    """Share of words under their published label: per voice, and per sentence run."""
    said = [(merge.get(sp, sp), text) for sp, text in call.turns]
    roles = assign_roles(said, sheet, RULES)
    turns, owner = _as_diarized(said)
    units = units_of(turns, [])
    per_voice = per_unit = 0
    at = 0
    for unit, role in zip(units, decode_units(units, roles, sheet, RULES)):
        for k in owner[at: at + len(unit.text.split())]:
            per_voice += roles[unit.cluster].label == call.labels[k]
            per_unit += role.label == call.labels[k]
        at += len(unit.text.split())
    return per_voice / at, per_unit / at


def _merged(call) -> dict[str, dict[str, str]]:
    ids = list(dict.fromkeys(sp for sp, _ in call.turns))
    officials = [i for i in ids if i not in ("moderator", "operator") and not i.startswith("reporter")]
    reporters = [i for i in ids if i.startswith("reporter")]
    return {"as spoken": {},
            "moderator in an official's voice": {"moderator": officials[0]},
            "every other reporter in an official's voice": {r: officials[-1] for r in reporters[::2]},
            "every other reporter in the moderator's voice": {r: "moderator" for r in reporters[1::2]}}


@pytest.fixture(scope="module")
def dev_scores(synthetic_calls: Path) -> dict[str, tuple[float, float]]:
    totals: dict[str, list[float]] = {}
    for ref in sorted(synthetic_calls.glob("*.ref.txt")):
        call = load_real_call(ref)
        sheet_path = ref.with_name(ref.name.removesuffix(".ref.txt") + ".yaml")
        sheet = load_call_sheet(sheet_path) if sheet_path.exists() else call.sheet
        for name, merge in _merged(call).items():
            totals.setdefault(name, []).append(_words_right(call, sheet, merge))
    return {name: tuple(sum(x) / len(x) for x in zip(*pairs)) for name, pairs in totals.items()}


def test_voices_heard_apart_keep_their_roles(dev_scores):
    per_voice, per_unit = dev_scores["as spoken"]
    assert per_voice == 1.0 and per_unit == 1.0   # measured: 100 % and 100 %


@pytest.mark.parametrize("case, gain", [("moderator in an official's voice", 0.10),           # measured 0.63 -> 0.79
                                        ("every other reporter in an official's voice", 0.05),  # 0.91 -> 0.98
                                        ("every other reporter in the moderator's voice", 0.02)])  # 0.95 -> 0.99
def test_two_people_in_one_voice_are_told_apart(dev_scores, case, gain):
    per_voice, per_unit = dev_scores[case]
    assert per_unit >= per_voice + gain, (per_voice, per_unit)


def test_real_transcripts_as_spoken_lose_little():
    """On the real calls, one id per voice, sentence runs cost at most a point and a half of words
    against roles per voice (measured, mean over the calls: 98.2 % against 99.0 %)."""
    per_voice = per_unit = 0.0
    for path in transcript_files():
        call = load_real_call(path)
        a, b = _words_right(call, call.sheet, {})
        per_voice, per_unit = per_voice + a, per_unit + b
    assert per_unit >= per_voice - 0.015 * len(transcript_files())


def test_a_run_given_another_role_gets_its_own_id_in_the_timeline():
    timeline = [Turn("A", 0.0, 10.0), Turn("B", 10.5, 12.0), Turn("A", 12.5, 20.0)]
    out = relabel(timeline, [(4.0, 6.0, "A", "A/moderator")])
    assert [(t.speaker, t.start, t.end) for t in out] == [("A", 0.0, 4.0), ("A/moderator", 4.0, 6.0),
                                                          ("A", 6.0, 10.0), ("B", 10.5, 12.0), ("A", 12.5, 20.0)]


def test_a_chairs_handoff_inside_an_officials_voice_is_the_moderators():
    said = [("mod", "Good afternoon and welcome to today's call. This call is on background."),
            ("off", "Thank you. Today we publish new rules for rail safety across the whole network."),
            ("mod", "Operator, please open the lines."),
            ("op", "Ladies and gentlemen, if you wish to ask a question, please press one then zero."),
            ("off", "Let's go to the line of Maria Lopez."),   # the moderator, heard in the official's voice
            ("rep", "Hi, this is Maria Lopez from the Herald. When do the rules take effect?"),
            ("off", "They take effect in July, and the railways have a year to comply with every part.")]
    turns, _ = _as_diarized(said)
    roles = assign_roles(said, None, RULES)
    units = units_of(turns, [])
    decoded = decode_units(units, roles, None, RULES)
    by_text = {u.text: r.kind for u, r in zip(units, decoded)}
    assert by_text["Let's go to the line of Maria Lopez."] == "moderator"
    assert by_text["They take effect in July, and the railways have a year to comply with every part."] == "official"
    spans, new_roles = unit_spans(units, decoded, roles)
    assert [new_roles[new].kind for *_, new in spans if new.startswith("off/")] == ["moderator"]
