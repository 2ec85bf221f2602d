"""A real browser for the page stories: Debian's chromium driven by Playwright (its own driver,
no browser download), against `python server.py` as a real process. Every request a page makes
is recorded, so a story can show that nothing left the server."""

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Response, ViewportSize

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
# As the machine notes say: without the background-networking flags chromium calls home at start.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = "Chromium is missing: `make test` installs Debian's chromium, or run `apt-get install chromium`."
PASSWORD = "kinerja-demo"


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail(MISSING, pytrace=False)
    return found


@dataclass
class Site:
    """The served site and the browser contexts (one per person) opened on it."""

    base: str
    browser: Browser
    story: str
    requested: list[str] = field(default_factory=list)
    # Script errors and what the browser reports as errors (a blocked script, a failed load).
    errors: list[str] = field(default_factory=list)
    contexts: list[BrowserContext] = field(default_factory=list)
    shots: int = 0

    async def person(self, *, phone: bool = False, javascript: bool = True) -> Page:
        viewport: ViewportSize = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = await self.browser.new_context(
            base_url=self.base, viewport=viewport, java_script_enabled=javascript, locale="id-ID"
        )
        context.on("request", self._record)
        self.contexts.append(context)
        page = await context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)
        page.on("response", self._response)
        return page

    def _console(self, message: ConsoleMessage) -> None:
        # A page answered 400 or 403 on purpose (a form with errors) is logged as a failed load;
        # responses are judged by _response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def _response(self, response: Response) -> None:
        if response.status >= 500 or (response.status >= 400 and "/aset/" in response.url):
            self.errors.append(f"{response.status} {response.url}")

    def _record(self, request: Request) -> None:
        self.requested.append(request.url)

    async def signed_in(self, username: str, **options: bool) -> Page:
        page = await self.person(**options)
        await page.goto("/masuk")
        await page.get_by_label("Nama pengguna").fill(username)
        await page.get_by_label("Kata sandi").fill(PASSWORD)
        await page.get_by_role("button", name="Masuk").click()
        await page.wait_for_url("**/dasbor")
        return page

    async def shot(self, page: Page, name: str) -> None:
        """A screenshot under tests/artifacts/<story>/ for a reviewer to look at."""
        self.shots += 1
        folder = ARTIFACTS / self.story
        folder.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(folder / f"{self.shots:02d}-{name}.png"), full_page=True)

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requested if not url.startswith(self.base) and not url.startswith("data:")]
