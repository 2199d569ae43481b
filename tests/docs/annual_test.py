#!/usr/bin/python3
"""Annual value summary read back (pdftotext, pdfinfo, qpdf).

For every example and both stress accounts, in the account's locale and the other one,
`valuepack annual --check-layout` must exit 0 with no layout finding, and the PDF must:
  - pass `qpdf --check`;
  - show for every KPI its baseline, actual and target (formatted as lib/format does, with
    the KPI's unit), its progress, status and value in money, in that order in the row, as
    `valuepack analyze` computes them for the same date and locale; the total value and
    the ROI; the headlines of the biggest wins;
  - carry a bookmark per enabled section (report_templates/annual.json order), page labels,
    "page n of N" in every footer, metadata (title with the account, author = the CSM,
    subject), and the creation date of the as-of date when SOURCE_DATE_EPOCH is unset;
  - be byte-identical when rendered twice (with SOURCE_DATE_EPOCH, and without it).
A generated account with 40 KPIs and 24 quarters checks pagination: the KPI table
continues over several pages and its header row is on every page that holds KPI rows;
every KPI appears exactly once. A templates copy with sections reordered and one switched
off checks that annual.json orders and switches the sections.
Prints "N passed, N failed"; exits 1 when any check failed.
"""
import json
import os
import re
import shutil
import sys
import tempfile

from vpdocs import (ROOT, TEMPLATES, NO_VALUE, analyze, check, check_examples, check_reader_clean, fmt_multiple,
                    fmt_number, fmt_ratio, fmt_value, info, load_json, money, need_tools,
                    page_text, pdf_pages, qpdf_json, render_doc, squash, strings, summary, tool)


def kpi_value(v, unit, loc):
    """A KPI value with its unit as the annual summary writes it (vp_a4doc_kpi_value)."""
    s = fmt_value(v)
    if v is None or not unit:
        return s
    letter = re.match(r"[A-Za-z\u00c0-\u024f\u0370-\u052f]", unit) is not None
    return s + (" " if loc == "en" and letter else "") + unit


def outline_titles(path):
    """Every bookmark's title, depth first."""
    titles = []

    def walk(items):
        for it in items:
            titles.append(it.get("title"))
            walk(it.get("kids", []))
    walk(qpdf_json(path, "outlines") or [])
    return titles


# ---- checks ------------------------------------------------------------------------------

def kpi_row(k, loc, common):
    """A KPI row's cells from baseline to status, squashed (the name may be truncated)."""
    unit = k.get("unit")
    has = k.get("actual") is not None
    parts = [kpi_value(k["baseline"], unit, loc),
             kpi_value(k["actual"], unit, loc) if has else common["no_data"],
             kpi_value(k["target"], unit, loc)]
    if has:
        parts.append(fmt_ratio(k["progress"]))
    parts.append(common["status"][k["status"]])
    return squash("".join(parts))


def check_document(pdf, a, loc, label, account):
    common = strings(loc, "common")
    ann = strings(loc, "annual")
    check(tool(["qpdf", "--check", pdf]).returncode == 0, f"{label}: qpdf --check")
    check_reader_clean(pdf, label)
    n = pdf_pages(pdf)
    check(n >= 2, f"{label}: at least 2 pages (got {n})")
    text = page_text(pdf)
    sq = squash(text)
    cur = a["account"]["currency"]
    vpu = {k["id"]: ("value_per_unit" in k) for k in account.get("kpis", [])}
    # Every KPI: baseline, actual, target, progress, status and value, in row order.
    for k in a["kpis"]:
        row = kpi_row(k, loc, common)
        if k.get("actual") is None:
            value = NO_VALUE
        elif not vpu.get(k["id"]):
            value = NO_VALUE
        else:
            value = fmt_number(k["value"])
        want = row + squash(value)
        check(want in sq, f"{label}: KPI {k['id']} row {want!r}")
    v = a["value"]
    if v["total"] is not None:
        check(squash(money(v["total"], cur)) in sq, f"{label}: total value {money(v['total'], cur)}")
        check(squash(ann["outcomes"]["total"] + fmt_number(v["total"])) in sq,
              f"{label}: total row of the KPI table")
    else:
        check(squash(ann["tile"]["value"] + common["no_data"]) in sq, f"{label}: value tile says no data")
    if v["roi"] is not None:
        check(fmt_multiple(v["roi"]) in text, f"{label}: ROI {fmt_multiple(v['roi'])}")
    # Biggest wins: achieved / on-track headlines, largest value first (file order on ties).
    good = [k for k in a["kpis"] if k["status"] in ("achieved", "on_track") and k.get("headline")]
    good.sort(key=lambda k: -(k["value"] or 0))
    for k in good[:5]:
        check(squash(k["headline"]) in sq, f"{label}: headline {k['headline']!r}")
    # Footers: "page n of N" on every page.
    for i in range(1, n + 1):
        t = page_text(pdf, i)
        want = ann["page"].replace("{n}", str(i)).replace("{N}", str(n))
        check(squash(want) in squash(t), f"{label}: page {i} footer {want!r}")
    # Bookmarks: one per enabled section, in annual.json's order.
    sections = [s["id"] for s in load_json(os.path.join(TEMPLATES, "annual.json"))["sections"]
                if s.get("enabled", True)]
    want_titles = [ann[s]["bookmark"] for s in sections]
    check(outline_titles(pdf) == want_titles, f"{label}: bookmarks {outline_titles(pdf)} != {want_titles}")
    check(bool(qpdf_json(pdf, "pagelabels")), f"{label}: page labels")
    inf = info(pdf)
    check(account["account"]["name"] in inf.get("Title", ""), f"{label}: title metadata {inf.get('Title')!r}")
    csm = account["account"].get("team", {}).get("csm", {}).get("name")
    if csm:
        check(inf.get("Author") == csm, f"{label}: author {inf.get('Author')!r} != {csm!r}")
    check(ann["title"] in inf.get("Subject", ""), f"{label}: subject {inf.get('Subject')!r}")


def long_account(tmp, loc):
    """40 KPIs with long names and 24 quarters of actuals, usage and support."""
    quarters = [f"{2020 + q // 4}-Q{q % 4 + 1}" for q in range(24)]
    kpis = []
    for i in range(40):
        dec = i % 2 == 0
        # every KPI's numbers differ, so each row can be told apart on the page
        base, target = (100.0 + i, 60.0 + i) if dec else (10.0 + i, 60.0 + i)
        acts = []
        for q, p in enumerate(quarters):
            step = (q + 1) * (0.9 if i % 3 else 1.2)
            acts.append({"period": p, "value": round(base - step if dec else base + step, 1)})
        name = (f"关键指标{i + 1:02d}：跨工厂、跨事业部统一口径的库存与交付绩效衡量" if loc == "zh-CN"
                else f"KPI {i + 1:02d}: on-time and in-full delivery measured across every plant")
        kpis.append({"id": f"k{i:02d}", "name": name, "unit": "days" if dec else "%",
                     "direction": "decrease" if dec else "increase", "baseline": base,
                     "target": target, "value_per_unit": 1000 + 50 * i, "actuals": acts})
    usage = [{"period": p, "licensed_users": 500, "active_monthly": 200 + 10 * q,
              "active_weekly": 150 + 8 * q, "active_daily": 90 + 5 * q,
              "modules": {"FIN": min(1.0, 0.3 + 0.03 * q)},
              "transactions": {"sales_orders": 1000 + 100 * q}} for q, p in enumerate(quarters)]
    support = [{"period": p, "opened": 40 + q, "closed": 39 + q, "p1": q % 3,
                "median_resolution_hours": 8 + (q % 5), "sla_met_pct": 90 + (q % 8), "csat": 4.2}
               for q, p in enumerate(quarters)]
    acct = {
        "schema": "valuepack/account@1",
        "account": {"id": "LONG-40x24", "name": "Long Report Test Account" if loc == "en" else "长报告测试客户",
                    "locale": loc, "team": {"csm": {"name": "Test CSM"}}},
        "contract": {"start_date": "2020-01-01", "end_date": "2025-12-31", "arr": 2000000,
                     "licensed_users": 500,
                     "modules": [{"code": "FIN", "name": "Finance", "annual_fee": 2000000}]},
        "kpis": kpis, "usage": usage, "support": support,
    }
    path = os.path.join(tmp, f"long-{loc}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(acct, f, ensure_ascii=False)
    return path


def check_pagination(tmp):
    for loc in ("en", "zh-CN"):
        src = long_account(tmp, loc)
        out = os.path.join(tmp, "long-" + loc)
        os.makedirs(out)
        p, pdf = render_doc("annual", src, "2026-01-15", loc, out)
        label = f"long 40x24 {loc}"
        check(p.returncode == 0 and "layout:" not in p.stderr, f"{label}: --check-layout clean: {p.stderr.strip()}")
        if not pdf:
            continue
        a = analyze(src, "2026-01-15", loc)
        common = strings(loc, "common")
        ann = strings(loc, "annual")
        headers = [ann["outcomes"][c] for c in ("col_baseline", "col_actual", "col_target",
                                               "col_progress", "col_status")]
        n = pdf_pages(pdf)
        pages = [squash(page_text(pdf, i)) for i in range(1, n + 1)]
        rows = {k["id"]: kpi_row(k, loc, common) for k in a["kpis"]}
        table_pages = []
        for k, row in rows.items():
            where = [i for i, t in enumerate(pages) if row in t]
            check(len(where) == 1, f"{label}: KPI {k} on exactly one page (found {len(where)})")
            table_pages += where
        table_pages = sorted(set(table_pages))
        check(len(table_pages) >= 2, f"{label}: the KPI table continues over pages ({table_pages})")
        check(table_pages == list(range(table_pages[0], table_pages[-1] + 1)) if table_pages else False,
              f"{label}: the KPI table's pages follow each other ({table_pages})")
        for i in table_pages:
            hdr = squash("".join(headers))
            check(hdr in pages[i], f"{label}: header row repeated on page {i + 1}")
        cont = squash(ann["continued"].replace("{label}", ann["outcomes"]["label"]))
        for i in table_pages[1:]:
            check(cont in pages[i], f"{label}: continuation caption on page {i + 1}")
        # The usage and service tables hold all 24 periods (monthly actives 200..430).
        allt = squash(page_text(pdf))
        for q in range(24):
            check(squash(fmt_number(200 + 10 * q)) in allt, f"{label}: usage of period {q + 1} listed")


def check_sections(tmp):
    """annual.json orders and switches the sections."""
    tdir = os.path.join(tmp, "templates")
    shutil.copytree(TEMPLATES, tdir)
    conf = load_json(os.path.join(tdir, "annual.json"))
    secs = {s["id"]: s for s in conf["sections"]}
    order = ["cover", "plan", "outcomes", "usage", "service", "training", "milestones", "dialogue"]
    conf["sections"] = [secs[i] for i in order]
    secs["usage"]["enabled"] = False
    with open(os.path.join(tdir, "annual.json"), "w", encoding="utf-8") as f:
        json.dump(conf, f)
    out = os.path.join(tmp, "sections")
    os.makedirs(out)
    src = os.path.join(ROOT, "examples/northwind-distribution.json")
    p, pdf = render_doc("annual", src, "2025-10-09", "en", out, templates=tdir)
    check(p.returncode == 0, f"sections: rendered with a reordered annual.json: {p.stderr.strip()}")
    if pdf:
        ann = strings("en", "annual")
        want = [ann[s]["bookmark"] for s in order if s != "usage"]
        check(outline_titles(pdf) == want, f"sections: bookmarks follow annual.json {outline_titles(pdf)}")
        t = page_text(pdf)
        check(ann["usage"]["label"] not in t, "sections: a switched-off section is left out")


def main():
    if not need_tools("pdftotext", "qpdf"):
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        check_examples("annual", tmp, lambda pdf, src, date, loc, label, account:
                       check_document(pdf, analyze(src, date, loc), loc, label, account))
        check_pagination(tmp)
        check_sections(tmp)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
