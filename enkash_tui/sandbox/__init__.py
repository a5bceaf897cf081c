"""A local EnKash-compatible AR server (Starlette + uvicorn + SQLite) with realistic demo data: may
import api models and local locations; never domain, screens or Textual."""
