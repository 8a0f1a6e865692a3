"""The interactive API docs in headless Chromium under the real Content-Security-Policy (issue 5):
Swagger UI and Redoc render every operation with scripts served by the product (no CDN)."""
import pytest

from tests.e2e.conftest import ARTIFACTS

# Here, not in tests/api/: one Playwright session per process (tests/e2e/conftest.py's `chromium`); a second
# sync_playwright() in the same thread fails.

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path,selector,name", [
    ("/api/schema/swagger-ui/", ".opblock", "swagger"),
    ("/api/schema/redoc/", "[data-section-id^='tag/contracts']", "redoc"),
])
def test_docs_render_every_operation_under_csp(page, live_server, path, selector, name):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + path)
    page.wait_for_selector(selector)
    if name == "swagger":
        assert page.locator(".opblock").count() >= 33  # every operation of the schema
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"api-docs-{name}.png"))
    scripts = [u for u in requested if u.endswith(".js") or "script=" in u]
    assert scripts and all(u.startswith(live_server.url) for u in scripts), scripts
    assert not [e for e in page.errors if "script" in e.lower() and "Content Security Policy" in e], page.errors
