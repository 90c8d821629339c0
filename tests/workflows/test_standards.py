"""The standards library on PostgreSQL: a new version keeps the old one readable, search finds a Chinese word inside
titles and items of current versions only, a repair item shows its category's standard, bad input stores nothing,
and another school's documents never show."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.models import AuditEvent
from workflows.catalogue.models import CatalogueItem
from workflows.demo import create_school
from workflows.people.models import User
from workflows.people.service import create_user
from workflows.standards import service
from workflows.standards.models import StandardVersion
from workflows.standards.service import StandardError, Writing

CLEANING = "1 公共区域每日清扫两次\n2 垃圾桶每日清运一次\n3.1 卫生间每两小时巡检"


@pytest.fixture
def library(runtime, migrated_pg_url):
    harness = runtime(migrated_pg_url)
    with harness.session() as session:
        ours, theirs = create_school(session, code="a", name="甲大学"), create_school(session, code="b", name="乙大学")
        author = create_user(session, username="quality", password="pw", display_name="质量办", school_id=ours.school_id)
        stranger = create_user(session, username="other", password="pw", display_name="外校", school_id=theirs.school_id)
        session.flush()
        category = session.scalar(select(CatalogueItem.id).where(CatalogueItem.school_id == ours.school_id,
                                                                 CatalogueItem.code == "G"))
        service.create(session, school_id=ours.school_id, code="BJ-01", service_type="cleaning", catalogue_item_id=category,
                       writing=Writing(title="保洁服务标准", items=CLEANING), author=author)
        service.create(session, school_id=theirs.school_id, code="BJ-01", service_type="cleaning", catalogue_item_id=None,
                       writing=Writing(title="乙校保洁标准", items="公共区域每日清扫一次"), author=stranger)
    return harness, ours.school_id, theirs.school_id


def test_a_new_version_keeps_the_old_one_readable_and_search_reads_the_current_one(library):
    harness, school, other = library
    with harness.session() as session:
        document = service.by_code(session, school_id=school, code="BJ-01")
        first = service.version_of(session, document)
        assert [(i["number"], i["text"]) for i in first.items] == [("1", "公共区域每日清扫两次"), ("2", "垃圾桶每日清运一次"),
                                                                    ("3.1", "卫生间每两小时巡检")]
        author = session.scalar(select(AuditEvent.actor).where(AuditEvent.action == "standards.created",
                                                               AuditEvent.school_id == school))
        assert author == "quality"
        quality = session.scalar(select(User).where(User.username == "quality"))
        service.revise(session, document, writing=Writing(title="保洁服务标准", items="公共区域每日清扫三次\n垃圾桶每日清运两次",
                                                          note="提高频次"), author=quality,
                       catalogue_item_id=document.catalogue_item_id)
    with harness.session() as session:
        document = service.by_code(session, school_id=school, code="BJ-01")
        assert document.current_version == 2
        assert [v.version for v in service.versions(session, document)] == [2, 1]
        assert service.version_of(session, document, 1).items[0]["text"] == "公共区域每日清扫两次"  # still readable
        assert service.version_of(session, document).note == "提高频次"

        def found(words: str, school_id: int = school) -> list[str]:
            return [v.title for _d, v in service.search(session, school_id=school_id, words=words)]

        assert found("清扫三次") == ["保洁服务标准"]
        assert found("清扫两次") == []  # only in version 1
        assert found("保洁") == ["保洁服务标准"] and found("保洁", other) == ["乙校保洁标准"]
        assert found("100%") == [] and found("_") == []  # wildcards are words
        item = session.scalar(select(CatalogueItem.id).where(CatalogueItem.school_id == school, CatalogueItem.code == "G01"))
        shown = service.for_service(session, school_id=school, catalogue_item_id=item)
        assert [v.items[0]["text"] for _d, v in shown] == ["公共区域每日清扫三次"]
        assert service.for_service(session, school_id=other, catalogue_item_id=item) == []


def test_bad_input_stores_nothing(library):
    harness, school, other = library
    with harness.session() as session:
        quality = session.scalar(select(User).where(User.username == "quality"))
        document = service.by_code(session, school_id=school, code="BJ-01")
        theirs = session.scalar(select(CatalogueItem.id).where(CatalogueItem.school_id == other))
        before = session.scalar(select(func.count(StandardVersion.id)))
        for call, field in (
            (lambda: service.revise(session, document, writing=Writing(title="x", items="a", note=""), author=quality,
                                    catalogue_item_id=None), "note"),
            (lambda: service.revise(session, document, writing=Writing(title="x", items="", note="n"), author=quality,
                                    catalogue_item_id=None), "items"),
            (lambda: service.create(session, school_id=school, code="BJ-01", service_type="cleaning", catalogue_item_id=None,
                                    writing=Writing(title="t", items="a"), author=quality), "code"),
            (lambda: service.create(session, school_id=school, code="SS-01", service_type="cleaning",
                                    catalogue_item_id=theirs, writing=Writing(title="t", items="a"), author=quality),
             "catalogue_item_id"),
        ):
            with pytest.raises(StandardError) as refused:
                call()
            assert refused.value.field == field
        session.rollback()
    with harness.session() as session:
        assert session.scalar(select(func.count(StandardVersion.id))) == before
        assert service.by_code(session, school_id=school, code="BJ-01").current_version == 1
