"""The command line: one module per command group (python -m bot …)."""
