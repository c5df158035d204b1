"""Opt-in memoisation of shared building blocks while a pack of figures is computed.

Outside ``with shared_cache():`` nothing is cached and every call computes afresh.
Inside, a building block computed for the same input frames (by identity: the
cache holds the frames themselves, so an id cannot be reused while cached) and
the same arguments is computed once. The cache dies with the block.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import polars as pl

P = ParamSpec("P")
R = TypeVar("R")

_CACHE: ContextVar[dict[Hashable, tuple[tuple[Any, ...], Any]] | None] = ContextVar(
    "hallbar_indicator_cache", default=None
)


@contextmanager
def shared_cache() -> Iterator[None]:
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def _frames_of(value: Any) -> tuple[Any, ...]:
    """Objects whose identity keys the cache: data frames and HRData-like objects."""
    if isinstance(value, pl.DataFrame):
        return (value,)
    if hasattr(value, "frames"):
        return tuple(value.frames().values())
    return ()


def memoised(fn: Callable[P, R]) -> Callable[P, R]:
    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        cache = _CACHE.get()
        if cache is None:
            return fn(*args, **kwargs)
        held: list[Any] = []
        key_parts: list[Hashable] = [fn.__qualname__]

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
        hit = cache.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], held, strict=True)):
            return hit[1]  # type: ignore[no-any-return]
        result = fn(*args, **kwargs)
        cache[key] = (tuple(held), result)
        return result

    return wrapper
