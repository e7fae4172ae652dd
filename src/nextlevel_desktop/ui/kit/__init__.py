"""Shared UI kit: the operation road (ops), change bus, staleness, form fields and row models.

Every area builds on these; an area's own package holds only that area.
"""
