"""Two locks from sub_lock.py, composed with SubMachine (imports as a wunderspec spec would)."""
from wunderspec import *
from wunderspec.submachine import SubMachine

from sub_lock import Lock, acquire, init_lock, lock_ok, release


@state
class Two(MachineStateBase):
    holder_a: StateVar[int]
    grants_a: StateVar[dict[int, int]]
    holder_b: StateVar[int]
    grants_b: StateVar[dict[int, int]]


A = SubMachine(holder="holder_a", grants="grants_a")
B = SubMachine[Lock](holder="holder_b", grants="grants_b")


@action
def init(c: Context[Two]):
    init_lock(A(c))
    init_lock(B(c))


@action
def step(c: Context[Two]):
    with c.one_of(Set(0, 1)) as p:
        alts = c.alternatives("acq_a", "rel_a", "acq_b", "rel_b")
        with alts[0]:
            acquire(A(c), p)
        with alts[1]:
            release(A(c), p)
        with alts[2]:
            acquire(B(c), p)
        with alts[3]:
            release(B(c), p)


@invariant
def a_ok(s: Two):
    return lock_ok(A.view(s))


@invariant
def b_ok(s: Two):
    return lock_ok(B.view(s))


@invariant
def not_both(s: Two):
    return Not(And(s.holder_a != -1, s.holder_a == s.holder_b))


@example
def a_granted_twice(s: Two):
    return A.view(s).grants[0] == 2
