"""The visit without widgets or SQL: the session, the papers it prints, its records, the ports it uses."""
