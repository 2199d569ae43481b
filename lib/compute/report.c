/* report.c — vp_report_compute: the options, the as-of date and period, and the pieces of
 * SPEC §3 in order (KPIs, value, usage, health now and before, renewal, lifecycle and
 * playbook, best practices). Names and localized labels of the model's enums. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"
#include "../util/alloc.h"
#include "../util/decimal.h"
#include "../util/strbuf.h"

/* ---- names ------------------------------------------------------------------------------ */

static const char *const k_status[] = {"no_data", "achieved", "on_track", "behind",
                                       "regressed"};
static const char *const k_stage[VP_STAGE__COUNT] = {"implementation", "rooting",
                                                     "deepening", "renewal"};
static const char *const k_tier[] = {"standard", "bundle", "multi_year"};

const char *vp_kpi_status_name(vp_kpi_status s)
{
    return (unsigned)s < sizeof k_status / sizeof k_status[0] ? k_status[s] : "no_data";
}

const char *vp_stage_name(vp_stage s)
{
    return (unsigned)s < VP_STAGE__COUNT ? k_stage[s] : "implementation";
}

bool vp_stage_parse(const char *s, vp_stage *out)
{
    for (int i = 0; s && i < VP_STAGE__COUNT; i++)
        if (strcmp(s, k_stage[i]) == 0) {
            *out = (vp_stage)i;
            return true;
        }
    return false;
}

const char *vp_tier_name(vp_tier t)
{
    return (unsigned)t < sizeof k_tier / sizeof k_tier[0] ? k_tier[t] : "standard";
}

/* ---- labels (common.json) --------------------------------------------------------------
 * Written out key by key so the templates test finds every key the code uses. */

const char *vp_status_label(const vp_report *r, vp_kpi_status s)
{
    const vp_templates *t = r->tpl;
    switch (s) {
    case VP_ST_ACHIEVED: return vp_tr(t, r->locale, "common.status.achieved");
    case VP_ST_ON_TRACK: return vp_tr(t, r->locale, "common.status.on_track");
    case VP_ST_BEHIND: return vp_tr(t, r->locale, "common.status.behind");
    case VP_ST_REGRESSED: return vp_tr(t, r->locale, "common.status.regressed");
    case VP_ST_NO_DATA: break;
    }
    return vp_tr(t, r->locale, "common.status.no_data");
}

const char *vp_stage_label(const vp_report *r, vp_stage s)
{
    const vp_templates *t = r->tpl;
    switch (s) {
    case VP_STAGE_ROOTING: return vp_tr(t, r->locale, "common.stage.rooting");
    case VP_STAGE_DEEPENING: return vp_tr(t, r->locale, "common.stage.deepening");
    case VP_STAGE_RENEWAL: return vp_tr(t, r->locale, "common.stage.renewal");
    case VP_STAGE_IMPLEMENTATION: case VP_STAGE__COUNT: break;
    }
    return vp_tr(t, r->locale, "common.stage.implementation");
}

const char *vp_band_label(const vp_report *r, const vp_health_band *b)
{
    if (!b || !b->id)
        return vp_tr(r->tpl, r->locale, "common.no_data");
    /* Bands are configurable (health.json): a band the table does not name shows its id. */
    char key[96];
    snprintf(key, sizeof key, "common.band.%s", b->id);
    return vp_tr_has(r->tpl, r->locale, key) ? vp_tr(r->tpl, r->locale, key) : b->id;
}

const char *vp_health_label(const vp_report *r, vp_health_id id)
{
    const vp_templates *t = r->tpl;
    switch (id) {
    case VP_H_ADOPTION: return vp_tr(t, r->locale, "common.health.adoption");
    case VP_H_STICKINESS: return vp_tr(t, r->locale, "common.health.stickiness");
    case VP_H_BREADTH: return vp_tr(t, r->locale, "common.health.breadth");
    case VP_H_OUTCOMES: return vp_tr(t, r->locale, "common.health.outcomes");
    case VP_H_SUPPORT: return vp_tr(t, r->locale, "common.health.support");
    case VP_H_SENTIMENT: case VP_H__COUNT: break;
    }
    return vp_tr(t, r->locale, "common.health.sentiment");
}

const char *vp_tier_label(const vp_report *r, vp_tier tier)
{
    const vp_templates *t = r->tpl;
    switch (tier) {
    case VP_TIER_BUNDLE: return vp_tr(t, r->locale, "common.tier.bundle");
    case VP_TIER_MULTI_YEAR: return vp_tr(t, r->locale, "common.tier.multi_year");
    case VP_TIER_STANDARD: break;
    }
    return vp_tr(t, r->locale, "common.tier.standard");
}

const char *vp_reason_label(const vp_report *r, vp_recommend_reason reason)
{
    const vp_templates *t = r->tpl;
    switch (reason) {
    case VP_REASON_AT_RISK: return vp_tr(t, r->locale, "common.reason.at_risk");
    case VP_REASON_BUNDLE: return vp_tr(t, r->locale, "common.reason.bundle");
    case VP_REASON_MULTI_YEAR: return vp_tr(t, r->locale, "common.reason.multi_year");
    case VP_REASON_DEFAULT: break;
    }
    return vp_tr(t, r->locale, "common.reason.default");
}

char *vp_text_fill(vp_arena *arena, const char *pattern, const char *const *keys,
                   const char *const *vals, size_t n)
{
    vp_strbuf sb = VP_STRBUF_INIT;
    for (const char *s = pattern ? pattern : ""; *s;) {
        const char *close = *s == '{' ? strchr(s + 1, '}') : NULL;
        size_t i = n;
        if (close)
            for (i = 0; i < n; i++)
                if (strlen(keys[i]) == (size_t)(close - s - 1) &&
                    strncmp(s + 1, keys[i], (size_t)(close - s - 1)) == 0)
                    break;
        if (close && i < n) {
            vp_strbuf_puts(&sb, vals[i] ? vals[i] : "");
            s = close + 1;
        } else {
            vp_strbuf_putc(&sb, *s++);
        }
    }
    char *out = vp_strbuf_failed(&sb) ? NULL : vp_arena_strdup(arena, vp_strbuf_cstr(&sb));
    if (!out)
        arena->failed = true;   /* the text belonged in the arena: its owner must know */
    vp_strbuf_free(&sb);
    return out;
}

/* ---- options ------------------------------------------------------------------------------ */

/* The as-of date: --date, else $SOURCE_DATE_EPOCH, else today (UTC). */
static int as_of_date(vp_date *out, const char *date, vp_diag *diag)
{
    if (date) {
        if (vp_date_parse(date, out))
            return VP_OK;
        vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0,
                    "--date \"%s\": expected a date YYYY-MM-DD that exists", date);
        return VP_ERR_USAGE;
    }
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end = NULL;
        errno = 0;
        long long t = strtoll(sde, &end, 10);
        if (errno || !end || *end || t < 0 || t > 253402300799LL) {
            vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0,
                        "SOURCE_DATE_EPOCH \"%s\": expected a Unix time in seconds", sde);
            return VP_ERR_USAGE;
        }
        *out = vp_date_from_unix(t);
        return VP_OK;
    }
    *out = vp_date_from_unix((int64_t)time(NULL));
    return VP_OK;
}

/* ---- compute ------------------------------------------------------------------------------ */

static int compute_kpis(vp_report *r)
{
    const vp_account *a = r->account;
    r->n_kpis = a->n_kpis;
    r->kpis = a->n_kpis ? vp_arena_calloc(&r->arena, a->n_kpis, sizeof *r->kpis) : NULL;
    if (a->n_kpis && !r->kpis)
        return VP_ERR_NOMEM;
    r->total_value = 0;
    for (size_t i = 0; i < a->n_kpis; i++) {
        vp_kpi_result *k = &r->kpis[i];
        int rc = vp_kpi_compare(k, a, &a->kpis[i], r->period, r->locale, r->tpl, &r->arena);
        if (rc != VP_OK)
            return rc;
        switch (k->status) {
        case VP_ST_NO_DATA: continue;
        case VP_ST_ACHIEVED: r->n_achieved++; break;
        case VP_ST_ON_TRACK: r->n_on_track++; break;
        case VP_ST_BEHIND: r->n_behind++; break;
        case VP_ST_REGRESSED: r->n_regressed++; break;
        }
        r->n_with_data++;
        r->total_value += k->value;
    }
    /* With no KPI measured there is no value to report, not a value of zero (DESIGN:
     * never a zero that is really unknown). */
    if (!r->n_with_data)
        r->total_value = NAN;
    r->roi = a->arr != 0 && r->n_with_data ? r->total_value / a->arr : NAN;
    return VP_OK;
}

static void compute_health(vp_report *r)
{
    const vp_health_model *m = &r->tpl->health;
    vp_health prev;
    vp_health_at(&r->health, r->account, m, r->period);
    r->health.previous_period = vp_period_prev(r->period);
    vp_health_at(&prev, r->account, m, r->health.previous_period);
    vp_health *h = &r->health;
    h->previous = prev.score;
    h->change = VP_HAS(h->score) && VP_HAS(h->previous)
                    ? vp_round_half_away(h->score - h->previous, 1)
                    : NAN;
    h->alert = false;
    if (h->band && h->band->id && m->alert_band && strcmp(h->band->id, m->alert_band) == 0)
        h->alert = true;
    if (VP_HAS(h->change) && -h->change >= m->alert_drop - 1e-9)
        h->alert = true;
}

int vp_report_compute(vp_report **out, const vp_account *account, const vp_templates *tpl,
                      const vp_compute_options *opts, vp_diag *diag)
{
    static const vp_compute_options no_opts = {0};
    if (!opts)
        opts = &no_opts;
    *out = NULL;
    if (!account || !tpl)
        return VP_ERR_USAGE;

    vp_locale loc = account->locale;
    if (opts->locale && !vp_locale_parse(opts->locale, &loc)) {
        vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0,
                    "--locale \"%s\": expected en or zh-CN", opts->locale);
        return VP_ERR_USAGE;
    }
    vp_period period = {0};
    if (opts->period && !vp_period_parse(opts->period, &period)) {
        vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0,
                    "--period \"%s\": expected YYYY-Qn (n 1-4) or YYYY-MM", opts->period);
        return VP_ERR_USAGE;
    }
    vp_date as_of;
    int rc = as_of_date(&as_of, opts->date, diag);
    if (rc != VP_OK)
        return rc;
    if (!opts->period)
        period = vp_default_period(account, as_of);

    vp_report *r = vp_calloc(1, sizeof *r);
    if (!r)
        return VP_ERR_NOMEM;
    vp_arena_init(&r->arena, 32 * 1024);
    int fy = account->fiscal_year_start_month;
    r->account = account;
    r->tpl = tpl;
    r->locale = loc;
    r->currency = account->currency ? account->currency
                                    : loc == VP_LOCALE_ZH_CN ? "CNY" : "USD";
    r->period = period;
    vp_period_format(period, r->period_name);
    r->period_start = vp_period_start(period, fy);
    r->period_end = vp_period_end(period, fy);
    r->generated = as_of;

    rc = compute_kpis(r);
    if (rc == VP_OK) {
        r->usage_p = vp_usage_for(account, period);
        r->support_p = vp_support_for(account, period);
        rc = vp_breadth_compute(r);
    }
    if (rc == VP_OK) {
        compute_health(r);
        rc = vp_renewal_compute(&r->renewal, account, &r->health, as_of, &r->arena);
    }
    if (rc == VP_OK)
        rc = vp_lifecycle_compute(&r->lifecycle, r, as_of, &r->arena);
    if (rc == VP_OK)
        rc = vp_practices_pick(r, VP_PRACTICES_MAX);
    if (rc != VP_OK) {
        vp_report_free(r);
        return rc;
    }
    *out = r;
    return VP_OK;
}

void vp_report_free(vp_report *r)
{
    if (!r)
        return;
    vp_arena_destroy(&r->arena);
    vp_free(r);
}

const char *vp_report_period(const vp_report *r) { return r->period_name; }

const vp_kpi_result *vp_report_kpi(const vp_report *r, const char *id)
{
    for (size_t i = 0; id && i < r->n_kpis; i++)
        if (strcmp(r->kpis[i].kpi->id, id) == 0)
            return &r->kpis[i];
    return NULL;
}

/* Replace the first "{n}" in pattern with n. */
static void fill_n(char *buf, size_t size, const char *pattern, int n)
{
    const char *at = strstr(pattern, "{n}");
    if (!at) {
        snprintf(buf, size, "%s", pattern);
        return;
    }
    snprintf(buf, size, "%.*s%d%s", (int)(at - pattern), pattern, n, at + 3);
}

const char *vp_option_label(const vp_report *r, const vp_renewal_option *o, char *buf,
                            size_t size)
{
    const char *tier = vp_tier_label(r, o->tier);
    if (o->tier != VP_TIER_MULTI_YEAR) {
        snprintf(buf, size, "%s", tier);
        return buf;
    }
    char years[64];
    fill_n(years, sizeof years, vp_tr(r->tpl, r->locale, "common.units.years"), o->years);
    const char *pattern = vp_tr(r->tpl, r->locale, "common.tier.with_term");
    const char *t = strstr(pattern, "{tier}"), *y = strstr(pattern, "{years}");
    if (!t || !y || y < t) {
        snprintf(buf, size, "%s (%s)", tier, years);
        return buf;
    }
    snprintf(buf, size, "%.*s%s%.*s%s%s", (int)(t - pattern), pattern, tier,
             (int)(y - (t + 6)), t + 6, years, y + 7);
    return buf;
}
