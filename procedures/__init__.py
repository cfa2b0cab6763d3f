"""The procedure catalog (data), the question flow, the visit/household model and pre-fill payloads.

Filled in by the catalog issue; no Qt, no card access, no forms here.
"""
