"""one_of over AllSubsets / AllMaps / AllRecords: free symbolic choices, never enumerations."""
from wunderspec_smt import *


@record
class Ticket:
    id: Field[int]
    vip: Field[bool]


@state
class S(MachineStateBase):
    chosen: StateVar[set[int]]
    total: StateVar[int]
    prices: StateVar[dict[str, int]]
    ticket: StateVar[Ticket]


@action
def init(c: Context[S]):
    c.state.chosen = Set(int)
    c.state.total = 0
    c.state.prices = Map(str, int)
    c.state.ticket = Ticket(id=0, vip=False)


@action
def step(c: Context[S]):
    alts = c.alternatives("subset", "prices", "ticket")
    with alts[0]:
        # 2**20 subsets: a bit per element of 1..20, not a list of subsets
        with c.one_of(AllSubsets(Interval(1, 20))) as X:
            c.assume(X.size == 3)
            c.state.chosen = X
            c.state.total = X.reduce(lambda acc, x: acc + x, 0)
    with alts[1]:
        with c.one_of(AllMaps(Set("a", "b", "c"), Interval(0, 9))) as m:
            c.assume(m["a"] + m["b"] + m["c"] == 25)
            c.state.prices = m
    with alts[2]:
        with c.one_of(AllRecords(id=Ints, vip=Set(True))) as r:
            c.assume(r.id * 3 == 123)
            c.state.ticket = r


@example
def three_primes_sum_to_fifty(s: S):
    return And(s.total == 49, s.chosen.forall(lambda x: x.in_(Set(2, 3, 5, 7, 11, 13, 17, 19))))


@example
def pricey(s: S):
    return And(s.prices.size == 3, s.prices["a"] == 9, s.prices["b"] > s.prices["c"])


@example
def vip_41(s: S):
    return s.ticket == Ticket(id=41, vip=True)


@example
def some_pair_of_chosen_sums_to_30(s: S):
    # Exists over AllSubsets in an example: one witness subset, not an enumeration
    return Exists(And(Y.size == 2, Y.reduce(lambda a, y: a + y, 0) == 30) for Y in AllSubsets(s.chosen))


@invariant
def small_subsets(s: S):
    # Forall over AllSubsets in an invariant: one witness subset (the search for a violation)
    return Forall(Y.size <= 3 for Y in AllSubsets(s.chosen))
