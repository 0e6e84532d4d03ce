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

DEFAULT_BATCH_SIZE = 5000
MAX_FILE_BYTES = 20 * 1024 * 1024  # larger inputs are quarantined ("too_large")


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    batch_size: int = DEFAULT_BATCH_SIZE
    lock_timeout: float = 0.0  # seconds to wait for another run's lock; 0 = give up at once

    @classmethod
    def resolve(cls, raw_dir: str | os.PathLike | None = None, warehouse: str | os.PathLike | None = None,
                batch_size: int | None = None, lock_timeout: float | None = None) -> "Settings":
        env = os.environ
        raw = Path(raw_dir or env.get(ENV_RAW_DIR) or PROJECT_DIR / "raw")
        wh = Path(warehouse or env.get(ENV_WAREHOUSE) or PROJECT_DIR / "warehouse" / "warehouse.duckdb")
        bs = batch_size or int(env.get(ENV_BATCH_SIZE) or DEFAULT_BATCH_SIZE)
        lt = lock_timeout if lock_timeout is not None else float(env.get(ENV_LOCK_TIMEOUT) or 0)
        if bs < 1:
            raise ValueError("batch size must be at least 1")
        return cls(raw_dir=raw.resolve(), warehouse=wh.resolve(), batch_size=bs, lock_timeout=lt)
