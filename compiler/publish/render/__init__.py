"""Rendering: the Jinja environment, the families' site, the PDF editions, the open data."""
