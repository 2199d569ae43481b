/* renewal.c — renewal options A / B / C and the recommendation (SPEC §3, action 12).
 *
 * Every money figure is one exact integer ratio rounded once, halves away from zero, as a
 * finance reader computes by hand (120,750 × 0.93 = 112,297.5 -> 112,298): amounts are
 * integer cents, percentages integer hundredths of a percent ("basis points of a
 * percent", 10000 = 100 %), and the products are __int128. */
#include <math.h>
#include <string.h>

#include "report.h"
#include "../util/decimal.h"

#define PCT_ONE 10000      /* 100 % in hundredths of a percent */
#define MAX_TERM_YEARS 10  /* the loader allows 2..5; (1+u)^(n-1) stays far inside __int128 */

/* x as an integer scaled by 100. The loader guarantees at most two decimals; a value with
 * more is rounded to the nearest hundredth (halves away) rather than refused. */
static int64_t hundredths(double x)
{
    int64_t v;
    if (!VP_HAS(x))
        return 0;
    if (vp_decimal_scaled(x, 2, &v))
        return v;
    return (int64_t)vp_round_half_away(x * 100.0, 0);
}

static vp_renewal_option *add_option(vp_renewal *out, vp_tier tier, int years, int64_t annual,
                                     int64_t total, int64_t savings, double discount_pct)
{
    vp_renewal_option *o = &out->options[out->n_options++];
    o->tier = tier;
    o->years = years;
    o->annual = annual;
    o->total = total;
    o->savings = savings;
    o->discount_pct = discount_pct;
    return o;
}

int vp_renewal_compute(vp_renewal *out, const vp_account *a, const vp_health *h,
                       vp_date as_of, vp_arena *arena)
{
    const vp_renewal_terms *t = &a->renewal;
    memset(out, 0, sizeof *out);
    vp_i128 arr_c = hundredths(a->arr);                 /* cents */
    vp_i128 up = PCT_ONE + hundredths(t->uplift_pct);   /* (1 + u) × 10000 */

    out->base_arr = (int64_t)vp_div_round(arr_c, 100);
    /* A = round(arr × (1 + u)) = arr_c × up / (100 × 10000) */
    vp_i128 std = vp_div_round(arr_c * up, (vp_i128)100 * PCT_ONE);
    out->standard = (int64_t)std;

    vp_i128 added_c = 0;
    for (size_t i = 0; i < a->n_opportunities; i++)
        if (a->opportunities[i].stage != VP_OPP_LOST)
            added_c += hundredths(a->opportunities[i].annual_fee);
    out->added = (int64_t)vp_div_round(added_c, 100);

    out->options = vp_arena_calloc(arena, 2 + t->n_multi_year, sizeof *out->options);
    if (!out->options)
        return VP_ERR_NOMEM;
    add_option(out, VP_TIER_STANDARD, 1, out->standard, out->standard, 0, 0.0);

    if (added_c > 0) {
        vp_i128 bd = hundredths(t->bundle_discount_pct);
        int64_t modules = (int64_t)vp_div_round(added_c * (PCT_ONE - bd), (vp_i128)100 * PCT_ONE);
        int64_t savings = (int64_t)vp_div_round(added_c * bd, (vp_i128)100 * PCT_ONE);
        add_option(out, VP_TIER_BUNDLE, 1, out->standard + modules, out->standard + modules,
                   savings, VP_HAS(t->bundle_discount_pct) ? t->bundle_discount_pct : 0.0);
    }

    for (size_t i = 0; i < t->n_multi_year; i++) {
        const vp_multi_year *my = &t->multi_year[i];
        int n = my->years;
        if (n < 1 || n > MAX_TERM_YEARS)
            continue;
        vp_i128 d = hundredths(my->discount_pct);
        vp_i128 annual = vp_div_round(std * (PCT_ONE - d), PCT_ONE);
        vp_i128 total = annual * n;
        /* Σ_{y<n} A (1+u)^y over the common denominator 10000^(n-1):
         * Σ A × up^y × 10000^(n-1-y). */
        vp_i128 sum = 0, den = 1;
        for (int y = 0; y < n - 1; y++)
            den *= PCT_ONE;
        for (int y = 0; y < n; y++) {
            vp_i128 term = std;
            for (int k = 0; k < y; k++)
                term *= up;
            for (int k = y; k < n - 1; k++)
                term *= PCT_ONE;
            sum += term;
        }
        vp_i128 list = vp_div_round(sum, den);
        add_option(out, VP_TIER_MULTI_YEAR, n, (int64_t)annual, (int64_t)total,
                   (int64_t)(list - total), VP_HAS(my->discount_pct) ? my->discount_pct : 0.0);
    }

    /* Recommendation: protect an account at risk, else grow it, else lock it in. */
    bool bundle = out->n_options > 1 && out->options[1].tier == VP_TIER_BUNDLE;
    out->recommended = 0;
    if (h && h->band && h->band->id && strcmp(h->band->id, "at_risk") == 0) {
        out->reason = VP_REASON_AT_RISK;
    } else if (bundle) {
        out->recommended = 1;
        out->reason = VP_REASON_BUNDLE;
    } else if (out->options[out->n_options - 1].tier == VP_TIER_MULTI_YEAR) {
        out->recommended = out->n_options - 1;   /* multi-year options sorted by years */
        out->reason = VP_REASON_MULTI_YEAR;
    } else {
        out->reason = VP_REASON_DEFAULT;
    }
    int days = t->present ? t->quote_valid_days : 30;
    out->valid_until = as_of + days;
    return VP_OK;
}
