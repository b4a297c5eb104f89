"""Names and terms written as the office writes them (pipeline/structure/vocabulary.py), and
eval's term accuracy."""
from __future__ import annotations

from pipeline.config import VocabularySettings
from pipeline.evaluation.metrics import false_corrections, term_accuracy
from pipeline.structure.callsheet import parse_call_sheet
from pipeline.structure.vocabulary import correct_terms, glossary, make_terms, terms_for
from pipeline.types import Correction, Word

SETTINGS = VocabularySettings()


def words(text: str) -> list[Word]:
    return [Word(" " + t, i * 0.5, i * 0.5 + 0.4, 0.9) for i, t in enumerate(text.split())]


def joined(ws: list[Word]) -> str:
    return "".join(w.text for w in ws).strip()


def test_a_near_miss_is_written_as_the_term_and_recorded():
    fixed, changes = correct_terms(words("Secretary Mayorcas said the Kharkov region."),
                                   make_terms(["Mayorkas", "Kharkiv"]), SETTINGS)
    assert joined(fixed) == "Secretary Mayorkas said the Kharkiv region."
    assert [(c.heard, c.written) for c in changes] == [("Mayorcas", "Mayorkas"), ("Kharkov", "Kharkiv")]
    assert all(SETTINGS.threshold <= c.score < 1 for c in changes)
    assert (changes[0].start, changes[0].end) == (0.5, 0.9)


def test_a_term_over_several_words_keeps_the_punctuation_and_possessive():
    fixed, changes = correct_terms(words("a question from Al-Jazira's reporter, and Al Jazeera."),
                                   make_terms(["Al Jazeera"]), SETTINGS)
    assert joined(fixed) == "a question from Al Jazeera's reporter, and Al Jazeera."
    assert [c.heard for c in changes] == ["Al-Jazira's"]


def test_words_far_from_every_term_and_lowercase_words_stay():
    said = "Begin with Austria, then the sudanese and the mayor cast a vote."
    fixed, changes = correct_terms(words(said), make_terms(["Beijing", "Australia", "Sudan", "Mayorkas"]), SETTINGS)
    assert joined(fixed) == said and changes == []


def test_the_call_sheet_comes_before_the_glossary():
    sheet = parse_call_sheet({"title": "t", "ground_rules": "on-the-record", "vocabulary": ["Arévalo", "Kyiv"],
                              "officials": [{"name": "Rebecca Nolan", "label": "MS NOLAN"}]})
    texts = [t.text for t in terms_for(sheet, SETTINGS)]
    assert texts[:3] == ["Arévalo", "Kyiv", "Rebecca Nolan"]
    assert len(texts) == len(set(texts)) and set(glossary()) - {"Kyiv"} <= set(texts)


def test_term_accuracy_counts_exact_spellings_and_longest_terms_first():
    reference = "Blinken met Al Jazeera in Kyiv.  Blinken’s aide spoke to Jazeera."
    hypothesis = "Lincoln met Al Jazeera in Kiev.  Blinken’s aide spoke to Jazeera."
    assert term_accuracy(reference, hypothesis, ["Blinken", "Al Jazeera", "Jazeera", "Kyiv", "Moscow"]) == (3, 5)


def test_a_correction_of_a_word_the_reference_has_is_false():
    turns = [(0.0, 5.0, "Griffiths said it."), (5.0, 9.0, "Mayorkas agreed.")]
    right = Correction("Mayorcas", "Mayorkas", 0.94, 5.1, 5.6)
    wrong = Correction("Griffiths", "Griffith", 0.86, 0.1, 0.6)
    assert false_corrections([right, wrong], turns) == 1


def test_a_short_word_spelled_like_an_acronym_stays():
    """"Who" is not WHO; a longer one heard in lower case is the acronym ("Covid", "Unicef")."""
    fixed, changes = correct_terms(words("Who said so? The Who said so, and the Covid rules."),
                                   make_terms(["WHO", "COVID"]), SETTINGS)
    assert joined(fixed) == "Who said so? The Who said so, and the COVID rules."
    assert [(c.heard, c.written, c.score) for c in changes] == [("Covid", "COVID", 1.0)]


def test_corrections_go_into_the_json_and_never_name_a_briefer_on_background():
    import json

    from pipeline.config import load_settings
    from pipeline.render.writers import render_json
    from pipeline.transcribe import Transcriber
    from pipeline.types import Transcript

    transcriber = Transcriber.__new__(Transcriber)   # the step alone: no model is loaded
    transcriber.settings = load_settings()
    sheet = parse_call_sheet({"ground_rules": "background", "vocabulary": ["Mayorkas"],
                              "officials": [{"name": "Rachel Moreno", "label": "SENIOR ADMINISTRATION OFFICIAL"}]})
    transcript = Transcript("call.wav", 5.0, [], [], {}, sheet=sheet)
    fixed = transcriber._correct_terms(words("Secretary Mayorcas thanked Rachel Morena."), transcript)
    assert joined(fixed) == "Secretary Mayorkas thanked Rachel Moreno."   # redaction then finds the name
    written = json.loads(render_json(transcript))["corrections"]
    assert written == [{"heard": "Mayorcas", "written": "Mayorkas", "score": written[0]["score"], "start": 0.5,
                        "end": 0.9}]
