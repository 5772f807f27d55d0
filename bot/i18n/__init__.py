"""Internationalisation: locale catalogs and SMS segment counting."""
