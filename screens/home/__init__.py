"""The Home section: worklist tiles and receivables aging. May import enkash_tui, screens.widgets
and the shared screens; opens other sections through the app."""
