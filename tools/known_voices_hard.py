#!/usr/bin/env python3
"""Known voices on the hard synthetic calls: the moderator, operator and officials enrolled from another call.

For each call of a hard split, every speaker whose label is not QUESTION is enrolled
(with that call's role and label, as a press office enrols its regulars) from up to 60 s
of the same voice alone in each other call of the split, where it holds other roles on
other lines. The call is then transcribed with that library and without one, in the
same run, and both are scored as `callscribe eval` scores them (same table).

Usage: python tools/known_voices_hard.py samples/generated/hard-dev [--config FILE]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import yaml

SCRIPTS = Path(__file__).resolve().parent.parent / "samples" / "calls"


def enrolment_clips(voice: str, call: str, split: Path, seconds: float = 60.0) -> list:
    """Up to `seconds` of `voice` alone from each other call of the split where it speaks (as a
    press office would enrol a regular from several past calls, on whatever lines they were)."""
    from pipeline.audio import SAMPLE_RATE, decode
    from pipeline.evaluation.metrics import alone, load_rttm
    clips = []
    for script in sorted((SCRIPTS / split.name).glob("*.yaml")):
        speakers = yaml.safe_load(script.read_text())["speakers"]
        same = [key for key, s in speakers.items() if s["voice"] == voice]
        if script.stem == call or not same:
            continue
        samples, left = decode(split / f"{script.stem}.wav").samples, seconds
        for turn in alone(load_rttm(split / f"{script.stem}.rttm")):
            if turn.speaker == same[0] and turn.end - turn.start >= 1.0 and left > 0:
                end = min(turn.end, turn.start + left)
                clips.append(samples[int(turn.start * SAMPLE_RATE): int(end * SAMPLE_RATE)])
                left -= end - turn.start
    return clips


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="a hard split's generated folder, e.g. samples/generated/hard-dev")
    parser.add_argument("--config", default=None, help="a callscribe YAML settings file, as `callscribe --config`")
    args = parser.parse_args()
    from pipeline.audio import SAMPLE_RATE, decode
    from pipeline.config import load_settings
    from pipeline.diarization.voices import Voice, today
    from pipeline.evaluation.evaluate import markdown_table, score_call
    from pipeline.learn_voices import role_of
    from pipeline.structure.callsheet import load_call_sheet
    from pipeline.transcribe import Transcriber

    transcriber = Transcriber(load_settings(args.config))
    encoder = transcriber.settings.diarization.merge_encoder   # the encoder that makes prints
    scores = {"without a library": [], "moderator, operator and officials enrolled": []}
    for script in sorted((SCRIPTS / args.split.name).glob("*.yaml")):
        speakers = yaml.safe_load(script.read_text())["speakers"]
        library = []
        for key, s in speakers.items():
            if s["label"] == "QUESTION":
                continue
            clips = enrolment_clips(s["voice"], script.stem, args.split)
            vector, seconds = transcriber.diarizer.enrol(clips, SAMPLE_RATE)
            if vector is None:
                print(f"{script.stem}: {key} ({s['voice']}) speaks in no other call: not enrolled")
                continue
            library.append(Voice(key, role_of(s["label"]), s["label"], seconds, encoder, today(), vector))
        audio, sheet = args.split / f"{script.stem}.wav", load_call_sheet(args.split / f"{script.stem}.yaml")
        decoded = decode(audio)
        for name, voices in zip(scores, ([], library)):
            transcriber.known_voices = voices
            transcript = transcriber.transcribe_audio(decoded, sheet)
            scores[name].append(score_call(audio, transcript, transcriber.style))
            if voices:
                print(f"{script.stem}: " + ", ".join(f"{k['name']} -> {sp} ({k['score']:.2f})"
                                                     for sp, k in transcript.known.items()), flush=True)
    for name, rows in scores.items():
        print(f"\n{args.split} {name}\n" + markdown_table(rows))


if __name__ == "__main__":
    main()
