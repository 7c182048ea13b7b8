"""The concrete stepper: successors of a state, strict replay of one path, trace replay."""
from __future__ import annotations

import textwrap
from collections import deque

import pytest

from wunderspec_smt.errors import EvaluationError, InternalError, SpecError
from wunderspec_smt.interp.stepper import (ReplayMismatch, UnboundedPick, UndefinedStep, init_states,
                                           next_states, replay_trace, run_path, successors)
from wunderspec_smt.lang.values import ListValue, MapValue, RecordValue, VariantValue, same_value
from wunderspec_smt.loader import compile_model, load_spec
from wunderspec_smt.traces.model import ActionCall, StepInfo, Trace


@pytest.fixture
def compile_spec(tmp_path):
    counter = iter(range(1000))

    def go(src: str, instance=None):
        path = tmp_path / f"spec_{next(counter)}.py"
        path.write_text("from enum import Enum\nfrom wunderspec_smt import *\n" + textwrap.dedent(src))
        return compile_model(load_spec(str(path)), instance)
    return go


def succ_set(model, pre):
    out = set()
    for info, post in next_states(model, pre):
        out.add((info.labels, info.picks, info.calls, tuple(sorted(post.items()))))
    return out


def post_items(**kw):
    return tuple(sorted(kw.items()))


def make_trace(model, states, steps):
    return Trace(model.spec_file, model.instance, "inv", "invariant", tuple(model.params.items()),
                 tuple(v.name for v in model.schema.vars), tuple(states), tuple(steps))


# --- specs ------------------------------------------------------------------------------

COUNTER = """
@state
class S(MachineStateBase):
    x: StateVar[int]
    N: Param[int]

@action(init=True)
def init(c: Context[S]):
    c.state.x = 0

@action
def step(c: Context[S]):
    s = c.state
    inc, reset = c.alternatives("inc", "reset")
    with inc:
        c.assume(s.x < s.N)
        s.x += 1
    with reset:
        with c.one_of(Interval(0, s.x - 1)) as v:
            s.x = v

@instance
def three():
    return S(N=3)
"""

NESTED = """
class Color(Enum):
    RED = 1
    GREEN = 2

@state
class S(MachineStateBase):
    m: StateVar[dict[str, int]]
    up: StateVar[dict[str, int], UPSERT]
    flag: StateVar[bool]
    col: StateVar[Color]

@action(init=True)
def init(c: Context[S]):
    c.state.m = Map(("a", 0), ("b", 0))
    c.state.up = Map(("a", 0))
    c.state.flag = False
    c.state.col = Color.RED

@action
def step(c: Context[S]):
    s = c.state
    s.m["a"] += 1                      # keyed write of the enclosing block
    o1, o2 = c.alternatives("outer1", "outer2")
    with o1:
        th, el = c.split(s.flag)
        with th:
            s.m["b"] = 7               # overrides the outer write on this path (and keeps a+1)
            s.up["new"] = 5            # UPSERT: inserts
        with el:
            s.flag = True
            s.m["zz"] = 9              # not UPSERT: absent key, ignored
    with o2:
        with c.one_of(Set(Map(("a", 1)), Map(("k", 2)))) as mm:
            s.up = mm
    left, right = c.alternatives("left", "right")
    with left:
        s.col = Color.GREEN
    with right:
        pass
"""


def test_counter_successors_and_reachable_states(compile_spec):
    m = compile_spec(COUNTER, "three")
    inits = list(init_states(m))
    assert inits == [(StepInfo("init"), {"x": 0})]
    assert succ_set(m, {"x": 0}) == {(("inc",), (), (), post_items(x=1))}
    assert succ_set(m, {"x": 2}) == {
        (("inc",), (), (), post_items(x=3)),
        (("reset",), (("v", 0),), (), post_items(x=0)),
        (("reset",), (("v", 1),), (), post_items(x=1)),
    }
    # the guard disables inc at the bound; picks come in value order
    posts = [(i.labels, i.picks, p["x"]) for i, p in next_states(m, {"x": 3})]
    assert posts == [(("reset",), (("v", 0),), 0), (("reset",), (("v", 1),), 1), (("reset",), (("v", 2),), 2)]
    # breadth-first exploration reaches exactly 0..N, and every edge replays
    seen, todo = {0}, deque([0])
    while todo:
        x = todo.popleft()
        for info, post in next_states(m, {"x": x}):
            assert run_path(m.step, {"x": x}, info) == post
            if post["x"] not in seen:
                seen.add(post["x"])
                todo.append(post["x"])
    assert seen == {0, 1, 2, 3}


def test_nested_choices_keyed_writes_and_overrides(compile_spec):
    m = compile_spec(NESTED)
    (info0, s0), = init_states(m)
    E = m.schema.var("col").sort.enum_cls
    assert s0 == {"m": MapValue({"a": 0, "b": 0}), "up": MapValue({"a": 0}), "flag": False, "col": E.RED}
    got = succ_set(m, s0)
    m_a1 = MapValue({"a": 1, "b": 0})
    expected = set()
    for lr, col in (("left", E.GREEN), ("right", E.RED)):
        # flag is False: only the else branch of the split is enabled
        expected.add((("outer1", "else", lr), (), (),
                      post_items(m=m_a1, up=MapValue({"a": 0}), flag=True, col=col)))
        expected.add((("outer2", lr), (("mm", MapValue({"a": 1})),), (),
                      post_items(m=m_a1, up=MapValue({"a": 1}), flag=False, col=col)))
        expected.add((("outer2", lr), (("mm", MapValue({"k": 2})),), (),
                      post_items(m=m_a1, up=MapValue({"k": 2}), flag=False, col=col)))
    assert got == expected
    # from a state where flag holds, the then-branch overrides the outer keyed write
    s1 = dict(s0, flag=True)
    then_posts = [p for i, p in next_states(m, s1) if i.labels[:2] == ("outer1", "then")]
    assert len(then_posts) == 2
    for p in then_posts:
        assert p["m"] == MapValue({"a": 1, "b": 7})
        assert p["up"] == MapValue({"a": 0, "new": 5})
        assert p["flag"] is True
    # labels are recorded in program order, outer choice before the nested one before the later one
    assert [i.labels for i, _ in next_states(m, s1)][:2] == [("outer1", "then", "left"), ("outer1", "then", "right")]


def test_every_successor_replays_and_trace_replays(compile_spec):
    m = compile_spec(NESTED)
    (i0, s0), = init_states(m)
    states, steps = [s0], [i0]
    pre = s0
    for _ in range(3):
        for info, post in next_states(m, pre):
            assert run_path(m.step, pre, info) == post
        info, post = list(next_states(m, pre))[-1]
        states.append(post)
        steps.append(info)
        pre = post
    replay_trace(m, make_trace(m, states, steps))


GUARDS = """
@state
class S(MachineStateBase):
    x: StateVar[int]
    m: StateVar[dict[int, int]]
    y: StateVar[int]

@action(init=True)
def init(c: Context[S]):
    c.state.x = 0
    c.state.m = Map((1, 10))
    c.state.y = 0

@action
def step(c: Context[S]):
    s = c.state
    g, late, sc, d0 = c.alternatives("guarded", "late", "shortcircuit", "divzero")
    with g:
        c.assume(s.x > 5)
        c.assume(s.m[s.x] > 0)         # behind a false guard: never evaluated
        s.y = 1
    with late:
        s.y = s.m[s.x + 7]             # undefined, but a later guard disables the path
        c.assume(s.x == 2)
    with sc:
        c.assume(And(s.x > 5, s.m[s.x] > 0))
        s.y = 2
    with d0:
        c.assume(s.x == 0)
        c.assume(s.y / s.x > 0)
        s.y = 3
"""


def test_guards_come_first(compile_spec):
    m = compile_spec(GUARDS)
    assert succ_set(m, {"x": 1, "m": MapValue({1: 10}), "y": 0}) == set()  # late: m[8] is never needed
    assert succ_set(m, {"x": 6, "m": MapValue({6: 1}), "y": 0}) == {
        (("guarded",), (), (), post_items(x=6, m=MapValue({6: 1}), y=1)),
        (("shortcircuit",), (), (), post_items(x=6, m=MapValue({6: 1}), y=2)),
    }
    # a lookup behind a true guard fails: undefined step
    with pytest.raises(UndefinedStep) as ei:
        list(next_states(m, {"x": 6, "m": MapValue({1: 10}), "y": 0}))
    assert isinstance(ei.value, EvaluationError)
    assert "not in the domain" in str(ei.value) and "guarded" in str(ei.value)
    assert ei.value.step.labels == ("guarded",)
    # ... unless the later guard holds: then the written value is needed
    with pytest.raises(UndefinedStep, match="key 9 is not in the domain"):
        list(next_states(m, {"x": 2, "m": MapValue({1: 10}), "y": 0}))
    # division by zero after a true guard
    with pytest.raises(EvaluationError, match="division by zero"):
        list(next_states(m, {"x": 0, "m": MapValue({1: 10}), "y": 0}))


UNDEF = """
@state
class S(MachineStateBase):
    x: StateVar[int]
    m: StateVar[dict[int, int]]
    y: StateVar[int]

@action(init=True)
def init(c: Context[S]):
    c.state.x = 0
    c.state.m = Map((1, 10))
    c.state.y = 0

@action(inline=False)
def touch(c: Context[S], v: int):
    c.state.y = v

@action
def step(c: Context[S]):
    s = c.state
    a, b, d = c.alternatives("assign", "call", "domain")
    with a:
        c.assume(s.x == 0)
        s.y = s.m[s.x]                 # guard holds, lookup outside the domain
    with b:
        c.assume(s.x == 2)
        touch(c, s.m[s.x])
    with d:
        c.assume(s.x == 3)
        with c.one_of(Interval(0, s.m[s.x])) as v:
            s.y = v
"""


@pytest.mark.parametrize("x, what", [(0, "the value assigned to 'y'"), (2, "argument 'v' of action 'touch'"),
                                     (3, "the domain of one_of 'v'")])
def test_undefined_step_raises(compile_spec, x, what):
    m = compile_spec(UNDEF)
    pre = {"x": x, "m": MapValue({1: 10}), "y": 0}
    with pytest.raises(UndefinedStep) as ei:
        list(next_states(m, pre))
    assert what in str(ei.value)
    assert "key %d is not in the domain" % x in str(ei.value)
    assert ei.value.loc is not None and ei.value.loc.file.endswith(".py")
    # run_path on the same path reports the same undefinedness
    label = {0: "assign", 2: "call", 3: "domain"}[x]
    with pytest.raises(UndefinedStep):
        run_path(m.step, pre, StepInfo("step", (label,)))


def test_defined_paths_of_undef_spec(compile_spec):
    m = compile_spec(UNDEF)
    pre = {"x": 1, "m": MapValue({1: 10}), "y": 0}
    assert succ_set(m, pre) == set()
    pre = {"x": 2, "m": MapValue({2: 4}), "y": 0}
    (info, post), = next_states(m, pre)
    assert info.calls == (ActionCall("touch", (("v", 4),)),)
    assert post["y"] == 4
    assert run_path(m.step, pre, info) == post
    with pytest.raises(ReplayMismatch, match="calls"):
        run_path(m.step, pre, StepInfo("step", ("call",), (ActionCall("touch", (("v", 5),)),)))
    with pytest.raises(ReplayMismatch, match="calls"):
        run_path(m.step, pre, StepInfo("step", ("call",)))
    pre = {"x": 3, "m": MapValue({3: 2}), "y": 0}
    assert [p["y"] for _, p in next_states(m, pre)] == [0, 1, 2]


PICKS = """
@state
class S(MachineStateBase):
    s: StateVar[set[int]]
    m: StateVar[dict[str, int]]
    got: StateVar[tuple[str, int]]
    n: StateVar[int]

@action(init=True)
def init(c: Context[S]):
    with c.one_of(Set(Set(1, 2), Set(int))) as s0:
        c.state.s = s0
    c.state.m = Map(("a", 1), ("b", 2))
    c.state.got = Tuple("", 0)
    c.state.n = 0

@action
def step(c: Context[S]):
    st = c.state
    a, b, d, e = c.alternatives("elem", "key", "ints", "nats")
    with a:
        with c.one_of(st.s) as x:       # empty set: the path is disabled
            st.n = x
    with b:
        with c.one_of(st.m.keys) as k:
            with c.one_of(Set(st.m[k], st.m[k] + 10)) as v:
                st.got = Tuple(k, v)
    with d:
        c.assume(st.n == 99)
        with c.one_of(Ints) as i:
            st.n = i
    with e:
        c.assume(st.n == 98)
        with c.one_of(UnsignedInts) as j:
            st.n = j
"""


def test_one_of_over_sets_and_maps(compile_spec):
    m = compile_spec(PICKS)
    inits = list(init_states(m))
    assert [i.picks for i, _ in inits] == [(("s0", frozenset()),), (("s0", frozenset({1, 2})),)]
    empty = inits[0][1]
    got = [(i.labels, i.picks, p["got"]) for i, p in next_states(m, empty)]
    assert got == [
        (("key",), (("k", "a"), ("v", 1)), ("a", 1)),
        (("key",), (("k", "a"), ("v", 11)), ("a", 11)),
        (("key",), (("k", "b"), ("v", 2)), ("b", 2)),
        (("key",), (("k", "b"), ("v", 12)), ("b", 12)),
    ]
    full = inits[1][1]
    ns = [p["n"] for i, p in next_states(m, full) if i.labels == ("elem",)]
    assert ns == [1, 2]


def test_infinite_pick_needs_a_bound_but_replays(compile_spec):
    m = compile_spec(PICKS)
    pre = {"s": frozenset(), "m": MapValue({"a": 1}), "got": ("", 0), "n": 99}
    with pytest.raises(UnboundedPick, match="needs a bound") as ei:
        list(next_states(m, pre))
    assert isinstance(ei.value, SpecError)
    assert run_path(m.step, pre, StepInfo("step", ("ints",), (), (("i", -5),)))["n"] == -5
    pre["n"] = 98
    assert run_path(m.step, pre, StepInfo("step", ("nats",), (), (("j", 4),)))["n"] == 4
    with pytest.raises(ReplayMismatch, match="not in the domain"):
        run_path(m.step, pre, StepInfo("step", ("nats",), (), (("j", -1),)))
    with pytest.raises(ReplayMismatch, match="not in the domain"):
        run_path(m.step, pre, StepInfo("step", ("nats",), (), (("j", True),)))


def test_run_path_is_strict(compile_spec):
    m = compile_spec(PICKS)
    pre = {"s": frozenset({1, 2}), "m": MapValue({"a": 1}), "got": ("", 0), "n": 0}
    ok = StepInfo("step", ("key",), (), (("k", "a"), ("v", 11)))
    assert run_path(m.step, pre, ok)["got"] == ("a", 11)
    bad = {
        "is not one of": StepInfo("step", ("nope",), (), ()),
        "no recorded label": StepInfo("step", (), (), ()),
        "labels left over": StepInfo("step", ("elem", "elem"), (), (("x", 1),)),
        "picks left over": StepInfo("step", ("elem",), (), (("x", 1), ("x", 2))),
        "no recorded pick": StepInfo("step", ("key",), (), (("k", "a"),)),
        "not in the domain": StepInfo("step", ("key",), (), (("k", "a"), ("v", 12))),
        "does not match one_of": StepInfo("step", ("key",), (), (("kk", "a"), ("v", 1))),
        "is false": StepInfo("step", ("ints",), (), (("i", 3),)),
        "records action": StepInfo("init", ("key",), (), (("k", "a"), ("v", 1))),
    }
    for msg, step in bad.items():
        with pytest.raises(ReplayMismatch, match=msg):
            run_path(m.step, pre, step)
    assert issubclass(ReplayMismatch, InternalError)
    # a pick of an empty domain cannot be replayed
    with pytest.raises(ReplayMismatch, match="not in the domain"):
        run_path(m.step, dict(pre, s=frozenset()), StepInfo("step", ("elem",), (), (("x", 1),)))
    # True is not the integer 1
    with pytest.raises(ReplayMismatch, match="not in the domain"):
        run_path(m.step, pre, StepInfo("step", ("elem",), (), (("x", True),)))


def test_replay_trace_rejects_wrong_states(compile_spec):
    m = compile_spec(COUNTER, "three")
    steps = [StepInfo("init"), StepInfo("step", ("inc",)), StepInfo("step", ("inc",)),
             StepInfo("step", ("reset",), (), (("v", 1),))]
    states = [{"x": 0}, {"x": 1}, {"x": 2}, {"x": 1}]
    replay_trace(m, make_trace(m, states, steps))
    with pytest.raises(ReplayMismatch, match=r"state 2 differs.*x: the trace has 5, replay gives 2"):
        replay_trace(m, make_trace(m, [{"x": 0}, {"x": 1}, {"x": 5}, {"x": 1}], steps))
    with pytest.raises(ReplayMismatch, match="state 0 differs"):
        replay_trace(m, make_trace(m, [{"x": 1}, {"x": 1}, {"x": 2}, {"x": 1}], steps))
    with pytest.raises(ReplayMismatch, match=r"state 3 does not replay.*is not in the domain"):
        replay_trace(m, make_trace(m, states[:3] + [{"x": 2}], steps[:3] + [StepInfo("step", ("reset",), (),
                                                                                      (("v", 2),))]))
    with pytest.raises(ReplayMismatch, match="state 1 does not replay"):
        replay_trace(m, make_trace(m, states, [steps[0], StepInfo("step", ("reset",))] + steps[2:]))
    with pytest.raises(ReplayMismatch, match="x: missing"):
        replay_trace(m, make_trace(m, [{"x": 0}, {}], steps[:2]))
    with pytest.raises(ReplayMismatch, match="the trace has True"):
        replay_trace(m, make_trace(m, [{"x": 0}, {"x": True}], steps[:2]))
    with pytest.raises(ReplayMismatch, match="4 states but 3 steps"):
        replay_trace(m, make_trace(m, states, steps[:3]))


def test_successors_without_schema(compile_spec):
    m = compile_spec(COUNTER, "three")
    # var names derived from the writes of the init action / the keys of the pre-state
    assert list(successors(m.init, None, m.params)) == [(StepInfo("init"), {"x": 0})]
    assert [p for _, p in successors(m.step, {"x": 0}, m.params)] == [{"x": 1}]
    with pytest.raises(InternalError, match="no value for variable 'x'"):
        list(successors(m.step, {"y": 0}, m.params))


@pytest.mark.parametrize("a, b, same", [
    (1, 1, True),
    (1, True, False),
    (frozenset({1, 2}), frozenset({2, 1}), True),
    (frozenset({1}), frozenset({True}), False),
    (frozenset({(1,)}), frozenset({(True,)}), False),
    (MapValue({1: 2}), MapValue({True: 2}), False),
    (MapValue({1: 1}), MapValue({1: True}), False),
    ((1, (True,)), (1, (1,)), False),
    (ListValue((1,)), (1,), False),
    (RecordValue({"a": frozenset({1, 2})}), RecordValue({"a": frozenset({2, 1})}), True),
    (RecordValue({"a": 1}), RecordValue({"a": True}), False),
    (VariantValue("x", 1), VariantValue("x", True), False),
    (MapValue({1: frozenset({1})}), MapValue({1: frozenset({2})}), False),
])
def test_same_value_tells_true_from_one_anywhere_inside(a, b, same):
    # replay compares states with it: Python's own == says {1} == {True}
    assert same_value(a, b) is same and same_value(b, a) is same
