"""Fixtures for the browser tests: the real ``houqin serve`` on 127.0.0.1 in a subprocess (embedded SQLite mode,
fresh data dir per test) and headless Debian Chromium driven by Playwright's sync API.

Never runs ``playwright install``: the browser is the system ``/usr/bin/chromium``. Without it the tests are
skipped, except on CI (``CI=true``) where a missing browser is a failure.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from unavailable import unavailable

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "pages"))  # the page tests' helpers (websupport …), shared with these
TRANSLATIONS = REPO / "webapp" / "translations"
ARTIFACTS = REPO / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
STARTUP_SECONDS = 60
SEEDING_SECONDS = 300  # the first start seeds two months of demo history; a busy machine takes minutes


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def compile_catalogs() -> None:
    """``pybabel compile -d webapp/translations`` for catalogs whose ``.mo`` is missing or older than the ``.po``,
    so the server renders Chinese even on a fresh checkout (the ``.mo`` files are not committed)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parents[1].name)
        partial = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
        with partial.open("wb") as f:
            write_mo(f, catalog, use_fuzzy=False)
        os.replace(partial, mo)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium fonts-wqy-microhei)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _houqin_command() -> list[str]:
    script = Path(sys.executable).with_name("houqin")
    if script.exists():
        return [str(script)]
    found = shutil.which("houqin")
    return [found] if found else [sys.executable, "-c", "from webapp.cli import cli; cli()"]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen
    log: Path
    data_dir: Path  # its database and files, for tests that prepare data the pages would take long to make

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _start(data_dir: Path, log: Path) -> LiveServer:
    """``houqin serve`` on a free 127.0.0.1 port with ``data_dir``, answering its login page."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FLASK_APP", "FLASK_DEBUG", "HOUQIN_DATA_DIR"}}
    # the code of this checkout, even when the installed ``houqin`` script belongs to another checkout's environment
    env.update(HOUQIN_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])))
    port = _free_port()
    with log.open("wb") as out:
        process = subprocess.Popen([*_houqin_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                   cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = LiveServer(url=f"http://127.0.0.1:{port}", process=process, log=log, data_dir=data_dir)
    try:
        _wait_until_up(server, SEEDING_SECONDS if not (data_dir / "houqin.db").exists() else STARTUP_SECONDS)
    except BaseException:
        _stop(server)
        raise
    return server


def _stop(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture(scope="session")
def seeded_data(tmp_path_factory) -> Path:
    """A data dir the demo was seeded into once per test run (the first ``houqin serve`` on it seeds it): the
    first test process to need it seeds it under a lock, the others wait for it. Every live server starts on its
    own copy, so it starts in seconds instead of seeding the demo again."""
    compile_catalogs()
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # this run's folder, which its worker processes share
    home = root / "seeded-demo"
    with (root / "seeded-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / "seeded").exists():
            shutil.rmtree(home, ignore_errors=True)
            home.mkdir()
            _stop(_start(home / "data", home / "server.log"))
            (home / "seeded").touch()
    return home / "data"


@pytest.fixture
def live_server(tmp_path, seeded_data) -> LiveServer:
    """``houqin serve`` on a free 127.0.0.1 port with its own copy of the seeded data dir: schema, bpmn/
    deployed, the demo school with its history, three open quick jobs in the worker's inbox."""
    data_dir = tmp_path / "data"
    shutil.copytree(seeded_data, data_dir)
    server = _start(data_dir, tmp_path / "server.log")
    try:
        yield server
    finally:
        _stop(server)


def _wait_until_up(server: LiveServer, seconds: int) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"houqin serve exited with {server.process.returncode}:\n{server.log_tail()}", pytrace=False)
        try:
            with urllib.request.urlopen(f"{server.url}/login", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"houqin serve did not answer on {server.url} within {seconds}s:\n{server.log_tail()}",
                pytrace=False)


@pytest.fixture
def new_page(request, browser, artifacts, live_server):
    """``new_page(**context_options)`` opens a page in a fresh browser context (own cookies); on failure each
    page's screenshot is kept as ``FAILED-<test>-<n>.png`` and the server log is printed."""
    contexts = []

    def open_page(**options):
        options.setdefault("locale", "zh-CN")
        options.setdefault("timezone_id", "Asia/Shanghai")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    report = getattr(request.node, "rep_call", None)
    failed = report is not None and report.failed
    for number, context in enumerate(contexts):
        if failed:
            for page in context.pages:
                try:
                    page.screenshot(path=str(artifacts / f"FAILED-{request.node.name}-{number}.png"), full_page=True)
                except Exception as err:  # noqa: BLE001 - best effort; the real failure is already reported
                    print(f"could not save a failure screenshot: {err}")
        context.close()
    if failed:
        print(f"--- houqin serve log ({live_server.url}) ---\n{live_server.log_tail()}")
