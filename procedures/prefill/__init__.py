"""QR pre-fill: a resident prepares the visit at home, the counter scans it (docs/qr-format.md).

Plain values in, typed values out; no images here (``card_reader.qr`` turns images into payload
bytes, ``card_reader.wedge`` turns a scanner's keystrokes into text).

What the kiosk calls::

    collector = PartCollector()
    progress = collector.add(scan)          # bytes (camera, file) or text (wedge); raises PrefillError
    progress.text_ja                        # "QRコード 1/2 を読み取りました。残り: 2/2"
    if progress.complete:
        prefill = read_collected(collector, catalog)      # Prefill(visit, notes, catalog version …)
        applied = apply_to_visit(prefill, current_visit)  # card / counter wins for the four details
        applied.visit, applied.differences, applied.notes, applied.member_map

    prefill = decode_scans([scan, scan, …], catalog)    # all parts at once (CLI, files)
    texts = encode_visit(visit, catalog.id, catalog.meta.version)   # the "MDP2:…" part texts
    build_page(catalog, out_dir)                          # the resident's static pre-fill page

Modules: ``base45``, ``parts`` (framing, scans, the collector), ``document`` (the JSON inside and
what the catalog can use of it), ``merge`` (card vs QR), ``page`` (the static page), ``errors``.
"""

from procedures.prefill.document import (
    NoteKind,
    Prefill,
    PrefillNote,
    decode_scans,
    document_json,
    encode_visit,
    read_collected,
    read_document,
)
from procedures.prefill.errors import (
    ForeignCodeError,
    ForeignKind,
    MissingPartsError,
    MixedSetsError,
    PartChecksumError,
    PartFormatError,
    PrefillContentError,
    PrefillError,
    SetChecksumError,
    UnknownVersionError,
)
from procedures.prefill.merge import (
    Applied,
    DetailDifference,
    apply_to_visit,
    merge_card_member,
    merge_visits,
)
from procedures.prefill.parts import (
    MAX_PART_BYTES,
    PREFIX,
    WEDGE_PREFIXES,
    PartCollector,
    Progress,
    normalize_scan,
    parse_part,
)

__all__ = [
    "MAX_PART_BYTES",
    "PREFIX",
    "WEDGE_PREFIXES",
    "Applied",
    "DetailDifference",
    "ForeignCodeError",
    "ForeignKind",
    "MissingPartsError",
    "MixedSetsError",
    "NoteKind",
    "PartChecksumError",
    "PartCollector",
    "PartFormatError",
    "Prefill",
    "PrefillContentError",
    "PrefillError",
    "PrefillNote",
    "Progress",
    "SetChecksumError",
    "UnknownVersionError",
    "apply_to_visit",
    "decode_scans",
    "document_json",
    "encode_visit",
    "merge_card_member",
    "merge_visits",
    "normalize_scan",
    "parse_part",
    "read_collected",
    "read_document",
]
