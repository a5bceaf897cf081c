"""What the client keeps on disk between runs (never secrets)."""
