"""Encode terms into symbolic values, and their definedness conditions.

`TermEncoder.value(t)` gives t's symbolic value; `TermEncoder.undefined(t)` gives
the condition under which evaluating t hits a partial operation outside its
domain, following the interpreter's evaluation order (And/Or/Implies/Ite are
lazy, everything else strict), so that symbolic and concrete agree on errors.
"""
from __future__ import annotations

import contextlib
import time
from contextvars import ContextVar
from typing import Any, Dict, Iterator, Optional

import z3

from ..errors import SpecError
from ..lang import terms as T
from ..lang.sorts import SetSort
from ..lang.terms import Term
from ..lang.values import value_key
from . import symvals as V
from .shapes import Universe


class EncodingDeadline(Exception):
    """Encoding ran past the deadline set with `encoding_deadline` (an optional search gives up)."""


_DEADLINE: ContextVar[Optional[float]] = ContextVar("encoding_deadline", default=None)


@contextlib.contextmanager
def encoding_deadline(at: Optional[float]) -> Iterator[None]:
    """Raise EncodingDeadline from encodings that are still running at `at` (time.perf_counter()).

    Why: a quantifier nested over a large generic set costs quadratic Python work (Paxos'
    proposal rule over 270 potential promises: 18 s for one step), and an optional search such
    as the lemma pass must not spend more than its budget on it. Checked at every binder."""
    token = _DEADLINE.set(at)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


class TermEncoder:
    """Encodes terms under one environment (one step's pre-state, picks and bindings)."""

    def __init__(self, universe: Universe, env: Dict[Term, Any]):
        self.u = universe
        self.env = env
        self._memo: Dict[int, Any] = {}
        self._undef_memo: Dict[int, Any] = {}
        self._reduce_memo: Dict[int, Any] = {}
        self._pol_memo: Dict[tuple, Any] = {}
        self._members: Dict[tuple, Any] = {}   # V.member's answers for symbolic elements

    # --- values ------------------------------------------------------------------------
    def value(self, t: Term, polarity: Optional[bool] = None) -> Any:
        """t's symbolic value. `polarity` says how a Boolean t is used: True when the caller
        asserts it (a guard, an example), False when it asserts its negation (an invariant to
        violate), None otherwise. Only a quantifier over a set that is never enumerated
        (AllSubsets, AllMaps, Ints, ...) needs it: Exists used positively and Forall used
        negatively become one fresh witness; anywhere else such a quantifier is refused."""
        try:
            if polarity is not None and _needs_polarity(t):
                key = (t.uid, polarity)
                if not t.fv:
                    hit = self._pol_memo.get(key, _MISSING)
                    if hit is not _MISSING:
                        return hit
                v = self._value(t, polarity)
                if not t.fv:
                    self._pol_memo[key] = v
                return v
            if not t.fv:
                hit = self._memo.get(t.uid, _MISSING)
                if hit is not _MISSING:
                    return hit
                v = self._value(t)
                self._memo[t.uid] = v
                return v
            return self._value(t)
        except SpecError as e:
            _locate(e, t)
            raise

    def _bind(self, bv: Term, x: Any, body: Term, fn):
        old = self.env.get(bv, _MISSING)
        self.env[bv] = x
        try:
            return fn(body)
        finally:
            if old is _MISSING:
                del self.env[bv]
            else:
                self.env[bv] = old

    def _slots(self, dom: Term):
        return V.materialize(dom.sort, self.value(dom)).slots

    def _value(self, t: Term, pol: Optional[bool] = None) -> Any:  # noqa: C901 - one case per operator
        op, a = t.op, t.args
        val = self.value
        if op == T.CONST:
            return self.u.const(t.sort, t.data)
        if op in (T.SVAR, T.PICK, T.BVAR, T.FREE):
            try:
                return self.env[t]
            except KeyError:
                raise SpecError(f"internal: no symbolic value for `{t}`") from None
        if op == T.INTS:
            return V.SInts(t.data == "nat")
        if op == T.EQ:
            return V.eq(a[0].sort, val(a[0]), val(a[1]))
        if op == T.ITE:
            return V.ite(t.sort, val(a[0]), val(a[1]), val(a[2]))
        if op == T.AND:
            return V.b_and(*(val(x, pol) for x in a))
        if op == T.OR:
            return V.b_or(*(val(x, pol) for x in a))
        if op == T.NOT:
            return V.b_not(val(a[0], _flip(pol)))
        if op == T.IMPLIES:
            return V.b_implies(val(a[0], _flip(pol)), val(a[1], pol))
        if op in _ARITH:
            x, y = val(a[0]), val(a[1])
            if isinstance(x, int) and isinstance(y, int):
                return _ARITH[op](x, y)
            return _ARITH[op](V.zi(x), V.zi(y))
        if op == T.NEG:
            x = val(a[0])
            return -x if isinstance(x, int) else -x
        if op == T.DIV:
            return _py_divmod(val(a[0]), val(a[1]))[0]
        if op == T.MOD:
            return _py_divmod(val(a[0]), val(a[1]))[1]
        if op == T.POW:
            return _pow(val(a[0]), val(a[1]), t)
        if op == T.LT:
            return V.s_lt(val(a[0]), val(a[1]))
        if op == T.LE:
            return V.s_le(val(a[0]), val(a[1]))
        if op == T.TUPLE or op == T.RECORD:
            return tuple(val(x) for x in a)
        if op == T.TGET:
            return val(a[0])[t.data]
        if op == T.TREPLACE:
            tup = list(val(a[0]))
            tup[t.data] = val(a[1])
            return tuple(tup)
        if op == T.RGET:
            return val(a[0])[a[0].sort.field_names.index(t.data)]
        if op == T.RREPLACE:
            rec = list(val(a[0]))
            names = a[0].sort.field_names
            for f, x in zip(t.data, a[1:]):
                rec[names.index(f)] = val(x)
            return tuple(rec)
        if op == T.SETLIT:
            return V.set_from_slots(t.sort, [(val(x), True) for x in a])
        if op == T.INTERVAL:
            lo, hi = val(a[0]), val(a[1])
            if isinstance(lo, int) and isinstance(hi, int) and hi - lo < 64:
                return V.materialize(t.sort, V.SRange(lo, hi))
            return V.SRange(lo, hi)
        if op == T.UNION:
            return V.set_union(t.sort, val(a[0]), val(a[1]))
        if op == T.INTER:
            return V.set_inter(t.sort, val(a[0]), val(a[1]))
        if op == T.DIFF:
            return V.set_diff(t.sort, val(a[0]), val(a[1]))
        if op == T.SUBSETEQ:
            return V.set_subseteq(a[0].sort, val(a[0]), val(a[1]), self._members)
        if op == T.IN:
            return V.member(a[1].sort, val(a[0]), val(a[1]), self._members)
        if op == T.CARD:
            return V.set_card(a[0].sort, val(a[0]))
        if op == T.LFILTER:
            lst = val(a[0])
            keep = [V.b_and(V.s_lt(j, lst.length), self._bind(a[1], x, a[2], self.value))
                    for j, x in enumerate(lst.slots)]
            return V.list_compact(t.sort, lst, keep)
        if op == T.CHOOSE:
            return self._choose(t)[0]
        if op in T.BINDER_OPS:
            return self._binder_value(t, pol)
        if op in T.REDUCE_OPS:
            return self._reduce_steps(t)[1]
        if op == T.FLATTEN:
            inner_sort = t.sort
            slots = []
            for k, p in self._slots(a[0]):
                for kk, pp in V.materialize(inner_sort, k).slots:
                    slots.append((kk, V.b_and(p, pp)))
            return V.set_from_slots(inner_sort, slots)
        if op == T.ALLTUPLES or op == T.ALLRECORDS:
            # kept as a product: membership and picks go per component; materialize() enumerates it
            # (the potential elements are the product of the components' slots) where that is needed
            return V.SProduct(tuple(val(x) for x in a))
        if op == T.POWERSET:
            return V.SPowerset(val(a[0]))
        if op == T.ALLMAPS:
            return V.SFunSet(val(a[0]), val(a[1]))
        if op == T.MAPLIT:
            m = V.SMap(())
            for i in range(0, len(a), 2):
                m = V.map_insert(t.sort, m, val(a[i]), val(a[i + 1]))
            return m
        if op == T.MGET:
            return V.map_lookup(a[0].sort, val(a[0]), val(a[1]))
        if op == T.MKEYS:
            return V.map_keys(a[0].sort, val(a[0]))
        if op == T.MVALUES:
            return V.map_values(a[0].sort, val(a[0]))
        if op == T.MINSERT:
            return V.map_insert(t.sort, val(a[0]), val(a[1]), val(a[2]))
        if op == T.MREPLACE:
            return V.map_replace(t.sort, val(a[0]), val(a[1]), val(a[2]))
        if op == T.LISTLIT:
            return V.SList(len(a), tuple(val(x) for x in a))
        if op == T.RANGE:
            lo, hi = val(a[0]), val(a[1])
            if not (isinstance(lo, int) and isinstance(hi, int)):
                raise SpecError("Range with symbolic bounds is not supported (the length of a list must be "
                                "bounded when it is built)", t.loc, hint="use constant bounds")
            if hi - lo > V.MATERIALIZE_LIMIT:
                raise SpecError(f"Range({lo}, {hi}) is too long to encode", t.loc)
            return V.SList(max(0, hi - lo), tuple(range(lo, hi)))
        if op == T.LGET:
            return V.list_get(a[0].sort, val(a[0]), val(a[1]))
        if op == T.LSLICE:
            return V.list_slice(t.sort, val(a[0]), val(a[1]), val(a[2]))
        if op == T.LCONCAT:
            return V.list_concat(t.sort, val(a[0]), val(a[1]))
        if op == T.LREPLACE:
            return V.list_replace(t.sort, val(a[0]), val(a[1]), val(a[2]))
        if op == T.LLEN:
            return val(a[0]).length
        if op == T.LKEYS:
            return V.list_keys(val(a[0]))
        if op == T.LELEMS:
            return V.list_elems(a[0].sort, val(a[0]))
        if op == T.VARIANT:
            i = t.sort.index(t.data)
            payloads = list(V.default_value(t.sort).payloads)
            if a:
                payloads[i] = val(a[0])
            return V.SVariant(i, tuple(payloads))
        if op == T.UTAG:
            u = val(a[0])
            sort = a[0].sort
            out = self.u.const(t.sort, sort.tags[-1])
            for i in range(len(sort.tags) - 2, -1, -1):
                out = V.ite(t.sort, V.tag_is(sort, u, i), self.u.const(t.sort, sort.tags[i]), out)
            return out
        if op == T.UMATCH:
            u = val(a[0])
            sort = a[0].sort
            arms = T.match_arms(t)
            out = None
            for i in range(len(arms) - 1, -1, -1):
                _, bv, body = arms[i]
                on_i = V.tag_is(sort, u, i)
                if on_i is False:
                    continue
                v = self.value(body) if bv is None else self._bind(bv, u.payloads[i], body, self.value)
                out = v if out is None else V.ite(t.sort, on_i, v, out)
            return out
        raise SpecError(f"the symbolic encoder does not support `{op}` yet", t.loc)

    def _binder_value(self, t: Term, pol: Optional[bool] = None) -> Any:
        deadline = _DEADLINE.get()
        if deadline is not None and time.perf_counter() > deadline:
            raise EncodingDeadline()
        dom, bv, body = t.args
        dv = self.value(dom)
        op = t.op
        if op in (T.FORALL, T.EXISTS) and not V.can_materialize(dv):
            return self._witness_quantifier(t, dv, pol)
        slots = V.materialize(dom.sort, dv).slots
        body_value = (lambda b: self.value(b, pol)) if op in (T.FORALL, T.EXISTS) else self.value
        results = [(k, p, self._bind(bv, k, body, body_value)) for k, p in slots]
        if op == T.FORALL:
            return V.b_and(*(V.b_implies(p, r) for _, p, r in results))
        if op == T.EXISTS:
            return V.b_or(*(V.b_and(p, r) for _, p, r in results))
        if op == T.SETFILTER:
            return V.SSet(tuple((k, V.b_and(p, r)) for k, p, r in results), V.materialize(dom.sort, dv).distinct)
        if op == T.SETMAP:
            return V.set_from_slots(t.sort, [(r, p) for _, p, r in results])
        if op == T.MAPFROM:
            dset = V.materialize(dom.sort, dv)
            if not dset.distinct:
                dset = _make_distinct(dom.sort, dset)
                results = [(k, p, self._bind(bv, k, body, self.value)) for k, p in dset.slots]
            return V.SMap(tuple((k, p, r) for k, p, r in results))
        raise AssertionError(op)  # pragma: no cover

    def _witness_quantifier(self, t: Term, dv: Any, pol: Optional[bool]) -> Any:
        """Exists asserted true / Forall asserted false over a set that is never enumerated: one fresh
        witness w in the set (Exists: w in S and P(w); Forall: w in S implies P(w))."""
        dom, bv, body = t.args
        exists = t.op == T.EXISTS
        if pol is not (True if exists else False):
            what = "Exists" if exists else "Forall"
            where = "under a negation, in an invariant, or inside a value" if exists else \
                "outside an invariant (or under a negation)"
            raise SpecError(f"{what} over `{dom}` {where} is not supported yet: the set is not enumerated",
                            t.loc, hint="such a quantifier is checked with one witness as Exists in a guard or "
                                        "an example, or as Forall in an invariant")
        cons: list = []
        w, inside = self.u.element_of(dom.sort, dv, f"witness:{bv.data[0]}#{next(self.u._names)}", cons)
        p = self._bind(bv, w, body, lambda b: self.value(b, pol))
        if exists:
            return V.b_and(*cons, inside, p)
        return V.b_implies(V.b_and(*cons, inside), p)

    def _bind_many(self, bvs: tuple, xs: tuple, body: Term, fn):
        if not bvs:
            return fn(body)
        return self._bind(bvs[0], xs[0], body, lambda b: self._bind_many(bvs[1:], xs[1:], b, fn))

    def _const_order(self, sort, keys: list) -> list:
        """Indices of constant keys, sorted in the value order of the interpreter (lang.values.value_key)."""
        decoded = [value_key(self.u.decode(sort, k, None)) for k in keys]
        return sorted(range(len(keys)), key=lambda i: decoded[i])

    def _fold_items(self, t: Term) -> list:
        """What a fold ranges over: [(present, (element,) or (key, value))], in fold order.

        Lists fold left to right. Sets and maps fold over their present, distinct
        elements (keys); when every key is a constant they are taken in value_key
        order, as the interpreter does, so any function folds the same way; with
        symbolic keys the order is the slots' (only commutative and associative
        functions, the only ones a fold over a set is meant for, agree then).
        """
        coll = t.args[0]
        cv = self.value(coll)
        if t.op == T.LREDUCE:
            return [(V.s_lt(j, cv.length), (x,)) for j, x in enumerate(cv.slots)]
        if t.op == T.SREDUCE:
            sset = V.materialize(coll.sort, cv)
            if not sset.distinct:
                sset = _make_distinct(coll.sort, sset)
            items = [(p, (k,)) for k, p in sset.slots]
            keys = [k for k, _ in sset.slots]
            es = coll.sort.elem
        else:
            items = [(p, (k, v)) for k, p, v in cv.slots]
            keys = [k for k, _, _ in cv.slots]
            es = coll.sort.key
        if all(V.is_const(es, k) for k in keys):
            items = [items[i] for i in self._const_order(es, keys)]
        return items

    def _choose(self, t: Term) -> tuple:
        """(the least element satisfying the predicate, whether there is one)."""
        if not t.fv:
            hit = self._reduce_memo.get(t.uid)
            if hit is not None:
                return hit
        dom, bv, body = t.args
        es = t.sort
        sset = V.materialize(dom.sort, self.value(dom))
        cands = [(k, V.b_and(p, self._bind(bv, k, body, self.value))) for k, p in sset.slots]
        cands = [(k, c) for k, c in cands if c is not False]
        found = V.b_or(*(c for _, c in cands))
        out = V.default_value(es)
        if all(V.is_const(es, k) for k, _ in cands):
            # constants: an ITE chain in descending value order picks the least candidate
            order = self._const_order(es, [k for k, _ in cands])
            for i in reversed(order):
                k, c = cands[i]
                out = V.ite(es, c, k, out)
        else:
            have: Any = False
            for k, c in cands:
                take = V.b_and(c, V.b_or(V.b_not(have), V.lt(es, k, out)))
                out = V.ite(es, take, k, out)
                have = V.b_or(have, c)
        r = (out, found)
        if not t.fv:
            self._reduce_memo[t.uid] = r
        return r

    def _reduce_steps(self, t: Term) -> tuple:
        """([(present, accumulator before, element values)], result) of a fold."""
        if not t.fv:
            hit = self._reduce_memo.get(t.uid)
            if hit is not None:
                return hit
        a = t.args
        bvs, body = a[1:-2], a[-2]
        acc = self.value(a[-1])
        steps = []
        for cond, xs in self._fold_items(t):
            if cond is False:
                continue
            steps.append((cond, acc, xs))
            r = self._bind_many(bvs, (acc,) + xs, body, self.value)
            acc = V.ite(t.sort, cond, r, acc)
        out = (steps, acc)
        if not t.fv:
            self._reduce_memo[t.uid] = out
        return out

    # --- definedness ---------------------------------------------------------------------
    def undefined(self, t: Term) -> Any:
        """Condition under which evaluating t is undefined (False for total terms)."""
        if not t.partial:
            return False
        if not t.fv:
            hit = self._undef_memo.get(t.uid, _MISSING)
            if hit is not _MISSING:
                return hit
            r = self._undefined(t)
            self._undef_memo[t.uid] = r
            return r
        return self._undefined(t)

    def _undefined(self, t: Term) -> Any:
        op, a = t.op, t.args
        und, val = self.undefined, self.value
        if op == T.AND or op == T.OR:
            us = [und(x) for x in a]
            last = max((i for i, ux in enumerate(us) if ux is not False), default=-1)
            out, prior = [], []
            for i, (x, ux) in enumerate(zip(a, us)):
                if ux is not False:
                    out.append(V.b_and(*prior, ux))
                if i < last:  # earlier operands' values only matter for a later undefined one
                    vx = val(x)
                    prior.append(vx if op == T.AND else V.b_not(vx))
            return V.b_or(*out)
        if op == T.IMPLIES:
            u1 = und(a[1])
            return V.b_or(und(a[0]), V.b_and(val(a[0]), u1) if u1 is not False else False)
        if op == T.ITE:
            u1, u2 = und(a[1]), und(a[2])
            c = val(a[0]) if (u1 is not False or u2 is not False) else None
            return V.b_or(und(a[0]), V.b_and(c, u1) if u1 is not False else False,
                          V.b_and(V.b_not(c), u2) if u2 is not False else False)
        if op == T.LFILTER:
            lst = val(a[0])
            inner = [V.b_and(V.s_lt(j, lst.length), self._bind(a[1], x, a[2], und)) for j, x in enumerate(lst.slots)]
            return V.b_or(und(a[0]), *inner)
        if op == T.CHOOSE:
            dom, bv, body = a
            slots = V.materialize(dom.sort, val(dom)).slots
            inner = [V.b_and(p, self._bind(bv, k, body, und)) for k, p in slots] if body.partial else []
            return V.b_or(und(dom), *inner, V.b_not(self._choose(t)[1]))
        if op in T.REDUCE_OPS:
            bvs, body = a[1:-2], a[-2]
            steps, _ = self._reduce_steps(t)
            inner = [V.b_and(cond, self._bind_many(bvs, (acc,) + xs, body, und)) for cond, acc, xs in steps] \
                if body.partial else []
            return V.b_or(und(a[0]), und(a[-1]), *inner)
        if op in T.BINDER_OPS:
            dom, bv, body = a
            slots = V.materialize(dom.sort, val(dom)).slots
            inner = [V.b_and(p, self._bind(bv, k, body, und)) for k, p in slots]
            return V.b_or(und(dom), *inner)
        if op == T.UMATCH:  # lazy: only the arm of the tag counts
            u = val(a[0])
            parts = [und(a[0])]
            for i, (_, bv, body) in enumerate(T.match_arms(t)):
                if not body.partial:
                    continue
                ub = und(body) if bv is None else self._bind(bv, u.payloads[i], body, und)
                parts.append(V.b_and(V.tag_is(a[0].sort, u, i), ub))
            return V.b_or(*parts)
        own: Any = False
        if op in (T.DIV, T.MOD):
            y = val(a[1])
            own = (y == 0) if isinstance(y, int) else (y == 0)
        elif op == T.POW:
            x, y = val(a[0]), val(a[1])
            own = V.b_or(V.s_lt(y, 0), V.b_and(V.s_eq(x, 0), V.s_eq(y, 0)))
        elif op == T.MGET:
            own = V.b_not(V.map_has(a[0].sort, val(a[0]), val(a[1])))
        elif op == T.LGET:
            own = V.b_not(V.list_in_range(val(a[0]), val(a[1])))
        return V.b_or(*(und(x) for x in a), own)


def _make_distinct(sort: SetSort, s: V.SSet) -> V.SSet:
    return V.make_distinct(sort, s)


def _locate(e: SpecError, t: Term) -> None:
    """Give an encoding error raised without a location the spec line of the innermost term (or
    operand) that has one: better than the guess of SpecError (whatever spec frame runs the engine)."""
    if getattr(e, "loc_given", True) or getattr(e, "located", False):
        return
    loc = t.loc or next((x.loc for x in t.args if x.loc is not None), None)
    if loc is not None:
        e.loc = loc
        e.located = True
        e.args = (e.render(),)


def _flip(pol: Optional[bool]) -> Optional[bool]:
    return None if pol is None else not pol


_WITNESS_DOMAINS = frozenset({T.INTS, T.INTERVAL, T.POWERSET, T.ALLMAPS, T.ALLRECORDS, T.ALLTUPLES})
_POLAR_OPS = frozenset({T.AND, T.OR, T.NOT, T.IMPLIES, T.FORALL, T.EXISTS})
_polar_cache: Dict[int, bool] = {}


def _needs_polarity(t: Term) -> bool:
    """Whether t is a Boolean combination with a quantifier over a set that may not be enumerable."""
    if t.op not in _POLAR_OPS:
        return False
    hit = _polar_cache.get(t.uid)
    if hit is None:
        if t.op in (T.FORALL, T.EXISTS):
            hit = t.args[0].op in _WITNESS_DOMAINS or _needs_polarity(t.args[2])
        else:
            hit = any(_needs_polarity(x) for x in t.args)
        _polar_cache[t.uid] = hit
    return hit


_ARITH = {
    T.ADD: lambda x, y: x + y,
    T.SUB: lambda x, y: x - y,
    T.MUL: lambda x, y: x * y,
}


def _py_divmod(x: Any, y: Any) -> tuple:
    """Python floor division and modulo; SMT-LIB div/mod are Euclidean, equal for y > 0."""
    if isinstance(x, int) and isinstance(y, int):
        if y == 0:
            return 0, 0  # undefined; the definedness condition reports it
        return x // y, x % y
    zx, zy = V.zi(x), V.zi(y)
    if z3.is_bv(zx):
        # bvsmod is Python's modulo (its sign follows the divisor); the floor quotient is then exact
        r = zx % zy
        return (zx - r) / zy, r
    q, r = zx / zy, zx % zy
    if isinstance(y, int) and y > 0:
        return q, r
    adjust = z3.And(zy < 0, r != 0)
    return z3.If(adjust, q - 1, q), z3.If(adjust, r + zy, r)


def _pow(x: Any, y: Any, t: Term) -> Any:
    if not isinstance(y, int):
        raise SpecError("exponentiation with a symbolic exponent is not supported", t.loc)
    if y < 0:
        return 0
    if isinstance(x, int):
        return x ** y if not (x == 0 and y == 0) else 1
    out: Any = 1
    for _ in range(y):
        out = out * x if not isinstance(out, int) or out != 1 else x
    return out


_MISSING = object()
