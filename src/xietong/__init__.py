"""Xietong (协同): cross-regional collaborative innovation platform."""

__version__ = "0.1.0"
