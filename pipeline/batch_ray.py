"""`callscribe batch --engine ray`: the recordings of a batch run by actors on a Ray cluster.

Only the running of recordings is here; the plan, lock, manifest, report and signal
handling are batch.py's, shared with the local engine. Each actor loads the models once
(`load_transcriber`) and runs the same per-recording function as a local worker process
(`transcribe_job`), one recording at a time. A worker process that dies (killed, out of
memory, its node lost) is restarted by Ray, which reruns the recording it held
(`max_restarts`, `max_task_retries`: at most RETRIES reruns), so no recording is lost
and none is counted twice; a recording whose worker died on every try fails alone.

Ray is an optional extra and is imported only here, only when this engine is asked for.
"""
from __future__ import annotations

import logging
import os
import signal
from collections import deque
from dataclasses import replace
from typing import Iterator

from .batch import BatchOptions, Interrupted, Job, Outcome, load_transcriber, transcribe_job, unpublish
from .config import Settings
from .errors import CallscribeError

RETRIES = 2                   # reruns of a recording whose worker died (3 tries in all)
DEFAULT_CPUS_PER_WORKER = 2   # cores each actor reserves and gives to torch and CTranslate2
POLL_SECONDS = 1.0            # how often the wait for results lets SIGINT/SIGTERM through
SETTLE_SECONDS = 30.0         # how long a stop waits for killed actors' recordings to end
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
NOWHERE = "http://127.0.0.1:9"   # the discard port, closed: a plain-HTTP request through it fails at once


class RayUnavailable(CallscribeError):
    """--engine ray without Ray installed, or without the cluster it names."""

    exit_code = 69  # EX_UNAVAILABLE, as for a model that is not installed


def import_ray():
    """Ray, or a one-line error that says how to install it."""
    try:
        import ray
    except ImportError:
        raise RayUnavailable(None, "--engine ray needs Ray: pip install 'callscribe[ray]' (or make setup)") from None
    return ray


class RayWorker:
    """One actor: the models, loaded once, and the recordings given to it one at a time."""

    def __init__(self, settings: Settings, threads: int, gpus: float):
        if not gpus:
            # Ray (2.58) hides no GPU from an actor that reserved none: hide them here,
            # before CUDA starts, so that --device auto runs on CPU and leaves the node's GPUs
            # to the actors that reserved them (the settings, and so the outputs, are unchanged).
            os.environ["CUDA_VISIBLE_DEVICES"] = ""
        self.transcriber = load_transcriber(settings, threads)

    def ready(self) -> int:
        """The actor's process id, once its models are loaded."""
        return os.getpid()

    def transcribe(self, job: Job) -> Outcome:
        return transcribe_job(job, self.transcriber)


def worker_shape(cluster_cpus: int, workers: int | None, cpus_per_worker: int | None,
                 recordings: int) -> tuple[int, int]:
    """(actors, cores per actor). Given one of the two, the other fills the cluster's CPUs
    (so `--workers N` on one machine shares its cores out as `-j N` does); given neither,
    DEFAULT_CPUS_PER_WORKER cores each. Never more actors than recordings."""
    if cpus_per_worker is None:
        cpus_per_worker = max(1, cluster_cpus // workers) if workers else min(DEFAULT_CPUS_PER_WORKER, cluster_cpus)
    if workers is None:
        workers = max(1, cluster_cpus // cpus_per_worker)
    return max(1, min(workers, recordings)), max(1, cpus_per_worker)


def _connect(ray, address: str | None) -> None:
    """Join the cluster at `address` ("auto": the one started on this machine with `ray
    start`), or with none start a private cluster on this machine that ends with the run."""
    private = address is None
    if private:
        # Ray starts its workers at nice 15, behind every other program on the machine: the
        # models would get what the rest leaves (20 times slower beside a busy test suite).
        # The private cluster runs them at the batch's own priority, as the local engine does.
        os.environ.setdefault("RAY_worker_niceness", "0")
        # Ray's head asks the cloud metadata services who hosts it (a DNS lookup of
        # metadata.google.internal, HTTP to 169.254.169.254) even with usage stats off
        # (ray 2.58, dashboard/modules/usage_stats). Plain HTTP from its processes goes to a
        # closed local port instead; HTTPS (a hub model) is untouched. tests/test_privacy.py.
        for name in ("http_proxy", "HTTP_PROXY"):
            os.environ[name] = NOWHERE
    try:
        ray.init(address=address or "local", logging_level=logging.WARNING, log_to_driver=False,
                 # private: no dashboard (no web server), and an address that stays on this machine
                 **({"include_dashboard": False, "_node_ip_address": "127.0.0.1"} if private else {}))
    except SystemExit as e:  # ray.init's own SIGTERM handler exits: stop as the batch does
        if e.code != signal.SIGTERM:
            raise
        raise Interrupted(signal.SIGTERM) from None
    except ConnectionError as e:
        raise RayUnavailable(None, f"cannot join the Ray cluster at {address}: {e}") from None


def _absolute(job: Job) -> Job:
    """Actors do not run in this process's folder (nor, on other nodes, on this machine)."""
    return replace(job, audio=job.audio.absolute(), sheet=job.sheet.absolute() if job.sheet else None,
                   outputs=[p.absolute() for p in job.outputs])


def execute_on_ray(todo: list[Job], settings: Settings, options: BatchOptions, started: float) -> Iterator[Outcome]:
    """Transcribe `todo` on the Ray cluster of `options.address`; yield each Outcome as it ends."""
    if not todo:
        return  # nothing to do: no cluster to start
    ray = import_ray()
    # An exception raised by a signal handler inside Ray's native calls breaks them
    # (SystemError), and ray.init makes SIGTERM a bare sys.exit: while Ray runs, a stop
    # signal is only noted, and raised as Interrupted between calls (batch.py then stops).
    outer = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    stops: list[int] = []
    _note_stops(stops)
    actors, pending = [], {}
    try:
        _connect(ray, options.address)
        _note_stops(stops)  # again: ray.init replaced the SIGTERM handler
        workers, cpus = worker_shape(int(ray.cluster_resources().get("CPU", 1)), options.workers,
                                     options.cpus_per_worker, len(todo))
        gpus = options.gpus_per_worker
        if gpus is None:
            gpus = 1 if settings.asr.device == "cuda" else 0
        worker = ray.remote(num_cpus=cpus, num_gpus=gpus, max_task_retries=RETRIES,
                            # enough restarts that recordings' deaths never retire an actor
                            # while they still have reruns left; bounded all the same
                            max_restarts=(RETRIES + 1) * len(todo))(RayWorker)
        actors = [worker.remote(settings, cpus, gpus) for _ in range(workers)]
        yield from _dispatch(ray, actors, [_absolute(j) for j in todo], started, pending, stops)
        if stops:  # after the last recording, but before the run ended: said as locally
            raise Interrupted(stops[0])
    finally:
        _stop(ray, actors, pending, started)
        for sig, handler in outer.items():
            signal.signal(sig, handler)


def _note_stops(stops: list[int]) -> None:
    for sig in STOP_SIGNALS:
        signal.signal(sig, lambda signum, _frame: stops.append(signum))


def _dispatch(ray, actors: list, todo: list[Job], started: float, pending: dict,
              stops: list[int]) -> Iterator[Outcome]:
    """Give each actor one recording at a time, the next when it returns the last.

    `pending` maps each result Ray still owes to its (actor, job); job None is an actor's
    `ready()`, so an actor takes its first recording once its models are loaded, and an
    actor that cannot be placed or started never holds one."""
    queue = deque(todo)
    for actor in actors:
        pending[actor.ready.remote()] = (actor, None)
    not_started = ""
    while pending:
        if stops:
            raise Interrupted(stops[0])
        ready, _ = ray.wait(list(pending), num_returns=1, timeout=POLL_SECONDS)
        if not ready:
            continue
        actor, job = pending.pop(ready[0])
        try:
            outcome = ray.get(ready[0])
        except ray.exceptions.RayActorError as e:
            if job is None or e.actor_init_failed:  # its models did not load: it takes no more recordings
                not_started = _last_line(e)
                if job:
                    unpublish(job, started)
                    yield Outcome(job.name, "failed", 0.0, f"its worker could not start: {not_started}")
                continue
            unpublish(job, started)  # Ray's reruns are spent: nothing of it may stay half-published
            outcome = Outcome(job.name, "failed", 0.0, f"its worker died on each of {RETRIES + 1} tries")
        if job:
            yield outcome
        if queue:
            following = queue.popleft()
            pending[actor.transcribe.remote(following)] = (actor, following)
    for job in queue:  # no actor could start
        yield Outcome(job.name, "failed", 0.0, f"no worker could start: {not_started or 'no resources'}")


def _stop(ray, actors: list, pending: dict, started: float) -> None:
    """End the actors; a recording they had not finished leaves nothing (as locally)."""
    for actor in actors:
        ray.kill(actor, no_restart=True)
    unfinished = [job for _, job in pending.values() if job]
    if pending:  # killed actors' results resolve as errors once their processes are gone
        ray.wait(list(pending), num_returns=len(pending), timeout=SETTLE_SECONDS)
    for job in unfinished:
        unpublish(job, started)
    ray.shutdown()  # a private cluster stops; a shared one is only left


def _last_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__
