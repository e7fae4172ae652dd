"""Use cases. Each takes plain values, works in one transaction and returns plain data or a
``Changes`` value; the UI never sees a Session."""
