"""What a trace holds: concrete states and, per transition, how it was taken.

A trace is plain data (concrete values, see lang/values.py) so that every view
(text, ITF, JSON, HTML) and the replay check can work from it alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Tuple


@dataclass(frozen=True)
class ActionCall:
    """An `inline=False` action entered during a step, with its argument values."""

    name: str
    args: Tuple[Tuple[str, Any], ...]  # (parameter name, concrete value)


@dataclass(frozen=True)
class StepInfo:
    """How the transition into a state was taken (for state 0: the init action)."""

    action: str                                # name of the init/step action
    labels: Tuple[str, ...] = ()               # alternative/split labels taken, in program order
    calls: Tuple[ActionCall, ...] = ()         # inline=False actions entered, in program order
    picks: Tuple[Tuple[str, Any], ...] = ()    # one_of name -> value picked, in program order


@dataclass(frozen=True)
class Trace:
    """States s0..sn and the steps that produced them (steps[i] produced states[i])."""

    spec_file: str
    instance: str
    property_name: str
    kind: str                                  # "invariant" | "example" | "error"
    params: Tuple[Tuple[str, Any], ...]        # parameter name -> value, declaration order
    var_names: Tuple[str, ...]                 # state variables, declaration order
    states: Tuple[Dict[str, Any], ...]         # var name -> value
    steps: Tuple[StepInfo, ...]                # same length as states
    var_sorts: Dict[str, Any] = field(default_factory=dict)    # var name -> Sort (for ITF decoding)
    param_sorts: Dict[str, Any] = field(default_factory=dict)  # param name -> Sort
    message: Optional[str] = None              # for kind == "error": what went wrong in the last step
    source: str = "wunderspec-smt check"

    @property
    def length(self) -> int:
        """Number of transitions (the depth at which the property was hit)."""
        return len(self.states) - 1
