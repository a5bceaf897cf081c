"""Widgets shared by several sections (lazy table and its marks, customer lookup and suggestions,
form rows, network history, secret input, session header): never a section's package."""
