"""Every example loads and compiles for every instance; every bad spec fails at its marked line.

Examples are loaded in a child process with a memory cap: building the IR must
never enumerate a huge domain (sloppy_counter picks from 0..2**32-1), and if it
ever does, this test should fail instead of taking the machine down.
"""
import json
import os
import subprocess
import sys

import pytest

from wunderspec_smt.errors import SpecError
from wunderspec_smt.loader import compile_model, load_spec

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")
BAD_SPECS = os.path.join(ROOT, "tests", "specs")

# example file -> {instance: {property name: kind}}; pins what the verdict tests rely on
EXPECTED = {
    "counter.py": {"default": {"step_capped": "invariant", "a_below_ten": "invariant"}},
    "mutex_race.py": {"default": {"mutual_exclusion": "invariant", "someone_in_cs": "example"}},
    "mutex_fixed.py": {"default": {"mutual_exclusion": "invariant", "flag_tracks_pc": "invariant",
                                   "ind_peterson": "invariant",
                                   "someone_in_cs": "example", "both_waiting": "example"}},
    "two_phase_commit.py": {"three": {"consistent": "invariant", "type_ok": "invariant",
                                      "ind_two_phase": "invariant",
                                      "some_committed": "example", "all_aborted": "example"}},
    "not_inductive.py": {"default": {"x_bounded": "invariant", "ind_bounded": "invariant"}},
    "unbounded_counter.py": {"default": {"stamp_nonneg": "invariant"}},
    "dns_balancer.py": {i: {"no_inconsistent_root": "invariant", "no_inconsistent_rollback": "invariant"}
                        for i in ("default", "small", "age2")},
    "sloppy_counter.py": {"threshold4": {"conservation": "invariant", "locals_below_threshold": "invariant",
                                         "global_in_range": "invariant", "global_monotone": "invariant",
                                         "lag_bounded": "invariant"}},
}

_LOAD_ALL_INSTANCES = r"""
import json, resource, sys
cap = 3 << 30
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from wunderspec_smt.loader import compile_model, load_spec
sm = load_spec(sys.argv[1])
out = {}
for inst in (list(sm.instances) or [None]):
    m = compile_model(sm, inst)
    out[m.instance] = {name: p.kind for name, p in m.properties.items()}
print(json.dumps(out))
"""


def test_every_example_is_listed():
    found = sorted(f for f in os.listdir(EXAMPLES) if f.endswith(".py") and not f.startswith("_"))
    assert found == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_loads_and_compiles(name):
    path = os.path.join(EXAMPLES, name)
    proc = subprocess.run([sys.executable, "-c", _LOAD_ALL_INSTANCES, path], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout) == EXPECTED[name]


def marked_line(path: str) -> int:
    """The line whose code ends with the comment `# ERROR HERE` (docstrings do not count)."""
    with open(path) as f:
        hits = [i for i, line in enumerate(f.read().splitlines(), 1) if line.rstrip().endswith("# ERROR HERE")]
    assert len(hits) == 1, f"{path} must mark exactly one line with `# ERROR HERE`"
    return hits[0]


BAD = sorted(f for f in os.listdir(BAD_SPECS) if f.startswith("bad_") and f.endswith(".py"))


def test_bad_specs_exist():
    assert {"bad_sort.py", "bad_double_assign.py", "bad_if.py", "bad_field.py", "bad_syntax.py"} <= set(BAD)


@pytest.mark.parametrize("name", BAD)
def test_bad_spec_reports_its_line(name):
    path = os.path.join(BAD_SPECS, name)
    with pytest.raises(SpecError) as info:
        sm = load_spec(path)
        for inst in (list(sm.instances) or [None]):
            compile_model(sm, inst)
    err = info.value
    assert err.loc is not None, str(err)
    assert os.path.abspath(err.loc.file) == os.path.abspath(path), str(err)
    assert err.loc.line == marked_line(path), str(err)
    assert f"{name}:{err.loc.line}" in str(err)
