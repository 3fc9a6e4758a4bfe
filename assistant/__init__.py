"""The plan assistant: cited answers over a development plan, offline."""

__version__ = "0.1.0"
