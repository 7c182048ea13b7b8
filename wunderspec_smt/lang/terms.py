"""The expression IR: immutable, hash-consed terms.

Every expression a spec builds is a `Term`. Terms are interned (one object per
distinct term), so equality is identity and encoders can memoise on `id`, the
same way pySMT's formula manager keeps formulas shared. Terms know nothing about
solvers.
"""
from __future__ import annotations

import itertools
from typing import Any, Dict, Optional, Tuple

from ..errors import SourceLoc
from .sorts import Sort

# --- operators -----------------------------------------------------------------
# leaves
CONST = "const"          # data = concrete value
SVAR = "svar"            # state variable of the pre-state; data = name
BVAR = "bvar"            # variable bound by a quantifier/comprehension; data = (name, uid)
PICK = "pick"            # a one_of choice made in an action; data = (name, uid)
FREE = "free"            # a free symbolic variable made by Var(); data = name
INTS = "ints"            # the infinite set of integers (data = None) or naturals (data = "nat")
# generic
EQ = "eq"
ITE = "ite"
# booleans
AND = "and"
OR = "or"
NOT = "not"
IMPLIES = "implies"
# integers
ADD = "add"
SUB = "sub"
MUL = "mul"
NEG = "neg"
DIV = "div"              # floor division, partial
MOD = "mod"              # Python modulo, partial
POW = "pow"              # partial
LT = "lt"
LE = "le"
# tuples and records
TUPLE = "tuple"
TGET = "tget"            # data = index
TREPLACE = "treplace"    # data = index; args = (t, v)
RECORD = "record"        # data = field names (sorted); args in that order
RGET = "rget"            # data = field
RREPLACE = "rreplace"    # data = tuple of fields; args = (r, v1, ...)
# sets
SETLIT = "setlit"
INTERVAL = "interval"
UNION = "union"
INTER = "inter"
DIFF = "diff"
SUBSETEQ = "subseteq"
IN = "in"                # args = (x, S)
CARD = "card"
SETMAP = "setmap"        # args = (S, bvar, body)
SETFILTER = "setfilter"  # args = (S, bvar, body)
FORALL = "forall"        # args = (S, bvar, body)
EXISTS = "exists"        # args = (S, bvar, body)
FLATTEN = "flatten"      # big union
ALLTUPLES = "alltuples"  # cartesian product of sets
# maps
MAPLIT = "maplit"        # args = (k1, v1, k2, v2, ...)
MAPFROM = "mapfrom"      # args = (S, bvar, body): [x in S |-> body]
MGET = "mget"            # args = (m, k), partial
MKEYS = "mkeys"
MVALUES = "mvalues"
MINSERT = "minsert"      # args = (m, k, v)
MREPLACE = "mreplace"    # args = (m, k, v)
# folds and choice
SREDUCE = "sreduce"      # args = (S, acc, x, body, init): fold over the elements of S
MREDUCE = "mreduce"      # args = (m, acc, k, v, body, init): fold over the entries of m
LREDUCE = "lreduce"      # args = (l, acc, x, body, init): left fold over the list
CHOOSE = "choose"        # args = (S, bvar, body): least element (value_key order) satisfying body; partial
# unions
VARIANT = "variant"      # data = tag; args = (payload,) or ()
UTAG = "utag"            # args = (u,): the tag as a string
UMATCH = "umatch"        # data = ((tag, has_bvar), ...) per tag of the sort; args = (u, [bvar,] body, ...)
# lists
LISTLIT = "listlit"      # args = elements
RANGE = "range"          # args = (a, b): [a, ..., b-1]
LGET = "lget"            # args = (l, i), partial
LSLICE = "lslice"        # args = (l, a, b): Python slice l[a:b]
LCONCAT = "lconcat"      # args = (l1, l2)
LREPLACE = "lreplace"    # args = (l, i, e): no-op when i is out of range
LLEN = "llen"
LKEYS = "lkeys"          # {0..len-1}
LELEMS = "lelems"        # the set of the list's elements (generators over lists range over it)
LFILTER = "lfilter"      # args = (l, bvar, body), order preserving
# sets of collections that are never enumerated
POWERSET = "powerset"    # AllSubsets(S)
ALLMAPS = "allmaps"      # args = (K, V): all total maps K -> V
ALLRECORDS = "allrecords"  # data = field names (sorted); args = the field sets in that order

BINDER_OPS = frozenset({SETMAP, SETFILTER, FORALL, EXISTS, MAPFROM, CHOOSE, LFILTER})
REDUCE_OPS = frozenset({SREDUCE, MREDUCE, LREDUCE})
PARTIAL_OPS = frozenset({DIV, MOD, POW, MGET, CHOOSE, LGET})


def match_arms(t: "Term") -> list:
    """The arms of a UMATCH term: [(tag, bvar or None, body)] in the sort's tag order."""
    out = []
    i = 1
    for tag, has_bvar in t.data:
        if has_bvar:
            out.append((tag, t.args[i], t.args[i + 1]))
            i += 2
        else:
            out.append((tag, None, t.args[i]))
            i += 1
    return out


class Term:
    """One node of the expression DAG. Build with `mk`, never directly."""

    __slots__ = ("op", "args", "sort", "data", "fv", "partial", "has_state", "loc", "uid", "__weakref__")

    op: str
    args: Tuple["Term", ...]
    sort: Sort
    data: Any
    fv: frozenset            # free bound variables (BVAR terms)
    partial: bool            # contains an operation that may be undefined
    has_state: bool          # mentions the state, a pick, or a free variable
    loc: Optional[SourceLoc]
    uid: int

    def __repr__(self) -> str:
        from .pretty import pretty_term
        return pretty_term(self)

    def __hash__(self) -> int:
        return self.uid

    def __eq__(self, other: object) -> bool:
        return self is other

    def __reduce__(self):
        raise TypeError("terms are not picklable")


_table: Dict[tuple, Term] = {}
_uids = itertools.count(1)
_LEAF_STATE_OPS = frozenset({SVAR, PICK, FREE})


def _data_key(op: str, data: Any) -> Any:
    if op == CONST:
        # 1 == True in Python; keep the type in the key so that Int 1 and Bool True differ
        return (type(data), data)
    return data


def mk(op: str, args: Tuple[Term, ...], sort: Sort, data: Any = None, loc: Optional[SourceLoc] = None) -> Term:
    key = (op, tuple(a.uid for a in args), sort, _data_key(op, data))
    t = _table.get(key)
    if t is not None:
        if t.loc is None and loc is not None:
            t.loc = loc
        return t
    t = Term()
    t.op = op
    t.args = args
    t.sort = sort
    t.data = data
    t.loc = loc
    t.uid = next(_uids)
    if op == BVAR:
        t.fv = frozenset((t,))
    elif op in BINDER_OPS:
        dom, bvar, body = args
        t.fv = dom.fv | (body.fv - {bvar})
    elif op in REDUCE_OPS:
        dom, body, init = args[0], args[-2], args[-1]
        t.fv = dom.fv | init.fv | (body.fv - set(args[1:-2]))
    elif op == UMATCH:
        fv = args[0].fv
        for _, bvar, body in match_arms(t):
            fv = fv | (body.fv - {bvar})
        t.fv = fv
    elif args:
        fv = args[0].fv
        for a in args[1:]:
            if a.fv:
                fv = fv | a.fv
        t.fv = fv
    else:
        t.fv = frozenset()
    t.partial = op in PARTIAL_OPS or any(a.partial for a in args)
    t.has_state = op in _LEAF_STATE_OPS or any(a.has_state for a in args)
    _table[key] = t
    return t


def const(value: Any, sort: Sort) -> Term:
    return mk(CONST, (), sort, value)


_bvar_ids = itertools.count(1)


def fresh_bvar(name: str, sort: Sort) -> Term:
    return mk(BVAR, (), sort, (name, next(_bvar_ids)))


def fresh_pick(name: str, sort: Sort) -> Term:
    return mk(PICK, (), sort, (name, next(_bvar_ids)))


def is_const(t: Term) -> bool:
    return t.op == CONST


def substitute(t: Term, mapping: Dict[Term, Term]) -> Term:
    """Replace leaves (state variables, picks, bound variables) by terms."""
    memo: Dict[int, Term] = {}

    def go(u: Term) -> Term:
        r = mapping.get(u)
        if r is not None:
            return r
        if not u.args:
            return u
        hit = memo.get(u.uid)
        if hit is not None:
            return hit
        new_args = tuple(go(a) for a in u.args)
        r = u if all(a is b for a, b in zip(new_args, u.args)) else mk(u.op, new_args, u.sort, u.data, u.loc)
        memo[u.uid] = r
        return r

    return go(t)


def subterms(t: Term):
    """All distinct subterms, children before parents."""
    seen = set()
    order = []
    stack = [(t, False)]
    while stack:
        u, done = stack.pop()
        if done:
            order.append(u)
            continue
        if u.uid in seen:
            continue
        seen.add(u.uid)
        stack.append((u, True))
        for a in reversed(u.args):
            if a.uid not in seen:
                stack.append((a, False))
    return order
