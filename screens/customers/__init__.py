"""The Customers section: lookup list, card, form and key-contact rows. May import enkash_tui,
screens.widgets and the shared screens; other sections only to hand over a record."""
