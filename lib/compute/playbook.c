/* playbook.c — next-best actions: report_templates/playbook.json rules over the signals
 * computed here (SPEC §3 "Lifecycle and playbook").
 *
 * The method's twelve actions (a rule's "action" number):
 *    1 kick-off KPIs: baseline, target and date agreed with the customer
 *    2 first value: a milestone / quick win within 90 days of go-live
 *    3 QBR cadence: a business review every quarter
 *    4 role-based training
 *    5 health score and its components
 *    6 adoption and usage
 *    7 best practices for the weak spots
 *    8 formal QBR with the value in money
 *    9 expansion tied to the customer's pain points
 *   10 champion users
 *   11 annual value summary and executive dialogue
 *   12 renewal options
 *
 * Signals a rule may name (README, "Playbook signals"); each raised signal gives one
 * action per instance, with the placeholders listed filled in the rule's text. Every
 * text may also use {sponsor} (the executive sponsor's name, else a generic phrase),
 * {stage} (the stage's name) and {score} (the health score).
 *   stage                        always raised                      "stage=renewal"
 *   health_alert                 health.alert is true               —
 *   module_below_breadth_target  one per module under the target    {module} {value}
 *   no_champion                  no champion listed                 —
 *   qbr_overdue                  qbrs_held < qbrs_expected          {held} {expected}
 *   kpi_regressed                one per KPI worse than baseline    {kpi}
 *   kpi_behind                   one per KPI behind its pace        {kpi} {value}
 *   no_kpi_data                  no KPI has an actual at P          {count}
 *   first_value_pending          no milestone done yet, go-live     {days}
 *                                reached
 *   first_value_late             first value after 90 days, or none {days}
 *                                and go-live is more than 90 days ago
 *   adoption_low                 adoption < 0.6                     {value}
 *   support_sla_low              SLA met < 90 %                     {value}
 *   csat_low                     CSAT < 3.5                         {value}
 *   open_opportunities           opportunities neither won nor lost {count}
 *   no_kickoff                   no kickoff engagement by the as-of date
 *   no_training                  no training session by the as-of date
 */
#include "playbook.h"

#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "../format/format.h"

#define ADOPTION_LOW 0.6
#define SLA_LOW 0.9
#define CSAT_LOW 3.5
#define FIRST_VALUE_DAYS 90
#define MAX_KEYS 2   /* placeholders a signal instance fills itself */

/* Every placeholder a rule text may use: the first three hold for every action, the
 * others are filled by the signal that raised it and are empty for other signals. A
 * misspelt {placeholder} stays visible in the text (tests check the shipped rules). */
static const char *const k_placeholders[] = {"sponsor", "stage", "score", "module", "kpi",
                                             "value", "count", "held", "expected", "days"};
#define N_PLACEHOLDERS (sizeof k_placeholders / sizeof k_placeholders[0])

typedef struct instance {
    const char *signal;
    const char *keys[MAX_KEYS], *vals[MAX_KEYS];
    size_t n;
} instance;

typedef struct ctx {
    const vp_report *r;
    const vp_lifecycle *lc;
    vp_arena *arena;
    vp_locale loc;
    instance *list;
    size_t n, cap;
    bool nomem;
} ctx;

/* Append an instance with its signal text and up to two placeholder values (k1/k2 NULL
 * for none). A NULL signal text is an allocation failure. */
static void emit(ctx *c, const char *signal, const char *k1, const char *v1, const char *k2,
                 const char *v2)
{
    if (!signal) {
        c->nomem = true;
        return;
    }
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 8;
        instance *nl = vp_arena_calloc(c->arena, ncap, sizeof *nl);
        if (!nl) {
            c->nomem = true;
            return;
        }
        if (c->n)
            memcpy(nl, c->list, c->n * sizeof *nl);
        c->list = nl;
        c->cap = ncap;
    }
    instance *in = &c->list[c->n++];
    memset(in, 0, sizeof *in);
    in->signal = signal;
    if (k1) {
        in->keys[in->n] = k1;
        in->vals[in->n++] = v1;
    }
    if (k2) {
        in->keys[in->n] = k2;
        in->vals[in->n++] = v2;
    }
}

/* Machine-readable numbers in signal texts: English formatting, minus U+2212. */
static const char *num(ctx *c, double v, int decimals)
{
    char b[VP_FMT_MAX];
    return vp_arena_strdup(c->arena, vp_fmt_value(b, sizeof b, VP_LOCALE_EN, v, decimals));
}

/* Numbers for the action text, in the report locale. */
static const char *pct_text(ctx *c, double ratio)
{
    char b[VP_FMT_MAX];
    return vp_arena_strdup(c->arena, vp_fmt_ratio(b, sizeof b, c->loc, ratio, 0));
}

static const char *count_text(ctx *c, double n)
{
    char b[VP_FMT_MAX];
    return vp_arena_strdup(c->arena, vp_fmt_number(b, sizeof b, c->loc, n, 0));
}

/* ---- signals ------------------------------------------------------------------------- */

static void sig_stage(ctx *c)
{
    emit(c, vp_arena_printf(c->arena, "stage=%s", vp_stage_name(c->lc->stage)), NULL, NULL,
         NULL, NULL);
}

static void sig_health_alert(ctx *c)
{
    const vp_health *h = &c->r->health;
    if (!h->alert)
        return;
    char sc[VP_FMT_MAX], ch[VP_FMT_MAX], per[8];
    vp_fmt_value(sc, sizeof sc, VP_LOCALE_EN, h->score, 1);
    const char *text;
    if (VP_HAS(h->change)) {
        vp_fmt_signed_value(ch, sizeof ch, VP_LOCALE_EN, h->change, 1);
        vp_period_format(h->previous_period, per);
        text = vp_arena_printf(c->arena, "health.alert: %s (%s vs %s)", sc, ch, per);
    } else {
        text = vp_arena_printf(c->arena, "health.alert: %s (%s)", sc,
                               h->band ? h->band->id : "no band");
    }
    emit(c, text, NULL, NULL, NULL, NULL);
}

static void sig_module_below_breadth_target(ctx *c)
{
    double target = c->r->tpl->health.target[VP_H_BREADTH];
    for (size_t i = 0; i < c->r->n_breadth; i++) {
        const vp_module_breadth *b = &c->r->breadth[i];
        if (!b->below_target)
            continue;
        const char *text = vp_arena_printf(c->arena, "breadth(%s)=%s<%s", b->module->code,
                                           num(c, b->share, 2), num(c, target, 2));
        emit(c, text, "module", b->module->name ? b->module->name : b->module->code, "value",
             pct_text(c, b->share));
    }
}

static void sig_no_champion(ctx *c)
{
    if (c->r->account->n_champions == 0)
        emit(c, "champions=0", NULL, NULL, NULL, NULL);
}

static void sig_qbr_overdue(ctx *c)
{
    const vp_lifecycle *lc = c->lc;
    if (lc->qbrs_held >= lc->qbrs_expected)
        return;
    emit(c,
         vp_arena_printf(c->arena, "qbrs_held=%d<qbrs_expected=%d", lc->qbrs_held,
                         lc->qbrs_expected),
         "held", count_text(c, lc->qbrs_held), "expected", count_text(c, lc->qbrs_expected));
}

static void kpi_status_signal(ctx *c, vp_kpi_status want)
{
    for (size_t i = 0; i < c->r->n_kpis; i++) {
        const vp_kpi_result *k = &c->r->kpis[i];
        if (k->status != want)
            continue;
        const char *text;
        if (want == VP_ST_BEHIND)
            text = vp_arena_printf(c->arena, "kpi(%s)=behind: progress %s<expected %s",
                                   k->kpi->id, num(c, k->progress, 2),
                                   num(c, k->expected, 2));
        else
            text = vp_arena_printf(c->arena, "kpi(%s)=%s", k->kpi->id,
                                   vp_kpi_status_name(want));
        emit(c, text, "kpi", k->kpi->name ? k->kpi->name : k->kpi->id, "value",
             pct_text(c, k->progress));
    }
}

static void sig_kpi_regressed(ctx *c) { kpi_status_signal(c, VP_ST_REGRESSED); }
static void sig_kpi_behind(ctx *c) { kpi_status_signal(c, VP_ST_BEHIND); }

static void sig_no_kpi_data(ctx *c)
{
    const vp_report *r = c->r;
    if (r->n_with_data > 0)
        return;
    const char *text = r->n_kpis ? vp_arena_printf(c->arena, "kpis_with_data=0/%zu", r->n_kpis)
                                 : "kpis=0";
    emit(c, text, "count", count_text(c, (double)r->n_kpis), NULL, NULL);
}

/* Days from go-live (else contract start) to the as-of date. */
static int days_live(const ctx *c)
{
    const vp_account *a = c->r->account;
    vp_date from = a->go_live_date != VP_NO_DATE ? a->go_live_date : a->start_date;
    return c->lc->as_of - from;
}

static void sig_first_value_pending(ctx *c)
{
    int d = days_live(c);
    if (c->lc->time_to_first_value_days != INT32_MIN || d < 0)
        return;   /* value reached, or the 90-day clock has not started (before go-live) */
    emit(c, vp_arena_printf(c->arena, "first_value=none, day %d", d), "days",
         count_text(c, d), NULL, NULL);
}

static void sig_first_value_late(ctx *c)
{
    int ttfv = c->lc->time_to_first_value_days;
    if (ttfv != INT32_MIN) {
        if (ttfv > FIRST_VALUE_DAYS)
            emit(c,
                 vp_arena_printf(c->arena, "time_to_first_value_days=%d>%d", ttfv,
                                 FIRST_VALUE_DAYS),
                 "days", count_text(c, ttfv), NULL, NULL);
        return;
    }
    int d = days_live(c);
    if (d > FIRST_VALUE_DAYS)
        emit(c, vp_arena_printf(c->arena, "first_value=none, day %d>%d", d, FIRST_VALUE_DAYS),
             "days", count_text(c, d), NULL, NULL);
}

static void sig_adoption_low(ctx *c)
{
    double s = c->r->health.components[VP_H_ADOPTION].score;
    if (VP_HAS(s) && s < ADOPTION_LOW)
        emit(c,
             vp_arena_printf(c->arena, "adoption=%s<%s", num(c, s, 2),
                             num(c, ADOPTION_LOW, 2)),
             "value", pct_text(c, s), NULL, NULL);
}

static void sig_support_sla_low(ctx *c)
{
    const vp_support *s = c->r->support_p;
    if (s && VP_HAS(s->sla_met_pct) && s->sla_met_pct / 100.0 < SLA_LOW)
        emit(c,
             vp_arena_printf(c->arena, "sla_met_pct=%s<%s", num(c, s->sla_met_pct, 2),
                             num(c, SLA_LOW * 100, 0)),
             "value", pct_text(c, s->sla_met_pct / 100.0), NULL, NULL);
}

static void sig_csat_low(ctx *c)
{
    const vp_support *s = c->r->support_p;
    if (s && VP_HAS(s->csat) && s->csat < CSAT_LOW) {
        char b[VP_FMT_MAX];
        emit(c,
             vp_arena_printf(c->arena, "csat=%s<%s", num(c, s->csat, 2), num(c, CSAT_LOW, 2)),
             "value", vp_arena_strdup(c->arena, vp_fmt_value(b, sizeof b, c->loc, s->csat, 2)),
             NULL, NULL);
    }
}

static void sig_open_opportunities(ctx *c)
{
    const vp_account *a = c->r->account;
    size_t n = 0;
    for (size_t i = 0; i < a->n_opportunities; i++)
        if (a->opportunities[i].stage != VP_OPP_WON && a->opportunities[i].stage != VP_OPP_LOST)
            n++;
    if (n)
        emit(c, vp_arena_printf(c->arena, "open_opportunities=%zu", n), "count",
             count_text(c, (double)n), NULL, NULL);
}

static void sig_no_kickoff(ctx *c)
{
    const vp_account *a = c->r->account;
    for (size_t i = 0; i < a->n_engagements; i++)
        if (a->engagements[i].kind == VP_ENG_KICKOFF && a->engagements[i].date != VP_NO_DATE &&
            a->engagements[i].date <= c->lc->as_of)
            return;
    emit(c, "kickoff=none", NULL, NULL, NULL, NULL);
}

static void sig_no_training(ctx *c)
{
    const vp_account *a = c->r->account;
    for (size_t i = 0; i < a->n_training; i++)
        if (a->training[i].date != VP_NO_DATE && a->training[i].date <= c->lc->as_of)
            return;
    emit(c, "training_sessions=0", NULL, NULL, NULL, NULL);
}

static const struct signal_def {
    const char *name;
    void (*fn)(ctx *);
} k_signals[] = {
    {"stage", sig_stage},
    {"health_alert", sig_health_alert},
    {"module_below_breadth_target", sig_module_below_breadth_target},
    {"no_champion", sig_no_champion},
    {"qbr_overdue", sig_qbr_overdue},
    {"kpi_regressed", sig_kpi_regressed},
    {"kpi_behind", sig_kpi_behind},
    {"no_kpi_data", sig_no_kpi_data},
    {"first_value_pending", sig_first_value_pending},
    {"first_value_late", sig_first_value_late},
    {"adoption_low", sig_adoption_low},
    {"support_sla_low", sig_support_sla_low},
    {"csat_low", sig_csat_low},
    {"open_opportunities", sig_open_opportunities},
    {"no_kickoff", sig_no_kickoff},
    {"no_training", sig_no_training},
};
#define N_SIGNALS (sizeof k_signals / sizeof k_signals[0])

static int signal_index(const char *name)
{
    for (size_t i = 0; name && i < N_SIGNALS; i++)
        if (strcmp(k_signals[i].name, name) == 0)
            return (int)i;
    return -1;
}

bool vp_playbook_signal_known(const char *name) { return signal_index(name) >= 0; }

bool vp_playbook_placeholder_known(const char *name)
{
    for (size_t i = 0; name && i < N_PLACEHOLDERS; i++)
        if (strcmp(k_placeholders[i], name) == 0)
            return true;
    return false;
}

int vp_playbook_stage_parse(const char *name)
{
    vp_stage s;
    return name && vp_stage_parse(name, &s) ? (int)s : -1;
}

/* ---- running the rules ------------------------------------------------------------------ */

typedef struct ranked {
    vp_action action;
    int priority;
    size_t rule, inst;
} ranked;

static int cmp_ranked(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if (a->priority != b->priority)
        return a->priority < b->priority ? -1 : 1;
    if (a->rule != b->rule)
        return a->rule < b->rule ? -1 : 1;
    return a->inst < b->inst ? -1 : a->inst > b->inst;
}

int vp_playbook_run(vp_lifecycle *lc, const vp_report *r, vp_arena *arena)
{
    const vp_templates *tpl = r->tpl;
    lc->actions = NULL;
    lc->n_actions = 0;
    /* Each signal is computed once, when the first rule that names it applies. */
    struct { bool done; size_t first, n; } sig[N_SIGNALS] = {{0}};
    ctx c = {.r = r, .lc = lc, .arena = arena, .loc = r->locale};

    char score_b[VP_FMT_MAX];
    const char *score = VP_HAS(r->health.score)
                            ? vp_fmt_value(score_b, sizeof score_b, r->locale, r->health.score, 1)
                            : vp_tr(tpl, r->locale, "common.no_data");
    const char *sponsor = r->account->executive_sponsor.name;
    if (!sponsor || !*sponsor)
        sponsor = vp_tr(tpl, r->locale, "common.playbook.sponsor");
    const char *stage = vp_stage_label(r, lc->stage);

    size_t n_ranked = 0, cap = 0;
    ranked *list = NULL;
    for (size_t i = 0; i < tpl->n_rules; i++) {
        const vp_playbook_rule *rule = &tpl->rules[i];
        if (rule->stages && !(rule->stages & (1u << lc->stage)))
            continue;
        int si = signal_index(rule->signal);
        if (si < 0)
            continue;   /* the loader rejects unknown signals; be safe anyway */
        if (!sig[si].done) {
            sig[si].first = c.n;
            k_signals[si].fn(&c);
            sig[si].n = c.n - sig[si].first;
            sig[si].done = true;
            if (c.nomem)
                return VP_ERR_NOMEM;
        }
        for (size_t j = 0; j < sig[si].n; j++) {
            const instance *in = &c.list[sig[si].first + j];
            if (n_ranked == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                ranked *nl = vp_arena_calloc(arena, ncap, sizeof *nl);
                if (!nl)
                    return VP_ERR_NOMEM;
                if (n_ranked)
                    memcpy(nl, list, n_ranked * sizeof *nl);
                list = nl;
                cap = ncap;
            }
            /* The instance's own values first (vp_text_fill takes the first match), then
             * the account-wide ones, then "" for the placeholders of other signals. */
            const char *keys[MAX_KEYS + N_PLACEHOLDERS];
            const char *vals[MAX_KEYS + N_PLACEHOLDERS];
            size_t nk = 0;
            for (size_t k = 0; k < in->n; k++, nk++) {
                keys[nk] = in->keys[k];
                vals[nk] = in->vals[k];
            }
            const char *common[N_PLACEHOLDERS] = {sponsor, stage, score};
            for (size_t k = 0; k < N_PLACEHOLDERS; k++, nk++) {
                keys[nk] = k_placeholders[k];
                vals[nk] = common[k];
            }
            ranked *rk = &list[n_ranked++];
            rk->action.rule = rule;
            rk->action.signal = in->signal;
            rk->action.text = vp_text_fill(arena, rule->text[r->locale], keys, vals, nk);
            if (!rk->action.text)
                return VP_ERR_NOMEM;
            rk->priority = rule->priority;
            rk->rule = i;
            rk->inst = j;
        }
    }
    if (!n_ranked)
        return VP_OK;
    qsort(list, n_ranked, sizeof *list, cmp_ranked);
    lc->actions = vp_arena_calloc(arena, n_ranked, sizeof *lc->actions);
    if (!lc->actions)
        return VP_ERR_NOMEM;
    for (size_t i = 0; i < n_ranked; i++)
        lc->actions[i] = list[i].action;
    lc->n_actions = n_ranked;
    return VP_OK;
}
