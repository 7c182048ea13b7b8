"""Targeted checks of the set and map encodings the model checker relies on.

Each test encodes DSL expressions over symbolic variables and asks Z3 either to
prove a property valid (its negation is unsat) or, for a grid of concrete
inputs, that the encoded value is forced to the Python answer.
"""
from __future__ import annotations

import enum
import itertools

import pytest

from wunderspec_smt.errors import EvaluationError
import z3

from wunderspec_smt import Field, Interval, Ite, Map, Set, UnsignedInts, Val, Var, record
from wunderspec_smt.encoders import symvals as V
from wunderspec_smt.encoders.shapes import Universe
from wunderspec_smt.encoders.terms import TermEncoder
from wunderspec_smt.interp.evaluate import eval_term
from wunderspec_smt.lang.values import MapValue

TIMEOUT_MS = 5000
# a presence bit that is neither a constant nor a plain symbol: `fresh` gives the slot its own symbol
OPEN = z3.Not(z3.Bool("__open"))


class Prio(enum.Enum):
    LOW = 1
    MID = 2
    HIGH = 3


@record
class Job:
    prio: Field[Prio]
    done: Field[bool]


class Sym:
    """Symbolic variables (fresh symbols of their sort) and an encoder over them."""

    def __init__(self, *decls, strings=("a", "b", "c")):
        self.u = Universe(list(strings))
        self.constraints: list = []
        self.vars = {}
        self.env = {}
        for name, pytype, *template in decls:
            e = Var(name, pytype)
            self.vars[name] = e
            self.env[e.term] = self.u.fresh(e.term.sort, name, template[0] if template else None, self.constraints)
        self.enc = TermEncoder(self.u, self.env)

    def __getitem__(self, name):
        return self.vars[name]

    def value(self, expr):
        return self.enc.value(Val(expr).term)

    def undefined(self, expr):
        return self.enc.undefined(Val(expr).term)

    def solver(self, *facts) -> z3.Solver:
        s = z3.Solver()
        s.set("timeout", TIMEOUT_MS)
        for c in self.constraints + list(facts):
            s.add(V.zb(c))
        return s

    def prove(self, claim, *facts) -> None:
        """claim holds in every model of the domain constraints and facts."""
        s = self.solver(*facts)
        s.add(V.zb(V.b_not(claim)))
        r = s.check()
        assert r != z3.unknown, f"solver gave up: {s.reason_unknown()}"
        assert r == z3.unsat, f"counterexample: {s.model()}"

    def eq(self, expr, value):
        """The encoded expr equals the concrete value."""
        sort = Val(expr).term.sort
        return V.eq(sort, self.value(expr), self.u.const(sort, value))

    def at(self, **values):
        """Facts fixing scalar variables to values."""
        return [self.u.bind(self.vars[n].term.sort, self.env[self.vars[n].term],
                            self.u.const(self.vars[n].term.sort, v)) for n, v in values.items()]

    def forced(self, expr, expected, **values) -> None:
        """Under the given variable values, expr is defined and can only be `expected`."""
        facts = self.at(**values)
        self.prove(V.b_not(self.undefined(expr)), *facts)
        self.prove(self.eq(expr, expected), *facts)


def ref(expr, **values):
    """The concrete evaluator's value (the reference the checker replays against)."""
    return eval_term(Val(expr).term, {Var(n, type(v) if not isinstance(v, bool) else bool).term: v
                                      for n, v in values.items()})


def ast_size(e) -> int:
    if not isinstance(e, z3.ExprRef):
        return 1
    seen, stack = set(), [e]
    while stack:
        x = stack.pop()
        if x.get_id() in seen:
            continue
        seen.add(x.get_id())
        stack.extend(x.children())
    return len(seen)


# --- arenas: sets of ints with symbolic elements ------------------------------------------

def test_int_set_ops_count_duplicates_once():
    z = Sym(("x", int), ("y", int), ("w", int))
    x, y, w = z["x"], z["y"], z["w"]
    S, T = Set(x, y), Set(y, w, 1)
    exprs = {"union": (S | T).size, "inter": (S & T).size, "diff": (S - T).size, "S": S.size,
             "lit": Set(x, x, y).size}
    for vx, vy, vw in itertools.product((0, 1, 2), repeat=3):
        py_s, py_t = {vx, vy}, {vy, vw, 1}
        expected = {"union": len(py_s | py_t), "inter": len(py_s & py_t), "diff": len(py_s - py_t),
                    "S": len(py_s), "lit": len({vx, vy})}
        for k, e in exprs.items():
            z.forced(e, expected[k], x=vx, y=vy, w=vw)
        z.forced(S | T, frozenset(py_s | py_t), x=vx, y=vy, w=vw)


def test_int_set_cardinality_laws_hold_for_all_elements():
    z = Sym(("x", int), ("y", int), ("w", int), ("v", int))
    x, y, w, v = z["x"], z["y"], z["w"], z["v"]
    S, T = Set(x, y, 3), Set(y, w, v)
    # inclusion-exclusion is exact only if duplicates are counted once everywhere
    z.prove(V.s_eq(z.value((S | T).size + (S & T).size), z.value(S.size + T.size)))
    z.prove(V.s_eq(z.value((S - T).size + (S & T).size), z.value(S.size)))
    z.prove(z.value(((S | T).size <= 6) & (S.size >= 1)))
    z.prove(z.value(S.size == 1), *[z.value(x == 3), z.value(y == 3)])


def test_set_of_ints_with_unsigned_filter():
    z = Sym(("x", int), ("y", int))
    S = Set(z["x"], z["y"], -1)
    for vx, vy in itertools.product((-1, 0, 2), repeat=2):
        z.forced((S & UnsignedInts).size, len({a for a in (vx, vy, -1) if a >= 0}), x=vx, y=vy)
        z.forced((S - UnsignedInts).size, 1, x=vx, y=vy)


# --- finite universes: sets of records with enum fields --------------------------------------

def test_set_of_enum_records_is_a_finite_universe():
    z = Sym(("S", set[Job]), ("r", Job))
    S, r = z["S"], z["r"]
    sv = z.env[S.term]
    assert isinstance(sv, V.SSet) and len(sv.slots) == 6  # 3 priorities x 2 flags, no arena
    assert all(V.is_const(S.term.sort.elem, k) for k, _ in sv.slots)
    z.prove(z.value((S | Set(r)).size == S.size + Ite(r.in_(S), 0, 1)))
    z.prove(z.value(Set(r, r.replace(done=True)).size == Ite(r.done, 1, 2)))
    z.prove(z.value((S - Set(r)).size <= 5))
    z.prove(z.value(S.size <= 6))
    z.prove(z.value(S.filter(lambda j: j.prio == Prio.HIGH).size <= 2))
    # a concrete set decodes and is forced
    val = frozenset({Job(prio=Prio.LOW, done=False).term.data, Job(prio=Prio.HIGH, done=True).term.data})
    cv = z.u.const(S.term.sort, val)
    facts = [z.u.bind(S.term.sort, sv, cv)]
    z.prove(z.eq(S.map(lambda j: j.prio), frozenset({Prio.LOW, Prio.HIGH})), *facts)
    z.prove(z.value(S.size == 2), *facts)
    s = z.solver(*facts)
    assert s.check() == z3.sat
    assert z.u.decode(S.term.sort, sv, s.model()) == val


# --- images of non-injective functions ----------------------------------------------------------

def test_image_size_counts_distinct_images():
    z = Sym(("x", int), ("y", int), ("w", int))
    S = Set(z["x"], z["y"], z["w"])
    sq = Set(v * v for v in S)
    par = S.map(lambda v: v % 2)
    for vx, vy, vw in itertools.product((-1, 0, 1, 2), repeat=3):
        xs = {vx, vy, vw}
        z.forced(sq.size, len({v * v for v in xs}), x=vx, y=vy, w=vw)
        z.forced(sq, frozenset(v * v for v in xs), x=vx, y=vy, w=vw)
        z.forced(par.size, len({v % 2 for v in xs}), x=vx, y=vy, w=vw)


def test_image_of_a_state_set_with_constant_keys():
    u = Universe([])
    value = u.const(Var("S", set[int]).term.sort, frozenset({1, 3, 4, -3}))
    z = Sym(("S", set[int], V.SSet(tuple((k, OPEN) for k, _ in value.slots), True)))
    S = z["S"]
    assert all(not isinstance(p, bool) for _, p in z.env[S.term].slots)
    facts = [z.u.bind(S.term.sort, z.env[S.term], value)]
    z.prove(z.value(S.map(lambda v: v % 2).size == 2), *facts)
    z.prove(z.value(S.map(lambda v: v * v).size == 3), *facts)
    # for every subset of the slots: the image size is at most the set's size
    z.prove(z.value(S.map(lambda v: v * v).size <= S.size))


# --- maps with symbolic keys ----------------------------------------------------------------------

def test_map_insert_replace_lookup_with_symbolic_keys():
    z = Sym(("k1", int), ("k2", int), ("k3", int), ("v", int))
    k1, k2, k3, v = z["k1"], z["k2"], z["k3"], z["v"]
    m = Map((k1, 10)).insert(k2, 20)
    r = m.replace(k3, v)
    for a, b, c in itertools.product((0, 1, 2), repeat=3):
        pm = {a: 10}
        pm[b] = 20
        pr = dict(pm)
        if c in pr:
            pr[c] = 7
        vals = dict(k1=a, k2=b, k3=c, v=7)
        z.forced(m, MapValue(pm), **vals)
        z.forced(m.size, len(pm), **vals)
        z.forced(m[k1], pm[a], **vals)
        z.forced(r, MapValue(pr), **vals)
        z.forced(r.size, len(pr), **vals)
        z.forced(r.keys, frozenset(pr), **vals)
        z.forced(r.values, frozenset(pr.values()), **vals)
        # lookup outside the domain is undefined, inside it is defined
        z.prove(z.undefined(r[k3]) if c not in pr else V.b_not(z.undefined(r[k3])), *z.at(**vals))
        assert ref(r, **vals) == MapValue(pr)


def test_map_lookup_after_insert_is_the_inserted_value():
    z = Sym(("k1", int), ("k2", int), ("v", int), ("w", int))
    m = Map((z["k1"], z["v"])).insert(z["k2"], z["w"])
    z.prove(z.value(m[z["k2"]] == z["w"]))
    z.prove(V.b_not(z.undefined(m[z["k1"]])))
    z.prove(z.value(m.size == Ite(z["k1"] == z["k2"], 1, 2)))
    z.prove(z.value(m.insert(z["k1"], 0).size == m.size))


def test_map_insert_after_unaligned_ite_counts_key_once():
    """Regression: after an Ite of maps whose slots could not be aligned, insert(1, ...) made
    both branches' slots for key 1 present, so size counted the key twice."""
    z = Sym(("a", bool), ("k", int))
    a, k = z["a"], z["k"]
    m = Ite(a, Map((1, 10)).insert(k, 0), Map((1, 20))).insert(1, 5)
    for va, vk in itertools.product((True, False), (1, 2)):
        expected = ref(m, a=va, k=vk)
        z.forced(m, expected, a=va, k=vk)
        z.forced(m.size, len(expected), a=va, k=vk)


def test_map_replace_is_strict_in_both_engines():
    """m.replace(k, v) evaluates v even when k is not a key (every operator but And/Or/Implies/Ite
    is strict): the interpreter raises and the encoder's definedness condition agrees."""
    z = Sym(("m", dict[int, int], V.SMap(())), ("n", dict[int, int], V.SMap(((-2, True, -1),))), ("k", int),
            ("x", int))
    m, n, k, x = z["m"], z["n"], z["k"], z["x"]
    e = n.replace(x, m[k])
    vals = dict(x=4, k=0)
    facts = z.at(**vals) + [z.u.bind(m.term.sort, z.env[m.term], V.SMap(())),
                            z.u.bind(n.term.sort, z.env[n.term], V.SMap(((-2, True, -1),)))]
    env = {m.term: MapValue({}), n.term: MapValue({-2: -1}), k.term: 0, x.term: 4}
    with pytest.raises(EvaluationError):
        eval_term(e.term, env)
    z.prove(z.undefined(e), *facts)


# --- equality of sets built in different orders ----------------------------------------------------

def test_set_equality_ignores_construction_order():
    z = Sym(("x", int), ("y", int), ("w", int), ("S", set[int], V.SSet(((1, OPEN), (2, OPEN)), True)))
    x, y, w, S = z["x"], z["y"], z["w"], z["S"]
    z.prove(z.value(Set(x, y, w) == Set(w, x, y)))
    z.prove(z.value(Set(x, y, x) == Set(y, x)))
    z.prove(z.value((S | Set(x)) == (Set(x) | S)))
    z.prove(z.value(((S - Set(x)) | Set(x)) == (S | Set(x))))
    z.prove(z.value((Set(x, y) | Set(w)) == (Set(w, y) | Set(x))))
    z.prove(V.b_iff(z.value(Set(x, y) == Set(x)), z.value(x == y)))
    z.prove(z.value(Set(v + 1 for v in Set(x, y)) == Set(y + 1, x + 1)))
    # maps built in different orders
    z.prove(z.value(Map((x, 1)).insert(y, 2) == Map((y, 2)).insert(x, 1)), z.value(x != y))
    z.prove(z.value(Map((x, 1), (y, 2)) != Map((y, 2), (x, 1))), z.value(x == y))


def test_record_set_equality_ignores_order():
    z = Sym(("r", Job), ("q", Job))
    r, q = z["r"], z["q"]
    z.prove(z.value(Set(r, q) == Set(q, r)))
    z.prove(V.b_iff(z.value(Set(r, q).size == 1), z.value(r == q)))


# --- large intervals stay symbolic ------------------------------------------------------------

def test_membership_in_a_huge_interval_is_a_range_check():
    z = Sym(("x", int))
    x = z["x"]
    big = Interval(0, 2 ** 32 - 1)
    assert isinstance(z.value(big), V.SRange)
    inside = z.value(x.in_(big))
    assert ast_size(inside) < 12, f"membership was enumerated: {ast_size(inside)} nodes"
    z.prove(V.b_iff(inside, z3.And(0 <= z.env[x.term], z.env[x.term] <= 2 ** 32 - 1)))
    assert z.value(big.size) == 2 ** 32
    z.prove(V.b_not(z.value((x + 2 ** 32).in_(big))), z.value(x >= 0))
    # finite sets against the huge interval: one range check per slot
    S = Set(x, -1, 7)
    inter = z.value((S & big).size)
    assert ast_size(inter) < 60
    z.prove(z.value((S & big).size == Ite(x.in_(big) & (x != 7), 2, 1)))
    z.prove(z.value(S - big == Ite(x < 0, Set(x, -1), Set(-1))), z.value(x < 2 ** 32))
    z.prove(z.value((Set(x, 5) <= big) == (x >= 0)), z.value(x < 2 ** 32))


def test_huge_interval_as_a_state_template_stays_a_range():
    u = Universe([])
    sort = Var("I", set[int]).term.sort
    tmpl = V.SRange(0, 2 ** 32 - 1)
    cons: list = []
    f = u.fresh(sort, "I", V.SRange(z3.Int("lo0") + 0, z3.Int("hi0") + 0), cons)
    assert isinstance(f, V.SRange)
    s = z3.Solver()
    s.add(*[V.zb(c) for c in cons], V.zb(u.bind(sort, f, tmpl)))
    s.add(V.zb(V.b_not(V.member(sort, 2 ** 31, f))))
    assert s.check() == z3.unsat


# --- floor division and modulo ------------------------------------------------------------------

def test_floor_div_mod_match_python_on_negative_operands():
    z = Sym(("x", int), ("y", int))
    x, y = z["x"], z["y"]
    for a in range(-7, 8):
        for b in range(-4, 5):
            vals = dict(x=a, y=b)
            if b == 0:
                z.prove(z.undefined(x / y), *z.at(**vals))
                z.prove(z.undefined(x % y), *z.at(**vals))
                continue
            z.forced(x / y, a // b, **vals)
            z.forced(x % y, a % b, **vals)
        z.forced(x / -3, a // -3, x=a)
        z.forced(x % -3, a % -3, x=a)
    for b in (-4, -1, 1, 3):
        z.forced(-7 % y, -7 % b, y=b)
        z.forced(7 / y, 7 // b, y=b)


def test_floor_div_mod_laws_for_all_operands():
    z = Sym(("x", int), ("y", int))
    x, y = z["x"], z["y"]
    X, Y = z.env[x.term], z.env[y.term]
    q, r = z.value(x / y), z.value(x % y)
    nz = Y != 0
    z.prove(q * Y + r == X, nz)
    z.prove(z3.Implies(Y > 0, z3.And(0 <= r, r < Y)), nz)
    z.prove(z3.Implies(Y < 0, z3.And(Y < r, r <= 0)), nz)
    z.prove(V.b_iff(z.undefined(x / y), Y == 0))
    q3, r3 = z.value(x / -3), z.value(x % -3)
    z.prove(z3.And(q3 * -3 + r3 == X, -3 < r3, r3 <= 0))


def test_branch_values_share_potential_elements():
    """An ITE of `S | {x}` and `S` keeps S's potential elements once (regression: they were
    concatenated, so the state's slots doubled with every step: tests/specs/repro_arena_growth.py)."""
    from wunderspec_smt.lang.sorts import INT, SetSort, MapSort
    sort = SetSort(INT)
    S = V.SSet(((z3.Int("a"), z3.Bool("pa")), (z3.Int("b"), z3.Bool("pb"))), True)
    x = z3.Int("x")
    grown = V.set_union(sort, S, V.SSet(((x, True),), True))
    merged = V.set_ite(sort, z3.Bool("c"), grown, S)
    assert len(merged.slots) == 3
    msort = MapSort(INT, INT)
    m = V.SMap(((z3.Int("k"), z3.Bool("pk"), z3.Int("v")),))
    mm = V.map_ite(msort, z3.Bool("c"), V.map_insert(msort, m, x, 1), m)
    assert len(mm.slots) == 2


def _equivalent(a, b) -> bool:
    s = z3.Solver()
    s.add(z3.Not(V.zb(a) == V.zb(b)))
    return s.check() == z3.unsat


def test_branches_with_the_same_keys_pair_slot_by_slot_as_slot_matching_does():
    """`set_ite` / `map_ite` skip `align_slots` when both sides hold the same keys in the same order
    (a map's values after a lookup, two branches of one set): the result is what matching gives."""
    from wunderspec_smt.lang.sorts import INT, SetSort, MapSort
    c = z3.Bool("same_c")
    keys = [3, z3.Int("same_k"), 1]
    a = V.SSet(tuple((k, z3.Bool(f"same_pa{i}")) for i, k in enumerate(keys)), False)
    b = V.SSet(tuple((k, z3.Bool(f"same_pb{i}")) for i, k in enumerate(keys)), False)
    merged = V.set_ite(SetSort(INT), c, a, b)
    pairs, only_a, only_b = V.align_slots(INT, keys, keys)
    assert pairs == [(0, 0), (1, 1), (2, 2)] and not only_a and not only_b
    assert [k for k, _ in merged.slots] == keys
    for (k, p), (_, pa), (_, pb) in zip(merged.slots, a.slots, b.slots):
        assert _equivalent(p, z3.If(c, pa, pb))
    m1 = V.SMap(tuple((k, z3.Bool(f"same_q{i}"), z3.Int(f"same_v{i}")) for i, k in enumerate(keys)))
    m2 = V.SMap(tuple((k, True, i) for i, k in enumerate(keys)))
    mm = V.map_ite(MapSort(INT, INT), c, m1, m2)
    assert [k for k, _, _ in mm.slots] == keys
    for (k, p, v), (_, q, w), i in zip(mm.slots, m1.slots, range(3)):
        assert _equivalent(p, z3.Or(z3.Not(c), q)) and _equivalent(v == z3.If(c, w, i), True)
    # another key in one place: matched by key identity, not by position
    other = V.SSet(((1, z3.Bool("same_o0")), (3, z3.Bool("same_o1"))), True)
    assert not V._same_keys(a.slots, other.slots)
    assert sorted(str(k) for k, _ in V.set_ite(SetSort(INT), c, a, other).slots) == sorted(str(k) for k in keys)


def test_an_encoders_membership_answers_are_shared_per_set_and_element():
    """`rcvd[p] <= sent` for every p asks `k in sent` with the same symbolic k each time: one encoder
    answers it once. The answer is the term membership gives, and another set is asked anew."""
    from wunderspec_smt.lang.sorts import INT, SetSort
    sort = SetSort(INT)
    k = z3.Int("memo_k")
    sent = V.SSet(((z3.Int("memo_a"), z3.Bool("memo_pa")), (2, z3.Bool("memo_pb"))), False)
    other = V.SSet(((z3.Int("memo_c"), z3.Bool("memo_pc")),), True)
    memo: dict = {}
    first = V.member(sort, k, sent, memo)
    assert V.member(sort, k, sent, memo) is first
    assert first.eq(V.member(sort, k, sent))
    assert V.member(sort, k, other, memo).eq(V.member(sort, k, other))
    rcvd = V.SSet(((k, z3.Bool("memo_r0")), (z3.Int("memo_j"), z3.Bool("memo_r1"))), False)
    assert V.set_subseteq(sort, rcvd, sent, memo).eq(V.set_subseteq(sort, rcvd, sent))



def test_members_of_constant_tuples_are_the_terms_member_builds():
    """Binding a set of records over a finite universe asks `members` for every value at once: each
    slot's constant key is read once, and every answer is the term `member` builds for its value."""
    from wunderspec_smt.lang.sorts import INT, SetSort, TupleSort
    sort = SetSort(TupleSort((INT, INT)))
    xs = [(1, 2), (2, 1), (3, 3)]
    p = [z3.Bool(f"mt_p{i}") for i in range(4)]
    const_only = V.SSet((((1, 2), p[0]), ((3, 3), p[1]), ((1, 2), p[2])), False)
    mixed = V.SSet((((1, 2), p[0]), ((z3.Int("mt_a"), 1), p[1]), ((3, 3), p[2]), ((2, z3.Int("mt_b")), p[3])), False)
    for s in (const_only, mixed):
        got = V.members(sort, xs, s)
        for x, g in zip(xs, got):
            want = V.member(sort, x, s)
            assert (g is want) if isinstance(want, bool) else g.eq(want)
