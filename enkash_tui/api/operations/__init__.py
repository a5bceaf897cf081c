"""The operation groups that ``EnkashClient`` is made of, one module per resource."""
