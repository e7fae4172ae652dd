"""Engagements: part of the Activities area."""
