"""Defined terms and party roles (`party_roles`).

Who is the customer and who is the provider differs per document: "you"/"Licensee"/"Customer" on one
side, "we"/"Licensor"/"Provider"/"Meta"/"Company" on the other. `find_party_roles(text)` reads the
definitions of the whole document once (`"Licensor" means ...`, `Acme Inc. ("Acme", "we", "us")`,
`"Licensee" or "you" means ...`); the component then marks each mention with `token._.role`
("customer" | "provider" | None) so rules can tell "Licensor owns derivatives" from "you own derivatives".
"""
import re

from spacy.language import Language
from spacy.tokens import Doc, Token

CUSTOMER = "customer"
PROVIDER = "provider"

DEFAULT_ROLES = {
    "you": CUSTOMER, "licensee": CUSTOMER, "licensees": CUSTOMER, "customer": CUSTOMER,
    "customers": CUSTOMER, "client": CUSTOMER, "recipient": CUSTOMER, "subscriber": CUSTOMER,
    "controller": CUSTOMER, "buyer": CUSTOMER, "purchaser": CUSTOMER,
    "we": PROVIDER, "us": PROVIDER, "licensor": PROVIDER, "licensors": PROVIDER, "provider": PROVIDER,
    "vendor": PROVIDER, "supplier": PROVIDER, "company": PROVIDER, "processor": PROVIDER,
    "contributor": PROVIDER, "contributors": PROVIDER, "author": PROVIDER, "authors": PROVIDER,
    "copyright holders": PROVIDER, "holders": PROVIDER,
}
# Possessive determiners never act as the subject of a clause, but their role still tells whose thing it is.
POSSESSIVE = {"your": CUSTOMER, "our": PROVIDER}
_CUSTOMER_HINTS = ("you", "licensee", "customer", "the individual or entity", "person or entity", "user")
_PROVIDER_WORDS = {"we", "us", "our", "licensor", "provider", "company", "vendor", "supplier"}
_CUSTOMER_WORDS = {"you", "your", "licensee", "customer", "client", "subscriber"}

_Q = "[\"“”'‘’]"
# "Licensor" means ... / "Meta" or "we" means ... / "You" (or "Your") shall mean ...
_DEF_MEANS = re.compile(
    rf"((?:{_Q}[^\"“”\n]{{1,40}}{_Q}\s*(?:,|or|and|\(or)?\s*)+)\)?\s*(?:shall\s+)?(?:means?|refers?\s+to|is)\b([^\n]{{0,160}})",
)
# Company-name endings written in lower case ("Orvane plc", "Acme Labs, s.r.o.")
_LOWER_SUFFIXES = r"(?:plc|ltd\.?|llc|inc\.?|gmbh|ag|s\.?a\.?|s\.?r\.?o\.?|b\.?v\.?|n\.?v\.?|s\.?p\.?a\.?|a/s|oy|ab|limited|co\.)"
# Acme, Inc. ("Acme", "we", "us") / Customer (as defined ... "Customer") -- parenthetical definitions
_DEF_PAREN = re.compile(r"([A-Z][\w&.,'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|" + _LOWER_SUFFIXES + r")){0,4})\s*\(((?:[^()]{0,40}?" + _Q + r"[^\"“”]{1,40}" + _Q + r"[^()]{0,30}){1,6})\)")
_QUOTED = re.compile(rf"{_Q}([^\"“”]{{1,40}}?){_Q}")


def _role_of_terms(terms: list[str], definiens: str = "") -> str | None:
    low = {t.lower() for t in terms}
    if low & _PROVIDER_WORDS:
        return PROVIDER
    if low & _CUSTOMER_WORDS:
        return CUSTOMER
    d = definiens.lower()
    if d.startswith((" you", " the individual", " the person", " the entity", " any person", " the customer",
                     " a person", " an individual", " the licensee", " licensee")):
        return CUSTOMER
    return None


_ACTOR = re.compile(r"\b([A-Z][A-Za-z]{2,})(?:’s|'s)?\s+(?:will|may|shall|must|reserves|grants|agrees|retains|owns|"
                    r"does|is not|makes|provides|disclaims|can)\b")
_NOT_ACTORS = {"customer", "you", "licensee", "user", "users", "either", "each", "neither", "the", "this", "that",
               "party", "parties", "section", "agreement", "terms", "such", "any", "no", "we", "it", "they", "he", "she",
               "there", "these", "those", "all", "services", "service", "software", "model", "company", "provider",
               "licensor", "recipient", "controller", "processor", "notice", "if", "nothing", "affiliates", "output",
               "outputs", "content", "data", "order", "fees", "payment", "client", "subscriber", "contributor", "work"}


def _frequent_actor(text: str) -> str | None:
    """Return the lower-case company name most often acting as a subject ("Acme may ...", "Acme will ..."),
    when no definition named the provider; None when no name acts at least 3 times."""
    counts: dict[str, int] = {}
    for m in _ACTOR.finditer(text):
        low = m.group(1).lower()
        if low not in _NOT_ACTORS and low not in DEFAULT_ROLES:
            counts[low] = counts.get(low, 0) + 1
    if not counts:
        return None
    name, count = max(counts.items(), key=lambda kv: kv[1])
    return name if count >= 3 else None


def find_party_roles(text: str, *, limit: int = 200_000) -> dict[str, str]:
    """Return {lower-case term: "customer"|"provider"} from the definitions in the first `limit` chars of
    `text`, merged over DEFAULT_ROLES. Multi-word names map by their first word (e.g. "mistral")."""
    roles = dict(DEFAULT_ROLES)
    head = text[:limit]
    found: dict[str, str] = {}
    for m in _DEF_MEANS.finditer(head):
        terms = _QUOTED.findall(m.group(1))
        role = _role_of_terms(terms, m.group(2))
        if role is None:
            continue
        for t in terms:
            found[t.lower()] = role
        if role == PROVIDER:  # "Meta" or "we" means Meta Platforms ... -> the company's own name
            name = re.match(r"\s*((?:[A-Z][\w&'’-]+\s?){1,3})", m.group(2))
            if name:
                found.setdefault(name.group(1).split()[0].lower(), PROVIDER)
    for m in _DEF_PAREN.finditer(head):
        terms = _QUOTED.findall(m.group(2))
        role = _role_of_terms(terms)
        if role is None:
            continue
        for t in terms:
            found[t.lower()] = role
        first = m.group(1).split()[0].strip(",").lower()
        if first not in ("the", "this", "each", "any", "a", "an", "such"):
            found.setdefault(first, role)
    if not any(r == PROVIDER and t not in DEFAULT_ROLES for t, r in found.items()):
        name = _frequent_actor(head)
        if name:
            found[name] = PROVIDER
    for term, role in found.items():
        key = term.split()[0] if " " in term and term.split()[0] not in ("the", "a") else term
        if term.startswith("the "):
            key = term[4:].split()[0] if term[4:] else term
        # never let a generic word flip a default the other way round
        if key in DEFAULT_ROLES and DEFAULT_ROLES[key] != role and key in ("you", "we", "us"):
            continue
        roles[key] = role
    return roles


if not Token.has_extension("role"):
    Token.set_extension("role", default=None)
if not Doc.has_extension("party_roles"):
    Doc.set_extension("party_roles", default=None)


@Language.factory("party_roles", assigns=["token._.role"])
def make_party_roles(nlp, name):
    """Build the role tagger. The per-document map comes from `doc._.party_roles` (set by the caller from
    `find_party_roles`), else DEFAULT_ROLES."""
    return PartyRoles()


class PartyRoles:
    """Mark tokens naming a party with `token._.role`. Names other than the generic role words (e.g.
    "Meta") count only when capitalised, so the verb "meta" or "stability" in prose is not a party.
    Reads lower-case hashes with one `doc.to_array` pass and touches only the party tokens."""

    _CAPITALISED_ONLY = frozenset({"company", "provider", "processor", "controller", "customer", "recipient",
                                   "client", "contributor", "contributors", "author", "authors", "holders"})

    def __init__(self):
        self._tables: dict[frozenset, dict[int, tuple[str, str]]] = {}

    def _table(self, doc, roles: dict) -> dict:
        # Keyed by content, never by id(roles): a freed dict's id is reused by the next document's map,
        # which then read the previous document's parties (order-dependent findings; issue 3).
        key = frozenset(roles.items())
        table = self._tables.get(key)
        if table is None:
            strings = doc.vocab.strings
            table = {strings.add(k): (k, v) for k, v in roles.items()}
            table.update({strings.add(k): (k, v) for k, v in POSSESSIVE.items()})
            if len(self._tables) > 16:
                self._tables.clear()
            self._tables[key] = table
        return table

    def __call__(self, doc):
        from spacy.attrs import LOWER

        roles = doc._.party_roles or DEFAULT_ROLES
        table = self._table(doc, roles)
        found: dict[int, str] = {}
        doc.user_data["roles"] = found
        for i, h in enumerate(doc.to_array(LOWER).tolist()):
            hit = table.get(h)
            if hit is None:
                continue
            low, role = hit
            tok = doc[i]
            if low not in DEFAULT_ROLES and low not in POSSESSIVE and not tok.text[:1].isupper():
                continue
            if low in self._CAPITALISED_ONLY and not tok.text[:1].isupper():
                continue
            tok._.role = role
            found[i] = role
        return doc
