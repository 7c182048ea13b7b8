"""Concrete values: what the interpreter computes and what traces hold.

Python's own immutable types are used where they fit (bool, int, str, Enum
members, tuple, frozenset); records and maps get small hashable classes so that
values can be set elements and dictionary keys, as they are in specs.
"""
from __future__ import annotations

import enum
import functools
from typing import Any, Iterable, Iterator, Mapping


class RecordValue:
    """An immutable record; fields are stored sorted by name."""

    __slots__ = ("_items", "_hash", "_name")

    def __init__(self, fields: Mapping[str, Any], name: str = ""):
        object.__setattr__(self, "_items", tuple(sorted(fields.items())))
        object.__setattr__(self, "_hash", hash(("rec", self._items)))
        object.__setattr__(self, "_name", name)

    def __getattr__(self, name: str) -> Any:
        for n, v in self._items:
            if n == name:
                return v
        raise AttributeError(name)

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__(name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("records are immutable")

    def items(self) -> tuple:
        return self._items

    def replace(self, **changes: Any) -> "RecordValue":
        d = dict(self._items)
        d.update(changes)
        return RecordValue(d, self._name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RecordValue) and self._items == other._items

    def __hash__(self) -> int:
        return self._hash

    def __lt__(self, other: "RecordValue") -> bool:
        return value_key(self) < value_key(other)

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={show_value(v)}" for n, v in self._items)
        return f"{self._name or 'Record'}({inner})"


class MapValue:
    """An immutable finite map (TLA+ function with an explicit domain)."""

    __slots__ = ("_d", "_hash")

    def __init__(self, items: Iterable[tuple] | Mapping = ()):
        d = dict(items.items() if isinstance(items, Mapping) else items)
        object.__setattr__(self, "_d", d)
        object.__setattr__(self, "_hash", None)

    def __getitem__(self, k: Any) -> Any:
        return self._d[k]

    def __contains__(self, k: Any) -> bool:
        return k in self._d

    def __len__(self) -> int:
        return len(self._d)

    def __iter__(self) -> Iterator:
        return iter(self._d)

    def keys(self):
        return self._d.keys()

    def values(self):
        return self._d.values()

    def items(self):
        return self._d.items()

    def set(self, k: Any, v: Any) -> "MapValue":
        d = dict(self._d)
        d[k] = v
        return MapValue(d)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MapValue) and self._d == other._d

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            h = hash(("map", frozenset(self._d.items())))
            object.__setattr__(self, "_hash", h)
        return h

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("maps are immutable")

    def __repr__(self) -> str:
        inner = ", ".join(f"{show_value(k)}: {show_value(v)}" for k, v in sorted_items(self._d.items()))
        return "{" + inner + "}"


class ListValue(tuple):
    """A finite sequence; a distinct type so that it never mixes with tuples."""

    __slots__ = ()

    def __add__(self, other: tuple) -> "ListValue":  # type: ignore[override]
        return ListValue(tuple.__add__(self, other))

    def __radd__(self, other: tuple) -> "ListValue":
        return ListValue(tuple.__add__(tuple(other), self))

    def __getitem__(self, i):  # type: ignore[override]
        r = tuple.__getitem__(self, i)
        return ListValue(r) if isinstance(i, slice) else r

    def __repr__(self) -> str:
        return "[" + ", ".join(show_value(v) for v in self) + "]"


class VariantValue:
    """A value of a union sort: the tag and its payload (None for a variant without payload)."""

    __slots__ = ("tag", "payload", "_name")

    def __init__(self, tag: str, payload: Any = None, name: str = ""):
        object.__setattr__(self, "tag", tag)
        object.__setattr__(self, "payload", payload)
        object.__setattr__(self, "_name", name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("variants are immutable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VariantValue) and self.tag == other.tag and self.payload == other.payload

    def __hash__(self) -> int:
        return hash(("variant", self.tag, self.payload))

    def __lt__(self, other: "VariantValue") -> bool:
        return value_key(self) < value_key(other)

    def __repr__(self) -> str:
        head = f"{self._name}.{self.tag}" if self._name else self.tag
        return f"{head}()" if self.payload is None else f"{head}({show_value(self.payload)})"


@functools.lru_cache(maxsize=None)
def enum_index(member: enum.Enum) -> int:
    """The member's declaration index (enum classes are immutable, so it is cached: `value_key`
    orders enum members on every set and map comparison of the interpreter)."""
    return list(type(member)).index(member)


@functools.lru_cache(maxsize=None)
def enum_members(cls: type) -> tuple:
    """The members of an enum class in declaration order (decoding reads one per enum slot)."""
    return tuple(cls)


def value_key(v: Any) -> tuple:
    """A total order on values: sets and maps print in it, and `choose` picks its least element.

    Within one sort: ints numerically, False < True, enum members by declaration
    index, strings lexicographically, tuples and lists lexicographically (a proper
    prefix first), records by their fields in name order, variants by tag name and
    then payload, sets and maps by their sorted elements / entries.
    """
    if isinstance(v, bool):
        return (0, int(v))
    if isinstance(v, int):
        return (1, v)
    if isinstance(v, str):
        return (2, v)
    if isinstance(v, enum.Enum):
        return (3, type(v).__name__, enum_index(v))
    if isinstance(v, ListValue):
        return (7, tuple(value_key(x) for x in v))
    if isinstance(v, tuple):
        return (4, tuple(value_key(x) for x in v))
    if isinstance(v, RecordValue):
        return (5, tuple((n, value_key(x)) for n, x in v.items()))
    if isinstance(v, frozenset):
        return (6, tuple(sorted(value_key(x) for x in v)))
    if isinstance(v, MapValue):
        return (8, tuple(sorted((value_key(k), value_key(x)) for k, x in v.items())))
    if isinstance(v, VariantValue):
        return (10, v.tag, () if v.payload is None else value_key(v.payload))
    return (9, repr(v))


_SCALAR_TYPES = frozenset({int, bool, str, float, type(None)})


def same_value(a: Any, b: Any) -> bool:
    """Equality that does not confuse True with 1 anywhere inside (Python's bool is an int, so
    `{1} == {True}`): a replayed state must be the recorded one, kinds included."""
    return a == b and _same_kinds(a, b)


def _same_kinds(a: Any, b: Any) -> bool:
    """For a == b: whether every part of `a` has the type of the part of `b` it equals (one walk,
    instead of comparing `value_key`s, which sorts every set and map on both sides)."""
    ta = type(a)
    if ta is not type(b):
        return False
    if ta in _SCALAR_TYPES or isinstance(a, enum.Enum):   # most parts of a state: nothing inside
        return True
    if isinstance(a, tuple):   # tuples and ListValue
        return all(_same_kinds(x, y) for x, y in zip(a, b))
    if isinstance(a, RecordValue):
        return all(_same_kinds(x, y) for (_, x), (_, y) in zip(a.items(), b.items()))
    if isinstance(a, VariantValue):
        return _same_kinds(a.payload, b.payload)
    if isinstance(a, frozenset):
        own = {x: x for x in b}   # b's element equal to each element of a (a set holds one of 1, True)
        return all(_same_kinds(x, own[x]) for x in a)
    if isinstance(a, MapValue):
        own = {k: k for k in b}
        return all(_same_kinds(k, own[k]) and _same_kinds(x, b[k]) for k, x in a.items())
    return True


def sorted_values(vs: Iterable[Any]) -> list:
    return sorted(vs, key=value_key)


def sorted_items(items: Iterable[tuple]) -> list:
    return sorted(items, key=lambda kv: value_key(kv[0]))


def show_value(v: Any) -> str:
    """Human-readable rendering, in the spec's own terms (enum names, set braces)."""
    if isinstance(v, bool):
        return "True" if v else "False"
    if isinstance(v, enum.Enum):
        return f"{type(v).__name__}.{v.name}"
    if isinstance(v, str):
        return repr(v)
    if isinstance(v, frozenset):
        if not v:
            return "{}"
        return "{" + ", ".join(show_value(x) for x in sorted_values(v)) + "}"
    if isinstance(v, ListValue):
        return repr(v)
    if isinstance(v, tuple):
        inner = ", ".join(show_value(x) for x in v)
        return f"({inner},)" if len(v) == 1 else f"({inner})"
    return repr(v)


def to_python(v: Any) -> Any:
    """Convert to plain Python containers (set, dict, list) for users' test code.

    Set elements and map keys must stay hashable, so inside them records, maps and
    lists keep their (immutable, hashable) value classes.
    """
    if isinstance(v, frozenset):
        return {_hashable(x) for x in v}
    if isinstance(v, MapValue):
        return {_hashable(k): to_python(x) for k, x in v.items()}
    if isinstance(v, ListValue):
        return [to_python(x) for x in v]
    if isinstance(v, tuple):
        return tuple(to_python(x) for x in v)
    if isinstance(v, RecordValue):
        return {n: to_python(x) for n, x in v.items()}
    if isinstance(v, VariantValue):
        return {"tag": v.tag, "value": to_python(v.payload)}
    return v


def _hashable(v: Any) -> Any:
    py = to_python(v)
    try:
        hash(py)
    except TypeError:
        return frozenset(py) if isinstance(py, set) else v
    return py
