r"""Folklore reliable broadcast with crash faults (bcastFolklore).

Source algorithm
----------------
The "folklore" reliable broadcast of Chandra and Toueg ("Unreliable failure
detectors for reliable distributed systems", JACM 43(2), 1996): a process that
delivers (accepts) a message first relays it to everybody. It is one of the
threshold-guarded benchmarks of the parameterized-verification work of
Gmeiner, Konnov, Schmid, Veith and Widder ("Tutorial on parameterized model
checking of fault-tolerant distributed algorithms", SFM 2014), whose TLA+
version ``bcastFolklore`` the Apalache OOPSLA'19 benchmark suite (Konnov,
Kukovec, Tran, "TLA+ model checking made symbolic") checks with N = 20 to
depth 10. This file is our own rendering in the wunderspec DSL, written from
the published algorithm.

What is modelled
----------------
Processes ``1..N``, at most ``F`` of which crash. Each process has a control
state ``pc``: ``V0`` (has not received the broadcast value), ``V1`` (it is the
sender, or received the value from outside), ``AC`` (accepted) or ``CR``
(crashed). ``sent`` is the set of processes that have sent their ECHO (one
message type, so a message is its sender); ``rcvd[p]`` the ECHOs p received.
``corr`` is the set of processes that have not crashed, ``n_crashed`` their
complement's size. One transition is one of:

* ``crash(i)``    fewer than F crashed so far and i is not crashed: i crashes;
* ``step(i)``     a correct process i may first receive one sent ECHO it has
  not received yet (or none), and then: in ``V1`` it accepts and sends ECHO;
  in ``V0`` with some ECHO received it accepts and sends ECHO (relay); or it
  does nothing more. (The original receives an arbitrary subset of the sent
  messages in one step; receiving one at a time gives the same states, with
  more steps.)

Initially every process is in ``V0`` or ``V1``, in any combination (the
sender may be any set of processes, or nobody); the ghost constant
``initially_v1`` remembers which processes started in ``V1``.

The properties
--------------
* ``unforgeability`` (Unforg): if no process started in ``V1`` (nobody
  broadcast), then no correct process ever accepts. The original states it as
  a temporal formula, ``(\A i \in Corr: pc[i] # "V1") => [](\A i \in Corr:
  pc[i] # "AC")``, whose premise is about the initial state; with the ghost
  constant it is an invariant. **Holds.**
* ``accepted_sent_echo``: every process that accepted has sent its ECHO, and
  every ECHO received was sent (part of the inductive invariant of the
  original). **Holds.**
* ``all_accepted`` (``@example``): somebody broadcast and every correct
  process accepted (relay). With N processes, shortest witness **N**
  transitions (one sender accepts, then each other process receives its ECHO
  and accepts).

Instances and expected verdicts
-------------------------------
* ``n20`` (N = 20, F = 9), target depth 10: ``unforgeability`` and
  ``accepted_sent_echo`` **hold** to depth 10.
* ``n4`` (N = 4, F = 1, for tests): both **hold**; ``all_accepted``
  **found** in 4.
"""
import enum

from wunderspec_smt import *


class PC(enum.Enum):
    V0 = "V0"
    V1 = "V1"
    AC = "AC"
    CR = "CR"


@state
class Folklore(MachineStateBase):
    N: Param[int]
    F: Param[int]
    corr: StateVar[set[int]]
    n_crashed: StateVar[int]
    pc: StateVar[dict[int, PC]]
    sent: StateVar[set[int]]
    rcvd: StateVar[dict[int, set[int]]]
    initially_v1: StateVar[set[int]]   # ghost constant: who started in V1


@instance
def n20() -> Folklore:
    return Folklore(N=20, F=9)


@instance
def n4() -> Folklore:
    return Folklore(N=4, F=1)


def procs(s):
    return Interval(1, s.N)


@action
def init(c: Context[Folklore]):
    s = c.state
    s.corr = procs(s)
    s.n_crashed = 0
    with c.one_of(AllMaps(procs(s), Set(PC.V0, PC.V1))) as pc0:
        s.pc = pc0
        s.initially_v1 = SetIf(pc0[p] == PC.V1 for p in procs(s))
    s.sent = Set(int)
    s.rcvd = Map(Set(int) for p in procs(s))


@action(inline=False)
def crash(c: Context[Folklore], i: int):
    s = c.state
    c.assume(s.n_crashed < s.F)
    c.assume(s.pc[i] != PC.CR)
    s.n_crashed = s.n_crashed + 1
    s.pc[i] = PC.CR
    s.corr = s.corr - Set(i)


def upon(c, i, rcvd_i):
    """After receiving: accept on V1, or on V0 with an ECHO; or do nothing more."""
    s = c.state
    alts = c.alternatives("upon_v1", "upon_accept", "idle")
    with alts[0]:
        c.assume(s.pc[i] == PC.V1)
        s.pc[i] = PC.AC
        s.sent = s.sent | Set(i)
    with alts[1]:
        c.assume(s.pc[i] == PC.V0)
        c.assume(~rcvd_i.is_empty)
        s.pc[i] = PC.AC
        s.sent = s.sent | Set(i)
    with alts[2]:
        pass


@action
def step(c: Context[Folklore]):
    s = c.state
    alts = c.alternatives("crash", "receive", "no_receive")
    with alts[0]:
        with c.one_of(procs(s)) as i:
            crash(c, i)
    with alts[1]:
        with c.one_of(s.corr) as i:
            with c.one_of(s.sent - s.rcvd[i]) as j:
                s.rcvd[i] = s.rcvd[i] | Set(j)
                upon(c, i, s.rcvd[i])
    with alts[2]:
        with c.one_of(s.corr) as i:
            upon(c, i, s.rcvd[i])


@invariant
def unforgeability(s: Folklore):
    """If nobody broadcast, no correct process accepts (holds)."""
    return Implies(s.initially_v1.is_empty, Forall(s.pc[i] != PC.AC for i in s.corr))


@invariant
def accepted_sent_echo(s: Folklore):
    """Accepting processes sent their ECHO; received ECHOs were sent (holds)."""
    return And(Forall(Implies(s.pc[i] == PC.AC, i.in_(s.sent)) for i in procs(s)),
               Forall(s.rcvd[i] <= s.sent for i in procs(s)))


@example
def all_accepted(s: Folklore):
    """Every correct process accepted (found in N transitions)."""
    return Forall(s.pc[i] == PC.AC for i in s.corr)
