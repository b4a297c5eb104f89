"""Roles per sentence run, not per voice: for when diarization puts two people in one cluster.

assign_roles (roles.py) gives each diarized voice a role. When one cluster holds the
moderator and an official, everything it says gets one label. Here each turn is cut
into sentence runs ("units") and a Viterbi decoder picks a role for every unit:

- emissions: the cluster's own role (a soft prior, not a rule) plus what the unit says
  (hand-offs, queue instructions, a question, a reporter introducing themself, length);
- transitions: the grammar of a call (a hand-off to a questioner is followed by a
  question, a question by an official's answer, …), and inside one turn of one voice
  a change of role only after a hand-off or a question.

Units whose decoded role differs from their cluster's get a speaker id of their own,
"<cluster>/<label>", and the diarization timeline is relabeled over their span so
alignment, the transcript and the RTTM all agree. Weights: configs/roles.yaml (`turns`);
rationale: docs/roles.md.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..types import Turn
from .align import sentence_starts
from .callsheet import CallSheet
from .roles import Role, RoleRules, _has, _is_question, _name_forms, _normalized


@dataclass
class Unit:
    """A run of one cluster's sentences inside one aligned turn."""
    cluster: str
    turn: int           # index of the aligned turn it comes from
    start: float
    end: float
    text: str
    norm: str = ""


@dataclass
class _Cues:
    chair: bool          # opening, ground rules, closing, addressing the operator
    to_questioner: bool  # hands the floor to a reporter
    to_official: bool    # hands the floor to a briefer
    to_operator: bool
    to_anyone: bool      # "next, …", "…, go ahead": the floor passes, to a reporter or a briefer
    operator: bool       # queue instructions
    question: bool
    introduces: bool     # "this is X from Y", "thanks for taking my question"
    long: bool
    names: set[str]      # official labels named at the unit's end


def _spoken_as(official: Role) -> list[str]:
    """How a hand-off names an official: their name (full, surname, first) or their label."""
    forms = _name_forms(official.official.name) if official.official and official.official.name else []
    return forms + [_normalized(official.label)]


def units_of(turns: list[Turn], abbreviations: list[str]) -> list[Unit]:
    """Each aligned turn cut at its sentence ends."""
    units = []
    for i, turn in enumerate(turns):
        if not turn.words:
            continue
        starts = sentence_starts([w.text for w in turn.words], abbreviations) + [len(turn.words)]
        for a, b in zip(starts, starts[1:]):
            words = turn.words[a:b]
            text = " ".join(w.text for w in words)
            units.append(Unit(turn.speaker, i, words[0].start, words[-1].end, text, _normalized(text)))
    return units


def _passes_floor(text: str, rules: RoleRules) -> bool:
    """"Next, Tom Becker." or "Lucy Grant, go ahead.": a floor-passing phrase that opens the
    sentence before a comma, or ends it."""
    said = text.lower().strip()
    ending = _normalized(said)
    return any(said.startswith(p + ",") for p in rules.raw_cues["floor_opening"]) or \
        any(ending.endswith(p) for p in rules.cues["floor_closing"])


def _cues(unit: Unit, rules: RoleRules, officials: list[Role], punctuated: bool) -> _Cues:
    c, n = rules.cues, unit.norm
    tail = " " + " ".join(n.split()[-8:]) + " "
    names = {o.label for o in officials if _has(tail, _spoken_as(o))}
    return _Cues(chair=_has(n, c["moderator"]) or _has(n, c["to_operator"]),
                 # Queue instructions ("if you'd like to ask a question, please press…") call on nobody.
                 to_questioner=_has(n, c["to_questioner"]) and not _has(n, c["operator"]),
                 to_official=_has(n, c["to_official"]),
                 to_operator=_has(n, c["to_operator"]), operator=_has(n, c["operator"]),
                 to_anyone=_passes_floor(unit.text, rules), 
                 question=_is_question(unit.text, n, rules, punctuated),
                 introduces=_has(n, c["introduction"]) or bool(rules.self_introduction.search(n)),
                 long=len(n.split()) >= rules.turns["long_unit_words"], names=names)


def _emission(cue: _Cues, state: Role, first: bool, last: bool, w: dict) -> float:
    """What a unit's own words say about who speaks it."""
    kind = state.kind
    if kind == "moderator":
        return (w["chair"] * cue.chair + w["hands_off"] * (cue.to_questioner or cue.to_official or cue.to_anyone)
                + w["opens"] * first + w["closes"] * last)
    if kind == "operator":
        return w["queue"] * cue.operator + w["operator_hands_off"] * (cue.to_questioner or cue.to_anyone)
    if kind == "questioner":
        return (w["asks"] * cue.question + w["introduces"] * cue.introduces
                - w["chair"] * (cue.chair or cue.to_official or cue.to_questioner))
    return w["long"] * cue.long


def _supports(cue: _Cues, state: Role) -> bool:
    """Whether a unit's own words announce the person of `state` (a chair's hand-off, queue
    instructions, a reporter's introduction). A question does not: briefers ask them too."""
    return {"moderator": cue.chair or cue.to_questioner or cue.to_official or cue.to_anyone,
            "operator": cue.operator or cue.to_questioner or cue.to_anyone,
            "questioner": cue.introduces}.get(state.kind, cue.long)


def _off_cluster(state: Role, cluster: Role | None, w: dict) -> float:
    """What starting a run of `state` costs in a voice whose role is `cluster`'s: more for a chair
    no voice was given (a press conference has none; a merged moderator has no voice of its own)."""
    if cluster is None or cluster.label == state.label:
        return 0.0
    return w["off_cluster"] + w["unclaimed_chair"] * bool(getattr(state, "unclaimed", False))


def _chair_goes_on(prev_cue: _Cues, before: Role, state: Role) -> bool:
    """A chair who has just handed the floor on, followed in the same voice by a chair: rare,
    unless the moderator called the operator, or the operator answers a call to a reporter."""
    chairs = ("moderator", "operator")
    if before.kind not in chairs or state.kind not in chairs or not _hands_off(prev_cue):
        return False
    operator_called = (prev_cue.to_operator or prev_cue.to_questioner) and before.kind == "moderator"
    return not (state.kind == "operator" and operator_called)


def _hands_off(cue: _Cues) -> bool:
    return cue.to_questioner or cue.to_official or cue.to_operator or cue.to_anyone


def _transition(prev: Unit, prev_cue: _Cues, before: Role, unit: Unit, cue: _Cues, state: Role,
                cluster: Role | None, w: dict) -> float:
    """The grammar of a call, read from the unit before (and, inside one turn, this unit's own cues).

    The cluster's role is a prior per person, not per sentence: a run of sentences that
    starts a person other than the cluster's pays `off_cluster` once.
    """
    off_cluster = _off_cluster(state, cluster, w)
    if prev.turn == unit.turn:   # one voice, one turn
        if before.label == state.label:
            return -w["continue_after_handoff"] * _chair_goes_on(prev_cue, before, state)
        reason = (_hands_off(prev_cue) or prev_cue.question or _supports(cue, state)
                  or unit.start - prev.end >= w["pause_seconds"])
        score = -(w["switch_after_cue"] if reason else w["switch_in_turn"]) - off_cluster
        score -= w["continue_after_handoff"] * _chair_goes_on(prev_cue, before, state)
    else:
        score = -off_cluster
        if before.label == state.label:   # one person over two voices: diarization split them, rarely
            score -= w["same_label_new_voice"]
        if before.kind == "official" and state.kind == "questioner":     # a chair calls on reporters
            score -= w["uncalled_question"]
    chair = before.kind in ("moderator", "operator")   # hand-offs are the chair's to make
    if prev_cue.to_questioner and chair:   # the operator opens the reporter's line in words of its own
        score += w["handoff"] * (state.kind == "questioner" or (state.kind == "operator" and _supports(cue, state)))
    elif prev_cue.to_official and before.kind != "questioner":
        score += w["handoff"] * (state.kind == "official")
    elif prev_cue.to_operator and chair:
        score += w["handoff"] * (state.kind == "operator")
    elif prev_cue.to_anyone and chair:
        score += w["handoff"] * (state.kind in ("questioner", "official"))
    if _hands_off(prev_cue) and before.kind != "questioner":
        score += w["named"] * (state.label in prev_cue.names)
    if before.kind == "questioner" and prev_cue.question:
        score += w["answer"] * (state.kind == "official")
    return score


@dataclass
class _Unclaimed(Role):
    """A role no voice was given."""
    unclaimed: bool = True


def _states(roles: dict[str, Role], sheet: CallSheet | None, rules: RoleRules) -> list[Role]:
    """Every label a unit may get: those the clusters got, the sheet's officials, the chair roles."""
    states = {r.label: r for r in roles.values()}
    for official in (sheet.officials if sheet else []):
        states.setdefault(official.label, Role("official", official.label, official))
    for kind in ("moderator", "operator", "questioner"):
        if not any(r.kind == kind for r in states.values()):
            states[rules.labels[kind]] = _Unclaimed(kind, rules.labels[kind])
    return list(states.values())


def decode_units(units: list[Unit], roles: dict[str, Role], sheet: CallSheet | None,
                 rules: RoleRules) -> list[Role]:
    """The best role for every unit (Viterbi over units, emissions plus transitions)."""
    if not units:
        return []
    w = rules.turns
    states = _states(roles, sheet, rules)
    officials = [s for s in states if s.kind == "official"]
    punctuated = any(ch in u.text for u in units for ch in ".?!")
    cues = [_cues(u, rules, officials, punctuated) for u in units]
    best = [_emission(cues[0], s, True, len(units) == 1, w) - _off_cluster(s, roles.get(units[0].cluster), w)
            for s in states]
    back: list[list[int]] = []
    for k in range(1, len(units)):
        u, cue, prev, prev_cue = units[k], cues[k], units[k - 1], cues[k - 1]
        scores, pointers = [], []
        for s in states:
            came = [best[j] + _transition(prev, prev_cue, b, u, cue, s, roles.get(u.cluster), w)
                    for j, b in enumerate(states)]
            j = max(range(len(states)), key=came.__getitem__)
            scores.append(came[j] + _emission(cue, s, False, k == len(units) - 1, w))
            pointers.append(j)
        best, back = scores, back + [pointers]
    path = [max(range(len(states)), key=best.__getitem__)]
    for pointers in reversed(back):
        path.append(pointers[path[-1]])
    return [states[j] for j in reversed(path)]


def relabel_span(timeline: list[Turn], cluster: str, start: float, end: float, new: str) -> list[Turn]:
    """The timeline with `cluster`'s speech between start and end cut out under the id `new`."""
    out = []
    for turn in timeline:
        if turn.speaker != cluster or turn.end <= start or turn.start >= end:
            out.append(turn)
            continue
        if turn.start < start:
            out.append(Turn(cluster, turn.start, start))
        out.append(Turn(new, max(turn.start, start), min(turn.end, end)))
        if end < turn.end:
            out.append(Turn(cluster, end, turn.end))
    return out


def relabel(timeline: list[Turn], spans: list[tuple[float, float, str, str]]) -> list[Turn]:
    """Diarization turns with each (start, end, cluster, new id) span cut out under its new id."""
    for start, end, cluster, new in spans:
        timeline = relabel_span(timeline, cluster, start, end, new)
    return timeline


def unit_spans(units: list[Unit], decoded: list[Role], roles: dict[str, Role]) -> tuple[
        list[tuple[float, float, str, str]], dict[str, Role]]:
    """Spans of the units whose decoded role is not their cluster's, with the new ids' roles.

    A span reaches halfway into the pauses either side, so the words at its edges stay in it.
    """
    spans, new_roles = [], {}
    for k, (unit, role) in enumerate(zip(units, decoded)):
        own = roles.get(unit.cluster)
        if own is not None and own.label == role.label:
            continue
        start = (units[k - 1].end + unit.start) / 2 if k else unit.start - 1.0
        end = (unit.end + units[k + 1].start) / 2 if k + 1 < len(units) else unit.end + 1.0
        new = f"{unit.cluster}/{role.label.lower()}"
        spans.append((start, end, unit.cluster, new))
        new_roles[new] = role
    return spans, new_roles
