"""Differential bug: an undefined guard in the init action is missed by BMC.

Found by tests/test_differential_random.py (random spec, seed 2697231400: an init
that reads back an entry written by key from an undefined value, `s.m[0] -= 1` on an
empty map followed by `c.assume(s.m[0] >= 0)`), minimised by hand.

The init action's guard `m[1] > 5` looks up key 1, which is not in the domain of
m = {0: 10}: the init action is undefined ("guards come first": the guard is the
first one on the path, so it is evaluated, and it fails).

* `explore`: the init action is undefined (spec error, exit 5).
* `check` (BMC): `holds` (exit 0) -- the init fault query in engines/bmc.py asks for
  `domain & init.enabled & init.undefined`, and `enabled` contains the undefined
  guard itself, evaluated with the encoder's value for the undefined lookup, which
  makes it false; the query for steps (`domain & undefined`) has no such conjunct.
  With the guard written `m[1] < 5` instead, both engines report the fault.

Expected: both report that the init action is undefined.
"""
from wunderspec_smt import *


@state
class S(MachineStateBase):
    m: StateVar[dict[int, int]]


@action
def init(c: Context[S]):
    c.state.m = Map((0, 10))
    c.assume(c.state.m[1] > 5)   # key 1 is not in the domain: undefined


@action
def step(c: Context[S]):
    c.state.m = c.state.m


@invariant
def small(s: S):
    return s.m.size < 5
