"""Reading lists from where they come from: YAML files, and the Word and Excel tables bureaus have."""
