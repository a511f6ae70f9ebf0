"""The framework as data: the checklist schema and loading, answer checking, data-file reading."""
