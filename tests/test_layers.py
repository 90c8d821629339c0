"""Imports point down only: engine knows nothing of the domain, the domain nothing of the web."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "engine": {"workflows", "webapp", "forms", "rules"},
    "rules": {"workflows", "webapp", "forms"},
    "forms": {"workflows", "webapp", "rules"},
    "workflows": {"webapp"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_what_lies_below_it(package):
    offenders = {str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN[package])
                 for path in (ROOT / package).rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_starting_the_app_loads_no_demo_code(tmp_path):
    """Demo seeders (and time_machine, which some of them travel with) are imported when the demo is seeded, never
    when the app starts; a fresh interpreter, as other tests in this one have imported them."""
    start = ("import sys\n"
             "from pathlib import Path\n"
             "from webapp import create_app\n"
             "from webapp.config import Settings\n"
             f"data = Path({str(tmp_path)!r})\n"
             "create_app(settings=Settings(database_url=f'sqlite:///{data / \"houqin.db\"}', redis_url=None,\n"
             "                             secret_key='test', data_dir=data / 'data'))\n"
             "print(sorted(name for name in sys.modules if name == 'time_machine' or name.startswith('workflows.demo')))\n")
    loaded = subprocess.run([sys.executable, "-c", start], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
