"""The monitor area: measures against targets, charts, one-on-one reviews."""
