"""ITF (Informal Trace Format) JSON: writing traces and reading them back.

ITF is the trace exchange format of Apalache, Quint and wunderspec, so a trace we
write can be explained, replayed or turned into an implementation test by tools
that already exist. The encoding of values (DSL.md section 20):

    int      {"#bigint": "n"}          (always; JSON numbers lose precision)
    bool     true / false
    str      "text"
    enum     "EnumName.MEMBER"
    set      {"#set": [...]}           (elements in value_key order: stable diffs)
    map      {"#map": [[k, v], ...]}   (entries in key order)
    tuple    {"#tup": [...]}
    list     [...]
    record   {"field": value, ...}
    variant  {"tag": "A", "value": payload}   (value null for a variant without payload)

Writing is driven by the sort when we have it, so a mismatch between a value and
its declared sort (a checker bug) is caught here instead of producing a file that
no reader accepts. Reading needs the sort: JSON alone cannot tell an enum from a
string, or rebuild a record's name. Without a sort, both directions fall back to a
best-effort encoding inferred from the Python value / the JSON shape.
"""
from __future__ import annotations

import enum
import json
import os
import sys
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ..errors import WunderspecError
from ..lang.sorts import (BoolSort, EnumSort, IntSort, ListSort, MapSort, RecordSort,
                          SetSort, Sort, StrSort, TupleSort, UnionSort)
from ..lang.values import ListValue, MapValue, RecordValue, VariantValue, sorted_items, sorted_values
from .model import StepInfo, Trace

Json = Any  # a value built from dict, list, str, int, bool and None only

PathOrDoc = Union[str, "os.PathLike[str]", Mapping[str, Any]]


class ItfError(WunderspecError, ValueError):
    """An ITF document does not match the sorts it is read with (bad user input: exit 5)."""

    exit_code = 5


# --------------------------------------------------------------------------- values

def _enum_to_itf(v: enum.Enum) -> str:
    return f"{type(v).__name__}.{v.name}"


def value_to_itf(v: Any, sort: Optional[Sort]) -> Json:
    """Encode the concrete value `v` of sort `sort` as ITF JSON.

    `sort=None` means "not known" and falls back to `value_to_itf_untyped`.
    Raises TypeError when `v` is not a value of `sort`: that is a bug in whoever
    built the trace, and writing a file that cannot be read back would hide it.
    """
    return _encode(v, sort, "value")


def _type_error(v: Any, sort: Sort, path: str) -> TypeError:
    return TypeError(f"{path}: {v!r} ({type(v).__name__}) is not a value of sort {sort}")


def _encode(v: Any, sort: Optional[Sort], path: str) -> Json:
    if sort is None:
        return value_to_itf_untyped(v)
    if isinstance(sort, BoolSort):
        if not isinstance(v, bool):
            raise _type_error(v, sort, path)
        return v
    if isinstance(sort, IntSort):
        if not isinstance(v, int) or isinstance(v, (bool, enum.Enum)):
            raise _type_error(v, sort, path)
        return {"#bigint": str(int(v))}
    if isinstance(sort, StrSort):
        if not isinstance(v, str) or isinstance(v, enum.Enum):
            raise _type_error(v, sort, path)
        return str(v)
    if isinstance(sort, EnumSort):
        if not isinstance(v, sort.enum_cls):
            raise _type_error(v, sort, path)
        return _enum_to_itf(v)
    if isinstance(sort, TupleSort):
        if not isinstance(v, tuple) or isinstance(v, ListValue) or len(v) != len(sort.elems):
            raise _type_error(v, sort, path)
        return {"#tup": [_encode(x, s, f"{path}[{i}]") for i, (x, s) in enumerate(zip(v, sort.elems))]}
    if isinstance(sort, RecordSort):
        if not isinstance(v, RecordValue):
            raise _type_error(v, sort, path)
        fields = dict(v.items())
        if set(fields) != set(sort.field_names):
            raise _type_error(v, sort, path)
        return {n: _encode(fields[n], s, f"{path}.{n}") for n, s in sort.fields}
    if isinstance(sort, SetSort):
        if not isinstance(v, frozenset):
            raise _type_error(v, sort, path)
        return {"#set": [_encode(x, sort.elem, f"{path}{{}}") for x in sorted_values(v)]}
    if isinstance(sort, MapSort):
        if not isinstance(v, MapValue):
            raise _type_error(v, sort, path)
        return {"#map": [[_encode(k, sort.key, f"{path}.key"), _encode(x, sort.value, f"{path}[{k!r}]")]
                         for k, x in sorted_items(v.items())]}
    if isinstance(sort, ListSort):
        if not isinstance(v, ListValue):
            raise _type_error(v, sort, path)
        return [_encode(x, sort.elem, f"{path}[{i}]") for i, x in enumerate(v)]
    if isinstance(sort, UnionSort):
        if not isinstance(v, VariantValue) or v.tag not in sort.tags:
            raise _type_error(v, sort, path)
        ps = sort.payload_sort(v.tag)
        if (ps is None) != (v.payload is None):
            raise _type_error(v, sort, path)
        return {"tag": v.tag, "value": None if ps is None else _encode(v.payload, ps, f"{path}.{v.tag}")}
    raise TypeError(f"{path}: ITF encoding of sort {sort} ({type(sort).__name__}) is not supported")


def value_to_itf_untyped(v: Any) -> Json:
    """Encode a value whose sort is unknown, inferring the encoding from its Python type.

    Used for action-call arguments and one_of picks, whose sorts a Trace does not
    record. The result is the same as `value_to_itf` would give for every sort
    except that nothing is checked. Enums are tested before str/int so that
    IntEnum/StrEnum members are still written as "Enum.MEMBER".
    """
    if isinstance(v, enum.Enum):
        return _enum_to_itf(v)
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return {"#bigint": str(int(v))}
    if isinstance(v, str):
        return v
    if isinstance(v, ListValue):
        return [value_to_itf_untyped(x) for x in v]
    if isinstance(v, tuple):
        return {"#tup": [value_to_itf_untyped(x) for x in v]}
    if isinstance(v, RecordValue):
        return {n: value_to_itf_untyped(x) for n, x in v.items()}
    if isinstance(v, frozenset):
        return {"#set": [value_to_itf_untyped(x) for x in sorted_values(v)]}
    if isinstance(v, MapValue):
        return {"#map": [[value_to_itf_untyped(k), value_to_itf_untyped(x)]
                         for k, x in sorted_items(v.items())]}
    if isinstance(v, VariantValue):
        return {"tag": v.tag, "value": None if v.payload is None else value_to_itf_untyped(v.payload)}
    raise TypeError(f"cannot encode {v!r} ({type(v).__name__}) as ITF")


def value_from_itf(j: Json, sort: Optional[Sort]) -> Any:
    """Decode ITF JSON `j` into the concrete value of sort `sort`.

    The sort decides the Python type (an enum member rather than a string, a
    RecordValue carrying the record's name). Plain JSON numbers are accepted for
    ints, as ITF allows them for small integers. `sort=None` falls back to
    `value_from_itf_untyped`. Raises ItfError, naming where in the value the
    mismatch is, when `j` is not an encoding of a value of `sort`.
    """
    return _decode(j, sort, "value")


def _bad(j: Json, sort: Sort, path: str, why: str = "") -> ItfError:
    shown = json.dumps(j)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return ItfError(f"{path}: {shown} is not an ITF value of sort {sort}" + (f" ({why})" if why else ""))


def _tagged(j: Json, tag: str) -> Optional[Json]:
    """The payload of `{tag: payload}`, or None when `j` is not of that form."""
    if isinstance(j, dict) and len(j) == 1 and tag in j:
        return j[tag]
    return None


def _decode_int(j: Json, sort: Sort, path: str) -> int:
    if isinstance(j, int) and not isinstance(j, bool):
        return j
    payload = _tagged(j, "#bigint")
    if isinstance(payload, str):
        try:
            return int(payload, 10)
        except ValueError:
            pass
    raise _bad(j, sort, path)


def _decode(j: Json, sort: Optional[Sort], path: str) -> Any:
    if sort is None:
        return value_from_itf_untyped(j)
    if isinstance(sort, BoolSort):
        if not isinstance(j, bool):
            raise _bad(j, sort, path)
        return j
    if isinstance(sort, IntSort):
        return _decode_int(j, sort, path)
    if isinstance(sort, StrSort):
        if not isinstance(j, str):
            raise _bad(j, sort, path)
        return j
    if isinstance(sort, EnumSort):
        if not isinstance(j, str):
            raise _bad(j, sort, path)
        prefix, dot, member = j.rpartition(".")
        if dot and prefix != sort.enum_cls.__name__:
            raise _bad(j, sort, path, f"expected {sort.enum_cls.__name__}.<member>")
        try:
            return sort.enum_cls[member]
        except KeyError:
            raise _bad(j, sort, path, "no such member") from None
    if isinstance(sort, TupleSort):
        elems = _tagged(j, "#tup")
        if not isinstance(elems, list) or len(elems) != len(sort.elems):
            raise _bad(j, sort, path)
        return tuple(_decode(x, s, f"{path}[{i}]") for i, (x, s) in enumerate(zip(elems, sort.elems)))
    if isinstance(sort, RecordSort):
        if not isinstance(j, dict) or set(j) != set(sort.field_names):
            raise _bad(j, sort, path, "fields differ")
        return RecordValue({n: _decode(j[n], s, f"{path}.{n}") for n, s in sort.fields}, sort.name)
    if isinstance(sort, SetSort):
        elems = _tagged(j, "#set")
        if not isinstance(elems, list):
            raise _bad(j, sort, path)
        return frozenset(_decode(x, sort.elem, f"{path}{{}}") for x in elems)
    if isinstance(sort, MapSort):
        entries = _tagged(j, "#map")
        if not isinstance(entries, list):
            raise _bad(j, sort, path)
        d: Dict[Any, Any] = {}
        for e in entries:
            if not isinstance(e, list) or len(e) != 2:
                raise _bad(j, sort, path, "map entries are [key, value] pairs")
            k = _decode(e[0], sort.key, f"{path}.key")
            if k in d:
                raise _bad(j, sort, path, f"duplicate key {k!r}")
            d[k] = _decode(e[1], sort.value, f"{path}[{k!r}]")
        return MapValue(d)
    if isinstance(sort, ListSort):
        if not isinstance(j, list):
            raise _bad(j, sort, path)
        return ListValue(_decode(x, sort.elem, f"{path}[{i}]") for i, x in enumerate(j))
    if isinstance(sort, UnionSort):
        if not isinstance(j, dict) or set(j) != {"tag", "value"} or j["tag"] not in sort.tags:
            raise _bad(j, sort, path, "expected {\"tag\": ..., \"value\": ...}")
        ps = sort.payload_sort(j["tag"])
        if ps is None:
            if j["value"] is not None:
                raise _bad(j, sort, path, f"variant {j['tag']} has no payload")
            return VariantValue(j["tag"], None, sort.name)
        return VariantValue(j["tag"], _decode(j["value"], ps, f"{path}.{j['tag']}"), sort.name)
    raise ItfError(f"{path}: ITF decoding of sort {sort} ({type(sort).__name__}) is not supported")


def value_from_itf_untyped(j: Json) -> Any:
    """Decode ITF JSON without a sort, from the JSON shape alone.

    Best effort, for documents whose sorts are unknown (e.g. picks in "#meta"):
    enums come back as their "Enum.MEMBER" strings and records without a name.
    """
    if isinstance(j, bool) or isinstance(j, str):
        return j
    if isinstance(j, int):
        return j
    if isinstance(j, list):
        return ListValue(value_from_itf_untyped(x) for x in j)
    if isinstance(j, dict):
        if len(j) == 1:
            (tag, payload), = j.items()
            if tag == "#bigint" and isinstance(payload, str):
                return int(payload, 10)
            if tag == "#set" and isinstance(payload, list):
                return frozenset(value_from_itf_untyped(x) for x in payload)
            if tag == "#tup" and isinstance(payload, list):
                return tuple(value_from_itf_untyped(x) for x in payload)
            if tag == "#map" and isinstance(payload, list):
                if not all(isinstance(e, list) and len(e) == 2 for e in payload):
                    raise ItfError("map entries are [key, value] pairs")
                return MapValue((value_from_itf_untyped(k), value_from_itf_untyped(x)) for k, x in payload)
        if any(k.startswith("#") for k in j):
            raise ItfError(f"unsupported ITF value {json.dumps(j)[:80]}")
        if set(j) == {"tag", "value"} and isinstance(j["tag"], str):  # best effort: a variant, not a record
            return VariantValue(j["tag"], None if j["value"] is None else value_from_itf_untyped(j["value"]))
        return RecordValue({n: value_from_itf_untyped(x) for n, x in j.items()})
    raise ItfError(f"unsupported ITF value {j!r}")


# --------------------------------------------------------------------------- traces

def step_to_itf(step: StepInfo) -> Dict[str, Json]:
    """How one state was reached, as JSON: action, labels, inline=False calls and picks.

    Argument and pick values are encoded untyped (a Trace does not keep their
    sorts). Picks are an object keyed by one_of name in program order; if the same
    name is picked twice in one step, later occurrences get the keys "name#2",
    "name#3", ... so that no pick is lost.
    """
    picks: Dict[str, Json] = {}
    for name, value in step.picks:
        key, n = name, 1
        while key in picks:
            n += 1
            key = f"{name}#{n}"
        picks[key] = value_to_itf_untyped(value)
    return {
        "action": step.action,
        "labels": list(step.labels),
        "calls": [{"name": c.name, "args": {p: value_to_itf_untyped(v) for p, v in c.args}}
                  for c in step.calls],
        "picks": picks,
    }


def params_to_itf(trace: Trace) -> Dict[str, Json]:
    """The trace's parameter values as ITF, in declaration order."""
    return {n: _encode(v, trace.param_sorts.get(n), f"parameter {n!r}") for n, v in trace.params}


def state_to_itf(trace: Trace, i: int) -> Dict[str, Json]:
    """State `i`'s variables as ITF, in declaration order."""
    state = trace.states[i]
    return {n: _encode(state[n], trace.var_sorts.get(n), f"state {i}, variable {n!r}")
            for n in trace.var_names}


def trace_to_itf(trace: Trace) -> Dict[str, Json]:
    """The whole trace as one ITF document (a JSON-able dict).

    Parameters are repeated in every state, as wunderspec does, so that each state
    is self-contained for tools that look at states one by one. "#meta" carries
    what ITF has no field for: the property, the step at which it was hit and how
    each state was reached.
    """
    meta: Dict[str, Json] = {
        "format": "ITF",
        "source": trace.source,
        "spec": trace.spec_file,
        "instance": trace.instance,
        "predicate_kind": trace.kind,
        "predicate_name": trace.property_name,
    }
    meta["example_step" if trace.kind == "example" else "violation_step"] = trace.length
    if trace.message is not None:
        meta["message"] = trace.message
    meta["steps"] = [step_to_itf(s) for s in trace.steps]
    params = params_to_itf(trace)
    states = []
    for i in range(len(trace.states)):
        st: Dict[str, Json] = {"#meta": {"index": i, "step": i}}  # Apalache says index, wunderspec step
        st.update(params)
        st.update(state_to_itf(trace, i))
        states.append(st)
    return {
        "#meta": meta,
        "params": [n for n, _ in trace.params],
        "vars": list(trace.var_names),
        "loop": None,
        "states": states,
    }


def _dump(doc: Json, path: Union[str, "os.PathLike[str]"]) -> None:
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if os.fspath(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def write_itf(trace: Trace, path: Union[str, "os.PathLike[str]"]) -> None:
    """Write one trace as pretty-printed ITF JSON to `path` ("-": stdout)."""
    _dump(trace_to_itf(trace), path)


def write_itf_many(traces: Sequence[Trace], path: Union[str, "os.PathLike[str]"]) -> None:
    """Write several traces (one per violated property) to one file.

    Exactly one trace is written as a plain ITF document so that single-property
    runs produce what every ITF tool reads; otherwise `{"traces": [doc, ...]}`.
    """
    if len(traces) == 1:
        write_itf(traces[0], path)
    else:
        _dump({"traces": [trace_to_itf(t) for t in traces]}, path)


def _load(source: PathOrDoc) -> List[Dict[str, Json]]:
    """All ITF documents in `source`: a dict, or a file ("-": stdin) holding one
    document, a `{"traces": [...]}` bundle, or NDJSON (one document per line, as
    wunderspec writes)."""
    if isinstance(source, Mapping):
        docs: Any = source
    else:
        if os.fspath(source) == "-":
            text = sys.stdin.read()
        else:
            with open(source, encoding="utf-8") as f:
                text = f.read()
        try:
            docs = json.loads(text)
        except json.JSONDecodeError as e:
            lines = [ln for ln in text.splitlines() if ln.strip()]
            try:
                docs = {"traces": [json.loads(ln) for ln in lines]}
            except json.JSONDecodeError:
                raise ItfError(f"{os.fspath(source)}: not valid JSON ({e})") from None
    if not isinstance(docs, Mapping):
        raise ItfError("an ITF document must be a JSON object")
    if "traces" in docs and "states" not in docs:
        bundle = docs["traces"]
        if not isinstance(bundle, list) or not all(isinstance(d, Mapping) for d in bundle):
            raise ItfError('"traces" must be a list of ITF documents')
        return list(bundle)
    return [docs]


def _read_doc(doc: Mapping[str, Json], var_sorts: Mapping[str, Sort],
              param_sorts: Mapping[str, Sort]) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    states = doc.get("states")
    var_names = doc.get("vars")
    param_names = doc.get("params", [])
    if not isinstance(states, list) or not isinstance(var_names, list) or not isinstance(param_names, list):
        raise ItfError('an ITF document needs "vars" and "states" lists')
    params: Dict[str, Any] = {}
    out: List[Dict[str, Any]] = []
    for i, st in enumerate(states):
        if not isinstance(st, Mapping):
            raise ItfError(f"state {i} is not a JSON object")
        missing = [n for n in list(param_names) + list(var_names) if n not in st]
        if missing:
            raise ItfError(f"state {i} lacks {', '.join(map(repr, missing))}")
        for n in param_names:
            v = _decode(st[n], param_sorts.get(n), f"state {i}, parameter {n!r}")
            if i == 0:
                params[n] = v
            elif params[n] != v:
                raise ItfError(f"state {i}: parameter {n!r} differs from state 0")
        out.append({n: _decode(st[n], var_sorts.get(n), f"state {i}, variable {n!r}") for n in var_names})
    return params, out


def read_itf(source: PathOrDoc, var_sorts: Optional[Mapping[str, Sort]] = None,
             param_sorts: Optional[Mapping[str, Sort]] = None
             ) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    """Read one ITF trace back into concrete values: (parameters, [state vars per state]).

    `source` is a parsed document, or a path ("-": stdin). Sorts are needed to
    rebuild values exactly (see module doc); names without a sort are decoded
    untyped. A `{"traces": [...]}` bundle is accepted if it holds exactly one
    trace; use `read_itf_many` for more.
    """
    docs = _load(source)
    if len(docs) != 1:
        raise ItfError(f"expected one ITF trace, found {len(docs)} (use read_itf_many)")
    return _read_doc(docs[0], var_sorts or {}, param_sorts or {})


def read_itf_many(source: PathOrDoc, var_sorts: Optional[Mapping[str, Sort]] = None,
                  param_sorts: Optional[Mapping[str, Sort]] = None
                  ) -> List[Tuple[Dict[str, Any], List[Dict[str, Any]]]]:
    """Read every trace in `source` (a single document, a bundle or NDJSON), in order."""
    return [_read_doc(d, var_sorts or {}, param_sorts or {}) for d in _load(source)]
