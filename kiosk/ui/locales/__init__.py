"""Locale catalogues (YAML, one flat key → text mapping per language)."""
