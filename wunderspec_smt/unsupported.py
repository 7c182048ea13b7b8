"""DSL names that exist in wunderspec but are not implemented here yet.

A spec that merely imports them loads fine; using one raises a SpecError at the
line that uses it ("not supported yet", exit 5) instead of an ImportError or a
traceback, so users see what is missing and where.
"""
from __future__ import annotations

from typing import Any

from .errors import SpecError


class _Unsupported:
    """Stands in for a DSL name: calling, subscripting or decorating with it is refused.

    Attribute lookups stay plain AttributeErrors, so tools that scan a module's names
    (the loader, `from ... import *`) are not tripped.
    """

    def __init__(self, name: str, what: str):
        self._name = name
        self._what = what

    def _refuse(self) -> SpecError:
        return SpecError(f"{self._name} is not supported yet ({self._what})",
                         hint="see the README's Limits section")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise self._refuse()

    def __getitem__(self, item: Any) -> Any:
        raise self._refuse()

    def __repr__(self) -> str:
        return f"<unsupported {self._name}>"


_NAMES = {
    "Always": "temporal properties",
    "Eventually": "temporal properties", "Enabled": "temporal properties", "WeakFair": "temporal properties",
    "StrongFair": "temporal properties", "AndT": "temporal properties", "OrT": "temporal properties",
    "NotT": "temporal properties", "ImpliesT": "temporal properties",
}

globals().update({name: _Unsupported(name, what) for name, what in _NAMES.items()})
__all__ = list(_NAMES)
