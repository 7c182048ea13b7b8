"""Evaluate terms on concrete values.

This is the reference semantics that every symbolic answer is checked against
(trace replay), so it is written for clarity rather than speed, and it shares no
code with the encoders.
"""
from __future__ import annotations

import itertools
from typing import Any, Dict

from ..errors import EvaluationError
from ..lang import terms as T
from ..lang.terms import Term
from ..lang.values import ListValue, MapValue, RecordValue, VariantValue, show_value, value_key

Env = Dict[Term, Any]


class _Ints:
    """Stand-in value for the infinite sets Ints / UnsignedInts."""

    def __init__(self, nat: bool):
        self.nat = nat

    def __contains__(self, x: Any) -> bool:
        return x >= 0 if self.nat else True

    def __repr__(self) -> str:
        return "UnsignedInts" if self.nat else "Ints"


ENUMERATE_LIMIT = 100_000


class LazyInterval:
    """A large integer interval lo..hi: membership and size without enumerating it."""

    def __init__(self, lo: int, hi: int):
        self.lo, self.hi = lo, hi

    def __contains__(self, x: Any) -> bool:
        return isinstance(x, int) and self.lo <= x <= self.hi

    def __len__(self) -> int:
        return max(0, self.hi - self.lo + 1)

    def __repr__(self) -> str:
        return f"Interval({self.lo}, {self.hi})"


def eval_term(t: Term, env: Env) -> Any:
    return _Evaluator(env).ev(t)


def _finite(v: Any, t: Term) -> Any:
    if isinstance(v, LazyInterval):
        raise EvaluationError(f"the interval {v.lo}..{v.hi} is too large to enumerate in `{t}`", t.loc)
    if isinstance(v, _Ints):
        raise EvaluationError(f"cannot enumerate the infinite set {v!r} in `{t}`", t.loc)
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
        if not t.fv:
            hit = self.memo.get(t.uid, _MISSING)
            if hit is not _MISSING:
                return hit
        v = self._ev(t)
        if not t.fv:
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

    def _ev(self, t: Term) -> Any:  # noqa: C901 - one case per operator, by design
        op = t.op
        a = t.args
        ev = self.ev
        if op == T.CONST:
            return t.data
        if op in (T.SVAR, T.PICK, T.BVAR, T.FREE):
            try:
                return self.env[t]
            except KeyError:
                raise EvaluationError(f"no value for `{t}`", t.loc) from None
        if op == T.INTS:
            return _Ints(t.data == "nat")
        if op == T.EQ:
            return ev(a[0]) == ev(a[1])
        if op == T.ITE:
            return ev(a[1]) if ev(a[0]) else ev(a[2])
        if op == T.AND:
            for x in a:
                if not ev(x):
                    return False
            return True
        if op == T.OR:
            for x in a:
                if ev(x):
                    return True
            return False
        if op == T.NOT:
            return not ev(a[0])
        if op == T.IMPLIES:
            return (not ev(a[0])) or bool(ev(a[1]))
        if op == T.ADD:
            return ev(a[0]) + ev(a[1])
        if op == T.SUB:
            return ev(a[0]) - ev(a[1])
        if op == T.MUL:
            return ev(a[0]) * ev(a[1])
        if op == T.NEG:
            return -ev(a[0])
        if op == T.DIV:
            return _floordiv(ev(a[0]), ev(a[1]), t)
        if op == T.MOD:
            return _mod(ev(a[0]), ev(a[1]), t)
        if op == T.POW:
            return _pow(ev(a[0]), ev(a[1]), t)
        if op == T.LT:
            return ev(a[0]) < ev(a[1])
        if op == T.LE:
            return ev(a[0]) <= ev(a[1])
        if op == T.TUPLE:
            return tuple(ev(x) for x in a)
        if op == T.TGET:
            return ev(a[0])[t.data]
        if op == T.TREPLACE:
            tup = list(ev(a[0]))
            tup[t.data] = ev(a[1])
            return tuple(tup)
        if op == T.RECORD:
            return RecordValue(dict(zip(t.data, (ev(x) for x in a))), t.sort.name)
        if op == T.RGET:
            return getattr(ev(a[0]), t.data)
        if op == T.RREPLACE:
            r = ev(a[0])
            return r.replace(**dict(zip(t.data, (ev(x) for x in a[1:]))))
        if op == T.SETLIT:
            return frozenset(ev(x) for x in a)
        if op == T.INTERVAL:
            lo, hi = ev(a[0]), ev(a[1])
            if hi - lo >= ENUMERATE_LIMIT:
                return LazyInterval(lo, hi)
            return frozenset(range(lo, hi + 1))
        if op == T.UNION:
            return _finite(ev(a[0]), t) | _finite(ev(a[1]), t)
        if op == T.INTER:
            x, y = ev(a[0]), ev(a[1])
            if isinstance(x, _Ints):
                x, y = y, x
            x = _finite(x, t)
            if isinstance(y, _Ints):
                return frozenset(e for e in x if e in y)
            return x & y
        if op == T.DIFF:
            x, y = _finite(ev(a[0]), t), ev(a[1])
            if isinstance(y, _Ints):
                return frozenset(e for e in x if e not in y)
            return x - y
        if op == T.SUBSETEQ:
            x, y = ev(a[0]), ev(a[1])
            if isinstance(x, LazyInterval) and isinstance(y, (LazyInterval, _Ints)):
                return len(x) == 0 or (x.lo in y and x.hi in y)
            return all(e in y for e in _finite(x, t))
        if op == T.IN:
            return ev(a[0]) in ev(a[1])
        if op == T.CARD:
            v = ev(a[0])
            return len(v) if isinstance(v, LazyInterval) else len(_finite(v, t))
        if op == T.SETMAP:
            return frozenset(v for _, v in self._binder(t, None))
        if op == T.SETFILTER:
            return frozenset(x for x, v in self._binder(t, None) if v)
        if op == T.FORALL:
            return all(v for _, v in self._binder(t, None))
        if op == T.EXISTS:
            return any(v for _, v in self._binder(t, None))
        if op == T.FLATTEN:
            out = frozenset()
            for s in _finite(ev(a[0]), t):
                out |= _finite(s, t)
            return out
        if op == T.ALLTUPLES:
            return frozenset(itertools.product(*(_finite(ev(x), t) for x in a)))
        if op == T.MAPLIT:
            return MapValue((ev(a[i]), ev(a[i + 1])) for i in range(0, len(a), 2))
        if op == T.MAPFROM:
            return MapValue(self._binder(t, None))
        if op == T.MGET:
            m, k = ev(a[0]), ev(a[1])
            if k not in m:
                from ..lang.values import show_value
                raise EvaluationError(f"key {show_value(k)} is not in the domain of `{a[0]}`", t.loc)
            return m[k]
        if op == T.MKEYS:
            return frozenset(ev(a[0]).keys())
        if op == T.MVALUES:
            return frozenset(ev(a[0]).values())
        if op == T.MINSERT:
            return ev(a[0]).set(ev(a[1]), ev(a[2]))
        if op == T.MREPLACE:
            m, k, v = ev(a[0]), ev(a[1]), ev(a[2])  # strict, like every operator but And/Or/Implies/Ite
            return m.set(k, v) if k in m else m
        if op in T.REDUCE_OPS:
            return self._reduce(t)
        if op == T.CHOOSE:
            found = [x for x, v in self._binder(t, None) if v]
            if not found:
                raise EvaluationError(f"choose: no element of `{a[0]}` satisfies the predicate", t.loc)
            return min(found, key=value_key)
        if op == T.LISTLIT:
            return ListValue(ev(x) for x in a)
        if op == T.RANGE:
            lo, hi = ev(a[0]), ev(a[1])
            if hi - lo > ENUMERATE_LIMIT:
                raise EvaluationError(f"Range({lo}, {hi}) is too long to build in `{t}`", t.loc)
            return ListValue(range(lo, hi))
        if op == T.LGET:
            lst, i = ev(a[0]), ev(a[1])
            if not 0 <= i < len(lst):
                raise EvaluationError(f"list index {i} is out of range 0..{len(lst) - 1} in `{t}`", t.loc)
            return lst[i]
        if op == T.LSLICE:  # Python slice semantics: bounds clamp, negative bounds count from the end
            lst, lo, hi = ev(a[0]), ev(a[1]), ev(a[2])
            return ListValue(lst[lo:hi])
        if op == T.LCONCAT:
            return ListValue(ev(a[0]) + ev(a[1]))
        if op == T.LREPLACE:  # strict; out of range leaves the list unchanged (TLA+ EXCEPT)
            lst, i, v = ev(a[0]), ev(a[1]), ev(a[2])
            if not 0 <= i < len(lst):
                return lst
            return ListValue(lst[:i] + (v,) + lst[i + 1:])
        if op == T.LLEN:
            return len(ev(a[0]))
        if op == T.LKEYS:
            return frozenset(range(len(ev(a[0]))))
        if op == T.LELEMS:
            return frozenset(ev(a[0]))
        if op == T.LFILTER:
            lst, bv, body = ev(a[0]), a[1], a[2]
            return ListValue(x for x in lst if self._with(bv, x, body))
        if op == T.VARIANT:
            return VariantValue(t.data, ev(a[0]) if a else None, t.sort.name)
        if op == T.UTAG:
            return ev(a[0]).tag
        if op == T.UMATCH:  # lazy, like Ite: only the arm of the value's tag is evaluated
            u = ev(a[0])
            for tag, bv, body in T.match_arms(t):
                if tag == u.tag:
                    if bv is None:
                        return ev(body)
                    return self._with(bv, u.payload, body)
            raise EvaluationError(f"match on {show_value(u)}: no arm for tag {u.tag!r}", t.loc)  # pragma: no cover
        raise EvaluationError(f"the interpreter does not know operator {op!r}", t.loc)

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


_MISSING = object()
