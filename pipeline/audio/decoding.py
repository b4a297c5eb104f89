"""Decode: any file ffmpeg reads -> 16 kHz mono float32, or a one-line reason why not.

ffmpeg does the decoding (it reads every container the office records in); we check
what it says and what it gives back, so that an empty, foreign, corrupt or truncated
file is refused with a reason instead of producing a transcript of half a call.
"""
from __future__ import annotations

import json
import shutil
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import BadInput, MissingInput

SAMPLE_RATE = 16000


@dataclass
class Audio:
    path: str
    samples: np.ndarray          # float32, mono, SAMPLE_RATE
    source_rate: int
    source_channels: int
    codec: str
    decode_seconds: float = 0.0

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else "unknown error"


def _require_ffmpeg() -> None:
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            raise MissingInput(None, f"{tool} is not installed (run `make setup` or install ffmpeg)")


def check_readable(path: Path) -> None:
    if not path.exists():
        raise MissingInput(path, "no such file")
    if path.is_dir():
        raise MissingInput(path, "is a directory, not an audio file")
    try:
        with path.open("rb") as f:
            head = f.read(1)
    except OSError as e:
        raise MissingInput(path, f"cannot be read ({e.strerror})") from None
    if not head:
        raise BadInput(path, "empty file (0 bytes)")


def probe(path: Path) -> dict:
    """The first audio stream as ffprobe describes it."""
    proc = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "a:0",
         "-show_entries", "stream=codec_name,sample_rate,channels,duration:format=duration,format_name",
         "-of", "json", str(path)],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise BadInput(path, f"not a readable audio file (ffmpeg: {_first_line(proc.stderr).split(': ', 1)[-1]})")
    info = json.loads(proc.stdout or "{}")
    streams = info.get("streams") or []
    if not streams:
        raise BadInput(path, "not an audio file (no audio stream found)")
    stream = streams[0]
    stream["format"] = info.get("format", {})
    return stream


def _wav_declared_shortfall(path: Path) -> int:
    """Bytes a RIFF/WAVE file's data chunk claims beyond the end of the file (0 if intact).

    ffmpeg quietly clamps a truncated WAV to what is there, so we read the header.
    """
    size = path.stat().st_size
    with path.open("rb") as f:
        if f.read(4) != b"RIFF":
            return 0
        f.seek(12)
        while True:
            header = f.read(8)
            if len(header) < 8:
                return 0
            chunk_id, chunk_size = header[:4], struct.unpack("<I", header[4:])[0]
            if chunk_id == b"data":
                if chunk_size in (0, 0xFFFFFFFF):  # streaming writers leave it unset
                    return 0
                return max(0, f.tell() + chunk_size - size)
            f.seek(chunk_size + (chunk_size & 1), 1)


def _ogg_unfinished(path: Path) -> bool:
    """True when an Ogg file stops before its last page ends or lacks the end-of-stream page.

    Ogg carries no total length up front, so a cut file decodes "cleanly" to a shorter call.
    """
    size = path.stat().st_size
    with path.open("rb") as f:
        if f.read(4) != b"OggS":
            return False
        f.seek(max(0, size - 70_000))  # an Ogg page is at most 65,307 bytes
        tail = f.read()
    start = tail.rfind(b"OggS")
    page = tail[start:]
    if start < 0 or len(page) < 27 or len(page) < 27 + page[26]:
        return True
    page_size = 27 + page[26] + sum(page[27 : 27 + page[26]])
    end_of_stream = bool(page[5] & 0x04)
    return not end_of_stream or len(page) != page_size


def _declared_duration(stream: dict) -> float | None:
    for value in (stream.get("duration"), stream["format"].get("duration")):
        try:
            return float(value)
        except (TypeError, ValueError):
            continue
    return None


def decode(path: str | Path, min_duration: float = 1.0) -> Audio:
    """Decode `path` to 16 kHz mono float32, refusing files that are not whole audio."""
    started = time.perf_counter()
    path = Path(path)
    _require_ffmpeg()
    check_readable(path)
    stream = probe(path)
    shortfall = _wav_declared_shortfall(path)
    if shortfall:
        raise BadInput(path, f"truncated (the WAV header promises {shortfall} more bytes than the file has)")
    if _ogg_unfinished(path):
        raise BadInput(path, "truncated (the Ogg stream ends without its final page)")

    # ffmpeg writes raw samples to a scratch file that is read straight into one array:
    # a 2-hour call is 460 MB of float32, and piping it would hold a second copy in bytes.
    with tempfile.TemporaryFile() as raw:
        proc = subprocess.run(
            ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0",
             "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "f32le", "-"],
            stdout=raw, stderr=subprocess.PIPE,
        )
        errors = proc.stderr.decode("utf-8", "replace")
        if proc.returncode != 0 or errors.strip():
            raise BadInput(path, f"corrupt or truncated audio (ffmpeg: {_first_line(errors).split(': ', 1)[-1]})")
        raw.seek(0)
        samples = np.fromfile(raw, dtype=np.float32)

    duration = len(samples) / SAMPLE_RATE
    declared = _declared_duration(stream)
    if declared and duration < declared - max(0.5, 0.02 * declared):
        raise BadInput(path, f"truncated (header says {declared:.1f} s, only {duration:.1f} s decodes)")
    if duration < min_duration:
        raise BadInput(path, f"too short ({duration:.2f} s of audio; at least {min_duration:g} s needed)")
    return Audio(
        path=str(path),
        samples=samples,
        source_rate=int(stream.get("sample_rate") or 0),
        source_channels=int(stream.get("channels") or 0),
        codec=str(stream.get("codec_name", "")),
        decode_seconds=time.perf_counter() - started,
    )


LEVEL_FRAME = 0.01  # seconds


def frame_levels(samples: np.ndarray, sample_rate: int = SAMPLE_RATE, seconds: float = LEVEL_FRAME) -> np.ndarray:
    """Level of each `seconds`-long frame, in dB relative to full scale."""
    hop = int(sample_rate * seconds)
    frames = len(samples) // hop
    framed = samples[: frames * hop].reshape(frames, hop)
    power = np.einsum("ij,ij->i", framed, framed) / hop   # no squared copy of a long call
    return 10 * np.log10(power.astype(np.float64) + 1e-12)


def is_silent(samples: np.ndarray, threshold_dbfs: float) -> bool:
    """True when the loudest 50 ms window stays below `threshold_dbfs`."""
    levels = frame_levels(samples, SAMPLE_RATE, 0.05)
    return not len(levels) or float(levels.max()) < threshold_dbfs


AUDIO_EXTENSIONS = {".wav", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".flac", ".aac", ".wma", ".aiff", ".aif",
                    ".mp4", ".webm", ".mka", ".amr", ".3gp"}


def find_recordings(in_dir: Path, recursive: bool = False) -> list[Path]:
    pattern = in_dir.rglob("*") if recursive else in_dir.glob("*")
    return sorted(p for p in pattern if p.is_file() and p.suffix.lower() in AUDIO_EXTENSIONS
                  and not p.name.startswith("."))


def compressed(path: str | Path, bitrate: str = "32k") -> bytes:
    """The recording as mono MP3 (every browser plays it), for a review page that carries its audio."""
    _require_ffmpeg()
    path = Path(path)
    check_readable(path)
    proc = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-vn", "-ac", "1", "-b:a", bitrate,
                           "-f", "mp3", "pipe:1"], capture_output=True)
    if proc.returncode != 0 or not proc.stdout:
        raise BadInput(path, f"cannot be compressed for the page (ffmpeg: {_first_line(proc.stderr.decode(errors='replace'))})")
    return proc.stdout
