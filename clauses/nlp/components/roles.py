"""Defined terms and party roles (`party_roles`).

Who is the customer and who is the provider differs per document: "you"/"Licensee"/"Customer" on one
side, "we"/"Licensor"/"Provider"/"Meta"/"Company" on the other. `find_party_roles(text)` reads the whole
document once; the component then marks each mention with `token._.role` ("customer" | "provider" | None)
so rules can tell "Licensor owns derivatives" from "you own derivatives".

How one document's roles are decided, strongest first:
1. Definitions: `"Licensor" means ...`, `"Licensee" or "you" means ...`, `Acme Inc. ("Acme", "we", "us")`.
2. The parties of the preamble (`between X, a Delaware corporation ("Acme"), and Y (hereinafter referred to
   as "Distributor")`, `(the "Provider")`, all-caps names, Inc./Ltd./GmbH/plc): a party whose defined term is
   a role word takes that role -- Licensor, (Service) Provider, Vendor, Supplier, Seller, Consultant,
   Contractor, Manufacturer, Franchisor are the provider; Licensee, Customer, Client, Purchaser, Buyer,
   Distributor, Reseller, Dealer, Subscriber, Franchisee the customer -- and its company name (first word,
   "zentrix") gets the same role. A reseller or distributor buys from the other side, so it is the customer.
3. In a two-party preamble, the other party takes the opposite role: a bare name ("Acme") or a term that
   names a side only weakly ("Company", "Developer", "Host"): the "Company" of a consulting agreement is
   the customer, the "Company" beside a "Distributor" the provider.
4. When no term says, the text decides: the party that grants the licence ("X hereby grants to Y"), that
   shall provide / perform / supply / deliver / host / develop, or that is paid, is the provider; the one
   granted to or paying is the customer (a margin of 2 mentions). "Company" beside a bare name with
   nothing else said stays the provider (its meaning in online terms).
5. Two named parties and still no sign: both stay unknown -- rules then treat the subject as unknown,
   which is safer than a wrong side. With no two-party preamble (online terms), the name most often
   acting as a subject ("Zentrix may ...", at least 3 times) is the provider.
"""
import re
from itertools import compress

from spacy.language import Language
from spacy.tokens import Doc, Token

from clauses.nlp.components.ext import get_doc_ext, token_key
from clauses.nlp.components.topics import token_columns
from clauses.nlp.values import JURISDICTION

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
    # "Users" / "End Users" / "Authorized Users" act for the customer unless the document defines them
    # otherwise (capitalised only, see PartyRoles)
    "user": CUSTOMER, "users": CUSTOMER,
    # commercial contracts (tagged only when capitalised, see PartyRoles)
    "distributor": CUSTOMER, "reseller": CUSTOMER, "dealer": CUSTOMER, "franchisee": CUSTOMER,
    "consultant": PROVIDER, "contractor": PROVIDER, "seller": PROVIDER, "manufacturer": PROVIDER,
    "franchisor": PROVIDER,
}
# Possessive determiners never act as the subject of a clause, but their role still tells whose thing it is.
POSSESSIVE = {"your": CUSTOMER, "our": PROVIDER}
_CUSTOMER_HINTS = ("you", "licensee", "customer", "the individual or entity", "person or entity", "user")

_Q = "[\"“”'‘’]"
# "Licensor" means ... / "Meta" or "we" means ... / "You" (or "Your") shall mean ...
_DEF_MEANS = re.compile(
    rf"((?:{_Q}[^\"“”'‘’\n]{{1,40}}{_Q}(?:\s*(?:,|or|and|\(or))?\s*){{1,6}})\)?\s*(?:shall\s+)?(?:means?|refers?\s+to|is)\b"
    rf"([^\n]{{0,160}})",
)
# Company-name endings written in lower case ("Orvane plc", "Acme Labs, s.r.o.")
_LOWER_SUFFIXES = r"(?:plc|ltd\.?|llc|inc\.?|gmbh|ag|s\.?a\.?|s\.?r\.?o\.?|b\.?v\.?|n\.?v\.?|s\.?p\.?a\.?|a/s|oy|ab|limited|co\.)"
# Acme, Inc. ("Acme", "we", "us") / Customer (as defined ... "Customer") -- parenthetical definitions
_DEF_PAREN = re.compile(r"([A-Z][\w&.,'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|" + _LOWER_SUFFIXES + r")){0,4})\s*\("
                        r"((?:[^()\"“”]{0,40}?" + _Q + r"[^\"“”]{1,40}" + _Q + r"){1,6}[^()\"“”]{0,30})\)")
_QUOTED = re.compile(rf"{_Q}([^\"“”]{{1,40}}?){_Q}")
# The definition patterns are written so that a failed match cannot backtrack exponentially (a quoted
# term holds no quote mark; fillers between terms hold none either; repetition is bounded): a CUAD contract
# listing quoted service marks separated by runs of spaces once pinned the reader (tests/.../test_hostile_text.py).
# the bracket of a preamble definition: ("Acme"), (the "Provider"), (hereinafter referred to as "Distributor")
_DEF_PAREN_INNER = re.compile(r"\(((?:[^()\"“”]{0,40}?[\"“][^\"“”]{1,40}[\"”]){1,6}[^()\"“”]{0,30})\)")


def _role_of_terms(terms: list[str], definiens: str = "") -> str | None:
    """Return the role a definition gives its terms: a provider word ("we", "Licensor", "Supplier") wins,
    then a customer word ("you", "Distributor"), then a definiens naming a person ("means the individual
    ..."), then a weak provider word ("Company"); None for names alone."""
    roles = [_term_role(t) for t in terms]
    if any(r == PROVIDER and not w for r, w in roles):
        return PROVIDER
    if any(r == CUSTOMER for r, _w in roles):
        return CUSTOMER
    d = definiens.lower()
    if d.startswith((" you", " the individual", " the person", " the entity", " any person", " the customer",
                     " a person", " an individual", " the licensee", " licensee")):
        return CUSTOMER
    if any(r == PROVIDER for r, _w in roles):
        return PROVIDER
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


# Role words a party's defined term can be (`("Distributor")`, `(hereinafter referred to as "Service Provider")`).
# A multi-word term is read by its last word ("Exclusive Distributor", "Service Provider").
PROVIDER_TERMS = frozenset({"licensor", "licensors", "provider", "vendor", "supplier", "seller", "consultant",
                            "contractor", "manufacturer", "franchisor", "processor", "we", "us", "our", "servicer"})
CUSTOMER_TERMS = frozenset({"licensee", "licensees", "customer", "client", "purchaser", "buyer", "distributor",
                            "reseller", "dealer", "subscriber", "franchisee", "recipient", "you", "your", "user",
                            "controller"})
# Terms that name a side only weakly: "Company" is the provider in online terms but the customer of a
# "Consultant" and the supplier of a "Distributor"; "Developer" builds on an API or for a client.
WEAK_PROVIDER_TERMS = frozenset({"company", "developer", "host"})
_NOT_PARTY_TERMS = frozenset({"agreement", "effective date", "execution date", "party", "parties", "services",
                              "service", "products", "product", "territory", "term", "site", "goods", "software",
                              "recitals", "schedule", "exhibit", "affiliate", "affiliates", "closing", "closing date",
                              "person", "persons", "entity", "third party"})
# [ \t]* not \s*: "^\s*" under re.M rescans every following blank line from each line start (quadratic)
_PREAMBLE_START = re.compile(r"\b(?:between|among)\b|^[ \t]*(?:parties|the parties)\b|^[ \t]*\(1\)", re.I | re.M)
_PREAMBLE_END = re.compile(r"\b(?:WHEREAS|Whereas|RECITALS?|Recitals|BACKGROUND|Background|NOW,? THEREFORE|"
                           r"Now,? [Tt]herefore|IN CONSIDERATION|In consideration)\b")
_SUFFIX = (r"(?:Inc|Incorporated|Corp|Corporation|Ltd|Limited|LLC|L\.L\.C|GmbH|Gmbh|plc|PLC|AG|S\.A|SA|SAS|Pte|Pty|"
           r"Company|Co|LP|L\.P|LLP|N\.V|B\.V|S\.p\.A|AB|Oy|INC|INCORPORATED|CORP|CORPORATION|LTD|LIMITED|"
           r"GMBH|COMPANY|CO|PTE|PTY)\b")
_NAME_RUN = re.compile(r"((?:[A-Z][\w&'’.-]*,?\s+){1,6}?)" + _SUFFIX)
_COMPANY_MARK = re.compile(_SUFFIX + r"|\b(?:corporation|company|organi[sz]ed|incorporated|an individual|"
                           r"principal (?:place|office)|offices? at|located at|address)\b")
_NAME_STOP = frozenset({"the", "this", "a", "an", "and", "between", "by", "among", "of"})


_SUFFIX_WORDS = frozenset({"inc", "corp", "ltd", "llc", "co", "pte", "pty", "plc", "gmbh", "ag", "sa", "bv", "nv", "lp",
                           "limited", "corporation", "company", "incorporated"})
# Ordinary words companies put first in their names ("Network Associates", "The Associated Press"): as a
# party key they would tag every capitalised "Network" or "Group" of the text.
_COMMON_NAME_WORDS = frozenset("""software network networks technical technology technologies tech group global
    international associated associates general united american national first new data systems system solutions
    services service digital media health medical capital financial energy industries industrial holdings
    partners labs lab mine mining deliveries delivery driven mortgage bank trust consumer advanced applied
    integrated premier royal standard universal central china asia pacific north south east west world
    entertainment communications computer information interactive online web internet products product
    research development management marketing consulting supplies supply trading document documents hong kong
    san los las saint st great""".split())


def _usable_name(key: str | None, text: str) -> bool:
    """Return True when `key` can stand for a party in `text`: a name, not a place ("Florida Chemical
    Company"), a company suffix, or an ordinary word that the text also uses in lower case ("Software",
    "Network", "Technical" in "Technical Casino Supplies"): tagging every "Software" would be wrong."""
    if not key or key in _NAME_STOP or key in _SUFFIX_WORDS or key in DEFAULT_ROLES or key in _COMMON_NAME_WORDS:
        return False
    if not re.fullmatch(r"[a-z][a-z0-9&'-]+(?:\.com)?", key) or JURISDICTION.fullmatch(key):
        return False
    return re.search(rf"(?<![A-Za-z]){re.escape(key)}(?![A-Za-z])", text) is None


def _term_role(term: str) -> tuple[str | None, bool]:
    """Return (role, weak) for one defined term: ("provider", False) for "Supplier", ("customer", False)
    for "the Distributor", ("provider", True) for "Company", (None, False) for a name such as "Acme"."""
    words = term.lower().replace("’", "'").split()
    if words and words[0] == "the":
        words = words[1:]
    if not words:
        return None, False
    for w in (" ".join(words), words[-1]):
        if w in PROVIDER_TERMS:
            return PROVIDER, False
        if w in CUSTOMER_TERMS:
            return CUSTOMER, False
        if w in WEAK_PROVIDER_TERMS:
            return PROVIDER, True
    return None, False


def _term_key(term: str) -> str:
    """Return the single lower-case word the tagger looks for: the role word of a multi-word role term
    ("Service Provider" -> "provider"), else the first word ("Acme Cloud" -> "acme")."""
    words = term.lower().strip(" ,.;:").split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    if not words:
        return term.lower()
    if len(words) > 1 and _term_role(words[-1])[0] is not None:
        return words[-1]
    return words[0]


def _name_key(segment: str) -> str | None:
    """Return the first word (lower case) of the last company name ("Zentrix Robotics, Inc.") in `segment`."""
    runs = list(_NAME_RUN.finditer(segment))
    if runs:
        words = runs[-1].group(1).replace(",", " ").split()
    else:  # "between Zentrix Robotics, a Delaware corporation": the name right after the anchor word
        anchors = list(re.finditer(r"(?:\bbetween|\bamong|\band|\(\d\))\s+", segment))
        rest = segment[anchors[-1].end():] if anchors else segment
        m = re.match(r"((?:[A-Z][\w&'’.-]*\s*){1,4}?)(?:,?\s+(?:an?|the)\s[^()]*)?\s*$", rest)
        words = m.group(1).split() if m else []
    for word in words:
        low = word.lower()
        if low not in _NAME_STOP and low.isascii() and re.fullmatch(r"[a-z][a-z0-9&.'-]*", low):
            return low.rstrip(".")
    return None


def _preamble_parties(head: str) -> list[dict]:
    """Return the parties defined in the preamble: [{"terms": [...], "name": key | None}, ...] in order
    (at most 4). A parenthetical definition counts as a party when its term is a role word or the text
    before it names a company ("Inc.", "a Delaware corporation", "with offices at")."""
    m = _PREAMBLE_START.search(head, 0, 20_000)
    # the parties may come before the word "between" ("ACME CORP. ("Acme") and X ("Y") agree ...")
    start = max(0, m.start() - 1500) if m else 0
    end_m = _PREAMBLE_END.search(head, (m.end() if m else 0), start + 6000)
    end = end_m.start() if end_m else min(len(head), start + 6000)
    parties: list[dict] = []
    prev = start
    for pm in _DEF_PAREN_INNER.finditer(head, start, end):
        terms = [t.strip() for t in _QUOTED.findall(pm.group(1)) if t.strip()]
        seg = head[max(prev, pm.start() - 300):pm.start()]
        prev = pm.end()
        if not terms or all(t.lower().removeprefix("the ") in _NOT_PARTY_TERMS for t in terms):
            continue
        if any(re.search(r"\bparty\b|\bparties\b", t, re.I) for t in terms):
            continue
        roles = [_term_role(t) for t in terms]
        if not any(r for r, _w in roles) and not _COMPANY_MARK.search(seg):
            continue
        if any({t.lower() for t in terms} == {t.lower() for t in q["terms"]} for q in parties):
            continue  # the same party named again (a cover page and the preamble)
        parties.append({"terms": terms, "name": _name_key(seg)})
        if len(parties) >= 4:
            break
    return parties


_GRANTS = re.compile(r"\s+(?:hereby\s+)?(?:grants|shall\s+grant|will\s+grant|agrees\s+to\s+grant|licenses)\b")
_PROVIDES = re.compile(r"\s+(?:shall|will|agrees\s+to|must)\s+(?:\w+\s+){0,2}?(?:provide|perform|supply|deliver|host|"
                       r"develop|design|manufacture|maintain|render|sell)\b")
_PAYS = re.compile(r"\s+(?:shall|will|agrees\s+to|must)\s+(?:\w+\s+){0,2}?pay\b")
_GRANTED_TO = re.compile(r"\b(?:grants?|licenses?)\s+(?:to\s+)?$")
_PAID = re.compile(r"\bpay\s+(?:to\s+)?$")


def _grant_score(text: str, term: str) -> int:
    """Return provider evidence minus customer evidence for a party called `term` in `text`: granting a
    licence (2), providing / performing / supplying / delivering / hosting / developing (1), or being paid
    (1) count for the provider; being granted to (2), or paying (1), for the customer."""
    score = 0
    for m in re.finditer(rf"\b{re.escape(term)}\b", text):
        if _GRANTS.match(text, m.end()):
            score += 2
        elif _PROVIDES.match(text, m.end()):
            score += 1
        elif _PAYS.match(text, m.end()):
            score -= 1
        before = text[max(0, m.start() - 20):m.start()]
        if _GRANTED_TO.search(before):
            score -= 2
        elif _PAID.search(before):
            score += 1
    return score


def _resolve_parties(parties: list[dict], text: str) -> list[str | None]:
    """Return one role (or None) per preamble party (rules in the module docstring)."""
    out: list[str | None] = []
    weak: list[bool] = []
    for p in parties:
        roles = [_term_role(t) for t in p["terms"]]
        strong = [r for r, w in roles if r and not w]
        soft = [r for r, w in roles if r and w]
        out.append(strong[0] if strong else None)
        weak.append(not strong and bool(soft))
    if len(parties) == 2:
        known = [r for r in out if r]
        if len(known) == 1:  # the other side of a known party
            other = CUSTOMER if known[0] == PROVIDER else PROVIDER
            out = [r or other for r in out]
        elif not known:
            names = [next((t for t in p["terms"] if _term_role(t)[0] is None or _term_role(t)[1]), p["terms"][0])
                     for p in parties]
            a, b = (_grant_score(text, n) for n in names)
            if a - b >= 2:
                out = [PROVIDER, CUSTOMER]
            elif b - a >= 2:
                out = [CUSTOMER, PROVIDER]
            elif weak[0] != weak[1]:  # "Company" beside a bare name, nothing else said: Company provides
                out = [PROVIDER, CUSTOMER] if weak[0] else [CUSTOMER, PROVIDER]
    else:
        out = [r or (PROVIDER if w else None) for r, w in zip(out, weak, strict=True)]
    return out


_USER_TERMS = frozenset({"user", "users", "end user", "end users", "authorized user", "authorized users",
                         "authorised user", "authorised users"})


def _define_users(terms: list[str], definiens: str, found: dict) -> None:
    """'"Users" means the staff of the Provider ...': a definition of the user words whose definiens names
    only the provider side puts them on that side (by default they act for the customer)."""
    keys = [_term_key(t) for t in terms if t.lower().strip() in _USER_TERMS]
    if not keys:
        return
    words = set(re.findall(r"[a-z]+", definiens.lower()))
    if any(DEFAULT_ROLES.get(w) == PROVIDER for w in words) and not any(DEFAULT_ROLES.get(w) == CUSTOMER for w in words):
        for k in keys:
            found[k] = PROVIDER


def find_party_roles(text: str, *, limit: int = 200_000) -> dict[str, str]:
    """Return {lower-case word: "customer"|"provider"} for `text` (its first `limit` chars), merged over
    DEFAULT_ROLES; the order of evidence is in the module docstring. Multi-word names map by their first
    word ("mistral"), multi-word role terms by their role word ("Service Provider" -> "provider")."""
    roles = dict(DEFAULT_ROLES)
    head = text[:limit]
    found: dict[str, str] = {}
    parties = _preamble_parties(head)
    resolved = _resolve_parties(parties, head)
    for p, role in zip(parties, resolved, strict=True):
        if role is None:
            continue
        for t in p["terms"]:
            found[_term_key(t)] = role
        if _usable_name(p["name"], head):
            found.setdefault(p["name"], role)
    strong_defs: dict[str, str] = {}
    for m in _DEF_MEANS.finditer(head):
        terms = _QUOTED.findall(m.group(1))
        role = _role_of_terms(terms, m.group(2))
        if role is None:
            _define_users(terms, m.group(2), found)
            continue
        weak = all(_term_role(t)[1] or _term_role(t)[0] is None for t in terms) and not m.group(2).lower().startswith(
            (" you", " the individual", " the person", " the entity", " any person", " a person", " an individual"))
        for t in terms:
            key = _term_key(t)
            if weak and key in found:
                continue  # "Company" means ... : the preamble already said which side the Company is
            if not weak:
                strong_defs[key] = role
            found[key] = role
        if role == PROVIDER:  # "Meta" or "we" means Meta Platforms ... -> the company's own name
            name = re.match(r"\s*((?:[A-Z][\w&'’-]+\s?){1,3})", m.group(2))
            if name and _usable_name(name.group(1).split()[0].lower(), head):
                found.setdefault(name.group(1).split()[0].lower(), PROVIDER)
    for m in _DEF_PAREN.finditer(head):
        terms = _QUOTED.findall(m.group(2))
        role = _role_of_terms(terms)
        if role is None:
            continue
        for t in terms:
            found.setdefault(_term_key(t), role)
        first = _name_key(m.group(1) + " ") or m.group(1).split()[0].strip(",").lower()
        if first not in ("each", "any", "such") and _usable_name(first, head):
            found.setdefault(first, role)
    # two named parties and no sign of who provides: leave both unknown rather than guess
    if len(parties) < 2 and PROVIDER not in resolved and not any(r == PROVIDER and t not in DEFAULT_ROLES for t, r in found.items()):
        name = _frequent_actor(head)
        if name and name not in found:
            found[name] = PROVIDER
    for term, role in found.items():
        if term in _NOT_PARTY_TERMS or JURISDICTION.fullmatch(term):
            continue  # ("Affiliate"), ("Exhibit A"), ("Delaware"): never a party word
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
    """Mark tokens naming a party with `token._.role` and keep the marks as `doc.user_data["roles"]`
    ({token index: role}, ascending). Names other than the generic role words (e.g. "Meta") count only
    when capitalised, so the verb "meta" or "stability" in prose is not a party.

    Speed: no Python loop over the Doc's tokens and no Token objects. The lower-case hashes come from
    `token_columns` (the lemmatizer has already read them); `itertools.compress` over a set-membership map
    finds the party tokens in C; capitalisation is read from the Doc text at the token's offset
    (`doc.user_data["text"]`/`["idx"]` of the sentencizer); and the extension value is written where
    spaCy's Underscore keeps it (`ext.token_key`), which is what `tok._.role = role` does."""

    _CAPITALISED_ONLY = frozenset({"company", "provider", "processor", "controller", "customer", "recipient",
                                   "client", "contributor", "contributors", "author", "authors", "holders",
                                   "distributor", "reseller", "dealer", "franchisee", "consultant", "contractor",
                                   "seller", "manufacturer", "franchisor", "user", "users"})
    # words tagged in lower case too: the generic role words and the possessives (everything else only
    # when its first letter is upper case)
    _ANY_CASE = (frozenset(DEFAULT_ROLES) | frozenset(POSSESSIVE)) - _CAPITALISED_ONLY

    def __init__(self):
        self._tables: dict[frozenset, dict[int, tuple[str, str, bool]]] = {}
        self._last: tuple | None = None  # (the roles dict last seen, a copy of it, its table)

    MAX_TABLES = 16  # role tables kept (one per party map seen)

    def _table(self, doc, roles: dict) -> dict:
        """Return {lower-case hash: (word, role, needs a capital)} for the role map `roles`."""
        last = self._last
        if last is not None and last[0] is roles and last[1] == roles:
            return last[2]  # the same map as the previous Doc of this document (one map per document)
        # Keyed by content, never by id(roles): a freed dict's id is reused by the next document's map,
        # which then read the previous document's parties (order-dependent findings; issue 3). The
        # identity shortcut above holds a reference to the dict (so its id cannot be reused) and compares
        # the content too.
        key = frozenset(roles.items())
        table = self._tables.get(key)
        if table is None:
            strings = doc.vocab.strings
            table = {strings.add(k): (k, v) for k, v in roles.items()}
            table.update({strings.add(k): (k, v) for k, v in POSSESSIVE.items()})
            table = {h: (low, role, low not in self._ANY_CASE) for h, (low, role) in table.items()}
            if len(self._tables) > self.MAX_TABLES:
                self._tables.clear()
            self._tables[key] = table
        self._last = (roles, dict(roles), table)
        return table

    def __call__(self, doc):
        roles = get_doc_ext(doc, "party_roles") or DEFAULT_ROLES  # == doc._.party_roles (components/ext.py)
        table = self._table(doc, roles)
        found: dict[int, str] = {}
        doc.user_data["roles"] = found
        lowers = token_columns(doc)[0]
        hits = list(compress(range(len(lowers)), map(table.__contains__, lowers)))
        if not hits:
            return doc
        text, idx = doc.user_data.get("text"), doc.user_data.get("idx")
        if not text or idx is None or len(idx) != len(lowers):
            text, idx = doc.text, [t.idx for t in doc]
        user_data = doc.user_data
        for i in hits:
            _low, role, needs_capital = table[lowers[i]]
            start = idx[i]
            if needs_capital and not text[start].isupper():
                continue
            user_data[token_key("role", start)] = role  # == doc[i]._.role = role (components/ext.py)
            found[i] = role
        return doc
