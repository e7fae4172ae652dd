"""Rendering the command line and the UI share: chart plotting on a matplotlib ``Axes``, number
formats, the palette and the PDF pages. matplotlib alone: no Qt, nothing from ``ui`` (DESIGN.md §5).
"""
