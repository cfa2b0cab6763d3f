"""Logging for the app and the CLI.

Log lines carry visit ids and technical facts only: never names, addresses, birth dates or PINs.
The card layer logs APDU headers and status words, never data fields.
"""

from __future__ import annotations

import logging

_LEVELS = {0: logging.WARNING, 1: logging.INFO}


def configure_logging(verbosity: int) -> None:
    logging.basicConfig(
        level=_LEVELS.get(verbosity, logging.DEBUG),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
