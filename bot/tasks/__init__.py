"""Background work: the sweep, in-process and RQ dispatchers, and RQ's job entry points."""
