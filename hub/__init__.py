"""The self-harm care resource hub: YAML catalogues to a checked, searchable website."""

__version__ = "0.1.0"
