"""`make demo`'s briefing, through the real command line: what a newcomer sees first."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "samples" / "demo" / "briefing.yaml"
FORMATS = ("txt", "json", "srt", "vtt", "rttm")


@pytest.fixture(scope="module")
def demo_outputs(tmp_path_factory, cli) -> Path:
    """The demo call spoken (as `make demo` does) and transcribed into every format."""
    call = ROOT / "samples" / "generated" / "demo" / "briefing.wav"
    if not call.exists() or call.stat().st_mtime < SCRIPT.stat().st_mtime:
        subprocess.run([sys.executable, str(ROOT / "samples" / "make_calls.py"), str(SCRIPT), "--out", str(call.parent)],
                       check=True, stdout=subprocess.DEVNULL)
    out = tmp_path_factory.mktemp("demo")
    result = cli("transcribe", call, *(a for f in FORMATS for a in ("-o", out / f"briefing.{f}")))
    assert result.returncode == 0, result.stderr
    return out


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
