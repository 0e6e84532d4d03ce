"""Which failures are worth a retry.

A run fails for one of two kinds of reasons:

- transient: the machine, not the data. Another run holds the lock, the disk is full, a read or
  write failed with an I/O error, a file is busy, memory ran out, a warehouse file was found
  corrupt (it has been set aside, so the next run rebuilds it). Running again later may succeed:
  `is_transient(exc)` is True, and a scheduler (or a Prefect task retry) may retry.
- terminal: running again gives the same failure until a person acts. A data check failed (a
  rules bug), the raw folder does not exist, a setting is wrong, permission is denied. For one
  article, an unreadable or undecodable file is terminal too: it is quarantined with a reason,
  not retried, and the run goes on.

Plain functions; no Prefect here. The flow uses `is_transient` as its retry condition.
"""
from __future__ import annotations

import errno

import duckdb

# errno values of a failure that may go away by itself.
TRANSIENT_ERRNOS = frozenset({
    errno.EAGAIN, errno.EWOULDBLOCK, errno.EINTR, errno.EBUSY, errno.ETXTBSY,  # busy / locked
    errno.EIO, errno.ESTALE, errno.ETIMEDOUT, errno.ENOLCK,                     # disk or network file system
    errno.ENOSPC, errno.EDQUOT,                                                # disk full, quota
    errno.ENOMEM, errno.EMFILE, errno.ENFILE,                                  # out of memory or descriptors
})

# What DuckDB 2.0 says about a damaged database or WAL file (checked in tests/test_crash.py).
CORRUPTION_MESSAGES = (
    "corrupt database file",               # a block whose checksum does not match
    "not a valid duckdb database file",    # a garbled or empty main header
    "could not read enough bytes",         # a file cut short
    "corrupt wal file",                    # a WAL entry whose checksum does not match
    "failure while replaying wal",
)

# What DuckDB says when the operating system refused for a passing reason.
TRANSIENT_MESSAGES = (
    "no space left on device", "disk quota exceeded", "input/output error",
    "resource temporarily unavailable", "could not set lock", "conflicting lock",
    "device or resource busy", "cannot allocate memory",
)


class RunLocked(RuntimeError):
    """Another run holds the warehouse."""


def _chain(exc: BaseException):
    """exc, then the exceptions it was raised from or while handling."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_corruption(exc: BaseException) -> bool:
    """True when DuckDB found a database or WAL file damaged (not a failed query)."""
    return any(isinstance(e, duckdb.Error) and any(m in str(e).lower() for m in CORRUPTION_MESSAGES)
               for e in _chain(exc))


def is_transient(exc: BaseException) -> bool:
    """True when running again later may succeed (see the module docstring)."""
    for e in _chain(exc):
        if isinstance(e, (RunLocked, MemoryError, duckdb.OutOfMemoryException)):
            return True
        if isinstance(e, OSError) and e.errno in TRANSIENT_ERRNOS:
            return True
        if isinstance(e, duckdb.Error):
            msg = str(e).lower()
            if any(m in msg for m in CORRUPTION_MESSAGES + TRANSIENT_MESSAGES):
                return True
    return False
