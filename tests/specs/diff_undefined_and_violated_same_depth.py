"""Differential bug: one invariant, in two initial states, is violated in one and undefined in the other.

Found by tests/test_differential_random.py (random spec, seed 187559), minimised by hand.

At depth 0 the invariant `first_is_false` is violated in the initial state with
m = {1: True} and undefined (key 1 is not in the domain) in the one with m = {}.

* `explore` evaluates the properties state by state in the order the init action
  enumerates them: with the "empty" alternative first (as here) it meets the
  undefined lookup first and reports a spec error (exit 5); with the two
  alternatives swapped it meets the violation first, resolves the invariant and
  never evaluates it in the other state (exit 1, violated in 0 steps). Its answer
  depends on the order the alternatives are written in.
* `check` (BMC) asks one query for "some target at depth 0" (the violation or the
  undefinedness of each property); the model Z3 returns hits the violation, the
  invariant is dropped from the unresolved ones and its undefinedness target with
  it: violated in 0 steps, `n_small` violated in 2 steps, no fault (exit 1).

Expected: the engines agree (whichever rule is chosen: a property undefined in a
reachable state at depth d is a spec error even when it is also violated at depth
d, or the reverse), and explore's answer does not depend on the order of the
alternatives.
"""
from wunderspec_smt import *


@state
class S(MachineStateBase):
    m: StateVar[dict[int, bool]]
    n: StateVar[int]


@action
def init(c: Context[S]):
    c.state.n = 0
    empty, full = c.alternatives("empty", "full")
    with empty:
        c.state.m = Map(int, bool)   # first_is_false is undefined here
    with full:
        c.state.m = Map((1, True))   # ... and violated here


@action
def step(c: Context[S]):
    c.state.n = (c.state.n + 1) % 3


@invariant
def first_is_false(s: S):
    return ~s.m[1]


@invariant
def n_small(s: S):
    return s.n < 2
