"""Raft leader election: at most one leader per term.

Source algorithm
----------------
D. Ongaro and J. Ousterhout, "In Search of an Understandable Consensus
Algorithm" (USENIX ATC 2014) and Ongaro's PhD thesis (Stanford, 2014), whose
TLA+ specification of Raft the Apalache OOPSLA'19 benchmark suite (Konnov,
Kukovec, Tran, "TLA+ model checking made symbolic") checks with 5 servers to
depth 8. This file is our own rendering in the wunderspec DSL, written from the
published protocol; it keeps the part of Raft that the property is about.

What is modelled
----------------
Servers ``Server`` (strings). Each has a ``current_term``, a ``role``
(follower, candidate, leader), ``voted_for`` (a server, or ``"none"``), the
votes it got as a candidate (``votes_granted``), and an abstraction of its log:
its length and the term of its last entry (``log_len``, ``last_term``), which
is what the election restriction of Raft looks at. Messages are never
removed: a message in ``rv_requests`` / ``rv_responses`` may be received any
number of times, in any order, or never (loss, duplication and reordering).
One transition is one of:

* ``timeout(i)``          a follower or candidate starts an election: term + 1,
  candidate, votes for itself;
* ``request_vote(i, j)``  a candidate sends RequestVote(term, last log term,
  log length) to j;
* ``update_term(i)``      i sees a message with a higher term: adopts it,
  becomes follower, forgets its vote;
* ``handle_request(i, m)`` i answers a RequestVote of its current term: grants
  it if it has not voted for another server in this term and the candidate's
  log is at least as up to date as its own (Raft's election restriction);
* ``handle_response(i, m)`` a candidate records a granted vote of its term;
* ``become_leader(i)``    a candidate with votes from a majority becomes leader;
* ``client_request(i)``   a leader appends an entry of its term to its log;
* ``replicate(i, j)``     a leader copies its log to j (an abstraction of
  AppendEntries: j, in i's term, takes i's log length and last term).

The property
------------
``one_leader_per_term`` (Election Safety): no two servers are leaders in the
same term. **Holds.** ``leader_elected`` (``@example``) shows the search is
not vacuous: with majority q, ``1 + 4 (q - 1) + 1`` transitions (timeout, then
for q - 1 voters: request, the voter adopts the new term, answers, the answer
is recorded; then become_leader): 6 with 3 servers, 10 with 5 (so no leader
exists within the benchmark's depth 8 with 5 servers; the check is still a
query over every interleaving of 8 steps).

Instances and expected verdicts
-------------------------------
* ``s5`` (5 servers, the benchmark's size), target depth 8:
  ``one_leader_per_term`` **holds** to depth 8.
* ``s3`` (3 servers, for tests): ``one_leader_per_term`` **holds**;
  ``leader_elected`` **found** in 6.
"""
import enum

from wunderspec_smt import *


class Role(enum.Enum):
    FOLLOWER = "follower"
    CANDIDATE = "candidate"
    LEADER = "leader"


NOBODY = "none"


@record
class RVRequest:
    term: Field[int]
    src: Field[str]
    dst: Field[str]
    last_term: Field[int]
    log_len: Field[int]


@record
class RVResponse:
    term: Field[int]
    src: Field[str]
    dst: Field[str]
    granted: Field[bool]


@state
class Raft(MachineStateBase):
    Server: Param[set[str]]
    current_term: StateVar[dict[str, int]]
    role: StateVar[dict[str, Role]]
    voted_for: StateVar[dict[str, str]]
    votes_granted: StateVar[dict[str, set[str]]]
    log_len: StateVar[dict[str, int]]
    last_term: StateVar[dict[str, int]]
    rv_requests: StateVar[set[RVRequest]]
    rv_responses: StateVar[set[RVResponse]]


@instance
def s5() -> Raft:
    return Raft(Server={"s1", "s2", "s3", "s4", "s5"})


@instance
def s3() -> Raft:
    return Raft(Server={"s1", "s2", "s3"})


@action
def init(c: Context[Raft]):
    s = c.state
    s.current_term = Map(Val(1) for i in s.Server)
    s.role = Map(Val(Role.FOLLOWER) for i in s.Server)
    s.voted_for = Map(Val(NOBODY) for i in s.Server)
    s.votes_granted = Map(Set(str) for i in s.Server)
    s.log_len = Map(Val(0) for i in s.Server)
    s.last_term = Map(Val(0) for i in s.Server)
    s.rv_requests = Set(RVRequest)
    s.rv_responses = Set(RVResponse)


def is_quorum(s, votes):
    return 2 * votes.size > s.Server.size


@action(inline=False)
def timeout(c: Context[Raft], i: str):
    s = c.state
    c.assume(s.role[i] != Role.LEADER)
    s.current_term[i] = s.current_term[i] + 1
    s.role[i] = Role.CANDIDATE
    s.voted_for[i] = i
    s.votes_granted[i] = Set(i)


@action(inline=False)
def request_vote(c: Context[Raft], i: str, j: str):
    s = c.state
    c.assume(s.role[i] == Role.CANDIDATE)
    c.assume(i != j)
    s.rv_requests = s.rv_requests | Set(RVRequest(term=s.current_term[i], src=i, dst=j,
                                                  last_term=s.last_term[i], log_len=s.log_len[i]))


@action(inline=False)
def update_term(c: Context[Raft], i: str, term: int):
    s = c.state
    c.assume(term > s.current_term[i])
    s.current_term[i] = term
    s.role[i] = Role.FOLLOWER
    s.voted_for[i] = NOBODY


@action(inline=False)
def handle_request(c: Context[Raft], i: str, m: RVRequest):
    s = c.state
    c.assume(m.dst == i)
    c.assume(m.term == s.current_term[i])
    log_ok = Or(m.last_term > s.last_term[i],
                And(m.last_term == s.last_term[i], m.log_len >= s.log_len[i]))
    grant = And(log_ok, Or(s.voted_for[i] == NOBODY, s.voted_for[i] == m.src))
    s.voted_for[i] = Ite(grant, m.src, s.voted_for[i])
    s.rv_responses = s.rv_responses | Set(RVResponse(term=m.term, src=i, dst=m.src, granted=grant))


@action(inline=False)
def handle_response(c: Context[Raft], i: str, m: RVResponse):
    s = c.state
    c.assume(m.dst == i)
    c.assume(m.term == s.current_term[i])
    c.assume(s.role[i] == Role.CANDIDATE)
    c.assume(m.granted)
    s.votes_granted[i] = s.votes_granted[i] | Set(m.src)


@action(inline=False)
def become_leader(c: Context[Raft], i: str):
    s = c.state
    c.assume(s.role[i] == Role.CANDIDATE)
    c.assume(is_quorum(s, s.votes_granted[i]))
    s.role[i] = Role.LEADER


@action(inline=False)
def client_request(c: Context[Raft], i: str):
    s = c.state
    c.assume(s.role[i] == Role.LEADER)
    s.log_len[i] = s.log_len[i] + 1
    s.last_term[i] = s.current_term[i]


@action(inline=False)
def replicate(c: Context[Raft], i: str, j: str):
    s = c.state
    c.assume(s.role[i] == Role.LEADER)
    c.assume(i != j)
    c.assume(s.current_term[j] == s.current_term[i])
    s.log_len[j] = s.log_len[i]
    s.last_term[j] = s.last_term[i]


@action
def step(c: Context[Raft]):
    s = c.state
    with c.one_of(s.Server) as i:
        alts = c.alternatives("timeout", "request_vote", "update_term_req", "update_term_resp",
                              "handle_request", "handle_response", "become_leader",
                              "client_request", "replicate")
        with alts[0]:
            timeout(c, i)
        with alts[1]:
            with c.one_of(s.Server) as j:
                request_vote(c, i, j)
        with alts[2]:
            with c.one_of(s.rv_requests) as m:
                c.assume(m.dst == i)
                update_term(c, i, m.term)
        with alts[3]:
            with c.one_of(s.rv_responses) as m:
                c.assume(m.dst == i)
                update_term(c, i, m.term)
        with alts[4]:
            with c.one_of(s.rv_requests) as m:
                handle_request(c, i, m)
        with alts[5]:
            with c.one_of(s.rv_responses) as m:
                handle_response(c, i, m)
        with alts[6]:
            become_leader(c, i)
        with alts[7]:
            client_request(c, i)
        with alts[8]:
            with c.one_of(s.Server) as j:
                replicate(c, i, j)


@invariant
def one_leader_per_term(s: Raft):
    """No two servers are leaders in the same term (holds)."""
    return Forall(Implies(And(i != j, s.role[i] == Role.LEADER, s.role[j] == Role.LEADER),
                          s.current_term[i] != s.current_term[j])
                  for i in s.Server for j in s.Server)


@example
def leader_elected(s: Raft):
    """Some server is leader (found in 6 transitions with 3 servers, 10 with 5)."""
    return Exists(s.role[i] == Role.LEADER for i in s.Server)
