"""What the 受付の補足 widgets (F7) work with: the certificate options and the 代理人, as the workflow
defines them (widgets reach the workflow only through presenters)."""

from __future__ import annotations

from counter_app.workflow.certificates import (
    CONTENT_LABELS,
    CONTENTS,
    KIND_LABELS,
    PURPOSES,
    REQUESTER_LABELS,
    CertificateKind,
    CertificateRequest,
    Requester,
)
from counter_app.workflow.visit_extras import Representative

__all__ = [
    "CONTENTS",
    "CONTENT_LABELS",
    "KIND_LABELS",
    "PURPOSES",
    "REQUESTER_LABELS",
    "CertificateKind",
    "CertificateRequest",
    "Representative",
    "Requester",
]
