import json

from pipeline.render.output import format_of, write_atomic, write_outputs
from pipeline.errors import OutputError
from pipeline.render.writers import render_json, render_rttm, render_srt, render_txt
from pipeline.render.typography import load_house_style, space_sentences
from pipeline.types import Transcript, Turn, Word

import pytest


def make_transcript() -> Transcript:
    words_a = [Word(" Hello,", 0.5, 0.8, 0.99, "s0"), Word(" everyone.", 0.8, 1.2, 0.95, "s0"),
               Word(" Welcome.", 1.3, 1.8, 0.9, "s0")]
    words_b = [Word(" Thanks.", 2.0, 2.4, 0.8, "s1")]
    return Transcript(
        audio_path="/calls/briefing one.wav", duration=3.0,
        turns=[Turn("s0", 0.5, 1.8, words_a), Turn("s1", 2.0, 2.4, words_b)],
        diarization=[Turn("s0", 0.4, 1.9), Turn("s1", 1.95, 2.5)],
        speaker_labels={"s0": "SPEAKER 1", "s1": "SPEAKER 2"},
        settings={"asr": {"model": "base"}}, models={"asr": {"name": "base"}},
    )


def test_two_spaces_after_sentences_but_not_abbreviations():
    abbreviations = load_house_style().abbreviations
    assert space_sentences(" Hello.  The U.S. team met Mr. Smith?  Yes! ok", 2, abbreviations) == \
        "Hello.  The U.S. team met Mr. Smith?  Yes!  ok"


def test_txt_is_house_paragraph_layout():
    assert render_txt(make_transcript()) == "SPEAKER 1:  Hello, everyone.  Welcome.\n\nSPEAKER 2:  Thanks.\n"


def test_continuation_tokens_stay_attached():
    """Whisper gives "$200,000,000" as " $200", ",000", ",000": no space before a token that has none."""
    t = make_transcript()
    said = [" About", " $200", ",000", ",000", " a", " year."]
    t.turns = [Turn("s0", 0.0, 3.0, [Word(w, i * 0.5, i * 0.5 + 0.4, 0.9, "s0") for i, w in enumerate(said)])]
    assert render_txt(t) == "SPEAKER 1:  About $200,000,000 a year.\n"
    assert "About $200,000,000 a year." in render_srt(t)


def test_txt_of_empty_transcript_is_empty():
    t = make_transcript()
    t.turns = []
    assert render_txt(t) == ""


def test_json_carries_words_turns_models_and_settings():
    data = json.loads(render_json(make_transcript()))
    assert data["schema"] == "callscribe.transcript/2"
    assert data["turns"][0]["label"] == "SPEAKER 1" and data["turns"][0]["speaker"] == "SPEAKER_1"
    assert data["turns"][0]["words"][1] == {"text": "everyone.", "start": 0.8, "end": 1.2, "probability": 0.95}
    assert data["models"]["asr"]["name"] == "base" and data["settings"]["asr"]["model"] == "base"
    assert data["diarization"][1] == {"speaker": "SPEAKER_2", "start": 1.95, "end": 2.5}


def test_rttm_lines_are_well_formed():
    lines = render_rttm(make_transcript()).splitlines()
    assert lines[0] == "SPEAKER briefing_one 1 0.400 1.500 <NA> <NA> SPEAKER_1 <NA> <NA>"
    assert len(lines) == 2 and all(len(x.split()) == 10 for x in lines)


def test_output_format_follows_extension(tmp_path):
    assert format_of("a/b.TXT") == "txt" and format_of("x.rttm") == "rttm"
    with pytest.raises(OutputError, match="unknown output format '.docx'"):
        format_of(tmp_path / "x.docx")


def test_outputs_are_written_whole(tmp_path):
    write_outputs(make_transcript(), [tmp_path / "o.txt", tmp_path / "o.json"])
    assert (tmp_path / "o.txt").read_text().startswith("SPEAKER 1:  Hello")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.json", "o.txt"]  # no temporary files left


def test_failed_write_leaves_nothing(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    with pytest.raises(OutputError):
        write_atomic({tmp_path / "good.txt": "x", blocked / "bad.txt": "y"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]
