"""A one-line progress bar on the terminal, silent when nobody is watching.

    [##########..........]  9/18 points  4,500/9,000 replications  4,210/s  ETA 0:01

It redraws at most a few times a second on stderr, and only when stderr is a
terminal: in CI logs, pipes and tests it prints nothing.
"""

from __future__ import annotations

import sys
import time
from typing import Optional, TextIO

from sim.experiment.sweep import Progress

WIDTH = 24
REDRAW_EVERY_S = 0.2


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class ProgressBar:
    def __init__(self, stream: Optional[TextIO] = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self._last = 0.0
        self._drawn = False

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        final = progress.replications_done == progress.replications
        if not self.enabled or (now - self._last < REDRAW_EVERY_S and not final):
            return
        self._last = now
        filled = int(WIDTH * progress.replications_done / max(progress.replications, 1))
        rate = progress.rate
        left = progress.replications - progress.replications_done
        eta = _clock(left / rate) if rate > 0 else "?"
        self.stream.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}]  "
                          f"{progress.points_done}/{progress.points} points  "
                          f"{progress.replications_done:,}/{progress.replications:,} replications  "
                          f"{rate:,.0f}/s  ETA {eta}   ")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
