"""Numbers as the house writes them: one to nine in words, 10 and up in figures, `442,000`,
`$4.2 billion`, `75 percent`, `12:00 p.m.`, `1 p.m.`, `24th`.

Each rule rewrites only what it can decide from the words around it; anything else (a
four-digit figure that may be a year, "a billion", "3rd" outside a date) is left as the
recognizer wrote it. Every rule leaves house text unchanged, so rendering is idempotent.
The cases are in tests/test_numbers.py.
"""
from __future__ import annotations

import re

SMALL_NUMBERS = "zero one two three four five six seven eight nine".split()
_ONES = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                     "thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_SCALES = {"hundred": 100, "thousand": 1000}
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                  "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
                  "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                  "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
                  "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90}

_CARDINAL = "|".join(sorted([*_ONES, *_TENS], key=len, reverse=True))
_NUMBER_WORD = rf"(?:{_CARDINAL})(?:-(?:{_CARDINAL}))?"
# A spelled-out number: "twenty-five", "three hundred and twenty", "one point five".
_SPELLED = (rf"\b{_NUMBER_WORD}(?:(?:(?<=hundred) and|(?<=thousand) and)? (?:{_NUMBER_WORD}|hundred|thousand)\b)*"
            rf"(?: point (?:{_CARDINAL}))?\b")
_FIGURE = r"\d+(?:,\d{3})*(?:\.\d+)?"
_SCALE = r"(?:million|billion|trillion)"
_MERIDIEM = r"([ap])\.? ?m\b\.?"             # am, AM, a.m., a. m., p.m.
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")


# Which kind of number word may follow which: "twenty-five", "three hundred (and) twelve",
# "five hundred thousand"; "twenty twenty" and "five three" are not one number.
_FOLLOWS = {None: {"ones", "teens", "tens"}, "ones": {"hundred", "thousand"}, "teens": {"hundred", "thousand"},
            "tens": {"ones", "thousand"}, "hundred": {"ones", "teens", "tens", "thousand"},
            "thousand": {"ones", "teens", "tens"}}


def _kind(token: str) -> str | None:
    if token in _TENS:
        return "tens"
    if token in _ONES:
        return "teens" if _ONES[token] >= 10 else "ones"
    return token if token in _SCALES else None


def spelled_value(words: str) -> float | None:
    """The value of a spelled-out number ("three hundred and twenty" -> 320, "one point five"
    -> 1.5), or None where the words are not one number ("twenty twenty", "five three")."""
    whole, _, fraction = words.lower().partition(" point ")
    total, current, previous = 0, 0, None
    for token in whole.replace("-", " ").split():
        kind = _kind(token)
        if token == "and" and previous in _SCALES:
            continue
        if kind not in _FOLLOWS[previous] or (kind == "thousand" and total):
            return None
        if kind == "hundred":
            current *= 100
        elif kind == "thousand":
            total, current = current * 1000, 0
        else:
            current += _ONES.get(token, _TENS.get(token, 0))
        previous = kind
    if fraction:
        return total + current + _ONES[fraction] / 10 if _ONES.get(fraction, 10) < 10 else None
    return total + current


def _figure(value: float) -> str:
    """442000 -> "442,000"; 4.2 -> "4.2"."""
    return f"{value:,.1f}" if value != int(value) else f"{int(value):,}"


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in ".?!:“\"" or before.endswith(("—", "–"))


def spelled_to_figures(text: str) -> str:
    """Spelled-out numbers in figures: from 10 up; any size before percent, million,
    a.m./p.m., dollars. A sentence's first word stays as said (the house spells it)."""
    def repl(m: re.Match) -> str:
        value = spelled_value(m.group(0))
        after = text[m.end(): m.end() + 12].lower()
        measure = re.match(rf" (?:percent|per cent|{_SCALE}|dollars|{_MERIDIEM})", after)
        if value is None or _at_sentence_start(text, m.start()) or (value < 10 and not measure):
            return m.group(0)
        if 1900 <= value < 2100 and value % 100:    # "two thousand and twenty": a year or a count
            return m.group(0)
        return _figure(value)
    return re.sub(_SPELLED, repl, text, flags=re.IGNORECASE)


def figures_with_commas(text: str) -> str:
    """Five figures and more get thousands commas (442000 -> 442,000); "10 thousand" -> 10,000.
    A four-figure number may be a year and stays."""
    text = re.sub(r"(?<![\d.,$])(\d+) thousand\b(?! (?:million|billion))",
                  lambda m: _figure(int(m.group(1)) * 1000), text)
    return re.sub(r"(?<![\d.,])\d{5,}(?![\d,]|\.\d)", lambda m: _figure(int(m.group(0))), text)


def percent(text: str) -> str:
    """45% and 45 per cent -> 45 percent."""
    text = re.sub(r"(\d)\s?%", r"\1 percent", text)
    return re.sub(r"\bper cent\b", "percent", text, flags=re.IGNORECASE)


def money(text: str) -> str:
    """4.2 billion dollars, $4.2 billion dollars -> $4.2 billion; 20 dollars -> $20."""
    return re.sub(rf"\$?({_FIGURE})( {_SCALE})? dollars\b", r"$\1\2", text, flags=re.IGNORECASE)


def times(text: str) -> str:
    """3 PM, 3pm, 3.30 p.m., 12-0-0 PM, three thirty p.m. -> 3 p.m., 3:30 p.m., 12:00 p.m."""
    def clock(hour: int, minutes: int | None, meridiem: str) -> str | None:
        if not 1 <= hour <= 12 or (minutes is not None and not 0 <= minutes < 60):
            return None
        return f"{hour}{f':{minutes:02d}' if minutes is not None else ''} {meridiem.lower()}.m."

    def figures(m: re.Match) -> str:
        minutes = m.group(2) or (m.group(3) + m.group(4) if m.group(3) else None)
        return clock(int(m.group(1)), int(minutes) if minutes else None, m.group(5)) or m.group(0)
    text = re.sub(rf"\b(\d{{1,2}})(?:[:.](\d\d)|-(\d)-(\d))? ?{_MERIDIEM}", figures, text, flags=re.IGNORECASE)

    def spelled(m: re.Match) -> str:
        hour = _ONES.get(m.group(1).lower())
        minute_words = m.group(2).lower().removeprefix("oh ").removeprefix("o ")
        minutes = spelled_value(minute_words)
        if hour is None or minutes is None or minutes != int(minutes):
            return m.group(0)
        return clock(hour, int(minutes), m.group(3)) or m.group(0)
    hours = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    return re.sub(rf"\b({hours}) ((?:oh |o )?{_NUMBER_WORD}) {_MERIDIEM}", spelled, text, flags=re.IGNORECASE)


def ordinals(text: str) -> str:
    """Spelled ordinals from 10th up in figures: "twenty-fourth" -> 24th, "tenth" -> 10th."""
    def repl(m: re.Match) -> str:
        tens, last = m.group(1), m.group(2).lower()
        value = _ORDINAL_WORDS[last] + (_TENS[tens.lower()] if tens else 0)
        if value < 10 or (tens and _ORDINAL_WORDS[last] >= 10) or _at_sentence_start(text, m.start()):
            return m.group(0)
        suffix = "th" if 11 <= value % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        return f"{value}{suffix}"
    tens = "|".join(_TENS)
    return re.sub(rf"\b(?:({tens})-)?({'|'.join(_ORDINAL_WORDS)})\b", repl, text, flags=re.IGNORECASE)


def keypad(text: str) -> str:
    """The operator's "press 1 then 0": Whisper writes it "press 1.0", "press 1-0", "press one, then zero"."""
    digit = "|".join(SMALL_NUMBERS)

    def figure(key: str) -> str:
        return key if key.isdigit() else str(SMALL_NUMBERS.index(key.lower()))
    return re.sub(rf"\b(press|dial) (\d|{digit})(?:[.-]|,? then )(\d|{digit})\b",
                  lambda m: f"{m.group(1)} {figure(m.group(2))} then {figure(m.group(3))}", text, flags=re.IGNORECASE)


def spell_small_numbers(text: str) -> str:
    """Standalone 1-9 in words (not in 1.5, $4, 3:00, 1,000, 5 percent, 2 million, 1 p.m.,
    press 1 then 0, 2+2, September 1, Article 5)."""
    def repl(m: re.Match) -> str:
        before, after = text[max(0, m.start() - 12): m.start()], text[m.end(): m.end() + 12]
        previous_word = (before.split() or [""])[-1]
        if (re.search(r"\b(press|dial|dialing)\b", before.lower())
                or re.match(rf"(?:,? ?(?:then|and|to)? ?\d| (?:and then \d|then \d|{_SCALE}|percent|[ap]\.m\.))", after)
                or (previous_word[:1].isupper() and not previous_word.endswith((".", "?", "!")))):
            return m.group(0)
        return SMALL_NUMBERS[int(m.group(0))]
    return re.sub(r"(?<![\w$.,:+/–-])[1-9](?![\w.,:%+/]\w|[\w+%/])", repl, text)


def house_numbers(text: str, spell_small: bool = True) -> str:
    """Every number rule, in the order they depend on each other (words to figures first, so
    "five million dollars" becomes "$5 million")."""
    text = times(spelled_to_figures(ordinals(keypad(text))))
    text = money(percent(figures_with_commas(text)))
    return spell_small_numbers(text) if spell_small else text
