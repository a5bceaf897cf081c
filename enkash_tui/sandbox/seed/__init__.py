"""Deterministic demo data for the sandbox (book.py is the entry point): imports only the sandbox's
db, the api's pure helpers and the clock."""
