"""Build tooling for the Windows installer and the Linux bundle (not shipped in the wheel)."""
