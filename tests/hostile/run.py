#!/usr/bin/python3
"""The hostile-input catalogue: every tests/hostile/cases/*.case (or the cases named on the
command line), run with the rules and format of tests/cli/run_cases.py (read its
docstring: args, exit, stdout/stderr substrings, files: none, env, setup, timeout).

Two additions for the cases that need more than a command line:
  - a case whose env sets a VP_FAULT_* variable runs valuepack-fault ($VALUEPACK_FAULT,
    tests/fault/fault.c) instead of valuepack: a full disk (VP_FAULT_WRITE=1 with
    VP_FAULT_WRITE_PERSIST=1), an I/O error, standard output on a full disk;
  - env VP_RLIMIT_FSIZE=N runs the command with RLIMIT_FSIZE = N bytes and SIGXFSZ
    ignored, so every write past N bytes of a file fails with EFBIG — a file-size quota
    the kernel enforces, which works as root without mounting anything.
Prints one line per case and "N passed, N failed"; exit 1 when any failed.
"""
import concurrent.futures
import importlib.util
import os
import resource
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("run_cases", os.path.join(HERE, "..", "cli", "run_cases.py"))
run_cases = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_cases)

PLAIN_BINARY = run_cases.BINARY
FAULT_BINARY = os.environ.get("VALUEPACK_FAULT", "")
_real_run = subprocess.run


def _run(argv, *args, **kwargs):
    env = kwargs.get("env") or {}
    limit = env.get("VP_RLIMIT_FSIZE")
    if limit and not kwargs.get("shell"):
        def preexec():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), int(limit)))
        kwargs["preexec_fn"] = preexec
    return _real_run(argv, *args, **kwargs)


run_cases.subprocess.run = _run


def one(path):
    """Run one case (in a worker process: run_cases.BINARY is per process)."""
    try:
        spec_ = run_cases.parse_case(path)
        wants_fault = any(k.startswith("VP_FAULT_") for k in spec_["env"])
        if wants_fault and not FAULT_BINARY:
            raise RuntimeError("this case needs valuepack-fault: set VALUEPACK_FAULT")
        run_cases.BINARY = FAULT_BINARY if wants_fault else PLAIN_BINARY
        spec_, problems = run_cases.run_case(path)
    except Exception as e:  # a broken case file is a failure, not a crash of the driver
        spec_, problems = {"desc": ""}, [f"error: {e}"]
    return spec_.get("desc", ""), problems


def main():
    paths = sys.argv[1:] or sorted(os.path.join(HERE, "cases", n)
                                   for n in os.listdir(os.path.join(HERE, "cases")) if n.endswith(".case"))
    # One case per core: the cases are independent (each in its own temporary folder).
    with concurrent.futures.ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(one, paths))
    return run_cases.report(paths, results)


if __name__ == "__main__":
    sys.exit(main())
