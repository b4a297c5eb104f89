#!/usr/bin/env python3
"""Check the synthetic voice bank: how far apart GE2E hears the voices, and how well Whisper reads each.

Every voice the call scripts in samples/calls/ use (or the voices named) is spoken
twice (two different sentences, telephone band unless --wideband, light noise). For each voice it prints the distance between
its own two utterances ("self"), the distance to the nearest other voice (utterance
embeddings, unit-normalized, euclidean: diarization's clustering stops at 0.5), and the
word error rate of Whisper base on a 70-word paragraph in that voice.

With --script, each turn of a call script is spoken alone in its speaker's voice (no
other voice, no noise burst: {inaudible:…} turns are left out) and read by the model and
options of configs/default.yaml: word error rate per speaker and for the whole script,
the most Whisper gets from those voices on that text.

Usage: python tools/voices.py [--wideband] [VOICE ...]   (e.g. en-us+m3 flite:rms)
       python tools/voices.py [--wideband] --script samples/calls/heldout/one_official.yaml
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch
import yaml

HERE = Path(__file__).resolve().parent.parent / "samples"
sys.path.insert(0, str(HERE))
from make_calls import NOISE_DBFS, TURN_DBFS, speak, telephone  # noqa: E402

SENTENCES = [
    "Thank you for taking my question. Can you say more about the timing of the talks and who will attend them next week?",
    "I wanted to follow up on the budget numbers, because the figures you gave yesterday seem to differ from the ones in the report.",
]
PARAGRAPH = ("Good afternoon and thank you all for joining us on this call. The secretary met with his counterparts in "
             "Brussels on Tuesday, and they agreed on a package of measures to support the economy. Could you tell us how "
             "many countries signed the agreement, and whether the funding will be released before the end of the year? "
             "We expect to have more details to share later this week.")


def bank() -> dict[str, dict]:
    voices = {}
    for script in sorted((HERE / "calls").glob("*/*.yaml")):
        for speaker in yaml.safe_load(script.read_text())["speakers"].values():
            key = f"{speaker['voice']}@{speaker.get('shift', 1.0)}"
            voices[key] = speaker
    return voices


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("voices", nargs="*", help="voice names as in the scripts (default: the scripts' bank)")
    parser.add_argument("--wideband", action="store_true", help="no telephone band limit")
    parser.add_argument("--script", type=Path, help="read each turn of this call script alone")
    args = parser.parse_args()  # before the models load: --help answers at once
    if args.script:
        return read_script_turns(args.script, not args.wideband)

    from faster_whisper import WhisperModel

    from pipeline.diarization.encoders import GE2EEncoder
    from pipeline.evaluation.metrics import word_error_rate
    from pipeline.config import load_settings
    from pipeline.models import require

    models = load_settings().models_path
    encoder = GE2EEncoder.from_checkpoint(require("ge2e", models) / "pretrained.pt")
    whisper = WhisperModel(str(require("base", models)), device="cpu", compute_type="int8")
    voices = {name: {"voice": name} for name in args.voices} or bank()

    embeddings = []
    for v in voices.values():
        pair = []
        for seed, text in enumerate(SENTENCES):
            with torch.inference_mode():
                e = encoder.partials(torch.from_numpy(on_the_line(text, v, seed, not args.wideband).copy()), 20).mean(0)
            pair.append((e / e.norm()).numpy())
        embeddings.append(pair)
    first = np.stack([e[0] for e in embeddings])
    second = np.stack([e[1] for e in embeddings])
    distance = np.linalg.norm(first[:, None] - second[None], axis=2)
    distance = np.minimum(distance, distance.T)
    names = list(voices)
    print("| voice | self | nearest other voice | WER (base) |\n| --- | --- | --- | --- |")
    for i, (name, v) in enumerate(voices.items()):
        nearest = min((distance[i, j], names[j]) for j in range(len(names)) if j != i)
        segments, _ = whisper.transcribe(on_the_line(PARAGRAPH, v, 7, not args.wideband), language="en", beam_size=5,
                                         condition_on_previous_text=False)
        wer = word_error_rate(PARAGRAPH, " ".join(s.text for s in segments))
        print(f"| {name} | {distance[i, i]:.2f} | {nearest[0]:.2f} ({nearest[1]}) | {100 * wer:.1f} % |")


def on_the_line(text: str, v: dict, seed: int, band_limit: bool, wpm: int = 165,
                noise_db: float = NOISE_DBFS) -> np.ndarray:
    """`text` in voice `v`, at a turn's loudness, through the line (as make_calls.py speaks a turn)."""
    speech = speak(text, v["voice"], wpm, v.get("pitch", 50), v.get("shift", 1.0))
    speech = speech * 10 ** (TURN_DBFS / 20) / np.sqrt(np.mean(speech ** 2))
    return telephone(speech, seed, noise_db, band_limit)


def read_script_turns(script_path: Path, band_limit: bool) -> None:
    from faster_whisper import WhisperModel

    from pipeline.config import load_settings
    from pipeline.evaluation.metrics import normalize_words, word_error_rate
    from pipeline.recognition.recognize import decoding_options, resolve_compute_type, resolve_model_path

    settings = load_settings()
    asr = settings.asr
    whisper = WhisperModel(resolve_model_path(asr.model, settings.models_path), device="cpu",
                           compute_type=resolve_compute_type(asr.compute_type, "cpu"))
    script = yaml.safe_load(script_path.read_text())
    speakers = script["speakers"]
    said: dict[str, tuple[list[str], list[str]]] = {}
    for seed, (who, text, *_) in enumerate(script["turns"]):
        if "{" in text:
            continue
        speech = on_the_line(text, speakers[who], seed, band_limit, script.get("wpm", 165),
                             script.get("noise_db", NOISE_DBFS))
        segments, _ = whisper.transcribe(speech, **decoding_options(asr))
        ref, hyp = said.setdefault(who, ([], []))
        ref += normalize_words(text)
        hyp += normalize_words(" ".join(s.text for s in segments))
    print(f"| speaker | voice | words | WER ({asr.model}) |\n| --- | --- | --- | --- |")
    for who, (ref, hyp) in said.items():
        v = speakers[who]
        print(f"| {who} | {v['voice']}@{v.get('shift', 1.0)} | {len(ref)} | {100 * word_error_rate(ref, hyp):.1f} % |")
    ref = [w for r, _ in said.values() for w in r]
    hyp = [w for _, h in said.values() for w in h]
    print(f"| all | | {len(ref)} | {100 * word_error_rate(ref, hyp):.1f} % |")


if __name__ == "__main__":
    main()
