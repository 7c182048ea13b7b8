"""The concrete execution API for unit tests of specs (DSL.md section 19)."""
from __future__ import annotations

import random

import pytest

from wunderspec_smt import *  # noqa: F401,F403
from wunderspec_smt import (AssumptionViolated, ExecContext, RandomScheduler, SchedulerAlternative,
                            SchedulerSplit, SchedulerValue, value)


@state
class Bank(MachineStateBase):
    LIMIT: Param[int]
    bal: StateVar[dict[str, int]]
    log: StateVar[int]


@action(init=True)
def init(c: Context[Bank]):
    c.state.bal = Map(("a", 0), ("b", 5))
    c.state.log = 0


@action(inline=False)
def deposit(c: Context[Bank], who: str, amount: int):
    c.assume(c.state.bal[who] + amount <= c.state.LIMIT)
    c.state.bal[who] += amount
    c.state.log += 1


@action
def step(c: Context[Bank]):
    with c.one_of(c.state.bal.keys) as who:
        up, down = c.alternatives("up", "down")
        with up:
            c.state.bal[who] += 1
        with down:
            c.assume(c.state.bal[who] > 0)
            c.state.bal[who] -= 1
    small, big = c.split(c.state.log < 3)
    with small:
        c.state.log += 1
    with big:
        c.state.log = 0


def test_steps_follow_the_scheduler():
    c = ExecContext(Bank(LIMIT=10), [SchedulerValue("b"), SchedulerAlternative("down"), SchedulerSplit(True)])
    c.step(init)
    assert to_python(value(c.state.bal)) == {"a": 0, "b": 5}
    info = c.step(step)
    assert info.labels == ("down", "then") and info.picks == (("who", "b"),)
    assert to_python(value(c.state.bal)) == {"a": 0, "b": 4}
    assert value(c.state.log) == 1


def test_a_failing_guard_raises_and_rolls_back():
    c = ExecContext(Bank(LIMIT=10), [SchedulerValue("a"), SchedulerAlternative("down"), SchedulerSplit(True)])
    c.step(init)
    with pytest.raises(AssumptionViolated):
        c.step(step)  # a has balance 0: `down` is not enabled
    assert c.values == {"bal": c.values["bal"], "log": 0}
    assert value(c.state.bal["a"]) == 0
    assert c.try_step(deposit, "a", 10) is True
    assert c.try_step(deposit, "a", 1) is False  # over the limit
    assert value(c.state.bal["a"]) == 10 and value(c.state.log) == 1


def test_random_scheduler_only_takes_enabled_paths():
    c = ExecContext(Bank(LIMIT=10), RandomScheduler(random.Random(3)))
    c.step(init)
    for _ in range(30):
        before = to_python(value(c.state.bal))
        c.step(step)
        after = to_python(value(c.state.bal))
        assert sum(abs(after[k] - before[k]) for k in after) == 1
        assert all(v >= 0 for v in after.values())


def test_state_is_read_only():
    c = ExecContext(Bank(LIMIT=10))
    c.step(init)
    with pytest.raises(SpecError):
        c.state.log = 3


def test_to_python_keeps_set_elements_hashable():
    from wunderspec_smt.lang.values import MapValue, RecordValue
    recs = to_python(frozenset({RecordValue({"a": 1}), RecordValue({"a": 2})}))
    assert len(recs) == 2 and all(r.a in (1, 2) for r in recs)
    assert to_python(frozenset({frozenset({1})})) == {frozenset({1})}
    assert to_python(MapValue({(1, 2): frozenset({3})})) == {(1, 2): {3}}
