"""Safelight: counter-trafficking intelligence and care tools."""

__version__ = "0.1.0"
