"""A table of DSL expression cases with Python reference semantics.

Each `LangCase` builds an expression over free variables (`Var(name, type)`)
and gives a Python function computing the expected value from concrete values
of those variables. `tests/test_lang.py` checks the concrete evaluator against
the table; symbolic encoders can run the same table (build the term, encode it,
fix the variables to the drawn values, and compare).

Conventions
* Builders take the variables' `Expr`s positionally, in `vars` order; reference
  functions take their concrete values in the same order.
* Values use the interpreter's representation (lang/values.py): bool, int, str,
  Enum members, tuple, frozenset, MapValue, RecordValue.
* A reference that raises `Undefined`, `ZeroDivisionError` or `KeyError` means
  the expression is *undefined* for those values (evaluation must raise
  `EvaluationError`; an encoder must report it as undefined).
* Strings range over `STR_UNIVERSE`; integers over a small range around 0 so
  that sets and maps stay small and collisions (equal keys, zero divisors)
  happen often.
"""
from __future__ import annotations

import enum
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Tuple

from hypothesis import strategies as st

from wunderspec_smt import (AllMaps, AllRecords, AllSubsets, AllTuples, And, Exists, Field, Forall, Implies, Interval, Ints, Ite, List, Map, Max, Min,
                            Not, Or, Range, Record, Set, SetIf, Tuple, Unit, UnsignedInts, Val, Var, Variant, record,
                            union)
from wunderspec_smt.lang.sorts import (BoolSort, EnumSort, IntSort, ListSort, MapSort, RecordSort, SetSort, Sort,
                                       StrSort, TupleSort, UnionSort, sort_of)
from wunderspec_smt.lang.values import ListValue, MapValue, RecordValue, VariantValue, value_key


class Undefined(Exception):
    """Raised by a reference function when the expression has no value."""


class Color(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = 3


@record
class Point:
    x: Field[int]
    y: Field[int]


@union
class Msg:
    Ping: Variant[int]
    Pong: Variant[Unit]
    At: Field[Point]


@union
class Sig:
    """Finite payloads: sets of signals have a finite universe."""
    Go: Variant[Color]
    Flag: Variant[bool]
    Stop: Variant[()]


STR_UNIVERSE = ("a", "b", "c")
INT_MIN, INT_MAX = -5, 5
UNDEFINED_EXCEPTIONS = (Undefined, ZeroDivisionError, KeyError)


def strategy_for(sort: Sort) -> st.SearchStrategy:
    """Hypothesis strategy for concrete values of a sort."""
    if isinstance(sort, BoolSort):
        return st.booleans()
    if isinstance(sort, IntSort):
        return st.integers(INT_MIN, INT_MAX)
    if isinstance(sort, StrSort):
        return st.sampled_from(STR_UNIVERSE)
    if isinstance(sort, EnumSort):
        return st.sampled_from(list(sort.enum_cls))
    if isinstance(sort, TupleSort):
        return st.tuples(*(strategy_for(e) for e in sort.elems))
    if isinstance(sort, RecordSort):
        return st.fixed_dictionaries({n: strategy_for(s) for n, s in sort.fields}).map(
            lambda d: RecordValue(d, sort.name))
    if isinstance(sort, SetSort):
        return st.frozensets(strategy_for(sort.elem), max_size=4)
    if isinstance(sort, MapSort):
        return st.dictionaries(strategy_for(sort.key), strategy_for(sort.value), max_size=4).map(MapValue)
    if isinstance(sort, ListSort):
        return st.lists(strategy_for(sort.elem), max_size=4).map(ListValue)
    if isinstance(sort, UnionSort):
        return st.one_of(*(st.just(VariantValue(tag, None, sort.name)) if ps is None else
                           strategy_for(ps).map(lambda v, tag=tag: VariantValue(tag, v, sort.name))
                           for tag, ps in sort.variants))
    raise NotImplementedError(f"no strategy for sort {sort}")


def random_value(sort: Sort, rng: random.Random) -> Any:
    """A random value of a sort, without hypothesis (cheap: for bulk or solver-backed checks)."""
    if isinstance(sort, BoolSort):
        return rng.random() < 0.5
    if isinstance(sort, IntSort):
        return 0 if rng.random() < 0.15 else rng.randint(INT_MIN, INT_MAX)
    if isinstance(sort, StrSort):
        return rng.choice(STR_UNIVERSE)
    if isinstance(sort, EnumSort):
        return rng.choice(list(sort.enum_cls))
    if isinstance(sort, TupleSort):
        return tuple(random_value(e, rng) for e in sort.elems)
    if isinstance(sort, RecordSort):
        return RecordValue({n: random_value(s, rng) for n, s in sort.fields}, sort.name)
    if isinstance(sort, SetSort):
        return frozenset(random_value(sort.elem, rng) for _ in range(rng.randint(0, 4)))
    if isinstance(sort, MapSort):
        return MapValue({random_value(sort.key, rng): random_value(sort.value, rng) for _ in range(rng.randint(0, 4))})
    if isinstance(sort, ListSort):
        return ListValue(random_value(sort.elem, rng) for _ in range(rng.randint(0, 4)))
    if isinstance(sort, UnionSort):
        tag, ps = rng.choice(sort.variants)
        return VariantValue(tag, None if ps is None else random_value(ps, rng), sort.name)
    raise NotImplementedError(f"no generator for sort {sort}")


@dataclass(frozen=True)
class LangCase:
    name: str
    build: Callable[..., Any]                 # Expr variables -> Expr (or a raw Python value)
    ref: Callable[..., Any]                   # concrete values -> expected value
    vars: Tuple[Tuple[str, Any], ...] = ()    # (variable name, Python type) in argument order
    strategies: Dict[str, Any] = field(default_factory=dict)  # per-variable strategy overrides

    def var_exprs(self) -> tuple:
        return tuple(Var(n, t) for n, t in self.vars)

    def var_terms(self) -> tuple:
        return tuple(e.term for e in self.var_exprs())

    def term(self):
        """The expression's term (literals are lifted)."""
        return Val(self.build(*self.var_exprs())).term

    def values_strategy(self) -> st.SearchStrategy:
        return st.fixed_dictionaries({n: self.strategies[n] if n in self.strategies else strategy_for(sort_of(t))
                                      for n, t in self.vars})

    def sample_values(self, n: int, seed: int = 0) -> list:
        """n deterministic pseudo-random assignments (name -> value) of the variables."""
        rng = random.Random(f"{self.name}/{seed}")
        sorts = [(name, sort_of(t)) for name, t in self.vars]
        return [{name: random_value(sort, rng) for name, sort in sorts} for _ in range(n if self.vars else 1)]

    def expected(self, values: Dict[str, Any]) -> Tuple[bool, Any]:
        """(True, value) or (False, None) when the expression is undefined for `values`."""
        try:
            return True, self.ref(*(values[n] for n, _ in self.vars))
        except UNDEFINED_EXCEPTIONS:
            return False, None

    def env(self, values: Dict[str, Any]) -> dict:
        return {t: values[n] for t, (n, _) in zip(self.var_terms(), self.vars)}


CASES: list = []


def add(name: str, build: Callable, ref: Callable, *vars: Tuple[str, Any], **strategies: Any) -> None:
    if any(c.name == name for c in CASES):
        raise ValueError(f"duplicate case name {name!r}")
    CASES.append(LangCase(name, build, ref, tuple(vars), strategies))


# --- reference helpers -----------------------------------------------------------------

def floordiv(a: int, b: int) -> int:
    if b == 0:
        raise Undefined("division by zero")
    return a // b


def pymod(a: int, b: int) -> int:
    if b == 0:
        raise Undefined("modulo by zero")
    return a % b


def pypow(a: int, b: int) -> int:
    if b < 0 or (a == 0 and b == 0):
        raise Undefined("power")
    return a ** b


def lookup(m: MapValue, k: Any) -> Any:
    if k not in m:
        raise Undefined("key not in map")
    return m[k]


def minsert(m: MapValue, k: Any, v: Any) -> MapValue:
    return m.set(k, v)


def mreplace(m: MapValue, k: Any, v: Any) -> MapValue:
    return m.set(k, v) if k in m else m


def fs(*xs: Any) -> frozenset:
    return frozenset(xs)


S_, E = ("s", str), ("e", Color)
A, BB, CB = ("a", bool), ("b", bool), ("c", bool)
X, Y, Z = ("x", int), ("y", int), ("z", int)
SS, TT = ("S", set[int]), ("T", set[int])
MM = ("m", dict[int, int])
K = ("k", int)

# --- Booleans ----------------------------------------------------------------------------

add("bool_and_op", lambda a, b: a & b, lambda a, b: a and b, A, BB)
add("bool_or_op", lambda a, b: a | b, lambda a, b: a or b, A, BB)
add("bool_not_op", lambda a: ~a, lambda a: not a, A)
add("bool_and_fn", lambda a, b, c: And(a, b, c), lambda a, b, c: a and b and c, A, BB, CB)
add("bool_or_fn", lambda a, b, c: Or(a, b, c), lambda a, b, c: a or b or c, A, BB, CB)
add("bool_and_list", lambda a, b: And([a, b, True]), lambda a, b: a and b, A, BB)
add("bool_and_empty", lambda: And(), lambda: True)
add("bool_or_empty", lambda: Or(), lambda: False)
add("bool_not_fn", lambda a: Not(a), lambda a: not a, A)
add("bool_implies_fn", lambda a, b: Implies(a, b), lambda a, b: (not a) or b, A, BB)
add("bool_implies_method", lambda a, b: a.implies(b), lambda a, b: (not a) or b, A, BB)
add("bool_and_method", lambda a, b, c: a.and_(b, c), lambda a, b, c: a and b and c, A, BB, CB)
add("bool_or_method", lambda a, b: a.or_(b), lambda a, b: a or b, A, BB)
add("bool_not_method", lambda a: a.not_(), lambda a: not a, A)
add("bool_iff", lambda a, b: a == b, lambda a, b: a == b, A, BB)
add("bool_xor", lambda a, b: a != b, lambda a, b: a != b, A, BB)
add("bool_literal_mix", lambda a: (a & True) | False, lambda a: a, A)
add("bool_rand_literal", lambda a: True & a, lambda a: a, A)
add("bool_val", lambda a: Val(True) & ~a, lambda a: not a, A)
add("bool_double_not", lambda a, b: ~~a | Not(Not(b)), lambda a, b: a or b, A, BB)

# --- Integers ------------------------------------------------------------------------------

add("int_add", lambda x, y: x + y, lambda x, y: x + y, X, Y)
add("int_sub", lambda x, y: x - y, lambda x, y: x - y, X, Y)
add("int_mul", lambda x, y: x * y, lambda x, y: x * y, X, Y)
add("int_neg", lambda x: -x, lambda x: -x, X)
add("int_pos", lambda x: +x, lambda x: x, X)
add("int_radd", lambda x: 3 + x, lambda x: 3 + x, X)
add("int_rsub", lambda x: 3 - x, lambda x: 3 - x, X)
add("int_rmul", lambda x: -2 * x, lambda x: -2 * x, X)
add("int_div", lambda x, y: x / y, floordiv, X, Y)
add("int_floordiv", lambda x, y: x // y, floordiv, X, Y)
add("int_mod", lambda x, y: x % y, pymod, X, Y)
add("int_div_wide", lambda x, y: x / y, floordiv, X, Y,
    x=st.integers(-1000, 1000), y=st.integers(-30, 30))
add("int_mod_wide", lambda x, y: x % y, pymod, X, Y,
    x=st.integers(-1000, 1000), y=st.integers(-30, 30))
add("int_div_lit", lambda x: x / 3, lambda x: x // 3, X)
add("int_div_neg_lit", lambda x: x / -3, lambda x: x // -3, X)
add("int_mod_neg_lit", lambda x: x % -3, lambda x: x % -3, X)
add("int_rdiv", lambda x: 7 / x, lambda x: floordiv(7, x), X)
add("int_rmod", lambda x: -7 % x, lambda x: pymod(-7, x), X)
add("int_div_mod_identity", lambda x, y: (x / y) * y + x % y == x,
    lambda x, y: floordiv(x, y) * y + pymod(x, y) == x, X, Y)
add("int_const_div", lambda: Val(-100) / 3, lambda: -34)
add("int_const_mod", lambda: Val(-100) % 3, lambda: 2)
add("int_const_mod_neg", lambda: Val(100) % -3, lambda: -2)
add("int_pow_lit", lambda x: x ** 2, lambda x: x ** 2, X)
add("int_pow", lambda x, y: x ** y, pypow, X, Y)
add("int_rpow", lambda y: 2 ** y, lambda y: pypow(2, y), Y)
add("int_lt", lambda x, y: x < y, lambda x, y: x < y, X, Y)
add("int_le", lambda x, y: x <= y, lambda x, y: x <= y, X, Y)
add("int_gt", lambda x, y: x > y, lambda x, y: x > y, X, Y)
add("int_ge", lambda x, y: x >= y, lambda x, y: x >= y, X, Y)
add("int_eq", lambda x, y: x == y, lambda x, y: x == y, X, Y)
add("int_ne", lambda x, y: x != y, lambda x, y: x != y, X, Y)
add("int_lt_reflected", lambda x: 2 < x, lambda x: 2 < x, X)
add("int_ge_reflected", lambda x: 2 >= x, lambda x: 2 >= x, X)
add("int_eq_literal", lambda x: x == 3, lambda x: x == 3, X)
add("int_max", lambda x, y, z: Max(x, y, z), lambda x, y, z: max(x, y, z), X, Y, Z)
add("int_min", lambda x, y: Min(x, y, 0), lambda x, y: min(x, y, 0), X, Y)
add("int_val", lambda x: Val(3) + x, lambda x: 3 + x, X)
add("int_div_guarded_and", lambda x, y: And(y != 0, x / y > 1), lambda x, y: y != 0 and x // y > 1, X, Y)
add("int_div_guarded_or", lambda x, y: Or(y == 0, x % y == 1), lambda x, y: y == 0 or x % y == 1, X, Y)
add("int_div_guarded_implies", lambda x, y: Implies(y != 0, x / y >= 0),
    lambda x, y: (not y != 0) or x // y >= 0, X, Y)
add("int_div_guarded_ite", lambda x, y: Ite(y == 0, 0, x / y), lambda x, y: 0 if y == 0 else x // y, X, Y)
add("int_div_unguarded_in_and", lambda x, y: And(x / y > 1, y != 0), lambda x, y: floordiv(x, y) > 1 and y != 0,
    X, Y)

# --- Ite --------------------------------------------------------------------------------

add("ite_int", lambda a, x, y: Ite(a, x, y), lambda a, x, y: x if a else y, A, X, Y)
add("ite_lit_else", lambda a, x: Ite(a, x, 3), lambda a, x: x if a else 3, A, X)
add("ite_lit_then", lambda a, x: Ite(a, 3, x), lambda a, x: 3 if a else x, A, X)
add("ite_if_else", lambda a, x, y: x.if_(a).else_(y), lambda a, x, y: x if a else y, A, X, Y)
add("ite_bool", lambda a, b, c: Ite(a, b, c), lambda a, b, c: b if a else c, A, BB, CB)
add("ite_set", lambda a, s, t: Ite(a, s, t), lambda a, s, t: s if a else t, A, SS, TT)
add("ite_nested", lambda x, y: Ite(x < y, Ite(x < 0, -1, 0), 1),
    lambda x, y: (-1 if x < 0 else 0) if x < y else 1, X, Y)

# --- Strings and enums ----------------------------------------------------------------------

add("str_eq", lambda s, t: s == t, lambda s, t: s == t, S_, ("t", str))
add("str_ne", lambda s, t: s != t, lambda s, t: s != t, S_, ("t", str))
add("str_eq_lit", lambda s: s == "a", lambda s: s == "a", S_)
add("str_val", lambda s: Val("b") == s, lambda s: s == "b", S_)
add("str_in_set", lambda s, t: s.in_(Set(t, "c")), lambda s, t: s in {t, "c"}, S_, ("t", str))
add("str_ite", lambda a, s: Ite(a, s, "c"), lambda a, s: s if a else "c", A, S_)
add("enum_eq_lit", lambda e: e == Color.RED, lambda e: e == Color.RED, E)
add("enum_eq", lambda e, f: e == f, lambda e, f: e == f, E, ("f", Color))
add("enum_ne", lambda e, f: e != f, lambda e, f: e != f, E, ("f", Color))
add("enum_val", lambda e: Val(Color.BLUE) != e, lambda e: e != Color.BLUE, E)
add("enum_set", lambda e, f: Set(e, f, Color.RED).size, lambda e, f: len({e, f, Color.RED}), E, ("f", Color))
add("enum_ite", lambda a, e: Ite(a, e, Color.GREEN), lambda a, e: e if a else Color.GREEN, A, E)

# --- Tuples --------------------------------------------------------------------------------

TP = ("t", tuple[int, bool])
add("tuple_build", lambda x, a: Tuple(x, a, "s"), lambda x, a: (x, a, "s"), X, A)
add("tuple_get0", lambda t: t[0], lambda t: t[0], TP)
add("tuple_get1", lambda t: t[1], lambda t: t[1], TP)
add("tuple_get_neg", lambda t: t[-1], lambda t: t[-1], TP)
add("tuple_get_val_index", lambda t: t[Val(0)] + 1, lambda t: t[0] + 1, TP)
add("tuple_build_get", lambda x, y: Tuple(x, y)[1] - Tuple(y, x)[1], lambda x, y: y - x, X, Y)
add("tuple_eq", lambda t, x, a: t == Tuple(x, a), lambda t, x, a: t == (x, a), TP, X, A)
add("tuple_eq_literal", lambda t: t == (1, True), lambda t: t == (1, True), TP)
add("tuple_replace", lambda t, y: t.replace(0, y), lambda t, y: (y, t[1]), TP, Y)
add("tuple_replace_neg", lambda t, b: t.replace(-1, b), lambda t, b: (t[0], b), TP, BB)


def _unpack(t):
    n, b = t
    return Ite(b, n, -n)


add("tuple_unpack", _unpack, lambda t: t[0] if t[1] else -t[0], TP)
add("tuple_len", lambda t: Val(len(t)), lambda t: 2, TP)
add("tuple_alltuples", lambda s, t: AllTuples(s, t), lambda s, t: frozenset((x, y) for x in s for y in t), SS, TT)
add("tuple_alltuples_bool", lambda s: AllTuples(s, Set(True, False)).size, lambda s: 2 * len(s), SS)
add("tuple_alltuples_in", lambda s, t, x, y: Tuple(x, y).in_(AllTuples(s | Set(x), t)),
    lambda s, t, x, y: y in t, SS, TT, X, Y)
add("tuple_in_set", lambda t: t.in_(Set(Tuple(0, True), Tuple(1, False))), lambda t: t in {(0, True), (1, False)}, TP)

# --- Records -------------------------------------------------------------------------------

PT = ("r", Point)
add("record_ctor", lambda x, y: Point(x=x, y=y), lambda x, y: RecordValue({"x": x, "y": y}, "Point"), X, Y)
add("record_anon", lambda x, a: Record(f=x, g=a), lambda x, a: RecordValue({"f": x, "g": a}), X, A)
add("record_anon_get", lambda x, a: Record(f=x, g=a).f, lambda x, a: x, X, A)
add("record_field", lambda r: r.x - r.y, lambda r: r.x - r.y, PT)
add("record_getitem", lambda r: r["y"], lambda r: r.y, PT)
add("record_replace", lambda r, z: r.replace(x=z), lambda r, z: r.replace(x=z), PT, Z)
add("record_replace_pos", lambda r, z: r.replace("y", z), lambda r, z: r.replace(y=z), PT, Z)
add("record_underscore_replace", lambda r, z: r._.replace(y=z, x=z + 1), lambda r, z: r.replace(y=z, x=z + 1), PT, Z)
add("record_eq", lambda r, x, y: r == Point(x=x, y=r.y), lambda r, x, y: r.x == x, PT, X, Y)
add("record_ne", lambda r, x, y: r != Point(x=x, y=y), lambda r, x, y: (r.x, r.y) != (x, y), PT, X, Y)
add("record_replace_get", lambda r, z: r.replace(x=z).x + r.replace(x=z).y, lambda r, z: z + r.y, PT, Z)
add("record_in_set", lambda r, x: r.in_(Set(Point(x=x, y=0), Point(x=0, y=x))),
    lambda r, x: (r.x, r.y) in {(x, 0), (0, x)}, PT, X)

# --- Sets ------------------------------------------------------------------------------------

add("set_lit", lambda x, y: Set(x, y), lambda x, y: fs(x, y), X, Y)
add("set_lit_mixed", lambda x: Set(3, x, 3), lambda x: fs(3, x), X)
add("set_lit_size", lambda x, y, z: Set(x, y, z).size, lambda x, y, z: len({x, y, z}), X, Y, Z)
add("set_empty", lambda: Set(int), lambda: frozenset())
add("set_empty_is_empty", lambda: Set(int).is_empty, lambda: True)
add("set_ellipsis", lambda x, y: Set(x, ..., y), lambda x, y: frozenset(range(x, y + 1)), X, Y)
add("set_interval", lambda x, y: Interval(x, y), lambda x, y: frozenset(range(x, y + 1)), X, Y)
add("set_upto", lambda x: x.upto(3), lambda x: frozenset(range(x, 4)), X)
add("set_interval_size", lambda x, y: Interval(x, y).size, lambda x, y: max(0, y - x + 1), X, Y)
add("set_comprehension", lambda s: Set(x * 2 for x in s), lambda s: frozenset(x * 2 for x in s), SS)
add("set_comprehension_free", lambda s, y: Set(x + y for x in s), lambda s, y: frozenset(x + y for x in s), SS, Y)
add("set_comprehension_two_for", lambda s, t: Set(x - y for x in s for y in t),
    lambda s, t: frozenset(x - y for x in s for y in t), SS, TT)
add("set_comprehension_two_for_tuple", lambda s, t: Set(Tuple(x, y) for x in s for y in t),
    lambda s, t: frozenset((x, y) for x in s for y in t), SS, TT)
add("set_comprehension_dependent", lambda s: Set(x + y for x in s for y in Interval(0, x)),
    lambda s: frozenset(x + y for x in s for y in range(0, x + 1)), SS)
add("set_setif", lambda s: SetIf(x > 0 for x in s), lambda s: frozenset(x for x in s if x > 0), SS)
add("set_setif_free", lambda s, y: SetIf(x % 2 == y % 2 for x in s),
    lambda s, y: frozenset(x for x in s if x % 2 == y % 2), SS, Y)
add("set_union_op", lambda s, t: s | t, lambda s, t: s | t, SS, TT)
add("set_inter_op", lambda s, t: s & t, lambda s, t: s & t, SS, TT)
add("set_diff_op", lambda s, t: s - t, lambda s, t: s - t, SS, TT)
add("set_union_method", lambda s, t: s.union(t), lambda s, t: s | t, SS, TT)
add("set_inter_method", lambda s, t: s.intersect(t), lambda s, t: s & t, SS, TT)
add("set_diff_method", lambda s, t: s.difference(t), lambda s, t: s - t, SS, TT)
add("set_union_literal", lambda s: s | {1, 2}, lambda s: s | {1, 2}, SS)
add("set_runion_literal", lambda s: {1, 2} | s, lambda s: s | {1, 2}, SS)
add("set_rdiff_literal", lambda s: {1, 2} - s, lambda s: frozenset({1, 2}) - s, SS)
add("set_subseteq", lambda s, t: s <= t, lambda s, t: s <= t, SS, TT)
add("set_subset", lambda s, t: s < t, lambda s, t: s < t, SS, TT)
add("set_superseteq", lambda s, t: s >= t, lambda s, t: s >= t, SS, TT)
add("set_superset", lambda s, t: s > t, lambda s, t: s > t, SS, TT)
add("set_issubset", lambda s, t: s.issubset(t | s), lambda s, t: True, SS, TT)
add("set_eq", lambda s, t: s == t, lambda s, t: s == t, SS, TT)
add("set_ne", lambda s, t: s != t, lambda s, t: s != t, SS, TT)
add("set_eq_literal", lambda s: (s & {1, 2}) == {1}, lambda s: (s & {1, 2}) == {1}, SS)
add("set_contains", lambda s, x: s.contains(x), lambda s, x: x in s, SS, X)
add("set_in", lambda s, x: x.in_(s), lambda s, x: x in s, SS, X)
add("set_in_literal", lambda s: Val(2).in_(s), lambda s: 2 in s, SS)
add("set_is_empty", lambda s: s.is_empty, lambda s: not s, SS)
add("set_size", lambda s: s.size, len, SS)
add("set_size_union", lambda s, t: (s | t).size, lambda s, t: len(s | t), SS, TT)
add("set_filter", lambda s: s.filter(lambda x: x % 2 == 0), lambda s: frozenset(x for x in s if x % 2 == 0), SS)
add("set_filter_free", lambda s, y: s.filter(lambda x: x < y), lambda s, y: frozenset(x for x in s if x < y), SS, Y)
add("set_map", lambda s: s.map(lambda x: x * x), lambda s: frozenset(x * x for x in s), SS)
add("set_map_bool", lambda s: s.map(lambda x: x > 0), lambda s: frozenset(x > 0 for x in s), SS)
add("set_map_to", lambda s: s.map_to(lambda x: x + 1), lambda s: MapValue({x: x + 1 for x in s}), SS)
add("set_forall", lambda s, y: s.forall(lambda x: x > y), lambda s, y: all(x > y for x in s), SS, Y)
add("set_exists", lambda s, y: s.exists(lambda x: x == y), lambda s, y: any(x == y for x in s), SS, Y)
add("set_forall_nested", lambda s, t: s.forall(lambda x: t.exists(lambda y: x <= y)),
    lambda s, t: all(any(x <= y for y in t) for x in s), SS, TT)
add("set_forall_gen", lambda s, t: Forall(x < y for x in s for y in t),
    lambda s, t: all(x < y for x in s for y in t), SS, TT)
add("set_exists_gen", lambda s, t: Exists(x + y == 0 for x in s for y in t),
    lambda s, t: any(x + y == 0 for x in s for y in t), SS, TT)
add("set_forall_gen_one", lambda s, z: Forall(x != z for x in s), lambda s, z: z not in s, SS, Z)
add("set_exists_gen_one", lambda s: Exists(x * x == 4 for x in s), lambda s: 2 in s or -2 in s, SS)
add("set_forall_partial", lambda s, y: Forall(Implies(y != 0, x / y <= 0) for x in s),
    lambda s, y: all((not y != 0) or x // y <= 0 for x in s), SS, Y)
add("set_flattened_var", lambda ss: ss.flattened, lambda ss: frozenset(x for s in ss for x in s),
    ("SS", set[set[int]]))
add("set_flattened_lit", lambda s, t: Set(s, t, Set(int)).flattened, lambda s, t: s | t, SS, TT)
add("set_of_sets_in", lambda ss, s: s.in_(ss), lambda ss, s: s in ss, ("SS", set[set[int]]), SS)
add("set_in_ints", lambda x: x.in_(Ints), lambda x: True, X)
add("set_in_nats", lambda x: x.in_(UnsignedInts), lambda x: x >= 0, X)
add("set_inter_nats", lambda s: s & UnsignedInts, lambda s: frozenset(x for x in s if x >= 0), SS)
add("set_diff_nats", lambda s: s - UnsignedInts, lambda s: frozenset(x for x in s if x < 0), SS)
add("set_subseteq_nats", lambda s: s <= UnsignedInts, lambda s: all(x >= 0 for x in s), SS)
add("set_of_str", lambda s, t: Set(s, t, "a").size, lambda s, t: len({s, t, "a"}), S_, ("t", str))
add("set_of_records", lambda r, x: Set(r, r.replace(x=x)).size, lambda r, x: 1 if r.x == x else 2, PT, X)
add("set_of_tuples_map", lambda s: Set(Tuple(x, x > 0) for x in s).map(lambda p: p[1]),
    lambda s: frozenset(x > 0 for x in s), SS)

# --- Maps ------------------------------------------------------------------------------------

add("map_literal", lambda k, v: Map((k, v), (k + 1, v * 2)), lambda k, v: MapValue({k: v, k + 1: v * 2}), K, Y)
add("map_literal_str", lambda v: Map(("a", v), ("b", 1)), lambda v: MapValue({"a": v, "b": 1}), Y)
add("map_literal_tuples", lambda k, v: Map(Tuple(k, v)), lambda k, v: MapValue({k: v}), K, Y)
add("map_empty", lambda: Map(int, int), lambda: MapValue({}))
add("map_empty_str", lambda: Map(str, bool).size, lambda: 0)
add("map_comprehension", lambda s: Map(x * x for x in s), lambda s: MapValue({x: x * x for x in s}), SS)
add("map_comprehension_free", lambda s, y: Map(x > y for x in s), lambda s, y: MapValue({x: x > y for x in s}), SS, Y)
add("map_lookup", lambda m, k: m[k], lookup, MM, K)
add("map_lookup_guarded", lambda m, k: Ite(k.in_(m.keys), m[k], -100),
    lambda m, k: m[k] if k in m else -100, MM, K)
add("map_lookup_guarded_and", lambda m, k: And(m.keys.contains(k), m[k] > 0),
    lambda m, k: k in m and m[k] > 0, MM, K)
add("map_lookup_literal", lambda k: Map((1, 10), (2, 20))[k], lambda k: lookup(MapValue({1: 10, 2: 20}), k), K)
add("map_keys", lambda m: m.keys, lambda m: frozenset(m.keys()), MM)
add("map_values", lambda m: m.values, lambda m: frozenset(m.values()), MM)
add("map_insert", lambda m, k, v: m.insert(k, v), minsert, MM, K, Y)
add("map_replace", lambda m, k, v: m.replace(k, v), mreplace, MM, K, Y)
add("map_insert_lookup", lambda m, k, v: m.insert(k, v)[k], lambda m, k, v: v, MM, K, Y)
add("map_replace_lookup", lambda m, k, v: m.replace(k, v)[k], lambda m, k, v: v if k in m else lookup(m, k),
    MM, K, Y)
add("map_size", lambda m: m.size, len, MM)
add("map_is_empty", lambda m: m.is_empty, lambda m: len(m) == 0, MM)
add("map_eq", lambda m, k, v: m.insert(k, v) == m, lambda m, k, v: k in m and m[k] == v, MM, K, Y)
add("map_ne", lambda m, n: m != n, lambda m, n: m != n, MM, ("n", dict[int, int]))
add("map_str_keys", lambda m, s: Ite(s.in_(m.keys), m[s], False), lambda m, s: m[s] if s in m else False,
    ("m", dict[str, bool]), S_)
add("map_of_sets", lambda m, k, x: m.insert(k, Set(x)).values.flattened,
    lambda m, k, x: frozenset(e for v in m.set(k, fs(x)).values() for e in v), ("m", dict[int, set[int]]), K, X)
add("map_record_values", lambda m, k: Ite(m.keys.contains(k), m[k].x, 0),
    lambda m, k: m[k].x if k in m else 0, ("m", dict[int, Point]), K)
add("map_tuple_keys", lambda m, t: m.insert(t, 1).keys.size, lambda m, t: len(set(m.keys()) | {t}),
    ("m", dict[tuple[int, bool], int]), TP)
add("map_enum_keys", lambda m, e: m.replace(e, 0), lambda m, e: mreplace(m, e, 0), ("m", dict[Color, int]), E)
add("map_values_forall", lambda m: m.values.forall(lambda v: v >= 0), lambda m: all(v >= 0 for v in m.values()), MM)
add("map_keys_map", lambda m: m.keys.map(lambda k: m[k] - k), lambda m: frozenset(v - k for k, v in m.items()), MM)
add("map_map_to_lookup", lambda s, k: s.map_to(lambda x: x * 3)[k], lambda s, k: k * 3 if k in s else lookup({}, k),
    SS, K)

# --- Unions ------------------------------------------------------------------------------------

U_, V_ = ("u", Msg), ("v", Msg)
G_, H_ = ("g", Sig), ("h", Sig)


def vv(tag, payload=None, name="Msg"):
    return VariantValue(tag, payload, name)


def msg_size(u):
    return {"Ping": lambda: u.payload, "Pong": lambda: 0, "At": lambda: u.payload.x + u.payload.y}[u.tag]()


add("union_ctor", lambda x: Msg.Ping(x), lambda x: vv("Ping", x), X)
add("union_ctor_unit", lambda: Msg.Pong(), lambda: vv("Pong"))
add("union_ctor_record", lambda r: Msg.At(r), lambda r: vv("At", r), PT)
add("union_ctor_literal_record", lambda x: Msg.At(Point(x=x, y=1)), lambda x: vv("At", RecordValue({"x": x, "y": 1})), X)
add("union_tag", lambda u: u.tag, lambda u: u.tag, U_)
add("union_tag_eq", lambda u: u.tag == "Ping", lambda u: u.tag == "Ping", U_)
add("union_tag_ctor", lambda x: Msg.Ping(x).tag, lambda x: "Ping", X)
add("union_match", lambda u: u.match(Ping=lambda n: n, Pong=lambda: 0, At=lambda p: p.x + p.y), msg_size, U_)
add("union_match_default", lambda u: u.match(Ping=lambda n: n > 0, default=False),
    lambda u: u.tag == "Ping" and u.payload > 0, U_)
add("union_match_default_lambda", lambda u, x: u.match(Pong=lambda: x, default=lambda: -x),
    lambda u, x: x if u.tag == "Pong" else -x, U_, X)
add("union_match_values", lambda u: u.match(Ping=1, Pong=2, At=3), lambda u: {"Ping": 1, "Pong": 2, "At": 3}[u.tag], U_)
add("union_match_partial", lambda u: u.match(Ping=lambda n: 10 / n, default=0),
    lambda u: floordiv(10, u.payload) if u.tag == "Ping" else 0, U_)
add("union_match_ctor", lambda x: Msg.Ping(x).match(Ping=lambda n: n * 2, default=0), lambda x: 2 * x, X)
add("union_match_union_result", lambda u: u.match(Ping=lambda n: Msg.Ping(n + 1), default=Msg.Pong()),
    lambda u: vv("Ping", u.payload + 1) if u.tag == "Ping" else vv("Pong"), U_)
add("union_eq", lambda u, v: u == v, lambda u, v: u == v, U_, V_)
add("union_ne", lambda u, v: u != v, lambda u, v: u != v, U_, V_)
add("union_eq_ctor", lambda u, x: u == Msg.Ping(x), lambda u, x: u == vv("Ping", x), U_, X)
add("union_ite", lambda a, u, x: Ite(a, u, Msg.Ping(x)), lambda a, u, x: u if a else vv("Ping", x), A, U_, X)
add("union_in_set", lambda u, x: u.in_(Set(Msg.Ping(x), Msg.Pong())), lambda u, x: u in {vv("Ping", x), vv("Pong")},
    U_, X)
add("union_set_size", lambda u, v: Set(u, v, Msg.Pong()).size, lambda u, v: len({u, v, vv("Pong")}), U_, V_)
add("union_set_var", lambda s, u: s.contains(u), lambda s, u: u in s, ("S", set[Msg]), U_)
add("union_set_filter", lambda s: s.filter(lambda w: w.tag == "Ping"),
    lambda s: frozenset(w for w in s if w.tag == "Ping"), ("S", set[Msg]))
add("union_set_map", lambda s: s.map(lambda w: w.match(Ping=lambda n: n, default=0)),
    lambda s: frozenset(w.payload if w.tag == "Ping" else 0 for w in s), ("S", set[Msg]))
add("union_map_keys", lambda m, u: Ite(m.keys.contains(u), m[u], -1), lambda m, u: m[u] if u in m else -1,
    ("m", dict[Msg, int]), U_)
add("union_map_insert", lambda m, u, x: m.insert(u, x).size, lambda m, u, x: len(set(m.keys()) | {u}),
    ("m", dict[Msg, int]), U_, X)
add("union_map_values", lambda m, k: m.values.contains(Msg.Pong()), lambda m, k: vv("Pong") in set(m.values()),
    ("m", dict[int, Msg]), K)
add("union_finite_set", lambda s, g: s.contains(g) | (s.size > 2), lambda s, g: g in s or len(s) > 2,
    ("S", set[Sig]), G_)
add("union_finite_eq", lambda g, h: g == h, lambda g, h: g == h, G_, H_)
add("union_finite_map", lambda m, g: m.insert(g, 0), lambda m, g: m.set(g, 0), ("m", dict[Sig, int]), G_)
add("union_finite_match", lambda g: g.match(Go=lambda c: c == Color.RED, Flag=lambda b: ~b, Stop=lambda: True),
    lambda g: {"Go": lambda: g.payload == Color.RED, "Flag": lambda: not g.payload, "Stop": lambda: True}[g.tag](),
    G_)
add("union_in_tuple", lambda u, x: Tuple(u, x)[0] == Msg.Ping(x), lambda u, x: u == vv("Ping", x), U_, X)

# --- Lists ------------------------------------------------------------------------------------

LL, L2 = ("l", list[int]), ("l2", list[int])
I_ = ("i", int)


def lv(*xs):
    return ListValue(xs)


def lget(lst, i):
    if not 0 <= i < len(lst):
        raise Undefined("list index out of range")
    return lst[i]


def lreplace(lst, i, v):
    return ListValue(lst[:i] + (v,) + lst[i + 1:]) if 0 <= i < len(lst) else lst


def lfold(f, acc, xs):
    for x in xs:
        acc = f(acc, x)
    return acc


add("list_lit", lambda x, y: List(x, y, 3), lambda x, y: lv(x, y, 3), X, Y)
add("list_lit_python", lambda x: List(x) + [1, 2], lambda x: lv(x, 1, 2), X)
add("list_radd_python", lambda l: [1, 2] + l, lambda l: lv(1, 2) + l, LL)
add("list_empty", lambda: List(int), lambda: lv())
add("list_empty_size", lambda: List(int).size, lambda: 0)
add("list_range", lambda x, y: Range(x, y), lambda x, y: ListValue(range(x, y)), X, Y)
add("list_range_const", lambda l: Range(1, 4) + l, lambda l: lv(1, 2, 3) + l, LL)
add("list_range_empty", lambda: Range(3, 1).is_empty, lambda: True)
add("list_get", lambda l, i: l[i], lget, LL, I_, i=st.integers(-2, 5))
add("list_get_lit", lambda l: l[0], lambda l: lget(l, 0), LL)
add("list_get_neg", lambda l: l[-1], lambda l: lget(l, -1), LL)
add("list_get_guarded", lambda l, i: Ite(i.in_(l.keys), l[i], -100), lambda l, i: l[i] if 0 <= i < len(l) else -100,
    LL, I_)
add("list_get_guarded_and", lambda l, i: And(i >= 0, i < l.size, l[i] > 0),
    lambda l, i: 0 <= i < len(l) and l[i] > 0, LL, I_)
add("list_get_literal_list", lambda i: List(10, 20, 30)[i], lambda i: lget(lv(10, 20, 30), i), I_)
add("list_slice", lambda l, x, y: l[x:y], lambda l, x, y: ListValue(l[x:y]), LL, X, Y)
add("list_slice_from", lambda l, x: l[x:], lambda l, x: ListValue(l[x:]), LL, X)
add("list_slice_to", lambda l, y: l[:y], lambda l, y: ListValue(l[:y]), LL, Y)
add("list_slice_tail", lambda l: l[1:], lambda l: ListValue(l[1:]), LL)
add("list_slice_neg", lambda l: l[-2:], lambda l: ListValue(l[-2:]), LL)
add("list_slice_get", lambda l: l[1:][0], lambda l: lget(l[1:], 0), LL)
add("list_slice_size", lambda l, x, y: l[x:y].size, lambda l, x, y: len(l[x:y]), LL, X, Y)
add("list_concat", lambda l, m: l + m, lambda l, m: l + m, LL, L2)
add("list_append", lambda l, x: l + List(x), lambda l, x: l + lv(x), LL, X)
add("list_concat_get", lambda l, m, i: (l + m)[i], lambda l, m, i: lget(l + m, i), LL, L2, I_)
add("list_concat_size", lambda l, m: (l + m + l).size, lambda l, m: 2 * len(l) + len(m), LL, L2)
add("list_replace", lambda l, i, x: l.replace(i, x), lreplace, LL, I_, X)
add("list_replace_lit", lambda l, x: l.replace(1, x), lambda l, x: lreplace(l, 1, x), LL, X)
add("list_size", lambda l: l.size, len, LL)
add("list_keys", lambda l: l.keys, lambda l: frozenset(range(len(l))), LL)
add("list_is_empty", lambda l: l.is_empty, lambda l: len(l) == 0, LL)
add("list_filter", lambda l: l.filter(lambda v: v > 0), lambda l: ListValue(v for v in l if v > 0), LL)
add("list_filter_free", lambda l, x: l.filter(lambda v: v != x), lambda l, x: ListValue(v for v in l if v != x), LL, X)
add("list_filter_get", lambda l: l.filter(lambda v: v % 2 == 0)[0], lambda l: lget(ListValue(v for v in l if v % 2 == 0), 0),
    LL)
add("list_filter_partial", lambda l, x: l.filter(lambda v: 10 / x > v), lambda l, x: ListValue(v for v in l if floordiv(10, x) > v) if l else lv(),
    LL, X)
add("list_reduce", lambda l: l.reduce(lambda a, v: a * 2 + v, 0), lambda l: lfold(lambda a, v: a * 2 + v, 0, l), LL)
add("list_reduce_list", lambda l: l.reduce(lambda a, v: List(v) + a, List(int)), lambda l: ListValue(reversed(l)), LL)
add("list_reduce_partial", lambda l: l.reduce(lambda a, v: a + 12 / v, 0),
    lambda l: lfold(lambda a, v: a + floordiv(12, v), 0, l), LL)
add("list_forall", lambda l, x: l.forall(lambda v: v < x), lambda l, x: all(v < x for v in l), LL, X)
add("list_exists", lambda l, x: l.exists(lambda v: v == x), lambda l, x: x in l, LL, X)
add("list_forall_gen", lambda l, x: Forall(v > x for v in l), lambda l, x: all(v > x for v in l), LL, X)
add("list_exists_gen_two", lambda l, m: Exists(v + w == 0 for v in l for w in m),
    lambda l, m: any(v + w == 0 for v in l for w in m), LL, L2)
add("list_set_comprehension", lambda l: Set(v * 2 for v in l), lambda l: frozenset(v * 2 for v in l), LL)
add("list_eq", lambda l, m: l == m, lambda l, m: l == m, LL, L2)
add("list_ne", lambda l, m: l != m, lambda l, m: l != m, LL, L2)
add("list_eq_replace", lambda l, i, x: l == l.replace(i, x), lambda l, i, x: l == lreplace(l, i, x), LL, I_, X)
add("list_eq_prefix", lambda l: l[:2] + l[2:] == l, lambda l: True, LL)
add("list_ite", lambda a, l, m: Ite(a, l, m), lambda a, l, m: l if a else m, A, LL, L2)
add("list_ite_append", lambda a, l, x: Ite(a, l + List(x), l[1:]), lambda a, l, x: l + lv(x) if a else ListValue(l[1:]),
    A, LL, X)
add("list_in_set", lambda l, m: l.in_(Set(List(1, 2), m)), lambda l, m: l in {lv(1, 2), m}, LL, L2)
add("list_set_of_lists", lambda s, l: s.contains(l) | (s.size == 1), lambda s, l: l in s or len(s) == 1,
    ("S", set[list[int]]), LL)
add("list_map_values", lambda m, k: Ite(m.keys.contains(k), m[k] + List(1), List(int)),
    lambda m, k: m[k] + lv(1) if k in m else lv(), ("m", dict[int, list[int]]), K)
add("list_map_keys", lambda m, l: m.insert(l, 0).size, lambda m, l: len(set(m.keys()) | {l}), ("m", dict[list[int], int]),
    LL)
add("list_of_str", lambda l, s: l.exists(lambda v: v == s) | (l.size == 0), lambda l, s: s in l or not l,
    ("l", list[str]), S_)
add("list_of_records", lambda l, i: l[i].x + l.size, lambda l, i: lget(l, i).x + len(l), ("l", list[Point]), I_)
add("list_of_unions", lambda l: l.filter(lambda u: u.tag == "Pong").size,
    lambda l: sum(1 for u in l if u.tag == "Pong"), ("l", list[Msg]))
add("list_nested", lambda ll: ll.reduce(lambda a, l: a + l, List(int)), lambda ll: lfold(lambda a, l: a + l, lv(), ll),
    ("ll", list[list[int]]))
add("list_in_tuple", lambda l, x: Tuple(l, x)[0].size + x, lambda l, x: len(l) + x, LL, X)

# --- reduce, choose, Max/Min over collections -------------------------------------------------

def least(xs):
    xs = list(xs)
    if not xs:
        raise Undefined("choose: no witness")
    return min(xs, key=value_key)


def sfold(f, acc, s):
    return lfold(f, acc, sorted(s, key=value_key))


def color_digit(c):
    return Ite(c == Color.RED, 0, Ite(c == Color.GREEN, 1, 2))


COLOR_DIGIT = {Color.RED: 0, Color.GREEN: 1, Color.BLUE: 2}
CS = ("C", set[Color])

add("set_reduce_sum", lambda s: s.reduce(lambda acc, x: acc + x, 0), lambda s: sum(s), SS)
add("set_reduce_count", lambda s: s.reduce(lambda acc, x: acc + 1, 0), len, SS)
add("set_reduce_dupes", lambda x, y, z: Set(x, y, z).reduce(lambda acc, v: acc + v, 0), lambda x, y, z: sum({x, y, z}),
    X, Y, Z)
add("set_reduce_set", lambda s: s.reduce(lambda acc, v: acc | Set(v * v), Set(int)), lambda s: frozenset(v * v for v in s),
    SS)
add("set_reduce_max", lambda s, y: s.reduce(lambda acc, v: Ite(acc < v, v, acc), y), lambda s, y: max([y, *s]), SS, Y)
add("set_reduce_partial", lambda s: s.reduce(lambda acc, v: acc + 10 / v, 0),
    lambda s: sum(floordiv(10, v) for v in s), SS)
add("set_reduce_ordered_finite", lambda c: c.reduce(lambda acc, x: acc * 3 + color_digit(x), 1),
    lambda c: sfold(lambda acc, x: acc * 3 + COLOR_DIGIT[x], 1, c), CS)
add("set_reduce_ordered_str", lambda s: s.reduce(lambda acc, x: Ite(x == "a", acc * 2, acc * 2 + 1), 1),
    lambda s: sfold(lambda acc, x: acc * 2 if x == "a" else acc * 2 + 1, 1, s), ("S", set[str]))
add("set_reduce_of_filter", lambda s, y: s.filter(lambda x: x > y).reduce(lambda acc, x: acc + x, 0),
    lambda s, y: sum(x for x in s if x > y), SS, Y)
add("map_reduce", lambda m: m.reduce(lambda acc, k, v: acc + k * v, 0), lambda m: sum(k * v for k, v in m.items()), MM)
add("map_reduce_ordered", lambda m: m.reduce(lambda acc, k, v: acc * 10 + v, 0),
    lambda m: lfold(lambda acc, kv: acc * 10 + kv[1], 0, sorted(m.items(), key=lambda kv: value_key(kv[0]))),
    ("m", dict[str, int]))
add("map_reduce_partial", lambda m: m.reduce(lambda acc, k, v: acc + v / k, 0),
    lambda m: sum(floordiv(v, k) for k, v in m.items()), MM)
add("set_choose", lambda s: s.choose(), least, SS)
add("set_choose_pred", lambda s, y: s.choose(lambda x: x > y), lambda s, y: least(x for x in s if x > y), SS, Y)
add("set_choose_guarded", lambda s: Ite(s.is_empty, 0, s.choose()), lambda s: min(s) if s else 0, SS)
add("set_choose_partial", lambda s: s.choose(lambda x: 10 / x > 2), lambda s: least(x for x in s if floordiv(10, x) > 2),
    SS)
add("set_choose_same", lambda s: Ite(s.is_empty, True, s.choose() == s.choose(lambda x: True)), lambda s: True, SS)
add("set_choose_lit", lambda x, y: Set(x, y, 0).choose(lambda v: v != 0), lambda x, y: least(v for v in {x, y} if v),
    X, Y)
add("set_choose_bool", lambda a, b: Set(a, b).choose(), lambda a, b: least({a, b}), A, BB)
add("set_choose_str", lambda s: s.choose(), least, ("S", set[str]))
add("set_choose_str_lit", lambda s, t: Set(s, t, "b").choose(), lambda s, t: least({s, t, "b"}), S_, ("t", str))
add("set_choose_enum", lambda c: c.choose(), least, CS)
add("set_choose_tuple", lambda s: s.choose(), least, ("S", set[tuple[int, bool]]))
add("set_choose_tuple_lit", lambda x, y: Set(Tuple(x, y), Tuple(y, x)).choose(), lambda x, y: least({(x, y), (y, x)}),
    X, Y)
add("set_choose_record", lambda s: s.choose(), least, ("S", set[Point]))
add("set_choose_union", lambda s: s.choose(), least, ("S", set[Msg]))
add("set_choose_union_finite", lambda s: s.choose(), least, ("S", set[Sig]))
add("set_choose_union_lit", lambda x: Set(Msg.Ping(x), Msg.Pong(), Msg.Ping(-x)).choose(),
    lambda x: least({vv("Ping", x), vv("Pong"), vv("Ping", -x)}), X)
add("set_choose_list", lambda s: s.choose(), least, ("S", set[list[int]]))
add("set_choose_list_lit", lambda l, m: Set(l, m, List(0)).choose(), lambda l, m: least({l, m, lv(0)}), LL, L2)
add("set_choose_sets", lambda s, x: Set(Set(x), s, Set(int)).choose(lambda t: t.size > 0),
    lambda s, x: least(t for t in {frozenset({x}), s} if t), SS, X)
add("set_max", lambda s: Max(s), lambda s: max(s) if s else least(()), SS)
add("set_min", lambda s: Min(s), lambda s: min(s) if s else least(()), SS)
add("set_max_default", lambda s: Max(s, default=-99), lambda s: max(s, default=-99), SS)
add("set_min_default", lambda s, y: Min(s, default=y), lambda s, y: min(s, default=y), SS, Y)
add("list_max", lambda l: Max(l), lambda l: max(l) if l else lget(l, 0), LL)
add("list_min_default", lambda l: Min(l, default=7), lambda l: min(l, default=7), LL)
add("map_values_max", lambda m: Max(m.values, default=0), lambda m: max(m.values(), default=0), MM)

# --- AllSubsets, AllMaps, AllRecords: membership and size, no enumeration ---------------------

add("powerset_in", lambda s, t: s.in_(AllSubsets(t)), lambda s, t: s <= t, SS, TT)
add("powerset_in_lit", lambda s: s.in_(AllSubsets(Set(0, 1, 2))), lambda s: s <= {0, 1, 2}, SS)
add("powerset_in_interval", lambda s: s.in_(AllSubsets(Interval(-3, 3))), lambda s: all(-3 <= x <= 3 for x in s), SS)
add("powerset_size", lambda s: AllSubsets(s).size, lambda s: 2 ** len(s), SS)
add("powerset_is_empty", lambda s: AllSubsets(s).is_empty, lambda s: False, SS)
add("powerset_superset", lambda s, t: Set(s, t) <= AllSubsets(s | t), lambda s, t: True, SS, TT)
add("powerset_of_strings", lambda s, t: s.in_(AllSubsets(t)), lambda s, t: s <= t, ("S", set[str]), ("T", set[str]))
add("allmaps_in", lambda m, s, t: m.in_(AllMaps(s, t)), lambda m, s, t: set(m.keys()) == s and set(m.values()) <= t,
    MM, SS, TT)
add("allmaps_in_ints", lambda m: m.in_(AllMaps(m.keys, Ints)), lambda m: True, MM)
add("allmaps_in_nats", lambda m: m.in_(AllMaps(m.keys, UnsignedInts)), lambda m: all(v >= 0 for v in m.values()), MM)
add("allmaps_size", lambda s, t: AllMaps(s, t).size, lambda s, t: len(t) ** len(s), SS, TT)
add("allmaps_is_empty", lambda s, t: AllMaps(s, t).is_empty, lambda s, t: bool(s) and not t, SS, TT)
add("allmaps_enum", lambda m, c: m.in_(AllMaps(Set(Color.RED, Color.BLUE), c)),
    lambda m, c: set(m.keys()) == {Color.RED, Color.BLUE} and set(m.values()) <= c, ("m", dict[Color, Color]), CS)
add("allrecords_in", lambda x, y, s, t: Point(x=x, y=y).in_(AllRecords(x=s, y=t)), lambda x, y, s, t: x in s and y in t,
    X, Y, SS, TT)
add("allrecords_in_ints", lambda r, s: r.in_(AllRecords(x=s, y=Ints)), lambda r, s: r.x in s, PT, SS)
add("allrecords_size", lambda s: AllRecords(a=s, b=Set(True, False)).size, lambda s: 2 * len(s), SS)
add("allrecords_is_empty", lambda s, t: AllRecords(a=s, b=t).is_empty, lambda s, t: not s or not t, SS, TT)
add("allrecords_map", lambda s: AllRecords(x=s, y=Set(0)).map(lambda r: r.x), lambda s: s, SS)
add("allrecords_set", lambda s: AllRecords(y=Set(1), x=s),
    lambda s: frozenset(RecordValue({"x": x, "y": 1}) for x in s), SS)
add("alltuples_in_ints", lambda x, a: Tuple(x, a).in_(AllTuples(Ints, Set(True))), lambda x, a: a, X, A)

CASE_NAMES = [c.name for c in CASES]
assert len(set(CASE_NAMES)) == len(CASE_NAMES), "duplicate case names"
