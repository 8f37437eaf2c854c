"""Every benchmark script runs once at a tiny size, so none of them rots unnoticed (the
real sizes stay manual; the figures belong in the README, not in a test)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

RUNS = {
    # Every GET page of the console's router, both roles (issue 20).
    "console.py": (
        # A generous limit: 5 requests on a busy test machine are no measurement.
        ["--offers", "100", "--clients", "60", "--requests", "5", "--limit-ms", "2000"],
        [
            r"^/console/site/flyer\.pdf +coordinator +p50",
            r"^/console/week +case manager +p50",
            r"all pages p99 < 2000 ms",
        ],
    ),
    "offers_search.py": (["--count", "200", "--queries", "20"], [r"p50 +[\d.]+ ms"]),
    "reminders.py": (
        ["--count", "30", "--workers", "2", "--rate", "25", "--limit", "30"],
        [r"delivered: +30 ", r"duplicates: +0\b", r"lost: +0\b", r"workers: +2 "],
    ),
    # Starts the real bot and the echo bot (benchmarks/echo_bot.py) as processes.
    "updates.py": (
        ["--clients", "1", "--rounds", "1"],
        [r"^echo : +\d+ updates", r"^lotse: +\d+ updates", r"ratio \(Lotse p50 / echo p50\)"],
    ),
}


@pytest.mark.e2e
@pytest.mark.parametrize("script", sorted(RUNS))
async def test_the_benchmark_runs_and_prints_its_figures(script: str, tmp_path: Path) -> None:
    args, expected = RUNS[script]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "benchmarks" / script),
        *args,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=240)
    text = output.decode(errors="replace")
    assert process.returncode == 0, text[-2000:]
    for pattern in expected:
        assert re.search(pattern, text, flags=re.MULTILINE), (pattern, text[-2000:])


@pytest.mark.e2e
async def test_the_updates_benchmark_runs_with_two_webhook_processes(tmp_path: Path) -> None:
    """`--processes 2`: two webhook processes of each bot behind nginx, Lotse on
    PostgreSQL (TEST_PG_ADMIN_URL, from .ci/run) and Redis (db 14 of TEST_REDIS_URL)."""
    admin, redis = os.environ.get("TEST_PG_ADMIN_URL"), os.environ.get("TEST_REDIS_URL")
    if not (admin and redis and shutil.which("nginx")):
        if os.environ.get("CI"):
            pytest.fail("TEST_PG_ADMIN_URL, TEST_REDIS_URL and nginx come from .ci/run")
        pytest.skip("needs PostgreSQL, Redis and nginx (outside CI only)")
    redis = redis.rsplit("/", 1)[0] + "/14"
    args = ["--processes", "2", "--clients", "2", "--rounds", "1"]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "benchmarks" / "updates.py"),
        *args,
        "--pg-admin-url",
        admin,
        "--redis-url",
        redis,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=240)
    text = output.decode(errors="replace")
    assert process.returncode == 0, text[-2000:]
    assert "2 webhook process(es)" in text, text[-2000:]
    for kind in ("echo", "lotse"):
        found = re.search(rf"^{kind} *: +(\d+) updates", text, flags=re.MULTILINE)
        assert found and int(found.group(1)) == 20, text[-2000:]
