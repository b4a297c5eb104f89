"""Decoding real audio in every container the office records in, and refusing bad files."""
from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from pipeline.audio import SAMPLE_RATE, decode, is_silent
from pipeline.errors import BadInput, MissingInput


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> Path:
    """About three seconds of espeak-ng speech at 44.1 kHz stereo."""
    d = tmp_path_factory.mktemp("speech")
    subprocess.run(["espeak-ng", "-w", str(d / "raw.wav"), "Good afternoon and welcome to the briefing."], check=True)
    ffmpeg("-i", str(d / "raw.wav"), "-ar", "44100", "-ac", "2", str(d / "speech.wav"))
    return d / "speech.wav"


@pytest.mark.parametrize("ext,extra", [
    ("wav", ["-ar", "8000", "-ac", "1"]), ("mp3", []), ("m4a", ["-c:a", "aac"]),
    ("ogg", ["-c:a", "libvorbis"]), ("flac", []),
])
def test_every_format_decodes_to_16k_mono(speech, tmp_path, ext, extra):
    path = tmp_path / f"call.{ext}"
    ffmpeg("-i", str(speech), *extra, str(path))
    reference = decode(speech)
    audio = decode(path)
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert abs(audio.duration - reference.duration) < 0.1  # codec padding only
    assert reference.source_rate == 44100 and reference.source_channels == 2
    assert not is_silent(audio.samples, -50)


def truncate(src: Path, dst: Path, keep: float) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(MissingInput, match="no such file"):
        decode(tmp_path / "nope.wav")
    with pytest.raises(MissingInput, match="is a directory"):
        decode(tmp_path)


def test_empty_file(tmp_path):
    (tmp_path / "empty.wav").touch()
    with pytest.raises(BadInput, match=r"empty file \(0 bytes\)"):
        decode(tmp_path / "empty.wav")


def test_text_file_named_wav(tmp_path):
    (tmp_path / "notes.wav").write_text("Minutes of the meeting\n" * 50)
    with pytest.raises(BadInput, match="not a readable audio file"):
        decode(tmp_path / "notes.wav")


@pytest.mark.parametrize("ext", ["wav", "mp3", "flac", "m4a", "ogg"])
def test_truncated_file(speech, tmp_path, ext):
    whole = tmp_path / f"whole.{ext}"
    ffmpeg("-i", str(speech), str(whole))
    with pytest.raises(BadInput) as excinfo:
        decode(truncate(whole, tmp_path / f"cut.{ext}", 0.5))
    assert any(word in excinfo.value.reason for word in ("truncated", "corrupt", "not a readable"))


def test_too_short(speech, tmp_path):
    short = tmp_path / "short.wav"
    ffmpeg("-i", str(speech), "-t", "0.5", str(short))
    with pytest.raises(BadInput, match=r"too short \(0.50 s"):
        decode(short)


def test_silence_is_detected(tmp_path):
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", "3", str(tmp_path / "silent.wav"))
    audio = decode(tmp_path / "silent.wav")
    assert audio.duration == pytest.approx(3.0) and is_silent(audio.samples, -50)


def test_stereo_is_downmixed_not_one_channel(tmp_path):
    # Speech only on the right channel must survive the downmix.
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
           "-af", "pan=stereo|c0=0*c0|c1=c0", str(tmp_path / "right.wav"))
    audio = decode(tmp_path / "right.wav")
    assert len(audio.samples) == 2 * SAMPLE_RATE and not is_silent(audio.samples, -50)
