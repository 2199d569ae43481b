/* deck_kpi.c — the QBR deck's KPI slides: the scorecard (a table continued over slides of
 * at most rows_per_slide rows) and one trend chart per KPI with data (1 large chart per
 * slide for up to 4 KPIs, else 2 or 4 small multiples; charts_per_slide overrides). */
#include "deck.h"

#include <math.h>
#include <string.h>

#include "../format/format.h"

/* ---- scorecard ----------------------------------------------------------------------------- */

/* "4 of 6 KPIs on track — month-end close down from 12 to 4 days (−66.7%)" for KPIs
 * [first, first+count); the whole scorecard passes all of them. */
static const char *kpi_title(dk *k, size_t first, size_t count)
{
    const vp_report *r = k->r;
    size_t good = 0, bad = 0, with = 0;
    for (size_t i = first; i < first + count && i < r->n_kpis; i++) {
        vp_kpi_status s = r->kpis[i].status;
        with += s != VP_ST_NO_DATA;
        good += s == VP_ST_ACHIEVED || s == VP_ST_ON_TRACK;
        bad += s == VP_ST_BEHIND || s == VP_ST_REGRESSED;
    }
    const vp_kpi_result *best = dk_pick_kpi(k, first, count, good > 0);
    const char *keys[] = {"good", "bad", "n", "headline", "period"};
    const char *vals[] = {dk_count(k, (double)good), dk_count(k, (double)bad),
                          dk_count(k, (double)count), best ? best->headline : "", k->period};
    if (with == 0)
        return dk_fill(k, "qbr.scorecard.title_no_data", keys, vals, 5);
    if (best && good == count && count > 1)
        return dk_fill(k, "qbr.scorecard.title_all", keys, vals, 5);
    if (!best)
        return dk_fill(k, good ? "qbr.scorecard.title_good_only" : "qbr.scorecard.title_bad_only",
                       keys, vals, 5);
    return dk_fill(k, good ? "qbr.scorecard.title" : "qbr.scorecard.title_bad", keys, vals, 5);
}

/* Δ as "−12 (−26.7%)", coloured by whether the change is good for the KPI's direction. */
static const char *delta_text(dk *k, const vp_kpi_result *x, const vp_rgb **color)
{
    *color = NULL;
    if (!isfinite(x->delta))
        return k->no_data;
    if (x->improvement > 0)
        *color = &k->th->good;
    else if (x->improvement < 0)
        *color = &k->th->bad;
    if (!isfinite(x->delta_pct))
        return dk_signed(k, x->delta);
    char b[VP_FMT_MAX];
    vp_fmt_signed_percent(b, sizeof b, k->loc, x->delta_pct, 1);
    return dk_printf(k, "%s (%s)", dk_signed(k, x->delta), b);
}

/* The scorecard table with `pad` pt of row padding (NULL on error). */
static vp_table *scorecard_table(dk *k, double pad)
{
    const vp_report *r = k->r;
    const vp_theme *th = k->th;
    vp_table_col cols[] = {
        {dk_tr(k, "qbr.scorecard.kpi"), 0, VP_ALIGN_LEFT, 2},
        {dk_tr(k, "qbr.scorecard.baseline"), 74, VP_ALIGN_RIGHT, 1},
        {dk_tr(k, "qbr.scorecard.target"), 74, VP_ALIGN_RIGHT, 1},
        {dk_tr(k, "qbr.scorecard.actual"), 74, VP_ALIGN_RIGHT, 1},
        {dk_tr(k, "qbr.scorecard.delta"), 112, VP_ALIGN_RIGHT, 1},
        {dk_tr(k, "qbr.scorecard.progress"), 132, VP_ALIGN_LEFT, 1},
        {dk_tr(k, "qbr.scorecard.status"), 108, VP_ALIGN_LEFT, 1},
    };
    vp_table *t = NULL;
    vp_table_style ts = {.size = th->table_size, .pad_y = pad, .zebra = true};
    if (vp_table_new(&t, k->d, cols, sizeof cols / sizeof cols[0], DK_CW, &ts) != VP_OK)
        return NULL;
    for (size_t i = 0; i < r->n_kpis; i++) {
        const vp_kpi_result *x = &r->kpis[i];
        const vp_kpi *kp = x->kpi;
        const vp_rgb *dc;
        const char *delta = delta_text(k, x, &dc);
        vp_rgb sc = dk_status_color(k, x->status);
        bool has = x->status != VP_ST_NO_DATA;
        vp_table_cell cells[] = {
            {.text = dk_with_unit(k, kp->name ? kp->name : kp->id, kp->unit)},
            {.text = dk_value(k, kp->baseline), .color = &th->secondary},
            {.text = dk_value(k, kp->target)},
            {.text = dk_value(k, x->actual), .bold = has, .color = has ? NULL : &th->secondary},
            {.text = delta, .color = dc},
            {.kind = VP_CELL_PROGRESS, .value = has ? fmax(0, x->progress) : NAN,
             .expected = has ? x->expected : NAN, .color = &sc,
             .text = has ? dk_ratio(k, x->progress, 0) : k->no_data},
            {.kind = VP_CELL_PILL, .text = dk_status_text(k, x->status), .color = &sc},
        };
        vp_table_add_row(t, cells);
    }
    return t;
}

void dk_scorecard(dk *k)
{
    const vp_report *r = k->r;
    if (r->n_kpis == 0)
        return;
    /* Padding 3: ten rows of two-line CJK names fit a slide (rows_per_slide 10). Rows get
     * more air when the same number of slides still holds them. */
    double avail = DK_CH;
    vp_table_chunk ch[64];
    size_t parts;
    vp_table *t = dk_fit_table(k, scorecard_table, 3, 8, dk_opt(k, "rows_per_slide", 10), avail,
                               ch, 64, &parts);
    if (!t)
        return;
    const char *title = kpi_title(k, 0, r->n_kpis);
    for (size_t i = 0; i < parts; i++) {
        dk_slide(k, title, (int)i + 1, (int)parts, NULL);
        vp_table_draw(k->d, t, ch[i].first, ch[i].count, DK_M, DK_TOP, avail, "scorecard", NULL);
        dk_footnote(k, dk_tr(k, "qbr.scorecard.legend"), "scorecard-legend");
    }
    vp_table_free(t);
}

/* ---- trends -------------------------------------------------------------------------------- */

/* "Baseline 45 · Target 30 by Dec 31, 2025 · ▲ on track": what the chart is measured by. */
static const char *trend_meta(dk *k, const vp_kpi_result *x, bool long_form)
{
    const vp_kpi *kp = x->kpi;
    vp_date by = kp->target_date != VP_NO_DATE ? kp->target_date : k->a->end_date;
    const char *keys[] = {"baseline", "target", "date", "status", "expected", "value"};
    const char *vals[] = {dk_value(k, kp->baseline), dk_value(k, kp->target), dk_date(k, by),
                          dk_status_text(k, x->status), dk_ratio(k, x->expected, 0),
                          dk_money(k, x->value)};
    if (!long_form)
        return dk_fill(k, "qbr.trend.meta_short", keys, vals, 6);
    bool money = isfinite(x->value) && x->value > 0;
    return dk_fill(k, money ? "qbr.trend.meta_value" : "qbr.trend.meta", keys, vals, 6);
}

/* Same scale for the charts of one slide when they share a unit and comparable ranges
 * (DESIGN: charts compared side by side). When one KPI's own range is less than half the
 * shared one, a common scale would flatten it to a line: each chart keeps its own scale
 * and a footnote says so. vp_line_chart has no range setting: the range is widened with a
 * "plan" series holding only isolated points (a lone point draws no line), which needs
 * 3 points per chart. */
typedef struct shared_scale {
    bool on;
    bool same_unit;       /* the charts share a unit (a note says how they are scaled) */
    double lo, hi;
} shared_scale;

static void kpi_range(const vp_kpi_result *x, double *lo, double *hi)
{
    *lo = fmin(x->kpi->baseline, x->kpi->target);
    *hi = fmax(x->kpi->baseline, x->kpi->target);
    for (size_t j = 0; j < x->n_trend; j++) {
        *lo = fmin(*lo, x->trend[j].value);
        *hi = fmax(*hi, x->trend[j].value);
    }
}

static shared_scale slide_scale(const dk *k, const size_t *idx, size_t n)
{
    shared_scale s = {false, false, INFINITY, -INFINITY};
    if (n < 2)
        return s;
    const char *unit = k->r->kpis[idx[0]].kpi->unit;
    bool enough = true;
    for (size_t i = 0; i < n; i++) {
        const vp_kpi_result *x = &k->r->kpis[idx[i]];
        if (!unit || !x->kpi->unit || strcmp(unit, x->kpi->unit) != 0)
            return s;
        enough = enough && x->n_trend >= 3;
        double lo, hi;
        kpi_range(x, &lo, &hi);
        s.lo = fmin(s.lo, lo);
        s.hi = fmax(s.hi, hi);
    }
    s.same_unit = true;
    if (!enough || !(s.hi > s.lo))
        return s;
    for (size_t i = 0; i < n; i++) {
        double lo, hi;
        kpi_range(&k->r->kpis[idx[i]], &lo, &hi);
        if (hi - lo < 0.5 * (s.hi - s.lo))
            return s;
    }
    s.on = true;
    return s;
}

static void trend_chart(dk *k, vp_rect r, const vp_kpi_result *x, bool big, shared_scale sc,
                        const char *id)
{
    size_t n = x->n_trend;
    const char **labels = vp_arena_calloc(&k->arena, n, sizeof *labels);
    const char **points = vp_arena_calloc(&k->arena, n, sizeof *points);
    double *vals = vp_arena_calloc(&k->arena, n, sizeof *vals);
    double *plan = sc.on ? vp_arena_calloc(&k->arena, n, sizeof *plan) : NULL;
    if (!labels || !points || !vals || (sc.on && !plan))
        return;
    for (size_t i = 0; i < n; i++) {
        labels[i] = dk_period_short(k, x->trend[i].period);
        points[i] = dk_value(k, x->trend[i].value);
        vals[i] = x->trend[i].value;
        if (plan)
            plan[i] = NAN;
    }
    if (plan) {
        plan[0] = sc.lo;
        plan[n - 1] = sc.hi;
    }
    const char *keys[] = {"value"};
    const char *bv[] = {dk_value(k, x->kpi->baseline)};
    const char *tv[] = {dk_value(k, x->kpi->target)};
    vp_line_chart c = {
        .n = n,
        .labels = labels,
        .actual = vals,
        .point_labels = points,
        .plan = plan,
        .baseline = x->kpi->baseline,
        .target = x->kpi->target,
        .baseline_label = dk_fill(k, "qbr.trend.baseline", keys, bv, 1),
        .target_label = dk_fill(k, "qbr.trend.target", keys, tv, 1),
        .fmt = dk_tick_fmt,
        .fmt_ctx = k,
        .empty_text = k->no_data,
        .size = big ? 10 : 9,
    };
    vp_chart_line(k->d, r, &c, id);
}

void dk_trends(dk *k)
{
    const vp_report *r = k->r;
    const vp_theme *th = k->th;
    size_t *idx = vp_arena_calloc(&k->arena, r->n_kpis + 1, sizeof *idx);
    size_t m = 0;
    for (size_t i = 0; idx && i < r->n_kpis; i++)
        if (r->kpis[i].n_trend > 0)
            idx[m++] = i;
    if (m == 0)
        return;
    size_t per = dk_opt(k, "charts_per_slide", 0);
    if (per == 0)
        per = m <= 4 ? 1 : m <= 8 ? 2 : 4;
    if (per > 4)
        per = 4;
    size_t parts = dk_even_parts(m, per);
    for (size_t p = 0; p < parts; p++) {
        size_t first, count;
        dk_even_chunk(m, parts, p, &first, &count);
        const size_t *on = idx + first;
        const char *title, *child;
        if (count == 1) {
            const vp_kpi_result *x = &r->kpis[on[0]];
            child = x->kpi->name ? x->kpi->name : x->kpi->id;
            title = x->headline ? x->headline : child;
        } else {
            /* the KPIs of this slide are not contiguous in r->kpis when some lack data:
             * count them here */
            size_t good = 0;
            const vp_kpi_result *best = NULL, *worst = NULL;
            const char *names = "";
            for (size_t i = 0; i < count; i++) {
                const vp_kpi_result *x = &r->kpis[on[i]];
                bool g = x->status == VP_ST_ACHIEVED || x->status == VP_ST_ON_TRACK;
                good += g;
                if (g && isfinite(x->progress) && (!best || x->progress > best->progress))
                    best = x;
                if (!g && isfinite(x->progress) && (!worst || x->progress < worst->progress))
                    worst = x;
                names = dk_printf(k, "%s%s%s", names, i ? " · " : "",
                                  x->kpi->name ? x->kpi->name : x->kpi->id);
            }
            const vp_kpi_result *lead = best ? best : worst;
            const char *keys[] = {"good", "bad", "n", "headline"};
            const char *vals[] = {dk_count(k, (double)good), dk_count(k, (double)(count - good)),
                                  dk_count(k, (double)count), lead ? lead->headline : ""};
            title = dk_fill(k, !best ? "qbr.trend.title_bad" : good == count ? "qbr.trend.title_all"
                                                                         : "qbr.trend.title",
                            keys, vals, 4);
            child = names;
        }
        dk_slide(k, title, (int)p + 1, (int)parts, child);

        if (count == 1) {
            const vp_kpi_result *x = &r->kpis[on[0]];
            vp_text_style meta = dk_style(11, th->secondary, false, VP_ALIGN_LEFT);
            meta.max_lines = 1;
            meta.flags = VP_TEXT_TRUNCATE_OK;
            dk_text(k, (vp_rect){DK_M, DK_TOP - 4, DK_CW, 18}, trend_meta(k, x, true), &meta,
                    "trend-meta");
            shared_scale none = {false, false, 0, 0};
            trend_chart(k, (vp_rect){DK_M, DK_TOP + 24, DK_CW, DK_CH - 24}, x, true, none,
                        "trend");
            continue;
        }
        /* small multiples: 2 side by side, or a 2 x 2 grid */
        size_t ncols = count == 3 && per == 3 ? 3 : 2;
        size_t nrows = (count + ncols - 1) / ncols;
        shared_scale sc = slide_scale(k, on, count);
        double avail = DK_CH;
        double cw = (DK_CW - (double)(ncols - 1) * 24) / (double)ncols;
        double rh = (avail - (double)(nrows - 1) * 14) / (double)nrows;
        vp_text_style head = dk_style(12, th->ink, true, VP_ALIGN_LEFT);
        head.max_lines = 3;
        head.flags = VP_TEXT_TRUNCATE_OK;
        vp_text_style meta = dk_style(9, th->secondary, false, VP_ALIGN_LEFT);
        meta.max_lines = 1;
        meta.flags = VP_TEXT_TRUNCATE_OK;
        for (size_t row = 0; row < nrows; row++) {
            /* headings of one row share a height so the charts line up */
            double hh = 0;
            for (size_t c = 0; c < ncols && row * ncols + c < count; c++)
                hh = fmax(hh, dk_text_height(k, r->kpis[on[row * ncols + c]].headline, &head, cw));
            hh = fmin(hh, 3 * 12 * 1.45);
            for (size_t c = 0; c < ncols && row * ncols + c < count; c++) {
                size_t i = row * ncols + c;
                const vp_kpi_result *x = &r->kpis[on[i]];
                double x0 = DK_M + (double)c * (cw + 24), y0 = DK_TOP + (double)row * (rh + 14);
                dk_text(k, (vp_rect){x0, y0, cw, hh}, x->headline, &head,
                        dk_printf(k, "trend-head-%zu", i + 1));
                dk_text(k, (vp_rect){x0, y0 + hh + 2, cw, 14}, trend_meta(k, x, false), &meta,
                        dk_printf(k, "trend-meta-%zu", i + 1));
                double cy = y0 + hh + 20;
                trend_chart(k, (vp_rect){x0, cy, cw, y0 + rh - cy}, x, false, sc,
                            dk_printf(k, "trend-%zu", i + 1));
            }
        }
        if (sc.same_unit)
            dk_footnote(k, dk_tr(k, sc.on ? "qbr.trend.same_scale" : "qbr.trend.own_scale"),
                        "trend-scale-note");
    }
}
