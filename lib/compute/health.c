/* health.c — the health score of SPEC §3 (action 5 of the method) and module breadth. */
#include <math.h>
#include <string.h>

#include "report.h"
#include "../util/decimal.h"

static double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

double vp_usage_module_share(const vp_usage *u, const char *code)
{
    if (!u || !u->has_modules)
        return NAN;
    for (size_t i = 0; i < u->n_modules; i++)
        if (u->modules[i].key && strcmp(u->modules[i].key, code) == 0)
            return u->modules[i].value;
    return 0.0;
}

/* min(1, active_monthly / licensed users), licensed from the entry else the contract. */
static double adoption(const vp_account *a, const vp_usage *u)
{
    if (!u || !VP_HAS(u->active_monthly))
        return NAN;
    double licensed = VP_HAS(u->licensed_users) ? u->licensed_users : a->licensed_users;
    if (!VP_HAS(licensed) || licensed <= 0)
        return NAN;
    return fmin(1.0, u->active_monthly / licensed);
}

/* min(1, (daily / monthly) / target). */
static double stickiness(const vp_usage *u, double target)
{
    if (!u || !VP_HAS(u->active_monthly) || u->active_monthly <= 0 ||
        !VP_HAS(u->active_daily))
        return NAN;
    return fmin(1.0, (u->active_daily / u->active_monthly) / target);
}

/* Mean over the contract's modules of min(1, share / target); an unlisted module is 0. */
static double breadth(const vp_account *a, const vp_usage *u, double target)
{
    if (!u || !u->has_modules || a->n_modules == 0)
        return NAN;
    double sum = 0;
    for (size_t i = 0; i < a->n_modules; i++)
        sum += fmin(1.0, vp_usage_module_share(u, a->modules[i].code) / target);
    return sum / (double)a->n_modules;
}

/* Mean over the KPIs with data at p of clamp(progress, 0, 1). */
static double outcomes(const vp_account *a, vp_period p)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = 0; i < a->n_kpis; i++) {
        vp_kpi_result r;
        vp_kpi_evaluate(&r, a, &a->kpis[i], p);
        if (r.status == VP_ST_NO_DATA)
            continue;
        sum += clamp01(r.progress);
        n++;
    }
    return n ? sum / (double)n : NAN;
}

static const vp_health_band *band_for(const vp_health_model *m, double score)
{
    if (!VP_HAS(score))
        return NULL;
    for (size_t i = 0; i < m->n_bands; i++)   /* sorted by min, highest first */
        if (m->bands[i].min <= score)
            return &m->bands[i];
    return NULL;
}

void vp_health_at(vp_health *out, const vp_account *a, const vp_health_model *m,
                  vp_period p)
{
    memset(out, 0, sizeof *out);
    const vp_usage *u = vp_usage_for(a, p);
    const vp_support *s = vp_support_for(a, p);
    double score[VP_H__COUNT];
    score[VP_H_ADOPTION] = adoption(a, u);
    score[VP_H_STICKINESS] = stickiness(u, m->target[VP_H_STICKINESS]);
    score[VP_H_BREADTH] = breadth(a, u, m->target[VP_H_BREADTH]);
    score[VP_H_OUTCOMES] = outcomes(a, p);
    score[VP_H_SUPPORT] = s && VP_HAS(s->sla_met_pct) ? clamp01(s->sla_met_pct / 100.0) : NAN;
    score[VP_H_SENTIMENT] = s && VP_HAS(s->csat) ? clamp01((s->csat - 1.0) / 4.0) : NAN;

    double ws = 0, w = 0;
    for (int i = 0; i < VP_H__COUNT; i++) {
        out->components[i].id = (vp_health_id)i;
        out->components[i].weight = m->weight[i];
        out->components[i].score = score[i];
        if (VP_HAS(score[i])) {
            ws += m->weight[i] * score[i];
            w += m->weight[i];
        }
    }
    out->score = w > 0 ? vp_round_half_away(100.0 * ws / w, 1) : NAN;
    out->band = band_for(m, out->score);
    out->previous = out->change = NAN;
    out->alert = false;
}

int vp_breadth_compute(vp_report *r)
{
    const vp_account *a = r->account;
    double target = r->tpl->health.target[VP_H_BREADTH];
    r->n_breadth = 0;
    r->breadth = NULL;
    if (!a->n_modules)
        return VP_OK;
    r->breadth = vp_arena_calloc(&r->arena, a->n_modules, sizeof *r->breadth);
    if (!r->breadth)
        return VP_ERR_NOMEM;
    for (size_t i = 0; i < a->n_modules; i++) {
        vp_module_breadth *b = &r->breadth[r->n_breadth++];
        b->module = &a->modules[i];
        b->share = vp_usage_module_share(r->usage_p, a->modules[i].code);
        b->score = VP_HAS(b->share) ? fmin(1.0, b->share / target) : NAN;
        b->below_target = VP_HAS(b->share) && b->share < target;
    }
    return VP_OK;
}
