"""dlref: deep-learning concepts from the terminal, in English and Chinese."""

__version__ = "0.1.0"
