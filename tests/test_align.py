from pipeline.structure.align import UNKNOWN_SPEAKER, assign_speakers, label_words, snap_to_sentences
from pipeline.types import Turn, Word


def w(text, start, end):
    return Word(f" {text}", start, end, 0.9)


TURNS = [Turn("A", 0.0, 2.0), Turn("B", 2.1, 4.0), Turn("A", 4.5, 6.0)]


def test_word_takes_speaker_of_largest_overlap():
    words = label_words([w("straddles", 1.8, 2.5)], TURNS)
    assert words[0].speaker == "B"  # 0.2 s in A, 0.4 s in B


def test_word_outside_all_turns_takes_nearest_turn():
    words = label_words([w("late", 4.2, 4.4), w("early", 2.06, 2.09)], TURNS)
    assert [x.speaker for x in words] == ["A", "B"]


def test_no_diarization_gives_unknown_speaker():
    assert label_words([w("hello", 0, 1)], [])[0].speaker == UNKNOWN_SPEAKER


def test_segment_is_split_where_the_speaker_changes():
    # One recognizer segment spanning the end of A's turn and the start of B's.
    segment = [w("thank", 1.0, 1.3), w("you.", 1.3, 1.7), w("my", 2.3, 2.5), w("question", 2.5, 3.0)]
    turns = assign_speakers(segment, TURNS)
    assert [(t.speaker, t.text) for t in turns] == [("A", "thank you."), ("B", "my question")]
    assert (turns[1].start, turns[1].end) == (2.3, 3.0)


def test_consecutive_words_of_one_speaker_form_one_turn():
    turns = assign_speakers([w("a", 0.1, 0.2), w("b", 0.3, 0.4), w("c", 4.6, 4.7)], [Turn("A", 0, 6)])
    assert len(turns) == 1 and turns[0].text == "a b c"


def _speakers(words):
    return [x.speaker for x in words]


def _said(*pairs):
    words = []
    for k, (speaker, text) in enumerate(pairs):
        words.append(w(text, k, k + 0.8))
        words[-1].speaker = speaker
    return words


def test_change_inside_a_sentence_moves_to_the_sentence_end():
    # "…ready for questions. Thank | you." : "Thank" started early, inside the chair's turn.
    words = _said(("A", "questions."), ("A", "Thank"), ("B", "you."), ("B", "Ladies"))
    words[1].start = words[0].end + 0.5                        # the pause is before "Thank"
    assert _speakers(snap_to_sentences(words, 2)) == ["A", "B", "B", "B"]
    # "…with the Chinese | delegation?" : the question's last word ran into the answer.
    words = _said(("A", "the"), ("A", "Chinese"), ("B", "delegation?"), ("B", "We"), ("B", "will"))
    assert _speakers(snap_to_sentences(words, 2)) == ["A", "A", "A", "B", "B"]


def test_change_at_a_sentence_end_or_out_of_reach_stays():
    words = _said(("A", "Mr."), ("A", "Smith."), ("B", "Hi"), ("B", "there"))
    assert _speakers(snap_to_sentences(words, 2)) == ["A", "A", "B", "B"]
    words = _said(("A", "one."), ("A", "two"), ("A", "three"), ("A", "four"), ("B", "five"), ("B", "six"), ("B", "seven"))
    assert _speakers(snap_to_sentences(words, 2)) == _speakers(words)
    assert _speakers(snap_to_sentences(_said(("A", "Mr."), ("B", "Smith")), 1)) == ["A", "B"]  # not a sentence end


def test_a_change_right_after_an_inaudible_stretch_stays():
    """held-out many_questions: "…for example against (noise)?" then the answer; the marker,
    which carries no "?", was pulled into the answer: "(Inaudible) Yes, the same…"."""
    words = _said(("A", "example"), ("A", "again?"), ("A", " (inaudible)"), ("B", "Yes,"), ("B", "the"))
    assert _speakers(snap_to_sentences(words, 2)) == ["A", "A", "A", "B", "B"]
