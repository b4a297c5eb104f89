"""Stage 1, audio: any file ffmpeg reads -> 16 kHz mono float32 samples, refused with a reason when unusable."""
from .decoding import (AUDIO_EXTENSIONS, LEVEL_FRAME, SAMPLE_RATE, Audio, check_readable, compressed, decode,
                       find_recordings, frame_levels, is_silent, probe)

__all__ = ["AUDIO_EXTENSIONS", "LEVEL_FRAME", "SAMPLE_RATE", "Audio", "check_readable", "compressed", "decode",
           "find_recordings", "frame_levels", "is_silent", "probe"]
