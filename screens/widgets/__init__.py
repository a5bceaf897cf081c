"""Widgets shared by several sections (lazy table, secret input, session header, customer
suggestions): may import enkash_tui and Textual, never a section's package."""
