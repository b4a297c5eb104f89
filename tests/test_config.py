import pytest

from pipeline.config import load_settings
from pipeline.errors import ConfigError


def test_defaults_come_from_configs_default_yaml():
    s = load_settings()
    assert s.asr.model == "base" and s.asr.condition_on_previous_text is False
    assert s.diarization.model == "offline"


def test_user_file_then_command_line_override(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("asr:\n  model: tiny.en\n  beam_size: 2\ndiarization:\n  max_speakers: 6\n")
    s = load_settings(f, {"asr": {"model": "base"}})
    assert (s.asr.model, s.asr.beam_size, s.diarization.max_speakers) == ("base", 2, 6)


def test_unknown_key_is_refused_with_its_name(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("asr:\n  modle: base\n")
    with pytest.raises(ConfigError, match="unknown setting 'modle'"):
        load_settings(f)


def test_missing_or_broken_config_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "none.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("asr: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings(broken)


def test_token_never_reaches_outputs():
    s = load_settings()
    s.hf_token = "hf_secret"
    assert "hf_token" not in s.to_dict()
