/* annual.c — the annual value summary (SPEC §4; issue "The annual value summary and the
 * renewal options sheet").
 *
 * A4 portrait pages that flow (lib/render/a4.h): a cover, then the sections of
 * report_templates/annual.json in their order — value outcomes against every kick-off KPI,
 * usage, service, training and champions, milestones, the next-year plan and an agenda for
 * the executive dialogue. Each section opens with an action title stating its takeaway
 * (DESIGN.md), built from the computed model; every figure is read from the vp_report and
 * formatted by lib/format, every word comes from locales/<locale>/annual.json (or
 * common.json for shared labels). A value the model cannot compute prints as the
 * locale's "no data" text or "—", never as a made-up number. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/format.h"
#include "../util/strbuf.h"
#include "a4doc.h"
#include "render.h"

#define T(c, key) vp_a4doc_tr(c, key)
#define FILL vp_a4doc_fill

/* ---- helpers ------------------------------------------------------------------------- */

static const char *status_marker(vp_kpi_status s)
{
    switch (s) {
    case VP_ST_ACHIEVED: return "\xE2\x9C\x93";       /* ✓ */
    case VP_ST_ON_TRACK: return "\xE2\x97\x8F";       /* ● */
    case VP_ST_BEHIND: return "\xE2\x97\x86";         /* ◆ */
    case VP_ST_REGRESSED: return "\xE2\x96\xBC";      /* ▼ */
    case VP_ST_NO_DATA: break;
    }
    return "\xE2\x97\x8B";                            /* ○ */
}

static const char *count_s(vp_a4doc *c, size_t n) { return vp_a4doc_number(c, (double)n, 0); }

/* Usage and support entries of the contract year: periods ending on or after the contract
 * start and no later than the end of the report period (all up to P when none does). */
static bool in_year(const vp_a4doc *c, vp_period p)
{
    vp_date end = vp_period_end(p, c->a->fiscal_year_start_month);
    return end <= c->r->period_end && end >= c->a->start_date;
}

static void year_range(const vp_a4doc *c, const vp_period *periods, size_t stride, size_t n,
                       size_t *first, size_t *count)
{
    size_t lo = n, hi = 0;
    for (size_t i = 0; i < n; i++) {
        vp_period p = *(const vp_period *)((const char *)periods + i * stride);
        if (in_year(c, p)) {
            if (lo == n)
                lo = i;
            hi = i + 1;
        }
    }
    if (lo == n) {   /* nothing inside the contract: everything up to P */
        lo = 0;
        hi = 0;
        for (size_t i = 0; i < n; i++) {
            vp_period p = *(const vp_period *)((const char *)periods + i * stride);
            if (vp_period_end(p, c->a->fiscal_year_start_month) <= c->r->period_end)
                hi = i + 1;
        }
    }
    *first = lo;
    *count = hi > lo ? hi - lo : 0;
}

static vp_table *table_new(vp_a4doc *c, const vp_table_col *cols, size_t n)
{
    vp_table *t = NULL;
    vp_table_style st = {.size = 9.5, .zebra = true};
    vp_table_new(&t, c->d, cols, n, VP_A4_WIDTH, &st);
    return t;
}

static vp_table_cell txt(const char *s)
{
    vp_table_cell ce = {.text = s};
    return ce;
}

static void empty_note(vp_a4doc *c, const char *text)
{
    vp_a4_space(&c->f, 2);
    vp_a4_note(&c->f, text, "empty");
}

/* ---- cover --------------------------------------------------------------------------- */

static void cover(vp_a4doc *c)
{
    const vp_report *r = c->r;
    const vp_account *a = c->a;
    const vp_theme *th = c->th;
    vp_pdf *d = c->d;
    vp_a4_page(&c->f);
    if (vp_pdf_page(d) == 0)
        c->f.pages_without_frame = 1;
    vp_pdf_bookmark(d, T(c, "annual.cover.bookmark"), 0);
    double x = VP_A4_LEFT, w = VP_A4_WIDTH;
    vp_shape_style band = {.fill = true, .fill_color = th->accent};
    vp_pdf_rect(d, (vp_rect){0, 0, VP_PAGE_A4_W, 10}, &band, NULL);
    if (th->logo_path)
        vp_pdf_image(d, th->logo_path, (vp_rect){x, 40, 140, 44}, VP_ALIGN_LEFT, "logo");

    double y = 170;
    vp_text_metrics m;
    vp_text_style lab = vp_a4_style(11, th->accent, true, VP_ALIGN_LEFT);
    vp_pdf_text(d, (vp_rect){x, y, w, 0}, T(c, "annual.cover.label"), &lab, "cover-label", &m);
    y += m.height + 8;
    vp_text_style name = vp_a4_style(30, th->ink, true, VP_ALIGN_LEFT);
    name.max_lines = 2;
    name.flags = VP_TEXT_TRUNCATE_OK;
    vp_pdf_text(d, (vp_rect){x, y, w, 0}, a->name, &name, "cover-name", &m);
    y += m.height + 10;
    const char *sub = FILL(c, T(c, "annual.cover.subtitle"), "start",
                           vp_a4doc_date(c, a->start_date), "end", vp_a4doc_date(c, a->end_date),
                           "period", vp_a4doc_period(c, r->period), NULL);
    vp_text_style ss = vp_a4_style(13, th->secondary, false, VP_ALIGN_LEFT);
    ss.max_lines = 3;
    ss.flags = VP_TEXT_TRUNCATE_OK;
    vp_pdf_text(d, (vp_rect){x, y, w, 0}, sub, &ss, "cover-subtitle", &m);
    y += m.height + 18;
    vp_pdf_rect(d, (vp_rect){x, y, 64, 4}, &band, NULL);
    y += 22;

    /* Who and when: label / value pairs in two columns. */
    const char *labels[4], *values[4];
    size_t n = 0;
    if (a->executive_sponsor.name) {
        labels[n] = T(c, "annual.cover.prepared_for");
        values[n++] = a->executive_sponsor.title
                          ? FILL(c, T(c, "annual.cover.person_title"), "name",
                                 a->executive_sponsor.name, "title", a->executive_sponsor.title,
                                 NULL)
                          : a->executive_sponsor.name;
    }
    if (a->csm.name) {
        labels[n] = T(c, "annual.cover.prepared_by");
        values[n++] = a->csm.name;
    }
    if (a->account_executive.name) {
        labels[n] = T(c, "annual.cover.account_executive");
        values[n++] = a->account_executive.name;
    }
    labels[n] = T(c, "annual.cover.date");
    values[n++] = vp_a4doc_date(c, r->generated);
    vp_text_style ml = vp_a4_style(9, th->secondary, false, VP_ALIGN_LEFT);
    ml.max_lines = 1;
    ml.flags = VP_TEXT_TRUNCATE_OK;
    vp_text_style mv = vp_a4_style(11.5, th->ink, false, VP_ALIGN_LEFT);
    mv.max_lines = 2;
    mv.flags = VP_TEXT_TRUNCATE_OK;
    double colw = (w - 20) / 2, rowh = 0;
    for (size_t i = 0; i < n; i++) {
        double cx = x + (double)(i % 2) * (colw + 20);
        vp_text_metrics m1, m2;
        vp_pdf_text(d, (vp_rect){cx, y, colw, 0}, labels[i], &ml, NULL, &m1);
        vp_pdf_text(d, (vp_rect){cx, y + m1.height + 2, colw, 0}, values[i], &mv, NULL, &m2);
        rowh = fmax(rowh, m1.height + 2 + m2.height);
        if (i % 2 == 1 || i + 1 == n) {
            y += rowh + 14;
            rowh = 0;
        }
    }

    /* At a glance: four headline numbers. */
    y = fmax(y + 16, 500);
    vp_text_style gl = vp_a4_style(9, th->accent, true, VP_ALIGN_LEFT);
    vp_pdf_text(d, (vp_rect){x, y, w, 0}, T(c, "annual.cover.at_a_glance"), &gl, "glance", &m);
    c->f.y = y + m.height + 8;
    c->f.fresh = false;
    vp_a4_tile tiles[4];
    const char *nd = T(c, "common.no_data");
    tiles[0] = (vp_a4_tile){T(c, "annual.tile.value"),
                            isfinite(r->total_value) ? vp_a4doc_money(c, r->total_value) : nd,
                            r->n_with_data ? FILL(c, T(c, "annual.tile.value_note"), "n",
                                                  count_s(c, r->n_with_data), "m",
                                                  count_s(c, r->n_kpis), NULL)
                                           : NULL,
                            th->secondary};
    tiles[1] = (vp_a4_tile){T(c, "annual.tile.roi"),
                            isfinite(r->roi) ? vp_a4doc_multiple(c, r->roi) : nd,
                            FILL(c, T(c, "annual.tile.roi_note"), "arr", vp_a4doc_money(c, a->arr),
                                 NULL),
                            th->secondary};
    const vp_health *h = &r->health;
    tiles[2] = (vp_a4_tile){T(c, "annual.tile.health"),
                            isfinite(h->score) ? vp_a4doc_number(c, h->score, 1) : nd,
                            h->band ? FILL(c, T(c, "annual.tile.health_note"), "band",
                                           vp_band_label(r, h->band), NULL)
                                    : NULL,
                            vp_a4doc_band_color(c, h->band)};
    const char *days = c->r->lifecycle.days_to_renewal >= 0
                           ? FILL(c, T(c, "annual.tile.days"), "n",
                                  vp_a4doc_number(c, r->lifecycle.days_to_renewal, 0), NULL)
                           : T(c, "annual.tile.days_past");
    tiles[3] = (vp_a4_tile){T(c, "annual.tile.renewal"), days,
                            FILL(c, T(c, "annual.tile.renewal_note"), "date",
                                 vp_a4doc_date(c, a->end_date), NULL),
                            th->secondary};
    if (h->band) {   /* the band in words with a marker: never colour alone */
        tiles[2].note = FILL(c, "{m} {band}", "m", "\xE2\x97\x8F", "band", tiles[2].note, NULL);
    }
    vp_a4_tiles(&c->f, tiles, 4, 2, "cover-tile");
}

/* ---- outcomes ------------------------------------------------------------------------ */

static int cmp_value_desc(const void *x, const void *y)
{
    const vp_kpi_result *a = *(const vp_kpi_result *const *)x,
                        *b = *(const vp_kpi_result *const *)y;
    double va = isfinite(a->value) ? a->value : -1, vb = isfinite(b->value) ? b->value : -1;
    if (va != vb)
        return va > vb ? -1 : 1;
    return a < b ? -1 : a > b;   /* stable: file order */
}

static const char *outcomes_title(vp_a4doc *c)
{
    const vp_report *r = c->r;
    const char *good = count_s(c, r->n_achieved + r->n_on_track), *all = count_s(c, r->n_kpis);
    if (r->n_with_data == 0)
        return FILL(c, T(c, "annual.outcomes.title_no_data"), "m", all, NULL);
    if (isfinite(r->total_value) && r->total_value > 0) {
        if (isfinite(r->roi))
            return FILL(c, T(c, "annual.outcomes.title_value"), "value",
                        vp_a4doc_money(c, r->total_value), "roi", vp_a4doc_multiple(c, r->roi),
                        "n", good, "m", all, NULL);
        return FILL(c, T(c, "annual.outcomes.title_value_no_roi"), "value",
                    vp_a4doc_money(c, r->total_value), "n", good, "m", all, NULL);
    }
    return FILL(c, T(c, "annual.outcomes.title_kpis"), "n", good, "m", all, NULL);
}

static void value_chart(vp_a4doc *c, const vp_layout_item *it)
{
    const vp_report *r = c->r;
    size_t max = (size_t)fmax(2, fmin(20, vp_layout_opt_number(it, "value_chart_max", 8)));
    const vp_kpi_result **v = vp_arena_calloc(&c->ar, r->n_kpis ? r->n_kpis : 1, sizeof *v);
    if (!v)
        return;
    size_t n = 0;
    for (size_t i = 0; i < r->n_kpis; i++)
        if (isfinite(r->kpis[i].value) && r->kpis[i].value > 0)
            v[n++] = &r->kpis[i];
    if (n < 2)
        return;
    qsort(v, n, sizeof *v, cmp_value_desc);
    size_t bars = n > max ? max : n;   /* the last bar sums the rest when there are more */
    const char **labels = vp_arena_calloc(&c->ar, bars, sizeof *labels);
    const char **vl = vp_arena_calloc(&c->ar, bars, sizeof *vl);
    double *vals = vp_arena_calloc(&c->ar, bars, sizeof *vals);
    if (!labels || !vl || !vals)
        return;
    for (size_t i = 0; i < bars; i++) {
        if (n > max && i == bars - 1) {
            double rest = 0;
            for (size_t j = i; j < n; j++)
                rest += v[j]->value;
            vals[i] = rest;
            labels[i] = FILL(c, T(c, "annual.outcomes.other_kpis"), "n", count_s(c, n - i), NULL);
        } else {
            vals[i] = v[i]->value;
            labels[i] = v[i]->kpi->name ? v[i]->kpi->name : v[i]->kpi->id;
        }
        vl[i] = vp_a4doc_money_short(c, vals[i]);
    }
    double h = 18.0 * (double)bars + 6;
    vp_a4_heading(&c->f, T(c, "annual.outcomes.value_chart"), false, h + 6);
    vp_a4_need(&c->f, h);
    vp_bar_series s = {.kind = VP_SERIES_ACTUAL, .values = vals, .value_labels = vl};
    vp_bar_chart bc = {.n = bars, .labels = labels, .series = &s, .n_series = 1,
                       .horizontal = true, .size = 9};
    vp_chart_bar(c->d, (vp_rect){VP_A4_LEFT, c->f.y, VP_A4_WIDTH, h}, &bc, "value-chart");
    vp_a4_advance(&c->f, h);
}

static void kpi_table(vp_a4doc *c)
{
    const vp_report *r = c->r;
    const vp_theme *th = c->th;
    const char *value_h = FILL(c, T(c, "annual.outcomes.col_value"), "currency",
                               vp_currency_symbol(r->currency), NULL);
    vp_table_col cols[] = {
        {T(c, "annual.outcomes.col_kpi"), 0, VP_ALIGN_LEFT, 3},
        {T(c, "annual.outcomes.col_baseline"), 54, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.outcomes.col_actual"), 54, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.outcomes.col_target"), 54, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.outcomes.col_progress"), 70, VP_ALIGN_LEFT, 1},
        {T(c, "annual.outcomes.col_status"), 70, VP_ALIGN_LEFT, 1},
        {value_h, 64, VP_ALIGN_RIGHT, 1},
    };
    vp_table *t = table_new(c, cols, sizeof cols / sizeof cols[0]);
    if (!t)
        return;
    bool unvalued = false;
    for (size_t i = 0; i < r->n_kpis; i++) {
        const vp_kpi_result *k = &r->kpis[i];
        const vp_kpi *kp = k->kpi;
        vp_rgb sc = vp_a4doc_status_color(c, k->status);
        bool has = k->status != VP_ST_NO_DATA;
        const char *value;
        if (!has)
            value = VP_FMT_NONE;
        else if (!VP_HAS(kp->value_per_unit)) {
            value = VP_FMT_NONE;
            unvalued = true;
        } else
            value = vp_a4doc_number(c, k->value, 0);
        vp_table_cell cells[7] = {
            txt(kp->name ? kp->name : kp->id),
            txt(vp_a4doc_kpi_value(c, kp, kp->baseline)),
            txt(has ? vp_a4doc_kpi_value(c, kp, k->actual) : T(c, "common.no_data")),
            txt(vp_a4doc_kpi_value(c, kp, kp->target)),
            {.kind = VP_CELL_PROGRESS, .text = has ? vp_a4doc_ratio(c, k->progress, 0) : NULL,
             .value = has ? fmax(0, k->progress) : NAN, .expected = has ? k->expected : NAN,
             .color = &sc},
            {.kind = VP_CELL_PILL, .text = vp_status_label(r, k->status), .color = &sc},
            txt(value),
        };
        if (!has)
            cells[2].color = &th->secondary;
        vp_table_add_row(t, cells);
    }
    if (isfinite(r->total_value)) {
        vp_table_cell total[7] = {
            {.text = T(c, "annual.outcomes.total"), .bold = true}, {0}, {0}, {0}, {0}, {0},
            {.text = vp_a4doc_number(c, r->total_value, 0), .bold = true},
        };
        vp_table_add_row(t, total);
    }
    vp_a4_heading(&c->f, T(c, "annual.outcomes.table"), false,
                  vp_table_header_height(t) +
                      (vp_table_rows(t) ? vp_table_row_height(t, 0) : 0) * 2);
    vp_a4_table(&c->f, t, 2, "outcomes-table");
    vp_table_free(t);
    vp_a4_space(&c->f, 6);
    vp_a4_note(&c->f, FILL(c, T(c, "annual.outcomes.footnote"), "arr", vp_a4doc_money(c, c->a->arr),
                           NULL),
               "outcomes-note");
    if (unvalued)
        vp_a4_note(&c->f, T(c, "annual.outcomes.unvalued"), "outcomes-unvalued");
}

/* Headlines: the largest contributions first, then what needs attention. */
static void highlights(vp_a4doc *c, const vp_layout_item *it)
{
    const vp_report *r = c->r;
    size_t max = (size_t)fmax(1, fmin(12, vp_layout_opt_number(it, "highlights", 5)));
    const vp_kpi_result **v = vp_arena_calloc(&c->ar, r->n_kpis ? r->n_kpis : 1, sizeof *v);
    if (!v)
        return;
    size_t n = 0, n_att = 0;
    for (size_t i = 0; i < r->n_kpis; i++)
        if (r->kpis[i].headline &&
            (r->kpis[i].status == VP_ST_ACHIEVED || r->kpis[i].status == VP_ST_ON_TRACK))
            v[n++] = &r->kpis[i];
    qsort(v, n, sizeof *v, cmp_value_desc);
    for (size_t i = 0; i < r->n_kpis; i++)
        n_att += r->kpis[i].status == VP_ST_BEHIND || r->kpis[i].status == VP_ST_REGRESSED;
    vp_text_style st = vp_a4_style(VP_A4_BODY, c->th->ink, false, VP_ALIGN_LEFT);
    st.line_height = 1.45;
    if (n > 0) {
        vp_a4_heading(&c->f, T(c, "annual.outcomes.highlights"), false, 2 * 1.45 * VP_A4_BODY);
        for (size_t i = 0; i < n && i < max; i++) {
            const char *line =
                FILL(c, T(c, "annual.outcomes.headline_line"), "headline", v[i]->headline, "status",
                     vp_status_label(r, v[i]->status), NULL);
            vp_a4_item(&c->f, status_marker(v[i]->status), vp_a4doc_status_color(c, v[i]->status),
                       true, line, &st, "highlight");
            vp_a4_space(&c->f, 3);
        }
    }
    if (n_att > 0) {
        vp_a4_heading(&c->f, T(c, "annual.outcomes.attention"), false, 2 * 1.45 * VP_A4_BODY);
        size_t shown = 0;
        for (size_t i = 0; i < r->n_kpis && shown < max; i++) {
            const vp_kpi_result *k = &r->kpis[i];
            if (!(k->status == VP_ST_BEHIND || k->status == VP_ST_REGRESSED) || !k->headline)
                continue;
            const char *line = FILL(c, T(c, "annual.outcomes.attention_line"), "headline",
                                    k->headline, "status", vp_status_label(r, k->status), "target",
                                    vp_a4doc_kpi_value(c, k->kpi, k->kpi->target), NULL);
            vp_a4_item(&c->f, status_marker(k->status), vp_a4doc_status_color(c, k->status), true,
                       line, &st, "attention");
            vp_a4_space(&c->f, 3);
            shown++;
        }
        if (n_att > shown)
            vp_a4_note(&c->f, FILL(c, T(c, "annual.outcomes.more"), "n", count_s(c, n_att - shown),
                                   NULL),
                       "attention-more");
    }
}

static void outcomes(vp_a4doc *c, const vp_layout_item *it)
{
    const vp_report *r = c->r;
    const vp_theme *th = c->th;
    if (r->n_kpis == 0) {
        vp_a4_section(&c->f, T(c, "annual.outcomes.label"), outcomes_title(c),
                      T(c, "annual.outcomes.bookmark"), 40);
        empty_note(c, T(c, "annual.outcomes.none"));
        return;
    }
    const char *nd = T(c, "common.no_data");
    vp_a4_tile tiles[4] = {
        {T(c, "annual.tile.value"),
         isfinite(r->total_value) ? vp_a4doc_money(c, r->total_value) : nd,
         FILL(c, T(c, "annual.tile.value_note"), "n", count_s(c, r->n_with_data), "m",
              count_s(c, r->n_kpis), NULL),
         th->secondary},
        {T(c, "annual.tile.roi"), isfinite(r->roi) ? vp_a4doc_multiple(c, r->roi) : nd,
         FILL(c, T(c, "annual.tile.roi_note"), "arr", vp_a4doc_money(c, c->a->arr), NULL),
         th->secondary},
        {T(c, "annual.tile.good"),
         FILL(c, T(c, "annual.tile.of"), "n", count_s(c, r->n_achieved + r->n_on_track), "m",
              count_s(c, r->n_kpis), NULL),
         FILL(c, T(c, "annual.tile.good_note"), "m",
              r->n_achieved + r->n_on_track ? "\xE2\x9C\x93" : "\xE2\x97\x8B", "a",
              count_s(c, r->n_achieved), "o", count_s(c, r->n_on_track), NULL),
         r->n_achieved + r->n_on_track ? th->good : th->secondary},
        {T(c, "annual.tile.bad"), count_s(c, r->n_behind + r->n_regressed),
         r->n_behind + r->n_regressed
             ? FILL(c, T(c, "annual.tile.bad_note"), "m", "\xE2\x96\xBC", "b",
                    count_s(c, r->n_behind), "r", count_s(c, r->n_regressed), NULL)
             : FILL(c, T(c, "annual.tile.bad_none"), "m", "\xE2\x9C\x93", NULL),
         r->n_regressed ? th->bad
         : r->n_behind  ? th->warning
                        : th->good},
    };
    if (r->n_with_data == 0) {
        /* Nothing measured yet: counts of zero would read as results. */
        tiles[0].note = NULL;
        for (int i = 2; i < 4; i++) {
            tiles[i].value = nd;
            tiles[i].note = NULL;
        }
    }
    vp_a4_section(&c->f, T(c, "annual.outcomes.label"), outcomes_title(c),
                  T(c, "annual.outcomes.bookmark"), vp_a4_tiles_height(&c->f, tiles, 4, 2));
    vp_a4_tiles(&c->f, tiles, 4, 2, "outcomes-tile");
    if (vp_layout_opt_bool(it, "value_chart", true))
        value_chart(c, it);
    kpi_table(c);
    highlights(c, it);
}

/* ---- usage --------------------------------------------------------------------------- */

static double ratio_or_nan(double a, double b)
{
    return isfinite(a) && isfinite(b) && b > 0 ? a / b : NAN;
}

static const char *transaction_label(vp_a4doc *c, const char *name)
{
    char key[160];
    snprintf(key, sizeof key, "annual.transactions.%s", name);
    if (vp_tr_has(c->tpl, c->loc, key))
        return T(c, key);
    /* A name the table does not know: show it as written, underscores as spaces. */
    char *s = vp_arena_strdup(&c->ar, name);
    if (!s)
        return name;
    for (char *p = s; *p; p++)
        if (*p == '_')
            *p = ' ';
    return s;
}

static void usage_chart(vp_a4doc *c, const vp_usage *u, size_t n)
{
    size_t known = 0;
    for (size_t i = 0; i < n; i++)
        known += isfinite(u[i].active_monthly);
    if (known < 2)
        return;
    const char **labels = vp_arena_calloc(&c->ar, n, sizeof *labels);
    const char **pl = vp_arena_calloc(&c->ar, n, sizeof *pl);
    double *vals = vp_arena_calloc(&c->ar, n, sizeof *vals);
    if (!labels || !pl || !vals)
        return;
    double lic = NAN;
    for (size_t i = 0; i < n; i++) {
        labels[i] = vp_a4doc_period_short(c, u[i].period);
        vals[i] = u[i].active_monthly;
        pl[i] = isfinite(vals[i]) && n <= 12 ? vp_a4doc_number(c, vals[i], 0) : NULL;
        if (isfinite(u[i].licensed_users))
            lic = u[i].licensed_users;
    }
    if (!isfinite(lic))
        lic = c->a->licensed_users;
    double h = 170;
    vp_a4_heading(&c->f, T(c, "annual.usage.chart"), false, h + 4);
    vp_a4_need(&c->f, h);
    vp_line_chart lc = {.n = n, .labels = labels, .actual = vals, .point_labels = pl,
                        .baseline = NAN, .target = lic,
                        .target_label = isfinite(lic)
                                            ? FILL(c, T(c, "annual.usage.licensed_line"), "n",
                                                   vp_a4doc_number(c, lic, 0), NULL)
                                            : NULL,
                        .zero_based = true, .fmt = vp_a4doc_chart_fmt, .fmt_ctx = c,
                        .empty_text = T(c, "annual.usage.none"), .size = 9};
    vp_chart_line(c->d, (vp_rect){VP_A4_LEFT, c->f.y, VP_A4_WIDTH, h}, &lc, "usage-chart");
    vp_a4_advance(&c->f, h);
}

static void usage_table(vp_a4doc *c, const vp_usage *u, size_t n)
{
    vp_table_col cols[] = {
        {T(c, "annual.usage.col_period"), 0, VP_ALIGN_LEFT, 1},
        {T(c, "annual.usage.col_licensed"), 62, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.usage.col_monthly"), 62, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.usage.col_weekly"), 62, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.usage.col_daily"), 62, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.usage.col_adoption"), 72, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.usage.col_stickiness"), 72, VP_ALIGN_RIGHT, 2},
    };
    vp_table *t = table_new(c, cols, 7);
    if (!t)
        return;
    for (size_t i = 0; i < n; i++) {
        double lic = isfinite(u[i].licensed_users) ? u[i].licensed_users : c->a->licensed_users;
        vp_table_cell cells[7] = {
            txt(vp_a4doc_period(c, u[i].period)),
            txt(vp_a4doc_number(c, lic, 0)),
            txt(vp_a4doc_number(c, u[i].active_monthly, 0)),
            txt(vp_a4doc_number(c, u[i].active_weekly, 0)),
            txt(vp_a4doc_number(c, u[i].active_daily, 0)),
            txt(vp_a4doc_ratio(c, ratio_or_nan(u[i].active_monthly, lic), 0)),
            txt(vp_a4doc_ratio(c, ratio_or_nan(u[i].active_daily, u[i].active_monthly), 0)),
        };
        vp_table_add_row(t, cells);
    }
    vp_a4_heading(&c->f, T(c, "annual.usage.table"), false,
                  vp_table_header_height(t) + 2 * vp_table_row_height(t, 0));
    vp_a4_table(&c->f, t, 2, "usage-table");
    vp_table_free(t);
}

static void breadth_table(vp_a4doc *c, const vp_usage *first)
{
    const vp_report *r = c->r;
    if (r->n_breadth == 0)
        return;
    double target = c->tpl->health.target[VP_H_BREADTH];
    bool any = false;
    for (size_t i = 0; i < r->n_breadth; i++)
        any = any || isfinite(r->breadth[i].share);
    if (!any)
        return;
    const char *first_h = first ? FILL(c, T(c, "annual.usage.col_change"), "period",
                                       vp_a4doc_period_short(c, first->period), NULL)
                                : "";
    vp_table_col cols[] = {
        {T(c, "annual.usage.col_module"), 0, VP_ALIGN_LEFT, 2},
        {FILL(c, T(c, "annual.usage.col_share"), "period", vp_a4doc_period(c, r->period), NULL),
         150, VP_ALIGN_LEFT, 1},
        {first_h, 80, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.usage.col_vs_target"), 92, VP_ALIGN_LEFT, 1},
    };
    vp_table *t = table_new(c, cols, 4);
    if (!t)
        return;
    for (size_t i = 0; i < r->n_breadth; i++) {
        const vp_module_breadth *b = &r->breadth[i];
        const vp_module *m = b->module;
        const char *name = m->name ? FILL(c, T(c, "annual.usage.module_name"), "name", m->name,
                                          "code", m->code, NULL)
                                   : m->code;
        double before = first ? vp_usage_module_share(first, m->code) : NAN;
        const char *chg = VP_FMT_NONE;
        if (isfinite(before) && isfinite(b->share) && first != r->usage_p) {
            char buf[VP_FMT_MAX];
            chg = FILL(c, T(c, "annual.usage.points"), "n",
                       vp_fmt_signed_value(buf, sizeof buf, c->loc, 100 * (b->share - before), 0),
                       NULL);
        }
        bool known = isfinite(b->share);
        const vp_rgb *col = !known            ? &c->th->neutral
                            : b->below_target ? &c->th->warning
                                              : &c->th->good;
        vp_table_cell cells[4] = {
            txt(name),
            {.kind = VP_CELL_PROGRESS,
             .text = known ? vp_a4doc_ratio(c, b->share, 0) : T(c, "common.no_data"),
             .value = known ? b->share : NAN,
             .expected = target,
             .color = col},
            txt(chg),
            {.kind = VP_CELL_PILL,
             .text = !known            ? T(c, "common.no_data")
                     : b->below_target ? T(c, "annual.usage.below_target")
                                       : T(c, "annual.usage.at_target"),
             .color = col},
        };
        vp_table_add_row(t, cells);
    }
    vp_a4_heading(&c->f, T(c, "annual.usage.breadth"), false,
                  vp_table_header_height(t) + 2 * vp_table_row_height(t, 0));
    vp_a4_table(&c->f, t, 2, "breadth-table");
    vp_table_free(t);
    vp_a4_space(&c->f, 6);
    vp_a4_note(&c->f, FILL(c, T(c, "annual.usage.breadth_note"), "target",
                           vp_a4doc_ratio(c, target, 0), NULL),
               "breadth-note");
}

static void transactions_table(vp_a4doc *c, const vp_usage *first, const vp_usage *last)
{
    if (!last || last->n_transactions == 0)
        return;
    bool two = first && first != last;
    vp_table_col cols[] = {
        {T(c, "annual.usage.col_transaction"), 0, VP_ALIGN_LEFT, 2},
        {two ? vp_a4doc_period(c, first->period) : "", 96, VP_ALIGN_RIGHT, 2},
        {vp_a4doc_period(c, last->period), 96, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.usage.col_tx_change"), 80, VP_ALIGN_RIGHT, 1},
    };
    vp_table *t = table_new(c, cols, 4);
    if (!t)
        return;
    for (size_t i = 0; i < last->n_transactions; i++) {
        const vp_named_value *nv = &last->transactions[i];
        double before = NAN;
        for (size_t j = 0; two && j < first->n_transactions; j++)
            if (strcmp(first->transactions[j].key, nv->key) == 0)
                before = first->transactions[j].value;
        char buf[VP_FMT_MAX];
        const char *chg =
            isfinite(before) && before != 0
                ? vp_a4doc_keep(c, vp_fmt_signed_percent(buf, sizeof buf, c->loc,
                                                         100 * (nv->value - before) / before, 0))
                : VP_FMT_NONE;
        vp_table_cell cells[4] = {
            txt(transaction_label(c, nv->key)),
            txt(two ? vp_a4doc_number(c, before, 0) : ""),
            txt(vp_a4doc_number(c, nv->value, 0)),
            txt(chg),
        };
        vp_table_add_row(t, cells);
    }
    vp_a4_heading(&c->f, T(c, "annual.usage.transactions"), false,
                  vp_table_header_height(t) + 2 * vp_table_row_height(t, 0));
    vp_a4_table(&c->f, t, 2, "transactions-table");
    vp_table_free(t);
}

static void usage(vp_a4doc *c, const vp_layout_item *it)
{
    const vp_report *r = c->r;
    const vp_account *a = c->a;
    const vp_theme *th = c->th;
    size_t first, n;
    year_range(c, a->n_usage ? &a->usage[0].period : NULL, sizeof(vp_usage), a->n_usage, &first,
               &n);
    const vp_usage *u = n ? &a->usage[first] : NULL;
    const vp_usage *last = n ? &u[n - 1] : NULL, *start = n ? &u[0] : NULL;
    /* The latest entry with monthly actives, and the first one. */
    const vp_usage *lm = NULL, *fm = NULL;
    for (size_t i = 0; i < n; i++)
        if (isfinite(u[i].active_monthly)) {
            if (!fm)
                fm = &u[i];
            lm = &u[i];
        }
    const char *title;
    double lic_last =
        lm ? (isfinite(lm->licensed_users) ? lm->licensed_users : a->licensed_users) : NAN;
    if (!lm) {
        title = T(c, "annual.usage.title_none");
    } else if (fm != lm && lm->active_monthly != fm->active_monthly) {
        title = FILL(c, T(c, lm->active_monthly > fm->active_monthly ? "annual.usage.title_up"
                                                                     : "annual.usage.title_down"),
                     "from", vp_a4doc_number(c, fm->active_monthly, 0), "to",
                     vp_a4doc_number(c, lm->active_monthly, 0), "start",
                     vp_a4doc_period(c, fm->period), "end", vp_a4doc_period(c, lm->period), NULL);
        if (isfinite(lic_last) && lic_last > 0)
            title = FILL(c, T(c, "annual.usage.title_adoption"), "title", title, "pct",
                         vp_a4doc_ratio(c, lm->active_monthly / lic_last, 0), "licensed",
                         vp_a4doc_number(c, lic_last, 0), NULL);
    } else {
        title =
            FILL(c, T(c, "annual.usage.title_one"), "n", vp_a4doc_number(c, lm->active_monthly, 0),
                 "period", vp_a4doc_period(c, lm->period), NULL);
        if (isfinite(lic_last) && lic_last > 0)
            title = FILL(c, T(c, "annual.usage.title_adoption"), "title", title, "pct",
                         vp_a4doc_ratio(c, lm->active_monthly / lic_last, 0), "licensed",
                         vp_a4doc_number(c, lic_last, 0), NULL);
    }
    if (n == 0) {
        vp_a4_section(&c->f, T(c, "annual.usage.label"), title, T(c, "annual.usage.bookmark"), 40);
        empty_note(c, T(c, "annual.usage.none"));
        return;
    }
    /* Tiles: monthly actives, adoption, stickiness, module breadth at P. */
    const char *nd = T(c, "common.no_data");
    const vp_usage *p = r->usage_p ? r->usage_p : last;
    double lic = isfinite(p->licensed_users) ? p->licensed_users : a->licensed_users;
    double adopt = ratio_or_nan(p->active_monthly, lic);
    double stick = ratio_or_nan(p->active_daily, p->active_monthly);
    size_t at_target = 0, known = 0;
    for (size_t i = 0; i < r->n_breadth; i++)
        if (isfinite(r->breadth[i].share)) {
            known++;
            at_target += !r->breadth[i].below_target;
        }
    const char *mau_note = NULL;
    vp_rgb mau_color = th->secondary;
    if (fm && fm != p && isfinite(p->active_monthly) && p->active_monthly != fm->active_monthly) {
        bool up = p->active_monthly > fm->active_monthly;
        mau_note = FILL(c, T(c, up ? "annual.usage.tile_mau_up" : "annual.usage.tile_mau_down"),
                        "m", up ? "\xE2\x96\xB2" : "\xE2\x96\xBC", "from",
                        vp_a4doc_number(c, fm->active_monthly, 0), "period",
                        vp_a4doc_period(c, fm->period), NULL);
        mau_color = up ? th->good : th->bad;
    }
    vp_a4_tile tiles[4] = {
        {FILL(c, T(c, "annual.usage.tile_mau"), "period", vp_a4doc_period(c, p->period), NULL),
         isfinite(p->active_monthly) ? vp_a4doc_number(c, p->active_monthly, 0) : nd, mau_note,
         mau_color},
        {T(c, "annual.usage.tile_adoption"), isfinite(adopt) ? vp_a4doc_ratio(c, adopt, 0) : nd,
         isfinite(adopt)
             ? FILL(c, T(c, "annual.usage.tile_adoption_note"), "n",
                    vp_a4doc_number(c, p->active_monthly, 0), "m", vp_a4doc_number(c, lic, 0), NULL)
             : NULL,
         th->secondary},
        {T(c, "annual.usage.tile_stickiness"), isfinite(stick) ? vp_a4doc_ratio(c, stick, 0) : nd,
         isfinite(stick) ? FILL(c, T(c, "annual.usage.tile_stickiness_note"), "n",
                                vp_a4doc_number(c, p->active_daily, 0), "m",
                                vp_a4doc_number(c, p->active_monthly, 0), NULL)
                         : NULL,
         th->secondary},
        {T(c, "annual.usage.tile_breadth"),
         known ? FILL(c, T(c, "annual.tile.of"), "n", count_s(c, at_target), "m", count_s(c, known),
                      NULL)
               : nd,
         known ? FILL(c, T(c, "annual.usage.tile_breadth_note"), "target",
                      vp_a4doc_ratio(c, c->tpl->health.target[VP_H_BREADTH], 0), NULL)
               : NULL,
         th->secondary},
    };
    vp_a4_section(&c->f, T(c, "annual.usage.label"), title, T(c, "annual.usage.bookmark"),
                  vp_a4_tiles_height(&c->f, tiles, 4, 2));
    vp_a4_tiles(&c->f, tiles, 4, 2, "usage-tile");
    if (vp_layout_opt_bool(it, "chart", true))
        usage_chart(c, u, n);
    usage_table(c, u, n);
    breadth_table(c, start);
    transactions_table(c, start, p);
}

/* ---- service ------------------------------------------------------------------------- */

static void service(vp_a4doc *c, const vp_layout_item *it)
{
    (void)it;
    const vp_report *r = c->r;
    const vp_account *a = c->a;
    const vp_theme *th = c->th;
    size_t first, n;
    year_range(c, a->n_support ? &a->support[0].period : NULL, sizeof(vp_support), a->n_support,
               &first, &n);
    const vp_support *s = n ? &a->support[first] : NULL;
    const vp_support *p = r->support_p ? r->support_p : n ? &s[n - 1] : NULL;
    const char *title;
    if (!p) {
        title = T(c, "annual.service.title_none");
    } else if (isfinite(p->sla_met_pct) && isfinite(p->csat)) {
        title = FILL(c, T(c, "annual.service.title"), "sla", vp_a4doc_percent(c, p->sla_met_pct, 0),
                     "csat", vp_a4doc_number(c, p->csat, 1), "period",
                     vp_a4doc_period(c, p->period), NULL);
    } else if (isfinite(p->sla_met_pct)) {
        title =
            FILL(c, T(c, "annual.service.title_sla"), "sla", vp_a4doc_percent(c, p->sla_met_pct, 0),
                 "period", vp_a4doc_period(c, p->period), NULL);
    } else if (isfinite(p->opened)) {
        title = FILL(c, T(c, "annual.service.title_tickets"), "n", vp_a4doc_number(c, p->opened, 0),
                     "period", vp_a4doc_period(c, p->period), NULL);
    } else {
        title = T(c, "annual.service.title_none");
    }
    if (n == 0) {
        vp_a4_section(&c->f, T(c, "annual.service.label"), title, T(c, "annual.service.bookmark"),
                      40);
        empty_note(c, T(c, "annual.service.none"));
        return;
    }
    double opened = 0, p1 = 0;
    size_t n_open = 0, n_p1 = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(s[i].opened)) {
            opened += s[i].opened;
            n_open++;
        }
        if (isfinite(s[i].p1)) {
            p1 += s[i].p1;
            n_p1++;
        }
    }
    const char *nd = T(c, "common.no_data");
    const char *range = n > 1 ? FILL(c, T(c, "annual.service.range"), "start",
                                     vp_a4doc_period(c, s[0].period), "end",
                                     vp_a4doc_period(c, s[n - 1].period), NULL)
                              : vp_a4doc_period(c, s[0].period);
    const char *res_note = NULL;
    vp_rgb res_color = th->secondary;
    if (n > 1 && isfinite(s[0].median_resolution_hours) && isfinite(p->median_resolution_hours) &&
        p != &s[0] && s[0].median_resolution_hours != p->median_resolution_hours) {
        bool faster = p->median_resolution_hours < s[0].median_resolution_hours;
        res_note = FILL(c, T(c, faster ? "annual.service.faster" : "annual.service.slower"), "m",
                        faster ? "\xE2\x96\xBC" : "\xE2\x96\xB2", "from",
                        vp_a4doc_value(c, s[0].median_resolution_hours), "period",
                        vp_a4doc_period(c, s[0].period), NULL);
        res_color = faster ? th->good : th->bad;
    }
    vp_a4_tile tiles[4] = {
        {FILL(c, T(c, "annual.service.tile_opened"), "range", range, NULL),
         n_open ? vp_a4doc_number(c, opened, 0) : nd,
         n_p1 ? FILL(c, T(c, "annual.service.tile_p1"), "n", vp_a4doc_number(c, p1, 0), NULL)
              : NULL,
         n_p1 && p1 > 0 ? th->bad : th->secondary},
        {FILL(c, T(c, "annual.service.tile_resolution"), "period", vp_a4doc_period(c, p->period),
              NULL),
         isfinite(p->median_resolution_hours)
             ? FILL(c, T(c, "annual.service.hours"), "n",
                    vp_a4doc_value(c, p->median_resolution_hours), NULL)
             : nd,
         res_note, res_color},
        {FILL(c, T(c, "annual.service.tile_sla"), "period", vp_a4doc_period(c, p->period), NULL),
         isfinite(p->sla_met_pct) ? vp_a4doc_percent(c, p->sla_met_pct, 0) : nd, NULL,
         th->secondary},
        {FILL(c, T(c, "annual.service.tile_csat"), "period", vp_a4doc_period(c, p->period), NULL),
         isfinite(p->csat) ? vp_a4doc_number(c, p->csat, 1) : nd,
         isfinite(p->csat) ? T(c, "annual.service.csat_scale") : NULL, th->secondary},
    };
    vp_a4_section(&c->f, T(c, "annual.service.label"), title, T(c, "annual.service.bookmark"),
                  vp_a4_tiles_height(&c->f, tiles, 4, 2));
    vp_a4_tiles(&c->f, tiles, 4, 2, "service-tile");

    vp_table_col cols[] = {
        {T(c, "annual.service.col_period"), 0, VP_ALIGN_LEFT, 1},
        {T(c, "annual.service.col_opened"), 56, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.service.col_closed"), 56, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.service.col_p1"), 48, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.service.col_resolution"), 78, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.service.col_sla"), 62, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.service.col_csat"), 62, VP_ALIGN_RIGHT, 2},
    };
    vp_table *t = table_new(c, cols, 7);
    if (!t)
        return;
    for (size_t i = 0; i < n; i++) {
        vp_table_cell cells[7] = {
            txt(vp_a4doc_period(c, s[i].period)),
            txt(vp_a4doc_number(c, s[i].opened, 0)),
            txt(vp_a4doc_number(c, s[i].closed, 0)),
            txt(vp_a4doc_number(c, s[i].p1, 0)),
            txt(vp_a4doc_value(c, s[i].median_resolution_hours)),
            txt(vp_a4doc_percent(c, s[i].sla_met_pct, 0)),
            txt(vp_a4doc_number(c, s[i].csat, 1)),
        };
        if (isfinite(s[i].p1) && s[i].p1 > 0)
            cells[3].color = &th->bad;
        vp_table_add_row(t, cells);
    }
    vp_a4_heading(&c->f, T(c, "annual.service.table"), false,
                  vp_table_header_height(t) + 2 * vp_table_row_height(t, 0));
    vp_a4_table(&c->f, t, 2, "service-table");
    vp_table_free(t);
}

/* ---- training and champions ---------------------------------------------------------- */

typedef struct role_sum {
    const char *role;
    size_t sessions;
    double attendees;
    size_t n_att;
    vp_strbuf topics;
} role_sum;

static void training(vp_a4doc *c, const vp_layout_item *it)
{
    (void)it;
    const vp_account *a = c->a;
    /* Sessions up to the as-of date, grouped by role in order of first appearance. */
    role_sum *roles = vp_arena_calloc(&c->ar, a->n_training ? a->n_training : 1, sizeof *roles);
    if (!roles)
        return;
    size_t n_roles = 0, sessions = 0;
    double people = 0;
    const char *sep = T(c, "annual.list_sep");
    for (size_t i = 0; i < a->n_training; i++) {
        const vp_training *tr = &a->training[i];
        if (tr->date != VP_NO_DATE && tr->date > c->r->generated)
            continue;
        const char *role = tr->role ? tr->role : T(c, "annual.training.no_role");
        size_t k = 0;
        while (k < n_roles && strcmp(roles[k].role, role) != 0)
            k++;
        if (k == n_roles)
            roles[n_roles++] = (role_sum){.role = role, .topics = VP_STRBUF_INIT};
        roles[k].sessions++;
        sessions++;
        if (isfinite(tr->attendees)) {
            roles[k].attendees += tr->attendees;
            roles[k].n_att++;
            people += tr->attendees;
        }
        if (tr->topic) {
            if (roles[k].topics.len)
                vp_strbuf_puts(&roles[k].topics, sep);
            vp_strbuf_puts(&roles[k].topics, tr->topic);
        }
    }
    size_t champs = a->n_champions;
    const char *title;
    if (sessions && champs)
        title = FILL(c, T(c, "annual.training.title"), "n", count_s(c, sessions), "people",
                     vp_a4doc_number(c, people, 0), "roles", count_s(c, n_roles), "champions",
                     count_s(c, champs), NULL);
    else if (sessions)
        title = FILL(c, T(c, "annual.training.title_no_champions"), "n", count_s(c, sessions),
                     "people", vp_a4doc_number(c, people, 0), "roles", count_s(c, n_roles), NULL);
    else if (champs)
        title = FILL(c, T(c, "annual.training.title_champions_only"), "champions",
                     count_s(c, champs), NULL);
    else
        title = T(c, "annual.training.title_none");
    vp_a4_section(&c->f, T(c, "annual.training.label"), title, T(c, "annual.training.bookmark"),
                  80);
    if (sessions == 0 && champs == 0) {
        empty_note(c, T(c, "annual.training.none_all"));
        return;
    }

    if (sessions) {
        vp_table_col cols[] = {
            {T(c, "annual.training.col_role"), 96, VP_ALIGN_LEFT, 2},
            {T(c, "annual.training.col_sessions"), 56, VP_ALIGN_RIGHT, 2},
            {T(c, "annual.training.col_attendees"), 62, VP_ALIGN_RIGHT, 2},
            {T(c, "annual.training.col_topics"), 0, VP_ALIGN_LEFT, 4},
        };
        vp_table *t = table_new(c, cols, 4);
        for (size_t i = 0; t && i < n_roles; i++) {
            vp_table_cell cells[4] = {
                txt(roles[i].role),
                txt(count_s(c, roles[i].sessions)),
                txt(roles[i].n_att ? vp_a4doc_number(c, roles[i].attendees, 0) : VP_FMT_NONE),
                txt(vp_strbuf_cstr(&roles[i].topics)),
            };
            vp_table_add_row(t, cells);
        }
        if (t) {
            vp_a4_heading(&c->f, T(c, "annual.training.table"), false,
                          vp_table_header_height(t) + 2 * vp_table_row_height(t, 0));
            vp_a4_table(&c->f, t, 2, "training-table");
            vp_table_free(t);
        }
    } else {
        empty_note(c, T(c, "annual.training.none"));
    }
    for (size_t i = 0; i < n_roles; i++)
        vp_strbuf_free(&roles[i].topics);

    vp_a4_heading(&c->f, T(c, "annual.training.champions"), false, 40);
    if (champs == 0) {
        vp_a4_note(&c->f, T(c, "annual.training.no_champions"), "empty");
        return;
    }
    vp_table_col cols[] = {
        {T(c, "annual.training.col_name"), 90, VP_ALIGN_LEFT, 2},
        {T(c, "annual.training.col_title"), 100, VP_ALIGN_LEFT, 2},
        {T(c, "annual.training.col_department"), 90, VP_ALIGN_LEFT, 2},
        {T(c, "annual.training.col_note"), 0, VP_ALIGN_LEFT, 4},
    };
    vp_table *t = table_new(c, cols, 4);
    if (!t)
        return;
    for (size_t i = 0; i < champs; i++) {
        const vp_champion *ch = &a->champions[i];
        vp_table_cell cells[4] = {txt(ch->name), txt(ch->title), txt(ch->department),
                                  txt(ch->note)};
        cells[0].bold = true;
        vp_table_add_row(t, cells);
    }
    vp_a4_table(&c->f, t, 2, "champions-table");
    vp_table_free(t);
}

/* ---- milestones ---------------------------------------------------------------------- */

static const char *kind_label(vp_a4doc *c, vp_milestone_kind k)
{
    switch (k) {
    case VP_MS_QUICK_WIN: return T(c, "annual.milestones.kind_quick_win");
    case VP_MS_GO_LIVE: return T(c, "annual.milestones.kind_go_live");
    case VP_MS_OTHER: return T(c, "annual.milestones.kind_other");
    case VP_MS_MILESTONE: break;
    }
    return T(c, "annual.milestones.kind_milestone");
}

static void milestones(vp_a4doc *c, const vp_layout_item *it)
{
    (void)it;
    const vp_report *r = c->r;
    const vp_account *a = c->a;
    const vp_theme *th = c->th;
    size_t done = 0, on_time = 0;
    for (size_t i = 0; i < a->n_milestones; i++) {
        const vp_milestone *m = &a->milestones[i];
        if (m->done != VP_NO_DATE && m->done <= r->generated) {
            done++;
            on_time += m->due == VP_NO_DATE || m->done <= m->due;
        }
    }
    const char *title;
    if (a->n_milestones == 0)
        title = T(c, "annual.milestones.title_none");
    else
        title = FILL(c, T(c, "annual.milestones.title"), "done", count_s(c, done), "n",
                     count_s(c, a->n_milestones), "on_time", count_s(c, on_time), NULL);
    if (r->lifecycle.time_to_first_value_days != INT32_MIN)
        title = FILL(c, T(c, "annual.milestones.title_first_value"), "title", title, "days",
                     vp_a4doc_number(c, r->lifecycle.time_to_first_value_days, 0), NULL);
    vp_a4_section(&c->f, T(c, "annual.milestones.label"), title, T(c, "annual.milestones.bookmark"),
                  80);
    if (a->n_milestones == 0) {
        empty_note(c, T(c, "annual.milestones.none"));
        return;
    }
    vp_table_col cols[] = {
        {T(c, "annual.milestones.col_name"), 0, VP_ALIGN_LEFT, 3},
        {T(c, "annual.milestones.col_kind"), 64, VP_ALIGN_LEFT, 2},
        {T(c, "annual.milestones.col_due"), 92, VP_ALIGN_RIGHT, 1},
        {T(c, "annual.milestones.col_done"), 92, VP_ALIGN_RIGHT, 1},
        {T(c, "annual.milestones.col_status"), 84, VP_ALIGN_LEFT, 1},
    };
    vp_table *t = table_new(c, cols, 5);
    if (!t)
        return;
    for (size_t i = 0; i < a->n_milestones; i++) {
        const vp_milestone *m = &a->milestones[i];
        bool reached = m->done != VP_NO_DATE && m->done <= r->generated;
        const char *st;
        const vp_rgb *col;
        if (reached && (m->due == VP_NO_DATE || m->done <= m->due)) {
            st = T(c, "annual.milestones.on_time");
            col = &th->good;
        } else if (reached) {
            st = T(c, "annual.milestones.late");
            col = &th->warning;
        } else if (m->due != VP_NO_DATE && m->due < r->generated) {
            st = T(c, "annual.milestones.overdue");
            col = &th->bad;
        } else {
            st = T(c, "annual.milestones.open");
            col = &th->neutral;
        }
        vp_table_cell cells[5] = {
            txt(m->name),
            txt(kind_label(c, m->kind)),
            txt(vp_a4doc_date(c, m->due)),
            txt(reached ? vp_a4doc_date(c, m->done) : VP_FMT_NONE),
            {.kind = VP_CELL_PILL, .text = st, .color = col},
        };
        vp_table_add_row(t, cells);
    }
    vp_a4_table(&c->f, t, 2, "milestones-table");
    vp_table_free(t);
}

/* ---- next-year plan ------------------------------------------------------------------ */

static void plan(vp_a4doc *c, const vp_layout_item *it)
{
    (void)it;
    const vp_account *a = c->a;
    size_t linked = 0;
    for (size_t i = 0; i < a->n_plan; i++)
        linked += vp_report_kpi(c->r, a->plan[i].kpi) != NULL;
    const char *title = a->n_plan == 0
                            ? T(c, "annual.plan.title_none")
                            : FILL(c, T(c, "annual.plan.title"), "n", count_s(c, a->n_plan), "k",
                                   count_s(c, linked), NULL);
    vp_a4_section(&c->f, T(c, "annual.plan.label"), title, T(c, "annual.plan.bookmark"), 70);
    if (a->n_plan == 0) {
        empty_note(c, T(c, "annual.plan.none"));
        return;
    }
    vp_table_col cols[] = {
        {T(c, "annual.plan.col_goal"), 0, VP_ALIGN_LEFT, 3},
        {T(c, "annual.plan.col_kpi"), 100, VP_ALIGN_LEFT, 2},
        {T(c, "annual.plan.col_now"), 64, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.plan.col_target"), 64, VP_ALIGN_RIGHT, 2},
        {T(c, "annual.plan.col_by"), 92, VP_ALIGN_RIGHT, 1},
    };
    vp_table *t = table_new(c, cols, 5);
    if (!t)
        return;
    for (size_t i = 0; i < a->n_plan; i++) {
        const vp_plan_item *p = &a->plan[i];
        const vp_kpi_result *k = vp_report_kpi(c->r, p->kpi);
        const vp_kpi *kp = k ? k->kpi : NULL;
        vp_table_cell cells[5] = {
            txt(p->goal),
            txt(kp ? (kp->name ? kp->name : kp->id) : p->kpi ? p->kpi : VP_FMT_NONE),
            txt(k ? vp_a4doc_kpi_value(c, kp, k->actual) : VP_FMT_NONE),
            txt(kp ? vp_a4doc_kpi_value(c, kp, p->target) : vp_a4doc_value(c, p->target)),
            txt(vp_a4doc_date(c, p->by)),
        };
        vp_table_add_row(t, cells);
    }
    vp_a4_table(&c->f, t, 2, "plan-table");
    vp_table_free(t);
}

/* ---- executive dialogue -------------------------------------------------------------- */

static void agenda_item(vp_a4doc *c, int *num, const char *title)
{
    char n[16];
    snprintf(n, sizeof n, "%d", ++*num);
    vp_text_style st = vp_a4_style(12, c->th->ink, true, VP_ALIGN_LEFT);
    st.line_height = 1.4;
    vp_a4_space(&c->f, 10);
    /* Keep the agenda item with its first point. */
    vp_a4_keep(&c->f, 12 * 1.4 + 2 * 1.45 * VP_A4_BODY + 4);
    vp_a4_item(&c->f, n, c->th->accent, true, title, &st, "agenda-item");
    vp_a4_space(&c->f, 3);
}

static void agenda_point(vp_a4doc *c, const char *text)
{
    vp_text_style st = vp_a4_style(VP_A4_BODY, c->th->ink, false, VP_ALIGN_LEFT);
    st.line_height = 1.45;
    /* Indented under the item's title. */
    vp_text_style ms = st;
    ms.color = c->th->secondary;
    ms.max_lines = 1;
    ms.flags = VP_TEXT_NOWRAP;
    double indent = 18 + 14;
    vp_text_metrics m;
    if (vp_text_measure(vp_pdf_fonts(c->d), text, &st, VP_A4_WIDTH - indent, 0, &m, NULL) == VP_OK)
        vp_a4_keep(&c->f, fmin(m.height, VP_A4_BOTTOM - VP_A4_TOP - 40));
    vp_pdf_text(c->d, (vp_rect){VP_A4_LEFT + 18, c->f.y, 14, 0}, "\xE2\x80\xA2", &ms, NULL, NULL);
    vp_a4_text(&c->f, text, &st, indent, "agenda-point");
    vp_a4_space(&c->f, 2);
}

static void dialogue(vp_a4doc *c, const vp_layout_item *it)
{
    (void)it;
    const vp_report *r = c->r;
    const vp_account *a = c->a;
    const vp_person *sp = &a->executive_sponsor;
    const char *title = sp->name
                            ? FILL(c, T(c, "annual.dialogue.title_sponsor"), "name", sp->name, NULL)
                            : T(c, "annual.dialogue.title");
    vp_a4_section(&c->f, T(c, "annual.dialogue.label"), title, T(c, "annual.dialogue.bookmark"),
                  60);

    /* Who: the customer's sponsor, the vendor's account executive and CSM. */
    vp_strbuf who = VP_STRBUF_INIT;
    const char *sep = T(c, "annual.list_sep");
    if (sp->name)
        vp_strbuf_puts(&who, sp->title ? FILL(c, T(c, "annual.cover.person_title"), "name",
                                              sp->name, "title", sp->title, NULL)
                                       : sp->name);
    const vp_person *team[2] = {&a->account_executive, &a->csm};
    for (int i = 0; i < 2; i++) {
        if (!team[i]->name)
            continue;
        if (who.len)
            vp_strbuf_puts(&who, sep);
        vp_strbuf_puts(&who, FILL(c, T(c, i == 0 ? "annual.dialogue.ae" : "annual.dialogue.csm"),
                                  "name", team[i]->name, NULL));
    }
    if (who.len)
        vp_a4_text(
            &c->f,
            FILL(c, T(c, "annual.dialogue.participants"), "names", vp_strbuf_cstr(&who), NULL),
            NULL, 0, "participants");
    vp_strbuf_free(&who);

    int num = 0;
    /* 1. The customer's strategy. */
    agenda_item(c, &num, T(c, "annual.dialogue.strategy"));
    agenda_point(c, T(c, "annual.dialogue.strategy_q1"));
    agenda_point(c, T(c, "annual.dialogue.strategy_q2"));

    /* 2. The year in review. */
    agenda_item(c, &num, T(c, "annual.dialogue.review"));
    if (isfinite(r->total_value) && r->total_value > 0 && isfinite(r->roi))
        agenda_point(c, FILL(c, T(c, "annual.dialogue.review_value"), "value",
                             vp_a4doc_money(c, r->total_value), "roi", vp_a4doc_multiple(c, r->roi),
                             NULL));
    if (r->n_with_data)
        agenda_point(c, FILL(c, T(c, "annual.dialogue.review_kpis"), "n",
                             count_s(c, r->n_achieved + r->n_on_track), "m", count_s(c, r->n_kpis),
                             NULL));
    else
        agenda_point(c, T(c, "annual.dialogue.review_no_data"));
    size_t att = 0;
    vp_strbuf names = VP_STRBUF_INIT;
    for (size_t i = 0; i < r->n_kpis; i++) {
        const vp_kpi_result *k = &r->kpis[i];
        if (k->status != VP_ST_BEHIND && k->status != VP_ST_REGRESSED)
            continue;
        if (att < 4) {
            if (names.len)
                vp_strbuf_puts(&names, sep);
            vp_strbuf_puts(&names, k->kpi->name ? k->kpi->name : k->kpi->id);
        }
        att++;
    }
    if (att > 4)
        vp_strbuf_puts(&names,
                       FILL(c, T(c, "annual.dialogue.and_more"), "n", count_s(c, att - 4), NULL));
    if (att)
        agenda_point(c, FILL(c, T(c, "annual.dialogue.review_attention"), "kpis",
                             vp_strbuf_cstr(&names), NULL));
    vp_strbuf_free(&names);

    /* 3. Next-year goals, from the plan. */
    agenda_item(c, &num, T(c, "annual.dialogue.goals"));
    if (a->n_plan == 0)
        agenda_point(c, T(c, "annual.dialogue.goals_none"));
    for (size_t i = 0; i < a->n_plan && i < 6; i++) {
        const vp_plan_item *p = &a->plan[i];
        agenda_point(c, p->by != VP_NO_DATE
                            ? FILL(c, T(c, "annual.dialogue.goal_by"), "goal", p->goal, "date",
                                   vp_a4doc_date(c, p->by), NULL)
                            : p->goal);
    }
    if (a->n_plan > 6)
        agenda_point(
            c, FILL(c, T(c, "annual.dialogue.goals_more"), "n", count_s(c, a->n_plan - 6), NULL));
    agenda_point(c, T(c, "annual.dialogue.goals_owners"));

    /* 4. Expansion themes: opportunities not lost, pain point first. */
    agenda_item(c, &num, T(c, "annual.dialogue.expansion"));
    size_t themes = 0;
    for (size_t i = 0; i < a->n_opportunities; i++) {
        const vp_opportunity *o = &a->opportunities[i];
        if (o->stage == VP_OPP_LOST)
            continue;
        const char *what = o->name ? o->name : o->module ? o->module : "";
        const char *line;
        if (o->pain_point && VP_HAS(o->annual_fee))
            line = FILL(c, T(c, "annual.dialogue.theme_fee"), "pain", o->pain_point, "name", what,
                        "fee", vp_a4doc_money(c, o->annual_fee), NULL);
        else if (o->pain_point)
            line =
                FILL(c, T(c, "annual.dialogue.theme"), "pain", o->pain_point, "name", what, NULL);
        else
            line = what;
        agenda_point(c, line);
        themes++;
    }
    if (themes == 0)
        agenda_point(c,
                     T(c, r->renewal.reason == VP_REASON_AT_RISK ? "annual.dialogue.themes_at_risk"
                                                                 : "annual.dialogue.themes_none"));

    /* 5. The renewal. */
    agenda_item(c, &num, T(c, "annual.dialogue.renewal"));
    if (r->renewal.n_options > 0) {
        const vp_renewal_option *o = &r->renewal.options[r->renewal.recommended];
        char label[160];
        agenda_point(c, FILL(c, T(c, "annual.dialogue.renewal_option"), "option",
                             vp_option_label(r, o, label, sizeof label), "annual",
                             vp_a4doc_money(c, (double)o->annual), NULL));
        agenda_point(c, vp_reason_label(r, r->renewal.reason));
        agenda_point(c, FILL(c, T(c, "annual.dialogue.renewal_dates"), "valid",
                             vp_a4doc_date(c, r->renewal.valid_until), "end",
                             vp_a4doc_date(c, a->end_date), NULL));
    }
}

/* ---- the document -------------------------------------------------------------------- */

int vp_annual_render(const vp_report *r, const vp_templates *tpl, const vp_render_options *opts,
                     const char *path, vp_diag *diag)
{
    if (!r || !tpl || !opts || !opts->fonts || !path)
        return VP_ERR_USAGE;
    static const vp_a4doc_keys keys = {
        .name = "annual.title", .continued = "annual.continued", .header = "annual.header",
        .footer = "annual.footer", .footer_csm = "annual.footer_csm", .page = "annual.page",
    };
    vp_a4doc c;
    int rc = vp_a4doc_begin(&c, r, tpl, opts, diag, &keys);
    if (rc != VP_OK) {
        vp_a4doc_free(&c);
        return rc;
    }
    static const struct {
        const char *id;
        void (*draw)(vp_a4doc *, const vp_layout_item *);
    } sections[] = {
        {"outcomes", outcomes}, {"usage", usage}, {"service", service}, {"training", training},
        {"milestones", milestones}, {"plan", plan}, {"dialogue", dialogue},
    };
    bool after_cover = false;
    for (size_t i = 0; i < tpl->n_annual; i++) {
        const vp_layout_item *it = &tpl->annual[i];
        if (!it->enabled)
            continue;
        if (strcmp(it->id, "cover") == 0) {
            cover(&c);
            after_cover = true;
            continue;
        }
        for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
            if (strcmp(it->id, sections[k].id) != 0)
                continue;
            if (after_cover || vp_pdf_page(c.d) < 0) {
                vp_a4_page(&c.f);   /* the first section after the cover opens a page */
                after_cover = false;
            } else if (vp_layout_opt_bool(it, "new_page", false)) {
                vp_a4_page(&c.f);
            }
            sections[k].draw(&c, it);
        }
    }
    if (vp_pdf_page(c.d) < 0)
        vp_a4_page(&c.f);   /* every section switched off: still a valid document */
    return vp_a4doc_end(&c, opts, path);
}
