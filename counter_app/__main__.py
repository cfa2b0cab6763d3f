"""``python -m counter_app`` runs the ``madoguchi`` command line."""

from counter_app.cli import main

main()
