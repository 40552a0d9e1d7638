"""The decorator of the batch engine's compiled loops: cached, and without reference counting.

The kernel and the event desk allocate nothing: the engine hands them every
work array once per batch. Numba would still count references to each array
whenever a function is called or an array is taken out of a tuple, with an
atomic operation each time; on the event desk that was four fifths of the
time. ``_nrt=False`` compiles without it (numba then refuses any allocation
inside such a function, at compile time).
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from sim.compiled import njit

F = TypeVar("F", bound=Callable[..., Any])


def compiled(inline: bool = False) -> Callable[[F], F]:
    """``njit`` for a loop that allocates nothing; ``inline``: small helpers compiled into their callers."""
    options: dict[str, Any] = {"cache": True, "_nrt": False}
    if inline:
        options["inline"] = "always"
    decorator: Callable[[F], F] = njit(**options)
    return decorator
