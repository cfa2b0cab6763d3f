"""``python -m installer.windows``: build the Windows installer (see :mod:`installer.windows.build`)."""

from installer.windows.build import main

main()
