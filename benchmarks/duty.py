"""Operating-data ingestion at volume: 100,000 readings from 50 devices posted in batches.

    .venv/bin/python benchmarks/duty.py [--readings 100000] [--devices 50] [--batch 1000]

Each batch goes through the same routine as ``POST /api/v1/duty/readings`` (checked whole, inserted with ``ON
CONFLICT DO NOTHING``, episodes followed, one transaction per batch). Every device runs too hot for a few minutes
every six hours, each at its own time, so batches carry readings out of range that open or extend an episode (one
anomaly and one PDCA per episode). Prints readings/s, batch p50/p95, anomalies and PDCAs started, and the detection
lag: from the moment a batch holding a reading out of range is posted to the moment its anomaly is committed. A
second pass posts the first 10 batches again: nothing is stored twice. Never fails on timing.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from runtime import demo_runtime, percentile, scratch_database  # noqa: E402

from engine.clock import now  # noqa: E402
from engine.db import unit_of_work  # noqa: E402
from engine.models import ProcessInstance  # noqa: E402
from workflows.duty import readings  # noqa: E402
from workflows.duty.enums import EquipmentKind  # noqa: E402
from workflows.duty.models import Anomaly, Equipment, Reading  # noqa: E402
from workflows.people.models import User  # noqa: E402


def _devices(runtime, count: int) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    with unit_of_work(runtime.host.session_factory) as session:
        school = session.scalar(select(User.school_id).where(User.username == "requester"))
        codes = [f"BOILER-{n:03d}" for n in range(count)]
        session.add_all(Equipment(school_id=school, code=code, name=f"{n}号锅炉", kind=EquipmentKind.boiler, place="锅炉房",
                                  limits={}, active=True) for n, code in enumerate(codes))
    return school, codes


def _batches(codes: list[str], total: int, size: int) -> list[list[dict]]:
    """Readings one a minute per device, oldest first, ending now; four minutes of every six hours run hot, each
    device at its own time (so a batch opens an episode or two, as readings from the field would)."""
    per_device = total // len(codes)
    start = now() - timedelta(minutes=per_device)
    rows = [{"device": code, "metric": "boiler_temperature", "at": (start + timedelta(minutes=m)).isoformat(),
             "value": 97.0 if 10 <= (m + 7 * n) % 360 <= 13 else 75.0 + m % 7}
            for m in range(per_device) for n, code in enumerate(codes)]
    return [rows[i:i + size] for i in range(0, len(rows), size)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=100_000)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--database-url", action="append", required=True)
    args = parser.parse_args()
    with scratch_database(args.database_url[-1]) as url:
        runtime = demo_runtime(url, Path(tempfile.mkdtemp()))
        school, codes = _devices(runtime, args.devices)
        batches = _batches(codes, args.readings, args.batch)
        latencies, lags = [], []
        started = time.perf_counter()
        for batch in batches:
            posted = time.perf_counter()
            with unit_of_work(runtime.host.session_factory) as session:
                book = runtime.rules.book(session, school)
                result = readings.ingest(session, runtime.host, book, school_id=school, batch=batch, actor="bench")
            done = time.perf_counter() - posted
            latencies.append(done)
            if result.anomalies:
                lags.append(done)
        elapsed = time.perf_counter() - started
        stored = sum(len(b) for b in batches)
        with unit_of_work(runtime.host.session_factory) as session:
            anomalies = session.scalar(select(func.count(Anomaly.id))) or 0
            pdcas = session.scalar(select(func.count(ProcessInstance.id)).where(ProcessInstance.process_key == "duty_pdca")) or 0
        print(f"ingested {stored} readings in {len(batches)} batches of {args.batch}: {stored / elapsed:,.0f} readings/s "
              f"({elapsed:.1f} s)")
        print(f"batch p50 {statistics.median(latencies) * 1000:.0f} ms  p95 {percentile(latencies, .95) * 1000:.0f} ms")
        print(f"anomalies {anomalies}, PDCA processes started {pdcas}")
        if lags:
            print(f"detection lag (batch posted → anomaly committed): p50 {statistics.median(lags) * 1000:.0f} ms  "
                  f"p95 {percentile(lags, .95) * 1000:.0f} ms  max {max(lags) * 1000:.0f} ms")
        again = 0
        for batch in batches[:10]:
            with unit_of_work(runtime.host.session_factory) as session:
                again += readings.ingest(session, runtime.host, runtime.rules.book(session, school), school_id=school,
                                         batch=batch, actor="bench").stored
        with unit_of_work(runtime.host.session_factory) as session:
            rows = session.scalar(select(func.count(Reading.id))) or 0
        print(f"the first 10 batches posted again: {again} stored (must be 0); readings in the table {rows}")
        runtime.db_engine.dispose()


if __name__ == "__main__":
    main()
