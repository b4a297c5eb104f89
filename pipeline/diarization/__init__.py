"""Stage 2, diarization: who spoke when (pyannote.audio), as speaker turns."""
