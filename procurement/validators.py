"""Upload validation: content sniffing (re-exported from extraction) and file-name sanitising."""
from __future__ import annotations

import os
import re
import unicodedata

from procurement.extraction import ExtractionError, sniff_format

__all__ = ["sanitize_filename", "sniff_format", "ExtractionError"]

MAX_FILENAME_CHARS = 120
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])$", re.I)
_BAD = re.compile(r'[<>:"/\\|?*]')


def sanitize_filename(name: str, *, max_chars: int = MAX_FILENAME_CHARS, default: str = "document") -> str:
    """Return a safe display name for an uploaded file: no directories (``../../x.pdf`` → ``x.pdf``),
    no control, bidi or zero-width characters, no characters Windows forbids, at most `max_chars`
    characters with the extension kept, never empty (falls back to `default` plus the extension).

    The result is metadata for people; storage keys must still be generated ids.
    """
    name = str(name or "")
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Cc (control), Cf (format: bidi overrides, zero-width), Cs/Co/Cn (surrogates, private, unassigned).
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and unicodedata.category(ch) not in ("Zl", "Zp"))
    name = _BAD.sub("_", name)
    name = " ".join(name.split())
    if name.startswith(".") and name.count(".") == 1 and len(name) > 1:
        name = default + name  # ".pdf" alone is an extension without a name
    name = name.strip(" .")
    stem, ext = os.path.splitext(name)
    ext = ext.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,10}", ext or "") else ""
    if not ext:
        stem = name
    stem = stem.strip(" .")
    if not stem or _RESERVED.match(stem):
        stem = (default + "_" + stem) if stem else default
    room = max(1, max_chars - len(ext))
    if len(stem) > room:
        stem = stem[:room].rstrip(" .") or default[:room]
    return stem + ext
