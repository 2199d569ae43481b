/* appendix.c — the Excel appendix (SPEC §4, issue "The Excel appendix").
 *
 * Every figure behind the PDFs, as sheets a finance reader can audit: live formulas for
 * Δ, Δ%, progress, value, the health total and the renewal tiers, each written with its
 * cached result (worksheet_write_formula_num) equal to the computed model, so viewers that
 * do not recalculate show the same numbers as the deck. Sheet and header names come from
 * report_templates/locales/<locale>/appendix.json.
 *
 * libxlsxwriter 1.1.4 writes only to a named file: the workbook goes to a temporary name
 * in the output folder (registered with vp_tmpfile_notify so batch can remove it on a
 * signal) and is renamed into place after workbook_close() succeeds. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../compute/report.h"
#include "../format/format.h"
#include "../util/alloc.h"
#include "../util/fs.h"
#include "../util/utf8.h"
#include "xlsx.h"

#define MAX_COLS 64

/* One worksheet and the widest text seen per column (in character columns, CJK = 2). */
typedef struct sheet {
    lxw_worksheet *ws;
    const char *name;
    double width[MAX_COLS];
    lxw_error *err;     /* the book's first libxlsxwriter failure (see note_err) */
} sheet;

typedef struct book {
    const vp_report *r;
    const vp_templates *tpl;
    vp_locale loc;
    lxw_workbook *wb;
    lxw_format *title, *header, *text, *wrap, *integer, *number, *money, *money_cents, *pct,
        *ratio, *date,
        *multiple, *bold, *total_money, *total_label, *note;
    char money_fmt[64], money_cents_fmt[64];
    lxw_error err;      /* first failure of a libxlsxwriter call (out of memory): no workbook */
} book;

static const char *tr(const book *b, const char *key) { return vp_tr(b->tpl, b->loc, key); }

/* libxlsxwriter reports a failed cell write (out of memory) only through its return
 * value: remember the first one, so the workbook is not written with cells missing. */
static void note_err(lxw_error *sticky, lxw_error e)
{
    if (e != LXW_NO_ERROR && *sticky == LXW_NO_ERROR)
        *sticky = e;
}

static void note_width(sheet *s, int col, double w)
{
    if (col >= 0 && col < MAX_COLS && w > s->width[col])
        s->width[col] = w;
}

static void text_width(sheet *s, int col, const char *t)
{
    note_width(s, col, (double)vp_utf8_columns(t) + 2);
}

static void put_str(sheet *s, int row, int col, const char *t, lxw_format *f)
{
    if (!t)
        return;
    note_err(s->err, worksheet_write_string(s->ws, (lxw_row_t)row, (lxw_col_t)col, t, f));
    text_width(s, col, t);
}

/* Numbers: NaN (cannot be computed) leaves the cell blank — never a made-up zero. */
static void put_num(sheet *s, int row, int col, double v, lxw_format *f)
{
    if (!isfinite(v))
        return;
    note_err(s->err,
             worksheet_write_number(s->ws, (lxw_row_t)row, (lxw_col_t)col, v == 0 ? 0.0 : v, f));
    char buf[32];
    snprintf(buf, sizeof buf, "%.2f", fabs(v));
    note_width(s, col, (double)strlen(buf) + 4);
}

/* Money as given: whole units, or with cents when it has them (an input like 42,500.50). */
static void put_money(const book *b, sheet *s, int row, int col, double v)
{
    put_num(s, row, col, v, isfinite(v) && v != floor(v) ? b->money_cents : b->money);
}

static void put_formula(sheet *s, int row, int col, const char *formula, lxw_format *f,
                        double cached)
{
    note_err(s->err, worksheet_write_formula_num(s->ws, (lxw_row_t)row, (lxw_col_t)col, formula, f,
                                                 isfinite(cached) ? (cached == 0 ? 0.0 : cached)
                                                                  : 0.0));
    note_width(s, col, 12);
}

static void put_date(sheet *s, int row, int col, vp_date d, lxw_format *f)
{
    if (d == VP_NO_DATE)
        return;
    int y, m, dd;
    vp_date_to_ymd(d, &y, &m, &dd);
    lxw_datetime dt = {y, m, dd, 0, 0, 0};
    note_err(s->err, worksheet_write_datetime(s->ws, (lxw_row_t)row, (lxw_col_t)col, &dt, f));
    note_width(s, col, 12);
}

static void put_period(sheet *s, int row, int col, vp_period p, lxw_format *f)
{
    char buf[8];
    if (p.kind == VP_PERIOD_NONE)
        return;
    vp_period_format(p, buf);
    put_str(s, row, col, buf, f);
}

/* "B7" for row 6, col 1 (zero-based). */
static const char *cell(char buf[16], int row, int col)
{
    lxw_rowcol_to_cell(buf, (lxw_row_t)row, (lxw_col_t)col);
    return buf;
}

/* Header row 0 from locale keys; frozen below it. */
static void put_headers(book *b, sheet *s, const char *const *keys, int n)
{
    for (int c = 0; c < n; c++)
        put_str(s, 0, c, tr(b, keys[c]), b->header);
    note_err(s->err, worksheet_set_row(s->ws, 0, 30, NULL));
    worksheet_freeze_panes(s->ws, 1, 0);
}

static void finish_columns(sheet *s, int ncols)
{
    for (int c = 0; c < ncols && c < MAX_COLS; c++) {
        double w = s->width[c] < 8 ? 8 : s->width[c] > 60 ? 60 : s->width[c];
        note_err(s->err, worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL));
    }
}

/* Excel sheet names: 1..31 characters, none of []:*?/\ (libxlsxwriter 1.1.4's own check
 * has overflow bugs, so names are checked here). */
static bool sheet_name_ok(const char *name)
{
    return name && *name && vp_utf8_length(name) <= 31 && !strpbrk(name, "[]:*?/\\") &&
           name[0] != '\'';
}

static int add_sheet(book *b, sheet *s, const char *key, vp_diag *diag)
{
    memset(s, 0, sizeof *s);
    s->err = &b->err;
    s->name = tr(b, key);
    if (!sheet_name_ok(s->name)) {
        vp_diag_add(diag, VP_SEV_ERROR, vp_templates_dir(b->tpl), key, 0, 0,
                    "sheet name \"%s\" is not valid in Excel, expected 1 to 31 characters "
                    "without []:*?/\\", s->name);
        return VP_ERR_TEMPLATE;
    }
    s->ws = workbook_add_worksheet(b->wb, s->name);
    return s->ws ? VP_OK : VP_ERR_RENDER;
}

/* ---- formats --------------------------------------------------------------------------- */

static lxw_color_t rgb_of(vp_rgb c)
{
    return ((lxw_color_t)lround(c.r * 255) << 16) | ((lxw_color_t)lround(c.g * 255) << 8) |
           (lxw_color_t)lround(c.b * 255);
}

/* VP_ERR_NOMEM when libxlsxwriter cannot allocate a format (format_set_* need one). */
static int make_formats(book *b)
{
    const vp_theme *th = &b->tpl->theme;
    lxw_workbook *wb = b->wb;
    const char *cur = b->r->currency;
    const char *sym = vp_currency_symbol(cur);
    if (!strcmp(cur, "CNY") || !strcmp(cur, "USD")) {
        snprintf(b->money_fmt, sizeof b->money_fmt, "\"%s\"#,##0", sym);
        snprintf(b->money_cents_fmt, sizeof b->money_cents_fmt, "\"%s\"#,##0.00", sym);
    } else {
        snprintf(b->money_fmt, sizeof b->money_fmt, "#,##0 \"%s\"", cur);
        snprintf(b->money_cents_fmt, sizeof b->money_cents_fmt, "#,##0.00 \"%s\"", cur);
    }
    lxw_format **all[] = {&b->title, &b->header, &b->text, &b->wrap, &b->integer, &b->number, &b->money, &b->money_cents, &b->pct, &b->ratio, &b->date, &b->multiple, &b->bold, &b->total_label, &b->total_money, &b->note};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!(*all[i] = workbook_add_format(wb))) {
            b->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
            return VP_ERR_NOMEM;
        }

    format_set_bold(b->title);
    format_set_font_size(b->title, 14);
    format_set_font_color(b->title, rgb_of(th->accent));

    format_set_bold(b->header);
    format_set_text_wrap(b->header);
    format_set_align(b->header, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(b->header, rgb_of(th->tile));
    format_set_bottom(b->header, LXW_BORDER_THIN);
    format_set_bottom_color(b->header, rgb_of(th->accent));

    format_set_text_wrap(b->wrap);
    format_set_align(b->wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_num_format(b->integer, "#,##0");
    format_set_num_format(b->number, "#,##0.##");
    format_set_num_format(b->money, b->money_fmt);
    format_set_num_format(b->money_cents, b->money_cents_fmt);
    format_set_num_format(b->pct, "0.0%");
    format_set_num_format(b->ratio, "0.000");
    format_set_num_format(b->date, "yyyy-mm-dd");
    format_set_num_format(b->multiple, "0.00\"\xC3\x97\"");
    format_set_bold(b->bold);
    format_set_bold(b->total_label);
    format_set_top(b->total_label, LXW_BORDER_THIN);
    format_set_bold(b->total_money);
    format_set_top(b->total_money, LXW_BORDER_THIN);
    format_set_num_format(b->total_money, b->money_fmt);
    format_set_italic(b->note);
    format_set_font_color(b->note, rgb_of(th->secondary));
    return VP_OK;
}

/* ---- KPIs ------------------------------------------------------------------------------- */

enum { K_ID, K_NAME, K_UNIT, K_SIGN, K_BASE, K_TARGET, K_ACTUAL, K_PERIOD, K_DELTA, K_DPCT,
       K_PROGRESS, K_EXPECTED, K_STATUS, K_VPU, K_VALUE, K__N };

/* Returns the row of the total (for the Summary's reference). */
static int sheet_kpis(book *b, sheet *s)
{
    static const char *const hdr[K__N] = {
        "appendix.kpis.id", "appendix.kpis.name", "appendix.kpis.unit", "appendix.kpis.sign",
        "appendix.kpis.baseline", "appendix.kpis.target", "appendix.kpis.actual",
        "appendix.kpis.actual_period", "appendix.kpis.delta", "appendix.kpis.delta_pct",
        "appendix.kpis.progress", "appendix.kpis.expected", "appendix.kpis.status",
        "appendix.kpis.value_per_unit", "appendix.kpis.value"};
    put_headers(b, s, hdr, K__N);
    worksheet_freeze_panes(s->ws, 1, 2);
    const vp_report *r = b->r;
    char f[256], c1[16], c2[16], c3[16], c4[16];
    int row = 1;
    for (size_t i = 0; i < r->n_kpis; i++, row++) {
        const vp_kpi_result *k = &r->kpis[i];
        put_str(s, row, K_ID, k->kpi->id, b->text);
        put_str(s, row, K_NAME, k->kpi->name, b->text);
        put_str(s, row, K_UNIT, k->kpi->unit, b->text);
        put_num(s, row, K_SIGN, k->kpi->direction == VP_DIR_DECREASE ? -1 : 1, b->integer);
        put_num(s, row, K_BASE, k->kpi->baseline, b->number);
        put_num(s, row, K_TARGET, k->kpi->target, b->number);
        put_money(b, s, row, K_VPU, k->kpi->value_per_unit);
        char key[64];
        snprintf(key, sizeof key, "common.status.%s", vp_kpi_status_name(k->status));
        put_str(s, row, K_STATUS, tr(b, key), b->text);
        if (!VP_HAS(k->actual))
            continue;   /* no data: derived cells stay blank, never a zero */
        put_num(s, row, K_ACTUAL, k->actual, b->number);
        put_period(s, row, K_PERIOD, k->actual_period, b->text);
        const char *G = cell(c1, row, K_ACTUAL), *E = cell(c2, row, K_BASE);
        snprintf(f, sizeof f, "=%s-%s", G, E);
        put_formula(s, row, K_DELTA, f, b->number, k->delta);
        if (VP_HAS(k->delta_pct)) {
            snprintf(f, sizeof f, "=%s/ABS(%s)", cell(c3, row, K_DELTA), E);
            put_formula(s, row, K_DPCT, f, b->pct, k->delta_pct / 100.0);
        }
        const char *F = cell(c3, row, K_TARGET), *D = cell(c4, row, K_SIGN);
        snprintf(f, sizeof f, "=IF(%s=%s,IF(%s*(%s-%s)>=0,1,0),(%s-%s)/(%s-%s))", F, E, D, G, E,
                 G, E, F, E);
        put_formula(s, row, K_PROGRESS, f, b->pct, k->progress);
        put_num(s, row, K_EXPECTED, k->expected, b->pct);
        char cv[16];
        snprintf(f, sizeof f, "=ROUND(MAX(0,%s*(%s-%s))*%s,0)", D, G, E, cell(cv, row, K_VPU));
        put_formula(s, row, K_VALUE, f, b->money, k->value);
    }
    put_str(s, row, K_NAME, tr(b, "appendix.total"), b->total_label);
    snprintf(f, sizeof f, "=SUM(%s:%s)", cell(c1, 1, K_VALUE), cell(c2, row - 1, K_VALUE));
    put_formula(s, row, K_VALUE, f, b->total_money, r->total_value);
    if (r->n_kpis)
        note_err(s->err, worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)(row - 1), K__N - 1));
    note_width(s, K_NAME, 24);
    finish_columns(s, K__N);
    return row;
}

/* ---- Actuals (KPI x period) -------------------------------------------------------------- */

static void sheet_actuals(book *b, sheet *s, vp_arena *scratch)
{
    const vp_report *r = b->r;
    int fy = r->account->fiscal_year_start_month;
    /* The union of periods over every KPI's trend, in order. */
    size_t cap = 0;
    for (size_t i = 0; i < r->n_kpis; i++)
        cap += r->kpis[i].n_trend;
    vp_period *ps = cap ? vp_arena_calloc(scratch, cap, sizeof *ps) : NULL;
    if (cap && !ps) {
        note_err(s->err, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    size_t np = 0;
    for (size_t i = 0; i < r->n_kpis && ps; i++)
        for (size_t t = 0; t < r->kpis[i].n_trend; t++) {
            vp_period p = r->kpis[i].trend[t].period;
            size_t j = 0;
            while (j < np && vp_period_cmp(ps[j], p, fy) < 0)
                j++;
            if (j < np && vp_period_eq(ps[j], p))
                continue;
            memmove(ps + j + 1, ps + j, (np - j) * sizeof *ps);
            ps[j] = p;
            np++;
        }
    put_str(s, 0, 0, tr(b, "appendix.kpis.id"), b->header);
    put_str(s, 0, 1, tr(b, "appendix.kpis.name"), b->header);
    for (size_t j = 0; j < np && j + 2 < MAX_COLS; j++)
        put_period(s, 0, (int)j + 2, ps[j], b->header);
    worksheet_freeze_panes(s->ws, 1, 2);
    int row = 1;
    for (size_t i = 0; i < r->n_kpis; i++, row++) {
        const vp_kpi_result *k = &r->kpis[i];
        put_str(s, row, 0, k->kpi->id, b->text);
        put_str(s, row, 1, k->kpi->name, b->text);
        for (size_t t = 0; t < k->n_trend; t++)
            for (size_t j = 0; j < np && j + 2 < MAX_COLS; j++)
                if (vp_period_eq(ps[j], k->trend[t].period))
                    put_num(s, row, (int)j + 2, k->trend[t].value, b->number);
    }
    int ncols = (int)(np + 2 < MAX_COLS ? np + 2 : MAX_COLS);
    if (r->n_kpis)
        note_err(s->err, worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)(row - 1), (lxw_col_t)(ncols - 1)));
    finish_columns(s, ncols);
}

/* ---- Usage --------------------------------------------------------------------------------- */

static void sheet_usage(book *b, sheet *s)
{
    static const char *const hdr[] = {
        "appendix.usage.period", "appendix.usage.licensed_users", "appendix.usage.active_monthly",
        "appendix.usage.active_weekly", "appendix.usage.active_daily", "appendix.usage.adoption",
        "appendix.usage.stickiness"};
    enum { U_N = 7 };
    const vp_account *a = b->r->account;
    put_headers(b, s, hdr, U_N);
    int col = U_N;
    /* One column per contract module share, then per transaction name seen. */
    int mod_col0 = col;
    for (size_t m = 0; m < a->n_modules && col < MAX_COLS; m++, col++) {
        char h[160];
        snprintf(h, sizeof h, "%s %s", tr(b, "appendix.usage.share"),
                 a->modules[m].name ? a->modules[m].name : a->modules[m].code);
        put_str(s, 0, col, h, b->header);
    }
    int tx_col0 = col;
    const char *tx_names[MAX_COLS];
    int n_tx = 0;
    for (size_t u = 0; u < a->n_usage; u++)
        for (size_t t = 0; t < a->usage[u].n_transactions; t++) {
            const char *nm = a->usage[u].transactions[t].key;
            int j = 0;
            while (j < n_tx && strcmp(tx_names[j], nm))
                j++;
            if (j == n_tx && tx_col0 + n_tx < MAX_COLS) {
                tx_names[n_tx++] = nm;
                char key[160];
                snprintf(key, sizeof key, "appendix.transactions.%s", nm);
                put_str(s, 0, tx_col0 + j,
                        vp_tr_has(b->tpl, b->loc, key) ? tr(b, key) : nm, b->header);
            }
        }
    int row = 1;
    char f[128], c1[16], c2[16];
    for (size_t u = 0; u < a->n_usage; u++, row++) {
        const vp_usage *us = &a->usage[u];
        double lic = VP_HAS(us->licensed_users) ? us->licensed_users : a->licensed_users;
        put_period(s, row, 0, us->period, b->text);
        put_num(s, row, 1, lic, b->integer);
        put_num(s, row, 2, us->active_monthly, b->integer);
        put_num(s, row, 3, us->active_weekly, b->integer);
        put_num(s, row, 4, us->active_daily, b->integer);
        if (VP_HAS(lic) && lic > 0 && VP_HAS(us->active_monthly)) {
            snprintf(f, sizeof f, "=%s/%s", cell(c1, row, 2), cell(c2, row, 1));
            put_formula(s, row, 5, f, b->pct, us->active_monthly / lic);
        }
        if (VP_HAS(us->active_monthly) && us->active_monthly > 0 && VP_HAS(us->active_daily)) {
            snprintf(f, sizeof f, "=%s/%s", cell(c1, row, 4), cell(c2, row, 2));
            put_formula(s, row, 6, f, b->pct, us->active_daily / us->active_monthly);
        }
        for (size_t m = 0; m < a->n_modules && mod_col0 + (int)m < MAX_COLS; m++) {
            if (!us->has_modules)
                continue;
            double share = 0;   /* SPEC §3: a licensed module absent from the map = 0 */
            for (size_t j = 0; j < us->n_modules; j++)
                if (!strcmp(us->modules[j].key, a->modules[m].code))
                    share = us->modules[j].value;
            put_num(s, row, mod_col0 + (int)m, share, b->pct);
        }
        for (size_t t = 0; t < us->n_transactions; t++)
            for (int j = 0; j < n_tx; j++)
                if (!strcmp(tx_names[j], us->transactions[t].key))
                    put_num(s, row, tx_col0 + j, us->transactions[t].value, b->integer);
    }
    int ncols = tx_col0 + n_tx;
    if (a->n_usage)
        note_err(s->err, worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)(row - 1), (lxw_col_t)(ncols - 1)));
    else
        put_str(s, 1, 0, tr(b, "appendix.no_data"), b->note);
    finish_columns(s, ncols);
}

/* ---- Support --------------------------------------------------------------------------------- */

static void sheet_support(book *b, sheet *s)
{
    static const char *const hdr[] = {
        "appendix.support.period", "appendix.support.opened", "appendix.support.closed",
        "appendix.support.p1", "appendix.support.median_resolution_hours",
        "appendix.support.sla_met_pct", "appendix.support.csat"};
    put_headers(b, s, hdr, 7);
    const vp_account *a = b->r->account;
    int row = 1;
    for (size_t i = 0; i < a->n_support; i++, row++) {
        const vp_support *sp = &a->support[i];
        put_period(s, row, 0, sp->period, b->text);
        put_num(s, row, 1, sp->opened, b->integer);
        put_num(s, row, 2, sp->closed, b->integer);
        put_num(s, row, 3, sp->p1, b->integer);
        put_num(s, row, 4, sp->median_resolution_hours, b->number);
        put_num(s, row, 5, VP_HAS(sp->sla_met_pct) ? sp->sla_met_pct / 100.0 : NAN, b->pct);
        put_num(s, row, 6, sp->csat, b->number);
    }
    if (a->n_support)
        note_err(s->err, worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)(row - 1), 6));
    else
        put_str(s, 1, 0, tr(b, "appendix.no_data"), b->note);
    finish_columns(s, 7);
}

/* ---- Training ----------------------------------------------------------------------------------- */

static void sheet_training(book *b, sheet *s)
{
    static const char *const hdr[] = {"appendix.training.date", "appendix.training.role",
                                      "appendix.training.topic", "appendix.training.module",
                                      "appendix.training.attendees"};
    put_headers(b, s, hdr, 5);
    const vp_account *a = b->r->account;
    int row = 1;
    double total = 0;
    for (size_t i = 0; i < a->n_training; i++, row++) {
        const vp_training *t = &a->training[i];
        put_date(s, row, 0, t->date, b->date);
        put_str(s, row, 1, t->role, b->text);
        put_str(s, row, 2, t->topic, b->wrap);
        put_str(s, row, 3, t->module, b->text);
        put_num(s, row, 4, t->attendees, b->integer);
        if (VP_HAS(t->attendees))
            total += t->attendees;
    }
    if (a->n_training) {
        char f[64], c1[16], c2[16];
        note_err(s->err, worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)(row - 1), 4));
        put_str(s, row, 3, tr(b, "appendix.total"), b->total_label);
        snprintf(f, sizeof f, "=SUM(%s:%s)", cell(c1, 1, 4), cell(c2, row - 1, 4));
        put_formula(s, row, 4, f, b->total_label, total);
    } else {
        put_str(s, 1, 0, tr(b, "appendix.no_data"), b->note);
    }
    finish_columns(s, 5);
}

/* ---- Health --------------------------------------------------------------------------------------- */

/* Returns the row of the score total. */
static int sheet_health(book *b, sheet *s)
{
    static const char *const hdr[] = {"appendix.health.component", "appendix.health.score",
                                      "appendix.health.weight", "appendix.health.weighted"};
    put_headers(b, s, hdr, 4);
    const vp_health *h = &b->r->health;
    char f[256], c1[16], c2[16];
    int row = 1;
    for (int i = 0; i < VP_H__COUNT; i++, row++) {
        const vp_health_component *c = &h->components[i];
        char key[64];
        snprintf(key, sizeof key, "common.health.%s", vp_health_id_name(c->id));
        put_str(s, row, 0, tr(b, key), b->text);
        put_num(s, row, 2, c->weight, b->number);
        if (VP_HAS(c->score)) {
            put_num(s, row, 1, c->score, b->ratio);
            snprintf(f, sizeof f, "=%s*%s", cell(c1, row, 1), cell(c2, row, 2));
            put_formula(s, row, 3, f, b->number, c->score * c->weight);
        } else {
            put_str(s, row, 3, tr(b, "appendix.no_data"), b->note);
        }
    }
    int total_row = row;
    put_str(s, row, 0, tr(b, "appendix.health.total"), b->total_label);
    if (VP_HAS(h->score)) {
        /* Components without data are blank in column B and drop out of both sums. */
        snprintf(f, sizeof f, "=ROUND(100*SUMPRODUCT(B2:B%d,C2:C%d)/SUMIF(B2:B%d,\"<>\",C2:C%d),1)",
                 row, row, row, row);
        put_formula(s, row, 1, f, b->total_label, h->score);
    } else {
        put_str(s, row, 1, tr(b, "appendix.no_data"), b->note);
    }
    row += 2;
    put_str(s, row, 0, tr(b, "appendix.health.band"), b->bold);
    if (h->band) {
        char key[64];
        snprintf(key, sizeof key, "common.band.%s", h->band->id);
        put_str(s, row, 1, tr(b, key), b->text);
    }
    row++;
    put_str(s, row, 0, tr(b, "appendix.health.previous"), b->bold);
    put_num(s, row, 1, h->previous, b->number);
    put_period(s, row, 2, h->previous_period, b->text);
    row++;
    put_str(s, row, 0, tr(b, "appendix.health.change"), b->bold);
    if (VP_HAS(h->score) && VP_HAS(h->previous)) {
        snprintf(f, sizeof f, "=%s-%s", cell(c1, total_row, 1), cell(c2, row - 1, 1));
        put_formula(s, row, 1, f, b->number, h->change);
    }
    row++;
    put_str(s, row, 0, tr(b, "appendix.health.alert"), b->bold);
    put_str(s, row, 1, tr(b, h->alert ? "appendix.yes" : "appendix.no"), b->text);

    /* Bar chart of the component scores (IBCS: one colour, values on the bars). */
    lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_BAR);
    char cats[320], vals[320];
    snprintf(cats, sizeof cats, "='%s'!$A$2:$A$7", s->name);
    snprintf(vals, sizeof vals, "='%s'!$B$2:$B$7", s->name);
    lxw_chart_series *ser = ch ? chart_add_series(ch, cats, vals) : NULL;
    if (!ser) {
        note_err(s->err, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return total_row;
    }
    chart_series_set_name(ser, tr(b, "appendix.health.score"));
    lxw_chart_fill fill = {.color = rgb_of(b->tpl->theme.accent)};
    chart_series_set_fill(ser, &fill);
    chart_series_set_labels(ser);
    chart_series_set_labels_num_format(ser, "0.00");
    chart_title_set_name(ch, tr(b, "appendix.health.chart_title"));
    /* A bar chart's value axis is its x axis. */
    chart_axis_set_min(ch->x_axis, 0);
    chart_axis_set_max(ch->x_axis, 1);
    chart_axis_set_num_format(ch->x_axis, "0%");
    chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
    note_err(s->err, worksheet_insert_chart(s->ws, 0, 5, ch));
    finish_columns(s, 4);
    return total_row;
}

/* ---- Renewal ------------------------------------------------------------------------------------ */

static void sheet_renewal(book *b, sheet *s, const sheet *opps, int opp_last_row)
{
    const vp_report *r = b->r;
    const vp_renewal *rn = &r->renewal;
    const vp_renewal_terms *terms = &r->account->renewal;
    char f[400];
    /* Inputs: B2 ARR, B3 uplift, B4 bundle discount, B5 added modules, B6 A = standard price */
    put_str(s, 0, 0, tr(b, "appendix.renewal.inputs"), b->header);
    put_str(s, 0, 1, "", b->header);
    put_str(s, 1, 0, tr(b, "appendix.renewal.arr"), b->text);
    /* The exact ARR (cents included): the tiers are computed from it, not from a rounded copy. */
    put_money(b, s, 1, 1, r->account->arr);
    put_str(s, 2, 0, tr(b, "appendix.renewal.uplift"), b->text);
    put_num(s, 2, 1, terms->uplift_pct / 100.0, b->pct);
    put_str(s, 3, 0, tr(b, "appendix.renewal.bundle_discount"), b->text);
    put_num(s, 3, 1, terms->bundle_discount_pct / 100.0, b->pct);
    put_str(s, 4, 0, tr(b, "appendix.renewal.added"), b->text);
    if (opp_last_row >= 1) {
        char fee[96], stage[96];
        snprintf(fee, sizeof fee, "'%s'!$F$2:$F$%d", opps->name, opp_last_row + 1);
        snprintf(stage, sizeof stage, "'%s'!$E$2:$E$%d", opps->name, opp_last_row + 1);
        snprintf(f, sizeof f, "=SUMIFS(%s,%s,\"<>lost\")", fee, stage);
        put_formula(s, 4, 1, f, b->money, (double)rn->added);
    } else {
        put_num(s, 4, 1, 0, b->money);
    }
    put_str(s, 5, 0, tr(b, "appendix.renewal.standard_price"), b->bold);
    put_formula(s, 5, 1, "=ROUND(B2*(1+B3),0)", b->money, (double)rn->standard);
    put_str(s, 6, 0, tr(b, "appendix.renewal.note"), b->note);

    static const char *const hdr[] = {"appendix.renewal.tier", "appendix.renewal.years",
                                      "appendix.renewal.discount", "appendix.renewal.annual",
                                      "appendix.renewal.total", "appendix.renewal.savings",
                                      "appendix.renewal.recommended"};
    const int h0 = 8;
    for (int c = 0; c < 7; c++)
        put_str(s, h0, c, tr(b, hdr[c]), b->header);
    int row = h0 + 1;
    for (size_t i = 0; i < rn->n_options; i++, row++) {
        const vp_renewal_option *o = &rn->options[i];
        int R = row + 1;   /* 1-based row for formulas */
        char label[256];
        put_str(s, row, 0, vp_option_label(r, o, label, sizeof label), b->text);
        put_num(s, row, 1, o->years, b->integer);
        switch (o->tier) {
        case VP_TIER_STANDARD:
            put_num(s, row, 2, 0, b->pct);
            put_formula(s, row, 3, "=$B$6", b->money, (double)o->annual);
            snprintf(f, sizeof f, "=D%d*B%d", R, R);
            put_formula(s, row, 4, f, b->money, (double)o->total);
            put_num(s, row, 5, 0, b->money);
            break;
        case VP_TIER_BUNDLE:
            put_formula(s, row, 2, "=$B$4", b->pct, o->discount_pct / 100.0);
            snprintf(f, sizeof f, "=$B$6+ROUND($B$5*(1-C%d),0)", R);
            put_formula(s, row, 3, f, b->money, (double)o->annual);
            snprintf(f, sizeof f, "=D%d*B%d", R, R);
            put_formula(s, row, 4, f, b->money, (double)o->total);
            snprintf(f, sizeof f, "=ROUND($B$5*C%d,0)", R);
            put_formula(s, row, 5, f, b->money, (double)o->savings);
            break;
        case VP_TIER_MULTI_YEAR:
            put_num(s, row, 2, o->discount_pct / 100.0, b->pct);
            snprintf(f, sizeof f, "=ROUND($B$6*(1-C%d),0)", R);
            put_formula(s, row, 3, f, b->money, (double)o->annual);
            snprintf(f, sizeof f, "=D%d*B%d", R, R);
            put_formula(s, row, 4, f, b->money, (double)o->total);
            /* Σ_{y=0}^{n-1} A(1+u)^y as a geometric series. */
            snprintf(f, sizeof f,
                     "=ROUND(IF($B$3=0,$B$6*B%d,$B$6*((1+$B$3)^B%d-1)/$B$3),0)-E%d", R, R, R);
            put_formula(s, row, 5, f, b->money, (double)o->savings);
            break;
        }
        if (i == rn->recommended)
            put_str(s, row, 6, tr(b, "appendix.renewal.recommended_mark"), b->bold);
    }
    row++;
    put_str(s, row, 0, tr(b, "appendix.renewal.valid_until"), b->bold);
    put_date(s, row, 1, rn->valid_until, b->date);
    row++;
    put_str(s, row, 0, tr(b, "appendix.renewal.contract_end"), b->bold);
    put_date(s, row, 1, r->account->end_date, b->date);

    if (rn->n_options) {
        lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_COLUMN);
        char cats[320], vals[320];
        snprintf(cats, sizeof cats, "='%s'!$A$%d:$A$%d", s->name, h0 + 2, h0 + 1 + (int)rn->n_options);
        snprintf(vals, sizeof vals, "='%s'!$D$%d:$D$%d", s->name, h0 + 2, h0 + 1 + (int)rn->n_options);
        lxw_chart_series *ser = ch ? chart_add_series(ch, cats, vals) : NULL;
        if (!ser) {
            note_err(s->err, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        chart_series_set_name(ser, tr(b, "appendix.renewal.annual"));
        lxw_chart_fill fill = {.color = rgb_of(b->tpl->theme.accent)};
        chart_series_set_fill(ser, &fill);
        chart_series_set_labels(ser);
        chart_series_set_labels_num_format(ser, b->money_fmt);
        chart_title_set_name(ch, tr(b, "appendix.renewal.chart_title"));
        chart_axis_set_num_format(ch->y_axis, b->money_fmt);
        chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
        note_err(s->err, worksheet_insert_chart(s->ws, (lxw_row_t)(row + 2), 0, ch));
    }
    note_width(s, 0, 18);
    finish_columns(s, 7);
}

/* ---- Opportunities ------------------------------------------------------------------------------ */

/* Columns: A module, B name, C pain point, D stage (label), E stage (code), F annual fee.
 * Returns the last data row (0 when none). */
static int sheet_opportunities(book *b, sheet *s)
{
    static const char *const hdr[] = {"appendix.opps.module", "appendix.opps.name",
                                      "appendix.opps.pain_point", "appendix.opps.stage",
                                      "appendix.opps.stage_code", "appendix.opps.annual_fee"};
    static const char *const codes[] = {"identified", "proposed", "won", "lost"};
    put_headers(b, s, hdr, 6);
    const vp_account *a = b->r->account;
    int row = 1;
    for (size_t i = 0; i < a->n_opportunities; i++, row++) {
        const vp_opportunity *o = &a->opportunities[i];
        char key[64];
        snprintf(key, sizeof key, "common.opportunity.%s", codes[o->stage]);
        put_str(s, row, 0, o->module, b->text);
        put_str(s, row, 1, o->name, b->text);
        put_str(s, row, 2, o->pain_point, b->wrap);
        put_str(s, row, 3, tr(b, key), b->text);
        put_str(s, row, 4, codes[o->stage], b->text);
        put_money(b, s, row, 5, o->annual_fee);
    }
    if (a->n_opportunities)
        note_err(s->err, worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)(row - 1), 5));
    else
        put_str(s, 1, 0, tr(b, "appendix.opps.none"), b->note);
    note_width(s, 2, 30);
    finish_columns(s, 6);
    return (int)a->n_opportunities;
}

/* ---- Plan ------------------------------------------------------------------------------------------ */

static void sheet_plan(book *b, sheet *s)
{
    static const char *const hdr[] = {"appendix.plan.goal", "appendix.plan.kpi",
                                      "appendix.plan.target", "appendix.plan.by"};
    put_headers(b, s, hdr, 4);
    const vp_account *a = b->r->account;
    int row = 1;
    for (size_t i = 0; i < a->n_plan; i++, row++) {
        const vp_plan_item *p = &a->plan[i];
        const vp_kpi *k = p->kpi ? vp_account_kpi(a, p->kpi) : NULL;
        put_str(s, row, 0, p->goal, b->wrap);
        put_str(s, row, 1, k ? k->name : p->kpi, b->text);
        put_num(s, row, 2, p->target, b->number);
        put_date(s, row, 3, p->by, b->date);
    }
    if (a->n_plan)
        note_err(s->err, worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)(row - 1), 3));
    else
        put_str(s, 1, 0, tr(b, "appendix.no_data"), b->note);
    note_width(s, 0, 30);
    finish_columns(s, 4);
}

/* ---- Trends: per KPI a small data block and its native line chart ------------------------------ */

static void sheet_trends(book *b, sheet *s)
{
    const vp_report *r = b->r;
    const vp_theme *th = &b->tpl->theme;
    int row = 0;
    bool any = false;
    for (size_t i = 0; i < r->n_kpis; i++) {
        const vp_kpi_result *k = &r->kpis[i];
        if (!k->n_trend)
            continue;
        any = true;
        int top = row;
        char title[512];
        if (k->kpi->unit)
            snprintf(title, sizeof title, "%s (%s)", k->kpi->name, k->kpi->unit);
        else
            snprintf(title, sizeof title, "%s", k->kpi->name);
        put_str(s, row, 0, title, b->bold);
        row++;
        put_str(s, row, 0, tr(b, "appendix.trends.period"), b->header);
        put_str(s, row, 1, tr(b, "appendix.trends.actual"), b->header);
        put_str(s, row, 2, tr(b, "appendix.trends.baseline"), b->header);
        put_str(s, row, 3, tr(b, "appendix.trends.target"), b->header);
        int first = row + 1;
        for (size_t t = 0; t < k->n_trend; t++) {
            row++;
            put_period(s, row, 0, k->trend[t].period, b->text);
            put_num(s, row, 1, k->trend[t].value, b->number);
            put_num(s, row, 2, k->kpi->baseline, b->number);
            put_num(s, row, 3, k->kpi->target, b->number);
        }
        int last = row;
        lxw_chart *ch = workbook_add_chart(b->wb, LXW_CHART_LINE);
        if (!ch) {
            note_err(s->err, LXW_ERROR_MEMORY_MALLOC_FAILED);
            return;
        }
        char cats[320], vals[320];
        static const int cols[3] = {1, 2, 3};
        for (int sidx = 0; sidx < 3; sidx++) {
            char col = (char)('A' + cols[sidx]);
            snprintf(cats, sizeof cats, "='%s'!$A$%d:$A$%d", s->name, first + 1, last + 1);
            snprintf(vals, sizeof vals, "='%s'!$%c$%d:$%c$%d", s->name, col, first + 1, col,
                     last + 1);
            lxw_chart_series *ser = chart_add_series(ch, cats, vals);
            if (!ser) {
                note_err(s->err, LXW_ERROR_MEMORY_MALLOC_FAILED);
                return;
            }
            static const char *const names[3] = {"appendix.trends.actual",
                                                 "appendix.trends.baseline",
                                                 "appendix.trends.target"};
            chart_series_set_name(ser, tr(b, names[sidx]));
            /* IBCS: actual solid dark with labels; baseline grey dashed; target accent dashed. */
            lxw_chart_line line = {.width = sidx == 0 ? 2.25f : 1.25f};
            if (sidx == 0) {
                line.color = rgb_of(th->ink);
                chart_series_set_marker_type(ser, LXW_CHART_MARKER_CIRCLE);
                chart_series_set_labels(ser);
            } else {
                line.color = rgb_of(sidx == 1 ? th->neutral : th->accent);
                line.dash_type = LXW_CHART_LINE_DASH_DASH;
                chart_series_set_marker_type(ser, LXW_CHART_MARKER_NONE);
            }
            chart_series_set_line(ser, &line);
        }
        chart_title_set_name(ch, title);
        chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
        lxw_chart_options opt = {.x_scale = 1.1, .y_scale = 0.9};
        note_err(s->err, worksheet_insert_chart_opt(s->ws, (lxw_row_t)top, 5, ch, &opt));
        row = top + (last - top + 3 > 16 ? last - top + 3 : 16);
    }
    if (!any)
        put_str(s, 0, 0, tr(b, "appendix.no_data"), b->note);
    finish_columns(s, 4);
}

/* ---- Summary ------------------------------------------------------------------------------------- */

static void sheet_summary(book *b, sheet *s, const sheet *kpis, int kpi_total_row,
                          const sheet *health, int health_total_row)
{
    const vp_report *r = b->r;
    const vp_account *a = r->account;
    char buf[VP_FMT_MAX], f[160], c1[16];
    char title[512];
    snprintf(title, sizeof title, "%s — %s", a->name, tr(b, "appendix.title"));
    put_str(s, 0, 0, title, b->title);
    int row = 2;
#define LABEL(key) put_str(s, row, 0, tr(b, key), b->bold)
    LABEL("appendix.summary.account");
    put_str(s, row++, 1, a->name, b->text);
    LABEL("appendix.summary.account_id");
    put_str(s, row++, 1, a->id, b->text);
    if (a->industry) {
        LABEL("appendix.summary.industry");
        put_str(s, row++, 1, a->industry, b->text);
    }
    LABEL("appendix.summary.period");
    put_str(s, row, 1, r->period_name, b->text);
    put_str(s, row++, 2,
            vp_fmt_period(buf, sizeof buf, b->loc, r->period, a->fiscal_year_start_month),
            b->text);
    LABEL("appendix.summary.period_start");
    put_date(s, row++, 1, r->period_start, b->date);
    LABEL("appendix.summary.period_end");
    put_date(s, row++, 1, r->period_end, b->date);
    LABEL("appendix.summary.as_of");
    put_date(s, row++, 1, r->generated, b->date);
    LABEL("appendix.summary.currency");
    put_str(s, row++, 1, r->currency, b->text);
    int arr_row = row;
    LABEL("appendix.summary.arr");
    put_money(b, s, row++, 1, a->arr);
    LABEL("appendix.summary.health_score");
    if (VP_HAS(r->health.score)) {
        snprintf(f, sizeof f, "='%s'!%s", health->name, cell(c1, health_total_row, 1));
        put_formula(s, row, 1, f, b->number, r->health.score);
    } else {
        put_str(s, row, 1, tr(b, "appendix.no_data"), b->note);
    }
    row++;
    LABEL("appendix.summary.health_band");
    if (r->health.band) {
        char key[64];
        snprintf(key, sizeof key, "common.band.%s", r->health.band->id);
        put_str(s, row, 1, tr(b, key), b->text);
    }
    row++;
    LABEL("appendix.summary.alert");
    put_str(s, row++, 1, tr(b, r->health.alert ? "appendix.yes" : "appendix.no"), b->text);
    int value_row = row;
    LABEL("appendix.summary.total_value");
    snprintf(f, sizeof f, "='%s'!%s", kpis->name, cell(c1, kpi_total_row, K_VALUE));
    put_formula(s, row++, 1, f, b->money, r->total_value);
    LABEL("appendix.summary.roi");
    if (VP_HAS(r->roi)) {
        snprintf(f, sizeof f, "=B%d/B%d", value_row + 1, arr_row + 1);
        put_formula(s, row, 1, f, b->multiple, r->roi);
    }
    row++;
    LABEL("appendix.summary.renewal_date");
    put_date(s, row++, 1, a->end_date, b->date);
    LABEL("appendix.summary.days_to_renewal");
    put_num(s, row++, 1, r->lifecycle.days_to_renewal, b->integer);
    LABEL("appendix.summary.stage");
    {
        char key[64];
        snprintf(key, sizeof key, "common.stage.%s", vp_stage_name(r->lifecycle.stage));
        put_str(s, row++, 1, tr(b, key), b->text);
    }
    LABEL("appendix.summary.recommended");
    if (r->renewal.n_options) {
        char label[256];
        put_str(s, row, 1,
                vp_option_label(r, &r->renewal.options[r->renewal.recommended], label,
                                sizeof label),
                b->text);
    }
    row++;
    LABEL("appendix.summary.csm");
    put_str(s, row++, 1, a->csm.name, b->text);
#undef LABEL
    row++;
    put_str(s, row, 0, tr(b, "appendix.summary.note"), b->note);
    s->width[0] = s->width[0] < 22 ? 22 : s->width[0];
    note_err(s->err, worksheet_set_column(s->ws, 0, 0, s->width[0] > 40 ? 40 : s->width[0], NULL));
    note_err(s->err, worksheet_set_column(s->ws, 1, 1, 28, NULL));
    note_err(s->err, worksheet_set_column(s->ws, 2, 2, 18, NULL));
}

/* ---- the workbook --------------------------------------------------------------------------------- */

/* The document's creation time: SOURCE_DATE_EPOCH when set (reproducible builds), else the
 * report's as-of date at 00:00 UTC — never "now", so reruns give the same bytes. */
static time_t created_time(const vp_report *r)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == '\0' && v > 0)
            return (time_t)v;
    }
    return (time_t)r->generated * 86400;
}

static int build(book *b, vp_diag *diag, vp_arena *scratch)
{
    sheet summary, kpis, actuals, trends, usage, support, training, health, renewal, opps, plan;
    int rc;
    /* Sheet order is the reading order; the Opportunities sheet must exist before the
     * renewal formulas refer to it, which libxlsxwriter does not require (names are text). */
    if ((rc = add_sheet(b, &summary, "appendix.sheet.summary", diag)) ||
        (rc = add_sheet(b, &kpis, "appendix.sheet.kpis", diag)) ||
        (rc = add_sheet(b, &actuals, "appendix.sheet.actuals", diag)) ||
        (rc = add_sheet(b, &trends, "appendix.sheet.trends", diag)) ||
        (rc = add_sheet(b, &usage, "appendix.sheet.usage", diag)) ||
        (rc = add_sheet(b, &support, "appendix.sheet.support", diag)) ||
        (rc = add_sheet(b, &training, "appendix.sheet.training", diag)) ||
        (rc = add_sheet(b, &health, "appendix.sheet.health", diag)) ||
        (rc = add_sheet(b, &renewal, "appendix.sheet.renewal", diag)) ||
        (rc = add_sheet(b, &opps, "appendix.sheet.opportunities", diag)) ||
        (rc = add_sheet(b, &plan, "appendix.sheet.plan", diag)))
        return rc;
    if ((rc = make_formats(b)) != VP_OK)
        return rc;
    int kpi_total = sheet_kpis(b, &kpis);
    sheet_actuals(b, &actuals, scratch);
    sheet_trends(b, &trends);
    sheet_usage(b, &usage);
    sheet_support(b, &support);
    sheet_training(b, &training);
    int health_total = sheet_health(b, &health);
    int opp_rows = sheet_opportunities(b, &opps);
    sheet_renewal(b, &renewal, &opps, opp_rows);
    sheet_plan(b, &plan);
    sheet_summary(b, &summary, &kpis, kpi_total, &health, health_total);
    worksheet_activate(summary.ws);
    return VP_OK;
}

/* A thread-safe gmtime() for libxlsxwriter.
 *
 * libxlsxwriter 1.1.4 formats the workbook's created/modified dates with gmtime(), whose
 * result lives in one static buffer shared by the whole process; batch closes workbooks
 * on several threads at once, so two closes can overwrite each other's struct tm
 * (../shared/DEPENDENCIES.md). This definition interposes the C library's (the executable
 * and libvaluepack are searched before libc) and keeps the result per thread instead,
 * which POSIX permits and every caller that respects gmtime's contract is happy with. */

struct tm *gmtime(const time_t *t)
{
    static _Thread_local struct tm result;
    return gmtime_r(t, &result);
}

int vp_appendix_render(const vp_report *r, const vp_templates *tpl, const vp_render_options *opts,
                       const char *path, vp_diag *diag)
{
    unsigned long failures_at_start = vp_alloc_failures();
    vp_atomic_file af;
    int rc = vp_atomic_reserve(&af, path, diag);   /* libxlsxwriter writes by name */
    if (rc != VP_OK)
        return rc;

    char title[512], subject[256];
    vp_locale loc = r->locale;
    snprintf(title, sizeof title, "%s — %s %s", r->account->name,
             vp_tr(tpl, loc, "appendix.title"), r->period_name);
    snprintf(subject, sizeof subject, "%s", vp_tr(tpl, loc, "appendix.subject"));
    char creator[64];
    snprintf(creator, sizeof creator, "valuepack %s", vp_version());
    lxw_doc_properties props = {
        .title = title,
        .subject = subject,
        .author = (char *)(uintptr_t)(r->account->csm.name ? r->account->csm.name : ""),
        .manager = (char *)(uintptr_t)(r->account->account_executive.name
                                           ? r->account->account_executive.name : ""),
        .company = (char *)(uintptr_t)r->account->name,
        .comments = creator,
        .created = created_time(r),
    };
    char tmpdir[4096];
    vp_scratch_dir(opts ? opts->tmpdir : NULL, path, tmpdir, sizeof tmpdir);
    lxw_workbook_options wopt = {.constant_memory = LXW_FALSE, .tmpdir = tmpdir};
    book b = {.r = r, .tpl = tpl, .loc = loc};
    vp_arena scratch;
    vp_arena_init(&scratch, 4096);
    b.wb = workbook_new_opt(af.tmp_path, &wopt);
    if (!b.wb) {
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "cannot start the workbook (out of memory)");
        rc = VP_ERR_NOMEM;
        goto fail;
    }
    note_err(&b.err, workbook_set_properties(b.wb, &props));
    rc = build(&b, diag, &scratch);
    if (rc == VP_OK && b.err != LXW_NO_ERROR)
        rc = b.err == LXW_ERROR_MEMORY_MALLOC_FAILED ? VP_ERR_NOMEM : VP_ERR_RENDER;
    if (rc != VP_OK) {
        /* Not written: workbook_close() would write what is there. */
        if (b.err != LXW_NO_ERROR)
            vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "cannot build the workbook: %s",
                        b.err == LXW_ERROR_MEMORY_MALLOC_FAILED ? "out of memory"
                                                                  : lxw_strerror(b.err));
        lxw_workbook_free(b.wb);
        b.wb = NULL;
        goto fail;
    }
    lxw_error xerr = workbook_close(b.wb);   /* frees the workbook in every case */
    b.wb = NULL;
    if (xerr != LXW_NO_ERROR) {
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "cannot write the workbook: %s%s%s",
                    lxw_strerror(xerr), errno ? ": " : "", errno ? strerror(errno) : "");
        rc = VP_ERR_IO;
        goto fail;
    }
    rc = vp_xlsx_verify(af.tmp_path, path, diag);
    if (rc != VP_OK)
        goto fail;
    if (vp_alloc_failures() != failures_at_start) {
        /* an allocation failed on the way and some path may have gone on without it */
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "out of memory");
        rc = VP_ERR_NOMEM;
        goto fail;
    }
    vp_arena_destroy(&scratch);
    return vp_atomic_commit(&af, diag);
fail:
    vp_arena_destroy(&scratch);
    vp_atomic_abort(&af);
    return rc;
}
