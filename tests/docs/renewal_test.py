#!/usr/bin/python3
"""Renewal options sheet read back (pdftotext, pdfinfo, qpdf).

For every example and both stress accounts, in the account's locale and the other one,
`valuepack renewal --check-layout` must exit 0 with no layout finding, and the sheet must:
  - be one page and pass `qpdf --check`;
  - show every option `valuepack analyze` computes — price per year, term, total contract
    value and savings, each formatted as the sheet formats money (lib/format: "¥1,260,000",
    "$481,950", "GBP 329,596") — in that order on the option's card;
  - mark the recommended option ("Recommended" label on its card, the option named in the
    title) with the reason text of common.reason.*;
  - give the quote's validity date and the contract's end date, the value delivered this
    year and the health band;
  - carry metadata (title with the account, author = the CSM), one bookmark and page labels;
  - be byte-identical when rendered twice (with and without SOURCE_DATE_EPOCH).
Generated accounts check the limits: a bundle and three multi-year terms (five cards) still
fit one page side by side; a bundle and four terms (six cards) go in two rows without any
layout finding, cards, reason and dates on the first page (the notes may continue on a
second); an at-risk account recommends the standard option.
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
REASONS = {"at_risk": "at_risk", "bundle_offered": "bundle", "longest_term": "multi_year",
           "nothing_else_offered": "default"}
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL " + what)


def run(args, env=None, ok=(0,)):
    p = subprocess.run([BINARY] + args, capture_output=True, text=True, env=env)
    if p.returncode not in ok:
        raise RuntimeError(f"valuepack {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p


def tool(args):
    return subprocess.run(args, capture_output=True, text=True)


def money(v, currency):
    """vp_fmt_money: whole units, halves away from zero, thousands separators."""
    d = Decimal(repr(float(v))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sym = {"CNY": "\u00a5", "USD": "$"}.get(currency, currency + " ")
    body = f"{abs(d):,}"
    return (MINUS if d < 0 else "") + sym + body


def multiple(v):
    d = Decimal(repr(float(v))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{d:,}\u00d7"


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def fmt_date(iso, loc):
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日" if loc == "zh-CN" else f"{MONTHS[m - 1]} {d}, {y}"


def squash(s):
    return re.sub(r"\s+", "", s)


def strings(loc, name):
    with open(os.path.join(TEMPLATES, "locales", loc, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def pdf_pages(path):
    m = re.search(r"^Pages:\s+(\d+)", tool(["pdfinfo", path]).stdout, re.M)
    return int(m.group(1)) if m else 0


def text_of(path, page=None):
    first = ["-f", str(page), "-l", str(page)] if page else []
    return tool(["pdftotext", "-raw"] + first + [path, "-"]).stdout


def info(path):
    d = {}
    for line in tool(["pdfinfo", path]).stdout.splitlines():
        k, _, v = line.partition(":")
        d[k.strip()] = v.strip()
    return d


def qpdf_json(path, key):
    try:
        return json.loads(tool(["qpdf", "--json", "--json-key=" + key, path]).stdout).get(key)
    except ValueError:
        return None


def analyze(path, date, loc):
    return json.loads(run(["analyze", path, "--date", date, "--locale", loc]).stdout)


def render(path, date, loc, outdir, env=None):
    p = run(["renewal", path, "--date", date, "--locale", loc, "-o", outdir, "--check-layout"],
            env=env, ok=(0, 1))
    lines = p.stdout.strip().splitlines()
    return p, lines[-1] if lines else None


def years_text(n, common):
    return common["units"]["year"] if n == 1 else common["units"]["years"].replace("{n}", str(n))


def option_labels(o, common):
    """The card's name as the sheet may write it: on one line, or tier and term on two."""
    tier = common["tier"][o["tier"]]
    if o["tier"] != "multi_year":
        return [tier]
    term = years_text(o["years"], common)
    one = common["tier"]["with_term"].replace("{tier}", tier).replace("{years}", term)
    return [one, tier + term]


def check_sheet(pdf, a, loc, label, account, one_page=True):
    common = strings(loc, "common")
    ren = strings(loc, "renewal")
    cur = a["account"]["currency"]
    check(tool(["qpdf", "--check", pdf]).returncode == 0, f"{label}: qpdf --check")
    if one_page:
        check(pdf_pages(pdf) == 1, f"{label}: one page (got {pdf_pages(pdf)})")
    else:
        check(pdf_pages(pdf) <= 2, f"{label}: at most two pages (got {pdf_pages(pdf)})")
    # Everything but the notes is on the first page.
    text = text_of(pdf, 1)
    sq = squash(text)
    card = ren["card"]
    for o in a["renewal"]["options"]:
        seq = (money(o["annual"], cur) + card["per_year"] + card["term"] + years_text(o["years"], common)
               + card["total"] + money(o["total"], cur) + card["savings"] + money(o["savings"], cur))
        check(squash(seq) in sq, f"{label}: {o['tier']} {o['years']}y card reads {seq!r}")
    rec = next(o for o in a["renewal"]["options"]
               if o["tier"] == a["renewal"]["recommended"] and o["years"] == a["renewal"]["recommended_years"])
    marked = any(squash("\u2605" + card["recommended"] + name) in sq for name in option_labels(rec, common))
    check(marked, f"{label}: the {rec['tier']} card is marked recommended")
    check(sq.count(squash(card["recommended"])) == 1, f"{label}: exactly one card marked recommended")
    titled = any(squash(ren["title"].replace("{option}", name).replace("{annual}", money(rec["annual"], cur))) in sq
                 for name in [option_labels(rec, common)[0]])
    check(titled, f"{label}: the title names the recommended option and its price")
    reason = common["reason"][REASONS[a["renewal"]["reason"]]]
    check(squash(reason) in sq, f"{label}: reason {reason!r}")
    valid = fmt_date(a["renewal"]["valid_until"], loc)
    check(squash(ren["valid_until"] + valid) in sq, f"{label}: valid until {valid}")
    end = fmt_date(a["account"]["contract_end"], loc)
    check(squash(ren["contract_end"] + end) in sq, f"{label}: contract ends {end}")
    v = a["value"]
    if v["total"] is not None:
        check(squash(money(v["total"], cur)) in sq, f"{label}: value delivered {money(v['total'], cur)}")
        if v["roi"] is not None:
            check(multiple(v["roi"]) in text, f"{label}: ROI {multiple(v['roi'])}")
    else:
        check(squash(ren["value_line_none"]) in sq, f"{label}: value line says no data")
    band = a["health"]["band"]
    if band:
        check(squash(common["band"][band]) in sq, f"{label}: health band {band}")
    inf = info(pdf)
    check(account["account"]["name"] in inf.get("Title", ""), f"{label}: title metadata {inf.get('Title')!r}")
    csm = account["account"].get("team", {}).get("csm", {}).get("name")
    if csm:
        check(inf.get("Author") == csm, f"{label}: author {inf.get('Author')!r}")
    outl = qpdf_json(pdf, "outlines") or []
    check([o.get("title") for o in outl] == [ren["bookmark"]], f"{label}: bookmark {outl!r}")
    check(bool(qpdf_json(pdf, "pagelabels")), f"{label}: page labels")
    return rec


def generated(tmp, name, terms, loc, at_risk=False):
    """hdjm with its terms replaced: multi-year `terms`, the bundle kept; or at risk."""
    with open(os.path.join(ROOT, "examples/hdjm-discrete-manufacturing.json"), encoding="utf-8") as f:
        acct = json.load(f)
    acct["account"]["locale"] = loc
    acct["renewal"]["multi_year"] = [{"years": y, "discount_pct": d} for y, d in terms]
    if at_risk:
        # Nobody uses the system and tickets miss the SLA: the band is at_risk.
        for u in acct["usage"]:
            u["active_monthly"], u["active_weekly"], u["active_daily"] = 5, 3, 1
            u["modules"] = {k: 0.01 for k in u["modules"]}
        for s in acct["support"]:
            s["sla_met_pct"], s["csat"] = 40, 1.5
        for k in acct["kpis"]:
            k["actuals"] = [{"period": x["period"], "value": k["baseline"]} for x in k["actuals"]]
    path = os.path.join(tmp, name + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(acct, f, ensure_ascii=False)
    return path, acct


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
                check_sheet(pdf, analyze(src, date, loc), loc, label, account)
            for with_sde in (True, False):
                env = dict(os.environ)
                if with_sde:
                    env["SOURCE_DATE_EPOCH"] = "1760000000"
                else:
                    env.pop("SOURCE_DATE_EPOCH", None)
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

        # Five cards (A, B, C x3) side by side on one page; six cards in two rows.
        for loc in ("zh-CN", "en"):
            for name, terms, cards in (("five", [(2, 6), (3, 10), (5, 14)], 5),
                                       ("six", [(2, 6), (3, 10), (4, 12), (5, 14)], 6)):
                src, acct = generated(tmp, f"{name}-{loc}", terms, loc)
                out = os.path.join(tmp, f"gen-{name}-{loc}")
                os.makedirs(out)
                p, pdf = render(src, "2025-10-09", loc, out)
                label = f"{cards} cards {loc}"
                check(p.returncode == 0 and "layout:" not in p.stderr, f"{label}: clean layout: {p.stderr.strip()}")
                a = analyze(src, "2025-10-09", loc)
                check(len(a["renewal"]["options"]) == cards, f"{label}: {cards} options computed")
                # Five cards stay on one page; with six the notes may continue on a second.
                check_sheet(pdf, a, loc, label, acct, one_page=cards == 5)
            # An account at risk recommends the standard option (A).
            src, acct = generated(tmp, f"risk-{loc}", [(2, 6), (3, 10)], loc, at_risk=True)
            out = os.path.join(tmp, f"gen-risk-{loc}")
            os.makedirs(out)
            p, pdf = render(src, "2025-10-09", loc, out)
            a = analyze(src, "2025-10-09", loc)
            check(a["health"]["band"] == "at_risk", f"risk {loc}: the generated account is at risk")
            rec = check_sheet(pdf, a, loc, f"risk {loc}", acct)
            check(rec["tier"] == "standard", f"risk {loc}: recommends standard, not {rec['tier']}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
