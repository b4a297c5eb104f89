"""The review page's marks (structure/doubts.py) and how eval scores them (metrics.doubt_counts)."""
from __future__ import annotations

from pipeline.config import ReviewSettings
from pipeline.evaluation.metrics import doubt_counts
from pipeline.structure.doubts import disputed, mark_doubts
from pipeline.types import Correction, Transcript, Turn, Word

SETTINGS = ReviewSettings(unsure_probability=0.45, disputed_probability=0.65, checked_unsure_probability=0.15)


def words(text: str, probabilities: list[float]) -> list[Word]:
    return [Word(f" {w}", i, i + 0.5, p, "A") for i, (w, p) in enumerate(zip(text.split(), probabilities))]


def transcript(said: list[Word], speaker: str = "A", corrections=()) -> Transcript:
    return Transcript("call.wav", 10.0, [Turn(speaker, 0.0, 10.0, said)], [], {speaker: "MODERATOR"},
                      corrections=list(corrections))


def test_a_second_reading_disputes_what_it_heard_otherwise():
    said = words("the transit fees to Ukraine", [0.9] * 5)
    assert disputed(said, ["the", "trans", "easy", "to", "Ukraine"]) == {1, 2}
    assert disputed(said, ["the", "transit", "fees", "to", "Ukraine"]) == set()
    assert disputed(said, ["the", "transit", "fees", "paid", "to", "Ukraine"]) == {3}   # a word it has in addition
    assert disputed(said, []) == {0, 1, 2, 3, 4}


def test_without_a_second_reading_a_low_probability_is_the_reason():
    t = transcript(words("we will hold them to that", [0.9, 0.9, 0.11, 0.81, 0.3, 0.59]))
    assert mark_doubts(t, SETTINGS) == 2
    assert [w.doubt is not None for w in t.words] == [False, False, True, False, True, False]
    assert t.words[2].doubt == "the recognizer was unsure (0.11)"


def test_with_a_second_reading_a_disputed_unsure_word_is_marked_and_a_shared_one_is_not():
    t = transcript(words("we will hold them to that", [0.9, 0.9, 0.5, 0.81, 0.3, 0.12]))
    other = ["we", "will", "go", "ahead", "to", "that"]
    assert mark_doubts(t, SETTINGS, other) == 2
    assert [w.doubt is not None for w in t.words] == [False, False, True, False, False, True]
    assert t.words[2].doubt.startswith("heard otherwise by a second reading")   # 0.5, disputed
    assert t.words[3].doubt is None      # disputed, but 0.81 is sure enough
    assert t.words[4].doubt is None      # 0.3, but both readings heard "to"
    assert t.words[5].doubt.startswith("the recognizer was unsure")   # below 0.15 whatever the other heard


def test_markers_corrections_near_miss_names_and_relabelled_turns_are_marked_with_their_reason():
    said = words("(inaudible) said Lindqvist today", [0.0, 0.99, 0.99, 0.99])
    said[1].redaction = {"form": "surname", "exact": False, "score": 0.81, "words": 1}
    t = transcript(said, speaker="SPEAKER_01/MODERATOR",
                   corrections=[Correction("Lindquist", "Lindqvist", 0.9, 2.0, 2.5)])
    mark_doubts(t, SETTINGS)
    reasons = [w.doubt or "" for w in t.words]
    assert reasons[0].startswith("not made out") and "check who speaks" in reasons[0]
    assert "near-miss" in reasons[1] and "0.81" in reasons[1]
    assert "“Lindqvist”" in reasons[2] and "“Lindquist”" in reasons[2]
    assert reasons[3] == ""


def test_errors_are_counted_at_the_word_they_sit_at():
    reference = "we talked with our partners about the fund".split()
    said = [("we", False), ("talked", False), ("about", True), ("the", False), ("fun", True), ("today", False)]
    # deleted "with our partners" (3 errors) sit at "about", marked; "fun" for "fund", marked; "today" inserted.
    assert doubt_counts(reference, said) == (4, 5, 2, 2, 6)
