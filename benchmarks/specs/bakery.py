"""Lamport's bakery algorithm, fine-grained (one shared-memory access per step).

Source algorithm
----------------
L. Lamport, "A New Solution of Dijkstra's Concurrent Programming Problem",
CACM 17(8), 1974, in the fine-grained form of Lamport's PlusCal/TLA+ version
of the algorithm (labels ncs, e1..e4, w1, w2, cs, exit). The Apalache OOPSLA'19
benchmark suite (Konnov, Kukovec, Tran, "TLA+ model checking made symbolic")
checks mutual exclusion of Bakery for N = 5 to depth 8. This file is our own
rendering in the wunderspec DSL, written from the published algorithm.

What is modelled
----------------
Processes ``1..N``. Shared: ``num[p]`` (the ticket, 0 = not competing) and
``flag[p]`` (p is choosing a ticket). Local to p: ``unchecked[p]`` (the processes
p still has to look at), ``max_[p]`` (the largest ticket seen so far),
``nxt[p]`` (the process p is waiting for) and ``pc[p]``. One transition is one
step of one process (picked with ``one_of``), at its label:

* ``ncs``   leave the non-critical section;
* ``e1``    either flicker ``flag[p]`` (a read of a flag being written may see
  either value: Lamport's model of non-atomic registers), or set it and start
  scanning the tickets: ``unchecked := Procs - {p}``, ``max := 0``;
* ``e2``    read the ticket of one unchecked process ``i`` (any order) and keep
  the maximum; when all are read, go to ``e3``;
* ``e3``    take the ticket ``max + 1`` (the original takes any number above
  ``max``; taking the least one keeps every choice finite, so the explicit
  engine can cross-check this spec, and mutual exclusion rests on the same
  argument);
* ``e4``    either flicker the flag, or clear it and start waiting:
  ``unchecked := Procs - {p}``;
* ``w1``    pick an unchecked process ``i`` whose flag is down (p waits while
  ``i`` is choosing); when none is left, enter ``cs``;
* ``w2``    wait until ``num[i] = 0`` or ``(num[p], p) < (num[i], i)``
  (lexicographically), then mark ``i`` checked and go back to ``w1``;
* ``cs``    leave the critical section;
* ``exit``  reset the ticket to 0 and return to ``ncs``.

Simplification: in Lamport's version a process writing ``num`` may also leave
arbitrary intermediate values in it (flickering of ``num`` at ``e3`` and
``exit``); here ``num`` is written in one step and only ``flag`` flickers.

The property
------------
``mutual_exclusion``: no two processes are in ``cs`` at once (holds). The
``@example`` ``someone_in_cs`` shows the search is not vacuous (found in 9
transitions with N = 2: ncs, e1, e2, e2, e3, e4, w1, w2, w1 of one process).

Instances and expected verdicts
-------------------------------
* ``n5`` (N = 5, the benchmark's size), target depth 8: ``mutual_exclusion``
  **holds** to depth 8 (no process reaches ``cs`` that early: with N = 5 the
  shortest way in takes 18 transitions; every depth is still a real query over
  all interleavings of the 5 processes).
* ``n2`` (N = 2, for tests): ``mutual_exclusion`` **holds** (checked to depth
  14 with both `check` and `explore`); ``someone_in_cs`` **found** in 9.
"""
import enum

from wunderspec_smt import *


class PC(enum.Enum):
    NCS = "ncs"
    E1 = "e1"
    E2 = "e2"
    E3 = "e3"
    E4 = "e4"
    W1 = "w1"
    W2 = "w2"
    CS = "cs"
    EXIT = "exit"


@state
class Bakery(MachineStateBase):
    N: Param[int]
    num: StateVar[dict[int, int]]
    flag: StateVar[dict[int, bool]]
    unchecked: StateVar[dict[int, set[int]]]
    max_: StateVar[dict[int, int]]
    nxt: StateVar[dict[int, int]]
    pc: StateVar[dict[int, PC]]


@instance
def n5() -> Bakery:
    return Bakery(N=5)


@instance
def n2() -> Bakery:
    return Bakery(N=2)


def procs(s):
    return Interval(1, s.N)


@action
def init(c: Context[Bakery]):
    s = c.state
    s.num = Map(Val(0) for p in procs(s))
    s.flag = Map(Val(False) for p in procs(s))
    s.unchecked = Map(Set(int) for p in procs(s))
    s.max_ = Map(Val(0) for p in procs(s))
    s.nxt = Map(Val(1) for p in procs(s))
    s.pc = Map(Val(PC.NCS) for p in procs(s))


def at(c, p, label):
    c.assume(c.state.pc[p] == label)


@action
def step(c: Context[Bakery]):
    s = c.state
    with c.one_of(procs(s)) as p:
        alts = c.alternatives("ncs", "e1_flicker", "e1", "e2_read", "e2_done", "e3",
                              "e4_flicker", "e4", "w1_pick", "w1_done", "w2", "cs", "exit")
        with alts[0]:
            at(c, p, PC.NCS)
            s.pc[p] = PC.E1
        with alts[1]:
            at(c, p, PC.E1)
            s.flag[p] = ~s.flag[p]
        with alts[2]:
            at(c, p, PC.E1)
            s.flag[p] = True
            s.unchecked[p] = procs(s) - Set(p)
            s.max_[p] = 0
            s.pc[p] = PC.E2
        with alts[3]:
            at(c, p, PC.E2)
            with c.one_of(s.unchecked[p]) as i:
                s.unchecked[p] = s.unchecked[p] - Set(i)
                s.max_[p] = Max(s.max_[p], s.num[i])
        with alts[4]:
            at(c, p, PC.E2)
            c.assume(s.unchecked[p].is_empty)
            s.pc[p] = PC.E3
        with alts[5]:
            at(c, p, PC.E3)
            s.num[p] = s.max_[p] + 1
            s.pc[p] = PC.E4
        with alts[6]:
            at(c, p, PC.E4)
            s.flag[p] = ~s.flag[p]
        with alts[7]:
            at(c, p, PC.E4)
            s.flag[p] = False
            s.unchecked[p] = procs(s) - Set(p)
            s.pc[p] = PC.W1
        with alts[8]:
            at(c, p, PC.W1)
            with c.one_of(s.unchecked[p]) as i:
                c.assume(~s.flag[i])
                s.nxt[p] = i
                s.pc[p] = PC.W2
        with alts[9]:
            at(c, p, PC.W1)
            c.assume(s.unchecked[p].is_empty)
            s.pc[p] = PC.CS
        with alts[10]:
            at(c, p, PC.W2)
            i = s.nxt[p]
            c.assume(Or(s.num[i] == 0, s.num[p] < s.num[i], And(s.num[p] == s.num[i], p < i)))
            s.unchecked[p] = s.unchecked[p] - Set(i)
            s.pc[p] = PC.W1
        with alts[11]:
            at(c, p, PC.CS)
            s.pc[p] = PC.EXIT
        with alts[12]:
            at(c, p, PC.EXIT)
            s.num[p] = 0
            s.pc[p] = PC.NCS


@invariant
def mutual_exclusion(s: Bakery):
    """No two processes are in the critical section at once (holds)."""
    return Forall(Implies(And(p != q, s.pc[p] == PC.CS), s.pc[q] != PC.CS)
                  for p in procs(s) for q in procs(s))


@example
def someone_in_cs(s: Bakery):
    """Some process is in the critical section (found in 9 transitions with N = 2)."""
    return Exists(s.pc[p] == PC.CS for p in procs(s))
