"""Quality measures: word error rate, diarization error rate, speaker attribution of words."""
from __future__ import annotations

import re
from pathlib import Path

import jiwer

from ..structure.doubts import differences
from ..structure.inaudible import is_marker
from ..structure.text import normalize_words
from ..types import Turn, Word

def word_error_rate(reference: str | list[str], hypothesis: str | list[str]) -> float:
    ref = reference if isinstance(reference, list) else normalize_words(reference)
    hyp = hypothesis if isinstance(hypothesis, list) else normalize_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return jiwer.wer(" ".join(ref), " ".join(hyp) or "<empty>")


def _annotation(turns: list[Turn]):
    from pyannote.core import Annotation, Segment
    annotation = Annotation()
    for i, t in enumerate(turns):
        annotation[Segment(t.start, t.end), i] = t.speaker
    return annotation


def diarization_errors(reference: list[Turn], hypothesis: list[Turn],
                       uem: list[tuple[float, float]] | None = None) -> dict[str, float]:
    """Seconds of missed speech, false alarm and confusion, and of reference speech ("total"):
    pyannote.metrics, no collar, overlap scored, inside the UEM (default: both extents)."""
    from pyannote.core import Segment, Timeline
    from pyannote.metrics.diarization import DiarizationErrorRate
    scored = Timeline([Segment(a, b) for a, b in uem]) if uem else None
    found = DiarizationErrorRate(collar=0.0, skip_overlap=False)(
        _annotation(reference), _annotation(hypothesis), uem=scored, detailed=True)
    return {part: float(found[part]) for part in ("missed detection", "false alarm", "confusion", "total")}


def pooled_errors(parts: list[dict[str, float] | None]) -> dict[str, float] | None:
    """diarization_errors of several recordings added up (None where none was scored): the
    pooled DER is error_rate of this."""
    found = [p for p in parts if p is not None]
    return {k: sum(p[k] for p in found) for k in found[0]} if found else None


def error_parts(errors: dict[str, float], separator: str = "/") -> str:
    """Missed speech, false alarm and confusion, each in percent of the reference speech."""
    return separator.join(f"{100 * errors[k] / errors['total']:.1f}" for k in ("missed detection", "false alarm", "confusion"))


def error_rate(errors: dict[str, float]) -> float:
    """DER from diarization_errors (or their sums over several recordings: the pooled DER)."""
    wrong = errors["missed detection"] + errors["false alarm"] + errors["confusion"]
    return wrong / errors["total"] if errors["total"] else float(wrong > 0)


def diarization_error_rate(reference: list[Turn], hypothesis: list[Turn],
                           uem: list[tuple[float, float]] | None = None) -> float:
    """DER with no collar and overlap scored (pyannote.metrics)."""
    return error_rate(diarization_errors(reference, hypothesis, uem))


def diarization_error_parts(reference: list[Turn], hypothesis: list[Turn]) -> dict[str, float]:
    """DER's three parts, each over the reference speech: missed speech, false alarm, confusion."""
    found = diarization_errors(reference, hypothesis)
    return {part: found[part] / found["total"] for part in ("missed detection", "false alarm", "confusion")}


def speaker_mapping(reference: list[Turn], hypothesis: list[Turn]) -> dict[str, str]:
    """The one-to-one hypothesis -> reference speaker mapping that minimizes DER."""
    from pyannote.metrics.diarization import DiarizationErrorRate
    return dict(DiarizationErrorRate().optimal_mapping(_annotation(reference), _annotation(hypothesis)))


def aligned_pairs(reference: list[str], hypothesis: list[str], kinds: tuple[str, ...] = ("equal", "substitute")):
    """(reference index, hypothesis index) of the words the edit-distance alignment pairs up
    as `kinds` ("equal": recognized right; "substitute": recognized as another word)."""
    if not reference or not hypothesis:
        return
    alignment = jiwer.process_words(" ".join(reference), " ".join(hypothesis))
    for chunk in alignment.alignments[0]:
        if chunk.type in kinds:
            yield from zip(range(chunk.ref_start_idx, chunk.ref_end_idx), range(chunk.hyp_start_idx, chunk.hyp_end_idx))


def attribution_accuracy(reference: list[tuple[str, str]], hypothesis: list[tuple[str, str]],
                         mapping: dict[str, str] | None = None) -> float:
    """Share of aligned words (correct or substituted) whose speaker is right.

    `reference` and `hypothesis` are (word, speaker) pairs of normalized words; hypothesis
    speakers are translated with `mapping` first (unmapped speakers count as wrong).
    """
    pairs = list(aligned_pairs([w for w, _ in reference], [w for w, _ in hypothesis]))
    right = 0
    for r, h in pairs:
        hyp_speaker = hypothesis[h][1] if mapping is None else mapping.get(hypothesis[h][1])
        right += hyp_speaker == reference[r][1]
    return right / len(pairs) if pairs else 0.0


def load_rttm(path: str | Path) -> list[Turn]:
    turns = []
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():  # a BOM is not part of line 1
        fields = line.split()
        if len(fields) >= 8 and fields[0] == "SPEAKER":
            start, duration = float(fields[3]), float(fields[4])
            turns.append(Turn(fields[7], start, start + duration))
    return turns


def load_uem(path: str | Path) -> list[tuple[float, float]]:
    """The scored stretches of a UEM file (uri, channel, start, end per line)."""
    lines = (line.split() for line in Path(path).read_text(encoding="utf-8-sig").splitlines())
    return [(float(f[2]), float(f[3])) for f in lines if len(f) >= 4]


def alone(turns: list[Turn]) -> list[Turn]:
    """Each turn cut down to where no other turn overlaps it: a turn that overlaps it and
    started first moves its start to that turn's end, one that starts later ends it there."""
    out = []
    for t in turns:
        start, end = t.start, t.end
        for other in turns:
            if other is not t and other.start < end and other.end > start:
                start, end = (max(start, other.end), end) if other.start <= start else (start, min(end, other.start))
        out.append(Turn(t.speaker, start, end))
    return out


def load_stm(path: str | Path) -> list[tuple[str, float, float, str]]:
    """(speaker, start, end, text) per STM line."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8-sig").splitlines():  # a BOM is not part of line 1
        fields = line.split(maxsplit=5)
        if len(fields) >= 5 and not line.startswith(";;"):
            rows.append((fields[2], float(fields[3]), float(fields[4]), fields[5] if len(fields) > 5 else ""))
    return rows


def label_accuracy(reference: list[tuple[str, str]], hypothesis: list[tuple[str, str]]) -> float:
    """Share of aligned words (correct or substituted) published under the right label."""
    return attribution_accuracy(reference, hypothesis, mapping=None)


def inaudible_recall_precision(reference: list[str], hypothesis: list[str], window: int = 3,
                               marker: str = "inaudible") -> tuple[float, float]:
    """A hypothesis marker within `window` words of a reference marker (after aligning the
    word sequences) finds it. Returns (recall, precision); 1.0 where there is nothing to find."""
    alignment = jiwer.process_words(" ".join(reference) or "<empty>", " ".join(hypothesis) or "<empty>")
    hyp_to_ref: dict[int, int] = {}
    for chunk in alignment.alignments[0]:
        for k in range(chunk.hyp_start_idx, chunk.hyp_end_idx):
            hyp_to_ref[k] = min(chunk.ref_start_idx + (k - chunk.hyp_start_idx), max(chunk.ref_end_idx - 1, chunk.ref_start_idx))
    ref_spots = [i for i, w in enumerate(reference) if w == marker]
    hyp_spots = [hyp_to_ref.get(i, 0) for i, w in enumerate(hypothesis) if w == marker]
    found = sum(any(abs(r - h) <= window for h in hyp_spots) for r in ref_spots)
    correct = sum(any(abs(r - h) <= window for r in ref_spots) for h in hyp_spots)
    recall = found / len(ref_spots) if ref_spots else 1.0
    precision = correct / len(hyp_spots) if hyp_spots else 1.0
    return recall, precision


def term_accuracy(reference: str, hypothesis: str, terms: list[str]) -> tuple[int, int]:
    """(right, total): each term's occurrences in the reference text, and how many of them the
    hypothesis has too, spelled exactly as written (case and all). A term inside a longer
    one ("Jazeera" in "Al Jazeera") is counted only as the longer one, and none inside a
    redaction placeholder ("[Senior State Department Official]")."""
    right = total = 0
    reference, hypothesis = (re.sub(r"\[[^\]]*\]", " ", text) for text in (reference, hypothesis))  # placeholders
    for term in sorted(set(terms), key=len, reverse=True):
        whole = re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])")
        reference, in_ref = whole.subn(" ", reference)   # counted, then taken out for the shorter terms
        if in_ref:
            hypothesis, in_hyp = whole.subn(" ", hypothesis)
            total += in_ref
            right += min(in_ref, in_hyp)
    return right, total


def _contains(words: list[str], part: list[str]) -> bool:
    return bool(part) and any(words[i:i + len(part)] == part for i in range(len(words) - len(part) + 1))


def false_corrections(corrections: list, reference_turns: list[tuple[float, float, str]], reach: float = 2.0) -> int:
    """Corrections that changed a right word: the reference said what was heard there (in
    a reference turn within `reach` seconds), and not the term written in its place."""
    wrong = 0
    for c in corrections:
        said = [w for start, end, text in reference_turns if start - reach < c.end and end + reach > c.start
                for w in normalize_words(text)]
        if _contains(said, normalize_words(c.heard)) and not _contains(said, normalize_words(c.written)):
            wrong += 1
    return wrong


def doubt_counts(reference: list[str], words: list[tuple[str, bool]]) -> tuple[int, int, int, int, int]:
    """How the review page's marks find the recognizer's errors.

    `words`: each published word's text and whether it is marked. Each error of the word
    alignment sits at a published word (structure.doubts.differences). Returns (errors at
    a marked word, errors, marked words at an error, marked words, words)."""
    marked = [m for _, m in words]
    at_error = differences(reference, [text for text, _ in words])
    wrong = set(at_error)
    return (sum(marked[i] for i in at_error), len(at_error), sum(marked[i] for i in wrong), sum(marked), len(words))


def review_marks(reference: list[str], words: list[Word]) -> tuple[int, int, int, int, int]:
    """doubt_counts of a transcript's published words; (inaudible) markers are left out, as WER leaves them out."""
    return doubt_counts(reference, [(w.text, bool(w.doubt)) for w in words if not is_marker(w)])
