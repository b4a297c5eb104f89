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

__version__ = "0.1.0"
