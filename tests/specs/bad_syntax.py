"""Bad spec: a Python syntax error (a missing colon).

Expected: SpecError at the line marked `# ERROR HERE`; the CLI exits with code 5.
"""
from wunderspec_smt import *


@state
class S(MachineStateBase):
    x: StateVar[int]


@action
def init(c: Context[S])  # ERROR HERE
    c.state.x = 0
