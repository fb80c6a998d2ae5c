"""grade batch: a whole class in one command, resumable, with a gradebook and reports."""
