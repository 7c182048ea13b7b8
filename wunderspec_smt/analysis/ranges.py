"""Static bounds on every integer a bounded model check of a model computes.

BMC encodes integers as Z3 `Int`s. When every integer the encoding computes is
small, bit-vectors of a small width are much faster, but that is only sound if
no value ever leaves the width. `int_range` gives a range that provably holds
every such value up to a depth bound, by interval abstract interpretation of the
compiled model (`ir.Model`), one step at a time:

* an abstract state maps each state variable to an abstract value of its sort
  (an interval for an int, element/key/value abstractions and a size bound for
  collections, one abstraction per component of a tuple, record or variant);
* S_0 is the abstract post-state of `init`; S_(d+1) = S_d joined with the post of
  `step` on S_d. Guards are not used to refine anything, and a `Choice` joins its
  branches: every term of the IR is evaluated on every iteration, so the result
  over-approximates every path, enabled or not;
* every abstract value any sub-term takes (on init, on the step out of S_depth,
  and on the properties over S_depth) has its integers recorded, list lengths
  and positions included, with the few intermediate ints the encoder derives
  from sub-term values (a slice's offsets from the end, a symbolic interval's
  size); the answer is the hull of those records. No widening is needed: BMC
  stops at the bound, so the iteration runs `depth` times (or stops early at a
  fixpoint).

Anything the analysis cannot bound (a pick from `Ints`, a fold too long to
iterate, an operator it does not model) makes the answer None: callers then
keep the unbounded `Int` encoding. Soundness comes first, precision second.

The abstract value `BOT` stands for "no value ever": the elements of an empty
set, the payload of a tag that never occurs, the result of an operation on such
a value. Operations are strict in it (a term that needs a value that never
exists is never evaluated with a defined result), except `Ite`, which joins.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from ..ir import ActionIR, Assume, ActionMark, Block, Choice, Model, Pick, Property, iter_blocks
from ..lang import terms as T
from ..lang.sorts import (BoolSort, EnumSort, IntSort, ListSort, MapSort, RecordSort, SetSort, Sort, StrSort,
                          TupleSort, UnionSort)
from ..lang.terms import Term
from ..lang.values import ListValue, MapValue, RecordValue, VariantValue

__all__ = ["int_range", "bits_for", "reachable_bounds", "Itv", "SetAbs", "MapAbs", "Prod", "BOT", "TOP"]

FOLD_LIMIT = 64        # most body iterations of a fold; one over more items must reach a fixpoint by then
COUNT_LIMIT = 1 << 62  # larger counts of possible values are treated as unknown
POW_BITS_LIMIT = 4096  # a power whose result may need more bits than this is unbounded
MAX_REWALKS = 8        # re-evaluations of an action when one pick variable is bound in several places


class _GiveUp(Exception):
    """The analysis cannot bound the model (unknown operator or value shape): int_range returns None."""


# --- abstract values -------------------------------------------------------------------

class _Bottom:
    """No value at all (see the module docstring)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "BOT"


class _Top:
    """A bool or enum value: nothing is tracked about it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "TOP"


BOT = _Bottom()
TOP = _Top()


@dataclass(frozen=True)
class Itv:
    """An int in [lo, hi]; None is an unbounded end. Never empty (BOT is the empty interval)."""

    lo: Optional[int]
    hi: Optional[int]


@dataclass(frozen=True)
class Strs:
    """A string among `values` (strings are only ever literals); None: any string."""

    values: Optional[frozenset]


@dataclass(frozen=True)
class SetAbs:
    """A set whose elements are in `elem`, with at most `card` of them (None: no bound known)."""

    elem: Any
    card: Optional[int]


@dataclass(frozen=True)
class MapAbs:
    """A map with keys in `key`, values in `val` and at most `size` entries."""

    key: Any
    val: Any
    size: Optional[int]


@dataclass(frozen=True)
class ListAbs:
    """A list with elements in `elem` and a length in `length`."""

    elem: Any
    length: Itv


@dataclass(frozen=True)
class Prod:
    """A tuple, or a record with its fields in the sort's (name) order."""

    parts: Tuple[Any, ...]


@dataclass(frozen=True)
class Variants:
    """A variant: per tag of the sort (in the sort's order) its payload, TOP for a tag without payload,
    BOT for a tag that never occurs."""

    payloads: Tuple[Any, ...]


Abs = Any  # one of the classes above, BOT or TOP


def _itv(lo: Optional[int], hi: Optional[int]) -> Abs:
    if lo is not None and hi is not None and lo > hi:
        return BOT
    return Itv(lo, hi)


def _min_opt(a: Optional[int], b: Optional[int]) -> Optional[int]:
    """The smaller of two upper bounds, None being no bound."""
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _lo_join(a: Optional[int], b: Optional[int]) -> Optional[int]:
    return None if a is None or b is None else min(a, b)


def _hi_join(a: Optional[int], b: Optional[int]) -> Optional[int]:
    return None if a is None or b is None else max(a, b)


def _add_opt(a: Optional[int], b: Optional[int]) -> Optional[int]:
    return None if a is None or b is None else a + b


# --- the lattice --------------------------------------------------------------------------

def join(a: Abs, b: Abs) -> Abs:
    """The least abstract value holding both (component-wise hull)."""
    if a is BOT or a is b:
        return b
    if b is BOT:
        return a
    if isinstance(a, Itv):
        return Itv(_lo_join(a.lo, b.lo), _hi_join(a.hi, b.hi))
    if a is TOP:
        return TOP
    if isinstance(a, Strs):
        return Strs(None if a.values is None or b.values is None else a.values | b.values)
    out = _componentwise(a, b, join, _hi_join)
    if out is None:
        raise _GiveUp(f"cannot join {a!r} and {b!r}")
    return out


def _componentwise(a: Abs, b: Abs, part: Callable[[Abs, Abs], Abs],
                   size: Callable[[Optional[int], Optional[int]], Optional[int]]) -> Optional[Abs]:
    """A collection or product abstraction rebuilt from `part` of the two sides' components and
    `size` of their size bounds (join and widening differ only in those); None for other values."""
    if isinstance(a, SetAbs):
        return SetAbs(part(a.elem, b.elem), size(a.card, b.card))
    if isinstance(a, MapAbs):
        return MapAbs(part(a.key, b.key), part(a.val, b.val), size(a.size, b.size))
    if isinstance(a, ListAbs):
        return ListAbs(part(a.elem, b.elem), part(a.length, b.length))
    if isinstance(a, Prod):
        return Prod(tuple(part(x, y) for x, y in zip(a.parts, b.parts)))
    if isinstance(a, Variants):
        return Variants(tuple(part(x, y) for x, y in zip(a.payloads, b.payloads)))
    return None


def join_all(values: Iterable[Abs]) -> Abs:
    out: Abs = BOT
    for v in values:
        out = join(out, v)
    return out


def _meet(a: Abs, b: Abs) -> Abs:
    """Something holding every value in both: exact for intervals, otherwise the operand with bounded ints."""
    if a is BOT or b is BOT:
        return BOT
    if isinstance(a, Itv) and isinstance(b, Itv):
        lo = b.lo if a.lo is None else a.lo if b.lo is None else max(a.lo, b.lo)
        return _itv(lo, _min_opt(a.hi, b.hi))
    return a if _is_bounded(_int_hull(a)) else b


def _cap(n: Optional[int]) -> Optional[int]:
    return n if n is not None and n <= COUNT_LIMIT else None


def _product(counts: Iterable[Optional[int]]) -> Optional[int]:
    out = 1
    for c in counts:
        if c is None:
            return None
        out = _cap(out * c)
        if out is None:
            return None
    return out


def _component_sorts(sort: Sort) -> Tuple[Sort, ...]:
    if isinstance(sort, TupleSort):
        return sort.elems
    return tuple(s for _, s in sort.fields)


def count(a: Abs, sort: Sort) -> Optional[int]:
    """How many distinct concrete values `a` may stand for (None: unknown or huge).

    It bounds the size of sets and maps: a set of enum members has at most as many
    elements as the enum, whatever was added to it.
    """
    if a is BOT:
        return 0
    if isinstance(sort, IntSort):
        return None if a.lo is None or a.hi is None else a.hi - a.lo + 1
    if isinstance(sort, BoolSort):
        return 2
    if isinstance(sort, EnumSort):
        return len(sort.members)
    if isinstance(sort, StrSort):
        return None if a.values is None else len(a.values)
    if isinstance(sort, (TupleSort, RecordSort)):
        return _product(count(p, s) for p, s in zip(a.parts, _component_sorts(sort)))
    if isinstance(sort, SetSort):
        n = count(a.elem, sort.elem)
        return None if n is None or n > 62 else 1 << n
    if isinstance(sort, MapSort):
        k, v = count(a.key, sort.key), count(a.val, sort.value)
        return None if k is None or v is None or k > 62 else _cap((v + 1) ** k)
    if isinstance(sort, UnionSort):
        total = 0
        for p, (_, ps) in zip(a.payloads, sort.variants):
            n = 0 if p is BOT else 1 if ps is None else count(p, ps)
            if n is None:
                return None
            total += n
        return _cap(total)
    return None  # lists: not needed


def top_of(sort: Sort) -> Abs:
    """The abstract value holding every value of the sort."""
    if isinstance(sort, IntSort):
        return Itv(None, None)
    if isinstance(sort, (BoolSort, EnumSort)):
        return TOP
    if isinstance(sort, StrSort):
        return Strs(None)
    if isinstance(sort, SetSort):
        return mk_set(top_of(sort.elem), None, sort)
    if isinstance(sort, MapSort):
        return mk_map(top_of(sort.key), top_of(sort.value), None, sort)
    if isinstance(sort, ListSort):
        return ListAbs(top_of(sort.elem), Itv(0, None))
    if isinstance(sort, (TupleSort, RecordSort)):
        return Prod(tuple(top_of(s) for s in _component_sorts(sort)))
    if isinstance(sort, UnionSort):
        return Variants(tuple(TOP if ps is None else top_of(ps) for _, ps in sort.variants))
    raise _GiveUp(f"unknown sort {sort}")


def mk_set(elem: Abs, card: Optional[int], sort: SetSort) -> Abs:
    """A set abstraction with its size bound tightened by the number of possible elements."""
    card = _min_opt(card, count(elem, sort.elem))
    if card == 0 or elem is BOT:
        return SetAbs(BOT, 0)
    return SetAbs(elem, card)


def mk_map(key: Abs, val: Abs, size: Optional[int], sort: MapSort) -> Abs:
    size = _min_opt(size, count(key, sort.key))
    if size == 0 or key is BOT or val is BOT:
        return MapAbs(BOT, BOT, 0)
    return MapAbs(key, val, size)


def alpha(value: Any, sort: Sort) -> Abs:
    """The abstraction of one concrete value (a constant of the IR)."""
    if isinstance(sort, IntSort):
        return Itv(value, value)
    if isinstance(sort, (BoolSort, EnumSort)):
        return TOP
    if isinstance(sort, StrSort):
        return Strs(frozenset((value,)))
    if isinstance(sort, SetSort) and isinstance(value, frozenset):
        return mk_set(join_all(alpha(x, sort.elem) for x in value), len(value), sort)
    if isinstance(sort, MapSort) and isinstance(value, MapValue):
        return mk_map(join_all(alpha(k, sort.key) for k in value.keys()),
                      join_all(alpha(v, sort.value) for v in value.values()), len(value), sort)
    if isinstance(sort, ListSort) and isinstance(value, ListValue):
        return ListAbs(join_all(alpha(x, sort.elem) for x in value), Itv(len(value), len(value)))
    if isinstance(sort, TupleSort) and isinstance(value, tuple):
        return Prod(tuple(alpha(x, s) for x, s in zip(value, sort.elems)))
    if isinstance(sort, RecordSort) and isinstance(value, RecordValue):
        return Prod(tuple(alpha(x, s) for (_, x), (_, s) in zip(value.items(), sort.fields)))
    if isinstance(sort, UnionSort) and isinstance(value, VariantValue):
        return Variants(tuple(BOT if tag != value.tag else TOP if ps is None else alpha(value.payload, ps)
                              for tag, ps in sort.variants))
    raise _GiveUp(f"constant {value!r} of sort {sort}")


def _int_hull(a: Abs) -> Abs:
    """The hull of every int inside `a` (list lengths and positions included): an Itv, or BOT."""
    if isinstance(a, Itv):
        return a
    if isinstance(a, SetAbs):
        return _int_hull(a.elem)
    if isinstance(a, MapAbs):
        return join(_int_hull(a.key), _int_hull(a.val))
    if isinstance(a, ListAbs):
        return join(_int_hull(a.elem), Itv(0, a.length.hi))
    if isinstance(a, Prod):
        return join_all(_int_hull(p) for p in a.parts)
    if isinstance(a, Variants):
        return join_all(_int_hull(p) for p in a.payloads)
    return BOT


def _is_bounded(h: Abs) -> bool:
    return h is BOT or (h.lo is not None and h.hi is not None)


def _mentions_int(sort: Sort) -> bool:
    """Whether values of the sort contain ints in the encoding (a list's length is one)."""
    if isinstance(sort, (IntSort, ListSort)):
        return True
    if isinstance(sort, SetSort):
        return _mentions_int(sort.elem)
    if isinstance(sort, MapSort):
        return _mentions_int(sort.key) or _mentions_int(sort.value)
    if isinstance(sort, (TupleSort, RecordSort)):
        return any(_mentions_int(s) for s in _component_sorts(sort))
    if isinstance(sort, UnionSort):
        return any(ps is not None and _mentions_int(ps) for _, ps in sort.variants)
    return False


# --- interval arithmetic --------------------------------------------------------------------

def _bounded(*xs: Itv) -> bool:
    return all(x.lo is not None and x.hi is not None for x in xs)


def _hull_of(values: Iterable[int]) -> Itv:
    vs = list(values)
    return Itv(min(vs), max(vs))


def itv_add(a: Itv, b: Itv) -> Itv:
    return Itv(_add_opt(a.lo, b.lo), _add_opt(a.hi, b.hi))


def itv_neg(a: Itv) -> Itv:
    return Itv(None if a.hi is None else -a.hi, None if a.lo is None else -a.lo)


def itv_sub(a: Itv, b: Itv) -> Itv:
    return itv_add(a, itv_neg(b))


def itv_mul(a: Itv, b: Itv) -> Itv:
    if a == Itv(0, 0) or b == Itv(0, 0):
        return Itv(0, 0)
    if not _bounded(a, b):
        return Itv(None, None)
    return _hull_of(x * y for x in (a.lo, a.hi) for y in (b.lo, b.hi))


def _sign_parts(b: Itv) -> List[Tuple[Optional[int], Optional[int]]]:
    """The divisor interval without 0: its positive part and its negative part (ends may be None)."""
    parts = []
    if b.hi is None or b.hi >= 1:
        parts.append((1 if b.lo is None or b.lo < 1 else b.lo, b.hi))
    if b.lo is None or b.lo <= -1:
        parts.append((b.lo, -1 if b.hi is None or b.hi > -1 else b.hi))
    return parts


def itv_div(a: Itv, b: Itv) -> Abs:
    """Floor division. A zero divisor is undefined (the encoder flags it), so it adds no value.

    On each sign region of the divisor, a // b is monotone in each argument, so the
    corners bound it; an unbounded divisor lets a // b tend to 0 or -1.
    """
    if not _bounded(a):
        return Itv(None, None) if _sign_parts(b) else BOT
    out: Abs = BOT
    for lo, hi in _sign_parts(b):
        ends = [e for e in (lo, hi) if e is not None]
        vals = [x // y for x in (a.lo, a.hi) for y in ends]
        if hi is None:  # b -> +inf
            vals += [0 if x >= 0 else -1 for x in (a.lo, a.hi)]
        if lo is None:  # b -> -inf
            vals += [-1 if x > 0 else 0 for x in (a.lo, a.hi)]
        out = join(out, _hull_of(vals))
    return out


def itv_mod(a: Itv, b: Itv) -> Abs:
    """Python's modulo: the sign of the divisor, smaller in magnitude than it and (same signs) than a."""
    out: Abs = BOT
    for lo, hi in _sign_parts(b):
        if lo is not None and lo >= 1:  # positive divisors lo..hi
            top = None if hi is None else hi - 1
            if a.lo is not None and a.lo >= 0:
                part = Itv(a.lo, a.hi) if a.hi is not None and a.hi < lo else Itv(0, _min_opt(a.hi, top))
            else:
                part = Itv(0, top)
        else:  # negative divisors lo..hi, hi <= -1
            bottom = None if lo is None else lo + 1
            if a.hi is not None and a.hi <= 0:
                low = bottom if a.lo is None else a.lo if bottom is None else max(a.lo, bottom)
                part = Itv(a.lo, a.hi) if a.lo is not None and a.lo > hi else Itv(low, 0)
            else:
                part = Itv(bottom, 0)
        out = join(out, part)
    return out


def itv_pow(a: Itv, b: Itv) -> Abs:
    """a ** b for b >= 0 (a negative exponent is undefined and adds no value)."""
    if b.hi is not None and b.hi < 0:
        return BOT
    if not _bounded(a, b):
        return Itv(None, None)
    lo_e = max(b.lo, 0)
    mag = max(abs(a.lo), abs(a.hi))
    if mag.bit_length() * b.hi > POW_BITS_LIMIT:
        return Itv(None, None)
    if a.lo == a.hi and lo_e == b.hi:
        return Itv(a.lo ** lo_e, a.lo ** lo_e)
    m = max(mag ** b.hi, 1)
    return Itv(0 if a.lo >= 0 else -m, m)


# --- strict operators: (term, argument values, evaluator) -> value ---------------------------

def _bool(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return TOP


def _int_op(fn: Callable[..., Abs]) -> Callable[[Term, list, "_Evaluator"], Abs]:
    return lambda t, args, ev: fn(*args)


def _tget(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return args[0].parts[t.data]


def _treplace(t: Term, args: list, ev: "_Evaluator") -> Abs:
    parts = list(args[0].parts)
    parts[t.data] = args[1]
    return Prod(tuple(parts))


def _rget(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return args[0].parts[t.args[0].sort.field_names.index(t.data)]


def _rreplace(t: Term, args: list, ev: "_Evaluator") -> Abs:
    parts = list(args[0].parts)
    names = t.args[0].sort.field_names
    for f, v in zip(t.data, args[1:]):
        parts[names.index(f)] = v
    return Prod(tuple(parts))


def _setlit(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return mk_set(join_all(args), len(args), t.sort)


def _interval(t: Term, args: list, ev: "_Evaluator") -> Abs:
    lo, hi = args[0].lo, args[1].hi
    card = None if lo is None or hi is None else max(0, hi - lo + 1)
    return mk_set(_itv(lo, hi), card, t.sort)


def _union(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return mk_set(join(args[0].elem, args[1].elem), _add_opt(args[0].card, args[1].card), t.sort)


def _inter(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return mk_set(_meet(args[0].elem, args[1].elem), _min_opt(args[0].card, args[1].card), t.sort)


def _diff(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return mk_set(args[0].elem, args[0].card, t.sort)


def _card(t: Term, args: list, ev: "_Evaluator") -> Abs:
    if t.args[0].op == T.INTERVAL:  # the size of a symbolic interval is computed as hi - lo + 1
        lo, hi = (ev.ev(b) for b in t.args[0].args)
        ev.ctx.note_value(itv_add(itv_sub(hi, lo), Itv(1, 1)))
    return Itv(0, _min_opt(args[0].card, count(args[0].elem, t.args[0].sort.elem)))


def _flatten(t: Term, args: list, ev: "_Evaluator") -> Abs:
    inner = args[0].elem
    if inner is BOT:
        return mk_set(BOT, 0, t.sort)
    card = None if args[0].card is None or inner.card is None else args[0].card * inner.card
    return mk_set(inner.elem, card, t.sort)


def _alltuples(t: Term, args: list, ev: "_Evaluator") -> Abs:
    if any(a.elem is BOT for a in args):
        return mk_set(BOT, 0, t.sort)
    return mk_set(Prod(tuple(a.elem for a in args)), _product(a.card for a in args), t.sort)


def _powerset(t: Term, args: list, ev: "_Evaluator") -> Abs:
    base = args[0]
    card = None if base.card is None or base.card > 62 else 1 << base.card
    return mk_set(mk_set(base.elem, base.card, t.args[0].sort), card, t.sort)


def _allmaps(t: Term, args: list, ev: "_Evaluator") -> Abs:
    keys, vals = args
    return mk_set(mk_map(keys.elem, vals.elem, keys.card, t.sort.elem), None, t.sort)


def _maplit(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return mk_map(join_all(args[0::2]), join_all(args[1::2]), len(args) // 2, t.sort)


def _mget(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return args[0].val


def _mkeys(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return mk_set(args[0].key, args[0].size, t.sort)


def _mvalues(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return mk_set(args[0].val, args[0].size, t.sort)


def _minsert(t: Term, args: list, ev: "_Evaluator") -> Abs:
    m, k, v = args
    return mk_map(join(m.key, k), join(m.val, v), _add_opt(m.size, 1), t.sort)


def _mreplace(t: Term, args: list, ev: "_Evaluator") -> Abs:
    m, _, v = args
    return m if m.size == 0 else mk_map(m.key, join(m.val, v), m.size, t.sort)


def _variant(t: Term, args: list, ev: "_Evaluator") -> Abs:
    payload = args[0] if args else TOP
    return Variants(tuple(payload if tag == t.data else BOT for tag in t.sort.tags))


def _utag(t: Term, args: list, ev: "_Evaluator") -> Abs:
    sort = t.args[0].sort
    return Strs(frozenset(tag for tag, p in zip(sort.tags, args[0].payloads) if p is not BOT))


def _listlit(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return ListAbs(join_all(args), Itv(len(args), len(args)))


def _range(t: Term, args: list, ev: "_Evaluator") -> Abs:
    a, b = args
    length = Itv(0, None if a.lo is None or b.hi is None else max(0, b.hi - a.lo))
    elem = BOT if length.hi == 0 else _itv(a.lo, None if b.hi is None else b.hi - 1)
    return ListAbs(elem, length)


def _lget(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return args[0].elem


def _lslice(t: Term, args: list, ev: "_Evaluator") -> Abs:
    lst, lo, hi = args
    for bound in (lo, hi):  # a negative bound counts from the end: the encoder computes len + bound
        ev.ctx.note_value(itv_add(lst.length, bound))
    n = lst.length.hi
    ev.ctx.note_value(Itv(None if n is None else -n, n))  # stop - start, before clamping at 0
    return ListAbs(lst.elem, Itv(0, n))


def _lconcat(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return ListAbs(join(args[0].elem, args[1].elem), itv_add(args[0].length, args[1].length))


def _lreplace(t: Term, args: list, ev: "_Evaluator") -> Abs:
    lst, _, v = args
    return ListAbs(join(lst.elem, v), lst.length)


def _llen(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return args[0].length


def _lkeys(t: Term, args: list, ev: "_Evaluator") -> Abs:
    hi = args[0].length.hi
    return mk_set(_itv(0, None if hi is None else hi - 1), hi, t.sort)


def _lelems(t: Term, args: list, ev: "_Evaluator") -> Abs:
    return mk_set(args[0].elem, args[0].length.hi, t.sort)


_STRICT: Dict[str, Callable[[Term, list, "_Evaluator"], Abs]] = {
    T.EQ: _bool, T.AND: _bool, T.OR: _bool, T.NOT: _bool, T.IMPLIES: _bool, T.LT: _bool, T.LE: _bool,
    T.SUBSETEQ: _bool, T.IN: _bool,
    T.ADD: _int_op(itv_add), T.SUB: _int_op(itv_sub), T.MUL: _int_op(itv_mul), T.NEG: _int_op(itv_neg),
    T.DIV: _int_op(itv_div), T.MOD: _int_op(itv_mod), T.POW: _int_op(itv_pow),
    T.TUPLE: lambda t, args, ev: Prod(tuple(args)), T.TGET: _tget, T.TREPLACE: _treplace,
    T.RECORD: lambda t, args, ev: Prod(tuple(args)), T.RGET: _rget, T.RREPLACE: _rreplace,
    T.SETLIT: _setlit, T.INTERVAL: _interval, T.UNION: _union, T.INTER: _inter, T.DIFF: _diff,
    T.CARD: _card, T.FLATTEN: _flatten, T.ALLTUPLES: _alltuples, T.ALLRECORDS: _alltuples,
    T.POWERSET: _powerset, T.ALLMAPS: _allmaps,
    T.MAPLIT: _maplit, T.MGET: _mget, T.MKEYS: _mkeys, T.MVALUES: _mvalues, T.MINSERT: _minsert,
    T.MREPLACE: _mreplace,
    T.VARIANT: _variant, T.UTAG: _utag,
    T.LISTLIT: _listlit, T.RANGE: _range, T.LGET: _lget, T.LSLICE: _lslice, T.LCONCAT: _lconcat,
    T.LREPLACE: _lreplace, T.LLEN: _llen, T.LKEYS: _lkeys, T.LELEMS: _lelems,
}


def _elems_of(coll: Abs) -> Tuple[Abs, Optional[int]]:
    """(element abstraction, bound on the number of elements) of a set or a list."""
    if coll is BOT:
        return BOT, 0
    if isinstance(coll, SetAbs):
        return coll.elem, coll.card
    if isinstance(coll, ListAbs):
        return coll.elem, coll.length.hi
    raise _GiveUp(f"not a collection: {coll!r}")


_MISSING = object()


# --- evaluation -------------------------------------------------------------------------------

class _Analysis:
    """What one `int_range` call shares: the record of ints seen, and per-term caches."""

    def __init__(self) -> None:
        self.lo: Optional[int] = None
        self.hi: Optional[int] = None
        self.unbounded = False
        self.consts: Dict[int, Abs] = {}
        self.fv_orders: Dict[int, Tuple[Term, ...]] = {}
        self.int_sorts: Dict[Sort, bool] = {}

    def note_value(self, v: Abs) -> None:
        h = _int_hull(v)
        if h is BOT:
            return
        if h.lo is None or h.hi is None:
            self.unbounded = True
            return
        self.lo = h.lo if self.lo is None else min(self.lo, h.lo)
        self.hi = h.hi if self.hi is None else max(self.hi, h.hi)

    def note(self, t: Term, v: Abs) -> None:
        """Record the ints of the value of `t`, except for `Ints` itself: membership computes no int."""
        if t.op == T.INTS:
            return
        hit = self.int_sorts.get(t.sort)
        if hit is None:
            hit = self.int_sorts[t.sort] = _mentions_int(t.sort)
        if hit:
            self.note_value(v)

    def fv_order(self, t: Term) -> Tuple[Term, ...]:
        hit = self.fv_orders.get(t.uid)
        if hit is None:
            hit = self.fv_orders[t.uid] = tuple(sorted(t.fv, key=lambda b: b.uid))
        return hit

    def const(self, t: Term) -> Abs:
        hit = self.consts.get(t.uid)
        if hit is None:
            hit = self.consts[t.uid] = alpha(t.data, t.sort)
        return hit


class _Evaluator:
    """Abstract evaluation of terms on one abstract state (and pick bindings), memoised per term
    and values of its free bound variables."""

    def __init__(self, ctx: _Analysis, state: Dict[str, Abs], picks: Dict[Term, Abs]):
        self.ctx = ctx
        self.state = state
        self.env: Dict[Term, Abs] = dict(picks)
        self.memo: Dict[Any, Abs] = {}
        self.rebound = False  # a pick got a wider value after terms reading it were memoised

    def ev(self, t: Term) -> Abs:
        key: Any = t.uid if not t.fv else (t.uid,) + tuple(self.env.get(b) for b in self.ctx.fv_order(t))
        hit = self.memo.get(key, _MISSING)
        if hit is not _MISSING:
            return hit
        v = self._ev(t)
        self.memo[key] = v
        self.ctx.note(t, v)
        return v

    def _ev(self, t: Term) -> Abs:
        op = t.op
        if op == T.CONST:
            return self.ctx.const(t)
        if op == T.SVAR:  # a variable init never writes could hold anything; BOT: no state has a value
            v = self.state.get(t.data, _MISSING)
            return top_of(t.sort) if v is _MISSING else v
        if op in (T.BVAR, T.PICK):
            v = self.env.get(t, _MISSING)
            if v is _MISSING:
                raise _GiveUp(f"unbound variable {t!r}")
            return v
        if op == T.FREE:
            return top_of(t.sort)
        if op == T.INTS:
            return SetAbs(Itv(0 if t.data == "nat" else None, None), None)
        if op in T.BINDER_OPS:
            return self._binder(t)
        if op in T.REDUCE_OPS:
            return self._fold(t)
        if op == T.UMATCH:
            return self._match(t)
        args = [self.ev(a) for a in t.args]
        if op == T.ITE:
            return BOT if args[0] is BOT else join(args[1], args[2])
        fn = _STRICT.get(op)
        if fn is None:
            raise _GiveUp(f"operator {op!r} is not modelled")
        if any(a is BOT for a in args):
            return BOT
        return fn(t, args, self)

    def _with(self, bindings: Dict[Term, Abs], body: Term) -> Abs:
        """Evaluate body with the bound variables set (and restored afterwards)."""
        env = self.env
        saved = [(b, env.get(b, _MISSING)) for b in bindings]
        env.update(bindings)
        try:
            return self.ev(body)
        finally:
            for b, old in saved:
                if old is _MISSING:
                    env.pop(b, None)
                else:
                    env[b] = old

    def _binder(self, t: Term) -> Abs:
        dom_t, bv, body = t.args
        dom = self.ev(dom_t)
        elem, n = _elems_of(dom)
        res = self._with({bv: elem}, body)
        if dom is BOT:
            return BOT
        op = t.op
        if op in (T.FORALL, T.EXISTS):
            return TOP
        if op == T.CHOOSE:
            return elem
        if op == T.SETMAP:
            return mk_set(res, n, t.sort)
        if op == T.SETFILTER:
            return mk_set(elem, n, t.sort)
        if op == T.MAPFROM:
            return mk_map(elem, res, n, t.sort)
        return ListAbs(elem, Itv(0, dom.length.hi))  # LFILTER

    def _fold_items(self, t: Term, coll: Abs) -> Tuple[Tuple[Abs, ...], Optional[int]]:
        """The abstractions of one fold item (element, or key and value) and a bound on the item count."""
        if coll is BOT:
            return (BOT,) * (len(t.args) - 4), 0
        if t.op == T.MREDUCE:
            return (coll.key, coll.val), _min_opt(coll.size, count(coll.key, t.args[0].sort.key))
        elem, n = _elems_of(coll)
        if t.op == T.SREDUCE:
            n = _min_opt(n, count(elem, t.args[0].sort.elem))
        return (elem,), n

    def _fold(self, t: Term) -> Abs:
        """A fold runs its body once per item: iterate acc := acc join body(acc) that many times, or to a
        fixpoint (which covers any number of items). The body is evaluated at least once, so its literals
        are always recorded."""
        coll_t, body, init_t = t.args[0], t.args[-2], t.args[-1]
        coll, acc = self.ev(coll_t), self.ev(init_t)
        items, n = self._fold_items(t, coll)
        bvs = t.args[1:-2]
        rounds = FOLD_LIMIT if n is None else min(n, FOLD_LIMIT)
        for _ in range(max(rounds, 1)):
            out = self._with(dict(zip(bvs, (acc,) + items)), body)
            if n == 0:  # no item: the body ran only so that its ints are recorded
                return BOT if coll is BOT else acc
            nxt = join(acc, out)
            if nxt == acc:
                return acc
            acc = nxt
        if n is not None and n <= FOLD_LIMIT:
            return acc
        return top_of(t.sort)

    def _match(self, t: Term) -> Abs:
        u = self.ev(t.args[0])
        tags = t.args[0].sort.tags
        out: Abs = BOT
        for tag, bv, body in T.match_arms(t):
            payload = BOT if u is BOT else u.payloads[tags.index(tag)]
            res = self.ev(body) if bv is None else self._with({bv: payload}, body)
            if payload is not BOT:  # the arm of a tag that never occurs never fires
                out = join(out, res)
        return out

    # -- actions --

    def walk(self, block: Block) -> None:
        """Evaluate the items of the block tree in program order, binding each pick to its domain's elements."""
        for it in block.items:
            if isinstance(it, Assume):
                self.ev(it.cond)
            elif isinstance(it, Pick):
                self._bind_pick(it)
            elif isinstance(it, ActionMark):
                for a in it.args:
                    self.ev(a)
            elif isinstance(it, Choice):
                for br in it.branches:
                    self.walk(br)

    def _bind_pick(self, it: Pick) -> None:
        elem, _ = _elems_of(self.ev(it.domain))
        old = self.env.get(it.var, _MISSING)
        if old is _MISSING:
            self.env[it.var] = elem
            self.ctx.note(it.var, elem)
            return
        new = join(old, elem)
        if new != old:
            self.env[it.var] = new
            self.rebound = True


def _post(ctx: _Analysis, ir: ActionIR, state: Dict[str, Abs]) -> Dict[str, Abs]:
    """Evaluate every term of the action on the abstract state; return the join of the values written to
    each variable (any path's post-state value of a variable it writes is among them)."""
    picks: Dict[Term, Abs] = {}
    for _ in range(MAX_REWALKS):
        ev = _Evaluator(ctx, state, picks)
        ev.walk(ir.root)
        if not ev.rebound:
            post: Dict[str, Abs] = {}
            for b in iter_blocks(ir.root):
                for name, term in b.writes:
                    post[name] = join(post.get(name, BOT), ev.ev(term))
            return post
        picks = ev.env
    raise _GiveUp(f"the picks of action {ir.name!r} do not settle")


def _reachable(ctx: _Analysis, model: Model, depth: int) -> Dict[str, Abs]:
    """The abstract state holding every state reachable in at most `depth` steps; the step out of it
    is evaluated too (BMC encodes it)."""
    state = _post(ctx, model.init, {})
    for _ in range(depth):
        post = _post(ctx, model.step, state)
        new = {n: join(state.get(n, BOT), post.get(n, BOT)) for n in set(state) | set(post)}
        if new == state:
            return state  # a fixpoint: the step out of it was just evaluated
        state = new
    _post(ctx, model.step, state)
    return state


def _stable_hi(old: Optional[int], new: Optional[int]) -> Optional[int]:
    """An upper bound (or size bound) kept if it did not move, else dropped."""
    return old if old is not None and new is not None and new <= old else None


def _stable_lo(old: Optional[int], new: Optional[int]) -> Optional[int]:
    return old if old is not None and new is not None and new >= old else None


def widen(old: Abs, new: Abs) -> Abs:
    """`new` (which holds `old`), with every bound that moved since `old` dropped.

    Only ints, sizes and lengths can grow forever (strings are literals, enums and
    tags are finite), so widening them makes every iteration reach a fixpoint."""
    if old is BOT or new is BOT or old is new:
        return new
    if isinstance(new, Itv):
        return Itv(_stable_lo(old.lo, new.lo), _stable_hi(old.hi, new.hi))
    out = _componentwise(old, new, widen, _stable_hi)
    return new if out is None else out


JOINS_BEFORE_WIDENING = 8  # plain rounds first: most bounds settle within a few steps (a ballot is copied
                           # from a message that is sent one step earlier), and widening them would lose them
MAX_WIDENINGS = 64         # rounds of the all-depth iteration; a model that needs more is given up on


def reachable_bounds(model: Model) -> Optional[Dict[str, Abs]]:
    """An abstract state holding every reachable state, at any depth; None when the analysis gives up.

    The proof engines use it to give a generic state a finite shape: a set of ints
    whose elements stay in 1..20 in every reachable state can be encoded with 20
    constant slots. Unlike `int_range` there is no depth bound, so bounds that keep
    growing are widened away (to unbounded) instead of iterated."""
    ctx = _Analysis()
    try:
        state = _post(ctx, model.init, {})
        for round_ in range(MAX_WIDENINGS):
            post = _post(ctx, model.step, state)
            new = {n: join(state.get(n, BOT), post.get(n, BOT)) for n in set(state) | set(post)}
            if new == state:
                return state
            state = new if round_ < JOINS_BEFORE_WIDENING else {n: widen(state.get(n, BOT), v)
                                                                 for n, v in new.items()}
    except (_GiveUp, RecursionError):
        return None
    return None


def int_range(model: Model, depth: int, properties: Sequence[Property] = ()) -> Optional[Tuple[int, int]]:
    """(lo, hi) holding every int a BMC run of `model` to `depth` may compute, or None when unbounded.

    Covered: every Int-sorted sub-term value (and every int inside set, map,
    list, tuple, record and variant values, list lengths and positions
    included) of `model.init`; of `model.step` on any state reachable in at most
    `depth` steps; of each given property on those states. None when some such
    value is not bounded by the analysis: a pick or binder over `Ints`, a fold
    over too many (or unboundedly many) items whose accumulator keeps growing, an
    operator or constant it does not model, a cardinality with no known bound.
    A model with no ints at all gives (0, 0).
    """
    ctx = _Analysis()
    try:
        state = _reachable(ctx, model, depth)
        on_states = _Evaluator(ctx, state, {})
        for p in properties:
            on_states.ev(p.term)
    except (_GiveUp, RecursionError):
        return None
    if ctx.unbounded:
        return None
    if ctx.lo is None:
        return (0, 0)
    return (ctx.lo, ctx.hi)


def _signed_bits(v: int) -> int:
    return (v if v >= 0 else -v - 1).bit_length() + 1


def bits_for(lo: int, hi: int) -> int:
    """The smallest two's-complement width (at least 2) holding every int in [lo, hi]."""
    return max(2, _signed_bits(lo), _signed_bits(hi))
