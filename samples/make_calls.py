#!/usr/bin/env python3
"""Speak the call scripts in samples/calls/{dev,heldout,espeak}/*.yaml (festival, flite, espeak-ng); write audio and references.

For each script NAME.yaml this writes, into the output folder (default samples/generated/):
  NAME.wav      16 kHz mono telephone-band call with light noise
  NAME.rttm     reference speaker turns (speaker ids from the script)
  NAME.ref.json reference turns with speaker id, label, times and words
  NAME.ref.txt  the reference transcript in the house format (what should be published)
  NAME.yaml     the call sheet, when the script has one (found beside the audio)
A word written {inaudible:word} in a script is spoken buried in loud noise; the
reference has (inaudible) there.
Everything is deterministic (fixed gaps and noise seed), so generated audio stays out of git.

With no scripts named, the reference set of `callscribe eval` (`make eval`) is made:
samples/calls/dev/ (tuned on) into OUT/dev/ with pyannote.audio's real telephone sample
copied in as telephone.wav/.rttm/.stm (its clustering threshold was chosen on it), and
samples/calls/heldout/ (never tuned on) into OUT/heldout/, and samples/calls/espeak/
(never tuned on: espeak-ng voices, which the speaker encoder hears as nearly one) into
OUT/espeak/.
A script is a telephone line (300-3400 Hz) unless it says `line: wideband` (a
web-conference bridge).

Usage: python samples/make_calls.py [SCRIPT.yaml ...] [--out DIR]
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import tempfile
import zlib
from pathlib import Path

import numpy as np
import yaml

RATE = 16000
SPLITS = ("dev", "heldout", "espeak")
TURN_DBFS = -22  # every turn at the same loudness, as a conference bridge's gain control leaves it
NOISE_DBFS = -45  # the line's noise floor, unless a script sets noise_db
FLITE_WPM = 170  # flite's own speaking rate at duration_stretch 1
FESTIVAL_WPM = 170  # and festival's
HERE = Path(__file__).resolve().parent


def speak(text: str, voice: str, wpm: int, pitch: int = 50, shift: float = 1.0) -> np.ndarray:
    """Speech as 16 kHz float32: `festival:NAME` and `flite:NAME` voices, or espeak-ng (any other name).

    `shift` scales pitch and formants together (a longer or shorter vocal tract) at the
    same tempo: it makes new voices out of the few synthetic ones whose speaker
    embeddings stay apart.
    """
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        if voice.startswith("festival:"):
            with tempfile.NamedTemporaryFile("w", suffix=".txt") as script:
                script.write(text)
                script.flush()
                subprocess.run(["text2wave", "-eval", f"(voice_{voice.removeprefix('festival:')})",
                                "-eval", f"(Parameter.set 'Duration_Stretch {FESTIVAL_WPM / wpm:.3f})",
                                script.name, "-o", tmp.name], check=True, capture_output=True)
        elif voice.startswith("flite:"):
            subprocess.run(["flite", "-voice", voice.removeprefix("flite:"), "--setf",
                            f"duration_stretch={FLITE_WPM / wpm:.3f}", "-t", text, "-o", tmp.name], check=True)
        else:
            subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-p", str(pitch), "-w", tmp.name, text],
                           check=True)
        resample = f"asetrate={RATE * shift:.0f},aresample={RATE},atempo={1 / shift:.5f}," if shift != 1 else ""
        raw = subprocess.run(["ffmpeg", "-v", "error", "-i", tmp.name, "-ac", "1",
                              "-af", f"aresample={RATE},{resample}anull", "-ar", str(RATE),
                              "-f", "f32le", "-"], check=True, capture_output=True).stdout
    speech = np.frombuffer(raw, dtype=np.float32)
    voiced = np.flatnonzero(np.abs(speech) > 1e-3)  # trim espeak's leading/trailing silence
    return speech[voiced[0]: voiced[-1] + 1] if len(voiced) else speech


INAUDIBLE = re.compile(r"\{inaudible:([^}]*)\}")


def speak_with_noise(text: str, voice: dict, wpm: int, rng: np.random.Generator) -> np.ndarray:
    """Speak a turn; {inaudible:…} parts are spoken under noise 12 dB louder than the speech."""
    pieces = []
    for i, part in enumerate(INAUDIBLE.split(text)):
        if not part.strip():
            continue
        speech = speak(part, voice["voice"], voice.get("wpm", wpm), voice.get("pitch", 50), voice.get("shift", 1.0))
        if i % 2 == 1:  # the captured group: bury it
            loud = np.sqrt(np.mean(speech ** 2)) * 4
            speech = speech + rng.standard_normal(len(speech)).astype(np.float32) * loud
        pieces += [speech, np.zeros(int(0.08 * RATE), np.float32)]
    return np.concatenate(pieces)


def audible(speech: np.ndarray, floor_dbfs: float) -> np.ndarray:
    """Trim the turn to where it rises above the line's noise floor (10 ms frames).

    The reference turn then runs from the first to the last sound a listener could
    hear: a synthetic voice's fading tail under the noise is not speech anyone marks.
    """
    hop = RATE // 100
    frames = len(speech) // hop
    level = np.sqrt(np.mean(speech[: frames * hop].reshape(frames, hop) ** 2, axis=1))
    loud = np.flatnonzero(level > 10 ** (floor_dbfs / 20))
    return speech[loud[0] * hop: (loud[-1] + 1) * hop] if len(loud) else speech


def telephone(audio: np.ndarray, seed: int, noise_db: float, band_limit: bool = True) -> np.ndarray:
    """A conference line: light white noise (`noise_db` dBFS before the band limit), then 300-3400 Hz.

    The noise goes through the same band limit as the voices, as on a phone line, where
    the codec carries only the telephone band of whatever it is given. Without
    `band_limit`, a wideband line (a web-conference bridge): the noise alone.
    """
    rng = np.random.default_rng(seed)
    noisy = audio + rng.standard_normal(len(audio)).astype(np.float32) * (10 ** (noise_db / 20))
    if band_limit:
        spectrum = np.fft.rfft(noisy)
        freqs = np.fft.rfftfreq(len(noisy), 1 / RATE)
        spectrum[(freqs < 300) | (freqs > 3400)] = 0
        noisy = np.fft.irfft(spectrum, n=len(noisy))
    return np.clip(noisy, -1, 1).astype(np.float32)


def reference_text(turns: list[dict], sheet: dict | None) -> str:
    """The reference in the house format; on background calls briefers' names are redacted.

    House style redacts a briefer's name wherever it is spoken: the full name, the
    surname, and the first name alone ("Catherine, please go ahead").
    """
    from pipeline.structure.callsheet import parse_call_sheet
    from pipeline.render.writers import render_house
    from pipeline.render.typography import load_house_style
    call_sheet = parse_call_sheet(sheet) if sheet else None
    body = []
    for turn in turns:
        text = turn["text"]
        if call_sheet and call_sheet.on_background:
            for official in call_sheet.officials:
                if official.name:
                    parts = official.name.split()
                    for form in (official.name, parts[-1], parts[0]):
                        text = re.sub(rf"\b{re.escape(form)}\b", official.placeholder, text)
        if body and body[-1][0] == turn["label"] and turn["label"] != "QUESTION":
            body[-1][1].append(text)
        else:
            body.append((turn["label"], [text]))
    merged = [(label, [" ".join(parts)]) for label, parts in body]
    return render_house(merged, [], load_house_style())


def make_call(script_path: Path, out_dir: Path) -> Path:
    return speak_script(yaml.safe_load(script_path.read_text()), script_path.stem, out_dir)


def speak_script(script: dict, name: str, out_dir: Path) -> Path:
    """Speak a script (the YAML's content) into out_dir/name.wav with its references."""
    speakers = script["speakers"]
    wpm = script.get("wpm", 165)
    seed = zlib.crc32(name.encode())
    rng = np.random.default_rng(seed)
    placed, turns, end = [], [], 0.5
    for speaker, text, *options in script["turns"]:
        # A turn with {overlap: S} starts S seconds before the previous one ends (a hand-off
        # talked over); the others after a pause of 0.4-0.9 s.
        overlap = (options[0] if options else {}).get("overlap")
        gap = float(rng.uniform(0.4, 0.9))
        start = int(round((end - overlap if overlap else end + gap) * RATE))
        speech = speak_with_noise(text, speakers[speaker], wpm, rng)
        speech *= 10 ** (TURN_DBFS / 20) / max(1e-6, float(np.sqrt(np.mean(speech ** 2))))
        speech = audible(speech, script.get("noise_db", NOISE_DBFS))
        placed.append((start, speech))
        turns.append({"speaker": speaker, "label": speakers[speaker]["label"],
                      "start": round(start / RATE, 3), "end": round((start + len(speech)) / RATE, 3),
                      "text": INAUDIBLE.sub("(inaudible)", text)})
        end = (start + len(speech)) / RATE
    mix = np.zeros(max(s + len(x) for s, x in placed) + RATE // 2, np.float32)
    for s, x in placed:
        mix[s: s + len(x)] += x
    audio = telephone(mix, seed, script.get("noise_db", NOISE_DBFS), script.get("line", "telephone") == "telephone")

    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / name
    pcm = (audio * 32767).astype("<i2").tobytes()
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "-",
                    f"{stem}.wav"], input=pcm, check=True)
    with open(f"{stem}.rttm", "w") as f:
        for turn in turns:
            f.write(f"SPEAKER {name} 1 {turn['start']:.3f} {turn['end'] - turn['start']:.3f} "
                    f"<NA> <NA> {turn['speaker']} <NA> <NA>\n")
    Path(f"{stem}.ref.json").write_text(json.dumps({"speakers": speakers, "turns": turns}, indent=2) + "\n")
    if script.get("call_sheet"):
        Path(f"{stem}.yaml").write_text(yaml.safe_dump(script["call_sheet"], sort_keys=False, allow_unicode=True))
    Path(f"{stem}.ref.txt").write_text(reference_text(turns, script.get("call_sheet")))
    return Path(f"{stem}.wav")


def copy_telephone_sample(out_dir: Path) -> Path:
    """The real two-speaker call pyannote.audio ships, as a reference: telephone.wav/.rttm/.stm."""
    import shutil
    import pyannote.audio
    sample = Path(pyannote.audio.__file__).parent / "sample"
    out_dir.mkdir(parents=True, exist_ok=True)
    for ext in ("wav", "rttm", "stm"):
        shutil.copyfile(sample / f"sample.{ext}", out_dir / f"telephone.{ext}")
    return out_dir / "telephone.wav"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scripts", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=HERE / "generated")
    args = parser.parse_args()
    for script in args.scripts:
        print(make_call(script, args.out))
    if not args.scripts:
        for split in SPLITS:
            for script in sorted((HERE / "calls" / split).glob("*.yaml")):
                print(make_call(script, args.out / split))
        print(copy_telephone_sample(args.out / "dev"))


if __name__ == "__main__":
    main()
