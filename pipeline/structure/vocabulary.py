"""Names and terms spelled as the office writes them: the call sheet's `vocabulary:`, its
people, and the office glossary (configs/glossary.yaml).

Whisper often spells a name it does not know a little off ("Zelensky", "Mayorcas",
"Kharkov"). Each span of one to `max_span_words` recognized words that begins with a
capital is scored against every term by spelling and Metaphone key (the same score as
redaction's near-misses, docs/vocabulary.md); a span whose best score reaches `threshold`
is rewritten as the term, and each change is recorded (what was heard, what was written,
the score) so that a reviewer can undo it. A name heard as other words altogether
("Lincoln" for Blinken, "Jeremy" for Germany) scores far below any safe threshold.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..config import CONFIG_DIR, VocabularySettings
from ..errors import ConfigError
from ..types import Correction, Word
from .callsheet import CallSheet
from .redact import capitalized, score

_TRAILING = re.compile(r"(['’]s?)?[.,?!;:)\]”’\"']*$")   # a possessive and closing punctuation


@dataclass(frozen=True)
class Term:
    text: str            # as the office writes it: "Al Jazeera"
    letters: str         # lowercase letters and digits only: "aljazeera"
    words: int


def letters(text: str) -> str:
    return re.sub(r"[^\w]", "", text.lower())


def make_terms(texts: list[str]) -> list[Term]:
    """Terms from their written forms, one per spelling (the first one given wins)."""
    terms: dict[str, Term] = {}
    for text in texts:
        text = " ".join(str(text).split())
        key = letters(text)
        if key and key not in terms:
            terms[key] = Term(text, key, len(text.split()))
    return list(terms.values())


@lru_cache(maxsize=4)
def glossary(path: Path = CONFIG_DIR / "glossary.yaml") -> tuple[str, ...]:
    """Every term of the office glossary, all sections together."""
    try:
        data = yaml.safe_load(Path(path).read_text()) or {}
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(path, f"cannot read the glossary ({str(e).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ConfigError(path, "a glossary must be a mapping of sections to lists of terms")
    return tuple(str(t) for section in data.values() if isinstance(section, list) for t in section)


def terms_for(sheet: CallSheet | None, settings: VocabularySettings) -> list[Term]:
    """The call's terms: its sheet's vocabulary and people first, then the glossary."""
    own = [*sheet.vocabulary, *sheet.briefer_names(), *([sheet.moderator] if sheet.moderator else [])] if sheet else []
    return make_terms([*own, *glossary(Path(settings.glossary or CONFIG_DIR / "glossary.yaml"))])


def _best_at(words: list[Word], bares: list[str], i: int, terms: list[Term], known: dict[str, Term],
             s: VocabularySettings) -> tuple[int, Term, float] | None:
    """The term spoken by one to `max_span_words` words from i, as (words, term, score): the
    longest one said right (maybe spaced or cased otherwise), else the best near-miss."""
    spans = []
    for n in range(1, s.max_span_words + 1):
        if i + n > len(words) or (n > 1 and words[i + n - 2].text.strip()[-1:] in ".,?!;:"):
            break
        spans.append((n, "".join(bares[i:i + n])))
    # Said right, maybe spaced or cased otherwise; an acronym only if heard in capitals ("Who" is not WHO).
    exact = [(n, known[said]) for n, said in spans if said in known and known[said].words == n
             and (not known[said].text.isupper() or "".join(w.text for w in words[i:i + n]).isupper())]
    if exact:
        return (*exact[-1], 1.0)
    best = None
    for n, said in spans:
        if len(said) < s.min_letters or (n > 1 and not all(capitalized(w.text) for w in words[i:i + n])):
            continue
        for term in terms:
            if not _comparable(said, n, term, s) or not _may_be(said, words[i:i + n], term, known):
                continue
            value = score(said, term.letters, s.spelling_weight)
            if value >= s.threshold and (best is None or value > best[2]):
                best = (n, term, value)
    return best


def _comparable(said: str, n: int, term: Term, s: VocabularySettings) -> bool:
    """Worth scoring: a term long enough, said in about as many words and letters."""
    return (abs(term.words - n) <= 1 and len(term.letters) >= s.min_letters
            and abs(len(term.letters) - len(said)) <= 0.4 * len(term.letters))


# Endings that make another word of a term: American/Americans, Czech/Czechia, Korea/Korean.
_DERIVED = ("s", "es", "n", "an", "ian", "ia", "ese", "ns", "ans", "i", "is", "ish", "ic")


def _contained(short: list[str], long: list[str]) -> bool:
    return len(short) < len(long) and any(long[k:k + len(short)] == short for k in range(len(long) - len(short) + 1))


def _may_be(said: str, heard: list[Word], term: Term, known: dict[str, Term]) -> bool:
    """False where the heard words are another form of the term, not a mishearing of it: a
    derived word (American / Americans, Czech / Czechia), part of the term or the term with
    more words (Security Council / UN Security Council, The United States), or a heard
    compound of terms ("Japan-U.S.")."""
    short, long = sorted((said, term.letters), key=len)
    if long.startswith(short) and long[len(short):] in _DERIVED:
        return False
    parts = [letters(p) for w in heard for p in w.text.split("-")]
    own = [letters(w) for w in term.text.split()]
    if _contained(parts, own) or _contained(own, parts):
        return False
    return not (len(parts) > len(heard) and any(p in known for p in parts))


def _written(term: Term, heard: list[Word]) -> list[Word]:
    """The term's words over the heard words' time, keeping the punctuation and possessive."""
    tail = _TRAILING.search(heard[-1].text.strip()).group(0)
    start, end = heard[0].start, heard[-1].end
    parts = term.text.split()
    step = (end - start) / len(parts)
    probability = min(w.probability for w in heard)
    return [Word(" " + part + (tail if k == len(parts) - 1 else ""), start + k * step, start + (k + 1) * step,
                 probability, heard[0].speaker) for k, part in enumerate(parts)]


def correct_terms(words: list[Word], terms: list[Term],
                  settings: VocabularySettings) -> tuple[list[Word], list[Correction]]:
    """`words` with misheard terms written as the office writes them, and the changes made."""
    known = {t.letters: t for t in terms}
    bares = [letters(_TRAILING.sub("", w.text.strip())) for w in words]
    out, changes, i = [], [], 0
    while i < len(words):
        found = _best_at(words, bares, i, terms, known, settings) if capitalized(words[i].text) else None
        if found is None:
            out.append(words[i])
            i += 1
            continue
        n, term, value = found
        heard = words[i:i + n]
        written = _written(term, heard)
        if " ".join(w.text.strip() for w in written) != " ".join(w.text.strip() for w in heard):
            changes.append(Correction(" ".join(w.text.strip() for w in heard), term.text, round(value, 3),
                                      heard[0].start, heard[-1].end))
            out += written
        else:
            out += heard
        i += n
    return out, changes
