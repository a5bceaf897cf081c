"""What operators mean (queries, balances, schedules, queues, outcomes), in plain Python: imports
only enkash_tui.api and enkash_tui.clock, never Textual, screens, local files or the sandbox."""
