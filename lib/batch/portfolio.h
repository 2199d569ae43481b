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
#include "manifest.h"

typedef struct vp_account_summary {
    const char *id, *name, *currency, *locale, *period, *band;  /* band NULL: no data */
    const char *stage, *recommended;      /* stage id; tier id */
    double arr, score, previous, change, total_value, roi;     /* NaN when unknown */
    bool alert;
    int recommended_years;
    int64_t recommended_annual;
    vp_date renewal_date;
    int days_to_renewal;
} vp_account_summary;

/* Portfolio totals per currency (ARR of different currencies is never added up). */
#define VP_PORTFOLIO_MAX_CURRENCIES 8
typedef struct vp_currency_totals {
    char currency[16];
    size_t accounts, alerts;
    size_t accounts_by_band[4];      /* healthy, watch, at_risk, no data */
    double arr, arr_by_band[4], arr_renewing_90, value;
    double arr_by_month[12];         /* ARR renewing in each of the 12 months from as-of */
} vp_currency_totals;

typedef struct vp_portfolio_totals {
    vp_currency_totals currencies[VP_PORTFOLIO_MAX_CURRENCIES];   /* largest ARR first */
    size_t n_currencies;
    size_t accounts, zh_accounts;    /* all of them; those in zh-CN (the documents' locale) */
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

/* ---- the portfolio, one account at a time ----------------------------------------------
 *
 * Memory must not grow with the portfolio (10,000 accounts within 10% of 100), so the
 * portfolio does not hold its rows: each account's summary stays in the line of a manifest
 * (or of batch's lines file) that has it, and the portfolio keeps a key per account with
 * what it is sorted by and where its line is — 24 bytes and the id. The writer reads the
 * rows back in order, one at a time, once for the totals and once for the workbook; the
 * PDF's table (the first rows) is the only part held whole. */
typedef struct vp_portfolio_key {
    const char *id;          /* the last tie-break; the caller keeps the string */
    int64_t offset;          /* of the account's line in source `src` */
    int32_t days_to_renewal;
    uint16_t src;
    uint8_t band_rank;       /* at risk 0, watch 1, no data 2, healthy 3 */
    bool alert;
} vp_portfolio_key;

/* The key of `s`, whose line is at `offset` of source `src`; `id` is the caller's copy of
 * s->id (it must outlive the key). */
void vp_portfolio_key_set(vp_portfolio_key *k, const vp_account_summary *s, const char *id,
                          uint16_t src, int64_t offset);

/* Sort for the portfolio: at-risk first, then watch, no data, healthy; within a band
 * alerts first, then the soonest renewal; then by id. */
void vp_portfolio_keys_sort(vp_portfolio_key *keys, size_t n);

/* Where the rows are read back from: the manifests (or batch's lines file) that keys'
 * `src` index. A source with paths reopens its manifests as needed and keeps at most
 * VP_PORTFOLIO_MAX_OPEN open at once: merging thousands of shards must not run out of
 * file descriptors. */
#define VP_PORTFOLIO_MAX_OPEN 32
typedef struct vp_portfolio_source {
    vp_manifest_reader *readers;   /* n of them; a closed one has fp NULL */
    const char *const *paths;      /* the n manifests to reopen, or NULL: all kept open */
    size_t n, n_open;
    uint64_t *last_use, clock;     /* with paths: which open one was used least recently */
} vp_portfolio_source;

/* Write OUT/portfolio.xlsx and, with fonts, OUT/portfolio.pdf for the accounts of `keys`
 * (already sorted), whose lines are read from `src`. `as_of` is the date the "next 90
 * days" and the months of renewals are counted from. */
int vp_portfolio_write(const vp_portfolio_key *keys, size_t n, vp_portfolio_source *src,
                       const char *outdir, const vp_templates *tpl, const vp_fontset *fonts,
                       vp_date as_of, vp_diag *diag);

#endif
