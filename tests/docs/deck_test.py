#!/usr/bin/python3
"""QBR deck read back (valuepack qbr) with poppler's pdftotext and qpdf.

For every example and both stress accounts, in the account's own locale and in the other
one (--locale):
  - `valuepack qbr --check-layout` exits 0: no text overflows its box, no boxes overlap;
  - `qpdf --check` passes; the pages are 960 x 540 pt;
  - the page count is what the deck's rules give for this account (expected_pages below,
    the rules of lib/render/deck.h, computed from `valuepack analyze`, the account file
    and report_templates/qbr.json);
  - the text holds every KPI headline sentence, each KPI's baseline, target and actual as
    formatted (lib/format: thousands separators, up to 2 decimals, U+2212 minus), the
    health score, the account name and the footer's "n/N" on every slide but the cover;
  - a bookmark per section in order (on its first slide) and every slide reachable from a
    bookmark; document title and author (the CSM) set.
Then: two runs with SOURCE_DATE_EPOCH give identical bytes; a slide disabled in a copy of
the templates disappears (page count, bookmarks, text); rows_per_slide changes how the
scorecard continues; an account whose name holds an emoji fails with exit 1 or 2, names
U+1F600 and writes no file.

pdftotext may insert spaces or line breaks inside CJK text and wrapped lines: all
whitespace is removed before comparing.
Prints "N passed, N failed"; exits 1 when any check failed.
"""
import glob
import json
import math
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

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL " + what)
    return cond


def run(args, env=None):
    return subprocess.run([BINARY] + args, capture_output=True, text=True, env=env)


def accounts():
    """(path, as-of date, extra args) of every example and stress account, and two
    earlier report periods (a quarter; a month of a fiscal year starting in April)."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "*.json"))):
        date = "2026-01-15" if "contoso" in os.path.basename(path) else "2025-10-09"
        out.append((path, date, []))
    for name in ("stress-40kpi.json", "stress-40kpi-zh.json"):
        out.append((os.path.join(ROOT, "tests", "data", name), "2025-10-09", []))
    out.append((os.path.join(ROOT, "examples", "hdjm-discrete-manufacturing.json"), "2025-10-09",
                ["--period", "2025-Q2"]))
    out.append((os.path.join(ROOT, "examples", "contoso-fy-april.json"), "2026-01-15",
                ["--period", "2025-11"]))
    return out


def norm(s):
    return re.sub(r"\s+", "", s or "")


# ---- formatting as lib/format does it -------------------------------------------------------

def fmt_value(v, decimals=2):
    """vp_fmt_value: up to `decimals` decimals, trailing zeros dropped, thousands
    separators, U+2212 minus, never "-0"."""
    d = Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    neg = d < 0
    d = abs(d)
    s = f"{d:,.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s == "0":
        neg = False
    return ("\u2212" if neg else "") + s


def fmt_fixed(v, decimals):
    d = Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    s = f"{abs(d):,.{decimals}f}"
    return ("\u2212" if d < 0 and s.strip("0.,") else "") + s


# ---- the deck's page-count rules (lib/render/deck.h) -------------------------------------

def period_end(p, fy_start):
    """Last day of "YYYY-Qn" (fiscal, starting in month fy_start) or "YYYY-MM"."""
    import datetime
    y, rest = p.split("-")
    y = int(y)
    if rest.startswith("Q"):
        first = fy_start + 3 * (int(rest[1]) - 1)       # month index from the fiscal start
        year = y + (first - 1) // 12
        month = (first - 1) % 12 + 1
        month += 2
        year += (month - 1) // 12
        month = (month - 1) % 12 + 1
    else:
        year, month = y, int(rest)
    nxt = datetime.date(year + month // 12, month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def layout_options(templates):
    with open(os.path.join(templates, "qbr.json"), encoding="utf-8") as f:
        slides = json.load(f)["slides"]
    return [(s["id"], s.get("enabled", True), s.get("options") or {}) for s in slides]


def opt(options, name, default):
    v = options.get(name, default)
    return int(v) if isinstance(v, (int, float)) and 1 <= v <= 1000 else default


def parts(n, per):
    return max(1, math.ceil(n / per)) if per else 1


def section_pages(sid, options, a, acc):
    """Slides a section takes (0 = left out) for analyze output a and account file acc."""
    import datetime
    fy = acc["account"].get("fiscal_year_start_month", 1)
    pend = datetime.date.fromisoformat(a["period_end"])
    as_of = datetime.date.fromisoformat(a["lifecycle"]["as_of"])
    kpis = a["kpis"]
    if sid in ("cover", "agenda", "executive_summary", "health"):
        return 1
    if sid == "scorecard":
        return parts(len(kpis), opt(options, "rows_per_slide", 10)) if kpis else 0
    if sid == "kpi_trends":
        m = sum(1 for k in kpis if k["trend"])
        if m == 0:
            return 0
        per = opt(options, "charts_per_slide", 0)
        if per == 0:
            per = 1 if m <= 4 else 2 if m <= 8 else 4
        return parts(m, min(per, 4))
    if sid == "milestones":
        n = len(acc.get("milestones") or [])
        return parts(n, opt(options, "rows_per_slide", 8)) if n else 0
    if sid == "adoption":
        return 1 if any(period_end(u["period"], fy) <= pend for u in acc.get("usage") or []) else 0
    if sid == "support":
        return 1 if any(period_end(s["period"], fy) <= pend for s in acc.get("support") or []) else 0
    if sid == "training":
        return 1 if any("date" not in t or datetime.date.fromisoformat(t["date"]) <= as_of
                        for t in acc.get("training") or []) else 0
    if sid == "champions":
        n = len(acc.get("champions") or [])
        return parts(n, opt(options, "max_entries", 6)) if n else 0
    if sid == "best_practices":
        return 1 if a.get("best_practices") else 0
    if sid == "opportunities":
        return parts(len(acc.get("opportunities") or []), opt(options, "rows_per_slide", 6))
    if sid == "plan":
        n = len(acc.get("plan") or []) + len(a["lifecycle"]["actions"])
        return parts(n, opt(options, "rows_per_slide", 9))
    raise ValueError(sid)


def expected_sections(a, acc, templates):
    """[(id, pages)] of the sections drawn, in order."""
    out = []
    for sid, enabled, options in layout_options(templates):
        if enabled:
            n = section_pages(sid, options, a, acc)
            if n:
                out.append((sid, n))
    return out


# ---- reading the PDF ------------------------------------------------------------------------

def pdf_text(path):
    p = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True)
    return p.stdout


def pdf_pages_text(path, n):
    return [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), path, "-"],
                           capture_output=True, text=True).stdout for i in range(1, n + 1)]


def pdf_json(path):
    p = subprocess.run(["qpdf", "--json", path], capture_output=True, text=True)
    return json.loads(p.stdout)


def outlines(j):
    return j.get("outlines") or []


def info(path):
    p = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
    d = {}
    for line in p.stdout.splitlines():
        k, _, v = line.partition(":")
        d[k.strip()] = v.strip()
    return d


def qbr_strings(loc):
    with open(os.path.join(TEMPLATES, "locales", loc, "qbr.json"), encoding="utf-8") as f:
        return json.load(f)


def render(path, date, outdir, extra=(), env=None):
    os.makedirs(outdir, exist_ok=True)
    p = run(["qbr", path, "--date", date, "-o", outdir, "--check-layout", "--quiet"] + list(extra), env=env)
    pdfs = glob.glob(os.path.join(outdir, "*-qbr.pdf"))
    return p, (pdfs[0] if pdfs else None)


# ---- the checks ------------------------------------------------------------------------------

def check_deck(path, date, extra, loc, tmp):
    name = f"{os.path.basename(path)} {' '.join(extra)} [{loc}]"
    with open(path, encoding="utf-8") as f:
        acc = json.load(f)
    a = json.loads(run(["analyze", path, "--date", date, "--locale", loc] + extra).stdout)
    outdir = os.path.join(tmp, os.path.basename(path) + "." + loc + "".join(extra))
    p, pdf = render(path, date, outdir, ["--locale", loc] + extra)
    if not check(p.returncode == 0 and pdf, f"{name}: qbr --check-layout exited {p.returncode}: {p.stderr.strip()[:2000]}"):
        return
    check("layout:" not in p.stderr, f"{name}: layout findings: {p.stderr[:500]}")
    q = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    check(q.returncode == 0, f"{name}: qpdf --check: {q.stdout[-300:]} {q.stderr[-300:]}")

    j = pdf_json(pdf)
    pages = j.get("pages") or []
    secs = expected_sections(a, acc, TEMPLATES)
    want = sum(n for _, n in secs)
    check(len(pages) == want, f"{name}: {len(pages)} pages, expected {want} ({secs})")

    # 16:9 slides
    size = info(pdf).get("Page size", "")
    check(size.startswith("960 x 540"), f"{name}: page size {size}")

    text = norm(pdf_text(pdf))
    strings = qbr_strings(loc)
    acc_name = acc["account"]["name"]
    check(norm(acc_name)[:12] in text, f"{name}: account name missing")
    for k in a["kpis"]:
        if k["headline"]:
            check(norm(k["headline"]) in text, f"{name}: headline missing: {k['headline']}")
        for field in ("baseline", "target", "actual"):
            if k[field] is not None:
                s = fmt_value(k[field])
                check(s in text, f"{name}: {k['id']} {field} {s} missing")
    score = a["health"]["score"]
    if score is not None:
        check(fmt_fixed(score, 1) in text, f"{name}: health score {fmt_fixed(score, 1)} missing")

    # footer n/N on every slide but the cover
    per_page = pdf_pages_text(pdf, len(pages))
    first_cover = 1 if secs and secs[0][0] == "cover" else 0
    for i, t in enumerate(per_page, 1):
        if i == first_cover:
            continue
        check(f"{i}/{len(pages)}" in norm(t), f"{name}: page {i} has no footer {i}/{len(pages)}")

    # bookmarks: one per section on its first slide, in order; every slide reachable
    ol = outlines(j)
    labels = [strings["section"][sid] for sid, _ in secs]
    check([o.get("title") for o in ol] == labels,
          f"{name}: bookmarks {[o.get('title') for o in ol]} != {labels}")
    first = 1
    for (sid, n), o in zip(secs, ol):
        check(o.get("destpageposfrom1") == first, f"{name}: bookmark {sid} on page {o.get('destpageposfrom1')}, expected {first}")
        check(len(o.get("kids") or []) == (n if n > 1 else 0), f"{name}: {sid} has {len(o.get('kids') or [])} child bookmarks for {n} slides")
        first += n
    reach = set()
    for o in ol:
        reach.add(o.get("destpageposfrom1"))
        for kid in o.get("kids") or []:
            reach.add(kid.get("destpageposfrom1"))
    check(reach == set(range(1, len(pages) + 1)), f"{name}: slides without a bookmark: {set(range(1, len(pages) + 1)) - reach}")

    inf = info(pdf)
    csm = ((acc["account"].get("team") or {}).get("csm") or {}).get("name")
    if csm:
        check(inf.get("Author") == csm, f"{name}: author {inf.get('Author')!r}, expected {csm!r}")
    check(norm(acc_name)[:8] in norm(inf.get("Title", "")), f"{name}: title {inf.get('Title')!r}")


def check_reproducible(tmp):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1760000000")
    for ex in ("hdjm-discrete-manufacturing.json", "northwind-distribution.json"):
        path = os.path.join(ROOT, "examples", ex)
        blobs = []
        for i in range(2):
            _, pdf = render(path, "2025-10-09", os.path.join(tmp, f"repro{i}.{ex}"), env=env)
            blobs.append(open(pdf, "rb").read() if pdf else None)
        check(blobs[0] is not None and blobs[0] == blobs[1], f"{ex}: two runs with SOURCE_DATE_EPOCH differ")
    # without SOURCE_DATE_EPOCH the report's own date stands in: reruns are identical too
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    path = os.path.join(ROOT, "examples", "minimal.json")
    blobs = []
    for i in range(2):
        _, pdf = render(path, "2025-10-09", os.path.join(tmp, f"repro-nosde{i}"), env=env)
        blobs.append(open(pdf, "rb").read() if pdf else None)
    check(blobs[0] is not None and blobs[0] == blobs[1], "minimal.json: two runs without SOURCE_DATE_EPOCH differ")


def copy_templates(tmp, name, edit):
    dst = os.path.join(tmp, name)
    shutil.copytree(TEMPLATES, dst)
    qp = os.path.join(dst, "qbr.json")
    with open(qp, encoding="utf-8") as f:
        q = json.load(f)
    edit(q)
    with open(qp, "w", encoding="utf-8") as f:
        json.dump(q, f, ensure_ascii=False, indent=1)
    return dst


def check_templates(tmp):
    path = os.path.join(ROOT, "examples", "hdjm-discrete-manufacturing.json")
    with open(path, encoding="utf-8") as f:
        acc = json.load(f)
    a = json.loads(run(["analyze", path, "--date", "2025-10-09"]).stdout)
    strings = qbr_strings("zh-CN")

    def disable_health(q):
        for s in q["slides"]:
            if s["id"] == "health":
                s["enabled"] = False
    tdir = copy_templates(tmp, "tpl-nohealth", disable_health)
    p, pdf = render(path, "2025-10-09", os.path.join(tmp, "nohealth"), ["--templates", tdir])
    if check(p.returncode == 0 and pdf, f"disabled slide: qbr exited {p.returncode}: {p.stderr[:500]}"):
        j = pdf_json(pdf)
        want = sum(n for _, n in expected_sections(a, acc, tdir))
        full = sum(n for _, n in expected_sections(a, acc, TEMPLATES))
        check(len(j["pages"]) == want == full - 1, f"disabled slide: {len(j['pages'])} pages, expected {want} (full deck {full})")
        titles = [o.get("title") for o in outlines(j)]
        check(strings["section"]["health"] not in titles, f"disabled slide: health bookmark still there: {titles}")
        check(norm(strings["health"]["components"]) not in norm(pdf_text(pdf)), "disabled slide: health slide text still there")

    # rows_per_slide: 40 KPIs at 5 rows per slide take 8 scorecard slides (4 by default)
    stress = os.path.join(ROOT, "tests", "data", "stress-40kpi.json")

    def rows5(q):
        for s in q["slides"]:
            if s["id"] == "scorecard":
                s["options"] = {"rows_per_slide": 5}
    tdir = copy_templates(tmp, "tpl-rows5", rows5)
    p, pdf = render(stress, "2025-10-09", os.path.join(tmp, "rows5"), ["--templates", tdir])
    if check(p.returncode == 0 and pdf, f"rows_per_slide: qbr exited {p.returncode}: {p.stderr[:300]}"):
        ol = outlines(pdf_json(pdf))
        en = qbr_strings("en")
        sc = [o for o in ol if o.get("title") == en["section"]["scorecard"]]
        kids = len(sc[0].get("kids") or []) if sc else -1
        check(kids == 8, f"rows_per_slide 5: the scorecard took {kids} slides, expected 8")


def check_emoji(tmp):
    src = os.path.join(ROOT, "examples", "minimal.json")
    with open(src, encoding="utf-8") as f:
        acc = json.load(f)
    acc["account"]["name"] = "Minimal \U0001F600 Co."
    path = os.path.join(tmp, "emoji.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(acc, f, ensure_ascii=False)
    outdir = os.path.join(tmp, "emoji-out")
    os.makedirs(outdir)
    p = run(["qbr", path, "--date", "2025-10-09", "-o", outdir])
    check(p.returncode in (1, 2), f"emoji: exit {p.returncode}, expected 1 or 2")
    check("U+1F600" in p.stderr, f"emoji: message does not name U+1F600: {p.stderr.strip()}")
    check("account.name" in p.stderr, f"emoji: message does not name the field: {p.stderr.strip()}")
    check(os.listdir(outdir) == [], f"emoji: files written: {os.listdir(outdir)}")


def main():
    for tool in ("pdftotext", "qpdf", "pdfinfo"):
        if not shutil.which(tool):
            print(f"deck_test: {tool} is not installed (apt-get install poppler-utils qpdf)")
            print("0 passed, 1 failed")
            return 1
    with tempfile.TemporaryDirectory(prefix="vp-deck-") as tmp:
        for path, date, extra in accounts():
            with open(path, encoding="utf-8") as f:
                own = json.load(f)["account"].get("locale", "en")
            for loc in (own, "en" if own == "zh-CN" else "zh-CN"):
                check_deck(path, date, extra, loc, tmp)
        check_reproducible(tmp)
        check_templates(tmp)
        check_emoji(tmp)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
