#!/usr/bin/env python3
"""Does faster-whisper's batched pipeline, fed the diarized speech, lose words on CPU?

Reads one reference recording (NAME.wav with NAME.ref.txt and NAME.rttm) twice with the
configured decoding options: long-form, as callscribe decodes on CPU, and through
BatchedInferencePipeline over the reference turns (a stand-in for the diarization's),
padded by 0.2 s, joined across pauses of up to 1 s into clips of at most 28 s, a longer
turn cut at its quietest 0.1 s. Prints WER and the number of words of each.

Usage: python tools/batched_wer.py samples/generated/bench/bench-5min.wav [--asr-model base] [--batch-size 8]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000


def quietest(samples: np.ndarray, lo: float, hi: float) -> float:
    """The middle of the quietest 0.1 s between `lo` and `hi` seconds."""
    hop = SAMPLE_RATE // 10
    stretch = samples[int(lo * SAMPLE_RATE): int(hi * SAMPLE_RATE)]
    frames = len(stretch) // hop
    if frames == 0:
        return hi
    energy = np.square(stretch[: frames * hop].reshape(frames, hop)).mean(axis=1)
    return lo + (int(np.argmin(energy)) + 0.5) / 10


def speech_clips(samples: np.ndarray, turns, gap: float = 1.0, longest: float = 28.0) -> list[dict]:
    """faster-whisper's clip_timestamps (seconds) covering `turns`."""
    merged: list[list[float]] = []
    for start, end in sorted((max(0.0, t.start - 0.2), t.end + 0.2) for t in turns):
        if merged and start - merged[-1][1] <= gap:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    clips: list[tuple[float, float]] = []
    for start, end in merged:
        while end - start > longest:
            cut = quietest(samples, start + longest - 8, start + longest)
            clips.append((start, cut))
            start = cut
        if clips and end - clips[-1][0] <= longest and start - clips[-1][1] <= gap:
            clips[-1] = (clips[-1][0], end)
        else:
            clips.append((start, end))
    return [{"start": start, "end": end} for start, end in clips]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recording", type=Path)
    parser.add_argument("--asr-model", default="base")
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()

    from faster_whisper import BatchedInferencePipeline, WhisperModel

    from pipeline.audio import decode
    from pipeline.config import load_settings
    from pipeline.evaluation.house import read_house
    from pipeline.evaluation.metrics import load_rttm, normalize_words, word_error_rate
    from pipeline.models import require
    from pipeline.recognition.recognize import decoding_options

    settings = load_settings(None, {"asr": {"model": args.asr_model}})
    samples = decode(args.recording).samples
    reference = [w for t in read_house(args.recording.with_name(args.recording.stem + ".ref.txt")).turns
                 for w in normalize_words(t.text) if w != "inaudible"]
    model = WhisperModel(str(require(args.asr_model, settings.models_path)), device="cpu", compute_type="float32")
    options = decoding_options(settings.asr)
    long_form = model.transcribe(samples, vad_filter=False, **options)[0]
    options.pop("condition_on_previous_text")   # the batched pipeline never conditions
    clips = speech_clips(samples, load_rttm(args.recording.with_suffix(".rttm")))
    batched = BatchedInferencePipeline(model).transcribe(samples, batch_size=args.batch_size,
                                                          clip_timestamps=clips, **options)[0]
    for name, segments in (("long-form", long_form), (f"batched, {len(clips)} clips", batched)):
        words = [w for seg in segments for word in seg.words for w in normalize_words(word.word)]
        print(f"{name}: WER {100 * word_error_rate(reference, words):.1f} %, {len(words)} words")


if __name__ == "__main__":
    main()
