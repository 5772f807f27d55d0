"""Language work: catalogs, reply language detection, choice, bidi, SMS encoding, translation."""
