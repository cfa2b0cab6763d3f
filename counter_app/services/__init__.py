"""Workflows of the counter without widgets: card reading, the visit, printing, storage, statistics."""
