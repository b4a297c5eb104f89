"""Words as text: where a sentence ends, and words normalized for comparison (roles' cue
phrases and the evaluation's WER both compare words this way)."""
from __future__ import annotations

import re
from dataclasses import replace

from ..types import Word

def ends_sentence(word: str, abbreviations: set[str]) -> bool:
    """True when `word` ends a sentence: . ? ! (before any closing quote), not `Mr.` or an initial."""
    word = word.strip()
    bare = word.rstrip("”’)\"'")
    return bare[-1:] in (".", "?", "!") and word.lower() not in abbreviations and not re.fullmatch(r"[A-Z]\.", word)


_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen " \
        "fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SPELLING = {"ok": "okay", "%": "percent", "alright": "all right", "mr": "mister"}   # one word, two spellings
_SCALES = {"thousand", "million", "billion", "trillion"}
_EDITORIAL = re.compile(r"\((?!\s*inaudible)[^()]*\)", re.IGNORECASE)
_ORDINALS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
             "nine": "ninth", "twelve": "twelfth"}


def _number_words(n: int) -> list[str]:
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    if n < 1000:
        return [_ONES[n // 100], "hundred"] + (_number_words(n % 100) if n % 100 else [])
    for size, scale in ((10 ** 9, "billion"), (10 ** 6, "million"), (1000, "thousand")):
        if n >= size:
            return _number_words(n // size) + [scale] + (_number_words(n % size) if n % size else [])
    return [str(n)]


def _ordinal(words: list[str]) -> list[str]:
    last = words[-1]
    spoken = _ORDINALS.get(last) or (last[:-1] + "ieth" if last.endswith("y") else last + "th")
    return words[:-1] + [spoken]


def _spoken(token: str) -> list[str] | None:
    """A number as it is said: 3.5 -> three point five, 40% -> forty percent, 1st -> first; None if not one."""
    m = re.fullmatch(r"(\d+)(?:\.(\d+))?(%|st|nd|rd|th)?", token)
    if not m:
        return None
    whole, fraction, suffix = m.groups()
    words = _number_words(int(whole))
    if fraction:
        words += ["point"] + [_ONES[int(d)] for d in fraction]
    if suffix == "%":
        words.append("percent")
    elif suffix:
        words = _ordinal(words)
    return words


def normalize_words(text: str) -> list[str]:
    """Lowercase words without punctuation, numbers as they are said, so WER counts words, not style.

    "$1 billion" is said "one billion dollars": the currency word follows the number and its scale.
    A transcriber's insertions in parentheses, (Laughter.) or (Via interpreter), were not said;
    (inaudible) stays, as the word "inaudible", for the marker measures.
    """
    text = _EDITORIAL.sub(" ", text)
    text = text.lower().replace("’", "'").replace("-", " ").replace("–", " ").replace("—", " ")
    words, dollars = [], False
    for token in text.split():
        token = re.sub(r"[^\w'%.$]", "", token.replace(",", "")).strip("'").rstrip(".")
        if dollars and token not in _SCALES:
            words.append("dollars")
            dollars = False
        if token.startswith("$"):
            token, dollars = token[1:], True
        spoken = _spoken(token)
        token = token if spoken else token.replace(".", "").replace("$", "")
        if not token:
            continue
        words += spoken or _SPELLING.get(token, token).split()
    return words + (["dollars"] if dollars else [])


def drop_fillers(words: list[Word], fillers: set[str]) -> list[Word]:
    """Words without hesitation sounds ("uh,", "Um."), which house transcripts never print.

    A sentence end the filler carried moves to the word before it; a capital it carried
    moves to the word after it. Run after (inaudible) marking: a filler is speech heard, not
    speech lost.
    """
    out: list[Word] = []
    capitalize = False
    for word in words:
        text = word.text.strip()
        if text.strip(".,?!;:…").lower() in fillers:
            if text[-1:] in ".?!" and out and out[-1].text.strip()[-1:] not in ".?!":
                out[-1] = replace(out[-1], text=out[-1].text.rstrip(",;:") + text[-1])
            capitalize = capitalize or text[:1].isupper()
            continue
        if capitalize:
            lead = word.text[: len(word.text) - len(word.text.lstrip())]
            word = replace(word, text=lead + text[:1].upper() + text[1:])
            capitalize = False
        out.append(word)
    return out
