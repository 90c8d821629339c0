"""A process module's demo hook: it names its seeder and imports it only when the demo is seeded.

Demo seeders pull in what a running school never uses (time_machine, invented names, the demo school's people), so
a module declaration must not import them: ``demo=demo_hook("workflows.demo_duty:seed_demo")`` keeps starting the
app free of demo code (``tests/test_layers.py`` starts one and looks).
"""
from __future__ import annotations

from importlib import import_module

from sqlalchemy.orm import Session

from workflows.modules.contract import DemoSeeder, DemoSetting


def demo_hook(seeder: str) -> DemoSeeder:
    """The :attr:`ProcessModule.demo` that imports ``seeder`` (``"package.module:function"``, a
    :data:`DemoSeeder`) when it is first called and calls it."""
    module, _, function = seeder.partition(":")

    def seed(session: Session, demo: DemoSetting) -> object:
        seeded: DemoSeeder = getattr(import_module(module), function)
        return seeded(session, demo)

    return seed
