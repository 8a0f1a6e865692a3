"""Topic matcher (`topic_matcher`): runs the rule files' token patterns over a Doc.

Each match becomes a raw hit `(rule_index, start, end)` in `doc._.topic_hits`, at most one per rule and
sentence (overlapping wildcard matches of one rule collapse to the first, longest-span filtering per
spaCy #4627). Whether a hit counts and with which polarity is decided by `clause_polarity`.
"""
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from clauses.nlp.rules import default_rules

if not Doc.has_extension("topic_hits"):
    Doc.set_extension("topic_hits", default=None)


@Language.factory("topic_matcher", requires=["token.lemma", "token.is_sent_start"], assigns=["doc._.topic_hits"])
def make_topic_matcher(nlp, name):
    """Build the matcher from the shipped, validated rule files."""
    return TopicMatcher(nlp.vocab, default_rules())


class TopicMatcher:
    """Add `doc._.topic_hits`: list of (rule_index, start_token, end_token)."""

    def __init__(self, vocab, rules):
        self.rules = rules
        self.matcher = Matcher(vocab, validate=True)
        self.key_to_index = {}
        for i, rule in enumerate(rules):
            self.matcher.add(rule.id, [rule.matcher_pattern()])
            self.key_to_index[vocab.strings[rule.id]] = i

    def __call__(self, doc):
        seen = set()
        hits = []
        for key, start, end in sorted(self.matcher(doc), key=lambda m: (m[1], -(m[2] - m[1]))):
            idx = self.key_to_index[key]
            limit = self.rules[idx].max_len
            if limit and end - start > limit:
                continue
            sent_start = doc[start].sent.start
            if (idx, sent_start) in seen:
                continue
            seen.add((idx, sent_start))
            hits.append((idx, start, end))
        doc._.topic_hits = hits
        return doc
