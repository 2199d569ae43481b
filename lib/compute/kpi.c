/* kpi.c — the KPI comparison of SPEC §3: actual, delta, progress, expected, status, value,
 * trend and the headline sentence. */
#include <math.h>
#include <string.h>

#include "report.h"
#include "../format/format.h"
#include "../util/decimal.h"
#include "../util/utf8.h"

/* Comparisons of computed ratios allow this much binary noise, so that e.g. a progress of
 * 0.9999999999999998 still counts as achieved. */
#define EPS 1e-9
/* SPEC §3: on track when progress >= expected - 0.10. */
#define ON_TRACK_SLACK 0.10

static double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

/* Days from baseline_date to the end of p over days from baseline_date to target_date,
 * clamped to 0..1; contract start and end stand in for absent dates. */
static double expected_progress(const vp_account *a, const vp_kpi *k, vp_period p)
{
    vp_date from = k->baseline_date != VP_NO_DATE ? k->baseline_date : a->start_date;
    vp_date to = k->target_date != VP_NO_DATE ? k->target_date : a->end_date;
    double num = (double)vp_period_end(p, a->fiscal_year_start_month) - (double)from;
    double den = (double)to - (double)from;
    if (den <= 0)
        return num >= 0 ? 1.0 : 0.0;
    return clamp01(num / den);
}

/* Binary noise allowed in a KPI's own units when comparing baseline and actual. */
static double noise(double baseline, double actual)
{
    return EPS * fmax(1.0, fmax(fabs(baseline), fabs(actual)));
}

/* True when actual x counts at a period ending on `end`: its period ends by then. */
static bool ends_by(const vp_actual *x, int fy, vp_date end)
{
    return x->period.kind != VP_PERIOD_NONE && vp_period_end(x->period, fy) <= end;
}

/* The latest actual whose period ends on or before the end of p; NULL when none. */
static const vp_actual *actual_at(const vp_account *a, const vp_kpi *k, vp_period p)
{
    int fy = a->fiscal_year_start_month;
    vp_date end = vp_period_end(p, fy);
    const vp_actual *best = NULL;
    for (size_t i = 0; i < k->n_actuals; i++) {
        const vp_actual *x = &k->actuals[i];
        if (!ends_by(x, fy, end))
            continue;
        if (!best || vp_period_cmp(x->period, best->period, fy) > 0)
            best = x;
    }
    return best;
}

void vp_kpi_evaluate(vp_kpi_result *out, const vp_account *a, const vp_kpi *k, vp_period p)
{
    memset(out, 0, sizeof *out);
    out->kpi = k;
    out->actual = out->improvement = out->delta = out->delta_pct = out->progress = NAN;
    out->expected = out->value = NAN;
    out->status = VP_ST_NO_DATA;
    const vp_actual *x = actual_at(a, k, p);
    if (!x || !VP_HAS(x->value))
        return;   /* no data: every comparison number is NaN */
    out->expected = expected_progress(a, k, p);
    double s = k->direction == VP_DIR_DECREASE ? -1.0 : 1.0;
    double b = k->baseline, t = k->target;
    out->actual = x->value;
    out->actual_period = x->period;
    out->delta = x->value - b;
    out->improvement = s * out->delta;
    out->delta_pct = b != 0 ? 100.0 * out->delta / fabs(b) : NAN;
    bool improved = out->improvement >= -noise(b, x->value);
    if (t != b)
        out->progress = out->delta / (t - b);
    else
        out->progress = improved ? 1.0 : 0.0;

    if (out->progress >= 1.0 - EPS)
        out->status = VP_ST_ACHIEVED;
    else if (!improved)
        out->status = VP_ST_REGRESSED;
    else if (out->progress >= out->expected - ON_TRACK_SLACK - EPS)
        out->status = VP_ST_ON_TRACK;
    else
        out->status = VP_ST_BEHIND;

    if (VP_HAS(k->value_per_unit) && out->improvement > 0)
        out->value = vp_round_half_away(out->improvement * k->value_per_unit, 0);
    else
        out->value = 0.0;
}

/* ---- trend ------------------------------------------------------------------------- */

static int trend_points(vp_kpi_result *out, const vp_account *a, const vp_kpi *k,
                        vp_period p, vp_arena *arena)
{
    int fy = a->fiscal_year_start_month;
    vp_date end = vp_period_end(p, fy);
    size_t n = 0;
    for (size_t i = 0; i < k->n_actuals; i++)
        n += ends_by(&k->actuals[i], fy, end);
    out->n_trend = 0;
    out->trend = NULL;
    if (!n)
        return VP_OK;
    out->trend = vp_arena_calloc(arena, n, sizeof *out->trend);
    if (!out->trend)
        return VP_ERR_NOMEM;
    /* Insertion by period: the loader sorts actuals already, this keeps the order right
     * for any caller and is stable for equal periods. */
    for (size_t i = 0; i < k->n_actuals; i++) {
        const vp_actual *x = &k->actuals[i];
        if (!ends_by(x, fy, end))
            continue;
        size_t j = out->n_trend++;
        while (j > 0 && vp_period_cmp(out->trend[j - 1].period, x->period, fy) > 0) {
            out->trend[j] = out->trend[j - 1];
            j--;
        }
        out->trend[j].period = x->period;
        out->trend[j].value = x->value;
    }
    for (size_t i = 0; i < out->n_trend; i++) {
        vp_trend_point *tp = &out->trend[i];
        tp->change = tp->change_pct = NAN;
        if (i == 0)
            continue;
        double prev = out->trend[i - 1].value;
        tp->change = tp->value - prev;
        if (prev != 0)
            tp->change_pct = 100.0 * tp->change / fabs(prev);
    }
    return VP_OK;
}

/* ---- headline ------------------------------------------------------------------------ */

/* True when `unit` is one of the "|"-separated units in `list`. */
static bool unit_in_list(const char *unit, const char *list)
{
    size_t n = strlen(unit);
    for (const char *s = list; *s;) {
        const char *bar = strchr(s, '|');
        size_t len = bar ? (size_t)(bar - s) : strlen(s);
        if (len == n && strncmp(s, unit, n) == 0)
            return true;
        if (!bar)
            break;
        s = bar + 1;
    }
    return false;
}

/* A unit written with letters ("days", "hours", "µs") is set off by a space in English;
 * a symbol ("%", "°C") or an ideograph ("天") is not. */
static bool unit_starts_with_letter(const char *unit)
{
    size_t len;
    unsigned cp = vp_utf8_decode(unit, strlen(unit), &len);
    if (cp < 0x80)
        return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
    return cp == 0xB5 || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x370 && cp <= 0x52F);
}

static const char *headline(const vp_kpi_result *res, vp_locale loc, const vp_templates *tpl,
                            vp_arena *arena)
{
    const vp_kpi *k = res->kpi;
    double tol = noise(k->baseline, res->actual);   /* unchanged within binary noise */
    const char *unit = k->unit && *k->unit ? k->unit : NULL;
    bool is_time = unit && unit_in_list(unit, vp_tr(tpl, loc, "common.headline.time_units"));
    const char *pattern;
    if (fabs(res->delta) <= tol)
        pattern = vp_tr(tpl, loc, "common.headline.unchanged");
    else if (res->delta < 0)
        pattern = is_time ? vp_tr(tpl, loc, "common.headline.shorter")
                          : vp_tr(tpl, loc, "common.headline.down");
    else
        pattern = is_time ? vp_tr(tpl, loc, "common.headline.longer")
                          : vp_tr(tpl, loc, "common.headline.up");

    char from[VP_FMT_MAX], to[VP_FMT_MAX], pct[VP_FMT_MAX];
    vp_fmt_value(from, sizeof from, loc, k->baseline, 2);
    vp_fmt_value(to, sizeof to, loc, res->actual, 2);
    const char *unit_s = vp_arena_printf(
        arena, "%s%s", unit && loc == VP_LOCALE_EN && unit_starts_with_letter(unit) ? " " : "",
        unit ? unit : "");
    if (!unit_s)
        return NULL;
    const char *pct_part = "";   /* baseline 0: no percentage, no parenthesis */
    if (VP_HAS(res->delta_pct)) {
        vp_fmt_signed_percent(pct, sizeof pct, loc, res->delta_pct, 1);
        const char *pk[] = {"pct"};
        const char *pv[] = {pct};
        pct_part = vp_text_fill(arena, vp_tr(tpl, loc, "common.headline.pct"), pk, pv, 1);
        if (!pct_part)
            return NULL;
    }
    const char *keys[] = {"name", "baseline", "actual", "unit", "pct"};
    const char *vals[] = {k->name ? k->name : k->id, from, to, unit_s, pct_part};
    return vp_text_fill(arena, pattern, keys, vals, sizeof keys / sizeof keys[0]);
}

int vp_kpi_compare(vp_kpi_result *out, const vp_account *a, const vp_kpi *k, vp_period p,
                   vp_locale loc, const vp_templates *tpl, vp_arena *arena)
{
    vp_kpi_evaluate(out, a, k, p);
    int rc = trend_points(out, a, k, p, arena);
    if (rc != VP_OK)
        return rc;
    if (out->status != VP_ST_NO_DATA) {
        out->headline = headline(out, loc, tpl, arena);
        if (!out->headline)
            return VP_ERR_NOMEM;
    }
    return VP_OK;
}
