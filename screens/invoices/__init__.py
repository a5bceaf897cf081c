"""The Invoices section: the list, its filter, windows, marks, views and forms. May import
enkash_tui, screens.widgets and the shared screens; other sections only to hand over a record."""
