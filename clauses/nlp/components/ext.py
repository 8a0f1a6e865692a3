"""Direct access to the checker's Doc and Token extension values (`doc._.topic_hits`, `token._.role` ...).

Why: every `doc._` builds an Underscore object (3-4 µs); a scan reads or writes five Doc extensions per
block, about 7% of the CPU time of a 2 MB contract (bench/scan_bench.py). spaCy's Underscore keeps a value
set through it in `doc.user_data` under the key ("._.", name, start, end) (spacy/tokens/underscore.py
`Underscore._get_key`: start and end are None for a Doc; start is `token.idx`, end None for a Token), so
reading and writing that entry is the same as going through `doc._`, both ways.
tests/clauses/nlp/test_ext.py checks this against spaCy's own attribute access for every extension we
register, so a spaCy upgrade that stores them elsewhere fails the tests instead of the scans.
"""


def doc_key(name: str) -> tuple:
    """Return the `doc.user_data` key of the Doc extension `name`."""
    return ("._.", name, None, None)


def token_key(name: str, token_idx: int) -> tuple:
    """Return the `doc.user_data` key of the Token extension `name` of the token at character offset
    `token_idx` (`token.idx`)."""
    return ("._.", name, token_idx, None)


def get_doc_ext(doc, name: str):
    """Return `doc._.<name>` (None when it was never set: every Doc extension of ours defaults to None)."""
    return doc.user_data.get(("._.", name, None, None))


def set_doc_ext(doc, name: str, value) -> None:
    """Do `doc._.<name> = value`."""
    doc.user_data[("._.", name, None, None)] = value
