"""Stage 5, render: the house text, JSON, SRT/VTT and RTTM, written atomically."""
