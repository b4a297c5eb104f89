"""callscribe: recorded press calls to speaker-attributed transcripts.

Importing the package switches pyannote.audio's usage telemetry off before pyannote
can be imported anywhere in the process: a transcript of an official call must
never phone home.
"""
import os

os.environ["PYANNOTE_METRICS_ENABLED"] = "false"
# No hub access unless a user names a hub model (see pipeline.models.hub_allowed).
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_VERBOSITY", "error")  # no retry chatter; our error says what failed

# CTranslate2 must load before torch and the libraries pyannote brings: loaded after them,
# Whisper base at beam 8 took 35 to 37 s on a 5.4-minute call instead of 26 s (2-core CPU,
# float32; the same process, the same model and options; which library it is, is not known).
import ctranslate2  # noqa: E402,F401

__version__ = "0.1.0"
