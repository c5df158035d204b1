"""Imports every module that registers key figures (see registry._load)."""

from hallbar.indicators import (  # noqa: F401
    health,
    managers,
    mobility,
    pay,
    staff,
    worktime,
)
