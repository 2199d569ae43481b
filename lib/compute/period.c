/* period.c — the report period and the usage / support entry that counts for it (SPEC §3). */
#include "report.h"

/* Keep the later of *best and p (vp_period_cmp: by last day, a quarter wins a tie). */
static void keep_latest(vp_period *best, vp_period p, int fy)
{
    if (p.kind == VP_PERIOD_NONE)
        return;
    if (best->kind == VP_PERIOD_NONE || vp_period_cmp(p, *best, fy) > 0)
        *best = p;
}

vp_period vp_default_period(const vp_account *a, vp_date as_of)
{
    int fy = a->fiscal_year_start_month;
    vp_period best = {0};
    for (size_t i = 0; i < a->n_kpis; i++)
        for (size_t j = 0; j < a->kpis[i].n_actuals; j++)
            keep_latest(&best, a->kpis[i].actuals[j].period, fy);
    for (size_t i = 0; i < a->n_usage; i++)
        keep_latest(&best, a->usage[i].period, fy);
    for (size_t i = 0; i < a->n_support; i++)
        keep_latest(&best, a->support[i].period, fy);
    if (best.kind == VP_PERIOD_NONE)
        best = vp_period_quarter_of(as_of, fy);
    return best;
}

/* Index of the entry that counts for p among n periods spaced `stride` bytes apart: the
 * one equal to p, else the latest one inside p; -1 when none. */
static long entry_for(const void *base, size_t n, size_t stride, size_t period_offset,
                      vp_period p, int fy)
{
    long found = -1;
    vp_period best = {0};
    for (size_t i = 0; i < n; i++) {
        const vp_period *q = (const vp_period *)((const char *)base + i * stride +
                                                 period_offset);
        if (vp_period_eq(*q, p))
            return (long)i;
        if (q->kind != VP_PERIOD_NONE && vp_period_within(*q, p, fy) &&
            (found < 0 || vp_period_cmp(*q, best, fy) > 0)) {
            found = (long)i;
            best = *q;
        }
    }
    return found;
}

const vp_usage *vp_usage_for(const vp_account *a, vp_period p)
{
    long i = entry_for(a->usage, a->n_usage, sizeof *a->usage, offsetof(vp_usage, period), p,
                       a->fiscal_year_start_month);
    return i < 0 ? NULL : &a->usage[i];
}

const vp_support *vp_support_for(const vp_account *a, vp_period p)
{
    long i = entry_for(a->support, a->n_support, sizeof *a->support,
                       offsetof(vp_support, period), p, a->fiscal_year_start_month);
    return i < 0 ? NULL : &a->support[i];
}
