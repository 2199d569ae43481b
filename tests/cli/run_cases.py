#!/usr/bin/python3
"""Data-driven CLI tests (after jq's tests): each tests/cli/cases/*.case file is one case.

A case file:

    # one-line description
    args: validate {DATA}/invalid/negative-arr.json
    exit: 2
    stderr: contract.arr:          (substring that must appear; repeatable)
    stdout: ok                     (substring that must appear; repeatable)
    not-stderr: Segmentation       (substring that must NOT appear; repeatable)
    stdout-empty: yes
    files: none                    (the temp dir, also the cwd, must stay empty)
    files: out/HDJM-0001-2025-Q3-qbr.pdf   (these paths must exist; repeatable)
    env: SOURCE_DATE_EPOCH=1760000000      (repeatable)
    setup: mkdir out                (a shell command run in the temp dir first; repeatable)
    timeout: 60

Substitutions in args/setup/files: {DATA} = tests/data, {EXAMPLES} = examples,
{SOURCE} = the source root, {TMP} = the case's temp dir.
Environment: VALUEPACK = the binary under test (set by meson), SOURCE_ROOT.
Prints one line per case and a final "N passed, N failed"; exits 1 when any failed.
"""
import os
import shlex
import subprocess
import sys
import tempfile

ROOT = os.environ.get("SOURCE_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("VALUEPACK") or os.path.join(ROOT, "build", "cmd", "valuepack")
WRAPPER = shlex.split(os.environ.get("VALUEPACK_WRAPPER", ""))   # e.g. valgrind --error-exitcode=99


def parse_case(path):
    spec = {"args": None, "exit": 0, "stderr": [], "stdout": [], "not-stderr": [], "not-stdout": [],
            "stdout-empty": False, "stderr-empty": False, "files": [], "files-none": False,
            "env": {}, "setup": [], "timeout": 120, "desc": ""}
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not line.strip():
                continue
            if line.startswith("#"):
                if not spec["desc"]:
                    spec["desc"] = line[1:].strip()
                continue
            key, sep, value = line.partition(":")
            if not sep:
                raise ValueError(f"{path}:{lineno}: expected 'key: value'")
            key, value = key.strip(), value[1:] if value.startswith(" ") else value
            if key == "args":
                spec["args"] = value
            elif key == "exit":
                spec["exit"] = int(value)
            elif key in ("stderr", "stdout", "not-stderr", "not-stdout"):
                spec[key].append(value)
            elif key in ("stdout-empty", "stderr-empty"):
                spec[key] = value.strip() == "yes"
            elif key == "files":
                if value.strip() == "none":
                    spec["files-none"] = True
                else:
                    spec["files"].append(value.strip())
            elif key == "env":
                k, _, v = value.partition("=")
                spec["env"][k.strip()] = v
            elif key == "setup":
                spec["setup"].append(value)
            elif key == "timeout":
                spec["timeout"] = int(value)
            else:
                raise ValueError(f"{path}:{lineno}: unknown key '{key}'")
    if spec["args"] is None:
        raise ValueError(f"{path}: missing 'args:'")
    return spec


def subst(s, tmp):
    return (s.replace("{DATA}", os.path.join(ROOT, "tests", "data"))
             .replace("{EXAMPLES}", os.path.join(ROOT, "examples"))
             .replace("{SOURCE}", ROOT)
             .replace("{TMP}", tmp))


def all_files(top):
    """Every file below top (relative paths), hidden temporary files included."""
    found = set()
    for dirpath, _, filenames in os.walk(top):
        for name in filenames:
            found.add(os.path.relpath(os.path.join(dirpath, name), top))
    return found


def run_case(path):
    spec = parse_case(path)
    problems = []
    with tempfile.TemporaryDirectory(prefix="vp-cli-") as tmp:
        env = dict(os.environ)
        env.update({k: subst(v, tmp) for k, v in spec["env"].items()})
        for cmd in spec["setup"]:
            subprocess.run(subst(cmd, tmp), shell=True, cwd=tmp, env=env, check=True)
        before = all_files(tmp)
        argv = WRAPPER + [BINARY] + [subst(a, tmp) for a in shlex.split(spec["args"])]
        try:
            p = subprocess.run(argv, cwd=tmp, env=env, capture_output=True, timeout=spec["timeout"])
        except subprocess.TimeoutExpired:
            return spec, [f"timed out after {spec['timeout']} s"]
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode != spec["exit"]:
            problems.append(f"exit status {p.returncode}, expected {spec['exit']}")
        for s in spec["stdout"]:
            if subst(s, tmp) not in out:
                problems.append(f"stdout lacks {s!r}")
        for s in spec["stderr"]:
            if subst(s, tmp) not in err:
                problems.append(f"stderr lacks {s!r}")
        for s in spec["not-stdout"]:
            if subst(s, tmp) in out:
                problems.append(f"stdout has {s!r}")
        for s in spec["not-stderr"]:
            if subst(s, tmp) in err:
                problems.append(f"stderr has {s!r}")
        if spec["stdout-empty"] and out:
            problems.append("stdout is not empty")
        if spec["stderr-empty"] and err:
            problems.append("stderr is not empty")
        if spec["files-none"]:
            created = sorted(all_files(tmp) - before)
            if created:
                problems.append(f"files were written: {created}")
        for f in spec["files"]:
            if not os.path.exists(os.path.join(tmp, subst(f, tmp))):
                problems.append(f"missing output {f}")
        if problems:
            problems.append("stdout: " + out[-800:].replace("\n", "\n    "))
            problems.append("stderr: " + err[-800:].replace("\n", "\n    "))
    return spec, problems


def main():
    args = sys.argv[1:]
    cases_dir = os.path.join(ROOT, "tests", "cli", "cases")
    paths = args or sorted(os.path.join(cases_dir, n) for n in os.listdir(cases_dir) if n.endswith(".case"))
    return report(paths, [run_one(p) for p in paths])


def run_one(path):
    """(description, problems) of one case; a broken case file is a failure, not a crash."""
    try:
        spec, problems = run_case(path)
    except Exception as e:
        spec, problems = {"desc": ""}, [f"error: {e}"]
    return spec.get("desc", ""), problems


def report(paths, results):
    """Print one line per case and the summary; the exit status."""
    passed = failed = 0
    for path, (desc, problems) in zip(paths, results):
        name = os.path.basename(path)
        if problems:
            failed += 1
            print(f"FAIL {name}: {desc}")
            for pr in problems:
                print("    " + pr)
        else:
            passed += 1
            print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
