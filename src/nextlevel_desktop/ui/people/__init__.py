"""People: part of the Activities area."""
