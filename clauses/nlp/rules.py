"""Topic rule files: loading and validation.

A rule file is JSONL under `clauses/nlp/patterns/`, one rule per line (blank lines and lines starting
with "#" are skipped). Keys:

- `id` (str, unique over all files, stable: findings cite it), `topic` (catalogue id),
  `polarity` ("favourable" | "unfavourable"): what the match means when not negated;
- exactly one of `pattern` (a spaCy Matcher token pattern; use LOWER / LEMMA, lemmas lower-case; a value
  the tokenizer splits, such as "sub-processor" (sub / - / processor), is an error: it never matches one
  token; write the pieces as token specs) or
  `phrase` (a literal, matched case-insensitively token by token). Besides spaCy's token attributes a
  token spec may use `ROLE`: "customer" | "provider" (or {"IN": [...]}), the party role `party_roles` gave
  the token -- a defined name ("Zentrix" when Zentrix is the provider), a role word ("the Provider") or a
  pronoun ("we", "you"); e.g. [{"LEMMA": "remain"}, {"LOWER": "with"}, {"ROLE": "provider"}] matches
  "remains with Zentrix". ROLE is read by our topic matcher, not spaCy's Matcher; pair it with a word
  constraint elsewhere in the pattern (the matcher indexes rules by their words);
- optional `negation`: "flip" (default: a negated match means the opposite), "drop" (a negated match
  means nothing), "ignore" (negation cues do not change it) or "require" (only a negated match counts,
  with the opposite polarity: for prohibitions such as "you may not use outputs to train ...");
- optional `subject`: "customer" | "provider" (the clause's subject must be that party or unknown) and
  `subject_strict` (true: it must be that party);
- optional `subject_polarity`: {"customer": polarity, "provider": polarity} overriding `polarity` when the
  subject's role is known;
- optional `context_any` / `context_also` / `context_none`: lists of words (matched against lemmas and
  lower-case forms) or multi-word phrases (matched in the lower-case sentence; a trailing "*" matches any
  word start, e.g. "terminat*"); the sentence must contain one of (`context_any`, and also one of
  `context_also`) / none of (`context_none`) them. The entries "@customer" and "@provider" match any
  token of the sentence tagged with that party role by `party_roles` -- the document's own names count
  ("Orvane" when Orvane is the customer), and so do "you"/"your" or "we"/"our"; e.g.
  `"context_any": ["@customer"]` needs the customer named somewhere in the sentence. Other "@" entries
  are errors;
- optional `note`: why the rule exists.

Errors raise `RuleFileError` naming the file and line.
"""
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from clauses.catalogue import topic_ids

PATTERN_DIR = Path(__file__).resolve().parent / "patterns"
POLARITIES = ("favourable", "unfavourable")
NEGATION_MODES = ("flip", "drop", "ignore", "require")
ROLES = ("customer", "provider")
_KEYS = {"id", "topic", "polarity", "pattern", "phrase", "negation", "subject", "subject_strict",
         "subject_polarity", "context_any", "context_also", "context_none", "note"}
_TOKEN_ATTRS = {"LOWER", "LEMMA", "ORTH", "TEXT", "IS_PUNCT", "IS_DIGIT", "LIKE_NUM", "IS_SPACE", "OP",
                "IS_SENT_START", "IS_TITLE", "IS_UPPER", "IS_ALPHA", "SHAPE", "LENGTH", "IS_STOP", "ROLE"}


class RuleFileError(ValueError):
    """A rule file is malformed; str() is "<file>:<line>: <what is wrong>"."""


@dataclass(frozen=True)
class Rule:
    """One validated rule (see the module docstring for the meaning of each field)."""

    id: str
    topic: str
    polarity: str
    pattern: tuple
    negation: str = "flip"
    subject: str | None = None
    subject_strict: bool = False
    subject_polarity: dict = field(default_factory=dict)
    context_any: tuple = ()
    context_none: tuple = ()
    context_also: tuple = ()
    source: str = ""
    max_len: int = 0  # longest allowed match in tokens (bounded wildcards), 0 = no limit

    def segments(self) -> list[tuple[int, list[dict]]]:
        """Split the pattern at bounded wildcards: [(gap_before, token specs), ...]; the first gap is 0.

        Only the first segment goes to spaCy's Matcher; the rest are checked token by token within the
        gaps (spaCy expands {0,N} into N optional tokens, exponential when anchors repeat, and "*"
        wildcards keep too many partial states alive on long sentences)."""
        segs: list[tuple[int, list[dict]]] = []
        gap, cur = 0, []
        for spec in self.pattern:
            if _is_wildcard(spec):
                if cur:
                    segs.append((gap, cur))
                    cur, gap = [], 0
                gap += int(_WILD.match(spec["OP"]).group(1))
            else:
                cur.append(dict(spec))
        if cur:
            segs.append((gap, cur))
        return segs


def phrase_to_pattern(phrase: str) -> list[dict]:
    """Turn a literal phrase into a LOWER token pattern using the blank English tokenizer."""
    from clauses.nlp.pipeline import tokenizer_only

    return [{"LOWER": t.lower_} for t in tokenizer_only()(phrase) if not t.is_space]


_WILD = re.compile(r"^\{0,(\d{1,2})\}$")


def _is_wildcard(spec: dict) -> bool:
    return set(spec) == {"OP"} and bool(_WILD.match(str(spec["OP"])))


def _max_len(pattern) -> int:
    total = 0
    for spec in pattern:
        if _is_wildcard(spec):
            total += int(_WILD.match(spec["OP"]).group(1))
        elif spec.get("OP") in ("*", "+"):
            return 0
        else:
            total += 1
    return total


def _check_spec(spec, where: str) -> None:
    if not isinstance(spec, dict):
        raise RuleFileError(f"{where}: every token pattern entry must be an object, got {spec!r}")
    if spec.get("OP") in ("*", "+"):
        raise RuleFileError(f"{where}: unbounded operators '*'/'+' are not allowed; use {{\"OP\": \"{{0,N}}\"}} wildcards")
    if set(spec) == {"OP"} and not _is_wildcard(spec):
        raise RuleFileError(f"{where}: a wildcard must be {{\"OP\": \"{{0,N}}\"}} with N <= 99, got {spec!r}")
    bad = set(spec) - _TOKEN_ATTRS
    if bad:
        raise RuleFileError(f"{where}: unsupported token attribute(s) {sorted(bad)} (use LOWER/LEMMA)")
    lemma = spec.get("LEMMA")
    values = lemma.get("IN", []) if isinstance(lemma, dict) else [lemma] if lemma else []
    if any(isinstance(v, str) and v != v.lower() for v in values):
        raise RuleFileError(f"{where}: LEMMA values must be lower case, got {values!r}")
    if "ROLE" in spec:
        role = spec["ROLE"]
        roles = role.get("IN") if isinstance(role, dict) and set(role) == {"IN"} else [role]
        if not isinstance(roles, list) or not roles or any(r not in ROLES for r in roles):
            raise RuleFileError(f"{where}: ROLE must be \"customer\" or \"provider\" (or {{\"IN\": [...]}} of them), "
                                f"got {role!r}")
    for attr in ("LOWER", "LEMMA", "ORTH", "TEXT"):
        for v in _string_values(spec.get(attr)):
            if not _one_token(attr, v):
                pieces = [t.text for t in _tokenize(v)]
                raise RuleFileError(f"{where}: {attr} value {v!r} can never match: the tokenizer splits it into "
                                    f"{pieces} (write one token spec per piece, e.g. a '-hyphen' twin rule)")


def _string_values(val) -> list[str]:
    """The string values of one attribute constraint: "x" -> ["x"]; {"IN"|"NOT_IN": [...]} -> the list."""
    if isinstance(val, str):
        return [val]
    if isinstance(val, dict):
        return [v for k in ("IN", "NOT_IN") for v in val.get(k) or () if isinstance(v, str)]
    return []


def _tokenize(text: str):
    from clauses.nlp.pipeline import tokenizer_only

    return tokenizer_only()(text)


@cache
def _one_token(attr: str, value: str) -> bool:
    """True when some token can carry `value` in `attr`: the value (ORTH/TEXT), or one of its casings
    ("u.s." is the LOWER of the special case "U.S."), or for LEMMA one of its surface forms, comes out of
    the tokenizer as a single token. "sub-processor" does not (spaCy splits hyphens between letters)."""
    from clauses.nlp.components.lemmas import surface_forms

    if attr in ("ORTH", "TEXT"):
        forms = {value}
    else:
        forms = surface_forms(value) | {value} if attr == "LEMMA" else {value}
        forms = {c for f in forms for c in (f, f.upper(), f.capitalize(), f.title())}
    return any(len(_tokenize(f)) == 1 for f in forms)


def parse_rule(obj, where: str) -> Rule:
    """Validate one decoded JSON line; raise RuleFileError prefixed with `where` ("file:line")."""
    if not isinstance(obj, dict):
        raise RuleFileError(f"{where}: a rule must be a JSON object")
    unknown = set(obj) - _KEYS
    if unknown:
        raise RuleFileError(f"{where}: unknown key(s) {sorted(unknown)}")
    for key in ("id", "topic", "polarity"):
        if not isinstance(obj.get(key), str) or not obj.get(key):
            raise RuleFileError(f"{where}: missing or empty {key!r}")
    if obj["topic"] not in topic_ids():
        raise RuleFileError(f"{where}: unknown topic {obj['topic']!r}")
    if obj["polarity"] not in POLARITIES:
        raise RuleFileError(f"{where}: polarity must be one of {POLARITIES}, got {obj['polarity']!r}")
    if ("pattern" in obj) == ("phrase" in obj):
        raise RuleFileError(f"{where}: give exactly one of 'pattern' or 'phrase'")
    if "phrase" in obj:
        if not isinstance(obj["phrase"], str) or not obj["phrase"].strip():
            raise RuleFileError(f"{where}: 'phrase' must be a non-empty string")
        pattern = phrase_to_pattern(obj["phrase"])
    else:
        pattern = obj["pattern"]
        if not isinstance(pattern, list) or not pattern:
            raise RuleFileError(f"{where}: 'pattern' must be a non-empty list of token objects")
        for spec in pattern:
            _check_spec(spec, where)
    negation = obj.get("negation", "flip")
    if negation not in NEGATION_MODES:
        raise RuleFileError(f"{where}: negation must be one of {NEGATION_MODES}, got {negation!r}")
    subject = obj.get("subject")
    if subject is not None and subject not in ROLES:
        raise RuleFileError(f"{where}: subject must be one of {ROLES}, got {subject!r}")
    sp = obj.get("subject_polarity", {})
    if not isinstance(sp, dict) or set(sp) - set(ROLES) or set(sp.values()) - set(POLARITIES):
        raise RuleFileError(f"{where}: subject_polarity maps customer/provider to a polarity")
    ctx = {}
    for key in ("context_any", "context_also", "context_none"):
        val = obj.get(key, [])
        if not isinstance(val, list) or not all(isinstance(v, str) and v for v in val):
            raise RuleFileError(f"{where}: {key} must be a list of non-empty strings")
        bad = [v for v in val if v.startswith("@") and v.lower() not in ("@customer", "@provider")]
        if bad:
            raise RuleFileError(f"{where}: {key}: unknown role entry {bad[0]!r} (use \"@customer\" or \"@provider\")")
        ctx[key] = tuple(v.lower() for v in val)
    return Rule(id=obj["id"], topic=obj["topic"], polarity=obj["polarity"], pattern=tuple(pattern),
                negation=negation, subject=subject, subject_strict=bool(obj.get("subject_strict", False)),
                subject_polarity=dict(sp), context_any=ctx["context_any"], context_none=ctx["context_none"], context_also=ctx["context_also"],
                source=where, max_len=_max_len(pattern))


def load_rules(paths=None) -> tuple[Rule, ...]:
    """Read and validate every rule file (default: patterns/*.jsonl, sorted); raise RuleFileError."""
    paths = sorted(PATTERN_DIR.glob("*.jsonl")) if paths is None else [Path(p) for p in paths]
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in paths:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            where = f"{path.name}:{lineno}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RuleFileError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from None
            rule = parse_rule(obj, where)
            if _is_wildcard(rule.pattern[0]) or _is_wildcard(rule.pattern[-1]):
                raise RuleFileError(f"{where}: a pattern must not start or end with a wildcard")
            if rule.id in seen:
                raise RuleFileError(f"{where}: duplicate rule id {rule.id!r} (first at {seen[rule.id]})")
            seen[rule.id] = where
            rules.append(rule)
    if not rules:
        raise RuleFileError(f"{PATTERN_DIR}: no rules found")
    return tuple(rules)


@cache
def default_rules() -> tuple[Rule, ...]:
    """Return the validated rules of the shipped pattern files (cached per process)."""
    return load_rules()


def patterns_digest(paths=None) -> str:
    """Return a short sha256 over the pattern files' names and bytes (for CHECKER_VERSION)."""
    paths = sorted(PATTERN_DIR.glob("*.jsonl")) if paths is None else sorted(Path(p) for p in paths)
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()[:12]
