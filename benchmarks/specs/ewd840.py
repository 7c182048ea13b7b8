"""EWD 840: Dijkstra, Feijen and van Gasteren's termination detection in a ring.

Source algorithm
----------------
E. W. Dijkstra, W. H. J. Feijen, A. J. M. van Gasteren, "Derivation of a
termination detection algorithm for distributed computations", Information
Processing Letters 16(5), 1983 (EWD 840), in the shape of S. Merz's TLA+
specification ``EWD840``. The Apalache OOPSLA'19 benchmark suite (Konnov,
Kukovec, Tran, "TLA+ model checking made symbolic") checks it with N = 10
nodes to depth 30. This file is our own rendering in the wunderspec DSL,
written from the published algorithm.

What is modelled
----------------
Nodes ``0..N-1`` in a ring. Each node is ``active`` or passive and has a
``color`` (white or black); a token with a color ``tcolor`` sits at node
``tpos``. Initially the activity and color of every node and the position of
the token are arbitrary, and the token is black. One transition is one of:

* ``initiate_probe``  node 0 holds the token and the last round failed (the
  token or node 0 is black): send a white token to node N-1, whiten node 0;
* ``pass_token(i)``   node i != 0 holds the token and is passive (or is black,
  or the token is black): pass it to i-1, blackened if i is black; whiten i;
* ``send_msg(i, j)``  active node i activates node j != i; i turns black if
  j > i (the message went "backwards" past the token's direction);
* ``deactivate(i)``   active node i becomes passive.

The property
------------
``termination_detection``: if node 0 holds a white token, is white and passive
(``terminationDetected``), then every node is passive. **Holds.** The
``@example`` ``detected_after_probe`` (termination detected after some probe
was started; ``probed`` is a ghost variable for it) shows the search is not
vacuous: it takes N transitions (start with the token at node 0 and every node
white and passive; ``initiate_probe``, then ``pass_token`` from N-1 down to 1).

Instances and expected verdicts
-------------------------------
* ``n10`` (N = 10, the benchmark's size), target depth 30:
  ``termination_detection`` **holds** to depth 30.
* ``n3`` (N = 3, for tests): ``termination_detection`` **holds** (all 366
  reachable states are reached within 8 transitions); ``detected_after_probe``
  **found** in 3.
"""
import enum

from wunderspec_smt import *


class Color(enum.Enum):
    WHITE = "white"
    BLACK = "black"


@state
class EWD840(MachineStateBase):
    N: Param[int]
    active: StateVar[dict[int, bool]]
    color: StateVar[dict[int, Color]]
    tpos: StateVar[int]
    tcolor: StateVar[Color]
    probed: StateVar[bool]   # ghost: some probe was initiated (for the example only)


@instance
def n10() -> EWD840:
    return EWD840(N=10)


@instance
def n3() -> EWD840:
    return EWD840(N=3)


def nodes(s):
    return Interval(0, s.N - 1)


@action
def init(c: Context[EWD840]):
    s = c.state
    with c.one_of(AllMaps(nodes(s), Set(True, False))) as act:
        with c.one_of(AllMaps(nodes(s), Set(Color.WHITE, Color.BLACK))) as col:
            with c.one_of(nodes(s)) as t:
                s.active = act
                s.color = col
                s.tpos = t
    s.tcolor = Color.BLACK
    s.probed = False


@action(inline=False)
def initiate_probe(c: Context[EWD840]):
    s = c.state
    c.assume(s.tpos == 0)
    c.assume(Or(s.tcolor == Color.BLACK, s.color[0] == Color.BLACK))
    s.tpos = s.N - 1
    s.tcolor = Color.WHITE
    s.color[0] = Color.WHITE
    s.probed = True


@action(inline=False)
def pass_token(c: Context[EWD840], i: int):
    s = c.state
    c.assume(s.tpos == i)
    c.assume(Or(~s.active[i], s.color[i] == Color.BLACK, s.tcolor == Color.BLACK))
    s.tpos = i - 1
    s.tcolor = Ite(s.color[i] == Color.BLACK, Val(Color.BLACK), s.tcolor)
    s.color[i] = Color.WHITE


@action(inline=False)
def send_msg(c: Context[EWD840], i: int, j: int):
    s = c.state
    c.assume(s.active[i])
    c.assume(i != j)
    s.active[j] = True
    s.color[i] = Ite(j > i, Val(Color.BLACK), s.color[i])


@action(inline=False)
def deactivate(c: Context[EWD840], i: int):
    s = c.state
    c.assume(s.active[i])
    s.active[i] = False


@action
def step(c: Context[EWD840]):
    s = c.state
    alts = c.alternatives("initiate_probe", "pass_token", "send_msg", "deactivate")
    with alts[0]:
        initiate_probe(c)
    with alts[1]:
        with c.one_of(Interval(1, s.N - 1)) as i:
            pass_token(c, i)
    with alts[2]:
        with c.one_of(nodes(s)) as i:
            with c.one_of(nodes(s)) as j:
                send_msg(c, i, j)
    with alts[3]:
        with c.one_of(nodes(s)) as i:
            deactivate(c, i)


def termination_detected(s):
    return And(s.tpos == 0, s.tcolor == Color.WHITE, s.color[0] == Color.WHITE, ~s.active[0])


@invariant
def termination_detection(s: EWD840):
    """Termination is only detected when every node is passive (holds)."""
    return Implies(termination_detected(s), Forall(~s.active[i] for i in nodes(s)))


@example
def detected_after_probe(s: EWD840):
    """Termination is detected after a probe went round the ring."""
    return And(s.probed, termination_detected(s))
