"""Following a link of the header's menus as a person does: on a phone the menu button first, then the menu that
holds the link, then the link."""
from __future__ import annotations


def follow_menu(page, href: str) -> None:
    # the menus' script binds its buttons on DOMContentLoaded: a click before that opens nothing
    page.wait_for_load_state("domcontentloaded")
    toggle = page.locator("[data-menu-toggle]")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    link = page.locator(f'.nav a[href="{href}"]')
    button = page.locator(".nav .has-menu", has=page.locator(f'a[href="{href}"]')).locator(".menu-button")
    if button.count() and button.get_attribute("aria-expanded") != "true":
        button.click()
    link.click()
