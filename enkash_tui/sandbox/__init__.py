"""A local EnKash-compatible AR server (Starlette + uvicorn + SQLite) with realistic demo data."""
