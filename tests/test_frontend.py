"""Front-end features: UPSERT and nested keyed writes.

Each feature is evaluated concretely (the interpreter: stepper, `explore`) and
symbolically (BMC, through `run_bmc` or the CLI), and the two must agree; where a
feature is sugar, a spec that uses it and one written without it must agree too.
"""
from __future__ import annotations

import os
import textwrap

import pytest

from wunderspec_smt import *  # noqa: F403 - the DSL surface, as specs see it
from wunderspec_smt.cli import main
from wunderspec_smt.engines.bmc import run_bmc
from wunderspec_smt.engines.explore import run_explore
from wunderspec_smt.interp.evaluate import eval_term
from wunderspec_smt.interp.stepper import init_states, next_states, replay_trace, run_path
from wunderspec_smt.lang.values import MapValue
from wunderspec_smt.loader import compile_model, load_spec
from wunderspec_smt.traces.model import StepInfo

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
