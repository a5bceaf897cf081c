"""The sandbox's handlers, one module per resource (customers, invoices, reminders, Bharat Connect,
bulk uploads, the simulated buyer): may import the rest of the sandbox and the api models."""
