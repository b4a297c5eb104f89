#!/usr/bin/env python3
"""How well each offline speaker encoder tells voices apart, with one threshold for all calls.

Cuts every reference turn of the given recordings (WAV with an RTTM beside it) into
pieces of --seconds where no one else talks, embeds each piece with GE2E, CAM++ and the
two fused, and prints the equal error rate between same-speaker and different-speaker
pairs (pairs within a call, one threshold over all calls: as the clustering sees them).

Usage: python tools/encoder_eer.py [--seconds 1.6] samples/generated/dev/*.wav
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch


def pieces(audio: Path, seconds: float) -> list[tuple[str, torch.Tensor]]:
    from pipeline.audio import SAMPLE_RATE, decode
    from pipeline.evaluation.metrics import alone, load_rttm

    samples = torch.from_numpy(decode(audio).samples.copy())
    out = []
    for t in alone(load_rttm(audio.with_suffix(".rttm"))):
        start = t.start
        while start + seconds <= t.end:
            out.append((t.speaker, samples[int(start * SAMPLE_RATE): int((start + seconds) * SAMPLE_RATE)]))
            start += seconds
    return out


def equal_error_rate(same: np.ndarray, different: np.ndarray) -> float:
    thresholds = np.quantile(np.concatenate([same, different]), np.linspace(0, 1, 2001))
    return min(max(np.mean(same > t), np.mean(different <= t)) for t in thresholds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recordings", nargs="+", type=Path)
    parser.add_argument("--seconds", type=float, default=1.6)
    args = parser.parse_args()

    from pipeline.config import load_settings
    from pipeline.diarization.encoders import load_speaker_encoder

    models = load_settings().models_path
    encoders = {name: load_speaker_encoder(name, models) for name in ("ge2e", "campplus", "ge2e+campplus")}
    same = {name: [] for name in encoders}
    different = {name: [] for name in encoders}
    for audio in args.recordings:
        cut = pieces(audio, args.seconds)
        speakers = np.array([s for s, _ in cut])
        is_same = speakers[:, None] == speakers[None, :]
        upper = np.triu(np.ones_like(is_same), k=1)
        for name, encoder in encoders.items():
            with torch.inference_mode():
                vectors = np.stack([encoder(x[None, None])[0].numpy() for _, x in cut])
            distance = 1 - vectors @ vectors.T
            same[name] += list(distance[upper & is_same])
            different[name] += list(distance[upper & ~is_same])
    for name in encoders:
        eer = equal_error_rate(np.array(same[name]), np.array(different[name]))
        print(f"{name:14s} equal error rate {100 * eer:.1f} % "
              f"({len(same[name])} same-speaker, {len(different[name])} different-speaker pairs)")


if __name__ == "__main__":
    main()
