"""Lists and unions as state variables: a queue of tagged messages."""
from wunderspec_smt import *


@union
class Msg:
    Req: Variant[int]
    Ack: Variant[int]
    Reset: Variant[Unit]


@state
class Q(MachineStateBase):
    queue: StateVar[list[Msg]]
    last: StateVar[Msg]
    served: StateVar[list[int]]


@action
def init(c: Context[Q]):
    c.state.queue = List(Msg)
    c.state.last = Msg.Reset()
    c.state.served = List(int)


@action(inline=False)
def send(c: Context[Q], n: int):
    c.assume(c.state.queue.size < 3)
    c.state.queue = c.state.queue + List(Msg.Req(n))


@action(inline=False)
def ack_head(c: Context[Q]):
    s = c.state
    c.assume(~s.queue.is_empty)
    s.queue[0] = s.queue[0].match(Req=lambda n: Msg.Ack(n), default=s.queue[0])  # a keyed write into a list


@action(inline=False)
def serve(c: Context[Q]):
    s = c.state
    c.assume(~s.queue.is_empty)
    head = s.queue[0]
    s.last = head
    s.served = head.match(Req=lambda n: s.served + List(n), default=s.served)
    s.queue = s.queue[1:]


@action
def step(c: Context[Q]):
    alts = c.alternatives("send", "ack", "serve")
    with alts[0]:
        with c.one_of(Interval(1, 3)) as n:
            send(c, n)
    with alts[1]:
        ack_head(c)
    with alts[2]:
        serve(c)


@invariant
def served_little(s: Q):
    # broken by two requests of 3 each, sent and served: 4 steps
    return s.served.reduce(lambda acc, n: acc + n, 0) <= 5


@invariant
def no_reset_queued(s: Q):
    return s.queue.forall(lambda m: m.tag != "Reset")


@invariant
def served_in_range(s: Q):
    return Forall(And(1 <= n, n <= 3) for n in s.served)


@example
def acked_two_served(s: Q):
    # send 2, ack it, serve it: 3 steps
    return s.last == Msg.Ack(2)


@example
def three_queued_in_order(s: Q):
    return And(s.queue.size == 3, s.queue[0] == Msg.Req(3), s.queue[2] == Msg.Req(1))
