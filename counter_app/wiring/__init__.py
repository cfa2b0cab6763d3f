"""Wiring: the one place that picks real or virtual hardware and builds the kiosk (no widgets)."""
