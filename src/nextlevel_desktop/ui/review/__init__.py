"""The one-on-one review (a tab of the Monitor)."""
