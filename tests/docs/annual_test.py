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
import subprocess
import sys
import tempfile
from decimal import Decimal, ROUND_HALF_UP

ROOT = os.environ.get("SOURCE_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("VALUEPACK") or os.path.join(ROOT, "build", "cmd", "valuepack")
TEMPLATES = os.environ.get("VALUEPACK_TEMPLATES") or os.path.join(ROOT, "report_templates")

CASES = [
    ("examples/hdjm-discrete-manufacturing.json", "2025-10-09"),
    ("examples/lmjp-retail-at-risk.json", "2025-10-09"),
    ("examples/qlsp-process-manufacturing.json", "2025-10-09"),
    ("examples/northwind-distribution.json", "2025-10-09"),
    ("examples/contoso-fy-april.json", "2026-01-15"),
    ("examples/minimal.json", "2025-10-09"),
    ("tests/data/stress-40kpi.json", "2025-10-09"),
    ("tests/data/stress-40kpi-zh.json", "2025-10-09"),
]

MINUS = "\u2212"
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL " + what)


def env_without_sde():
    e = dict(os.environ)
    e.pop("SOURCE_DATE_EPOCH", None)
    return e


def run(args, env=None, ok=(0,)):
    p = subprocess.run([BINARY] + args, capture_output=True, text=True, env=env)
    if p.returncode not in ok:
        raise RuntimeError(f"valuepack {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p


def tool(args):
    return subprocess.run(args, capture_output=True, text=True)


# ---- lib/format in Python --------------------------------------------------------------

def _digits(v, decimals, trim):
    d = Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    neg = d < 0
    s = f"{abs(d):,.{decimals}f}"
    if trim and "." in s:
        s = s.rstrip("0").rstrip(".")
    if re.fullmatch(r"[0,.]*", s):
        neg = False
    return (MINUS if neg else "") + s


def fmt_number(v, decimals=0):
    return "\u2014" if v is None else _digits(v, decimals, False)


def fmt_value(v):
    return "\u2014" if v is None else _digits(v, 2, True)


def fmt_ratio(r, decimals=0):
    return "\u2014" if r is None else _digits(r * 100, decimals, False) + "%"


def fmt_multiple(v):
    return "\u2014" if v is None else _digits(v, 1, False) + "\u00d7"


def money(v, currency):
    sym = {"CNY": "\u00a5", "USD": "$"}.get(currency, currency + " ")
    s = _digits(v, 0, False)
    return (MINUS + sym + s[1:]) if s.startswith(MINUS) else sym + s


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def fmt_date(iso, loc):
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日" if loc == "zh-CN" else f"{MONTHS[m - 1]} {d}, {y}"


def kpi_value(v, unit, loc):
    s = fmt_value(v)
    if v is None or not unit:
        return s
    letter = re.match(r"[A-Za-z\u00c0-\u024f\u0370-\u052f]", unit) is not None
    return s + (" " if loc == "en" and letter else "") + unit


def squash(s):
    return re.sub(r"\s+", "", s)


# ---- reading the PDF ---------------------------------------------------------------------

def strings(loc, name):
    with open(os.path.join(TEMPLATES, "locales", loc, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def pdf_pages(path):
    out = tool(["pdfinfo", path]).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else 0


def page_text(path, first=None, last=None, raw=True):
    args = ["pdftotext"] + (["-raw"] if raw else [])
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return tool(args + [path, "-"]).stdout


def outline_titles(path):
    p = tool(["qpdf", "--json", "--json-key=outlines", path])
    try:
        data = json.loads(p.stdout)
    except ValueError:
        return None
    titles = []

    def walk(items):
        for it in items:
            titles.append(it.get("title"))
            walk(it.get("kids", []))
    walk(data.get("outlines", []))
    return titles


def has_page_labels(path):
    p = tool(["qpdf", "--json", "--json-key=pagelabels", path])
    try:
        return len(json.loads(p.stdout).get("pagelabels", [])) > 0
    except ValueError:
        return False


def info(path):
    out = tool(["pdfinfo", path]).stdout
    d = {}
    for line in out.splitlines():
        k, _, v = line.partition(":")
        d[k.strip()] = v.strip()
    return d


def analyze(path, date, loc, templates=None):
    args = ["analyze", path, "--date", date, "--locale", loc]
    if templates:
        args += ["--templates", templates]
    return json.loads(run(args).stdout)


def render(path, date, loc, outdir, env=None, templates=None):
    args = ["annual", path, "--date", date, "--locale", loc, "-o", outdir, "--check-layout"]
    if templates:
        args += ["--templates", templates]
    p = run(args, env=env, ok=(0, 1))
    return p, p.stdout.strip().splitlines()[-1] if p.stdout.strip() else None


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
            value = "\u2014"
        elif not vpu.get(k["id"]):
            value = "\u2014"
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
    with open(os.path.join(TEMPLATES, "annual.json"), encoding="utf-8") as f:
        sections = [s["id"] for s in json.load(f)["sections"] if s.get("enabled", True)]
    want_titles = [ann[s]["bookmark"] for s in sections]
    check(outline_titles(pdf) == want_titles, f"{label}: bookmarks {outline_titles(pdf)} != {want_titles}")
    check(has_page_labels(pdf), f"{label}: page labels")
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
        p, pdf = render(src, "2026-01-15", loc, out)
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
    with open(os.path.join(tdir, "annual.json"), encoding="utf-8") as f:
        conf = json.load(f)
    secs = {s["id"]: s for s in conf["sections"]}
    order = ["cover", "plan", "outcomes", "usage", "service", "training", "milestones", "dialogue"]
    conf["sections"] = [secs[i] for i in order]
    secs["usage"]["enabled"] = False
    with open(os.path.join(tdir, "annual.json"), "w", encoding="utf-8") as f:
        json.dump(conf, f)
    out = os.path.join(tmp, "sections")
    os.makedirs(out)
    src = os.path.join(ROOT, "examples/northwind-distribution.json")
    p, pdf = render(src, "2025-10-09", "en", out, templates=tdir)
    check(p.returncode == 0, f"sections: rendered with a reordered annual.json: {p.stderr.strip()}")
    if pdf:
        ann = strings("en", "annual")
        want = [ann[s]["bookmark"] for s in order if s != "usage"]
        check(outline_titles(pdf) == want, f"sections: bookmarks follow annual.json {outline_titles(pdf)}")
        t = page_text(pdf)
        check(ann["usage"]["label"] not in t, "sections: a switched-off section is left out")


def main():
    if not shutil.which("pdftotext") or not shutil.which("qpdf"):
        print("0 passed, 1 failed\nFAIL pdftotext and qpdf are needed (apt-get install poppler-utils qpdf)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        for rel, date in CASES:
            src = os.path.join(ROOT, rel)
            with open(src, encoding="utf-8") as f:
                account = json.load(f)
            own = account["account"].get("locale", "en")
            for loc in (own, "zh-CN" if own == "en" else "en"):
                label = f"{os.path.basename(rel)} {loc}"
                out = os.path.join(tmp, f"{os.path.basename(rel)}-{loc}")
                os.makedirs(out)
                p, pdf = render(src, date, loc, out)
                check(p.returncode == 0, f"{label}: exit status {p.returncode}: {p.stderr.strip()}")
                check("layout:" not in p.stderr, f"{label}: layout findings: {p.stderr.strip()}")
                if not pdf or not os.path.exists(pdf):
                    check(False, f"{label}: no PDF written")
                    continue
                a = analyze(src, date, loc)
                check_document(pdf, a, loc, label, account)
            # Reproducible bytes: twice with SOURCE_DATE_EPOCH, twice without (the as-of
            # date is the document's time then).
            for with_sde in (True, False):
                env = dict(os.environ, SOURCE_DATE_EPOCH="1760000000") if with_sde else env_without_sde()
                outs = []
                for k in range(2):
                    out = os.path.join(tmp, f"repro-{os.path.basename(rel)}-{with_sde}-{k}")
                    os.makedirs(out)
                    _, pdf = render(src, date, own, out, env=env)
                    with open(pdf, "rb") as f:
                        outs.append(f.read())
                check(outs[0] == outs[1], f"{rel}: identical bytes on rerun (SOURCE_DATE_EPOCH {'set' if with_sde else 'unset'})")
                if not with_sde:
                    want = ("D:" + date.replace("-", "")).encode()
                    check(want in outs[0], f"{rel}: creation date {want!r} from the as-of date")
        check_pagination(tmp)
        check_sections(tmp)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
