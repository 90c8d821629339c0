"""Waiting for a picture to arrive: a thumbnail is in the page before its bytes are, most of all on a busy machine."""
from __future__ import annotations


def wait_until_shown(image) -> None:
    """Wait until the ``<img>`` the locator finds has loaded and has a width: the server sent a real picture."""
    image.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
