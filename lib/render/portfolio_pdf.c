/* portfolio_pdf.c — the portfolio summary PDF (batch, SPEC §6): an overview page with the
 * headline numbers and two charts (ARR by health band, ARR renewing by month), then every
 * account in a table, at-risk and soonest renewals first. A4 landscape, so the table's
 * columns read without wrapping.
 *
 * Rows and totals come from lib/batch (the manifest summaries); every number is formatted
 * with lib/format and every word comes from report_templates/locales/<loc>/portfolio.json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../batch/portfolio.h"
#include "../format/format.h"
#include "../pdf/pdf.h"
#include "../util/arena.h"
#include "render.h"

#define PAGE_W VP_PAGE_A4_H      /* landscape */
#define PAGE_H VP_PAGE_A4_W
#define MARGIN 40.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define FOOTER_Y (PAGE_H - 28.0)

typedef struct ctx {
    vp_pdf *d;
    const vp_templates *tpl;
    const vp_theme *th;
    vp_locale loc;
    vp_arena arena;
} ctx;

static const char *tr(const ctx *c, const char *key) { return vp_tr(c->tpl, c->loc, key); }

/* pattern with {name} placeholders filled (n pairs). */
static const char *fill(ctx *c, const char *pattern, const char *const *keys,
                        const char *const *vals, size_t n)
{
    const char *s = vp_text_fill(&c->arena, pattern, keys, vals, n);
    return s ? s : pattern;
}

static vp_rgb band_color(const ctx *c, const char *band)
{
    if (!band)
        return c->th->neutral;
    if (!strcmp(band, "healthy"))
        return c->th->good;
    if (!strcmp(band, "watch"))
        return c->th->warning;
    if (!strcmp(band, "at_risk"))
        return c->th->bad;
    return c->th->neutral;
}

static const char *band_label(ctx *c, const char *band)
{
    char key[64];
    snprintf(key, sizeof key, "common.band.%s", band ? band : "none");
    return tr(c, key);
}

static void section_title(ctx *c, double y, const char *label, const char *title)
{
    vp_text_style ls = {.size = 9, .color = c->th->accent, .bold = true, .max_lines = 1};
    vp_pdf_text(c->d, (vp_rect){MARGIN, y, CONTENT_W, 14}, label, &ls, "section-label", NULL);
    vp_text_style ts = {.size = 18, .color = c->th->ink, .bold = true, .max_lines = 2,
                        .flags = VP_TEXT_TRUNCATE_OK};
    vp_pdf_text(c->d, (vp_rect){MARGIN, y + 16, CONTENT_W, 48}, title, &ts, "title", NULL);
}

/* A big-number tile: value on top, label under it. */
static void tile(ctx *c, vp_rect r, const char *value, const char *label, vp_rgb accent,
                 const char *id)
{
    vp_shape_style bg = {.fill = true, .fill_color = c->th->tile, .radius = 4,
                         .flags = VP_BOX_CONTAINER};
    vp_pdf_rect(c->d, r, &bg, id);
    vp_shape_style bar = {.fill = true, .fill_color = accent};
    vp_pdf_rect(c->d, (vp_rect){r.x, r.y, 3, r.h}, &bar, NULL);
    vp_text_style vs = {.size = 18, .color = c->th->ink, .bold = true, .max_lines = 1,
                        .flags = VP_TEXT_TRUNCATE_OK};
    vp_pdf_text(c->d, (vp_rect){r.x + 12, r.y + 10, r.w - 20, 26}, value, &vs, NULL, NULL);
    vp_text_style lbs = {.size = 9, .color = c->th->secondary, .max_lines = 2,
                         .flags = VP_TEXT_TRUNCATE_OK};
    vp_pdf_text(c->d, (vp_rect){r.x + 12, r.y + 38, r.w - 20, r.h - 40}, label, &lbs, NULL, NULL);
}

static const char *money_short(ctx *c, const char *cur, double v)
{
    char buf[VP_FMT_MAX];
    return vp_arena_strdup(&c->arena, vp_fmt_money_short(buf, sizeof buf, c->loc, cur, v));
}

static void overview(ctx *c, const vp_portfolio_totals *tot, size_t n, vp_date as_of)
{
    vp_pdf_add_page(c->d, PAGE_W, PAGE_H);
    vp_pdf_bookmark(c->d, tr(c, "portfolio.pdf.overview"), 0);
    char date[VP_FMT_MAX], num[VP_FMT_MAX];
    vp_fmt_date(date, sizeof date, c->loc, as_of);
    const char *dk[] = {"date"}, *dv[] = {date};
    char label[256];
    snprintf(label, sizeof label, "%s · %s", tr(c, "portfolio.title"),
             fill(c, tr(c, "portfolio.pdf.as_of"), dk, dv, 1));
    if (!tot->n_currencies) {
        section_title(c, MARGIN, label, tr(c, "portfolio.pdf.empty"));
        return;
    }
    const vp_currency_totals *m = &tot->currencies[0];   /* the largest currency */
    size_t at_risk = 0, total_accounts = 0;
    for (size_t i = 0; i < tot->n_currencies; i++) {
        at_risk += tot->currencies[i].accounts_by_band[2];
        total_accounts += tot->currencies[i].accounts;
    }
    char ar[16], total_s[16];
    snprintf(ar, sizeof ar, "%zu", at_risk);
    snprintf(total_s, sizeof total_s, "%zu", total_accounts);
    const char *keys[] = {"at_risk", "total", "arr_at_risk", "renewing"};
    const char *vals[] = {ar, total_s, money_short(c, m->currency, m->arr_by_band[2]),
                          money_short(c, m->currency, m->arr_renewing_90)};
    const char *title = fill(c, tr(c, at_risk ? "portfolio.pdf.title_risk" : "portfolio.pdf.title_ok"),
                             keys, vals, 4);
    section_title(c, MARGIN, label, title);

    /* Six tiles across: accounts, ARR, at-risk ARR, renewing in 90 days, value, alerts. */
    double y = MARGIN + 72, gap = 10, tw = (CONTENT_W - 5 * gap) / 6, th = 72;
    char buf[VP_FMT_MAX];
    snprintf(num, sizeof num, "%zu", total_accounts);
    tile(c, (vp_rect){MARGIN, y, tw, th}, num, tr(c, "portfolio.totals.accounts"), c->th->accent, "tile-accounts");
    tile(c, (vp_rect){MARGIN + (tw + gap), y, tw, th},
         vp_fmt_money_short(buf, sizeof buf, c->loc, m->currency, m->arr), tr(c, "portfolio.totals.arr"),
         c->th->accent, "tile-arr");
    char lbl[160];
    snprintf(lbl, sizeof lbl, "%s %s", tr(c, "portfolio.totals.arr_band"), band_label(c, "at_risk"));
    tile(c, (vp_rect){MARGIN + 2 * (tw + gap), y, tw, th},
         vp_fmt_money_short(buf, sizeof buf, c->loc, m->currency, m->arr_by_band[2]), lbl, c->th->bad,
         "tile-risk");
    tile(c, (vp_rect){MARGIN + 3 * (tw + gap), y, tw, th},
         vp_fmt_money_short(buf, sizeof buf, c->loc, m->currency, m->arr_renewing_90),
         tr(c, "portfolio.totals.renewing_90"), c->th->warning, "tile-renewing");
    tile(c, (vp_rect){MARGIN + 4 * (tw + gap), y, tw, th},
         vp_fmt_money_short(buf, sizeof buf, c->loc, m->currency, m->value),
         tr(c, "portfolio.totals.value"), c->th->good, "tile-value");
    size_t alerts = 0;
    for (size_t i = 0; i < tot->n_currencies; i++)
        alerts += tot->currencies[i].alerts;
    snprintf(num, sizeof num, "%zu", alerts);
    tile(c, (vp_rect){MARGIN + 5 * (tw + gap), y, tw, th}, num, tr(c, "portfolio.totals.alerts"),
         c->th->bad, "tile-alerts");

    /* Two charts side by side. */
    double cy = y + th + 24, cw = (CONTENT_W - 24) / 2, ch = 230;
    vp_text_style cap = {.size = 11, .color = c->th->ink, .bold = true, .max_lines = 1,
                         .flags = VP_TEXT_TRUNCATE_OK};
    char cap_s[200];
    snprintf(cap_s, sizeof cap_s, "%s (%s)", tr(c, "portfolio.pdf.arr_by_band"), m->currency);
    vp_pdf_text(c->d, (vp_rect){MARGIN, cy, cw, 16}, cap_s, &cap, "cap-band", NULL);
    static const char *const bands[4] = {"healthy", "watch", "at_risk", NULL};
    const char *labels[4], *vlabels[4];
    double values[4];
    vp_rgb colors[4];
    for (int b = 0; b < 4; b++) {
        char full[160];
        snprintf(full, sizeof full, "%s (%zu)", band_label(c, bands[b]), m->accounts_by_band[b]);
        labels[b] = vp_arena_strdup(&c->arena, full);
        values[b] = m->arr_by_band[b];
        vlabels[b] = money_short(c, m->currency, m->arr_by_band[b]);
        colors[b] = band_color(c, bands[b]);
    }
    vp_bar_series bs = {.name = tr(c, "portfolio.totals.arr"), .kind = VP_SERIES_ACTUAL,
                        .values = values, .value_labels = vlabels, .colors = colors};
    vp_bar_chart bc = {.n = 4, .labels = labels, .series = &bs, .n_series = 1, .horizontal = true};
    vp_chart_bar(c->d, (vp_rect){MARGIN, cy + 22, cw, ch}, &bc, "chart-band");

    /* ARR renewing per month over the next 12 months (main currency). */
    snprintf(cap_s, sizeof cap_s, "%s (%s)", tr(c, "portfolio.pdf.renewals_by_month"), m->currency);
    vp_pdf_text(c->d, (vp_rect){MARGIN + cw + 24, cy, cw, 16}, cap_s, &cap, "cap-months", NULL);
    (void)n;
}

/* The monthly renewals chart (main currency), drawn after overview() on the same page. */
static void renewals_chart(ctx *c, const vp_portfolio_totals *tot, vp_date as_of)
{
    if (!tot->n_currencies)
        return;
    const char *cur = tot->currencies[0].currency;
    int y0, m0, d0;
    vp_date_to_ymd(as_of, &y0, &m0, &d0);
    double values[12];
    memcpy(values, tot->currencies[0].arr_by_month, sizeof values);
    const char *labels[12], *vlabels[12];
    for (int k = 0; k < 12; k++) {
        int mi = (m0 - 1 + k) % 12 + 1, yi = y0 + (m0 - 1 + k) / 12;
        vp_period p = {VP_PERIOD_MONTH, (uint8_t)mi, (int16_t)yi};
        char buf[VP_FMT_MAX];
        labels[k] = vp_arena_strdup(&c->arena, vp_fmt_period_short(buf, sizeof buf, c->loc, p));
        vlabels[k] = values[k] > 0 ? money_short(c, cur, values[k]) : NULL;
    }
    double cw = (CONTENT_W - 24) / 2;
    double cy = MARGIN + 72 + 72 + 24;
    vp_bar_series bs = {.name = tr(c, "portfolio.totals.arr"), .kind = VP_SERIES_ACTUAL,
                        .values = values, .value_labels = vlabels};
    vp_bar_chart bc = {.n = 12, .labels = labels, .series = &bs, .n_series = 1, .size = 8};
    vp_chart_bar(c->d, (vp_rect){MARGIN + cw + 24, cy + 22, cw, 230}, &bc, "chart-months");

    /* Totals of the other currencies, one line each (ARR is never added across currencies). */
    if (tot->n_currencies > 1) {
        double y = cy + 22 + 230 + 14;
        vp_text_style ns = {.size = 9, .color = c->th->secondary, .max_lines = 1,
                            .flags = VP_TEXT_TRUNCATE_OK};
        for (size_t i = 1; i < tot->n_currencies && y < FOOTER_Y - 24; i++) {
            const vp_currency_totals *t = &tot->currencies[i];
            char a[VP_FMT_MAX], r90[VP_FMT_MAX], line[400];
            snprintf(line, sizeof line, "%s%s%s: %zu · %s: %s · %s: %s",
                     i == 1 ? tr(c, "portfolio.pdf.other_currencies") : "", i == 1 ? " — " : "",
                     t->currency,
                     t->accounts, tr(c, "portfolio.totals.arr"),
                     vp_fmt_money(a, sizeof a, c->loc, t->currency, t->arr),
                     tr(c, "portfolio.totals.renewing_90"),
                     vp_fmt_money(r90, sizeof r90, c->loc, t->currency, t->arr_renewing_90));
            char id[48];
            snprintf(id, sizeof id, "other-currency-%zu", i);
            vp_pdf_text(c->d, (vp_rect){MARGIN, y, CONTENT_W, 14}, line, &ns, id, NULL);
            y += 14;
        }
    }
}

/* The table of the first n of `total` accounts (render.h: VP_PORTFOLIO_PDF_MAX_ROWS). */
static void accounts_table(ctx *c, const vp_account_summary *rows, size_t n, size_t total)
{
    if (!n)
        return;
    if (n > VP_PORTFOLIO_PDF_MAX_ROWS)
        n = VP_PORTFOLIO_PDF_MAX_ROWS;
    const vp_table_col cols[] = {
        /* The account's name gets what the figures leave (~150 pt); its id is in the XLSX. */
        {tr(c, "portfolio.col.name"), 0, VP_ALIGN_LEFT, 2},
        {tr(c, "portfolio.col.band"), 62, VP_ALIGN_LEFT, 1},
        {tr(c, "portfolio.col.health"), 54, VP_ALIGN_RIGHT, 1},
        {tr(c, "portfolio.col.change"), 56, VP_ALIGN_RIGHT, 1},
        {tr(c, "portfolio.col.value"), 74, VP_ALIGN_RIGHT, 1},
        {tr(c, "portfolio.col.roi"), 46, VP_ALIGN_RIGHT, 1},
        {tr(c, "portfolio.col.arr"), 76, VP_ALIGN_RIGHT, 1},
        {tr(c, "portfolio.col.renewal_date"), 80, VP_ALIGN_RIGHT, 1},
        {tr(c, "portfolio.col.days_to_renewal"), 52, VP_ALIGN_RIGHT, 1},
        {tr(c, "portfolio.col.recommended"), 110, VP_ALIGN_LEFT, 2},
    };
    enum { NC = sizeof cols / sizeof cols[0] };
    vp_table *t = NULL;
    vp_table_style ts = {.size = 9, .zebra = true};
    if (vp_table_new(&t, c->d, cols, NC, CONTENT_W, &ts) != VP_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        const vp_account_summary *r = &rows[i];
        char score[VP_FMT_MAX], change[VP_FMT_MAX + 8], value[VP_FMT_MAX], roi[VP_FMT_MAX],
            arr[VP_FMT_MAX], date[VP_FMT_MAX], days[32], rec[256], name[600];
        vp_fmt_number(score, sizeof score, c->loc, r->score, 1);
        /* Scores carry one decimal; so does their change ("−7.0", "+0.2"). */
        if (VP_HAS(r->change)) {
            char abs_s[VP_FMT_MAX];
            vp_fmt_number(abs_s, sizeof abs_s, c->loc, fabs(r->change), 1);
            snprintf(change, sizeof change, "%s%s", strcmp(abs_s, "0.0") == 0 ? "" :
                     r->change < 0 ? VP_MINUS : "+", abs_s);
        }
        vp_fmt_money(value, sizeof value, c->loc, r->currency, r->total_value);
        vp_fmt_multiple(roi, sizeof roi, c->loc, r->roi);
        vp_fmt_money(arr, sizeof arr, c->loc, r->currency, r->arr);
        vp_fmt_date(date, sizeof date, c->loc, r->renewal_date);
        snprintf(days, sizeof days, "%d", r->days_to_renewal);
        vp_summary_option_label(r, c->tpl, c->loc, rec, sizeof rec);
        snprintf(name, sizeof name, "%s%s", r->alert ? "\xE2\x96\xB2 " : "", r->name);
        vp_rgb bc = band_color(c, r->band);
        vp_table_cell cells[NC] = {
            {.text = name, .color = r->alert ? &c->th->bad : NULL},
            {.text = band_label(c, r->band), .kind = VP_CELL_PILL, .color = &bc},
            {.text = score},
            {.text = VP_HAS(r->change) ? change : VP_FMT_NONE,
             .color = VP_HAS(r->change) && r->change < 0 ? &c->th->bad : NULL},
            {.text = value},
            {.text = roi},
            {.text = arr},
            {.text = date},
            {.text = days, .color = r->days_to_renewal >= 0 && r->days_to_renewal <= 90 ? &c->th->warning : NULL,
             .bold = r->days_to_renewal >= 0 && r->days_to_renewal <= 90},
            {.text = rec},
        };
        if (vp_table_add_row(t, cells) != VP_OK)
            break;
    }
    double top = MARGIN + 70, avail = FOOTER_Y - 12 - top;
    size_t nch = vp_table_paginate(t, avail, avail, NULL, 0);
    vp_table_chunk *chunks = vp_arena_calloc(&c->arena, nch ? nch : 1, sizeof *chunks);
    if (!chunks) {
        vp_table_free(t);
        return;
    }
    vp_table_paginate(t, avail, avail, chunks, nch);
    for (size_t i = 0; i < nch; i++) {
        vp_pdf_add_page(c->d, PAGE_W, PAGE_H);
        if (i == 0)
            vp_pdf_bookmark(c->d, tr(c, "portfolio.pdf.accounts"), 0);
        char title[300];
        if (nch > 1)
            snprintf(title, sizeof title, "%s (%zu/%zu)", tr(c, "portfolio.pdf.table_title"), i + 1, nch);
        else
            snprintf(title, sizeof title, "%s", tr(c, "portfolio.pdf.table_title"));
        section_title(c, MARGIN, tr(c, "portfolio.pdf.accounts"), title);
        double used = 0;
        vp_table_draw(c->d, t, chunks[i].first, chunks[i].count, MARGIN, top, avail, "accounts",
                      &used);
        if (i + 1 == nch && total > n) {
            char more[32], all[32];
            snprintf(more, sizeof more, "%zu", total - n);
            snprintf(all, sizeof all, "%zu", total);
            const char *k[] = {"more", "total"}, *v[] = {more, all};
            vp_text_style ns = {.size = 9, .color = c->th->secondary, .max_lines = 2};
            double y = top + used + 8;
            if (y + 26 > FOOTER_Y - 8) {   /* no room under the last rows: a page of its own */
                vp_pdf_add_page(c->d, PAGE_W, PAGE_H);
                section_title(c, MARGIN, tr(c, "portfolio.pdf.accounts"), title);
                y = top;
            }
            vp_pdf_text(c->d, (vp_rect){MARGIN, y, CONTENT_W, 0},
                        fill(c, tr(c, "portfolio.pdf.more"), k, v, 2), &ns, "more-accounts", NULL);
        }
    }
    vp_table_free(t);
}

static void footers(ctx *c)
{
    int n = vp_pdf_page_count(c->d);
    vp_text_style fs = {.size = 8, .color = c->th->secondary, .max_lines = 1,
                        .flags = VP_TEXT_TRUNCATE_OK};
    for (int p = 0; p < n; p++) {
        vp_pdf_set_page(c->d, p);
        vp_shape_style rule = {.stroke = true, .stroke_color = c->th->rule, .line_width = 0.5};
        vp_pdf_line(c->d, MARGIN, FOOTER_Y - 6, PAGE_W - MARGIN, FOOTER_Y - 6, &rule);
        vp_pdf_text(c->d, (vp_rect){MARGIN, FOOTER_Y, CONTENT_W / 2, 12}, tr(c, "portfolio.title"),
                    &fs, "footer-left", NULL);
        char pg[32];
        snprintf(pg, sizeof pg, "%d / %d", p + 1, n);
        vp_text_style rs = fs;
        rs.align = VP_ALIGN_RIGHT;
        vp_pdf_text(c->d, (vp_rect){MARGIN + CONTENT_W / 2, FOOTER_Y, CONTENT_W / 2, 12}, pg, &rs,
                    "footer-right", NULL);
    }
}

int vp_portfolio_pdf_render(const struct vp_account_summary *rows, size_t n_rows, size_t n_total,
                            const struct vp_portfolio_totals *totals, const char *path,
                            const vp_templates *tpl, const vp_fontset *fonts, vp_locale loc,
                            vp_date as_of, vp_diag *diag)
{
    ctx c = {.tpl = tpl, .th = &tpl->theme, .loc = loc};
    vp_arena_init(&c.arena, 16 * 1024);
    int rc = vp_pdf_new(&c.d, fonts, &tpl->theme, diag);
    if (rc != VP_OK) {
        vp_arena_destroy(&c.arena);
        return rc;
    }
    vp_pdf_info info = {.title = tr(&c, "portfolio.title"), .subject = tr(&c, "portfolio.subtitle")};
    vp_pdf_set_info(c.d, &info);
    if (!getenv("SOURCE_DATE_EPOCH"))
        vp_pdf_set_time(c.d, (time_t)as_of * 86400);
    overview(&c, totals, n_total, as_of);
    renewals_chart(&c, totals, as_of);
    accounts_table(&c, rows, n_rows, n_total);
    footers(&c);
    rc = vp_pdf_status(c.d);
    if (rc == VP_OK && c.arena.failed) {
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "out of memory");
        rc = VP_ERR_NOMEM;
    }
    if (rc == VP_OK)
        rc = vp_pdf_save(c.d, path, NULL);
    vp_pdf_free(c.d);
    vp_arena_destroy(&c.arena);
    return rc;
}
