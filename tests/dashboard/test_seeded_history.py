"""The seeded two-week demo history gives figures of the kind seed 1 reports (1247 received, 93.4 % completed,
98.3 % good, green > yellow > red solved), and every drill-down list matches its figure on it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from websupport import START

from workflows.dashboard import FIGURE_KEYS, drilldown, figures
from workflows.demo_history import seed_history


@pytest.fixture
def history(site):
    with site.db() as session:
        seed_history(session, site.runtime.host, school_id=site.school_id, uploads_dir=site.runtime.uploads_dir)
    return site


def test_seeded_history_reproduces_seed_one(history):
    window = {"school_id": history.school_id, "start": START - timedelta(days=16), "end": START + timedelta(days=1)}
    with history.db() as session:
        result = figures(session, **window)
        f = result["figures"]
        assert f["received"] == 1250
        assert 0.90 <= f["completion_rate"] <= 0.96
        assert 0.97 <= f["good_rate"] <= 0.995
        assert f["good_ratings"] > 1000 and 5 <= f["bad_ratings"] <= 40 and f["default_good"] > 0
        assert f["solved_green"] > f["solved_yellow"] > f["solved_red"] > 0
        assert f["callbacks_done"] + f["callbacks_pending"] == f["bad_ratings"]
        assert sum(d["received"] for d in result["trend"]) == f["received"]
        for key in FIGURE_KEYS:
            assert drilldown(session, figure=key, **window)["total"] == f[key], key
