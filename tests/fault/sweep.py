#!/usr/bin/python3
"""Fault-injection sweeps over the valuepack CLI (SQLite style), with valuepack-fault.

    sweep.py alloc [--stride K] [--jobs J] [--persist] -- COMMAND ARGS...
    sweep.py write [--stride K] [--errno ENOSPC,EIO] [--persist] [--ops LIST] -- COMMAND ARGS...

First a reference run without faults counts the allocations (or write operations) the
command makes and keeps its exit status, stdout and output files. Then the command runs
once per fault point N = 1, 1+K, 1+2K, ... up to that count, each in a fresh folder, with
the Nth allocation (or write/create/close/rename, failing with each errno given) failing.
Every run must end either exactly like the reference (the fault was absorbed) or with a
clean failure:

  - exit status 1 (2 only before anything could be written: e.g. an unreadable template);
    never a signal, a sanitizer report (AddressSanitizer, LeakSanitizer, UBSan) or
    valgrind's status 99;
  - a message on stderr that names the cause ("out of memory", or the errno's text such
    as "No space left on device");
  - every file left in the folder is one the reference wrote, byte for byte: no partial
    document under its final name and no temporary file (".NAME.tmp-XXXXXX", font subsets,
    workbook parts);
  - stdout lists only what the reference listed.

ARGS may use {OUT} (the output folder inside the run's folder) and {SOURCE} (source root);
an argument with a '*' is expanded (sorted).
Prints one line per failing fault point (with the command to reproduce it) and ends with
"N passed, N failed" (one case per fault point and errno). Exit 1 when any failed.
Environment: VALUEPACK_FAULT (the valuepack-fault binary; or --binary), SOURCE_ROOT,
VALUEPACK_TEMPLATES, SOURCE_DATE_EPOCH as set by meson.
"""
import argparse
import concurrent.futures
import glob
import os
import re
import shlex
import subprocess
import sys
import tempfile
import struct
import time
import zlib

ROOT = os.environ.get("SOURCE_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer",
                   "Segmentation fault", "free(): ", "malloc(): ", "double free")
ERRNO_TEXT = {"ENOSPC": "No space left on device", "EIO": "Input/output error",
              "EDQUOT": "Disk quota exceeded", "EFBIG": "File too large",
              "EROFS": "Read-only file system", "EACCES": "Permission denied"}
MEMORY_TEXT = ("out of memory", "Cannot allocate memory")
# libxlsxwriter does not check the writes of its temporary part files, so the errno is lost;
# lib/xlsx/verify.c finds the damage when it reads the workbook back.
XLSX_PART_TEXT = "a write to its temporary parts failed"


def _streams(pdf):
    """The decompressed streams of a PDF, in order; the embedded font split into its
    TrueType tables (tag -> bytes)."""
    out, font = [], {}
    for m in re.finditer(rb"stream\r?\n", pdf):
        if pdf[m.start() - 3:m.start()] == b"end":
            continue
        end = pdf.find(b"endstream", m.end())
        head = pdf[pdf.rfind(b"obj", 0, m.start()):m.start()]
        try:
            data = zlib.decompress(pdf[m.end():end])
        except zlib.error:
            data = pdf[m.end():end]
        if b"Length1" in head and len(data) >= 12:
            n = struct.unpack(">H", data[4:6])[0]
            for i in range(n):
                tag, _, off, ln = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
                font[tag] = data[off:off + ln]
        else:
            out.append(data)
    return out, font


def same_pdf_content(a, b):
    """True when two PDFs draw the same: every page and resource stream identical, and the
    embedded font identical but for its OS/2 table (and head, whose checksum adjustment
    follows). HarfBuzz 6.0 can leave OS/2's Unicode-range bits unupdated when an allocation
    inside its OS/2 subsetter fails; the glyphs, metrics and text are the same, so such a
    document is complete, not partial (tests/fault/README.md)."""
    sa, fa = _streams(a)
    sb, fb = _streams(b)
    skip = {b"OS/2", b"head"}
    return (sa == sb and fa.keys() == fb.keys() and
            all(fa[t] == fb[t] for t in fa if t not in skip) and
            len(fa.get(b"OS/2", b"")) == len(fb.get(b"OS/2", b"")))


def files_under(top):
    found = {}
    for dirpath, _, names in os.walk(top):
        for n in names:
            p = os.path.join(dirpath, n)
            with open(p, "rb") as f:
                found[os.path.relpath(p, top)] = f.read()
    return found


def read_report(path):
    counts = {}
    try:
        with open(path) as f:
            for line in f:
                k, _, v = line.strip().partition(" ")
                counts[k] = int(v) if v.lstrip("-").isdigit() else v
    except OSError:
        pass
    return counts


class Sweep:
    def __init__(self, opts):
        self.opts = opts
        self.binary = opts.binary or os.environ.get("VALUEPACK_FAULT")
        if not self.binary:
            sys.exit("sweep.py: set VALUEPACK_FAULT or pass --binary")
        self.wrapper = shlex.split(os.environ.get("VALUEPACK_WRAPPER", ""))
        self.command = opts.command

    def argv(self, work):
        out = os.path.join(work, "out")
        args = []
        for a in self.command:
            a = a.replace("{OUT}", out).replace("{SOURCE}", ROOT)
            args += sorted(glob.glob(a)) if "*" in a else [a]
        return self.wrapper + [self.binary] + args

    def run(self, fault_env):
        """Run the command once in a fresh folder; returns (status, stdout, stderr, files, counts)."""
        with tempfile.TemporaryDirectory(prefix="vp-fault-") as tmp:
            work = os.path.join(tmp, "work")
            scratch = os.path.join(tmp, "scratch")
            os.mkdir(work)
            os.mkdir(scratch)
            report = os.path.join(tmp, "report")
            env = dict(os.environ)
            env.update(fault_env)
            env["VP_FAULT_REPORT"] = report
            env["TMPDIR"] = scratch     # font subsets, workbook parts: must be gone after
            try:
                p = subprocess.run(self.argv(work), cwd=work, env=env, capture_output=True,
                                   timeout=self.opts.timeout)
                status = p.returncode
                out, err = p.stdout, p.stderr
            except subprocess.TimeoutExpired as e:
                status, out, err = "timeout", e.stdout or b"", e.stderr or b""
            files = files_under(work)
            files.update({"$TMPDIR/" + k: v for k, v in files_under(scratch).items()})
            counts = read_report(report)
        return (status, out.decode("utf-8", "replace").replace(work, "WORK"),
                err.decode("utf-8", "replace").replace(work, "WORK"), files, counts)

    def check(self, ref, res, cause_texts):
        """Problems with one faulted run, compared with the reference run."""
        status, out, err, files, counts = res
        rstatus, rout, _, rfiles, _ = ref
        problems = []
        if status == "timeout":
            return ["timed out"]
        absorbed = status == rstatus and out == rout and files.keys() == rfiles.keys()
        if not absorbed and (not isinstance(status, int) or status not in (0, 1, 2)):
            problems.append(f"exit status {status} (a crash or an unexpected status)")
        for m in SANITIZER_MARKS:
            if m in err:
                problems.append(f"stderr reports {m!r}")
                break
        for name, data in sorted(files.items()):
            if name not in rfiles:
                problems.append(f"file left behind: {name}")
            elif rfiles[name] != data and not (name.endswith(".pdf") and
                                               same_pdf_content(rfiles[name], data)):
                problems.append(f"file differs from the reference (partial?): {name}")
        if not absorbed and not problems:
            if status == 0:
                problems.append("exit status 0, but the output differs from the reference")
            if not err.strip():
                problems.append("failed without a message on stderr")
            elif counts.get("injected_allocs", 0) + counts.get("injected_writes", 0) > 0 and \
                    not any(t in err for t in cause_texts):
                problems.append(f"the message does not name the cause (expected one of {cause_texts})")
            extra = set(out.splitlines()) - set(rout.splitlines())
            if extra:
                problems.append(f"stdout has lines the reference does not: {sorted(extra)[:3]}")
        if problems:
            if counts.get("in", "-") != "-":
                problems.append("the failed allocation was made by: %s" % counts["in"])
            problems.append("exit status: %s" % status)
            problems.append("stderr: " + err[-600:].replace("\n", "\n        "))
        return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["alloc", "write"])
    ap.add_argument("--binary")
    ap.add_argument("--stride", type=int, default=1, help="test every K-th fault point (default 1: all)")
    ap.add_argument("--offset", type=int, default=0, help="start at 1 + OFFSET (to cover a stride's gaps in turns)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--persist", action="store_true", help="every fault point from N on fails, not only the Nth")
    ap.add_argument("--errno", default="ENOSPC,EIO", help="write sweeps: comma-separated errnos (default ENOSPC,EIO)")
    ap.add_argument("--ops", default="", help="write sweeps: VP_FAULT_WRITE_OPS (default: all)")
    ap.add_argument("--skip", default="", help="alloc sweeps: VP_FAULT_ALLOC_SKIP, objects whose own allocations are not failed")
    ap.add_argument("--after", default="",
                    help="start after the fault points of this command (one string, e.g. 'analyze FILE'), "
                         "less --margin: skip the prefix both commands share, already swept by it")
    ap.add_argument("--margin", type=int, default=300)
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--max-failures", type=int, default=20, help="stop printing details after this many")
    argv = sys.argv[1:]
    if "--" not in argv:
        ap.error("missing the command to sweep (after --)")
    cut = argv.index("--")
    opts = ap.parse_args(argv[:cut])
    opts.command = argv[cut + 1:]
    if not opts.command:
        ap.error("missing the command to sweep (after --)")
    sweep = Sweep(opts)
    start = time.time()

    base_env = {}
    if opts.kind == "write" and opts.ops:
        base_env["VP_FAULT_WRITE_OPS"] = opts.ops
    if opts.kind == "alloc" and opts.skip:
        base_env["VP_FAULT_ALLOC_SKIP"] = opts.skip
    key = "allocs" if opts.kind == "alloc" else "writes"
    first = 1
    if opts.after:
        saved = sweep.command
        sweep.command = shlex.split(opts.after)
        pre = sweep.run(base_env)
        sweep.command = saved
        if not isinstance(pre[4].get(key), int):
            print(f"FAIL the --after command did not complete (status {pre[0]}): {pre[2][-400:]}")
            print("0 passed, 1 failed")
            return 1
        first = max(1, pre[4][key] - opts.margin)
    ref = sweep.run(base_env)
    total = ref[4].get(key)
    label = f"{opts.kind} {' '.join(opts.command)}"
    if total is None or ref[0] not in (0, 1, 2):
        print(f"FAIL {label}: the reference run did not complete (status {ref[0]})")
        print("    stderr: " + ref[2][-800:])
        print("0 passed, 1 failed")
        return 1
    points = []
    for n in range(first + opts.offset, total + 1, opts.stride):
        if opts.kind == "alloc":
            env = {"VP_FAULT_ALLOC": str(n)}
            if opts.persist:
                env["VP_FAULT_ALLOC_PERSIST"] = "1"
            env.update(base_env)
            points.append((n, None, env, MEMORY_TEXT))
        else:
            for e in opts.errno.split(","):
                env = dict(base_env, VP_FAULT_WRITE=str(n), VP_FAULT_ERRNO=e)
                if opts.persist:
                    env["VP_FAULT_WRITE_PERSIST"] = "1"
                points.append((n, e, env, (ERRNO_TEXT[e], XLSX_PART_TEXT)))

    passed = failed = 0
    groups = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        futures = {pool.submit(sweep.run, env): (n, e, env, texts) for n, e, env, texts in points}
        results = []
        for fut in concurrent.futures.as_completed(futures):
            n, e, env, texts = futures[fut]
            results.append((n, e or "", env, sweep.check(ref, fut.result(), texts)))
    for n, e, env, problems in sorted(results, key=lambda r: (r[0], r[1])):
        if not problems:
            passed += 1
            continue
        failed += 1
        sig = problems[0] + " | " + " | ".join(p for p in problems[1:] if p.startswith("the failed")) + \
            " | " + problems[-1].splitlines()[0]
        sig = re.sub(r"[0-9]+", "N", re.sub(r"tmp-\w+", "tmp-X", sig))[:200]
        groups.setdefault(sig, []).append(n)
        if failed <= opts.max_failures:
            repro = " ".join(f"{k}={v}" for k, v in env.items())
            print(f"FAIL {label}: fault point {n} {e}".rstrip())
            print(f"    reproduce: cd $(mktemp -d) && {repro} VP_FAULT_TRACE=1 {shlex.join(sweep.argv('.'))}")
            for pr in problems:
                print("    " + pr)
    if failed > opts.max_failures:
        print(f"{failed} failing fault points, by kind of failure:")
        for sig, ns in sorted(groups.items(), key=lambda g: -len(g[1])):
            print(f"    {len(ns):6d}  e.g. at {ns[0]}: {sig}")
    took = time.time() - start
    print(f"{label}: {total} {key} in the reference run (exit {ref[0]}), "
          f"{len(points)} runs (points {first}..{total}, stride {opts.stride}), {took:.1f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
