"""Generic states for proofs: unconstrained values in a shape every reachable state fits.

Induction starts from an arbitrary state, so its encoding must cover every
reachable state. Over finite universes that is automatic. A set or map over an
infinite sort (say `dict[int, PC]`) is encoded with potential elements; a proof
over generic states with a *bounded* number of elements would silently miss
larger states. So we compute the *shape* (the constant keys) of the initial
states and close it under the step: if a step from a generic state of shape S
only ever produces keys in S, every reachable state has shape S and generic
states of shape S are exact. If a step can add a key that is not a constant (an
unbounded collection), no finite shape exists and the proof engines say so
instead of claiming a proof.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Dict, List

import z3

from ..analysis import ranges as R
from ..lang.sorts import (BoolSort, EnumSort, IntSort, MapSort, RecordSort, SetSort, Sort, StrSort, TupleSort)
from ..lang.values import show_value
from .shapes import Universe, fresh_code, sort_code_width
from . import symvals as V
from .symvals import SInts, SMap, SRange, SSet, const_key, is_const, materialize


class UnboundedShape(Exception):
    """A collection can grow without bound: no finite generic state covers the reachable ones."""

    def __init__(self, var: str, why: str):
        self.var = var
        self.why = why
        super().__init__(f"state variable {var!r}: {why}")


# A shape: None for values that need none (scalars, finite universes), a tuple for
# tuples/records, ("range",) for intervals, ("keys", {const_key: (key symval, value shape)}).
Shape = Any


def shape_of(universe: Universe, sort: Sort, v: Any, var: str) -> Shape:
    if isinstance(sort, (BoolSort, IntSort, StrSort, EnumSort)):
        return None
    if isinstance(sort, TupleSort):
        return tuple(shape_of(universe, s, x, var) for s, x in zip(sort.elems, v))
    if isinstance(sort, RecordSort):
        return tuple(shape_of(universe, s, x, var) for (_, s), x in zip(sort.fields, v))
    if isinstance(sort, SetSort):
        if universe.finite_elems(sort.elem) is not None:
            return None
        if isinstance(v, SRange):
            return ("range",)
        if isinstance(v, SInts):
            return ("ints", v.nat)
        keys = {}
        for k, p in materialize(sort, v).slots:
            if p is False:
                continue
            if not is_const(sort.elem, k):
                raise UnboundedShape(var, f"a step adds elements that are not fixed values to a set of {sort.elem}")
            keys[const_key(sort.elem, k)] = (k, None)
        return ("keys", keys)
    if isinstance(sort, MapSort):
        if universe.finite_elems(sort.key) is not None:
            from .symvals import map_lookup
            vals = [shape_of(universe, sort.value, map_lookup(sort, v, u), var)
                    for u in universe.finite_elems(sort.key)]
            return ("finite", tuple(vals))
        keys = {}
        for k, p, x in v.slots:
            if p is False:
                continue
            if not is_const(sort.key, k):
                raise UnboundedShape(var, f"a step adds keys that are not fixed values to a map over {sort.key}")
            keys[const_key(sort.key, k)] = (k, shape_of(universe, sort.value, x, var))
        return ("keys", keys)
    raise UnboundedShape(var, f"values of sort {sort} are not supported by the proof engines yet")


def merge_shapes(a: Shape, b: Shape) -> Shape:
    if a is None or b is None:
        return a if b is None else b
    if isinstance(a, tuple) and a and a[0] == "keys":
        keys = dict(a[1])
        for ck, (k, vs) in b[1].items():
            if ck in keys:
                keys[ck] = (keys[ck][0], merge_shapes(keys[ck][1], vs))
            else:
                keys[ck] = (k, vs)
        return ("keys", keys)
    if isinstance(a, tuple) and a and a[0] == "finite":
        return ("finite", tuple(merge_shapes(x, y) for x, y in zip(a[1], b[1])))
    if isinstance(a, tuple) and a and a[0] in ("range", "ints"):
        return a
    return tuple(merge_shapes(x, y) for x, y in zip(a, b))


def same_shape(a: Shape, b: Shape) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, tuple) and a and a[0] == "keys":
        return isinstance(b, tuple) and b and b[0] == "keys" and set(a[1]) == set(b[1]) and \
            all(same_shape(a[1][k][1], b[1][k][1]) for k in a[1])
    if isinstance(a, tuple) and a and a[0] == "finite":
        return all(same_shape(x, y) for x, y in zip(a[1], b[1]))
    if isinstance(a, tuple) and a and a[0] in ("range", "ints"):
        return a == b
    return all(same_shape(x, y) for x, y in zip(a, b))


@dataclass
class Leaf:
    """One symbol of a generic state, with the name the user knows it by."""

    term: Any
    name: str
    sort: Sort


class GenericBuilder:
    """Builds generic states of given shapes, remembering a readable name for every symbol."""

    def __init__(self, universe: Universe):
        self.u = universe
        self.leaves: List[Leaf] = []
        self.constraints: List[Any] = []

    def _leaf(self, term: Any, name: str, sort: Sort) -> Any:
        self.leaves.append(Leaf(term, name, sort))
        return term

    def value(self, sort: Sort, name: str, shape: Shape, tag: str) -> Any:
        sym = f"{name}{tag}"
        if isinstance(sort, BoolSort):
            return self._leaf(V.bool_symbol(sym), name, sort)
        if isinstance(sort, IntSort):
            return self._leaf(V.int_symbol(sym), name, sort)
        if isinstance(sort, (StrSort, EnumSort)):
            n = len(self.u.strings) if isinstance(sort, StrSort) else len(sort.enum_cls)
            return self._leaf(fresh_code(sym, n, self.constraints, sort_code_width(sort)), name, sort)
        if isinstance(sort, TupleSort):
            shapes = shape if shape is not None else (None,) * len(sort.elems)
            return tuple(self.value(s, f"{name}[{i}]", sh, tag) for i, (s, sh) in enumerate(zip(sort.elems, shapes)))
        if isinstance(sort, RecordSort):
            shapes = shape if shape is not None else (None,) * len(sort.fields)
            return tuple(self.value(s, f"{name}.{n}", sh, tag) for (n, s), sh in zip(sort.fields, shapes))
        if isinstance(sort, SetSort):
            universe = self.u.finite_elems(sort.elem)
            if universe is not None:
                return SSet(tuple((k, self.value(_BOOL, f"{self._show(sort.elem, k)} in {name}", None, tag))
                                  for k in universe), True)
            if shape[0] == "range":
                return SRange(self.value(_INT, f"min({name})", None, tag), self.value(_INT, f"max({name})", None, tag))
            if shape[0] == "ints":
                return SInts(shape[1])
            return SSet(tuple((k, self.value(_BOOL, f"{self._show(sort.elem, k)} in {name}", None, tag))
                              for k, _ in shape[1].values()), True)
        if isinstance(sort, MapSort):
            universe = self.u.finite_elems(sort.key)
            if universe is not None:
                vshapes = shape[1] if shape is not None else (None,) * len(universe)
                return SMap(tuple((k, self.value(_BOOL, f"{self._show(sort.key, k)} in {name}.keys", None, tag),
                                   self.value(sort.value, f"{name}[{self._show(sort.key, k)}]", vs, tag))
                                  for k, vs in zip(universe, vshapes)))
            return SMap(tuple((k, self.value(_BOOL, f"{self._show(sort.key, k)} in {name}.keys", None, tag),
                               self.value(sort.value, f"{name}[{self._show(sort.key, k)}]", vs, tag))
                              for k, vs in shape[1].values()))
        raise UnboundedShape(name, f"values of sort {sort} are not supported by the proof engines yet")

    def _show(self, sort: Sort, k: Any) -> str:
        try:
            return show_value(self.u.decode(sort, k, _EMPTY_MODEL()))
        except Exception:  # pragma: no cover - a key we cannot print
            return str(k)


_empty_model: List[z3.ModelRef] = []


def _EMPTY_MODEL() -> z3.ModelRef:
    """A model of nothing, to decode constant keys with (made once: a solver call per key cost
    a third of the proof engines' set-up on Bakery)."""
    if not _empty_model:
        s = z3.Solver()
        s.check()
        _empty_model.append(s.model())
    return _empty_model[0]


from ..lang.sorts import BOOL as _BOOL, INT as _INT  # noqa: E402


def closed_shapes(universe: Universe, schema, init_values: Dict[str, Any], step_from) -> Dict[str, Shape]:
    """Shapes of the state variables that the step preserves, starting from the initial states.

    `step_from(state)` encodes the step from a (generic) state and returns the next values.
    Raises UnboundedShape when some collection keeps growing.
    """
    shapes = {d.name: shape_of(universe, d.sort, init_values[d.name], d.name) for d in schema.vars}
    for round_ in range(16):
        gb = GenericBuilder(universe)
        state = {d.name: gb.value(d.sort, d.name, shapes[d.name], f"@shape{round_}") for d in schema.vars}
        nexts = step_from(state)
        grown = {d.name: merge_shapes(shapes[d.name], shape_of(universe, d.sort, nexts[d.name], d.name))
                 for d in schema.vars}
        if all(same_shape(grown[n], shapes[n]) for n in shapes):
            return shapes
        shapes = grown
    bad = [n for n in shapes]
    raise UnboundedShape(bad[0], "its set of keys keeps growing from step to step")


MAX_BOUNDED_KEYS = 1024  # most constant slots one collection of a bounded shape may get


def bounded_shapes(universe: Universe, schema, bounds: Dict[str, Any]) -> Dict[str, Shape]:
    """Shapes that hold every reachable state, from the all-depth abstract state `bounds`.

    `closed_shapes` needs a step to add only constant keys; a step that adds a
    symbolic one (`sent | {i}` with `i` picked from 1..N) defeats it, although
    the analysis of analysis/ranges.py knows that `i` is always in 1..N. Every
    reachable set then fits the N constant slots, so the generic state is exact.
    Raises UnboundedShape when some collection's keys are not bounded that way.
    """
    return {d.name: _shape_within(universe, d.sort, bounds.get(d.name), d.name) for d in schema.vars}


def _shape_within(universe: Universe, sort: Sort, a: Any, var: str) -> Shape:
    if isinstance(sort, (BoolSort, IntSort, StrSort, EnumSort)):
        return None
    if isinstance(sort, (TupleSort, RecordSort)):
        subs = sort.elems if isinstance(sort, TupleSort) else [s for _, s in sort.fields]
        parts = a.parts if isinstance(a, R.Prod) else (a,) * len(subs)
        return tuple(_shape_within(universe, s, x, var) for s, x in zip(subs, parts))
    if isinstance(sort, SetSort):
        if universe.finite_elems(sort.elem) is not None:
            return None
        elem = a.elem if isinstance(a, R.SetAbs) else a
        return ("keys", {const_key(sort.elem, k): (k, None) for k in _keys_within(universe, sort.elem, elem, var)})
    if isinstance(sort, MapSort):
        val = a.val if isinstance(a, R.MapAbs) else a
        if universe.finite_elems(sort.key) is not None:
            return ("finite", tuple(_shape_within(universe, sort.value, val, var)
                                    for _ in universe.finite_elems(sort.key)))
        key = a.key if isinstance(a, R.MapAbs) else a
        inner = _shape_within(universe, sort.value, val, var)
        return ("keys", {const_key(sort.key, k): (k, inner) for k in _keys_within(universe, sort.key, key, var)})
    raise UnboundedShape(var, f"values of sort {sort} are not supported by the proof engines yet")


def _keys_within(universe: Universe, sort: Sort, a: Any, var: str) -> List[Any]:
    """Every constant of `sort` that the abstract value `a` allows, in value order."""
    if a is R.BOT:
        return []
    finite = universe.finite_elems(sort)
    if finite is not None:
        return finite
    if isinstance(sort, IntSort) and isinstance(a, R.Itv) and a.lo is not None and a.hi is not None \
            and a.hi - a.lo < MAX_BOUNDED_KEYS:
        return list(range(a.lo, a.hi + 1))
    if isinstance(sort, (TupleSort, RecordSort)) and isinstance(a, R.Prod):
        subs = sort.elems if isinstance(sort, TupleSort) else [s for _, s in sort.fields]
        parts = [_keys_within(universe, s, x, var) for s, x in zip(subs, a.parts)]
        size = 1
        for p in parts:
            size *= len(p)
        if size <= MAX_BOUNDED_KEYS:
            return [tuple(c) for c in itertools.product(*parts)]
    raise UnboundedShape(var, f"no small bound on the {sort} values it holds")


def bind_generic(universe: Universe, sort: Sort, g: Any, value: Any) -> Any:
    """The generic value g equals value (whose keys lie in g's shape), absent entries at their default.

    Entries of absent keys are pinned to a default so that two generic states that
    mean the same value are also equal symbol by symbol (k-induction's simple-path
    constraint relies on it).
    """
    if isinstance(sort, (BoolSort, IntSort)):
        return _eq(g, value)
    if isinstance(sort, (StrSort, EnumSort)):
        return V.zb(V.c_eq(sort, g, value))
    if isinstance(sort, TupleSort):
        return z3.And([bind_generic(universe, s, x, y) for s, x, y in zip(sort.elems, g, value)] or [True])
    if isinstance(sort, RecordSort):
        return z3.And([bind_generic(universe, s, x, y) for (_, s), x, y in zip(sort.fields, g, value)] or [True])
    if isinstance(sort, SetSort):
        if isinstance(g, SRange):
            return z3.And(_eq(g.lo, value.lo), _eq(g.hi, value.hi))
        if isinstance(g, SInts):
            return z3.BoolVal(True)
        return z3.And([_eq(p, V.member(sort, k, value)) for k, p in g.slots] or [True])
    if isinstance(sort, MapSort):
        parts = []
        for k, p, v in g.slots:
            has = V.map_has(sort, value, k)
            parts.append(_eq(p, has))
            parts.append(bind_generic(universe, sort.value, v,
                                      V.ite(sort.value, has, V.map_lookup(sort, value, k), V.default_value(sort.value))))
        return z3.And(parts or [True])
    raise UnboundedShape("?", f"values of sort {sort} are not supported by the proof engines yet")


def canonical(universe: Universe, sort: Sort, g: Any) -> List[Any]:
    """Constraints pinning the entries of absent keys of a generic value to their defaults."""
    out: List[Any] = []
    if isinstance(sort, TupleSort):
        for s, x in zip(sort.elems, g):
            out += canonical(universe, s, x)
    elif isinstance(sort, RecordSort):
        for (_, s), x in zip(sort.fields, g):
            out += canonical(universe, s, x)
    elif isinstance(sort, MapSort):
        for k, p, v in g.slots:
            out.append(z3.Implies(V.zb(p), z3.And(canonical(universe, sort.value, v) or [True])))
            out.append(z3.Implies(z3.Not(V.zb(p)),
                                  bind_generic(universe, sort.value, v, V.default_value(sort.value))))
    return out


def _eq(a: Any, b: Any) -> Any:
    if isinstance(a, bool) or isinstance(b, bool):
        return V.zb(a) == V.zb(b)
    return V.zi(a) == V.zi(b)


def state_leaves(gb: GenericBuilder) -> List[Any]:
    return [leaf.term for leaf in gb.leaves]


def distinct_states(a: List[Any], b: List[Any]) -> Any:
    """Two generic states (as leaf lists of the same shape) differ somewhere."""
    return z3.Or([x != y for x, y in zip(a, b)]) if a else z3.BoolVal(False)

