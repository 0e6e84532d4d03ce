"""Run settings: command-line options override environment variables override defaults."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

ENV_RAW_DIR = "PARTY_WAREHOUSE_RAW_DIR"
ENV_WAREHOUSE = "PARTY_WAREHOUSE_FILE"
ENV_BATCH_SIZE = "PARTY_WAREHOUSE_BATCH_SIZE"
ENV_LOCK_TIMEOUT = "PARTY_WAREHOUSE_LOCK_TIMEOUT"
ENV_MAX_FILE_MB = "PARTY_WAREHOUSE_MAX_FILE_MB"
ENV_MIN_FILE_AGE = "PARTY_WAREHOUSE_MIN_FILE_AGE"
ENV_PRUNE = "PARTY_WAREHOUSE_PRUNE"
ENV_CRON = "PARTY_WAREHOUSE_CRON"
ENV_TIMEZONE = "PARTY_WAREHOUSE_TIMEZONE"
ENV_WORKERS = "PARTY_WAREHOUSE_WORKERS"
ENV_DASK_ADDRESS = "PARTY_WAREHOUSE_DASK_ADDRESS"
ENV_CORRECTIONS_DIR = "PARTY_WAREHOUSE_CORRECTIONS_DIR"
ENV_FULL_CHECKS = "PARTY_WAREHOUSE_FULL_CHECKS"

# Files a batch. 1000, not 2000: an extraction worker peaked at 320 MB with 2000 (10,000 news
# articles, --workers 2) and at 263 MB with 1000 (the target: 300 MB); loading took the same time.
DEFAULT_BATCH_SIZE = 1000
DEFAULT_CRON = "0 6 * * *"  # a served deployment runs every day at 06:00 ...
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"  # ... Vietnam time
DEFAULT_MAX_FILE_MB = 20.0  # larger inputs are quarantined ("too_large"), never read
DEFAULT_MIN_FILE_AGE = 0.0  # seconds since a file's last change before a run takes it


def max_file_bytes() -> int:
    """The size limit of one input file, in bytes: $PARTY_WAREHOUSE_MAX_FILE_MB (MiB, may be a
    fraction) or 20 MiB."""
    mb = _number(ENV_MAX_FILE_MB, os.environ.get(ENV_MAX_FILE_MB), DEFAULT_MAX_FILE_MB)
    if mb <= 0:
        raise ValueError(f"{ENV_MAX_FILE_MB} must be a positive number of megabytes")
    return int(mb * 1024 * 1024)


def min_file_age() -> float:
    """Seconds a file must have stayed unmodified before a run takes it:
    $PARTY_WAREHOUSE_MIN_FILE_AGE or 0 (a file is still taken only if its size and mtime did not
    change between listing and reading)."""
    age = _number(ENV_MIN_FILE_AGE, os.environ.get(ENV_MIN_FILE_AGE), DEFAULT_MIN_FILE_AGE)
    if age < 0:
        raise ValueError(f"{ENV_MIN_FILE_AGE} must not be negative")
    return age


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    batch_size: int = DEFAULT_BATCH_SIZE
    lock_timeout: float = 0.0  # seconds to wait for another run's lock; 0 = give up at once
    prune: bool = False  # forget files gone from the raw folder (their articles and facts)
    workers: int = 1  # extraction processes (1: batches extracted in the run's own process)
    dask_address: str | None = None  # extract on this Dask cluster (tcp://HOST:8786)
    corrections_dir: Path | None = None  # the analysts' corrections (CSV); None: `corrections` beside raw_dir
    full_checks: bool = False  # run the data checks over the whole warehouse, not only what the run changed

    @property
    def corrections(self) -> Path:
        """The corrections folder: the setting, else the folder `corrections` beside the raw folder
        (./corrections for the default ./raw). A folder that does not exist holds no corrections."""
        return self.corrections_dir or self.raw_dir.parent / "corrections"

    @classmethod
    def resolve(cls, raw_dir: str | os.PathLike | None = None, warehouse: str | os.PathLike | None = None,
                batch_size: int | None = None, lock_timeout: float | None = None,
                prune: bool | None = None, workers: int | None = None,
                dask_address: str | None = None,
                corrections_dir: str | os.PathLike | None = None,
                full_checks: bool | None = None) -> "Settings":
        env = os.environ
        raw = Path(raw_dir or env.get(ENV_RAW_DIR) or PROJECT_DIR / "raw")
        wh = Path(warehouse or env.get(ENV_WAREHOUSE) or PROJECT_DIR / "warehouse" / "warehouse.duckdb")
        bs = batch_size or int(_number(ENV_BATCH_SIZE, env.get(ENV_BATCH_SIZE), DEFAULT_BATCH_SIZE, int))
        lt = lock_timeout if lock_timeout is not None else _number(ENV_LOCK_TIMEOUT, env.get(ENV_LOCK_TIMEOUT), 0.0)
        pr = prune if prune is not None else _flag(ENV_PRUNE, env.get(ENV_PRUNE))
        wk = workers if workers is not None else int(_number(ENV_WORKERS, env.get(ENV_WORKERS), 1, int))
        da = dask_address or env.get(ENV_DASK_ADDRESS) or None
        cd = corrections_dir or env.get(ENV_CORRECTIONS_DIR) or None
        fc = full_checks if full_checks is not None else _flag(ENV_FULL_CHECKS, env.get(ENV_FULL_CHECKS))
        if bs < 1:
            raise ValueError("batch size must be at least 1")
        if wk < 1:
            raise ValueError("--workers must be at least 1")
        return cls(raw_dir=raw.resolve(), warehouse=wh.resolve(), batch_size=bs, lock_timeout=lt, prune=pr,
                   workers=wk, dask_address=da, corrections_dir=Path(cd).resolve() if cd else None,
                   full_checks=fc)

    def check(self) -> "Settings":
        """Raise FileNotFoundError or ValueError (one line, for a person) when the raw folder or
        the warehouse path cannot work, before a run starts anything (a Prefect server, a lock)."""
        if not self.raw_dir.exists():
            raise FileNotFoundError(f"raw folder not found: {self.raw_dir} (--raw-dir or ${ENV_RAW_DIR})")
        if not self.raw_dir.is_dir():
            raise ValueError(f"the raw folder {self.raw_dir} is not a folder (--raw-dir or ${ENV_RAW_DIR})")
        if self.warehouse.is_dir():
            raise ValueError(f"the warehouse {self.warehouse} is a folder; give a file name such as "
                             f"{self.warehouse / 'warehouse.duckdb'} (--warehouse or ${ENV_WAREHOUSE})")
        parent = next((p for p in self.warehouse.parents if p.exists()), None)
        if parent is not None and not parent.is_dir():
            raise ValueError(f"the warehouse {self.warehouse} cannot be created: {parent} is a file, not a "
                             f"folder (--warehouse or ${ENV_WAREHOUSE})")
        max_file_bytes()
        min_file_age()
        return self


def _number(name: str, value: str | None, default: float, kind: type = float) -> float:
    """An environment variable holding a number (unset or empty: the default)."""
    if not (value or "").strip():
        return default
    try:
        return kind(value)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ValueError(f"{name} must be {what}, not {value!r}") from None


def _flag(name: str, value: str | None) -> bool:
    """An on/off environment variable: 1/true/yes/on or 0/false/no/off (unset or empty: off)."""
    v = (value or "").strip().lower()
    if v in ("", "0", "false", "no", "off"):
        return False
    if v in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"{name} must be 1 or 0 (true/false, yes/no, on/off), not {value!r}")
