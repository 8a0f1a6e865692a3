"""Identification of common model licences by title and short distinctive phrases (our own wording).

`identify_license(text)` returns {"id", "name", "osi_approved"} or None. Rules are checked in order; the
first whose every regex matches (in the first 6,000 characters) wins, so specific versions come first.
"""
import re

# (id, name, osi_approved, [regexes that must all match])
LICENSES = [
    ("llama-4", "Llama 4 Community License Agreement", False, [r"llama\s*4\b.{0,40}licen[cs]e|llama 4 community"]),
    ("llama-3.3", "Llama 3.3 Community License Agreement", False, [r"llama\s*3\.3\b"]),
    ("llama-3.2", "Llama 3.2 Community License Agreement", False, [r"llama\s*3\.2\b"]),
    ("llama-3.1", "Llama 3.1 Community License Agreement", False, [r"llama\s*3\.1\b"]),
    ("llama-3", "Meta Llama 3 Community License Agreement", False, [r"(?:meta\s+)?llama\s*3\b(?!\.\d)"]),
    ("llama-2", "Llama 2 Community License Agreement", False, [r"llama\s*2\b"]),
    ("gemma", "Gemma Terms of Use", False, [r"gemma terms of use|\bgemma\b.{0,60}terms"]),
    ("qwen", "Tongyi Qianwen License Agreement", False, [r"tongyi\s+qianwen|qwen\s+licen[cs]e"]),
    ("deepseek", "DeepSeek License Agreement", False, [r"deepseek\s+licen[cs]e"]),
    ("creativeml-openrail-m", "CreativeML Open RAIL-M", False, [r"creativeml\s+open\s*rail-?m"]),
    ("openrail", "Open RAIL License", False, [r"open\s*rail"]),
    ("stability-ai-community", "Stability AI Community License Agreement", False, [r"stability\s+ai\s+community\s+licen[cs]e"]),
    ("nvidia-open-model", "NVIDIA Open Model License Agreement", False, [r"nvidia\s+open\s+model\s+licen[cs]e"]),
    ("mistral-research", "Mistral AI Research License", False, [r"mistral\s+ai\s+research\s+licen[cs]e|\bmrl-0\.1\b"]),
    ("apache-2.0", "Apache License 2.0", True, [r"apache\s+licen[cs]e", r"version\s+2\.0"]),
    ("mit", "MIT License", True, [r"permission is hereby granted, free of charge", r"without restriction"]),
    ("bsd-3-clause", "BSD 3-Clause License", True, [r"redistribution and use in source and binary forms",
                                                    r"neither the name"]),
    ("gpl-3.0", "GNU General Public License v3.0", True, [r"gnu general public licen[cs]e", r"version 3"]),
    ("cc-by-4.0", "Creative Commons Attribution 4.0", False, [r"creative commons attribution 4\.0"]),
    ("cc-by-nc-4.0", "Creative Commons Attribution-NonCommercial 4.0", False, [r"attribution-noncommercial 4\.0"]),
]
_COMPILED = [(i, n, o, [re.compile(r, re.I | re.S) for r in rx]) for i, n, o, rx in LICENSES]


def identify_license(text: str) -> dict | None:
    """Return {"id", "name", "osi_approved"} for a known licence in `text`, else None."""
    head = text[:6000]
    for lid, name, osi, rxs in _COMPILED:
        if all(rx.search(head) for rx in rxs):
            # a title match must come early: a vendor's terms mentioning "Llama 2" deep in the text are not the licence
            first = rxs[0].search(head)
            if lid.startswith(("llama", "gemma", "qwen", "deepseek", "stability", "nvidia", "mistral")) and first.start() > 1500:
                continue
            return {"id": lid, "name": name, "osi_approved": osi}
    return None
