"""Work the minute tick does: one module per job (each with `NAME` and `run(tick)`), run by `runner`."""
