"""The follow-up window (notes, promises, disputes, follow-up dates and the timeline of an invoice
or a customer) and its small forms, opened with ``w`` from Invoices, Customers and Bharat Connect.
May import enkash_tui, screens.widgets and the shared screens; never a section's package."""
