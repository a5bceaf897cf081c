"""enkash-tui: a keyboard-driven terminal dashboard for the EnKash Accounts Receivable API."""

__version__ = "0.1.0"
