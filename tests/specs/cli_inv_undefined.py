"""An invariant that is undefined in a reachable state (lookup of an absent key)."""
from wunderspec_smt import *


@state
class S(MachineStateBase):
    m: StateVar[dict[str, int], UPSERT]
    k: StateVar[str]


@action
def init(c: Context[S]):
    c.state.m = Map(("a", 1))
    c.state.k = "a"


@action
def step(c: Context[S]):
    c.state.k = "b"


@invariant
def positive(s: S):
    return s.m[s.k] > 0
