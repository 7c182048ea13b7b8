"""Encode one action's IR as a transition: guards, next values, definedness.

Each `Choice` gets an integer selector per step (which branch fires) and each
`Pick` a fresh symbolic value constrained to its domain; a branch's guards only
bind when its selector is chosen. Variables get the value of the innermost block
on the chosen path that writes them (ITE over selectors), or keep their value.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional


from ..ir import ActionIR, ActionMark, Assume, Block, Choice, Pick, Schema
from ..lang import terms as T
from ..lang.sorts import SetSort
from ..lang.terms import Term
from . import symvals as V
from .rename import RenamedEncoder, RenamedValues, Renamer
from .shapes import Universe, fresh_code
from .terms import TermEncoder


@dataclass
class EncodedAction:
    """One action at one step: what the engines assert and what the decoder reads."""

    enabled: Any                       # all guards along the chosen path hold
    undefined: Any                     # some partial operation fails on an enabled path
    next_values: Mapping[str, Any]     # var -> symbolic value after the step
    domain: List[Any]                  # range constraints of selectors and fresh picks
    selectors: Dict[int, Any] = field(default_factory=dict)   # id(Choice) -> z3 Int (absent: 1 branch)
    picks: Dict[Term, Any] = field(default_factory=dict)       # PICK term -> symbolic value
    encoder: Any = None                # .value(term) for decoding: the TermEncoder, or a RenamedEncoder

    def transition(self) -> Any:
        """Enabled and defined; the caller adds the binding of the next state."""
        return V.b_and(*self.domain, self.enabled, V.b_not(self.undefined))

    def renamed(self, r: Renamer) -> "EncodedAction":
        """The same step out of a state of the same shape (see encoders/rename.py)."""
        return EncodedAction(r.term(self.enabled), r.term(self.undefined), RenamedValues(self.next_values, r),
                             [r.term(d) for d in self.domain], {k: r.term(v) for k, v in self.selectors.items()},
                             {k: r.value(v) for k, v in self.picks.items()},
                             None if self.encoder is None else RenamedEncoder(self.encoder, r))


def _writes_var(block: Block, name: str) -> bool:
    if any(n == name for n, _ in block.writes):
        return True
    return any(isinstance(it, Choice) and any(_writes_var(b, name) for b in it.branches) for it in block.items)


class _ActionEncoder:
    def __init__(self, ir: ActionIR, schema: Schema, universe: Universe, pre: Optional[Dict[str, Any]], tag: str,
                 svars: Dict[str, Term]):
        self.ir = ir
        self.schema = schema
        self.u = universe
        self.tag = tag
        env: Dict[Term, Any] = {}
        if pre is not None:
            for name, v in pre.items():
                env[svars[name]] = v
        self.enc = TermEncoder(universe, env)
        self.domain: List[Any] = []
        self.undefs: List[Any] = []
        self.selectors: Dict[int, Any] = {}
        self.picks: Dict[Term, Any] = {}
        self.active: Dict[int, Any] = {}  # id(Block) -> path condition (selectors)
        self._n = 0

    def _name(self, what: str) -> str:
        self._n += 1
        return f"{what}@{self.tag}#{self._n}"

    def walk(self, block: Block, active: Any, prior: Any) -> Any:
        self.active[id(block)] = active
        guards: List[Any] = []
        enc = self.enc
        for it in block.items:
            if isinstance(it, Assume):
                u = enc.undefined(it.cond)
                if u is not False:
                    self.undefs.append(V.b_and(prior, *guards, u))
                guards.append(enc.value(it.cond, True))  # guards are asserted: positive polarity
            elif isinstance(it, Pick):
                u = enc.undefined(it.domain)
                if u is not False:
                    self.undefs.append(V.b_and(prior, *guards, u))
                pv, member = self._pick(it)
                self.picks[it.var] = pv
                enc.env[it.var] = pv
                guards.append(member)
            elif isinstance(it, Choice):
                n = len(it.branches)
                if n == 1:
                    guards.append(self.walk(it.branches[0], active, V.b_and(prior, *guards)))
                    continue
                sel = fresh_code(self._name("sel"), n, self.domain)
                self.selectors[id(it)] = sel
                parts = []
                for j, br in enumerate(it.branches):
                    is_j = sel == j
                    gj = self.walk(br, V.b_and(active, is_j), V.b_and(prior, *guards, is_j))
                    parts.append(V.b_implies(is_j, gj))
                guards.append(V.b_and(*parts))
            elif isinstance(it, ActionMark):
                pass
        return V.b_and(*guards)

    def _pick(self, it: Pick) -> tuple:
        # a free value in the domain, never an enumeration of it: a fresh symbol with a membership
        # constraint, a subset of AllSubsets(S) as a bit per element of S, a map of AllMaps(K, V) over
        # K's slots, an index into the slots of a set of collections (see Universe.element_of)
        dom_sort: SetSort = it.domain.sort
        return self.u.element_of(dom_sort, self.enc.value(it.domain), self._name(f"pick:{it.name}"), self.domain)

    def next_value(self, block: Block, name: str, inherited: Any) -> Any:
        v = inherited
        for n, t in block.writes:
            if n == name:
                v = self.enc.value(t)
        decl = self.schema.var(name)
        for it in block.items:
            if isinstance(it, Choice) and any(_writes_var(b, name) for b in it.branches):
                sel = self.selectors.get(id(it))
                if sel is None:
                    v = self.next_value(it.branches[0], name, v)
                    continue
                vals = [self.next_value(b, name, v) for b in it.branches]
                out = vals[-1]
                for j in range(len(vals) - 2, -1, -1):
                    out = V.ite(decl.sort, sel == j, vals[j], out)
                v = out
        return v

    def rhs_undefined(self, block: Block, enabled: Any) -> None:
        act = self.active.get(id(block), True)
        for _, t in block.writes:
            u = self.enc.undefined(t)
            if u is not False:
                self.undefs.append(V.b_and(enabled, act, u))
        for it in block.items:
            if isinstance(it, ActionMark):
                for arg in it.args:
                    u = self.enc.undefined(arg)
                    if u is not False:
                        self.undefs.append(V.b_and(enabled, act, u))
            elif isinstance(it, Choice):
                for b in it.branches:
                    self.rhs_undefined(b, enabled)


def encode_action(ir: ActionIR, schema: Schema, universe: Universe, pre: Optional[Dict[str, Any]], tag: str,
                  svars: Dict[str, Term]) -> EncodedAction:
    ae = _ActionEncoder(ir, schema, universe, pre, tag, svars)
    enabled = ae.walk(ir.root, True, True)
    nexts = {}
    for decl in schema.vars:
        inherited = pre[decl.name] if pre is not None else None
        v = ae.next_value(ir.root, decl.name, inherited)
        if v is None:  # pragma: no cover - the builder checks init assigns everything
            raise AssertionError(f"init leaves {decl.name} unassigned")
        nexts[decl.name] = v
    ae.rhs_undefined(ir.root, enabled)
    return EncodedAction(enabled, V.b_or(*ae.undefs), nexts, ae.domain, ae.selectors, ae.picks, ae.enc)


def state_svars(schema: Schema) -> Dict[str, Term]:
    return {d.name: T.mk(T.SVAR, (), d.sort, d.name) for d in schema.vars}
