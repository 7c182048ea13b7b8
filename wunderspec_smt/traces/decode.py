"""Turn a solver model into concrete states and step information."""
from __future__ import annotations

from typing import Any, Dict, List, Union

import z3

from ..encoders.shapes import Universe
from ..encoders.transition import EncodedAction
from ..solvers.model_values import ModelValues, model_values
from ..ir import ActionIR, ActionMark, Block, Choice, Pick, Schema
from .model import ActionCall, StepInfo


def decode_state(schema: Schema, universe: Universe, state: Dict[str, Any],
                 model: Union[z3.ModelRef, ModelValues]) -> Dict[str, Any]:
    model = model_values(model)
    return {d.name: universe.decode(d.sort, state[d.name], model) for d in schema.vars}


def decode_step(ir: ActionIR, enc: EncodedAction, universe: Universe,
                model: Union[z3.ModelRef, ModelValues]) -> StepInfo:
    """Follow the selectors chosen by the model through the IR, collecting labels, calls and picks.

    Decoding a whole trace, pass one ModelValues to every state and step: it caches what it read."""
    model = model_values(model)
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
                j = 0 if sel is None else model.code(sel)
                labels.append(it.labels[j])
                walk(it.branches[j])

    walk(ir.root)
    return StepInfo(ir.name, tuple(labels), tuple(calls), tuple(picks))
