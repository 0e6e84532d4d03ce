"""A progress bar over files and batches, on a terminal only.

The pipeline reports to a `Progress`; `NoProgress` (the default) says nothing. `for_terminal()`
gives a rich progress bar when standard error is a terminal, and `NoProgress` otherwise (a
scheduled run, CI, a pipe), so logs never fill with bar redraws.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator


class NoProgress:
    """Says nothing."""

    def start(self, files: int, batches: int) -> None:
        pass

    def advance(self, files: int) -> None:
        pass


class TerminalProgress(NoProgress):
    """One bar: files done of files to read, with the batch number, rate and time left."""

    def __init__(self, bar) -> None:
        self.bar, self.task, self.batches, self.batch = bar, None, 0, 0

    def start(self, files: int, batches: int) -> None:
        self.batches = batches
        if files:
            self.task = self.bar.add_task(f"batch 0/{batches}", total=files)

    def advance(self, files: int) -> None:
        if self.task is not None:
            self.batch += 1
            self.bar.update(self.task, advance=files, description=f"batch {self.batch}/{self.batches}")


@contextmanager
def for_terminal(stream=None) -> Iterator[NoProgress]:
    stream = stream or sys.stderr
    if not stream.isatty():
        yield NoProgress()
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("files"),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=Console(file=stream),
                  transient=False) as bar:
        yield TerminalProgress(bar)
