"""End-to-end tests of the search interface in headless Chromium.

The app runs the way users get it: ``beleidsbank serve`` (gunicorn) in a subprocess on a free
port, against the knowledge base built from the shipped corpus.  The tests drive a real
browser through a search, a facet, a result, an entity and the citation tools, save
screenshots in ``test-artifacts/`` and run axe-core on every main page.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest

from browser_support import AXE, axe_pages, chromium, click, describe, require_chromium, screenshot, serve, wait
from settings import Settings

pytestmark = pytest.mark.browser

require_chromium()

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402


# -- fixtures -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def settings(built_settings: Settings) -> Settings:
    return built_settings


@pytest.fixture(scope="module")
def base_url(settings: Settings) -> Iterator[str]:
    """``beleidsbank serve`` (gunicorn) in a subprocess; waits until it answers."""
    with serve(settings) as url:
        yield url


@pytest.fixture(scope="module")
def driver(base_url: str) -> Iterator[WebDriver]:
    """Headless Chromium; depends on the server so it closes its connections before the server stops."""
    with chromium() as drv:
        yield drv


def detail_pages(driver: WebDriver, base_url: str) -> tuple[str, str, str]:
    """URLs of a passage (first result for "migratie"), a document and an entity (first in their lists)."""
    driver.get(base_url + "/zoeken?q=migratie")
    passage = driver.find_element(By.CSS_SELECTOR, ".result-title a").get_attribute("href")
    driver.get(base_url + "/documenten")
    document = driver.find_element(By.CSS_SELECTOR, ".doc-title a").get_attribute("href")
    driver.get(base_url + "/entiteiten")
    entity = driver.find_element(By.CSS_SELECTOR, ".entity-list a").get_attribute("href")
    return passage, document, entity


def no_horizontal_scroll(driver: WebDriver) -> bool:
    return driver.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")


# -- the flow --------------------------------------------------------------------------------------
def test_search_facet_result_entity_citation(driver: WebDriver, base_url: str, artifacts_dir: Path) -> None:
    driver.set_window_size(1280, 900)
    driver.get(base_url + "/")
    box = driver.switch_to.active_element  # the home page focuses the search box
    assert box.get_attribute("id") == "q"
    box.send_keys("terugkeer", Keys.ENTER)
    wait(driver).until(EC.url_contains("/zoeken?q=terugkeer"))
    summary = driver.find_element(By.CSS_SELECTOR, ".result-summary").text
    total = int(re.match(r"([\d.]+) resulta", summary).group(1).replace(".", ""))
    assert total > 0
    assert driver.find_element(By.ID, "q").get_attribute("value") == "terugkeer"
    assert driver.find_elements(By.CSS_SELECTOR, ".snippet mark")
    screenshot(driver, artifacts_dir, "results")
    screenshot(driver, artifacts_dir, "results-320", width=320)

    # apply a facet: the first document
    facet = driver.find_element(By.CSS_SELECTOR, "#filters a.facet-link[href*='document=']")
    facet_label = facet.text.split(" (")[0]
    click(driver, facet)
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".chip--removable")))
    chip = driver.find_element(By.CSS_SELECTOR, ".chip--removable").text
    assert facet_label.split()[0] in chip
    narrowed = int(re.match(r"([\d.]+) resulta",
                            driver.find_element(By.CSS_SELECTOR, ".result-summary").text).group(1).replace(".", ""))
    assert 0 < narrowed <= total

    # open the first result: the matching paragraph is the target, marked and highlighted
    link = driver.find_element(By.CSS_SELECTOR, ".result-title a")
    title = link.text
    link.click()
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".passage-body")))
    assert driver.find_element(By.TAG_NAME, "h1").text == title
    fragment = driver.execute_script("return location.hash")
    assert re.fullmatch(r"#p\d+", fragment)
    target = driver.find_element(By.CSS_SELECTOR, fragment)
    assert "is-marked" in target.get_attribute("class")
    assert driver.execute_script("return document.querySelector(':target') === arguments[0]", target)
    assert target.find_elements(By.CSS_SELECTOR, "mark.hit")
    wait(driver, 5).until(lambda d: d.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight;", target))
    passage_url = driver.current_url
    screenshot(driver, artifacts_dir, "passage")
    driver.get(passage_url)
    screenshot(driver, artifacts_dir, "passage-320", width=320)
    driver.get(passage_url)

    # citation: visible in the details, with a working (or gracefully degrading) copy button
    driver.find_element(By.CSS_SELECTOR, "details.cite summary").click()
    area = driver.find_element(By.ID, "citaat")
    assert area.is_displayed() and area.get_attribute("readonly")
    citation = area.get_attribute("value")
    assert title in citation and "/passages/" in citation and "Geraadpleegd op" in citation
    button = driver.find_element(By.CSS_SELECTOR, "button[data-copy='citaat']")
    assert button.is_displayed()  # the script un-hides it
    button.click()
    status = wait(driver, 5).until(lambda d: d.find_element(By.CSS_SELECTOR, ".copy-status").text)
    assert "gekopieerd" in status or "Kopiëren lukte niet" in status

    # "/" focuses the search box from anywhere except a field
    driver.execute_script("document.activeElement.blur()")
    ActionChains(driver).send_keys("/").perform()
    focused = driver.switch_to.active_element
    assert focused.get_attribute("data-search") is not None and focused.get_attribute("value") == ""
    # ... but typing "/" inside a field stays typing
    ActionChains(driver).send_keys("a/b").perform()
    assert focused.get_attribute("value") == "a/b"
    # the single-key shortcut can be switched off (WCAG 2.1.4) and on again
    toggle = driver.find_element(By.CSS_SELECTOR, "[data-shortcut-toggle]")
    driver.execute_script("arguments[0].click()", toggle)
    assert toggle.text == "Sneltoets aanzetten"
    driver.execute_script("document.activeElement.blur()")
    ActionChains(driver).send_keys("/").perform()
    assert driver.switch_to.active_element.get_attribute("data-search") is None
    driver.execute_script("arguments[0].click()", toggle)
    assert toggle.text == "Sneltoets uitzetten"

    # follow an entity mention to its page
    mention = driver.find_element(By.CSS_SELECTOR, ".passage-body a.mention")
    href = mention.get_attribute("href")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", mention)
    mention.click()
    wait(driver).until(EC.url_to_be(href))
    assert driver.find_element(By.TAG_NAME, "h1").text
    groups = driver.find_elements(By.CSS_SELECTOR, ".mention-group")
    assert groups and driver.find_elements(By.CSS_SELECTOR, ".mention-list mark")
    screenshot(driver, artifacts_dir, "entity")
    driver.get(href)
    screenshot(driver, artifacts_dir, "entity-320", width=320)


def test_narrow_screens_do_not_scroll_sideways(driver: WebDriver, base_url: str) -> None:
    """320 px (WCAG 1.4.10 reflow) and 640 px (a 1280 px screen at 200% zoom)."""
    passage, document, entity = detail_pages(driver, base_url)
    try:
        for width in (320, 640):
            driver.set_window_size(width, 800)
            for url in (base_url + "/", base_url + "/zoeken?q=migratie", passage, document, entity,
                        base_url + "/entiteiten", base_url + "/maatregelen"):
                driver.get(url)
                assert no_horizontal_scroll(driver), (width, url)
    finally:
        driver.set_window_size(1280, 900)


def test_keyboard_focus_is_visible(driver: WebDriver, base_url: str) -> None:
    driver.get(base_url + "/documenten")
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    skip = driver.switch_to.active_element
    assert skip.text == "Naar de inhoud" and skip.is_displayed()
    outline = driver.execute_script("const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth]", skip)
    assert outline[0] != "none" and float(outline[1].rstrip("px")) >= 3
    skip.send_keys(Keys.ENTER)
    assert driver.execute_script("return location.hash") == "#inhoud"


# -- accessibility ---------------------------------------------------------------------------------
@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run `npm ci` (make browser-deps)")
def test_axe_on_main_pages(driver: WebDriver, base_url: str, artifacts_dir: Path) -> None:
    driver.set_window_size(1280, 900)
    passage, document, entity = detail_pages(driver, base_url)
    pages = {
        "home": base_url + "/",
        "results": base_url + "/zoeken?q=migratie&entity_type=ORG",
        "no-results": base_url + "/zoeken?q=xqzvwkjh",
        "passage": passage,
        "document": document,
        "entity": entity,
        "entities": base_url + "/entiteiten",
        "measures": base_url + "/maatregelen",
        "measures-results": base_url + "/maatregelen?type=result&pagina=2",
        "measures-fund-entity": base_url + "/maatregelen?fonds=AMF&entity=amf",
        "funds": base_url + "/fondsen",
        "fund-bmvi": base_url + "/fondsen/BMVI",
        "fund-amf": base_url + "/fondsen/AMF",
        "api-docs": base_url + "/api",
    }
    serious = describe(axe_pages(driver, pages, artifacts_dir / "axe-report.json"), ("serious", "critical"))
    assert not serious, "\n".join(serious)
