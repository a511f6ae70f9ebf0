"""The project file: the model, load and save, answer files, progress."""
