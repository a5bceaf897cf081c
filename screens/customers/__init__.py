"""The Customers section: the lookup list, changing customers, and the customer form. May import
enkash_tui, screens.widgets and the shared screens; other sections only to hand over a record."""
