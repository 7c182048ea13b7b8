"""Bad spec: an action writes a state field that the @state class does not declare.

Expected: SpecError at the line marked `# ERROR HERE`; the CLI exits with code 5.
"""
from wunderspec_smt import *


@state
class S(MachineStateBase):
    count: StateVar[int]


@action
def init(c: Context[S]):
    c.state.count = 0


@action
def step(c: Context[S]):
    c.state.count = c.state.count + 1
    c.state.cuont = 0  # ERROR HERE


@invariant
def nonneg(s: S):
    return s.count >= 0
