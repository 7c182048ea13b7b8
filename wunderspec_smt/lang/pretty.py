"""Render terms in the spec's own syntax, for error messages and CTI printing."""
from __future__ import annotations

from . import terms as T
from .values import show_value

_INFIX = {T.ADD: "+", T.SUB: "-", T.MUL: "*", T.DIV: "/", T.MOD: "%", T.POW: "**",
          T.LT: "<", T.LE: "<=", T.EQ: "==", T.UNION: "|", T.INTER: "&", T.DIFF: "-",
          T.SUBSETEQ: "<=", T.IMPLIES: "=>"}


def pretty_term(t: "T.Term", depth: int = 0) -> str:
    if depth > 12:
        return "..."
    p = lambda u: pretty_term(u, depth + 1)  # noqa: E731
    op = t.op
    if op == T.CONST:
        return show_value(t.data)
    if op == T.SVAR:
        return f"s.{t.data}"
    if op in (T.BVAR, T.PICK):
        return t.data[0]
    if op == T.FREE:
        return t.data
    if op == T.INTS:
        return "UnsignedInts" if t.data == "nat" else "Ints"
    if op in _INFIX:
        return f"({p(t.args[0])} {_INFIX[op]} {p(t.args[1])})"
    if op == T.AND:
        return "(" + " & ".join(p(a) for a in t.args) + ")" if t.args else "True"
    if op == T.OR:
        return "(" + " | ".join(p(a) for a in t.args) + ")" if t.args else "False"
    if op == T.NOT:
        return f"~{p(t.args[0])}"
    if op == T.NEG:
        return f"-{p(t.args[0])}"
    if op == T.ITE:
        return f"Ite({p(t.args[0])}, {p(t.args[1])}, {p(t.args[2])})"
    if op == T.TUPLE:
        return "Tuple(" + ", ".join(p(a) for a in t.args) + ")"
    if op == T.TGET:
        return f"{p(t.args[0])}[{t.data}]"
    if op == T.RECORD:
        return "Record(" + ", ".join(f"{n}={p(a)}" for n, a in zip(t.data, t.args)) + ")"
    if op == T.RGET:
        return f"{p(t.args[0])}.{t.data}"
    if op == T.SETLIT:
        return "Set(" + ", ".join(p(a) for a in t.args) + ")"
    if op == T.INTERVAL:
        return f"Interval({p(t.args[0])}, {p(t.args[1])})"
    if op == T.IN:
        return f"{p(t.args[0])}.in_({p(t.args[1])})"
    if op == T.CARD:
        return f"{p(t.args[0])}.size"
    if op in T.BINDER_OPS:
        dom, bv, body = t.args
        name = {T.SETMAP: "map", T.SETFILTER: "filter", T.FORALL: "forall", T.EXISTS: "exists",
                T.MAPFROM: "map_to", T.CHOOSE: "choose", T.LFILTER: "filter"}[op]
        return f"{p(dom)}.{name}(lambda {bv.data[0]}: {p(body)})"
    if op in T.REDUCE_OPS:
        dom, body, init = t.args[0], t.args[-2], t.args[-1]
        names = ", ".join(b.data[0] for b in t.args[1:-2])
        return f"{p(dom)}.reduce(lambda {names}: {p(body)}, {p(init)})"
    if op == T.LISTLIT:
        return "List(" + ", ".join(p(a) for a in t.args) + ")"
    if op == T.RANGE:
        return f"Range({p(t.args[0])}, {p(t.args[1])})"
    if op == T.LGET:
        return f"{p(t.args[0])}[{p(t.args[1])}]"
    if op == T.LSLICE:
        return f"{p(t.args[0])}[{p(t.args[1])}:{p(t.args[2])}]"
    if op == T.LCONCAT:
        return f"({p(t.args[0])} + {p(t.args[1])})"
    if op == T.LREPLACE:
        return f"{p(t.args[0])}.replace({p(t.args[1])}, {p(t.args[2])})"
    if op == T.LLEN:
        return f"{p(t.args[0])}.size"
    if op == T.LKEYS:
        return f"{p(t.args[0])}.keys"
    if op == T.LELEMS:
        return f"elements({p(t.args[0])})"
    if op == T.POWERSET:
        return f"AllSubsets({p(t.args[0])})"
    if op == T.ALLMAPS:
        return f"AllMaps({p(t.args[0])}, {p(t.args[1])})"
    if op == T.ALLRECORDS:
        return "AllRecords(" + ", ".join(f"{n}={p(a)}" for n, a in zip(t.data, t.args)) + ")"
    if op == T.VARIANT:
        head = f"{t.sort.name}.{t.data}" if t.sort.name else t.data
        return f"{head}(" + ", ".join(p(a) for a in t.args) + ")"
    if op == T.UTAG:
        return f"{p(t.args[0])}.tag"
    if op == T.UMATCH:
        arms = []
        for tag, bv, body in T.match_arms(t):
            arms.append(f"{tag}=lambda {bv.data[0] if bv is not None else ''}: {p(body)}".replace("lambda :", "lambda:"))
        return f"{p(t.args[0])}.match(" + ", ".join(arms) + ")"
    if op == T.MGET:
        return f"{p(t.args[0])}[{p(t.args[1])}]"
    if op == T.MKEYS:
        return f"{p(t.args[0])}.keys"
    if op == T.MVALUES:
        return f"{p(t.args[0])}.values"
    return f"{op}(" + ", ".join(p(a) for a in t.args) + ")"
