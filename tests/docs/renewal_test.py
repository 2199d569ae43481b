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
import sys
import tempfile

from vpdocs import (ROOT, analyze, check, check_examples, check_reader_clean, fmt_date, fmt_multiple, info,
                    load_json, money, need_tools, page_text, pdf_pages, qpdf_json, render_doc,
                    squash, strings, summary, tool)

REASONS = {"at_risk": "at_risk", "bundle_offered": "bundle", "longest_term": "multi_year",
           "nothing_else_offered": "default"}


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
    check_reader_clean(pdf, label)
    if one_page:
        check(pdf_pages(pdf) == 1, f"{label}: one page (got {pdf_pages(pdf)})")
    else:
        check(pdf_pages(pdf) <= 2, f"{label}: at most two pages (got {pdf_pages(pdf)})")
    # Everything but the notes is on the first page.
    text = page_text(pdf, 1)
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
            check(fmt_multiple(v["roi"]) in text, f"{label}: ROI {fmt_multiple(v['roi'])}")
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
    acct = load_json(os.path.join(ROOT, "examples/hdjm-discrete-manufacturing.json"))
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
    if not need_tools("pdftotext", "qpdf"):
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        check_examples("renewal", tmp, lambda pdf, src, date, loc, label, account:
                       check_sheet(pdf, analyze(src, date, loc), loc, label, account))

        # Five cards (A, B, C x3) side by side on one page; six cards in two rows.
        for loc in ("zh-CN", "en"):
            for name, terms, cards in (("five", [(2, 6), (3, 10), (5, 14)], 5),
                                       ("six", [(2, 6), (3, 10), (4, 12), (5, 14)], 6)):
                src, acct = generated(tmp, f"{name}-{loc}", terms, loc)
                out = os.path.join(tmp, f"gen-{name}-{loc}")
                os.makedirs(out)
                p, pdf = render_doc("renewal", src, "2025-10-09", loc, out)
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
            p, pdf = render_doc("renewal", src, "2025-10-09", loc, out)
            a = analyze(src, "2025-10-09", loc)
            check(a["health"]["band"] == "at_risk", f"risk {loc}: the generated account is at risk")
            rec = check_sheet(pdf, a, loc, f"risk {loc}", acct)
            check(rec["tier"] == "standard", f"risk {loc}: recommends standard, not {rec['tier']}")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
