"""The Reminders section: rules per customer, the rule form, the firing preview and bulk apply.
May import enkash_tui, screens.widgets and the shared screens."""
