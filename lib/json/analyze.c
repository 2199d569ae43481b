/* analyze.c — the computed model as JSON (SPEC §4 "analyze").
 *
 * Field names and meanings of SPEC §4 are kept; more fields are added after them.
 * Money is whole units (integers), other numbers with 12
 * significant digits (lib/util/jsonw.h), and
 * every value that cannot be computed is null. */
#include <stdint.h>
#include <stdlib.h>

#include "../compute/report.h"
#include "../util/jsonw.h"
#include "../util/strbuf.h"

static void put_period(vp_jsonw *w, const char *key, vp_period p)
{
    char buf[8];
    vp_jsonw_key(w, key);
    if (p.kind == VP_PERIOD_NONE) {
        vp_jsonw_null(w);
        return;
    }
    vp_period_format(p, buf);
    vp_jsonw_string(w, buf);
}

static void put_date(vp_jsonw *w, const char *key, vp_date d)
{
    char buf[11];
    vp_jsonw_key(w, key);
    if (d == VP_NO_DATE) {
        vp_jsonw_null(w);
        return;
    }
    vp_date_format_iso(d, buf);
    vp_jsonw_string(w, buf);
}

static void put_account(vp_jsonw *w, const vp_report *r)
{
    const vp_account *a = r->account;
    vp_jsonw_key(w, "account");
    vp_jsonw_object_begin(w);
    vp_jsonw_kstring(w, "id", a->id);
    vp_jsonw_kstring(w, "name", a->name);
    vp_jsonw_kstring(w, "currency", r->currency);
    vp_jsonw_kstring(w, "locale", vp_locale_name(r->locale));
    vp_jsonw_kstring(w, "industry", a->industry);
    vp_jsonw_kstring(w, "segment", a->segment);
    vp_jsonw_kstring(w, "region", a->region);
    vp_jsonw_kmoney(w, "arr", a->arr);
    put_date(w, "contract_start", a->start_date);
    put_date(w, "contract_end", a->end_date);
    vp_jsonw_object_end(w);
}

static void put_kpi(vp_jsonw *w, const vp_kpi_result *k)
{
    vp_jsonw_object_begin(w);
    vp_jsonw_kstring(w, "id", k->kpi->id);
    vp_jsonw_kstring(w, "name", k->kpi->name);
    vp_jsonw_kstring(w, "unit", k->kpi->unit);
    vp_jsonw_kstring(w, "direction",
                     k->kpi->direction == VP_DIR_DECREASE ? "decrease" : "increase");
    vp_jsonw_knumber(w, "baseline", k->kpi->baseline);
    vp_jsonw_knumber(w, "target", k->kpi->target);
    vp_jsonw_knumber(w, "actual", k->actual);
    put_period(w, "actual_period", k->actual_period);
    vp_jsonw_knumber(w, "delta", k->delta);
    vp_jsonw_knumber(w, "delta_pct", k->delta_pct);
    vp_jsonw_knumber(w, "progress", k->progress);
    vp_jsonw_knumber(w, "expected", k->expected);
    vp_jsonw_kstring(w, "status", vp_kpi_status_name(k->status));
    vp_jsonw_knumber(w, "value", k->value);
    vp_jsonw_kstring(w, "headline", k->headline);
    vp_jsonw_key(w, "trend");
    vp_jsonw_array_begin(w);
    for (size_t i = 0; i < k->n_trend; i++) {
        const vp_trend_point *t = &k->trend[i];
        vp_jsonw_object_begin(w);
        put_period(w, "period", t->period);
        vp_jsonw_knumber(w, "value", t->value);
        vp_jsonw_knumber(w, "change", t->change);
        vp_jsonw_knumber(w, "change_pct", t->change_pct);
        vp_jsonw_object_end(w);
    }
    vp_jsonw_array_end(w);
    vp_jsonw_object_end(w);
}

static void put_lifecycle(vp_jsonw *w, const vp_report *r)
{
    const vp_lifecycle *l = &r->lifecycle;
    vp_jsonw_key(w, "lifecycle");
    vp_jsonw_object_begin(w);
    put_date(w, "as_of", l->as_of);
    vp_jsonw_kstring(w, "stage", vp_stage_name(l->stage));
    vp_jsonw_kint(w, "days_to_renewal", l->days_to_renewal);
    vp_jsonw_kint(w, "months_elapsed", l->months_elapsed);
    if (l->time_to_first_value_days == INT32_MIN) {
        vp_jsonw_knull(w, "time_to_first_value_days");
        vp_jsonw_knull(w, "first_value_on_time");
    } else {
        vp_jsonw_kint(w, "time_to_first_value_days", l->time_to_first_value_days);
        vp_jsonw_kbool(w, "first_value_on_time", l->first_value_on_time);
    }
    vp_jsonw_kint(w, "qbrs_held", l->qbrs_held);
    vp_jsonw_kint(w, "qbrs_expected", l->qbrs_expected);
    vp_jsonw_key(w, "actions");
    vp_jsonw_array_begin(w);
    for (size_t i = 0; i < l->n_actions; i++) {
        const vp_action *a = &l->actions[i];
        vp_jsonw_object_begin(w);
        vp_jsonw_kstring(w, "id", a->rule->id);
        vp_jsonw_kint(w, "method_action", a->rule->method_action);
        vp_jsonw_kstring(w, "signal", a->signal);
        vp_jsonw_kstring(w, "text", a->text);
        vp_jsonw_object_end(w);
    }
    vp_jsonw_array_end(w);
    vp_jsonw_object_end(w);
}

static void put_health(vp_jsonw *w, const vp_report *r)
{
    const vp_health *h = &r->health;
    vp_jsonw_key(w, "health");
    vp_jsonw_object_begin(w);
    vp_jsonw_knumber(w, "score", h->score);
    vp_jsonw_kstring(w, "band", h->band ? h->band->id : NULL);
    vp_jsonw_knumber(w, "previous", h->previous);
    put_period(w, "previous_period", h->previous_period);
    vp_jsonw_knumber(w, "change", h->change);
    vp_jsonw_kbool(w, "alert", h->alert);
    vp_jsonw_key(w, "components");
    vp_jsonw_array_begin(w);
    for (int i = 0; i < VP_H__COUNT; i++) {
        const vp_health_component *c = &h->components[i];
        vp_jsonw_object_begin(w);
        vp_jsonw_kstring(w, "id", vp_health_id_name(c->id));
        vp_jsonw_knumber(w, "score", c->score);
        vp_jsonw_knumber(w, "weight", c->weight);
        vp_jsonw_object_end(w);
    }
    vp_jsonw_array_end(w);
    vp_jsonw_key(w, "breadth");
    vp_jsonw_array_begin(w);
    for (size_t i = 0; i < r->n_breadth; i++) {
        const vp_module_breadth *b = &r->breadth[i];
        vp_jsonw_object_begin(w);
        vp_jsonw_kstring(w, "module", b->module->code);
        vp_jsonw_knumber(w, "share", b->share);
        vp_jsonw_knumber(w, "score", b->score);
        vp_jsonw_kbool(w, "below_target", b->below_target);
        vp_jsonw_object_end(w);
    }
    vp_jsonw_array_end(w);
    vp_jsonw_object_end(w);
}

static void put_renewal(vp_jsonw *w, const vp_report *r)
{
    static const char *const reasons[] = {"at_risk", "bundle_offered", "longest_term",
                                          "nothing_else_offered"};
    const vp_renewal *rn = &r->renewal;
    vp_jsonw_key(w, "renewal");
    vp_jsonw_object_begin(w);
    const vp_renewal_option *rec = rn->n_options ? &rn->options[rn->recommended] : NULL;
    vp_jsonw_kstring(w, "recommended", rec ? vp_tier_name(rec->tier) : NULL);
    if (rec)
        vp_jsonw_kint(w, "recommended_years", rec->years);
    else
        vp_jsonw_knull(w, "recommended_years");
    vp_jsonw_kstring(w, "reason", reasons[rn->reason]);
    vp_jsonw_kint(w, "arr", rn->base_arr);
    vp_jsonw_kint(w, "added", rn->added);
    put_date(w, "valid_until", rn->valid_until);
    vp_jsonw_key(w, "options");
    vp_jsonw_array_begin(w);
    for (size_t i = 0; i < rn->n_options; i++) {
        const vp_renewal_option *o = &rn->options[i];
        vp_jsonw_object_begin(w);
        vp_jsonw_kstring(w, "tier", vp_tier_name(o->tier));
        vp_jsonw_kint(w, "years", o->years);
        vp_jsonw_kint(w, "annual", o->annual);
        vp_jsonw_kint(w, "total", o->total);
        vp_jsonw_kint(w, "savings", o->savings);
        vp_jsonw_knumber(w, "discount_pct", o->discount_pct);
        vp_jsonw_object_end(w);
    }
    vp_jsonw_array_end(w);
    vp_jsonw_object_end(w);
}

char *vp_report_to_json(const vp_report *r, bool pretty)
{
    vp_strbuf b = VP_STRBUF_INIT;
    vp_jsonw w;
    vp_jsonw_init(&w, &b, pretty);
    vp_jsonw_object_begin(&w);
    vp_jsonw_kstring(&w, "schema", "valuepack/analyze@1");
    put_account(&w, r);
    vp_jsonw_kstring(&w, "period", r->period_name);
    put_date(&w, "period_start", r->period_start);
    put_date(&w, "period_end", r->period_end);
    vp_jsonw_key(&w, "kpis");
    vp_jsonw_array_begin(&w);
    for (size_t i = 0; i < r->n_kpis; i++)
        put_kpi(&w, &r->kpis[i]);
    vp_jsonw_array_end(&w);
    vp_jsonw_key(&w, "kpi_counts");
    vp_jsonw_object_begin(&w);
    vp_jsonw_kint(&w, "total", (int64_t)r->n_kpis);
    vp_jsonw_kint(&w, "with_data", (int64_t)r->n_with_data);
    vp_jsonw_kint(&w, "achieved", (int64_t)r->n_achieved);
    vp_jsonw_kint(&w, "on_track", (int64_t)r->n_on_track);
    vp_jsonw_kint(&w, "behind", (int64_t)r->n_behind);
    vp_jsonw_kint(&w, "regressed", (int64_t)r->n_regressed);
    vp_jsonw_object_end(&w);
    vp_jsonw_key(&w, "value");
    vp_jsonw_object_begin(&w);
    vp_jsonw_knumber(&w, "total", r->total_value);
    vp_jsonw_knumber(&w, "roi", r->roi);
    vp_jsonw_object_end(&w);
    put_lifecycle(&w, r);
    put_health(&w, r);
    put_renewal(&w, r);
    vp_jsonw_key(&w, "best_practices");
    vp_jsonw_array_begin(&w);
    for (size_t i = 0; i < r->n_practices; i++)
        vp_jsonw_string(&w, r->practices[i]->id);
    vp_jsonw_array_end(&w);
    vp_jsonw_object_end(&w);
    return vp_strbuf_detach(&b);
}
