"""The ten forms Madoguchi ships (forms/layouts/), the ids the default catalog names."""

from __future__ import annotations

SHIPPED_FORM_IDS: tuple[str, ...] = (
    "jumin_idou",
    "jumin_copy_request",
    "inkan_touroku",
    "inkan_cert_request",
    "kokuho_idou",
    "jidou_teate",
    "kodomo_iryou",
    "kaigo_idou",
    "mynumber_card_change",
    "sousaihi",
)
