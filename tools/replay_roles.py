"""Replay the structure stages (roles, alignment, questions) over cached diarization and words.

The heavy stages run once per call and configuration:

    nice -n 10 taskset -c 1 .venv/bin/python tools/replay_roles.py cache samples/generated/dev \
        --asr-model tiny.en [--config configs/stock.yaml]

saves each call's recognized words and diarization under /tmp/roles-cache/<split>-<config>-<asr>/
and prints `callscribe eval`'s table for that run. Then

    .venv/bin/python tools/replay_roles.py replay samples/generated/dev --asr-model tiny.en [--config …]

re-runs only what follows them (Transcriber.transcribe_audio with the heavy stages read back)
and prints the same table, in seconds. `--show NAME` prints that call's published turns;
`--per-voice` replays roles per voice only (turn_roles.py off: the figures before it);
`--structure-config FILE` changes settings of the replayed stages only (the cache stays).
"""
from __future__ import annotations

import argparse
import pickle
from pathlib import Path

from pipeline.audio import decode
from pipeline.config import load_settings
from pipeline.evaluation.evaluate import markdown_table, references, score_call
from pipeline.render.typography import load_house_style
from pipeline.render.writers import render_json
from pipeline.structure.callsheet import load_call_sheet, sidecar_for
from pipeline.structure.roles import load_role_rules
from pipeline.threads import ThreadPlan
from pipeline.transcribe import Transcriber

CACHE = Path("/tmp/roles-cache")


class CachingTranscriber(Transcriber):
    """The real pipeline, keeping what its heavy stages returned for the call in hand."""

    def transcribe_audio(self, audio, sheet=None, on_stage=None):
        self.kept = {}
        return super().transcribe_audio(audio, sheet, on_stage)

    def _diarize(self, *args, **kwargs):
        self.kept["diarization"] = super()._diarize(*args, **kwargs)
        return self.kept["diarization"]

    def _recognize(self, *args, **kwargs):
        self.kept["words"] = super()._recognize(*args, **kwargs)
        return self.kept["words"]

    def _second_look(self, *args, **kwargs):
        self.kept["second_look"] = super()._second_look(*args, **kwargs)
        return self.kept["second_look"]


class ReplayTranscriber(Transcriber):
    """Transcriber whose heavy stages return a cached run: no model is loaded."""

    def __init__(self, settings, kept: dict | None = None):  # noqa: super().__init__ would load the models
        self.settings = settings
        self.style = load_house_style(settings.house_style)
        self.role_rules = load_role_rules()
        self.device, self.compute_type = "cpu", "replay"
        self.threads = ThreadPlan(recognition=1, diarization=1, overlap=False)
        self.known_voices = []   # the pipeline alone, as eval scores it
        self.kept = kept or {}

    def _diarize(self, *args, **kwargs):
        return self.kept["diarization"]

    def _recognize(self, *args, **kwargs):
        return self.kept["words"]

    def _second_look(self, *args, **kwargs):
        return self.kept["second_look"]


def cache_dir(folder: Path, config: Path | None, asr_model: str) -> Path:
    return CACHE / f"{folder.name}-{config.stem if config else 'default'}-{asr_model}"


def _calls(folder: Path):
    for audio in references(folder):
        if audio.with_name(audio.stem + ".ref.txt").exists():   # roles are scored on house transcripts
            sheet_path = sidecar_for(audio)
            yield audio, decode(audio), load_call_sheet(sheet_path) if sheet_path else None


def run(mode: str, folder: Path, config: Path | None, asr_model: str, show: str | None,
        per_voice: bool = False, structure: Path | None = None, save: Path | None = None) -> None:
    # structure: settings of the stages replayed only (the cache stays config's)
    settings = load_settings([config, structure], {"asr": {"model": asr_model}})
    where = cache_dir(folder, config, asr_model)
    where.mkdir(parents=True, exist_ok=True)
    transcriber = CachingTranscriber(settings) if mode == "cache" else ReplayTranscriber(settings)
    if per_voice:   # roles per voice only, as before turn_roles.py
        transcriber.role_rules.turns = None
    scores = []
    for audio, decoded, sheet in _calls(folder):
        if mode == "replay":
            if not (where / f"{audio.stem}.pkl").exists():
                print(f"{audio.stem}: not cached, left out")
                continue
            transcriber.kept = pickle.loads((where / f"{audio.stem}.pkl").read_bytes())
        try:
            transcript = transcriber.transcribe_audio(decoded, sheet)
        finally:   # the heavy stages are kept even when a structure stage fails
            if mode == "cache":
                (where / f"{audio.stem}.pkl").write_bytes(pickle.dumps(transcriber.kept))
        scores.append(score_call(audio, transcript, transcriber.style))
        if save:   # the transcript's JSON, e.g. for tools/doubt_sweep.py
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{audio.stem}.json").write_text(render_json(transcript, transcriber.style))
        if show == audio.stem:
            for turn in transcript.turns:
                print(f"[{turn.start:7.1f}] {turn.speaker:>22} {transcript.speaker_labels.get(turn.speaker)}: "
                      f"{turn.text[:150]}")
    print(markdown_table(scores), end="")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["cache", "replay"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--config", type=Path)
    parser.add_argument("--asr-model", default="tiny.en")
    parser.add_argument("--show", help="print this call's published turns")
    parser.add_argument("--per-voice", action="store_true", help="roles per voice only (turn_roles.py off)")
    parser.add_argument("--save", type=Path, help="also write each replayed transcript's JSON into this folder")
    parser.add_argument("--structure-config", type=Path,
                        help="a YAML settings file for the replayed stages alone (vocabulary, redaction…)")
    args = parser.parse_args()
    run(args.mode, args.folder, args.config, args.asr_model, args.show, args.per_voice, args.structure_config, args.save)


if __name__ == "__main__":
    main()
