"""The entry script of the frozen ``madoguchi`` executable: the same command as the ``madoguchi`` console
script (``counter_app.cli:main``), so ``madoguchi kiosk`` and every CLI command live in one executable."""

from counter_app.cli import main

if __name__ == "__main__":
    main()
