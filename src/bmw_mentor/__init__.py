"""bmw-mentor: a wizard for setting up a mentoring programme in an SME."""

__version__ = "0.1.0"
