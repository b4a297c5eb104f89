"""The hard-split options of samples/make_calls.py: per-speaker lines and levels, overlaps, back-channels.

One tiny call, spoken with two flite voices (a few seconds): a wideband caller 12 dB
louder than a mu-law caller who talks over the end of the first turn, and a back-channel
"right" from the first caller during the second turn.
"""
from __future__ import annotations

import sys
import wave
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "samples"))
from make_calls import RATE, speak_script  # noqa: E402

SCRIPT = {
    "noise_db": -90,  # lines almost silent, so levels and spectra are the voices' own
    "bridge": {"hum_db": -200, "hiss_db": -200},
    "speakers": {
        "host": {"label": "MODERATOR", "voice": "flite:rms", "line": "wideband", "level_db": -14},
        "caller": {"label": "QUESTION", "voice": "flite:slt", "line": "mulaw", "level_db": -26},
    },
    "turns": [
        ["host", "Good morning, and welcome to the call. Our first question comes from the line of Maria."],
        ["caller", "Thank you. When will the new rules take effect, and who will enforce them?", {"overlap": 0.5}],
        ["host", "Right.", {"backchannel": 0.5}],
    ],
}


@pytest.fixture(scope="module")
def call(tmp_path_factory) -> tuple[np.ndarray, list[list[str]], str]:
    out = tmp_path_factory.mktemp("hard")
    wav = speak_script(SCRIPT, "tiny", out)
    with wave.open(str(wav)) as f:
        assert f.getframerate() == RATE
        audio = np.frombuffer(f.readframes(f.getnframes()), "<i2").astype(np.float32) / 32768
    rttm = [line.split() for line in (out / "tiny.rttm").read_text().splitlines()]
    return audio, rttm, (out / "tiny.ref.txt").read_text()


def span(row: list[str]) -> tuple[float, float]:
    return float(row[3]), float(row[3]) + float(row[4])


def test_overlap_and_backchannel_land_in_the_rttm(call):
    _, rttm, _ = call
    (h0, h1), (c0, c1), (b0, b1) = (span(r) for r in rttm)
    assert [r[7] for r in rttm] == ["host", "caller", "host"]
    assert h1 - c0 == pytest.approx(0.5, abs=0.01)
    assert c0 < b0 < b1 < c1  # the "right" is spoken inside the caller's turn


def test_backchannel_is_no_turn_of_the_published_reference(call):
    _, _, ref = call
    assert ref.count("MODERATOR:") == 1 and "Right" not in ref


def alone(audio: np.ndarray, rttm: list[list[str]], who: str) -> np.ndarray:
    """The caller's samples where no one else talks."""
    mine = [span(r) for r in rttm if r[7] == who]
    others = [span(r) for r in rttm if r[7] != who]
    t = np.arange(len(audio)) / RATE
    inside = np.any([(t >= a) & (t < b) for a, b in mine], axis=0)
    talked_over = np.any([(t >= a) & (t < b) for a, b in others], axis=0)
    return audio[inside & ~talked_over]


def dbfs(x: np.ndarray) -> float:
    return 20 * np.log10(np.sqrt(np.mean(x ** 2)))


def test_levels_differ_by_what_the_script_says(call):
    audio, rttm, _ = call
    # The mu-law caller loses the energy outside 300-3400 Hz to the line, hence the slack.
    assert dbfs(alone(audio, rttm, "host")) - dbfs(alone(audio, rttm, "caller")) == pytest.approx(12, abs=2.5)


def high_band_share(x: np.ndarray) -> float:
    """Share of the energy above 4 kHz."""
    power = np.abs(np.fft.rfft(x)) ** 2
    return power[np.fft.rfftfreq(len(x), 1 / RATE) > 4000].sum() / power.sum()


def test_mulaw_caller_has_no_energy_above_4_khz(call):
    audio, rttm, _ = call
    assert high_band_share(alone(audio, rttm, "caller")) < 1e-4
    assert high_band_share(alone(audio, rttm, "host")) > 1e-2  # the wideband line keeps it
