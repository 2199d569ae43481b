/* summary.c — an account's portfolio line: from a report, to and from the manifest. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portfolio.h"

void vp_summary_from_report(vp_account_summary *s, const vp_report *r, vp_arena *arena)
{
    const vp_account *a = r->account;
    memset(s, 0, sizeof *s);
    s->id = vp_arena_strdup(arena, a->id);
    s->name = vp_arena_strdup(arena, a->name);
    s->currency = vp_arena_strdup(arena, r->currency);
    s->locale = vp_locale_name(r->locale);
    s->period = vp_arena_strdup(arena, r->period_name);
    s->band = r->health.band ? vp_arena_strdup(arena, r->health.band->id) : NULL;
    s->stage = vp_stage_name(r->lifecycle.stage);
    s->arr = a->arr;
    s->score = r->health.score;
    s->previous = r->health.previous;
    s->change = r->health.change;
    s->alert = r->health.alert;
    s->total_value = r->total_value;
    /* As the manifest will hold it, so a portfolio rebuilt from manifests is identical. */
    s->roi = vp_jsonw_canonical(r->roi);
    s->renewal_date = a->end_date;
    s->days_to_renewal = r->lifecycle.days_to_renewal;
    if (r->renewal.n_options) {
        const vp_renewal_option *o = &r->renewal.options[r->renewal.recommended];
        s->recommended = vp_tier_name(o->tier);
        s->recommended_years = o->years;
        s->recommended_annual = o->annual;
    }
}

void vp_summary_write(vp_jsonw *w, const vp_account_summary *s)
{
    char d[11];
    vp_jsonw_object_begin(w);
    vp_jsonw_kstring(w, "id", s->id);
    vp_jsonw_kstring(w, "name", s->name);
    vp_jsonw_kstring(w, "currency", s->currency);
    vp_jsonw_kstring(w, "locale", s->locale);
    vp_jsonw_kstring(w, "period", s->period);
    vp_jsonw_kmoney(w, "arr", s->arr);
    vp_jsonw_knumber(w, "health", s->score);
    vp_jsonw_kstring(w, "band", s->band);
    vp_jsonw_knumber(w, "previous", s->previous);
    vp_jsonw_knumber(w, "change", s->change);
    vp_jsonw_kbool(w, "alert", s->alert);
    vp_jsonw_kmoney(w, "value", s->total_value);
    vp_jsonw_knumber(w, "roi", s->roi);
    vp_date_format_iso(s->renewal_date, d);
    vp_jsonw_kstring(w, "renewal_date", d);
    vp_jsonw_kint(w, "days_to_renewal", s->days_to_renewal);
    vp_jsonw_kstring(w, "stage", s->stage);
    vp_jsonw_kstring(w, "recommended", s->recommended);
    vp_jsonw_kint(w, "recommended_years", s->recommended_years);
    vp_jsonw_kint(w, "recommended_annual", s->recommended_annual);
    vp_jsonw_object_end(w);
}

static const char *get_str(const cJSON *o, const char *k, vp_arena *arena)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? vp_arena_strdup(arena, v->valuestring) : NULL;
}

static double get_num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

bool vp_summary_read(vp_account_summary *s, const cJSON *o, vp_arena *arena)
{
    memset(s, 0, sizeof *s);
    if (!cJSON_IsObject(o))
        return false;
    s->id = get_str(o, "id", arena);
    s->name = get_str(o, "name", arena);
    s->currency = get_str(o, "currency", arena);
    s->locale = get_str(o, "locale", arena);
    s->period = get_str(o, "period", arena);
    s->band = get_str(o, "band", arena);
    s->stage = get_str(o, "stage", arena);
    s->recommended = get_str(o, "recommended", arena);
    s->arr = get_num(o, "arr");
    s->score = get_num(o, "health");
    s->previous = get_num(o, "previous");
    s->change = get_num(o, "change");
    s->alert = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "alert"));
    s->total_value = get_num(o, "value");
    s->roi = get_num(o, "roi");
    const cJSON *rd = cJSON_GetObjectItemCaseSensitive(o, "renewal_date");
    double dtr = get_num(o, "days_to_renewal");
    double years = get_num(o, "recommended_years"), annual = get_num(o, "recommended_annual");
    s->recommended_years = isnan(years) ? 0 : (int)years;
    s->recommended_annual = isnan(annual) ? 0 : (int64_t)annual;
    if (!s->id || !s->name || !s->currency || !cJSON_IsString(rd) ||
        !vp_date_parse(rd->valuestring, &s->renewal_date) || isnan(dtr) || isnan(s->arr))
        return false;
    s->days_to_renewal = (int)dtr;
    return true;
}

static int band_rank(const char *band)
{
    if (!band)
        return 2;
    if (!strcmp(band, "at_risk"))
        return 0;
    if (!strcmp(band, "watch"))
        return 1;
    if (!strcmp(band, "healthy"))
        return 3;
    return 2;
}

void vp_portfolio_key_set(vp_portfolio_key *k, const vp_account_summary *s, const char *id,
                          uint16_t src, int64_t offset)
{
    k->id = id;
    k->offset = offset;
    k->days_to_renewal = s->days_to_renewal;
    k->src = src;
    k->band_rank = (uint8_t)band_rank(s->band);
    k->alert = s->alert;
}

static int cmp_key(const void *pa, const void *pb)
{
    const vp_portfolio_key *a = pa, *b = pb;
    if (a->band_rank != b->band_rank)
        return a->band_rank < b->band_rank ? -1 : 1;
    if (a->alert != b->alert)
        return a->alert ? -1 : 1;
    if (a->days_to_renewal != b->days_to_renewal)
        return a->days_to_renewal < b->days_to_renewal ? -1 : 1;
    return strcmp(a->id, b->id);
}

void vp_portfolio_keys_sort(vp_portfolio_key *keys, size_t n)
{
    if (n > 1)
        qsort(keys, n, sizeof *keys, cmp_key);
}

const char *vp_summary_option_label(const vp_account_summary *s, const vp_templates *tpl,
                                    vp_locale loc, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!s->recommended)
        return buf;
    char key[64];
    snprintf(key, sizeof key, "common.tier.%s", s->recommended);
    const char *tier = vp_tr(tpl, loc, key);
    if (strcmp(s->recommended, "multi_year") != 0) {
        snprintf(buf, size, "%s", tier);
        return buf;
    }
    /* "{n} years" into "{tier} — {years}" (common.units.years, common.tier.with_term) */
    char years[96];
    const char *yp = vp_tr(tpl, loc, "common.units.years"), *at = strstr(yp, "{n}");
    if (at)
        snprintf(years, sizeof years, "%.*s%d%s", (int)(at - yp), yp, s->recommended_years, at + 3);
    else
        snprintf(years, sizeof years, "%d", s->recommended_years);
    const char *wp = vp_tr(tpl, loc, "common.tier.with_term");
    const char *t = strstr(wp, "{tier}"), *y = strstr(wp, "{years}");
    if (t && y && y > t)
        snprintf(buf, size, "%.*s%s%.*s%s%s", (int)(t - wp), wp, tier, (int)(y - (t + 6)), t + 6,
                 years, y + 7);
    else
        snprintf(buf, size, "%s (%s)", tier, years);
    return buf;
}
