"""Reading and writing files: YAML, atomic writes, safe text, shipped data, and the ledger of files that hold names."""
