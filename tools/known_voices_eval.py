#!/usr/bin/env python3
"""Known voices on real speech: enrol the people of one AMI clip, diarize another clip where
some of them speak again, and measure who gets a name.

For each pair (enrol clip, test clip) of the AMI clips that share people, every reference
speaker of the enrol clip is enrolled from their stretches alone there (the RTTM's), as
`callscribe voices add` does from clean stretches. The test clip goes through the default
diarization; its speakers are matched to the enrolled prints (diarization/voices.py) at each
threshold. Scored over the test clip's reference stretches with one speaker alone:
  named right: share of the enrolled people's time whose speaker got their name;
  named wrongly: share of the time of people who were not enrolled that got a name.
Also the ceiling of "named right": the enrolled people's time that diarization gives to any
speaker at all (time it misses, or gives to nobody, no match can name).
Prints the same-person and different-person cosines too, for the threshold.

Usage: python tools/known_voices_eval.py [--half tune|heldout|all] [--thresholds 0.5 0.55 0.6]
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
AMI = ROOT / "samples" / "generated" / "ami"
# Clips that share people (the list), each direction; the halves as samples/real_voices.py splits them.
GROUPS = {"tune": [("dev00", "dev01"), ("trn00", "trn01"), ("trn00", "trn03"), ("trn01", "trn03"), ("trn01", "trn02")],
          "heldout": [("trn07", "trn08"), ("tst00", "tst01"), ("trn06", "trn09")]}


def clip(name: str) -> Path:
    return next(AMI.glob(f"*/{name}.wav"))


def covered(turns, start: float, end: float, speaker: str) -> float:
    return sum(max(0.0, min(end, t.end) - max(start, t.start)) for t in turns if t.speaker == speaker)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=["tune", "heldout", "all"], default="tune")
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.45, 0.5, 0.55, 0.6, 0.65])
    args = parser.parse_args()
    from pipeline.audio import decode
    from pipeline.config import load_settings
    from pipeline.diarization.diarize import Diarizer
    from pipeline.diarization.voices import Voice, match_voices
    from pipeline.evaluation.metrics import alone, load_rttm

    settings = load_settings()
    diarizer = Diarizer(settings.diarization, settings.models_path)
    pairs = [p for half, ps in GROUPS.items() if args.half in (half, "all") for p in ps]
    pairs += [(b, a) for a, b in pairs]
    samples = {n: decode(clip(n)).samples for pair in pairs for n in pair}
    found = {n: diarizer.diarize(samples[n], 16000) for n in {b for _, b in pairs}}
    rows = {t: [0.0, 0.0, 0.0, 0.0] for t in args.thresholds}   # right, enrolled time, wrong, other time
    same, different = [], []
    heard = 0.0   # enrolled people's time that any diarized speaker covers: the ceiling of "named right"
    for enrol, test in pairs:
        reference = load_rttm(clip(enrol).with_suffix(".rttm"))
        prints = diarizer.speaker_prints(alone(reference), diarizer.voice_partials(samples[enrol]),
                                         samples[enrol])
        voices = [Voice(s, None, None, secs, "campplus", "", vector) for s, (vector, secs) in prints.items()]
        speakers = {s: v for s, (v, _) in diarizer.speaker_prints(found[test].exclusive,
                                                                   found[test].voice_partials, samples[test]).items()}
        truth = [t for t in alone(load_rttm(clip(test).with_suffix(".rttm"))) if t.end > t.start]
        for s, vector in speakers.items():   # the cosines, by who the diarized speaker mostly is
            mostly = max({t.speaker for t in truth}, key=lambda p: sum(covered(found[test].exclusive, t.start, t.end, s)
                                                                         for t in truth if t.speaker == p))
            for v in voices:
                (same if v.name == mostly else different).append(float(vector @ v.print_))
        heard += sum(covered(found[test].exclusive, t.start, t.end, s) for t in truth if t.speaker in prints
                     for s in speakers)
        for threshold, row in rows.items():
            named = {s: v.name for s, (v, _) in match_voices(speakers, voices, threshold).items()}
            for t in truth:
                enrolled = t.speaker in prints
                for s, name in named.items():
                    share = covered(found[test].exclusive, t.start, t.end, s)
                    if enrolled and name == t.speaker:
                        row[0] += share
                    elif not enrolled:
                        row[2] += share
                if enrolled:
                    row[1] += t.end - t.start
                else:
                    row[3] += t.end - t.start
    print(f"{len(pairs)} enrol/test pairs ({args.half}); cosines of diarized speakers to prints: same person "
          f"{np.percentile(same, 10):.2f}-{np.median(same):.2f} (10th percentile-median, {len(same)}), different "
          f"{np.median(different):.2f}-{np.percentile(different, 90):.2f} (median-90th, {len(different)})\n")
    enrolled_time = next(iter(rows.values()))[1]
    print(f"Enrolled people's time given to any diarized speaker (the ceiling of named right): "
          f"{100 * heard / enrolled_time:.1f} % of {enrolled_time:.0f} s\n")
    print("| threshold | enrolled people's time named right | others' time given a name |\n| --- | --- | --- |")
    for threshold, (right, enrolled, wrong, other) in rows.items():
        others = f"{100 * wrong / other:.1f} % of {other:.0f} s" if other else "– (none)"
        print(f"| {threshold} | {100 * right / enrolled:.1f} % of {enrolled:.0f} s | {others} |")


if __name__ == "__main__":
    main()
