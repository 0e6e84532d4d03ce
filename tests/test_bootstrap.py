"""A newcomer's first command on a Debian or Ubuntu server (issue 14, item 1): the Makefile's
install from a clean clone, with the distribution's own Python first on PATH (externally
managed, PEP 668: pip refuses to install into it) and no uv anywhere on PATH."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import PROJECT

SYSTEM_PATH = "/usr/bin:/bin"
DEBIAN_PYTHON = Path("/usr/bin/python3")


def clean_clone(dst: Path) -> Path:
    """The files git tracks, as they are in the working tree (so the change under test is what
    runs): no .venv, no .tools, no caches, no warehouse."""
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        src, out = PROJECT / name, dst / name
        if not src.exists() and not src.is_symlink():  # deleted in the working tree, not committed yet
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, out, follow_symlinks=False)
    return dst


@pytest.mark.slow
def test_make_install_works_with_debians_externally_managed_python_and_no_uv(tmp_path):
    managed = list(Path("/usr/lib").glob("python3*/EXTERNALLY-MANAGED"))
    if not DEBIAN_PYTHON.exists() or not managed:
        pytest.skip("no externally managed /usr/bin/python3 here (.ci/run installs Debian's python3-venv)")
    assert shutil.which("uv", path=SYSTEM_PATH) is None, "uv is on the system PATH: nothing would be proved"
    assert shutil.which("python3", path=SYSTEM_PATH) == str(DEBIAN_PYTHON)
    # what the old bootstrap did, refused as the issue saw it
    refused = subprocess.run([str(DEBIAN_PYTHON), "-m", "pip", "install", "--dry-run", "uv"],
                             capture_output=True, text=True)
    assert refused.returncode != 0 and "externally-managed-environment" in refused.stderr

    clone = clean_clone(tmp_path / "party-warehouse")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("UV_", "VIRTUAL_ENV", "PYENV", "PYTHON", "CONDA"))}
    env |= {"PATH": SYSTEM_PATH, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    p = subprocess.run(["make", "install"], cwd=clone, env=env, capture_output=True, text=True, timeout=1200)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]

    assert (clone / ".tools" / "bin" / "uv").is_file()  # uv in the project's private venv
    assert (clone / ".venv" / ".synced").is_file()
    cfg = (clone / ".venv" / "pyvenv.cfg").read_text()
    assert "home = /usr/bin\n" in cfg  # the environment is built on Debian's Python
    check = subprocess.run([str(clone / ".venv" / "bin" / "python"), "-c", "import duckdb, polars, prefect, flows"],
                           cwd=clone, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    # nothing was installed into the system Python
    assert subprocess.run([str(DEBIAN_PYTHON), "-c", "import uv"], capture_output=True).returncode != 0
    # a second install has nothing to do
    again = subprocess.run(["make", "install"], cwd=clone, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "Nothing to be done" in again.stdout
