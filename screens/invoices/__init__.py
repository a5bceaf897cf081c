"""The Invoices section: the list, its quick filter, filter dialog, windows, views and form. May
import enkash_tui, screens.widgets and the shared screens."""
