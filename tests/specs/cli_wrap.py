"""Large integer domains: the initial value is anywhere in 0..2**32-1."""
from wunderspec_smt import *


@state
class S(MachineStateBase):
    x: StateVar[int]
    y: StateVar[int]


@action
def init(c: Context[S]):
    with c.one_of(Interval(0, 2 ** 32 - 1)) as v:
        c.state.x = v
    c.state.y = 0


@action
def step(c: Context[S]):
    s = c.state
    s.x = (s.x + 1) % 2 ** 32
    s.y = s.y + 1


@invariant
def no_wrap(s: S):
    """Violated in 1 step: x starts at 2**32 - 1."""
    return Implies(s.y > 0, s.x > 0)


@example
def reaches_top(s: S):
    return s.x == 2 ** 32 - 1
