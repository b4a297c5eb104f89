#!/usr/bin/env python3
"""How far apart the synthetic voices are, as the CAM++ speaker encoder hears them.

Speaks the same two sentences with every voice named (make_calls.py's voice names:
flite:awb, festival:ked_diphone, piper:joe, en-us for espeak-ng …), embeds each with
CAM++ (the whole utterance) and prints the pairwise cosine similarity as a Markdown table.
Two real people on a call are typically below 0.5; a `shift`-made copy of one voice
sits far higher.

Usage: python tools/voice_distance.py VOICE [VOICE ...]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "samples"))
TEXT = ("Good afternoon, everyone, and thank you for joining today's call. The agreement sets out "
        "how the river will be shared in dry years, and it creates a commission to settle disputes.")


def embeddings(voices: list[str]) -> np.ndarray:
    """One unit-length CAM++ embedding per voice."""
    from make_calls import speak
    from pipeline.config import load_settings
    from pipeline.diarization.encoders import load_speaker_encoder

    encoder = load_speaker_encoder("campplus", load_settings().models_path)
    vectors = []
    for voice in voices:
        speech = torch.from_numpy(speak(TEXT, voice, 165).copy())
        with torch.inference_mode():
            v = encoder(speech[None, None])[0].numpy()
        vectors.append(v / np.linalg.norm(v))
    return np.stack(vectors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("voices", nargs="+")
    voices = parser.parse_args().voices
    vectors = embeddings(voices)
    similarity = vectors @ vectors.T
    print("| voice | " + " | ".join(voices) + " |")
    print("|---" * (len(voices) + 1) + "|")
    for voice, row in zip(voices, similarity):
        print(f"| {voice} | " + " | ".join(f"{x:.2f}" for x in row) + " |")


if __name__ == "__main__":
    main()
