"""Stage 6, evaluation: scores against references (WER, DER, roles, (inaudible), leaks)."""
