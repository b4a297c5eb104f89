"""Evaluate: run the pipeline on reference recordings and measure what a press office cares about.

A reference recording NAME.<audio> in the reference folder may have beside it:
  NAME.ref.txt  the transcript as it should be published (house format)   -> WER, labels, (inaudible), terms, marks
  NAME.ref.json its turns with times (synthetic calls)                    -> corrections that changed a right word
  NAME.stm      word reference as STM, instead of NAME.ref.txt           -> WER, the review page's marks
  NAME.rttm     who spoke when                                           -> DER, speakers found
  NAME.uem      the stretches the RTTM covers (default: all)            -> where DER is scored
  NAME.yaml     the call sheet (used for the run, and for the name-leak check)
A recording with none of NAME.ref.txt, NAME.stm, NAME.rttm is not a reference and is left out.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import jiwer

from ..audio import find_recordings
from ..structure.callsheet import load_call_sheet, sidecar_for
from .house import parse_house, read_house
from .metrics import (aligned_pairs, diarization_errors, error_parts, error_rate, false_corrections,
                      inaudible_recall_precision, load_rttm, load_stm, load_uem, normalize_words, pooled_errors,
                      review_marks, term_accuracy, word_error_rate)
from ..config import VocabularySettings
from ..structure.redact import leaks
from ..structure.vocabulary import terms_for
from ..render.writers import FORMATS, render
from ..types import Turn


@dataclass
class CallScore:
    name: str
    duration: float
    wer: float | None = None
    der: float | None = None
    role_accuracy: float | None = None        # correctly recognized words under the right label
    label_sequence_error: float | None = None
    inaudible_recall: float | None = None
    inaudible_precision: float | None = None
    leaks: int | None = None
    rtf: dict[str, float] = field(default_factory=dict)
    der_seconds: dict[str, float] | None = None   # missed detection, false alarm, confusion, total (reference speech)
    speakers: tuple[int, int] | None = None       # found, in the reference
    stock_der: float | None = None                # pyannote's stock pipeline on the same recording
    stock_der_seconds: dict[str, float] | None = None
    stock_speakers: tuple[int, int] | None = None
    terms: tuple[int, int] | None = None          # vocabulary and glossary terms in the reference: right, all
    false_corrections: tuple[int, int] | None = None   # corrections of a right word, words published
    doubts: tuple[int, int, int, int, int] | None = None  # review marks (metrics.doubt_counts)


WORD_REFERENCES = (".ref.txt", ".stm")   # the references WER and the review page's marks are scored against
REFERENCE_EXTENSIONS = (*WORD_REFERENCES, ".rttm")


def references(folder: Path) -> list[Path]:
    return [a for a in find_recordings(folder)
            if any(a.with_name(a.stem + ext).exists() for ext in REFERENCE_EXTENSIONS)]


def without_recording(folder: Path) -> list[Path]:
    """Reference files with no recording of their name beside them (a typo, a missing copy)."""
    stems = {a.stem for a in find_recordings(folder)}
    return sorted(p for ext in REFERENCE_EXTENSIONS for p in folder.glob(f"*{ext}")
                  if p.name.removesuffix(ext) not in stems)


def _role(label: str) -> str:
    return "QUESTION" if label.startswith("QUESTION") else label


def role_accuracy(reference: list[tuple[str, str]], hypothesis: list[tuple[str, str]]) -> float:
    """Of the words recognized correctly, the share published under the right label."""
    pairs = list(aligned_pairs([w for w, _ in reference], [w for w, _ in hypothesis], kinds=("equal",)))
    right = sum(_role(reference[r][1]) == _role(hypothesis[h][1]) for r, h in pairs)
    return right / len(pairs) if pairs else 0.0


def label_sequence_error(reference: list[str], hypothesis: list[str]) -> float:
    """Edit distance between the sequences of turn labels, over the reference length."""
    ref, hyp = [_role(x) for x in reference], [_role(x) for x in hypothesis]
    vocabulary = {label: f"l{i}" for i, label in enumerate(sorted(set(ref + hyp)))}
    if not ref:
        return 0.0
    return jiwer.wer(" ".join(vocabulary[x] for x in ref), " ".join(vocabulary[x] for x in hyp) or "<empty>")


def score_call(audio: Path, transcript, style) -> CallScore:
    """Measure one transcribed recording against the references beside it."""
    outputs = {fmt: render(transcript, fmt, style) for fmt in FORMATS}
    published = parse_house(outputs["txt"])
    hyp_labelled = [(w, t.label) for t in published.turns for w in normalize_words(t.text)]
    score = CallScore(audio.stem, round(transcript.duration, 1))

    ref_txt, stm, rttm = (audio.with_name(audio.stem + ext) for ext in REFERENCE_EXTENSIONS)
    plain = lambda pairs: [w for w, _ in pairs if w != "inaudible"]  # noqa: E731
    if ref_txt.exists():
        reference = read_house(ref_txt)
        ref_labelled = [(w, t.label) for t in reference.turns for w in normalize_words(t.text)]
        score.wer = word_error_rate(plain(ref_labelled), plain(hyp_labelled))
        score.role_accuracy = role_accuracy(ref_labelled, hyp_labelled)
        score.label_sequence_error = label_sequence_error([t.label for t in reference.turns],
                                                          [t.label for t in published.turns])
        recall, precision = inaudible_recall_precision([w for w, _ in ref_labelled], [w for w, _ in hyp_labelled])
        # Undefined (not perfect) where there is nothing to find, or nothing was marked.
        score.inaudible_recall = recall if any(w == "inaudible" for w, _ in ref_labelled) else None
        score.inaudible_precision = precision if any(w == "inaudible" for w, _ in hyp_labelled) else None
        score.terms, score.false_corrections = _term_scores(audio, transcript, reference, published)
        score.doubts = review_marks(plain(ref_labelled), transcript.words)
    elif stm.exists():
        ref_words = [w for *_, text in load_stm(stm) for w in normalize_words(text) if w != "inaudible"]
        score.wer = word_error_rate(ref_words, plain(hyp_labelled))
        score.doubts = review_marks(ref_words, transcript.words)
    if rttm.exists():
        hyp_turns = [Turn(d.speaker, d.start, d.end) for d in transcript.diarization]
        score.der_seconds, score.speakers = score_diarization(audio, hyp_turns)
        score.der = error_rate(score.der_seconds)
    if transcript.sheet is not None and transcript.sheet.on_background:
        score.leaks = sum(len(leaks(text, transcript.sheet)) for text in outputs.values())
    score.rtf = {stage: round(seconds / max(transcript.duration, 1e-9), 4)
                 for stage, seconds in transcript.timings.items()}
    return score


def _term_scores(audio: Path, transcript, reference, published) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """Terms of the call sheet and glossary spelled right; corrections that changed a right word."""
    vocabulary = VocabularySettings(**transcript.settings.get("vocabulary", {}))
    terms = [t.text for t in terms_for(transcript.sheet, vocabulary)]
    right = term_accuracy(" ".join(t.text for t in reference.turns), " ".join(t.text for t in published.turns), terms)
    timed = audio.with_name(audio.stem + ".ref.json")
    if not timed.exists():
        return right, None
    turns = [(t["start"], t["end"], t["text"]) for t in json.loads(timed.read_text())["turns"]]
    return right, (false_corrections(transcript.corrections, turns), len(transcript.words))


def score_diarization(audio: Path, turns: list[Turn]) -> tuple[dict[str, float], tuple[int, int]]:
    """DER's parts in seconds against NAME.rttm (inside NAME.uem, if there is one), and speakers found / in it."""
    reference = load_rttm(audio.with_suffix(".rttm"))
    uem_path = audio.with_suffix(".uem")
    uem = load_uem(uem_path) if uem_path.exists() else None
    inside = [t for t in turns if not uem or any(t.start < b and t.end > a for a, b in uem)]
    return diarization_errors(reference, turns, uem), (len({t.speaker for t in inside}),
                                                       len({t.speaker for t in reference}))


def evaluate(folder: Path, transcriber, stock=None, progress=lambda name: None) -> list[CallScore]:
    """Score every reference recording; `stock` (a Diarizer) is scored beside the pipeline where there is an RTTM."""
    from ..audio import SAMPLE_RATE, decode
    scores = []
    for audio in references(folder):
        progress(audio.name)
        sheet_path = sidecar_for(audio)
        decoded = decode(audio)
        transcript = transcriber.transcribe_audio(decoded, load_call_sheet(sheet_path) if sheet_path else None)
        score = score_call(audio, transcript, transcriber.style)
        if stock is not None and audio.with_suffix(".rttm").exists():
            turns = stock.diarize(decoded.samples, SAMPLE_RATE, audio.stem).turns
            score.stock_der_seconds, score.stock_speakers = score_diarization(audio, turns)
            score.stock_der = error_rate(score.stock_der_seconds)
        scores.append(score)
    return scores


def _mean(values: list[float | None], weights: list[float]) -> float | None:
    pairs = [(v, w) for v, w in zip(values, weights) if v is not None]
    return sum(v * w for v, w in pairs) / sum(w for _, w in pairs) if pairs else None


def overall(scores: list[CallScore]) -> CallScore:
    """Duration-weighted means; DER pooled (all errors over all reference speech); leaks summed."""
    weights = [s.duration for s in scores]
    total = CallScore("overall", round(sum(weights), 1))
    for name in ("wer", "role_accuracy", "label_sequence_error", "inaudible_recall", "inaudible_precision"):
        setattr(total, name, _mean([getattr(s, name) for s in scores], weights))
    for prefix in ("", "stock_"):
        pooled = pooled_errors([getattr(s, f"{prefix}der_seconds") for s in scores])
        setattr(total, f"{prefix}der_seconds", pooled)
        setattr(total, f"{prefix}der", error_rate(pooled) if pooled else None)
    found = [s.leaks for s in scores if s.leaks is not None]
    total.leaks = sum(found) if found else None
    for name in ("terms", "false_corrections", "doubts"):
        pairs = [getattr(s, name) for s in scores if getattr(s, name) is not None]
        setattr(total, name, tuple(map(sum, zip(*pairs))) if pairs else None)
    stages = sorted({k for s in scores for k in s.rtf})
    total.rtf = {k: round(_mean([s.rtf.get(k) for s in scores], weights) or 0.0, 4) for k in stages}
    return total


def markdown_table(scores: list[CallScore]) -> str:
    def pct(v):
        return "–" if v is None else f"{100 * v:.1f} %"
    def parts(seconds):
        if not seconds or not seconds["total"]:
            return "–"
        return error_parts(seconds, " / ")

    def count(found):
        return "–" if found is None else f"{found[0]} / {found[1]}"
    def terms(found):
        return "–" if not found or not found[1] else f"{100 * found[0] / found[1]:.1f} % of {found[1]}"

    def per_thousand(found):
        return "–" if not found or not found[1] else f"{1000 * found[0] / found[1]:.2f}"
    def marks(found):
        if not found or not found[4]:
            return "–"
        caught, errors, right, marked, words = found
        return " / ".join(pct(a / b if b else None) for a, b in ((caught, errors), (right, marked), (marked, words)))
    rows = ["| call | minutes | WER | DER | miss / FA / confusion % | speakers found / ref | stock DER | stock speakers "
            "| role accuracy | label-sequence error | (inaudible) recall / precision | name leaks | terms right "
            "| false corrections per 1,000 words | review marks: errors marked / precision / words marked | RTF |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in [*scores, overall(scores)]:
        inaudible = f"{pct(s.inaudible_recall)} / {pct(s.inaudible_precision)}"
        rtf = sum(v for k, v in s.rtf.items())
        rows.append(f"| {s.name} | {s.duration / 60:.1f} | {pct(s.wer)} | {pct(s.der)} | {parts(s.der_seconds)} | "
                    f"{count(s.speakers)} | {pct(s.stock_der)} | {count(s.stock_speakers)} | {pct(s.role_accuracy)} | "
                    f"{pct(s.label_sequence_error)} | {inaudible} | {'–' if s.leaks is None else s.leaks} | {terms(s.terms)} | "
                    f"{per_thousand(s.false_corrections)} | {marks(s.doubts)} | {rtf:.3f} |")
    return "\n".join(rows) + "\n"


def to_json(scores: list[CallScore]) -> str:
    return json.dumps({"calls": [asdict(s) for s in scores], "overall": asdict(overall(scores))}, indent=2) + "\n"
