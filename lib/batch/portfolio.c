/* portfolio.c — the portfolio summary (OUT/portfolio.xlsx and OUT/portfolio.pdf) and its
 * rebuild from one or many batch manifests (`valuepack portfolio`). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "../format/format.h"
#include "../render/render.h"
#include "../xlsx/xlsx.h"
#include "../util/alloc.h"
#include "../util/fs.h"
#include "../util/utf8.h"
#include "manifest.h"
#include "portfolio.h"

/* Source i's reader, reopened if it was closed (closing the least recently used one
 * when VP_PORTFOLIO_MAX_OPEN are open); NULL when it cannot be reopened. */
static vp_manifest_reader *source_reader(vp_portfolio_source *s, size_t i)
{
    vp_manifest_reader *r = &s->readers[i];
    if (s->last_use)
        s->last_use[i] = ++s->clock;
    if (r->fp || !s->paths)
        return r;
    if (s->n_open >= VP_PORTFOLIO_MAX_OPEN) {
        size_t lru = SIZE_MAX;
        for (size_t j = 0; j < s->n; j++)
            if (s->readers[j].fp && (lru == SIZE_MAX || s->last_use[j] < s->last_use[lru]))
                lru = j;
        if (lru != SIZE_MAX) {
            vp_manifest_close(&s->readers[lru]);
            s->n_open--;
        }
    }
    if (vp_manifest_open(r, s->paths[i], NULL) != VP_OK)
        return NULL;
    s->n_open++;
    return r;
}

/* Account i's summary, read back from its manifest line; strings in `arena`. */
static int row_read(vp_portfolio_source *src, const vp_portfolio_key *k,
                    vp_account_summary *s, vp_arena *arena, const char *outdir, vp_diag *diag)
{
    vp_manifest_reader *r = source_reader(src, k->src);
    cJSON *e = r ? vp_manifest_read_at(r, (long)k->offset) : NULL;
    bool ok = e && vp_summary_read(s, cJSON_GetObjectItemCaseSensitive(e, "summary"), arena) &&
              !arena->failed;
    cJSON_Delete(e);
    if (ok)
        return VP_OK;
    vp_diag_add(diag, VP_SEV_ERROR, src->paths ? src->paths[k->src] : outdir, NULL, 0, 0,
                "cannot read back the summary of account \"%s\" for the portfolio%s%s", k->id,
                r ? "" : ": ", r ? "" : strerror(errno ? errno : EIO));
    return VP_ERR_IO;
}

/* ---- totals (shared by the XLSX and the PDF) -------------------------------------------- */

static void totals_add(vp_portfolio_totals *t, const vp_account_summary *r, vp_date as_of)
{
    t->accounts++;
    if (r->locale && !strcmp(r->locale, "zh-CN"))
        t->zh_accounts++;
    vp_currency_totals *c = NULL;
    for (size_t j = 0; j < t->n_currencies; j++)
        if (!strcmp(t->currencies[j].currency, r->currency))
            c = &t->currencies[j];
    if (!c) {
        if (t->n_currencies == VP_PORTFOLIO_MAX_CURRENCIES)
            return;   /* documented: at most 8 currencies get totals */
        c = &t->currencies[t->n_currencies++];
        snprintf(c->currency, sizeof c->currency, "%s", r->currency);
    }
    c->accounts++;
    c->arr += r->arr;
    int b = !r->band ? 3 : !strcmp(r->band, "healthy") ? 0 : !strcmp(r->band, "watch") ? 1 : 2;
    c->arr_by_band[b] += r->arr;
    c->accounts_by_band[b]++;
    if (r->days_to_renewal >= 0 && r->days_to_renewal <= 90)
        c->arr_renewing_90 += r->arr;
    if (VP_HAS(r->total_value))
        c->value += r->total_value;
    if (r->alert)
        c->alerts++;
    int y0, m0, d0, y, m, d;
    vp_date_to_ymd(as_of, &y0, &m0, &d0);
    vp_date_to_ymd(r->renewal_date, &y, &m, &d);
    int idx = (y - y0) * 12 + (m - m0);
    if (idx >= 0 && idx < 12 && r->renewal_date >= as_of)
        c->arr_by_month[idx] += r->arr;
}

/* One pass over the rows. */
static int totals_compute(vp_portfolio_totals *t, const vp_portfolio_key *keys, size_t n,
                          vp_portfolio_source *src, vp_date as_of, const char *outdir,
                          vp_diag *diag)
{
    memset(t, 0, sizeof *t);
    vp_arena arena;
    vp_arena_init(&arena, 4096);
    int rc = VP_OK;
    for (size_t i = 0; i < n && rc == VP_OK; i++) {
        vp_account_summary r;
        vp_arena_reset(&arena);
        rc = row_read(src, &keys[i], &r, &arena, outdir, diag);
        if (rc == VP_OK)
            totals_add(t, &r, as_of);
    }
    vp_arena_destroy(&arena);
    /* The largest currency first: it gets the charts of the overview. */
    for (size_t i = 1; i < t->n_currencies; i++)
        for (size_t j = i; j > 0 && t->currencies[j].arr > t->currencies[j - 1].arr; j--) {
            vp_currency_totals tmp = t->currencies[j];
            t->currencies[j] = t->currencies[j - 1];
            t->currencies[j - 1] = tmp;
        }
    return rc;
}

/* Locale of the portfolio documents: the one most accounts use (en on a tie). */
static vp_locale majority_locale(const vp_portfolio_totals *t)
{
    return t->zh_accounts * 2 > t->accounts ? VP_LOCALE_ZH_CN : VP_LOCALE_EN;
}

/* ---- XLSX ---------------------------------------------------------------------------------- */

static void col_width(double *w, int col, const char *s)
{
    double c = (double)vp_utf8_columns(s) + 2;
    if (c > w[col])
        w[col] = c;
}

static int write_xlsx(const vp_portfolio_key *keys, size_t n, vp_portfolio_source *src,
                      const vp_portfolio_totals *tot, const char *outdir, const char *path,
                      const vp_templates *tpl, vp_locale loc, vp_date as_of, vp_diag *diag)
{
    vp_atomic_file af;
    int rc = vp_atomic_reserve(&af, path, diag);   /* libxlsxwriter writes by name */
    if (rc != VP_OK)
        return rc;
    char dir[PATH_MAX];
    vp_scratch_dir(NULL, path, dir, sizeof dir);
    /* constant_memory: rows go to disk as they are written, so 10,000 accounts take no more
     * memory than 100 (every row is written in order, the column widths at the end). */
    lxw_workbook_options wopt = {.constant_memory = LXW_TRUE, .tmpdir = dir};
    lxw_workbook *wb = workbook_new_opt(af.tmp_path, &wopt);
    if (!wb) {
        vp_atomic_abort(&af);
        return VP_ERR_NOMEM;
    }
    char title[256];
    snprintf(title, sizeof title, "%s", vp_tr(tpl, loc, "portfolio.title"));
    lxw_doc_properties props = {.title = title, .created = (time_t)as_of * 86400};
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde && atoll(sde) > 0)
        props.created = (time_t)atoll(sde);
    workbook_set_properties(wb, &props);

    lxw_format *hdr = workbook_add_format(wb);
    format_set_bold(hdr);
    format_set_text_wrap(hdr);
    format_set_bottom(hdr, LXW_BORDER_THIN);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *num1 = workbook_add_format(wb);
    format_set_num_format(num1, "0.0");
    lxw_format *roi = workbook_add_format(wb);
    format_set_num_format(roi, "0.00\"\xC3\x97\"");
    lxw_format *integer = workbook_add_format(wb);
    format_set_num_format(integer, "#,##0");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);

    const char *sheet_name = vp_tr(tpl, loc, "portfolio.sheet.accounts");
    const char *totals_name = vp_tr(tpl, loc, "portfolio.sheet.totals");
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet_name);
    lxw_worksheet *wt = workbook_add_worksheet(wb, totals_name);
    static const char *const cols[] = {
        "portfolio.col.id", "portfolio.col.name", "portfolio.col.currency", "portfolio.col.band",
        "portfolio.col.health", "portfolio.col.change", "portfolio.col.alert",
        "portfolio.col.value", "portfolio.col.roi", "portfolio.col.arr",
        "portfolio.col.renewal_date", "portfolio.col.days_to_renewal",
        "portfolio.col.recommended", "portfolio.col.stage"};
    enum { NC = 14 };
    double widths[NC] = {0};
    for (int c = 0; c < NC; c++) {
        const char *h = vp_tr(tpl, loc, cols[c]);
        worksheet_write_string(ws, 0, (lxw_col_t)c, h, hdr);
        col_width(widths, c, h);
    }
    worksheet_freeze_panes(ws, 1, 2);
    /* Money columns use each row's own currency format (mixed portfolios). */
    lxw_format *money_fmt[VP_PORTFOLIO_MAX_CURRENCIES] = {0};
    for (size_t j = 0; j < tot->n_currencies; j++) {
        money_fmt[j] = workbook_add_format(wb);
        const char *cur = tot->currencies[j].currency;
        char f[64];
        if (!strcmp(cur, "CNY") || !strcmp(cur, "USD"))
            snprintf(f, sizeof f, "\"%s\"#,##0", vp_currency_symbol(cur));
        else
            snprintf(f, sizeof f, "#,##0 \"%s\"", cur);
        format_set_num_format(money_fmt[j], f);
    }
    vp_arena arena;
    vp_arena_init(&arena, 4096);
    for (size_t i = 0; i < n; i++) {
        vp_account_summary rs;
        const vp_account_summary *r = &rs;
        vp_arena_reset(&arena);
        rc = row_read(src, &keys[i], &rs, &arena, outdir, diag);
        if (rc != VP_OK)
            break;
        lxw_row_t row = (lxw_row_t)(i + 1);
        lxw_format *money = NULL;
        for (size_t j = 0; j < tot->n_currencies; j++)
            if (!strcmp(tot->currencies[j].currency, r->currency))
                money = money_fmt[j];
        char key[96];
        worksheet_write_string(ws, row, 0, r->id, NULL);
        col_width(widths, 0, r->id);
        worksheet_write_string(ws, row, 1, r->name, NULL);
        col_width(widths, 1, r->name);
        worksheet_write_string(ws, row, 2, r->currency, NULL);
        snprintf(key, sizeof key, "common.band.%s", r->band ? r->band : "none");
        worksheet_write_string(ws, row, 3, vp_tr(tpl, loc, key), NULL);
        col_width(widths, 3, vp_tr(tpl, loc, key));
        if (VP_HAS(r->score))
            worksheet_write_number(ws, row, 4, r->score, num1);
        if (VP_HAS(r->change))
            worksheet_write_number(ws, row, 5, r->change == 0 ? 0.0 : r->change, num1);
        worksheet_write_string(ws, row, 6, vp_tr(tpl, loc, r->alert ? "appendix.yes" : "appendix.no"), NULL);
        if (VP_HAS(r->total_value))
            worksheet_write_number(ws, row, 7, r->total_value, money);
        if (VP_HAS(r->roi))
            worksheet_write_number(ws, row, 8, r->roi, roi);
        worksheet_write_number(ws, row, 9, r->arr, money);
        int y, m, d;
        vp_date_to_ymd(r->renewal_date, &y, &m, &d);
        lxw_datetime dt = {y, m, d, 0, 0, 0};
        worksheet_write_datetime(ws, row, 10, &dt, date);
        worksheet_write_number(ws, row, 11, r->days_to_renewal, integer);
        if (r->recommended) {
            char label[256];
            vp_summary_option_label(r, tpl, loc, label, sizeof label);
            worksheet_write_string(ws, row, 12, label, NULL);
            col_width(widths, 12, label);
        }
        if (r->stage) {
            snprintf(key, sizeof key, "common.stage.%s", r->stage);
            worksheet_write_string(ws, row, 13, vp_tr(tpl, loc, key), NULL);
            col_width(widths, 13, vp_tr(tpl, loc, key));
        }
    }
    vp_arena_destroy(&arena);
    if (rc != VP_OK) {
        workbook_close(wb);
        vp_atomic_abort(&af);
        return rc;
    }
    for (int c = 0; c < NC; c++) {
        double w = widths[c] < 10 ? 10 : widths[c] > 50 ? 50 : widths[c];
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
    if (n)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, NC - 1);

    /* Totals: formulas over the accounts sheet, with cached results. */
    char rng[8][160];
    unsigned last = (unsigned)n + 1;
    snprintf(rng[0], sizeof rng[0], "'%s'!$C$2:$C$%u", sheet_name, last);   /* currency */
    snprintf(rng[1], sizeof rng[1], "'%s'!$D$2:$D$%u", sheet_name, last);   /* band */
    snprintf(rng[2], sizeof rng[2], "'%s'!$J$2:$J$%u", sheet_name, last);   /* arr */
    snprintf(rng[3], sizeof rng[3], "'%s'!$L$2:$L$%u", sheet_name, last);   /* days */
    snprintf(rng[4], sizeof rng[4], "'%s'!$H$2:$H$%u", sheet_name, last);   /* value */
    snprintf(rng[5], sizeof rng[5], "'%s'!$G$2:$G$%u", sheet_name, last);   /* alert */
    worksheet_set_column(wt, 0, 0, 34, NULL);
    worksheet_set_column(wt, 1, 8, 18, NULL);
    lxw_row_t row = 0;
    worksheet_write_string(wt, row++, 0, vp_tr(tpl, loc, "portfolio.title"), bold);
    static const char *const band_ids[4] = {"healthy", "watch", "at_risk", "none"};
    for (size_t j = 0; j < tot->n_currencies; j++) {
        const vp_currency_totals *c = &tot->currencies[j];
        char f[1024], label[128];
        row++;
        worksheet_write_string(wt, row, 0, vp_tr(tpl, loc, "portfolio.totals.currency"), hdr);
        worksheet_write_string(wt, row++, 1, c->currency, hdr);
        worksheet_write_string(wt, row, 0, vp_tr(tpl, loc, "portfolio.totals.accounts"), NULL);
        snprintf(f, sizeof f, "=COUNTIF(%s,\"%s\")", rng[0], c->currency);
        worksheet_write_formula_num(wt, row++, 1, f, integer, (double)c->accounts);
        worksheet_write_string(wt, row, 0, vp_tr(tpl, loc, "portfolio.totals.arr"), NULL);
        snprintf(f, sizeof f, "=SUMIFS(%s,%s,\"%s\")", rng[2], rng[0], c->currency);
        worksheet_write_formula_num(wt, row++, 1, f, money_fmt[j], c->arr);
        for (int b = 0; b < 4; b++) {
            char key[64];
            snprintf(key, sizeof key, "common.band.%s", band_ids[b]);
            snprintf(label, sizeof label, "%s %s", vp_tr(tpl, loc, "portfolio.totals.arr_band"),
                     vp_tr(tpl, loc, key));
            worksheet_write_string(wt, row, 0, label, NULL);
            snprintf(f, sizeof f, "=SUMIFS(%s,%s,\"%s\",%s,\"%s\")", rng[2], rng[0], c->currency,
                     rng[1], vp_tr(tpl, loc, key));
            worksheet_write_formula_num(wt, row++, 1, f, money_fmt[j], c->arr_by_band[b]);
        }
        worksheet_write_string(wt, row, 0, vp_tr(tpl, loc, "portfolio.totals.renewing_90"), NULL);
        snprintf(f, sizeof f, "=SUMIFS(%s,%s,\"%s\",%s,\">=0\",%s,\"<=90\")", rng[2], rng[0],
                 c->currency, rng[3], rng[3]);
        worksheet_write_formula_num(wt, row++, 1, f, money_fmt[j], c->arr_renewing_90);
        worksheet_write_string(wt, row, 0, vp_tr(tpl, loc, "portfolio.totals.value"), NULL);
        snprintf(f, sizeof f, "=SUMIFS(%s,%s,\"%s\")", rng[4], rng[0], c->currency);
        worksheet_write_formula_num(wt, row++, 1, f, money_fmt[j], c->value);
        worksheet_write_string(wt, row, 0, vp_tr(tpl, loc, "portfolio.totals.alerts"), NULL);
        snprintf(f, sizeof f, "=COUNTIFS(%s,\"%s\",%s,\"%s\")", rng[0], c->currency, rng[5],
                 vp_tr(tpl, loc, "appendix.yes"));
        worksheet_write_formula_num(wt, row++, 1, f, integer, (double)c->alerts);
    }
    worksheet_activate(ws);
    lxw_error xerr = workbook_close(wb);
    if (xerr != LXW_NO_ERROR) {
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "cannot write the workbook: %s",
                    lxw_strerror(xerr));
        vp_atomic_abort(&af);
        return VP_ERR_IO;
    }
    /* libxlsxwriter does not check its part writes: read the workbook back (full disk). */
    rc = vp_xlsx_verify(af.tmp_path, path, diag);
    if (rc != VP_OK) {
        vp_atomic_abort(&af);
        return rc;
    }
    return vp_atomic_commit(&af, diag);
}

/* The PDF's table: its first rows, held whole (at most VP_PORTFOLIO_PDF_MAX_ROWS). */
static int write_pdf(const vp_portfolio_key *keys, size_t n, vp_portfolio_source *src,
                     const vp_portfolio_totals *tot, const char *outdir, const char *path,
                     const vp_templates *tpl, const vp_fontset *fonts, vp_locale loc,
                     vp_date as_of, vp_diag *diag)
{
    size_t shown = n < VP_PORTFOLIO_PDF_MAX_ROWS ? n : VP_PORTFOLIO_PDF_MAX_ROWS;
    vp_account_summary *rows = shown ? vp_calloc(shown, sizeof *rows) : NULL;
    vp_arena arena;
    vp_arena_init(&arena, 16 * 1024);
    int rc = shown && !rows ? VP_ERR_NOMEM : VP_OK;
    for (size_t i = 0; i < shown && rc == VP_OK; i++)
        rc = row_read(src, &keys[i], &rows[i], &arena, outdir, diag);
    if (rc == VP_OK)
        rc = vp_portfolio_pdf_render(rows, shown, n, tot, path, tpl, fonts, loc, as_of, diag);
    else if (rc == VP_ERR_NOMEM)
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "out of memory");
    vp_arena_destroy(&arena);
    vp_free(rows);
    return rc;
}

int vp_portfolio_write(const vp_portfolio_key *keys, size_t n, vp_portfolio_source *src,
                       const char *outdir, const vp_templates *tpl, const vp_fontset *fonts,
                       vp_date as_of, vp_diag *diag)
{
    vp_portfolio_totals tot;
    int rc = totals_compute(&tot, keys, n, src, as_of, outdir, diag);
    if (rc != VP_OK)
        return rc;
    vp_locale loc = majority_locale(&tot);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/portfolio.xlsx", outdir);
    rc = write_xlsx(keys, n, src, &tot, outdir, path, tpl, loc, as_of, diag);
    if (rc != VP_OK || !fonts)
        return rc;
    snprintf(path, sizeof path, "%s/portfolio.pdf", outdir);
    return write_pdf(keys, n, src, &tot, outdir, path, tpl, fonts, loc, as_of, diag);
}

/* ---- rebuild from manifests ----------------------------------------------------------------- */

/* By id, then by where the line is: among the entries of one id the last is the latest. */
static int cmp_id_place(const void *pa, const void *pb)
{
    const vp_portfolio_key *a = pa, *b = pb;
    int c = strcmp(a->id, b->id);
    if (c)
        return c;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    return a->offset < b->offset ? -1 : a->offset > b->offset;
}

int vp_portfolio_build(const char *const *dirs, size_t n_dirs, const char *outdir,
                       const vp_templates *tpl, const vp_fontset *fonts, const char *date,
                       vp_diag *diag)
{
    vp_arena ids, scratch;
    vp_arena_init(&ids, 64 * 1024);
    vp_arena_init(&scratch, 4096);
    vp_portfolio_key *keys = NULL;
    size_t n = 0, cap = 0;
    vp_date as_of = VP_NO_DATE;
    int rc = VP_OK;
    vp_manifest_reader *readers = NULL;
    char **paths = NULL;
    uint64_t *last_use = NULL;
    if (date && !vp_date_parse(date, &as_of)) {
        vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0,
                    "--date \"%s\": expected an existing date YYYY-MM-DD", date);
        rc = VP_ERR_USAGE;
        goto done;
    }
    if (n_dirs > UINT16_MAX) {
        vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0,
                    "%zu output folders: at most %d can be merged at once", n_dirs, UINT16_MAX);
        rc = VP_ERR_USAGE;
        goto done;
    }
    readers = vp_calloc(n_dirs ? n_dirs : 1, sizeof *readers);
    paths = vp_calloc(n_dirs ? n_dirs : 1, sizeof *paths);
    last_use = vp_calloc(n_dirs ? n_dirs : 1, sizeof *last_use);
    if (!readers || !paths || !last_use) {
        vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0, "out of memory");
        rc = VP_ERR_NOMEM;
        goto done;
    }
    for (size_t d = 0; d < n_dirs && rc == VP_OK; d++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/manifest.json", dirs[d]);
        paths[d] = vp_arena_strdup(&ids, path);
        if (!paths[d]) {
            vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0, "out of memory");
            rc = VP_ERR_NOMEM;
            break;
        }
        /* One account at a time (manifest.h): a 10,000-account manifest parsed whole would
         * cost ~70 MB; the portfolio keeps ~40 bytes an account and reads the rows back.
         * Each manifest is closed once read: they are reopened as the rows are written. */
        vp_manifest_reader *mr = &readers[d];
        rc = vp_manifest_open(mr, path, diag);
        if (rc != VP_OK)
            break;
        const cJSON *mdate = cJSON_GetObjectItemCaseSensitive(mr->head, "date");
        if (as_of == VP_NO_DATE && cJSON_IsString(mdate))
            vp_date_parse(mdate->valuestring, &as_of);
        cJSON *e;
        long off;
        while (rc == VP_OK && (e = vp_manifest_next(mr, &off))) {
            const cJSON *st = cJSON_GetObjectItemCaseSensitive(e, "status");
            vp_account_summary s;
            vp_arena_reset(&scratch);
            bool ok = cJSON_IsString(st) && (!strcmp(st->valuestring, "ok") ||
                                             !strcmp(st->valuestring, "unchanged"));
            if (ok && !vp_summary_read(&s, cJSON_GetObjectItemCaseSensitive(e, "summary"), &scratch)) {
                vp_diag_add(diag, VP_SEV_WARNING, path, "accounts[].summary", 0, 0,
                            "an account entry without a readable summary was skipped");
                ok = false;
            }
            cJSON_Delete(e);
            if (!ok)
                continue;
            if (n == cap) {
                size_t ncap = cap ? cap * 2 : 256;
                vp_portfolio_key *nk = vp_realloc(keys, ncap * sizeof *nk);
                if (!nk) {
                    vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0, "out of memory");
                    rc = VP_ERR_NOMEM;
                    break;
                }
                keys = nk;
                cap = ncap;
            }
            const char *id = vp_arena_strdup(&ids, s.id);
            if (!id || scratch.failed) {
                vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0, "out of memory");
                rc = VP_ERR_NOMEM;
                break;
            }
            vp_portfolio_key_set(&keys[n++], &s, id, (uint16_t)d, off);
        }
        if (rc == VP_OK && mr->error) {
            vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "cannot read the manifest: %s",
                        strerror(mr->error));
            rc = mr->error == ENOMEM ? VP_ERR_NOMEM : VP_ERR_IO;
        }
        vp_manifest_close(mr);
    }
    if (rc == VP_OK && n > 1) {
        /* An account in several manifests counts once: the later entry wins. */
        qsort(keys, n, sizeof *keys, cmp_id_place);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (i + 1 < n && !strcmp(keys[i].id, keys[i + 1].id))
                continue;
            keys[k++] = keys[i];
        }
        n = k;
    }
    if (rc == VP_OK) {
        if (as_of == VP_NO_DATE)
            as_of = vp_date_from_unix((long long)time(NULL));
        vp_portfolio_keys_sort(keys, n);
        rc = vp_mkdir_p(outdir, diag);
        if (rc == VP_OK) {
            vp_portfolio_source src = {.readers = readers, .paths = (const char *const *)paths,
                                       .n = n_dirs, .last_use = last_use};
            rc = vp_portfolio_write(keys, n, &src, outdir, tpl, fonts, as_of, diag);
        }
    }
done:
    for (size_t d = 0; readers && d < n_dirs; d++)
        vp_manifest_close(&readers[d]);
    vp_free(readers);
    vp_free(paths);
    vp_free(last_use);
    vp_free(keys);
    vp_arena_destroy(&ids);
    vp_arena_destroy(&scratch);
    return rc;
}
