"""Bad spec: a sort error inside an action (an int plus a bool).

Expected: SpecError at the line marked `# ERROR HERE`; the CLI exits with code 5.
"""
from wunderspec_smt import *


@state
class S(MachineStateBase):
    count: StateVar[int]
    done: StateVar[bool]


@action
def init(c: Context[S]):
    c.state.count = 0
    c.state.done = False


@action
def step(c: Context[S]):
    c.state.count = c.state.count + c.state.done  # ERROR HERE


@invariant
def small(s: S):
    return s.count < 10
