"""Lists, unions, choose, reduce and the never-enumerated sets (AllSubsets, AllMaps, AllRecords):
targeted encoder properties proved by Z3, and specs through the CLI.

The expression-by-expression agreement of the interpreter and the encoder with
Python is in tests/lang_cases.py; here: identities over *generic* values (every
list up to a capacity, every set of unions...), determinism of choose, the
witness encoding of quantifiers, and whole specs with pinned shortest traces.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import z3

from wunderspec_smt import (AllMaps, AllRecords, AllSubsets, And, Exists, Forall, Implies, Interval, Ints, Ite, List,
                            Map, Max, Min, Set, SpecError, Tuple, Val, Var)
from wunderspec_smt.encoders import symvals as V
from wunderspec_smt.encoders.shapes import Universe
from wunderspec_smt.encoders.terms import TermEncoder
from wunderspec_smt.interp.evaluate import eval_term
from wunderspec_smt.lang.values import ListValue, VariantValue

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lang_cases import Color, Msg, Point, Sig  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECS = os.path.join(ROOT, "tests", "specs")


class Generic:
    """Variables bound to generic (unconstrained) symbolic values of their sort, and an encoder."""

    def __init__(self, *decls, capacity: int = 3, strings=("a", "b", "c")):
        self.u = Universe(list(strings) + list(Msg.__wunderspec_union_sort__.tags))
        self.cons: list = []
        env = {}
        self.vars = []
        for name, pytype in decls:
            e = Var(name, pytype)
            env[e.term] = self.u.generic(e.term.sort, name, self.cons, capacity=capacity)
            self.vars.append(e)
        self.env = env
        self.enc = TermEncoder(self.u, env)

    def val(self, e):
        return self.enc.value(Val(e).term)

    def und(self, e):
        return self.enc.undefined(Val(e).term)

    def solver(self, *facts):
        s = z3.Solver()
        s.set("timeout", 20000)
        s.add(*(V.zb(c) for c in self.cons + list(facts)))
        return s

    def valid(self, e, *facts) -> None:
        """e is defined and true for every value of the variables (within the capacity)."""
        s = self.solver(*facts)
        assert s.check() == z3.sat, "the generic values and facts are contradictory"
        s.add(V.zb(V.b_or(self.und(e), V.b_not(self.val(e)))))
        r = s.check()
        assert r == z3.unsat, f"{e} fails: {s.model() if r == z3.sat else r}"

    def sat(self, e, *facts) -> z3.ModelRef:
        s = self.solver(*facts)
        s.add(V.zb(self.val(e)))
        assert s.check() == z3.sat, f"{e} is never true"
        return s.model()


# --- lists with symbolic lengths -----------------------------------------------------------

def test_generic_list_has_any_length_up_to_its_capacity():
    g = Generic(("l", list[int]))
    (l,) = g.vars
    for n in range(4):
        g.sat(l.size == n)
    g.valid(And(l.size >= 0, l.size <= 3))
    m = g.sat(And(l.size == 2, l[1] == 7, l[0] == -1))
    assert g.u.decode(l.term.sort, g.env[l.term], m) == ListValue((-1, 7))


def test_list_identities_over_symbolic_lengths():
    g = Generic(("l", list[int]), ("m", list[int]), ("i", int), ("x", int))
    l, m, i, x = g.vars
    g.valid((l + List(x))[l.size] == x)
    g.valid((l + m).size == l.size + m.size)
    g.valid(l[:i] + l[i:] == l)
    g.valid((l + m)[l.size:] == m)
    g.valid(Implies(And(0 <= i, i < l.size), And(l.replace(i, x)[i] == x, l.replace(i, x).size == l.size)))
    g.valid(Implies(i >= l.size, l.replace(i, x) == l))
    g.valid(l.filter(lambda v: v > x).size <= l.size)
    g.valid(l.filter(lambda v: v > x).forall(lambda v: v > x))
    g.valid((l + m).reduce(lambda a, v: a + v, 0) == l.reduce(lambda a, v: a + v, 0) + m.reduce(lambda a, v: a + v, 0))
    g.valid(Implies(~l.is_empty, And(Max(l) >= l[0], Min(l) <= l[l.size - 1])))
    g.valid(And(l.keys.size == l.size, l.keys.forall(lambda k: And(0 <= k, k < l.size))))
    g.valid((l + m).exists(lambda v: v == x) == (l.exists(lambda v: v == x) | m.exists(lambda v: v == x)))


def test_list_index_is_undefined_exactly_out_of_range():
    g = Generic(("l", list[int]), ("i", int))
    l, i = g.vars
    s = g.solver()
    s.add(V.zb(V.b_not(V.b_iff(g.und(l[i]), V.b_not(g.val(And(0 <= i, i < l.size)))))))
    assert s.check() == z3.unsat
    g.sat(l.size == 0)
    assert g.und(List(1, 2)[1]) is False  # constants fold
    assert g.und(List(1, 2)[2]) is True


def test_list_of_unions_and_lists_of_lists():
    g = Generic(("q", list[Msg]), ("ll", list[list[int]]), capacity=2)
    q, ll = g.vars
    g.valid((q + List(Msg.Pong())).exists(lambda w: w.tag == "Pong"))
    g.valid(q.filter(lambda w: w.tag == "Ping").forall(lambda w: w.match(Ping=lambda n: True, default=False)))
    g.valid((ll + List(List(1, 2))).reduce(lambda a, l: a + l.size, 0) == ll.reduce(lambda a, l: a + l.size, 0) + 2)


# --- unions in sets and maps ------------------------------------------------------------------

def test_unions_in_sets_and_maps():
    g = Generic(("S", set[Msg]), ("F", set[Sig]), ("m", dict[Msg, int]), ("u", Msg), ("x", int), ("y", int))
    S, F, m, u, x, y = g.vars
    g.valid((S | Set(u)).contains(u))
    g.valid((S - Set(u)).contains(u) == False)  # noqa: E712 - a symbolic comparison
    g.valid((Set(Msg.Ping(x), Msg.Ping(y)).size == 1) == (x == y))
    g.valid(Set(Msg.Ping(x), Msg.Pong(), Msg.At(Point(x=x, y=y))).size == 3)
    g.valid(m.insert(u, x)[u] == x)
    g.valid(Implies(m.keys.contains(Msg.Pong()), m.insert(Msg.Ping(x), y)[Msg.Pong()] == m[Msg.Pong()]))
    g.valid(S.filter(lambda w: w.tag == "Ping").forall(lambda w: w != Msg.Pong()))
    # a set over a finite union: one presence bit per value (2 + 3 + 1 possible signals)
    assert len(g.env[F.term].slots) == 6
    g.sat(F.size == 6)
    g.valid(F.size <= 6)


# --- choose -------------------------------------------------------------------------------------

def test_choose_is_deterministic_and_least():
    g = Generic(("S", set[int]), ("T", set[int]), ("x", int), ("y", int), ("u", Msg), ("v", Msg),
                ("s", str), ("t", str), ("p", tuple[int, bool]), ("q", tuple[int, bool]))
    S, T, x, y, u, v, s, t, p, q = g.vars
    # the same set, built in different ways, gives the same element
    g.valid(Set(x, y).choose() == Set(y, x).choose())
    g.valid(Set(u, v).choose() == Set(v, u).choose())
    g.valid(Set(s, t).choose() == Set(t, s).choose())
    g.valid(Set(p, q).choose() == Set(q, p).choose())
    g.valid(Implies(~(S | T).is_empty, (S | T).choose() == (T | S).choose()))
    g.valid(Implies(S == T, Implies(~S.is_empty, S.choose() == T.choose())))
    # it is the least element (ints numerically)
    g.valid(Set(x, y).choose() == Min(x, y))
    g.valid(Implies(~S.is_empty, And(S.contains(S.choose()), S.forall(lambda z: S.choose() <= z))))
    g.valid(Implies(~S.is_empty, S.choose() == Min(S)))
    g.valid(Implies(S.exists(lambda z: z > x), S.choose(lambda z: z > x) > x))
    # undefined exactly when there is no witness
    s_ = g.solver()
    s_.add(V.zb(V.b_not(V.b_iff(g.und(S.choose(lambda z: z > x)), V.b_not(g.val(S.exists(lambda z: z > x)))))))
    assert s_.check() == z3.unsat


def test_choose_agrees_with_the_interpreter_on_every_value_order():
    # the interpreter's choice is min by value_key; the encoder must pick the same one
    cases = [
        (Set(Msg.Ping(3), Msg.Pong(), Msg.Ping(-1), Msg.At(Point(x=0, y=0))), VariantValue("At", None)),
        (Set(Tuple(2, False), Tuple(1, True), Tuple(1, False)), (1, False)),
        (Set("b", "a", "c"), "a"),
        (Set(Color.BLUE, Color.GREEN), Color.GREEN),
        (Set(List(1, 2), List(1), List(0, 5, 5)), ListValue((0, 5, 5))),
        (Set(Set(2), Set(1, 3), Set(1)), frozenset({1})),
        (Set(Map((1, 2)), Map((0, 9))), None),
    ]
    u = Universe(["a", "b", "c", "At", "Ping", "Pong"])
    for coll, expected in cases:
        term = coll.choose().term
        got = eval_term(term, {})
        if expected is not None and not isinstance(expected, VariantValue):
            assert got == expected
        enc = TermEncoder(u, {})
        sym = enc.value(coll.choose(lambda e: e == e).term)  # not folded: the encoder chooses
        assert u.decode(term.sort, sym, None) == got


# --- reduce -------------------------------------------------------------------------------------

def test_reduce_counts_each_element_once():
    g = Generic(("x", int), ("y", int), ("S", set[int]))
    x, y, S = g.vars
    g.valid(Set(x, y).reduce(lambda a, e: a + 1, 0) == Set(x, y).size)
    g.valid((S | Set(x)).reduce(lambda a, e: a + 1, 0) == (S | Set(x)).size)
    g.valid(Map((x, 1), (y, 2)).reduce(lambda a, k, v: a + v, 0) == Ite(x == y, 2, 3))


# --- quantifiers over sets that are never enumerated -----------------------------------------------

def test_witness_quantifiers_follow_polarity():
    g = Generic(("S", set[int]))
    (S,) = g.vars
    ex = Exists(And(X.size == 2, X.reduce(lambda a, e: a + e, 0) == 10) for X in AllSubsets(S))
    with pytest.raises(SpecError, match="not supported yet"):
        g.enc.value(ex.term)  # no polarity: refused
    with pytest.raises(SpecError, match="not supported yet"):
        g.enc.value(ex.term, False)  # an Exists to be falsified needs every subset: refused
    pos = g.enc.value(ex.term, True)
    s = g.solver(pos)
    assert s.check() == z3.sat
    chosen = g.u.decode(S.term.sort, g.env[S.term], s.model())
    assert any(a + b == 10 and a != b for a in chosen for b in chosen)
    s = g.solver(pos, V.zb(g.val(S.forall(lambda e: e > 10))))
    assert s.check() == z3.unsat  # no two elements above 10 sum to 10
    # Forall in an invariant (searched for false): one witness subset
    fa = Forall(X.size <= 2 for X in AllSubsets(S))
    neg = g.enc.value(fa.term, False)
    s = g.solver(V.b_not(neg))
    assert s.check() == z3.sat and len(g.u.decode(S.term.sort, g.env[S.term], s.model())) == 3
    s = g.solver(V.b_not(neg), V.zb(g.val(S.size <= 2)))
    assert s.check() == z3.unsat
    # Exists over Ints in a guard
    gi = Generic(("x", int))
    (x,) = gi.vars
    e = Exists(y * y == x for y in Ints)
    s = gi.solver(gi.enc.value(e.term, True), V.zb(gi.val(x > 10)))
    assert s.check() == z3.sat
    assert round(s.model().eval(V.zi(gi.env[x.term])).as_long() ** 0.5) ** 2 == \
        s.model().eval(V.zi(gi.env[x.term])).as_long()


def test_enumerating_a_power_set_is_refused_with_the_line():
    g = Generic(("S_unshared", set[int]))  # terms are interned: a term keeps the line it was first built at
    (S,) = g.vars
    line = sys._getframe().f_lineno + 1
    e = AllSubsets(S).map(lambda X: X.size)
    with pytest.raises(SpecError) as ei:
        g.val(e)
    assert "not supported yet" in str(ei.value)
    assert ei.value.loc is not None and ei.value.loc.line == line


def test_interpreter_enumerates_small_power_sets_and_refuses_huge_ones():
    from wunderspec_smt.errors import EvaluationError
    assert eval_term(AllSubsets(Set(1, 2, 3)).term, {}) == frozenset(
        frozenset(c) for c in [(), (1,), (2,), (3,), (1, 2), (1, 3), (2, 3), (1, 2, 3)])
    big = AllSubsets(Interval(1, 40))
    assert eval_term(big.size.term, {}) == 2 ** 40
    assert eval_term(Set(1, 40).in_(big).term, {}) is True
    assert eval_term(Map((1, 5)).in_(AllMaps(Set(1), Ints)).term, {}) is True
    with pytest.raises(EvaluationError, match="too many to enumerate"):
        eval_term(big.map(lambda X: X.size).term, {})


# --- specs through the command line ------------------------------------------------------------------

def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wunderspec_smt", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_one_of_all_subsets_maps_records_finds_witnesses():
    r = run("check", os.path.join(SPECS, "power_pick.py"), "-k", "1", "--json",
            *[a for p in ("three_primes_sum_to_fifty", "pricey", "vip_41", "some_pair_of_chosen_sums_to_30",
                          "small_subsets") for a in ("-p", p)])
    assert r.returncode == 2, r.stdout + r.stderr  # every example reached, the invariant holds
    doc = json.loads(r.stdout)
    res = {x["property"]: x for x in doc["results"]}
    assert {n: (x["verdict"], x.get("length")) for n, x in res.items()} == {
        "three_primes_sum_to_fifty": ("found", 1), "pricey": ("found", 1), "vip_41": ("found", 1),
        "some_pair_of_chosen_sums_to_30": ("found", 1), "small_subsets": ("holds", None)}
    chosen = res["three_primes_sum_to_fifty"]["trace"]["states"][1]["chosen"]
    assert chosen == {"#set": [{"#bigint": "13"}, {"#bigint": "17"}, {"#bigint": "19"}]}


def test_misplaced_quantifier_over_a_power_set_is_a_spec_error(tmp_path):
    spec = tmp_path / "bad.py"
    spec.write_text(
        "from wunderspec_smt import *\n\n"
        "@state\nclass S(MachineStateBase):\n    x: StateVar[set[int]]\n\n"
        "@action\ndef init(c: Context[S]):\n    c.state.x = Set(1, 2)\n\n"
        "@action\ndef step(c: Context[S]):\n    c.state.x = c.state.x\n\n"
        "@invariant\ndef bad(s: S):\n    return Exists(Y.size == 5 for Y in AllSubsets(s.x))\n")
    r = run("check", str(spec), "-k", "1")
    assert r.returncode == 5, r.stdout + r.stderr
    assert "bad.py:17" in r.stderr and "not supported yet" in r.stderr and "Traceback" not in r.stderr


def test_lists_and_unions_as_state_variables():
    props = ("served_little", "no_reset_queued", "served_in_range", "acked_two_served", "three_queued_in_order")
    r = run("check", os.path.join(SPECS, "queue_union.py"), "-k", "6", "--json",
            *[a for p in props for a in ("-p", p)])
    assert r.returncode == 1, r.stdout + r.stderr
    res = {x["property"]: x for x in json.loads(r.stdout)["results"]}
    assert {n: (x["verdict"], x.get("length")) for n, x in res.items()} == {
        "served_little": ("violated", 4), "no_reset_queued": ("holds", None), "served_in_range": ("holds", None),
        "acked_two_served": ("found", 3), "three_queued_in_order": ("found", 3)}
    last = res["acked_two_served"]["trace"]["states"][-1]
    assert last["last"] == {"tag": "Ack", "value": {"#bigint": "2"}}
    bad = res["served_little"]["trace"]["states"][-1]
    assert sum(int(x["#bigint"]) for x in bad["served"]) >= 6
    # the explicit-state search agrees on every verdict and length
    e = run("explore", os.path.join(SPECS, "queue_union.py"), "-k", "6", "--json",
            *[a for p in props for a in ("-p", p)])
    assert e.returncode == 1, e.stdout + e.stderr
    eres = {x["property"]: (x["verdict"], x.get("length")) for x in json.loads(e.stdout)["results"]}
    assert eres == {n: (x["verdict"], x.get("length")) for n, x in res.items()}


def test_lazy_collections_sample_and_explicit_search_enumerates_them(tmp_path):
    import random
    from wunderspec_smt.interp.evaluate import LazySet
    rng = random.Random(7)
    ps = eval_term(AllSubsets(Interval(1, 9)).term, {})  # 512 subsets: kept lazy by the interpreter
    assert isinstance(ps, LazySet) and len(ps.elements(None)) == 512
    assert ps.sample(rng) in ps
    fs = eval_term(AllMaps(Set("a", "b"), Interval(0, 99)).term, {})
    assert isinstance(fs, LazySet) and fs.sample(rng) in fs
    rs = eval_term(AllRecords(id=Ints, ok=Set(True)).term, {})
    r = rs.sample(rng)
    assert r in rs and r.ok is True
    spec = tmp_path / "pick9.py"
    spec.write_text(
        "from wunderspec_smt import *\n\n"
        "@state\nclass S(MachineStateBase):\n    x: StateVar[set[int]]\n\n"
        "@action\ndef init(c: Context[S]):\n    c.state.x = Set(int)\n\n"
        "@action\ndef step(c: Context[S]):\n"
        "    with c.one_of(AllSubsets(Interval(1, 9))) as X:\n"
        "        c.assume(X.reduce(lambda a, e: a + e, 0) == 44)\n"
        "        c.state.x = X\n\n"
        "@example\ndef all_but_one(s: S):\n    return s.x.size == 8\n")
    for cmd in ("explore", "check"):
        r = run(cmd, str(spec), "-k", "1", "-p", "all_but_one", "--json")
        assert r.returncode == 2, r.stdout + r.stderr
        (res,) = json.loads(r.stdout)["results"]
        assert res["length"] == 1
        assert res["trace"]["states"][1]["x"] == {"#set": [{"#bigint": str(i)} for i in range(2, 10)]}


def test_one_of_over_tuples_holding_sets_can_pick_every_element(tmp_path):
    # regression: the pick was a fresh tuple whose set part had no slots, so no element could be picked
    spec = tmp_path / "tupset.py"
    spec.write_text(
        "from wunderspec_smt import *\n\n"
        "@state\nclass S(MachineStateBase):\n    got: StateVar[set[int]]\n\n"
        "@action\ndef init(c: Context[S]):\n    c.state.got = Set(int)\n\n"
        "@action\ndef step(c: Context[S]):\n"
        "    with c.one_of(Set(Tuple(Set(1), 2), Tuple(Set(3, 4), 5))) as p:\n"
        "        c.state.got = p[0]\n\n"
        "@example\ndef got_two(s: S):\n    return s.got.size == 2\n")
    r = run("check", str(spec), "-k", "2", "-p", "got_two", "--json")
    assert r.returncode == 2, r.stdout + r.stderr
    assert json.loads(r.stdout)["results"][0]["length"] == 1


def test_a_large_product_assigned_to_a_state_variable_is_a_plain_set(tmp_path):
    spec = tmp_path / "bigprod.py"
    spec.write_text(
        "from wunderspec_smt import *\n\n"
        "@state\nclass S(MachineStateBase):\n    pairs: StateVar[set[tuple[int, int]]]\n    n: StateVar[int]\n\n"
        "@action\ndef init(c: Context[S]):\n"
        "    c.state.pairs = AllTuples(Interval(1, 20), Interval(1, 20))\n    c.state.n = 0\n\n"
        "@action\ndef step(c: Context[S]):\n    c.state.n = c.state.pairs.size\n\n"
        "@example\ndef big(s: S):\n    return s.n == 400\n")
    for cmd in ("explore", "check"):  # check replays its trace in the interpreter
        r = run(cmd, str(spec), "-k", "2", "-p", "big")
        assert r.returncode == 2, r.stdout + r.stderr
