"""Assign roles: which diarized speaker is the moderator, the operator, each briefer, a questioner.

Everything the call offers is counted per speaker (configs/roles.yaml holds the
phrases and thresholds): who opens and closes, hand-offs ("let's go to the line of…"
makes the next speaker a questioner, "I'll turn it over to…" an official), operator
phrasing, who asks and who answers, how long people talk. Each (speaker, role) pair
gets a score from these counts, and the roles are chosen jointly: the assignment with
the highest total, with a slot for each official on the call sheet (and its named
chair, if any), at most one moderator and one operator, and any number of questioners.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from .callsheet import CallSheet, Official
from ..config import CONFIG_DIR
from .text import normalize_words

NUMBER_WORDS = "ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN".split()


@dataclass
class RoleRules:
    labels: dict[str, str]
    cues: dict[str, list[str]]      # normalized, padded with spaces
    raw_cues: dict[str, list[str]]  # as written in the file (lowercase)
    thresholds: dict[str, float]
    turns: dict[str, float]         # the per-unit decoder's weights (turn_roles.py)
    self_introduction: re.Pattern   # "this is X from Y" (turn_roles.py)


def load_role_rules(path: str | Path = CONFIG_DIR / "roles.yaml") -> RoleRules:
    data = yaml.safe_load(Path(path).read_text())
    cues = {kind: [" " + " ".join(normalize_words(p)) + " " for p in phrases]
            for kind, phrases in data["cues"].items()}
    raw = {kind: [p.lower() for p in phrases] for kind, phrases in data["cues"].items()}
    return RoleRules(data["labels"], cues, raw, data["thresholds"], data["turns"],
                     re.compile(data["self_introduction"]))


@dataclass
class Role:
    kind: str                       # moderator | operator | official | questioner
    label: str                      # what the house transcript prints
    official: Official | None = None


@dataclass
class SpeakerStats:
    speaker: str
    turns: int = 0
    words: int = 0
    first_turn: int = 10**9
    first_substantive: int = 10**9
    long_turns: int = 0
    operator_cues: int = 0
    moderator_cues: int = 0
    handoffs: int = 0               # turns handing the floor to someone
    calls_questioners: int = 0      # of them, turns handing the floor to a questioner
    addressed_as_operator: int = 0  # turns that follow someone addressing the operator
    asked: int = 0                  # turns that follow a hand-off to a questioner
    briefed: int = 0                # turns that follow a hand-off to an official
    questions: int = 0              # turns that ask
    answers: int = 0                # turns that follow someone else's question
    cues_question: int = 0          # short turns after which someone else asks


def _normalized(text: str) -> str:
    return " " + " ".join(normalize_words(text)) + " "


def _has(norm: str, phrases: list[str]) -> bool:
    return any(p in norm for p in phrases)


def _is_question(text: str, norm: str, rules: RoleRules, punctuated: bool = True) -> bool:
    if "?" in text:
        return True
    if not punctuated and _has(norm, rules.cues["question_unpunctuated"]):
        return True
    return _has(norm, rules.cues["question"])


@dataclass
class _TurnCues:
    """What one turn says, computed once: the turn and the next one both read it."""
    speaker: str
    norm: str
    words: int
    question: bool
    to_questioner: bool
    to_official: bool
    to_operator: bool


def _turn_cues(turns: list[tuple[str, str]], rules: RoleRules) -> list[_TurnCues]:
    punctuated = any(c in text for _, text in turns for c in ".?!")
    cues = []
    for speaker, text in turns:
        norm = _normalized(text)
        cues.append(_TurnCues(speaker, norm, len(norm.split()), _is_question(text, norm, rules, punctuated),
                              _has(norm, rules.cues["to_questioner"]), _has(norm, rules.cues["to_official"]),
                              _has(norm, rules.cues["to_operator"])))
    return cues


def speaker_stats(turns: list[tuple[str, str]], rules: RoleRules) -> dict[str, SpeakerStats]:
    th = rules.thresholds
    stats: dict[str, SpeakerStats] = {}
    cues = _turn_cues(turns, rules)
    for i, turn in enumerate(cues):
        s = stats.setdefault(turn.speaker, SpeakerStats(turn.speaker))
        s.turns += 1
        s.words += turn.words
        s.first_turn = min(s.first_turn, i)
        if turn.words >= th["substantive_words"]:
            s.first_substantive = min(s.first_substantive, i)
        s.long_turns += turn.words >= th["long_turn_words"]
        s.operator_cues += _has(turn.norm, rules.cues["operator"])
        s.moderator_cues += _has(turn.norm, rules.cues["moderator"])
        s.handoffs += turn.to_questioner or turn.to_official
        s.calls_questioners += turn.to_questioner
        s.questions += turn.question
        previous = cues[i - 1] if i else None
        if previous and previous.speaker != turn.speaker:
            if previous.to_operator and not previous.to_questioner:  # "…operator. Let's go to the line of…"
                s.addressed_as_operator += 1
            if previous.to_questioner:
                s.asked += 1
            elif previous.to_official:
                s.briefed += 1
            if previous.question and not previous.to_questioner:
                s.answers += 1
            if turn.question and previous.words < th["long_turn_words"]:
                stats[previous.speaker].cues_question += 1
    return stats


def _official_score(s: SpeakerStats, total_words: int) -> float:
    return 2 * s.briefed + s.answers + s.long_turns + 10 * s.words / max(1, total_words)


def _moderator_score(s: SpeakerStats, first: str, last: str) -> float:
    return s.handoffs + s.moderator_cues + s.cues_question + 2 * (s.speaker == first) + (s.speaker == last)


def _operator_score(s: SpeakerStats) -> float:
    # Reading the queue instructions or being addressed as the operator is the evidence;
    # calling questioners (which a chair does too) only adds to it.
    return 3 * (s.operator_cues + s.addressed_as_operator) + s.calls_questioners


def _questioner_score(s: SpeakerStats) -> float:
    return s.asked + 0.5 * s.questions


def estimate_official_count(stats: dict[str, SpeakerStats], substantive_words: int,
                            briefed_and_answered: int) -> int:
    """With no call sheet: officials are those who answer or brief at length, those handed
    the floor and answering again and again (in short turns too), and those who speak at
    length without asking, being called on, chairing or reading queue instructions."""
    total = sum(s.words for s in stats.values())

    def briefs(s: SpeakerStats) -> bool:
        if s.long_turns >= 1 and _official_score(s, total) >= 3:
            return True
        if min(s.briefed, s.answers) >= briefed_and_answered and not s.handoffs:
            return True
        return (s.words >= substantive_words and not (s.questions or s.asked or s.handoffs
                                                      or s.moderator_cues or s.operator_cues))
    return max(1, sum(1 for s in stats.values() if briefs(s)))


def default_officials(count: int, family: str) -> list[Official]:
    if count == 1:
        return [Official(label=family)]
    return [Official(label=f"{family} {NUMBER_WORDS[i] if i < len(NUMBER_WORDS) else i + 1}") for i in range(count)]


def official_family(turns: list[tuple[str, str]], rules: RoleRules) -> str | None:
    """The label family the ground rules give briefers ("…attributable to a senior
    administration official" -> SENIOR ADMINISTRATION OFFICIAL), from the first turn that
    names one; None when none does."""
    cues = "|".join(re.escape(c.strip()) for c in rules.cues["attribution"])
    named = re.compile(rf" (?:{cues}) (?:an? |the )?(senior (?:\S+ ){{0,3}}?official)s? ")
    for _, text in turns:
        found = named.search(_normalized(text))
        if found:
            return found.group(1).upper()
    return None


def said_on_background(turns: list[tuple[str, str]], kinds: dict[str, str], rules: RoleRules) -> bool:
    """Whether anyone but a questioner puts the call on background (the ground rules: a
    chair as a rule, or a briefer who states them)."""
    return any(kinds.get(speaker) != "questioner" and _has(_normalized(text), rules.cues["background"])
               for speaker, text in turns)


def _name_forms(name: str) -> list[str]:
    """Full name, surname and first name: a chair hands over with any of them."""
    words = normalize_words(name)
    forms = {" ".join(words), words[-1], words[0]} if words else set()
    return [f" {form} " for form in forms]


def _order_officials(speakers: list[str], officials: list[Official], votes: dict[tuple[str, int], int],
                     stats: dict[str, SpeakerStats]) -> dict[str, Official]:
    """Match official speakers to the sheet: by hand-offs to named briefers, else by first substantive turn."""
    assignment: dict[str, Official] = {}
    free = list(range(len(officials)))
    # Strongest name evidence first; what is left goes in order of first substantive turn.
    for (sp, i), _ in sorted(votes.items(), key=lambda kv: -kv[1]):
        if sp in speakers and sp not in assignment and i in free:
            assignment[sp] = officials[i]
            free.remove(i)
    for sp in sorted(speakers, key=lambda sp: (stats[sp].first_substantive, stats[sp].first_turn)):
        if sp not in assignment and free:
            assignment[sp] = officials[free.pop(0)]
    return assignment


def _order_chairs(roles: dict[str, "Role"], stats: dict[str, SpeakerStats], generic: str) -> None:
    """Two chairs (a host's moderator and the sheet's named chair): the host opens the floor first."""
    chairs = sorted((sp for sp, r in roles.items() if r.kind == "moderator"), key=lambda sp: stats[sp].first_turn)
    if len(chairs) == 2 and roles[chairs[0]].label != generic:
        roles[chairs[0]], roles[chairs[1]] = roles[chairs[1]], roles[chairs[0]]


def _name_votes(turns: list[tuple[str, str]], officials: list[Official],
                rules: RoleRules) -> dict[tuple[str, int], int]:
    """(speaker, official index) -> how often a hand-off just before the speaker names that official.

    A hand-off is a short turn or one with a hand-off phrase; a long question that merely
    mentions a briefer is not evidence of who answers.
    """
    votes: dict[tuple[str, int], int] = {}
    forms = [_name_forms(o.name) if o.name else [] for o in officials]
    for (prev_speaker, prev_text), (speaker, _) in zip(turns, turns[1:]):
        if prev_speaker == speaker:
            continue
        prev_norm = _normalized(prev_text)
        handoff = _has(prev_norm, rules.cues["to_official"]) or \
            len(prev_norm.split()) < rules.thresholds["handoff_max_words"]
        if not handoff:
            continue
        # A hand-off names the next speaker at its very end ("…over to Secretary Blinken"),
        # and after any briefer it thanks: "Thank you, Catherine. William, over to you."
        tail = " " + " ".join(prev_norm.split()[-8:]) + " "
        last = {i: max(tail.rfind(form) for form in names) for i, names in enumerate(forms) if names}
        named = [i for i, at in last.items() if at >= 0]
        if named:
            i = max(named, key=last.get)
            votes[(speaker, i)] = votes.get((speaker, i), 0) + 1
    return votes


def assign_roles(turns: list[tuple[str, str]], sheet: CallSheet | None = None,
                 rules: RoleRules | None = None) -> dict[str, Role]:
    """Map each speaker id in `turns` ((speaker, text) in time order) to a Role.

    Roles are chosen jointly: a score for each (speaker, role) pair, then the assignment
    with the highest total (scipy's linear_sum_assignment), with one slot per official
    on the sheet, at most one moderator and one operator, and any number of questioners.
    """
    from scipy.optimize import linear_sum_assignment

    rules = rules or load_role_rules()
    th, labels = rules.thresholds, rules.labels
    stats = speaker_stats(turns, rules)
    if not stats:
        return {}
    speakers = list(stats)
    total = sum(s.words for s in stats.values())
    first, last = turns[0][0], turns[-1][0]
    officials = list(sheet.officials) if sheet and sheet.officials else None
    count = len(officials) if officials else \
        estimate_official_count(stats, th["substantive_words"], th["briefed_and_answered"])
    votes = _name_votes(turns, officials or [], rules)

    FILL = 100.0  # people the sheet lists are on the call: fill their slots before anything else
    chair = sheet.moderator_label if sheet and sheet.moderator_label != labels["moderator"] else None
    n = len(speakers)
    # Columns: official slots, the sheet's named chair (if any), moderator, operator, then one
    # questioner slot per speaker. Rows: speakers, then "nobody is the moderator" and
    # "nobody is the operator".
    c_chair = count
    c_mod = count + (1 if chair else 0)
    c_op = c_mod + 1
    c_q = c_op + 1
    score = np.full((n + 2, c_q + n + 2), -1e6)
    for r, sp in enumerate(speakers):
        s = stats[sp]
        score[r, :count] = FILL + _official_score(s, total)
        if chair:
            score[r, c_chair] = FILL + _moderator_score(s, first, last)
        score[r, c_mod] = _moderator_score(s, first, last)
        if s.operator_cues + s.addressed_as_operator >= th["operator_min_cues"]:
            score[r, c_op] = _operator_score(s)
        score[r, c_q:] = _questioner_score(s)
    score[n, c_mod] = th["moderator_min_score"]
    score[n + 1, c_op] = 0.0
    score[n:, c_q + n:] = 0.0
    rows, cols = linear_sum_assignment(score, maximize=True)

    roles: dict[str, Role] = {}
    chosen = []
    for r, c in zip(rows, cols):
        if r >= n:
            continue
        if c < count:
            chosen.append(speakers[r])
        elif chair and c == c_chair:
            roles[speakers[r]] = Role("moderator", chair)
        elif c == c_mod:
            roles[speakers[r]] = Role("moderator", labels["moderator"])
        elif c == c_op:
            roles[speakers[r]] = Role("operator", labels["operator"])
        else:
            roles[speakers[r]] = Role("questioner", labels["questioner"])
    _order_chairs(roles, stats, labels["moderator"])
    officials = officials or default_officials(len(chosen), official_family(turns, rules) or labels["official_family"])
    for speaker, official in _order_officials(chosen, officials, votes, stats).items():
        roles[speaker] = Role("official", official.label, official)
    return roles


def _asks(sentence: str) -> bool:
    # A question in quotes ends with ?” : a chair reading out a typed question, in the chair's voice.
    return sentence.rstrip().endswith("?")


def question_heads(turns: list[tuple[str, list[str]]], kinds: dict[str, str],
                   rules: RoleRules | None = None) -> dict[int, int]:
    """{turn index: sentence count} for an official's turns that begin with a reporter's question.

    `turns` are (speaker, sentences). Diarization merges voices it cannot tell apart;
    when a reporter lands in the cluster of the official who answers, question and
    answer become one turn under the official's label. A turn is taken to begin with a
    reporter's question when the moderator or operator has just handed the floor to a
    questioner and the official's speaker id then asks something; the question runs to
    its last sentence that ends in "?" (the whole turn when none does). On the real
    transcripts, with each such question merged into the answer after it, the split
    puts 81 % of the words under the right role (66 % left merged; 47 % when the whole
    turn went to the reporter), and with the turns as spoken it takes no official's
    own turn (tests/test_call_structure.py).
    """
    rules = rules or load_role_rules()
    cues = _turn_cues([(speaker, " ".join(sentences)) for speaker, sentences in turns], rules)
    heads = {}
    for i in range(1, len(cues)):
        if kinds.get(cues[i].speaker) == "official" and cues[i].question \
                and kinds.get(cues[i - 1].speaker) in ("moderator", "operator") and cues[i - 1].to_questioner:
            asks = [_asks(s) for s in turns[i][1]]
            heads[i] = len(asks) - asks[::-1].index(True) if True in asks else len(asks)
    return heads


def question_tails(turns: list[tuple[str, list[str]]], kinds: dict[str, str],
                   rules: RoleRules | None = None) -> dict[int, int]:
    """{turn index: sentence index} for a chair's turns that end in a reporter's question.

    `turns` are (speaker, sentences). When diarization merges a reporter into the
    moderator's or operator's cluster, the hand-off and the question become one turn.
    It is split after the turn's first hand-off to a questioner (and any hand-offs right
    after it) when the rest asks something and an official answers next. On the real
    transcripts, with each question that an official answers merged into the chair's
    turn before it, this takes back about 60 % of those questions' words, and it splits
    none of the chair's turns as spoken (tests/test_call_structure.py).
    """
    rules = rules or load_role_rules()
    tails = {}
    for i, ((speaker, sentences), (answerer, _)) in enumerate(zip(turns, turns[1:])):
        if kinds.get(speaker) not in ("moderator", "operator") or kinds.get(answerer) != "official":
            continue
        handoff = [_has(_normalized(s), rules.cues["to_questioner"]) for s in sentences]
        if True not in handoff:
            continue
        start = handoff.index(True) + 1
        while start < len(handoff) and handoff[start]:
            start += 1
        if any(_asks(s) for s in sentences[start:]):
            tails[i] = start
    return tails
