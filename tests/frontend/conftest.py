"""The local stack as `make run` starts it (a child process, stopped by its PID) and a headless chromium."""

from __future__ import annotations

import os

import pytest

from devstack.process import StackProcess
from tests.frontend.browser import chromium_path, require_build

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    require_build()
    with StackProcess(tmp_path_factory.mktemp("frontend-stack")) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()
