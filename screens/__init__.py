"""All of Textual: the app, its screens, modals and widgets. May import anything in enkash_tui;
nothing in enkash_tui imports it back (launch's lazy import of screens.app is the one exception)."""
