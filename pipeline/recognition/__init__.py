"""Stage 3, recognition: timed words (faster-whisper)."""
