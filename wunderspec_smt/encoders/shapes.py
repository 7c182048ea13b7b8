"""Constants, fresh state symbols and decoding: the bridge between values and Z3.

The *universe* fixes the finite value sets of the instance (string literals,
enum members, and products of those), so a set over such a sort becomes one
presence bit per possible element. A state variable's symbols at step i+1 take
the *shape* of the value the step computes (the constant keys of a map with a
constant domain stay constants), so the encoding has the same shape at every
step whenever the spec allows it.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable, Dict, List, Optional

import z3

from ..errors import SpecError
from ..lang import terms as T
from ..lang.sorts import (BoolSort, EnumSort, IntSort, ListSort, MapSort, RecordSort, SetSort, Sort, StrSort,
                          TupleSort, UnionSort)
from ..lang.values import ListValue, MapValue, RecordValue, VariantValue, enum_index, enum_members, value_key
from ..solvers.model_values import ModelValues, model_values
from ..solvers.z3capi import is_symbol
from .symvals import (SFunSet, SInts, SList, SMap, SPowerset, SProduct, SRange, SSet, SVariant, b_implies,
                      b_ite, b_and, b_not, bool_symbol, bv_symbol, default_value, eq,
                      int_symbol, map_has, map_lookup, materialize, member, members, c_eq, code_width, s_eq,
                      sort_code_width, zb, ite, make_distinct, _components)

FINITE_UNIVERSE_LIMIT = 4096
GENERIC_CAPACITY = 4  # potential elements of a generic set/map over an infinite sort, slots of a generic list


class Universe:
    """Finite value sets of one instance, and constant encoding/decoding of values."""

    def __init__(self, strings: List[str]):
        self.strings = sorted(set(strings))
        self.str_code = {s: i for i, s in enumerate(self.strings)}
        self._finite_cache: Dict[Sort, Optional[list]] = {}
        self._decoders: Dict[Sort, Callable[[Any, ModelValues], Any]] = {}
        self._names = itertools.count()

    # --- constants -------------------------------------------------------------------
    def const(self, sort: Sort, v: Any) -> Any:
        if isinstance(sort, BoolSort):
            return bool(v)
        if isinstance(sort, IntSort):
            return int(v)
        if isinstance(sort, StrSort):
            code = self.str_code.get(v)
            if code is None:
                raise SpecError(f"string {v!r} is not among the literals of the spec")  # pragma: no cover
            return code
        if isinstance(sort, EnumSort):
            return enum_index(v)
        if isinstance(sort, TupleSort):
            return tuple(self.const(s, x) for s, x in zip(sort.elems, v))
        if isinstance(sort, RecordSort):
            return tuple(self.const(s, getattr(v, n)) for n, s in sort.fields)
        # elements in value order, never in hash order: string hashes change from run to run, and the
        # order of terms changes Z3's search (bcast_folklore: 11 s to 19 s between two runs)
        if isinstance(sort, SetSort):
            return SSet(tuple((self.const(sort.elem, x), True) for x in sorted(v, key=value_key)), True)
        if isinstance(sort, MapSort):
            return SMap(tuple((self.const(sort.key, k), True, self.const(sort.value, v[k]))
                              for k in sorted(v, key=value_key)))
        if isinstance(sort, ListSort):
            return SList(len(v), tuple(self.const(sort.elem, x) for x in v))
        if isinstance(sort, UnionSort):
            i = sort.index(v.tag)
            return SVariant(i, tuple(None if ps is None else self.const(ps, v.payload) if j == i else default_value(ps)
                                     for j, (_, ps) in enumerate(sort.variants)))
        raise SpecError(f"constants of sort {sort} are not supported yet")

    # --- finite universes -------------------------------------------------------------
    def finite_elems(self, sort: Sort) -> Optional[list]:
        """All constant symbolic values of a finite sort, or None if infinite or too many."""
        if sort in self._finite_cache:
            return self._finite_cache[sort]
        r = self._finite(sort)
        if r is not None and len(r) > FINITE_UNIVERSE_LIMIT:
            r = None
        self._finite_cache[sort] = r
        return r

    def _finite(self, sort: Sort) -> Optional[list]:
        if isinstance(sort, BoolSort):
            return [False, True]
        if isinstance(sort, StrSort):
            return list(range(len(self.strings)))
        if isinstance(sort, EnumSort):
            return list(range(len(sort.enum_cls)))
        if isinstance(sort, (TupleSort, RecordSort)):
            subs = sort.elems if isinstance(sort, TupleSort) else [s for _, s in sort.fields]
            parts = [self.finite_elems(s) for s in subs]
            if any(p is None for p in parts):
                return None
            size = 1
            for p in parts:
                size *= len(p)
            if size > FINITE_UNIVERSE_LIMIT:
                return None
            return [tuple(c) for c in itertools.product(*parts)]
        if isinstance(sort, UnionSort):
            out = []
            defaults = tuple(None if ps is None else default_value(ps) for _, ps in sort.variants)
            for i, (_, ps) in enumerate(sort.variants):
                if ps is None:
                    out.append(SVariant(i, defaults))
                    continue
                elems = self.finite_elems(ps)
                if elems is None:
                    return None
                out.extend(SVariant(i, defaults[:i] + (e,) + defaults[i + 1:]) for e in elems)
                if len(out) > FINITE_UNIVERSE_LIMIT:
                    return None
            return out
        return None

    # --- fresh symbols ----------------------------------------------------------------
    def generic(self, sort: Sort, name: str, constraints: list, capacity: int = GENERIC_CAPACITY) -> Any:
        """An unconstrained value of the sort: a "generic" state for the proof engines.

        Sets and maps over infinite element sorts get `capacity` potential elements
        whose present keys are pairwise distinct; over finite universes they are exact.
        """
        return self.fresh(sort, name, None, constraints, capacity)

    def fresh(self, sort: Sort, name: str, template: Any, constraints: list, capacity: int = 0) -> Any:
        """Symbols shaped like `template` (a value of the same sort), with their domain constraints.

        Leaves of the template that are constants or plain symbols are kept as
        they are (a state that keeps a value, or gets a constant, needs no new
        symbol); other leaves get fresh symbols, to be tied to the template by
        `bind`. Without a template every leaf is fresh: a generic state.
        """
        if isinstance(sort, BoolSort):
            return template if _reusable(template) else bool_symbol(name)
        if isinstance(sort, IntSort):
            return template if _reusable(template) else int_symbol(name)
        if isinstance(sort, (StrSort, EnumSort)):
            if _reusable(template):
                return template
            n = len(self.strings) if isinstance(sort, StrSort) else len(sort.enum_cls)
            return fresh_code(name, n, constraints, sort_code_width(sort))
        if isinstance(sort, (TupleSort, RecordSort)):
            subs = sort.elems if isinstance(sort, TupleSort) else [s for _, s in sort.fields]
            names = range(len(subs)) if isinstance(sort, TupleSort) else sort.field_names
            tmpl = template if template is not None else (None,) * len(subs)
            return tuple(self.fresh(s, f"{name}.{n}", t, constraints, capacity) for s, n, t in zip(subs, names, tmpl))
        if isinstance(sort, SetSort):
            universe = self.finite_elems(sort.elem)
            if universe is not None:
                present = members(sort, universe, template) if template is not None else [None] * len(universe)
                return SSet(tuple((u, self.fresh(T_BOOL, f"{name}[{i}]", p, constraints, capacity))
                                  for i, (u, p) in enumerate(zip(universe, present))), True)
            if isinstance(template, SRange):
                return SRange(self.fresh(T_INT, f"{name}.lo", template.lo, constraints),
                              self.fresh(T_INT, f"{name}.hi", template.hi, constraints))
            if isinstance(template, SInts):
                return template
            if template is None:
                slots = tuple((self.fresh(sort.elem, f"{name}#k{i}", None, constraints, capacity),
                               bool_symbol(f"{name}#p{i}")) for i in range(capacity))
                constraints.extend(_distinct_present(sort.elem, [(k, p) for k, p in slots]))
                return SSet(slots, True)
            tm = materialize(sort, template)
            slots = []
            for i, (k, p) in enumerate(tm.slots):
                slots.append((self.fresh(sort.elem, f"{name}#k{i}", k, constraints),
                               self.fresh(T_BOOL, f"{name}#p{i}", p, constraints)))
            return SSet(tuple(slots), tm.distinct)
        if isinstance(sort, MapSort):
            universe = self.finite_elems(sort.key)
            if universe is not None:
                slots = []
                for i, u in enumerate(universe):
                    tp = map_has(sort, template, u) if template is not None else None
                    tv = map_lookup(sort, template, u) if template is not None else None
                    slots.append((u, self.fresh(T_BOOL, f"{name}[{i}]?", tp, constraints),
                                  self.fresh(sort.value, f"{name}[{i}]", tv, constraints, capacity)))
                return SMap(tuple(slots))
            if template is None:
                mslots = tuple((self.fresh(sort.key, f"{name}#k{i}", None, constraints, capacity),
                                bool_symbol(f"{name}#p{i}"),
                                self.fresh(sort.value, f"{name}#v{i}", None, constraints, capacity))
                               for i in range(capacity))
                constraints.extend(_distinct_present(sort.key, [(k, p) for k, p, _ in mslots]))
                return SMap(mslots)
            slots = []
            for i, (k, p, v) in enumerate(template.slots):
                slots.append((self.fresh(sort.key, f"{name}#k{i}", k, constraints),
                              self.fresh(T_BOOL, f"{name}#p{i}", p, constraints),
                              self.fresh(sort.value, f"{name}#v{i}", v, constraints)))
            return SMap(tuple(slots))
        if isinstance(sort, ListSort):
            # a list state keeps the capacity of the value it is bound to (generic: `capacity` slots)
            if template is None:
                length = int_symbol(f"{name}.len")
                constraints.extend([length >= 0, length <= capacity])
                return SList(length, tuple(self.fresh(sort.elem, f"{name}[{i}]", None, constraints, capacity)
                                           for i in range(capacity)))
            length = self.fresh(T_INT, f"{name}.len", template.length, constraints)
            return SList(length, tuple(self.fresh(sort.elem, f"{name}[{i}]", x, constraints)
                                       for i, x in enumerate(template.slots)))
        if isinstance(sort, UnionSort):
            tmpl_tag = template.tag if template is not None else None
            tag = tmpl_tag if _reusable(tmpl_tag) else fresh_code(f"{name}.tag", len(sort.variants), constraints,
                                                                  sort_code_width(sort))
            payloads = tuple(None if ps is None else
                             self.fresh(ps, f"{name}.{t}", template.payloads[i] if template is not None else None,
                                        constraints, capacity)
                             for i, (t, ps) in enumerate(sort.variants))
            return SVariant(tag, payloads)
        raise SpecError(f"state variables of sort {sort} are not supported yet")

    def element_of(self, set_sort: SetSort, dom: Any, name: str, constraints: list) -> tuple:
        """A free value ranging over the set value `dom`: (value, condition for it to be in dom).

        Never enumerates the domain: a subset of AllSubsets(S) is a presence bit per
        potential element of S, a map of AllMaps(K, V) has K's slots as keys and
        values ranging over V, a record/tuple of AllRecords/AllTuples ranges per
        field; an element of a set of collections is an index into its slots. The
        condition is False when dom is empty. Range constraints of new codes go to
        `constraints`.
        """
        es = set_sort.elem
        if isinstance(dom, SPowerset):
            base = materialize(es, dom.base)
            slots = tuple((k, b_and(p, bool_symbol(f"{name}[{i}]"))) for i, (k, p) in enumerate(base.slots))
            return SSet(slots, base.distinct), True
        if isinstance(dom, SFunSet):
            ks = materialize(SetSort(es.key), dom.keys)
            if not ks.distinct:
                ks = make_distinct(SetSort(es.key), ks)
            slots, conds = [], []
            for i, (k, p) in enumerate(ks.slots):
                v, c = self.element_of(SetSort(es.value), dom.values, f"{name}[{i}]", constraints)
                slots.append((k, p, v))
                conds.append(b_implies(p, c))
            return SMap(tuple(slots)), b_and(*conds)
        if isinstance(dom, SProduct):
            comps = [self.element_of(SetSort(cs), part, f"{name}.{i}", constraints)
                     for i, (cs, part) in enumerate(zip(_components(es), dom.parts))]
            return tuple(v for v, _ in comps), b_and(*(c for _, c in comps))
        if isinstance(dom, (SInts, SRange)) or not _has_collection(es):
            v = self.fresh(es, name, None, constraints)
            return v, member(set_sort, v, dom)
        # collections as (parts of) elements: an index into the domain's slots, so the value has
        # their shape (a fresh value of the sort would have no room for the collections' elements)
        slots = materialize(set_sort, dom).slots
        if not slots:
            return default_value(es), False
        idx = fresh_code(f"{name}#idx", len(slots), constraints)
        value, present = slots[-1]
        for j in range(len(slots) - 2, -1, -1):
            value = ite(es, idx == j, slots[j][0], value)
            present = b_ite(idx == j, slots[j][1], present)
        return value, present

    def bind(self, sort: Sort, fresh: Any, value: Any) -> Any:
        """fresh == value, leaf by leaf (`fresh` was made from `value` by `fresh`, so the shapes line up)."""
        if isinstance(sort, (BoolSort, IntSort)):
            return _leaf_eq(fresh, value)
        if isinstance(sort, (StrSort, EnumSort)):
            return True if fresh is value else c_eq(sort, fresh, value)
        if isinstance(sort, TupleSort):
            return b_and(*(self.bind(s, f, v) for s, f, v in zip(sort.elems, fresh, value)))
        if isinstance(sort, RecordSort):
            return b_and(*(self.bind(s, f, v) for (_, s), f, v in zip(sort.fields, fresh, value)))
        if isinstance(sort, SetSort):
            if isinstance(fresh, SRange):
                return b_and(_leaf_eq(fresh.lo, value.lo), _leaf_eq(fresh.hi, value.hi))
            if isinstance(fresh, SInts):
                return True
            if self.finite_elems(sort.elem) is not None:
                present = members(sort, [k for k, _ in fresh.slots], value)
                return b_and(*(_leaf_eq(p, q) for (_, p), q in zip(fresh.slots, present)))
            vm = materialize(sort, value)
            return b_and(*(b_and(self.bind(sort.elem, fk, vk), _leaf_eq(fp, vp))
                           for (fk, fp), (vk, vp) in zip(fresh.slots, vm.slots)))
        if isinstance(sort, MapSort):
            if self.finite_elems(sort.key) is not None:
                return b_and(*(b_and(_leaf_eq(p, map_has(sort, value, k)),
                                     self.bind(sort.value, v, map_lookup(sort, value, k)))
                               for k, p, v in fresh.slots))
            return b_and(*(b_and(self.bind(sort.key, fk, vk), _leaf_eq(fp, vp), self.bind(sort.value, fv, vv))
                           for (fk, fp, fv), (vk, vp, vv) in zip(fresh.slots, value.slots)))
        if isinstance(sort, ListSort):
            return b_and(_leaf_eq(fresh.length, value.length),
                         *(self.bind(sort.elem, f, v) for f, v in zip(fresh.slots, value.slots)))
        if isinstance(sort, UnionSort):
            tag = True if fresh.tag is value.tag else c_eq(sort, fresh.tag, value.tag)
            return b_and(tag, *(self.bind(ps, f, v) for (_, ps), f, v in zip(sort.variants, fresh.payloads,
                                                                              value.payloads) if ps is not None))
        raise SpecError(f"state variables of sort {sort} are not supported yet")

    # --- decoding ----------------------------------------------------------------------
    def decode(self, sort: Sort, v: Any, model: Any) -> Any:
        """The value `v` (an encoding of `sort`) has in `model`: a z3 model, or ModelValues
        over one (decoding a whole trace through one ModelValues shares its cache)."""
        return self.decoder(sort)(v, model_values(model))

    def decoder(self, sort: Sort) -> Callable[[Any, ModelValues], Any]:
        """A function from an encoding of `sort` and a model to its value, made once per sort: a
        trace's decoding asks this of every slot of every state, and telling the sort apart each
        time was a third of it (Hanoi's 31-step witness)."""
        d = self._decoders.get(sort)
        if d is None:
            d = self._decoders[sort] = self._make_decoder(sort)
        return d

    def _make_decoder(self, sort: Sort) -> Callable[[Any, ModelValues], Any]:  # noqa: C901 - one case per sort
        if isinstance(sort, BoolSort):
            return lambda v, m: m.boolean(v)
        if isinstance(sort, IntSort):
            return lambda v, m: m.integer(v)
        if isinstance(sort, StrSort):
            strings = self.strings

            def string(v: Any, m: ModelValues) -> str:
                code = m.code(v)
                return strings[code] if 0 <= code < len(strings) else f"<str#{code}>"
            return string
        if isinstance(sort, EnumSort):
            members = enum_members(sort.enum_cls)

            def member(v: Any, m: ModelValues) -> Any:
                code = m.code(v)
                return members[code] if 0 <= code < len(members) else members[0]
            return member
        if isinstance(sort, TupleSort):
            parts = [self.decoder(s) for s in sort.elems]
            return lambda v, m: tuple(d(x, m) for d, x in zip(parts, v))
        if isinstance(sort, RecordSort):
            fields = [(n, self.decoder(s)) for n, s in sort.fields]
            return lambda v, m: RecordValue({n: d(x, m) for (n, d), x in zip(fields, v)}, sort.name)
        if isinstance(sort, SetSort):
            elem = self.decoder(sort.elem)

            def finite_set(v: Any, m: ModelValues) -> frozenset:
                if isinstance(v, SRange):
                    lo, hi = m.integer(v.lo), m.integer(v.hi)
                    if hi - lo > 100_000:
                        raise SpecError(f"a state holds the interval {lo}..{hi}, too large to print")
                    return frozenset(range(lo, hi + 1))
                if isinstance(v, SInts):
                    raise SpecError("a state holds the infinite set Ints, which cannot be printed")
                if isinstance(v, SProduct):
                    v = materialize(sort, v)
                return frozenset(elem(k, m) for k, p in v.slots if m.boolean(p))
            return finite_set
        if isinstance(sort, MapSort):
            key, value = self.decoder(sort.key), self.decoder(sort.value)
            return lambda v, m: MapValue({key(k, m): value(x, m) for k, p, x in v.slots if m.boolean(p)})
        if isinstance(sort, ListSort):
            elem = self.decoder(sort.elem)

            def finite_list(v: Any, m: ModelValues) -> ListValue:
                n = m.integer(v.length)
                if not 0 <= n <= len(v.slots):  # pragma: no cover - the encoding keeps the length in range
                    raise SpecError(f"internal: a list of capacity {len(v.slots)} has length {n}")
                return ListValue(elem(x, m) for x in v.slots[:n])
            return finite_list
        if isinstance(sort, UnionSort):
            payloads = [None if ps is None else self.decoder(ps) for _, ps in sort.variants]

            def variant(v: Any, m: ModelValues) -> VariantValue:
                i = m.code(v.tag)
                i = i if 0 <= i < len(sort.variants) else 0
                d = payloads[i]
                return VariantValue(sort.variants[i][0], None if d is None else d(v.payloads[i], m), sort.name)
            return variant
        raise SpecError(f"values of sort {sort} are not supported yet")


from ..lang.sorts import BOOL as T_BOOL, INT as T_INT  # noqa: E402


def _has_collection(sort: Sort) -> bool:
    if isinstance(sort, (SetSort, MapSort, ListSort)):
        return True
    if isinstance(sort, TupleSort):
        return any(_has_collection(e) for e in sort.elems)
    if isinstance(sort, RecordSort):
        return any(_has_collection(s) for _, s in sort.fields)
    if isinstance(sort, UnionSort):
        return any(ps is not None and _has_collection(ps) for _, ps in sort.variants)
    return False


def _distinct_present(sort: Sort, slots: list) -> list:
    """Present potential elements hold different values (what `SSet.distinct` promises)."""
    out = []
    for i in range(len(slots)):
        for j in range(i + 1, len(slots)):
            (ki, pi), (kj, pj) = slots[i], slots[j]
            out.append(z3.Implies(z3.And(zb(pi), zb(pj)), zb(b_not(eq(sort, ki, kj)))))
    return out


def _reusable(template: Any) -> bool:
    """A leaf that needs no fresh symbol: a constant, or already a plain symbol."""
    if template is None:
        return False
    if isinstance(template, (bool, int)):
        return True
    return is_symbol(template)


def _leaf_eq(fresh: Any, value: Any) -> Any:
    if fresh is value:
        return True
    if isinstance(fresh, (bool, int)) and isinstance(value, (bool, int)):
        return fresh == value
    if isinstance(fresh, bool) or isinstance(value, bool):
        return zb(fresh) == zb(value)
    return s_eq(fresh, value)


def fresh_code(name: str, n: int, constraints: list, width: Optional[int] = None) -> Any:
    """A value among n alternatives (enum member, string, branch): a bit-vector the SAT core handles directly."""
    w = width if width is not None else code_width(n)
    v = bv_symbol(name, w)
    if n < 2 ** w:
        constraints.append(z3.ULT(v, n))
    return v


def collect_strings(model) -> List[str]:
    """Every string literal in the instance: the universe of the str sort."""
    from ..ir import iter_terms
    out: set = set()

    def from_value(v: Any) -> None:
        if isinstance(v, str):
            out.add(v)
        elif isinstance(v, (frozenset, tuple)):
            for x in v:
                from_value(x)
        elif isinstance(v, MapValue):
            for k, x in v.items():
                from_value(k)
                from_value(x)
        elif isinstance(v, RecordValue):
            for _, x in v.items():
                from_value(x)
        elif isinstance(v, VariantValue):
            from_value(v.tag)
            from_value(v.payload)

    roots = list(iter_terms(model.init.root)) + list(iter_terms(model.step.root))
    roots += [p.term for p in model.properties.values()]
    seen: set = set()
    stack = list(roots)
    while stack:
        t = stack.pop()
        if t.uid in seen:
            continue
        seen.add(t.uid)
        if t.op == T.CONST:
            from_value(t.data)
        elif t.op == T.UTAG:  # the tag of a union value is a string: all its tags are in the universe
            out.update(t.args[0].sort.tags)
        stack.extend(t.args)
    for v in model.params.values():
        from_value(v)
    return sorted(out)
