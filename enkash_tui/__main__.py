"""``python -m enkash_tui`` is the same as the ``enkash-tui`` command."""

from .cli import main

raise SystemExit(main())
