/* account.h (internal) — the typed account model: everything in SPEC §2.
 *
 * Produced by vp_account_load (lib/model/load.c), read by lib/compute. All strings and
 * arrays live in the account's arena and are valid until vp_account_free.
 *
 * Absent optional values: strings are NULL, dates are VP_NO_DATE, periods have kind
 * VP_PERIOD_NONE, numbers are NaN (the loader rejects non-finite input, so NaN can only
 * mean "absent"; test with VP_HAS()). Arrays are sorted as in the file unless noted. */
#ifndef VP_MODEL_ACCOUNT_H
#define VP_MODEL_ACCOUNT_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "valuepack/account.h"
#include "../util/arena.h"
#include "../util/date.h"

#define VP_HAS(x) (!isnan(x))

/* Limits on values, checked by the loader (documented in the schema and README "Limits"):
 * money (arr, annual_fee, value_per_unit) is at most VP_LIMIT_MONEY; every other number
 * (KPI values, counts, hours) is at most VP_LIMIT_NUMBER in magnitude, so counts are exact
 * in a double and any difference of two values stays finite. */
#define VP_LIMIT_MONEY  1e12
#define VP_LIMIT_NUMBER 1e15

typedef enum vp_locale { VP_LOCALE_EN = 0, VP_LOCALE_ZH_CN = 1, VP_LOCALE__COUNT } vp_locale;

typedef enum vp_direction { VP_DIR_INCREASE = 1, VP_DIR_DECREASE = -1 } vp_direction;

typedef enum vp_milestone_kind {
    VP_MS_MILESTONE = 0, VP_MS_QUICK_WIN, VP_MS_GO_LIVE, VP_MS_OTHER
} vp_milestone_kind;

typedef enum vp_engagement_kind {
    VP_ENG_KICKOFF = 0, VP_ENG_QBR, VP_ENG_EXECUTIVE, VP_ENG_TRAINING, VP_ENG_BEST_PRACTICE,
    VP_ENG_OTHER
} vp_engagement_kind;

typedef enum vp_opp_stage {
    VP_OPP_IDENTIFIED = 0, VP_OPP_PROPOSED, VP_OPP_WON, VP_OPP_LOST
} vp_opp_stage;

typedef struct vp_person {
    const char *name, *email, *title;   /* each may be NULL */
} vp_person;

typedef struct vp_module {
    const char *code;           /* required, unique within contract.modules */
    const char *name;           /* NULL -> show the code */
    double annual_fee;          /* NaN when absent */
    double licensed_users;      /* NaN when absent */
} vp_module;

typedef struct vp_actual {
    vp_period period;
    double value;
} vp_actual;

typedef struct vp_kpi {
    const char *id, *name, *unit;   /* unit may be NULL */
    vp_direction direction;
    double baseline, target;
    vp_date baseline_date, target_date;   /* VP_NO_DATE -> contract start / end */
    const char *module;                   /* module code or NULL */
    double value_per_unit;                /* NaN when absent */
    vp_actual *actuals;                   /* sorted by period (vp_period_cmp) */
    size_t n_actuals;
} vp_kpi;

typedef struct vp_milestone {
    const char *name;
    vp_milestone_kind kind;
    vp_date due, done;          /* done == VP_NO_DATE: not reached yet */
    const char *kpi;            /* KPI id or NULL */
} vp_milestone;

typedef struct vp_named_value {
    const char *key;
    double value;
} vp_named_value;

typedef struct vp_usage {
    vp_period period;
    double licensed_users, active_monthly, active_weekly, active_daily;   /* NaN when absent */
    vp_named_value *modules;     /* module code -> share 0..1, as in the file */
    size_t n_modules;
    bool has_modules;            /* the "modules" object was present (even empty) */
    vp_named_value *transactions;  /* name -> count, as in the file */
    size_t n_transactions;
} vp_usage;

typedef struct vp_support {
    vp_period period;
    double opened, closed, p1, median_resolution_hours, sla_met_pct, csat;  /* NaN when absent */
} vp_support;

typedef struct vp_training {
    vp_date date;
    const char *role, *topic, *module;
    double attendees;            /* NaN when absent */
} vp_training;

typedef struct vp_champion {
    const char *name, *title, *department, *note;
} vp_champion;

typedef struct vp_engagement {
    vp_date date;
    vp_engagement_kind kind;
    const char *title;
    const char **attendees;
    size_t n_attendees;
    const char **outcomes;
    size_t n_outcomes;
} vp_engagement;

typedef struct vp_opportunity {
    const char *module, *name, *pain_point;
    double annual_fee;           /* NaN when absent (counts as 0 in the bundle) */
    vp_opp_stage stage;          /* default identified */
} vp_opportunity;

typedef struct vp_multi_year {
    int years;                   /* 2..5 */
    double discount_pct;
} vp_multi_year;

typedef struct vp_renewal_terms {
    bool present;                /* the "renewal" object was in the file */
    double uplift_pct;           /* default 0 */
    double bundle_discount_pct;  /* default 0 */
    vp_multi_year *multi_year;   /* sorted by years, unique */
    size_t n_multi_year;
    int quote_valid_days;        /* default 30 */
} vp_renewal_terms;

typedef struct vp_plan_item {
    const char *goal, *kpi;      /* kpi may be NULL */
    double target;               /* NaN when absent */
    vp_date by;                  /* VP_NO_DATE when absent */
} vp_plan_item;

struct vp_account {
    vp_arena arena;
    const char *source;          /* the display name of the file it came from */

    /* account */
    const char *id, *name, *industry, *segment, *region;
    vp_locale locale;            /* default en */
    const char *currency;        /* ISO 4217, default CNY for zh-CN and USD for en */
    int fiscal_year_start_month; /* 1..12, default 1 */
    vp_person csm, account_executive, executive_sponsor;

    /* contract */
    vp_date start_date, go_live_date, end_date;   /* go_live may be VP_NO_DATE */
    double arr;
    double licensed_users;       /* NaN when absent */
    vp_module *modules;
    size_t n_modules;

    vp_kpi *kpis;                size_t n_kpis;
    vp_milestone *milestones;    size_t n_milestones;
    vp_usage *usage;             size_t n_usage;       /* sorted by period */
    vp_support *support;         size_t n_support;     /* sorted by period */
    vp_training *training;       size_t n_training;    /* sorted by date */
    vp_champion *champions;      size_t n_champions;
    vp_engagement *engagements;  size_t n_engagements; /* sorted by date */
    vp_opportunity *opportunities; size_t n_opportunities;
    vp_renewal_terms renewal;
    vp_plan_item *plan;          size_t n_plan;
};

/* Locale names as they appear in files and on the command line. */
const char *vp_locale_name(vp_locale loc);
bool vp_locale_parse(const char *s, vp_locale *out);

/* Lookups; NULL when absent. */
const vp_module *vp_account_module(const vp_account *a, const char *code);
const vp_kpi *vp_account_kpi(const vp_account *a, const char *id);

#endif
