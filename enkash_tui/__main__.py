"""``python -m enkash_tui`` is the same as the ``enkash-tui`` command."""

from enkash_tui.cli import main

raise SystemExit(main())
