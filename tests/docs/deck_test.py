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
import shutil
import sys
import tempfile

from vpdocs import (ROOT, TEMPLATES, analyze, cases, check, check_reader_clean, env_with_sde, env_without_sde,
                    fmt_number, fmt_value, info, load_json, locales, need_tools, page_text,
                    qpdf_json, run, squash, strings, summary, tool)


def accounts():
    """(path, as-of date, extra args) of every example and stress account and two earlier
    report periods (a quarter; a month of a fiscal year starting in April): the cases of
    tests/golden/cases.txt but those that only change the locale (each deck is drawn in
    both locales anyway)."""
    return [(os.path.join(ROOT, rel), date, extra) for rel, date, extra in cases()
            if "--locale" not in extra]


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
    slides = load_json(os.path.join(templates, "qbr.json"))["slides"]
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

def outlines(j):
    return j.get("outlines") or []


def render(path, date, outdir, extra=(), env=None):
    os.makedirs(outdir, exist_ok=True)
    p = run(["qbr", path, "--date", date, "-o", outdir, "--check-layout", "--quiet"] + list(extra),
            env=env, ok=None)
    pdfs = glob.glob(os.path.join(outdir, "*-qbr.pdf"))
    return p, (pdfs[0] if pdfs else None)


# ---- the checks ------------------------------------------------------------------------------

def check_deck(path, date, extra, loc, tmp):
    name = f"{os.path.basename(path)} {' '.join(extra)} [{loc}]"
    acc = load_json(path)
    a = analyze(path, date, loc, extra)
    outdir = os.path.join(tmp, os.path.basename(path) + "." + loc + "".join(extra))
    p, pdf = render(path, date, outdir, ["--locale", loc] + extra)
    if not check(p.returncode == 0 and pdf, f"{name}: qbr --check-layout exited {p.returncode}: {p.stderr.strip()[:2000]}"):
        return
    check("layout:" not in p.stderr, f"{name}: layout findings: {p.stderr[:500]}")
    q = tool(["qpdf", "--check", pdf])
    check(q.returncode == 0, f"{name}: qpdf --check: {q.stdout[-300:]} {q.stderr[-300:]}")
    check_reader_clean(pdf, name)

    j = qpdf_json(pdf)
    pages = j.get("pages") or []
    secs = expected_sections(a, acc, TEMPLATES)
    want = sum(n for _, n in secs)
    check(len(pages) == want, f"{name}: {len(pages)} pages, expected {want} ({secs})")

    # 16:9 slides
    size = info(pdf).get("Page size", "")
    check(size.startswith("960 x 540"), f"{name}: page size {size}")

    text = squash(page_text(pdf, raw=False))
    qbr = strings(loc, "qbr")
    acc_name = acc["account"]["name"]
    check(squash(acc_name)[:12] in text, f"{name}: account name missing")
    for k in a["kpis"]:
        if k["headline"]:
            check(squash(k["headline"]) in text, f"{name}: headline missing: {k['headline']}")
        for field in ("baseline", "target", "actual"):
            if k[field] is not None:
                s = fmt_value(k[field])
                check(s in text, f"{name}: {k['id']} {field} {s} missing")
    score = a["health"]["score"]
    if score is not None:
        check(fmt_number(score, 1) in text, f"{name}: health score {fmt_number(score, 1)} missing")

    # footer n/N on every slide but the cover
    per_page = [page_text(pdf, i, raw=False) for i in range(1, len(pages) + 1)]
    first_cover = 1 if secs and secs[0][0] == "cover" else 0
    for i, t in enumerate(per_page, 1):
        if i == first_cover:
            continue
        check(f"{i}/{len(pages)}" in squash(t), f"{name}: page {i} has no footer {i}/{len(pages)}")

    # bookmarks: one per section on its first slide, in order; every slide reachable
    ol = outlines(j)
    labels = [qbr["section"][sid] for sid, _ in secs]
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
    check(squash(acc_name)[:8] in squash(inf.get("Title", "")), f"{name}: title {inf.get('Title')!r}")


def check_reproducible(tmp):
    env = env_with_sde()
    for ex in ("hdjm-discrete-manufacturing.json", "northwind-distribution.json"):
        path = os.path.join(ROOT, "examples", ex)
        blobs = []
        for i in range(2):
            _, pdf = render(path, "2025-10-09", os.path.join(tmp, f"repro{i}.{ex}"), env=env)
            blobs.append(open(pdf, "rb").read() if pdf else None)
        check(blobs[0] is not None and blobs[0] == blobs[1], f"{ex}: two runs with SOURCE_DATE_EPOCH differ")
    # without SOURCE_DATE_EPOCH the report's own date stands in: reruns are identical too
    env = env_without_sde()
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
    q = load_json(qp)
    edit(q)
    with open(qp, "w", encoding="utf-8") as f:
        json.dump(q, f, ensure_ascii=False, indent=1)
    return dst


def check_templates(tmp):
    path = os.path.join(ROOT, "examples", "hdjm-discrete-manufacturing.json")
    acc = load_json(path)
    a = analyze(path, "2025-10-09")
    qbr = strings("zh-CN", "qbr")

    def disable_health(q):
        for s in q["slides"]:
            if s["id"] == "health":
                s["enabled"] = False
    tdir = copy_templates(tmp, "tpl-nohealth", disable_health)
    p, pdf = render(path, "2025-10-09", os.path.join(tmp, "nohealth"), ["--templates", tdir])
    if check(p.returncode == 0 and pdf, f"disabled slide: qbr exited {p.returncode}: {p.stderr[:500]}"):
        j = qpdf_json(pdf)
        want = sum(n for _, n in expected_sections(a, acc, tdir))
        full = sum(n for _, n in expected_sections(a, acc, TEMPLATES))
        check(len(j["pages"]) == want == full - 1, f"disabled slide: {len(j['pages'])} pages, expected {want} (full deck {full})")
        titles = [o.get("title") for o in outlines(j)]
        check(qbr["section"]["health"] not in titles, f"disabled slide: health bookmark still there: {titles}")
        check(squash(qbr["health"]["components"]) not in squash(page_text(pdf, raw=False)),
              "disabled slide: health slide text still there")

    # rows_per_slide: 40 KPIs at 5 rows per slide take 8 scorecard slides (4 by default)
    stress = os.path.join(ROOT, "tests", "data", "stress-40kpi.json")

    def rows5(q):
        for s in q["slides"]:
            if s["id"] == "scorecard":
                s["options"] = {"rows_per_slide": 5}
    tdir = copy_templates(tmp, "tpl-rows5", rows5)
    p, pdf = render(stress, "2025-10-09", os.path.join(tmp, "rows5"), ["--templates", tdir])
    if check(p.returncode == 0 and pdf, f"rows_per_slide: qbr exited {p.returncode}: {p.stderr[:300]}"):
        ol = outlines(qpdf_json(pdf))
        en = strings("en", "qbr")
        sc = [o for o in ol if o.get("title") == en["section"]["scorecard"]]
        kids = len(sc[0].get("kids") or []) if sc else -1
        check(kids == 8, f"rows_per_slide 5: the scorecard took {kids} slides, expected 8")


def check_emoji(tmp):
    src = os.path.join(ROOT, "examples", "minimal.json")
    acc = load_json(src)
    acc["account"]["name"] = "Minimal \U0001F600 Co."
    path = os.path.join(tmp, "emoji.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(acc, f, ensure_ascii=False)
    outdir = os.path.join(tmp, "emoji-out")
    os.makedirs(outdir)
    p = run(["qbr", path, "--date", "2025-10-09", "-o", outdir], ok=None)
    check(p.returncode in (1, 2), f"emoji: exit {p.returncode}, expected 1 or 2")
    check("U+1F600" in p.stderr, f"emoji: message does not name U+1F600: {p.stderr.strip()}")
    check("account.name" in p.stderr, f"emoji: message does not name the field: {p.stderr.strip()}")
    check(os.listdir(outdir) == [], f"emoji: files written: {os.listdir(outdir)}")


def main():
    if not need_tools("pdftotext", "qpdf", "pdfinfo"):
        return 1
    with tempfile.TemporaryDirectory(prefix="vp-deck-") as tmp:
        for path, date, extra in accounts():
            for loc in locales(load_json(path)):
                check_deck(path, date, extra, loc, tmp)
        check_reproducible(tmp)
        check_templates(tmp)
        check_emoji(tmp)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
