"""callscribe: recorded press calls to speaker-attributed transcripts.

Importing the package switches off every library's usage telemetry before any of them
can load, so that every entry point (transcribe, batch and its worker processes, eval,
doctor) and every process they start inherit it: a transcript of an official call must
never phone home. `callscribe doctor` reports each switch; tests/test_privacy.py runs
the command line under strace and fails on any network connection.
"""
import logging
import os
import sys

# Library -> (environment variable, value that turns its telemetry off). Forced, not
# defaulted: a user's shell that turns one on does not turn it on for callscribe.
TELEMETRY_OFF = {
    "pyannote.audio": ("PYANNOTE_METRICS_ENABLED", "false"),   # OpenTelemetry usage metrics
    "onnxruntime": ("ORT_DISABLE_TELEMETRY", "1"),              # 1DS events and an offline queue in ~/.cache/Microsoft
    "huggingface_hub": ("HF_HUB_DISABLE_TELEMETRY", "1"),
    "ray": ("RAY_USAGE_STATS_ENABLED", "0"),                   # usage stats from a cluster this process starts (--engine ray)
}
for _variable, _value in TELEMETRY_OFF.values():
    os.environ[_variable] = _value
os.environ.setdefault("HF_HUB_VERBOSITY", "error")  # no retry chatter; our error says what failed

# One heap per core, not eight, set before any library starts its threads (pipeline/memory.py).
from .memory import heap_per_core  # noqa: E402

heap_per_core()

# CTranslate2 must load before torch and the libraries pyannote brings: loaded after them,
# Whisper base at beam 8 took 35 to 37 s on a 5.4-minute call instead of 26 s (2-core CPU,
# float32; the same process, the same model and options; which library it is, is not known).
import ctranslate2  # noqa: E402,F401

# Triton compiles GPU kernels for torch.compile, which callscribe never calls; torch's CUDA
# build imports it all the same (through Lightning's import of torch._dynamo), and it holds
# 66 MB of memory in every process (docs/measurements.md). Torch works without it; its one
# warning about it is for flop counting, which nothing here does.
sys.modules.setdefault("triton", None)
logging.getLogger("torch.utils.flop_counter").setLevel(logging.ERROR)

__version__ = "0.1.0"
