"""Helpers for the generator tests: answers built from the spec example, and docx text access."""
import copy
import io
import re

import jinja2
from docx import Document

from clauses.answers import EXAMPLE_ANSWERS


def make_answers(**overrides) -> dict:
    """Return a deep copy of the example answers with dotted-key overrides, e.g. engagement__deployment."""
    data = copy.deepcopy(EXAMPLE_ANSWERS)
    for key, value in overrides.items():
        *path, last = key.split("__")
        target = data
        for part in path:
            target = target[part]
        target[last] = value
    return data


def docx_paragraphs(data: bytes) -> list[str]:
    """Every paragraph text of a .docx: body, then table cells, then footers."""
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    for section in doc.sections:
        texts.extend(p.text for p in section.footer.paragraphs)
    return texts


_VAR = re.compile(r"\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}")
_plain_jinja = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)


def substitute(text: str, answers: dict) -> str:
    """Fill `{{ a.b }}` placeholders from answers by plain lookup, after resolving `{% if %}` conditions
    with a plain Jinja environment (not the product's sandboxed, cached renderer)."""
    if "{%" in text:
        protected = _VAR.sub(lambda m: "\x00" + m.group(1) + "\x01", text)
        text = _plain_jinja.from_string(protected).render(answers)
        text = re.sub("\x00([a-z_.]+)\x01", lambda m: "{{ " + m.group(1) + " }}", text)

    def value(m):
        v = answers
        for part in m.group(1).split("."):
            v = v[part]
        return str(v)
    return _VAR.sub(value, text)
