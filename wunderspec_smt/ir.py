"""The action IR: one symbolic run of an action, as a tree of guarded blocks.

Every term in the IR refers only to the pre-state (SVAR), to picks made on the
path, and to constants: earlier writes on the same path have been substituted
while building (DESIGN.md section 2), so encoders and interpreters never reason
about Python's sequential order except for definedness (guards come first).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple, Union

from .errors import SourceLoc
from .lang.sorts import Sort
from .lang.terms import Term


@dataclass(frozen=True)
class Assume:
    cond: Term
    loc: Optional[SourceLoc] = None


@dataclass(frozen=True)
class Pick:
    """`with c.one_of(domain) as var`: var ranges over domain; empty domain disables."""

    var: Term
    domain: Term
    name: str
    loc: Optional[SourceLoc] = None


@dataclass(frozen=True)
class ActionMark:
    """An `inline=False` action was entered here with these arguments."""

    name: str
    params: Tuple[str, ...]
    args: Tuple[Term, ...]


@dataclass(frozen=True)
class Choice:
    """Exactly one branch fires (alternatives or split)."""

    labels: Tuple[str, ...]
    branches: Tuple["Block", ...]
    loc: Optional[SourceLoc] = None


Item = Union[Assume, Pick, ActionMark, Choice]


@dataclass(frozen=True)
class Block:
    """Items in program order, and the values this block gives to variables.

    `writes` holds the final value (in pre-state terms) of each variable the
    block assigns; a branch's write overrides the enclosing block's on that path.
    """

    items: Tuple[Item, ...]
    writes: Tuple[Tuple[str, Term], ...]
    write_locs: Tuple[Tuple[str, Optional[SourceLoc]], ...] = ()

    def write_map(self) -> dict:
        return dict(self.writes)


@dataclass(frozen=True)
class ActionIR:
    name: str
    root: Block
    is_init: bool


@dataclass(frozen=True)
class VarDecl:
    name: str
    sort: Sort
    upsert: bool = False


@dataclass(frozen=True)
class Schema:
    class_name: str
    vars: Tuple[VarDecl, ...]
    params: Tuple[Tuple[str, Sort], ...]

    def var(self, name: str) -> Optional[VarDecl]:
        for v in self.vars:
            if v.name == name:
                return v
        return None

    def param_sort(self, name: str) -> Optional[Sort]:
        for n, s in self.params:
            if n == name:
                return s
        return None


@dataclass(frozen=True)
class Property:
    name: str
    kind: str  # "invariant" | "example"
    term: Term
    loc: Optional[SourceLoc] = None
    doc: str = ""


@dataclass
class Model:
    """One instance of a spec, compiled: what every engine consumes."""

    spec_file: str
    instance: str
    schema: Schema
    params: dict
    init: ActionIR
    step: ActionIR
    properties: dict = field(default_factory=dict)  # name -> Property

    def svar(self, name: str) -> Term:
        from .lang import terms as T
        decl = self.schema.var(name)
        assert decl is not None
        return T.mk(T.SVAR, (), decl.sort, name)


def iter_blocks(block: Block):
    """Every block of the tree, depth first."""
    yield block
    for it in block.items:
        if isinstance(it, Choice):
            for b in it.branches:
                yield from iter_blocks(b)


def iter_terms(block: Block):
    """Every term the IR holds (guards, domains, arguments, written values)."""
    for b in iter_blocks(block):
        for it in b.items:
            if isinstance(it, Assume):
                yield it.cond
            elif isinstance(it, Pick):
                yield it.domain
            elif isinstance(it, ActionMark):
                yield from it.args
        for _, t in b.writes:
            yield t
