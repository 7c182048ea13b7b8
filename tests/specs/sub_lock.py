"""A lock as a spec of its own; sub_two_locks.py runs two of them with SubMachine."""
from wunderspec_smt import *


@state
class Lock(MachineStateBase):
    holder: StateVar[int]                 # -1: free
    grants: StateVar[dict[int, int]]      # per process: how often it got the lock


@action(init=True)
def init_lock(c: Context[Lock]):
    c.state.holder = -1
    c.state.grants = Map((0, 0), (1, 0))


@action(inline=False)
def acquire(c: Context[Lock], p: int):
    c.assume(c.state.holder == -1)
    c.state.holder = p
    c.state.grants[p] += 1                # a keyed write through the renamed state


@action
def release(c: Context[Lock], p: int):
    c.assume(c.state.holder == p)
    c.state.holder = -1


@action
def step(c: Context[Lock]):
    with c.one_of(Set(0, 1)) as p:
        acq, rel = c.alternatives("acquire", "release")
        with acq:
            acquire(c, p)
        with rel:
            release(c, p)


@invariant
def lock_ok(s: Lock):
    return Or(s.holder == -1, s.grants[s.holder] > 0)
