"""Value extraction from evidence sentences: jurisdictions, durations, user/revenue thresholds.

Pure functions over strings; offsets are relative to the string passed in.
"""
import re

_UNITS = {"hour": 1 / 24, "day": 1, "business day": 7 / 5, "calendar day": 1, "working day": 7 / 5,
          "week": 7, "month": 30, "year": 365}
_SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_BELOW100 = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|"
             r"eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
             r"sixteen|seventeen|eighteen|nineteen)")
_NUMWORD = (rf"(?:(?:(?:one|a|two|three|four|five|six|seven|eight|nine)[\s-]+)?hundred(?:[\s-]+(?:and[\s-]+)?{_BELOW100})?"
            rf"|{_BELOW100}|an|a)")
DURATION = re.compile(
    rf"\b(?P<num>\d{{1,4}}|{_NUMWORD})(?:\s*\(\s*(?P<paren>\d{{1,4}})\s*\))?[\s-]*"
    rf"(?P<unit>(?:business|calendar|working)\s+days?|hours?|hrs?|days?|weeks?|months?|years?)\b",
    re.I,
)


def word_number(s: str) -> int | None:
    """Return the integer for a numeral or English number word ("thirty", "twenty-one", "a"), else None."""
    s = s.lower().strip()
    if s.isdigit():
        return int(s)
    if s in ("a", "an"):
        return 1
    if "hundred" in s:  # "one hundred and eighty", "two hundred"
        left, _, right = s.partition("hundred")
        right = re.sub(r"^[\s-]*(?:and[\s-]+)?", "", right)
        lo = word_number(left.strip(" -")) if left.strip(" -") else 1
        hi = word_number(right) if right else 0
        return None if lo is None or hi is None else lo * 100 + hi
    if s in _SMALL:
        return _SMALL[s]
    parts = re.split(r"[- ]", s)
    if parts[0] in _TENS:
        return _TENS[parts[0]] + (_SMALL.get(parts[1], 0) if len(parts) > 1 else 0)
    return None


def durations(text: str) -> list[dict]:
    """Return durations in `text`: [{"text", "start", "end", "days", "hours"}] in order of appearance."""
    out = []
    for m in DURATION.finditer(text):
        n = int(m.group("paren")) if m.group("paren") else word_number(m.group("num"))
        if n is None:
            continue
        unit = m.group("unit").lower()
        unit = re.sub(r"s$", "", re.sub(r"\s+", " ", unit))
        unit = "hour" if unit == "hr" else unit
        days = n * _UNITS[unit]
        out.append({"text": m.group(0), "start": m.start(), "end": m.end(), "days": days, "hours": days * 24})
    return out


_NOTICE_AFTER = re.compile(r"^[’'s]*\s*(?:\(\s*\d+\s*\)\s*)?(?:(?:prior|advance|advanced|written|express|formal|of)\s+){0,3}"
                           r"(?:notice|notification)|^\s*(?:in\s+advance|before|prior\s+to)\b", re.I)
_NOTICE_BEFORE = re.compile(r"\b(?:notice|notify|notifies|notified|notification|posted|posting)\b[^;.]{0,40}$", re.I)


def notice_periods(text: str) -> list[dict]:
    """Return the durations of `text` that are notice periods ("90 days' prior written notice", "notify the
    customer at least 60 days before", "30 days after posting"), in the shape of durations(); when none is tied
    to notice, all durations (a sentence with a price change and a payment term keeps the notice period)."""
    found = durations(text)
    tied = [d for d in found if _NOTICE_AFTER.match(text[d["end"]:d["end"] + 40])
            or _NOTICE_BEFORE.search(text[max(0, d["start"] - 60):d["start"]])
            or re.match(r"\s+(?:after|following)\s+(?:they\s+are\s+|it\s+is\s+|being\s+)?(?:posted|notice|notif)",
                        text[d["end"]:d["end"] + 40], re.I)]
    return tied or found


_TERM_BEFORE = re.compile(r"\b(?:term|subscription|contract|agreement|engagement)\s+(?:period\s+)?(?:of\s+)?$", re.I)
_TERM_AFTER = re.compile(r"^[\s-]*(?:initial\s+)?(?:term|subscription|contract|engagement|commitment)\b", re.I)
_FOLLOW_UP_BEFORE = re.compile(r"\b(?:report|reports|update|updates|follow-?\s?up|root[-\s]cause|remediation|investigation|"
                               r"summary|analysis|results)\b[^;]*$", re.I)


def retention_periods(text: str) -> list[dict]:
    """Return the durations of a retention sentence that are not the length of a term or subscription ("During
    the initial term of 12 months, Provider deletes data within 30 days" -> 30 days); all of them when every
    duration reads as a term. Same shape as durations()."""
    found = durations(text)
    kept = [d for d in found if not _TERM_BEFORE.search(text[max(0, d["start"] - 30):d["start"]])
            and not _TERM_AFTER.match(text[d["end"]:d["end"] + 25])]
    return kept or found


def notice_deadlines(text: str) -> list[dict]:
    """Return the durations of a breach-notice sentence that bound the notice itself, not a follow-up report or
    update ("notify within 48 hours and send a full report within 30 days" -> 48 hours); all of them when every
    duration belongs to a follow-up. Same shape as durations()."""
    found = durations(text)
    kept = [d for d in found if not _FOLLOW_UP_BEFORE.search(text[max(0, d["start"] - 50):d["start"]])]
    return kept or found


# ------------------------------------------------------------------ jurisdictions
US_STATES = ("Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho "
             "Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota "
             "Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah "
             "Vermont Virginia Washington Wisconsin Wyoming").split() + [
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Rhode Island",
    "South Carolina", "South Dakota", "West Virginia", "District of Columbia"]
COUNTRIES = {
    "England and Wales": "England and Wales", "England & Wales": "England and Wales", "England": "England and Wales",
    "Scotland": "Scotland", "Northern Ireland": "Northern Ireland", "Ireland": "Ireland",
    "the United Kingdom": "United Kingdom", "United Kingdom": "United Kingdom",
    "People's Republic of China": "China", "People’s Republic of China": "China", "PRC": "China", "P.R.C.": "China",
    "China": "China", "Hong Kong": "Hong Kong", "Singapore": "Singapore", "France": "France", "Germany": "Germany",
    "the Netherlands": "Netherlands", "Netherlands": "Netherlands", "Switzerland": "Switzerland",
    "Sweden": "Sweden", "Spain": "Spain", "Italy": "Italy", "Japan": "Japan", "Korea": "South Korea",
    "India": "India", "Israel": "Israel", "Canada": "Canada", "Ontario": "Ontario", "British Columbia": "British Columbia",
    "Australia": "Australia", "New South Wales": "New South Wales", "Victoria": "Victoria", "Luxembourg": "Luxembourg",
    "Belgium": "Belgium", "Denmark": "Denmark", "Finland": "Finland", "Norway": "Norway", "Austria": "Austria",
    "Brazil": "Brazil", "Mexico": "Mexico", "United Arab Emirates": "United Arab Emirates",
    "United States of America": "United States", "the United States": "United States", "United States": "United States",
    "U.S.A.": "United States", "USA": "United States",
}
# Short names people write for ISO 3166 entries whose ISO name is formal or inverted ("Korea, Republic of").
_ISO_ALIASES = {"RU": ("Russia",), "TR": ("Turkey",), "VN": ("Vietnam",), "IR": ("Iran",), "SY": ("Syria",),
                "BO": ("Bolivia",), "VE": ("Venezuela",), "TZ": ("Tanzania",), "MD": ("Moldova",),
                "CZ": ("Czech Republic",), "KR": ("Republic of Korea",), "VG": ("BVI",), "MO": ("Macau",),
                "LA": ("Laos",), "KP": ("North Korea",), "BN": ("Brunei",), "CV": ("Cape Verde",)}
# Provinces and states chosen as governing law as often as the country (Canada, Australia); US states above.
_SUBDIVISION_COUNTRIES = ("CA", "AU")


def _iso_places() -> tuple[dict[str, str], dict[str, str]]:
    """Return ({written name: canonical name}, {province/state: country}) for every ISO 3166-1 country
    (pycountry's copy of the ISO list) and the ISO 3166-2 provinces/states of _SUBDIVISION_COUNTRIES.

    The canonical name is the common name when ISO gives one, else the name, else (for inverted names such as
    "Virgin Islands, British") the official name."""
    import pycountry

    names: dict[str, str] = {}
    parents: dict[str, str] = {}
    for c in pycountry.countries:
        written = [n for n in (getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)) if n]
        plain = [n for n in written if "," not in n]
        if not plain:
            continue
        canon = plain[0]
        for n in plain + list(_ISO_ALIASES.get(c.alpha_2, ())):
            names.setdefault(n, canon)
        if c.alpha_2 in _SUBDIVISION_COUNTRIES:
            for sub in pycountry.subdivisions.get(country_code=c.alpha_2) or ():
                names.setdefault(sub.name, sub.name)
                parents[sub.name] = canon
    return names, parents


_ISO_NAMES, _ISO_PARENTS = _iso_places()
COUNTRIES = {**_ISO_NAMES, **COUNTRIES}  # our own spellings win ("England" -> "England and Wales", "PRC")
_JUR_NAMES = sorted(set(COUNTRIES) | set(US_STATES), key=len, reverse=True)


def _name_trie(names: list[str]) -> str:
    """Return a regex alternation matching exactly `names` (case-insensitively, any run of whitespace where a
    name has a space), factored by common prefix: "New\\s+(?:York|Jersey|...)" instead of 500 flat branches.

    Same matches as the flat alternation of `names` sorted longest first: at a given position the names that
    match form a chain of prefixes of each other (a space matches a whole run of whitespace, the next
    character of a name is never a space), and in the trie a longer name is always tried before a name that
    is its prefix (a name ends after every branch that continues it), as longest-first does. Branches are
    keyed by the lower-cased character, which is exact for these names (no character with a special
    case-insensitive fold, such as the dotless i, and none whose lower case has another length).
    Ten times faster: `re` tries every branch of an alternation at each word boundary."""
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name.lower():
            node = node.setdefault(ch, {})
        node[""] = {}  # a name ends here

    def alternation(node: dict) -> str:
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + alternation(node[ch]) for ch in node if ch]
        branches += [""] if "" in node else []  # the shorter name last
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return alternation(trie)


# any run of spaces between the words: extracted text keeps justified spacing ("the  United  States")
JURISDICTION = re.compile(r"\b(" + _name_trie(_JUR_NAMES) + r")\b", re.I)
# a country named with one of its states/provinces reads as the state ("the laws of Ontario and the federal laws of
# Canada applicable therein" -> Ontario), as "United States" with a US state always did
PARENT = {**_ISO_PARENTS, "Ontario": "Canada", "British Columbia": "Canada", "New South Wales": "Australia",
          "Victoria": "Australia",
          "England and Wales": "United Kingdom", "Scotland": "United Kingdom", "Northern Ireland": "United Kingdom",
          **{state: "United States" for state in US_STATES}}
_CANON = {n.lower(): n for n in _JUR_NAMES}
_GOV_CONTEXT = re.compile(r"\b(?:govern\w*|construed|interpreted|laws?|courts?|venue|"
                          r"jurisdiction)\b", re.I)
# What a named place is in the sentence: the governing law, or only the forum (courts, venue). The word
# right after the name decides ("Delaware law", "California courts"), else the nearest cue before it ("the laws of
# England and Wales and the courts of Ireland"); a name with no cue before it and none right after is neither.
_LAW_CUE = re.compile(r"\b(?:laws?|governed|governs?|governing|construed|interpreted)\b", re.I)
_FORUM_CUE = re.compile(r"\b(?:courts?|venue|tribunals?|jurisdiction|forum|seated|arbitration)\b", re.I)
_STRONG_LAW_BEFORE = re.compile(r"\blaws?\s+of\s+(?:the\s+)?(?:(?:State|Commonwealth|Province|Republic)\s+of\s+)?$", re.I)
_LAW_BACKREF = re.compile(r"\blaws?\s+(?:thereof|of\s+(?:such|said|that|this)\s+(?:state|jurisdiction|country|province))\b",
                          re.I)
_ADJ_LAW = {"english": "England and Wales", "irish": "Ireland", "scottish": "Scotland", "french": "France",
            "german": "Germany", "dutch": "Netherlands", "swiss": "Switzerland", "swedish": "Sweden",
            "spanish": "Spain", "italian": "Italy", "japanese": "Japan", "indian": "India", "israeli": "Israel",
            "canadian": "Canada", "australian": "Australia", "belgian": "Belgium", "danish": "Denmark",
            "finnish": "Finland", "norwegian": "Norway", "austrian": "Austria", "brazilian": "Brazil",
            "mexican": "Mexico", "chinese": "China", "singaporean": "Singapore", "luxembourgish": "Luxembourg"}
# (a trie as JURISDICTION; no adjective is the start of another, so it finds what the flat list did)
ADJ_LAW = re.compile(r"\b(" + _name_trie(list(_ADJ_LAW)) + r")\s+(law|laws|courts?)\b", re.I)


def canonical_jurisdiction(name: str) -> str:
    """Return the canonical name ("People's Republic of China" -> "China", "State of New York" -> "New York")."""
    name = re.sub(r"^(?:the\s+)?(?:State|Commonwealth)\s+of\s+", "", re.sub(r"\s+", " ", name.strip()), flags=re.I)
    name = _CANON.get(name.lower(), name)
    return COUNTRIES.get(name, name)


def _role(text: str, start: int, end: int) -> str | None:
    nxt = re.match(r"[\s,'’s]*(\w+)", text[end:end + 30])
    if nxt and nxt.group(1).lower() in ("law", "laws"):
        return "law"
    if nxt and _FORUM_CUE.fullmatch(nxt.group(1)):
        return "forum"
    law = [m.end() for m in _LAW_CUE.finditer(text, 0, start)]
    forum = [m.end() for m in _FORUM_CUE.finditer(text, 0, start)]
    if not law and not forum:
        # "made in the State of California and governed by the laws thereof": the law points back to the place;
        # "use from outside Canada ... governing local laws": a place, not a choice
        return "law" if _LAW_BACKREF.search(text, end) else None
    return "forum" if forum and max(forum) > max(law, default=-1) else "law"


def jurisdictions(text: str) -> list[dict]:
    """Return jurisdictions named in a governing-law or forum sentence: [{"name", "text", "start", "end",
    "role": "law"|"forum"}]; each canonical name once (its first role), in order. Empty when the sentence has
    neither governing-law nor court/venue wording. "English law" / "Irish courts" read as the country."""
    if not _GOV_CONTEXT.search(text):
        return []
    found = [(m.start(1), m.end(1), m.group(1), canonical_jurisdiction(m.group(1)), None)
             for m in JURISDICTION.finditer(text)]
    found += [(m.start(1), m.end(1), m.group(1), _ADJ_LAW[m.group(1).lower()],
               "forum" if m.group(2).lower().startswith("court") else "law") for m in ADJ_LAW.finditer(text)]
    out, by_name = [], {}
    for start, end, raw, canon, role in sorted(found):
        # "Georgia" the country vs the state, "Washington" DC: accepted ambiguity, reported verbatim.
        role = role or _role(text, start, end)
        if role is None:
            continue
        if canon in by_name:  # named again: "the laws of X" / "X law" makes it the law, else the first role stays
            if _STRONG_LAW_BEFORE.search(text, 0, start) or re.match(r"[\s'’s]*laws?\b", text[end:end + 8], re.I):
                by_name[canon]["role"] = "law"
            continue
        by_name[canon] = {"name": canon, "text": raw, "start": start, "end": end, "role": role}
        out.append(by_name[canon])
    return out


def normalise_jurisdictions(value: str | None) -> frozenset:
    """Return the set of canonical jurisdictions named in a value string (for comparing values).

    A country is dropped when one of its states or provinces is also named (federal + state law reads as the
    state: "Ontario, Canada" == "Ontario")."""
    if not value:
        return frozenset()
    return frozenset(drop_parents([canonical_jurisdiction(m.group(1)) for m in JURISDICTION.finditer(value)]))


def drop_parents(names: list[str]) -> list[str]:
    """Return `names` (canonical, in order) without a country whose state or province is also named."""
    parents = {PARENT[n] for n in names if n in PARENT}
    return [n for n in names if n not in parents]


# ------------------------------------------------------------------ thresholds
_AMOUNT = r"(?:(?:USD|US\$|EUR|GBP|€|£|\$)\s*)*\$?\s*\d[\d,.]*(?:\s*(?:million|billion|thousand|[MBK]))?(?:\s*(?:USD|US dollars|dollars|EUR))?"
USERS = re.compile(r"\b\d[\d,.]*(?:\s*(?:million|billion|thousand))?\s+(?:monthly|daily|weekly)\s+active\s+users\b", re.I)
# "if the monthly active users of your products exceed 100 million": the number after the comparison
USERS_AFTER = re.compile(
    r"\b(?P<per>monthly|daily|weekly)\s+active\s+users\b(?:\s+[\w’'-]+){0,8}?\s+(?:exceeds?|exceeding|surpass(?:es)?|"
    r"(?:is|are|be)\s+(?:greater|more)\s+than|(?:is|are)\s+(?:above|over)|above|over|of\s+more\s+than|reach(?:es)?)"
    r"\s+(?P<num>\d+(?:[,.]\d+)*(?:\s*(?:million|billion|thousand))?)(?![,.]?\d|\s*(?:million|billion|thousand)|\s+(?:monthly|daily|weekly)\s+active)", re.I)
# head counts: "more than 250 users", "over 1,000 seats"
HEADCOUNT = re.compile(r"\b(?:more\s+than|over|above|in\s+excess\s+of|exceeding|at\s+least)\s+\d+(?:[,.]\d+)*"
                       r"(?:\s*(?:million|thousand))?\s+(?:(?:named|authori[sz]ed|active|concurrent|total|end)\s+)?"
                       r"(?:users|seats|employees|devices)\b", re.I)
REVENUE = re.compile(
    rf"(?:(?:annual|yearly|gross|total)\s+(?:gross\s+)?revenues?\s+(?:[a-z]+\s+){{0,4}}?{_AMOUNT})"
    rf"|(?:{_AMOUNT}\s+(?:or\s+more\s+)?in\s+(?:annual|yearly|gross|total)\s+(?:gross\s+)?revenues?)",
    re.I,
)


def thresholds(text: str) -> list[dict]:
    """Return user or revenue thresholds: [{"text", "start", "end", "kind": "users"|"revenue"}].

    A number written after the users ("monthly active users ... exceed 100 million") reads "100 million monthly
    active users" (then "text" is not a slice of `text`; start/end still locate the phrase)."""
    out = [{"text": m.group(0).strip(), "start": m.start(), "end": m.end(), "kind": "users"} for m in USERS.finditer(text)]
    out += [{"text": f"{m.group('num')} {m.group('per').lower()} active users", "start": m.start(), "end": m.end(),
             "kind": "users"} for m in USERS_AFTER.finditer(text)]
    out += [{"text": m.group(0), "start": m.start(), "end": m.end(), "kind": "users"}
            for m in HEADCOUNT.finditer(text)]
    out += [{"text": m.group(0).strip(), "start": m.start(), "end": m.end(), "kind": "revenue"}
            for m in REVENUE.finditer(text) if re.search(r"\d", m.group(0))]
    return sorted(out, key=lambda d: d["start"])


UNDUE_DELAY = re.compile(r"without\s+(?:undue|unreasonable)\s+delay|promptly|immediately|as\s+soon\s+as\s+(?:reasonably\s+)?practicable", re.I)


# ------------------------------------------------------------------ liability caps
# Token cap (topics.md liability.cap "caps it at a token amount"): our documented rule is a fee-based cap over
# fewer than 12 months of fees, or a fixed amount under US$10,000 (or the same number in EUR/GBP).
TOKEN_CAP_MONTHS = 12
TOKEN_CAP_AMOUNT = 10_000
_MONEY = re.compile(
    rf"(?P<cur>US\s?\$|USD|EUR|GBP|€|£|\$)\s*(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)(?:\s*(?P<mult>thousand|million|k\b|m\b))?"
    rf"|(?P<num2>\d+(?:,\d{{3}})*(?:\.\d+)?)(?:\s*(?P<mult2>thousand|million))?\s*(?P<cur2>US\s+dollars|dollars|USD|EUR|euros?|pounds)\b"
    rf"|\b(?P<word>{_NUMWORD}(?:\s+(?:hundred|thousand))*)\s+(?P<cur3>US\s+dollars|dollars|euros?|pounds)\b",
    re.I,
)
_FEES = re.compile(r"\b(?:fees?|amounts?|charges?|sums?|paid|payable)\b", re.I)
_MULT = {"thousand": 1000, "k": 1000, "million": 1_000_000, "m": 1_000_000}


def _word_amount(words: str) -> int | None:
    total, current = 0, 0
    for w in words.lower().replace("-", " ").split():
        if w == "and":
            continue
        if w == "hundred":
            current = (current or 1) * 100
        elif w == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            n = word_number(w)
            if n is None:
                return None
            current += n
    return total + current


_PER_UNIT = re.compile(r"[^,;]{0,40}?\bper\s+(?:kilo\w*|kg|pounds?\s+weight|lbs?|units?|items?|packages?|pieces?|"
                       r"parcels?|shipments?|tons?|tonnes?|litres?|liters?|gallons?)\b", re.I)
_DEADLINE_BEFORE = re.compile(r"\b(?:within|after|than|least|up\s+to)\s+$", re.I)
_TIMES_MONTHLY = re.compile(rf"\b(?P<n>\d{{1,3}}|{_NUMWORD})(?:\s*\(\s*(?P<paren>\d{{1,3}})\s*\))?\s*(?:times|x|×)\s+"
                            r"(?:the\s+)?(?:average\s+)?monthly\s+(?:[\w-]+\s+){0,2}?(?:fees?|charges?|amounts?)\b", re.I)
_MULTIPLE = re.compile(r"\b(?:(?P<n>\d+(?:\.\d+)?|two|three|four|five)\s*(?:times|x|×)|(?P<twice>twice|double)"
                       r"|(?P<pct>\d{3})\s*(?:%|percent))", re.I)


def _fee_multiple(before: str) -> float:
    """Return the multiple of fees written just before a fee period ("two times the fees", "200% of"), else 1."""
    ms = list(_MULTIPLE.finditer(before))
    if not ms:
        return 1.0
    m = ms[-1]
    if m.group("twice"):
        return 2.0
    if m.group("pct"):
        return int(m.group("pct")) / 100
    n = m.group("n").lower()
    return float(n) if n[0].isdigit() else float(word_number(n))


def cap_amounts(text: str) -> list[dict]:
    """Return the components of a liability cap sentence: [{"text", "start", "end", "kind": "fees"|"fixed",
    "months" (fees) or "amount" (fixed, in currency units), "token": bool}] in order of appearance.

    Fee-based components are durations in a sentence about fees paid/payable ("the fees paid in the three
    months before the claim" -> 3 months); fixed components are currency amounts ("US$100", "one hundred
    dollars", "EUR 5,000"). A multiple before the fees counts ("two times the fees paid in the 12 months" -> 24
    months). Token: fewer than TOKEN_CAP_MONTHS months of fees or under TOKEN_CAP_AMOUNT."""
    out = []
    for m in _MONEY.finditer(text):
        if m.group("word"):
            amount = _word_amount(m.group("word"))
        else:
            raw = (m.group("num") or m.group("num2")).replace(",", "")
            try:
                amount = float(raw)
            except ValueError:
                continue
            mult = (m.group("mult") or m.group("mult2") or "").lower()
            amount *= _MULT.get(mult, 1)
        if amount is None or _PER_UNIT.match(text, m.end()):
            continue  # "$4.41 per kilogram" is a rate, not a cap
        out.append({"text": m.group(0).strip(), "start": m.start(), "end": m.end(), "kind": "fixed",
                    "amount": amount, "token": amount < TOKEN_CAP_AMOUNT})
    for m in _TIMES_MONTHLY.finditer(text):  # "twenty-four (24) times the monthly fee" = 24 months of fees
        n = int(m.group("paren")) if m.group("paren") else word_number(m.group("n"))
        if n:
            out.append({"text": m.group(0), "start": m.start(), "end": m.end(), "kind": "fees", "months": float(n),
                        "token": n < TOKEN_CAP_MONTHS})
    if _FEES.search(text):
        for d in durations(text):
            if d["days"] < 7 or _DEADLINE_BEFORE.search(text, 0, d["start"]):
                continue  # "within ten (10) days after notice" is a deadline, not the window of fees counted
            months = round(d["days"] / 30, 1)
            if re.search(r"years?$", d["text"].lower()):
                months = round(d["days"] / 365 * 12, 1)
            months = round(months * _fee_multiple(text[max(0, d["start"] - 80):d["start"]]), 1)
            out.append({"text": d["text"], "start": d["start"], "end": d["end"], "kind": "fees",
                        "months": months, "token": months < TOKEN_CAP_MONTHS})
    return sorted(out, key=lambda c: c["start"])


def cap_value(text: str) -> tuple[str, bool] | None:
    """Return (value, is_token) for a liability cap sentence, or None when it states no amount or period.

    "greater of" takes the largest component, "lesser of" the smallest; otherwise the largest (a fallback
    such as "or US$100 if no fees were paid" does not make a 12-month fee cap a token one). The value reads
    "3 months of fees" or the amount as written ("US$100")."""
    comps = cap_amounts(text)
    if not comps:
        return None
    if re.search(r"\b(?:lesser|lower|smaller)\s+of\b", text, re.I):
        pick = next((c for c in comps if c["token"]), comps[0])
    else:
        pick = next((c for c in comps if not c["token"]), comps[0])
    if pick["kind"] == "fees":
        n = pick["months"]
        n = int(n) if float(n).is_integer() else n
        return f"{n} month{'s' if n != 1 else ''} of fees", pick["token"]
    return pick["text"], pick["token"]
