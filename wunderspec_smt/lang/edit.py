"""Keyed (path) writes: `s.m[k1][k2] = v`, `s.r.f = v`, `upd[k].f = v`, and `e.edit()`.

A write through a container read from the state (or from an `edit()` handle) is
recorded as a *path* -- the keys, fields and indices walked from the root -- and a
leaf value. `apply_path` turns the path write into the updated root value, on top
of whatever the root holds when the write is applied, so several keyed writes to
one variable compose, and buffered writes (`editing()`) apply in program order.

The semantics of a write at a path, one level at a time (DSL.md sections 4 and 15):

* map key `[k]`, replace-only (the default of `StateVar`): when `k` is not a key,
  the write -- including everything below `k` -- is ignored, like TLA+ `EXCEPT`.
  UPSERT (`StateVar[..., UPSERT]`, `edit(replace_only=False)`): a missing key is
  inserted; below it, a missing inner map starts empty, so `s.m[k1][k2] = v`
  inserts `k1 |-> {k2 |-> v}`. A missing key whose value is not a map (a record,
  a tuple, a list...) has no "empty" value to start from: writing below it is an
  undefined lookup, reported as an error in the spec.
* record field `.f` and tuple index `[i]`: always present.
* list index `[i]`: out of range, the write (and everything below) is ignored,
  like `l.replace(i, e)`.

Every map level of an UPSERT variable inserts, also below records and tuples.
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Tuple

from ..errors import SourceLoc, SpecError, user_loc
from . import terms as T
from .exprs import (Expr, Ite, ListExpr, MapExpr, RecordExpr, TupleExpr, coerce, rget_term, tget_term, wrap)
from .sorts import INT, ListSort, MapSort, RecordSort, TupleSort
from .terms import Term
from .values import MapValue

# A path step: ("key", k) map key, ("field", name) record field, ("index", i) tuple
# position (a Python int), ("lidx", i) list index (an int term).
Step = Tuple[str, Any]
Path = Tuple[Step, ...]
# sink(path, value term, source location): where a path write goes
Sink = Callable[[Path, Term, Optional[SourceLoc]], None]


# --- applying a path write ------------------------------------------------------------

def child_term(cur: Term, step: Step) -> Term:
    """The value at one step below `cur` (a map lookup and a list index are partial)."""
    kind, key = step
    if kind == "key":
        return MapExpr(cur)[key]._t
    if kind == "field":
        return rget_term(cur, key)
    if kind == "index":
        return tget_term(cur, key)
    return ListExpr(cur)[key]._t


def apply_path(cur: Term, path: Path, value: Term, upsert: bool) -> Term:
    """`cur` with the value at `path` replaced by `value` (see the module docstring)."""
    if not path:
        return value
    (kind, key), rest = path[0], path[1:]
    if kind == "field":
        inner = apply_path(rget_term(cur, key), rest, value, upsert)
        return RecordExpr._replace(RecordExpr(cur), key, inner)._t
    if kind == "index":
        inner = apply_path(tget_term(cur, key), rest, value, upsert)
        return TupleExpr(cur).replace(key, inner)._t
    if kind == "lidx":
        lst = ListExpr(cur)
        if not rest:
            return lst.replace(key, value)._t  # out of range: unchanged
        inner = apply_path(lst[key]._t, rest, value, upsert)
        in_range = (wrap(key) >= 0) & (wrap(key) < lst.size)
        return Ite(in_range, lst.replace(key, inner), lst)._t
    m = MapExpr(cur)
    if not rest:
        return (m.insert(key, value) if upsert else m.replace(key, value))._t
    has = m.keys.contains(key)
    vsort = cur.sort.value
    if upsert:
        old = m[key]
        if isinstance(vsort, MapSort):  # a missing inner map starts empty
            old = Ite(has, old, MapExpr(T.const(MapValue(()), vsort)))
        return m.insert(key, apply_path(old._t, rest, value, upsert))._t
    inner = apply_path(m[key]._t, rest, value, upsert)
    return Ite(has, m.replace(key, inner), m)._t


# --- expressions that record path writes --------------------------------------------------

def path_expr(t: Term, sink: Sink, path: Path = ()) -> Expr:
    """`t` as an expression whose keyed writes (`e[k] = v`, `e.f = v`, nested) go to `sink`.

    Reads behave as on any expression of t's sort (the path classes subclass them);
    values that are not containers come back as plain expressions.
    """
    cls = _PATH_CLASS.get(type(t.sort))
    if cls is None:
        return wrap(t)
    e = cls(t)
    object.__setattr__(e, "_sink", sink)
    object.__setattr__(e, "_path", path)
    return e


def _below(e: Expr, step: Step, child: Term) -> Expr:
    sink = object.__getattribute__(e, "_sink")
    path = object.__getattribute__(e, "_path")
    return path_expr(child, sink, path + (step,))


def _put(e: Expr, step: Step, value: Term) -> None:
    sink = object.__getattribute__(e, "_sink")
    path = object.__getattribute__(e, "_path")
    sink(path + (step,), value, user_loc(3))


def _tuple_index(t: Term, i: Any) -> int:
    if isinstance(i, Expr):
        if i._t.op != T.CONST:
            raise SpecError("tuple index must be a Python int or a literal")
        i = i._t.data
    if not isinstance(i, int) or isinstance(i, bool):
        raise SpecError(f"tuple index must be an int, got {i!r}")
    n = len(t.sort.elems)
    if not -n <= i < n:
        raise SpecError(f"tuple index {i} out of range for {t.sort}")
    return i % n


class _PathMap(MapExpr):
    __slots__ = ("_sink", "_path")

    def __getitem__(self, k: Any) -> Expr:
        kt = coerce(k, self._t.sort.key, "map key")
        return _below(self, ("key", kt), MapExpr.__getitem__(MapExpr(self._t), kt)._t)

    def __setitem__(self, k: Any, v: Any) -> None:
        kt = coerce(k, self._t.sort.key, "map key")
        _put(self, ("key", kt), coerce(v, self._t.sort.value, "map value"))


class _PathTuple(TupleExpr):
    __slots__ = ("_sink", "_path")

    def __getitem__(self, i: Any) -> Expr:
        i = _tuple_index(self._t, i)
        return _below(self, ("index", i), tget_term(self._t, i))

    def __setitem__(self, i: Any, v: Any) -> None:
        i = _tuple_index(self._t, i)
        _put(self, ("index", i), coerce(v, self._t.sort.elems[i], f"tuple element {i}"))


class _PathList(ListExpr):
    __slots__ = ("_sink", "_path")

    def __getitem__(self, i: Any) -> Expr:
        if isinstance(i, slice):
            return ListExpr.__getitem__(ListExpr(self._t), i)
        it = coerce(i, INT, "list index")
        return _below(self, ("lidx", it), ListExpr.__getitem__(ListExpr(self._t), it)._t)

    def __setitem__(self, i: Any, v: Any) -> None:
        if isinstance(i, slice):
            raise SpecError("assigning to a list slice is not supported", hint="build the list with + and slices")
        it = coerce(i, INT, "list index")
        _put(self, ("lidx", it), coerce(v, self._t.sort.elem, "list element"))


class _PathRecord(RecordExpr):
    __slots__ = ("_sink", "_path")

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_"):
            t = object.__getattribute__(self, "_t")
            if name in t.sort.field_names:
                return _below(self, ("field", name), rget_term(t, name))
        return RecordExpr.__getattribute__(self, name)

    def __getitem__(self, name: str) -> Expr:
        t = object.__getattribute__(self, "_t")
        if not isinstance(name, str) or name not in t.sort.field_names:
            raise SpecError(f"record {t.sort} has no field {name!r}")
        return _below(self, ("field", name), rget_term(t, name))

    def __setattr__(self, name: str, value: Any) -> None:
        t = object.__getattribute__(self, "_t")
        if name not in t.sort.field_names:
            raise SpecError(f"record {t.sort} has no field {name!r}")
        _put(self, ("field", name), coerce(value, t.sort.field_sort(name), f"field {name}"))

    def __setitem__(self, name: str, value: Any) -> None:
        _PathRecord.__setattr__(self, name, value)


_PATH_CLASS = {MapSort: _PathMap, TupleSort: _PathTuple, ListSort: _PathList, RecordSort: _PathRecord}


# --- e.edit() ---------------------------------------------------------------------------

class Editor:
    """`upd = e.edit()`: write `upd[k] = v`, `upd.f = v`, `upd[k].f[k2] = v`, ...; read `upd.result`.

    Writes apply in program order, each on top of the previous ones. Reads through
    `upd` (`upd[k]`, `upd.f`) see the value `e` had when `edit()` was called, as reads
    inside `c.state.editing()` do; `upd.result` is the updated expression (read it
    as often as you like). A record field named `result` is reached as `upd["result"]`.
    """

    __slots__ = ("_root", "_value", "_upsert", "_view")

    def __init__(self, e: Expr, name_prefix: str = "_tmp", replace_only: bool = False):
        t = coerce(e, None, "edited value")
        if type(t.sort) not in _PATH_CLASS:
            raise SpecError(f"edit() works on maps, records, tuples and lists, not on a {t.sort}")
        object.__setattr__(self, "_root", t)
        object.__setattr__(self, "_value", t)
        object.__setattr__(self, "_upsert", not replace_only)
        object.__setattr__(self, "_view", path_expr(t, self._write))

    def _write(self, path: Path, value: Term, loc: Optional[SourceLoc]) -> None:
        cur = object.__getattribute__(self, "_value")
        new = apply_path(cur, path, value, object.__getattribute__(self, "_upsert"))
        object.__setattr__(self, "_value", new)

    @property
    def result(self) -> Expr:
        return wrap(object.__getattribute__(self, "_value"))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(object.__getattribute__(self, "_view"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(object.__getattribute__(self, "_view"), name, value)

    def __getitem__(self, k: Any) -> Any:
        return object.__getattribute__(self, "_view")[k]

    def __setitem__(self, k: Any, v: Any) -> None:
        object.__getattribute__(self, "_view")[k] = v

    def __repr__(self) -> str:
        return f"<edit of {object.__getattribute__(self, '_root')!r}>"


def edit(e: Expr, name_prefix: str = "_tmp", replace_only: bool = False) -> Editor:
    """`e.edit(name_prefix="_tmp", replace_only=False)` (DSL.md section 15).

    `replace_only=False` (the default) lets map writes insert missing keys at every
    level; with `replace_only=True` a write below a missing key is ignored.
    `name_prefix` names temporaries in wunderspec's TLA+ output; here it has no effect.
    """
    return Editor(e, name_prefix, replace_only)
