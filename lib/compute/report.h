/* report.h (internal) — the computed model of SPEC §3, read by every renderer.
 *
 * vp_report_compute() fills it from a vp_account and the templates; it knows nothing of
 * JSON, PDF or XLSX. Every number a document shows is read from here, so a figure is the
 * same in the deck, the annual summary, the renewal sheet, the appendix and `analyze`.
 *
 * Conventions: NaN = "cannot be computed" (JSON null, "no data" on a page); money values
 * are whole units already rounded as SPEC §3 says; ratios are unrounded doubles (the
 * JSON writer prints them with enough digits, the formatters round for display).
 * Everything lives in the report's arena; pointers into the account and templates stay
 * valid as long as those do. */
#ifndef VP_COMPUTE_REPORT_H
#define VP_COMPUTE_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "valuepack/report.h"
#include "../model/account.h"
#include "../templates/templates.h"
#include "../util/arena.h"
#include "../util/date.h"

typedef enum vp_kpi_status {
    VP_ST_NO_DATA = 0, VP_ST_ACHIEVED, VP_ST_ON_TRACK, VP_ST_BEHIND, VP_ST_REGRESSED
} vp_kpi_status;
/* "no_data", "achieved", "on_track", "behind", "regressed". */
const char *vp_kpi_status_name(vp_kpi_status s);

typedef enum vp_stage {
    VP_STAGE_IMPLEMENTATION = 0, VP_STAGE_ROOTING, VP_STAGE_DEEPENING, VP_STAGE_RENEWAL,
    VP_STAGE__COUNT
} vp_stage;
/* "implementation", "rooting", "deepening", "renewal". */
const char *vp_stage_name(vp_stage s);
bool vp_stage_parse(const char *s, vp_stage *out);

typedef enum vp_tier { VP_TIER_STANDARD = 0, VP_TIER_BUNDLE, VP_TIER_MULTI_YEAR } vp_tier;
/* "standard", "bundle", "multi_year". */
const char *vp_tier_name(vp_tier t);

typedef struct vp_trend_point {
    vp_period period;
    double value;
    double change;        /* vs the previous point; NaN for the first */
    double change_pct;    /* 100 * change / |previous|; NaN when previous = 0 or first */
} vp_trend_point;

typedef struct vp_kpi_result {
    const vp_kpi *kpi;
    double actual;             /* NaN: no data (status no_data) */
    vp_period actual_period;
    double improvement;        /* s * (actual - baseline) */
    double delta, delta_pct, progress, expected;
    vp_kpi_status status;
    double value;              /* money, whole units; 0 without value_per_unit; NaN no data */
    vp_trend_point *trend;     /* every actual up to the end of P, by period */
    size_t n_trend;
    const char *headline;      /* one sentence in the report locale; NULL when no data */
} vp_kpi_result;

typedef struct vp_health_component {
    vp_health_id id;
    double score;              /* 0..1; NaN: no data in P (left out of the sums) */
    double weight;
} vp_health_component;

typedef struct vp_health {
    double score;              /* 0..100, one decimal; NaN when no component has data */
    const vp_health_band *band;   /* NULL when score is NaN */
    double previous;           /* score of the period before P; NaN when none */
    double change;             /* score - previous; NaN when either is NaN */
    bool alert;
    vp_period previous_period;
    vp_health_component components[VP_H__COUNT];
} vp_health;

typedef struct vp_module_breadth {
    const vp_module *module;
    double share;              /* 0..1 in P; NaN when usage in P has no module shares */
    double score;              /* min(1, share / target) */
    bool below_target;
} vp_module_breadth;

typedef struct vp_renewal_option {
    vp_tier tier;
    int years;
    int64_t annual, total, savings;    /* whole currency units */
    double discount_pct;               /* bundle or multi-year discount; 0 for standard */
} vp_renewal_option;

typedef enum vp_recommend_reason {
    VP_REASON_AT_RISK = 0,       /* standard: the health band is at_risk */
    VP_REASON_BUNDLE,            /* bundle: healthy/watch and added modules are on the table */
    VP_REASON_MULTI_YEAR,        /* multi-year: healthy/watch, no bundle, longest term */
    VP_REASON_DEFAULT            /* standard: nothing else offered */
} vp_recommend_reason;

typedef struct vp_renewal {
    int64_t base_arr;            /* contract.arr rounded to whole units */
    int64_t standard;            /* A = round(arr * (1 + u)) */
    int64_t added;               /* Σ annual_fee of opportunities not lost */
    vp_renewal_option *options;  /* standard, bundle (when offered), one per multi-year term */
    size_t n_options;
    size_t recommended;          /* index into options */
    vp_recommend_reason reason;
    vp_date valid_until;         /* as_of + quote_valid_days */
} vp_renewal;

typedef struct vp_action {
    const vp_playbook_rule *rule;
    const char *signal;          /* e.g. "stage=renewal", "breadth(SCM)=0.48<0.6" */
    const char *text;            /* the rule's text in the report locale, placeholders filled */
} vp_action;

typedef struct vp_lifecycle {
    vp_date as_of;
    vp_stage stage;
    int days_to_renewal;
    int months_elapsed;          /* whole months from contract start to as_of */
    int time_to_first_value_days;    /* INT32_MIN when no milestone is done */
    bool first_value_on_time;
    int qbrs_held, qbrs_expected;
    vp_action *actions;
    size_t n_actions;
} vp_lifecycle;

struct vp_report {
    vp_arena arena;
    const vp_account *account;
    const vp_templates *tpl;
    vp_locale locale;
    const char *currency;
    vp_period period;
    char period_name[8];
    vp_date period_start, period_end;
    vp_date generated;           /* the as-of date, used as the documents' date */

    vp_kpi_result *kpis;         /* one per account KPI, in file order */
    size_t n_kpis;
    size_t n_with_data, n_achieved, n_on_track, n_behind, n_regressed;

    double total_value;          /* Σ value (whole units); NaN when no KPI has data */
    double roi;                  /* total_value / arr; NaN when arr = 0 or no KPI data */

    const vp_usage *usage_p;     /* the usage entry that counts for P, or NULL */
    const vp_support *support_p; /* the support entry that counts for P, or NULL */
    vp_module_breadth *breadth;  /* one per contract module */
    size_t n_breadth;

    vp_health health;
    vp_renewal renewal;
    vp_lifecycle lifecycle;

    const vp_best_practice **practices;   /* picked for the weakest modules and industry */
    size_t n_practices;
};

/* ---- the pieces, each a pure function (lib/compute/) ------------------------------ */

/* SPEC §3 default report period: the latest period (by last day; a quarter wins a tie)
 * in kpis[].actuals, usage or support; when there is none, the fiscal quarter holding
 * `as_of`. */
vp_period vp_default_period(const vp_account *a, vp_date as_of);

/* The KPI comparison of one KPI at period p. Allocates the trend and headline in `arena`. */
int vp_kpi_compare(vp_kpi_result *out, const vp_account *a, const vp_kpi *k, vp_period p,
                   vp_locale loc, const vp_templates *tpl, vp_arena *arena);

/* The usage / support entry that counts for p: the one whose period is p, else the
 * latest entry whose period lies inside p; NULL when none. */
const vp_usage *vp_usage_for(const vp_account *a, vp_period p);
const vp_support *vp_support_for(const vp_account *a, vp_period p);

/* The health score at p (components, weights, score, band); previous/change/alert are
 * left for the caller (vp_report_compute computes p and the period before). */
void vp_health_at(vp_health *out, const vp_account *a, const vp_health_model *m,
                  vp_period p);

/* Renewal options and recommendation from the terms, opportunities and health band. */
int vp_renewal_compute(vp_renewal *out, const vp_account *a, const vp_health *h,
                       vp_date as_of, vp_arena *arena);

/* Lifecycle block and playbook actions (needs the rest of the report computed). */
int vp_lifecycle_compute(vp_lifecycle *out, const vp_report *r, vp_date as_of,
                         vp_arena *arena);

/* Best practices for the weakest modules (lowest breadth share first) and the industry. */
int vp_practices_pick(vp_report *r, size_t max);

/* ---- additions (compute helper) ------------------------------------------------------- */

/* How many best practices vp_report_compute picks (renderers show fewer if they like). */
#define VP_PRACTICES_MAX 8

/* The KPI comparison numbers of k at p (actual, delta, progress, expected, status, value)
 * without trend or headline; allocates nothing. vp_kpi_compare = this + trend + headline;
 * the health score of the period before P uses it for its outcomes component. */
void vp_kpi_evaluate(vp_kpi_result *out, const vp_account *a, const vp_kpi *k, vp_period p);

/* The share of module `code` in usage entry u: NaN when u is NULL or has no "modules"
 * object, 0 when the object does not list the module (SPEC §3: absent module = 0). */
double vp_usage_module_share(const vp_usage *u, const char *code);

/* Per-module breadth at P (r->breadth) from r->usage_p and the health model's target. */
int vp_breadth_compute(vp_report *r);

/* Fills lc->actions from the playbook rules of r->tpl; every other field of lc must be
 * set already. Actions are sorted by rule priority, then rule order, then signal order. */
int vp_playbook_run(vp_lifecycle *lc, const vp_report *r, vp_arena *arena);

/* True when `name` (without braces) is a placeholder playbook rule texts may use. */
bool vp_playbook_placeholder_known(const char *name);

/* The result of the KPI whose id is `id` (NULL when id is NULL or no KPI has it). */
const vp_kpi_result *vp_report_kpi(const vp_report *r, const char *id);

/* `pattern` with every {key} replaced by its value (NULL value = ""), in `arena`; a
 * {placeholder} not among keys is kept as written. NULL when out of memory (and the
 * arena's `failed` flag is set, so a renderer checking it once at the end notices). */
char *vp_text_fill(vp_arena *arena, const char *pattern, const char *const *keys,
                   const char *const *vals, size_t n);

/* Labels in the report locale (report_templates/locales/<loc>/common.json), for every
 * renderer: never NULL. A band id the locale table does not know is returned as is. */
const char *vp_status_label(const vp_report *r, vp_kpi_status s);
const char *vp_stage_label(const vp_report *r, vp_stage s);
const char *vp_band_label(const vp_report *r, const vp_health_band *b);
const char *vp_health_label(const vp_report *r, vp_health_id id);
const char *vp_tier_label(const vp_report *r, vp_tier t);
const char *vp_reason_label(const vp_report *r, vp_recommend_reason reason);
/* A renewal option's name for tables and cards: "A · Standard renewal", and for a
 * multi-year term "C · Multi-year — 3 years" / "C · 多年期续约（3年）" (common.tier.with_term).
 * Written into buf; returns buf. */
const char *vp_option_label(const vp_report *r, const vp_renewal_option *o, char *buf,
                            size_t size);

#endif
