"""Settings and the agency's send-rules file, read once at start-up."""
