"""The commitments register in headless Chromium: filter with the form (with page scripts blocked:
it works without JavaScript), follow an item to its marked sentence, download the export, and
axe-core finds no violation at all (at desktop and phone width).

``beleidsbank serve`` (gunicorn) on a free port and a real Chromium, from ``browser_support``.
"""
from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from browser_support import AXE, axe_pages, chromium, click, describe, require_chromium, screenshot, serve, wait
from settings import Settings

pytestmark = pytest.mark.browser

require_chromium()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


@pytest.fixture(scope="module")
def base_url(built_settings: Settings) -> Iterator[str]:
    with serve(built_settings) as url:
        yield url


@pytest.fixture(scope="module")
def driver(base_url: str) -> Iterator[WebDriver]:
    """Chromium with page scripts blocked: the register must work without JavaScript."""
    with chromium(javascript=False) as drv:
        yield drv


def test_register_filter_follow_and_download(driver: WebDriver, base_url: str, artifacts_dir: Path) -> None:
    driver.get(base_url + "/")
    driver.find_element(By.LINK_TEXT, "Toezeggingen").click()
    wait(driver).until(EC.title_contains("Toezeggingen"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Toezeggingen"
    total = driver.find_element(By.ID, "register-kop").text
    screenshot(driver, artifacts_dir, "toezeggingen")

    # filter with the form: status and a deadline range, then submit (a plain GET form)
    Select(driver.find_element(By.ID, "t-status")).select_by_value("open")
    Select(driver.find_element(By.ID, "t-sort")).select_by_value("document")
    click(driver, driver.find_element(By.CSS_SELECTOR, ".filter-form button[type=submit]"))
    wait(driver).until(EC.url_contains("status=open"))
    assert "sort=document" in driver.current_url
    assert driver.find_element(By.ID, "register-kop").text != total
    badges = {b.text for b in driver.find_elements(By.CSS_SELECTOR, ".status-badge")}
    assert badges == {"Open"}
    screenshot(driver, artifacts_dir, "toezeggingen-open")

    # every item links to its sentence, marked in the passage
    first = driver.find_element(By.CSS_SELECTOR, ".commitment-item")
    sentence = first.find_element(By.CSS_SELECTOR, ".statement-text").text
    click(driver, first.find_element(By.CSS_SELECTOR, ".context-link a"))
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "mark")))
    marked = " ".join(m.text for m in driver.find_elements(By.CSS_SELECTOR, "mark"))
    assert sentence[:40] in " ".join(marked.split())

    # the evidence of a possibly fulfilled commitment is shown with the words it shares
    driver.get(base_url + "/toezeggingen?status=possibly_fulfilled")
    block = driver.find_element(By.CSS_SELECTOR, ".evidence-block")
    assert "Gedeelde woorden" in block.text and block.find_elements(By.TAG_NAME, "a")
    screenshot(driver, artifacts_dir, "toezeggingen-nagekomen")

    # the CSV download link serves the filtered register
    link = driver.find_element(By.CSS_SELECTOR, ".downloads a[download]").get_attribute("href")
    with urllib.request.urlopen(link, timeout=30) as resp:
        body = resp.read().decode("utf-8-sig")
    assert resp.headers["Content-Type"].startswith("text/csv") and body.count("\r\n") == 1 + len(
        driver.find_elements(By.CSS_SELECTOR, ".commitment-item"))


@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run `npm ci` (make browser-deps)")
def test_register_has_no_axe_violations(base_url: str, artifacts_dir: Path) -> None:
    pages = {"register": "/toezeggingen", "filtered": "/toezeggingen?status=open&sort=document&pagina=2",
             "evidence": "/toezeggingen?status=possibly_fulfilled", "empty": "/toezeggingen?deadline_from=2090-01-01"}
    with chromium() as drv:  # axe-core is a script: this browser runs scripts
        found = {}
        for width in (1280, 375):
            drv.set_window_size(width, 900)
            found.update({f"{name}@{width}": v for name, v in axe_pages(
                drv, {name: base_url + path for name, path in pages.items()},
                artifacts_dir / f"axe-toezeggingen-{width}.json").items()})
    problems = describe(found)  # every impact: the register adds no violation at all
    assert not problems, "\n".join(problems)
