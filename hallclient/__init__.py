"""hallclient: the desktop client of a government service hall's comprehensive windows."""

__version__ = "0.1.0"
