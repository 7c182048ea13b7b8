"""Symbolic values: how a value of each sort is represented in Z3.

| sort          | representation                                                     |
|---------------|--------------------------------------------------------------------|
| bool          | z3 Bool, or a Python bool when known                               |
| int           | z3 Int (or a bit-vector, see `int_encoding`), or a Python int when known |
| str, enum     | bit-vector code (index in the universe), or a Python int code      |
| tuple, record | Python tuple of component values (records: fields sorted by name)  |
| set           | SSet: slots (key, present); SRange for intervals; SInts for Ints   |
| map           | SMap: slots (key, present, value); present keys are pairwise distinct |
| union         | SVariant: tag code (like an enum) and one payload per variant      |
| list          | SList: a length and a tuple of slots (capacity known from construction) |
| power/function/product sets | SPowerset, SFunSet, SProduct: kept symbolic, never enumerated |

A set over a finite universe is an SSet whose keys are the universe's constant
codes (one presence bit per element, no arenas); elsewhere keys are symbolic
(arena-style "potential elements"). Python constants are kept unlifted as long
as possible so that operations on known values fold away before reaching Z3.
"""
from __future__ import annotations

import functools
import itertools
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Iterator, Optional, Sequence, Tuple

import z3

from ..errors import SpecError
from ..solvers import z3capi as Z
from ..lang.sorts import (BoolSort, EnumSort, IntSort, MapSort, RecordSort, SetSort, Sort, StrSort,
                          TupleSort, ListSort, UnionSort)

SymVal = Any
TRUE = True
FALSE = False


# --- booleans and integers with constant folding --------------------------------------

def is_const_bool(x: Any) -> bool:
    return isinstance(x, bool)


def zb(x: Any) -> z3.BoolRef:
    return z3.BoolVal(x) if isinstance(x, bool) else x


# Integers are mathematical (z3 Int) unless an engine has established that every integer its
# encoding computes fits in `width` signed bits (analysis/ranges.py): then they are bit-vectors of
# that width, which Z3 bit-blasts into the SAT core, 10-40x faster than linear integer arithmetic
# on the small ranges of protocol specs (node ids, ballots, counters bounded by the depth).
_INT_WIDTH: ContextVar[Optional[int]] = ContextVar("int_width", default=None)


@contextmanager
def int_encoding(width: Optional[int]) -> Iterator[None]:
    """Encode integers as `width`-bit two's-complement bit-vectors (None: as z3 Int) in this block."""
    token = _INT_WIDTH.set(width)
    try:
        yield
    finally:
        _INT_WIDTH.reset(token)


def int_val(x: int) -> Any:
    w = _INT_WIDTH.get()
    return z3.IntVal(x) if w is None else _bv_val(x, w)


@functools.lru_cache(maxsize=65536)
def _bv_val(x: int, width: int) -> Any:
    return z3.BitVecVal(x, width)


# Every symbol the encoders create goes through the three functions below, so that an engine can
# learn which symbols one encoding made (encoders/rename.py renames them to reuse the encoding at
# a later depth) without walking the terms.
_CREATED: ContextVar[Optional[list]] = ContextVar("created_symbols", default=None)


@contextmanager
def recording_symbols(into: Optional[list] = None) -> Iterator[list]:
    """Append every symbol created in this block to `into` (a new list if None), which is yielded."""
    created: list = [] if into is None else into
    token = _CREATED.set(created)
    try:
        yield created
    finally:
        _CREATED.reset(token)


def _created(sym: Any) -> Any:
    created = _CREATED.get()
    if created is not None:
        created.append(sym)
    return sym


def bool_symbol(name: str) -> z3.BoolRef:
    return _created(Z.mk_const(name, "bool"))


def bv_symbol(name: str, width: int) -> z3.BitVecRef:
    return _created(Z.mk_const(name, width))


def int_symbol(name: str) -> Any:
    w = _INT_WIDTH.get()
    return _created(Z.mk_const(name, "int" if w is None else w))


def zi(x: Any) -> Any:
    return int_val(x) if isinstance(x, int) else x


def _lift_like(x: Any, other: Any) -> Any:
    """Lift a Python int to the Z3 sort of `other` (Int, or a bit-vector code)."""
    if not isinstance(x, int):
        return x
    if isinstance(other, z3.BitVecRef):
        return _bv_val(x, Z.bv_size(other))
    return int_val(x)


# --- direct Z3 term construction ----------------------------------------------------------
# z3's Python `And`/`Or`/`If` coerce and sort-check every argument on each call; profiles of the
# benchmarks put that at most of the Python time of BMC. The builders below call the C API
# directly on arguments whose sorts the encoder already guarantees (a mismatch still raises).

def term_key(x: Any) -> int:
    """A Z3 term's identity: its address (Z3 hash-conses terms, so equal terms are one term),
    read without a call into Z3, unlike `AstRef.eq` / `get_id`."""
    return x.ast.value


def _same(a: Any, b: Any) -> bool:
    return term_key(a) == term_key(b)


_mk_and, _mk_or, _mk_not, _mk_implies, _mk_eq = Z.mk_and, Z.mk_or, Z.mk_not, Z.mk_implies, Z.mk_eq


_NON_NUMERAL = {z3.BitVecNumRef: z3.BitVecRef, z3.IntNumRef: z3.ArithRef}


def term_class(x: Any) -> type:
    """The z3py class for a term built from `x` (an if-then-else of it, a renaming of it): x's own,
    but never a numeral's class."""
    cls = Z.plain_class(type(x))
    return _NON_NUMERAL.get(cls, cls)


def _mk_ite(c: Any, a: Any, b: Any) -> Any:
    """If-then-else of two terms of the same sort."""
    return Z.mk_ite(term_class(a), c, a, b)


def b_and(*xs: Any) -> Any:
    out = []
    for x in xs:
        if x is True:
            continue
        if x is False:
            return False
        out.append(x)
    if not out:
        return True
    if len(out) == 1:
        return out[0]
    return _mk_and(out)


def b_or(*xs: Any) -> Any:
    out = []
    for x in xs:
        if x is False:
            continue
        if x is True:
            return True
        out.append(x)
    if not out:
        return False
    if len(out) == 1:
        return out[0]
    return _mk_or(out)


def b_not(x: Any) -> Any:
    if isinstance(x, bool):
        return not x
    return Z.negation(x)


def b_implies(a: Any, b: Any) -> Any:
    if a is False or b is True:
        return True
    if a is True:
        return b
    if b is False:
        return b_not(a)
    return _mk_implies(a, b)


def b_iff(a: Any, b: Any) -> Any:
    if isinstance(a, bool) and isinstance(b, bool):
        return a == b
    if isinstance(a, bool):
        return b if a else b_not(b)
    if isinstance(b, bool):
        return a if b else b_not(a)
    if _same(a, b):
        return True
    return _mk_eq(a, b)


def s_eq(a: Any, b: Any) -> Any:
    """Equality of scalar symbolic values (ints and codes)."""
    if isinstance(a, int):
        if isinstance(b, int) and not isinstance(a, bool):
            return a == b
        return _mk_eq(_lift_like(a, b), b)
    if isinstance(b, int):
        return _mk_eq(a, _lift_like(b, a))
    if _same(a, b):
        return True
    return _mk_eq(a, b)


STR_CODE_WIDTH = 16  # string codes: up to 65536 distinct literals per instance


def code_width(n: int) -> int:
    return max(1, (n - 1).bit_length())


@functools.lru_cache(maxsize=None)
def sort_code_width(sort: Sort) -> int:
    """Enum members and strings are bit-vector codes, so finite choices stay in the SAT core."""
    if isinstance(sort, EnumSort):
        return code_width(len(sort.enum_cls))
    if isinstance(sort, UnionSort):
        return code_width(len(sort.variants))
    return STR_CODE_WIDTH


def lift_code(sort: Sort, x: Any) -> Any:
    return _bv_val(x, sort_code_width(sort)) if isinstance(x, int) else x


def c_eq(sort: Sort, a: Any, b: Any) -> Any:
    if isinstance(a, int):
        if isinstance(b, int):
            return a == b
        return _mk_eq(lift_code(sort, a), b)
    if isinstance(b, int):
        return _mk_eq(a, lift_code(sort, b))
    if _same(a, b):
        return True
    return _mk_eq(a, b)


def c_ite(sort: Sort, c: Any, a: Any, b: Any) -> Any:
    if c is True:
        return a
    if c is False:
        return b
    if isinstance(a, int) and isinstance(b, int) and a == b:
        return a
    if not isinstance(a, int) and not isinstance(b, int) and _same(a, b):
        return a
    return _mk_ite(c, lift_code(sort, a), lift_code(sort, b))


def b_ite(c: Any, a: Any, b: Any) -> Any:
    if c is True:
        return a
    if c is False:
        return b
    if a is b or (a is True and b is True) or (a is False and b is False):
        return a
    if a is True and b is False:
        return c
    if a is False and b is True:
        return b_not(c)
    if isinstance(a, bool) or isinstance(b, bool):
        return _mk_ite(c, zb(a), zb(b))
    if _same(a, b):
        return a
    return _mk_ite(c, a, b)


def s_ite(c: Any, a: Any, b: Any) -> Any:
    """If-then-else on scalar (int/code) symbolic values."""
    if c is True:
        return a
    if c is False:
        return b
    if isinstance(a, int) and isinstance(b, int) and a == b:
        return a
    if not isinstance(a, int) and not isinstance(b, int) and _same(a, b):
        return a
    return _mk_ite(c, _lift_like(a, b), _lift_like(b, a))


def i_sum(xs: Sequence[Any]) -> Any:
    const = 0
    sym = []
    for x in xs:
        if isinstance(x, int):
            const += x
        else:
            sym.append(x)
    if not sym:
        return const
    total = z3.Sum(sym) if len(sym) > 1 else sym[0]
    return total + const if const else total


def count(bits: Sequence[Any]) -> Any:
    return i_sum([1 if b is True else 0 if b is False else z3.If(b, int_val(1), int_val(0)) for b in bits])


# --- collections ---------------------------------------------------------------------

@dataclass(frozen=True)
class SSet:
    """A finite set as potential elements with presence bits.

    `distinct` means no two *present* slots hold equal keys, so the size is the
    number of present slots; it is always true when every key is a constant.
    """

    slots: Tuple[Tuple[Any, Any], ...]
    distinct: bool


@dataclass(frozen=True)
class SRange:
    """The integer interval lo..hi, kept symbolic so `one_of(Interval(0, 2**32-1))` is one range constraint."""

    lo: Any
    hi: Any


@dataclass(frozen=True)
class SInts:
    nat: bool


@dataclass(frozen=True)
class SPowerset:
    """AllSubsets(base): membership is inclusion; picks and witnesses are subsets of base's slots."""

    base: Any


@dataclass(frozen=True)
class SFunSet:
    """AllMaps(keys, values): the total maps keys -> values."""

    keys: Any
    values: Any


@dataclass(frozen=True)
class SProduct:
    """AllTuples(S1, ...) / AllRecords(f=S1, ...) (fields in name order): membership per component."""

    parts: Tuple[Any, ...]


LAZY_SETS = (SPowerset, SFunSet)


@dataclass(frozen=True)
class SMap:
    """A finite map: slots (key, present, value); present keys are pairwise distinct."""

    slots: Tuple[Tuple[Any, Any, Any], ...]


@dataclass(frozen=True)
class SVariant:
    """A union value: the tag code (index in the sort's tag order) and a payload per variant.

    `payloads[i]` is None for a variant without payload; the payloads of the
    variants other than the tag's hold arbitrary values and mean nothing.
    """

    tag: Any
    payloads: Tuple[Any, ...]

    def active(self, sort: UnionSort) -> Any:
        """The payload of the tag, when the tag is a constant."""
        return self.payloads[self.tag]


@dataclass(frozen=True)
class SList:
    """A list: its length and a slot per position up to a capacity fixed when the value is built.

    Slots at positions >= length hold arbitrary values and mean nothing; `length`
    is always between 0 and the capacity. A known length keeps exactly that many
    slots (see `mk_list`).
    """

    length: Any
    slots: Tuple[Any, ...]


def mk_list(length: Any, slots: Sequence[Any]) -> SList:
    if isinstance(length, int):
        return SList(length, tuple(slots[:length]))
    return SList(length, tuple(slots))


MATERIALIZE_LIMIT = 10_000


def is_const(sort: Sort, v: Any) -> bool:
    """True when the symbolic value is fully known (no Z3 terms inside)."""
    if isinstance(v, bool) or (isinstance(v, int)):
        return True
    if isinstance(v, tuple):
        if isinstance(sort, TupleSort):
            return all(is_const(s, x) for s, x in zip(sort.elems, v))
        if isinstance(sort, RecordSort):
            return all(is_const(s, x) for (_, s), x in zip(sort.fields, v))
    if isinstance(v, SSet):
        return all(p is True or p is False for _, p in v.slots) and all(is_const(sort.elem, k) for k, _ in v.slots)
    if isinstance(v, SMap):
        return all((p is True or p is False) and is_const(sort.key, k) and is_const(sort.value, x)
                   for k, p, x in v.slots)
    if isinstance(v, SList):
        return isinstance(v.length, int) and all(is_const(sort.elem, x) for x in v.slots[:v.length])
    if isinstance(v, SVariant):
        if not isinstance(v.tag, int):
            return False
        ps = sort.variants[v.tag][1]
        return ps is None or is_const(ps, v.payloads[v.tag])
    return False


def const_key(sort: Sort, v: Any) -> Any:
    """A hashable canonical form of a constant symbolic value, for aligning slots."""
    if isinstance(v, SSet):
        return ("set", frozenset(const_key(sort.elem, k) for k, p in v.slots if p is True))
    if isinstance(v, SMap):
        return ("map", frozenset((const_key(sort.key, k), const_key(sort.value, x)) for k, p, x in v.slots if p is True))
    if isinstance(v, tuple):
        subs = sort.elems if isinstance(sort, TupleSort) else [s for _, s in sort.fields]
        return tuple(const_key(s, x) for s, x in zip(subs, v))
    if isinstance(v, SList):
        return ("list", tuple(const_key(sort.elem, x) for x in v.slots[:v.length]))
    if isinstance(v, SVariant):
        ps = sort.variants[v.tag][1]
        return ("variant", v.tag, None if ps is None else const_key(ps, v.payloads[v.tag]))
    return v


def materialize(sort: SetSort, v: Any) -> SSet:
    """Slots of a set value; intervals with constant bounds become constant slots."""
    if isinstance(v, SSet):
        return v
    if isinstance(v, SRange):
        if isinstance(v.lo, int) and isinstance(v.hi, int):
            n = v.hi - v.lo + 1
            if n > MATERIALIZE_LIMIT:
                raise SpecError(f"the interval {v.lo}..{v.hi} is too large to enumerate here "
                                f"(more than {MATERIALIZE_LIMIT} elements)",
                                hint="use it only in one_of, membership or quantifiers that the checker can keep symbolic")
            return SSet(tuple((i, True) for i in range(v.lo, v.hi + 1)), True)
        raise SpecError("an interval with symbolic bounds can only be used in one_of, membership and size")
    if isinstance(v, SInts):
        raise SpecError("the infinite sets Ints/UnsignedInts can only be used in one_of and membership")
    if isinstance(v, SProduct):
        parts = [materialize(SetSort(s), p) for s, p in zip(_components(sort.elem), v.parts)]
        size = 1
        for p in parts:
            size *= len(p.slots)
        if size > MATERIALIZE_LIMIT:
            raise SpecError(f"a set of tuples/records with {size} potential elements is too large to enumerate here",
                            hint="use it only in one_of, membership or quantifiers the checker keeps symbolic")
        slots = tuple((tuple(k for k, _ in combo), b_and(*(p for _, p in combo)))
                      for combo in itertools.product(*(p.slots for p in parts)))
        return SSet(slots, all(p.distinct for p in parts))
    if isinstance(v, LAZY_SETS):
        what = "AllSubsets" if isinstance(v, SPowerset) else "AllMaps"
        raise SpecError(f"enumerating {what}(...) is not supported yet",
                        hint="use it in one_of, in membership (x.in_(...)), as Exists in a guard or an example, "
                             "or as Forall in an invariant")
    raise TypeError(f"not a set value: {v!r}")


def _components(sort: Sort) -> list:
    return list(sort.elems) if isinstance(sort, TupleSort) else [s for _, s in sort.fields]


def can_materialize(v: Any) -> bool:
    """Whether `materialize` gives the set's potential elements (no infinite or unenumerated set)."""
    if isinstance(v, SSet):
        return True
    if isinstance(v, SRange):
        return isinstance(v.lo, int) and isinstance(v.hi, int) and v.hi - v.lo < MATERIALIZE_LIMIT
    if isinstance(v, SProduct):
        return all(can_materialize(p) for p in v.parts)
    return False


def eq(sort: Sort, a: Any, b: Any) -> Any:
    """Semantic equality at any sort."""
    if isinstance(sort, BoolSort):
        return b_iff(a, b)
    if isinstance(sort, IntSort):
        return s_eq(a, b)
    if isinstance(sort, (StrSort, EnumSort)):
        return c_eq(sort, a, b)
    if isinstance(sort, TupleSort):
        return b_and(*(eq(s, x, y) for s, x, y in zip(sort.elems, a, b)))
    if isinstance(sort, RecordSort):
        return b_and(*(eq(s, x, y) for (_, s), x, y in zip(sort.fields, a, b)))
    if isinstance(sort, SetSort):
        return set_eq(sort, a, b)
    if isinstance(sort, MapSort):
        return map_eq(sort, a, b)
    if isinstance(sort, UnionSort):
        return variant_eq(sort, a, b)
    if isinstance(sort, ListSort):
        return list_eq(sort, a, b)
    raise SpecError(f"equality on sort {sort} is not supported yet")


def ite(sort: Sort, c: Any, a: Any, b: Any) -> Any:
    if c is True:
        return a
    if c is False:
        return b
    if a is b:
        return a
    if isinstance(sort, BoolSort):
        return b_ite(c, a, b)
    if isinstance(sort, IntSort):
        return s_ite(c, a, b)
    if isinstance(sort, (StrSort, EnumSort)):
        return c_ite(sort, c, a, b)
    if isinstance(sort, TupleSort):
        return tuple(ite(s, c, x, y) for s, x, y in zip(sort.elems, a, b))
    if isinstance(sort, RecordSort):
        return tuple(ite(s, c, x, y) for (_, s), x, y in zip(sort.fields, a, b))
    if isinstance(sort, SetSort):
        return set_ite(sort, c, a, b)
    if isinstance(sort, MapSort):
        return map_ite(sort, c, a, b)
    if isinstance(sort, ListSort):
        return list_ite(sort, c, a, b)
    if isinstance(sort, UnionSort):
        return SVariant(c_ite(sort, c, a.tag, b.tag),
                        tuple(None if ps is None else ite(ps, c, x, y)
                              for (_, ps), x, y in zip(sort.variants, a.payloads, b.payloads)))
    raise SpecError(f"conditional values of sort {sort} are not supported yet")


# --- the value order (lang.values.value_key), for choose ------------------------------
# Codes follow the order of their values (string codes are assigned in string order,
# enum codes in declaration order, union tags in tag order), so constants compare by
# their codes and symbolic values by comparisons of codes.

def order_key(sort: Sort, v: Any) -> Any:
    """A sort key of a constant symbolic value that orders like value_key orders the values."""
    if isinstance(sort, (BoolSort, IntSort, StrSort, EnumSort)):
        return v
    if isinstance(sort, TupleSort):
        return tuple(order_key(s, x) for s, x in zip(sort.elems, v))
    if isinstance(sort, RecordSort):
        return tuple(order_key(s, x) for (_, s), x in zip(sort.fields, v))
    if isinstance(sort, UnionSort):
        ps = sort.variants[v.tag][1]
        return (v.tag, () if ps is None else order_key(ps, v.payloads[v.tag]))
    if isinstance(sort, ListSort):
        return tuple(order_key(sort.elem, x) for x in v.slots[:v.length])
    if isinstance(sort, SetSort):
        s = materialize(sort, v)
        return tuple(sorted(order_key(sort.elem, k) for k, p in s.slots if p is True))
    if isinstance(sort, MapSort):
        return tuple(sorted((order_key(sort.key, k), order_key(sort.value, x)) for k, p, x in v.slots if p is True))
    raise SpecError(f"no order on sort {sort}")  # pragma: no cover


def lt(sort: Sort, a: Any, b: Any) -> Any:
    """a < b in the value order (strict and total on the values of a sort)."""
    if is_const(sort, a) and is_const(sort, b):
        return order_key(sort, a) < order_key(sort, b)
    if isinstance(sort, BoolSort):
        return b_and(b_not(a), b)
    if isinstance(sort, IntSort):
        return s_lt(a, b)
    if isinstance(sort, (StrSort, EnumSort)):
        return c_lt(sort, a, b)
    if isinstance(sort, (TupleSort, RecordSort)):
        subs = sort.elems if isinstance(sort, TupleSort) else [s for _, s in sort.fields]
        out: Any = False
        for s, x, y in reversed(list(zip(subs, a, b))):
            out = b_or(lt(s, x, y), b_and(eq(s, x, y), out))
        return out
    if isinstance(sort, UnionSort):
        parts = [c_lt(sort, a.tag, b.tag)]
        for i, (_, ps) in enumerate(sort.variants):
            if ps is not None:
                parts.append(b_and(tag_is(sort, a, i), tag_is(sort, b, i), lt(ps, a.payloads[i], b.payloads[i])))
        return b_or(*parts)
    if isinstance(sort, ListSort):
        na, nb = a.length, b.length
        k = min(len(a.slots), len(b.slots))
        out = b_and(s_eq(na, k), s_lt(k, nb))
        for j in range(k - 1, -1, -1):
            x, y = a.slots[j], b.slots[j]
            more = b_or(lt(sort.elem, x, y), b_and(eq(sort.elem, x, y), out))
            out = b_or(b_and(s_eq(na, j), s_lt(j, nb)), b_and(s_lt(j, na), s_lt(j, nb), more))
        return out
    raise SpecError(f"the order of values of sort {sort} is only known for constants here",
                    hint="choose/Min/Max over sets of sets or maps with symbolic contents is not supported yet")


def c_lt(sort: Sort, a: Any, b: Any) -> Any:
    """Unsigned comparison of codes."""
    if isinstance(a, int) and isinstance(b, int):
        return a < b
    return z3.ULT(lift_code(sort, a), lift_code(sort, b))


# --- unions --------------------------------------------------------------------------

def tag_is(sort: UnionSort, v: SVariant, i: int) -> Any:
    return c_eq(sort, v.tag, i)


def variant_eq(sort: UnionSort, a: SVariant, b: SVariant) -> Any:
    """Same tag and, for that tag, the same payload."""
    same_tag = c_eq(sort, a.tag, b.tag)
    if same_tag is False:
        return False
    parts = []
    for i, (_, ps) in enumerate(sort.variants):
        if ps is None:
            continue
        on_i = tag_is(sort, a, i)
        if on_i is False:
            continue
        parts.append(b_implies(on_i, eq(ps, a.payloads[i], b.payloads[i])))
    return b_and(same_tag, *parts)


# --- lists ---------------------------------------------------------------------------
# Positions are Python ints; a symbolic index or length turns position lookups into
# ITE chains over the slots (quadratic for slices and concatenation: fine for the
# small capacities specs use).

def i_add(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    if isinstance(b, int) and b == 0:
        return a
    if isinstance(a, int) and a == 0:
        return b
    return zi(a) + zi(b)


def i_sub(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int):
        return a - b
    if isinstance(b, int) and b == 0:
        return a
    return zi(a) - zi(b)


def list_get(sort: ListSort, l: SList, i: Any) -> Any:
    """The element at i (arbitrary when i is out of range: definedness is checked separately)."""
    es = sort.elem
    if isinstance(i, int):
        return l.slots[i] if 0 <= i < len(l.slots) else default_value(es)
    if not l.slots:
        return default_value(es)
    out = l.slots[-1]
    for j in range(len(l.slots) - 2, -1, -1):
        out = ite(es, s_eq(i, j), l.slots[j], out)
    return out


def list_in_range(l: SList, i: Any) -> Any:
    return b_and(s_le(0, i), s_lt(i, l.length))


def list_eq(sort: ListSort, a: SList, b: SList) -> Any:
    parts = [s_eq(a.length, b.length)]
    for j in range(min(len(a.slots), len(b.slots))):
        parts.append(b_implies(s_lt(j, a.length), eq(sort.elem, a.slots[j], b.slots[j])))
    return b_and(*parts)


def list_ite(sort: ListSort, c: Any, a: SList, b: SList) -> SList:
    na, nb = len(a.slots), len(b.slots)
    slots = []
    for j in range(max(na, nb)):
        if j >= nb:  # beyond b's capacity, b's element does not matter
            slots.append(a.slots[j])
        elif j >= na:
            slots.append(b.slots[j])
        else:
            slots.append(ite(sort.elem, c, a.slots[j], b.slots[j]))
    return mk_list(s_ite(c, a.length, b.length), slots)


def list_concat(sort: ListSort, a: SList, b: SList) -> SList:
    na = a.length
    if isinstance(na, int):
        return mk_list(i_add(na, b.length), a.slots[:na] + b.slots)
    es = sort.elem
    ca, cb = len(a.slots), len(b.slots)
    slots = []
    for j in range(ca + cb):
        # the element of b at position j - na, for the na that make it a position of b
        from_b = default_value(es)
        for k in range(max(0, j - ca), min(j, cb - 1) + 1):
            from_b = ite(es, s_eq(na, j - k), b.slots[k], from_b)
        slots.append(ite(es, s_lt(j, na), a.slots[j], from_b) if j < ca else from_b)
    return mk_list(i_add(na, b.length), slots)


def _slice_bound(x: Any, n: Any) -> Any:
    """Python's normalisation of a slice bound for a list of length n (step 1)."""
    if isinstance(x, int) and isinstance(n, int):
        return max(x + n, 0) if x < 0 else min(x, n)
    neg = s_lt(x, 0)
    from_end = i_add(x, n)
    return s_ite(neg, s_ite(s_lt(from_end, 0), 0, from_end), s_ite(s_lt(x, n), x, n))


def list_slice(sort: ListSort, l: SList, lo: Any, hi: Any) -> SList:
    start, stop = _slice_bound(lo, l.length), _slice_bound(hi, l.length)
    length = s_ite(s_lt(start, stop), i_sub(stop, start), 0)
    if isinstance(start, int):
        return mk_list(length, l.slots[start:])
    return mk_list(length, [list_get(sort, l, i_add(start, j)) for j in range(len(l.slots))])


def list_replace(sort: ListSort, l: SList, i: Any, v: Any) -> SList:
    """l with position i set to v; out of range changes nothing (slots beyond the length mean nothing)."""
    if isinstance(i, int):
        if not 0 <= i < len(l.slots):
            return l
        return SList(l.length, l.slots[:i] + (v,) + l.slots[i + 1:])
    return SList(l.length, tuple(ite(sort.elem, s_eq(i, j), v, x) for j, x in enumerate(l.slots)))


def list_keys(l: SList) -> SSet:
    return SSet(tuple((j, s_lt(j, l.length)) for j in range(len(l.slots))), True)


def list_elems(sort: ListSort, l: SList) -> SSet:
    return set_from_slots(SetSort(sort.elem), [(x, s_lt(j, l.length)) for j, x in enumerate(l.slots)])


def list_compact(sort: ListSort, l: SList, keep: Sequence[Any]) -> SList:
    """The elements at the positions where keep holds, in order (keep implies position < length)."""
    if all(isinstance(k, bool) for k in keep):
        return mk_list(sum(keep), [x for x, k in zip(l.slots, keep) if k])
    es = sort.elem
    pos = []
    before: Any = 0
    for k in keep:
        pos.append(before)
        before = i_add(before, count([k]))
    slots = []
    for i in range(len(l.slots)):
        out = default_value(es)
        for j in range(len(l.slots) - 1, i - 1, -1):
            out = ite(es, b_and(keep[j], s_eq(pos[j], i)), l.slots[j], out)
        slots.append(out)
    return mk_list(before, slots)


# --- sets ----------------------------------------------------------------------------

def member(sort: SetSort, x: Any, s: Any, memo: Optional[dict] = None) -> Any:
    """x in s. `memo` (one encoder's, for its lifetime) shares the answer for a symbolic x in a set
    of slots: a quantifier over processes asks `rcvd[p] <= sent` with the same keys (a step's picks)
    for every p, |rcvd[p]| * |sent| equalities each time."""
    if memo is not None and isinstance(s, SSet) and isinstance(x, z3.ExprRef):
        key = (id(s), term_key(x))
        hit = memo.get(key)
        if hit is not None and hit[0] is s:   # the set is kept in the entry: its id cannot be reused
            return hit[1]
        out = member(sort, x, s)
        memo[key] = (s, out)
        return out
    if isinstance(s, SPowerset):
        return set_subseteq(sort.elem, x, s.base)
    if isinstance(s, SFunSet):
        ms: MapSort = sort.elem
        return b_and(set_eq(SetSort(ms.key), map_keys(ms, x), s.keys),
                     set_subseteq(SetSort(ms.value), map_values(ms, x), s.values))
    if isinstance(s, SProduct):
        return b_and(*(member(SetSort(cs), xc, part) for cs, xc, part in zip(_components(sort.elem), x, s.parts)))
    if isinstance(s, SInts):
        return True if not s.nat else (x >= 0 if isinstance(x, int) else x >= 0)
    if isinstance(s, SRange):
        lo_ok = (s.lo <= x) if isinstance(s.lo, int) and isinstance(x, int) else zi(s.lo) <= zi(x)
        hi_ok = (x <= s.hi) if isinstance(s.hi, int) and isinstance(x, int) else zi(x) <= zi(s.hi)
        return b_and(lo_ok, hi_ok)
    es = sort.elem
    if isinstance(x, int) and not isinstance(x, bool):  # a constant scalar: the common case, made cheap
        return members(sort, [x], s)[0]
    if is_const(es, x):
        kx = const_key(es, x)
        out = []
        for k, p in s.slots:
            if is_const(es, k):
                if const_key(es, k) == kx:
                    out.append(p)
            else:
                out.append(b_and(p, eq(es, k, x)))
        return b_or(*out)
    return b_or(*(b_and(p, eq(es, k, x)) for k, p in s.slots))


def members(sort: SetSort, xs: Sequence[Any], s: Any) -> list:
    """[member(sort, x, s) for x in xs], in one pass over s's slots when the xs are constants:
    binding a set over a finite universe of n values asks this of every value, n^2 work otherwise."""
    if not isinstance(s, SSet):
        return [member(sort, x, s) for x in xs]
    es = sort.elem
    if all(isinstance(x, int) and not isinstance(x, bool) for x in xs):
        const: dict = {}
        symbolic = []
        for k, p in s.slots:
            if isinstance(k, int):
                const.setdefault(k, []).append(p)
            else:
                symbolic.append((k, p))
        return [b_or(*const.get(x, ()), *(b_and(p, eq(es, k, x)) for k, p in symbolic)) for x in xs]
    if not all(is_const(es, x) for x in xs):
        return [member(sort, x, s) for x in xs]
    # constant records and tuples: each slot's key is read once; the disjuncts keep member's order
    keys = [const_key(es, k) if is_const(es, k) else None for k, _ in s.slots]
    if None not in keys:
        by_key: dict = {}
        for kk, (_, p) in zip(keys, s.slots):
            by_key.setdefault(kk, []).append(p)
        return [b_or(*by_key.get(const_key(es, x), ())) for x in xs]
    out = []
    for x in xs:
        kx = const_key(es, x)
        out.append(b_or(*(p if kk is not None else b_and(p, eq(es, k, x))
                          for kk, (k, p) in zip(keys, s.slots) if kk is None or kk == kx)))
    return out


def _merge_const(sort: SetSort, slots: list) -> tuple:
    """Slots with equal constant keys merged (presence or-ed); others kept. Returns (slots, distinct)."""
    es = sort.elem
    by_key: dict = {}
    order: list = []
    symbolic = []
    for k, p in slots:
        if p is False:
            continue
        if is_const(es, k):
            ck = const_key(es, k)
            if ck in by_key:
                kk, pp = by_key[ck]
                by_key[ck] = (kk, b_or(pp, p))
            else:
                by_key[ck] = (k, p)
                order.append(ck)
        else:
            symbolic.append((k, p))
    merged = [by_key[ck] for ck in order] + symbolic
    return tuple(merged), not symbolic


def set_from_slots(sort: SetSort, slots: list, distinct_hint: bool = False) -> SSet:
    merged, distinct = _merge_const(sort, slots)
    return SSet(merged, distinct or (distinct_hint and len(merged) == len([s for s in slots if s[1] is not False])))


def set_union(sort: SetSort, a: Any, b: Any) -> SSet:
    a, b = materialize(sort, a), materialize(sort, b)
    return set_from_slots(sort, list(a.slots) + list(b.slots))


def _all_const_keys(sort: SetSort, s: SSet) -> bool:
    return all(is_const(sort.elem, k) for k, _ in s.slots)


def set_inter(sort: SetSort, a: Any, b: Any) -> Any:
    if isinstance(a, (SInts, SRange)) and isinstance(b, SSet):
        a, b = b, a
    a = materialize(sort, a)
    return SSet(tuple((k, b_and(p, member(sort, k, b))) for k, p in a.slots), a.distinct)


def set_diff(sort: SetSort, a: Any, b: Any) -> SSet:
    a = materialize(sort, a)
    return SSet(tuple((k, b_and(p, b_not(member(sort, k, b)))) for k, p in a.slots), a.distinct)


def set_subseteq(sort: SetSort, a: Any, b: Any, memo: Optional[dict] = None) -> Any:
    if isinstance(a, SRange) and isinstance(b, SRange):
        return b_or(s_lt(a.hi, a.lo), b_and(s_le(b.lo, a.lo), s_le(a.hi, b.hi)))
    a = materialize(sort, a)
    return b_and(*(b_implies(p, member(sort, k, b, memo)) for k, p in a.slots))


def s_le(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int):
        return a <= b
    return zi(a) <= zi(b)


def s_lt(a: Any, b: Any) -> Any:
    if isinstance(a, int) and isinstance(b, int):
        return a < b
    return zi(a) < zi(b)


def _surely_empty(v: Any) -> bool:
    return isinstance(v, SSet) and all(p is False for _, p in v.slots)


def set_eq(sort: SetSort, a: Any, b: Any) -> Any:
    if _surely_empty(b):  # `S.is_empty`: also for the sets that are never enumerated
        return set_empty(sort, a)
    if _surely_empty(a):
        return set_empty(sort, b)
    if isinstance(a, SInts) or isinstance(b, SInts):
        if isinstance(a, SInts) and isinstance(b, SInts):
            return a.nat == b.nat
        raise SpecError("comparing a finite set with Ints/UnsignedInts is not supported")
    if isinstance(a, SRange) and isinstance(b, SRange):
        empty_a, empty_b = s_lt(a.hi, a.lo), s_lt(b.hi, b.lo)
        return b_or(b_and(empty_a, empty_b), b_and(b_not(empty_a), b_not(empty_b), s_eq(a.lo, b.lo), s_eq(a.hi, b.hi)))
    a, b = materialize(sort, a), materialize(sort, b)
    es = sort.elem
    if _all_const_keys(sort, a) and _all_const_keys(sort, b):
        pa = {const_key(es, k): p for k, p in a.slots}
        pb = {const_key(es, k): p for k, p in b.slots}
        return b_and(*(b_iff(pa.get(k, False), pb.get(k, False)) for k in {**pa, **pb}))
    return b_and(set_subseteq(sort, a, b), set_subseteq(sort, b, a))


def set_ite(sort: SetSort, c: Any, a: Any, b: Any) -> Any:
    if isinstance(a, SRange) and isinstance(b, SRange):
        return SRange(s_ite(c, a.lo, b.lo), s_ite(c, a.hi, b.hi))
    if isinstance(a, SInts) and isinstance(b, SInts) and a.nat == b.nat:
        return a
    a, b = materialize(sort, a), materialize(sort, b)
    if _same_keys(a.slots, b.slots):   # the common case (branches of one set, a map's values): no matching
        return SSet(tuple((k, b_ite(c, p, q)) for (k, p), (_, q) in zip(a.slots, b.slots)), a.distinct and b.distinct)
    pairs, only_a, only_b = align_slots(sort.elem, [k for k, _ in a.slots], [k for k, _ in b.slots])
    nc = b_not(c)
    slots = [(a.slots[i][0], b_ite(c, a.slots[i][1], b.slots[j][1])) for i, j in pairs]
    slots += [(a.slots[i][0], b_and(c, a.slots[i][1])) for i in only_a]
    slots += [(b.slots[j][0], b_and(nc, b.slots[j][1])) for j in only_b]
    # for either value of c only one side's slots can be present (merged slots hold the same
    # key on both sides), so distinctness of each side carries over
    return SSet(tuple(slots), a.distinct and b.distinct)


def _key_id(sort: Sort, k: Any) -> Any:
    """An identity for a slot key: equal ids mean the keys are the same value in every model."""
    if is_const(sort, k):
        return ("c", const_key(sort, k))
    if isinstance(k, z3.ExprRef):
        return ("z", term_key(k))
    if isinstance(k, tuple) and isinstance(sort, (TupleSort, RecordSort)):
        subs = sort.elems if isinstance(sort, TupleSort) else [s for _, s in sort.fields]
        parts = tuple(_key_id(s, x) for s, x in zip(subs, k))
        return None if any(p is None for p in parts) else ("t", parts)
    return None


def _same_keys(a: Sequence[tuple], b: Sequence[tuple]) -> bool:
    """Whether two slot sequences hold the same keys in the same order (what `align_slots` would
    pair one to one), told from the keys' identities alone."""
    return len(a) == len(b) and _common_prefix([x[0] for x in a], [y[0] for y in b]) == len(a)


def _identical_keys(x: Any, y: Any) -> bool:
    """The same key by identity alone: one object, one int, or one Z3 term."""
    if x is y:
        return True
    if isinstance(x, z3.ExprRef):
        return isinstance(y, z3.ExprRef) and term_key(x) == term_key(y)
    return type(x) is int and type(y) is int and x == y


def _common_prefix(keys_a: Sequence[Any], keys_b: Sequence[Any]) -> int:
    """How many leading keys are the same in both, told from identities alone."""
    n = 0
    for kx, ky in zip(keys_a, keys_b):
        if not _identical_keys(kx, ky):
            break
        n += 1
    return n


def align_slots(sort: Sort, keys_a: list, keys_b: list) -> tuple:
    """Match the potential elements of two branch values that hold the same key.

    Returns (matched index pairs, unmatched indices of a, unmatched indices of b).
    Without this an ITE of `S | {x}` and `S` would hold S's slots twice, and the
    number of slots would double with every step. A common prefix (two branches that
    extend one set) pairs position by position, which is what matching gives there: every
    earlier slot of b is taken by the slot of a at its position.
    """
    n = _common_prefix(keys_a, keys_b)
    index: dict = {}
    for j in range(n, len(keys_b)):
        kid = _key_id(sort, keys_b[j])
        if kid is not None:
            index.setdefault(kid, []).append(j)
    pairs, only_a, used = [(i, i) for i in range(n)], [], set()
    for i in range(n, len(keys_a)):
        kid = _key_id(sort, keys_a[i])
        js = index.get(kid) if kid is not None else None
        if js:
            j = js.pop(0)
            used.add(j)
            pairs.append((i, j))
        else:
            only_a.append(i)
    only_b = [j for j in range(n, len(keys_b)) if j not in used]
    return pairs, only_a, only_b


def _pow_by_cases(base: Any, exp: Any, max_base: int, max_exp: int) -> Any:
    """base ** exp for small symbolic naturals, as an ITE over the possible values."""
    if isinstance(base, int) and isinstance(exp, int):
        return base ** exp
    out: Any = 0
    for b in range(max_base + 1):
        for e in range(max_exp + 1):
            out = s_ite(b_and(s_eq(base, b), s_eq(exp, e)), b ** e, out)
    return out


def make_distinct(sort: SetSort, s: SSet) -> SSet:
    """The same set with each element present in one slot only (the last one holding it)."""
    es = sort.elem
    out = []
    for i, (k, p) in enumerate(s.slots):
        later = [b_and(q, eq(es, kk, k)) for kk, q in s.slots[i + 1:]]
        out.append((k, b_and(p, b_not(b_or(*later)))))
    return SSet(tuple(out), True)


def set_card(sort: SetSort, s: Any) -> Any:
    if isinstance(s, SPowerset):
        bs = materialize(sort.elem, s.base)
        return _pow_by_cases(2, set_card(sort.elem, bs), 2, len(bs.slots))
    if isinstance(s, SFunSet):
        ms: MapSort = sort.elem
        ks, vs = materialize(SetSort(ms.key), s.keys), materialize(SetSort(ms.value), s.values)
        return _pow_by_cases(set_card(SetSort(ms.value), vs), set_card(SetSort(ms.key), ks),
                             len(vs.slots), len(ks.slots))
    if isinstance(s, SRange):
        n = s_ite(s_le(s.lo, s.hi), (s.hi - s.lo + 1) if isinstance(s.hi, int) and isinstance(s.lo, int)
                  else zi(s.hi) - zi(s.lo) + 1, 0)
        return n
    s = materialize(sort, s)
    if s.distinct:
        return count([p for _, p in s.slots])
    es = sort.elem
    firsts = []
    for i, (k, p) in enumerate(s.slots):
        earlier = [b_and(q, eq(es, kk, k)) for kk, q in s.slots[:i]]
        firsts.append(b_and(p, b_not(b_or(*earlier))))
    return count(firsts)


def set_empty(sort: SetSort, s: Any) -> Any:
    if isinstance(s, SRange):
        return s_lt(s.hi, s.lo)
    if isinstance(s, (SInts, SPowerset)):
        return False
    if isinstance(s, SFunSet):
        ms: MapSort = sort.elem
        return b_and(b_not(set_empty(SetSort(ms.key), s.keys)), set_empty(SetSort(ms.value), s.values))
    if isinstance(s, SProduct):
        return b_or(*(set_empty(SetSort(cs), p) for cs, p in zip(_components(sort.elem), s.parts)))
    return b_not(b_or(*(p for _, p in s.slots)))


# --- maps ----------------------------------------------------------------------------

def map_lookup(sort: MapSort, m: SMap, k: Any) -> Any:
    """The value at k (arbitrary when k is absent: definedness is checked separately)."""
    ks, vs = sort.key, sort.value
    hits = []
    scalar = isinstance(k, int) and not isinstance(k, bool)   # a constant key: the common case, made cheap
    for kk, p, v in m.slots:
        if scalar and isinstance(kk, int):
            if kk != k:
                continue
            c = p
        else:
            c = b_and(p, eq(ks, kk, k))
        if c is False:
            continue
        hits.append((c, v))
    if not hits:
        return default_value(vs)
    if hits[0][0] is True:
        return hits[0][1]
    out = hits[-1][1]
    for c, v in reversed(hits[:-1]):
        out = ite(vs, c, v, out)
    return out


def map_has(sort: MapSort, m: SMap, k: Any) -> Any:
    if isinstance(k, int) and not isinstance(k, bool):   # a constant key: constant slots need no terms
        return b_or(*(p if isinstance(kk, int) else b_and(p, eq(sort.key, kk, k))
                      for kk, p, _ in m.slots if not isinstance(kk, int) or kk == k))
    return b_or(*(b_and(p, eq(sort.key, kk, k)) for kk, p, _ in m.slots))


def map_keys(sort: MapSort, m: SMap) -> SSet:
    return SSet(tuple((k, p) for k, p, _ in m.slots), True)


def map_values(sort: MapSort, m: SMap) -> SSet:
    return set_from_slots(SetSort(sort.value), [(v, p) for _, p, v in m.slots])


def map_insert(sort: MapSort, m: SMap, k: Any, v: Any) -> SMap:
    ks = sort.key
    out = []
    placed = False
    for kk, p, vv in m.slots:
        same = eq(ks, kk, k)
        if same is True:
            # the first slot holding k takes the new value; any other slot holding k (after
            # an ITE of maps whose slots did not line up) is dropped, so present keys stay distinct
            out.append((kk, True, v) if not placed else (kk, False, vv))
            placed = True
        elif same is False:
            out.append((kk, p, vv))
        else:
            out.append((kk, b_and(p, b_not(same)), vv))
    if not placed:
        out.append((k, True, v))
    return SMap(tuple(out))


def map_replace(sort: MapSort, m: SMap, k: Any, v: Any) -> SMap:
    ks, vs = sort.key, sort.value
    return SMap(tuple((kk, p, ite(vs, eq(ks, kk, k), v, vv)) for kk, p, vv in m.slots))


def map_eq(sort: MapSort, a: SMap, b: SMap) -> Any:
    keys_eq = set_eq(SetSort(sort.key), map_keys(sort, a), map_keys(sort, b))
    vals = [b_implies(p, eq(sort.value, v, map_lookup(sort, b, k))) for k, p, v in a.slots]
    return b_and(keys_eq, *vals)


def map_ite(sort: MapSort, c: Any, a: SMap, b: SMap) -> SMap:
    vs = sort.value
    if _same_keys(a.slots, b.slots):
        return SMap(tuple((k, b_ite(c, p, q), ite(vs, c, v, w)) for (k, p, v), (_, q, w) in zip(a.slots, b.slots)))
    pairs, only_a, only_b = align_slots(sort.key, [k for k, _, _ in a.slots], [k for k, _, _ in b.slots])
    nc = b_not(c)
    slots = [(a.slots[i][0], b_ite(c, a.slots[i][1], b.slots[j][1]), ite(vs, c, a.slots[i][2], b.slots[j][2]))
             for i, j in pairs]
    slots += [(a.slots[i][0], b_and(c, a.slots[i][1]), a.slots[i][2]) for i in only_a]
    slots += [(b.slots[j][0], b_and(nc, b.slots[j][1]), b.slots[j][2]) for j in only_b]
    return SMap(tuple(slots))


def default_value(sort: Sort) -> Any:
    """Some value of the sort, used where the value does not matter (absent slots)."""
    if isinstance(sort, BoolSort):
        return False
    if isinstance(sort, (IntSort, StrSort, EnumSort)):
        return 0
    if isinstance(sort, TupleSort):
        return tuple(default_value(s) for s in sort.elems)
    if isinstance(sort, RecordSort):
        return tuple(default_value(s) for _, s in sort.fields)
    if isinstance(sort, SetSort):
        return SSet((), True)
    if isinstance(sort, MapSort):
        return SMap(())
    if isinstance(sort, ListSort):
        return SList(0, ())
    if isinstance(sort, UnionSort):
        return SVariant(0, tuple(None if ps is None else default_value(ps) for _, ps in sort.variants))
    raise SpecError(f"sort {sort} is not supported yet")
