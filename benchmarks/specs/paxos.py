"""Single-decree Paxos (the Synod protocol), message-passing, crash-stop acceptors.

Source algorithm
----------------
L. Lamport, "The Part-Time Parliament" (ACM TOCS 16(2), 1998) and "Paxos Made
Simple" (2001), in the shape of Lamport's TLA+ specification of single-decree
Paxos (actions Phase1a, Phase1b, Phase2a, Phase2b over a set of sent messages).
The Apalache OOPSLA'19 benchmark suite (Konnov, Kukovec, Tran, "TLA+ model
checking made symbolic") checks it with 3 acceptors, 2 values and ballots 0..4.
This file is our own rendering in the wunderspec DSL, written from the
published protocol.

What is modelled
----------------
Acceptors ``A`` (strings), values ``V`` (an enum), ballots ``0..MAX_BALLOT``,
quorums = the majorities of ``A`` (parameter ``Quorum``). Each acceptor keeps
``max_bal[a]`` (highest ballot it promised, -1 = none), ``max_vbal[a]`` and
``max_val[a]`` (the ballot and value of its last vote; -1 / ``NONE`` = none).
Messages are never lost and may be received any number of times; there is one
set of sent messages per message type (a typed rendering of the single
``msgs`` set of the original):

* ``msgs_1a``: ballots b for which a leader sent "prepare(b)";
* ``msgs_1b``: promises ``(acc, bal, mbal, mval)``: acc promised ballot bal,
  its last vote was (mbal, mval);
* ``msgs_2a``: proposals ``(bal, val)``;
* ``msgs_2b``: votes ``(acc, bal, val)``.

One transition is one of:

* ``phase1a(b)``     send prepare(b);
* ``phase1b(a, b)``  acceptor a receives prepare(b) with ``b > max_bal[a]``,
  promises b and reports its last vote;
* ``phase2a(b, v)``  no proposal for b was sent yet, and some quorum Q has
  promised b: if none of Q's promises reports a vote, any v may be proposed,
  otherwise v must be the value of the highest-ballot vote reported;
* ``phase2b(a, b, v)`` acceptor a receives proposal (b, v) with
  ``b >= max_bal[a]`` and votes for it.

The properties
--------------
* ``agreement`` (Consistency): at most one value is chosen, where v is chosen
  when some quorum has voted for v in one ballot. **Holds.**
* ``one_value_per_ballot``: no two proposals of one ballot carry different
  values (part of Lamport's message invariant). **Holds.**
* ``some_chosen`` (``@example``): some value is chosen; shortest witness
  **6** transitions (phase1a, two phase1b, phase2a, two phase2b).

Instances and expected verdicts
-------------------------------
* ``a3v2b4`` (3 acceptors, 2 values, ballots 0..4, the benchmark's size),
  target depth 13: ``agreement`` and ``one_value_per_ballot`` **hold** to 13.
* ``a3v2b1`` (ballots 0..1, for tests): both **hold**; ``some_chosen``
  **found** in 6.
"""
import enum

from wunderspec_smt import *


class Value(enum.Enum):
    V1 = "v1"
    V2 = "v2"
    NONE = "none"   # "no vote yet" in promises and acceptor state


VALUES = Set(Value.V1, Value.V2)


@state
class Paxos(MachineStateBase):
    A: Param[set[str]]
    Quorum: Param[set[frozenset[str]]]
    MAX_BALLOT: Param[int]
    max_bal: StateVar[dict[str, int]]
    max_vbal: StateVar[dict[str, int]]
    max_val: StateVar[dict[str, Value]]
    msgs_1a: StateVar[set[int]]
    msgs_1b: StateVar[set[tuple[str, int, int, Value]]]
    msgs_2a: StateVar[set[tuple[int, Value]]]
    msgs_2b: StateVar[set[tuple[str, int, Value]]]


def majorities(acceptors):
    acc = sorted(acceptors)
    n = len(acc)
    return {frozenset(a for i, a in enumerate(acc) if mask >> i & 1)
            for mask in range(1 << n) if 2 * bin(mask).count("1") > n}


@instance
def a3v2b4() -> Paxos:
    acc = {"a1", "a2", "a3"}
    return Paxos(A=acc, Quorum=majorities(acc), MAX_BALLOT=4)


@instance
def a3v2b1() -> Paxos:
    acc = {"a1", "a2", "a3"}
    return Paxos(A=acc, Quorum=majorities(acc), MAX_BALLOT=1)


def ballots(s):
    return Interval(0, s.MAX_BALLOT)


@action
def init(c: Context[Paxos]):
    s = c.state
    s.max_bal = Map(Val(-1) for a in s.A)
    s.max_vbal = Map(Val(-1) for a in s.A)
    s.max_val = Map(Val(Value.NONE) for a in s.A)
    s.msgs_1a = Set(int)
    s.msgs_1b = Set(tuple[str, int, int, Value])
    s.msgs_2a = Set(tuple[int, Value])
    s.msgs_2b = Set(tuple[str, int, Value])


@action(inline=False)
def phase1a(c: Context[Paxos], b: int):
    s = c.state
    s.msgs_1a = s.msgs_1a | Set(b)


@action(inline=False)
def phase1b(c: Context[Paxos], a: str, b: int):
    s = c.state
    c.assume(b.in_(s.msgs_1a))
    c.assume(b > s.max_bal[a])
    s.msgs_1b = s.msgs_1b | Set(Tuple(a, b, s.max_vbal[a], s.max_val[a]))
    s.max_bal[a] = b


@action(inline=False)
def phase2a(c: Context[Paxos], b: int, v: Value):
    s = c.state
    c.assume(~Exists(m[0] == b for m in s.msgs_2a))
    # the promises for b from members of Q, and those among them that report a vote
    def q1b(Q):
        return SetIf(And(m[0].in_(Q), m[1] == b) for m in s.msgs_1b)

    def safe(Q):
        voted = SetIf(m[2] >= 0 for m in q1b(Q))
        return And(Forall(Exists(And(m[0] == a, m[1] == b) for m in s.msgs_1b) for a in Q),
                   Or(voted.is_empty,
                      Exists(And(m[3] == v, Forall(m[2] >= mm[2] for mm in voted)) for m in voted)))
    c.assume(Exists(safe(Q) for Q in s.Quorum))
    s.msgs_2a = s.msgs_2a | Set(Tuple(b, v))


@action(inline=False)
def phase2b(c: Context[Paxos], a: str, b: int, v: Value):
    s = c.state
    c.assume(Tuple(b, v).in_(s.msgs_2a))
    c.assume(b >= s.max_bal[a])
    s.max_bal[a] = b
    s.max_vbal[a] = b
    s.max_val[a] = v
    s.msgs_2b = s.msgs_2b | Set(Tuple(a, b, v))


@action
def step(c: Context[Paxos]):
    s = c.state
    alts = c.alternatives("phase1a", "phase1b", "phase2a", "phase2b")
    with alts[0]:
        with c.one_of(ballots(s)) as b:
            phase1a(c, b)
    with alts[1]:
        with c.one_of(s.A) as a:
            with c.one_of(s.msgs_1a) as b:
                phase1b(c, a, b)
    with alts[2]:
        with c.one_of(ballots(s)) as b:
            with c.one_of(VALUES) as v:
                phase2a(c, b, v)
    with alts[3]:
        with c.one_of(s.A) as a:
            with c.one_of(s.msgs_2a) as m:
                phase2b(c, a, m[0], m[1])


def chosen(s, v):
    """v is chosen: some quorum voted for v in one ballot."""
    return Exists(Exists(Forall(Tuple(a, b, v).in_(s.msgs_2b) for a in Q) for Q in s.Quorum)
                  for b in ballots(s))


@invariant
def agreement(s: Paxos):
    """At most one value is chosen (holds)."""
    return Not(And(chosen(s, Value.V1), chosen(s, Value.V2)))


@invariant
def one_value_per_ballot(s: Paxos):
    """No two proposals of one ballot carry different values (holds)."""
    return Forall(Implies(m1[0] == m2[0], m1[1] == m2[1]) for m1 in s.msgs_2a for m2 in s.msgs_2a)


@example
def some_chosen(s: Paxos):
    """Some value is chosen (found in 6 transitions)."""
    return Or(chosen(s, Value.V1), chosen(s, Value.V2))
