"""What the app keeps on this machine (locations, private files, caches, state, action log), never
secrets: may import api, domain, config and clock; never Textual, screens or the sandbox."""
