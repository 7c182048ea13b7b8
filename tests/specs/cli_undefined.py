"""A map lookup outside the domain on an enabled path: an error in the spec (exit 5)."""
from wunderspec_smt import *


@state
class S(MachineStateBase):
    m: StateVar[dict[int, int]]
    n: StateVar[int]


@action
def init(c: Context[S]):
    c.state.m = Map((0, 10), (1, 11))
    c.state.n = 0


@action
def step(c: Context[S]):
    s = c.state
    s.n = s.n + 1
    s.m[0] = s.m[s.n]  # UNDEFINED when n + 1 == 2: key 2 is not in the domain


@action
def guarded(c: Context[S]):
    s = c.state
    c.assume(s.m.keys.contains(s.n + 1))  # guards come first: the lookup below is never undefined
    s.m[0] = s.m[s.n + 1]
    s.n = s.n + 1


@invariant
def small(s: S):
    return s.n < 100


@example
def big(s: S):
    """Never reached with the guarded step: it stops at n == 1."""
    return s.n > 50
