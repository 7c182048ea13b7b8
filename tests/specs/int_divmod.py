"""Floor division and Python modulo on negative operands: exact under every integer encoding."""
from wunderspec_smt import *


@state
class DivMod(MachineStateBase):
    x: StateVar[int]
    y: StateVar[int]
    q: StateVar[int]
    r: StateVar[int]


@instance
def small() -> DivMod:
    return DivMod()


@action
def init(c: Context[DivMod]):
    s = c.state
    s.x, s.y, s.q, s.r = 0, 1, 0, 0


@action
def step(c: Context[DivMod]):
    s = c.state
    with c.one_of(Interval(-7, 7)) as x:
        with c.one_of(Interval(-3, 3)) as y:
            c.assume(y != 0)
            s.x, s.y = x, y
            s.q = x // y
            s.r = x % y


@invariant
def division_identity(s: DivMod):
    """q * y + r == x, and r has the sign of y (Python's floor semantics; holds)."""
    return And(s.q * s.y + s.r == s.x, Or(s.r == 0, (s.r > 0) == (s.y > 0)), s.r * s.r < s.y * s.y)
