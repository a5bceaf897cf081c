"""The Bharat Connect section: queues, the invoice view and the two network actions. May import
enkash_tui, screens.widgets, the shared screens, and Invoices' full-invoice window (one way)."""
