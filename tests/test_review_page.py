"""The review page (-o call.html) in a real headless browser, and `callscribe render` of what it saves.

Debian's Chromium (installed by `make setup`) driven by Playwright, on the demo briefing
transcribed by the real pipeline (conftest.demo_outputs): no request leaves the disk, a
click plays from the word's start, a speaker renamed once is renamed everywhere, an
edited word and the new label come back in the house text that `callscribe render` makes
of the saved JSON.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(ROOT / "tools"))
from review_page_bench import CHROMIUM, launch, long_call, open_and_play  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    # make setup installs both: a missing one is a failure, not a skip
    if not CHROMIUM.exists():
        pytest.fail(f"no browser at {CHROMIUM}: `make setup` installs Debian's chromium")
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture()
def page(browser, demo_outputs):
    page = browser.new_page(accept_downloads=True)
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto((demo_outputs / "briefing.html").as_uri())
    page.wait_for_function("() => document.getElementById('audio').readyState >= 1")
    yield page
    page.close()


def _words(demo_outputs: Path) -> list[dict]:
    return [w for t in json.loads((demo_outputs / "briefing.json").read_text())["turns"] for w in t["words"]]


def test_the_page_loads_nothing_but_local_files(page):
    assert page.requests and all(re.match(r"(file|data|blob):", url) for url in page.requests), page.requests


def test_clicking_a_word_plays_from_its_start(page, demo_outputs):
    words = _words(demo_outputs)
    span = page.locator(".w").nth(40)
    expected = words[json.loads(span.evaluate("s => JSON.stringify(tokens[s.dataset.i].w)"))[0]]["start"]
    span.click()
    now = page.evaluate("document.getElementById('audio').currentTime")
    assert abs(now - expected) < 0.25, (now, expected, span.inner_text())
    page.wait_for_function("() => document.querySelector('.w.now') !== null")


def test_space_plays_and_pauses_and_ctrl_space_plays_from_the_cursor(page):
    page.locator(".w").nth(60).click()            # plays from there, and puts the cursor there
    page.keyboard.press("Space")
    assert page.evaluate("audio.paused")
    page.keyboard.press("Space")
    assert not page.evaluate("audio.paused")
    page.evaluate("audio.pause(); audio.currentTime = 0")
    page.keyboard.press("Control+Space")
    assert abs(page.evaluate("audio.currentTime") - page.evaluate("tokens[60].start")) < 0.25
    assert not page.evaluate("audio.paused")


# The page's paragraphs as read: its words and their spacing, without the speaker menu and label.
PARAGRAPHS = """() => [...document.querySelectorAll('#text p:not(.header)')].filter(p => p.textContent)
    .map(p => [...p.childNodes].filter(n => !(n.matches && n.matches('select, .label')))
    .map(n => n.textContent).join('').replace(/^:  /, ''))"""


def test_the_page_shows_the_house_text_under_its_labels(page, demo_outputs):
    text = (demo_outputs / "briefing.txt").read_text()
    header = page.locator("p.header").all_inner_texts()
    blocks = [b for b in text.strip().split("\n\n")][len(header):]
    labelled = [re.match(r"([A-Z][A-Z ]+):  ", b) for b in blocks]
    assert page.locator(".label").all_inner_texts() == [m.group(1) for m in labelled if m]
    assert page.evaluate(PARAGRAPHS) == [b[m.end():] if m else b for b, m in zip(blocks, labelled)]


def test_marked_words_carry_their_reason(page, demo_outputs):
    doubted = [w for w in _words(demo_outputs) if w.get("doubt")]
    marks = page.locator(".w.doubt")
    assert marks.count() >= 1 and len(doubted) >= marks.count()
    assert all(marks.nth(i).get_attribute("title") for i in range(marks.count()))
    page.keyboard.press("n")
    assert "doubt" in page.evaluate("tokens[cursor].el.className")


def test_rename_edit_save_and_render(page, demo_outputs, tmp_path):
    before = (demo_outputs / "briefing.txt").read_text()
    # Rename the moderator once, in the speakers table.
    label = page.locator("#speaker-table tr[data-speaker='MODERATOR'] .label-input")
    label.fill("THE CHAIR")
    label.dispatch_event("change")
    shown = page.locator(".label").all_inner_texts()
    assert shown.count("THE CHAIR") == before.count("\nMODERATOR:  ") + before.startswith("MODERATOR:  ")
    assert "MODERATOR" not in shown
    # Edit one word that occurs once in the published text.
    tokens = page.locator(".w")
    i = next(i for i, t in enumerate(tokens.all_inner_texts())
             if re.fullmatch(r"[a-z]{6,}", t) and len(re.findall(rf"\b{t}\b", before)) == 1)
    word = tokens.nth(i).inner_text()
    tokens.nth(i).dblclick()
    page.keyboard.type("reviewed")
    page.keyboard.press("Enter")
    with page.expect_download() as download:
        page.click("#save")
    saved = tmp_path / "edited.json"
    download.value.save_as(saved)

    result = run_cli("render", saved, "-o", tmp_path / "edited.txt")
    assert result.returncode == 0, result.stderr
    expected = re.sub(r"^MODERATOR:", "THE CHAIR:", before, flags=re.M)
    expected = re.sub(rf"\b{word}\b", "reviewed", expected)
    assert (tmp_path / "edited.txt").read_text() == expected


def test_the_saved_json_renders_the_same_house_text_unedited(demo_outputs):
    result = run_cli("render", demo_outputs / "briefing.json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (demo_outputs / "briefing.txt").read_text()


def test_embedded_audio_plays_without_the_recording_beside_it(browser, demo_outputs, tmp_path):
    page_path = tmp_path / "embedded.html"
    result = run_cli("render", demo_outputs / "briefing.json", "--html-audio", "embed", "-o", page_path)
    assert result.returncode == 0, result.stderr
    assert 'src="data:audio/mpeg;base64,' in page_path.read_text()
    page = browser.new_page()
    page.goto(page_path.as_uri())
    page.wait_for_function("() => document.getElementById('audio').readyState >= 1")
    assert abs(page.evaluate("document.getElementById('audio').duration") - _duration(demo_outputs)) < 0.5
    page.close()


def test_a_60_minute_page_opens_and_plays(browser, page, demo_outputs, tmp_path):
    """Its time is `make bench`'s (tools/review_page_bench.py); here: it opens, shows every word, plays."""
    json_path, _ = long_call(demo_outputs / "briefing.json", 60, tmp_path)
    copies = round(json.loads(json_path.read_text())["audio"]["duration"] / _duration(demo_outputs))
    page_path = tmp_path / "long.html"
    assert run_cli("render", json_path, "-o", page_path).returncode == 0
    _, shown = open_and_play(browser, page_path)
    assert shown >= 0.95 * copies * page.locator(".w").count()


def _duration(demo_outputs: Path) -> float:
    return json.loads((demo_outputs / "briefing.json").read_text())["audio"]["duration"]


@pytest.mark.parametrize("content, code, reason", [
    (None, 66, "no such file"), ("{not json", 65, "not JSON"), ('{"schema": "other"}', 65, "not a callscribe transcript")])
def test_render_refuses_what_is_not_a_transcript(tmp_path, content, code, reason):
    path = tmp_path / "in.json"
    if content is not None:
        path.write_text(content)
    result = run_cli("render", path)
    assert result.returncode == code
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr and reason in result.stderr
