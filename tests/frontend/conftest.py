"""The local stack as `make run` starts it (a child process, stopped by its PID) and a headless chromium."""

from __future__ import annotations

import pytest

from devstack.browser import launch, require_build
from devstack.process import StackProcess


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require_build()
    with StackProcess(tmp_path_factory.mktemp("frontend-stack")) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()
