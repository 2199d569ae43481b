#!/usr/bin/python3
"""Excel appendix read back with an independent reader (python3-openpyxl).

For every golden case (tests/golden/cases.txt) the appendix is written with `valuepack
appendix` and compared with `valuepack analyze` of the same account, date and options:
sheet names from the locale table, every cached value equal to analyze's numbers, formulas
present where the spec says (Δ, Δ%, progress, value, health total, renewal tiers), the
renewal formulas recomputed from the workbook's own input cells, native charts present
(one per KPI with a trend, health, renewal), frozen headers and autofilters, document
properties, and identical bytes for two runs with SOURCE_DATE_EPOCH.
Prints "N passed, N failed"; exits 1 when any check failed.
"""
import os
import re
import sys
import tempfile
import zipfile
from decimal import Decimal, ROUND_HALF_UP

import openpyxl

from vpdocs import ROOT, analyze, cases, check, env_with_sde, run, strings, summary


def near(a, b, tol=1e-9):
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= tol * max(1.0, abs(float(b)))


def rnd(x):
    return int(Decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def dec(v):
    """A cell value as an exact decimal (openpyxl gives floats for 0.05)."""
    return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)


def check_workbook(path, a, label):
    loc = a["account"]["locale"]
    apx = strings(loc, "appendix")
    sheets = apx["sheet"]
    wb = openpyxl.load_workbook(path)                     # formulas
    wv = openpyxl.load_workbook(path, data_only=True)     # cached results
    want = [sheets[k] for k in ("summary", "kpis", "actuals", "trends", "usage", "support",
                                "training", "health", "renewal", "opportunities", "plan")]
    check(wb.sheetnames == want, f"{label}: sheet names {wb.sheetnames} != {want}")

    # ---- KPIs: one row per KPI, formulas with cached results equal to analyze ----------
    ws, wsv = wb[sheets["kpis"]], wv[sheets["kpis"]]
    check(ws.freeze_panes == "C2", f"{label}: KPI header not frozen ({ws.freeze_panes})")
    check(bool(ws.auto_filter.ref), f"{label}: KPI sheet has no autofilter")
    headers = [c.value for c in ws[1]]
    check(headers[0] == apx["kpis"]["id"] and headers[-1] == apx["kpis"]["value"],
          f"{label}: KPI headers {headers}")
    for i, k in enumerate(a["kpis"]):
        r = i + 2
        row = {h: ws.cell(r, c + 1).value for c, h in enumerate("ABCDEFGHIJKLMNO")}
        val = {h: wsv.cell(r, c + 1).value for c, h in enumerate("ABCDEFGHIJKLMNO")}
        check(row["A"] == k["id"], f"{label}: KPI row {r} id {row['A']} != {k['id']}")
        check(near(row["E"], k["baseline"]) and near(row["F"], k["target"]),
              f"{label}: {k['id']} baseline/target")
        check(row["D"] == (-1 if k["direction"] == "decrease" else 1), f"{label}: {k['id']} sign")
        if k["actual"] is None:
            check(row["G"] is None and row["I"] is None and row["O"] is None,
                  f"{label}: {k['id']} has no data but shows numbers")
            continue
        check(near(row["G"], k["actual"]), f"{label}: {k['id']} actual {row['G']} != {k['actual']}")
        for col, key, scale in (("I", "delta", 1), ("K", "progress", 1), ("O", "value", 1)):
            check(isinstance(row[col], str) and row[col].startswith("="),
                  f"{label}: {k['id']} {key} is not a formula ({row[col]!r})")
            check(near(val[col], k[key] * scale if k[key] is not None else None),
                  f"{label}: {k['id']} cached {key} {val[col]} != {k[key]}")
        if k["delta_pct"] is None:
            check(row["J"] is None, f"{label}: {k['id']} Δ% shown for baseline 0")
        else:
            check(isinstance(row["J"], str) and row["J"].startswith("="), f"{label}: {k['id']} Δ% not a formula")
            check(near(val["J"], k["delta_pct"] / 100), f"{label}: {k['id']} cached Δ% {val['J']} != {k['delta_pct']}/100")
        check(near(row["L"], k["expected"]), f"{label}: {k['id']} expected")
    total_row = len(a["kpis"]) + 2
    total = wsv.cell(total_row, 15).value
    check(str(ws.cell(total_row, 15).value).startswith("=SUM("), f"{label}: KPI total is not a SUM")
    check(near(total, a["value"]["total"] or 0), f"{label}: cached total value {total} != {a['value']['total']}")

    # ---- Health: components, total formula and cached score -----------------------------
    ws, wsv = wb[sheets["health"]], wv[sheets["health"]]
    for i, comp in enumerate(a["health"]["components"]):
        cell = ws.cell(i + 2, 2).value
        check(near(cell, comp["score"]), f"{label}: health {comp['id']} score {cell} != {comp['score']}")
        check(near(ws.cell(i + 2, 3).value, comp["weight"]), f"{label}: health {comp['id']} weight")
    tot_formula = ws.cell(8, 2).value
    if a["health"]["score"] is None:
        check(not (isinstance(tot_formula, str) and tot_formula.startswith("=")),
              f"{label}: a health total formula without any component data")
    else:
        check(isinstance(tot_formula, str) and "SUMPRODUCT" in tot_formula, f"{label}: health total formula {tot_formula!r}")
        check(near(wsv.cell(8, 2).value, a["health"]["score"]), f"{label}: cached health {wsv.cell(8, 2).value}")
        # Recompute the weighted mean from the sheet's own cells.
        comps = [(ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(2, 8)]
        num = sum(dec(s) * dec(w) for s, w in comps if s is not None)
        den = sum(dec(w) for s, w in comps if s is not None)
        score = (100 * num / den).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        check(near(float(score), a["health"]["score"]), f"{label}: health recomputed {score} != {a['health']['score']}")

    # ---- Renewal: tier table, formulas recomputed from the input cells -------------------
    ws, wsv = wb[sheets["renewal"]], wv[sheets["renewal"]]
    arr, u, bd = dec(ws["B2"].value), dec(ws["B3"].value), dec(ws["B4"].value)
    added = dec(wsv["B5"].value)
    check(int(added) == a["renewal"]["added"], f"{label}: added modules {added} != {a['renewal']['added']}")
    A = rnd(arr * (1 + u))
    check(wsv["B6"].value == A and A == a["renewal"]["options"][0]["annual"], f"{label}: standard price {wsv['B6'].value} / {A}")
    check(ws["B6"].value == "=ROUND(B2*(1+B3),0)", f"{label}: standard price formula {ws['B6'].value!r}")
    opts = a["renewal"]["options"]
    for i, o in enumerate(opts):
        r = 10 + i
        years = ws.cell(r, 2).value
        d = dec(wsv.cell(r, 3).value)
        annual, tot, sav = (wsv.cell(r, c).value for c in (4, 5, 6))
        check((annual, tot, sav) == (o["annual"], o["total"], o["savings"]),
              f"{label}: tier {o['tier']} {years}y cached {(annual, tot, sav)} != {(o['annual'], o['total'], o['savings'])}")
        for c in (4, 5):
            check(str(ws.cell(r, c).value).startswith("="), f"{label}: tier {o['tier']} column {c} not a formula")
        # Recompute from the cells, as a finance reader would.
        if o["tier"] == "standard":
            want = (A, A, 0)
        elif o["tier"] == "bundle":
            ann = A + rnd(added * (1 - d))
            want = (ann, ann, rnd(added * d))
        else:
            ann = rnd(A * (1 - d))
            total = ann * years
            want = (ann, total, rnd(sum(A * (1 + u) ** y for y in range(years))) - total)
        check((annual, tot, sav) == want, f"{label}: tier {o['tier']} {years}y recomputed {want} != cached {(annual, tot, sav)}")
    rec_rows = [r for r in range(10, 10 + len(opts)) if ws.cell(r, 7).value]
    check(len(rec_rows) == 1, f"{label}: {len(rec_rows)} rows marked recommended")

    # ---- Summary ----------------------------------------------------------------------
    ws, wsv = wb[sheets["summary"]], wv[sheets["summary"]]
    labels = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    s = apx["summary"]
    check(wsv.cell(labels[s["total_value"]], 2).value == (a["value"]["total"] or 0), f"{label}: summary total value")
    if a["value"]["roi"] is not None:
        check(near(wsv.cell(labels[s["roi"]], 2).value, a["value"]["roi"]), f"{label}: summary ROI")
    if a["health"]["score"] is not None:
        check(near(wsv.cell(labels[s["health_score"]], 2).value, a["health"]["score"]), f"{label}: summary health")
    check(wsv.cell(labels[s["days_to_renewal"]], 2).value == a["lifecycle"]["days_to_renewal"], f"{label}: days to renewal")

    # ---- Native charts -------------------------------------------------------------------
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]
        kinds = [("lineChart" if b"<c:lineChart>" in z.read(n) else "barChart" if b"<c:barChart>" in z.read(n) else "?")
                 for n in charts]
        core = z.read("docProps/core.xml").decode()
    n_trends = sum(1 for k in a["kpis"] if k["trend"])
    want_charts = n_trends + 1 + (1 if opts else 0)
    check(len(charts) == want_charts, f"{label}: {len(charts)} charts, expected {want_charts}")
    check(kinds.count("lineChart") == n_trends, f"{label}: {kinds.count('lineChart')} line charts, expected {n_trends}")
    check("valuepack" in core or a["account"]["name"] in core, f"{label}: document properties missing")
    csm = wb.properties.creator
    return csm


def main():
    with tempfile.TemporaryDirectory(prefix="vp-apx-") as tmp:
        for example, date, extra in cases():
            path = os.path.join(ROOT, example)
            label = os.path.basename(example) + (" " + " ".join(extra) if extra else "")
            try:
                a = analyze(path, date, extra=extra)
                out = os.path.join(tmp, "a")
                os.makedirs(out, exist_ok=True)
                stdout = run(["appendix", path, "--date", date, "-o", out] + extra).stdout
                xlsx = stdout.strip().splitlines()[-1]
                check(os.path.basename(xlsx) == f"{a['account']['id']}-{a['period']}-appendix.xlsx",
                      f"{label}: file name {xlsx}")
                check_workbook(xlsx, a, label)
            except Exception as e:   # a crash of the reader or the binary is a failure
                check(False, f"{label}: {e}")
        # Reproducible bytes with SOURCE_DATE_EPOCH.
        env = env_with_sde()
        ex = os.path.join(ROOT, "examples", "hdjm-discrete-manufacturing.json")
        digests = []
        for i in range(2):
            d = os.path.join(tmp, f"r{i}")
            os.makedirs(d)
            out = run(["appendix", ex, "-o", d], env=env).stdout.strip()
            with open(out, "rb") as f:
                digests.append(f.read())
        check(digests[0] == digests[1], "appendix: two runs with SOURCE_DATE_EPOCH differ")
        # Nothing half-written on a write failure: an output folder that is a file.
        blocker = os.path.join(tmp, "blocker")
        open(blocker, "w").close()
        p = run(["appendix", ex, "-o", blocker], ok=None)
        check(p.returncode != 0 and "valuepack:" in p.stderr, "appendix into a file-as-folder did not fail clearly")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
