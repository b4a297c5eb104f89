"""Bad input: one line naming the file and the reason, a documented exit code, no output file."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

EX_DATAERR, EX_NOINPUT, EX_CONFIG = 65, 66, 78


def make_bad_inputs(d: Path) -> dict[str, tuple[Path, int, str]]:
    subprocess.run(["espeak-ng", "-w", str(d / "speech.wav"), "This is a complete sentence for the test."], check=True)
    data = (d / "speech.wav").read_bytes()
    (d / "truncated.wav").write_bytes(data[: len(data) // 2])
    (d / "empty.wav").touch()
    (d / "notes.wav").write_text("This is a text file, not a recording.\n" * 20)
    (d / "noise.mp3").write_bytes(bytes(range(256)) * 40)
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(d / "speech.wav"), "-t", "0.4", str(d / "short.wav")], check=True)
    return {
        "missing": (d / "missing.wav", EX_NOINPUT, "no such file"),
        "empty": (d / "empty.wav", EX_DATAERR, "empty file"),
        "not audio": (d / "notes.wav", EX_DATAERR, "not a readable audio file"),
        "random bytes": (d / "noise.mp3", EX_DATAERR, "not a readable audio file"),
        "truncated": (d / "truncated.wav", EX_DATAERR, "truncated"),
        "too short": (d / "short.wav", EX_DATAERR, "too short"),
    }


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory):
    return make_bad_inputs(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize("case", ["missing", "empty", "not audio", "random bytes", "truncated", "too short"])
def test_bad_input_is_refused_cleanly(cli, bad_inputs, tmp_path, case):
    path, code, reason = bad_inputs[case]
    out = tmp_path / "out"
    result = cli("transcribe", path, "-o", out / "call.txt", "-o", out / "call.json")
    assert result.returncode == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line, no traceback
    assert str(path) in lines[0] and reason in lines[0]
    assert not out.exists() or not any(out.iterdir())
    assert result.stdout == ""


def test_unknown_output_format_is_refused_before_work(cli, bad_inputs, tmp_path):
    result = cli("transcribe", bad_inputs["missing"][0], "-o", tmp_path / "call.docx")
    assert result.returncode == 73 and "unknown output format '.docx'" in result.stderr


def test_bad_config_file_names_the_setting(cli, tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("asr:\n  beam: 3\n")
    result = cli("transcribe", "whatever.wav", "--config", cfg)
    assert result.returncode == EX_CONFIG and "unknown setting 'beam'" in result.stderr


def test_missing_model_names_the_install_command(cli, tmp_path):
    speech = tmp_path / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(speech), "A sentence long enough to pass the checks."], check=True)
    result = cli("transcribe", speech, "--models-dir", tmp_path / "no-models", "-o", tmp_path / "x.txt")
    assert result.returncode == 69
    assert "callscribe models install" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.txt").exists()


def test_eval_of_a_folder_with_no_references_says_so(cli, tmp_path):
    (tmp_path / "call.wav").write_bytes(b"")  # a recording, but nothing to score it against
    (tmp_path / "cal.rttm").write_text("")    # a reference whose recording is misnamed
    result = cli("eval", tmp_path)
    assert result.returncode == EX_NOINPUT
    assert result.stderr.strip().splitlines() == [
        f"callscribe: warning: {tmp_path / 'cal.rttm'}: no recording of that name beside it; not scored",
        f"callscribe: error: {tmp_path}: no reference recordings (NAME.wav with NAME.ref.txt, .stm or .rttm)"]
