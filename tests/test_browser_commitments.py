"""The commitments register in headless Chromium: filter with the form (no JavaScript needed), follow
an item to its marked sentence, download the export, and axe-core finds no violation at all.

Uses the served app and browser of ``test_browser.py`` (gunicorn on a free port, real Chromium).
"""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from test_browser import AXE, _axe, base_url, driver, screenshot, settings, wait  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


def click(driver: WebDriver, element) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


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
def test_register_has_no_axe_violations(driver: WebDriver, base_url: str, artifacts_dir: Path) -> None:
    pages = {"register": "/toezeggingen", "filtered": "/toezeggingen?status=open&sort=document&pagina=2",
             "evidence": "/toezeggingen?status=possibly_fulfilled", "empty": "/toezeggingen?deadline_from=2090-01-01"}
    report: dict[str, Any] = {}
    for name, path in pages.items():
        for width in (1280, 375):
            driver.set_window_size(width, 900)
            driver.get(base_url + path)
            result = _axe(driver)
            assert "error" not in result, result
            report[f"{name}@{width}"] = result["violations"]
    driver.set_window_size(1280, 900)
    (artifacts_dir / "axe-toezeggingen.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    assert not any(report.values()), json.dumps(report, ensure_ascii=False, indent=1)
