"""Bad spec: one path assigns the same state variable twice.

Expected: SpecError at the line marked `# ERROR HERE` (the second assignment);
the CLI exits with code 5.
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
    c.state.x = c.state.x + 1
    c.state.x = c.state.x * 2  # ERROR HERE


@invariant
def nonneg(s: S):
    return s.x >= 0
