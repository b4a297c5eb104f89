"""Split voices that diarization merged, judged on whole turns instead of 5 s chunks.

pyannote clusters one speaker embedding per (5 s chunk, local speaker). A reporter's
two-second question fills part of one chunk, and its embedding is noisy enough that
similar voices fall into one cluster: on a call where the moderator calls on seven
questioners one after another, the moderator, the briefer and four reporters came out
as one speaker. Averaged over a whole turn, GE2E embeddings of one voice lie much
closer together (cosine distance about 0.06 between turns of a synthetic voice, 0.1
on the real telephone sample) than those of two voices (0.3 on average).

So, within each diarized speaker, turns with enough clean speech are clustered again
(average linkage, cosine distance, stopping at `threshold`); each group becomes a
speaker of its own. The speaker is only ever split, never merged with another: a
clustering that merged voices GE2E cannot tell apart would undo what pyannote got
right. Shorter turns join the group whose mean voice is nearest theirs; a turn too
short to embed at all keeps the speaker's id. Then a short turn may move to another
speaker altogether, when that speaker's voice is clearly nearer (`reassign_short_turns`).

The partials compared are the split encoder's (`diarization.split_encoder`): by default
GE2E and CAM++ side by side, which tell more voices apart than GE2E alone
(docs/measurements.md); the distances above are GE2E's.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from ..types import Turn


@dataclass
class Partials:
    """Unit-norm embeddings of partial utterances of `length` s starting every `step` s."""

    embeddings: np.ndarray       # (N, dim)
    step: float
    length: float


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-8)


def turn_embeddings(turns: list[Turn], partials: Partials) -> list[tuple[np.ndarray, int] | None]:
    """Per turn, the mean of the partials inside it that hear no other turn, and how many there are."""
    step, length, count = partials.step, partials.length, len(partials.embeddings)
    # How many turns are active in each `step`-long slice: a partial over a slice with two is not clean.
    slices = int(np.ceil(max((max(t.start, t.end) for t in turns), default=0) / step)) + 1   # empty turns too
    active = np.zeros(slices + 1, np.int32)
    for t in turns:
        active[int(np.floor(t.start / step + 1e-6))] += 1
        active[int(np.ceil(t.end / step - 1e-6))] -= 1
    crowded = np.cumsum(active)[:slices] > 1
    span = int(round(length / step))
    out = []
    for t in turns:
        first = int(np.ceil(t.start / step - 1e-6))
        last = min(int(np.floor((t.end - length) / step + 1e-6)), count - 1)
        inside = [k for k in range(first, last + 1) if not crowded[k: k + span].any()]
        out.append((_unit(partials.embeddings[inside].mean(axis=0)), len(inside)) if inside else None)
    return out


def split_merged_voices(turns: list[Turn], partials: Partials, threshold: float, min_partials: int,
                        embed: Callable[[Turn], np.ndarray | None] = lambda turn: None,
                        reassign_margin: float | None = None) -> list[str]:
    """A speaker id for every turn: diarization's own, or a new one where a speaker's turns fall apart.

    `embed` gives a unit-norm embedding for a turn too short for any clean partial (or None).
    With `reassign_margin`, short turns then move to another speaker's voice (`reassign_short_turns`).
    """
    embeddings = turn_embeddings(turns, partials)
    vectors: dict[int, np.ndarray | None] = {}

    def vector_of(i: int) -> np.ndarray | None:
        if i not in vectors:
            vectors[i] = embeddings[i][0] if embeddings[i] is not None else embed(turns[i])
        return vectors[i]

    labels = [t.speaker for t in turns]
    taken = set(labels)
    for speaker in sorted(taken):
        mine = [i for i, t in enumerate(turns) if t.speaker == speaker]
        solid = [i for i in mine if embeddings[i] is not None and embeddings[i][1] >= min_partials]
        if len(solid) < 2:
            continue
        groups = fcluster(linkage(np.array([embeddings[i][0] for i in solid]), "average", "cosine"),
                          threshold, "distance")
        if groups.max() == 1:
            continue
        group_of = dict(zip(solid, groups))
        # The group with the most speech keeps the speaker's id; the others get new ones.
        weight = {g: sum(embeddings[i][1] for i in solid if group_of[i] == g) for g in set(groups)}
        order = sorted(weight, key=lambda g: -weight[g])
        names = {order[0]: speaker} | {g: _new_id(taken) for g in order[1:]}
        centres = {names[g]: _unit(sum(embeddings[i][0] * embeddings[i][1] for i in solid if group_of[i] == g))
                   for g in order}
        for i in mine:
            if i in group_of:
                labels[i] = names[group_of[i]]
                continue
            vector = vector_of(i)
            if vector is not None:
                labels[i] = max(centres, key=lambda name: float(vector @ centres[name]))
    if reassign_margin is not None:
        labels = reassign_short_turns(labels, embeddings, min_partials, reassign_margin, vector_of)
    return labels


def reassign_short_turns(labels: list[str], embeddings: list[tuple[np.ndarray, int] | None], min_partials: int,
                         margin: float, vector_of: Callable[[int], np.ndarray | None]) -> list[str]:
    """Move each short turn to the speaker whose voice is nearest its own, by more than `margin`.

    A moderator's "David Stone." before the question, or a scrap at a hand-off, shares a
    5 s chunk with the next voice and lands in its cluster. Each speaker's voice is the
    mean of its turns with `min_partials` clean partials; a turn with fewer is compared
    with every speaker's voice (cosine similarity) and moves when another's is nearer
    than its own by more than `margin`. Solid turns never move, so no speaker is lost.
    """
    solid = {i for i, e in enumerate(embeddings) if e is not None and e[1] >= min_partials}
    centres = {name: _unit(sum(embeddings[i][0] * embeddings[i][1] for i in solid if labels[i] == name))
               for name in {labels[i] for i in solid}}
    moved = list(labels)
    for i, label in enumerate(labels):
        vector = vector_of(i) if i not in solid and label in centres else None
        if vector is None:
            continue
        nearest = max(centres, key=lambda name: float(vector @ centres[name]))
        if float(vector @ centres[nearest]) > float(vector @ centres[label]) + margin:
            moved[i] = nearest
    return moved


def _new_id(taken: set[str]) -> str:
    """The first SPEAKER_NN not yet used, in pyannote's naming."""
    n = 0
    while f"SPEAKER_{n:02d}" in taken:
        n += 1
    taken.add(f"SPEAKER_{n:02d}")
    return f"SPEAKER_{n:02d}"
