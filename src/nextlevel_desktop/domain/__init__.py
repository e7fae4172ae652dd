"""Pure domain layer: dataclasses, rules and measures. Imports neither Qt nor SQLAlchemy."""
