#!/usr/bin/python3
"""Quarter-end batch (SPEC §6): isolation, manifest, shards, skip-unchanged, interruption,
and the portfolio numbers against the accounts' own `analyze` output.

Runs `valuepack batch` over the examples plus broken files in temporary folders.
Prints "N passed, N failed"; exits 1 when any check failed.
"""
import glob
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

import openpyxl

import datetime

from vpdocs import BINARY, ROOT, analyze, check, load_json, page_text, run, squash, strings, summary, tool

DATE = "2025-10-09"
ONLY = os.environ.get("VP_BATCH_ONLY")   # e.g. "appendix" for a quick local run; default: all documents


def batch(args):
    extra = ["--only", ONLY] if ONLY else []
    return run(["batch"] + args + ["--date", DATE, "-q"] + extra, ok=None)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def final_files(top):
    """Every file below top that is not a temporary (.NAME.tmp-XXXXXX)."""
    out = []
    for dirpath, _, names in os.walk(top):
        for n in names:
            out.append(os.path.join(dirpath, n))
    return out


def make_inputs(tmp):
    inp = os.path.join(tmp, "accounts")
    os.makedirs(os.path.join(inp, "more"))
    for f in glob.glob(os.path.join(ROOT, "examples", "*.json")):
        shutil.copy(f, inp)
    shutil.copy(os.path.join(ROOT, "tests", "data", "stress-40kpi.json"), os.path.join(inp, "more"))
    # Broken accounts: malformed JSON, a wrong type, a duplicate id.
    with open(os.path.join(inp, "broken-syntax.json"), "w") as f:
        f.write('{"schema": "valuepack/account@1", "account": {')
    mini = load_json(os.path.join(ROOT, "examples", "minimal.json"))
    bad = json.loads(json.dumps(mini))
    bad["contract"]["arr"] = "lots"
    bad["account"]["id"] = "BAD-TYPE"
    with open(os.path.join(inp, "broken-type.json"), "w") as f:
        json.dump(bad, f)
    with open(os.path.join(inp, "more", "duplicate-id.json"), "w") as f:
        json.dump(mini, f)     # same id as examples/minimal.json
    return inp


def manifest(out):
    return load_json(os.path.join(out, "manifest.json"))


def test_isolation_and_manifest(tmp, inp):
    out = os.path.join(tmp, "out")
    p = batch([inp, "-o", out, "-j", "2"])
    check(p.returncode == 1, f"batch with broken files exits {p.returncode}, expected 1: {p.stderr[-400:]}")
    for name in ("broken-syntax.json", "broken-type.json", "duplicate-id.json"):
        check(name in p.stderr, f"stderr does not list the failed {name}")
    m = manifest(out)
    by_input = {os.path.basename(a["input"]): a for a in m["accounts"]}
    check(by_input["broken-syntax.json"]["status"] == "failed" and "line" in by_input["broken-syntax.json"]["error"],
          "manifest: broken-syntax not failed with a line number")
    check("contract.arr" in by_input["broken-type.json"]["error"], "manifest: broken-type error lacks the JSON path")
    dup = [a for a in m["accounts"] if a.get("id") == "MIN-0001"]
    check(len([a for a in dup if a["status"] == "ok"]) == 1 and len([a for a in dup if a["status"] == "failed"]) == 1,
          "duplicate account id: expected one ok and one failed entry")
    ok = [a for a in m["accounts"] if a["status"] == "ok"]
    check(len(ok) == 7, f"{len(ok)} accounts ok, expected 7 (6 examples + stress)")
    check(m["totals"]["ok"] == 7 and m["totals"]["failed"] == 3, f"manifest totals {m['totals']}")
    check(m["templates_sha256"] and len(m["templates_sha256"]) == 64, "manifest lacks the templates hash")
    for a in ok:
        check(a["input_sha256"] == sha256(a["input"]), f"{a['id']}: input sha256 mismatch")
        want = 1 if ONLY else 4
        check(len(a["outputs"]) == want, f"{a['id']}: {len(a['outputs'])} outputs, expected {want}")
        for o in a["outputs"]:
            path = os.path.join(out, o["path"])
            check(os.path.isfile(path) and os.path.getsize(path) == o["size"] and sha256(path) == o["sha256"],
                  f"{a['id']}: output {o['path']} missing or does not match the manifest")
            if path.endswith(".pdf"):
                q = tool(["qpdf", "--check", path])
                check(q.returncode in (0, 3), f"{o['path']}: qpdf --check failed: {q.stdout[-300:]}")
            else:
                try:
                    openpyxl.load_workbook(path)
                    check(True, "")
                except Exception as e:
                    check(False, f"{o['path']}: not a readable workbook: {e}")
    leftovers = [f for f in final_files(out) if "/." in f]
    check(not leftovers, f"temporary files left: {leftovers}")
    return out, m


def test_portfolio_numbers(out, m):
    """The portfolio's totals equal the sum of the accounts' own analyze output."""
    wb = openpyxl.load_workbook(os.path.join(out, "portfolio.xlsx"), data_only=True)
    ws = wb[wb.sheetnames[0]]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    ok = [a for a in m["accounts"] if a["status"] == "ok"]
    check(len(rows) == len(ok), f"portfolio has {len(rows)} rows, expected {len(ok)}")
    analyzed = {}
    for a in ok:
        analyzed[a["id"]] = analyze(a["input"], DATE)
    for r in rows:
        a = analyzed.get(r[0])
        check(a is not None, f"portfolio row {r[0]} is not an ok account")
        if not a:
            continue
        check(r[9] == a["account"]["arr"], f"{r[0]}: ARR {r[9]} != {a['account']['arr']}")
        check((r[4] is None and a["health"]["score"] is None) or r[4] == a["health"]["score"], f"{r[0]}: health {r[4]}")
        check((r[7] is None and a["value"]["total"] is None) or r[7] == a["value"]["total"], f"{r[0]}: value {r[7]}")
        check(r[11] == a["lifecycle"]["days_to_renewal"], f"{r[0]}: days to renewal {r[11]}")
    # at-risk first, then watch, ... as the spec orders them
    order = {"at_risk": 0, "watch": 1, None: 2, "healthy": 3}
    bands = [order[analyzed[r[0]]["health"]["band"]] for r in rows if r[0] in analyzed]
    check(bands == sorted(bands), f"portfolio not ordered at-risk first: {bands}")
    # Totals sheet: ARR per currency and ARR renewing within 90 days.
    tot = wb[wb.sheetnames[1]]
    cells = [[c for c in row] for row in tot.iter_rows(values_only=True)]
    for cur in {a["account"]["currency"] for a in analyzed.values()}:
        arr = sum(Decimal(str(a["account"]["arr"])) for a in analyzed.values() if a["account"]["currency"] == cur)
        r90 = sum(Decimal(str(a["account"]["arr"])) for a in analyzed.values()
                  if a["account"]["currency"] == cur and 0 <= a["lifecycle"]["days_to_renewal"] <= 90)
        # find the block of this currency: the row whose second cell is the code, then ARR two rows below
        idx = next((i for i, row in enumerate(cells) if len(row) > 1 and row[1] == cur), None)
        check(idx is not None, f"totals sheet has no block for {cur}")
        if idx is None:
            continue
        block = cells[idx + 1: idx + 10]
        check(Decimal(str(block[1][1])) == arr, f"{cur}: total ARR {block[1][1]} != {arr}")
        check(Decimal(str(block[6][1])) == r90, f"{cur}: ARR renewing in 90 days {block[6][1]} != {r90}")
    if not ONLY or "qbr" in ONLY:
        pdf = os.path.join(out, "portfolio.pdf")
        q = tool(["qpdf", "--check", pdf])
        check(q.returncode in (0, 3), "portfolio.pdf: qpdf --check failed")


def portfolio_rows(path):
    """The accounts sheet's rows, in the workbook's order."""
    wb = openpyxl.load_workbook(path, data_only=True)
    return [tuple(r) for r in wb[wb.sheetnames[0]].iter_rows(min_row=2, values_only=True)]


def test_shards(tmp, inp, full_out):
    seen = []
    outs = []
    for k in (1, 2, 3):
        out = os.path.join(tmp, f"shard-{k}")
        outs.append(out)
        p = batch([inp, "-o", out, "--shard", f"{k}/3"])
        check(p.returncode in (0, 1), f"shard {k}/3 exit {p.returncode}: {p.stderr[-300:]}")
        m = manifest(out)
        check(m["shard"] == f"{k}/3", f"shard {k}: manifest shard {m['shard']}")
        seen += [a["id"] for a in m["accounts"] if a["status"] == "ok"]
        check(not os.path.exists(os.path.join(out, "portfolio.xlsx")), f"shard {k} wrote a partial portfolio")
    full = [a["id"] for a in manifest(full_out)["accounts"] if a["status"] == "ok"]
    check(sorted(seen) == sorted(full), f"shards cover {sorted(seen)}, expected each of {sorted(full)} once")
    merged = os.path.join(tmp, "merged")
    p = run(["portfolio"] + outs + ["-o", merged, "-q"], ok=None)
    check(p.returncode == 0, f"portfolio merge exit {p.returncode}: {p.stderr[-300:]}")
    if p.returncode == 0:
        check(portfolio_rows(os.path.join(merged, "portfolio.xlsx")) == portfolio_rows(os.path.join(full_out, "portfolio.xlsx")),
              "merged portfolio differs from the unsharded one (rows or their order)")


def write_manifest_like(src, entries, dst):
    """A manifest with src's header and `entries`, in batch's layout (one account a line)."""
    with open(os.path.join(src, "manifest.json"), encoding="utf-8") as f:
        text = f.read()
    head = text[:text.index('"accounts": [') + len('"accounts": [')]
    os.makedirs(dst, exist_ok=True)
    with open(os.path.join(dst, "manifest.json"), "w", encoding="utf-8") as f:
        f.write(head)
        f.write(",".join("\n    " + json.dumps(e, ensure_ascii=False, separators=(",", ":"))
                         for e in entries))
        f.write("\n  ]\n}\n")


def test_large_portfolio(tmp, out):
    """A portfolio of 1,200 accounts merged from two manifests that share 200 of them: the
    rows are read back one at a time from the manifests (portfolio.h), so check every row,
    the order (at-risk first, alerts, soonest renewal, then id), that the later manifest wins
    a shared id, the totals, and that the PDF lists the first 500 and says how many more."""
    ok = [a for a in manifest(out)["accounts"] if a["status"] == "ok"]
    check(len(ok) > 0, "no ok account to build a large portfolio from")
    if not ok:
        return
    bands = ["at_risk", "watch", "healthy", None]
    as_of = datetime.date.fromisoformat(DATE)

    def entry(k, bump):
        e = json.loads(json.dumps(ok[k % len(ok)]))
        s = e["summary"]
        days = (k * 37) % 400 - 30
        s.update(id=f"GEN-{k:05d}", name=f"Account {k:05d}", band=bands[k % 4],
                 alert=k % 7 == 0, days_to_renewal=days,
                 renewal_date=(as_of + datetime.timedelta(days=days)).isoformat(),
                 arr=10000 + (k * 7919) % 500000 + bump)
        if s["band"] is None:
            s["health"] = None
        e["id"] = s["id"]
        return e

    first = [entry(k, 0) for k in range(0, 800)]
    second = [entry(k, 1) for k in range(600, 1200)]       # 600..799 again, ARR + 1
    m1, m2 = os.path.join(tmp, "big-1"), os.path.join(tmp, "big-2")
    write_manifest_like(out, first, m1)
    write_manifest_like(out, second, m2)
    merged = os.path.join(tmp, "big-merged")
    p = run(["portfolio", m1, m2, "-o", merged, "-q"], ok=None)
    check(p.returncode == 0, f"large portfolio exit {p.returncode}: {p.stderr[-300:]}")
    if p.returncode != 0:
        return
    expected = {e["id"]: e["summary"] for e in first}
    expected.update({e["id"]: e["summary"] for e in second})
    rank = {"at_risk": 0, "watch": 1, None: 2, "healthy": 3}
    order = sorted(expected.values(), key=lambda s: (rank[s["band"]], not s["alert"],
                                                     s["days_to_renewal"], s["id"]))
    rows = portfolio_rows(os.path.join(merged, "portfolio.xlsx"))
    check(len(rows) == 1200, f"large portfolio has {len(rows)} rows, expected 1200")
    check([r[0] for r in rows] == [s["id"] for s in order], "large portfolio rows out of order")
    bad = [r[0] for r in rows if r[0] in expected and
           (r[9] != expected[r[0]]["arr"] or r[11] != expected[r[0]]["days_to_renewal"] or
            r[1] != expected[r[0]]["name"])]
    check(not bad, f"large portfolio rows differ from their manifest lines: {bad[:5]}")
    check(all(r[9] % 2 == (10000 + (int(r[0][4:]) * 7919) % 500000 + (600 <= int(r[0][4:]) < 1200)) % 2
              for r in rows), "a shared id did not take the later manifest's entry")
    wb = openpyxl.load_workbook(os.path.join(merged, "portfolio.xlsx"), data_only=True)
    cells = [list(r) for r in wb[wb.sheetnames[1]].iter_rows(values_only=True)]
    for cur in {s["currency"] for s in expected.values()}:
        arr = sum(Decimal(str(s["arr"])) for s in expected.values() if s["currency"] == cur)
        r90 = sum(Decimal(str(s["arr"])) for s in expected.values()
                  if s["currency"] == cur and 0 <= s["days_to_renewal"] <= 90)
        idx = next((i for i, row in enumerate(cells) if len(row) > 1 and row[1] == cur), None)
        check(idx is not None, f"large portfolio: no totals for {cur}")
        if idx is not None:
            block = cells[idx + 1: idx + 10]
            check(block[0][1] == sum(1 for s in expected.values() if s["currency"] == cur),
                  f"large portfolio {cur}: account count {block[0][1]}")
            check(Decimal(str(block[1][1])) == arr, f"large portfolio {cur}: ARR {block[1][1]} != {arr}")
            check(Decimal(str(block[6][1])) == r90, f"large portfolio {cur}: 90-day ARR {block[6][1]} != {r90}")
    if not ONLY or "qbr" in ONLY:
        pdf = os.path.join(merged, "portfolio.pdf")
        text = squash(page_text(pdf))
        zh = sum(1 for s in expected.values() if s["locale"] == "zh-CN") * 2 > len(expected)
        more = strings("zh-CN" if zh else "en", "portfolio")["pdf"]["more"]
        want = squash(more.replace("{more}", "700").replace("{total}", "1200"))
        check(want in text, f"portfolio.pdf does not say that 700 of 1200 accounts are not listed")
        listed = sum(1 for s in order if squash(s["name"]) in text)
        check(listed == 500, f"portfolio.pdf lists {listed} accounts, expected the first 500")
        check(all(squash(s["name"]) in text for s in order[:500]), "portfolio.pdf misses one of the first 500")


def test_merge_many_folders(tmp, out):
    """`valuepack portfolio` over 100 output folders with only 48 file descriptors: the
    manifests are reopened as rows are read back (at most 32 open at once), so merging
    thousands of shards cannot run out of descriptors. The rows and their order are those
    of one manifest holding them all."""
    import resource
    ok = [a for a in manifest(out)["accounts"] if a["status"] == "ok"]
    if not check(len(ok) > 0, "no ok account to merge"):
        return
    dirs, every = [], []
    for d in range(100):
        entries = []
        for j in range(6):
            k = d * 6 + j
            e = json.loads(json.dumps(ok[k % len(ok)]))
            e["summary"].update(id=f"SHARD-{k:04d}", name=f"Shard account {k:04d}",
                                days_to_renewal=(k * 53) % 300, alert=k % 5 == 0)
            e["id"] = e["summary"]["id"]
            entries.append(e)
        every += entries
        dirs.append(os.path.join(tmp, "many-shards", f"s{d:03d}"))
        write_manifest_like(out, entries, dirs[-1])
    whole = os.path.join(tmp, "many-shards-one")
    write_manifest_like(out, every, whole)

    def low_fd_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (48, 48))

    merged = os.path.join(tmp, "many-shards-merged")
    p = subprocess.run([BINARY, "portfolio"] + dirs + ["-o", merged, "-q", "--date", DATE],
                       capture_output=True, text=True, preexec_fn=low_fd_limit)
    check(p.returncode == 0, f"merging 100 folders with 48 descriptors: exit {p.returncode}: {p.stderr[-300:]}")
    ref = os.path.join(tmp, "many-shards-ref")
    q = run(["portfolio", whole, "-o", ref, "-q", "--date", DATE], ok=None)
    if p.returncode == 0 and q.returncode == 0:
        rows = portfolio_rows(os.path.join(merged, "portfolio.xlsx"))
        check(len(rows) == 600, f"merged {len(rows)} rows from 100 folders, expected 600")
        check(rows == portfolio_rows(os.path.join(ref, "portfolio.xlsx")),
              "merging 100 folders differs from one manifest holding the same accounts")


def test_scratch_write_failure(tmp):
    """The first write of the run fails (ENOSPC, through tests/fault's valuepack-fault):
    that is the list of inputs going to its scratch file. The run must stop at once with
    the cause, before any account is processed: a lost buffer of paths would have sent
    every worker to the wrong input."""
    fault = os.path.join(os.path.dirname(os.path.dirname(BINARY)), "tests", "fault", "valuepack-fault")
    if not check(os.path.exists(fault), f"{fault} not built"):
        return
    inp = os.path.join(tmp, "scratch-in")
    os.makedirs(inp)
    mini = load_json(os.path.join(ROOT, "examples", "minimal.json"))
    for i in range(300):
        mini["account"]["id"] = f"SCR-{i:03d}"
        with open(os.path.join(inp, f"account-with-a-long-file-name-{i:03d}.json"), "w") as f:
            json.dump(mini, f)
    out = os.path.join(tmp, "scratch-out")
    env = dict(os.environ, VP_FAULT_WRITE="1", VP_FAULT_WRITE_OPS="write", VP_FAULT_ERRNO="ENOSPC")
    p = subprocess.run([fault, "batch", inp, "-o", out, "-q", "--only", "appendix", "--date", DATE],
                       capture_output=True, text=True, env=env)
    check(p.returncode == 1, f"a failed write of the input list: exit {p.returncode}, expected 1")
    check("list of inputs" in p.stderr and "No space left on device" in p.stderr,
          f"a failed write of the input list is not named: {p.stderr[-300:]}")
    left = os.listdir(out) if os.path.isdir(out) else []
    check(left == [], f"a run stopped before any account left files in OUT: {left[:5]}")


def test_skip_unchanged(tmp, inp):
    out = os.path.join(tmp, "skip")
    good = os.path.join(tmp, "skip-in")
    os.makedirs(good)
    for f in ("hdjm-discrete-manufacturing.json", "northwind-distribution.json", "lmjp-retail-at-risk.json"):
        shutil.copy(os.path.join(ROOT, "examples", f), good)
    p = batch([good, "-o", out, "--skip-unchanged"])
    check(p.returncode == 0, f"first run exit {p.returncode}: {p.stderr[-300:]}")
    mtimes = {f: os.stat(f).st_mtime_ns for f in final_files(out) if "/NWD-2207/" in f}
    time.sleep(0.05)
    # Change one account: only it is regenerated.
    path = os.path.join(good, "hdjm-discrete-manufacturing.json")
    acc = load_json(path)
    acc["kpis"][0]["actuals"][-1]["value"] = 34
    with open(path, "w", encoding="utf-8") as f:
        json.dump(acc, f, ensure_ascii=False)
    p = batch([good, "-o", out, "--skip-unchanged"])
    check(p.returncode == 0, f"second run exit {p.returncode}")
    m = manifest(out)
    st = {a["id"]: a["status"] for a in m["accounts"]}
    check(st == {"HDJM-0001": "ok", "NWD-2207": "unchanged", "LMJP-0107": "unchanged"}, f"statuses after one change: {st}")
    check(all(os.stat(f).st_mtime_ns == t for f, t in mtimes.items()), "an unchanged account's files were rewritten")
    check(os.path.exists(os.path.join(out, "portfolio.xlsx")) and len(portfolio_rows(os.path.join(out, "portfolio.xlsx"))) == 3,
          "portfolio after skip-unchanged lacks the unchanged accounts")
    # A deleted output is regenerated; other options (--period) regenerate everything.
    victim = next(f for f in final_files(out) if "/NWD-2207/" in f)
    os.unlink(victim)
    batch([good, "-o", out, "--skip-unchanged"])
    st = {a["id"]: a["status"] for a in manifest(out)["accounts"]}
    check(st["NWD-2207"] == "ok" and os.path.exists(victim) and st["LMJP-0107"] == "unchanged",
          f"deleted output not regenerated exactly: {st}")
    batch([good, "-o", out, "--skip-unchanged", "--period", "2025-Q2"])
    st = {a["id"]: a["status"] for a in manifest(out)["accounts"]}
    check(set(st.values()) == {"ok"}, f"changed options did not regenerate everything: {st}")


def test_interrupt(tmp):
    """SIGTERM mid-way: it stops cleanly, no partial file under a final name, the manifest
    lists what finished and every listed output is complete."""
    inp = os.path.join(tmp, "many")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_portfolio.py"), inp, "-n", "400",
                    "--large-every", "10"], check=True, capture_output=True)
    out = os.path.join(tmp, "interrupted")
    extra = ["--only", ONLY] if ONLY else []
    proc = subprocess.Popen([BINARY, "batch", inp, "-o", out, "-j", "2", "--date", DATE] + extra,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.8)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    check(proc.returncode == 130, f"interrupted batch exit {proc.returncode}, expected 130: {err[-300:]}")
    check("interrupted" in err, "no 'interrupted' message")
    m = manifest(out)
    check(m["cancelled"] is True and 0 < m["totals"]["processed"] < 400, f"manifest after SIGTERM: {m['totals']}")
    temps = [f for f in final_files(out) if os.path.basename(f).startswith(".")]
    check(not temps, f"temporary files left after SIGTERM: {temps[:3]}")
    listed = set()
    for a in m["accounts"]:
        for o in a.get("outputs", []):
            path = os.path.join(out, o["path"])
            listed.add(path)
            check(os.path.getsize(path) == o["size"] and sha256(path) == o["sha256"], f"{o['path']} incomplete")
    # Every final file is one the manifest lists (nothing half-written slipped in).
    for f in final_files(out):
        if f.endswith((".pdf", ".xlsx")) and os.path.dirname(f) != out:
            check(f in listed, f"{f} is not in the manifest")


def main():
    with tempfile.TemporaryDirectory(prefix="vp-batch-") as tmp:
        inp = make_inputs(tmp)
        out, m = test_isolation_and_manifest(tmp, inp)
        test_portfolio_numbers(out, m)
        test_shards(tmp, inp, out)
        test_large_portfolio(tmp, out)
        test_merge_many_folders(tmp, out)
        test_scratch_write_failure(tmp)
        test_skip_unchanged(tmp, inp)
        test_interrupt(tmp)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
