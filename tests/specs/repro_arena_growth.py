"""Reproducer (performance): the encoding of a set grows exponentially with the depth.

`xs` gains the symbolic element `n` in the branch `add` and is unchanged in the
branch `tick`. The encoder's post-state for `xs` is an ITE of the two branch values
whose slot lists differ in length (`xs.slots + [n]` vs `xs.slots`): `set_ite` does
not line them up, so it concatenates them (2m + 1 slots from m), and the next
state's fresh symbols take that shape. The number of potential elements doubles at
every depth although a run of k steps adds at most k elements. `map_ite` does the
same after an insert with a symbolic key (`s.m[k] = v` on an UPSERT map).

    wunderspec-smt check tests/specs/repro_arena_growth.py --max-steps 10

holds (exit 0), but depth 8 took 1.9 s, depth 9 7.5 s and depth 10 32 s (of which
about a third in the solver), growing about 4x per depth. examples/dns_balancer.py
written with this pattern (a plain insert into `planner_updates` and set literals
of symbolic records) spent 7 s encoding depth 2 and 81 s encoding depth 3, with
0.1 s in the solver; written with constant potential elements, it needs 0.3 s for
the same depths.
"""
from wunderspec_smt import *


@state
class Grow(MachineStateBase):
    n: StateVar[int]
    xs: StateVar[set[int]]


@action
def init(c: Context[Grow]):
    c.state.n = 0
    c.state.xs = Set(int)


@action
def step(c: Context[Grow]):
    alts = c.alternatives("add", "tick")
    with alts[0]:
        c.state.xs = c.state.xs | Set(c.state.n)
    with alts[1]:
        c.state.n = c.state.n + 1


@invariant
def few(s: Grow):
    return s.xs.size < 20
