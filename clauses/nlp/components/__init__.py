"""spaCy components of the checker, one `@Language.factory` per module.

Importing this package registers the factories and the Doc/Token extensions (once per process).
"""
from clauses.nlp.components import lemmas, polarity, roles, sentences, topics  # noqa: F401
