"""Stage 4, structure: words given their speakers, roles, (inaudible), redaction, from the call sheet."""
