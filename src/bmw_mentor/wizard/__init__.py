"""The interactive wizard: the question loop, prompts, status, and the init/step/continue commands."""
