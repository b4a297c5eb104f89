"""split_merged_voices on its own: turns and partial embeddings in, one speaker id per turn out."""
from __future__ import annotations

import numpy as np

from pipeline.diarization.split_voices import Partials, split_merged_voices, turn_embeddings
from pipeline.types import Turn

STEP, LENGTH = 0.2, 1.6


def voice(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(16)


def partials_for(spans: list[tuple[float, float, np.ndarray]], duration: float, spread: float = 0.2) -> Partials:
    """Partials every 0.2 s over `duration`: near the voice of the span they start in, noise elsewhere."""
    rng = np.random.default_rng(0)
    rows = []
    for k in range(int(duration / STEP)):
        start = k * STEP
        base = next((v for a, b, v in spans if a <= start < b), rng.standard_normal(16))
        row = base + spread * rng.standard_normal(16) * np.linalg.norm(base) / 4
        rows.append(row / np.linalg.norm(row))
    return Partials(np.array(rows), STEP, LENGTH)


def test_a_speaker_holding_two_voices_is_split_and_one_voice_is_not():
    a, b, c = voice(1), voice(2), voice(3)
    turns = [Turn("SPEAKER_00", 0, 8), Turn("SPEAKER_01", 9, 15), Turn("SPEAKER_00", 16, 20),
             Turn("SPEAKER_01", 21, 27), Turn("SPEAKER_00", 28, 36)]
    voices = [a, c, b, c, a]                           # SPEAKER_00 is two people: a (12 s) and b (4 s)
    partials = partials_for([(t.start, t.end, v) for t, v in zip(turns, voices)], 40)
    labels = split_merged_voices(turns, partials, threshold=0.165, min_partials=5)
    assert labels[0] == labels[4] == "SPEAKER_00"      # the voice with the most speech keeps the id
    assert labels[2] == "SPEAKER_02"                   # a fresh id, not one already taken
    assert labels[1] == labels[3] == "SPEAKER_01"      # one voice: never split


def test_short_turns_join_the_nearest_group_or_keep_the_main_id():
    a, b = voice(1), voice(2)
    turns = [Turn("S", 0, 8), Turn("S", 9, 15), Turn("S", 16, 17.2), Turn("S", 18, 18.3), Turn("S", 20, 28)]
    partials = partials_for([(0, 8, a), (9, 15, b), (16, 17.2, b), (20, 28, a)], 30)
    embedded = {16: b / np.linalg.norm(b)}
    labels = split_merged_voices(turns, partials, 0.165, 5, embed=lambda t: embedded.get(t.start))
    assert labels[0] == labels[4] == "S" and labels[1] != "S"
    assert labels[2] == labels[1]                      # 1.2 s: no clean partial, its own embedding decides
    assert labels[3] == "S"                            # nothing to judge by


def test_partials_that_hear_another_turn_are_left_out():
    turns = [Turn("A", 0, 4), Turn("B", 3, 8)]         # one second talked over
    partials = Partials(np.eye(40)[:40], STEP, LENGTH)
    (_, count_a), (_, count_b) = turn_embeddings(turns, partials)
    # A: the partials starting 0.0-1.4 s end by 3.0 s, clear of B; B: those starting 4.0-6.4 s.
    assert count_a == 8 and count_b == 13


def test_an_empty_turn_after_the_others_has_no_embedding():
    """A turn cut to nothing (metrics.alone of one inside another) may lie past every other turn's end."""
    turns = [Turn("A", 0, 4), Turn("B", 6.5, 6.0)]
    partials = Partials(np.eye(40)[:40], STEP, LENGTH)
    (_, count_a), empty = turn_embeddings(turns, partials)
    assert count_a > 0 and empty is None


def test_a_short_turn_moves_to_the_speaker_whose_voice_it_is():
    """A moderator's 1.2 s hand-off, clustered with the questioner after it, goes back to the
    moderator; with a margin wider than the voices' difference it stays where it was."""
    a, b = voice(1), voice(2)
    turns = [Turn("MOD", 0, 8), Turn("Q", 9, 10.2), Turn("Q", 10.5, 18), Turn("MOD", 19, 27), Turn("Q", 28, 28.2)]
    partials = partials_for([(0, 8, a), (9, 10.2, a), (10.5, 18, b), (19, 27, a)], 30)
    embedded = {9: a / np.linalg.norm(a)}
    split = lambda margin: split_merged_voices(turns, partials, 0.165, 5, embed=lambda t: embedded.get(t.start),  # noqa: E731
                                               reassign_margin=margin)
    assert split(0.1) == ["MOD", "MOD", "Q", "MOD", "Q"]   # the 0.2 s scrap cannot be judged: it stays
    assert split(2.0) == split(None) == [t.speaker for t in turns]
