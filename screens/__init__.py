"""One module per screen. Screens compose widgets and call the service layer in workers."""
