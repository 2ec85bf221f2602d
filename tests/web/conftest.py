"""Browser fixtures: one chromium per test session, a served site per story."""

from collections.abc import AsyncIterator, Iterator

import pytest
from playwright.async_api import Browser, async_playwright

from tests.served import Served, serving
from tests.web.browser import CHROMIUM_FLAGS, Site, chromium_path
from tests.web.pages import Pages


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    path = chromium_path()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield launched
        await launched.close()


@pytest.fixture
async def pages(fresh_url: str) -> AsyncIterator[Pages]:
    """The pages over HTTP on a fresh copy of the demo database."""
    async with Pages.serving(fresh_url) as served:
        yield served


@pytest.fixture
def server(fresh_url: str) -> Iterator[Served]:
    with serving(fresh_url) as served:
        yield served


@pytest.fixture
async def site(server: Served, browser: Browser, request: pytest.FixtureRequest) -> AsyncIterator[Site]:
    opened = Site(server.base, browser, story=request.node.name)
    yield opened
    for context in opened.contexts:
        await context.close()
    assert opened.foreign_requests() == [], "a page asked another host"
    assert opened.errors == [], "the browser reported errors"
