"""The clause library as data (pure: no ORM), read from `clauses/data/clauses/*.toml`.

File format (one file per topic group, named after the group, e.g. ``input.toml``)::

    [[clause]]
    topic = "input.retention"          # catalogue topic id, in this file's group
    position = "preferred"             # preferred | fallback | walk_away
    title = "Retention and deletion"   # heading printed before the clause
    variables = ["retention_days"]     # answer names used in `text` (checked against the text)
    defined_terms = ["Customer Data"]  # terms of definitions.toml used in `text` (checked against the text)
    text = \"\"\"The Provider shall ... {{ retention_days }} days ...\"\"\"

``definitions.toml`` holds ``[[term]]`` entries (``name``, ``text``); a document defines only the terms
its clauses use (and the terms those definitions use in turn). Every topic needs a `preferred` and a
`fallback` entry. Loading fails with a ValueError naming file, entry and problem.
"""
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment

from clauses import catalogue
from clauses.answers import CLAUSE_VARIABLES, POSITIONS

CLAUSE_DIR = Path(__file__).resolve().parent / "data" / "clauses"
DEFINITIONS_PATH = CLAUSE_DIR / "definitions.toml"
REQUIRED_POSITIONS = ("preferred", "fallback")

# Clause wording is edited by legal users in the admin: render it in a sandbox, never autoescaped (the
# .docx renderer escapes), and fail on any unknown name rather than printing a blank.
_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@dataclass(frozen=True)
class ClauseEntry:
    """One clause wording from the data files; `sha256` fingerprints its content for reloads."""

    topic: str
    position: str
    title: str
    text: str
    variables: tuple[str, ...]
    defined_terms: tuple[str, ...]
    source: str

    @property
    def sha256(self) -> str:
        """Digest of title, text, variables and defined terms (what a reload compares)."""
        return content_sha256(self.title, self.text, self.variables, self.defined_terms)


def content_sha256(title: str, text: str, variables, defined_terms) -> str:
    """Return the sha256 hex digest of one clause's content in a canonical JSON form."""
    blob = json.dumps([title, text, sorted(variables), sorted(defined_terms)], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def template_variables(text: str) -> set[str]:
    """Return the top-level names a clause text uses; raise ValueError on a Jinja syntax error."""
    try:
        return set(meta.find_undeclared_variables(_env.parse(text)))
    except TemplateSyntaxError as exc:
        raise ValueError(f"template syntax error on line {exc.lineno}: {exc.message}") from exc


@cache
def definitions() -> dict[str, str]:
    """Return {term name: definition text} from definitions.toml, in file order."""
    data = tomllib.loads(DEFINITIONS_PATH.read_text(encoding="utf-8"))
    terms = {}
    for i, entry in enumerate(data.get("term", []), 1):
        if set(entry) != {"name", "text"} or not entry["name"] or not entry["text"]:
            raise ValueError(f"{DEFINITIONS_PATH.name}: term #{i} must have exactly a non-empty name and text")
        if entry["name"] in terms:
            raise ValueError(f"{DEFINITIONS_PATH.name}: term {entry['name']!r} defined twice")
        terms[entry["name"]] = entry["text"]
    for name, text in terms.items():
        unknown = template_variables(text) - CLAUSE_VARIABLES
        if unknown:
            raise ValueError(f"{DEFINITIONS_PATH.name}: term {name!r} uses unknown variables {sorted(unknown)}")
    return terms


def terms_used(text: str, known=None) -> set[str]:
    """Return the defined terms that occur in `text` (whole words, plural "s" allowed, longest first).

    "Model Artifacts" is one term, so its "Model" is not counted as a use of "Model".
    """
    known = definitions() if known is None else known
    found = set()
    for term in sorted(known, key=len, reverse=True):
        pattern = re.compile(rf"\b{re.escape(term)}s?\b")
        if pattern.search(text):
            found.add(term)
            text = pattern.sub(" ", text)
    return found


@cache
def term_dependencies() -> dict[str, frozenset[str]]:
    """Return {term: terms its own definition uses} so definitions can be closed over."""
    terms = definitions()
    return {name: frozenset(terms_used(text) - {name}) for name, text in terms.items()}


def terms_closure(terms, context: dict | None = None) -> list[str]:
    """Return `terms` plus every term their definitions use, transitively, sorted alphabetically.

    With `context` (the answers context of `assembly.text_context`) a definition's dependencies are the
    terms of its *rendered* text, so a term a definition mentions only inside a false condition (e.g.
    "Fine-Tuning Data" when `engagement.fine_tuning` is false) is not pulled in. Only terms the raw
    definition mentions count, so an answer value that happens to contain a term adds nothing.
    """
    deps = term_dependencies()
    if context is not None:
        defs = definitions()
        deps = {name: frozenset(terms_used(render_text(defs[name], context)) & deps[name]) for name in deps}
    todo, seen = list(terms), set()
    while todo:
        term = todo.pop()
        if term not in seen:
            seen.add(term)
            todo.extend(deps.get(term, ()))
    return sorted(seen, key=str.casefold)


def terms_rendered(rendered: str, declared) -> tuple[str, ...]:
    """Return the `declared` defined terms that occur in a clause's *rendered* text, in declared order.

    A clause version declares every term its template may use (all branches of its conditions); a
    document defines only those its rendered wording actually uses.
    """
    used = terms_used(rendered)
    return tuple(t for t in declared if t in used)


def check_clause_text(text: str, defined_terms, variables=None) -> list[str]:
    """Return the problems of one clause wording (empty list if fine).

    Checks: Jinja syntax; every variable is an answer name (answers.CLAUSE_VARIABLES); `variables`,
    when given, equals the names the text uses; every declared defined term exists and occurs in the
    text, and every defined term the text uses is declared.
    """
    problems = []
    try:
        used_vars = template_variables(text)
    except ValueError as exc:
        return [str(exc)]
    unknown = used_vars - CLAUSE_VARIABLES
    if unknown:
        problems.append(f"unknown variables {sorted(unknown)}; use answer names such as retention_days")
    if variables is not None and set(variables) != used_vars - unknown:
        problems.append(f"variables {sorted(variables)} do not match the names the text uses {sorted(used_vars)}")
    known = definitions()
    undefined = set(defined_terms) - set(known)
    if undefined:
        problems.append(f"defined terms {sorted(undefined)} are not in definitions.toml")
    used = terms_used(text)
    if set(defined_terms) - undefined - used:
        problems.append(f"defined terms {sorted(set(defined_terms) - undefined - used)} are declared but not used")
    if used - set(defined_terms):
        problems.append(f"defined terms {sorted(used - set(defined_terms))} are used but not declared")
    return problems


@cache
def clause_entries() -> tuple[ClauseEntry, ...]:
    """Return every clause wording of the data files in catalogue order; raise ValueError on a bad file."""
    ids = set(catalogue.topic_ids())
    order = {tid: i for i, tid in enumerate(catalogue.topic_ids())}
    fields = {"topic", "position", "title", "text", "variables", "defined_terms"}
    entries, seen = [], set()
    for path in sorted(CLAUSE_DIR.glob("*.toml")):
        if path == DEFINITIONS_PATH:
            continue
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for i, raw in enumerate(data.get("clause", []), 1):
            where = f"{path.name} clause #{i} ({raw.get('topic')!r}, {raw.get('position')!r})"
            if set(raw) != fields:
                raise ValueError(f"{where}: fields must be exactly {sorted(fields)}; got {sorted(raw)}")
            if raw["topic"] not in ids:
                raise ValueError(f"{where}: unknown topic id")
            if raw["topic"].split(".")[0] != path.stem:
                raise ValueError(f"{where}: topic belongs in {raw['topic'].split('.')[0]}.toml")
            if raw["position"] not in POSITIONS:
                raise ValueError(f"{where}: position must be one of {POSITIONS}")
            if (raw["topic"], raw["position"]) in seen:
                raise ValueError(f"{where}: duplicate (topic, position)")
            problems = check_clause_text(raw["text"], raw["defined_terms"], raw["variables"])
            if problems:
                raise ValueError(f"{where}: " + "; ".join(problems))
            seen.add((raw["topic"], raw["position"]))
            entries.append(ClauseEntry(
                topic=raw["topic"], position=raw["position"], title=raw["title"].strip(),
                text=" ".join(raw["text"].split()), variables=tuple(raw["variables"]),
                defined_terms=tuple(raw["defined_terms"]), source=f"{path.name}#{i}",
            ))
    for tid in ids:
        for position in REQUIRED_POSITIONS:
            if (tid, position) not in seen:
                raise ValueError(f"{CLAUSE_DIR}: topic {tid} has no {position!r} clause")
    entries.sort(key=lambda e: (order[e.topic], POSITIONS.index(e.position)))
    return tuple(entries)


def positions_available() -> dict[str, frozenset[str]]:
    """Return {topic id: positions with wording in the data files}."""
    result: dict[str, set] = {}
    for e in clause_entries():
        result.setdefault(e.topic, set()).add(e.position)
    return {k: frozenset(v) for k, v in result.items()}


@lru_cache(maxsize=2048)
def _compiled(text: str):
    """Compile a clause text once per process (texts are few and immutable once approved)."""
    return _env.from_string(text)


def render_text(text: str, context: dict) -> str:
    """Render one clause or definition text with the answers context; StrictUndefined raises on gaps."""
    return _compiled(text).render(context)
