"""View state of each kiosk step, without widgets: the UI observes these, tests drive them directly."""
