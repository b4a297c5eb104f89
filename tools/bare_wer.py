#!/usr/bin/env python3
"""WER of bare faster-whisper on every reference recording of a folder: the figure the pipeline's
WER (`callscribe eval FOLDER`) is held against.

Same model, device, compute type and decoding options as the pipeline (decoding_options: the
configs' beam, language, word timestamps), the whole recording in one call as a user of
faster-whisper alone would make it, and the same references and word normalization as eval
(NAME.ref.txt without its (inaudible) markers, else NAME.stm). Prints one row per recording
and the duration-weighted mean, as eval's "overall".

Usage: python tools/bare_wer.py FOLDER [--model base] [--config FILE]
"""
from __future__ import annotations

import argparse
from pathlib import Path


def reference_words(audio: Path) -> list[str]:
    """The reference words of a recording, as `callscribe eval` reads them."""
    from pipeline.evaluation.house import read_house
    from pipeline.evaluation.metrics import load_stm, normalize_words
    ref_txt, stm = audio.with_name(audio.stem + ".ref.txt"), audio.with_name(audio.stem + ".stm")
    if ref_txt.exists():
        return [w for t in read_house(ref_txt).turns for w in normalize_words(t.text) if w != "inaudible"]
    return [w for *_, text in load_stm(stm) for w in normalize_words(text)]


def bare_wer(folder: Path, settings) -> list[tuple[str, float, float]]:
    """(name, seconds, WER) of bare faster-whisper on each recording with a word reference."""
    from faster_whisper import WhisperModel
    from pipeline.audio import decode, find_recordings
    from pipeline.evaluation.metrics import normalize_words, word_error_rate
    from pipeline.recognition.recognize import (decoding_options, resolve_compute_type, resolve_device,
                                                resolve_model_path)
    device = resolve_device(settings.asr.device)
    model = WhisperModel(resolve_model_path(settings.asr.model, settings.models_path), device=device,
                         compute_type=resolve_compute_type(settings.asr.compute_type, device),
                         cpu_threads=settings.asr.cpu_threads)
    rows = []
    for audio in find_recordings(folder):
        if not any(audio.with_name(audio.stem + ext).exists() for ext in (".ref.txt", ".stm")):
            continue
        decoded = decode(audio)
        segments, _ = model.transcribe(decoded.samples, **decoding_options(settings.asr))
        hypothesis = [w for s in segments for w in normalize_words(s.text) if w != "inaudible"]
        rows.append((audio.stem, decoded.duration, word_error_rate(reference_words(audio), hypothesis)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--model", default=None, help="speech model, as `callscribe eval --asr-model`")
    parser.add_argument("--config", default=None, help="a callscribe YAML settings file")
    args = parser.parse_args()
    from pipeline.config import load_settings
    settings = load_settings(args.config, overrides={"asr": {"model": args.model}} if args.model else None)
    rows = bare_wer(args.folder, settings)
    if not rows:
        raise SystemExit(f"bare_wer: error: no recordings with NAME.ref.txt or NAME.stm in {args.folder}")
    print(f"| recording | minutes | bare faster-whisper WER ({settings.asr.model}) |\n| --- | --- | --- |")
    for name, seconds, wer in rows:
        print(f"| {name} | {seconds / 60:.1f} | {100 * wer:.1f} % |")
    total = sum(s for _, s, _ in rows)
    print(f"| overall | {total / 60:.1f} | {100 * sum(s * w for _, s, w in rows) / total:.1f} % |")


if __name__ == "__main__":
    main()
