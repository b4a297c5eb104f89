"""Merging speakers that one encoder hears as one voice (pipeline/diarization/merge_voices.py)."""
from __future__ import annotations

import numpy as np

from pipeline.diarization.merge_voices import merge_alike, relabel, voice_prints
from pipeline.diarization.split_voices import Partials
from pipeline.types import Turn


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=float)
    return v / np.linalg.norm(v)


def test_alike_speakers_merge_and_others_stay_apart():
    voices = {"A": (unit(1, 0, 0), 30.0), "A2": (unit(0.9, 0.3, 0), 5.0), "B": (unit(0, 1, 0), 20.0)}
    into = merge_alike([voices], [0.6])
    assert into == {"A": "A", "A2": "A", "B": "B"}   # cos(A, A2) = 0.95; cos(A, B) = 0


def test_every_encoder_must_agree():
    first = {"A": (unit(1, 0), 10.0), "B": (unit(0.9, 0.1), 10.0)}
    second = {"A": (unit(1, 0), 10.0), "B": (unit(0, 1), 10.0)}
    assert merge_alike([first, second], [0.6, 0.6]) == {"A": "A", "B": "B"}


def test_the_call_sheet_floor_is_kept():
    voices = {s: (unit(1, i / 10), 10.0) for i, s in enumerate("ABC")}   # all alike
    assert len(set(merge_alike([voices], [0.6]).values())) == 1
    assert len(set(merge_alike([voices], [0.6], fewest=2).values())) == 2


def test_relabelled_turns_that_overlap_become_one():
    turns = [Turn("A", 0.0, 2.0), Turn("A2", 1.5, 3.0), Turn("B", 3.5, 4.0)]
    assert [(t.speaker, t.start, t.end) for t in relabel(turns, {"A2": "A"})] == [("A", 0.0, 3.0), ("B", 3.5, 4.0)]


def test_a_voice_print_pools_the_partials_inside_its_turns_alone():
    partials = Partials(np.array([unit(1, 0)] * 5 + [unit(0, 1)] * 15), 0.5, 1.0)   # 1 s partials every 0.5 s
    exclusive = [Turn("A", 0.0, 2.0), Turn("B", 2.5, 5.0), Turn("A", 5.0, 5.5)]   # A's 0.5 s turn holds no partial
    prints = voice_prints(exclusive, partials, pooled_from=2.0)
    assert prints["A"][1] == 2.0 and prints["B"][1] == 2.5
    assert np.allclose(prints["A"][0], unit(1, 0)) and np.allclose(prints["B"][0], unit(0, 1))


def test_a_voice_with_little_speech_is_embedded_from_its_longest_turns():
    partials = Partials(np.array([unit(1, 0)] * 20), 0.5, 1.0)
    exclusive = [Turn("A", 0.0, 2.0), Turn("A", 3.0, 3.5), Turn("B", 4.0, 9.0)]

    def embed(turn: Turn) -> np.ndarray:   # the turn's length as a direction: shows which were embedded
        return unit(turn.end - turn.start, 1.0)

    prints = voice_prints(exclusive, partials, embed, pooled_from=4.0)
    assert prints["A"][1] == 2.0 and np.allclose(prints["A"][0], unit(2.0, 1.0))   # directly; 0.5 s is too short
    assert prints["B"][1] == 5.0 and np.allclose(prints["B"][0], unit(1, 0))       # 5 s of turns: pooled
