"""sub_two_locks.py written out by hand, without SubMachine: the same verdicts."""
from wunderspec_smt import *


@state
class Two(MachineStateBase):
    holder_a: StateVar[int]
    grants_a: StateVar[dict[int, int]]
    holder_b: StateVar[int]
    grants_b: StateVar[dict[int, int]]


@action
def init(c: Context[Two]):
    c.state.holder_a = -1
    c.state.grants_a = Map((0, 0), (1, 0))
    c.state.holder_b = -1
    c.state.grants_b = Map((0, 0), (1, 0))


@action(inline=False)
def acquire_a(c: Context[Two], p: int):
    c.assume(c.state.holder_a == -1)
    c.state.holder_a = p
    c.state.grants_a[p] += 1


@action(inline=False)
def acquire_b(c: Context[Two], p: int):
    c.assume(c.state.holder_b == -1)
    c.state.holder_b = p
    c.state.grants_b[p] += 1


@action
def step(c: Context[Two]):
    s = c.state
    with c.one_of(Set(0, 1)) as p:
        alts = c.alternatives("acq_a", "rel_a", "acq_b", "rel_b")
        with alts[0]:
            acquire_a(c, p)
        with alts[1]:
            c.assume(s.holder_a == p)
            s.holder_a = -1
        with alts[2]:
            acquire_b(c, p)
        with alts[3]:
            c.assume(s.holder_b == p)
            s.holder_b = -1


@invariant
def a_ok(s: Two):
    return Or(s.holder_a == -1, s.grants_a[s.holder_a] > 0)


@invariant
def b_ok(s: Two):
    return Or(s.holder_b == -1, s.grants_b[s.holder_b] > 0)


@invariant
def not_both(s: Two):
    return Not(And(s.holder_a != -1, s.holder_a == s.holder_b))


@example
def a_granted_twice(s: Two):
    return s.grants_a[0] == 2
