#!/usr/bin/env python3
"""Mine frequent proper nouns from the published transcripts for the glossary's `mined:` list.

Reads samples/transcripts/*.txt (header lines before the first labelled turn are skipped,
as are the turn labels themselves). A proper noun is a run of one to three consecutive
capitalized words ("Blinken", "Al Jazeera", "COVID-19", "USAID") where
  - no word starts a sentence,
  - no word is ever written in lower case in the transcripts ("The", "We", "Secretary"
    drop out; compared case-insensitively),
  - no word is an honorific (Mr, Mrs, Ms, Dr), a month or day name, or a single letter,
  - the run is not a speaker label, and it occurs at least --min-count times.
Punctuation between two words ends a run, longer runs are skipped, and a possessive 's is
dropped ("Cuba’s" -> "Cuba").

Prints a YAML `mined:` list, most frequent first (ties alphabetical), each term as it is
most often written. With --update FILE it rewrites only what follows the marker line
(MARKER below; appended if missing), leaving out terms that the hand-written sections above
it already spell, as an entry or as whole words of one ("Zealand" of "New Zealand").

Usage: python tools/mine_glossary.py [--min-count 3] [--transcripts DIR]
                                     [--out FILE | --update configs/glossary.yaml]
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MARKER = "# --- mined by tools/mine_glossary.py (do not edit below) ---"

LABEL = re.compile(r"^([^\W\d_][\w .’'-]*):\s")      # "MODERATOR:", "MR. PRICE:" if upper case
WORD = re.compile(r"[^\W\d_][\w’'-]*")                 # a letter, then letters, digits, - and ’
LETTER = re.compile(r"\w([’'](?:m|ll|ve|d|s|re))?")     # single letters: "I", "I’m"
ABBREVIATION = re.compile(r"(?:[A-Za-z]\.)+|(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|No|vs)\.")  # no sentence end
OPENERS = "([“‘\"'"
CLOSERS = ")]”’\"'"
NEVER = {"Mr", "Mrs", "Ms", "Dr",
         "January", "February", "March", "April", "May", "June", "July", "August",
         "September", "October", "November", "December",
         "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def read_bodies(folder: Path) -> tuple[list[str], set[str]]:
    """Each transcript's turns as lines without their labels, and the labels seen."""
    lines, labels = [], set()
    for path in sorted(folder.glob("*.txt")):
        in_body = False
        for line in path.read_text(encoding="utf-8").splitlines():
            label = LABEL.match(line)
            label = label if label and label[1].isupper() else None
            in_body = in_body or bool(label)
            if label:
                labels.add(label[1].casefold())
                line = line[label.end():]
            if in_body and line.strip():
                lines.append(line)
    return lines, labels


def core(token: str) -> str:
    """A token without surrounding punctuation or a possessive 's: "(Cuba’s." -> "Cuba"."""
    word = token.lstrip(OPENERS + "—–-").rstrip(".,;:!?" + CLOSERS + "—–")
    return re.sub(r"[’']s$", "", word)


def ends_sentence(token: str) -> bool:
    """Whether a token closes a sentence (or opens one with a colon), abbreviations aside."""
    bare = token.lstrip(OPENERS).rstrip(CLOSERS)
    return bare[-1:] in (".", "?", "!", ":") and not ABBREVIATION.fullmatch(bare)


def lowercase_words(lines: list[str]) -> set[str]:
    """Every word written in lower case somewhere, case-folded."""
    return {core(w).casefold() for line in lines for w in WORD.findall(line) if w[0].islower()}


def proper_runs(line: str, common: set[str]) -> list[str]:
    """The runs of consecutive proper words in a line (of any length)."""
    runs, run = [], []
    tokens = line.split()
    for i, token in enumerate(tokens):
        word = core(token)
        first = i == 0 or ends_sentence(tokens[i - 1]) or token[0] in OPENERS
        proper = (not first and word[:1].isupper() and bool(WORD.fullmatch(word))
                  and not LETTER.fullmatch(word) and word not in NEVER
                  and word.casefold() not in common)
        if proper:
            run.append(word)
        if run and (not proper or token != word):   # punctuation after a word ends its run
            runs.append(" ".join(run))
            run = []
    return runs + ([" ".join(run)] if run else [])


def mine(folder: Path, min_count: int) -> list[str]:
    """Proper nouns occurring at least min_count times, most frequent first."""
    lines, labels = read_bodies(folder)
    common = lowercase_words(lines)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        for run in proper_runs(line, common):
            if len(run.split()) <= 3 and run.casefold() not in labels:
                spellings[run.casefold()][run] += 1
    counted = [(sum(c.values()), c.most_common(1)[0][0]) for c in spellings.values()]
    terms = [term for n, term in sorted(counted, key=lambda t: (-t[0], t[1].casefold(), t[1])) if n >= min_count]
    # A word that starts a longer term is a first name ("Andrea" of "Andrea Mitchell"): alone,
    # it would pull other people's first names ("Andrew") to it.
    first_names = {t.split()[0].casefold() for t in terms if " " in t}
    return [t for t in terms if " " in t or t.casefold() not in first_names]


class IndentedDumper(yaml.SafeDumper):
    """Indents list items under their key ("  - Kyiv"), as the other configs do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def mined_block(terms: list[str]) -> str:
    """The terms as a YAML `mined:` list."""
    return yaml.dump({"mined": terms}, Dumper=IndentedDumper, allow_unicode=True, width=1000)


def spelled_in(term: str, known: str) -> bool:
    """Whether known (case-folded text) holds term as whole words: "Zealand" in "new zealand"."""
    return bool(re.search(rf"(?<![\w’'-]){re.escape(term.casefold())}(?![\w’'-])", known))


def update(path: Path, terms: list[str]) -> int:
    """Rewrite what follows MARKER in a glossary file, leaving out the terms that the sections
    above it already spell; returns the number of terms written."""
    head = path.read_text(encoding="utf-8").partition(MARKER)[0].rstrip("\n") + "\n\n"
    sections = yaml.safe_load(head) or {}
    entries = [str(e) for v in sections.values() if isinstance(v, list) for e in v]
    known = "\n".join(entries).casefold()
    terms = [t for t in terms if not spelled_in(t, known)]
    text = head + MARKER + "\n" + mined_block(terms)
    yaml.safe_load(text)           # never write a file that does not load
    path.write_text(text, encoding="utf-8")
    return len(terms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=Path, default=ROOT / "samples" / "transcripts")
    parser.add_argument("--min-count", type=int, default=3)
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--out", type=Path, help="write the mined: block to this file")
    out.add_argument("--update", type=Path, help="rewrite the mined part of this glossary")
    args = parser.parse_args()

    terms = mine(args.transcripts, args.min_count)
    if args.update:
        print(f"{args.update}: {update(args.update, terms)} mined terms", file=sys.stderr)
    elif args.out:
        args.out.write_text(mined_block(terms), encoding="utf-8")
    else:
        sys.stdout.write(mined_block(terms))


if __name__ == "__main__":
    main()
