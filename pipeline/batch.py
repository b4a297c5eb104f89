"""Batch: transcribe a folder of recordings safely and incrementally (nightly cron, Makefiles).

- One lock per output folder (a second run exits at once with code 75).
- A manifest in the output folder records, per recording, a key made of the audio's
  content, its call sheet, the settings and the models; a recording is skipped when
  its key is unchanged and its outputs exist.
- Outputs are written atomically; SIGINT/SIGTERM stop between writes, so a finished
  recording stays and the one in progress leaves nothing.
- A bad recording is reported and skipped; the others are done.
- The recordings run in worker processes here (`_execute`) or, with `--engine ray`, on Ray
  actors (batch_ray.py); everything above is shared by both engines.
"""
from __future__ import annotations

import concurrent.futures as futures
import fcntl
import hashlib
import json
import multiprocessing
import os
import signal
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from . import __version__
from .audio import find_recordings
from .structure.callsheet import load_call_sheet, sidecar_for
from .config import Settings
from .errors import CallscribeError
from .models import sha256_of
from .render.output import PART_SUFFIX, write_atomic

MANIFEST = ".callscribe-manifest.json"
LOCK = ".callscribe.lock"
REPORT = "batch-report.json"
EX_TEMPFAIL = 75


class LockHeld(CallscribeError):
    exit_code = EX_TEMPFAIL


class Interrupted(Exception):
    """SIGINT or SIGTERM arrived: stop after cleaning up."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


@dataclass
class Job:
    audio: Path
    name: str            # path relative to IN_DIR, without the extension: OUT_DIR/name.ext
    sheet: Path | None
    key: str = ""
    outputs: list[Path] = field(default_factory=list)


@dataclass
class Outcome:
    name: str
    status: str          # done | skipped | failed
    seconds: float = 0.0
    reason: str = ""


def models_fingerprint(settings: Settings) -> dict:
    """What identifies the models: bundle names with their pinned hashes, or the names given."""
    from .models import load_catalog
    catalog = load_catalog()
    def pin(name: str) -> str:
        entry = catalog.get(name)
        return f"{name}:" + ",".join(f.sha256[:16] for f in entry.files) if entry else name
    diarization = settings.diarization.bundle_models() or [settings.diarization.model]
    return {"asr": pin(settings.asr.model), "diarization": [pin(n) for n in diarization]}


def job_key(audio: Path, sheet: Path | None, settings: Settings, formats: list[str]) -> str:
    """Changes when anything that shapes the outputs changes."""
    parts = {
        "audio": sha256_of(audio),
        "call_sheet": sha256_of(sheet) if sheet else None,
        "settings": settings.to_dict(),
        "house_style": sha256_of(Path(settings.house_style)) if settings.house_style else "default",
        "models": models_fingerprint(settings),
        "formats": sorted(formats),
        "callscribe": __version__,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def plan(in_dir: Path, out_dir: Path, formats: list[str], settings: Settings, recursive: bool) -> list[Job]:
    jobs = []
    for audio in find_recordings(in_dir, recursive):
        name = str(audio.relative_to(in_dir).with_suffix(""))
        sheet = sidecar_for(audio)
        job = Job(audio, name, sheet, outputs=[out_dir / f"{name}.{fmt}" for fmt in formats])
        try:
            job.key = job_key(audio, sheet, settings, formats)
        except OSError:
            job.key = ""  # unreadable: the transcription step reports why
        jobs.append(job)
    return jobs


class OutputFolder:
    """The output folder's lock, manifest and report."""

    def __init__(self, out_dir: Path):
        self.path = out_dir
        self._lock_file = None

    def lock(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        self._lock_file = open(self.path / LOCK, "a+")
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock_file.seek(0)
            holder = self._lock_file.read().strip() or "another process"
            raise LockHeld(self.path, f"another callscribe batch is already writing here ({holder}); "
                                      "try again when it has finished") from None
        self._lock_file.seek(0)
        self._lock_file.truncate()
        self._lock_file.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        self._lock_file.flush()

    def unlock(self) -> None:
        if self._lock_file:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    def remove_stale_parts(self) -> int:
        """Temporary files left by a run that was killed outright (SIGKILL, power loss)."""
        stale = [p for p in self.path.rglob(f".*{PART_SUFFIX}") if p.is_file()]
        for p in stale:
            p.unlink(missing_ok=True)
        return len(stale)

    def manifest(self) -> dict:
        try:
            return json.loads((self.path / MANIFEST).read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def save_manifest(self, manifest: dict) -> None:
        write_atomic({self.path / MANIFEST: json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"})

    def save_report(self, report: dict) -> None:
        write_atomic({self.path / REPORT: json.dumps(report, indent=2, ensure_ascii=False) + "\n"})


def is_current(job: Job, manifest: dict) -> bool:
    """Done from the same inputs, or failed on the same inputs (a bad file stays bad until it
    changes: it is reported once, not every night; --force retries it)."""
    entry = manifest.get(job.name)
    if not job.key or entry is None or entry.get("key") != job.key:
        return False
    return "failed" in entry or all(p.exists() for p in job.outputs)


# --------------------------------------------------------------------- the work of one recording

_transcriber = None  # one per worker process: models load once per worker


def load_transcriber(settings: Settings, threads: int):
    """The models of one worker (a local worker process or a Ray actor), loaded once."""
    import warnings
    warnings.filterwarnings("ignore")
    from .transcribe import Transcriber
    return Transcriber(settings, cores=threads)


def _init_worker(settings: Settings, threads: int) -> None:
    global _transcriber
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    _transcriber = load_transcriber(settings, threads)


def _transcribe_in_worker(job: Job) -> Outcome:
    return transcribe_job(job, _transcriber)


def transcribe_job(job: Job, transcriber) -> Outcome:
    """Transcribe one recording and write its outputs, with the `transcriber` of the worker
    that runs it; both engines (local processes and Ray actors) call this."""
    from .audio import decode
    from .render.output import write_outputs
    started = time.perf_counter()
    try:
        sheet = load_call_sheet(job.sheet) if job.sheet else None
        audio = decode(job.audio, transcriber.settings.audio.min_duration)
        transcript = transcriber.transcribe_audio(audio, sheet)
        write_outputs(transcript, job.outputs, transcriber.style, transcriber.settings.review)
        reason = "; ".join(transcript.warnings)
        return Outcome(job.name, "done", time.perf_counter() - started, reason)
    except CallscribeError as e:
        return Outcome(job.name, "failed", time.perf_counter() - started, e.reason)
    except Interrupted:
        raise
    except Exception as e:  # one recording's bug must not stop the night's batch
        return Outcome(job.name, "failed", time.perf_counter() - started, f"internal error: {type(e).__name__}: {e}")


def unpublish(job: Job, started: float) -> None:
    """A worker stopped between renaming one output and the next leaves a recording half
    published: remove what this run wrote for a recording it did not finish."""
    for path in job.outputs:
        if path.exists() and path.stat().st_mtime >= started:
            path.unlink()


# --------------------------------------------------------------------- the batch

@dataclass
class BatchOptions:
    in_dir: Path
    out_dir: Path
    formats: list[str]
    jobs: int = 1
    recursive: bool = False
    force: bool = False
    dry_run: bool = False
    engine: str = "local"            # local: worker processes here; ray: actors on a Ray cluster
    address: str | None = None       # ray: the cluster (None: a private one on this machine)
    workers: int | None = None       # ray: actors (None: as many as the cluster's CPUs hold)
    cpus_per_worker: int | None = None
    gpus_per_worker: float | None = None


def _raise_interrupted(signum, _frame):
    raise Interrupted(signum)


def run_batch(options: BatchOptions, settings: Settings,
              report: Callable[[str, Outcome | None, int, int], None]) -> dict:
    """Run the batch; `report(event, outcome, index, total)` is told of each step.

    Returns the summary that is also written to OUT_DIR/batch-report.json.
    """
    execute = _engine(options)  # before the lock: a missing Ray is said at once
    folder = OutputFolder(options.out_dir)
    folder.lock()
    previous = {sig: signal.signal(sig, _raise_interrupted) for sig in (signal.SIGINT, signal.SIGTERM)}
    started = time.time()
    outcomes: list[Outcome] = []
    interrupted = None
    try:
        folder.remove_stale_parts()
        manifest = folder.manifest()
        jobs = plan(options.in_dir, options.out_dir, options.formats, settings, options.recursive)
        todo = [j for j in jobs if options.force or not is_current(j, manifest)]
        for j in jobs:
            if j not in todo:
                failed = manifest[j.name].get("failed")
                outcomes.append(Outcome(j.name, "skipped", 0.0, f"failed before: {failed}" if failed else "up to date"))
        report("plan", None, len(jobs) - len(todo), len(jobs))
        if options.dry_run:
            outcomes += [Outcome(j.name, "would do") for j in todo]
            return _summary(options, outcomes, started, None, dry_run=True)
        by_name = {j.name: j for j in todo}
        for i, outcome in enumerate(execute(todo, settings, started), 1):
            outcomes.append(outcome)
            job = by_name[outcome.name]
            entry = {"key": job.key, "audio": str(job.audio), "finished": time.strftime("%Y-%m-%dT%H:%M:%S")}
            if outcome.status == "done":
                entry["outputs"] = [str(p) for p in job.outputs]
            else:
                entry["failed"] = outcome.reason
            manifest[job.name] = entry
            folder.save_manifest(manifest)
            report("outcome", outcome, i, len(todo))
    except Interrupted as e:
        interrupted = signal.Signals(e.signum).name
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    summary = _summary(options, outcomes, started, interrupted)
    folder.save_report(summary)
    folder.remove_stale_parts()
    folder.unlock()
    return summary


def _engine(options: BatchOptions) -> Callable[[list[Job], Settings, float], Iterator[Outcome]]:
    """What runs the recordings; everything else (plan, lock, manifest, report) is shared."""
    if options.engine == "ray":
        from .batch_ray import execute_on_ray, import_ray
        import_ray()  # raises RayUnavailable without it
        return lambda todo, settings, started: execute_on_ray(todo, settings, options, started)
    return lambda todo, settings, started: _execute(todo, settings, options.jobs, started)


def _execute(todo: list[Job], settings: Settings, jobs: int, started: float) -> Iterator[Outcome]:
    """Transcribe in worker processes (even with --jobs 1), so that a stop is immediate:
    the parent terminates the workers instead of waiting for a long native call to return."""
    if not todo:
        return  # nothing to do: no models to load
    jobs = min(jobs, len(todo))
    threads = max(1, (os.cpu_count() or 1) // jobs)  # no oversubscription: cores shared out
    pool = futures.ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_init_worker, initargs=(settings, threads))
    pending = {pool.submit(_transcribe_in_worker, job): job for job in todo}
    try:
        for done in futures.as_completed(pending):
            del pending[done]
            yield done.result()
    finally:
        if pending:  # stopped early: do not wait for the recordings in progress
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        for job in pending.values():
            unpublish(job, started)


def _summary(options: BatchOptions, outcomes: list[Outcome], started: float, interrupted: str | None,
             dry_run: bool = False) -> dict:
    count = {s: sum(o.status == s for o in outcomes) for s in ("done", "skipped", "failed")}
    return {
        "in_dir": str(options.in_dir), "out_dir": str(options.out_dir), "formats": options.formats,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started)),
        "seconds": round(time.time() - started, 2),
        "dry_run": dry_run, "interrupted": interrupted, **count,
        "recordings": [asdict(o) for o in outcomes],
    }
