"""The offline bundle is installed and verifiable; telemetry is off whatever the user set."""
from __future__ import annotations

import os
import subprocess
import sys


from pipeline.config import load_settings
from pipeline.models import load_catalog, problems


def test_catalog_pins_every_file():
    catalog = load_catalog()
    assert {"tiny.en", "base", "segmentation", "ge2e", "campplus"} <= set(catalog)
    for entry in catalog.values():
        assert entry.packages and all(len(f.sha256) == 64 for f in entry.files)


def test_bundle_is_installed_and_verifies(cli):
    listing = cli("models", "list")
    assert listing.returncode == 0
    assert all("not installed" not in line for line in listing.stdout.splitlines())
    verify = cli("models", "verify")
    assert verify.returncode == 0 and verify.stdout.count(": ok") == len(load_catalog())


def test_verify_catches_a_damaged_file(cli, tmp_path):
    models = load_settings().models_path
    for name in load_catalog():
        (tmp_path / name).symlink_to(models / name, target_is_directory=True)
    (tmp_path / "ge2e").unlink()
    (tmp_path / "ge2e").mkdir()
    damaged = bytearray((models / "ge2e" / "pretrained.pt").read_bytes())
    damaged[1000] ^= 0xFF
    (tmp_path / "ge2e" / "pretrained.pt").write_bytes(bytes(damaged))
    assert problems(load_catalog()["ge2e"], tmp_path) == ["pretrained.pt has the wrong sha256"]
    result = cli("models", "verify", "--models-dir", tmp_path)
    assert result.returncode == 69
    assert "ge2e: pretrained.pt has the wrong sha256" in result.stdout
    assert "callscribe models install --force" in result.stderr


def test_unknown_model_name_is_refused(cli):
    result = cli("models", "install", "whisper-huge")
    assert result.returncode == 2 and "unknown model whisper-huge" in result.stderr  # usage error, as documented


def test_telemetry_is_off_even_when_the_environment_turns_it_on():
    code = ("import pipeline.diarization.diarize\n"
            "from pyannote.audio.telemetry.metrics import is_metrics_enabled\n"
            "print(is_metrics_enabled())\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYANNOTE_METRICS_ENABLED": "true"})
    assert result.stdout.strip() == "False", result.stderr


def test_doctor_says_each_librarys_telemetry_is_off(cli):
    result = cli("doctor", env={"ORT_DISABLE_TELEMETRY": "0", "PYANNOTE_METRICS_ENABLED": "true"})
    for library in ("pyannote.audio", "onnxruntime", "huggingface_hub"):
        assert f"ok    {library} telemetry is off" in result.stdout, result.stdout
