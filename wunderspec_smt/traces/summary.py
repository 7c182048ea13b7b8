"""A compact JSON summary of a trace, for CI systems and scripts.

ITF is shaped for trace tools (parameters repeated in every state, step info
tucked into "#meta"); a CI job wants the verdict first and flat fields it can
query with jq. Values use the ITF encoding so that the two formats agree.
"""
from __future__ import annotations

from typing import Any, Dict

from .itf import params_to_itf, state_to_itf, step_to_itf
from .model import Trace


def trace_to_json(trace: Trace) -> Dict[str, Any]:
    """Summarise `trace` as a JSON-able dict: property, kind, length, params, states, steps.

    `states[i]` maps each variable to its ITF value and `steps[i]` says how state
    i was reached (as in the ITF "#meta" steps).
    """
    summary: Dict[str, Any] = {
        "property": trace.property_name,
        "kind": trace.kind,
        "spec": trace.spec_file,
        "instance": trace.instance,
        "source": trace.source,
        "length": trace.length,
    }
    if trace.message is not None:
        summary["message"] = trace.message
    summary["params"] = params_to_itf(trace)
    summary["states"] = [state_to_itf(trace, i) for i in range(len(trace.states))]
    summary["steps"] = [step_to_itf(s) for s in trace.steps]
    return summary
