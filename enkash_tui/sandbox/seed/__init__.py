"""Deterministic demo data for the sandbox (book.py is the entry point): imports only the api's
GSTIN helpers, the clock and the demo login (sandbox_demo)."""
