"""A masked-noise stretch joins the turn it cuts off (pipeline/structure/inaudible.py, cover_noise)."""
from __future__ import annotations

from pipeline.structure.inaudible import cover_noise
from pipeline.types import Turn


def test_noise_that_cuts_a_turn_off_is_part_of_it_and_noise_in_a_pause_is_not():
    """held-out one_official: the official's turn ended where the noise over its last word began."""
    turns = [Turn("OFFICIAL", 88.78, 93.67), Turn("MODERATOR", 94.97, 103.51)]
    covered = cover_noise(turns, [(93.67, 94.26), (100.0, 100.5), (104.0, 104.6)])
    assert covered == [Turn("OFFICIAL", 88.78, 94.26), Turn("MODERATOR", 94.97, 103.51)]
    assert turns[0] == Turn("OFFICIAL", 88.78, 93.67)   # the input is left as it was
