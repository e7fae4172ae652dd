"""Qt user interface: widgets and item models that call services and show plain data."""
