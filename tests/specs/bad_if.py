"""Bad spec: a Python `if` on a symbolic value (use c.split or Ite instead).

Expected: SpecError at the line marked `# ERROR HERE`; the CLI exits with code 5.
"""
from wunderspec_smt import *


@state
class S(MachineStateBase):
    x: StateVar[int]


@action
def init(c: Context[S]):
    c.state.x = 0


@action
def step(c: Context[S]):
    if c.state.x < 5:  # ERROR HERE
        c.state.x = c.state.x + 1


@invariant
def nonneg(s: S):
    return s.x >= 0
