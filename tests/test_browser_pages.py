"""What users see, in headless Chromium against ``beleidsbank serve`` (issue 15 defects 1-9, the web
parts of issues 11 and 13): on the shipped collection and on a small mixed one (PDF, Word, web
pages, a scan, an unknown file and a handful of regulations).  axe-core finds no violation at all on
the pages these changes touch, and the filters work with JavaScript switched off."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest

from browser_support import AXE, axe_pages, chromium, describe, require_chromium, serve, wait
from settings import Settings

pytestmark = pytest.mark.browser

require_chromium()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


@pytest.fixture(scope="module")
def shipped(built_settings: Settings) -> Iterator[str]:
    with serve(built_settings) as url:
        yield url


@pytest.fixture(scope="module")
def mixed(mixed_settings: Settings) -> Iterator[str]:
    with serve(mixed_settings) as url:
        yield url


@pytest.fixture(scope="module")
def driver(shipped: str, mixed: str) -> Iterator[WebDriver]:
    with chromium() as drv:
        yield drv


@pytest.fixture(scope="module")
def no_js(shipped: str, mixed: str) -> Iterator[WebDriver]:
    with chromium(javascript=False) as drv:
        yield drv


def text(driver: WebDriver, css: str) -> str:
    return " ".join(driver.find_element(By.CSS_SELECTOR, css).text.split())


def number(pattern: str, value: str) -> int:
    return int(re.search(pattern, value).group(1).replace(".", ""))


# -- defects 1 and 2: values marked, not linked; the sidebar in Dutch ----------------------------
def test_values_are_marked_not_linked_and_the_sidebar_is_dutch(driver: WebDriver, shipped: str,
                                                               built_store) -> None:
    sid = next(s["id"] for s in built_store.sections()
               if {"DATE", "PERCENT"} <= {m["label"] for m in built_store.mentions(section_id=s["id"])})
    driver.get(f"{shipped}/passages/{sid}")
    values = driver.find_elements(By.CSS_SELECTOR, ".passage-body data.value")
    assert values and all(v.get_attribute("value") for v in values)
    assert not driver.find_elements(By.CSS_SELECTOR, "a data.value, data.value a")  # no link around or inside
    hrefs = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a[href]")]
    assert not [h for h in hrefs if re.search(r"/entiteiten/(date|money|percent)$", h)]
    aside = text(driver, ".passage-aside")
    assert "Bedragen, percentages en data" in aside and "Percentages" in aside and "Data" in aside
    assert not re.search(r"\b(date|money|percent) \d+×", aside)
    # the marking is visible (dotted underline), not a link colour
    style = driver.execute_script("const s = getComputedStyle(arguments[0]); return [s.borderBottomStyle, s.cursor]",
                                  values[0])
    assert style[0] == "dotted" and style[1] != "pointer"


# -- defect 3: permalink, canonical link and citation at paragraph level --------------------------
def test_citation_names_the_source_and_links_the_paragraph(driver: WebDriver, shipped: str, built_store) -> None:
    driver.get(f"{shipped}/zoeken?q=terugkeer")
    driver.find_element(By.CSS_SELECTOR, ".result-title a").click()
    wait(driver).until(lambda d: "/passages/" in d.current_url)
    fragment = driver.execute_script("return location.hash")
    block = int(fragment[2:])
    canonical = driver.find_element(By.CSS_SELECTOR, "link[rel=canonical]").get_attribute("href")
    assert canonical.startswith(shipped + "/passages/") and f"b={block}" in canonical and "#" not in canonical
    permalink = driver.find_element(By.CSS_SELECTOR, ".permalink a").text
    assert permalink.startswith(shipped) and permalink.endswith(f"#p{block}") and "q=" not in permalink
    driver.find_element(By.CSS_SELECTOR, "details.cite summary").click()
    citation = driver.find_element(By.ID, "citaat").get_attribute("value")
    doc = next(d for d in built_store.documents() if d["title"] in citation)
    assert citation.startswith(f"{doc['ministry']} (")
    assert f"alinea {block + 1}." in citation and citation.endswith(permalink)
    driver.get(permalink)  # the permalink opens that paragraph, marked
    target = driver.find_element(By.CSS_SELECTOR, f"#p{block}")
    assert "is-marked" in target.get_attribute("class")


# -- defect 4: a page past the end says so --------------------------------------------------------
def test_a_search_page_past_the_end_says_so(driver: WebDriver, shipped: str) -> None:
    driver.get(f"{shipped}/zoeken?q=IND&pagina=99")
    notice = text(driver, ".notice")
    assert notice.startswith("Pagina 99 bestaat niet:") and "Naar de laatste pagina" in notice
    assert "Resultaten" not in text(driver, "#resultaten-kop")
    driver.find_element(By.LINK_TEXT, "Naar de laatste pagina").click()
    assert driver.find_elements(By.CSS_SELECTOR, ".result-title a")
    assert re.search(r"Resultaten \d+–\d+ van \d+", text(driver, "#resultaten-kop"))


# -- defect 5: counts that add up -----------------------------------------------------------------
@pytest.mark.parametrize("site", ["shipped", "mixed"])
def test_home_counts_are_what_the_lists_show(driver: WebDriver, site: str, request: pytest.FixtureRequest) -> None:
    base = request.getfixturevalue(site)
    driver.get(base + "/")
    lead = text(driver, ".hero .lead")
    driver.get(base + "/entiteiten")
    assert number(r"([\d.]+) genoemde entiteit", lead) == number(r"^([\d.]+) entiteit", text(driver, "p[role=status]"))
    listed = sum(number(r"([\d.]+) vermelding", li.text)
                 for li in driver.find_elements(By.CSS_SELECTOR, ".entity-list li"))
    assert number(r"([\d.]+) vermeldingen", lead) == listed
    driver.get(base + "/maatregelen")
    shown = number(r"\(([\d.]+)\)", text(driver, "#uitspraken-kop")) if driver.find_elements(
        By.CSS_SELECTOR, "#uitspraken-kop") else 0
    assert number(r"([\d.]+) uitspra", lead + " 0 uitspraken") == shown


# -- defects 6 and 8: the document page ------------------------------------------------------------
def test_document_page_tells_entries_apart_and_offers_the_full_text(driver: WebDriver, shipped: str) -> None:
    driver.get(f"{shipped}/documenten/contourennota-migratie-veiligheidsfondsen-2021-2027")
    entries = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".toc a")]
    repeated = [e for e in entries if e.startswith("Artikel 3(2)(a)")]
    assert len(repeated) == 5 == len(set(repeated))
    driver.find_element(By.LINK_TEXT, "Lees de volledige tekst").click()
    headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, ".reading-heading")]
    assert len(headings) > 20 and any(h.startswith("Uitgangssituatie Terugkeer") for h in headings)
    assert len(driver.find_elements(By.CSS_SELECTOR, ".reading .passage-body p")) > 50


def test_documents_without_metadata_and_letters_show_right(driver: WebDriver, mixed: str) -> None:
    driver.get(mixed + "/documenten")
    metas = {a.get_attribute("href").rsplit("/", 1)[1]: a.find_element(By.XPATH, "../../p[@class='meta']").text
             for a in driver.find_elements(By.CSS_SELECTOR, ".doc-title a")}
    assert re.fullmatch(r"\d+ secties?", metas["fondsplan"])
    assert not any(m.startswith("·") for m in metas.values())
    driver.get(mixed + "/documenten/brief-woningbouw")
    assert not [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".toc a") if "Minister" in e.text]


# -- defect 7: fund bars -----------------------------------------------------------------------------
def test_fund_bars_are_told_apart_and_give_amounts(driver: WebDriver, shipped: str, mixed: str) -> None:
    for base, amount in ((shipped, None), (mixed, "€ 12 miljoen")):
        driver.get(base + "/fondsen/AMF")
        labels = [t.text for t in driver.find_elements(By.CSS_SELECTOR, ".bar-chart g.bar text:first-child")]
        assert len(labels) == len(set(labels)) >= 4
        if amount:
            assert any(label.endswith(f"({amount})") for label in labels)
            assert amount in text(driver, ".allocation-table")


# -- defect 9: entity pages, one row per passage ---------------------------------------------------
def test_entity_page_lists_each_passage_once(driver: WebDriver, shipped: str) -> None:
    driver.get(f"{shipped}/entiteiten/eu")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".mention-list a.mention-context")]
    assert len(links) == len(set(links)) > 5
    counts = [c.text for c in driver.find_elements(By.CSS_SELECTOR, ".mention-count")]
    assert counts and all(re.match(r"\d+× genoemd", c) for c in counts)


# -- issue 11: unread files, pages of the original, metadata ----------------------------------------
def test_unread_files_and_pdf_pages(driver: WebDriver, mixed: str) -> None:
    driver.get(mixed + "/documenten")
    unread = text(driver, ".unread")
    assert "niet gelezen: scan.pdf — geen tekstlaag" in unread and "gegevens.xyz" in unread
    driver.get(mixed + "/documenten/jaarverslag")
    assert "Kamerstuk 36 740, nr. 1" in text(driver, ".meta-list")
    driver.get(driver.find_elements(By.CSS_SELECTOR, ".toc a")[2].get_attribute("href"))
    ref = driver.find_element(By.CSS_SELECTOR, ".passage-body a.page-ref")
    assert re.match(r"p\. \d+", ref.text) and re.search(r"/documenten/jaarverslag/origineel#page=\d+$",
                                                            ref.get_attribute("href"))
    served = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => done([r.status, r.headers.get('content-type'),"
        " r.headers.get('content-disposition')]))", ref.get_attribute("href"))
    assert served[0] == 200 and served[1] == "application/pdf" and served[2].startswith("inline")


# -- issue 13 and the search page: filters without JavaScript ---------------------------------------
def test_filters_work_without_javascript(no_js: WebDriver, mixed: str) -> None:
    no_js.get(mixed + "/documenten")
    assert not no_js.find_element(By.CSS_SELECTOR, "[data-shortcut-tip]").is_displayed()  # app.js did not run
    Select(no_js.find_element(By.ID, "doc-map")).select_by_value("wet")
    no_js.find_element(By.ID, "doc-q").send_keys(Keys.ENTER)  # submits the filter form
    wait(no_js).until(lambda d: "map=wet" in d.current_url)
    assert [a.text for a in no_js.find_elements(By.CSS_SELECTOR, ".doc-title a")] and "map=wet" in no_js.current_url
    assert all("BWBR0016008" in m.text for m in no_js.find_elements(By.CSS_SELECTOR, ".doc-item .meta"))
    no_js.get(mixed + "/zoeken?q=woningbouw")
    no_js.find_element(By.ID, "zoek-van").send_keys("2025", Keys.ENTER)  # submits the date form
    wait(no_js).until(lambda d: "van=2025" in d.current_url)
    docs = {e.text for e in no_js.find_elements(By.CSS_SELECTOR, ".result-path .doc")}
    assert docs and all("2024" not in d for d in docs)
    assert "Vanaf: 1 januari 2025" in text(no_js, ".active-filters")
    no_js.find_element(By.ID, "facet-box-entity").send_keys("COA", Keys.ENTER)
    wait(no_js).until(lambda d: "entity=" in d.current_url)
    assert "van=2025" in no_js.current_url and "Entiteit: Centraal Orgaan" in text(no_js, ".active-filters")


# -- accessibility: no violation at all on the pages these changes touch ----------------------------
@pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run `npm ci` (make browser-deps)")
def test_axe_finds_no_violation_on_touched_pages(driver: WebDriver, shipped: str, mixed: str,
                                                 artifacts_dir: Path) -> None:
    driver.set_window_size(1280, 900)
    pages = {
        "home": shipped + "/",
        "search-date-range": shipped + "/zoeken?q=migratie&van=2020&tot=2020",
        "search-per-document": shipped + "/zoeken?q=terugkeer&weergave=document",
        "search-past-the-end": shipped + "/zoeken?q=IND&pagina=99",
        "documents": shipped + "/documenten",
        "document": shipped + "/documenten/contourennota-migratie-veiligheidsfondsen-2021-2027",
        "reading": shipped + "/documenten/jenv-jaarverslag-2020-beleidsverslag/tekst",
        "passage": shipped + "/passages/jenv-jaarverslag-2020-beleidsverslag:rechtspraak?b=2",
        "entity": shipped + "/entiteiten/eu",
        "fund": shipped + "/fondsen/AMF",
        "mixed-home": mixed + "/",
        "mixed-documents": mixed + "/documenten?soort=AMvB",
        "mixed-pdf-document": mixed + "/documenten/jaarverslag",
        "mixed-pdf-reading": mixed + "/documenten/jaarverslag/tekst",
        "mixed-regulation": mixed + "/documenten/bwbr0016008",
        "mixed-fund": mixed + "/fondsen/AMF",
        "mixed-search": mixed + "/zoeken?q=woningbouw&van=2025",
    }
    found = describe(axe_pages(driver, pages, artifacts_dir / "axe-report-pages.json"))
    assert not found, "\n".join(found)
