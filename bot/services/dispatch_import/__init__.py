"""Contacts imported from a dispatch (CAD/RMS) export file: reading, columns, report."""
