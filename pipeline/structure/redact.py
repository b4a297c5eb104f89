"""Redact briefers' names on background calls: every spoken form becomes their placeholder.

Works on words, so every output (text, JSON, subtitles) is built from redacted words.
Forms: the full name, the surname, the first name, and the recognizer's near-misses of
them (a close spelling, or a name split in two: "Oka for" for Okafor). A briefer who is
not on the call sheet and introduces themselves ("this is Jane Roe, …") gets
`[name and title withheld]`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from .callsheet import CallSheet
from ..types import Turn, Word

WITHHELD = "[name and title withheld]"
HONORIFICS = {"mr", "mrs", "ms", "dr", "doctor", "professor", "ambassador"}
SELF_INTRO = ("this is", "my name is", "i am", "i'm")


def _bare(text: str) -> str:
    return re.sub(r"[^\w]", "", text.lower().replace("’", "'").split("'")[0])


@dataclass
class NameForm:
    tokens: list[str]       # lowercase, no punctuation
    placeholder: str
    first_name: bool = False  # a first name alone: what follows it may be a misheard surname


def name_forms(sheet: CallSheet) -> list[NameForm]:
    forms = []
    for official in sheet.officials:
        if not official.name:
            continue
        tokens = [_bare(t) for t in official.name.split() if _bare(t)]
        if not tokens:
            continue
        forms.append(NameForm(tokens, official.placeholder))
        forms.append(NameForm(tokens[-1:], official.placeholder))
        if len(tokens) > 1 and len(tokens[0]) >= 3:
            forms.append(NameForm(tokens[:1], official.placeholder, first_name=True))
    return sorted(forms, key=lambda f: -len(f.tokens))  # full names before their parts


def _similar(said: str, name: str, threshold: float) -> bool:
    if said == name:
        return True
    return len(name) >= 4 and len(said) >= 3 and SequenceMatcher(None, said, name).ratio() >= threshold


def _names(word: str, name: str, threshold: float) -> bool:
    """Whether a recognized word spells `name` (lowercase, bare) or nearly does. A near miss
    must be capitalized, as Whisper writes names: "more" is the word, not Moreau misheard
    (every "more" of a call with Catherine Moreau on it came out as her placeholder). A
    capitalized "More" opening a sentence still counts: a false placeholder there is
    better than a leaked name."""
    said = _bare(word)
    return said == name or (word.strip()[:1].isupper() and _similar(said, name, threshold))


def _match(words: list[Word], i: int, form: NameForm, threshold: float) -> int:
    """How many words from i spell this name form (0: no match). Tries a name split in two."""
    n = len(form.tokens)
    said = words[i:i + n]
    if len(said) == n and all(_names(w.text, t, threshold) for w, t in zip(said, form.tokens)):
        return n
    if n == 1 and i + 1 < len(words) and words[i].text.strip()[:1].isupper():
        joined = _bare(words[i].text) + _bare(words[i + 1].text)
        if len(form.tokens[0]) >= 5 and abs(len(joined) - len(form.tokens[0])) <= 1 and \
                _similar(joined, form.tokens[0], threshold) and \
                not _similar(_bare(words[i].text), form.tokens[0], threshold):
            return 2
    return 0


def _replace(words: list[Word], i: int, n: int, placeholder: str) -> list[Word]:
    last = words[i + n - 1].text.strip()
    trailing = re.sub(r"^.*?([.,?!;:]*)$", r"\1", last)
    start = i - 1 if i > 0 and _bare(words[i - 1].text) in HONORIFICS else i
    word = Word(f" {placeholder}{trailing}", words[start].start, words[i + n - 1].end,
                min(w.probability for w in words[start:i + n]), words[i].speaker)
    return words[:start] + [word] + words[i + n:]


def _ends_clause(word: Word) -> bool:
    text = word.text.strip()
    is_initial = len(text) == 2 and text[0].isupper() and text[1] == "."
    return text[-1:] in ".,;:?!" and not is_initial


def _misheard_surname(words: list[Word], i: int) -> int:
    """After a first name: up to two capitalized words ("R. Kapper") are the surname, misheard."""
    n = 0
    while n < 2 and i + n < len(words) and not _ends_clause(words[i + n - 1]) \
            and words[i + n].text.strip()[:1].isupper() and not words[i + n].text.strip().startswith("["):
        n += 1
    return n


def redact_words(words: list[Word], sheet: CallSheet, threshold: float = 0.75) -> list[Word]:
    forms = name_forms(sheet)
    i = 0
    while i < len(words):
        for form in forms:
            n = _match(words, i, form, threshold)
            if n:
                if form.first_name and not _ends_clause(words[i + n - 1]):
                    n += _misheard_surname(words, i + n)
                words = _replace(words, i, n, form.placeholder)
                i = max(0, i - 1)
                break
        i += 1
    return words


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


def redact_turns(turns: list[Turn], sheet: CallSheet, official_speakers: set[str]) -> list[Turn]:
    """Redact names in every turn; withhold self-introductions of officials not on the sheet."""
    redacted = []
    for turn in turns:
        words = redact_words(list(turn.words), sheet)
        if turn.speaker in official_speakers:
            words = withhold_self_introductions(words)
        redacted.append(Turn(turn.speaker, turn.start, turn.end, words))
    return redacted


def leaks(text: str, sheet: CallSheet, threshold: float = 0.75) -> list[str]:
    """Words in `text` that spell a briefer's surname, or nearly do ("Alison" for Ellison)."""
    surnames = [_bare(o.name.split()[-1]) for o in sheet.officials if o.name and o.name.split()]
    found = [word for word in set(re.findall(r"[^\W\d_]+", text))
             if any(_names(word, surname, threshold) for surname in surnames if surname)]
    return sorted(found)
