#!/usr/bin/env python3
"""Generate a synthetic portfolio of account files for batch tests and benchmarks.

    tools/gen_portfolio.py OUT_DIR [-n 1000] [--seed 7] [--large-every 0]

Deterministic for a given seed. Each account is one of the realistic examples in examples/
(zh-CN and en mixed as they are), re-identified (SYN-000001 ...), renamed, with its ARR,
KPI actuals, usage and support numbers varied (never making the file invalid: targets stay
on their side of the baseline, shares stay in 0..1). --large-every K makes every K-th
account a very large one (40 KPIs x 8 quarters, like tests/data/stress-40kpi.json).
Standard library only.
"""
import argparse
import copy
import json
import os
import random

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TEMPLATES = ["hdjm-discrete-manufacturing.json", "northwind-distribution.json",
             "lmjp-retail-at-risk.json", "contoso-fy-april.json", "qlsp-process-manufacturing.json"]
ZH_PREFIX = ["华东", "华南", "华北", "西南", "东海", "江南", "中原", "北方", "长江", "珠江"]
ZH_CORE = ["精密", "智造", "食品", "物流", "零售", "电子", "材料", "医药", "汽配", "家居"]
ZH_SUFFIX = ["有限公司", "股份有限公司", "集团有限公司"]
EN_FIRST = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Adatum", "Proseware",
            "Woodgrove", "Lucerne", "Margie's"]
EN_SECOND = ["Distribution", "Foods", "Logistics", "Retail", "Manufacturing", "Partners",
             "Health", "Supply", "Industries", "Services"]
EN_SUFFIX = ["Ltd", "Inc.", "GmbH", "LLC", "plc"]


def vary(rng, x, spread):
    return x * (1 + rng.uniform(-spread, spread))


def mutate(rng, acc, i):
    acc["account"]["id"] = "SYN-%06d" % i
    zh = acc["account"].get("locale") == "zh-CN"
    if zh:
        acc["account"]["name"] = rng.choice(ZH_PREFIX) + rng.choice(ZH_CORE) + rng.choice(ZH_SUFFIX)
    else:
        acc["account"]["name"] = "%s %s %s" % (rng.choice(EN_FIRST), rng.choice(EN_SECOND), rng.choice(EN_SUFFIX))
    c = acc["contract"]
    c["arr"] = round(vary(rng, c["arr"], 0.5))
    for k in acc.get("kpis", []):
        span = abs(k["target"] - k["baseline"]) or abs(k["baseline"]) * 0.1 or 1
        for a in k.get("actuals", []):
            a["value"] = round(a["value"] + rng.uniform(-0.25, 0.25) * span, 2)
            if k.get("unit") == "%":
                a["value"] = min(100, max(0, a["value"]))
    for u in acc.get("usage", []):
        lic = u.get("licensed_users", c.get("licensed_users", 100))
        m = min(lic, max(1, round(vary(rng, u.get("active_monthly", lic * 0.7), 0.2))))
        u["active_monthly"] = m
        if "active_weekly" in u:
            u["active_weekly"] = min(m, round(vary(rng, u["active_weekly"], 0.2)))
        if "active_daily" in u:
            u["active_daily"] = min(u.get("active_weekly", m), round(vary(rng, u["active_daily"], 0.2)))
        for code in list(u.get("modules", {})):
            u["modules"][code] = round(min(1, max(0, vary(rng, u["modules"][code], 0.25))), 2)
    for s in acc.get("support", []):
        if "sla_met_pct" in s:
            s["sla_met_pct"] = round(min(100, max(50, vary(rng, s["sla_met_pct"], 0.08))), 1)
        if "csat" in s:
            s["csat"] = round(min(5, max(1, vary(rng, s["csat"], 0.12))), 1)
    return acc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--large-every", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    bases = []
    for name in TEMPLATES:
        with open(os.path.join(ROOT, "examples", name), encoding="utf-8") as f:
            bases.append(json.load(f))
    with open(os.path.join(ROOT, "tests", "data", "stress-40kpi.json"), encoding="utf-8") as f:
        large = json.load(f)
    os.makedirs(args.out, exist_ok=True)
    for i in range(1, args.n + 1):
        base = large if args.large_every and i % args.large_every == 0 else bases[rng.randrange(len(bases))]
        acc = mutate(rng, copy.deepcopy(base), i)
        acc.pop("$schema", None)
        with open(os.path.join(args.out, "SYN-%06d.json" % i), "w", encoding="utf-8") as f:
            json.dump(acc, f, ensure_ascii=False, separators=(",", ":"))
    print("%d accounts written to %s" % (args.n, args.out))


if __name__ == "__main__":
    main()
