"""Accounts: part of the Activities area."""
