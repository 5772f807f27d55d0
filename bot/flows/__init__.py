"""Flow definitions: reading YAML with positions, translations, checking, reports, drafting."""
