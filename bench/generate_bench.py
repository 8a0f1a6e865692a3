"""Time one SOW render through the product vs a bare docxtpl render of the same template and context.

Product path: validate the answers, pick the clause wording, substitute variables, render with docxtpl
(autoescape, StrictUndefined, undeclared-variable check), lint for surviving markup, write the custom
properties, save. Bare path: `DocxTemplate(template).render(context, autoescape=True)` and save, with the
context the product built. Prints the median of N runs of each (ms) and the ratio (target <= 1.5x).
Not a test: `python bench/generate_bench.py [N]`.
"""
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from docxtpl import DocxTemplate  # noqa: E402

from clauses import assembly  # noqa: E402
from clauses.answers import EXAMPLE_ANSWERS, validate_answers  # noqa: E402


def product() -> bytes:
    answers = validate_answers(EXAMPLE_ANSWERS, "sow")
    return assembly.render_docx("sow", answers, clauses=assembly.clauses_from_data("sow", answers), draft_id=1)


def bare_factory():
    answers = validate_answers(EXAMPLE_ANSWERS, "sow")
    resolved = assembly.resolve_clauses("sow", answers, assembly.clauses_from_data("sow", answers))
    context = assembly.build_context("sow", answers, resolved)
    path = assembly.template_path("sow")

    def bare() -> bytes:
        tpl = DocxTemplate(path)
        tpl.render(context, autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()
    return bare


def median_ms(fn, n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    bare = bare_factory()
    product(), bare()  # warm up: imports, template-variable cache, data-file parsing
    # Interleave the two so machine load affects both alike.
    p, b = [], []
    for _ in range(n):
        p.append(median_ms(product, 1))
        b.append(median_ms(bare, 1))
    pm, bm = statistics.median(p), statistics.median(b)
    print(f"SOW render, median of {n}: product {pm:.1f} ms, bare docxtpl {bm:.1f} ms, ratio {pm / bm:.2f}x (target <= 1.50x)")


if __name__ == "__main__":
    main()
