"""Nested keyed writes: s.m[k].f = v, s.t[i] = v, s.r.f = v, and augmented forms."""
from wunderspec_smt import *

@record
class Acct:
    bal: Field[int]
    open: Field[bool]

@state
class S(MachineStateBase):
    accts: StateVar[dict[str, Acct]]
    pair: StateVar[tuple[int, int]]
    me: StateVar[Acct]

@action(init=True)
def init(c):
    c.state.accts = Map(("a", Acct(bal=0, open=True)), ("b", Acct(bal=5, open=False)))
    c.state.pair = (0, 0)
    c.state.me = Acct(bal=1, open=True)

@action
def step(c):
    s = c.state
    with c.one_of(s.accts.keys) as k:
        a, b = c.split(s.accts[k].open)
        with a:
            s.accts[k].bal += 3
            s.pair[1] = s.pair[1] + 1
            s.me.bal = s.me.bal * 2
        with b:
            s.accts[k].open = True

@invariant
def low(s):
    return s.accts["a"].bal + s.accts["b"].bal < 14
