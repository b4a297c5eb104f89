"""Trimming diarized turns to the louder-than-noise frames (pipeline/diarization/edges.py)."""
from __future__ import annotations

import numpy as np

from pipeline.audio import frame_levels
from pipeline.diarization.edges import absorb_slivers, bridge_pauses, cover_noise, trim_quiet_edges
from pipeline.types import Turn

RATE = 16000


def burst_in_noise(start: float, end: float, length: float = 4.0) -> np.ndarray:
    """Noise at -60 dBFS, with a -20 dBFS noise burst (a stand-in for a voice) from start to end."""
    rng = np.random.default_rng(0)
    samples = rng.standard_normal(int(length * RATE)).astype(np.float32) * 10 ** (-60 / 20)
    burst = slice(int(start * RATE), int(end * RATE))
    samples[burst] += rng.standard_normal(burst.stop - burst.start).astype(np.float32) * 10 ** (-20 / 20)
    return samples


def trim(turns: list[Turn], samples: np.ndarray, reach: float = 0.25) -> list[Turn]:
    return trim_quiet_edges(turns, frame_levels(samples, RATE), reach, margin_db=2, floor_percentile=5)


def test_a_turn_that_runs_into_the_pauses_is_trimmed_to_the_voice():
    [turn] = trim([Turn("A", 0.85, 2.2)], burst_in_noise(1.0, 2.0))
    assert (turn.speaker, turn.start, turn.end) == ("A", 1.0, 2.0)


def test_edges_inside_the_voice_and_beyond_reach_stay():
    samples = burst_in_noise(1.0, 2.0)
    inside, far = Turn("A", 1.1, 1.9), Turn("B", 0.5, 2.5)   # far: the voice is 0.5 s from each edge
    assert trim([inside, far], samples) == [inside, far]


def test_a_turn_never_grows_and_a_quiet_turn_is_kept():
    samples = burst_in_noise(1.0, 2.0)
    short, silent = Turn("A", 1.05, 1.5), Turn("B", 2.5, 2.7)
    [a, b] = trim([short, silent], samples)
    assert (a.start, a.end) == (1.05, 1.5)
    assert b == silent   # nothing loud within it: left for the stages after to judge


def test_on_a_real_call_no_speech_is_trimmed(pyannote_sample):
    """pyannote's telephone sample, its reference turns widened by 0.2 s into the pauses
    around them: trimming may take back some of the padding, never the speech."""
    from pipeline.audio import decode
    from pipeline.evaluation.metrics import load_rttm

    samples = decode(pyannote_sample / "sample.wav").samples
    reference = load_rttm(pyannote_sample / "sample.rttm")
    padded = []
    for turn in reference:
        before = max([t.end for t in reference if t.end <= turn.start], default=0.0)
        after = min([t.start for t in reference if t.start >= turn.end], default=30.0)
        padded.append(Turn(turn.speaker, max(before, turn.start - 0.2), min(after, turn.end + 0.2)))
    for t, p, r in zip(trim(padded, samples), padded, reference):
        assert p.start <= t.start <= r.start + 0.02 and r.end - 0.02 <= t.end <= p.end, (t, r)


def test_a_scrap_stuck_to_another_voice_joins_it_and_a_short_answer_in_silence_stays():
    """dev briefing: 68 ms of "MODERATOR" at the end of the second briefer's turn, 17 ms at its start."""
    turns = [Turn("MOD", 39.400, 42.387), Turn("MOD", 42.910, 42.927), Turn("TWO", 42.927, 56.663),
             Turn("MOD", 56.663, 56.731), Turn("MOD", 57.180, 61.710), Turn("ONE", 62.5, 62.8)]
    absorbed = [(t.speaker, t.start, t.end) for t in absorb_slivers(turns, shortest=0.5)]
    assert absorbed == [("MOD", 39.400, 42.387), ("TWO", 42.910, 56.731), ("MOD", 57.180, 61.710),
                        ("ONE", 62.5, 62.8)]
    assert turns[2] == Turn("TWO", 42.927, 56.663)   # the input is left as it was


def test_a_pause_between_one_voices_sentences_is_bridged_unless_someone_spoke_in_it():
    turns = [Turn("A", 0.0, 2.0), Turn("A", 2.5, 4.0),      # a 0.5 s pause between sentences
             Turn("B", 4.7, 6.0), Turn("B", 7.0, 8.0),      # 1 s apart: two turns
             Turn("A", 8.2, 9.0), Turn("C", 9.1, 9.3), Turn("A", 9.5, 10.0)]   # C spoke in A's pause
    bridged = [(t.speaker, t.start, t.end) for t in bridge_pauses(turns, longest=0.6)]
    assert bridged == [("A", 0.0, 4.0), ("B", 4.7, 6.0), ("B", 7.0, 8.0), ("A", 8.2, 9.0), ("C", 9.1, 9.3),
                       ("A", 9.5, 10.0)]
    assert turns[0] == Turn("A", 0.0, 2.0)   # the input is left as it was


def test_noise_that_cuts_a_turn_off_is_part_of_it_and_noise_in_a_pause_is_not():
    """held-out one_official: the official's turn ended where the noise over its last word began."""
    turns = [Turn("OFFICIAL", 88.78, 93.67), Turn("MODERATOR", 94.97, 103.51)]
    covered = cover_noise(turns, [(93.67, 94.26), (100.0, 100.5), (104.0, 104.6)])
    assert covered == [Turn("OFFICIAL", 88.78, 94.26), Turn("MODERATOR", 94.97, 103.51)]
    assert turns[0] == Turn("OFFICIAL", 88.78, 93.67)   # the input is left as it was
