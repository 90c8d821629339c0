"""Real identity servers for the single sign-on tests, started once per session on loopback, and the web app
served over real HTTP on a thread (the browser's part is played by ``requests``, following redirects).

* a CAS server: django-cas-server in a virtualenv of its own (``cas/requirements.txt``), with a Django project
  of a few lines (``cas/``);
* an OpenID provider: the ``oidc-provider`` npm package (``oidc/package.json``, ``oidc/provider.mjs``).

Both are installed once into ``.pytest_cache`` under a key made of their requirements, so later runs only start
them. A server that cannot be installed or started skips its tests locally and fails them when ``CI=true``, as
tests/conftest.py treats PostgreSQL and Redis.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn
from urllib.parse import urljoin

import pytest
import requests
from factories import Harness, make_user
from unavailable import unavailable
from werkzeug.serving import make_server

HERE = Path(__file__).resolve().parent
STARTUP_SECONDS = 60
INSTALL_SECONDS = 600


def could_not_start(what: str, detail: str) -> NoReturn:
    unavailable(f"{what} could not be started ({detail})")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cache_dir(request, name: str, *inputs: Path) -> Path:
    """A folder under .pytest_cache named by ``name`` and a digest of ``inputs``: a changed requirement installs
    afresh, an unchanged one is reused."""
    digest = hashlib.sha256(sys.version.encode())
    for path in inputs:
        digest.update(path.read_bytes())
    return Path(request.config.cache.mkdir("sso")) / f"{name}-{digest.hexdigest()[:12]}"


def install_once(target: Path, build) -> None:
    """Run ``build(folder)`` into a fresh folder and move it to ``target``, unless ``target`` is there already:
    an interrupted install never leaves a half-built cache behind."""
    if target.exists():
        return
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    build(partial)
    try:
        partial.rename(target)
    except OSError:  # another process finished first
        shutil.rmtree(partial, ignore_errors=True)


def run(command: list[str], what: str, **kwargs) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=INSTALL_SECONDS, **kwargs)
    except (OSError, subprocess.TimeoutExpired) as err:
        could_not_start(what, str(err))
    if done.returncode != 0:
        could_not_start(what, f"{' '.join(command[:3])} … exited {done.returncode}: {(done.stdout + done.stderr)[-2000:]}")


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    started_in: float  # seconds from launch to its first answer (installing not counted)

    def log_tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])


def start(command: list[str], *, what: str, url: str, probe: str, log: Path, **kwargs) -> Server:
    """Launch ``command`` and wait until ``url + probe`` answers."""
    began = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kwargs)
    server = Server(url=url, process=process, log=log, started_in=0.0)
    while time.monotonic() - began < STARTUP_SECONDS:
        if process.poll() is not None:
            could_not_start(what, f"it exited with {process.returncode}:\n{server.log_tail()}")
        try:
            if requests.get(url + probe, timeout=2).status_code < 500:
                server.started_in = time.monotonic() - began
                return server
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.kill()
    could_not_start(what, f"it did not answer within {STARTUP_SECONDS}s:\n{server.log_tail()}")
    raise AssertionError("unreachable")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


# --- the CAS server ---------------------------------------------------------------------------

NORTH, SOUTH = "north", "south"  # two schools on one deployment, each with its own identity provider
CAS_DIR = HERE / "cas"
CAS_PASSWORD = "cas-test-password"  # cas/testauth.py


@pytest.fixture(scope="session")
def cas_server(request, tmp_path_factory) -> Iterator[Server]:
    requirements = CAS_DIR / "requirements.txt"
    venv = cache_dir(request, "cas-venv", requirements)

    def build(folder: Path) -> None:
        run([sys.executable, "-m", "venv", str(folder)], "the CAS server's virtualenv")
        run([str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
             "-r", str(requirements)], "django-cas-server")

    install_once(venv, build)
    data = tmp_path_factory.mktemp("cas")
    port = free_port()
    env = {**os.environ, "CAS_DATA": str(data), "PYTHONPATH": str(CAS_DIR), "DJANGO_SETTINGS_MODULE": "settings"}
    server = start([str(venv / "bin" / "python"), str(CAS_DIR / "serve.py"), str(port)], what="the CAS server",
                   url=f"http://127.0.0.1:{port}", probe="/login", log=data / "cas.log", cwd=CAS_DIR, env=env)
    print(f"CAS server up in {server.started_in:.1f}s")
    yield server
    stop(server)


# --- the OpenID provider ---------------------------------------------------------------------

OIDC_DIR = HERE / "oidc"
OIDC_CLIENT, OIDC_SECRET = "houqin", "oidc-test-secret"  # oidc/provider.mjs


@dataclass
class OidcServer:
    server: Server
    site_port: int  # the port the app under test must listen on: its callbacks are registered with the client

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="session")
def oidc_server(request, tmp_path_factory) -> Iterator[OidcServer]:
    npm, node = shutil.which("npm"), shutil.which("node")
    if not npm or not node:
        could_not_start("the OpenID provider", "node and npm are not installed (apt-get install nodejs npm)")
    modules = cache_dir(request, "oidc-node", OIDC_DIR / "package.json")

    def build(folder: Path) -> None:
        folder.mkdir(parents=True)
        shutil.copy(OIDC_DIR / "package.json", folder / "package.json")
        run([npm, "install", "--no-audit", "--no-fund", "--loglevel=error"], "oidc-provider from npm", cwd=folder)

    install_once(modules, build)
    shutil.copy(OIDC_DIR / "provider.mjs", modules / "provider.mjs")  # beside its node_modules
    port, site_port = free_port(), free_port()
    callbacks = [f"http://127.0.0.1:{site_port}/login/oidc/{school}/back" for school in (NORTH, SOUTH)]
    log = tmp_path_factory.mktemp("oidc") / "oidc.log"
    server = start([node, str(modules / "provider.mjs"), str(port), *callbacks], what="the OpenID provider",
                   url=f"http://127.0.0.1:{port}", probe="/.well-known/openid-configuration", log=log, cwd=modules)
    print(f"OpenID provider up in {server.started_in:.1f}s")
    yield OidcServer(server, site_port)
    stop(server)


# --- the app over HTTP ------------------------------------------------------------------------

@dataclass
class Site:
    url: str
    harness: Harness
    schools: dict[str, int] = field(default_factory=dict)  # code → id
    people: dict[str, int] = field(default_factory=dict)  # name → user id

    def browser(self) -> requests.Session:
        browser = requests.Session()
        browser.headers["Accept-Language"] = "en"
        return browser




@pytest.fixture
def sso_site(tmp_path, migrated_sqlite_url) -> Iterator:
    """Factory: ``sso_site(providers, messaging=None, port=0)`` serves the app with those settings on a free port, with two
    schools: north has Zhang (2024001) and an administrator, south has Li (also 2024001) and Wang (2024099)."""
    from webapp import create_app
    from webapp.config import Settings
    from workflows.notifications.apps import Messaging
    from workflows.people.models import School

    running = []

    def serve(providers, messaging: Messaging | None = None, port: int = 0) -> Site:
        settings = Settings(database_url=migrated_sqlite_url, redis_url=None, secret_key="sso-test-secret",
                            data_dir=tmp_path / "data", sso=tuple(providers), messaging=messaging or Messaging())
        app = create_app(config={"TESTING": True}, settings=settings)
        site = Site(url="", harness=Harness(app.extensions["houqin"]))
        with site.harness.session() as session:
            for code, name in ((NORTH, "North University"), (SOUTH, "South University")):
                school = School(code=code, name=name)
                session.add(school)
                session.flush()
                site.schools[code] = school.id
            for name, code, number, role in (("zhang", NORTH, "2024001", "requester"), ("admin", NORTH, None, "admin"),
                                             ("li", SOUTH, "2024001", "requester"), ("wang", SOUTH, "2024099", "requester")):
                user = make_user(session, username=name, password=f"pw-{name}", school_id=site.schools[code],
                                 roles=[(role, None)])
                user.number, user.display_name = number, name.title()
                site.people[name] = user.id
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        site.url = f"http://127.0.0.1:{server.server_port}"
        running.append((server, thread, app))
        return site

    yield serve
    for server, thread, app in running:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.extensions["houqin"].db_engine.dispose()


_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def form_fields(html: str) -> dict[str, str]:
    """The named inputs of a page's form with their values (hidden ones included)."""
    fields = {}
    for tag in _INPUT.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if "name" in attrs and attrs.get("type") not in ("checkbox", "submit"):
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


_FORM = re.compile(r'<form\b[^>]*action="([^"]*)"', re.I)


def provider_return(browser: requests.Session, response: requests.Response, site_url: str, **typed: str) -> str:
    """Fill in and post the forms an identity provider shows (``typed`` goes into the inputs of those names),
    following its redirects, until it sends the browser back to ``site_url``: that address (not yet opened)."""
    for _ in range(5):
        action = _FORM.search(response.text)
        assert action, f"no form on {response.url}: {response.text[:500]}"
        fields = {name: typed.get(name, value) for name, value in form_fields(response.text).items()}
        response = browser.post(urljoin(response.url, action.group(1)), data=fields, allow_redirects=False)
        while response.is_redirect:
            target = urljoin(response.url, response.headers["Location"])
            if target.startswith(site_url):
                return target
            response = browser.get(target, allow_redirects=False)
    raise AssertionError(f"still at the provider: {response.url}")


def through_forms(browser: requests.Session, response: requests.Response, site_url: str, **typed: str) -> requests.Response:
    """:func:`provider_return`, then back on the site: its answer."""
    return browser.get(provider_return(browser, response, site_url, **typed))
