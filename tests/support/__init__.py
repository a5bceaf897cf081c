"""What every test layer shares, imported directly by the tests: running sandboxes
(``sandboxes``), the app as ``--sandbox`` builds it and the helpers that drive it (``driving``),
plain text of what is on screen (``screen_text``), signed-in clients (``clients``), and the
pytest fixtures built on them (``fixtures``, loaded for every test by ``tests/conftest.py``)."""
