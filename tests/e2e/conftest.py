"""Headless Chromium for the end-to-end tests: Debian's /usr/bin/chromium driven by Playwright (no
browser download). Skips locally when Chromium is absent; fails under REQUIRE_SERVICES=1 (CI)."""
import os
from pathlib import Path

import pytest

from tests.conftest import REQUIRE_SERVICES

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="session")
def chromium():
    """A launched Playwright Chromium browser, one per test session: a second sync_playwright() in the
    same thread fails (hangs), so every browser test module shares this one."""
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if REQUIRE_SERVICES:
            pytest.fail(message + " and REQUIRE_SERVICES=1")
        pytest.skip(message)
    # Playwright's sync API keeps an event loop in this thread; the ORM calls of the test itself are
    # still synchronous, so Django's async-safety guard is lifted for the browser tests only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium):
    """A fresh browser context and page at laptop size; console errors are collected on `page.errors`."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport={"width": 1366, "height": 800})
    context.set_default_timeout(90_000)  # the machine may be busy (2 cores, CI)
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda msg: pg.errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    yield pg
    context.close()


def shot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ and return its path."""
    path = ARTIFACTS / f"e2e-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
