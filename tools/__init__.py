"""Scripts that keep the project's own files current (README pictures): run as modules."""
