"""Sorts (types) of expressions, and the mapping from Python annotations to sorts.

Sorts are small immutable values; they decide which encoding an expression gets
and which operations are legal, so every constructor checks them eagerly.
"""
from __future__ import annotations

import enum
import typing
from dataclasses import dataclass
from typing import Any, Tuple

from ..errors import SpecError


class Sort:
    """Base class of all sorts."""

    __slots__ = ()

    @property
    def is_finite_scalar(self) -> bool:
        return False


@dataclass(frozen=True)
class BoolSort(Sort):
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True)
class IntSort(Sort):
    def __str__(self) -> str:
        return "int"


@dataclass(frozen=True)
class StrSort(Sort):
    def __str__(self) -> str:
        return "str"


@dataclass(frozen=True)
class EnumSort(Sort):
    enum_cls: type

    def __str__(self) -> str:
        return self.enum_cls.__name__

    @property
    def members(self) -> tuple:
        return tuple(self.enum_cls)


@dataclass(frozen=True)
class TupleSort(Sort):
    elems: Tuple[Sort, ...]

    def __str__(self) -> str:
        return "tuple[" + ", ".join(map(str, self.elems)) + "]"


@dataclass(frozen=True)
class RecordSort(Sort):
    """Fields are kept sorted by name, so two records with the same fields agree."""

    fields: Tuple[Tuple[str, Sort], ...]
    name: str = ""

    def __str__(self) -> str:
        if self.name:
            return self.name
        return "Record(" + ", ".join(f"{n}: {s}" for n, s in self.fields) + ")"

    @property
    def field_names(self) -> tuple:
        return tuple(n for n, _ in self.fields)

    def field_sort(self, name: str) -> Sort:
        for n, s in self.fields:
            if n == name:
                return s
        raise KeyError(name)

    def __eq__(self, other: object) -> bool:  # the name is cosmetic
        return isinstance(other, RecordSort) and self.fields == other.fields

    def __hash__(self) -> int:
        return hash(("record", self.fields))


@dataclass(frozen=True)
class SetSort(Sort):
    elem: Sort

    def __str__(self) -> str:
        return f"set[{self.elem}]"


@dataclass(frozen=True)
class MapSort(Sort):
    key: Sort
    value: Sort

    def __str__(self) -> str:
        return f"dict[{self.key}, {self.value}]"


@dataclass(frozen=True)
class ListSort(Sort):
    elem: Sort

    def __str__(self) -> str:
        return f"list[{self.elem}]"


@dataclass(frozen=True)
class UnionSort(Sort):
    """Tagged variants; kept sorted by tag, so the tag order is the tags' string order.

    `variants` holds (tag, payload sort), the payload sort None for a variant
    without payload. The name is cosmetic, as for records.
    """

    variants: Tuple[Tuple[str, Any], ...]
    name: str = ""

    def __str__(self) -> str:
        if self.name:
            return self.name
        return "Union(" + ", ".join(f"{t}: {s if s is not None else '()'}" for t, s in self.variants) + ")"

    @property
    def tags(self) -> tuple:
        return tuple(t for t, _ in self.variants)

    def payload_sort(self, tag: str) -> Any:
        for t, s in self.variants:
            if t == tag:
                return s
        raise KeyError(tag)

    def index(self, tag: str) -> int:
        return self.tags.index(tag)

    def __eq__(self, other: object) -> bool:  # the name is cosmetic
        return isinstance(other, UnionSort) and self.variants == other.variants

    def __hash__(self) -> int:
        return hash(("union", self.variants))


def make_union_sort(variants: dict, name: str = "") -> UnionSort:
    return UnionSort(tuple(sorted(variants.items())), name)


BOOL = BoolSort()
INT = IntSort()
STR = StrSort()


def make_record_sort(fields: dict, name: str = "") -> RecordSort:
    return RecordSort(tuple(sorted(fields.items())), name)


def sort_of(t: Any) -> Sort:
    """Map a Python type annotation (or a Sort) to a Sort."""
    if isinstance(t, Sort):
        return t
    if t is bool:
        return BOOL
    if t is int:
        return INT
    if t is str:
        return STR
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return EnumSort(t)
    record_sort = getattr(t, "__wunderspec_record_sort__", None)
    if record_sort is not None:
        return record_sort
    union_sort = getattr(t, "__wunderspec_union_sort__", None)
    if union_sort is not None:
        return union_sort
    supertype = getattr(t, "__supertype__", None)  # typing.NewType
    if supertype is not None:
        return sort_of(supertype)
    origin = typing.get_origin(t)
    args = typing.get_args(t)
    if origin is typing.Annotated:
        # Annotated[Expr, T, ...]: the sort is the first non-Expr metadata entry
        for meta in args[1:]:
            if isinstance(meta, (type, Sort)) or typing.get_origin(meta) is not None:
                return sort_of(meta)
        raise SpecError(f"cannot tell the sort of annotation {t!r}")
    if origin is tuple:
        if not args or args[-1] is Ellipsis:
            raise SpecError(f"tuple annotations need fixed element types, got {t!r}")
        return TupleSort(tuple(sort_of(a) for a in args))
    if origin in (set, frozenset):
        return SetSort(sort_of(args[0]))
    if origin is dict:
        return MapSort(sort_of(args[0]), sort_of(args[1]))
    if origin is list:
        return ListSort(sort_of(args[0]))
    raise SpecError(f"unsupported type annotation {t!r}",
                    hint="use bool, int, str, an Enum, tuple[...], set[...], dict[...], list[...], a @record or a @union class")


def is_finite_sort(s: Sort) -> bool:
    """Sorts whose values form a finite set fixed by the spec (strings count: only literals exist)."""
    if isinstance(s, (BoolSort, EnumSort, StrSort)):
        return True
    if isinstance(s, TupleSort):
        return all(is_finite_sort(e) for e in s.elems)
    if isinstance(s, RecordSort):
        return all(is_finite_sort(fs) for _, fs in s.fields)
    if isinstance(s, SetSort):
        return is_finite_sort(s.elem)
    if isinstance(s, UnionSort):
        return all(ps is None or is_finite_sort(ps) for _, ps in s.variants)
    return False
