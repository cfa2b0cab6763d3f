"""The counter application: the PySide6 kiosk, storage, supervisor statistics and the ``madoguchi`` CLI.

The only package that knows all four libraries (``card_reader``, ``procedures``, ``forms``,
``printing``) and the only one that may import Qt widgets (in ``counter_app.ui``).
"""
