"""Case-insensitive lookup lemmatizer (`legal_lemmatizer`) over the spacy-lookups-data English table.

spaCy's own lookup mode keys the table on `token.text`, so "Outputs" or "Trains" at a sentence start keep
their inflection and LEMMA patterns silently miss them (spaCy #4100 family). We use the same table from
spacy-lookups-data, keyed on the lower-cased form, and store lower-case lemmas.
"""
from functools import cache

from spacy.language import Language
from spacy.lookups import load_lookups

# Legal usage beats the dictionary for these forms ("data" is not read as the plural of "datum" here).
OVERRIDES = {
    "data": "data", "datum": "data", "media": "media", "us": "us", "its": "its", "as": "as", "ai": "ai",
    "sublicense": "sublicense", "sublicenses": "sublicense", "sublicensed": "sublicense",
    "licensee": "licensee", "licensees": "licensee", "licensor": "licensor", "licensors": "licensor",
    "outputs": "output", "inputs": "input", "weights": "weight", "derivatives": "derivative",
    "processes": "process", "processing": "process", "processed": "process",
    "subprocessors": "subprocessor", "sub-processors": "sub-processor", "left": "leave", "terms": "term",
    "rights": "right", "fees": "fee", "hours": "hour", "days": "day", "based": "base",
}
# Irregular forms rule validation must know (the lookup table maps form -> lemma only).
IRREGULAR = {
    "make": ["made"], "sell": ["sold"], "hold": ["held"], "keep": ["kept"], "give": ["gave", "given"],
    "take": ["took", "taken"], "bring": ["brought"], "write": ["wrote", "written"], "do": ["did", "done"],
    "get": ["got", "gotten"], "go": ["went", "gone"], "know": ["knew", "known"], "leave": ["left"],
    "mean": ["meant"], "pay": ["paid"], "say": ["said"], "see": ["saw", "seen"], "send": ["sent"],
    "show": ["shown"], "build": ["built"], "forbid": ["forbade", "forbidden"], "be": ["is", "are", "was",
    "were", "been", "being", "am"], "withdraw": ["withdrew", "withdrawn"], "have": ["has", "had"],
    "undertake": ["undertook", "undertaken"], "bear": ["bore", "borne"], "choose": ["chose", "chosen"],
    "lose": ["lost"], "shut": ["shut"], "set": ["set"], "put": ["put"], "bind": ["bound"], "feed": ["fed"],
}


LEMMA_CACHE_MAX = 500_000  # lower-case forms whose lemma hash the lemmatizer keeps


@cache
def lemma_table():
    """Return the spacy-lookups-data English `lemma_lookup` Table; RuntimeError when it is missing."""
    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    if table.get("using") != "use":
        raise RuntimeError("spacy-lookups-data lemma_lookup table is missing or broken; install spacy-lookups-data")
    return table


def lemma_of(word: str) -> str:
    """Return the lower-case lemma of `word` (any case)."""
    low = word.lower()
    if low in OVERRIDES:
        return OVERRIDES[low]
    lemma = lemma_table().get(low, low)
    return lemma.lower()


@cache
def _forms_by_lemma() -> dict[str, frozenset[str]]:
    """Invert the raw `lemma_lookup` data: lower-case lemma -> lower-case forms the table maps to it."""
    from spacy.util import load_language_data, registry

    inverse: dict[str, set[str]] = {}
    for form, lemma in load_language_data(registry.lookups.get("en")["lemma_lookup"]).items():
        if form == form.lower():  # lemma_of looks up the lower-cased form only
            inverse.setdefault(lemma.lower(), set()).add(form)
    return {k: frozenset(v) for k, v in inverse.items()}


def surface_forms(lemma: str) -> set[str]:
    """Return lower-case forms whose lemma is `lemma`: every form the lookup table maps to it (the table
    inverted), regular inflections verified with `lemma_of`, IRREGULAR and OVERRIDES. Used by rule validation
    (rules._one_token: a LEMMA value is usable when one of its forms is one token)."""
    lemma = lemma.lower()
    forms = {lemma} | {f for f in _forms_by_lemma().get(lemma, ()) if lemma_of(f) == lemma}
    cands = {lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing", lemma + "ies"}
    if lemma.endswith("e"):
        cands |= {lemma[:-1] + "ing", lemma[:-1] + "ed"}
    if lemma.endswith("y"):
        cands |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2:
        cands |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    for c in cands:
        if lemma_of(c) == lemma:
            forms.add(c)
    forms.update(IRREGULAR.get(lemma, ()))
    forms.update(k for k, v in OVERRIDES.items() if v == lemma)
    return forms


@Language.factory("legal_lemmatizer", assigns=["token.lemma"])
def make_legal_lemmatizer(nlp, name):
    """Build the lemmatizer; raises RuntimeError when spacy-lookups-data is missing."""
    return LegalLemmatizer()


class LegalLemmatizer:
    """Set `token.lemma_` to the lower-case dictionary lemma (or the lower-case form), through one
    `doc.to_array`/`doc.from_array` pass over hashes with a per-process cache. Leaves the (LOWER, LEMMA,
    ORTH) hash lists in `doc.user_data["token_columns"]` for the topic matcher (topics.token_columns)."""

    def __init__(self):
        self.table = lemma_table()
        self.cache: dict[int, int] = {}

    def _lemma_hash(self, strings, h: int) -> int:
        lemma = self.cache.get(h)
        if lemma is None:
            low = strings[h]
            lemma = strings.add(OVERRIDES.get(low) or self.table.get(low, low).lower())
            if len(self.cache) < LEMMA_CACHE_MAX:
                self.cache[h] = lemma
        return lemma

    def __call__(self, doc):
        import numpy
        from spacy.attrs import LEMMA, LOWER, ORTH

        if not len(doc):
            return doc
        lowers, orths = doc.to_array([LOWER, ORTH]).T.tolist()
        out = list(map(self.cache.get, lowers))
        if None in out:  # forms not seen before in this process
            strings = doc.vocab.strings
            out = [lem if lem is not None else self._lemma_hash(strings, h) for lem, h in zip(out, lowers, strict=True)]
        doc.from_array([LEMMA], numpy.array(out, dtype="uint64"))
        doc.user_data["token_columns"] = (lowers, out, orths)
        doc.user_data["lemma_of_lower"] = True  # equal LOWER hashes have equal LEMMA hashes (topic_matcher)
        return doc
