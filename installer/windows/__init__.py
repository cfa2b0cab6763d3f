"""The Windows installer: embeddable CPython, win_amd64 wheels, fonts, NSIS."""
