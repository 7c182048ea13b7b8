"""Two-phase commit: the transaction-commit benchmark (TCommit / TwoPhase).

Source algorithm
----------------
Two-phase commit (Gray, "Notes on data base operating systems", 1978), in the
form of Gray and Lamport's TLA+ specification in "Consensus on Transaction
Commit" (ACM TODS 31(1), 2006), the ``TwoPhase`` module; the Apalache OOPSLA'19
benchmark suite (Konnov, Kukovec, Tran, "TLA+ model checking made symbolic")
checks it with 7 resource managers. This file is our own rendering in the
wunderspec DSL, written from the published description of the protocol.

What is modelled
----------------
A transaction manager (TM) and the resource managers (RMs) of the parameter
``RM``. Messages are never lost: ``msgs`` is the set of every message sent.
A message has a type and, for ``Prepared``, its sender; ``Commit`` and
``Abort`` are broadcast by the TM and carry the placeholder sender ``"tm"``.
One transition is one of:

* ``tm_rcv_prepared(rm)``  the TM, in INIT, records ``Prepared(rm)``;
* ``tm_commit``            the TM, in INIT and prepared by every RM, commits;
* ``tm_abort``             the TM, in INIT, aborts (spontaneously);
* ``rm_prepare(rm)``       a working RM prepares and tells the TM;
* ``rm_choose_to_abort(rm)`` a working RM aborts on its own;
* ``rm_rcv_commit(rm)``    an RM that sees ``Commit`` commits;
* ``rm_rcv_abort(rm)``     an RM that sees ``Abort`` aborts.

The property
------------
``tc_consistent`` (TCConsistent): no RM has committed while another has
aborted. ``some_committed`` (an ``@example``) shows the search is not vacuous:
with n RMs it is reached in 2n + 2 transitions (n prepares, n receipts,
commit, one RM commits).

Instances and expected verdicts
-------------------------------
* ``rm7`` (7 RMs, the benchmark's size), target depth 10: ``tc_consistent``
  **holds** to depth 10.
* ``rm3`` (3 RMs, for tests): ``tc_consistent`` **holds** (the 288 reachable
  states are all reached within 10 steps); ``some_committed`` **found** in 8.
"""
import enum

from wunderspec_smt import *


class RMState(enum.Enum):
    WORKING = "working"
    PREPARED = "prepared"
    COMMITTED = "committed"
    ABORTED = "aborted"


class TMState(enum.Enum):
    INIT = "init"
    DONE_COMMIT = "committed"
    DONE_ABORT = "aborted"


class Kind(enum.Enum):
    PREPARED = "Prepared"
    COMMIT = "Commit"
    ABORT = "Abort"


@record
class Msg:
    kind: Field[Kind]
    sender: Field[str]


TM = "tm"
COMMIT = Msg(kind=Kind.COMMIT, sender=TM)
ABORT = Msg(kind=Kind.ABORT, sender=TM)


def prepared(rm):
    return Msg(kind=Kind.PREPARED, sender=rm)


@state
class TwoPhase(MachineStateBase):
    RM: Param[set[str]]
    rm_state: StateVar[dict[str, RMState]]
    tm_state: StateVar[TMState]
    tm_prepared: StateVar[set[str]]
    msgs: StateVar[set[Msg]]


@instance
def rm7() -> TwoPhase:
    return TwoPhase(RM={f"rm{i}" for i in range(1, 8)})


@instance
def rm3() -> TwoPhase:
    return TwoPhase(RM={"rm1", "rm2", "rm3"})


@action
def init(c: Context[TwoPhase]):
    s = c.state
    s.rm_state = Map(Val(RMState.WORKING) for rm in s.RM)
    s.tm_state = TMState.INIT
    s.tm_prepared = Set(str)
    s.msgs = Set(Msg)


@action(inline=False)
def tm_rcv_prepared(c: Context[TwoPhase], rm: str):
    s = c.state
    c.assume(s.tm_state == TMState.INIT)
    c.assume(prepared(rm).in_(s.msgs))
    s.tm_prepared = s.tm_prepared | Set(rm)


@action(inline=False)
def tm_commit(c: Context[TwoPhase]):
    s = c.state
    c.assume(s.tm_state == TMState.INIT)
    c.assume(s.tm_prepared == s.RM)
    s.tm_state = TMState.DONE_COMMIT
    s.msgs = s.msgs | Set(COMMIT)


@action(inline=False)
def tm_abort(c: Context[TwoPhase]):
    s = c.state
    c.assume(s.tm_state == TMState.INIT)
    s.tm_state = TMState.DONE_ABORT
    s.msgs = s.msgs | Set(ABORT)


@action(inline=False)
def rm_prepare(c: Context[TwoPhase], rm: str):
    s = c.state
    c.assume(s.rm_state[rm] == RMState.WORKING)
    s.rm_state[rm] = RMState.PREPARED
    s.msgs = s.msgs | Set(prepared(rm))


@action(inline=False)
def rm_choose_to_abort(c: Context[TwoPhase], rm: str):
    s = c.state
    c.assume(s.rm_state[rm] == RMState.WORKING)
    s.rm_state[rm] = RMState.ABORTED


@action(inline=False)
def rm_rcv_commit(c: Context[TwoPhase], rm: str):
    s = c.state
    c.assume(COMMIT.in_(s.msgs))
    s.rm_state[rm] = RMState.COMMITTED


@action(inline=False)
def rm_rcv_abort(c: Context[TwoPhase], rm: str):
    s = c.state
    c.assume(ABORT.in_(s.msgs))
    s.rm_state[rm] = RMState.ABORTED


@action
def step(c: Context[TwoPhase]):
    alts = c.alternatives("tm_commit", "tm_abort", "tm_rcv_prepared", "rm_prepare",
                          "rm_choose_to_abort", "rm_rcv_commit", "rm_rcv_abort")
    with alts[0]:
        tm_commit(c)
    with alts[1]:
        tm_abort(c)
    for alt, act in zip(alts[2:], (tm_rcv_prepared, rm_prepare, rm_choose_to_abort,
                                   rm_rcv_commit, rm_rcv_abort)):
        with alt:
            with c.one_of(c.state.RM) as rm:
                act(c, rm)


@invariant
def tc_consistent(s: TwoPhase):
    """No RM has committed while another has aborted (holds)."""
    return Forall(Implies(s.rm_state[r1] == RMState.COMMITTED, s.rm_state[r2] != RMState.ABORTED)
                  for r1 in s.RM for r2 in s.RM)


@example
def some_committed(s: TwoPhase):
    """Some RM has committed (found in 2n + 2 transitions with n RMs)."""
    return Exists(s.rm_state[r] == RMState.COMMITTED for r in s.RM)
