"""Every benchmark, one after the other, with the machine they ran on.

    .venv/bin/python benchmarks/run_all.py            # the full set (1,000,000 generated orders: long)
    .venv/bin/python benchmarks/run_all.py --only api age   # the API and flat-cost figures alone
    .venv/bin/python benchmarks/run_all.py --quick    # tiny sizes: checks that each runs and prints figures

Each benchmark runs in its own process (so one's memory does not count against the next) against throw-away
PostgreSQL databases; their figures are printed as they come. Needs PostgreSQL and Redis on 127.0.0.1.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

FULL = {
    "lifecycle": ["--seconds", "3", "--runs", "3"],
    "api": ["--seconds", "10", "--runs", "3", "--clients", "4"],
    "age": ["--days", "30", "--samples", "5", "--rounds", "20"],
    "sweep": ["--orders", "100000", "--due", "1000", "--workers", "1", "2", "--runs", "3"],
    "web": ["--seconds", "10", "--runs", "3", "--clients", "8"],
    "scale": ["--orders", "1000000", "--schools", "10", "--samples", "30"],
    "faces": ["--enrolled", "10000", "--checkins", "20", "--people", "1000"],
    "duty": ["--readings", "100000", "--devices", "50", "--batch", "1000"],
}
QUICK = {
    "lifecycle": ["--seconds", "0.3", "--runs", "1"],
    "api": ["--seconds", "1", "--runs", "1", "--clients", "2", "--split", "2"],
    "age": ["--days", "2", "--samples", "1", "--rounds", "3"],
    "sweep": ["--orders", "200", "--due", "5", "--workers", "1", "--runs", "1"],
    "web": ["--seconds", "0.5", "--runs", "1", "--clients", "2", "--jobs", "20"],
    "scale": ["--orders", "600", "--schools", "1", "--samples", "2"],
    "faces": ["--enrolled", "300", "--checkins", "2", "--people", "3"],
    "duty": ["--readings", "2000", "--devices", "5", "--batch", "500"],
}


def machine() -> str:
    """CPU model, cores, memory and load: figures mean little without them."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores, {memory / 1024 / 1024:.0f} GB RAM, Python {platform.python_version()}, "
            f"load average {load} at start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for a smoke test")
    parser.add_argument("--only", nargs="+", choices=list(FULL), help="run these benchmarks only")
    parser.add_argument("--database-url", default=POSTGRES, help="PostgreSQL server to make throw-away databases on")
    parser.add_argument("--redis-url", help="a Redis database the sweep, lifecycle and api benchmarks may empty")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    print(f"machine: {machine()}", flush=True)
    failed = []
    for name, extra in plan.items():
        if args.only and name not in args.only:
            continue
        print(f"\n== {name} {' '.join(extra)}", flush=True)
        started = time.perf_counter()
        urls = [f"sqlite:///{tempfile.mkdtemp()}/bench.db"] if name == "lifecycle" else []  # and SQLite there
        extra = [*extra, *(arg for url in [*urls, args.database_url] for arg in ("--database-url", url)),
                 *(["--redis-url", args.redis_url] if args.redis_url and name in ("sweep", "lifecycle", "api") else [])]
        result = subprocess.run([sys.executable, str(HERE / f"{name}.py"), *extra], cwd=HERE.parent)
        print(f"-- {name}: {time.perf_counter() - started:.0f} s", flush=True)
        if result.returncode:
            failed.append(name)
    if failed:
        sys.exit(f"benchmarks that did not run to the end: {', '.join(failed)}")


if __name__ == "__main__":
    main()
