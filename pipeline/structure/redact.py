"""Redact briefers' names on background calls: every spoken form becomes their placeholder.

Works on words, whoever's turn they are in, so every output (text, JSON, subtitles) is
built from redacted words and a diarization error cannot leak a name. Forms: the full
name, the surname (with any title before it: "Secretary Moreno", "Ms. Moreno", and a
possessive "Moreno's"), the first name, and the recognizer's near-misses of them over
spans of one to three words ("Zarechal Murrino", "Oka for"), kept where their score
(spelling and Metaphone key, docs/redaction.md) reaches `redaction.threshold`. A briefer
who is not on the call sheet and introduces themselves ("this is Jane Roe, …") gets
`[name and title withheld]`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from .callsheet import CallSheet
from ..config import RedactionSettings, load_settings
from ..types import Turn, Word

WITHHELD = "[name and title withheld]"
SELF_INTRO = ("this is", "my name is", "i am", "i'm")
_POSSESSIVE = re.compile(r"['’]s?$", re.IGNORECASE)


def _bare(text: str) -> str:
    """Lowercase letters only, a possessive dropped: "Moreno’s," -> "moreno"."""
    return re.sub(r"[^\w]", "", _POSSESSIVE.sub("", text.strip().rstrip(".,?!;:")).lower())


def _configured(settings: RedactionSettings | None) -> RedactionSettings:
    """The given settings, else configs/default.yaml's (tools and tests that call leaks() alone)."""
    return settings or _default_settings()


@lru_cache(maxsize=1)
def _default_settings() -> RedactionSettings:
    return load_settings().redaction


@dataclass(frozen=True)
class NameForm:
    letters: str           # the form's letters, lowercase, no spaces: "rachelmoreno"
    words: int             # how many words it is spoken in
    placeholder: str
    kind: str              # full | surname | first


def name_forms(sheet: CallSheet) -> list[NameForm]:
    """Each official's full name, surname and first name (a first name of three letters or more)."""
    forms = []
    for official in sheet.officials:
        tokens = [_bare(t) for t in (official.name or "").split() if _bare(t)]
        if not tokens:
            continue
        forms.append(NameForm("".join(tokens), len(tokens), official.placeholder, "full"))
        if len(tokens) > 1:
            forms.append(NameForm(tokens[-1], 1, official.placeholder, "surname"))
            if len(tokens[0]) >= 3:
                forms.append(NameForm(tokens[0], 1, official.placeholder, "first"))
    return forms


@lru_cache(maxsize=None)
def _key(letters: str) -> str:
    return jellyfish.metaphone(letters)


def _similarity(a: str, b: str) -> float:
    """1 - Levenshtein distance over the longer length."""
    return 1 - jellyfish.levenshtein_distance(a, b) / max(len(a), len(b), 1)


@lru_cache(maxsize=1 << 20)
def score(said: str, name: str, spelling_weight: float = 0.5) -> float:
    """How nearly `said` (letters, no spaces) is `name`: its spelling and its Metaphone key."""
    if said == name:
        return 1.0
    return spelling_weight * _similarity(said, name) + (1 - spelling_weight) * _similarity(_key(said), _key(name))


@dataclass
class Match:
    start: int              # word index
    end: int                # one past the last word of the name (titles before it not included)
    form: NameForm
    score: float


def capitalized(text: str) -> bool:
    return text.strip()[:1].isupper()


def _ends_clause(text: str) -> bool:
    text = text.strip()
    is_initial = len(text) == 2 and text[0].isupper() and text[1] == "."
    return text[-1:] in ".,;:?!" and not is_initial


def _best_at(texts: list[str], bares: list[str], i: int, forms: list[NameForm], s: RedactionSettings) -> Match | None:
    """The best-scoring name form spoken by one to `max_span_words` words from i.

    A near-miss, or a first name, must begin with a capital, as Whisper writes names:
    "more" is the word, not Moreau misheard. A surname or full name spelled exactly counts
    in any case: a false placeholder there is better than a leaked name."""
    best, capital = None, capitalized(texts[i])
    if bares[i] in s.titles:
        return None  # "MR KURTZ-PHELAN": the title is taken in after the name is found
    if not capital and not any(f.letters.startswith(bares[i]) for f in forms if bares[i]):
        return None  # only an exact spelling counts uncapitalized: a quick way past most words
    for n in range(1, s.max_span_words + 1):
        if i + n > len(texts) or (n > 1 and _ends_clause(texts[i + n - 2])) or texts[i + n - 1].strip().startswith("["):
            break
        said = "".join(bares[i:i + n])
        if not said:
            break
        for form in forms:
            if n > form.words + 1 or not (capital or said == form.letters):
                continue
            if said == form.letters:
                value = 1.0 if capital or form.kind != "first" else 0.0
            elif len(form.letters) >= s.min_letters and len(said) >= 3 and bares[i] not in s.not_names:
                value = score(said, form.letters, s.spelling_weight)
            else:
                continue
            if value >= s.threshold and (best is None or value > best.score):
                best = Match(i, i + n, form, value)
    return best


def _misheard_surname(texts: list[str], i: int) -> int:
    """After a first name: up to two capitalized words ("R. Kapper") are the surname, misheard."""
    n = 0
    while n < 2 and i + n < len(texts) and not _ends_clause(texts[i + n - 1]) \
            and capitalized(texts[i + n]) and not texts[i + n].strip().startswith("["):
        n += 1
    return n


def _misheard_first_name(texts: list[str], bares: list[str], i: int, found: list[Match], s: RedactionSettings) -> bool:
    """Before a surname: a capitalized word in the same sentence ("Thanks, Zarechal Murrino") is the first name, misheard."""
    if i == 0 or (found and found[-1].end >= i) or not capitalized(texts[i - 1]) or _ends_clause(texts[i - 1]):
        return False
    sentence_start = i == 1 or texts[i - 2].strip()[-1:] in ".?!"
    return not sentence_start and bares[i - 1] not in s.titles and not texts[i - 1].strip().startswith("[")


def find_names(texts: list[str], sheet: CallSheet, settings: RedactionSettings | None = None) -> list[Match]:
    """Every span of `texts` (words as recognized) that speaks a name on the sheet, left to right."""
    s, forms = _configured(settings), name_forms(sheet)
    found, i, bares = [], 0, [_bare(t) for t in texts]
    while i < len(texts):
        match = _best_at(texts, bares, i, forms, s)
        if match is None:
            i += 1
            continue
        if match.form.kind == "first" and not _ends_clause(texts[match.end - 1]):
            match.end += _misheard_surname(texts, match.end)
        if match.form.kind == "surname" and _misheard_first_name(texts, bares, match.start, found, s):
            match.start -= 1
        found.append(match)
        i = match.end
    return found


def _title_start(texts: list[str], i: int, titles: set[str]) -> int:
    """Where a name's titles begin: "Assistant Secretary Moreno", "Ms. Moreno" (at most three)."""
    start = i
    while start > 0 and i - start < 3 and _bare(texts[start - 1]) in titles \
            and texts[start - 1].strip()[-1:] not in ",;:?!":
        start -= 1
    return start


def _written(match: Match, last: str) -> str:
    """The placeholder, keeping a possessive and the punctuation that followed the name."""
    tail = re.sub(r"^.*?((?:['’]s?)?[.,?!;:]*)$", r"\1", last.strip())
    return f" {match.form.placeholder}{tail}"


def redact_words(words: list[Word], sheet: CallSheet, settings: RedactionSettings | None = None) -> list[Word]:
    """Each name on the sheet, however heard, becomes its placeholder; the word records the match."""
    s = _configured(settings)
    texts = [w.text for w in words]
    out, done = [], 0
    for match in find_names(texts, sheet, s):
        start = max(done, _title_start(texts, match.start, set(s.titles)))
        out += words[done:start]
        span = words[start:match.end]
        out.append(Word(_written(match, texts[match.end - 1]), span[0].start, span[-1].end,
                        min(w.probability for w in span), span[0].speaker,
                        redaction={"form": match.form.kind, "exact": match.score == 1.0,
                                   "score": round(match.score, 3), "words": len(span)}))
        done = match.end
    return out + words[done:]


def withhold_self_introductions(words: list[Word]) -> list[Word]:
    """`this is Jane Roe, deputy …` by an unlisted briefer -> `this is [name and title withheld].`"""
    text = [_bare(w.text) for w in words]
    for i in range(len(words) - 1):
        for intro in SELF_INTRO:
            k = len(intro.split())
            if " ".join(text[i:i + k]) != intro.replace("'", ""):
                continue
            j = i + k
            # One to three capitalized words: a name.
            name_end = j
            while name_end < len(words) and name_end - j < 3 and words[name_end].text.strip()[:1].isupper() \
                    and not words[name_end].text.strip().startswith("["):
                name_end += 1
                if words[name_end - 1].text.strip()[-1:] in ".,;?!":
                    break
            if name_end - j >= 2:
                # The title runs to the end of the sentence or clause.
                end = name_end
                if words[name_end - 1].text.strip().endswith(","):
                    while end < len(words) and words[end - 1].text.strip()[-1:] not in ".;?!" and end - name_end < 12:
                        end += 1
                trailing = words[end - 1].text.strip()[-1:]
                trailing = trailing if trailing in ".?!;" else ""
                marker = Word(f" {WITHHELD}{trailing}", words[j].start, words[end - 1].end, 0.0, words[j].speaker)
                return withhold_self_introductions(words[:j] + [marker] + words[end:])
    return words


def redact_turns(turns: list[Turn], sheet: CallSheet, official_speakers: set[str],
                 settings: RedactionSettings | None = None) -> list[Turn]:
    """Redact names in every turn, whoever speaks; withhold self-introductions of officials not on the sheet."""
    redacted = []
    for turn in turns:
        words = redact_words(list(turn.words), sheet, settings)
        if turn.speaker in official_speakers:
            words = withhold_self_introductions(words)
        redacted.append(Turn(turn.speaker, turn.start, turn.end, words))
    return redacted


def leaks(text: str, sheet: CallSheet, settings: RedactionSettings | None = None) -> list[str]:
    """Spans of `text` that redaction would still take for a briefer's name ("Alison" for Ellison)."""
    texts = re.findall(r"\[[^\]]*\]\S*|\S+", text)  # a placeholder is one word
    found = {" ".join(re.sub(r"[^\w'’-]", "", t) for t in texts[m.start:m.end]) for m in find_names(texts, sheet, settings)}
    return sorted(found)
