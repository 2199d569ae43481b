/* test_compute.c — lib/compute: every formula of SPEC §3 and its edges.
 *
 * Accounts are built in code (the fields of struct vp_account), so each test states its
 * inputs next to its expectations. Templates: the real report_templates/ files (playbook,
 * locale strings) next to a best-practice fixture (tests/data/templates-fixture), linked
 * into a temporary folder; the health model is set in code so that tuning health.json
 * does not change what these tests mean. */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "compute/playbook.h"
#include "compute/report.h"
#include "util/alloc.h"

#ifndef TEST_DATA
#define TEST_DATA "tests/data"
#endif

#define CAP 16
#define EN VP_LOCALE_EN
#define ZH VP_LOCALE_ZH_CN
#define M "\xE2\x88\x92"

/* ---- building accounts ------------------------------------------------------------------ */

static vp_date D(const char *s)
{
    vp_date d = VP_NO_DATE;
    if (!vp_date_parse(s, &d))
        fprintf(stderr, "bad test date %s\n", s);
    return d;
}

static vp_period P(const char *s)
{
    vp_period p = {0};
    if (!vp_period_parse(s, &p))
        fprintf(stderr, "bad test period %s\n", s);
    return p;
}

static void *room(vp_account *a, size_t size) { return vp_arena_calloc(&a->arena, CAP, size); }

static vp_account *acc_new(const char *start, const char *end, double arr)
{
    vp_account *a = vp_calloc(1, sizeof *a);
    vp_arena_init(&a->arena, 0);
    a->id = "T-1";
    a->name = "Test Co";
    a->industry = "discrete_manufacturing";
    a->locale = EN;
    a->currency = "USD";
    a->fiscal_year_start_month = 1;
    a->start_date = D(start);
    a->end_date = D(end);
    a->go_live_date = VP_NO_DATE;
    a->arr = arr;
    a->licensed_users = NAN;
    a->modules = room(a, sizeof *a->modules);
    a->kpis = room(a, sizeof *a->kpis);
    a->milestones = room(a, sizeof *a->milestones);
    a->usage = room(a, sizeof *a->usage);
    a->support = room(a, sizeof *a->support);
    a->training = room(a, sizeof *a->training);
    a->champions = room(a, sizeof *a->champions);
    a->engagements = room(a, sizeof *a->engagements);
    a->opportunities = room(a, sizeof *a->opportunities);
    a->renewal.present = true;
    a->renewal.quote_valid_days = 30;
    a->renewal.multi_year = room(a, sizeof *a->renewal.multi_year);
    return a;
}

static void acc_free(vp_account *a)
{
    vp_arena_destroy(&a->arena);
    vp_free(a);
}

static vp_kpi *kpi_add(vp_account *a, const char *id, const char *name, const char *unit,
                       vp_direction dir, double baseline, double target)
{
    vp_kpi *k = &a->kpis[a->n_kpis++];
    k->id = id;
    k->name = name;
    k->unit = unit;
    k->direction = dir;
    k->baseline = baseline;
    k->target = target;
    k->baseline_date = k->target_date = VP_NO_DATE;
    k->value_per_unit = NAN;
    k->actuals = room(a, sizeof *k->actuals);
    return k;
}

static void actual_add(vp_kpi *k, const char *period, double v)
{
    k->actuals[k->n_actuals].period = P(period);
    k->actuals[k->n_actuals++].value = v;
}

static vp_usage *usage_add(vp_account *a, const char *period, double licensed, double monthly,
                           double daily)
{
    vp_usage *u = &a->usage[a->n_usage++];
    u->period = P(period);
    u->licensed_users = licensed;
    u->active_monthly = monthly;
    u->active_weekly = NAN;
    u->active_daily = daily;
    u->modules = room(a, sizeof *u->modules);
    return u;
}

static void share_add(vp_usage *u, const char *code, double share)
{
    u->has_modules = true;
    u->modules[u->n_modules].key = code;
    u->modules[u->n_modules++].value = share;
}

static vp_support *support_add(vp_account *a, const char *period, double sla, double csat)
{
    vp_support *s = &a->support[a->n_support++];
    s->period = P(period);
    s->opened = s->closed = s->p1 = s->median_resolution_hours = NAN;
    s->sla_met_pct = sla;
    s->csat = csat;
    return s;
}

static void module_add(vp_account *a, const char *code, const char *name, double fee)
{
    vp_module *m = &a->modules[a->n_modules++];
    m->code = code;
    m->name = name;
    m->annual_fee = fee;
    m->licensed_users = NAN;
}

static void opp_add(vp_account *a, const char *module, double fee, vp_opp_stage stage)
{
    vp_opportunity *o = &a->opportunities[a->n_opportunities++];
    o->module = module;
    o->name = module;
    o->annual_fee = fee;
    o->stage = stage;
}

static void eng_add(vp_account *a, const char *date, vp_engagement_kind kind)
{
    vp_engagement *e = &a->engagements[a->n_engagements++];
    e->date = D(date);
    e->kind = kind;
    e->title = "meeting";
}

static void ms_add(vp_account *a, vp_milestone_kind kind, const char *done)
{
    vp_milestone *m = &a->milestones[a->n_milestones++];
    m->name = "milestone";
    m->kind = kind;
    m->due = VP_NO_DATE;
    m->done = done ? D(done) : VP_NO_DATE;
}

static void my_add(vp_account *a, int years, double discount)
{
    a->renewal.multi_year[a->renewal.n_multi_year].years = years;
    a->renewal.multi_year[a->renewal.n_multi_year++].discount_pct = discount;
}

/* SPEC §2's example account: one KPI, two modules, usage and support in 2025-Q3. */
static vp_account *hdjm(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 1200000);
    a->name = "\xE5\x8D\x8E\xE4\xB8\x9C\xE7\xB2\xBE\xE5\xAF\x86";   /* 华东精密 */
    a->locale = ZH;
    a->currency = "CNY";
    a->go_live_date = D("2025-03-20");
    a->licensed_users = 150;
    a->executive_sponsor.name = "\xE5\x91\xA8\xE4\xBC\x9F";      /* 周伟 */
    module_add(a, "FIN", "\xE8\xB4\xA2\xE5\x8A\xA1\xE7\xAE\xA1\xE7\x90\x86", 400000);
    module_add(a, "SCM", "\xE4\xBE\x9B\xE5\xBA\x94\xE9\x93\xBE", 500000);   /* 供应链 */
    vp_kpi *k = kpi_add(a, "inv_days",
                        "\xE5\xBA\x93\xE5\xAD\x98\xE5\x91\xA8\xE8\xBD\xAC\xE5\xA4\xA9\xE6\x95\xB0",
                        "\xE5\xA4\xA9", VP_DIR_DECREASE, 45, 30);   /* 库存周转天数, 天 */
    k->baseline_date = D("2025-01-15");
    k->target_date = D("2025-12-31");
    k->module = "SCM";
    k->value_per_unit = 80000;
    actual_add(k, "2025-Q1", 44);
    actual_add(k, "2025-Q2", 39);
    actual_add(k, "2025-Q3", 33);
    ms_add(a, VP_MS_QUICK_WIN, "2025-04-02");
    vp_usage *u = usage_add(a, "2025-Q3", 150, 121, 61);
    share_add(u, "FIN", 0.92);
    share_add(u, "SCM", 0.48);
    support_add(a, "2025-Q3", 97, 4.6);
    a->champions[a->n_champions++].name = "\xE7\x8E\x8B\xE6\x95\x8F";
    eng_add(a, "2025-01-08", VP_ENG_KICKOFF);
    a->training[a->n_training++].date = D("2025-04-10");
    opp_add(a, "SRM", 150000, VP_OPP_IDENTIFIED);
    a->renewal.uplift_pct = 5;
    a->renewal.bundle_discount_pct = 10;
    my_add(a, 2, 6);
    my_add(a, 3, 10);
    return a;
}

/* ---- templates ----------------------------------------------------------------------------- */

static vp_health_band k_bands[] = {
    {"healthy", 70, "good"}, {"watch", 50, "warning"}, {"at_risk", -1, "bad"}};

static vp_health_model test_model(void)
{
    vp_health_model m = {
        .weight = {25, 15, 15, 25, 10, 10},
        .target = {1, 0.5, 0.6, 1, 1, 1},
        .bands = k_bands,
        .n_bands = 3,
        .alert_drop = 10,
        .alert_band = "at_risk",
    };
    return m;
}

static char g_tpl_dir[PATH_MAX];

static const char *templates_src(void)
{
    const char *env = getenv("VALUEPACK_TEMPLATES");
    return env && *env ? env : TEST_DATA "/../../report_templates";
}

/* The real templates with the best-practice fixture, in a temporary folder. */
static vp_templates *tpl_load(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(g_tpl_dir, sizeof g_tpl_dir, "%s/vp-test-compute-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(g_tpl_dir))
        return NULL;
    const char *files[] = {"health.json", "playbook.json", "qbr.json", "annual.json",
                           "renewal.json", "theme.json", "locales"};
    char src[PATH_MAX + 64], dst[PATH_MAX + 64];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(src, sizeof src, "%s/%s", templates_src(), files[i]);
        snprintf(dst, sizeof dst, "%s/%s", g_tpl_dir, files[i]);
        char *abs = realpath(src, NULL);
        if (!abs || symlink(abs, dst) != 0)
            fprintf(stderr, "cannot link %s\n", src);
        free(abs);
    }
    snprintf(src, sizeof src, "%s/templates-fixture/best_practices.json", TEST_DATA);
    snprintf(dst, sizeof dst, "%s/best_practices.json", g_tpl_dir);
    char *abs = realpath(src, NULL);
    if (!abs || symlink(abs, dst) != 0)
        fprintf(stderr, "cannot link %s\n", src);
    free(abs);

    vp_templates *t = NULL;
    vp_diag *diag = vp_diag_new();
    if (vp_templates_load(&t, g_tpl_dir, diag) != VP_OK)
        vp_diag_print(diag, stderr);
    vp_diag_free(diag);
    if (t)
        t->health = test_model();
    return t;
}

static void tpl_unlink(void)
{
    const char *files[] = {"health.json", "playbook.json", "qbr.json", "annual.json",
                           "renewal.json", "theme.json", "locales", "best_practices.json"};
    char p[PATH_MAX + 32];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", g_tpl_dir, files[i]);
        unlink(p);
    }
    rmdir(g_tpl_dir);
}

static vp_templates *g_tpl;

static vp_report *compute(const vp_account *a, const char *period, const char *date,
                          const char *locale)
{
    vp_compute_options o = {period, date, locale};
    vp_report *r = NULL;
    vp_diag *diag = vp_diag_new();
    int rc = vp_report_compute(&r, a, g_tpl, &o, diag);
    if (rc != VP_OK) {
        fprintf(stderr, "vp_report_compute: %s\n", vp_strerror(rc));
        vp_diag_print(diag, stderr);
    }
    vp_diag_free(diag);
    return r;
}

static const vp_action *find_action(const vp_report *r, const char *id)
{
    for (size_t i = 0; i < r->lifecycle.n_actions; i++)
        if (strcmp(r->lifecycle.actions[i].rule->id, id) == 0)
            return &r->lifecycle.actions[i];
    return NULL;
}

static vp_kpi_result compare(const vp_account *a, const vp_kpi *k, const char *period,
                             vp_locale loc, vp_arena *arena)
{
    vp_kpi_result r;
    int rc = vp_kpi_compare(&r, a, k, P(period), loc, g_tpl, arena);
    if (rc != VP_OK)
        fprintf(stderr, "vp_kpi_compare failed\n");
    return r;
}

/* ---- KPI comparison --------------------------------------------------------------------------- */

static void test_kpi_spec_example(void)
{
    vp_account *a = hdjm();
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_kpi_result r = compare(a, &a->kpis[0], "2025-Q3", ZH, &ar);
    CHECK_EQ_DBL(r.actual, 33);
    CHECK(vp_period_eq(r.actual_period, P("2025-Q3")));
    CHECK_EQ_DBL(r.delta, -12);
    CHECK_EQ_DBL(r.improvement, 12);
    CHECK_NEAR(r.delta_pct, -26.67, 0.005);
    CHECK_EQ_DBL(r.progress, 0.8);
    CHECK_EQ_DBL(r.expected, 258.0 / 350.0);   /* SPEC: 0.737 */
    CHECK_NEAR(r.expected, 0.737, 0.0005);
    CHECK_EQ_INT(r.status, VP_ST_ON_TRACK);
    CHECK_EQ_DBL(r.value, 960000);
    CHECK_STR(r.headline, "\xE5\xBA\x93\xE5\xAD\x98\xE5\x91\xA8\xE8\xBD\xAC\xE5\xA4\xA9\xE6\x95\xB0"
                          "\xE4\xBB\x8E" "45\xE5\xA4\xA9" "\xE7\xBC\xA9\xE7\x9F\xAD\xE8\x87\xB3"
                          "33\xE5\xA4\xA9(" M "26.7%)");   /* 库存周转天数从45天缩短至33天(−26.7%) */
    CHECK_EQ_INT(r.n_trend, 3);
    CHECK(isnan(r.trend[0].change) && isnan(r.trend[0].change_pct));
    CHECK_EQ_DBL(r.trend[1].change, -5);
    CHECK_EQ_DBL(r.trend[1].change_pct, -500.0 / 44.0);
    CHECK_EQ_DBL(r.trend[2].change, -6);

    /* The same KPI in English. */
    vp_kpi *k = &a->kpis[0];
    k->name = "Inventory turnover days";
    k->unit = "days";
    r = compare(a, k, "2025-Q3", EN, &ar);
    CHECK_STR(r.headline, "Inventory turnover days down from 45 to 33 days (" M "26.7%)");
    /* At an earlier period the actual and trend stop there. */
    r = compare(a, k, "2025-Q2", EN, &ar);
    CHECK_EQ_DBL(r.actual, 39);
    CHECK_EQ_INT(r.n_trend, 2);
    CHECK_EQ_DBL(r.progress, 6.0 / 15.0);
    CHECK_EQ_DBL(r.expected, (double)(D("2025-06-30") - D("2025-01-15")) / 350.0);
    CHECK_EQ_INT(r.status, VP_ST_ON_TRACK);   /* 0.4 >= 0.471 - 0.1 */
    r = compare(a, k, "2025-Q1", EN, &ar);
    CHECK_EQ_DBL(r.progress, 1.0 / 15.0);
    CHECK_EQ_INT(r.status, VP_ST_BEHIND);     /* 0.067 < 0.217 - 0.1 */
    vp_arena_destroy(&ar);
    acc_free(a);
}

static void test_kpi_no_actuals(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    vp_kpi *k = kpi_add(a, "k", "Orders", NULL, VP_DIR_INCREASE, 10, 20);
    k->value_per_unit = 1000;
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_kpi_result r = compare(a, k, "2025-Q3", EN, &ar);
    CHECK_EQ_INT(r.status, VP_ST_NO_DATA);
    CHECK(isnan(r.actual) && isnan(r.delta) && isnan(r.delta_pct) && isnan(r.progress));
    CHECK(isnan(r.improvement) && isnan(r.value));
    CHECK(r.headline == NULL);
    CHECK_EQ_INT(r.n_trend, 0);
    CHECK(isnan(r.expected));
    /* An actual after P does not count. */
    actual_add(k, "2025-Q4", 15);
    r = compare(a, k, "2025-Q3", EN, &ar);
    CHECK_EQ_INT(r.status, VP_ST_NO_DATA);
    CHECK_EQ_INT(r.n_trend, 0);
    r = compare(a, k, "2025-Q4", EN, &ar);
    CHECK_EQ_INT(r.status, VP_ST_BEHIND);   /* 0.5 < 1 - 0.1 */
    CHECK_EQ_DBL(r.value, 5000);
    vp_arena_destroy(&ar);
    acc_free(a);
}

static void test_kpi_baseline_zero(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    vp_kpi *k = kpi_add(a, "auto", "Automation rate", "%", VP_DIR_INCREASE, 0, 10);
    actual_add(k, "2025-Q3", 4);
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_kpi_result r = compare(a, k, "2025-Q3", EN, &ar);
    CHECK(isnan(r.delta_pct));
    CHECK_EQ_DBL(r.delta, 4);
    CHECK_EQ_DBL(r.progress, 0.4);
    CHECK_EQ_DBL(r.value, 0);   /* no value_per_unit */
    CHECK_STR(r.headline, "Automation rate up from 0 to 4%");
    r = compare(a, k, "2025-Q3", ZH, &ar);
    /* zh: the unit after both numbers, 升至, no parenthesis */
    CHECK_STR(r.headline, "Automation rate\xE4\xBB\x8E" "0%\xE5\x8D\x87\xE8\x87\xB3" "4%");
    vp_arena_destroy(&ar);
    acc_free(a);
}

static void test_kpi_target_equals_baseline(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    vp_kpi *k = kpi_add(a, "p1", "P1 tickets", NULL, VP_DIR_DECREASE, 5, 5);
    k->value_per_unit = 100;
    actual_add(k, "2025-Q1", 5);
    actual_add(k, "2025-Q2", 4);
    actual_add(k, "2025-Q3", 6);
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_kpi_result r = compare(a, k, "2025-Q1", EN, &ar);
    CHECK_EQ_DBL(r.progress, 1);
    CHECK_EQ_INT(r.status, VP_ST_ACHIEVED);
    CHECK_EQ_DBL(r.value, 0);
    CHECK_STR(r.headline, "P1 tickets unchanged at 5");
    r = compare(a, k, "2025-Q2", EN, &ar);
    CHECK_EQ_DBL(r.progress, 1);
    CHECK_EQ_INT(r.status, VP_ST_ACHIEVED);
    CHECK_EQ_DBL(r.value, 100);
    r = compare(a, k, "2025-Q3", EN, &ar);
    CHECK_EQ_DBL(r.progress, 0);
    CHECK_EQ_DBL(r.improvement, -1);
    CHECK_EQ_INT(r.status, VP_ST_REGRESSED);
    CHECK_EQ_DBL(r.value, 0);
    CHECK_STR(r.headline, "P1 tickets up from 5 to 6 (+20.0%)");
    vp_arena_destroy(&ar);
    acc_free(a);
}

static void test_kpi_beyond_target_and_regressed(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    vp_kpi *k = kpi_add(a, "d", "Days to close", "days", VP_DIR_DECREASE, 45, 30);
    k->value_per_unit = 1000;
    actual_add(k, "2025-Q1", 25);
    actual_add(k, "2025-Q2", 47);
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_kpi_result r = compare(a, k, "2025-Q1", EN, &ar);
    CHECK_EQ_DBL(r.progress, 20.0 / 15.0);
    CHECK_EQ_INT(r.status, VP_ST_ACHIEVED);
    CHECK_EQ_DBL(r.value, 20000);   /* the whole improvement, not capped at the target */
    r = compare(a, k, "2025-Q2", EN, &ar);
    CHECK_EQ_INT(r.status, VP_ST_REGRESSED);
    CHECK_EQ_DBL(r.improvement, -2);
    CHECK(r.progress < 0);
    CHECK_EQ_DBL(r.value, 0);
    CHECK_STR(r.headline, "Days to close up from 45 to 47 days (+4.4%)");
    vp_arena_destroy(&ar);
    acc_free(a);
}

static void test_kpi_status_pace_and_noise(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    /* expected at 2025-06 = 5/10 = 0.5 exactly: threshold 0.4. */
    vp_kpi *k = kpi_add(a, "r", "Rate", NULL, VP_DIR_INCREASE, 0.1, 1.1);
    k->baseline_date = D("2025-06-25");
    k->target_date = D("2025-07-05");
    actual_add(k, "2025-06", 0.5);   /* (0.5-0.1)/(1.1-0.1) = 0.39999999999999997 */
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_kpi_result r = compare(a, k, "2025-06", EN, &ar);
    CHECK_EQ_DBL(r.expected, 0.5);
    CHECK_NEAR(r.progress, 0.4, 1e-12);
    CHECK_EQ_INT(r.status, VP_ST_ON_TRACK);   /* noise does not make it "behind" */
    k->actuals[0].value = 0.49;
    r = compare(a, k, "2025-06", EN, &ar);
    CHECK_EQ_INT(r.status, VP_ST_BEHIND);

    /* Achieved within noise: target 0.1 + 0.2 = 0.30000000000000004, actual 0.3. */
    vp_kpi *k2 = kpi_add(a, "s", "Share", NULL, VP_DIR_INCREASE, 0, 0.1 + 0.2);
    actual_add(k2, "2025-Q1", 0.3);
    r = compare(a, k2, "2025-Q1", EN, &ar);
    CHECK(r.progress < 1);
    CHECK_EQ_INT(r.status, VP_ST_ACHIEVED);

    /* Expected: clamped to 0..1, and a target date on or before the baseline date. */
    vp_kpi *k3 = kpi_add(a, "t", "T", NULL, VP_DIR_INCREASE, 0, 10);
    k3->baseline_date = D("2025-08-01");
    actual_add(k3, "2025-Q1", 0);
    r = compare(a, k3, "2025-Q2", EN, &ar);   /* P ends before the baseline date */
    CHECK_EQ_DBL(r.expected, 0);
    CHECK_EQ_INT(r.status, VP_ST_ON_TRACK);   /* 0 >= 0 - 0.1 */
    k3->target_date = D("2025-08-01");
    r = compare(a, k3, "2025-Q3", EN, &ar);   /* denominator 0, numerator >= 0 */
    CHECK_EQ_DBL(r.expected, 1);
    r = compare(a, k3, "2025-Q2", EN, &ar);   /* denominator 0, numerator < 0 */
    CHECK_EQ_DBL(r.expected, 0);
    k3->target_date = D("2025-07-01");
    r = compare(a, k3, "2025-Q4", EN, &ar);   /* denominator < 0 */
    CHECK_EQ_DBL(r.expected, 1);
    k3->baseline_date = VP_NO_DATE;           /* contract start .. target date */
    r = compare(a, k3, "2025-Q4", EN, &ar);
    CHECK_EQ_DBL(r.expected, 1);
    r = compare(a, k3, "2025-Q1", EN, &ar);
    CHECK_EQ_DBL(r.expected, (double)(D("2025-03-31") - D("2025-01-01")) /
                                 (double)(D("2025-07-01") - D("2025-01-01")));
    vp_arena_destroy(&ar);
    acc_free(a);
}

static void test_kpi_value_rounding(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    vp_kpi *k = kpi_add(a, "x", "X", NULL, VP_DIR_INCREASE, 1.1, 2);
    k->value_per_unit = 5;
    actual_add(k, "2025-Q1", 1.4);   /* improvement 0.2999999999999998, × 5 = 1.5 exactly */
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_kpi_result r = compare(a, k, "2025-Q1", EN, &ar);
    CHECK_EQ_DBL(r.value, 2);
    k->value_per_unit = 1000001;
    k->baseline = 0;
    k->actuals[0].value = 1.5;       /* 1,500,001.5 -> 1,500,002 */
    r = compare(a, k, "2025-Q1", EN, &ar);
    CHECK_EQ_DBL(r.value, 1500002);
    k->value_per_unit = 0.333;       /* 0.4995 -> 0 */
    r = compare(a, k, "2025-Q1", EN, &ar);
    CHECK_EQ_DBL(r.value, 0);
    vp_arena_destroy(&ar);
    acc_free(a);
}

static void test_kpi_headlines(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_kpi *k = kpi_add(a, "sla", "SLA met", "%", VP_DIR_INCREASE, 90, 97);
    actual_add(k, "2025-Q1", 97);
    vp_kpi_result r = compare(a, k, "2025-Q1", EN, &ar);
    CHECK_STR(r.headline, "SLA met up from 90 to 97% (+7.8%)");
    /* zh: not a time unit -> 升至 */
    r = compare(a, k, "2025-Q1", ZH, &ar);
    CHECK_STR(r.headline, "SLA met\xE4\xBB\x8E" "90%\xE5\x8D\x87\xE8\x87\xB3"
                          "97%(+7.8%)");
    /* zh: a time unit going up -> 延长至; hours in English get a space. */
    vp_kpi *h = kpi_add(a, "h", "Response time", "\xE5\xB0\x8F\xE6\x97\xB6", VP_DIR_DECREASE,
                        4, 2);   /* 小时 */
    actual_add(h, "2025-Q1", 4.5);
    r = compare(a, h, "2025-Q1", ZH, &ar);
    CHECK_CONTAINS(r.headline, "\xE5\xBB\xB6\xE9\x95\xBF\xE8\x87\xB3");   /* 延长至 */
    CHECK_CONTAINS(r.headline, "4\xE5\xB0\x8F\xE6\x97\xB6");
    CHECK_CONTAINS(r.headline, "4.5\xE5\xB0\x8F\xE6\x97\xB6(+12.5%)");
    /* en with a CJK unit: no space, and "up" (en has no time verbs). */
    r = compare(a, h, "2025-Q1", EN, &ar);
    CHECK_STR(r.headline, "Response time up from 4 to 4.5\xE5\xB0\x8F\xE6\x97\xB6 (+12.5%)");
    h->unit = "hours";
    r = compare(a, h, "2025-Q1", EN, &ar);
    CHECK_STR(r.headline, "Response time up from 4 to 4.5 hours (+12.5%)");
    /* zh: a non-time unit going down -> 降至; an English time unit still 缩短至. */
    vp_kpi *c = kpi_add(a, "c", "\xE6\x88\x90\xE6\x9C\xAC", "\xE5\x85\x83", VP_DIR_DECREASE,
                        1200, 1000);   /* 成本, 元 */
    actual_add(c, "2025-Q1", 1100);
    r = compare(a, c, "2025-Q1", ZH, &ar);
    CHECK_CONTAINS(r.headline, "\xE9\x99\x8D\xE8\x87\xB3" "1,100\xE5\x85\x83(" M "8.3%)");
    c->unit = "days";
    r = compare(a, c, "2025-Q1", ZH, &ar);
    CHECK_CONTAINS(r.headline, "\xE7\xBC\xA9\xE7\x9F\xAD\xE8\x87\xB3");   /* 缩短至 */
    /* No unit at all; decimals trimmed. */
    vp_kpi *n = kpi_add(a, "n", "NPS", NULL, VP_DIR_INCREASE, 12.5, 30);
    actual_add(n, "2025-Q1", 20.25);
    r = compare(a, n, "2025-Q1", EN, &ar);
    CHECK_STR(r.headline, "NPS up from 12.5 to 20.25 (+62.0%)");
    /* Unchanged in zh. */
    n->actuals[0].value = 12.5;
    r = compare(a, n, "2025-Q1", ZH, &ar);
    CHECK_STR(r.headline, "NPS\xE6\x8C\x81\xE5\xB9\xB3\xEF\xBC\x8C\xE4\xBF\x9D\xE6\x8C\x81"
                          "\xE5\x9C\xA8" "12.5");   /* NPS持平，保持在12.5 */
    vp_arena_destroy(&ar);
    acc_free(a);
}

static void test_kpi_mixed_periods(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    vp_kpi *k = kpi_add(a, "m", "Orders", NULL, VP_DIR_INCREASE, 30, 50);
    /* Deliberately out of order: the comparison sorts by period. */
    actual_add(k, "2025-08", 36);
    actual_add(k, "2025-Q2", 40);
    actual_add(k, "2025-07", 38);
    actual_add(k, "2025-Q3", 34);
    actual_add(k, "2025-09", 35);
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_kpi_result r = compare(a, k, "2025-Q3", EN, &ar);
    CHECK_EQ_DBL(r.actual, 34);   /* the quarter wins the tie with 2025-09 */
    CHECK(vp_period_eq(r.actual_period, P("2025-Q3")));
    CHECK_EQ_INT(r.n_trend, 5);
    const char *order[] = {"2025-Q2", "2025-07", "2025-08", "2025-09", "2025-Q3"};
    for (size_t i = 0; i < 5 && i < r.n_trend; i++)
        CHECK(vp_period_eq(r.trend[i].period, P(order[i])));
    CHECK_EQ_DBL(r.trend[1].change, -2);
    CHECK_EQ_DBL(r.trend[4].change, -1);
    r = compare(a, k, "2025-08", EN, &ar);
    CHECK_EQ_DBL(r.actual, 36);
    CHECK_EQ_INT(r.n_trend, 3);
    /* A month P that ends with a quarter: the quarter's actual ends on P's last day. */
    r = compare(a, k, "2025-09", EN, &ar);
    CHECK_EQ_DBL(r.actual, 34);
    r = compare(a, k, "2025-06", EN, &ar);
    CHECK_EQ_DBL(r.actual, 40);
    r = compare(a, k, "2025-05", EN, &ar);
    CHECK_EQ_INT(r.status, VP_ST_NO_DATA);
    vp_arena_destroy(&ar);
    acc_free(a);
}

static void test_kpi_fiscal_and_leap(void)
{
    /* Fiscal year from April: 2025-Q4 = 2026-01-01..2026-03-31. */
    vp_account *a = acc_new("2025-04-01", "2026-03-31", 100000);
    a->fiscal_year_start_month = 4;
    vp_kpi *k = kpi_add(a, "k", "K", NULL, VP_DIR_INCREASE, 0, 100);
    actual_add(k, "2025-Q3", 50);
    actual_add(k, "2026-02", 70);
    actual_add(k, "2025-Q4", 90);
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_kpi_result r = compare(a, k, "2025-Q4", EN, &ar);
    CHECK_EQ_DBL(r.actual, 90);
    CHECK_EQ_DBL(r.expected, 1);
    CHECK_EQ_INT(r.n_trend, 3);
    r = compare(a, k, "2026-02", EN, &ar);
    CHECK_EQ_DBL(r.actual, 70);
    r = compare(a, k, "2025-Q3", EN, &ar);   /* 2025-10-01..2025-12-31 */
    CHECK_EQ_DBL(r.actual, 50);
    CHECK_EQ_DBL(r.expected, (double)(D("2025-12-31") - D("2025-04-01")) /
                                 (double)(D("2026-03-31") - D("2025-04-01")));
    acc_free(a);

    /* Leap day: baseline on 2024-02-29, the month 2024-02 ends on the 29th. */
    a = acc_new("2024-01-01", "2025-02-28", 100000);
    k = kpi_add(a, "k", "K", NULL, VP_DIR_INCREASE, 0, 365);
    k->baseline_date = D("2024-02-29");
    actual_add(k, "2024-02", 1);
    r = compare(a, k, "2024-02", EN, &ar);
    CHECK_EQ_DBL(r.expected, 0);
    CHECK_EQ_DBL(r.actual, 1);
    r = compare(a, k, "2024-Q3", EN, &ar);
    CHECK_EQ_DBL(r.expected, 214.0 / 365.0);   /* 2024-02-29 -> 2024-09-30 over -> 2025-02-28 */
    vp_arena_destroy(&ar);
    acc_free(a);
}

/* ---- period ------------------------------------------------------------------------------------ */

static void test_default_period(void)
{
    char b[8];
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    /* Nothing: the fiscal quarter of the as-of date. */
    vp_period_format(vp_default_period(a, D("2025-10-09")), b);
    CHECK_STR(b, "2025-Q4");
    a->fiscal_year_start_month = 4;
    vp_period_format(vp_default_period(a, D("2026-02-15")), b);
    CHECK_STR(b, "2025-Q4");
    a->fiscal_year_start_month = 1;
    /* A month and a quarter ending the same day: the quarter. */
    support_add(a, "2025-09", 95, 4);
    vp_period_format(vp_default_period(a, D("2025-10-09")), b);
    CHECK_STR(b, "2025-09");
    usage_add(a, "2025-Q3", 100, 80, 40);
    vp_period_format(vp_default_period(a, D("2025-10-09")), b);
    CHECK_STR(b, "2025-Q3");
    /* A later month beats the quarter; KPI actuals count too. */
    vp_kpi *k = kpi_add(a, "k", "K", NULL, VP_DIR_INCREASE, 0, 1);
    actual_add(k, "2025-10", 1);
    vp_period_format(vp_default_period(a, D("2025-10-09")), b);
    CHECK_STR(b, "2025-10");
    actual_add(k, "2025-Q4", 1);
    vp_period_format(vp_default_period(a, D("2025-10-09")), b);
    CHECK_STR(b, "2025-Q4");
    acc_free(a);
}

static void test_usage_support_for(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    usage_add(a, "2025-07", 100, 70, 30);
    usage_add(a, "2025-08", 100, 80, 30);
    usage_add(a, "2025-Q2", 100, 60, 30);
    usage_add(a, "2025-10", 100, 90, 30);
    CHECK(vp_usage_for(a, P("2025-Q3")) == &a->usage[1]);   /* latest month inside */
    CHECK(vp_usage_for(a, P("2025-Q2")) == &a->usage[2]);   /* equal */
    CHECK(vp_usage_for(a, P("2025-07")) == &a->usage[0]);
    CHECK(vp_usage_for(a, P("2025-06")) == NULL);           /* a quarter is not inside a month */
    CHECK(vp_usage_for(a, P("2025-Q1")) == NULL);
    usage_add(a, "2025-Q3", 100, 75, 30);
    CHECK(vp_usage_for(a, P("2025-Q3")) == &a->usage[4]);   /* equal beats inside */
    support_add(a, "2025-Q4", 90, 4);
    support_add(a, "2025-11", 95, 4);
    CHECK(vp_support_for(a, P("2025-Q4")) == &a->support[0]);
    CHECK(vp_support_for(a, P("2025-11")) == &a->support[1]);
    CHECK(vp_support_for(a, P("2025-12")) == NULL);
    acc_free(a);
}

/* ---- health ------------------------------------------------------------------------------------ */

static void test_health_components(void)
{
    vp_account *a = hdjm();
    vp_health_model m = test_model();
    vp_health h;
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK_EQ_DBL(h.components[VP_H_ADOPTION].score, 121.0 / 150.0);
    CHECK_EQ_DBL(h.components[VP_H_STICKINESS].score, 1);   /* 61/121/0.5 = 1.008 -> 1 */
    CHECK_EQ_DBL(h.components[VP_H_BREADTH].score, 0.9);    /* (1 + 0.48/0.6) / 2 */
    CHECK_EQ_DBL(h.components[VP_H_OUTCOMES].score, 0.8);
    CHECK_EQ_DBL(h.components[VP_H_SUPPORT].score, 0.97);
    CHECK_EQ_DBL(h.components[VP_H_SENTIMENT].score, 0.9);
    CHECK_EQ_DBL(h.components[VP_H_ADOPTION].weight, 25);
    CHECK_EQ_INT(h.components[VP_H_SENTIMENT].id, VP_H_SENTIMENT);
    /* 100 × (25×0.80667 + 15 + 15×0.9 + 25×0.8 + 10×0.97 + 10×0.9) / 100 = 87.3667 */
    CHECK_EQ_DBL(h.score, 87.4);
    CHECK_STR(h.band->id, "healthy");

    /* Without support data: left out of both sums (weights renormalised). */
    a->n_support = 0;
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK(isnan(h.components[VP_H_SUPPORT].score) && isnan(h.components[VP_H_SENTIMENT].score));
    CHECK_EQ_DBL(h.score, 85.8);   /* 68.6667 / 80 */

    /* Nothing at all in the period: no score, no band. */
    vp_health_at(&h, a, &m, P("2024-Q1"));
    CHECK(isnan(h.score));
    CHECK(h.band == NULL);
    for (int i = 0; i < VP_H__COUNT; i++)
        CHECK(isnan(h.components[i].score));
    acc_free(a);
}

static void test_health_component_edges(void)
{
    vp_health_model m = test_model();
    vp_health h;
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    module_add(a, "FIN", NULL, NAN);
    module_add(a, "SCM", NULL, NAN);
    module_add(a, "HR", NULL, NAN);
    vp_usage *u = usage_add(a, "2025-Q3", NAN, 120, NAN);
    /* Licensed users: none in the entry nor the contract -> no adoption. */
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK(isnan(h.components[VP_H_ADOPTION].score));
    CHECK(isnan(h.components[VP_H_STICKINESS].score));   /* daily missing */
    CHECK(isnan(h.components[VP_H_BREADTH].score));      /* no modules object */
    CHECK(isnan(h.components[VP_H_OUTCOMES].score));     /* no KPIs */
    CHECK(isnan(h.score));
    /* The contract's licensed users stand in; adoption is capped at 1. */
    a->licensed_users = 100;
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK_EQ_DBL(h.components[VP_H_ADOPTION].score, 1);
    CHECK_EQ_DBL(h.score, 100);
    u->licensed_users = 240;   /* the entry's own count wins */
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK_EQ_DBL(h.components[VP_H_ADOPTION].score, 0.5);
    u->licensed_users = 0;
    a->licensed_users = 0;
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK(isnan(h.components[VP_H_ADOPTION].score));
    /* Stickiness: daily / monthly over the 0.5 target. */
    u->active_daily = 30;
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK_EQ_DBL(h.components[VP_H_STICKINESS].score, 0.5);
    u->active_monthly = 0;
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK(isnan(h.components[VP_H_STICKINESS].score));
    /* Breadth: an empty modules object makes every module 0; absent modules count 0. */
    u->has_modules = true;
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK_EQ_DBL(h.components[VP_H_BREADTH].score, 0);
    share_add(u, "FIN", 0.9);
    share_add(u, "SCM", 0.3);
    share_add(u, "CRM", 1.0);   /* not licensed: ignored */
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK_EQ_DBL(h.components[VP_H_BREADTH].score, (1 + 0.5 + 0) / 3.0);
    CHECK_EQ_DBL(h.score, 50);   /* only breadth has data: 100 × 0.5 */
    CHECK_STR(h.band->id, "watch");
    /* No licensed modules: no breadth. */
    a->n_modules = 0;
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK(isnan(h.components[VP_H_BREADTH].score));
    /* Sentiment and support are clamped to 0..1. */
    support_add(a, "2025-Q3", 100, 1);
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK_EQ_DBL(h.components[VP_H_SENTIMENT].score, 0);
    CHECK_EQ_DBL(h.components[VP_H_SUPPORT].score, 1);
    /* A zero weight keeps a component out of the score. */
    m.weight[VP_H_SUPPORT] = 0;
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK_EQ_DBL(h.score, 0);   /* sentiment 0 alone */
    acc_free(a);
}

static void test_health_outcomes_and_rounding(void)
{
    vp_health_model m = test_model();
    vp_health h;
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    vp_kpi *k1 = kpi_add(a, "a", "A", NULL, VP_DIR_INCREASE, 0, 10);
    vp_kpi *k2 = kpi_add(a, "b", "B", NULL, VP_DIR_DECREASE, 10, 0);
    kpi_add(a, "c", "C", NULL, VP_DIR_INCREASE, 0, 10);   /* no data: not in the mean */
    actual_add(k1, "2025-Q3", 15);   /* progress 1.5 -> 1 */
    actual_add(k2, "2025-Q3", 12);   /* progress -0.2 -> 0 */
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK_EQ_DBL(h.components[VP_H_OUTCOMES].score, 0.5);
    CHECK_EQ_DBL(h.score, 50);
    /* 88.75 -> 88.8 (halves away from zero, after binary noise). */
    a->n_kpis = 0;
    support_add(a, "2025-Q3", 88.75, NAN);
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK_EQ_DBL(h.score, 88.8);
    a->support[0].sla_met_pct = 88.65;
    vp_health_at(&h, a, &m, P("2025-Q3"));
    CHECK_EQ_DBL(h.score, 88.7);
    /* Bands: min <= score, highest first. */
    const struct { double sla; const char *band; } cases[] = {
        {70, "healthy"}, {69.9, "watch"}, {50, "watch"}, {49.9, "at_risk"}, {0, "at_risk"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        a->support[0].sla_met_pct = cases[i].sla;
        vp_health_at(&h, a, &m, P("2025-Q3"));
        CHECK_EQ_DBL(h.score, cases[i].sla);
        CHECK_STR(h.band ? h.band->id : NULL, cases[i].band);
    }
    acc_free(a);
}

static void test_health_previous_and_alert(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    support_add(a, "2025-Q2", 80, NAN);
    support_add(a, "2025-Q3", 70, NAN);
    vp_report *r = compute(a, "2025-Q3", "2025-10-09", NULL);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_EQ_DBL(r->health.score, 70);
    CHECK_EQ_DBL(r->health.previous, 80);
    CHECK_EQ_DBL(r->health.change, -10);
    CHECK(vp_period_eq(r->health.previous_period, P("2025-Q2")));
    CHECK_STR(r->health.band->id, "healthy");
    CHECK(r->health.alert);   /* a 10-point drop, though still healthy */
    vp_report_free(r);

    a->support[0].sla_met_pct = 79.9;   /* a 9.9-point drop: no alert */
    r = compute(a, "2025-Q3", "2025-10-09", NULL);
    CHECK_EQ_DBL(r->health.change, -9.9);
    CHECK(!r->health.alert);
    vp_report_free(r);

    /* At risk always alerts, with or without a previous score. */
    a->support[1].sla_met_pct = 45;
    a->n_support = 1;
    a->support[0] = a->support[1];
    r = compute(a, "2025-Q3", "2025-10-09", NULL);
    CHECK(isnan(r->health.previous) && isnan(r->health.change));
    CHECK_STR(r->health.band->id, "at_risk");
    CHECK(r->health.alert);
    vp_report_free(r);

    /* The previous period's outcomes use the KPIs as they stood then. */
    a->n_support = 0;
    vp_kpi *k = kpi_add(a, "k", "K", NULL, VP_DIR_INCREASE, 0, 10);
    actual_add(k, "2025-Q2", 4);
    actual_add(k, "2025-Q3", 8);
    r = compute(a, "2025-Q3", "2025-10-09", NULL);
    CHECK_EQ_DBL(r->health.score, 80);
    CHECK_EQ_DBL(r->health.previous, 40);
    CHECK_EQ_DBL(r->health.change, 40);
    CHECK(!r->health.alert);
    vp_report_free(r);
    /* Monthly P: the month before. */
    r = compute(a, "2025-01", "2025-10-09", NULL);
    CHECK(vp_period_eq(r->health.previous_period, P("2024-12")));
    CHECK(isnan(r->health.score) && r->health.band == NULL && !r->health.alert);
    vp_report_free(r);
    acc_free(a);
}

static void test_breadth_per_module(void)
{
    vp_account *a = hdjm();
    module_add(a, "HR", NULL, NAN);
    vp_report *r = compute(a, "2025-Q3", "2025-10-09", NULL);
    CHECK_EQ_INT(r->n_breadth, 3);
    CHECK_STR(r->breadth[0].module->code, "FIN");
    CHECK_EQ_DBL(r->breadth[0].share, 0.92);
    CHECK_EQ_DBL(r->breadth[0].score, 1);
    CHECK(!r->breadth[0].below_target);
    CHECK_EQ_DBL(r->breadth[1].share, 0.48);
    CHECK_EQ_DBL(r->breadth[1].score, 0.8);
    CHECK(r->breadth[1].below_target);
    CHECK_EQ_DBL(r->breadth[2].share, 0);   /* listed nowhere in the modules object */
    CHECK(r->breadth[2].below_target);
    CHECK(r->usage_p == &a->usage[0] && r->support_p == &a->support[0]);
    vp_report_free(r);
    /* No usage in P: shares unknown, nothing is "below". */
    r = compute(a, "2025-Q2", "2025-10-09", NULL);
    CHECK(r->usage_p == NULL);
    CHECK(isnan(r->breadth[0].share) && isnan(r->breadth[0].score));
    CHECK(!r->breadth[1].below_target);
    vp_report_free(r);
    acc_free(a);
}

/* ---- renewal ----------------------------------------------------------------------------------- */

static vp_health band_health(const char *band)
{
    vp_health h;
    memset(&h, 0, sizeof h);
    h.score = NAN;
    for (size_t i = 0; band && i < 3; i++)
        if (strcmp(k_bands[i].id, band) == 0)
            h.band = &k_bands[i];
    return h;
}

static void test_renewal_spec_example(void)
{
    vp_account *a = hdjm();
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_health h = band_health("healthy");
    vp_renewal rn;
    CHECK_EQ_INT(vp_renewal_compute(&rn, a, &h, D("2025-10-09"), &ar), VP_OK);
    CHECK_EQ_INT(rn.base_arr, 1200000);
    CHECK_EQ_INT(rn.standard, 1260000);
    CHECK_EQ_INT(rn.added, 150000);
    CHECK_EQ_INT(rn.n_options, 4);
    CHECK_EQ_INT(rn.options[0].tier, VP_TIER_STANDARD);
    CHECK_EQ_INT(rn.options[0].years, 1);
    CHECK_EQ_INT(rn.options[0].annual, 1260000);
    CHECK_EQ_INT(rn.options[0].total, 1260000);
    CHECK_EQ_INT(rn.options[0].savings, 0);
    CHECK_EQ_INT(rn.options[1].tier, VP_TIER_BUNDLE);
    CHECK_EQ_INT(rn.options[1].annual, 1395000);
    CHECK_EQ_INT(rn.options[1].total, 1395000);
    CHECK_EQ_INT(rn.options[1].savings, 15000);
    CHECK_EQ_DBL(rn.options[1].discount_pct, 10);
    CHECK_EQ_INT(rn.options[2].tier, VP_TIER_MULTI_YEAR);
    CHECK_EQ_INT(rn.options[2].years, 2);
    CHECK_EQ_INT(rn.options[2].annual, 1184400);
    CHECK_EQ_INT(rn.options[2].total, 2368800);
    CHECK_EQ_INT(rn.options[2].savings, 214200);
    CHECK_EQ_DBL(rn.options[2].discount_pct, 6);
    CHECK_EQ_INT(rn.options[3].years, 3);
    CHECK_EQ_INT(rn.options[3].annual, 1134000);
    CHECK_EQ_INT(rn.options[3].total, 3402000);
    CHECK_EQ_INT(rn.options[3].savings, 570150);   /* 1,260,000 + 1,323,000 + 1,389,150 */
    CHECK_EQ_INT(rn.recommended, 1);
    CHECK_EQ_INT(rn.reason, VP_REASON_BUNDLE);
    CHECK_EQ_INT(rn.valid_until, D("2025-11-08"));
    vp_arena_destroy(&ar);
    acc_free(a);
}

static void test_renewal_exact_halves(void)
{
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_health h = band_health("healthy");
    vp_renewal rn;
    /* 120,750 × 0.93 = 112,297.5 -> 112,298 (binary doubles give 112,297.4999…). */
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 120750);
    my_add(a, 2, 7);
    vp_renewal_compute(&rn, a, &h, D("2025-10-09"), &ar);
    CHECK_EQ_INT(rn.standard, 120750);
    CHECK_EQ_INT(rn.options[1].annual, 112298);
    CHECK_EQ_INT(rn.options[1].total, 224596);
    CHECK_EQ_INT(rn.options[1].savings, 241500 - 224596);
    acc_free(a);
    /* 1,000,005 × 1.05 = 1,050,005.25 -> 1,050,005; 1,000,010 × 1.05 = 1,050,010.5 -> 1,050,011. */
    a = acc_new("2025-01-01", "2025-12-31", 1000005);
    a->renewal.uplift_pct = 5;
    vp_renewal_compute(&rn, a, &h, D("2025-10-09"), &ar);
    CHECK_EQ_INT(rn.standard, 1050005);
    a->arr = 1000010;
    a->renewal.bundle_discount_pct = 10;
    opp_add(a, "SRM", 150005, VP_OPP_PROPOSED);   /* 135,004.5 and 15,000.5 */
    my_add(a, 3, 10);
    vp_renewal_compute(&rn, a, &h, D("2025-10-09"), &ar);
    CHECK_EQ_INT(rn.standard, 1050011);
    CHECK_EQ_INT(rn.added, 150005);
    CHECK_EQ_INT(rn.options[1].annual, 1050011 + 135005);
    CHECK_EQ_INT(rn.options[1].savings, 15001);
    /* 3 years: 945,009.9 -> 945,010; list 1,050,011 × (1 + 1.05 + 1.1025) = 3,310,159.6775. */
    CHECK_EQ_INT(rn.options[2].annual, 945010);
    CHECK_EQ_INT(rn.options[2].total, 2835030);
    CHECK_EQ_INT(rn.options[2].savings, 3310160 - 2835030);
    acc_free(a);
    /* Cents and fractional percentages: 1,234.56 × 1.035 = 1,277.7696 -> 1,278. */
    a = acc_new("2025-01-01", "2025-12-31", 1234.56);
    a->renewal.uplift_pct = 3.5;
    vp_renewal_compute(&rn, a, &h, D("2025-10-09"), &ar);
    CHECK_EQ_INT(rn.base_arr, 1235);
    CHECK_EQ_INT(rn.standard, 1278);
    /* Five years at 2.25 % uplift, the largest term: exact over 10000^4. */
    a->arr = 9876543.21;
    a->renewal.uplift_pct = 2.25;
    my_add(a, 5, 12.5);
    vp_renewal_compute(&rn, a, &h, D("2025-10-09"), &ar);
    /* A = 9,876,543.21 × 1.0225 = 10,098,765.431… -> 10,098,765; annual 8,836,419.375 ->
     * 8,836,419; list = A × (1 + 1.0225 + 1.0225² + 1.0225³ + 1.0225⁴) -> 52,817,750 */
    CHECK_EQ_INT(rn.standard, 10098765);
    CHECK_EQ_INT(rn.options[1].annual, 8836419);
    CHECK_EQ_INT(rn.options[1].total, 44182095);
    CHECK_EQ_INT(rn.options[1].savings, 52817750 - 44182095);
    vp_arena_destroy(&ar);
    acc_free(a);
}

static void test_renewal_opportunities_and_recommendation(void)
{
    vp_arena ar;
    vp_arena_init(&ar, 0);
    vp_renewal rn;
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    vp_health healthy = band_health("healthy"), watch = band_health("watch"),
              risk = band_health("at_risk"), none = band_health(NULL);
    /* No opportunities, no multi-year: standard by default. */
    vp_renewal_compute(&rn, a, &healthy, D("2025-10-09"), &ar);
    CHECK_EQ_INT(rn.n_options, 1);
    CHECK_EQ_INT(rn.recommended, 0);
    CHECK_EQ_INT(rn.reason, VP_REASON_DEFAULT);
    /* All lost, or no fee: no bundle. */
    opp_add(a, "SRM", 50000, VP_OPP_LOST);
    opp_add(a, "MES", NAN, VP_OPP_IDENTIFIED);
    vp_renewal_compute(&rn, a, &healthy, D("2025-10-09"), &ar);
    CHECK_EQ_INT(rn.added, 0);
    CHECK_EQ_INT(rn.n_options, 1);
    /* Multi-year terms: the longest is recommended when there is no bundle. */
    my_add(a, 2, 5);
    my_add(a, 3, 8);
    vp_renewal_compute(&rn, a, &watch, D("2025-10-09"), &ar);
    CHECK_EQ_INT(rn.n_options, 3);
    CHECK_EQ_INT(rn.options[rn.recommended].years, 3);
    CHECK_EQ_INT(rn.options[rn.recommended].tier, VP_TIER_MULTI_YEAR);
    CHECK_EQ_INT(rn.reason, VP_REASON_MULTI_YEAR);
    /* A won opportunity still counts (it is added to the renewal), a lost one does not. */
    opp_add(a, "CRM", 20000, VP_OPP_WON);
    vp_renewal_compute(&rn, a, &watch, D("2025-10-09"), &ar);
    CHECK_EQ_INT(rn.added, 20000);
    CHECK_EQ_INT(rn.n_options, 4);
    CHECK_EQ_INT(rn.options[1].tier, VP_TIER_BUNDLE);
    CHECK_EQ_INT(rn.options[1].annual, 120000);   /* no bundle discount */
    CHECK_EQ_INT(rn.options[1].savings, 0);
    CHECK_EQ_INT(rn.recommended, 1);
    CHECK_EQ_INT(rn.reason, VP_REASON_BUNDLE);
    /* No health band (no data): treated like a healthy account. */
    vp_renewal_compute(&rn, a, &none, D("2025-10-09"), &ar);
    CHECK_EQ_INT(rn.reason, VP_REASON_BUNDLE);
    /* At risk: standard, whatever else is on offer. */
    vp_renewal_compute(&rn, a, &risk, D("2025-10-09"), &ar);
    CHECK_EQ_INT(rn.recommended, 0);
    CHECK_EQ_INT(rn.reason, VP_REASON_AT_RISK);
    /* Quote validity: the terms' days, 30 when the file has no renewal block. */
    a->renewal.quote_valid_days = 45;
    vp_renewal_compute(&rn, a, &risk, D("2025-12-20"), &ar);
    CHECK_EQ_INT(rn.valid_until, D("2026-02-03"));
    a->renewal.present = false;
    vp_renewal_compute(&rn, a, &risk, D("2025-12-20"), &ar);
    CHECK_EQ_INT(rn.valid_until, D("2026-01-19"));
    vp_arena_destroy(&ar);
    acc_free(a);
}

/* ---- lifecycle ---------------------------------------------------------------------------------- */

static vp_lifecycle lifecycle_at(const vp_account *a, const char *date)
{
    vp_lifecycle lc;
    memset(&lc, 0, sizeof lc);
    vp_report *r = compute(a, "2025-Q3", date, NULL);
    if (r) {
        lc = r->lifecycle;
        lc.actions = NULL;   /* freed with the report */
        lc.n_actions = 0;
        vp_report_free(r);
    }
    return lc;
}

static void test_lifecycle_stages(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    const struct { const char *date; int days, months; vp_stage stage; } cases[] = {
        {"2025-12-31", 0, 11, VP_STAGE_RENEWAL},
        {"2025-10-02", 90, 9, VP_STAGE_RENEWAL},
        {"2025-10-01", 91, 9, VP_STAGE_DEEPENING},
        {"2025-03-31", 275, 2, VP_STAGE_IMPLEMENTATION},
        {"2025-04-01", 274, 3, VP_STAGE_ROOTING},
        {"2025-09-30", 92, 8, VP_STAGE_ROOTING},
        {"2026-01-05", -5, 12, VP_STAGE_DEEPENING},        /* past the end: by months */
        {"2024-12-15", 381, 0, VP_STAGE_IMPLEMENTATION},   /* before the start */
        {"2024-11-15", 411, -1, VP_STAGE_IMPLEMENTATION},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vp_lifecycle lc = lifecycle_at(a, cases[i].date);
        CHECK_EQ_INT(lc.as_of, D(cases[i].date));
        CHECK_EQ_INT(lc.days_to_renewal, cases[i].days);
        CHECK_EQ_INT(lc.months_elapsed, cases[i].months);
        CHECK_EQ_INT(lc.stage, cases[i].stage);
    }
    /* A contract shorter than 90 days is in its renewal window from the first day. */
    a->end_date = D("2025-03-01");
    CHECK_EQ_INT(lifecycle_at(a, "2025-01-01").stage, VP_STAGE_RENEWAL);
    acc_free(a);
}

static void test_lifecycle_first_value_and_qbrs(void)
{
    vp_account *a = acc_new("2025-01-01", "2025-12-31", 100000);
    vp_lifecycle lc = lifecycle_at(a, "2025-10-09");
    CHECK_EQ_INT(lc.time_to_first_value_days, INT32_MIN);
    CHECK(!lc.first_value_on_time);
    CHECK_EQ_INT(lc.qbrs_held, 0);
    CHECK_EQ_INT(lc.qbrs_expected, 3);   /* 9 whole months */
    a->go_live_date = D("2025-03-20");
    ms_add(a, VP_MS_GO_LIVE, "2025-03-20");          /* the clock's start, not value */
    ms_add(a, VP_MS_MILESTONE, "2025-06-28");        /* 100 days */
    ms_add(a, VP_MS_QUICK_WIN, NULL);                /* not reached */
    lc = lifecycle_at(a, "2025-10-09");
    CHECK_EQ_INT(lc.time_to_first_value_days, 100);
    CHECK(!lc.first_value_on_time);
    ms_add(a, VP_MS_QUICK_WIN, "2025-06-18");        /* 90 days: on time */
    lc = lifecycle_at(a, "2025-10-09");
    CHECK_EQ_INT(lc.time_to_first_value_days, 90);
    CHECK(lc.first_value_on_time);
    /* Only milestones reached by the as-of date count. */
    lc = lifecycle_at(a, "2025-06-20");
    CHECK_EQ_INT(lc.time_to_first_value_days, 90);
    lc = lifecycle_at(a, "2025-06-17");
    CHECK_EQ_INT(lc.time_to_first_value_days, INT32_MIN);
    /* Without a go-live date the clock starts at the contract start. */
    a->go_live_date = VP_NO_DATE;
    lc = lifecycle_at(a, "2025-10-09");
    CHECK_EQ_INT(lc.time_to_first_value_days, D("2025-06-18") - D("2025-01-01"));
    /* QBRs held up to the as-of date. */
    eng_add(a, "2025-04-10", VP_ENG_QBR);
    eng_add(a, "2025-07-10", VP_ENG_QBR);
    eng_add(a, "2025-07-11", VP_ENG_EXECUTIVE);
    eng_add(a, "2025-10-10", VP_ENG_QBR);
    lc = lifecycle_at(a, "2025-10-09");
    CHECK_EQ_INT(lc.qbrs_held, 2);
    CHECK_EQ_INT(lc.qbrs_expected, 3);
    lc = lifecycle_at(a, "2025-03-31");
    CHECK_EQ_INT(lc.qbrs_expected, 0);
    lc = lifecycle_at(a, "2025-04-01");
    CHECK_EQ_INT(lc.qbrs_expected, 1);
    lc = lifecycle_at(a, "2024-06-01");
    CHECK_EQ_INT(lc.qbrs_expected, 0);
    acc_free(a);
}

/* ---- playbook ------------------------------------------------------------------------------------ */

static void test_playbook_names(void)
{
    const char *known[] = {"stage", "health_alert", "module_below_breadth_target",
                           "no_champion", "qbr_overdue", "kpi_regressed", "kpi_behind",
                           "no_kpi_data", "first_value_pending", "first_value_late",
                           "adoption_low", "support_sla_low", "csat_low",
                           "open_opportunities", "no_kickoff", "no_training"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        CHECK(vp_playbook_signal_known(known[i]));
    CHECK(!vp_playbook_signal_known("Stage"));
    CHECK(!vp_playbook_signal_known(""));
    CHECK(!vp_playbook_signal_known(NULL));
    CHECK_EQ_INT(vp_playbook_stage_parse("implementation"), VP_STAGE_IMPLEMENTATION);
    CHECK_EQ_INT(vp_playbook_stage_parse("rooting"), VP_STAGE_ROOTING);
    CHECK_EQ_INT(vp_playbook_stage_parse("deepening"), VP_STAGE_DEEPENING);
    CHECK_EQ_INT(vp_playbook_stage_parse("renewal"), VP_STAGE_RENEWAL);
    CHECK_EQ_INT(vp_playbook_stage_parse("any"), -1);
    CHECK_EQ_INT(vp_playbook_stage_parse(NULL), -1);
    for (int s = 0; s < VP_STAGE__COUNT; s++) {
        vp_stage back;
        CHECK(vp_stage_parse(vp_stage_name((vp_stage)s), &back) && back == (vp_stage)s);
    }
    CHECK_STR(vp_kpi_status_name(VP_ST_ON_TRACK), "on_track");
    CHECK_STR(vp_kpi_status_name(VP_ST_NO_DATA), "no_data");
    CHECK_STR(vp_tier_name(VP_TIER_MULTI_YEAR), "multi_year");
}

/* An account where every signal is raised. */
static vp_account *troubled(void)
{
    vp_account *a = acc_new("2025-01-01", "2026-06-30", 100000);
    a->go_live_date = D("2025-02-01");
    module_add(a, "FIN", "Finance", 1000);
    module_add(a, "SCM", "Supply chain", 1000);
    module_add(a, "HR", NULL, 1000);
    vp_usage *u = usage_add(a, "2025-Q2", 100, 90, 50);
    share_add(u, "FIN", 0.9);
    share_add(u, "SCM", 0.9);
    share_add(u, "HR", 0.9);
    u = usage_add(a, "2025-Q3", 100, 50, 10);
    share_add(u, "FIN", 0.9);
    share_add(u, "SCM", 0.48);
    support_add(a, "2025-Q2", 99, 5);
    support_add(a, "2025-Q3", 85, 3.2);
    vp_kpi *k = kpi_add(a, "close", "Days to close", "days", VP_DIR_DECREASE, 10, 5);
    actual_add(k, "2025-Q3", 12);
    k = kpi_add(a, "otd", "On-time delivery", "%", VP_DIR_INCREASE, 80, 100);
    k->target_date = D("2025-12-31");
    actual_add(k, "2025-Q3", 81);
    opp_add(a, "MES", 500, VP_OPP_IDENTIFIED);
    opp_add(a, "CRM", 500, VP_OPP_PROPOSED);
    opp_add(a, "WMS", 500, VP_OPP_WON);
    eng_add(a, "2025-04-10", VP_ENG_QBR);
    return a;
}

static void test_playbook_signals(void)
{
    /* One rule per signal, in every stage, with every placeholder in its text. */
    static const char *signals[] = {"stage", "health_alert", "module_below_breadth_target",
                                    "no_champion", "qbr_overdue", "kpi_regressed",
                                    "kpi_behind", "no_kpi_data", "first_value_pending",
                                    "first_value_late", "adoption_low", "support_sla_low",
                                    "csat_low", "open_opportunities", "no_kickoff",
                                    "no_training"};
    enum { N = sizeof signals / sizeof signals[0] };
    vp_playbook_rule rules[N];
    for (size_t i = 0; i < N; i++) {
        memset(&rules[i], 0, sizeof rules[i]);
        rules[i].id = signals[i];
        rules[i].signal = signals[i];
        rules[i].method_action = 1;
        rules[i].priority = 50;
        rules[i].text[EN] = "{module}|{kpi}|{value}|{count}|{held}/{expected}|{days}|{sponsor}|{stage}|{score}";
        rules[i].text[ZH] = rules[i].text[EN];
    }
    rules[N - 1].priority = 1;   /* sorts first */
    vp_playbook_rule *saved = g_tpl->rules;
    size_t saved_n = g_tpl->n_rules;
    g_tpl->rules = rules;
    g_tpl->n_rules = N;

    vp_account *a = troubled();
    vp_report *r = compute(a, "2025-Q3", "2025-10-09", NULL);
    CHECK(r != NULL);
    const vp_lifecycle *lc = &r->lifecycle;
    CHECK_EQ_INT(lc->stage, VP_STAGE_DEEPENING);
    /* Health: adoption .5, stickiness .4, breadth (1 + .8 + 0)/3 = .6, outcomes (0 + .05)/2,
     * support .85, sentiment .55 -> 42.125 -> 42.1; 2025-Q2 (no outcomes): 72.4/75 -> 96.5. */
    CHECK_EQ_DBL(r->health.score, 42.1);
    CHECK_EQ_DBL(r->health.previous, 96.5);
    CHECK_STR(r->health.band->id, "at_risk");
    /* Expected signal texts, in rule order (no_training sorts first by priority). */
    const char *want[][2] = {
        {"no_training", "training_sessions=0"},
        {"stage", "stage=deepening"},
        {"health_alert", "health.alert: 42.1 (" M "54.4 vs 2025-Q2)"},
        {"module_below_breadth_target", "breadth(SCM)=0.48<0.6"},
        {"module_below_breadth_target", "breadth(HR)=0<0.6"},
        {"no_champion", "champions=0"},
        {"qbr_overdue", "qbrs_held=1<qbrs_expected=3"},
        {"kpi_regressed", "kpi(close)=regressed"},
        {"kpi_behind", "kpi(otd)=behind: progress 0.05<expected 0.75"},
        {"first_value_late", "first_value=none, day 250>90"},
        {"adoption_low", "adoption=0.5<0.6"},
        {"support_sla_low", "sla_met_pct=85<90"},
        {"csat_low", "csat=3.2<3.5"},
        {"open_opportunities", "open_opportunities=2"},
        {"no_kickoff", "kickoff=none"},
    };
    size_t n_want = sizeof want / sizeof want[0];
    /* first_value_pending also fires (none done): it sits between late's neighbours. */
    CHECK_EQ_INT(lc->n_actions, n_want + 1);
    size_t j = 0;
    for (size_t i = 0; i < lc->n_actions && j < n_want; i++) {
        const vp_action *act = &lc->actions[i];
        CHECK(strchr(act->text, '{') == NULL);   /* every placeholder filled */
        if (strcmp(act->rule->id, "first_value_pending") == 0) {
            CHECK_STR(act->signal, "first_value=none, day 250");
            CHECK_CONTAINS(act->text, "|250|");
            continue;
        }
        CHECK_STR(act->rule->id, want[j][0]);
        CHECK_STR(act->signal, want[j][1]);
        j++;
    }
    CHECK_EQ_INT(j, n_want);
    const vp_action *act = find_action(r, "module_below_breadth_target");
    CHECK(act && strncmp(act->text, "Supply chain||48%|", 18) == 0);
    act = find_action(r, "qbr_overdue");
    CHECK_CONTAINS(act ? act->text : NULL, "|1/3|");
    CHECK_CONTAINS(act ? act->text : NULL, "|the executive sponsor|Value deepening|42.1");
    act = find_action(r, "kpi_regressed");
    CHECK(act && strncmp(act->text, "|Days to close|", 15) == 0);
    act = find_action(r, "open_opportunities");
    CHECK_CONTAINS(act ? act->text : NULL, "||2|");
    act = find_action(r, "adoption_low");
    CHECK_CONTAINS(act ? act->text : NULL, "|50%|");
    act = find_action(r, "csat_low");
    CHECK_CONTAINS(act ? act->text : NULL, "|3.2|");
    vp_report_free(r);

    /* Nothing raised but the stage for a healthy account; the sponsor's name is used. */
    vp_account *h = hdjm();
    h->locale = EN;
    eng_add(h, "2025-04-10", VP_ENG_QBR);
    eng_add(h, "2025-07-10", VP_ENG_QBR);
    r = compute(h, "2025-Q3", "2025-09-30", NULL);
    CHECK_EQ_INT(r->lifecycle.stage, VP_STAGE_ROOTING);
    for (size_t i = 0; i < r->lifecycle.n_actions; i++) {
        const char *id = r->lifecycle.actions[i].rule->id;
        CHECK(strcmp(id, "stage") == 0 || strcmp(id, "module_below_breadth_target") == 0 ||
              strcmp(id, "open_opportunities") == 0);
    }
    CHECK(find_action(r, "module_below_breadth_target") != NULL);
    act = find_action(r, "stage");
    CHECK_CONTAINS(act ? act->text : NULL, "|\xE5\x91\xA8\xE4\xBC\x9F|Value rooting|87.4");
    vp_report_free(r);
    /* Stage filter: a rule for renewal only does not fire in rooting. */
    rules[0].stages = 1u << VP_STAGE_RENEWAL;
    r = compute(h, "2025-Q3", "2025-09-30", NULL);
    CHECK(find_action(r, "stage") == NULL);
    vp_report_free(r);
    r = compute(h, "2025-Q3", "2025-10-09", NULL);
    act = find_action(r, "stage");
    CHECK_STR(act ? act->signal : NULL, "stage=renewal");
    vp_report_free(r);
    /* No KPI at all; first value pending but inside 90 days. */
    h->n_kpis = 0;
    h->n_milestones = 0;
    r = compute(h, "2025-Q3", "2025-05-01", NULL);
    act = find_action(r, "no_kpi_data");
    CHECK_STR(act ? act->signal : NULL, "kpis=0");
    act = find_action(r, "first_value_pending");
    CHECK_STR(act ? act->signal : NULL, "first_value=none, day 42");
    CHECK(find_action(r, "first_value_late") == NULL);
    vp_report_free(r);
    /* Before go-live the 90-day clock has not started. */
    r = compute(h, "2025-Q3", "2025-03-19", NULL);
    CHECK(find_action(r, "first_value_pending") == NULL);
    vp_report_free(r);
    r = compute(h, "2025-Q3", "2025-03-20", NULL);
    act = find_action(r, "first_value_pending");
    CHECK_STR(act ? act->signal : NULL, "first_value=none, day 0");
    vp_report_free(r);

    g_tpl->rules = saved;
    g_tpl->n_rules = saved_n;
    acc_free(h);
    acc_free(a);
}

/* The shipped playbook.json: SPEC's examples and clean texts in both locales. */
static void test_playbook_shipped_rules(void)
{
    vp_account *a = troubled();
    a->executive_sponsor.name = "Ada Lovelace";
    for (int loc = 0; loc < VP_LOCALE__COUNT; loc++) {
        const char *lname = loc == EN ? "en" : "zh-CN";
        vp_report *r = compute(a, "2025-Q3", "2025-10-09", lname);   /* deepening */
        CHECK(r && r->lifecycle.n_actions > 5);
        for (size_t i = 0; r && i < r->lifecycle.n_actions; i++) {
            const vp_action *act = &r->lifecycle.actions[i];
            CHECK(act->text && *act->text && !strchr(act->text, '{'));
            CHECK(act->signal && *act->signal);
            CHECK(act->rule->method_action >= 1 && act->rule->method_action <= 12);
            if (i > 0)
                CHECK(r->lifecycle.actions[i - 1].rule->priority <= act->rule->priority);
        }
        const vp_action *risk = find_action(r, "risk_plan");
        CHECK(risk != NULL);
        CHECK_CONTAINS(risk ? risk->text : NULL, "Ada Lovelace");
        CHECK(r->lifecycle.actions[0].rule == (risk ? risk->rule : NULL));   /* first */
        const vp_action *tr = find_action(r, "role_training");
        CHECK_CONTAINS(tr ? tr->text : NULL, "Supply chain");
        CHECK(find_action(r, "identify_champions") != NULL);
        CHECK_STR(find_action(r, "schedule_qbr") ? find_action(r, "schedule_qbr")->signal
                                                 : NULL,
                  "qbrs_held=1<qbrs_expected=3");
        CHECK(find_action(r, "formal_qbr") != NULL);
        CHECK(find_action(r, "expansion") != NULL);
        CHECK(find_action(r, "annual_value_report") == NULL);
        vp_report_free(r);
        /* Renewal stage: annual value report, executive dialogue, renewal options. */
        r = compute(a, "2025-Q3", "2026-05-01", lname);
        CHECK_EQ_INT(r->lifecycle.stage, VP_STAGE_RENEWAL);
        CHECK(find_action(r, "annual_value_report") != NULL);
        CHECK(find_action(r, "executive_dialogue") != NULL);
        CHECK(find_action(r, "renewal_options") != NULL);
        CHECK(find_action(r, "formal_qbr") == NULL);
        vp_report_free(r);
    }
    acc_free(a);
}

/* ---- best practices --------------------------------------------------------------------------- */

static void check_practices(const vp_report *r, const char *const *ids, size_t n)
{
    CHECK_EQ_INT(r->n_practices, n);
    for (size_t i = 0; i < n && i < r->n_practices; i++)
        CHECK_STR(r->practices[i]->id, ids[i]);
}

static void test_practices(void)
{
    vp_account *a = hdjm();   /* FIN 0.92, SCM 0.48 (below 0.6) */
    vp_report *r = compute(a, "2025-Q3", "2025-10-09", NULL);
    const char *weak_scm[] = {"scm_mfg", "scm_any", "mfg_generic", "generic"};
    check_practices(r, weak_scm, 4);
    /* at most max, deterministic */
    CHECK_EQ_INT(vp_practices_pick(r, 2), VP_OK);
    check_practices(r, weak_scm, 2);
    CHECK_EQ_INT(vp_practices_pick(r, 0), VP_OK);
    CHECK_EQ_INT(r->n_practices, 0);
    vp_report_free(r);
    /* No module below target: every module, lowest share first. */
    a->usage[0].modules[1].value = 0.7;
    r = compute(a, "2025-Q3", "2025-10-09", NULL);
    const char *all[] = {"scm_mfg", "fin_mfg", "scm_any", "fin_any", "mfg_generic", "generic"};
    check_practices(r, all, 6);
    vp_report_free(r);
    a->usage[0].modules[1].value = 0.95;   /* now FIN is the weaker */
    r = compute(a, "2025-Q3", "2025-10-09", NULL);
    const char *fin_first[] = {"fin_mfg", "scm_mfg", "fin_any", "scm_any", "mfg_generic",
                               "generic"};
    check_practices(r, fin_first, 6);
    vp_report_free(r);
    /* Unknown shares (no usage in P): contract order. */
    r = compute(a, "2025-Q2", "2025-10-09", NULL);
    check_practices(r, fin_first, 6);
    vp_report_free(r);
    /* Another industry: industry-specific entries drop out. */
    a->industry = "retail";
    a->usage[0].modules[1].value = 0.48;
    r = compute(a, "2025-Q3", "2025-10-09", NULL);
    const char *retail[] = {"scm_retail", "scm_any", "generic"};
    check_practices(r, retail, 3);
    vp_report_free(r);
    a->industry = NULL;
    r = compute(a, "2025-Q3", "2025-10-09", NULL);
    const char *anyind[] = {"scm_any", "generic"};
    check_practices(r, anyind, 2);
    vp_report_free(r);
    /* No modules in the contract: industry and generic entries only. */
    a->industry = "discrete_manufacturing";
    a->n_modules = 0;
    r = compute(a, "2025-Q3", "2025-10-09", NULL);
    const char *nomod[] = {"mfg_generic", "generic"};
    check_practices(r, nomod, 2);
    vp_report_free(r);
    acc_free(a);
}

/* ---- the whole report ------------------------------------------------------------------------- */

static void test_report_compute(void)
{
    vp_account *a = hdjm();
    kpi_add(a, "nodata", "No data KPI", NULL, VP_DIR_INCREASE, 1, 2);
    vp_kpi *k = kpi_add(a, "otd", "OTD", "%", VP_DIR_INCREASE, 80, 90);
    k->value_per_unit = 1000.5;
    actual_add(k, "2025-Q3", 91);   /* achieved, value 11 × 1000.5 = 11,005.5 -> 11,006 */
    vp_report *r = compute(a, NULL, "2025-10-09", NULL);
    CHECK_STR(vp_report_period(r), "2025-Q3");
    CHECK_EQ_INT(r->period_start, D("2025-07-01"));
    CHECK_EQ_INT(r->period_end, D("2025-09-30"));
    CHECK_EQ_INT(r->generated, D("2025-10-09"));
    CHECK_EQ_INT(r->locale, ZH);
    CHECK_STR(r->currency, "CNY");
    CHECK_EQ_INT(r->n_kpis, 3);
    CHECK_EQ_INT(r->n_with_data, 2);
    CHECK_EQ_INT(r->n_achieved, 1);
    CHECK_EQ_INT(r->n_on_track, 1);
    CHECK_EQ_INT(r->n_behind + r->n_regressed, 0);
    CHECK_EQ_DBL(r->kpis[2].value, 11006);
    CHECK_EQ_DBL(r->total_value, 960000 + 11006);
    CHECK_EQ_DBL(r->roi, 971006.0 / 1200000.0);
    CHECK(r->kpis[1].status == VP_ST_NO_DATA && r->kpis[1].headline == NULL);
    CHECK_EQ_INT(r->lifecycle.stage, VP_STAGE_RENEWAL);
    CHECK_EQ_INT(r->lifecycle.days_to_renewal, 83);
    CHECK_EQ_INT(r->lifecycle.time_to_first_value_days, 13);
    CHECK(r->lifecycle.first_value_on_time);
    CHECK_EQ_INT(r->renewal.options[r->renewal.recommended].tier, VP_TIER_BUNDLE);
    /* Labels in the report locale. */
    CHECK_STR(vp_stage_label(r, VP_STAGE_RENEWAL), "\xE7\xBB\xAD\xE7\xBA\xA6\xE5\x86\xB3"
                                                   "\xE7\xAD\x96\xE6\x9C\x9F");   /* 续约决策期 */
    vp_report_free(r);

    /* Locale override: the headline follows it. */
    r = compute(a, NULL, "2025-10-09", "en");
    CHECK_EQ_INT(r->locale, EN);
    CHECK_CONTAINS(r->kpis[0].headline, " from 45 to 33");
    CHECK_STR(vp_status_label(r, VP_ST_ON_TRACK), "on track");
    CHECK_STR(vp_band_label(r, r->health.band), "healthy");
    CHECK_STR(vp_band_label(r, NULL), "no data");
    vp_health_band odd = {"critical", 10, "bad"};
    CHECK_STR(vp_band_label(r, &odd), "critical");
    CHECK_STR(vp_health_label(r, VP_H_BREADTH), "Module breadth");
    CHECK_STR(vp_tier_label(r, VP_TIER_STANDARD), "A \xC2\xB7 Standard renewal");
    CHECK(strlen(vp_reason_label(r, VP_REASON_AT_RISK)) > 10);
    vp_report_free(r);

    /* ROI without ARR is not a number. */
    a->arr = 0;
    r = compute(a, "2025-Q3", "2025-10-09", NULL);
    CHECK(isnan(r->roi));
    CHECK_EQ_DBL(r->total_value, 971006);
    vp_report_free(r);
    /* No KPI with data: no value at all, rather than a value of 0. */
    a->arr = 1200000;
    r = compute(a, "2024-Q4", "2025-10-09", NULL);
    CHECK_EQ_INT(r->n_with_data, 0);
    CHECK(isnan(r->total_value) && isnan(r->roi));
    vp_report_free(r);
    acc_free(a);
}

static void test_report_options(void)
{
    vp_account *a = hdjm();
    vp_report *r = (vp_report *)1;
    vp_diag *diag = vp_diag_new();
    const char *msg = NULL;
    vp_compute_options bad_period = {"2025-Q5", "2025-10-09", NULL};
    CHECK_EQ_INT(vp_report_compute(&r, a, g_tpl, &bad_period, diag), VP_ERR_USAGE);
    CHECK(r == NULL);
    CHECK_EQ_INT(vp_diag_errors(diag), 1);
    vp_diag_get(diag, 0, NULL, NULL, NULL, NULL, NULL, &msg);
    CHECK_STR(msg, "--period \"2025-Q5\": expected YYYY-Qn (n 1-4) or YYYY-MM");
    vp_diag_clear(diag);
    vp_compute_options bad_date = {NULL, "2025-02-30", NULL};
    CHECK_EQ_INT(vp_report_compute(&r, a, g_tpl, &bad_date, diag), VP_ERR_USAGE);
    vp_diag_get(diag, 0, NULL, NULL, NULL, NULL, NULL, &msg);
    CHECK_CONTAINS(msg, "--date \"2025-02-30\"");
    vp_diag_clear(diag);
    vp_compute_options bad_locale = {NULL, "2025-10-09", "fr"};
    CHECK_EQ_INT(vp_report_compute(&r, a, g_tpl, &bad_locale, diag), VP_ERR_USAGE);
    vp_diag_get(diag, 0, NULL, NULL, NULL, NULL, NULL, &msg);
    CHECK_STR(msg, "--locale \"fr\": expected en or zh-CN");
    vp_diag_clear(diag);
    /* NULL diag is fine. */
    CHECK_EQ_INT(vp_report_compute(&r, a, g_tpl, &bad_locale, NULL), VP_ERR_USAGE);

    /* The as-of date from SOURCE_DATE_EPOCH (UTC). */
    const char *old = getenv("SOURCE_DATE_EPOCH");
    char *saved = old ? strdup(old) : NULL;
    setenv("SOURCE_DATE_EPOCH", "1760054399", 1);   /* 2025-10-09 23:59:59 UTC */
    CHECK_EQ_INT(vp_report_compute(&r, a, g_tpl, NULL, diag), VP_OK);
    CHECK_EQ_INT(r->generated, D("2025-10-09"));
    CHECK_STR(vp_report_period(r), "2025-Q3");
    vp_report_free(r);
    setenv("SOURCE_DATE_EPOCH", "1760054400", 1);
    CHECK_EQ_INT(vp_report_compute(&r, a, g_tpl, NULL, diag), VP_OK);
    CHECK_EQ_INT(r->generated, D("2025-10-10"));
    vp_report_free(r);
    setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
    CHECK_EQ_INT(vp_report_compute(&r, a, g_tpl, NULL, diag), VP_ERR_USAGE);
    vp_diag_get(diag, 0, NULL, NULL, NULL, NULL, NULL, &msg);
    CHECK_CONTAINS(msg, "SOURCE_DATE_EPOCH");
    if (saved) {
        setenv("SOURCE_DATE_EPOCH", saved, 1);
        free(saved);
    } else {
        unsetenv("SOURCE_DATE_EPOCH");
    }
    vp_diag_free(diag);
    acc_free(a);
}

/* Reports of one account computed in parallel threads agree (no hidden shared state). */
typedef struct job {
    const vp_account *a;
    const char *period;
    double score, total;
    char headline[256];
    size_t n_actions;
    int rc;
} job;

static void *compute_job(void *arg)
{
    job *j = arg;
    for (int i = 0; i < 50; i++) {
        vp_compute_options o = {j->period, "2025-10-09", NULL};
        vp_report *r = NULL;
        j->rc = vp_report_compute(&r, j->a, g_tpl, &o, NULL);
        if (j->rc != VP_OK)
            return NULL;
        j->score = r->health.score;
        j->total = r->total_value;
        j->n_actions = r->lifecycle.n_actions;
        snprintf(j->headline, sizeof j->headline, "%s", r->kpis[0].headline);
        vp_report_free(r);
    }
    return NULL;
}

static void test_report_threads(void)
{
    vp_account *a = hdjm();
    job jobs[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].a = a;
        jobs[i].period = i % 2 ? "2025-Q3" : "2025-Q2";
        pthread_create(&t[i], NULL, compute_job, &jobs[i]);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_INT(jobs[i].rc, VP_OK);
        CHECK_EQ_DBL(jobs[i].score, jobs[i % 2].score);
        CHECK_STR(jobs[i].headline, jobs[i % 2].headline);
        CHECK_EQ_INT(jobs[i].n_actions, jobs[i % 2].n_actions);
    }
    CHECK_EQ_DBL(jobs[1].total, 960000);
    CHECK_EQ_DBL(jobs[0].total, 480000);
    acc_free(a);
}

int main(void)
{
    g_tpl = tpl_load();
    if (!g_tpl) {
        fprintf(stderr, "cannot load the templates\n");
        tpl_unlink();
        return 1;
    }
    RUN(test_kpi_spec_example);
    RUN(test_kpi_no_actuals);
    RUN(test_kpi_baseline_zero);
    RUN(test_kpi_target_equals_baseline);
    RUN(test_kpi_beyond_target_and_regressed);
    RUN(test_kpi_status_pace_and_noise);
    RUN(test_kpi_value_rounding);
    RUN(test_kpi_headlines);
    RUN(test_kpi_mixed_periods);
    RUN(test_kpi_fiscal_and_leap);
    RUN(test_default_period);
    RUN(test_usage_support_for);
    RUN(test_health_components);
    RUN(test_health_component_edges);
    RUN(test_health_outcomes_and_rounding);
    RUN(test_health_previous_and_alert);
    RUN(test_breadth_per_module);
    RUN(test_renewal_spec_example);
    RUN(test_renewal_exact_halves);
    RUN(test_renewal_opportunities_and_recommendation);
    RUN(test_lifecycle_stages);
    RUN(test_lifecycle_first_value_and_qbrs);
    RUN(test_playbook_names);
    RUN(test_playbook_signals);
    RUN(test_playbook_shipped_rules);
    RUN(test_practices);
    RUN(test_report_compute);
    RUN(test_report_options);
    RUN(test_report_threads);
    vp_templates_free(g_tpl);
    tpl_unlink();
    return check_summary();
}
