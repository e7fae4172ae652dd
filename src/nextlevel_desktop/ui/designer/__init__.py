"""The process designer area."""
