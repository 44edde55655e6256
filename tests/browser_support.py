"""Shared helpers of the browser tests: the real server, a real headless Chromium, and the few steps every
browser test takes (wait, click a control scrolled into view, save a whole-page screenshot)."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

from settings import PROJECT_ROOT, Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def require_chromium() -> None:
    """Skip the calling test module (at import) when Chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium chromium-driver)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """``beleidsbank serve`` (gunicorn) on a free port in a subprocess, until it answers; its base URL."""
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "beleidsbank.cli", "serve", "--data", str(settings.data_dir),
         "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--threads", "4"],
        stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"beleidsbank serve exited with {proc.returncode}:\n{log.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("beleidsbank serve did not answer within 30 s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextmanager
def chromium(*, javascript: bool = True) -> Iterator[Any]:
    """Headless Chromium driven by Selenium (Dutch, 1280x900); ``javascript=False`` blocks page scripts."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="bb-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={profile}", "--lang=nl-NL", "--window-size=1280,900"):
        opts.add_argument(arg)
    if not javascript:
        opts.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    drv.set_page_load_timeout(30)
    drv.set_script_timeout(30)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def axe(driver: Any) -> dict[str, Any]:
    """axe-core's WCAG 2.1 A/AA and best-practice violations on the current page."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    assert driver.execute_script("return typeof window.axe") == "object", "axe-core was not injected (CSP?)"
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        ".then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))}))"
        ".catch(e => done({error: String(e)}));"
    )


def axe_pages(driver: Any, pages: dict[str, str], report: Path) -> dict[str, list[dict[str, Any]]]:
    """axe-core on each page (name -> URL); the violations per page, also written to ``report`` (JSON)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for name, url in pages.items():
        driver.get(url)
        result = axe(driver)
        assert "error" not in result, result
        found[name] = result["violations"]
    report.write_text(json.dumps(found, ensure_ascii=False, indent=2), encoding="utf-8")
    return found


def describe(violations: dict[str, list[dict[str, Any]]], impacts: tuple[str, ...] | None = None) -> list[str]:
    """One line per violation (of the given impacts; all when None)."""
    return [f"{name}: {v['id']} ({v['impact']}): {v['help']} — {v['nodes']}" for name, found in violations.items()
            for v in found if impacts is None or v["impact"] in impacts]


def wait(driver: Any, seconds: float = 10) -> Any:
    """A ``WebDriverWait`` on the driver (``wait(driver).until(...)``)."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds)


def click(driver: Any, element: Any) -> None:
    """Click a control after scrolling it into the middle of the window (a sticky header cannot cover it)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    element.click()


def screenshot(driver: Any, directory: Path, name: str, width: int = 1280) -> Path:
    """Whole page at the given width (height capped), restored to 1280x900 afterwards."""
    driver.set_window_size(width, 900)
    chrome = driver.execute_script("return window.outerHeight - window.innerHeight")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(int(height) + int(chrome), 600), 6000))
    driver.execute_script("window.scrollTo(0, 0)")
    time.sleep(0.1)
    path = directory / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 900)
    return path
