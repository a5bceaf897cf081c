"""The sandbox's fixed demo login, importable without the sandbox's server libraries."""

DEMO_CLIENT_ID = "CEKDEMO001"
DEMO_CLIENT_SECRET = "sandbox-secret"
DEMO_USERNAME = "demo@example.com"
DEMO_PASSWORD = "demo1234"
