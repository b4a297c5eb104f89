"""Numbers, times, money and percentages as the house writes them (pipeline/render/numbers.py).

The house forms are those of the published transcripts in samples/transcripts: `442,000`,
`$4.2 billion`, `75 percent`, `12:00 p.m.`, `1 p.m.`, `5 million`, `24th`, one to nine in words.
"""
from __future__ import annotations

import pytest

from pipeline.render.numbers import house_numbers, spelled_value

CASES = [
    # one to nine in words, 10 and up in figures
    ("we sent 3 ships", "we sent three ships"),
    ("we sent 12 ships", "we sent 12 ships"),
    ("we sent twelve ships", "we sent 12 ships"),
    ("about twenty-five people", "about 25 people"),
    ("some three hundred and twenty staff", "some 320 staff"),
    ("nine of them", "nine of them"),
    ("Twelve people were hurt.", "Twelve people were hurt."),      # a sentence's first word stays spelled
    ("over five hundred thousand doses", "over 500,000 doses"),
    ("we had two thousand staff", "we had 2,000 staff"),
    # thousands commas
    ("issued over 442000 passports", "issued over 442,000 passports"),
    ("issued over 442,000 passports", "issued over 442,000 passports"),
    ("more than 10 thousand visas", "more than 10,000 visas"),
    ("an additional 7,000 troops", "an additional 7,000 troops"),
    ("in 2023 we issued", "in 2023 we issued"),                     # four figures: a year or a count, left
    # millions and billions
    ("about five million doses", "about 5 million doses"),
    ("1.5 million people", "1.5 million people"),
    ("some one point five million people", "some 1.5 million people"),
    ("80 million", "80 million"),
    # money
    ("$4.2 billion", "$4.2 billion"),
    ("4.2 billion dollars", "$4.2 billion"),
    ("$4.2 billion dollars", "$4.2 billion"),
    ("it cost five million dollars", "it cost $5 million"),
    ("about 350 million dollars", "about $350 million"),
    ("it cost 20 dollars", "it cost $20"),
    ("a billion dollars", "a billion dollars"),                     # no figure said: left
    # percentages
    ("75%", "75 percent"),
    ("up from 17 per cent", "up from 17 percent"),
    ("only five percent of them", "only 5 percent of them"),
    ("2 percent", "2 percent"),
    ("97, 98, 99 percent", "97, 98, 99 percent"),
    ("some forty percent more", "some 40 percent more"),
    # times
    ("embargoed until 12:00 p.m.", "embargoed until 12:00 p.m."),
    ("embargoed until 12-0-0 PM", "embargoed until 12:00 p.m."),
    ("at 1 PM", "at 1 p.m."),
    ("at 1pm", "at 1 p.m."),
    ("at 3.30 p.m.", "at 3:30 p.m."),
    ("at 3:14 P.M.", "at 3:14 p.m."),
    ("by 10 AM", "by 10 a.m."),
    ("at one p.m.", "at 1 p.m."),
    ("at three thirty p.m.", "at 3:30 p.m."),
    ("at ten fifteen a.m.", "at 10:15 a.m."),
    ("at 13 PM", "at 13 PM"),                                       # no such time: left
    # ordinals
    ("on the twenty-fourth", "on the 24th"),
    ("for the tenth time", "for the 10th time"),
    ("the first and second rounds", "the first and second rounds"),
    ("on May 1st", "on May 1st"),
    ("the 21st century", "the 21st century"),
    # left as said: not one number, or perhaps a year
    ("in twenty twenty", "in twenty twenty"),
    ("in two thousand and twenty", "in two thousand and twenty"),
    ("press 1 then 0", "press 1 then 0"),
    ("please press 1.0 on your telephone keypad", "please press 1 then 0 on your telephone keypad"),
    ("please press one, then zero.", "please press 1 then 0."),
    ("Article 5 of the treaty", "Article 5 of the treaty"),
    ("on September 1", "on September 1"),
]


@pytest.mark.parametrize("said,house", CASES)
def test_numbers_as_the_house_writes_them(said, house):
    assert house_numbers(said) == house


@pytest.mark.parametrize("said,house", CASES)
def test_the_number_rules_leave_house_text_alone(said, house):
    assert house_numbers(house) == house


@pytest.mark.parametrize("words,value", [
    ("twenty-five", 25), ("three hundred and twenty", 320), ("one point five", 1.5), ("twenty twenty", None),
    ("five three", None), ("three thousand four hundred", 3400), ("hundred", None), ("ten ten", None),
])
def test_spelled_values(words, value):
    assert spelled_value(words) == value
