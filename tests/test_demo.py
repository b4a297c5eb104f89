"""`make demo`'s briefing, through the real command line: what a newcomer sees first."""
from __future__ import annotations

import pytest
import yaml
from conftest import DEMO_FORMATS as FORMATS
from conftest import DEMO_SCRIPT as SCRIPT

pytestmark = pytest.mark.slow


def test_demo_transcript_has_every_role_and_a_marker(demo_outputs):
    text = (demo_outputs / "briefing.txt").read_text()
    labels = [line.split(":")[0] for line in text.splitlines() if ":  " in line]
    assert labels[0] == "MODERATOR" and labels[-1] == "MODERATOR"
    for label in ("SENIOR STATE DEPARTMENT OFFICIAL ONE", "SENIOR STATE DEPARTMENT OFFICIAL TWO", "QUESTION"):
        assert label in labels
    assert labels.count("QUESTION") == 2
    assert "(inaudible)" in text.lower()


def test_demo_outputs_never_name_a_briefer(demo_outputs):
    sheet = yaml.safe_load(SCRIPT.read_text())["call_sheet"]
    names = {part for official in sheet["officials"] for part in official["name"].split()}
    for fmt in FORMATS:
        written = (demo_outputs / f"briefing.{fmt}").read_text().lower()
        assert [n for n in names if n.lower() in written] == [], fmt
