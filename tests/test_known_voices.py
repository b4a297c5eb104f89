"""Known voices (pipeline/diarization/voices.py, `callscribe voices`): the library's files, the
matching, and a voice enrolled from one call recognized in another."""
from __future__ import annotations

import json
import stat

import numpy as np
import pytest

from pipeline.diarization.voices import Voice, VoiceLibrary, match_voices
from pipeline.errors import ConfigError


def unit(*values: float) -> np.ndarray:
    v = np.array(values, np.float32)
    return v / np.linalg.norm(v)


def test_a_voice_is_written_for_its_owner_alone_listed_and_removed_without_a_trace(tmp_path):
    library = VoiceLibrary(tmp_path / "voices")
    library.add(Voice("Pat Doe", "moderator", "MODERATOR", 42.0, "campplus", "2026-12-06"), unit(1, 0))
    files = sorted((tmp_path / "voices").iterdir())
    assert [f.name for f in files] == ["Pat_Doe.npy", "Pat_Doe.yaml"]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert stat.S_IMODE((tmp_path / "voices").stat().st_mode) == 0o700
    (voice,) = library.prints("campplus")
    assert (voice.name, voice.role, voice.seconds) == ("Pat Doe", "moderator", 42.0)
    assert np.allclose(voice.print_, unit(1, 0))
    assert library.remove("Pat Doe") and not library.remove("Pat Doe")
    assert list((tmp_path / "voices").iterdir()) == []


def test_prints_of_another_encoder_are_refused(tmp_path):
    library = VoiceLibrary(tmp_path)
    library.add(Voice("Pat Doe", None, None, 10.0, "ge2e", "2026-12-06"), unit(1, 0))
    with pytest.raises(ConfigError, match="another speaker encoder"):
        library.prints("campplus")


def test_each_voice_goes_to_one_speaker_the_most_alike_first():
    voices = [Voice("A", None, None, 1, "x", "", unit(1, 0, 0)), Voice("B", None, None, 1, "x", "", unit(0, 1, 0))]
    speakers = {"S1": unit(0.9, 0.1, 0), "S2": unit(1, 0, 0), "S3": unit(0, 0.5, 1)}
    matched = match_voices(speakers, voices, threshold=0.6)
    assert {s: v.name for s, (v, _) in matched.items()} == {"S2": "A"}   # S1 is as alike to A, but less; S3 to none


def test_a_moderator_enrolled_from_one_call_is_named_in_another(cli, synthetic_calls, tmp_path):
    """The clean development calls briefing and press_call share their moderator's voice."""
    library = tmp_path / "voices"
    added = cli("voices", "add", "Pat Doe", synthetic_calls / "briefing.wav", "--from", "1", "--to", "19",
                "--role", "moderator", "--label", "MODERATOR", "--voices", library)
    assert added.returncode == 0, added.stderr
    listed = cli("voices", "list", "--voices", library)
    assert listed.stdout.split()[:4] == ["Pat", "Doe", "moderator", "MODERATOR"]
    out = tmp_path / "press_call.json"
    done = cli("transcribe", synthetic_calls / "press_call.wav", "--voices", library, "-o", out,
               "-o", tmp_path / "press_call.rttm", "--asr-model", "tiny.en")   # voices need no better words
    assert done.returncode == 0, done.stderr
    speakers = json.loads(out.read_text())["speakers"]
    known = [s for s in speakers if "known_voice" in s]
    assert [(s["id"], s["role"], s["label"]) for s in known] == [("Pat_Doe", "moderator", "MODERATOR")]
    assert known[0]["known_voice"]["score"] >= 0.6
    assert "Pat_Doe" in (tmp_path / "press_call.rttm").read_text()


def test_voices_remove_of_an_unknown_voice_exits_66(cli, tmp_path):
    done = cli("voices", "remove", "Nobody", "--voices", tmp_path)
    assert done.returncode == 66 and "no such voice" in done.stderr


def test_a_past_call_and_its_transcript_enrol_its_regulars(cli, synthetic_calls, tmp_path):
    library = tmp_path / "voices"
    done = cli("voices", "learn", synthetic_calls / "briefing.wav", synthetic_calls / "briefing.ref.txt",
               "--as", "MODERATOR=Pat Doe", "--voices", library)
    assert done.returncode == 0, done.stderr
    enrolled = {v.name: (v.role, v.label) for v in VoiceLibrary(library).voices()}
    assert enrolled["Pat Doe"] == ("moderator", "MODERATOR")
    assert ("official", "SENIOR STATE DEPARTMENT OFFICIAL ONE") in enrolled.values()
    assert all(label != "QUESTION" for _, label in enrolled.values())
