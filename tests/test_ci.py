"""In CI (CI=true) a missing ../shared fails the test run; elsewhere its tests skip."""
from __future__ import annotations

import os
import subprocess
import sys

from .conftest import PROJECT


def pytest_run(tmp_path, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_gold_facts.py",
                           "-k", "every_gold_set"], cwd=PROJECT, capture_output=True, text=True, timeout=300,
                          env=os.environ | {"PARTY_TEST_SHARED": str(tmp_path / "no-shared")} | env)


def test_missing_shared_fails_in_ci_and_skips_elsewhere(tmp_path):
    ci = pytest_run(tmp_path, CI="true")
    assert ci.returncode == 1, ci.stdout[-2000:]
    assert "CI=true and the test data in" in ci.stdout + ci.stderr and "no-shared" in ci.stdout + ci.stderr
    local = pytest_run(tmp_path, CI="")
    assert local.returncode == 0, local.stdout[-2000:]
    assert "1 skipped" in local.stdout
