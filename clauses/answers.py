"""Drafting answers v1 (shared/spec/answers.md): the schema, an example, and validation.

Pure: no ORM. `validate_answers(data, doc_type)` returns cleaned answers (positions filled in,
line endings normalised) or raises `AnswersError` listing *every* problem at once.

Required keys: everything in the spec example except `subprocessors` (default ``[]``) and `positions`
(default ``{}``, i.e. every topic uses its `preferred` wording).
"""
import copy
import datetime as dt
import re

DOC_TYPES = ("sow", "dpa")
DEPLOYMENTS = ("hosted", "self_hosted", "hybrid")
POSITIONS = ("preferred", "fallback", "walk_away")

# Field types: "text" (non-empty single line), "multiline" (non-empty, line breaks kept), "date" (ISO 8601),
# "int" (integer >= minimum), "bool", nested dicts, or ("list", {...}) for a list of dicts.
PARTY = {"name": "text", "address": "multiline", "signatory": "text"}
SCHEMA = {
    "customer": PARTY,
    "provider": PARTY,
    "effective_date": "date",
    "governing_law": "text",
    "engagement": {
        "description": "text",
        "model": "text",
        "deployment": ("choice", DEPLOYMENTS),
        "fine_tuning": "bool",
    },
    "personal_data": "bool",
    "data_location": "text",
    "retention_days": ("int", 1),
    "breach_notice_hours": ("int", 1),
    "price_change_notice_days": ("int", 0),
    "change_notice_days": ("int", 0),
    "liability_cap": "text",
    "subprocessors": ("list", {"name": "text", "purpose": "text", "location": "text"}),
    "positions": "positions",
}
OPTIONAL = {"subprocessors": [], "positions": {}}
# Names a clause text may use: every top-level answer plus what the assembler derives.
DERIVED_VARIABLES = ("document_name", "effective_date_text")
CLAUSE_VARIABLES = frozenset(SCHEMA) | frozenset(DERIVED_VARIABLES)

EXAMPLE_ANSWERS = {
    "customer": {"name": "Northwind Health & Care Ltd", "address": "1 Harbour Road\nBristol BS1 4XX",
                 "signatory": "A. Patel, General Counsel"},
    "provider": {"name": "Example AI <Labs> Inc.", "address": "200 Market St\nSan Francisco, CA 94105",
                 "signatory": "J. Doe, CEO"},
    "effective_date": "2026-12-01",
    "governing_law": "England and Wales",
    "engagement": {
        "description": "Fine-tuning and hosting a contract-summarisation model",
        "model": "an open-weight 8B instruction model",
        "deployment": "hosted",
        "fine_tuning": True,
    },
    "personal_data": True,
    "data_location": "European Economic Area",
    "retention_days": 30,
    "breach_notice_hours": 48,
    "price_change_notice_days": 90,
    "change_notice_days": 60,
    "liability_cap": "12 months of fees",
    "subprocessors": [{"name": "Cloud Host GmbH", "purpose": "GPU hosting", "location": "Germany"}],
    "positions": {"input.retention": "fallback"},
}

# XML 1.0 cannot carry most control characters, and docxtpl turns \a and \f into paragraph and page
# breaks; literal template markers would survive into the document (KNOWN-FAILURES: docxtpl).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TEMPLATE_MARKER = re.compile(r"\{[{%#_]|[}%#_]\}")


class AnswersError(ValueError):
    """Invalid answers. `problems` lists every problem as "<dotted.key>: <what is wrong>"."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the answers:\n" + "\n".join(f"- {p}" for p in self.problems))


def _typename(value) -> str:
    return {bool: "true/false", int: "integer", float: "number", str: "text", list: "list", dict: "object",
            type(None): "null"}.get(type(value), type(value).__name__)


def _check_text(value, path, problems, *, multiline=False):
    if not isinstance(value, str):
        problems.append(f"{path}: must be text (got {_typename(value)})")
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        value = value.strip()
        if "\n" in value:
            problems.append(f"{path}: must be a single line")
    else:
        value = "\n".join(line.strip() for line in value.strip().split("\n"))
    if not value:
        problems.append(f"{path}: must not be empty")
    if _CONTROL.search(value):
        problems.append(f"{path}: contains control characters")
    if _TEMPLATE_MARKER.search(value):
        problems.append(f"{path}: must not contain template markers such as '{{{{' or '{{%'")
    return value


def _check(spec, value, path, problems, known_positions):
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            problems.append(f"{path}: must be an object (got {_typename(value)})")
            return value
        return _check_object(spec, value, path, problems, known_positions)
    kind = spec[0] if isinstance(spec, tuple) else spec
    if kind in ("text", "multiline"):
        return _check_text(value, path, problems, multiline=kind == "multiline")
    if kind == "date":
        if not isinstance(value, str):
            problems.append(f"{path}: must be an ISO 8601 date such as 2026-12-01 (got {_typename(value)})")
            return value
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError(value)
            dt.date.fromisoformat(value)
        except ValueError:
            problems.append(f"{path}: {value!r} is not an ISO 8601 date such as 2026-12-01")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: must be an integer (got {_typename(value)})")
        elif value < spec[1]:
            problems.append(f"{path}: must be at least {spec[1]} (got {value})")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            problems.append(f"{path}: must be true or false (got {_typename(value)})")
        return value
    if kind == "choice":
        if value not in spec[1]:
            problems.append(f"{path}: must be one of {', '.join(spec[1])} (got {value!r})")
        return value
    if kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: must be a list (got {_typename(value)})")
            return value
        return [_check(spec[1], item, f"{path}[{i}]", problems, known_positions) for i, item in enumerate(value)]
    if kind == "positions":
        return _check_positions(value, path, problems, known_positions)
    raise AssertionError(f"unknown schema kind {kind!r}")


def _check_object(spec, value, path, problems, known_positions):
    prefix = f"{path}." if path else ""
    cleaned = {}
    for key in value:
        if key not in spec:
            problems.append(f"{prefix}{key}: unknown key")
    for key, sub in spec.items():
        if key not in value:
            if not path and key in OPTIONAL:
                cleaned[key] = copy.deepcopy(OPTIONAL[key])
            else:
                problems.append(f"{prefix}{key}: missing")
            continue
        cleaned[key] = _check(sub, value[key], f"{prefix}{key}", problems, known_positions)
    return cleaned


def _check_positions(value, path, problems, known_positions):
    if not isinstance(value, dict):
        problems.append(f"{path}: must be an object mapping topic ids to positions (got {_typename(value)})")
        return value
    for topic_id, position in value.items():
        where = f"{path}.{topic_id}"
        if topic_id not in known_positions:
            problems.append(f"{where}: unknown topic id")
        elif position not in POSITIONS:
            problems.append(f"{where}: unknown position {position!r} (use one of {', '.join(POSITIONS)})")
        elif position not in known_positions[topic_id]:
            have = ", ".join(p for p in POSITIONS if p in known_positions[topic_id]) or "none"
            problems.append(f"{where}: the clause library has no approved {position!r} wording for this topic "
                            f"(available: {have})")
    return dict(value)


def validate_answers(data, doc_type: str, *, known_positions: dict | None = None) -> dict:
    """Validate drafting answers for `doc_type` ("sow" or "dpa") and return a cleaned copy.

    `known_positions` maps topic id -> set of positions the library has approved wording for (default:
    the clause data files). Raises `AnswersError` whose `problems` name every missing key, unknown key
    (at any nesting level), wrong type, bad date, unknown topic id or position — and a DPA requested
    with `personal_data` false (a DPA is only meaningful when personal data is processed).
    """
    if known_positions is None:
        from clauses.library import positions_available

        known_positions = positions_available()
    problems: list[str] = []
    if doc_type not in DOC_TYPES:
        problems.append(f"doc_type: must be one of {', '.join(DOC_TYPES)} (got {doc_type!r})")
    if not isinstance(data, dict):
        raise AnswersError(problems + [f"answers: must be a JSON object (got {_typename(data)})"])
    cleaned = _check_object(SCHEMA, data, "", problems, known_positions)
    if doc_type == "dpa" and data.get("personal_data") is False:
        problems.append("personal_data: is false, so no personal data is processed and a DPA is not needed; "
                        "set personal_data to true or generate a SOW")
    if problems:
        raise AnswersError(problems)
    return cleaned
