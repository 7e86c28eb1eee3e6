"""The map page in a real headless chromium, against a real `eventcoder serve` process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from .conftest import AL_BAB, LiveServer, km_between

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = Path(os.environ.get("EVENTCODER_TEST_OUTPUT", "test-output"))
INSTALL = "run `bash .ci/browser.sh` to install Debian chromium and the playwright package"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@dataclass
class Tab:
    """A browser page with what it asked of other hosts and the errors it threw."""

    page: Any
    base: str
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open_map(self, query: str = "") -> None:
        """Load the map page and wait until its first events are drawn."""
        self.page.goto(f"{self.base}/{query}")
        self.page.wait_for_selector("body[data-ready]", state="attached", timeout=20_000)

    def screenshot(self, name: str) -> Path:
        """Save a screenshot under test-output/ and print where."""
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / name
        self.page.screenshot(path=str(path), full_page=False)
        print(f"screenshot: {path.resolve()}")
        return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Yield Debian's chromium driven by playwright, or skip saying how to install it."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: {INSTALL}")
    sync_api = pytest.importorskip("playwright.sync_api", reason=f"playwright is missing: {INSTALL}")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def tab(browser: Any, live_server: LiveServer) -> Iterator[Tab]:
    """Yield a fresh page that records requests leaving the server and script errors."""
    context = browser.new_context(viewport={"width": 1300, "height": 850})
    page = context.new_page()
    opened = Tab(page=page, base=live_server.url)

    def note_request(request: Any) -> None:
        if not request.url.startswith((live_server.url, "data:", "about:")):
            opened.outside.append(request.url)

    page.on("request", note_request)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    yield opened
    context.close()


def al_bab_event(server: LiveServer) -> dict[str, Any]:
    """Return the stored ASSAULT event placed within 25 km of al-Bab, with its evidence."""
    listed = httpx.get(f"{server.url}/events", params={"type": "ASSAULT", "limit": 1000}).json()
    for event in listed["events"]:
        place = event["location"]
        if place and km_between((place["lat"], place["lon"]), AL_BAB) < 25:
            return dict(httpx.get(f"{server.url}/events/{event['id']}").json())
    raise AssertionError(f"no ASSAULT near al-Bab in {[e['location'] for e in listed['events']]}")


def highlight_count(event: dict[str, Any]) -> int:
    """Count the highlights the page must show: evidence spans per document, overlaps merged."""
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for span in event["evidence"]:
        by_doc.setdefault(span.get("doc_id") or event["doc_id"], []).append((span["start"], span["end"]))
    count = 0
    for spans in by_doc.values():
        end = -1
        for start, stop in sorted(spans):
            if start >= end:
                count += 1
            end = max(end, stop)
    return count


def reveal_marker(tab: Tab, event_id: str) -> Any:
    """Return the event's marker, opening the clusters that hide it."""
    marker = tab.page.locator(f'.ev-marker[data-event-id="{event_id}"]')
    for _ in range(8):
        if marker.count() and marker.first.is_visible():
            return marker.first
        clusters = tab.page.locator(".marker-cluster")
        if not clusters.count():
            break
        clusters.first.click()
        tab.page.wait_for_timeout(600)  # let the zoom or spiderfy animation finish
    raise AssertionError(f"marker of event {event_id} never became visible")


def test_browser_map_finds_filters_and_highlights_the_al_bab_event(tab: Tab, live_server: LiveServer) -> None:
    event = al_bab_event(live_server)
    tab.open_map()
    assert tab.page.locator(f'#event-list li[data-event-id="{event["id"]}"]').count() == 1
    assert tab.page.locator(".ev-marker, .marker-cluster").count() >= 1

    tab.page.select_option("#f-type", "ASSAULT")
    tab.page.fill("#f-country", "SYR")
    tab.page.click("#f-apply")
    tab.page.wait_for_function(
        "() => { const s = [...document.querySelectorAll('#event-list li strong')];"
        " return s.length > 0 && s.every(e => e.textContent === 'ASSAULT'); }"
    )
    assert "type=ASSAULT" in tab.page.url
    marker = reveal_marker(tab, event["id"])
    types = tab.page.eval_on_selector_all(".ev-marker", "els => els.map(e => e.dataset.type)")
    assert set(types) == {"ASSAULT"}

    marker.click()
    tab.page.wait_for_selector("#detail mark")
    tab.page.wait_for_function(
        "n => document.querySelectorAll('#detail .source-text').length >= n",
        arg=len({s.get("doc_id") or event["doc_id"] for s in event["evidence"]}),
    )
    marks = tab.page.locator("#detail mark")
    assert marks.count() == highlight_count(event)
    highlighted = " ".join(marks.all_text_contents())
    for span in event["evidence"]:
        assert span["text"] in highlighted
    assert tab.page.locator("#detail h2").inner_text().startswith("ASSAULT")
    shot = tab.screenshot("browser-al-bab.png")
    assert shot.stat().st_size > 10_000

    tab.page.click("#detail-close")
    tab.page.fill("#f-country", "ZZZ")
    tab.page.click("#f-apply")
    tab.page.wait_for_function("() => document.getElementById('status').textContent.startsWith('No events')")
    assert tab.page.locator(".ev-marker").count() == 0
    assert tab.outside == []
    assert tab.errors == []


PAYLOAD_SCRIPT = "<script>window.__pwned=1</script>"
PAYLOAD_IMG = '<img src=x onerror="window.__pwned=1">'
XSS_ARTICLE = f"""Gunmen Attack Market

Gunmen killed seven villagers and wounded four others in an attack on a market in \
Maiduguri, Nigeria, on Tuesday, police said. {PAYLOAD_SCRIPT}

Witnesses said the attackers fled on motorcycles. {PAYLOAD_IMG}
"""


def test_browser_shows_article_markup_as_text_and_runs_none_of_it(tab: Tab, live_server: LiveServer) -> None:
    response = httpx.post(
        f"{live_server.url}/documents",
        json={
            "id": "xss-article",
            "text": XSS_ARTICLE,
            "published": "2021-03-02",
            "title": '<img src=x onerror="window.__pwned=2">',
            "url": "javascript:window.__pwned=3",
        },
        headers={"Authorization": f"Bearer {live_server.token}"},
        timeout=120,
    )
    assert response.status_code == 201, response.text
    event_ids = response.json()["event_ids"]
    assert event_ids, "the pipeline found no event in the attack report"
    stored = httpx.get(f"{live_server.url}/documents/xss-article").json()["text"]
    assert PAYLOAD_SCRIPT in stored
    assert PAYLOAD_IMG in stored

    tab.open_map()
    tab.page.click(f'#event-list li[data-event-id="{event_ids[0]}"]')
    tab.page.wait_for_selector('#detail section[data-doc-id="xss-article"] .source-text')
    tab.page.wait_for_timeout(500)  # give an injected onerror handler time to fire
    assert tab.page.evaluate("typeof window.__pwned") == "undefined"
    shown = tab.page.locator('#detail section[data-doc-id="xss-article"] .source-text').inner_text()
    assert PAYLOAD_SCRIPT in shown
    assert PAYLOAD_IMG in shown
    assert tab.page.locator("#detail img, #detail script").count() == 0
    heading = tab.page.locator('#detail section[data-doc-id="xss-article"] h3')
    assert heading.inner_text() == '<img src=x onerror="window.__pwned=2">'
    assert tab.page.locator('#detail a[href^="javascript"]').count() == 0
    tab.screenshot("browser-xss.png")
    assert tab.errors == []


def test_browser_api_docs_render_offline(tab: Tab) -> None:
    tab.page.goto(f"{tab.base}/docs")
    tab.page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    paths = tab.page.locator(".opblock-summary-path").all_inner_texts()
    assert any(p.startswith("/events") for p in paths)
    assert tab.outside == []
