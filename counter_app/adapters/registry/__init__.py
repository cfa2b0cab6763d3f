"""Adapters of the resident registry port (``counter_app.workflow.registry.RegistrySource``).

``config`` reads the ward's ``registry.yaml`` (column names, limits), ``rows`` turns one row into a
``RegistryPerson``, ``sql`` reads a database view, ``extract`` keeps the nightly CSV extract in an
encrypted index, ``audit_stats`` counts lookups per clerk and day.
"""
