"""Storage: config, migrations, records, outbox, drafts, supervisors, statistics."""
