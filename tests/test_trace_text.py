"""Text rendering of traces: full first state, only changes afterwards, no stray colour codes."""
from __future__ import annotations

import enum
import re
from typing import Dict, List

from wunderspec_smt.lang.sorts import INT, EnumSort, MapSort, SetSort, make_record_sort, STR
from wunderspec_smt.lang.values import ListValue, MapValue, RecordValue
from wunderspec_smt.traces.model import ActionCall, StepInfo, Trace
from wunderspec_smt.traces.text import (describe_change, render_call, render_changes,
                                        render_step_header, render_trace)

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class PC(enum.Enum):
    IDLE = 1
    CRIT = 2


def rec(**fields) -> RecordValue:
    return RecordValue(fields, "Msg")


def make_trace(kind: str = "invariant", prop: str = "mutex", message=None) -> Trace:
    s0 = {"pc": MapValue({1: PC.IDLE, 2: PC.IDLE}), "msgs": frozenset({rec(k="a", n=1)}),
          "count": 0, "log": ListValue(()), "owner": rec(id=0, name="none")}
    s1 = dict(s0, pc=s0["pc"].set(1, PC.CRIT), msgs=frozenset({rec(k="a", n=1), rec(k="b", n=2)}),
              count=2 ** 40)
    # a stuttering step, with equal but freshly built values (comparison must be by value)
    s2 = dict(s1, pc=MapValue(dict(s1["pc"].items())), msgs=frozenset(set(s1["msgs"])),
              count=int(str(2 ** 40)), owner=rec(id=0, name="none"))
    s3 = dict(s2, msgs=frozenset({rec(k="b", n=2)}), count=-3, owner=rec(id=1, name="none"),
              log=ListValue(("x",)))
    steps = (
        StepInfo("init"),
        StepInfo("step", labels=("try", "enter"), calls=(ActionCall("enter", (("p", 1),)),),
                 picks=(("p", 1),)),
        StepInfo("step", labels=("idle",)),
        StepInfo("step", calls=(ActionCall("consume", (("m", rec(k="a", n=1)), ("q", PC.CRIT))),),
                 picks=(("who", 1),)),
    )
    return Trace(spec_file="mutex.py", instance="two", property_name=prop, kind=kind,
                 params=(("N", 2), ("Procs", frozenset({1, 2}))),
                 var_names=("pc", "msgs", "count", "log", "owner"),
                 states=(s0, s1, s2, s3), steps=steps,
                 var_sorts={"pc": MapSort(INT, EnumSort(PC)), "count": INT,
                            "msgs": SetSort(make_record_sort({"k": STR, "n": INT}, "Msg"))},
                 message=message)


def blocks(text: str) -> Dict[int, List[str]]:
    """State index -> the lines of its block (header excluded, blank lines dropped)."""
    out: Dict[int, List[str]] = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"\[State (\d+)\]", line)
        if m:
            current = int(m.group(1))
            out[current] = []
        elif current is not None and line.startswith("  "):
            out[current].append(line)
        elif not line:
            continue
        else:
            current = None
    return out


def test_header_and_footer_per_kind():
    inv = render_trace(make_trace())
    assert inv.splitlines()[0] == "Counterexample to invariant 'mutex' (instance 'two', 3 steps):"
    assert inv.rstrip().splitlines()[-1] == "Invariant 'mutex' is violated in state 3."
    ex = render_trace(make_trace("example", "all_aborted"))
    assert ex.splitlines()[0] == "Witness for example 'all_aborted' (instance 'two', 3 steps):"
    err = render_trace(make_trace("error", "", message="division by zero in step"))
    assert err.splitlines()[0] == "Error (instance 'two', 3 steps): division by zero in step"
    assert err.rstrip().splitlines()[-1] == "Error: division by zero in step"
    err2 = render_trace(make_trace("error", "mutex", message="boom"))
    assert err2.splitlines()[0] == "Error while checking 'mutex' (instance 'two', 3 steps): boom"


def test_one_step_is_singular():
    t = make_trace()
    short = Trace(**{**t.__dict__, "states": t.states[:2], "steps": t.steps[:2]})
    assert "(instance 'two', 1 step):" in render_trace(short).splitlines()[0]


def test_state_zero_lists_parameters_and_every_variable():
    b = blocks(render_trace(make_trace()))
    assert b[0] == [
        "  N = 2  (parameter)",
        "  Procs = {1, 2}  (parameter)",
        "  pc = {1: PC.IDLE, 2: PC.IDLE}",
        "  msgs = {Msg(k='a', n=1)}",
        "  count = 0",
        "  log = []",
        "  owner = Msg(id=0, name='none')",
    ]


def test_later_states_list_only_changes_with_deltas():
    text = render_trace(make_trace())
    b = blocks(text)
    assert "[State 1] step (labels: try, enter)" in text.splitlines()
    assert b[1] == [
        "  call enter(p=1)",
        "  pick p = 1",
        "  pc = {1: PC.CRIT, 2: PC.IDLE}",
        "      [1]: PC.IDLE -> PC.CRIT",
        "  msgs = {Msg(k='a', n=1), Msg(k='b', n=2)}",
        "      +{Msg(k='b', n=2)}",
        "  count = 1099511627776",
    ]
    assert b[2] == ["  (no change)"]
    assert "[State 2] step (labels: idle)" in text.splitlines()
    assert b[3] == [
        "  call consume(m=Msg(k='a', n=1), q=PC.CRIT)",
        "  pick who = 1",
        "  msgs = {Msg(k='b', n=2)}",
        "      -{Msg(k='a', n=1)}",
        "  count = -3",
        "  log = ['x']",
        "  owner = Msg(id=1, name='none')",
        "      .id: 0 -> 1",
    ]


def test_no_escape_codes_without_color():
    for kind in ("invariant", "example", "error"):
        assert "\x1b" not in render_trace(make_trace(kind, message="m"), color=False)


def test_color_only_adds_escape_codes():
    t = make_trace()
    colored = render_trace(t, color=True)
    assert "\x1b[1m[State 1]\x1b[0m" in colored
    assert "\x1b[1m\x1b[32m1099511627776\x1b[0m" in colored      # changed value: bold green
    assert "\x1b[31m-{Msg(k='a', n=1)}\x1b[0m" in colored         # removal: red
    assert ANSI.sub("", colored) == render_trace(t, color=False)


def test_describe_change():
    assert describe_change(1, 2) is None
    assert describe_change(frozenset(), frozenset({1})) is None           # nothing kept: value says it all
    assert describe_change(frozenset({1, 2}), frozenset({2, 3})) == "+{3} -{1}"
    assert describe_change(MapValue({1: "a", 2: "b"}), MapValue({1: "z", 3: "c"})) == \
        "[1]: 'a' -> 'z', +[3] = 'c', -[2]"
    assert describe_change(MapValue({}), MapValue({1: "a"})) is None
    assert describe_change(rec(a=1, b=2), rec(a=1, b=3)) == ".b: 2 -> 3"
    assert describe_change(rec(a=1), rec(a=2)) is None


def test_render_helpers():
    assert render_call(ActionCall("send", (("to", 2), ("msg", "hi")))) == "send(to=2, msg='hi')"
    assert render_call(ActionCall("tick", ())) == "tick()"
    assert render_step_header(0, StepInfo("init")) == "[State 0] init"
    assert render_changes({"x": 1}, {"x": 1}, ["x"]) == ["  (no change)"]
    assert render_changes({"x": 1, "y": 2}, {"x": 5, "y": 2}, ["x", "y"]) == ["  x = 5"]
