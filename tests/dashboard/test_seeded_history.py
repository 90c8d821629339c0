"""The seeded demo history gives figures of the kind seed 1 reports (about 98 % good, green > yellow > red
solved, every bad rating called back), and every drill-down list matches its figure on it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from websupport import START

from workflows.dashboard import FIGURE_KEYS, drilldown, figures
from workflows.demo_history import seed_history


@pytest.fixture
def history(site):
    with site.db() as session:
        seed_history(session, site.runtime.rules.book(session, site.school_id), school_id=site.school_id)
    return site


def test_seeded_history_reproduces_seed_one(history):
    window = {"school_id": history.school_id, "start": START - timedelta(days=61), "end": START}
    with history.db() as session:
        result = figures(session, **window)
        f = result["figures"]
        assert f["received"] > 1800 and f["completed"] == f["received"]  # the open orders are the replay's
        assert 0.97 <= f["good_rate"] <= 0.995
        assert f["good_ratings"] > 1500 and 10 <= f["bad_ratings"] <= 60 and f["default_good"] > 0
        assert f["solved_green"] > f["solved_yellow"] > f["solved_red"] > 0
        assert f["callbacks_done"] + f["callbacks_pending"] == f["bad_ratings"]
        assert sum(d["received"] for d in result["trend"]) == f["received"]
        for key in FIGURE_KEYS:
            assert drilldown(session, figure=key, **window)["total"] == f[key], key
