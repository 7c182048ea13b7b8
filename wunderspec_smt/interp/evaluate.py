"""Evaluate terms on concrete values.

This is the reference semantics that every symbolic answer is checked against
(trace replay), so it is written for clarity first (one method per operator, in
the order of lang/terms.py), and it shares no code with the encoders.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable, Dict, Optional

from ..errors import EvaluationError
from ..lang import terms as T
from ..lang.terms import Term
from ..lang.values import ListValue, MapValue, RecordValue, VariantValue, show_value, value_key

Env = Dict[Term, Any]


class LazySet:
    """A set the interpreter does not enumerate unless it must: membership and size come first.

    Subclasses give `__contains__`, `size()` and `elements(t)` (a frozenset, or an
    EvaluationError at `t` when there are too many elements).
    """

    def size(self, t: Optional[Term]) -> int:
        where = f" in `{t}`" if t is not None else ""
        raise EvaluationError(f"the infinite set {self!r} has no size{where}", t.loc if t is not None else None)

    def elements(self, t: Optional[Term]) -> frozenset:
        where = f" in `{t}`" if t is not None else ""
        raise EvaluationError(f"cannot enumerate the infinite set {self!r}{where}", t.loc if t is not None else None)

    def _too_many(self, n: int, t: Optional[Term]) -> EvaluationError:
        where = f" in `{t}`" if t is not None else ""
        return EvaluationError(f"{self!r} has {n} elements, too many to enumerate{where} "
                               f"(limit {ENUMERATE_LIMIT})", t.loc if t is not None else None)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, (LazySet, frozenset)):
            mine = self.elements(None)
            theirs = other.elements(None) if isinstance(other, LazySet) else other
            return mine == theirs
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.elements(None))

    def sample(self, rng: Any) -> Any:
        """A random element (None when the set is empty), without enumerating the set."""
        raise NotImplementedError


class _Ints(LazySet):
    """Stand-in value for the infinite sets Ints / UnsignedInts."""

    def __init__(self, nat: bool):
        self.nat = nat

    def __contains__(self, x: Any) -> bool:
        return x >= 0 if self.nat else True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Ints) and other.nat == self.nat

    def __hash__(self) -> int:
        return hash(("ints", self.nat))

    def sample(self, rng: Any) -> int:
        lo, hi = SAMPLE_INT_RANGE
        return rng.randint(0 if self.nat else lo, hi)

    def __repr__(self) -> str:
        return "UnsignedInts" if self.nat else "Ints"


ENUMERATE_LIMIT = 100_000
EAGER_LIMIT = 256  # AllSubsets/AllMaps/AllRecords/AllTuples with at most this many elements are plain sets


class LazyInterval(LazySet):
    """A large integer interval lo..hi: membership and size without enumerating it."""

    def __init__(self, lo: int, hi: int):
        self.lo, self.hi = lo, hi

    def __contains__(self, x: Any) -> bool:
        return isinstance(x, int) and self.lo <= x <= self.hi

    def __len__(self) -> int:
        return max(0, self.hi - self.lo + 1)

    def size(self, t: Term) -> int:
        return len(self)

    def elements(self, t: Optional[Term]) -> frozenset:
        where = f" in `{t}`" if t is not None else ""
        raise EvaluationError(f"the interval {self.lo}..{self.hi} is too large to enumerate{where}",
                              t.loc if t is not None else None)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyInterval):
            return (self.lo, self.hi) == (other.lo, other.hi) or (len(self) == 0 and len(other) == 0)
        return LazySet.__eq__(self, other)

    def __hash__(self) -> int:
        return hash(("interval", self.lo, self.hi))

    def sample(self, rng: Any) -> Any:
        return rng.randint(self.lo, self.hi) if len(self) else None

    def __repr__(self) -> str:
        return f"Interval({self.lo}, {self.hi})"


SAMPLE_INT_RANGE = (-2 ** 31, 2 ** 31 - 1)  # where sample() draws an element of Ints


def sample_element(s: Any, rng: Any) -> Any:
    """A random element of a set value (for random simulation), or None when it is empty."""
    if isinstance(s, LazySet):
        return s.sample(rng)
    if not s:
        return None
    return rng.choice(sorted(s, key=value_key))


def _size_of(s: Any, t: Optional[Term]) -> int:
    if isinstance(s, LazySet):
        return s.size(t)
    return len(s)


def _elements(s: Any, t: Optional[Term]) -> frozenset:
    return s.elements(t) if isinstance(s, LazySet) else s


class LazyPowerset(LazySet):
    """AllSubsets(base)."""

    def __init__(self, base: Any):
        self.base = base

    def __contains__(self, x: Any) -> bool:
        return isinstance(x, frozenset) and all(e in self.base for e in x)

    def size(self, t: Optional[Term]) -> int:
        return 2 ** _size_of(self.base, t)

    def elements(self, t: Optional[Term]) -> frozenset:
        n = self.size(t)
        if n > ENUMERATE_LIMIT:
            raise self._too_many(n, t)
        base = sorted(_elements(self.base, t), key=value_key)
        return frozenset(frozenset(c) for r in range(len(base) + 1) for c in itertools.combinations(base, r))

    def sample(self, rng: Any) -> frozenset:
        return frozenset(e for e in sorted(_elements(self.base, None), key=value_key) if rng.random() < 0.5)

    def __repr__(self) -> str:
        base = show_value(self.base) if isinstance(self.base, frozenset) else repr(self.base)
        return f"AllSubsets({base})"


class LazyFunSet(LazySet):
    """AllMaps(keys, values): the total maps from keys to values."""

    def __init__(self, keys: frozenset, values: Any):
        self.keys, self.values = keys, values

    def __contains__(self, m: Any) -> bool:
        return isinstance(m, MapValue) and set(m.keys()) == self.keys and all(v in self.values for v in m.values())

    def size(self, t: Optional[Term]) -> int:
        if not self.keys:
            return 1
        return _size_of(self.values, t) ** len(self.keys)

    def elements(self, t: Optional[Term]) -> frozenset:
        n = self.size(t)
        if n > ENUMERATE_LIMIT:
            raise self._too_many(n, t)
        ks = sorted(self.keys, key=value_key)
        vs = sorted(_elements(self.values, t), key=value_key)
        return frozenset(MapValue(zip(ks, combo)) for combo in itertools.product(vs, repeat=len(ks)))

    def sample(self, rng: Any) -> Any:
        out = {}
        for k in sorted(self.keys, key=value_key):
            v = sample_element(self.values, rng)
            if v is None:
                return None
            out[k] = v
        return MapValue(out)

    def __repr__(self) -> str:
        vs = show_value(self.values) if isinstance(self.values, frozenset) else repr(self.values)
        return f"AllMaps({show_value(self.keys)}, {vs})"


class LazyProduct(LazySet):
    """AllTuples(S1, ..., Sn) (names None) or AllRecords(f1=S1, ...) (names: the sorted field names)."""

    def __init__(self, parts: tuple, names: Optional[tuple] = None, record_name: str = ""):
        self.parts, self.names, self.record_name = parts, names, record_name

    def _components(self, x: Any) -> Optional[tuple]:
        if self.names is None:
            return x if isinstance(x, tuple) and len(x) == len(self.parts) else None
        if not isinstance(x, RecordValue) or tuple(n for n, _ in x.items()) != self.names:
            return None
        return tuple(v for _, v in x.items())

    def __contains__(self, x: Any) -> bool:
        comps = self._components(x)
        return comps is not None and all(c in p for c, p in zip(comps, self.parts))

    def size(self, t: Optional[Term]) -> int:
        n = 1
        for p in self.parts:
            n *= _size_of(p, t)
        return n

    def _make(self, combo: tuple) -> Any:
        if self.names is None:
            return tuple(combo)
        return RecordValue(dict(zip(self.names, combo)), self.record_name)

    def elements(self, t: Optional[Term]) -> frozenset:
        n = self.size(t)
        if n > ENUMERATE_LIMIT:
            raise self._too_many(n, t)
        return frozenset(self._make(c) for c in itertools.product(*(_elements(p, t) for p in self.parts)))

    def sample(self, rng: Any) -> Any:
        combo = [sample_element(p, rng) for p in self.parts]
        if any(c is None for c in combo):
            return None
        return self._make(tuple(combo))

    def __repr__(self) -> str:
        parts = [show_value(p) if isinstance(p, frozenset) else repr(p) for p in self.parts]
        if self.names is None:
            return "AllTuples(" + ", ".join(parts) + ")"
        return "AllRecords(" + ", ".join(f"{n}={p}" for n, p in zip(self.names, parts)) + ")"


def _eager(s: LazySet, t: Term) -> Any:
    """Small products and power sets are plain sets (so explicit search enumerates them); others stay lazy."""
    try:
        n = s.size(t)
    except EvaluationError:
        return s
    if n <= EAGER_LIMIT:
        try:
            return s.elements(t)
        except EvaluationError:
            return s
    return s


def eval_term(t: Term, env: Env) -> Any:
    return _Evaluator(env).ev(t)


def _finite(v: Any, t: Term) -> Any:
    if isinstance(v, LazySet):
        return v.elements(t)
    return v


def _floordiv(a: int, b: int, t: Term) -> int:
    if b == 0:
        raise EvaluationError(f"division by zero in `{t}`", t.loc)
    return a // b


def _mod(a: int, b: int, t: Term) -> int:
    if b == 0:
        raise EvaluationError(f"modulo by zero in `{t}`", t.loc)
    return a % b


def _pow(a: int, b: int, t: Term) -> int:
    if b < 0:
        raise EvaluationError(f"negative exponent in `{t}`", t.loc)
    if a == 0 and b == 0:
        raise EvaluationError(f"0 ** 0 is undefined in `{t}`", t.loc)
    return a ** b


class _Evaluator:
    def __init__(self, env: Env):
        self.env = env
        self.memo: Dict[int, Any] = {}

    def ev(self, t: Term) -> Any:
        """t's value. One method per operator, found by the operator: replay evaluates every term of
        a trace, and a chain of tests in operator order made the operators near its end cost the most."""
        closed = not t.fv
        if closed:
            hit = self.memo.get(t.uid, _MISSING)
            if hit is not _MISSING:
                return hit
        fn = _OPERATORS.get(t.op)
        if fn is None:
            raise EvaluationError(f"the interpreter does not know operator {t.op!r}", t.loc)
        v = fn(self, t)
        if closed:
            self.memo[t.uid] = v
        return v

    def _binder(self, t: Term, fn):
        dom, bv, body = t.args
        s = _finite(self.ev(dom), t)
        env = self.env
        out = []
        for x in s:
            env[bv] = x
            out.append((x, self.ev(body)))
        env.pop(bv, None)
        return out

    def _op_const(self, t: Term) -> Any:
        return t.data

    def _op_var(self, t: Term) -> Any:
        try:
            return self.env[t]
        except KeyError:
            raise EvaluationError(f"no value for `{t}`", t.loc) from None

    def _op_ints(self, t: Term) -> Any:
        return _Ints(t.data == "nat")

    def _op_eq(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ev(a[0]) == ev(a[1])

    def _op_ite(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ev(a[1]) if ev(a[0]) else ev(a[2])

    def _op_and(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        for x in a:
            if not ev(x):
                return False
        return True

    def _op_or(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        for x in a:
            if ev(x):
                return True
        return False

    def _op_not(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return not ev(a[0])

    def _op_implies(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return (not ev(a[0])) or bool(ev(a[1]))

    def _op_add(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ev(a[0]) + ev(a[1])

    def _op_sub(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ev(a[0]) - ev(a[1])

    def _op_mul(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ev(a[0]) * ev(a[1])

    def _op_neg(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return -ev(a[0])

    def _op_div(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return _floordiv(ev(a[0]), ev(a[1]), t)

    def _op_mod(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return _mod(ev(a[0]), ev(a[1]), t)

    def _op_pow(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return _pow(ev(a[0]), ev(a[1]), t)

    def _op_lt(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ev(a[0]) < ev(a[1])

    def _op_le(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ev(a[0]) <= ev(a[1])

    def _op_tuple(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return tuple(ev(x) for x in a)

    def _op_tget(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ev(a[0])[t.data]

    def _op_treplace(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        tup = list(ev(a[0]))
        tup[t.data] = ev(a[1])
        return tuple(tup)

    def _op_record(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return RecordValue(dict(zip(t.data, (ev(x) for x in a))), t.sort.name)

    def _op_rget(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return getattr(ev(a[0]), t.data)

    def _op_rreplace(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        r = ev(a[0])
        return r.replace(**dict(zip(t.data, (ev(x) for x in a[1:]))))

    def _op_setlit(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return frozenset(ev(x) for x in a)

    def _op_interval(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        lo, hi = ev(a[0]), ev(a[1])
        if hi - lo >= ENUMERATE_LIMIT:
            return LazyInterval(lo, hi)
        return frozenset(range(lo, hi + 1))

    def _op_union(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return _finite(ev(a[0]), t) | _finite(ev(a[1]), t)

    def _op_inter(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        x, y = ev(a[0]), ev(a[1])
        if isinstance(x, _Ints):
            x, y = y, x
        x = _finite(x, t)
        if isinstance(y, _Ints):
            return frozenset(e for e in x if e in y)
        return x & y

    def _op_diff(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        x, y = _finite(ev(a[0]), t), ev(a[1])
        if isinstance(y, _Ints):
            return frozenset(e for e in x if e not in y)
        return x - y

    def _op_subseteq(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        x, y = ev(a[0]), ev(a[1])
        if isinstance(x, LazyInterval) and isinstance(y, (LazyInterval, _Ints)):
            return len(x) == 0 or (x.lo in y and x.hi in y)
        return all(e in y for e in _finite(x, t))

    def _op_in(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ev(a[0]) in ev(a[1])

    def _op_card(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        v = ev(a[0])
        return _size_of(v, t)

    def _op_setmap(self, t: Term) -> Any:
        return frozenset(v for _, v in self._binder(t, None))

    def _op_setfilter(self, t: Term) -> Any:
        return frozenset(x for x, v in self._binder(t, None) if v)

    def _op_forall(self, t: Term) -> Any:
        return all(v for _, v in self._binder(t, None))

    def _op_exists(self, t: Term) -> Any:
        return any(v for _, v in self._binder(t, None))

    def _op_flatten(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        out = frozenset()
        for s in _finite(ev(a[0]), t):
            out |= _finite(s, t)
        return out

    def _op_alltuples(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return _eager(LazyProduct(tuple(ev(x) for x in a)), t)

    def _op_allrecords(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return _eager(LazyProduct(tuple(ev(x) for x in a), t.data, t.sort.elem.name), t)

    def _op_powerset(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return _eager(LazyPowerset(ev(a[0])), t)

    def _op_allmaps(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return _eager(LazyFunSet(_finite(ev(a[0]), t), ev(a[1])), t)

    def _op_maplit(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return MapValue((ev(a[i]), ev(a[i + 1])) for i in range(0, len(a), 2))

    def _op_mapfrom(self, t: Term) -> Any:
        return MapValue(self._binder(t, None))

    def _op_mget(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        m, k = ev(a[0]), ev(a[1])
        if k not in m:
            raise EvaluationError(f"key {show_value(k)} is not in the domain of `{a[0]}`", t.loc)
        return m[k]

    def _op_mkeys(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return frozenset(ev(a[0]).keys())

    def _op_mvalues(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return frozenset(ev(a[0]).values())

    def _op_minsert(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ev(a[0]).set(ev(a[1]), ev(a[2]))

    def _op_mreplace(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        m, k, v = ev(a[0]), ev(a[1]), ev(a[2])  # strict, like every operator but And/Or/Implies/Ite
        return m.set(k, v) if k in m else m

    def _op_reduce(self, t: Term) -> Any:
        return self._reduce(t)

    def _op_choose(self, t: Term) -> Any:
        a = t.args
        found = [x for x, v in self._binder(t, None) if v]
        if not found:
            raise EvaluationError(f"choose: no element of `{a[0]}` satisfies the predicate", t.loc)
        return min(found, key=value_key)

    def _op_listlit(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ListValue(ev(x) for x in a)

    def _op_range(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        lo, hi = ev(a[0]), ev(a[1])
        if hi - lo > ENUMERATE_LIMIT:
            raise EvaluationError(f"Range({lo}, {hi}) is too long to build in `{t}`", t.loc)
        return ListValue(range(lo, hi))

    def _op_lget(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        lst, i = ev(a[0]), ev(a[1])
        if not 0 <= i < len(lst):
            raise EvaluationError(f"list index {i} is out of range 0..{len(lst) - 1} in `{t}`", t.loc)
        return lst[i]

    def _op_lslice(self, t: Term) -> Any:  # Python slice semantics: bounds clamp, negative bounds count from the end
        a, ev = t.args, self.ev
        lst, lo, hi = ev(a[0]), ev(a[1]), ev(a[2])
        return ListValue(lst[lo:hi])

    def _op_lconcat(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ListValue(ev(a[0]) + ev(a[1]))

    def _op_lreplace(self, t: Term) -> Any:  # strict; out of range leaves the list unchanged (TLA+ EXCEPT)
        a, ev = t.args, self.ev
        lst, i, v = ev(a[0]), ev(a[1]), ev(a[2])
        if not 0 <= i < len(lst):
            return lst
        return ListValue(lst[:i] + (v,) + lst[i + 1:])

    def _op_llen(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return len(ev(a[0]))

    def _op_lkeys(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return frozenset(range(len(ev(a[0]))))

    def _op_lelems(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return frozenset(ev(a[0]))

    def _op_lfilter(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        lst, bv, body = ev(a[0]), a[1], a[2]
        return ListValue(x for x in lst if self._with(bv, x, body))

    def _op_variant(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return VariantValue(t.data, ev(a[0]) if a else None, t.sort.name)

    def _op_utag(self, t: Term) -> Any:
        a, ev = t.args, self.ev
        return ev(a[0]).tag

    def _op_umatch(self, t: Term) -> Any:  # lazy, like Ite: only the arm of the value's tag is evaluated
        a, ev = t.args, self.ev
        u = ev(a[0])
        for tag, bv, body in T.match_arms(t):
            if tag == u.tag:
                if bv is None:
                    return ev(body)
                return self._with(bv, u.payload, body)
        raise EvaluationError(f"match on {show_value(u)}: no arm for tag {u.tag!r}", t.loc)  # pragma: no cover

    def _reduce(self, t: Term) -> Any:
        """Folds: lists from the left; sets and maps in value_key order of the elements / keys
        (the result is only specified for commutative and associative functions)."""
        a = t.args
        coll, body, acc = self.ev(a[0]), a[-2], self.ev(a[-1])
        bvs = a[1:-2]
        if t.op == T.LREDUCE:
            items = [(x,) for x in coll]
        elif t.op == T.SREDUCE:
            items = [(x,) for x in sorted(_finite(coll, t), key=value_key)]
        else:
            items = [kv for kv in sorted(coll.items(), key=lambda kv: value_key(kv[0]))]
        env = self.env
        saved = [env.get(b, _MISSING) for b in bvs]
        try:
            for item in items:
                env[bvs[0]] = acc
                for b, x in zip(bvs[1:], item):
                    env[b] = x
                acc = self.ev(body)
        finally:
            for b, old in zip(bvs, saved):
                if old is _MISSING:
                    env.pop(b, None)
                else:
                    env[b] = old
        return acc

    def _with(self, bv: Term, value: Any, body: Term) -> Any:
        """Evaluate body with the bound variable bv set to value."""
        env = self.env
        old = env.get(bv, _MISSING)
        env[bv] = value
        try:
            return self.ev(body)
        finally:
            if old is _MISSING:
                env.pop(bv, None)
            else:
                env[bv] = old


# the interpreter's operators: each one's method of _Evaluator
_OPERATORS: Dict[str, Callable[[_Evaluator, Term], Any]] = {
    T.CONST: _Evaluator._op_const,
    T.SVAR: _Evaluator._op_var,
    T.PICK: _Evaluator._op_var,
    T.BVAR: _Evaluator._op_var,
    T.FREE: _Evaluator._op_var,
    T.INTS: _Evaluator._op_ints,
    T.EQ: _Evaluator._op_eq,
    T.ITE: _Evaluator._op_ite,
    T.AND: _Evaluator._op_and,
    T.OR: _Evaluator._op_or,
    T.NOT: _Evaluator._op_not,
    T.IMPLIES: _Evaluator._op_implies,
    T.ADD: _Evaluator._op_add,
    T.SUB: _Evaluator._op_sub,
    T.MUL: _Evaluator._op_mul,
    T.NEG: _Evaluator._op_neg,
    T.DIV: _Evaluator._op_div,
    T.MOD: _Evaluator._op_mod,
    T.POW: _Evaluator._op_pow,
    T.LT: _Evaluator._op_lt,
    T.LE: _Evaluator._op_le,
    T.TUPLE: _Evaluator._op_tuple,
    T.TGET: _Evaluator._op_tget,
    T.TREPLACE: _Evaluator._op_treplace,
    T.RECORD: _Evaluator._op_record,
    T.RGET: _Evaluator._op_rget,
    T.RREPLACE: _Evaluator._op_rreplace,
    T.SETLIT: _Evaluator._op_setlit,
    T.INTERVAL: _Evaluator._op_interval,
    T.UNION: _Evaluator._op_union,
    T.INTER: _Evaluator._op_inter,
    T.DIFF: _Evaluator._op_diff,
    T.SUBSETEQ: _Evaluator._op_subseteq,
    T.IN: _Evaluator._op_in,
    T.CARD: _Evaluator._op_card,
    T.SETMAP: _Evaluator._op_setmap,
    T.SETFILTER: _Evaluator._op_setfilter,
    T.FORALL: _Evaluator._op_forall,
    T.EXISTS: _Evaluator._op_exists,
    T.FLATTEN: _Evaluator._op_flatten,
    T.ALLTUPLES: _Evaluator._op_alltuples,
    T.ALLRECORDS: _Evaluator._op_allrecords,
    T.POWERSET: _Evaluator._op_powerset,
    T.ALLMAPS: _Evaluator._op_allmaps,
    T.MAPLIT: _Evaluator._op_maplit,
    T.MAPFROM: _Evaluator._op_mapfrom,
    T.MGET: _Evaluator._op_mget,
    T.MKEYS: _Evaluator._op_mkeys,
    T.MVALUES: _Evaluator._op_mvalues,
    T.MINSERT: _Evaluator._op_minsert,
    T.MREPLACE: _Evaluator._op_mreplace,
    **{op: _Evaluator._op_reduce for op in T.REDUCE_OPS},
    T.CHOOSE: _Evaluator._op_choose,
    T.LISTLIT: _Evaluator._op_listlit,
    T.RANGE: _Evaluator._op_range,
    T.LGET: _Evaluator._op_lget,
    T.LSLICE: _Evaluator._op_lslice,
    T.LCONCAT: _Evaluator._op_lconcat,
    T.LREPLACE: _Evaluator._op_lreplace,
    T.LLEN: _Evaluator._op_llen,
    T.LKEYS: _Evaluator._op_lkeys,
    T.LELEMS: _Evaluator._op_lelems,
    T.LFILTER: _Evaluator._op_lfilter,
    T.VARIANT: _Evaluator._op_variant,
    T.UTAG: _Evaluator._op_utag,
    T.UMATCH: _Evaluator._op_umatch,
}

_MISSING = object()
