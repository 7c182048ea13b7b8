"""Front-end features: @expr, @with_flow/flow, SubMachine, editing()/edit(), several init
actions, UPSERT and nested keyed writes, @coverage, and temporal properties refused.

Each feature is evaluated concretely (the interpreter: stepper, `explore`) and
symbolically (BMC, through `run_bmc` or the CLI), and the two must agree; where a
feature is sugar, a spec that uses it and one written without it must agree too.
"""
from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import textwrap

import pytest

from wunderspec_smt import *  # noqa: F403 - the DSL surface, as specs see it
from wunderspec_smt.cli import main
from wunderspec_smt.engines.bmc import run_bmc
from wunderspec_smt.engines.explore import run_explore
from wunderspec_smt.errors import SpecError
from wunderspec_smt.interp.evaluate import eval_term
from wunderspec_smt.interp.stepper import init_states, next_states, replay_trace, run_path
from wunderspec_smt.lang.values import MapValue, RecordValue
from wunderspec_smt.loader import compile_model, load_spec
from wunderspec_smt.traces.model import StepInfo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECS = os.path.join(ROOT, "tests", "specs")


@pytest.fixture
def spec_file(tmp_path):
    counter = iter(range(1000))

    def go(src: str) -> str:
        path = tmp_path / f"spec_{next(counter)}.py"
        path.write_text("from enum import Enum\nfrom wunderspec_smt import *\n" + textwrap.dedent(src))
        return str(path)
    return go


@pytest.fixture
def compile_spec(spec_file):
    def go(src: str, init=None):
        return compile_model(load_spec(spec_file(src)), None, init)
    return go


def verdicts(model, k: int = 6, names=None) -> dict:
    """{property: (verdict, length)} from BMC and from explicit search, which must agree."""
    props = [p for n, p in model.properties.items() if names is None or n in names]
    sym = run_bmc(model, props, k, replay=lambda t: replay_trace(model, t))
    exp = run_explore(model, props, k)
    assert sym.fault is None and exp.fault is None, (sym.fault, exp.fault)
    got = {r.name: (r.verdict, r.length) for r in sym.results}
    assert got == {r.name: (r.verdict, r.length) for r in exp.results}
    for r in sym.results + exp.results:
        if r.trace is not None:
            replay_trace(model, r.trace)
    return got


def cli(capsys, *args: str) -> tuple:
    with pytest.raises(SystemExit) as e:
        main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return e.value.code, out, err


def ev(e, **env):
    """Evaluate an expression over free variables Var(name, ...) given by keyword."""
    from wunderspec_smt.lang import terms as T
    frees = {}

    def walk(t):
        if t.op == T.FREE:
            frees[t.data] = t
        for a in t.args:
            walk(a)
    walk(e._t)
    return eval_term(e._t, {frees[n]: v for n, v in env.items() if n in frees})


# --- @expr ---------------------------------------------------------------------------------------

def test_expr_is_plain_inlining():
    x, y = Var("x", int), Var("y", int)

    @expr
    def clamp(v, lo, hi):
        assert isinstance(lo, IntExpr) and isinstance(hi, IntExpr)  # coerce=True lifts Python ints
        return Max(lo, Min(v, hi))

    @expr(cache_args=False, inline=False)
    def dist(a, b):
        return Ite(a < b, b - a, a - b)

    # the same (hash-consed) term as writing the body inline
    assert clamp(x, 0, 5)._t is Max(0, Min(x, 5))._t
    assert dist(x, y)._t is Ite(x < y, y - x, x - y)._t
    assert ev(clamp(x, 0, 5), x=9) == 5 and ev(clamp(x, 0, 5), x=-2) == 0

    @expr
    def answer():
        return 42                                   # a Python return value is lifted
    assert isinstance(answer(), IntExpr) and answer()._t.data == 42


def test_expr_pure_and_coerce_checks(compile_spec):
    @expr(coerce=False)
    def inc(v):
        return v + 1

    @expr(coerce=False)
    def raw():
        return 3

    x = Var("x", int)
    assert inc(x)._t is (x + 1)._t
    with pytest.raises(SpecError, match=r"coerce=False\) helper 'inc' got a Python int"):
        inc(3)
    with pytest.raises(SpecError, match="returned a Python int"):
        raw()

    src = """
    @state
    class S(MachineStateBase):
        x: StateVar[int]

    @expr(pure=True)
    def double(v):
        return v * 2

    @expr
    def x_of(s):
        return s.x

    @action
    def init(c: Context[S]):
        c.state.x = double(1)

    @action
    def step(c: Context[S]):
        c.state.x = double(x_of(c.state)) % 7

    @invariant
    def small(s: S):
        return x_of(s) < %s
    """
    m = compile_spec(src.replace("%s", "4"))
    (_, s0), = init_states(m)
    assert s0 == {"x": 2}
    assert verdicts(m) == {"small": ("violated", 1)}       # x: 2, 4, 1, 2, ...
    bad = src.replace("%s", "double(s)")
    with pytest.raises(SpecError, match=r"pure=True\) helper 'double' got a state"):
        compile_spec(bad)
    bad = src.replace("%s", "4").replace("double(x_of(c.state))", "double(c)")
    with pytest.raises(SpecError, match="got a state"):
        compile_spec(bad)


# --- @with_flow ----------------------------------------------------------------------------------

def test_flow_builds_the_equivalent_ite():
    x = Var("x", int)

    @with_flow
    def grade(score):
        with flow.if_(score >= 90):
            flow.return_("A")
        with flow.if_(score >= 50):             # an elif
            with flow.if_(score == 50):
                flow.return_("C")
            flow.return_("B")
        with flow.else_():
            flow.return_("F")
        return flow.end()

    g = grade(x)
    assert g._t is Ite(x >= 90, "A", Ite(x >= 50, Ite(x == 50, "C", "B"), "F"))._t
    assert [ev(g, x=v) for v in (95, 60, 50, 10)] == ["A", "B", "C", "F"]


def test_flow_chains_are_if_elif_and_blocks_fall_through():
    a, b, c = Var("a", bool), Var("b", bool), Var("c", bool)

    @with_flow
    def f(a, b, c):
        with flow.if_(a):
            with flow.if_(b):
                flow.return_(1)
        with flow.if_(c):                        # elif: not looked at when a holds
            flow.return_(2)
        flow.return_(3)                          # after the chain: reached when the taken block falls through
        return flow.end()

    def python(a, b, c):
        if a:
            if b:
                return 1
        elif c:
            return 2
        return 3

    r = f(a, b, c)
    assert r._t is Ite(a, Ite(b, 1, 3), Ite(c, 2, 3))._t
    for va, vb, vc in itertools.product([False, True], repeat=3):
        assert ev(r, a=va, b=vb, c=vc) == python(va, vb, vc)

    @with_flow
    def g(a, b):
        with flow.if_(a):
            flow.return_(1)
        flow.return_(0)                          # ends the chain ...
        return flow.end()
    assert g(a, b)._t is Ite(a, 1, 0)._t

    @with_flow
    def h(a, b):
        with flow.if_(a):
            flow.return_(1)
        with flow.else_():
            flow.return_(2)
        return flow.end()
    assert h(a, b)._t is Ite(a, 1, 2)._t

    @with_flow
    def outer(a, b):                             # flow functions call each other
        with flow.if_(b):
            flow.return_(h(a, b) + 10)
        with flow.elif_(a):
            flow.return_(5)
        with flow.else_():
            flow.return_(g(a, b))
        return flow.end()
    assert outer(a, b)._t is Ite(b, Ite(a, 1, 2) + 10, Ite(a, 5, Ite(a, 1, 0)))._t


def _flow_error(body: str, match: str):
    ns = {"flow": flow, "with_flow": with_flow, "Var": Var}
    exec(textwrap.dedent(body), ns)
    with pytest.raises(SpecError, match=match):
        ns["f"](Var("a", bool))


@pytest.mark.parametrize("body,match", [
    ("""
     @with_flow
     def f(a):
         with flow.if_(a):
             flow.return_(1)
         return flow.end()
     """, "reaches flow.end\\(\\) without flow.return_"),
    ("""
     @with_flow
     def f(a):
         with flow.else_():
             flow.return_(1)
         return flow.end()
     """, "must follow a `with flow.if_"),
    ("""
     @with_flow
     def f(a):
         flow.return_(1)
         flow.return_(2)
         return flow.end()
     """, "unreachable"),
    ("""
     @with_flow
     def f(a):
         with flow.if_(a):
             flow.return_(1)
         with flow.else_():
             flow.return_(2)
         with flow.if_(a):
             flow.return_(3)
         return flow.end()
     """, "unreachable"),
    ("""
     @with_flow
     def f(a):
         flow.return_(1)
     """, "must end with `return flow.end\\(\\)`"),
    ("""
     @with_flow
     def f(a):
         with flow.if_(a):
             flow.return_(1)
             return flow.end()
     """, "inside a flow block"),
    ("""
     @with_flow
     def f(a):
         with flow.if_(a):
             flow.return_(1)
         with flow.else_():
             flow.return_(True)
         return flow.end()
     """, "sort mismatch"),
    ("""
     @with_flow
     def f(a):
         with flow.if_(5):
             flow.return_(1)
         return flow.end()
     """, "condition of flow.if_"),
    ("""
     def f(a):
         flow.return_(1)
     """, "outside a @with_flow function"),
])
def test_flow_errors(body, match):
    _flow_error(body, match)


FLOW_SPEC = """
class Phase(Enum):
    LOW = 1
    MID = 2
    HIGH = 3

@state
class S(MachineStateBase):
    x: StateVar[int]
    phase: StateVar[Phase]

{helpers}

@action
def init(c: Context[S]):
    c.state.x = 0
    c.state.phase = Phase.LOW

@action
def step(c: Context[S]):
    s = c.state
    with c.one_of(Set(1, 2, 3)) as d:
        nx = next_x(s.x, d)
        s.x = nx
        s.phase = phase_of(nx)

@invariant
def phase_matches(s: S):
    return s.phase == phase_of(s.x)

@invariant
def below_nine(s: S):
    return s.x < 9

@example
def high(s: S):
    return s.phase == Phase.HIGH
"""

WITH_FLOW = """
@expr
def next_x(x, d):
    return Ite(x + d > 10, 0, x + d)

@with_flow
def phase_of(x):
    with flow.if_(x < 3):
        flow.return_(Phase.LOW)
    with flow.if_(x < 7):
        flow.return_(Phase.MID)
    flow.return_(Phase.HIGH)
    return flow.end()
"""

WITHOUT_FLOW = """
def next_x(x, d):
    return Ite(x + d > 10, 0, x + d)

def phase_of(x):
    return Ite(x < 3, Phase.LOW, Ite(x < 7, Phase.MID, Phase.HIGH))
"""


def test_flow_and_expr_in_a_spec_agree_with_plain_ite(compile_spec):
    with_flow_ = verdicts(compile_spec(FLOW_SPEC.format(helpers=WITH_FLOW)), k=5)
    plain = verdicts(compile_spec(FLOW_SPEC.format(helpers=WITHOUT_FLOW)), k=5)
    assert with_flow_ == plain == {"phase_matches": ("holds", None), "below_nine": ("violated", 3),
                                   "high": ("found", 3)}


# --- SubMachine ----------------------------------------------------------------------------------

def test_submachine_agrees_with_the_flat_spec():
    composed = compile_model(load_spec(os.path.join(SPECS, "sub_two_locks.py")))
    flat = compile_model(load_spec(os.path.join(SPECS, "sub_two_locks_flat.py")))
    expected = {"a_ok": ("holds", None), "b_ok": ("holds", None), "not_both": ("violated", 2),
                "a_granted_twice": ("found", 3)}
    assert verdicts(composed, k=5) == verdicts(flat, k=5) == expected
    # the same successors, state by state (the flat spec names its acquire actions apart)
    (_, s0), = init_states(composed)
    assert s0 == next(iter(init_states(flat)))[1]
    assert s0 == {"holder_a": -1, "grants_a": MapValue({0: 0, 1: 0}), "holder_b": -1,
                  "grants_b": MapValue({0: 0, 1: 0})}
    posts = sorted((i.labels, i.picks, tuple(sorted(p.items()))) for i, p in next_states(composed, s0))
    posts_flat = sorted((i.labels, i.picks, tuple(sorted(p.items()))) for i, p in next_states(flat, s0))
    assert posts == posts_flat and len(posts) == 4


def test_submachine_through_the_cli(capsys):
    code, out, _ = cli(capsys, "check", os.path.join(SPECS, "sub_two_locks.py"), "-k", "4", "--json")
    doc = json.loads(out)
    assert code == 1
    assert {r["property"]: (r["verdict"], r["length"]) for r in doc["results"]} == \
        {"a_ok": ("holds", None), "b_ok": ("holds", None), "not_both": ("violated", 2)}


SUB_SRC = """
@state
class Inner(MachineStateBase):
    n: StateVar[int]
    tags: StateVar[dict[str, int]]

@state
class Outer(MachineStateBase):
    count: StateVar[int]
    labels: StateVar[dict[str, int]]
    flag: StateVar[bool]

Inner.__module__ = "elsewhere"       # the spec's one @state class is Outer
Sub = SubMachine[Inner](n="count", tags="labels")
Loose = SubMachine(n="count")

@action
def bump(c: Context[Inner]):
    c.state.n += 1
    with c.state.editing() as upd:
        upd.tags["b"] = upd.n        # the value of count before this block

@action
def init(c: Context[Outer]):
    c.state.count = 0
    c.state.labels = Map(("a", 0), ("b", 0))
    c.state.flag = False

@action
def step(c: Context[Outer]):
    {body}

@invariant
def ok(s: Outer):
    return {inv}
"""


def test_submachine_renames_reads_writes_and_editing(compile_spec):
    m = compile_spec(SUB_SRC.format(body="bump(Sub(c))", inv="Sub.view(s).n >= 0"))
    (_, s0), = init_states(m)
    (_, s1), = next_states(m, s0)
    assert s1 == {"count": 1, "labels": MapValue({"a": 0, "b": 1}), "flag": False}
    # an unlisted field keeps its name; nested SubMachines compose
    m = compile_spec(SUB_SRC.format(body="bump(Sub(Loose(c)))", inv="Sub.view(Loose.view(s)).n >= 0"))
    assert verdicts(m, k=3) == {"ok": ("holds", None)}
    for body, inv, match in [
        ("Sub(c).state.nope = 1", "True", "Inner has no field 'nope'"),
        ("pass", "Sub.view(s).flag", "Inner has no field 'flag'"),
        ("pass", "Loose.view(s).nope > 0", "Outer has no field 'nope'"),
        ("pass", "Sub.view(s).__setattr__('n', 1)", "read-only"),
    ]:
        with pytest.raises(SpecError, match=match):
            compile_spec(SUB_SRC.format(body=body, inv=inv))
    with pytest.raises(SpecError, match="sort mismatch: field 'n' of Inner"):
        compile_spec(SUB_SRC.replace('n="count"', 'n="flag"').format(body="bump(Sub(c))", inv="True"))
    with pytest.raises(SpecError, match="Inner has no field 'm'"):
        compile_spec(SUB_SRC.replace('n="count", tags', 'm="count", tags').format(body="pass", inv="True"))


# --- editing() and edit() ------------------------------------------------------------------------

EDIT_SPEC = """
@record
class Acc:
    bal: int
    n: int

@state
class S(MachineStateBase):
    x: StateVar[int]
    y: StateVar[int]
    accts: StateVar[dict[str, Acc]]
    log: StateVar[dict[str, dict[int, int]], UPSERT]

@action
def init(c: Context[S]):
    c.state.x = 1
    c.state.y = 2
    c.state.accts = Map(("a", Acc(bal=2, n=0)), ("b", Acc(bal=0, n=0)))
    c.state.log = Map(str, dict[int, int])

@action
def step(c: Context[S]):
    s = c.state
    swap, transfer, note = c.alternatives("swap", "transfer", "note")
    with swap:
        {swap}
    with transfer:
        with c.one_of(Set("a", "b")) as src:
            with c.one_of(Set("a", "b")) as dst:
                c.assume(src != dst)
                c.assume(s.accts[src].bal > 0)
                {transfer}
    with note:
        {note}

@invariant
def conserved(s: S):
    return s.accts["a"].bal + s.accts["b"].bal == 2

@example
def swapped_and_noted(s: S):
    return And(s.x == 2, s.log.keys.contains("a"), s.log["a"].keys.contains(1))

@example
def moved_twice(s: S):
    return s.accts["b"].n == 2
"""

EDITING = dict(
    swap="""with c.state.editing() as upd:
            upd.x = upd.y
            upd.y = upd.x                    # reads see the state before the block: a swap""",
    transfer="""with c.state.editing(name_prefix="_t") as upd:
                    upd.accts[src].bal -= 1
                    upd.accts[dst].bal += 1
                    upd.accts[src].n += 1    # applied on top of the bal write""",
    note="""with s.editing() as upd:
            upd.log["a"][upd.x] = upd.y      # UPSERT: inserts at both levels""",
)

PLAIN = dict(
    swap="""x0, y0 = s.x, s.y
        s.x = y0
        s.y = x0""",
    transfer="""s.accts[src].bal -= 1
                s.accts[dst].bal += 1
                s.accts[src].n += 1""",
    note="""s.log["a"][s.x] = s.y""",
)


def test_editing_agrees_with_plain_writes(compile_spec):
    m = compile_spec(EDIT_SPEC.format(**EDITING))
    (_, s0), = init_states(m)
    post = run_path(m.step, s0, StepInfo("step", ("swap",)))
    assert (post["x"], post["y"]) == (2, 1)
    post = run_path(m.step, s0, StepInfo("step", ("note",)))
    assert post["log"] == MapValue({"a": MapValue({1: 2})})
    post = run_path(m.step, s0, StepInfo("step", ("transfer",), (), (("src", "a"), ("dst", "b"))))
    acc = m.schema.var("accts").sort.value
    assert post["accts"] == MapValue({"a": RecordValue({"bal": 1, "n": 1}, acc.name),
                                      "b": RecordValue({"bal": 1, "n": 0}, acc.name)})
    expected = {"conserved": ("holds", None), "swapped_and_noted": ("found", 2), "moved_twice": ("found", 4)}
    assert verdicts(m, k=4) == expected
    assert verdicts(compile_spec(EDIT_SPEC.format(**PLAIN)), k=4) == expected


def test_editing_reads_see_the_state_before_the_block(compile_spec):
    src = EDIT_SPEC.format(swap="""with c.state.editing() as upd:
            upd.x = 7
            upd.y = c.state.x + upd.x         # both 1: the write of x is not applied yet
        c.assume(c.state.x == 7)             # ... and it is after the block""", transfer="pass", note="pass")
    m = compile_spec(src)
    (_, s0), = init_states(m)
    post = run_path(m.step, s0, StepInfo("step", ("swap",)))
    assert (post["x"], post["y"]) == (7, 2)
    # deferred=False: writes go straight to the state
    m = compile_spec(src.replace("editing()", "editing(deferred=False)").replace("c.state.x + upd.x", "upd.x"))
    assert run_path(m.step, s0, StepInfo("step", ("swap",)))["y"] == 7


@pytest.mark.parametrize("swap,match", [
    ("""with c.state.editing() as upd:
            a, b = c.alternatives("a", "b")
            with a:
                upd.x = 1
            with b:
                pass""", "inside an alternative"),
    ("""with c.state.editing() as upd:
            pass
        upd.x = 3""", "after the block ended"),
    ("""with c.state.editing() as upd:
            upd.x = 1
            upd.x = 2""", "assigned twice"),
    ("""with c.state.editing() as upd:
            upd.x = True""", "sort mismatch"),
])
def test_editing_errors(compile_spec, swap, match):
    with pytest.raises(SpecError, match=match):
        compile_spec(EDIT_SPEC.format(swap=swap, transfer="pass", note="pass"))


def test_edit_on_values():
    m = Map(("a", Map((1, 10))), ("b", Map((2, 20))))
    upd = m.edit()
    upd["a"][3] = 30                 # replace_only=False: inserts at every level
    upd["c"][4] = 40
    upd["b"][2] += 1                 # reads see the value edit() started from
    upd["b"][2] += 1
    assert ev(upd.result) == MapValue({"a": MapValue({1: 10, 3: 30}), "b": MapValue({2: 21}),
                                       "c": MapValue({4: 40})})
    ro = m.edit(replace_only=True)
    ro["c"][4] = 40                  # a missing key: the write is ignored
    ro["a"][9] = 90
    ro["a"][1] = 11
    assert ev(ro.result) == MapValue({"a": MapValue({1: 11}), "b": MapValue({2: 20})})

    R = Record(f=1, g=Map((0, Tuple(1, 2))), result=5)
    upd = R.edit()
    upd.f = 2
    upd.g[0][1] = 9
    upd["result"] = 6                # a field named like the property
    r = ev(upd.result)
    assert (r.f, r.g, r.result) == (2, MapValue({0: (1, 9)}), 6)

    t = Tuple(1, Record(a=1), List(1, 2, 3))
    upd = t.edit()
    upd[1].a = 5
    upd[2][1] = 7
    upd[2][5] = 9                    # out of range: ignored, like l.replace
    assert ev(upd.result) == (1, RecordValue({"a": 5}), (1, 7, 3))

    x = Var("x", int)
    upd = Map((1, 0)).edit()
    upd[x] = 5
    assert ev(upd.result, x=1) == MapValue({1: 5}) and ev(upd.result, x=2) == MapValue({1: 0, 2: 5})
    with pytest.raises(SpecError, match="edit\\(\\) works on maps"):
        Val(3).edit()


# --- UPSERT and nested keyed writes --------------------------------------------------------------

NESTED = """
@record
class R:
    f: int
    g: dict[int, int]

@state
class S(MachineStateBase):
    up: StateVar[dict[int, dict[int, int]], UPSERT]
    ro: StateVar[dict[int, dict[int, int]]]
    ur: StateVar[dict[int, R], UPSERT]
    rr: StateVar[dict[int, R]]

@action
def init(c: Context[S]):
    c.state.up = Map((0, Map((0, 0))))
    c.state.ro = Map((0, Map((0, 0))))
    c.state.ur = Map((0, R(f=0, g=Map((0, 0)))))
    c.state.rr = Map((0, R(f=0, g=Map((0, 0)))))

@action
def step(c: Context[S]):
    s = c.state
    with c.one_of(Set(0, 1)) as k1:
        with c.one_of(Set(0, 1)) as k2:
            a, b, d, e = c.alternatives("up", "ro", "ur", "rr")
            with a:
                s.up[k1][k2] = 5
            with b:
                s.ro[k1][k2] = 5
            with d:
                r = s.ur[0]                  # saved before the write below
                s.ur[0].g[k2] = 7
                r.f = r.f + k1               # a keyed write through the saved sub-expression: both apply
            with e:
                s.rr[k1].f = 3

@invariant
def ro_keeps_its_keys(s: S):
    return And(s.ro.keys == Set(0), s.ro[0].keys == Set(0), s.rr.keys == Set(0))

@example
def up_grew(s: S):
    return And(s.up.keys == Set(0, 1), s.up[1].keys == Set(1))

@example
def ur_grew(s: S):
    return And(s.ur[0].g.keys == Set(0, 1), s.ur[0].f == 1)
"""


def test_nested_keyed_writes_upsert_and_replace_only(compile_spec):
    m = compile_spec(NESTED)
    (_, s0), = init_states(m)

    def post(label, k1, k2):
        return run_path(m.step, s0, StepInfo("step", (label,), (), (("k1", k1), ("k2", k2))))[label]

    # UPSERT inserts a missing key at every level, a missing inner map starts empty
    assert post("up", 1, 1) == MapValue({0: MapValue({0: 0}), 1: MapValue({1: 5})})
    assert post("up", 0, 1) == MapValue({0: MapValue({0: 0, 1: 5})})
    # replace-only: a write below a missing key is ignored (TLA+ EXCEPT), not an undefined lookup
    assert post("ro", 1, 0) == s0["ro"] and post("ro", 0, 1) == s0["ro"]
    assert post("ro", 0, 0) == MapValue({0: MapValue({0: 5})})
    assert post("rr", 1, 0) == s0["rr"]
    assert post("rr", 0, 0)[0].f == 3
    # UPSERT reaches maps below records too; both writes to ur apply
    got = post("ur", 1, 1)[0]
    assert (got.f, got.g) == (1, MapValue({0: 0, 1: 7}))
    assert verdicts(m, k=3) == {"ro_keeps_its_keys": ("holds", None), "up_grew": ("found", 1),
                                "ur_grew": ("found", 1)}


def test_keyed_writes_through_saved_expressions_compose(compile_spec):
    m = compile_spec("""
@state
class S(MachineStateBase):
    m: StateVar[dict[int, int]]
    t: StateVar[tuple[int, dict[str, int]]]

@action
def init(c: Context[S]):
    c.state.m = Map((0, 0), (1, 0))
    c.state.t = Tuple(0, Map(("a", 0)))

@action
def step(c: Context[S]):
    s = c.state
    m2, inner = s.m, s.t[1]          # saved before the writes below
    s.m[0] += 5
    m2[1] = m2[0] + 6                # m2[0] is the value it was read at: 0
    s.t[0] = 1
    inner["a"] = 2                   # applied to the current t, keeping t[0] = 1

@invariant
def in_sync(s: S):
    return And(s.m[1] - s.m[0] <= 1, (s.t[0] == 0) == (s.t[1]["a"] == 0))   # both writes of a step apply
""")
    (_, s0), = init_states(m)
    (_, s1), = next_states(m, s0)
    assert s1 == {"m": MapValue({0: 5, 1: 6}), "t": (1, MapValue({"a": 2}))}
    assert verdicts(m, k=3) == {"in_sync": ("holds", None)}


def test_upsert_below_a_missing_record_is_an_error_in_the_spec(compile_spec, capsys, spec_file):
    src = NESTED.replace("s.ur[0].g[k2] = 7", "s.ur[k1].g[k2] = 7")
    code, out, err = cli(capsys, "check", spec_file(src), "-k", "2")
    assert code == 5
    assert "key 1 is not in the domain" in out + err
    code, out, err = cli(capsys, "explore", spec_file(src), "-k", "2")
    assert code == 5 and "key 1 is not in the domain" in out + err


# --- several init actions ------------------------------------------------------------------------

INITS = """
@state
class S(MachineStateBase):
    x: StateVar[int]
    y: StateVar[int]

@action(init=True)
def init_x(c: Context[S]):
    with c.one_of(Set(0, 1)) as x0:
        c.state.x = x0

@action(init=True)
def init_y(c: Context[S]):
    c.state.y = c.state.x + 10       # sees the write of init_x: one atomic initialisation

@action
def step(c: Context[S]):
    c.state.x += 1

@invariant
def apart(s: S):
    return s.y - s.x >= 8
"""


def test_several_init_actions_are_chained_in_order(compile_spec):
    m = compile_spec(INITS)
    assert m.init.name == "init_x+init_y"
    inits = [(i.action, i.picks, s) for i, s in init_states(m)]
    assert inits == [("init_x+init_y", (("x0", 0),), {"x": 0, "y": 10}),
                     ("init_x+init_y", (("x0", 1),), {"x": 1, "y": 11})]
    assert verdicts(m, k=4) == {"apart": ("violated", 3)}
    # --init names one of them, or chains several explicitly
    assert compile_spec(INITS, init="init_x,init_y").init.name == "init_x+init_y"
    with pytest.raises(SpecError, match="does not assign y"):
        compile_spec(INITS, init="init_x")
    # an action named init wins (wunderspec's default): the others are helpers it may call
    m = compile_spec(INITS + """
@action(init=True)
def init(c: Context[S]):
    init_x(c)
    c.state.y = 20
""")
    assert m.init.name == "init" and {s["y"] for _, s in init_states(m)} == {20}
    # chaining runs each once: two inits assigning one variable is a double assignment
    with pytest.raises(SpecError, match="'x' is assigned twice"):
        compile_spec(INITS.replace("c.state.y = c.state.x + 10", "c.state.y = 1\n    c.state.x = 2"))


def test_several_init_actions_through_the_cli(capsys, spec_file):
    path = spec_file(INITS)
    code, out, _ = cli(capsys, "check", path, "-k", "4")
    assert code == 1 and "[State 0] init_x+init_y" in out
    code, _, _ = cli(capsys, "explore", path, "-k", "4", "--init", "init_x, init_y")
    assert code == 1
    code, _, err = cli(capsys, "check", path, "--init", "init_x,nope")
    assert code == 5 and "no action named 'nope'" in err


# --- @coverage and temporal properties -----------------------------------------------------------

COVERAGE = """
@state
class S(MachineStateBase):
    x: StateVar[int]

@action
def init(c: Context[S]):
    c.state.x = 0

@action
def step(c: Context[S]):
    c.state.x = (c.state.x + 1) % 3

@invariant
def small(s: S):
    return s.x < 3

{extra}
"""


def test_coverage_is_accepted_and_listed(capsys, spec_file):
    path = spec_file(COVERAGE.format(extra="""
@coverage
def by_x(s: S) -> Expr:
    return s.x

@temporal
def eventually_two(s: S):
    return Eventually(s.x == 2)
"""))
    code, out, _ = cli(capsys, "list", path)
    assert code in (0, None)
    assert "coverage:   by_x" in out and "temporal:   eventually_two (not supported yet)" in out
    code, _, _ = cli(capsys, "check", path, "-k", "3")
    assert code == 0


@pytest.mark.parametrize("cov,match", [
    ("def c1(s: S, t: S) -> Expr:\n    return s.x", "exactly one parameter"),
    ("def c1(s) -> Expr:\n    return s.x", "must be annotated with the state class S"),
    ("def c1(s: int) -> Expr:\n    return s.x", "must be annotated with the state class S"),
    ("def c1(s: S) -> IntExpr:\n    return s.x", "return annotation `Expr`"),
    ("def c1(s: S):\n    return s.x", "return annotation `Expr`"),
])
def test_coverage_signature_is_checked(capsys, spec_file, cov, match):
    path = spec_file(COVERAGE.format(extra="@coverage\n" + cov))
    code, _, err = cli(capsys, "list", path)
    assert code == 5 and match in err and ".py:" in err


@pytest.mark.parametrize("command", ["check", "explore", "simulate", "prove"])
def test_temporal_property_is_refused(capsys, spec_file, command):
    path = spec_file(COVERAGE.format(extra="""
@temporal
def always_small(s: S):
    return Always(s.x < 3)
"""))
    code, out, err = cli(capsys, command, path, "--property", "always_small")
    assert code == 5
    assert "temporal property 'always_small' is not supported yet" in err


def test_temporal_operators_are_refused_where_used(capsys, spec_file):
    path = spec_file(COVERAGE.format(extra="""
@invariant
def sneaky(s: S):
    return Always(s.x < 3)
"""))
    code, _, err = cli(capsys, "check", path)
    assert code == 5 and "Always is not supported yet" in err


def test_temporal_exit_code_of_the_process(spec_file):
    path = spec_file(COVERAGE.format(extra="""
@temporal
def always_small(s: S):
    return Always(s.x < 3)
"""))
    proc = subprocess.run([sys.executable, "-m", "wunderspec_smt", "check", path, "--property", "always_small"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 5, proc.stdout + proc.stderr
    assert "not supported yet" in proc.stderr and "Traceback" not in proc.stderr


# --- import surface ------------------------------------------------------------------------------

def test_module_paths_and_wunderspec_aliases(spec_file, capsys):
    import wunderspec_smt
    import wunderspec_smt.flow as fl
    import wunderspec_smt.machine as mach
    import wunderspec_smt.submachine as sm
    for name in ("expr", "with_flow", "SubMachine"):
        assert name in wunderspec_smt.__all__
        assert getattr(wunderspec_smt, name) is getattr(mach, name)
    # `flow` from the package is the module, which answers like the object
    assert wunderspec_smt.flow is fl and "flow" in wunderspec_smt.__all__ and mach.flow is fl.flow
    assert fl.with_flow is wunderspec_smt.with_flow and fl.if_ == fl.flow.if_ and fl.end == fl.flow.end
    assert sm.SubMachine is wunderspec_smt.SubMachine
    path = spec_file("""
from wunderspec.flow import flow, with_flow
from wunderspec.submachine import SubMachine
from wunderspec.machine import expr, UPSERT

@state
class S(MachineStateBase):
    x: StateVar[int]

@with_flow
def nxt(x):
    with flow.if_(x < 2):
        flow.return_(x + 1)
    flow.return_(0)
    return flow.end()

@action
def init(c: Context[S]):
    c.state.x = 0

@action
def step(c: Context[S]):
    c.state.x = nxt(c.state.x)

@invariant
def small(s: S):
    return s.x < 2
""")
    code, out, _ = cli(capsys, "check", path, "-k", "3")
    assert code == 1 and "shortest counterexample has 2 step(s)" in out + _
