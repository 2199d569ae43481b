#!/usr/bin/python3
"""Check schema/account.schema.json against the examples and against the C loader.

    /usr/bin/python3 tests/schema_check.py [--valuepack BIN] [--schema-only] [FILE...]

1. The schema is a valid JSON Schema (draft 2020-12).
2. Every account file given (default: examples/*.json; none is fine) is valid against it,
   with format checking on (so "2025-02-30" fails as a "date").
3. The schema and the loader (`valuepack validate`) agree:
   - the fixtures in tests/data/valid are accepted by both;
   - every required field of the schema, deleted from tests/data/valid/full.json, is
     rejected by both, the loader naming the field's JSON path ("kpis[0].target:
     required field is missing");
   - every optional field, deleted from full.json, is accepted by both;
   - every property the schema describes occurs in full.json (so 3 covers them all);
   - every fixture in tests/data/invalid is rejected by the loader, and by the schema
     too unless it is listed in LOADER_ONLY with the reason JSON Schema cannot say it.
The binary is $VALUEPACK (set by meson test), else --valuepack, else build/cmd/valuepack.
--schema-only skips part 3. Prints one line per check and "N passed, N failed"; exits 1
when a check failed.
"""
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

from jsonschema import Draft202012Validator

ROOT = os.environ.get("SOURCE_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SCHEMA_PATH = os.path.join(ROOT, "schema", "account.schema.json")
DATA = os.path.join(ROOT, "tests", "data")
FULL = os.path.join(DATA, "valid", "full.json")

# Invalid fixtures the schema cannot reject, and why. A fixture the schema rejects must not
# be listed here (the list is checked both ways), so it stays an honest map of what only
# `valuepack validate` catches.
LOADER_ONLY = {
    "duplicate-key.json": "a JSON Schema validator sees only one of two equal keys",
    "nul-in-string.json": "\\u0000 is a valid JSON string",
    "end-before-start.json": "compares two fields (end_date after start_date)",
    "target-wrong-side.json": "compares two fields (target against baseline and direction)",
    "target-date-before-baseline.json": "compares two fields (target_date after baseline_date)",
    "duplicate-kpi-id.json": "uniqueness of a field across list items",
    "duplicate-module.json": "uniqueness of a field across list items",
    "duplicate-period.json": "uniqueness of a field across list items",
    "duplicate-usage-period.json": "uniqueness of a field across list items",
    "duplicate-support-period.json": "uniqueness of a field across list items",
    "repeated-multi-year.json": "uniqueness of a field across list items",
    "money-decimals.json": "decimal places (multipleOf 0.01 is unreliable on binary numbers: 0.07/0.01 != 7)",
    "pct-decimals.json": "decimal places (multipleOf 0.01 is unreliable on binary numbers)",
    "unknown-kpi-module.json": "a reference to another section (contract.modules)",
    "unknown-kpi-ref.json": "a reference to another section (kpis)",
    "unknown-plan-kpi.json": "a reference to another section (kpis)",
    "too-deep.json": "a nesting limit of the reader",
}

# Deleting one of these also deletes what refers to it (otherwise the loader rightly
# reports a dangling reference).
DEPENDENTS = {
    ("kpis",): [("milestones", "*", "kpi"), ("plan", "*", "kpi")],
}


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def result(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {what}")
        else:
            self.failed += 1
            print(f"FAIL {what}")
            for line in detail.rstrip().splitlines():
                print("    " + line)


def json_path(steps):
    """["kpis", 0, "target"] -> "kpis[0].target" (as the loader prints it)."""
    out = ""
    for s in steps:
        if isinstance(s, int):
            out += f"[{s}]"
        elif s and not any(c in s for c in '.[]"\\') and all(ord(c) > 0x20 and ord(c) != 0x7F for c in s):
            out += ("." if out else "") + s
        else:
            out += "[" + json.dumps(s) + "]"
    return out


def resolve(schema, node):
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref are supported: {ref}")
        target = schema
        for part in ref[2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def schema_objects(schema):
    """Every object schema with properties: {location: (properties, required)}."""
    found = {}

    def walk(node, loc):
        if isinstance(node, dict):
            if "$ref" in node and node["$ref"].startswith("#/$defs/"):
                loc = node["$ref"]
            node_r = resolve(schema, node)
            if "properties" in node_r:
                found.setdefault(loc, (set(node_r["properties"]), set(node_r.get("required", []))))
                for name, sub in node_r["properties"].items():
                    walk(sub, f"{loc}/properties/{name}")
            if "items" in node_r:
                walk(node_r["items"], f"{loc}/items")
            for key in ("anyOf", "oneOf", "allOf"):
                for i, sub in enumerate(node_r.get(key, [])):
                    walk(sub, f"{loc}/{key}/{i}")
    walk(schema, "#")
    return found


def instance_fields(schema, instance):
    """(schema location, path, property, required) for every property present in the
    instance, walking the instance with the schema (first occurrence per location and
    property)."""
    seen = set()
    out = []

    def walk(node, value, loc, path):
        if isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/$defs/"):
            loc = node["$ref"]
        node = resolve(schema, node)
        if isinstance(value, dict) and "properties" in node:
            required = set(node.get("required", []))
            for name, sub in node["properties"].items():
                if name in value:
                    if (loc, name) not in seen:
                        seen.add((loc, name))
                        out.append((loc, path, name, name in required))
                    walk(sub, value[name], f"{loc}/properties/{name}", path + [name])
        if isinstance(value, list) and "items" in node:
            for i, item in enumerate(value):
                walk(node["items"], item, f"{loc}/items", path + [i])
        for key in ("anyOf", "oneOf"):
            for i, sub in enumerate(node.get(key, [])):
                walk(sub, value, f"{loc}/{key}/{i}", path)
    walk(schema, instance, "#", [])
    return out


def delete(instance, path, name):
    doc = copy.deepcopy(instance)
    target = doc
    for step in path:
        target = target[step]
    del target[name]
    for dep in DEPENDENTS.get(tuple(path + [name]), []):
        remove_all(doc, list(dep))
    return doc


def remove_all(node, steps):
    if len(steps) == 1:
        if isinstance(node, dict):
            node.pop(steps[0], None)
        return
    head, rest = steps[0], steps[1:]
    if head == "*":
        for item in node if isinstance(node, list) else []:
            remove_all(item, rest)
    elif isinstance(node, dict) and head in node:
        remove_all(node[head], rest)


def find_binary(explicit):
    for cand in (explicit, os.environ.get("VALUEPACK"), os.path.join(ROOT, "build", "cmd", "valuepack")):
        if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return None


def run_validate(binary, path):
    wrapper = os.environ.get("VALUEPACK_WRAPPER", "").split()
    p = subprocess.run(wrapper + [binary, "validate", path], capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def schema_errors(validator, doc):
    return [f"{json_path(list(e.absolute_path)) or '(top level)'}: {e.message}"
            for e in validator.iter_errors(doc)]


def check_files(checks, validator, files):
    if not files:
        print("note: no account files to validate (examples/*.json is empty)")
    for path in files:
        rel = os.path.relpath(path, ROOT)
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, ValueError) as e:
            checks.result(False, f"{rel}: valid against the schema", f"cannot read: {e}")
            continue
        errors = schema_errors(validator, doc)
        checks.result(not errors, f"{rel}: valid against the schema", "\n".join(errors[:20]))


def check_agreement(checks, schema, validator, binary):
    with open(FULL, encoding="utf-8") as f:
        full = json.load(f)
    tmp = tempfile.mkdtemp(prefix="vp-schema-")
    try:
        def loader(doc, name):
            path = os.path.join(tmp, name)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False, indent=1)
            return run_validate(binary, path)

        # valid fixtures: both accept
        for path in sorted(glob.glob(os.path.join(DATA, "valid", "*.json"))):
            rel = os.path.relpath(path, ROOT)
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            errors = schema_errors(validator, doc)
            rc, out, err = run_validate(binary, path)
            checks.result(not errors and rc == 0, f"{rel}: accepted by the schema and the loader",
                          "\n".join(errors[:10]) + f"\nvalidate exit {rc}\n{err}")

        # deleting each field of full.json
        fields = instance_fields(schema, full)
        for n, (loc, path, name, required) in enumerate(fields):
            where = json_path(path + [name])
            doc = delete(full, path, name)
            errors = schema_errors(validator, doc)
            rc, out, err = loader(doc, f"delete-{n}.json")
            if required:
                expect = f"{where}: required field is missing"
                ok = bool(errors) and rc == 2 and expect in err
                checks.result(ok, f"without required {where}: both reject",
                              f"schema: {len(errors)} error(s)\nvalidate exit {rc}, expected 2 "
                              f"with '{expect}'\n{err}")
            else:
                ok = not errors and rc == 0
                checks.result(ok, f"without optional {where}: both accept",
                              "\n".join(errors[:10]) + f"\nvalidate exit {rc}, expected 0\n{err}")

        # full.json must exercise every property the schema describes
        exercised = {(loc, name) for loc, _, name, _ in fields}
        missing = [f"{loc}: {name}" for loc, (props, _) in sorted(schema_objects(schema).items())
                   for name in sorted(props) if (loc, name) not in exercised]
        checks.result(not missing, "tests/data/valid/full.json has every property of the schema",
                      "not in full.json (add them so their deletion is tested):\n" + "\n".join(missing))

        # invalid fixtures: the loader rejects all, the schema all but LOADER_ONLY
        names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(DATA, "invalid", "*.json")))
        for name in names:
            path = os.path.join(DATA, "invalid", name)
            rc, out, err = run_validate(binary, path)
            checks.result(rc == 2 and "ok" not in out, f"invalid/{name}: rejected by the loader",
                          f"validate exit {rc}\n{out}{err}")
            try:
                with open(path, encoding="utf-8") as f:
                    doc = json.load(f)
            except ValueError:
                continue        # not JSON (or not UTF-8): nothing for a schema to judge
            errors = schema_errors(validator, doc)
            if name in LOADER_ONLY:
                checks.result(not errors, f"invalid/{name}: beyond JSON Schema ({LOADER_ONLY[name]})",
                              "the schema rejects it now: remove it from LOADER_ONLY\n" + "\n".join(errors[:5]))
            else:
                checks.result(bool(errors), f"invalid/{name}: rejected by the schema",
                              "the schema accepts it: add the rule to the schema, or list the file in "
                              "LOADER_ONLY with the reason JSON Schema cannot express it")
        stale = sorted(set(LOADER_ONLY) - set(names))
        checks.result(not stale, "LOADER_ONLY names existing fixtures", "\n".join(stale))
    finally:
        for f in glob.glob(os.path.join(tmp, "*")):
            os.remove(f)
        os.rmdir(tmp)


def main(argv):
    binary_arg = None
    schema_only = False
    files = []
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--valuepack" and args:
            binary_arg = args.pop(0)
        elif a == "--schema-only":
            schema_only = True
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        elif a.startswith("-"):
            print(f"schema_check.py: unknown option {a}", file=sys.stderr)
            return 2
        else:
            files.append(os.path.abspath(a))
    if not files:
        files = sorted(glob.glob(os.path.join(ROOT, "examples", "*.json")))

    checks = Checks()
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        schema = json.load(f)
    try:
        Draft202012Validator.check_schema(schema)
        checks.result(True, "schema/account.schema.json is a valid draft 2020-12 schema")
    except Exception as e:   # jsonschema.SchemaError and friends
        checks.result(False, "schema/account.schema.json is a valid draft 2020-12 schema", str(e))
        print(f"{checks.passed} passed, {checks.failed} failed")
        return 1
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    check_files(checks, validator, files)

    if not schema_only:
        binary = find_binary(binary_arg)
        if binary is None:
            checks.result(False, "valuepack binary found",
                          "set $VALUEPACK or pass --valuepack BIN (or --schema-only)")
        else:
            check_agreement(checks, schema, validator, binary)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
