"""The whole pipeline for one recording: decode -> diarize -> recognize -> align."""
from __future__ import annotations

import dataclasses
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from .audio import SAMPLE_RATE, Audio, decode, is_silent
from .config import DiarizationSettings, Settings
from .diarization.diarize import Diarization, Diarizer
from .diarization.voices import VoiceLibrary, match_voices

from .recognition.recognize import Recognizer, resolve_compute_type, resolve_device
from .render.typography import load_house_style
from .structure.align import assign_speakers
from .structure.callsheet import CallSheet
from .structure.doubts import mark_doubts
from .structure.inaudible import cover_noise, join_markers, mark_inaudible, masked_stretches, silent_speech
from .structure.questions import askers_in_timeline, give_back_questions
from .structure.redact import leaks, redact_turns
from .structure.roles import Role, assign_roles, load_role_rules, said_on_background
from .structure.text import drop_fillers
from .structure.turn_roles import decode_units, relabel, unit_spans, units_of
from .structure.vocabulary import correct_terms, terms_for
from .threads import InBackground, TorchThreads, available_cores, plan_threads
from .types import Transcript, Turn, Word


StageHook = Callable[[str], None]


@contextmanager
def _timed(timings: dict[str, float], stage: str, on_stage: StageHook | None = None):
    if on_stage is not None:
        on_stage(stage)
    start = time.perf_counter()
    yield
    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def min_speakers(sheet: CallSheet | None, settings: DiarizationSettings) -> int | None:
    """The speaker floor the call sheet implies; None (the settings rule) when a count was given or there is none."""
    floor = sheet.fewest_speakers if sheet is not None and settings.min_speakers_from_call_sheet else None
    if floor is None or settings.num_speakers is not None:
        return None
    floor = max(floor, settings.min_speakers or 0)
    return min(floor, settings.max_speakers) if settings.max_speakers else floor


class Transcriber:
    """Holds the loaded models (loaded once per process) and transcribes recordings."""

    def __init__(self, settings: Settings, cores: int | None = None):
        """`cores`: how many CPU cores this transcriber may use (default: all this process may run on)."""
        self.settings = settings
        self.style = load_house_style(settings.house_style)
        self.role_rules = load_role_rules()
        if settings.vocabulary.correct:
            terms_for(None, settings.vocabulary)  # a glossary that cannot be read stops the run before models load
        self.device = resolve_device(settings.asr.device)
        self.compute_type = resolve_compute_type(settings.asr.compute_type, self.device)
        self.threads = plan_threads(cores or available_cores(), self.device, self.compute_type,
                                    settings.asr.cpu_threads, settings.overlap_stages)
        self.recognizer = Recognizer(settings.asr, settings.models_path, self.device, self.compute_type,
                                     self.threads.recognition)
        self.diarizer = Diarizer(settings.diarization, settings.models_path, self.device, settings.hf_token)
        self.checker: Recognizer | None = None   # the second reading's recognizer (review.cross_check)
        self.known_voices = []
        if self.diarizer.merge_encoder is not None:   # refused here, before any recording, if from another encoder
            self.known_voices = VoiceLibrary(settings.voices).prints(settings.diarization.merge_encoder)

    def describe_models(self) -> dict:
        return {
            "asr": {"name": self.settings.asr.model, "device": self.device, "compute_type": self.compute_type},
            "diarization": {"name": self.settings.diarization.model, "device": self.device},
            "threads": dataclasses.asdict(self.threads),
            **({"second_reading": self.settings.review.cross_check_model} if self.settings.review.cross_check else {}),
        }

    def transcribe(self, path: str | Path, sheet: CallSheet | None = None) -> Transcript:
        audio = decode(path, self.settings.audio.min_duration)
        return self.transcribe_audio(audio, sheet)

    def transcribe_audio(self, audio: Audio, sheet: CallSheet | None = None,
                         on_stage: StageHook | None = None) -> Transcript:
        """Transcribe already decoded audio (so bad files are refused before models load).

        `on_stage(name)` is called as each stage starts (diarization, recognition, roles,
        alignment; "diarization and recognition" when they overlap): `make bench` uses it
        to attribute memory to stages.
        """
        path = audio.path
        timings: dict[str, float] = {"decode": audio.decode_seconds}
        transcript = Transcript(
            audio_path=str(path), duration=audio.duration, turns=[], diarization=[],
            speaker_labels={}, settings=self.settings.to_dict(), models=self.describe_models(),
            timings=timings, sheet=sheet,
        )
        if is_silent(audio.samples, self.settings.audio.silence_dbfs):
            transcript.warnings.append("the recording is silent: no speech to transcribe")
            return transcript
        floor = min_speakers(sheet, self.settings.diarization)
        if self.threads.overlap:
            if on_stage is not None:
                on_stage("diarization and recognition")
            threads = TorchThreads(self.threads.diarization)
            diarizing = InBackground(lambda: self._diarize(audio, floor, timings, threads))
            words = self._recognize(audio, sheet, timings)
            threads.wanted += self.threads.recognition  # recognition's cores are free now
            diarization = diarizing.result()
        else:
            self.recognizer.unload()   # its weights wait on disk while diarization takes the memory
            diarization = self._diarize(audio, floor, timings, TorchThreads(self.threads.diarization), on_stage)
            words = self._recognize(audio, sheet, timings, on_stage)
        if self.settings.asr.second_look:
            with _timed(timings, "second look", on_stage):
                words = self._second_look(audio, words, diarization)
        if self.settings.vocabulary.correct:
            words = self._correct_terms(words, transcript)
        found = len({t.speaker for t in diarization.turns})
        if floor and 0 < found < floor:
            transcript.warnings.append(f"diarization found {found} voices, fewer than the {floor} asked for "
                                       "(the call sheet implies one per official, the moderator, a questioner)")
        if self.known_voices:
            with _timed(timings, "known voices", on_stage):
                self._match_voices(transcript, audio, diarization)
        with _timed(timings, "roles", on_stage):
            diarization = self._assign_roles(transcript, words, diarization, sheet)
        with _timed(timings, "alignment", on_stage):
            marks = self.style.inaudible
            masked = masked_stretches(audio.samples, marks["noise_flatness"], marks["noise_min_seconds"],
                                      marks["noise_loudness_percentile"])
            transcript.turns = self._published_turns(words, diarization, transcript, masked)
            # Speech under noise is the speech of the turn the noise cuts off (inaudible.cover_noise).
            transcript.diarization = askers_in_timeline(cover_noise(diarization.turns, masked), transcript.turns)
        mark_doubts(transcript, self.settings.review, self._second_reading(audio, timings, on_stage))
        if not words:
            transcript.warnings.append("no words were recognized in the recording")
        return transcript

    def _second_reading(self, audio: Audio, timings: dict[str, float], on_stage: StageHook | None) -> list[str] | None:
        """The call read again by a smaller recognizer, for the review page's marks (structure/doubts.py)."""
        review = self.settings.review
        if not (review.cross_check and review.cross_check_model):
            return None
        self.recognizer.unload()   # one Whisper in memory at a time
        if self.checker is None:   # loaded on the first call that needs it
            self.checker = Recognizer(dataclasses.replace(self.settings.asr, model=review.cross_check_model),
                                      self.settings.models_path, self.device, self.compute_type,
                                      self.threads.recognition)
        with _timed(timings, "second reading", on_stage):
            reading = [w.text for seg in self.checker.recognize(audio.samples) for w in seg.words]
        self.checker.unload()
        return reading

    def _diarize(self, audio: Audio, floor: int | None, timings: dict[str, float], threads: TorchThreads,
                 on_stage: StageHook | None = None) -> Diarization:
        threads()  # before the first batch: a new thread starts at torch's default count
        with _timed(timings, "diarization", on_stage):
            return self.diarizer.diarize(audio.samples, SAMPLE_RATE, Path(audio.path).stem,
                                         min_speakers=floor, hook=threads)

    def _second_look(self, audio: Audio, words: list[Word], diarization: Diarization) -> list[Word]:
        """Decode again the speech that would be marked (inaudible) for having no words."""
        gaps = silent_speech(words, diarization.exclusive, self.style.inaudible["min_gap_seconds"])
        return self.recognizer.second_look(audio.samples, words, gaps)

    def _recognize(self, audio: Audio, sheet: CallSheet | None, timings: dict[str, float],
                   on_stage: StageHook | None = None) -> list[Word]:
        hotwords = self._hotwords(sheet) if self.settings.asr.call_sheet_hotwords else None
        with _timed(timings, "recognition", on_stage):
            return [w for seg in self.recognizer.recognize(audio.samples, hotwords) for w in seg.words]

    def _speakers_of(self, words: list[Word], diarization: Diarization) -> list[Turn]:
        return assign_speakers(words, diarization.exclusive, self.settings.alignment.sentence_reach,
                               self.style.abbreviations)

    def _assign_roles(self, transcript: Transcript, words: list[Word], diarization: Diarization,
                      sheet: CallSheet | None) -> Diarization:
        """Roles per voice, then per sentence run where the text says a voice holds two people
        (turn_roles.py): the diarization comes back with those runs under ids of their own."""
        # Roles are judged on everything the recognizer heard, before unsure words become
        # (inaudible): a half-heard "press one then zero" still marks the operator.
        aligned = self._speakers_of(words, diarization)
        said = [(t.speaker, t.text) for t in aligned]
        roles = assign_roles(said, sheet, self.role_rules) | self._known_roles(transcript, sheet)
        if self.role_rules.turns:
            units = units_of(aligned, self.style.abbreviations)
            spans, new_roles = unit_spans(units, decode_units(units, roles, sheet, self.role_rules), roles)
            spans = [span for span in spans if span[2] not in transcript.known]   # a known voice keeps its role
            roles |= new_roles
            diarization = dataclasses.replace(diarization, turns=relabel(diarization.turns, spans),
                                              exclusive=relabel(diarization.exclusive, spans))
        transcript.roles = {sp: r.kind for sp, r in roles.items()}
        transcript.speaker_labels = {sp: r.label for sp, r in roles.items()}
        for d in diarization.turns:  # speakers diarization heard who said no word
            transcript.roles.setdefault(d.speaker, "questioner")
            transcript.speaker_labels.setdefault(d.speaker, self.role_rules.labels["questioner"])
        if sheet is None and said_on_background(said, transcript.roles, self.role_rules):
            transcript.warnings.append("the call is on background by its ground rules, but there is no call sheet: "
                                       "briefers' names are not redacted (give NAME.yaml with their names)")
        return diarization

    def _match_voices(self, transcript: Transcript, audio: Audio, diarization: Diarization) -> None:
        """Speakers that are enrolled voices (diarization/voices.py), with their cosines."""
        partials = diarization.voice_partials   # None where the merge did not run
        partials = self.diarizer.voice_partials(audio.samples) if partials is None else partials
        prints = self.diarizer.speaker_prints(diarization.exclusive, partials, audio.samples)
        matched = match_voices({sp: vector for sp, (vector, _) in prints.items()}, self.known_voices,
                               self.settings.diarization.voices_threshold)
        transcript.known = {sp: {"name": voice.name, "score": score, "role": voice.role, "label": voice.label}
                            for sp, (voice, score) in matched.items()}

    def _known_roles(self, transcript: Transcript, sheet: CallSheet | None) -> dict[str, Role]:
        """The roles and labels enrolled with the known voices heard; where the call sheet does
        not list an official's label, the call sheet wins and a warning says so."""
        roles = {}
        listed = {o.label: o for o in sheet.officials} if sheet is not None else {}
        for speaker, voice in transcript.known.items():
            role, label = voice["role"], voice["label"]
            if role is None:
                continue
            if role == "official" and listed and label not in listed:
                transcript.warnings.append(f"known voice {voice['name']} is enrolled as {label}, which the call "
                                           "sheet does not list: the call sheet wins")
                continue
            label = label or self.role_rules.labels.get(role, self.role_rules.labels["official_family"])
            roles[speaker] = Role(role, label, listed.get(label))
        return roles

    def _correct_terms(self, words: list[Word], transcript: Transcript) -> list[Word]:
        """Misheard terms of the call sheet and the glossary written as the office writes them."""
        s, sheet = self.settings.vocabulary, transcript.sheet
        words, changes = correct_terms(words, terms_for(sheet, s), s)
        if sheet is not None and sheet.on_background:  # a change naming a briefer would publish the name in JSON
            changes = [c for c in changes if not leaks(f"{c.heard} {c.written}", sheet, self.settings.redaction)]
        transcript.corrections = changes
        return words

    def _published_turns(self, words: list[Word], diarization: Diarization, transcript: Transcript,
                         masked: list[tuple[float, float]]) -> list[Turn]:
        """Words with (inaudible) marked, given their speakers, and redacted on background calls."""
        sheet, roles = transcript.sheet, transcript.roles
        marks = self.style.inaudible
        marked = drop_fillers(mark_inaudible(words, diarization.exclusive, marks["max_probability"],
                                             int(marks["min_run_words"]), marks["min_gap_seconds"], masked),
                              set(self.style.fillers))
        turns = give_back_questions(self._speakers_of(marked, diarization), transcript, self.role_rules,
                                    self.style.abbreviations)
        for turn in turns:  # within one speaker's turn: markers of different signs may touch
            turn.words = join_markers(turn.words)
        if sheet is not None and sheet.on_background:
            officials = {sp for sp, kind in roles.items() if kind == "official"}
            turns = redact_turns(turns, sheet, officials, self.settings.redaction)
        return turns

    @staticmethod
    def _hotwords(sheet: CallSheet | None) -> str | None:
        """Names and vocabulary from the call sheet, so the recognizer spells them (and redaction finds them)."""
        if sheet is None:
            return None
        words = [*sheet.briefer_names(), *([sheet.moderator] if sheet.moderator else []), *sheet.vocabulary]
        return " ".join(words) or None
