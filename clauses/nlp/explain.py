"""Explanation text per topic and status, read from data/explanations.json (data, not code)."""
import json
from functools import cache
from pathlib import Path

from clauses.catalogue import topic

EXPLANATIONS_PATH = Path(__file__).resolve().parent / "data" / "explanations.json"


@cache
def _data() -> dict:
    return json.loads(EXPLANATIONS_PATH.read_text(encoding="utf-8"))


def explanation(topic_id: str, status: str) -> str:
    """Return the explanation for `topic_id` in `status`; falls back to the catalogue wording."""
    text = _data().get(topic_id, {}).get(status)
    if text:
        return text
    spec = topic(topic_id)
    if status == "present":
        return f"Favourable: {spec.favourable}."
    if status == "conflict":
        return f"Contradicts the favourable position: {spec.conflicting}."
    return f"The document says nothing that decides this topic ({_lower_words(spec.title)})."


def _lower_words(title: str) -> str:
    """Return `title` in lower case except acronyms ("IP indemnity", "SOW"), which stay as written."""
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in title.split())
