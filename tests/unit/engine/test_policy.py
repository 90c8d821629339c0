"""The task policy on plain values: the school decides first, then the grants."""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.actor import Actor
from engine.policy import NO_RIGHTS, TaskPolicy

POLICY = TaskPolicy(manager_roles=frozenset({"auditor"}), personal_roles=frozenset({"requester"}),
                    admin_roles=frozenset({"admin"}))


@dataclass
class Row:
    school_id: int | None = 1
    role: str | None = "worker"
    org_unit_id: int | None = 7
    assignee_id: int | None = None
    candidate_ids: list[int] | None = field(default_factory=list)


def test_a_whole_school_grant_never_reaches_another_school():
    auditor = Actor(id=1, name="a", school_id=1, grants=frozenset({("auditor", None), ("worker", None)}))
    assert POLICY.rights(auditor, Row(school_id=1)).manage and POLICY.rights(auditor, Row(school_id=1)).complete
    assert POLICY.rights(auditor, Row(school_id=2)) == NO_RIGHTS
    assert POLICY.rights(auditor, Row(school_id=None)) == NO_RIGHTS
    platform = Actor(id=None, name="system", school_id=None, grants=frozenset({("worker", None)}))
    assert POLICY.rights(platform, Row(school_id=2)).complete


def test_holder_group_member_and_manager():
    holder = Actor(id=5, name="w", school_id=1, grants=frozenset({("worker", 7)}))
    peer = Actor(id=6, name="p", school_id=1, grants=frozenset({("worker", 7)}))
    held = Row(assignee_id=5)
    mine = POLICY.rights(holder, held)
    assert mine.complete and mine.release and mine.hand_over and mine.reassign and not mine.claim and not mine.manage
    theirs = POLICY.rights(peer, held)
    assert not (theirs.see or theirs.complete or theirs.hand_over or theirs.reassign)
    open_row = POLICY.rights(peer, Row())
    assert open_row.claim and open_row.hand_over and not open_row.release


def test_personal_tasks_are_never_released_handed_on_or_managed():
    requester = Actor(id=9, name="r", school_id=1)
    auditor = Actor(id=1, name="a", school_id=1, grants=frozenset({("auditor", None)}))
    rate = Row(role="requester", org_unit_id=None, assignee_id=9)
    own = POLICY.rights(requester, rate)
    assert own.complete and not (own.release or own.hand_over)
    assert POLICY.rights(auditor, rate) == NO_RIGHTS


def test_an_administrator_may_reassign_but_not_do_or_see():
    admin = Actor(id=3, name="ad", school_id=1, grants=frozenset({("admin", None)}))
    rights = POLICY.rights(admin, Row(assignee_id=5))
    assert rights.reassign and not (rights.see or rights.complete or rights.hand_over)
    assert not POLICY.rights(admin, Row(school_id=2, assignee_id=5)).reassign
