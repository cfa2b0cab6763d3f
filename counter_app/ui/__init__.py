"""The PySide6 kiosk: widgets only. They observe presenters and forward input; no business logic here."""
