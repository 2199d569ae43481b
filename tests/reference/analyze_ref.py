#!/usr/bin/python3
"""analyze_ref.py — an independent reference implementation of valuepack's SPEC §3.

It reads one account file (valuepack/account@1) and the health model in
report_templates/health.json and computes, written from the specification alone (it shares
no code with lib/compute), the numbers `valuepack analyze` prints:

  period, kpis[].{id, baseline, target, actual, actual_period, delta, delta_pct, progress,
  expected, status, value}, value.{total, roi}, health.{score, band, previous, alert,
  components[{id, score, weight}]}, renewal.{recommended, options[{tier, years, annual,
  total, savings}]}, lifecycle.{as_of, stage, days_to_renewal, time_to_first_value_days,
  first_value_on_time, qbrs_held, qbrs_expected}

It is an oracle for tests: standard library only, exact arithmetic where the SPEC asks for
it (money in decimal.Decimal from the file's own digits, rounded half away from zero; ratios
and the health score in fractions.Fraction, so comparisons such as "progress >= expected -
0.10" and the one-decimal rounding of the score have no binary noise at all).

Usage:
  analyze_ref.py ACCOUNT.json [--templates DIR] [--period P] [--date YYYY-MM-DD]
                 [--compare ANALYZE.json] [--quiet]

Without --compare it prints its result as JSON. With --compare it reads an analyze output
(a file, or - for stdin) and prints every difference: money and counts must be equal, ratios
within 1e-6; exit status 1 when anything differs, 0 when all agree, 2 on a usage or input
error. The as-of date is --date, else SOURCE_DATE_EPOCH (UTC date), else today.

Choices where the SPEC leaves room (the lead's decisions):
  * default period P: the latest period (by its last day; a quarter wins a tie with a month)
    among kpis[].actuals, usage and support; none at all -> the fiscal quarter holding the
    as-of date;
  * a KPI's actual: the latest actual (same ordering) whose period ends on or before P's end;
  * expected: days(baseline_date -> end of P) / days(baseline_date -> target_date), clamped
    to 0..1, defaults contract start / end; a denominator <= 0 gives 1 when the numerator is
    >= 0, else 0. `expected` is reported for KPIs without data too (it needs no actual);
  * health: usage/support entry for P = the entry whose period equals P, else the latest
    entry whose period lies inside P. adoption = min(1, active_monthly / licensed_users)
    with the entry's licensed_users, else contract.licensed_users (no data when neither, or
    when it is 0, or active_monthly is absent); stickiness = min(1, (daily/monthly) /
    target) (no data without both, or monthly = 0); breadth = mean over contract.modules of
    min(1, share / target), a module absent from usage.modules scores 0 (no data when the
    contract lists no modules or the usage entry has no "modules" object); outcomes = mean
    of clamp(progress, 0, 1) over KPIs with an actual; support = sla_met_pct / 100;
    sentiment = (csat - 1) / 4 (both clamped to 0..1). score = 100 * sum(w*s) / sum(w) over
    components with data, rounded to 1 decimal half away from zero; previous = the same at
    the period before P (same kind); alert = band is alert_band or previous - score >=
    alert_drop (on the rounded scores);
  * renewal: exact decimal, ROUND_HALF_UP (= halves away from zero) to whole units;
  * lifecycle: whole months as lib's calendar rule (a month is complete on the same
    day-of-month, or on the last day of a shorter month); qbrs_expected = whole months // 3
    (0 when the as-of date is before the start); qbrs_held counts kind "qbr" dated <= as-of;
    time_to_first_value_days uses the earliest `done` of any milestone kind;
  * value.total is null (and roi with it) when no KPI has an actual in P; roi is null when
    arr is 0.
"""

import argparse
import datetime as dt
import json
import os
import sys
from decimal import Decimal, ROUND_HALF_UP, localcontext
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TEMPLATES = os.path.normpath(os.path.join(HERE, "..", "..", "report_templates"))

COMPONENTS = ["adoption", "stickiness", "breadth", "outcomes", "support", "sentiment"]


class InputError(Exception):
    pass


# ---- numbers --------------------------------------------------------------------------------

def dec(x):
    """The exact decimal of a JSON number (floats were parsed as Decimal already)."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool):
        raise InputError("expected a number, got a boolean")
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, float):  # not reached with parse_float=Decimal
        return Decimal(repr(x))
    raise InputError("expected a number, got %r" % (x,))


def frac(x):
    return Fraction(dec(x))


def round_money(x):
    """Whole units, halves away from zero, of an exact Decimal or Fraction."""
    if isinstance(x, Fraction):
        # floor(|x| + 1/2) = |x| rounded half up; then the sign back
        q = (abs(x.numerator) * 2 + x.denominator) // (2 * x.denominator)
        return q if x >= 0 else -q
    with localcontext() as ctx:
        ctx.prec = 60
        return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round1(x):
    """One decimal, halves away from zero, of an exact Fraction -> Fraction."""
    return Fraction(round_money(x * 10), 10)


def num_out(x):
    """A Fraction/Decimal as a JSON number (int when whole)."""
    if x is None:
        return None
    if isinstance(x, Fraction) and x.denominator == 1:
        return int(x.numerator)
    if isinstance(x, Decimal) and x == x.to_integral_value():
        return int(x)
    return float(x)


# ---- dates and periods ----------------------------------------------------------------------

def parse_date(s, where):
    if not isinstance(s, str) or len(s) != 10 or s[4] != "-" or s[7] != "-":
        raise InputError("%s: expected a date YYYY-MM-DD, got %r" % (where, s))
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise InputError("%s: impossible date %r" % (where, s))


def last_day(y, m):
    if m == 12:
        return dt.date(y, 12, 31)
    return dt.date(y, m + 1, 1) - dt.timedelta(days=1)


class Period:
    __slots__ = ("kind", "year", "num", "fy")

    def __init__(self, kind, year, num, fy):
        self.kind, self.year, self.num, self.fy = kind, year, num, fy

    @staticmethod
    def parse(s, fy, where="period"):
        if not isinstance(s, str) or len(s) != 7 or s[4] != "-" or not s[:4].isdigit():
            raise InputError("%s: expected YYYY-Qn or YYYY-MM, got %r" % (where, s))
        y = int(s[:4])
        if s[5] == "Q" and s[6] in "1234":
            return Period("Q", y, int(s[6]), fy)
        if s[5:].isdigit() and 1 <= int(s[5:]) <= 12:
            return Period("M", y, int(s[5:]), fy)
        raise InputError("%s: expected YYYY-Qn or YYYY-MM, got %r" % (where, s))

    def name(self):
        return "%04d-Q%d" % (self.year, self.num) if self.kind == "Q" else "%04d-%02d" % (self.year, self.num)

    def start(self):
        if self.kind == "M":
            return dt.date(self.year, self.num, 1)
        m0 = (self.fy - 1) + 3 * (self.num - 1)       # months after January of `year`
        return dt.date(self.year + m0 // 12, m0 % 12 + 1, 1)

    def end(self):
        if self.kind == "M":
            return last_day(self.year, self.num)
        m0 = (self.fy - 1) + 3 * (self.num - 1) + 2
        return last_day(self.year + m0 // 12, m0 % 12 + 1)

    def key(self):
        # by last day; a quarter sorts after a month ending the same day (it wins the tie)
        return (self.end(), 1 if self.kind == "Q" else 0)

    def prev(self):
        if self.kind == "Q":
            return Period("Q", self.year - 1, 4, self.fy) if self.num == 1 else Period("Q", self.year, self.num - 1, self.fy)
        return Period("M", self.year - 1, 12, self.fy) if self.num == 1 else Period("M", self.year, self.num - 1, self.fy)

    def within(self, other):
        return self.start() >= other.start() and self.end() <= other.end()

    def __eq__(self, other):
        return isinstance(other, Period) and (self.kind, self.year, self.num) == (other.kind, other.year, other.num)

    def __hash__(self):
        return hash((self.kind, self.year, self.num))


def quarter_of(d, fy):
    m0 = (d.year * 12 + d.month - 1) - (fy - 1)      # months since Jan of year 0, shifted
    fy_year, idx = divmod(m0, 12)
    return Period("Q", fy_year, idx // 3 + 1, fy)


def whole_months(a, b):
    if b < a:
        return -whole_months(b, a)
    months = (b.year - a.year) * 12 + (b.month - a.month)
    if b.day < a.day and b.day != last_day(b.year, b.month).day:
        months -= 1
    return months


# ---- the model ------------------------------------------------------------------------------

def load_json(path):
    try:
        if path == "-":
            return json.load(sys.stdin, parse_float=Decimal)
        with open(path, encoding="utf-8") as f:
            return json.load(f, parse_float=Decimal)
    except (OSError, ValueError) as e:
        raise InputError("%s: %s" % (path, e))


def load_health_model(templates):
    path = os.path.join(templates, "health.json")
    h = load_json(path)
    comps = h.get("components", {})
    weight, target = {}, {}
    for cid in COMPONENTS:
        c = comps.get(cid, {})
        weight[cid] = frac(c.get("weight", 0))
        target[cid] = frac(c["target"]) if "target" in c else Fraction(1)
    bands = sorted(((frac(b["min"]), b["id"]) for b in h.get("bands", [])), reverse=True)
    if not bands:
        raise InputError("%s: no bands" % path)
    return {"weight": weight, "target": target, "bands": bands,
            "alert_drop": frac(h.get("alert_drop", 10)),
            "alert_band": h.get("alert_band", "at_risk")}


def band_of(score, model):
    for mn, bid in model["bands"]:
        if score >= mn:
            return bid
    return model["bands"][-1][1]


class Account:
    def __init__(self, doc):
        if doc.get("schema") != "valuepack/account@1":
            raise InputError("schema: expected \"valuepack/account@1\"")
        a = doc["account"]
        self.doc = doc
        self.id, self.name = a["id"], a["name"]
        self.locale = a.get("locale", "en")
        self.currency = a.get("currency", "CNY" if self.locale == "zh-CN" else "USD")
        self.fy = int(a.get("fiscal_year_start_month", 1))
        c = doc["contract"]
        self.start = parse_date(c["start_date"], "contract.start_date")
        self.end = parse_date(c["end_date"], "contract.end_date")
        self.go_live = parse_date(c["go_live_date"], "contract.go_live_date") if c.get("go_live_date") else None
        self.arr = dec(c["arr"])
        self.licensed_users = dec(c["licensed_users"]) if c.get("licensed_users") is not None else None
        self.modules = [m["code"] for m in c.get("modules", []) or []]
        self.kpis = []
        for i, k in enumerate(doc.get("kpis", []) or []):
            where = "kpis[%d]" % i
            actuals = []
            for j, x in enumerate(k.get("actuals", []) or []):
                actuals.append((Period.parse(x["period"], self.fy, "%s.actuals[%d].period" % (where, j)), dec(x["value"])))
            actuals.sort(key=lambda pv: pv[0].key())
            self.kpis.append({
                "id": k["id"], "direction": k["direction"],
                "baseline": dec(k["baseline"]), "target": dec(k["target"]),
                "baseline_date": parse_date(k["baseline_date"], where + ".baseline_date") if k.get("baseline_date") else self.start,
                "target_date": parse_date(k["target_date"], where + ".target_date") if k.get("target_date") else self.end,
                "value_per_unit": dec(k["value_per_unit"]) if k.get("value_per_unit") is not None else None,
                "actuals": actuals,
            })
        self.usage = [(Period.parse(u["period"], self.fy, "usage[%d].period" % i), u)
                      for i, u in enumerate(doc.get("usage", []) or [])]
        self.support = [(Period.parse(s["period"], self.fy, "support[%d].period" % i), s)
                        for i, s in enumerate(doc.get("support", []) or [])]
        self.milestones = doc.get("milestones", []) or []
        self.engagements = doc.get("engagements", []) or []
        self.opportunities = doc.get("opportunities", []) or []
        self.renewal = doc.get("renewal") or {}

    def default_period(self, as_of):
        periods = [p for k in self.kpis for p, _ in k["actuals"]]
        periods += [p for p, _ in self.usage] + [p for p, _ in self.support]
        if not periods:
            return quarter_of(as_of, self.fy)
        return max(periods, key=lambda p: p.key())

    def entry_for(self, entries, p):
        for q, e in entries:
            if q == p:
                return e
        inside = [(q, e) for q, e in entries if q.within(p)]
        if not inside:
            return None
        # latest by period order; among equal periods the later one in the file
        best = None
        for q, e in inside:
            if best is None or q.key() >= best[0].key():
                best = (q, e)
        return best[1]


# ---- SPEC §3 pieces -------------------------------------------------------------------------

def kpi_compare(acc, k, p):
    s = 1 if k["direction"] == "increase" else -1
    base, target = k["baseline"], k["target"]
    pend = p.end()
    # expected (needs no actual)
    num = (pend - k["baseline_date"]).days
    den = (k["target_date"] - k["baseline_date"]).days
    if den <= 0:
        expected = Fraction(1) if num >= 0 else Fraction(0)
    else:
        expected = min(Fraction(1), max(Fraction(0), Fraction(num, den)))
    r = {"id": k["id"], "baseline": base, "target": target, "actual": None, "actual_period": None,
         "delta": None, "delta_pct": None, "progress": None, "expected": expected,
         "status": "no_data", "value": None, "_improvement": None}
    cand = [(q, v) for q, v in k["actuals"] if q.end() <= pend]
    if not cand:
        return r
    q, actual = cand[-1]
    improvement = s * (actual - base)
    delta = actual - base
    r["actual"], r["actual_period"], r["delta"] = actual, q.name(), delta
    r["delta_pct"] = None if base == 0 else Fraction(delta) * 100 / abs(Fraction(base))
    if target == base:
        progress = Fraction(1) if improvement >= 0 else Fraction(0)
    else:
        progress = Fraction(delta) / Fraction(target - base)
    r["progress"] = progress
    if progress >= 1:
        st = "achieved"
    elif improvement < 0:
        st = "regressed"
    elif progress >= expected - Fraction(1, 10):
        st = "on_track"
    else:
        st = "behind"
    r["status"] = st
    vpu = k["value_per_unit"]
    r["value"] = 0 if vpu is None else round_money(max(Decimal(0), improvement) * vpu)
    r["_improvement"] = improvement
    return r


def clamp01(x):
    return min(Fraction(1), max(Fraction(0), x))


def health_at(acc, model, p):
    comps = {c: None for c in COMPONENTS}
    u = acc.entry_for(acc.usage, p)
    if u is not None:
        lu = u.get("licensed_users")
        lu = frac(lu) if lu is not None else (Fraction(acc.licensed_users) if acc.licensed_users is not None else None)
        am = frac(u["active_monthly"]) if u.get("active_monthly") is not None else None
        ad = frac(u["active_daily"]) if u.get("active_daily") is not None else None
        if am is not None and lu is not None and lu > 0:
            comps["adoption"] = min(Fraction(1), am / lu)
        if am is not None and ad is not None and am > 0:
            comps["stickiness"] = min(Fraction(1), (ad / am) / model["target"]["stickiness"])
        if acc.modules and isinstance(u.get("modules"), dict):
            shares = u["modules"]
            tot = Fraction(0)
            for code in acc.modules:
                sh = shares.get(code)
                if sh is not None:
                    tot += min(Fraction(1), frac(sh) / model["target"]["breadth"])
            comps["breadth"] = tot / len(acc.modules)
    progs = []
    for k in acc.kpis:
        r = kpi_compare(acc, k, p)
        if r["progress"] is not None:
            progs.append(clamp01(r["progress"]))
    if progs:
        comps["outcomes"] = sum(progs, Fraction(0)) / len(progs)
    s = acc.entry_for(acc.support, p)
    if s is not None:
        if s.get("sla_met_pct") is not None:
            comps["support"] = clamp01(frac(s["sla_met_pct"]) / 100)
        if s.get("csat") is not None:
            comps["sentiment"] = clamp01((frac(s["csat"]) - 1) / 4)
    wsum = sum((model["weight"][c] for c in COMPONENTS if comps[c] is not None), Fraction(0))
    score = None
    if wsum > 0:
        score = round1(100 * sum((model["weight"][c] * comps[c] for c in COMPONENTS if comps[c] is not None), Fraction(0)) / wsum)
    return score, comps


def renewal(acc, band):
    t = acc.renewal
    with localcontext() as ctx:
        ctx.prec = 80
        u = dec(t.get("uplift_pct", 0)) / 100
        A = round_money(acc.arr * (1 + u))
        opts = [{"tier": "standard", "years": 1, "annual": A, "total": A, "savings": 0}]
        added = sum((dec(o.get("annual_fee", 0) or 0) for o in acc.opportunities
                     if o.get("stage", "identified") != "lost"), Decimal(0))
        bd = dec(t.get("bundle_discount_pct", 0)) / 100
        bundle = False
        if added > 0:
            bundle = True
            annual = A + round_money(added * (1 - bd))
            opts.append({"tier": "bundle", "years": 1, "annual": annual, "total": annual,
                         "savings": round_money(added * bd)})
        multi = sorted(t.get("multi_year", []) or [], key=lambda m: int(m["years"]))
        for m in multi:
            n, d = int(m["years"]), dec(m["discount_pct"]) / 100
            annual = round_money(Decimal(A) * (1 - d))
            total = annual * n
            list_price = sum((Decimal(A) * (1 + u) ** y for y in range(n)), Decimal(0))
            opts.append({"tier": "multi_year", "years": n, "annual": annual, "total": total,
                         "savings": round_money(list_price) - total})
    if band == "at_risk":
        rec = "standard"
    elif bundle:
        rec = "bundle"
    elif multi:
        rec = "multi_year"
    else:
        rec = "standard"
    return {"recommended": rec, "options": opts}


def lifecycle(acc, as_of):
    dtr = (acc.end - as_of).days
    months = whole_months(acc.start, as_of)
    if 0 <= dtr <= 90:
        stage = "renewal"
    elif months < 3:
        stage = "implementation"
    elif months < 9:
        stage = "rooting"
    else:
        stage = "deepening"
    done = [parse_date(m["done"], "milestones[].done") for m in acc.milestones if m.get("done")]
    ttfv = None
    if done:
        ttfv = (min(done) - (acc.go_live or acc.start)).days
    held = sum(1 for e in acc.engagements
               if e.get("kind") == "qbr" and parse_date(e["date"], "engagements[].date") <= as_of)
    return {"as_of": as_of.isoformat(), "stage": stage, "days_to_renewal": dtr,
            "time_to_first_value_days": ttfv,
            "first_value_on_time": None if ttfv is None else ttfv <= 90,
            "qbrs_held": held, "qbrs_expected": max(0, months) // 3,
            "_months_elapsed": months}


def analyze(acc, model, p, as_of):
    kpis = [kpi_compare(acc, k, p) for k in acc.kpis]
    with_data = [k["value"] for k in kpis if k["value"] is not None]
    # no KPI with data: the value delivered is unknown, not zero (DESIGN: "a zero that is
    # really unknown" is never shown)
    total = sum(with_data, 0) if with_data else None
    roi = None if total is None or acc.arr == 0 else Fraction(total) / Fraction(acc.arr)
    score, comps = health_at(acc, model, p)
    prev, _ = health_at(acc, model, p.prev())
    band = band_of(score, model) if score is not None else None
    alert = False
    if score is not None:
        alert = band == model["alert_band"] or (prev is not None and prev - score >= model["alert_drop"])
    health = {
        "score": None if score is None else float(score),
        "band": band, "previous": None if prev is None else float(prev), "alert": alert,
        "components": [{"id": c, "score": None if comps[c] is None else float(comps[c]),
                        "weight": num_out(model["weight"][c])} for c in COMPONENTS],
    }
    out_kpis = []
    for k in kpis:
        out_kpis.append({
            "id": k["id"], "baseline": num_out(k["baseline"]), "target": num_out(k["target"]),
            "actual": num_out(k["actual"]), "actual_period": k["actual_period"],
            "delta": num_out(k["delta"]), "delta_pct": None if k["delta_pct"] is None else float(k["delta_pct"]),
            "progress": None if k["progress"] is None else float(k["progress"]),
            "expected": float(k["expected"]), "status": k["status"], "value": k["value"],
        })
    lc = lifecycle(acc, as_of)
    lc.pop("_months_elapsed")
    return {
        "account": {"id": acc.id, "name": acc.name, "currency": acc.currency, "locale": acc.locale},
        "period": p.name(),
        "kpis": out_kpis,
        "value": {"total": total, "roi": None if roi is None else float(roi)},
        "lifecycle": lc,
        "health": health,
        "renewal": renewal(acc, band),
    }


# ---- comparison -----------------------------------------------------------------------------

RATIO_TOL = 1e-6


class Diff:
    def __init__(self):
        self.lines = []

    def add(self, path, mine, theirs):
        def show(x):
            return json.dumps(x, ensure_ascii=False,
                              default=lambda o: float(o) if isinstance(o, Decimal) else str(o))
        self.lines.append("%s: reference %s, analyze %s" % (path, show(mine), show(theirs)))


def is_num(x):
    return isinstance(x, (int, float, Decimal)) and not isinstance(x, bool)


def cmp_exact(d, path, mine, theirs):
    if mine is None or theirs is None:
        if not (mine is None and theirs is None):
            d.add(path, mine, theirs)
        return
    if is_num(mine) and is_num(theirs):
        if Decimal(str(mine)) != Decimal(str(theirs)):
            d.add(path, mine, theirs)
    elif mine != theirs:
        d.add(path, mine, theirs)


def cmp_ratio(d, path, mine, theirs):
    if mine is None or theirs is None:
        if not (mine is None and theirs is None):
            d.add(path, mine, theirs)
        return
    if not is_num(theirs):
        d.add(path, mine, theirs)
        return
    a, b = float(mine), float(theirs)
    if abs(a - b) > RATIO_TOL and abs(a - b) > RATIO_TOL * max(abs(a), abs(b)):
        d.add(path, mine, theirs)


def compare(ref, got):
    d = Diff()
    if not isinstance(got, dict):
        d.add("$", "object", got)
        return d
    cmp_exact(d, "period", ref["period"], got.get("period"))
    gacc = got.get("account") or {}
    for f in ("id", "currency", "locale"):
        cmp_exact(d, "account." + f, ref["account"][f], gacc.get(f))
    gk = {k.get("id"): k for k in (got.get("kpis") or []) if isinstance(k, dict)}
    if len(gk) != len(ref["kpis"]):
        d.add("kpis.length", len(ref["kpis"]), len(got.get("kpis") or []))
    for i, k in enumerate(ref["kpis"]):
        g = gk.get(k["id"])
        path = "kpis[%s]" % k["id"]
        if g is None:
            d.add(path, "present", None)
            continue
        for f in ("baseline", "target", "actual", "delta", "value"):
            cmp_exact(d, path + "." + f, k[f], g.get(f))
        for f in ("actual_period", "status"):
            cmp_exact(d, path + "." + f, k[f], g.get(f))
        for f in ("delta_pct", "progress"):
            cmp_ratio(d, path + "." + f, k[f], g.get(f))
        # `expected` needs no actual; for a KPI without data the SPEC does not say whether it
        # is shown, so only a KPI with data is held to it.
        if k["status"] != "no_data" or g.get("expected") is not None:
            cmp_ratio(d, path + ".expected", k["expected"], g.get("expected"))
    gv = got.get("value") or {}
    cmp_exact(d, "value.total", ref["value"]["total"], gv.get("total"))
    cmp_ratio(d, "value.roi", ref["value"]["roi"], gv.get("roi"))
    gh = got.get("health") or {}
    h = ref["health"]
    cmp_ratio(d, "health.score", h["score"], gh.get("score"))
    cmp_ratio(d, "health.previous", h["previous"], gh.get("previous"))
    cmp_exact(d, "health.band", h["band"], gh.get("band"))
    cmp_exact(d, "health.alert", h["alert"], gh.get("alert"))
    gc = {c.get("id"): c for c in (gh.get("components") or []) if isinstance(c, dict)}
    for c in h["components"]:
        g = gc.get(c["id"])
        path = "health.components[%s]" % c["id"]
        if g is None:
            if c["score"] is not None:
                d.add(path, c, None)
            continue
        cmp_ratio(d, path + ".score", c["score"], g.get("score"))
        cmp_exact(d, path + ".weight", c["weight"], g.get("weight"))
    gr = got.get("renewal") or {}
    r = ref["renewal"]
    cmp_exact(d, "renewal.recommended", r["recommended"], gr.get("recommended"))
    gopts = [o for o in (gr.get("options") or []) if isinstance(o, dict)]
    if len(gopts) != len(r["options"]):
        d.add("renewal.options.length", len(r["options"]), len(gopts))
    for i, o in enumerate(r["options"]):
        if i >= len(gopts):
            break
        for f in ("tier", "years", "annual", "total", "savings"):
            cmp_exact(d, "renewal.options[%d].%s" % (i, f), o[f], gopts[i].get(f))
    gl = got.get("lifecycle") or {}
    for f in ("as_of", "stage", "days_to_renewal", "time_to_first_value_days", "qbrs_held", "qbrs_expected"):
        cmp_exact(d, "lifecycle." + f, ref["lifecycle"][f], gl.get(f))
    if "first_value_on_time" in gl and ref["lifecycle"]["first_value_on_time"] is not None:
        cmp_exact(d, "lifecycle.first_value_on_time", ref["lifecycle"]["first_value_on_time"],
                  gl.get("first_value_on_time"))
    return d


# ---- main -----------------------------------------------------------------------------------

def as_of_date(arg):
    if arg:
        return parse_date(arg, "--date")
    sde = os.environ.get("SOURCE_DATE_EPOCH")
    if sde:
        return dt.datetime.fromtimestamp(int(sde), tz=dt.timezone.utc).date()
    return dt.date.today()


def main(argv=None):
    ap = argparse.ArgumentParser(description="Reference implementation of valuepack SPEC §3 (oracle for tests).")
    ap.add_argument("account")
    ap.add_argument("--templates", default=os.environ.get("VALUEPACK_TEMPLATES", DEFAULT_TEMPLATES))
    ap.add_argument("--period")
    ap.add_argument("--date")
    ap.add_argument("--locale", choices=("en", "zh-CN"), help="override the account's locale (as analyze --locale)")
    ap.add_argument("--compare", metavar="ANALYZE.json")
    ap.add_argument("--quiet", action="store_true", help="with --compare: print nothing when all agree")
    args = ap.parse_args(argv)
    try:
        acc = Account(load_json(args.account))
        if args.locale:
            acc.locale = args.locale
        model = load_health_model(args.templates)
        as_of = as_of_date(args.date)
        p = Period.parse(args.period, acc.fy, "--period") if args.period else acc.default_period(as_of)
        ref = analyze(acc, model, p, as_of)
        if args.compare:
            got = load_json(args.compare)
    except (InputError, KeyError, TypeError) as e:
        msg = "missing field %s" % e if isinstance(e, KeyError) else str(e)
        print("analyze_ref: %s: %s" % (args.account, msg), file=sys.stderr)
        return 2
    if not args.compare:
        json.dump(ref, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    d = compare(ref, got)
    if d.lines:
        print("%s: %d difference(s) against the reference:" % (args.account, len(d.lines)))
        for line in d.lines:
            print("  " + line)
        return 1
    if not args.quiet:
        print("%s: analyze output agrees with the reference" % args.account)
    return 0


if __name__ == "__main__":
    sys.exit(main())
