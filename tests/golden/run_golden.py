#!/usr/bin/python3
"""Golden tests: `valuepack analyze` of every example equals its reviewed golden file, and
agrees with the independent Python reference (tests/reference/analyze_ref.py).

tests/golden/cases.txt lists one case per line:  EXAMPLE_FILE AS_OF_DATE [extra analyze args]
The golden file is examples/golden/<example stem>[<suffix>].analyze.json.

    run_golden.py            check every case
    run_golden.py --update   rewrite the golden files (review the diff before committing!)
"""
import json
import os
import shlex
import subprocess
import sys

ROOT = os.environ.get("SOURCE_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("VALUEPACK") or os.path.join(ROOT, "build", "cmd", "valuepack")
REF = os.path.join(ROOT, "tests", "reference", "analyze_ref.py")


def cases():
    with open(os.path.join(ROOT, "tests", "golden", "cases.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = shlex.split(line)
            yield parts[0], parts[1], parts[2:]


def golden_path(example, extra):
    stem = os.path.splitext(os.path.basename(example))[0]
    suffix = ""
    for i, a in enumerate(extra):
        if a in ("--period", "--locale") and i + 1 < len(extra):
            suffix += "." + extra[i + 1]
    return os.path.join(ROOT, "examples", "golden", stem + suffix + ".analyze.json")


def main():
    update = "--update" in sys.argv
    passed = failed = 0
    for example, date, extra in cases():
        path = os.path.join(ROOT, example)
        gp = golden_path(example, extra)
        name = os.path.relpath(gp, ROOT)
        p = subprocess.run([BINARY, "analyze", path, "--date", date, "--pretty"] + extra,
                           capture_output=True, text=True)
        problems = []
        if p.returncode != 0:
            problems.append(f"analyze exited {p.returncode}: {p.stderr.strip()}")
        elif update:
            os.makedirs(os.path.dirname(gp), exist_ok=True)
            with open(gp, "w", encoding="utf-8") as f:
                f.write(p.stdout)
        else:
            try:
                with open(gp, encoding="utf-8") as f:
                    want = f.read()
                if want != p.stdout:
                    import difflib
                    diff = difflib.unified_diff(want.splitlines(), p.stdout.splitlines(),
                                                "golden", "now", lineterm="", n=1)
                    problems.append("differs from the golden file:\n      " +
                                    "\n      ".join(list(diff)[:40]))
            except FileNotFoundError:
                problems.append(f"no golden file {name} (run with --update and review it)")
        # Cross-check with the independent reference implementation.
        if p.returncode == 0 and os.path.exists(REF):
            args = [sys.executable, REF, path, "--date", date, "--templates",
                    os.path.join(ROOT, "report_templates")]
            for opt in ("--period", "--locale"):
                if opt in extra:
                    args += [opt, extra[extra.index(opt) + 1]]
            with open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"vp-golden-{os.getpid()}.json"), "w") as tf:
                tf.write(p.stdout)
                tmpname = tf.name
            r = subprocess.run(args + ["--compare", tmpname], capture_output=True, text=True)
            os.unlink(tmpname)
            if r.returncode != 0:
                problems.append("disagrees with tests/reference/analyze_ref.py:\n      " +
                                (r.stdout + r.stderr).strip().replace("\n", "\n      "))
        if problems:
            failed += 1
            print(f"FAIL {name}")
            for pr in problems:
                print("    " + pr)
        else:
            passed += 1
            print(f"ok   {name}" + (" (updated)" if update else ""))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
