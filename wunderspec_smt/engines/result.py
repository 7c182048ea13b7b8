"""What every engine reports: a verdict per property, a spec fault, timings.

`check` (BMC), `explore` (explicit-state search) and `simulate` (random walks)
answer in these classes, so the CLI renders, exports and scores them alike.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ..ir import Model
from ..traces.model import StepInfo, Trace


@dataclass
class PropertyResult:
    name: str
    kind: str                       # "invariant" | "example"
    verdict: str                    # violated | holds | found | not_found | unknown | no_violation_found
    length: Optional[int] = None    # transitions in the trace, when there is one
    trace: Optional[Trace] = None
    depth_checked: int = -1         # every depth 0..depth_checked is established (-1: none)
    reason: str = ""
    proof: str = ""                 # how a "holds" was established beyond the search: "inductive"


@dataclass
class SpecFault:
    """The spec itself is wrong at a reachable state (undefined operation)."""

    message: str
    trace: Trace


@dataclass
class DepthStat:
    depth: int
    seconds: float
    solver_seconds: float
    states: Optional[int] = None    # explicit search: distinct states seen once this depth is done


@dataclass
class EngineResult:
    model: Model
    max_steps: int
    results: List[PropertyResult]
    fault: Optional[SpecFault] = None
    interrupted: bool = False
    depth_stats: List[DepthStat] = field(default_factory=list)
    solver_seconds: float = 0.0
    total_seconds: float = 0.0
    stats: Dict[str, Any] = field(default_factory=dict)  # engine-specific counts (states, samples, ...)


def describe_step(info: StepInfo) -> str:
    """How a step was taken, in one line: labels, inline=False calls, picks."""
    return ", ".join([*info.labels,
                      *(f"{c.name}({', '.join(f'{k}={v!r}' for k, v in c.args)})" for c in info.calls),
                      *(f"{n} = {v!r}" for n, v in info.picks)])


def make_trace(model: Model, states, steps, prop: str, kind: str, message: Optional[str] = None,
               source: str = "wunderspec-smt check") -> Trace:
    """A Trace of `model` from concrete states and the steps that produced them."""
    schema = model.schema
    return Trace(
        spec_file=model.spec_file, instance=model.instance, property_name=prop, kind=kind,
        params=tuple((n, model.params[n]) for n, _ in schema.params),
        var_names=tuple(d.name for d in schema.vars), states=tuple(states), steps=tuple(steps),
        var_sorts={d.name: d.sort for d in schema.vars}, param_sorts=dict(schema.params),
        message=message, source=source)
