"""Form layouts (data) and their rendering to PDF with reportlab, and the guide sheet (窓口案内シート).

Given a form id and a mapping of field values it returns PDF bytes; it never imports ``procedures``.
"""
