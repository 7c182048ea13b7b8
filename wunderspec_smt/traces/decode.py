"""Turn a solver model into concrete states and step information."""
from __future__ import annotations

from typing import Any, Dict, List

import z3

from ..encoders.shapes import Universe
from ..encoders.transition import EncodedAction
from ..ir import ActionIR, ActionMark, Block, Choice, Pick, Schema
from .model import ActionCall, StepInfo


def decode_state(schema: Schema, universe: Universe, state: Dict[str, Any], model: z3.ModelRef) -> Dict[str, Any]:
    return {d.name: universe.decode(d.sort, state[d.name], model) for d in schema.vars}


def decode_step(ir: ActionIR, enc: EncodedAction, universe: Universe, model: z3.ModelRef) -> StepInfo:
    """Follow the selectors chosen by the model through the IR, collecting labels, calls and picks."""
    labels: List[str] = []
    calls: List[ActionCall] = []
    picks: List[tuple] = []

    def walk(block: Block) -> None:
        for it in block.items:
            if isinstance(it, Pick):
                v = enc.picks[it.var]
                picks.append((it.name, universe.decode(it.var.sort, v, model)))
            elif isinstance(it, ActionMark):
                args = tuple((p, universe.decode(a.sort, enc.encoder.value(a), model)) for p, a in zip(it.params, it.args))
                calls.append(ActionCall(it.name, args))
            elif isinstance(it, Choice):
                sel = enc.selectors.get(id(it))
                j = 0 if sel is None else model.eval(sel, model_completion=True).as_long()
                labels.append(it.labels[j])
                walk(it.branches[j])

    walk(ir.root)
    return StepInfo(ir.name, tuple(labels), tuple(calls), tuple(picks))
