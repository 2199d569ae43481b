/* portfolio.h (internal) — one account's line in the portfolio summary, kept by batch for
 * every account it processed and stored in the manifest ("summary"), so the portfolio can
 * be rebuilt later from the manifests of many shards. */
#ifndef VP_BATCH_PORTFOLIO_H
#define VP_BATCH_PORTFOLIO_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "valuepack/batch.h"
#include "../compute/report.h"
#include "../util/arena.h"
#include "../util/jsonw.h"

typedef struct vp_account_summary {
    const char *id, *name, *currency, *locale, *period, *band;  /* band NULL: no data */
    const char *stage, *recommended;      /* stage id; tier id */
    double arr, score, previous, change, total_value, roi;     /* NaN when unknown */
    bool alert;
    int recommended_years;
    int64_t recommended_annual;
    vp_date renewal_date;
    int days_to_renewal;
    size_t order;            /* position among merged manifests (later wins a duplicate id) */
} vp_account_summary;

/* Portfolio totals per currency (ARR of different currencies is never added up). */
#define VP_PORTFOLIO_MAX_CURRENCIES 8
typedef struct vp_currency_totals {
    const char *currency;
    size_t accounts, alerts;
    size_t accounts_by_band[4];      /* healthy, watch, at_risk, no data */
    double arr, arr_by_band[4], arr_renewing_90, value;
} vp_currency_totals;

typedef struct vp_portfolio_totals {
    vp_currency_totals currencies[VP_PORTFOLIO_MAX_CURRENCIES];   /* largest ARR first */
    size_t n_currencies;
} vp_portfolio_totals;

/* Fill a summary from a computed report; strings are copied into `arena`. */
void vp_summary_from_report(vp_account_summary *s, const vp_report *r, vp_arena *arena);
/* Write / read the summary as the manifest's "summary" object. */
void vp_summary_write(vp_jsonw *w, const vp_account_summary *s);
bool vp_summary_read(vp_account_summary *s, const cJSON *obj, vp_arena *arena);

/* The recommended option's label ("B · Renewal + added modules", "C · Multi-year — 3 years")
 * in buf; "" when none. */
const char *vp_summary_option_label(const vp_account_summary *s, const vp_templates *tpl,
                                    vp_locale loc, char *buf, size_t size);

/* Sort for the portfolio: at-risk first, then watch, no data, healthy; within a band
 * alerts first, then the soonest renewal; then by id. */
void vp_summary_sort(vp_account_summary *rows, size_t n);

/* Write OUT/portfolio.xlsx and OUT/portfolio.pdf for `rows` (already sorted). `as_of`
 * is the date the "next 90 days" are counted from. */
int vp_portfolio_write(const vp_account_summary *rows, size_t n, const char *outdir,
                       const vp_templates *tpl, const vp_fontset *fonts, vp_date as_of,
                       vp_diag *diag);

#endif
