"""User-facing expression classes: operator overloading over terms.

An `Expr` is a thin wrapper around an interned `Term`; the wrapper class follows
the sort (IntExpr for ints, SetExpr for sets, ...) so that only the operations a
sort supports exist. Sort errors are raised at construction time with the spec's
file:line, because that is where the user can fix them.
"""
from __future__ import annotations

import dis
import enum
import sys
import types
import typing
from typing import Any, Callable, Optional

from ..errors import SpecError, user_loc
from . import terms as T
from .sorts import (BOOL, INT, STR, BoolSort, EnumSort, IntSort, ListSort, MapSort, RecordSort,
                    SetSort, Sort, StrSort, TupleSort, UnionSort, make_record_sort, sort_of)
from .terms import Term, mk
from .values import ListValue, MapValue, RecordValue, VariantValue

# A writer is how keyed writes reach the state: `s.m[k] = v` calls the writer of
# `s.m` with the updated map. It is set only on expressions read from `c.state`.
Writer = Callable[[Term], None]


# --- construction helpers ---------------------------------------------------------

def _fold(t: Term) -> Term:
    """Evaluate closed, state-free terms now: parameters become plain constants."""
    if t.op == T.CONST or t.has_state or t.fv:
        return t
    if t.op == T.INTERVAL and not (t.args[0].op == T.CONST and t.args[1].op == T.CONST):
        return t  # a bound did not fold (it is undefined, e.g. a division by zero)
    if t.op == T.INTERVAL and t.args[1].data - t.args[0].data > FOLD_INTERVAL_LIMIT:
        return t  # Interval(0, 2**32 - 1) stays symbolic: a range, never an enumeration
    if t.op in _NEVER_FOLDED:
        return t  # one_of and membership keep power sets and products symbolic: never an enumeration
    from ..interp.evaluate import LazySet, eval_term
    from ..errors import EvaluationError
    try:
        value = eval_term(t, {})
    except EvaluationError:
        return t  # leave it: it may sit behind a guard that makes it irrelevant
    except RecursionError:
        return t
    if isinstance(value, LazySet):
        return t
    return T.const(value, t.sort)


_NEVER_FOLDED = frozenset({T.POWERSET, T.ALLMAPS, T.ALLRECORDS, T.ALLTUPLES})


FOLD_INTERVAL_LIMIT = 10_000


def node(op: str, args: tuple, sort: Sort, data: Any = None, partial_loc: bool = False) -> Term:
    loc = user_loc(2) if partial_loc else None
    return _fold(mk(op, args, sort, data, loc))


def literal_sort(x: Any) -> Optional[Sort]:
    """The sort of a raw Python value, if it can be told without context."""
    if isinstance(x, bool):
        return BOOL
    if isinstance(x, int):
        return INT
    if isinstance(x, str):
        return STR
    if isinstance(x, enum.Enum):
        return EnumSort(type(x))
    return None


def coerce(x: Any, sort: Optional[Sort] = None, what: str = "value") -> Term:
    """Turn a Python value or an Expr into a Term, checking it against `sort`."""
    if isinstance(x, Expr):
        t = x._t
    elif isinstance(x, Term):
        t = x
    else:
        t = _literal(x, sort, what)
    if sort is not None and t.sort != sort:
        raise SpecError(f"sort mismatch: {what} has sort {t.sort}, expected {sort}")
    return t


def _literal(x: Any, sort: Optional[Sort], what: str) -> Term:
    if isinstance(x, bool):
        return T.const(x, BOOL)
    if isinstance(x, int):
        return T.const(x, INT)
    if isinstance(x, str):
        return T.const(x, STR)
    if isinstance(x, enum.Enum):
        return T.const(x, EnumSort(type(x)))
    if isinstance(x, (list, ListValue)):
        elem = sort.elem if isinstance(sort, ListSort) else None
        items = [coerce(v, elem, what) for v in x]
        if not items:
            if elem is None:
                raise SpecError(f"cannot tell the sort of the empty list in {what}",
                                hint="write List(T) for an empty list of sort T")
            return T.const(ListValue(()), ListSort(elem))
        return _list_literal(items)
    if isinstance(x, tuple) and not isinstance(x, ListValue):
        if isinstance(sort, TupleSort):
            if len(sort.elems) != len(x):
                raise SpecError(f"sort mismatch: {what} is a {len(x)}-tuple, expected {sort}")
            return Tuple(*(coerce(v, s, what) for v, s in zip(x, sort.elems)))._t
        return Tuple(*x)._t
    if isinstance(x, (set, frozenset)):
        elem = sort.elem if isinstance(sort, SetSort) else None
        items = [coerce(v, elem, what) for v in x]
        if not items:
            if elem is None:
                raise SpecError(f"cannot tell the sort of the empty set in {what}",
                                hint="write Set(T) for an empty set of sort T")
            return T.const(frozenset(), SetSort(elem))
        return _set_literal(items)
    if isinstance(x, (dict, MapValue)):
        ks = sort.key if isinstance(sort, MapSort) else None
        vs = sort.value if isinstance(sort, MapSort) else None
        pairs = [(coerce(k, ks, what), coerce(v, vs, what)) for k, v in x.items()]
        if not pairs:
            if ks is None:
                raise SpecError(f"cannot tell the sort of the empty map in {what}",
                                hint="write Map(K, V) for an empty map")
            return T.const(MapValue(()), MapSort(ks, vs))
        return _map_literal(pairs)
    if isinstance(x, RecordValue):
        fields = {n: coerce(v, None, what) for n, v in x.items()}
        return Record(**fields)._t
    if isinstance(x, VariantValue) and isinstance(sort, UnionSort):
        return variant_term(sort, x.tag, () if x.payload is None else (x.payload,))
    raise SpecError(f"cannot use {x!r} (a Python {type(x).__name__}) as a {what}",
                    hint="use Val(...), a literal of bool/int/str/Enum, or an expression")


def wrap(t: Term) -> "Expr":
    s = t.sort
    cls = _CLASS_BY_SORT.get(type(s), Expr)
    return cls(t)


def _bool(x: Any, what: str = "condition") -> Term:
    return coerce(x, BOOL, what)


def _int(x: Any, what: str = "operand") -> Term:
    return coerce(x, INT, what)


def _same(a: Term, x: Any, what: str) -> Term:
    return coerce(x, a.sort, what)


# --- the expression classes ---------------------------------------------------------

class Expr:
    """Base of all expressions. Python truthiness is refused on purpose."""

    __slots__ = ("_t", "_w")

    def __init__(self, t: Term, writer: Optional[Writer] = None):
        object.__setattr__(self, "_t", t)
        object.__setattr__(self, "_w", writer)

    @property
    def sort(self) -> Sort:
        return self._t.sort

    @property
    def term(self) -> Term:
        return self._t

    def __bool__(self) -> bool:
        raise SpecError("Mixing Python Booleans with symbolic expressions: "
                        f"`{self._t}` has no Python truth value",
                        hint="use c.split/c.alternatives, Ite(...), And/Or/Not or & | ~ instead of if/and/or/not")

    def __hash__(self) -> int:
        return self._t.uid

    def __eq__(self, other: Any) -> "BoolExpr":  # type: ignore[override]
        o = _same(self._t, other, "right-hand side of ==")
        return BoolExpr(eq_term(self._t, o))

    def __ne__(self, other: Any) -> "BoolExpr":  # type: ignore[override]
        return BoolExpr(not_term(self.__eq__(other)._t))

    def in_(self, s: Any) -> "BoolExpr":
        st = coerce(s, None, "set")
        if not isinstance(st.sort, SetSort):
            raise SpecError(f"in_ needs a set, got a {st.sort}")
        x = coerce(self, st.sort.elem, "element")
        return BoolExpr(node(T.IN, (x, st), BOOL))

    def if_(self, cond: Any) -> "_IfBuilder":
        return _IfBuilder(self, cond)

    def pretty(self) -> str:
        return repr(self._t)

    def __repr__(self) -> str:
        return repr(self._t)

    def __iter__(self):
        raise SpecError(f"cannot iterate over a {self._t.sort} expression")


class _IfBuilder:
    def __init__(self, then: Expr, cond: Any):
        self._then = then
        self._cond = cond

    def else_(self, other: Any) -> Expr:
        return Ite(self._cond, self._then, other)


def eq_term(a: Term, b: Term) -> Term:
    if a is b:
        return T.const(True, BOOL)
    if a.uid > b.uid:  # equality is symmetric: one term for both orders
        a, b = b, a
    return node(T.EQ, (a, b), BOOL)


def not_term(a: Term) -> Term:
    if a.op == T.NOT:
        return a.args[0]
    return node(T.NOT, (a,), BOOL)


def and_terms(ts: list) -> Term:
    flat = []
    for t in ts:
        if t.op == T.CONST:
            if not t.data:
                return T.const(False, BOOL)
            continue
        if t.op == T.AND:
            flat.extend(t.args)
        else:
            flat.append(t)
    if not flat:
        return T.const(True, BOOL)
    if len(flat) == 1:
        return flat[0]
    return mk(T.AND, tuple(flat), BOOL)


def or_terms(ts: list) -> Term:
    flat = []
    for t in ts:
        if t.op == T.CONST:
            if t.data:
                return T.const(True, BOOL)
            continue
        if t.op == T.OR:
            flat.extend(t.args)
        else:
            flat.append(t)
    if not flat:
        return T.const(False, BOOL)
    if len(flat) == 1:
        return flat[0]
    return mk(T.OR, tuple(flat), BOOL)


def ite_term(c: Term, a: Term, b: Term) -> Term:
    if c.op == T.CONST:
        return a if c.data else b
    if a is b:
        return a
    return node(T.ITE, (c, a, b), a.sort)


class BoolExpr(Expr):
    __slots__ = ()

    def __and__(self, other: Any) -> "BoolExpr":
        return BoolExpr(and_terms([self._t, _bool(other, "operand of &")]))

    def __rand__(self, other: Any) -> "BoolExpr":
        return BoolExpr(and_terms([_bool(other, "operand of &"), self._t]))

    def __or__(self, other: Any) -> "BoolExpr":
        return BoolExpr(or_terms([self._t, _bool(other, "operand of |")]))

    def __ror__(self, other: Any) -> "BoolExpr":
        return BoolExpr(or_terms([_bool(other, "operand of |"), self._t]))

    def __invert__(self) -> "BoolExpr":
        return BoolExpr(not_term(self._t))

    def __xor__(self, other: Any) -> "BoolExpr":
        return self != other

    def and_(self, *others: Any) -> "BoolExpr":
        return And(self, *others)

    def or_(self, *others: Any) -> "BoolExpr":
        return Or(self, *others)

    def not_(self) -> "BoolExpr":
        return ~self

    def implies(self, other: Any) -> "BoolExpr":
        return Implies(self, other)


class IntExpr(Expr):
    __slots__ = ()

    def _bin(self, op: str, other: Any, rev: bool = False, partial: bool = False) -> "IntExpr":
        o = _int(other, f"operand of {op}")
        a, b = (o, self._t) if rev else (self._t, o)
        return IntExpr(node(op, (a, b), INT, partial_loc=partial))

    def __add__(self, o): return self._bin(T.ADD, o)
    def __radd__(self, o): return self._bin(T.ADD, o, True)
    def __sub__(self, o): return self._bin(T.SUB, o)
    def __rsub__(self, o): return self._bin(T.SUB, o, True)
    def __mul__(self, o): return self._bin(T.MUL, o)
    def __rmul__(self, o): return self._bin(T.MUL, o, True)
    def __truediv__(self, o): return self._bin(T.DIV, o, partial=True)
    def __rtruediv__(self, o): return self._bin(T.DIV, o, True, partial=True)
    def __floordiv__(self, o): return self._bin(T.DIV, o, partial=True)
    def __rfloordiv__(self, o): return self._bin(T.DIV, o, True, partial=True)
    def __mod__(self, o): return self._bin(T.MOD, o, partial=True)
    def __rmod__(self, o): return self._bin(T.MOD, o, True, partial=True)
    def __pow__(self, o): return self._bin(T.POW, o, partial=True)
    def __rpow__(self, o): return self._bin(T.POW, o, True, partial=True)

    def __neg__(self) -> "IntExpr":
        return IntExpr(node(T.NEG, (self._t,), INT))

    def __pos__(self) -> "IntExpr":
        return self

    def _cmp(self, op: str, other: Any, rev: bool = False) -> BoolExpr:
        o = _int(other, "operand of comparison")
        a, b = (o, self._t) if rev else (self._t, o)
        return BoolExpr(node(op, (a, b), BOOL))

    def __lt__(self, o): return self._cmp(T.LT, o)
    def __le__(self, o): return self._cmp(T.LE, o)
    def __gt__(self, o): return self._cmp(T.LT, o, True)
    def __ge__(self, o): return self._cmp(T.LE, o, True)

    def upto(self, other: Any) -> "SetExpr":
        return Interval(self, other)


class StrExpr(Expr):
    __slots__ = ()


class EnumExpr(Expr):
    __slots__ = ()


class TupleExpr(Expr):
    __slots__ = ()

    def __getitem__(self, i: Any) -> Expr:
        if isinstance(i, Expr):
            if i._t.op != T.CONST:
                raise SpecError("tuple index must be a Python int or a literal")
            i = i._t.data
        if not isinstance(i, int) or isinstance(i, bool):
            raise SpecError(f"tuple index must be an int, got {i!r}")
        n = len(self._t.sort.elems)
        if not -n <= i < n:
            raise SpecError(f"tuple index {i} out of range for {self._t.sort}")
        i %= n
        r = wrap(tget_term(self._t, i))
        if self._w is not None:
            parent, w = self._t, self._w
            object.__setattr__(r, "_w", lambda v: w(node(T.TREPLACE, (parent, v), parent.sort, i)))
        return r

    def __setitem__(self, i: int, v: Any) -> None:
        if self._w is None:
            raise SpecError("tuples are immutable; use t.replace(i, e) or write through c.state")
        n = len(self._t.sort.elems)
        vt = coerce(v, self._t.sort.elems[i % n], f"tuple element {i}")
        self._w(node(T.TREPLACE, (self._t, vt), self._t.sort, i % n))

    def __len__(self) -> int:
        return len(self._t.sort.elems)

    def __iter__(self):
        return iter([self[i] for i in range(len(self._t.sort.elems))])

    def replace(self, i: int, e: Any) -> "TupleExpr":
        n = len(self._t.sort.elems)
        vt = coerce(e, self._t.sort.elems[i % n], f"tuple element {i}")
        return TupleExpr(node(T.TREPLACE, (self._t, vt), self._t.sort, i % n))


def tget_term(t: Term, i: int) -> Term:
    if t.op == T.TUPLE:
        return t.args[i]
    return node(T.TGET, (t,), t.sort.elems[i], i)


def rget_term(r: Term, name: str) -> Term:
    if r.op == T.RECORD:
        return r.args[r.data.index(name)]
    return node(T.RGET, (r,), r.sort.field_sort(name), name)


class _RecordMethods:
    """`r._` gives the API of a record expression whose fields shadow methods."""

    def __init__(self, r: "RecordExpr"):
        self._r = r

    @property
    def sort(self) -> Sort:
        return object.__getattribute__(self._r, "_t").sort

    def replace(self, *args: Any, **kwargs: Any) -> "RecordExpr":
        return RecordExpr._replace(self._r, *args, **kwargs)

    def pretty(self) -> str:
        return repr(object.__getattribute__(self._r, "_t"))


class RecordExpr(Expr):
    __slots__ = ()

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("__"):
            t = object.__getattribute__(self, "_t")
            if name in t.sort.field_names:
                return RecordExpr._field(self, name)
        return object.__getattribute__(self, name)

    def _field(self, name: str) -> Expr:
        t = object.__getattribute__(self, "_t")
        w = object.__getattribute__(self, "_w")
        r = wrap(rget_term(t, name))
        if w is not None:
            object.__setattr__(r, "_w", lambda v: w(node(T.RREPLACE, (t, v), t.sort, (name,))))
        return r

    def __getitem__(self, name: str) -> Expr:
        t = object.__getattribute__(self, "_t")
        if not isinstance(name, str) or name not in t.sort.field_names:
            raise SpecError(f"record {t.sort} has no field {name!r}")
        return RecordExpr._field(self, name)

    def __getattr__(self, name: str) -> Any:
        t = object.__getattribute__(self, "_t")
        if name.startswith("__"):
            raise AttributeError(name)
        raise SpecError(f"record {t.sort} has no field {name!r}",
                        hint="fields: " + ", ".join(t.sort.field_names))

    def __setattr__(self, name: str, value: Any) -> None:
        t = object.__getattribute__(self, "_t")
        w = object.__getattribute__(self, "_w")
        if name not in t.sort.field_names:
            raise SpecError(f"record {t.sort} has no field {name!r}")
        if w is None:
            raise SpecError("records are immutable; use r.replace(f=e) or write through c.state")
        vt = coerce(value, t.sort.field_sort(name), f"field {name}")
        w(node(T.RREPLACE, (t, vt), t.sort, (name,)))

    def __setitem__(self, name: str, value: Any) -> None:
        self.__setattr__(name, value)

    @property
    def _(self) -> _RecordMethods:
        return _RecordMethods(self)

    def _replace(self, *args: Any, **kwargs: Any) -> "RecordExpr":
        t = object.__getattribute__(self, "_t")
        if args:
            if len(args) != 2 or kwargs:
                raise SpecError("replace takes (name, value) or name=value arguments")
            kwargs = {args[0]: args[1]}
        names = tuple(sorted(kwargs))
        vals = []
        for n in names:
            if n not in t.sort.field_names:
                raise SpecError(f"record {t.sort} has no field {n!r}")
            vals.append(coerce(kwargs[n], t.sort.field_sort(n), f"field {n}"))
        return RecordExpr(node(T.RREPLACE, (t, *vals), t.sort, names))

    def replace(self, *args: Any, **kwargs: Any) -> "RecordExpr":
        return RecordExpr._replace(self, *args, **kwargs)


class _BinderIter:
    """What iterating a symbolic set yields inside a generator: one bound variable.

    `Set(f(x) for x in S)` evaluates `iter(S)` eagerly; the generator body then
    runs once with `x` bound, which tells us the binder, its domain and the body.
    """

    def __init__(self, domain: Term, bvar: Term):
        self.domain = domain
        self.bvar = bvar
        self._done = False
        _binder_log.append(self)

    def __iter__(self):
        return self

    def __next__(self) -> Expr:
        if self._done:
            raise StopIteration
        self._done = True
        return wrap(self.bvar)


_binder_log: list = []


def _refuse_python_for_loop() -> None:
    frame = sys._getframe(2)
    code = frame.f_code
    if code.co_name == "<genexpr>":
        return
    try:
        nxt = code.co_code[frame.f_lasti + 2]
    except IndexError:
        return
    if nxt == dis.opmap.get("FOR_ITER"):
        raise SpecError("a Python for loop over a symbolic collection",
                        hint="use Forall/Exists, S.forall/S.exists, Set(f(x) for x in S) or c.one_of(S)")


class SetExpr(Expr):
    __slots__ = ()

    @property
    def elem_sort(self) -> Sort:
        return self._t.sort.elem

    def _other(self, other: Any, what: str) -> Term:
        o = coerce(other, self._t.sort, what)
        return o

    def union(self, other: Any) -> "SetExpr":
        return SetExpr(node(T.UNION, (self._t, self._other(other, "operand of |")), self._t.sort))

    def intersect(self, other: Any) -> "SetExpr":
        return SetExpr(node(T.INTER, (self._t, self._other(other, "operand of &")), self._t.sort))

    def difference(self, other: Any) -> "SetExpr":
        return SetExpr(node(T.DIFF, (self._t, self._other(other, "operand of -")), self._t.sort))

    __or__ = union
    __and__ = intersect
    __sub__ = difference

    def __ror__(self, other):
        return SetExpr(self._other(other, "operand of |")).union(self)

    def __rand__(self, other):
        return SetExpr(self._other(other, "operand of &")).intersect(self)

    def __rsub__(self, other):
        return SetExpr(self._other(other, "operand of -")).difference(self)

    def issubset(self, other: Any) -> BoolExpr:
        return BoolExpr(node(T.SUBSETEQ, (self._t, self._other(other, "operand of <=")), BOOL))

    def __le__(self, other):
        return self.issubset(other)

    def __ge__(self, other):
        return SetExpr(self._other(other, "operand of >=")).issubset(self)

    def __lt__(self, other):
        return self.issubset(other) & (self != other)

    def __gt__(self, other):
        return self.__ge__(other) & (self != other)

    def contains(self, x: Any) -> BoolExpr:
        xt = coerce(x, self._t.sort.elem, "element")
        return BoolExpr(node(T.IN, (xt, self._t), BOOL))

    @property
    def is_empty(self) -> BoolExpr:
        return BoolExpr(eq_term(self._t, T.const(frozenset(), self._t.sort)))

    @property
    def size(self) -> IntExpr:
        if self._t.op == T.INTS:
            raise SpecError("the size of an infinite set is undefined")
        return IntExpr(node(T.CARD, (self._t,), INT))

    def _binder(self, fn: Callable, what: str, nargs: int = 1):
        if not callable(fn):
            raise SpecError(f"{what} takes a function (lambda x: ...)")
        name = _param_name(fn)
        bv = T.fresh_bvar(name, self._t.sort.elem)
        body = fn(wrap(bv))
        return bv, body

    def filter(self, fn: Callable) -> "SetExpr":
        bv, body = self._binder(fn, "filter")
        return SetExpr(node(T.SETFILTER, (self._t, bv, _bool(body, "filter predicate")), self._t.sort))

    def map(self, fn: Callable) -> "SetExpr":
        bv, body = self._binder(fn, "map")
        b = coerce(body, None, "map result")
        return SetExpr(node(T.SETMAP, (self._t, bv, b), SetSort(b.sort)))

    def map_to(self, fn: Callable) -> "MapExpr":
        bv, body = self._binder(fn, "map_to")
        b = coerce(body, None, "map_to result")
        return MapExpr(node(T.MAPFROM, (self._t, bv, b), MapSort(self._t.sort.elem, b.sort)))

    def forall(self, fn: Callable) -> BoolExpr:
        bv, body = self._binder(fn, "forall")
        return BoolExpr(node(T.FORALL, (self._t, bv, _bool(body, "forall body")), BOOL, partial_loc=True))

    def exists(self, fn: Callable) -> BoolExpr:
        bv, body = self._binder(fn, "exists")
        return BoolExpr(node(T.EXISTS, (self._t, bv, _bool(body, "exists body")), BOOL, partial_loc=True))

    def reduce(self, fn: Callable, init: Any) -> Expr:
        """Fold over the elements (each once). The order is unspecified: meant for commutative and
        associative functions (the interpreter folds in value order)."""
        return wrap(_reduce(T.SREDUCE, self._t, (self._t.sort.elem,), fn, init, "reduce"))

    def choose(self, fn: Optional[Callable] = None) -> Expr:
        """A deterministic element satisfying fn (any element without fn): the least one in the order
        of lang.values.value_key. Undefined when there is none."""
        es = self._t.sort.elem
        if fn is None:
            bv, body = mk(T.BVAR, (), es, ("x", 0)), T.const(True, BOOL)
        else:
            bv, body = self._binder(fn, "choose")
            body = _bool(body, "choose predicate")
        return wrap(node(T.CHOOSE, (self._t, bv, body), es, partial_loc=True))

    @property
    def flattened(self) -> "SetExpr":
        if not isinstance(self._t.sort.elem, SetSort):
            raise SpecError(f"flattened needs a set of sets, got {self._t.sort}")
        return SetExpr(node(T.FLATTEN, (self._t,), self._t.sort.elem))

    def __iter__(self):
        _refuse_python_for_loop()
        return _BinderIter(self._t, T.fresh_bvar("x", self._t.sort.elem))


def _param_name(fn: Callable) -> str:
    code = getattr(fn, "__code__", None)
    if code is not None and code.co_argcount >= 1:
        return code.co_varnames[0]
    return "x"


class MapExpr(Expr):
    __slots__ = ()

    def __getitem__(self, k: Any) -> Expr:
        kt = coerce(k, self._t.sort.key, "map key")
        r = wrap(node(T.MGET, (self._t, kt), self._t.sort.value, partial_loc=True))
        if self._w is not None:
            parent, w = self._t, self._w
            upsert = getattr(w, "upsert", False)
            op = T.MINSERT if upsert else T.MREPLACE

            def sub_writer(v: Term) -> None:
                w(node(op, (parent, kt, v), parent.sort))
            sub_writer.upsert = upsert  # type: ignore[attr-defined]
            object.__setattr__(r, "_w", sub_writer)
        return r

    def __setitem__(self, k: Any, v: Any) -> None:
        if self._w is None:
            raise SpecError("maps are immutable; use m.insert(k, v)/m.replace(k, v) or write through c.state")
        kt = coerce(k, self._t.sort.key, "map key")
        vt = coerce(v, self._t.sort.value, "map value")
        op = T.MINSERT if getattr(self._w, "upsert", False) else T.MREPLACE
        self._w(node(op, (self._t, kt, vt), self._t.sort))

    @property
    def keys(self) -> SetExpr:
        return SetExpr(node(T.MKEYS, (self._t,), SetSort(self._t.sort.key)))

    @property
    def values(self) -> SetExpr:
        return SetExpr(node(T.MVALUES, (self._t,), SetSort(self._t.sort.value)))

    @property
    def size(self) -> IntExpr:
        return self.keys.size

    @property
    def is_empty(self) -> BoolExpr:
        return self.keys.is_empty

    def insert(self, k: Any, v: Any) -> "MapExpr":
        kt = coerce(k, self._t.sort.key, "map key")
        vt = coerce(v, self._t.sort.value, "map value")
        return MapExpr(node(T.MINSERT, (self._t, kt, vt), self._t.sort))

    def replace(self, k: Any, v: Any) -> "MapExpr":
        kt = coerce(k, self._t.sort.key, "map key")
        vt = coerce(v, self._t.sort.value, "map value")
        return MapExpr(node(T.MREPLACE, (self._t, kt, vt), self._t.sort))

    def reduce(self, fn: Callable, init: Any) -> Expr:
        """Fold over the entries (lambda acc, k, v: ...). The order is unspecified: meant for commutative
        and associative functions (the interpreter folds in key order)."""
        return wrap(_reduce(T.MREDUCE, self._t, (self._t.sort.key, self._t.sort.value), fn, init, "reduce"))

    def __contains__(self, k: Any) -> bool:
        raise SpecError("`k in m` has no Python truth value", hint="use m.keys.contains(k)")


class ListExpr(Expr):
    """A finite 0-based sequence. Indexing is partial; slices follow Python's clamping rules."""

    __slots__ = ()

    @property
    def elem_sort(self) -> Sort:
        return self._t.sort.elem

    def _other(self, other: Any, what: str) -> Term:
        return coerce(other, self._t.sort, what)

    def __getitem__(self, i: Any) -> Expr:
        if isinstance(i, slice):
            if i.step is not None:
                raise SpecError("list slices take no step", hint="write l[a:b]")
            a = T.const(0, INT) if i.start is None else _int(i.start, "slice bound")
            b = self.size._t if i.stop is None else _int(i.stop, "slice bound")
            return ListExpr(node(T.LSLICE, (self._t, a, b), self._t.sort))
        it = _int(i, "list index")
        r = wrap(node(T.LGET, (self._t, it), self._t.sort.elem, partial_loc=True))
        if self._w is not None:
            parent, w = self._t, self._w
            object.__setattr__(r, "_w", lambda v: w(node(T.LREPLACE, (parent, it, v), parent.sort)))
        return r

    def __setitem__(self, i: Any, v: Any) -> None:
        if self._w is None:
            raise SpecError("lists are immutable; use l.replace(i, e) or write through c.state")
        if isinstance(i, slice):
            raise SpecError("assigning to a list slice is not supported", hint="build the list with + and slices")
        it = _int(i, "list index")
        vt = coerce(v, self._t.sort.elem, "list element")
        self._w(node(T.LREPLACE, (self._t, it, vt), self._t.sort))

    def __add__(self, other: Any) -> "ListExpr":
        return ListExpr(node(T.LCONCAT, (self._t, self._other(other, "operand of +")), self._t.sort))

    def __radd__(self, other: Any) -> "ListExpr":
        return ListExpr(node(T.LCONCAT, (self._other(other, "operand of +"), self._t), self._t.sort))

    def replace(self, i: Any, e: Any) -> "ListExpr":
        """The list with element i replaced by e (unchanged when i is out of range, like TLA+ EXCEPT)."""
        it = _int(i, "list index")
        vt = coerce(e, self._t.sort.elem, "list element")
        return ListExpr(node(T.LREPLACE, (self._t, it, vt), self._t.sort))

    @property
    def size(self) -> IntExpr:
        return IntExpr(node(T.LLEN, (self._t,), INT))

    @property
    def keys(self) -> "SetExpr":
        return SetExpr(node(T.LKEYS, (self._t,), SetSort(INT)))

    @property
    def is_empty(self) -> BoolExpr:
        return self.size == 0

    def _elems(self) -> Term:
        return node(T.LELEMS, (self._t,), SetSort(self._t.sort.elem))

    def _binder(self, fn: Callable, what: str):
        if not callable(fn):
            raise SpecError(f"{what} takes a function (lambda x: ...)")
        bv = T.fresh_bvar(_param_name(fn), self._t.sort.elem)
        return bv, fn(wrap(bv))

    def filter(self, fn: Callable) -> "ListExpr":
        bv, body = self._binder(fn, "filter")
        return ListExpr(node(T.LFILTER, (self._t, bv, _bool(body, "filter predicate")), self._t.sort))

    def forall(self, fn: Callable) -> BoolExpr:
        bv, body = self._binder(fn, "forall")
        return BoolExpr(node(T.FORALL, (self._elems(), bv, _bool(body, "forall body")), BOOL))

    def exists(self, fn: Callable) -> BoolExpr:
        bv, body = self._binder(fn, "exists")
        return BoolExpr(node(T.EXISTS, (self._elems(), bv, _bool(body, "exists body")), BOOL))

    def reduce(self, fn: Callable, init: Any) -> Expr:
        """Left fold: f(...f(f(init, l[0]), l[1])..., l[n-1])."""
        return wrap(_reduce(T.LREDUCE, self._t, (self._t.sort.elem,), fn, init, "reduce"))

    def __len__(self) -> int:
        raise SpecError("len() of a symbolic list", hint="use l.size")

    def __contains__(self, x: Any) -> bool:
        raise SpecError("`x in l` has no Python truth value", hint="use l.exists(lambda y: y == x)")

    def __iter__(self):
        _refuse_python_for_loop()
        return _BinderIter(self._elems(), T.fresh_bvar("x", self._t.sort.elem))


def _reduce(op: str, coll: Term, elem_sorts: tuple, fn: Callable, init: Any, what: str) -> Term:
    if not callable(fn):
        raise SpecError(f"{what} takes a function (lambda acc, x: ...) and an initial value")
    n = len(elem_sorts) + 1
    if _argcount(fn) != n:
        args = "acc, k, v" if n == 3 else "acc, x"
        raise SpecError(f"the function of {what} takes {n} arguments (lambda {args}: ...)")
    it = coerce(init, None, f"initial value of {what}")
    names = fn.__code__.co_varnames[:n] if hasattr(fn, "__code__") else ("acc", "x", "y")[:n]
    acc = T.fresh_bvar(names[0], it.sort)
    bvs = tuple(T.fresh_bvar(nm, s) for nm, s in zip(names[1:], elem_sorts))
    body = coerce(fn(wrap(acc), *(wrap(b) for b in bvs)), it.sort, f"result of the {what} function")
    return node(op, (coll, acc, *bvs, body, it), it.sort)


def _list_literal(items: list) -> Term:
    s = items[0].sort
    ts = tuple(coerce(x, s, "list element") for x in items)
    return node(T.LISTLIT, ts, ListSort(s))


def List(*args: Any) -> ListExpr:
    """`List(e1, e2, ...)`, or `List(T)`: the empty list of sort T."""
    if not args:
        raise SpecError("List() needs elements or a sort", hint="write List(int) for the empty list of ints")
    if len(args) == 1 and _is_type_like(args[0]):
        return ListExpr(T.const(ListValue(()), ListSort(sort_of(args[0]))))
    s = None
    for a in args:
        if isinstance(a, Expr):
            s = a._t.sort
            break
    return ListExpr(_list_literal([coerce(a, s, "list element") for a in args]))


def Range(a: Any, b: Any) -> ListExpr:
    """The list [a, a+1, ..., b-1] (half-open, unlike Interval)."""
    return ListExpr(node(T.RANGE, (_int(a, "Range bound"), _int(b, "Range bound")), ListSort(INT), partial_loc=True))


class UnionExpr(Expr):
    """A value of a @union sort: its tag, and `match` to take it apart (no other payload accessor)."""

    __slots__ = ()

    @property
    def tag(self) -> StrExpr:
        if self._t.op == T.VARIANT:
            return StrExpr(T.const(self._t.data, STR))
        return StrExpr(node(T.UTAG, (self._t,), STR))

    def match(self, default: Any = None, **arms: Any) -> Expr:
        """`u.match(A=lambda x: ..., B=lambda: ..., default=...)`: the arm of u's tag, applied to its payload."""
        sort: UnionSort = self._t.sort
        unknown = [k for k in arms if k not in sort.tags]
        if unknown:
            raise SpecError(f"match: {sort} has no variant {', '.join(map(repr, unknown))}",
                            hint="variants: " + ", ".join(sort.tags))
        missing = [tag for tag in sort.tags if tag not in arms]
        if missing and default is None:
            raise SpecError(f"match on {sort} is not exhaustive: no arm for {', '.join(missing)}",
                            hint="add the missing arms or default=...")
        raw = []
        for tag, ps in sort.variants:
            if tag in arms:
                fn, what = arms[tag], f"arm {tag} of match"
            else:
                fn, what = default, "default of match"
            if not callable(fn):
                raw.append((tag, None, fn, what))
                continue
            nargs = _argcount(fn)
            if nargs == 0:
                raw.append((tag, None, fn(), what))
            elif nargs == 1 and ps is not None and tag in arms:
                bv = T.fresh_bvar(_param_name(fn), ps)
                raw.append((tag, bv, fn(wrap(bv)), what))
            else:
                takes = "one argument (the payload)" if ps is not None else "no argument (no payload)"
                raise SpecError(f"{what} must be a function of {takes}, or a value")
        result_sort = None
        for _, _, body, _ in raw:
            if isinstance(body, (Expr, Term)):
                result_sort = coerce(body, None, "arm of match").sort
                break
        if result_sort is None:
            result_sort = coerce(raw[0][2], None, "arm of match").sort
        data, args, coerced = [], [self._t], []
        for tag, bv, body, what in raw:
            bt = coerce(body, result_sort, what)
            coerced.append((tag, bv, bt))
            data.append((tag, bv is not None))
            args.extend((bv, bt) if bv is not None else (bt,))
        if self._t.op == T.VARIANT:  # a constructor: the arm is known now
            for tag, bv, bt in coerced:
                if tag == self._t.data:
                    return wrap(_fold(T.substitute(bt, {bv: self._t.args[0]}) if bv is not None else bt))
        return wrap(node(T.UMATCH, tuple(args), result_sort, tuple(data)))


def _argcount(fn: Callable) -> int:
    code = getattr(fn, "__code__", None)
    if code is None:
        return 1
    n = code.co_argcount
    if getattr(fn, "__self__", None) is not None:
        n -= 1
    return n


def variant_term(sort: UnionSort, tag: str, payload: tuple) -> Term:
    """The term of the constructor `U.tag(*payload)`."""
    if tag not in sort.tags:
        raise SpecError(f"{sort} has no variant {tag!r}", hint="variants: " + ", ".join(sort.tags))
    ps = sort.payload_sort(tag)
    if ps is None:
        if payload:
            raise SpecError(f"{sort}.{tag}() takes no payload")
        return node(T.VARIANT, (), sort, tag)
    if len(payload) != 1:
        raise SpecError(f"{sort}.{tag}(...) takes exactly one payload argument of sort {ps}")
    return node(T.VARIANT, (coerce(payload[0], ps, f"payload of {sort}.{tag}"),), sort, tag)


_CLASS_BY_SORT = {
    BoolSort: BoolExpr, IntSort: IntExpr, StrSort: StrExpr, EnumSort: EnumExpr,
    TupleSort: TupleExpr, RecordSort: RecordExpr, SetSort: SetExpr, MapSort: MapExpr,
    UnionSort: UnionExpr, ListSort: ListExpr,
}


# --- constructors -------------------------------------------------------------------

def Val(x: Any) -> Expr:
    if isinstance(x, Expr):
        return x
    return wrap(coerce(x, None, "Val argument"))


def Var(name: str, pytype: Any) -> Expr:
    return wrap(mk(T.FREE, (), sort_of(pytype), name))


def _bools(ps: tuple, what: str) -> list:
    if len(ps) == 1 and not isinstance(ps[0], (Expr, bool)) and hasattr(ps[0], "__iter__"):
        ps = tuple(ps[0])
    return [_bool(p, what) for p in ps]


def And(*ps: Any) -> BoolExpr:
    return BoolExpr(and_terms(_bools(ps, "argument of And")))


def Or(*ps: Any) -> BoolExpr:
    return BoolExpr(or_terms(_bools(ps, "argument of Or")))


def Not(p: Any) -> BoolExpr:
    return BoolExpr(not_term(_bool(p, "argument of Not")))


def Implies(p: Any, q: Any) -> BoolExpr:
    pt, qt = _bool(p, "premise of Implies"), _bool(q, "conclusion of Implies")
    if pt.op == T.CONST:
        return BoolExpr(qt if pt.data else T.const(True, BOOL))
    return BoolExpr(node(T.IMPLIES, (pt, qt), BOOL))


def Ite(c: Any, a: Any, b: Any) -> Expr:
    ct = _bool(c, "condition of Ite")
    if isinstance(a, Expr) or not isinstance(b, Expr):
        at = coerce(a, None, "then-branch of Ite")
        bt = coerce(b, at.sort, "else-branch of Ite")
    else:
        bt = coerce(b, None, "else-branch of Ite")
        at = coerce(a, bt.sort, "then-branch of Ite")
    return wrap(ite_term(ct, at, bt))


def Max(*args: Any, default: Any = None) -> IntExpr:
    return _extremum(args, default, T.LT, "Max")


def Min(*args: Any, default: Any = None) -> IntExpr:
    return _extremum(args, default, T.LE, "Min")


def _extremum(args: tuple, default: Any, op: str, name: str) -> IntExpr:
    if len(args) == 1 and isinstance(args[0], (SetExpr, ListExpr)):
        return _extremum_of(args[0], default, name)
    if default is not None:
        raise SpecError(f"{name}(..., default=...) takes one set or list", hint=f"{name}(S, default=d)")
    if not args:
        raise SpecError(f"{name} needs at least one argument")
    ts = [_int(a, f"argument of {name}") for a in args]
    acc = ts[0]
    for t in ts[1:]:
        # Max: if acc < t then t else acc;  Min: if acc <= t then acc else t
        cmp = node(op, (acc, t), BOOL)
        acc = ite_term(cmp, t, acc) if name == "Max" else ite_term(cmp, acc, t)
    return IntExpr(acc)


def _extremum_of(coll: Expr, default: Any, name: str) -> IntExpr:
    """Max/Min of a set or list of ints: undefined when it is empty, unless a default is given."""
    if coll._t.sort.elem != INT:
        raise SpecError(f"{name} takes a set or list of ints, got a {coll._t.sort}")

    def better(a: IntExpr, x: IntExpr) -> IntExpr:
        return Ite(a < x, x, a) if name == "Max" else Ite(x < a, x, a)

    if isinstance(coll, SetExpr):
        first = coll.choose()  # the least element: Min itself
        core = first if name == "Min" else coll.reduce(better, first)
    else:
        core = coll.reduce(better, coll[0])
    if default is None:
        return core
    return Ite(coll.is_empty, _int(default, f"default of {name}"), core)


def Interval(a: Any, b: Any) -> SetExpr:
    return SetExpr(node(T.INTERVAL, (_int(a, "interval bound"), _int(b, "interval bound")), SetSort(INT)))


Ints = SetExpr(mk(T.INTS, (), SetSort(INT), None))
UnsignedInts = SetExpr(mk(T.INTS, (), SetSort(INT), "nat"))


def _is_type_like(x: Any) -> bool:
    if isinstance(x, Expr):
        return False
    return isinstance(x, (type, Sort)) or typing.get_origin(x) is not None or hasattr(x, "__supertype__")


def _set_literal(items: list) -> Term:
    s = items[0].sort
    ts = [coerce(x, s, "set element") for x in items]
    uniq = list(dict.fromkeys(ts))
    uniq.sort(key=lambda t: t.uid)
    return node(T.SETLIT, tuple(uniq), SetSort(s))


def Set(*args: Any) -> SetExpr:
    if not args:
        raise SpecError("Set() needs elements or a sort", hint="write Set(int) for the empty set of ints")
    if len(args) == 3 and args[1] is Ellipsis:
        return Interval(args[0], args[2])
    if len(args) == 1 and _is_type_like(args[0]) and not isinstance(args[0], Expr):
        return SetExpr(T.const(frozenset(), SetSort(sort_of(args[0]))))
    if len(args) == 1 and _is_generator(args[0]) and not _is_symbolic_generator(args[0]):
        args = tuple(args[0])  # a comprehension over a Python collection: its elements
        if not args:
            raise SpecError("Set(...) of an empty Python comprehension has no sort", hint="write Set(T) instead")
    if len(args) == 1 and _is_generator(args[0]):
        binders, body = unroll_generator(args[0], "Set")
        b = coerce(body, None, "comprehension body")
        return SetExpr(_nest_map(binders, b))
    first = args[0]
    if isinstance(first, Expr):
        s = first._t.sort
    else:
        s = None
        for a in args:
            if isinstance(a, Expr):
                s = a._t.sort
                break
    return SetExpr(_set_literal([coerce(a, s, "set element") for a in args]))


def _nest_map(binders: list, body: Term) -> Term:
    """Set(f(x, y) for x in S for y in T) = union over x in S of {f(x, y) : y in T}."""
    dom, bv = binders[-1]
    t = node(T.SETMAP, (dom, bv, body), SetSort(body.sort))
    for dom, bv in reversed(binders[:-1]):
        t = node(T.FLATTEN, (node(T.SETMAP, (dom, bv, t), SetSort(t.sort)),), t.sort)
    return t


def SetIf(gen: Any) -> SetExpr:
    binders, body = unroll_generator(gen, "SetIf")
    if len(binders) != 1:
        raise SpecError("SetIf takes exactly one `for` clause")
    dom, bv = binders[0]
    return SetExpr(node(T.SETFILTER, (dom, bv, _bool(body, "SetIf predicate")), dom.sort))


def _quantifier(gen: Any, op: str, name: str) -> BoolExpr:
    binders, body = unroll_generator(gen, name)
    t = _bool(body, f"{name} body")
    for dom, bv in reversed(binders):
        t = node(op, (dom, bv, t), BOOL, partial_loc=True)
    return BoolExpr(t)


def Forall(gen: Any) -> BoolExpr:
    return _quantifier(gen, T.FORALL, "Forall")


def Exists(gen: Any) -> BoolExpr:
    return _quantifier(gen, T.EXISTS, "Exists")


def _is_generator(x: Any) -> bool:
    return isinstance(x, types.GeneratorType)


def _is_symbolic_generator(x: Any) -> bool:
    """A comprehension whose outermost `for` ranges over a symbolic set (not a Python collection)."""
    return _is_generator(x) and x.gi_frame is not None and isinstance(x.gi_frame.f_locals.get(".0"), _BinderIter)


def unroll_generator(gen: Any, what: str) -> tuple:
    """Run a comprehension's body once with bound variables; return [(domain, bvar)] and the body."""
    if not _is_generator(gen):
        raise SpecError(f"{what} expects a generator expression like `(... for x in S)`")
    outer = gen.gi_frame.f_locals.get(".0") if gen.gi_frame is not None else None
    if not isinstance(outer, _BinderIter):
        raise SpecError(f"{what}: the outermost `for` must range over a symbolic set",
                        hint="wrap Python collections with Set(...)")
    start = len(_binder_log)
    try:
        body = next(gen)
    except StopIteration:
        raise SpecError(f"{what}: the comprehension produced nothing") from None
    inner = [b for b in _binder_log[start:] if b is not outer]
    del _binder_log[start:]
    try:
        next(gen)
        raise SpecError(f"{what}: unexpected extra iteration in the comprehension")
    except StopIteration:
        pass
    if outer in _binder_log:
        _binder_log.remove(outer)
    return [(b.domain, b.bvar) for b in [outer] + inner], body


def _map_literal(pairs: list) -> Term:
    ks, vs = pairs[0][0].sort, pairs[0][1].sort
    args = []
    seen = {}
    for k, v in pairs:
        k = coerce(k, ks, "map key")
        v = coerce(v, vs, "map value")
        seen[k] = v
    for k, v in seen.items():
        args.extend((k, v))
    return node(T.MAPLIT, tuple(args), MapSort(ks, vs))


def Map(*args: Any) -> MapExpr:
    if len(args) == 2 and all(_is_type_like(a) and not isinstance(a, Expr) for a in args):
        return MapExpr(T.const(MapValue(()), MapSort(sort_of(args[0]), sort_of(args[1]))))
    if len(args) == 1 and _is_generator(args[0]) and not _is_symbolic_generator(args[0]):
        args = tuple(args[0])  # (key, value) pairs from a comprehension over a Python collection
    if len(args) == 1 and _is_generator(args[0]):
        binders, body = unroll_generator(args[0], "Map")
        if len(binders) != 1:
            raise SpecError("Map comprehension takes exactly one `for` clause")
        dom, bv = binders[0]
        b = coerce(body, None, "map value")
        return MapExpr(node(T.MAPFROM, (dom, bv, b), MapSort(dom.sort.elem, b.sort)))
    pairs = []
    for a in args:
        if isinstance(a, TupleExpr) and len(a) == 2:
            pairs.append((a[0]._t, a[1]._t))
        elif isinstance(a, tuple) and len(a) == 2:
            pairs.append((coerce(a[0], None, "map key"), coerce(a[1], None, "map value")))
        else:
            raise SpecError("Map takes (key, value) pairs, two sorts, or a generator")
    if not pairs:
        raise SpecError("Map() needs pairs or two sorts", hint="write Map(K, V) for an empty map")
    return MapExpr(_map_literal(pairs))


def Tuple(*es: Any) -> TupleExpr:
    if not es:
        raise SpecError("Tuple() needs at least one element")
    ts = tuple(coerce(e, None, "tuple element") for e in es)
    return TupleExpr(node(T.TUPLE, ts, TupleSort(tuple(t.sort for t in ts))))


def AllTuples(*sets: Any) -> SetExpr:
    ts = []
    for s in sets:
        t = coerce(s, None, "argument of AllTuples")
        if not isinstance(t.sort, SetSort):
            raise SpecError(f"AllTuples takes sets, got a {t.sort}")
        ts.append(t)
    return SetExpr(node(T.ALLTUPLES, tuple(ts), SetSort(TupleSort(tuple(t.sort.elem for t in ts)))))


def AllSubsets(s: Any) -> SetExpr:
    """The power set of s: usable in one_of, membership and (without enumeration) some quantifiers."""
    t = coerce(s, None, "argument of AllSubsets")
    if not isinstance(t.sort, SetSort):
        raise SpecError(f"AllSubsets takes a set, got a {t.sort}")
    return SetExpr(node(T.POWERSET, (t,), SetSort(t.sort), partial_loc=True))


def AllMaps(keys: Any, values: Any) -> SetExpr:
    """All total maps from the set `keys` to the set `values`."""
    kt = coerce(keys, None, "keys of AllMaps")
    vt = coerce(values, None, "values of AllMaps")
    for x, what in ((kt, "keys"), (vt, "values")):
        if not isinstance(x.sort, SetSort):
            raise SpecError(f"AllMaps takes two sets; its {what} are a {x.sort}")
    return SetExpr(node(T.ALLMAPS, (kt, vt), SetSort(MapSort(kt.sort.elem, vt.sort.elem)), partial_loc=True))


def AllRecords(**fields: Any) -> SetExpr:
    """All records whose field f ranges over the set given for f."""
    if not fields:
        raise SpecError("AllRecords needs at least one field", hint="AllRecords(f=S, g=T)")
    names = tuple(sorted(fields))
    ts = []
    for n in names:
        x = coerce(fields[n], None, f"field {n} of AllRecords")
        if not isinstance(x.sort, SetSort):
            raise SpecError(f"AllRecords takes a set per field; field {n} is a {x.sort}")
        ts.append(x)
    rsort = make_record_sort({n: x.sort.elem for n, x in zip(names, ts)})
    return SetExpr(node(T.ALLRECORDS, tuple(ts), SetSort(rsort), names, partial_loc=True))


def Record(**fields: Any) -> RecordExpr:
    return _record_of(fields, "")


def _record_of(fields: dict, name: str, expected: Optional[RecordSort] = None) -> RecordExpr:
    names = tuple(sorted(fields))
    if expected is not None:
        ts = tuple(coerce(fields[n], expected.field_sort(n), f"field {n}") for n in names)
        sort = expected
    else:
        ts = tuple(coerce(fields[n], None, f"field {n}") for n in names)
        sort = make_record_sort(dict(zip(names, (t.sort for t in ts))), name)
    return RecordExpr(node(T.RECORD, ts, sort, names))


def _edit(self: Expr, name_prefix: str = "_tmp", replace_only: bool = False) -> Any:
    """`e.edit(name_prefix="_tmp", replace_only=False)` on a map, record, tuple or list: see lang/edit.py."""
    from .edit import edit
    return edit(self, name_prefix, replace_only)


Expr.edit = _edit  # type: ignore[attr-defined]
