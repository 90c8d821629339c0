"""The rating page names what is rated and who did it, asks with tap-to-rate stars (radio inputs underneath, each
named by its words) and ends in one submit button; the requester's own order page offers the button first and
keeps the QR code for wider screens."""
from __future__ import annotations

import html
import re

STARS = {"overall": "4", "quality": "5", "efficiency": "4", "attitude": "5", "comment": "修得很快"}


def own_link(site, number: str) -> str:
    page = site.client("requester").page(f"/orders/{number}?lang=zh_CN")
    card = page[page.index('data-testid="rating-link"'):]
    assert '<a class="button primary rate-now"' in card and '<div class="rating-qr">' in card
    url = html.unescape(re.search(r'<a class="button primary rate-now" href="([^"]+)">去评价</a>', card).group(1))
    return url.removeprefix("http://localhost")


def test_the_rating_page_names_the_job_and_asks_with_stars(site):
    number = site.done_job()
    link = own_link(site, number)
    requester = site.client("requester")
    page = requester.page(f"{link}?lang=zh_CN")
    assert '<h1 data-testid="rated-job">为 刘建军 的「水管漏水」维修评价</h1>' in page
    for name in ("overall", "quality", "efficiency", "attitude"):
        field = page[page.index(f'data-stars="{name}"'):]
        field = field[:field.index("</fieldset>")]
        radios = re.findall(r'<input class="star-input" id="[^"]+" name="(\w+)" required type="radio" value="(\d)"', field)
        assert radios == [(name, str(n)) for n in range(1, 6)]
        assert '<span class="sr-only">4 星 · 满意</span>' in field and '<span data-said="1">1 星 · 非常不满意</span>' in field
    assert page.count('<button type="submit"') == 2  # the form's one button, and the header's log-out
    assert '<button type="submit" class="primary">提交评价</button>' in page

    english = requester.page(f"{link}?lang=en")
    assert "Rate 刘建军’s repair: “Water leak”" in english and '<span class="sr-only">4 stars · Satisfied</span>' in english

    missing = requester.submit(link, {"overall": "4"}).get_data(as_text=True)
    assert 'class="field stars-field has-error" data-stars="quality"' in missing
    assert '<input checked class="star-input" id="overall-3"' in missing  # the choice is kept
    thanks = requester.submit(link, STARS)
    assert thanks.status_code == 200 and "was recorded" in thanks.get_data(as_text=True)
