"""An infinite-state spec whose invariant is true but not k-inductive for any k.

The system
----------
A clock and a timestamp, two unbounded integers, both starting at 0. Each
transition is one of:

* ``tick``   -- ``now += 1``;
* ``record`` -- ``stamp = now`` (remember the current time).

After ``n`` ticks ``now == n``; ``stamp`` is some earlier value of ``now``. The
state space is infinite (``now`` grows forever), so bounded model checking
alone can never cover it.

The property
------------
``stamp_nonneg``: ``stamp >= 0``. **Holds** in every reachable state
(``now`` starts at 0 and only grows, and ``stamp`` only copies ``now``).

It is **not k-inductive for any k**: for every ``k`` there is a path of ``k + 1``
*distinct* states that satisfies ``stamp_nonneg`` in its first ``k`` states and
breaks it in the last -- start from ``now = -k, stamp = 0``, tick ``k - 1``
times (``stamp`` stays 0, ``now`` climbs to ``-1``), then ``record``
(``stamp = -1``). Such states are unreachable (reachable ``now`` is never
negative), but ``stamp_nonneg`` says nothing about ``now``, so k-induction
cannot rule them out: ``prove --method kinduction`` answers *not proved* at
every ``--max-k``.

PDR (``prove --method pdr``) proves it: it discovers the inductive
strengthening ``now >= 0 and stamp >= 0`` by itself and prints it in the
spec's terms. (``prove --inductive`` with a hand-written ``now >= 0 and
stamp >= 0`` would prove it too.)
"""
from wunderspec_smt import *


@state
class Clock(MachineStateBase):
    now: StateVar[int]    # the current time: the number of ticks so far
    stamp: StateVar[int]  # the time of the last `record`


@action
def init(c: Context[Clock]):
    c.state.now = 0
    c.state.stamp = 0


@action(inline=False)
def tick(c: Context[Clock]):
    c.state.now += 1


@action(inline=False)
def record(c: Context[Clock]):
    c.state.stamp = c.state.now


@action
def step(c: Context[Clock]):
    alts = c.alternatives("tick", "record")
    with alts[0]:
        tick(c)
    with alts[1]:
        record(c)


@invariant
def stamp_nonneg(s: Clock):
    """The timestamp is never negative (holds; not k-inductive for any k; PDR proves it)."""
    return s.stamp >= 0
