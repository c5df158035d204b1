"""Opt-in memoisation of shared building blocks while a pack of figures is computed.

Outside ``with shared_cache():`` nothing is cached and every call computes afresh.
Inside, a building block computed for the same input frames or datasets (by
identity: the cache holds them, so an id cannot be reused while cached) and the
same arguments is computed once. The cache dies with the block.

Blocks nest: an inner block sees what the outer ones hold and keeps its own entries,
which die with it, except a building block marked ``lasting`` (it does not depend on
the year, like the sick spells), kept by the outermost block. So a page showing the
note of three years, one inner block per year, computes the spells once while each
year's intermediate frames are let go when its year is done.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar, overload

import polars as pl

P = ParamSpec("P")
R = TypeVar("R")

_Entries = dict[Hashable, tuple[tuple[Any, ...], Any]]
# The open blocks' entries, outermost first.
_CACHE: ContextVar[tuple[_Entries, ...]] = ContextVar("hallbar_indicator_cache", default=())


@contextmanager
def shared_cache() -> Iterator[None]:
    token = _CACHE.set((*_CACHE.get(), {}))
    try:
        yield
    finally:
        _CACHE.reset(token)


def _frames_of(value: Any) -> tuple[Any, ...]:
    """Objects whose identity keys the cache: data frames and HRData-like objects.

    A dataset is its own key (it is frozen, so the same object holds the same frames);
    asking for its frames would read every table of a snapshot read on first use."""
    if isinstance(value, pl.DataFrame) or hasattr(value, "frames"):
        return (value,)
    return ()


@overload
def memoised(fn: Callable[P, R]) -> Callable[P, R]: ...


@overload
def memoised(*, lasting: bool) -> Callable[[Callable[P, R]], Callable[P, R]]: ...


def memoised(fn: Callable[P, R] | None = None, *, lasting: bool = False) -> Any:
    """Memoise ``fn`` inside ``shared_cache`` blocks; ``lasting``: in the outermost one."""
    if fn is None:
        return lambda f: _memoise(f, lasting)
    return _memoise(fn, lasting)


def _memoise(compute: Callable[P, R], lasting: bool) -> Callable[P, R]:

    @wraps(compute)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        blocks = _CACHE.get()
        if not blocks:
            return compute(*args, **kwargs)
        held: list[Any] = []
        key_parts: list[Hashable] = [compute.__qualname__]

        def add(value: Any) -> None:
            frames = _frames_of(value)
            if frames:
                held.extend(frames)
                key_parts.append(tuple(id(f) for f in frames))
            else:
                key_parts.append(value if isinstance(value, Hashable) else repr(value))

        for value in args:
            add(value)
        for name, value in sorted(kwargs.items()):
            key_parts.append(name)
            add(value)
        key = tuple(key_parts)
        for entries in reversed(blocks):
            hit = entries.get(key)
            if hit is not None and all(a is b for a, b in zip(hit[0], held, strict=True)):
                return hit[1]  # type: ignore[no-any-return]
        result = compute(*args, **kwargs)
        (blocks[0] if lasting else blocks[-1])[key] = (tuple(held), result)
        return result

    return wrapper
