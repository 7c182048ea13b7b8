"""Text for proof results: verdicts, counterexamples to induction, invariants found."""
from __future__ import annotations

from typing import Any, Dict, List, Sequence

from ..lang.values import show_value
from .text import render_changes, render_step_details


def _state_lines(state: Dict[str, Any], names: Sequence[str]) -> List[str]:
    return [f"  {n} = {show_value(state[n])}" for n in names]


def render_proof(result: Any, var_names: Sequence[str], color: bool = False) -> str:
    """Everything after the verdict line: the CTI, the bad state, or the invariant found."""
    out: List[str] = []
    if result.cti is not None:
        cti = result.cti
        out.append("Counterexample to induction (a state that is not necessarily reachable):")
        out.append("[Pre-state]")
        out += _state_lines(cti.pre, var_names)
        labels = f" (labels: {', '.join(cti.step.labels)})" if cti.step.labels else ""
        out.append(f"[Post-state] after {cti.step.action}{labels}")
        out += render_step_details(cti.step)
        out += render_changes(cti.pre, cti.post, var_names, color)
        if cti.broken:
            out.append("Broken in the post-state: " + "; ".join(cti.broken))
    if result.bad_state is not None:
        out.append(f"State ({result.bad_state_role}):")
        out += _state_lines(result.bad_state, var_names)
    if result.invariant:
        out.append("Inductive invariant found (it implies the property and holds in every reachable state):")
        out += [f"  {line}" for line in result.invariant.splitlines()]
    return "\n".join(out)
