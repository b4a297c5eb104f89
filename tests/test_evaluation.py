"""The evaluation's diarization figures: DER parts inside a UEM, pooled over recordings, speakers found."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.evaluation.evaluate import CallScore, overall, score_diarization
from pipeline.evaluation.metrics import diarization_errors, error_rate, load_uem
from pipeline.types import Turn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "samples"))


def test_der_parts_are_seconds_inside_the_uem():
    reference = [Turn("a", 0, 10), Turn("b", 10, 20)]
    hypothesis = [Turn("x", 0, 10), Turn("x", 10, 14)]       # b's first 4 s confused, its last 6 s missed
    assert diarization_errors(reference, hypothesis) == pytest.approx(
        {"missed detection": 6, "false alarm": 0, "confusion": 4, "total": 20})
    inside = diarization_errors(reference, hypothesis, uem=[(0, 12)])
    assert inside == pytest.approx({"missed detection": 0, "false alarm": 0, "confusion": 2, "total": 12})


def test_overall_der_is_pooled_over_reference_speech_not_averaged():
    long = CallScore("long", 600.0, der_seconds={"missed detection": 10, "false alarm": 0, "confusion": 0, "total": 500})
    sparse = CallScore("sparse", 30.0, der_seconds={"missed detection": 1, "false alarm": 0, "confusion": 0, "total": 1})
    for s in (long, sparse):
        s.der = error_rate(s.der_seconds)
    assert overall([long, sparse]).der == pytest.approx(11 / 501)


def test_speakers_are_counted_inside_the_uem(tmp_path):
    audio = tmp_path / "clip.wav"
    audio.with_suffix(".rttm").write_text("SPEAKER clip 1 0.0 5.0 <NA> <NA> A <NA> <NA>\n"
                                          "SPEAKER clip 1 5.0 5.0 <NA> <NA> B <NA> <NA>\n")
    audio.with_suffix(".uem").write_text("clip NA 0.000 10.000\n")
    assert load_uem(audio.with_suffix(".uem")) == [(0.0, 10.0)]
    errors, speakers = score_diarization(audio, [Turn("x", 0, 5), Turn("y", 5, 10), Turn("z", 12, 14)])
    assert speakers == (2, 2) and error_rate(errors) == 0.0


def test_ami_clip_names_match_their_references():
    from real_voices import SPLIT, uri_of
    assert uri_of("pyannote_audio-4.0.7/tests/data/trñ00.wav") == "trn00"
    tune, heldout = set(SPLIT["tune"]), set(SPLIT["heldout"])
    assert not tune & heldout and len(tune) == len(heldout) == 7
    for pair in ({"dev00", "dev01"}, {"trn07", "trn08"}, {"tst00", "tst01"}):   # shared speakers: one side
        assert pair <= tune or pair <= heldout
