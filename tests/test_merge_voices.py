"""Merging speakers that one encoder hears as one voice (pipeline/diarization/merge_voices.py)."""
from __future__ import annotations

import numpy as np

from pipeline.diarization.merge_voices import merge_alike, relabel, voice_embeddings
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


def test_voice_embeddings_weigh_the_longest_turns_alone():
    samples = np.zeros(16000 * 10, dtype=np.float32)
    exclusive = [Turn("A", 0.0, 4.0), Turn("A", 5.0, 6.0), Turn("A", 7.0, 7.5), Turn("B", 8.0, 9.5)]

    def embed(piece: np.ndarray) -> np.ndarray:   # the stretch's length as a direction: shows which were used
        return unit(len(piece) / 16000, 1.0)

    voices = voice_embeddings(exclusive, samples, 16000, embed, min_seconds=1.0)
    assert voices["A"][1] == 5.0                   # 4 s + 1 s; the 0.5 s turn is too short to embed
    assert voices["B"][1] == 1.5
