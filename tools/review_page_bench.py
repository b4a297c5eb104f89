#!/usr/bin/env python3
"""The review page in a real browser: how long a long call's page takes to open and play.

A long call is made by repeating a transcribed call (its JSON, times shifted) and its
audio (ffmpeg -stream_loop) until it lasts MINUTES, rendered with `callscribe render`
(link mode, as the page is made by default), then opened in headless Chromium (Debian's,
installed by `make setup`), driven by Playwright: the time from navigation to the audio
playing. `tests/test_review_page.py` uses the same helpers.

Usage: python tools/review_page_bench.py TRANSCRIPT.json [--minutes 60]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# A browser that never reaches out: no background fetches, no updates, no sync (docs/review.md).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
                 "--mute-audio"]


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def long_call(transcript: Path, minutes: float, folder: Path) -> tuple[Path, Path]:
    """TRANSCRIPT's JSON and audio repeated to at least MINUTES: (json, audio) in FOLDER."""
    data = json.loads(transcript.read_text())
    length = data["audio"]["duration"]
    copies = max(1, int(minutes * 60 // length) + 1)
    audio = folder / f"long-{minutes:g}min.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", str(copies - 1), "-i", data["audio"]["path"],
                    "-c", "copy", str(audio)], check=True)
    turns, diarization = [], []
    for k in range(copies):
        shift = lambda x: round(x + k * length, 3)  # noqa: E731
        for turn in data["turns"]:
            turns.append({**turn, "start": shift(turn["start"]), "end": shift(turn["end"]),
                          "words": [{**w, "start": shift(w["start"]), "end": shift(w["end"])} for w in turn["words"]]})
        diarization += [{**d, "start": shift(d["start"]), "end": shift(d["end"])} for d in data["diarization"]]
    data |= {"audio": {"path": str(audio), "duration": copies * length}, "turns": turns,
             "diarization": diarization, "corrections": []}
    out = folder / f"long-{minutes:g}min.json"
    out.write_text(json.dumps(data))
    return out, audio


def open_and_play(browser, page_path: Path) -> tuple[float, int]:
    """Seconds from opening the page to its audio playing, and the words it shows."""
    page = browser.new_page()
    started = time.perf_counter()
    page.goto(page_path.as_uri())
    page.click(".w >> nth=0")
    page.wait_for_function("() => document.getElementById('audio').currentTime > 0.2", timeout=30_000)
    seconds = time.perf_counter() - started
    shown = page.locator(".w").count()
    page.close()
    return seconds, shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("transcript", type=Path)
    parser.add_argument("--minutes", type=float, default=60)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as tmp:
        json_path, _ = long_call(args.transcript, args.minutes, Path(tmp))
        page_path = Path(tmp) / "long.html"
        subprocess.run([sys.executable, "-m", "pipeline.cli", "render", str(json_path), "-o", str(page_path)], check=True)
        with sync_playwright() as p:
            browser = launch(p)
            seconds, shown = open_and_play(browser, page_path)
            browser.close()
        megabytes = page_path.stat().st_size / 1e6
    print(f"review page, {args.minutes:g} min (link mode, {megabytes:.1f} MB, {shown} words shown): "
          f"open and playing in {seconds:.2f} s")


if __name__ == "__main__":
    main()
