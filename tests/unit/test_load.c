/* test_load.c — loading and validating account files (lib/model/load.c, json.c). */
#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "model/account.h"

/* A valid account touching most sections; the rejection tests edit one spot of it. */
static const char BASE[] =
    "{\n"
    "  \"$schema\": \"../schema/account.schema.json\",\n"
    "  \"schema\": \"valuepack/account@1\",\n"
    "  \"account\": {\"id\": \"ACME-1\", \"name\": \"Acme\", \"locale\": \"en\", \"fiscal_year_start_month\": 1,\n"
    "              \"team\": {\"csm\": {\"name\": \"Li Na\", \"email\": \"li.na@vendor.example\"}}},\n"
    "  \"contract\": {\"start_date\": \"2025-01-01\", \"end_date\": \"2025-12-31\", \"arr\": 1200000,\n"
    "               \"licensed_users\": 150,\n"
    "               \"modules\": [{\"code\": \"FIN\", \"annual_fee\": 400000}, {\"code\": \"SCM\"}]},\n"
    "  \"kpis\": [\n"
    "    {\"id\": \"inv_days\", \"name\": \"Inventory days\", \"direction\": \"decrease\", \"baseline\": 45, \"target\": 30,\n"
    "     \"module\": \"SCM\", \"baseline_date\": \"2025-01-15\", \"target_date\": \"2025-12-31\",\n"
    "     \"actuals\": [{\"period\": \"2025-Q1\", \"value\": 44}, {\"period\": \"2025-Q2\", \"value\": 39}]},\n"
    "    {\"id\": \"otd\", \"name\": \"On-time delivery\", \"direction\": \"increase\", \"baseline\": 80, \"target\": 95}\n"
    "  ],\n"
    "  \"milestones\": [{\"name\": \"Go live\", \"kind\": \"go_live\", \"due\": \"2025-03-31\", \"kpi\": \"otd\"}],\n"
    "  \"usage\": [{\"period\": \"2025-Q1\", \"active_monthly\": 100, \"modules\": {\"FIN\": 0.5},\n"
    "             \"transactions\": {\"orders\": 10}},\n"
    "            {\"period\": \"2025-Q2\", \"active_monthly\": 110}],\n"
    "  \"support\": [{\"period\": \"2025-Q1\", \"opened\": 3, \"sla_met_pct\": 97, \"csat\": 4.5},\n"
    "              {\"period\": \"2025-Q2\", \"opened\": 4}],\n"
    "  \"training\": [{\"date\": \"2025-04-10\", \"role\": \"Finance\", \"attendees\": 12}],\n"
    "  \"champions\": [{\"name\": \"Wang Min\"}],\n"
    "  \"engagements\": [{\"date\": \"2025-01-08\", \"kind\": \"kickoff\", \"attendees\": [\"Li Na\"]}],\n"
    "  \"opportunities\": [{\"name\": \"Portal\", \"annual_fee\": 150000, \"stage\": \"proposed\"}],\n"
    "  \"renewal\": {\"uplift_pct\": 5, \"bundle_discount_pct\": 10,\n"
    "              \"multi_year\": [{\"years\": 2, \"discount_pct\": 6}], \"quote_valid_days\": 30},\n"
    "  \"plan\": [{\"goal\": \"Faster close\", \"kpi\": \"inv_days\", \"target\": 25, \"by\": \"2026-06-30\"}]\n"
    "}\n";

/* ---- helpers ------------------------------------------------------------------------ */

__attribute__((returns_nonnull, malloc)) static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fputs("test_load: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

/* base with the first occurrence of `from` replaced by `to` (caller frees); NULL when
 * `from` is not in base. */
static char *edit(const char *base, const char *from, const char *to)
{
    const char *at = strstr(base, from);
    if (!at)
        return NULL;
    size_t pre = (size_t)(at - base), nf = strlen(from), nt = strlen(to);
    size_t n = strlen(base) - nf + nt;
    char *out = xmalloc(n + 1);
    memcpy(out, base, pre);
    memcpy(out + pre, to, nt);
    strcpy(out + pre + nt, at + nf);
    return out;
}

/* Line and column (code points, 1-based) of byte `off` of text, skipping a leading BOM. */
static void position(const char *text, size_t off, int *line, int *col)
{
    size_t i = strncmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    *line = 1;
    *col = 1;
    for (; i < off; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            ++*line;
            *col = 1;
        } else if ((c & 0xC0) != 0x80) {
            ++*col;
        }
    }
}

static void dump(const vp_diag *d)
{
    for (size_t i = 0; i < vp_diag_count(d); i++) {
        vp_severity sev;
        const char *path, *msg;
        int line, col;
        vp_diag_get(d, i, &sev, NULL, &path, &line, &col, &msg);
        fprintf(stderr, "    %s%s: %s (%d:%d)\n", sev == VP_SEV_WARNING ? "warning: " : "",
                path ? path : "", msg, line, col);
    }
}

/* Index of the first entry of severity sev at exactly `path` whose message contains
 * `msg`; -1 when none. */
static int find_problem(const vp_diag *d, vp_severity sev, const char *path, const char *msg)
{
    for (size_t i = 0; i < vp_diag_count(d); i++) {
        vp_severity s;
        const char *p, *m;
        vp_diag_get(d, i, &s, NULL, &p, NULL, NULL, &m);
        if (s == sev && strcmp(p ? p : "", path) == 0 && strstr(m, msg))
            return (int)i;
    }
    return -1;
}

/* Load `text`; expect status rc, *out NULL, and an error at `path` whose message contains
 * `msg`, located at the first occurrence of `at` in text (not checked when at is NULL). */
static void reject_text(int tl, const char *text, size_t len, bool strict, int rc_expected,
                        const char *path, const char *msg, const char *at)
{
    vp_diag *d = vp_diag_new();
    vp_account *a = (vp_account *)&d;   /* must be overwritten with NULL */
    vp_load_options o = {.strict = strict, .display_name = "t.json"};
    int rc = vp_account_load_buffer(&a, text, len, &o, d);
    if (rc != rc_expected)
        CHECK_FAIL_AT(__FILE__, tl, "status %d (%s), expected %d (%s)", rc, vp_strerror(rc),
                      rc_expected, vp_strerror(rc_expected));
    if (a != NULL)
        CHECK_FAIL_AT(__FILE__, tl, "*out is not NULL after a failure");
    int i = find_problem(d, VP_SEV_ERROR, path, msg);
    if (i < 0) {
        CHECK_FAIL_AT(__FILE__, tl, "no error at \"%s\" containing \"%s\"; got:", path, msg);
        dump(d);
    } else {
        const char *file;
        int line, col;
        vp_diag_get(d, (size_t)i, NULL, &file, NULL, &line, &col, NULL);
        if (!file || strcmp(file, "t.json") != 0)
            CHECK_FAIL_AT(__FILE__, tl, "file name \"%s\", expected \"t.json\"", file);
        if (at) {
            const char *p = strstr(text, at);
            int el = -1, ec = -1;
            if (p)
                position(text, (size_t)(p - text), &el, &ec);
            if (!p || line != el || col != ec)
                CHECK_FAIL_AT(__FILE__, tl, "%s at line %d, column %d, expected %d:%d", path,
                              line, col, el, ec);
        }
    }
    vp_diag_free(d);
}

/* Edit BASE (from -> to) and expect a rejection as in reject_text. */
static void reject_edit(int tl, const char *from, const char *to, int rc, const char *path,
                        const char *msg, const char *at)
{
    char *text = edit(BASE, from, to);
    if (!text) {
        CHECK_FAIL_AT(__FILE__, tl, "test bug: \"%s\" is not in BASE", from);
        return;
    }
    reject_text(tl, text, strlen(text), false, rc, path, msg, at);
    free(text);
}

#define REJECT(from, to, path, msg, at) \
    reject_edit(__LINE__, (from), (to), VP_ERR_INVALID, (path), (msg), (at))
#define REJECT_RC(rc, from, to, path, msg, at) \
    reject_edit(__LINE__, (from), (to), (rc), (path), (msg), (at))
#define REJECT_TEXT(rc, text, path, msg, at) \
    reject_text(__LINE__, (text), strlen(text), false, (rc), (path), (msg), (at))

/* Load text that must be valid; NULL (and a failed check) otherwise. */
static vp_account *accept_text(int tl, const char *text, vp_diag *d)
{
    vp_account *a = NULL;
    vp_load_options o = {.display_name = "t.json"};
    int rc = vp_account_load_buffer(&a, text, strlen(text), &o, d);
    if (rc != VP_OK || !a) {
        CHECK_FAIL_AT(__FILE__, tl, "status %d (%s), expected VP_OK", rc, vp_strerror(rc));
        dump(d);
    }
    return a;
}
#define ACCEPT(text, d) accept_text(__LINE__, (text), (d))

/* Edit BASE and expect it to load. */
static void accept_edit(int tl, const char *from, const char *to)
{
    char *text = edit(BASE, from, to);
    if (!text) {
        CHECK_FAIL_AT(__FILE__, tl, "test bug: \"%s\" is not in BASE", from);
        return;
    }
    vp_diag *d = vp_diag_new();
    vp_account_free(accept_text(tl, text, d));
    vp_diag_free(d);
    free(text);
}
#define ACCEPT_EDIT(from, to) accept_edit(__LINE__, (from), (to))

static const char *period_str(vp_period p, char buf[8])
{
    vp_period_format(p, buf);
    return buf;
}
#define PERIOD(p) period_str((p), (char[8]){0})

static const char *date_str(vp_date d, char buf[11])
{
    if (d == VP_NO_DATE)
        return "none";
    vp_date_format_iso(d, buf);
    return buf;
}
#define DATE(d) date_str((d), (char[11]){0})

/* ---- valid files -------------------------------------------------------------------- */

static void test_base_is_valid(void)
{
    vp_diag *d = vp_diag_new();
    vp_account *a = ACCEPT(BASE, d);
    CHECK_EQ_INT(vp_diag_count(d), 0);
    if (a) {
        CHECK_STR(vp_account_id(a), "ACME-1");
        CHECK_STR(vp_account_name(a), "Acme");
        CHECK_STR(vp_account_locale(a), "en");
        CHECK_STR(a->source, "t.json");
    }
    vp_account_free(a);
    vp_diag_free(d);
}

/* Every field of tests/data/valid/full.json read back. */
static void test_full_account(void)
{
    vp_diag *d = vp_diag_new();
    vp_account *a = NULL;
    int rc = vp_account_load(&a, TEST_DATA "/valid/full.json", NULL, d);
    CHECK_EQ_INT(rc, VP_OK);
    CHECK_EQ_INT(vp_diag_count(d), 0);
    if (!a) {
        dump(d);
        vp_diag_free(d);
        return;
    }
    CHECK_STR(a->source, TEST_DATA "/valid/full.json");
    CHECK_STR(a->id, "HDJM-0001");
    CHECK_STR(a->name, "华东精密制造有限公司");
    CHECK_STR(a->industry, "discrete_manufacturing");
    CHECK_STR(a->segment, "enterprise");
    CHECK_STR(a->region, "华东");
    CHECK_EQ_INT(a->locale, VP_LOCALE_ZH_CN);
    CHECK_STR(vp_account_locale(a), "zh-CN");
    CHECK_STR(a->currency, "CNY");
    CHECK_EQ_INT(a->fiscal_year_start_month, 4);
    CHECK_STR(a->csm.name, "李娜");
    CHECK_STR(a->csm.email, "li.na@vendor.example");
    CHECK_STR(a->csm.title, "客户成功经理");
    CHECK_STR(a->account_executive.name, "陈刚");
    CHECK_STR(a->account_executive.email, "chen.gang@vendor.example");
    CHECK_STR(a->account_executive.title, "大客户销售");
    CHECK_STR(a->executive_sponsor.name, "周伟");
    CHECK_STR(a->executive_sponsor.email, "zhou.wei@customer.example");
    CHECK_STR(a->executive_sponsor.title, "CFO");

    CHECK_STR(DATE(a->start_date), "2025-01-01");
    CHECK_STR(DATE(a->go_live_date), "2025-03-20");
    CHECK_STR(DATE(a->end_date), "2025-12-31");
    CHECK_EQ_DBL(a->arr, 1200000.5);
    CHECK_EQ_DBL(a->licensed_users, 150);
    CHECK_EQ_INT(a->n_modules, 3);
    if (a->n_modules == 3) {
        CHECK_STR(a->modules[0].code, "FIN");
        CHECK_STR(a->modules[0].name, "财务管理");
        CHECK_EQ_DBL(a->modules[0].annual_fee, 400000);
        CHECK_EQ_DBL(a->modules[0].licensed_users, 60);
        CHECK_STR(a->modules[2].code, "MFG");
        CHECK_EQ_DBL(a->modules[2].annual_fee, 300000.5);
        CHECK(vp_account_module(a, "SCM") == &a->modules[1]);
        CHECK(vp_account_module(a, "scm") == NULL);
    }

    CHECK_EQ_INT(a->n_kpis, 3);
    if (a->n_kpis == 3) {
        const vp_kpi *k = &a->kpis[0];
        CHECK_STR(k->id, "inv_days");
        CHECK_STR(k->name, "库存周转天数");
        CHECK_STR(k->unit, "天");
        CHECK_EQ_INT(k->direction, VP_DIR_DECREASE);
        CHECK_EQ_DBL(k->baseline, 45);
        CHECK_EQ_DBL(k->target, 30);
        CHECK_STR(DATE(k->baseline_date), "2025-01-15");
        CHECK_STR(DATE(k->target_date), "2025-12-31");
        CHECK_STR(k->module, "SCM");
        CHECK_EQ_DBL(k->value_per_unit, 80000);
        /* fiscal year from April: 2024-Q4 (Jan-Mar 2025) < 2025-Q1 < 2025-Q2 */
        CHECK_EQ_INT(k->n_actuals, 3);
        if (k->n_actuals == 3) {
            CHECK_STR(PERIOD(k->actuals[0].period), "2024-Q4");
            CHECK_EQ_DBL(k->actuals[0].value, 44);
            CHECK_STR(PERIOD(k->actuals[1].period), "2025-Q1");
            CHECK_EQ_DBL(k->actuals[1].value, 39);
            CHECK_STR(PERIOD(k->actuals[2].period), "2025-Q2");
            CHECK_EQ_DBL(k->actuals[2].value, 33);
        }
        k = &a->kpis[1];
        CHECK_STR(k->id, "close_days");
        CHECK(k->unit == NULL);
        CHECK(k->module == NULL);
        CHECK(!VP_HAS(k->value_per_unit));
        CHECK_EQ_INT(k->baseline_date, VP_NO_DATE);
        CHECK_EQ_INT(k->target_date, VP_NO_DATE);
        /* 2025-08 < 2025-09 < 2025-Q2 (Jul-Sep: ends with 2025-09, the quarter sorts later) */
        CHECK_EQ_INT(k->n_actuals, 3);
        if (k->n_actuals == 3) {
            CHECK_STR(PERIOD(k->actuals[0].period), "2025-08");
            CHECK_STR(PERIOD(k->actuals[1].period), "2025-09");
            CHECK_STR(PERIOD(k->actuals[2].period), "2025-Q2");
            CHECK_EQ_DBL(k->actuals[2].value, 5.5);
        }
        k = &a->kpis[2];
        CHECK_EQ_INT(k->direction, VP_DIR_INCREASE);
        CHECK_EQ_DBL(k->baseline, 50);
        CHECK_EQ_DBL(k->target, 50);
        CHECK_EQ_INT(k->n_actuals, 0);
        CHECK(vp_account_kpi(a, "auto_rate") == k);
        CHECK(vp_account_kpi(a, "nope") == NULL);
    }

    CHECK_EQ_INT(a->n_milestones, 4);
    if (a->n_milestones == 4) {
        CHECK_STR(a->milestones[0].name, "月结报表自动生成");
        CHECK_EQ_INT(a->milestones[0].kind, VP_MS_QUICK_WIN);
        CHECK_STR(DATE(a->milestones[0].due), "2025-04-15");
        CHECK_STR(DATE(a->milestones[0].done), "2025-04-02");
        CHECK_STR(a->milestones[0].kpi, "close_days");
        CHECK_EQ_INT(a->milestones[1].kind, VP_MS_GO_LIVE);
        CHECK_EQ_INT(a->milestones[2].kind, VP_MS_MILESTONE);   /* default */
        CHECK_EQ_INT(a->milestones[2].done, VP_NO_DATE);
        CHECK(a->milestones[2].kpi == NULL);
        CHECK_EQ_INT(a->milestones[3].kind, VP_MS_OTHER);
        CHECK_EQ_INT(a->milestones[3].due, VP_NO_DATE);
    }

    CHECK_EQ_INT(a->n_usage, 2);
    if (a->n_usage == 2) {
        const vp_usage *u = &a->usage[0];   /* sorted: 2025-Q1 first */
        CHECK_STR(PERIOD(u->period), "2025-Q1");
        CHECK_EQ_DBL(u->active_monthly, 98);
        CHECK_EQ_INT(u->n_modules, 2);
        CHECK_EQ_INT(u->n_transactions, 1);
        u = &a->usage[1];
        CHECK_STR(PERIOD(u->period), "2025-Q2");
        CHECK_EQ_DBL(u->licensed_users, 150);
        CHECK_EQ_DBL(u->active_monthly, 121);
        CHECK_EQ_DBL(u->active_weekly, 96);
        CHECK_EQ_DBL(u->active_daily, 61);
        CHECK(u->has_modules);
        CHECK_EQ_INT(u->n_modules, 3);
        if (u->n_modules == 3) {
            CHECK_STR(u->modules[0].key, "FIN");
            CHECK_EQ_DBL(u->modules[0].value, 0.92);
            CHECK_STR(u->modules[1].key, "SCM");
            CHECK_EQ_DBL(u->modules[1].value, 0.48);
            CHECK_STR(u->modules[2].key, "MFG");
            CHECK_EQ_DBL(u->modules[2].value, 0);
        }
        CHECK_EQ_INT(u->n_transactions, 2);
        if (u->n_transactions == 2) {
            CHECK_STR(u->transactions[0].key, "sales_orders");
            CHECK_EQ_DBL(u->transactions[0].value, 4100);
            CHECK_STR(u->transactions[1].key, "purchase_receipts");
            CHECK_EQ_DBL(u->transactions[1].value, 1500);
        }
    }

    CHECK_EQ_INT(a->n_support, 2);
    if (a->n_support == 2) {
        const vp_support *s = &a->support[1];
        CHECK_STR(PERIOD(a->support[0].period), "2025-Q1");
        CHECK_EQ_DBL(a->support[0].sla_met_pct, 91.5);
        CHECK_STR(PERIOD(s->period), "2025-Q2");
        CHECK_EQ_DBL(s->opened, 31);
        CHECK_EQ_DBL(s->closed, 33);
        CHECK_EQ_DBL(s->p1, 0);
        CHECK(!signbit(s->p1));
        CHECK_EQ_DBL(s->median_resolution_hours, 5.5);
        CHECK_EQ_DBL(s->sla_met_pct, 97);
        CHECK_EQ_DBL(s->csat, 4.6);
    }

    /* by date; the two sessions of 2025-04-10 keep their file order */
    CHECK_EQ_INT(a->n_training, 3);
    if (a->n_training == 3) {
        CHECK_STR(DATE(a->training[0].date), "2025-04-10");
        CHECK_STR(a->training[0].role, "财务");
        CHECK_STR(a->training[0].topic, "如何用系统完成月结");
        CHECK_EQ_DBL(a->training[0].attendees, 12);
        CHECK_STR(a->training[0].module, "FIN");
        CHECK_STR(a->training[1].role, "采购");
        CHECK(a->training[1].module == NULL);
        CHECK_STR(DATE(a->training[2].date), "2025-05-20");
    }

    CHECK_EQ_INT(a->n_champions, 2);
    if (a->n_champions == 2) {
        CHECK_STR(a->champions[0].name, "王敏");
        CHECK_STR(a->champions[0].title, "财务经理");
        CHECK_STR(a->champions[0].department, "财务部");
        CHECK_STR(a->champions[0].note, "内部培训讲师");
        CHECK_STR(a->champions[1].name, "赵强");
        CHECK(a->champions[1].title == NULL);
    }

    CHECK_EQ_INT(a->n_engagements, 7);
    if (a->n_engagements == 7) {
        static const char *const dates[7] = {"2025-01-08", "2025-04-20", "2025-05-20",
                                             "2025-06-01", "2025-06-10", "2025-06-30",
                                             "2025-07-15"};
        static const vp_engagement_kind kinds[7] = {VP_ENG_KICKOFF, VP_ENG_QBR, VP_ENG_TRAINING,
                                                    VP_ENG_EXECUTIVE, VP_ENG_BEST_PRACTICE,
                                                    VP_ENG_OTHER, VP_ENG_QBR};
        for (int i = 0; i < 7; i++) {
            CHECK_STR(DATE(a->engagements[i].date), dates[i]);
            CHECK_EQ_INT(a->engagements[i].kind, kinds[i]);
        }
        const vp_engagement *e = &a->engagements[0];
        CHECK_STR(e->title, "价值启动会");
        CHECK_EQ_INT(e->n_attendees, 2);
        CHECK_EQ_INT(e->n_outcomes, 1);
        if (e->n_attendees == 2 && e->n_outcomes == 1) {
            CHECK_STR(e->attendees[0], "周伟");
            CHECK_STR(e->attendees[1], "李娜");
            CHECK_STR(e->outcomes[0], "确认5项KPI");
        }
        CHECK_EQ_INT(a->engagements[6].n_attendees, 3);
        CHECK_EQ_INT(a->engagements[6].n_outcomes, 2);
        CHECK_EQ_INT(a->engagements[1].n_attendees, 0);
    }

    CHECK_EQ_INT(a->n_opportunities, 3);
    if (a->n_opportunities == 3) {
        const vp_opportunity *o = &a->opportunities[0];
        CHECK_STR(o->module, "SRM");
        CHECK_STR(o->name, "供应商协同门户");
        CHECK_STR(o->pain_point, "供应商交期确认靠电话和邮件");
        CHECK_EQ_DBL(o->annual_fee, 150000);
        CHECK_EQ_INT(o->stage, VP_OPP_PROPOSED);
        CHECK_EQ_INT(a->opportunities[1].stage, VP_OPP_IDENTIFIED);   /* default */
        CHECK_EQ_DBL(a->opportunities[1].annual_fee, 80000.25);
        CHECK(a->opportunities[1].pain_point == NULL);
        CHECK(a->opportunities[2].module == NULL);
        CHECK_EQ_INT(a->opportunities[2].stage, VP_OPP_LOST);
    }

    CHECK(a->renewal.present);
    CHECK_EQ_DBL(a->renewal.uplift_pct, 5);
    CHECK_EQ_DBL(a->renewal.bundle_discount_pct, 10);
    CHECK_EQ_INT(a->renewal.quote_valid_days, 45);
    CHECK_EQ_INT(a->renewal.n_multi_year, 2);
    if (a->renewal.n_multi_year == 2) {   /* sorted by years */
        CHECK_EQ_INT(a->renewal.multi_year[0].years, 2);
        CHECK_EQ_DBL(a->renewal.multi_year[0].discount_pct, 6.5);
        CHECK_EQ_INT(a->renewal.multi_year[1].years, 3);
        CHECK_EQ_DBL(a->renewal.multi_year[1].discount_pct, 10);
    }

    CHECK_EQ_INT(a->n_plan, 2);
    if (a->n_plan == 2) {
        CHECK_STR(a->plan[0].goal, "订单交付周期再缩短20%");
        CHECK_STR(a->plan[0].kpi, "inv_days");
        CHECK_EQ_DBL(a->plan[0].target, 25);
        CHECK_STR(DATE(a->plan[0].by), "2026-06-30");
        CHECK(a->plan[1].kpi == NULL);
        CHECK(!VP_HAS(a->plan[1].target));
        CHECK_EQ_INT(a->plan[1].by, VP_NO_DATE);
    }
    vp_account_free(a);
    vp_diag_free(d);
}

static void test_minimal_defaults(void)
{
    vp_diag *d = vp_diag_new();
    vp_account *a = NULL;
    vp_load_options o = {.display_name = "minimal"};
    CHECK_EQ_INT(vp_account_load(&a, TEST_DATA "/valid/minimal.json", &o, d), VP_OK);
    if (a) {
        CHECK_STR(a->source, "minimal");
        CHECK_EQ_INT(a->locale, VP_LOCALE_EN);
        CHECK_STR(a->currency, "USD");
        CHECK_EQ_INT(a->fiscal_year_start_month, 1);
        CHECK(a->industry == NULL && a->segment == NULL && a->region == NULL);
        CHECK(a->csm.name == NULL && a->csm.email == NULL && a->executive_sponsor.title == NULL);
        CHECK_EQ_INT(a->go_live_date, VP_NO_DATE);
        CHECK(!VP_HAS(a->licensed_users));
        CHECK_EQ_DBL(a->arr, 100000);
        CHECK(a->modules == NULL && a->n_modules == 0);
        CHECK(a->kpis == NULL && a->n_kpis == 0);
        CHECK_EQ_INT(a->n_milestones + a->n_usage + a->n_support + a->n_training +
                     a->n_champions + a->n_engagements + a->n_opportunities + a->n_plan, 0);
        CHECK(!a->renewal.present);
        CHECK_EQ_DBL(a->renewal.uplift_pct, 0);
        CHECK_EQ_DBL(a->renewal.bundle_discount_pct, 0);
        CHECK_EQ_INT(a->renewal.quote_valid_days, 30);
        CHECK_EQ_INT(a->renewal.n_multi_year, 0);
    }
    vp_account_free(a);
    vp_diag_free(d);
}

static void test_defaults(void)
{
    static const char text[] =
        "{\"schema\": \"valuepack/account@1\",\n"
        " \"account\": {\"id\": \"z\", \"name\": \"Z\", \"locale\": \"zh-CN\", \"region\": \"  \"},\n"
        " \"contract\": {\"start_date\": \"2025-01-01\", \"end_date\": \"2025-12-31\", \"arr\": 0},\n"
        " \"kpis\": [{\"id\": \"k\", \"name\": \"K\", \"direction\": \"increase\", \"baseline\": -0,\n"
        "            \"target\": 1, \"unit\": \"\", \"module\": \"ANY\", \"value_per_unit\": null}],\n"
        " \"usage\": [{\"period\": \"2025-01\", \"modules\": {}}, {\"period\": \"2024-12\"}],\n"
        " \"milestones\": [{\"name\": \"m\"}],\n"
        " \"opportunities\": [{\"name\": \"o\"}],\n"
        " \"renewal\": {\"multi_year\": [{\"years\": 5, \"discount_pct\": 12.5}, {\"years\": 2, \"discount_pct\": 0}]}}\n";
    vp_diag *d = vp_diag_new();
    vp_account *a = ACCEPT(text, d);
    CHECK_EQ_INT(vp_diag_count(d), 0);
    if (a) {
        CHECK_STR(a->currency, "CNY");                    /* zh-CN default */
        CHECK(a->region == NULL);                         /* blank optional text = absent */
        CHECK(a->kpis[0].unit == NULL);
        CHECK_STR(a->kpis[0].module, "ANY");              /* no contract.modules: any code */
        CHECK(!VP_HAS(a->kpis[0].value_per_unit));        /* null = absent */
        CHECK_EQ_DBL(a->kpis[0].baseline, 0);
        CHECK(!signbit(a->kpis[0].baseline));             /* -0 read as 0 */
        CHECK_EQ_DBL(a->arr, 0);
        CHECK_EQ_INT(a->milestones[0].kind, VP_MS_MILESTONE);
        CHECK_EQ_INT(a->opportunities[0].stage, VP_OPP_IDENTIFIED);
        CHECK(!VP_HAS(a->opportunities[0].annual_fee));
        CHECK_STR(PERIOD(a->usage[0].period), "2024-12");
        CHECK(!a->usage[0].has_modules);
        CHECK(a->usage[1].has_modules);
        CHECK_EQ_INT(a->usage[1].n_modules, 0);
        CHECK(a->renewal.present);
        CHECK_EQ_DBL(a->renewal.uplift_pct, 0);
        CHECK_EQ_DBL(a->renewal.bundle_discount_pct, 0);
        CHECK_EQ_INT(a->renewal.quote_valid_days, 30);
        CHECK_EQ_INT(a->renewal.multi_year[0].years, 2);
        CHECK_EQ_INT(a->renewal.multi_year[1].years, 5);
        CHECK_EQ_DBL(a->renewal.multi_year[1].discount_pct, 12.5);
    }
    vp_account_free(a);
    vp_diag_free(d);
}

static void test_sorting(void)
{
    static const char text[] =
        "{\"schema\": \"valuepack/account@1\", \"account\": {\"id\": \"s\", \"name\": \"S\"},\n"
        " \"contract\": {\"start_date\": \"2024-01-01\", \"end_date\": \"2025-12-31\", \"arr\": 1},\n"
        " \"kpis\": [{\"id\": \"k\", \"name\": \"K\", \"direction\": \"increase\", \"baseline\": 0, \"target\": 9,\n"
        "   \"actuals\": [{\"period\": \"2025-Q1\", \"value\": 3}, {\"period\": \"2024-Q4\", \"value\": 2},\n"
        "                 {\"period\": \"2025-03\", \"value\": 4}, {\"period\": \"2024-11\", \"value\": 1}]}],\n"
        " \"support\": [{\"period\": \"2025-Q2\"}, {\"period\": \"2025-04\"}, {\"period\": \"2024-Q1\"}],\n"
        " \"training\": [{\"date\": \"2025-02-01\", \"topic\": \"b\"}, {\"date\": \"2025-01-01\", \"topic\": \"a\"},\n"
        "               {\"date\": \"2025-02-01\", \"topic\": \"c\"}, {\"date\": \"2025-02-01\", \"topic\": \"d\"}],\n"
        " \"engagements\": [{\"date\": \"2025-03-01\", \"kind\": \"qbr\", \"title\": \"x\"},\n"
        "                  {\"date\": \"2025-03-01\", \"kind\": \"other\", \"title\": \"y\"},\n"
        "                  {\"date\": \"2024-03-01\", \"kind\": \"kickoff\", \"title\": \"z\"}]}\n";
    vp_diag *d = vp_diag_new();
    vp_account *a = ACCEPT(text, d);
    if (a) {
        const vp_kpi *k = &a->kpis[0];
        CHECK_STR(PERIOD(k->actuals[0].period), "2024-11");
        CHECK_STR(PERIOD(k->actuals[1].period), "2024-Q4");
        CHECK_STR(PERIOD(k->actuals[2].period), "2025-03");
        CHECK_STR(PERIOD(k->actuals[3].period), "2025-Q1");   /* same end as 2025-03: later */
        CHECK_EQ_DBL(k->actuals[3].value, 3);
        CHECK_STR(PERIOD(a->support[0].period), "2024-Q1");
        CHECK_STR(PERIOD(a->support[1].period), "2025-04");
        CHECK_STR(PERIOD(a->support[2].period), "2025-Q2");
        CHECK_STR(a->training[0].topic, "a");
        CHECK_STR(a->training[1].topic, "b");
        CHECK_STR(a->training[2].topic, "c");
        CHECK_STR(a->training[3].topic, "d");
        CHECK_STR(a->engagements[0].title, "z");
        CHECK_STR(a->engagements[1].title, "x");
        CHECK_STR(a->engagements[2].title, "y");
    }
    vp_account_free(a);
    vp_diag_free(d);
}

static void test_bom(void)
{
    size_t n = strlen(BASE);
    char *text = xmalloc(n + 4);
    memcpy(text, "\xEF\xBB\xBF", 3);
    memcpy(text + 3, BASE, n + 1);
    vp_diag *d = vp_diag_new();
    vp_account_free(ACCEPT(text, d));
    vp_diag_free(d);
    free(text);
    /* A problem on line 1 is located without counting the BOM as a column. */
    REJECT_TEXT(VP_ERR_PARSE, "\xEF\xBB\xBF{\"schema\" 1}", "schema", "expected ':'", "1}");
    vp_diag *d2 = vp_diag_new();
    vp_account *a = NULL;
    static const char bad[] = "\xEF\xBB\xBF{\"schema\" 1}";
    vp_account_load_buffer(&a, bad, strlen(bad), NULL, d2);
    int line, col;
    vp_diag_get(d2, 0, NULL, NULL, NULL, &line, &col, NULL);
    CHECK_EQ_INT(line, 1);
    CHECK_EQ_INT(col, 11);
    vp_diag_free(d2);
    /* a BOM anywhere else is not whitespace */
    REJECT_TEXT(VP_ERR_PARSE, "{\"schema\":\xEF\xBB\xBF 1}", "schema", "expected a value", "\xEF");
}

/* ---- rejections required by SPEC §2 ------------------------------------------------- */

static void test_malformed_json(void)
{
    /* positions written out by hand for the first few */
    static const char t1[] = "{\n  \"schema\": \"valuepack/account@1\",\n}";
    vp_diag *d = vp_diag_new();
    vp_account *a = NULL;
    CHECK_EQ_INT(vp_account_load_buffer(&a, t1, strlen(t1), NULL, d), VP_ERR_PARSE);
    CHECK(a == NULL);
    CHECK_EQ_INT(vp_diag_errors(d), 1);
    if (vp_diag_count(d) == 1) {
        const char *file, *msg;
        int line, col;
        vp_diag_get(d, 0, NULL, &file, NULL, &line, &col, &msg);
        CHECK_STR(file, "<memory>");
        CHECK_CONTAINS(msg, "trailing comma");
        CHECK_EQ_INT(line, 3);
        CHECK_EQ_INT(col, 1);
    }
    vp_diag_free(d);

    REJECT_RC(VP_ERR_PARSE, "\"arr\": 1200000,", "\"arr\": 1200000", "contract.arr",
              "expected ',' or '}' after a field, got '\"'", "\"licensed_users\"");
    REJECT_TEXT(VP_ERR_PARSE, "{\"schema\": \"valuepack/acc", "schema", "unterminated string",
                "\"valuepack");
    REJECT_RC(VP_ERR_PARSE, "\"arr\": 1200000", "\"arr\": 012", "contract.arr",
              "leading zeros", "012");
    REJECT_RC(VP_ERR_PARSE, "\"arr\": 1200000", "\"arr\": 1.", "contract.arr",
              "a digit after the decimal point", "1.,");
    REJECT_RC(VP_ERR_PARSE, "\"arr\": 1200000", "\"arr\": NaN", "contract.arr",
              "NaN and Infinity", "NaN");
    REJECT_RC(VP_ERR_PARSE, "\"arr\": 1200000", "\"arr\": Infinity", "contract.arr",
              "NaN and Infinity", "Infinity");
    REJECT_RC(VP_ERR_PARSE, "\"arr\": 1200000", "\"arr\": -Infinity", "contract.arr",
              "NaN and Infinity", "-Infinity");
    REJECT_RC(VP_ERR_PARSE, "\"arr\": 1200000", "\"arr\": '1'", "contract.arr",
              "single quotes", "'1'");
    REJECT_RC(VP_ERR_PARSE, "\"arr\": 1200000", "\"arr\": 30%", "contract.arr",
              "got '%'", "%");
    REJECT_RC(VP_ERR_PARSE, "\"arr\": 1200000", "\"arr\": yes", "contract.arr",
              "unexpected 'yes'", "yes");
    REJECT_RC(VP_ERR_PARSE, "{\"code\": \"SCM\"}]", "{\"code\": \"SCM\"},]", "contract.modules",
              "trailing comma before ']'", "]},\n  \"kpis\"");
    REJECT_RC(VP_ERR_PARSE, "\"licensed_users\": 150,", "licensed_users: 150,", "contract",
              "expected a field name in double quotes, got 'l'", "licensed_users: ");
    REJECT_RC(VP_ERR_PARSE, "\"licensed_users\": 150,", "// users\n \"licensed_users\": 150,",
              "contract", "expected a field name", "// users");
    REJECT_RC(VP_ERR_PARSE, "\"name\": \"Acme\"", "\"name\": \"Ac\\qme\"", "account.name",
              "invalid escape", "\\q");
    REJECT_RC(VP_ERR_PARSE, "\"name\": \"Acme\"", "\"name\": \"Ac\\u12G4\"", "account.name",
              "invalid \\u escape", "\\u12G4");
    REJECT_RC(VP_ERR_PARSE, "\"name\": \"Acme\"", "\"name\": \"\\uD83D!\"", "account.name",
              "lone UTF-16 surrogate", "\\uD83D!");
    REJECT_RC(VP_ERR_PARSE, "\"name\": \"Acme\"", "\"name\": \"\\uDE00\"", "account.name",
              "lone UTF-16 surrogate", "\\uDE00");
    REJECT_RC(VP_ERR_PARSE, "\"name\": \"Acme\"", "\"name\": \"A\tcme\"", "account.name",
              "control character U+0009", "\tcme");
    REJECT_RC(VP_ERR_PARSE, "\"name\": \"Acme\"", "\"name\": \"Ac\nme\"", "account.name",
              "unterminated string: a line break", "\"Ac\n");
    REJECT_RC(VP_ERR_PARSE, "\"target\": 95}", "\"target\": 95", "kpis[1].target",
              "expected ',' or '}' after a field, got ']'", "],\n  \"milestones\"");
    REJECT_TEXT(VP_ERR_PARSE, "{\"schema\": \"valuepack/account@1\"} {}", "",
                "after the end of the JSON value", "{}");
    REJECT_TEXT(VP_ERR_PARSE, "{\"schema\": \"valuepack/account@1\"", "schema",
                "expected ',' or '}' after a field, got the end of the file", NULL);
    REJECT_TEXT(VP_ERR_PARSE, "[1, 2", "[1]", "got the end of the file", NULL);
    /* a surrogate pair is fine */
    ACCEPT_EDIT("\"name\": \"Acme\"", "\"name\": \"Acme \\uD83D\\uDE00 \\u00e9\\/\"");
}

static void test_empty_file(void)
{
    REJECT_TEXT(VP_ERR_PARSE, "", "", "the file is empty", NULL);
    REJECT_TEXT(VP_ERR_PARSE, "  \n\t\n", "", "the file is empty", NULL);
    REJECT_TEXT(VP_ERR_PARSE, "\xEF\xBB\xBF", "", "the file is empty", NULL);
    vp_diag *d = vp_diag_new();
    vp_account *a = NULL;
    CHECK_EQ_INT(vp_account_load_buffer(&a, NULL, 0, NULL, d), VP_ERR_PARSE);
    CHECK(a == NULL);
    int line = 0;
    if (vp_diag_count(d) == 1)
        vp_diag_get(d, 0, NULL, NULL, NULL, &line, NULL, NULL);
    CHECK_EQ_INT(line, 1);
    vp_diag_free(d);
}

static void test_wrong_type(void)
{
    REJECT("\"arr\": 1200000", "\"arr\": \"30%\"", "contract.arr",
           "expected an amount of 0 or more with at most 2 decimals, got \"30%\"", "\"30%\"");
    REJECT("\"baseline\": 45", "\"baseline\": \"45\"", "kpis[0].baseline",
           "expected a number, got \"45\"", "\"45\"");
    REJECT("\"name\": \"Acme\"", "\"name\": 42", "account.name",
           "expected the customer's name, got 42", "42");
    REJECT("\"kpis\": [", "\"kpis\": \"none\", \"old_kpis\": [", "kpis",
           "expected a list of KPIs [{\"id\": ...}], got \"none\"", "\"none\"");
    REJECT("\"due\": \"2025-03-31\"", "\"due\": 20250331", "milestones[0].due",
           "expected a date \"YYYY-MM-DD\", got 20250331", "20250331");
    REJECT("\"period\": \"2025-Q1\", \"value\": 44", "\"period\": 2025, \"value\": 44",
           "kpis[0].actuals[0].period", "got 2025", "2025,");
    REJECT("\"account\": {", "\"account\": 7, \"old_account\": {", "account",
           "expected an object {\"id\": ..., \"name\": ...} describing the customer, got 7",
           "7, ");
    REJECT("{\"name\": \"Wang Min\"}", "\"Wang Min\"", "champions[0]",
           "expected an object {\"name\": ..., \"title\": ...}, got \"Wang Min\"", "\"Wang Min\"");
    REJECT("\"attendees\": [\"Li Na\"]", "\"attendees\": [\"Li Na\", 7]",
           "engagements[0].attendees[1]", "expected text, got 7", "7]");
    REJECT("\"modules\": {\"FIN\": 0.5}", "\"modules\": [0.5]", "usage[0].modules",
           "expected an object {\"FIN\": 0.92, ...} of module shares, got an array", "[0.5]");
    REJECT("\"csat\": 4.5", "\"csat\": true", "support[0].csat", "got true", "true");
    {   /* reported once, not once per check of the field */
        char *t = edit(BASE, "\"actuals\": [", "\"actuals\": 5, \"x\": [");
        vp_diag *d = vp_diag_new();
        vp_account *a = NULL;
        CHECK_EQ_INT(vp_account_load_buffer(&a, t, strlen(t), NULL, d), VP_ERR_INVALID);
        CHECK_EQ_INT(vp_diag_errors(d), 1);
        CHECK(find_problem(d, VP_SEV_ERROR, "kpis[0].actuals", "expected a list of actuals") >= 0);
        vp_diag_free(d);
        free(t);
    }
    REJECT("\"locale\": \"en\"", "\"locale\": false", "account.locale",
           "expected one of: en, zh-CN, got false", "false");
    /* the top level */
    REJECT_TEXT(VP_ERR_INVALID, "[1, 2]", "", "expected a JSON object", "[1");
    REJECT_TEXT(VP_ERR_INVALID, "\"valuepack/account@1\"", "", "got \"valuepack/account@1\"", "\"");
}

static void test_missing_required(void)
{
    static const struct { const char *from, *to, *path, *at; } cases[] = {
        {"\"schema\": \"valuepack/account@1\",", "", "schema", "{\n"},
        {"\"account\": {\"id\": \"ACME-1\", ", "\"accountx\": {\"id\": \"ACME-1\", ", "account", "{\n"},
        {"\"id\": \"ACME-1\", ", "", "account.id", "{\"name\": \"Acme\""},
        {"\"name\": \"Acme\", ", "", "account.name", "{\"id\": \"ACME-1\""},
        {"\"contract\": {", "\"contractx\": {", "contract", "{\n"},
        {"\"start_date\": \"2025-01-01\", ", "", "contract.start_date", "{\"end_date\""},
        {"\"end_date\": \"2025-12-31\", \"arr\"", "\"arr\"", "contract.end_date", "{\"start_date\""},
        {"\"arr\": 1200000,", "", "contract.arr", "{\"start_date\""},
        {"\"id\": \"inv_days\", ", "", "kpis[0].id", "{\"name\": \"Inventory days\""},
        {"\"name\": \"Inventory days\", ", "", "kpis[0].name", "{\"id\": \"inv_days\""},
        {"\"direction\": \"decrease\", ", "", "kpis[0].direction", "{\"id\": \"inv_days\""},
        {"\"baseline\": 45, ", "", "kpis[0].baseline", "{\"id\": \"inv_days\""},
        {"\"target\": 30,", "", "kpis[0].target", "{\"id\": \"inv_days\""},
        {"{\"period\": \"2025-Q1\", \"value\": 44}", "{\"value\": 44}",
         "kpis[0].actuals[0].period", "{\"value\": 44}"},
        {"{\"period\": \"2025-Q1\", \"value\": 44}", "{\"period\": \"2025-Q1\"}",
         "kpis[0].actuals[0].value", "{\"period\": \"2025-Q1\"}"},
        {"{\"code\": \"SCM\"}", "{\"name\": \"SCM\"}", "contract.modules[1].code", "{\"name\": \"SCM\"}"},
        {"{\"name\": \"Go live\", ", "{", "milestones[0].name", "{\"kind\": \"go_live\""},
        {"{\"period\": \"2025-Q2\", \"active_monthly\": 110}", "{\"active_monthly\": 110}",
         "usage[1].period", "{\"active_monthly\": 110}"},
        {"{\"period\": \"2025-Q2\", \"opened\": 4}", "{\"opened\": 4}", "support[1].period",
         "{\"opened\": 4}"},
        {"{\"date\": \"2025-04-10\", ", "{", "training[0].date", "{\"role\": \"Finance\""},
        {"{\"name\": \"Wang Min\"}", "{\"title\": \"Wang Min\"}", "champions[0].name",
         "{\"title\": \"Wang Min\"}"},
        {"{\"date\": \"2025-01-08\", ", "{", "engagements[0].date", "{\"kind\": \"kickoff\""},
        {"\"kind\": \"kickoff\", ", "", "engagements[0].kind", "{\"date\": \"2025-01-08\""},
        {"{\"name\": \"Portal\", ", "{", "opportunities[0].name", "{\"annual_fee\": 150000"},
        {"{\"years\": 2, ", "{", "renewal.multi_year[0].years", "{\"discount_pct\": 6}"},
        {", \"discount_pct\": 6}", "}", "renewal.multi_year[0].discount_pct", "{\"years\": 2}"},
        {"{\"goal\": \"Faster close\", ", "{", "plan[0].goal", "{\"kpi\": \"inv_days\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        REJECT(cases[i].from, cases[i].to, cases[i].path, "required field is missing",
               cases[i].at);
    /* null in a required field is not "given" */
    REJECT("\"arr\": 1200000", "\"arr\": null", "contract.arr",
           "null, expected an amount of 0 or more", "null");
    /* blank required text */
    REJECT("\"name\": \"Inventory days\"", "\"name\": \" \"", "kpis[0].name",
           "empty text, expected the KPI's name", "\" \"");
}

static void test_schema_id(void)
{
    REJECT("\"valuepack/account@1\"", "\"valuepack/account@2\"", "schema",
           "unknown schema \"valuepack/account@2\", expected \"valuepack/account@1\"",
           "\"valuepack/account@2\"");
    REJECT("\"valuepack/account@1\"", "\"Valuepack/account@1\"", "schema", "unknown schema",
           "\"Valuepack");
    REJECT("\"valuepack/account@1\"", "1", "schema", "expected \"valuepack/account@1\", got 1",
           "1,\n  \"account\"");
}

static void test_dates(void)
{
    REJECT("\"end_date\": \"2025-12-31\"", "\"end_date\": \"2025-02-30\"", "contract.end_date",
           "impossible date \"2025-02-30\", expected YYYY-MM-DD", "\"2025-02-30\"");
    REJECT("\"start_date\": \"2025-01-01\"", "\"start_date\": \"2025-13-01\"",
           "contract.start_date", "impossible date \"2025-13-01\"", "\"2025-13-01\"");
    REJECT("\"due\": \"2025-03-31\"", "\"due\": \"2025-04-31\"", "milestones[0].due",
           "impossible date", "\"2025-04-31\"");
    REJECT("\"by\": \"2026-06-30\"", "\"by\": \"2026/06/30\"", "plan[0].by",
           "invalid date \"2026/06/30\", expected YYYY-MM-DD", "\"2026/06/30\"");
    REJECT("\"date\": \"2025-04-10\"", "\"date\": \"2025-4-10\"", "training[0].date",
           "invalid date", "\"2025-4-10\"");
    ACCEPT_EDIT("\"due\": \"2025-03-31\"", "\"due\": \"2028-02-29\"");
    REJECT("\"due\": \"2025-03-31\"", "\"due\": \"2100-02-29\"", "milestones[0].due",
           "impossible date", "\"2100");
    /* end_date before start_date; the same day is not a contract either */
    REJECT("\"end_date\": \"2025-12-31\"", "\"end_date\": \"2024-12-31\"", "contract.end_date",
           "end_date 2024-12-31 is before start_date 2025-01-01", "\"2024-12-31\"");
    REJECT("\"end_date\": \"2025-12-31\"", "\"end_date\": \"2025-01-01\"", "contract.end_date",
           "the same day as start_date", "\"2025-01-01\", \"arr\"");
}

static void test_negative_amounts(void)
{
    REJECT("\"arr\": 1200000", "\"arr\": -1200000", "contract.arr",
           "negative amount -1200000, expected an amount of 0 or more", "-1200000");
    REJECT("\"annual_fee\": 400000", "\"annual_fee\": -1", "contract.modules[0].annual_fee",
           "negative amount -1", "-1}");
    REJECT("\"annual_fee\": 150000", "\"annual_fee\": -150000",
           "opportunities[0].annual_fee", "negative amount", "-150000");
    REJECT("\"licensed_users\": 150", "\"licensed_users\": -150", "contract.licensed_users",
           "negative count -150, expected a whole number, 0 or more", "-150");
    REJECT("\"active_monthly\": 100", "\"active_monthly\": -5", "usage[0].active_monthly",
           "negative count", "-5");
    REJECT("\"opened\": 3", "\"opened\": -3", "support[0].opened", "negative count", "-3,");
    REJECT("\"attendees\": 12", "\"attendees\": -12", "training[0].attendees",
           "negative count", "-12}");
    REJECT("\"orders\": 10", "\"orders\": -10", "usage[0].transactions.orders",
           "negative count", "-10}");
    REJECT("\"attendees\": 12", "\"attendees\": 12.5", "training[0].attendees",
           "count 12.5 is not a whole number", "12.5");
    REJECT("\"opened\": 3", "\"opened\": 3, \"median_resolution_hours\": -1",
           "support[0].median_resolution_hours", "negative number of hours", "-1, \"sla");
    REJECT("\"target\": 30,", "\"target\": 30, \"value_per_unit\": -8,", "kpis[0].value_per_unit",
           "negative amount -8", "-8");
    ACCEPT_EDIT("\"arr\": 1200000", "\"arr\": 0");
}

static void test_money_limits(void)
{
    REJECT("\"arr\": 1200000", "\"arr\": 1200000.123", "contract.arr",
           "amount 1200000.123 has more than 2 decimals", "1200000.123");
    REJECT("\"annual_fee\": 150000", "\"annual_fee\": 0.001", "opportunities[0].annual_fee",
           "more than 2 decimals", "0.001");
    REJECT("\"arr\": 1200000", "\"arr\": 1000000000000.01", "contract.arr",
           "is above the limit of 1000000000000", "1000000000000.01");
    REJECT("\"arr\": 1200000", "\"arr\": 2e12", "contract.arr", "above the limit", "2e12");
    ACCEPT_EDIT("\"arr\": 1200000", "\"arr\": 1000000000000");
    ACCEPT_EDIT("\"arr\": 1200000", "\"arr\": 999999999999.99");
    ACCEPT_EDIT("\"arr\": 1200000", "\"arr\": 0.07");
    ACCEPT_EDIT("\"arr\": 1200000", "\"arr\": 1.2e6");
    REJECT("\"baseline\": 45", "\"baseline\": 2e15", "kpis[0].baseline",
           "above the limit of 1000000000000000", "2e15");
}

static void test_shares_and_ranges(void)
{
    REJECT("\"FIN\": 0.5", "\"FIN\": 1.2", "usage[0].modules.FIN",
           "share 1.2 is above 1, expected a share from 0 to 1", "1.2");
    REJECT("\"FIN\": 0.5", "\"FIN\": -0.1", "usage[0].modules.FIN", "negative share -0.1",
           "-0.1");
    REJECT("\"FIN\": 0.5", "\"FIN\": \"50%\"", "usage[0].modules.FIN",
           "expected a share from 0 to 1, such as 0.92 for 92%, got \"50%\"", "\"50%\"");
    REJECT("\"FIN\": 0.5", "\"FIN\": null", "usage[0].modules.FIN", "null, expected a share",
           "null");
    ACCEPT_EDIT("\"FIN\": 0.5", "\"FIN\": 1");
    ACCEPT_EDIT("\"FIN\": 0.5", "\"FIN\": 0");
    REJECT("\"csat\": 4.5", "\"csat\": 5.1", "support[0].csat",
           "rating 5.1 is above 5, expected a satisfaction rating from 1 to 5", "5.1");
    REJECT("\"csat\": 4.5", "\"csat\": 0", "support[0].csat", "rating 0 is below 1",
           "0},\n              {\"period\": \"2025-Q2\"");
    REJECT("\"sla_met_pct\": 97", "\"sla_met_pct\": 100.5", "support[0].sla_met_pct",
           "percentage 100.5 is above 100, expected a percentage from 0 to 100", "100.5");
    REJECT("\"sla_met_pct\": 97", "\"sla_met_pct\": -1", "support[0].sla_met_pct",
           "negative percentage -1", "-1,");
    ACCEPT_EDIT("\"csat\": 4.5", "\"csat\": 1");
    ACCEPT_EDIT("\"sla_met_pct\": 97", "\"sla_met_pct\": 100");
}

static void test_target_side(void)
{
    REJECT("\"target\": 30,", "\"target\": 50,", "kpis[0].target",
           "target 50 is above the baseline 45 but direction is \"decrease\", expected a "
           "target at or below the baseline", "50,\n     \"module\"");
    REJECT("\"target\": 95}", "\"target\": 79.5}", "kpis[1].target",
           "target 79.5 is below the baseline 80 but direction is \"increase\", expected a "
           "target at or above the baseline", "79.5");
    ACCEPT_EDIT("\"target\": 30,", "\"target\": 45,");   /* equal is allowed */
    ACCEPT_EDIT("\"target\": 95}", "\"target\": 80}");
}

static void test_duplicate_kpi_ids(void)
{
    REJECT("{\"id\": \"otd\"", "{\"id\": \"inv_days\"", "kpis[1].id",
           "KPI id \"inv_days\" appears twice (also kpis[0]), expected each KPI id once",
           "\"inv_days\", \"name\": \"On-time");
}

static void test_account_id(void)
{
    REJECT("\"id\": \"ACME-1\"", "\"id\": \"ACME 1\"", "account.id",
           "invalid account id \"ACME 1\", expected 1 to 64 characters from A-Z a-z 0-9 . _ -",
           "\"ACME 1\"");
    REJECT("\"id\": \"ACME-1\"", "\"id\": \"\"", "account.id", "invalid account id", "\"\",");
    REJECT("\"id\": \"ACME-1\"", "\"id\": \"../etc\"", "account.id", "invalid account id",
           "\"../etc\"");
    REJECT("\"id\": \"ACME-1\"", "\"id\": \"客户1\"", "account.id", "invalid account id",
           "\"客户1\"");
    REJECT("\"id\": \"ACME-1\"", "\"id\": 17", "account.id", "expected an account id", "17,");
    char id64[80] = "\"id\": \"", id65[80];
    memset(id64 + 7, 'a', 64);
    strcpy(id64 + 71, "\"");
    memcpy(id65, id64, sizeof id65);
    strcpy(id65 + 71, "b\"");
    ACCEPT_EDIT("\"id\": \"ACME-1\"", id64);
    REJECT("\"id\": \"ACME-1\"", id65, "account.id", "invalid account id", "\"aaaa");
    ACCEPT_EDIT("\"id\": \"ACME-1\"", "\"id\": \"a.B_c-9\"");
}

static void test_non_finite(void)
{
    REJECT("\"baseline\": 45", "\"baseline\": 1e400", "kpis[0].baseline",
           "number 1e400 is out of range, expected a finite number", "1e400");
    REJECT("\"arr\": 1200000", "\"arr\": -1e400", "contract.arr", "out of range", "-1e400");
    /* also where no field is read: an unknown field */
    REJECT("\"arr\": 1200000", "\"arr\": 1200000, \"x\": 1E+999", "contract.x", "out of range",
           "1E+999");
    ACCEPT_EDIT("\"baseline\": 80", "\"baseline\": 1e-400");   /* underflow is 0 */
}

/* ---- further rejections ------------------------------------------------------------- */

static void test_invalid_utf8(void)
{
    REJECT_RC(VP_ERR_PARSE, "\"name\": \"Acme\"", "\"name\": \"Ac\xFFme\"", "account.name",
              "invalid UTF-8 (byte 0xFF)", "\xFF");
    /* GBK-encoded text (as saved by some editors): 0xC4 0xE3 is not UTF-8 */
    REJECT_RC(VP_ERR_PARSE, "\"name\": \"Acme\"", "\"name\": \"\xC4\xE3\xBA\xC3\"",
              "account.name", "invalid UTF-8 (byte 0xC4)", "\xC4");
    /* overlong encoding and an encoded surrogate */
    REJECT_RC(VP_ERR_PARSE, "\"name\": \"Acme\"", "\"name\": \"\xC0\xAF\"", "account.name",
              "invalid UTF-8", "\xC0");
    REJECT_RC(VP_ERR_PARSE, "\"name\": \"Acme\"", "\"name\": \"\xED\xA0\x80\"", "account.name",
              "invalid UTF-8", "\xED");
    /* outside strings */
    REJECT_RC(VP_ERR_PARSE, "\"arr\": 1200000", "\"arr\": \xFE", "contract.arr",
              "invalid UTF-8 (byte 0xFE)", "\xFE");
    /* columns count code points: 中文 before the bad byte are two columns */
    REJECT_TEXT(VP_ERR_PARSE, "{\"schema\": \"valuepack/account@1\",\n \"a\": \"中文\xFF\"}", "a",
                "invalid UTF-8", "\xFF");
    vp_diag *d = vp_diag_new();
    vp_account *a = NULL;
    static const char t[] = "{\n \"a\": \"中文\xFF\"}";
    CHECK_EQ_INT(vp_account_load_buffer(&a, t, strlen(t), NULL, d), VP_ERR_PARSE);
    int line = 0, col = 0;
    if (vp_diag_count(d))
        vp_diag_get(d, 0, NULL, NULL, NULL, &line, &col, NULL);
    CHECK_EQ_INT(line, 2);
    CHECK_EQ_INT(col, 10);   /* ' "a": "' is 7 columns, 中 8, 文 9, the bad byte 10 */
    vp_diag_free(d);
}

static void test_duplicate_keys(void)
{
    REJECT("\"arr\": 1200000,", "\"arr\": 1200000, \"arr\": 1,", "contract.arr",
           "field \"arr\" appears twice (first at line 6, column", "\"arr\": 1,");
    REJECT("\"FIN\": 0.5", "\"FIN\": 0.5, \"FIN\": 0.6", "usage[0].modules.FIN", "appears twice",
           "\"FIN\": 0.6");
    REJECT("\"schema\": \"valuepack/account@1\",",
           "\"schema\": \"valuepack/account@1\", \"schema\": \"valuepack/account@1\",", "schema",
           "appears twice", "\"schema\": \"valuepack/account@1\",\n");
    /* a big object: the sorted check */
    char *text = xmalloc(40000);
    size_t n = (size_t)sprintf(text, "{\"schema\": \"valuepack/account@1\", \"extra\": {");
    for (int i = 0; i < 500; i++)
        n += (size_t)sprintf(text + n, "\"k%d\": %d, ", i, i);
    n += (size_t)sprintf(text + n, "\"k250\": 0}}");
    reject_text(__LINE__, text, n, false, VP_ERR_INVALID, "extra.k250",
                "field \"k250\" appears twice", "\"k250\": 0}");
    free(text);
}

static void test_nul_in_string(void)
{
    REJECT("\"name\": \"Acme\"", "\"name\": \"Ac\\u0000me\"", "account.name",
           "string contains a NUL character (\\u0000), expected text without NUL", "\\u0000");
    REJECT("\"role\": \"Finance\"", "\"role\": \"\\u0000\"", "training[0].role", "NUL",
           "\\u0000");
    REJECT("\"orders\": 10", "\"ord\\u0000ers\": 10", "usage[0].transactions",
           "field name contains a NUL character", "\\u0000");
    /* a NUL in the id is reported once, not also as an invalid id */
    char *text = edit(BASE, "\"ACME-1\"", "\"ACME\\u00001\"");
    vp_diag *d = vp_diag_new();
    vp_account *a = NULL;
    CHECK_EQ_INT(vp_account_load_buffer(&a, text, strlen(text), NULL, d), VP_ERR_INVALID);
    CHECK_EQ_INT(vp_diag_errors(d), 1);
    vp_diag_free(d);
    free(text);
    /* a raw NUL byte is a control character */
    static const char raw[] = "{\"schema\": \"valuepack/acc\0ount@1\"}";
    reject_text(__LINE__, raw, sizeof raw - 1, false, VP_ERR_PARSE, "schema",
                "control character U+0000", NULL);
}

static void test_locale_currency_fy(void)
{
    REJECT("\"locale\": \"en\"", "\"locale\": \"fr\"", "account.locale",
           "unknown locale \"fr\", expected one of: en, zh-CN", "\"fr\"");
    REJECT("\"locale\": \"en\"", "\"locale\": \"zh-cn\"", "account.locale", "unknown locale",
           "\"zh-cn\"");
    REJECT("\"locale\": \"en\"", "\"locale\": \"en\", \"currency\": \"rmb\"", "account.currency",
           "invalid currency \"rmb\", expected a 3-letter ISO 4217 code in capitals", "\"rmb\"");
    REJECT("\"locale\": \"en\"", "\"locale\": \"en\", \"currency\": \"EURO\"", "account.currency",
           "invalid currency", "\"EURO\"");
    REJECT("\"locale\": \"en\"", "\"locale\": \"en\", \"currency\": 156", "account.currency",
           "expected a 3-letter currency code", "156");
    ACCEPT_EDIT("\"locale\": \"en\"", "\"locale\": \"en\", \"currency\": \"EUR\"");
    REJECT("\"fiscal_year_start_month\": 1", "\"fiscal_year_start_month\": 13",
           "account.fiscal_year_start_month", "month 13 is above 12, expected a whole number "
           "from 1 to 12", "13");
    REJECT("\"fiscal_year_start_month\": 1", "\"fiscal_year_start_month\": 0",
           "account.fiscal_year_start_month", "month 0 is below 1", "0,");
    REJECT("\"fiscal_year_start_month\": 1", "\"fiscal_year_start_month\": 4.5",
           "account.fiscal_year_start_month", "not a whole number", "4.5");
    REJECT("\"fiscal_year_start_month\": 1", "\"fiscal_year_start_month\": \"4\"",
           "account.fiscal_year_start_month", "got \"4\"", "\"4\"");
    ACCEPT_EDIT("\"fiscal_year_start_month\": 1", "\"fiscal_year_start_month\": 12.0");
    REJECT("\"email\": \"li.na@vendor.example\"", "\"email\": \"li.na\"",
           "account.team.csm.email", "invalid e-mail address \"li.na\", expected "
           "name@example.com", "\"li.na\"");
}

static void test_periods(void)
{
    REJECT("{\"period\": \"2025-Q1\", \"value\": 44}", "{\"period\": \"2025-Q5\", \"value\": 44}",
           "kpis[0].actuals[0].period", "invalid period \"2025-Q5\", expected a quarter "
           "YYYY-Qn (n from 1 to 4) or a month YYYY-MM (01 to 12)", "\"2025-Q5\"");
    REJECT("{\"period\": \"2025-Q1\", \"active", "{\"period\": \"2025-13\", \"active",
           "usage[0].period", "invalid period \"2025-13\"", "\"2025-13\"");
    REJECT("{\"period\": \"2025-Q1\", \"opened\"", "{\"period\": \"2025-q1\", \"opened\"",
           "support[0].period", "invalid period", "\"2025-q1\"");
    REJECT("{\"period\": \"2025-Q1\", \"opened\"", "{\"period\": \"2025-Q0\", \"opened\"",
           "support[0].period", "invalid period", "\"2025-Q0\"");
    REJECT("{\"period\": \"2025-Q1\", \"opened\"", "{\"period\": \"2025\", \"opened\"",
           "support[0].period", "invalid period", "\"2025\"");
    /* duplicates within one list */
    REJECT("{\"period\": \"2025-Q2\", \"value\": 39}", "{\"period\": \"2025-Q1\", \"value\": 39}",
           "kpis[0].actuals[1].period", "period \"2025-Q1\" appears twice (also "
           "kpis[0].actuals[0]), expected each period once in this list", "\"2025-Q1\", \"value\": 39");
    REJECT("{\"period\": \"2025-Q2\", \"active_monthly\": 110}",
           "{\"period\": \"2025-Q1\", \"active_monthly\": 110}", "usage[1].period",
           "appears twice (also usage[0])", "\"2025-Q1\", \"active_monthly\": 110");
    REJECT("{\"period\": \"2025-Q2\", \"opened\": 4}", "{\"period\": \"2025-Q1\", \"opened\": 4}",
           "support[1].period", "appears twice (also support[0])", "\"2025-Q1\", \"opened\": 4");
    /* a quarter and a month of it are different periods */
    ACCEPT_EDIT("{\"period\": \"2025-Q2\", \"opened\": 4}", "{\"period\": \"2025-03\", \"opened\": 4}");
    /* the same period in two KPIs or in usage and support is fine: BASE has both */
}

static void test_enums(void)
{
    REJECT("\"direction\": \"decrease\"", "\"direction\": \"down\"", "kpis[0].direction",
           "unknown direction \"down\", expected one of: increase, decrease", "\"down\"");
    REJECT("\"kind\": \"go_live\"", "\"kind\": \"golive\"", "milestones[0].kind",
           "unknown kind \"golive\", expected one of: milestone, quick_win, go_live, other",
           "\"golive\"");
    REJECT("\"kind\": \"kickoff\"", "\"kind\": \"kick-off\"", "engagements[0].kind",
           "unknown kind \"kick-off\", expected one of: kickoff, qbr, executive, training, "
           "best_practice, other", "\"kick-off\"");
    REJECT("\"stage\": \"proposed\"", "\"stage\": \"closed\"", "opportunities[0].stage",
           "unknown stage \"closed\", expected one of: identified, proposed, won, lost",
           "\"closed\"");
}

static void test_renewal_terms(void)
{
    REJECT("{\"years\": 2,", "{\"years\": 1,", "renewal.multi_year[0].years",
           "term 1 is below 2, expected a whole number of years from 2 to 5",
           "1, \"discount_pct\"");
    REJECT("{\"years\": 2,", "{\"years\": 6,", "renewal.multi_year[0].years", "term 6 is above 5",
           "6, \"discount_pct\"");
    REJECT("{\"years\": 2,", "{\"years\": 2.5,", "renewal.multi_year[0].years",
           "not a whole number", "2.5");
    REJECT("[{\"years\": 2, \"discount_pct\": 6}]",
           "[{\"years\": 2, \"discount_pct\": 6}, {\"years\": 2, \"discount_pct\": 8}]",
           "renewal.multi_year[1].years", "term of 2 years appears twice (also "
           "renewal.multi_year[0])", "2, \"discount_pct\": 8");
    REJECT("\"discount_pct\": 6", "\"discount_pct\": 100.5", "renewal.multi_year[0].discount_pct",
           "percentage 100.5 is above 100, expected a percentage from 0 to 100 with at most 2 "
           "decimals", "100.5");
    REJECT("\"discount_pct\": 6", "\"discount_pct\": -1", "renewal.multi_year[0].discount_pct",
           "negative percentage -1", "-1}");
    REJECT("\"discount_pct\": 6", "\"discount_pct\": 6.125", "renewal.multi_year[0].discount_pct",
           "has more than 2 decimals", "6.125");
    REJECT("\"bundle_discount_pct\": 10", "\"bundle_discount_pct\": 101",
           "renewal.bundle_discount_pct", "above 100", "101");
    REJECT("\"uplift_pct\": 5", "\"uplift_pct\": -50.5", "renewal.uplift_pct",
           "percentage -50.5 is below -50, expected a percentage from -50 to 100", "-50.5");
    REJECT("\"uplift_pct\": 5", "\"uplift_pct\": 5.555", "renewal.uplift_pct",
           "more than 2 decimals", "5.555");
    REJECT("\"uplift_pct\": 5", "\"uplift_pct\": 100.01", "renewal.uplift_pct", "above 100",
           "100.01");
    ACCEPT_EDIT("\"uplift_pct\": 5", "\"uplift_pct\": -50");
    ACCEPT_EDIT("\"uplift_pct\": 5", "\"uplift_pct\": 3.75");
    ACCEPT_EDIT("\"discount_pct\": 6", "\"discount_pct\": 100");
    REJECT("\"quote_valid_days\": 30", "\"quote_valid_days\": 0", "renewal.quote_valid_days",
           "number of days 0 is below 1, expected a whole number of days from 1 to 365",
           "0},\n  \"plan\"");
    REJECT("\"quote_valid_days\": 30", "\"quote_valid_days\": 366", "renewal.quote_valid_days",
           "above 365", "366");
    REJECT("\"quote_valid_days\": 30", "\"quote_valid_days\": 14.5", "renewal.quote_valid_days",
           "not a whole number", "14.5");
}

static void test_references(void)
{
    REJECT("\"module\": \"SCM\"", "\"module\": \"HR\"", "kpis[0].module",
           "unknown module \"HR\", expected one of the contract.modules codes: FIN, SCM",
           "\"HR\"");
    REJECT("\"kpi\": \"otd\"", "\"kpi\": \"otdx\"", "milestones[0].kpi",
           "unknown KPI \"otdx\", expected the id of one of the kpis: inv_days, otd", "\"otdx\"");
    REJECT("\"kpi\": \"inv_days\"", "\"kpi\": \"close_days\"", "plan[0].kpi",
           "unknown KPI \"close_days\"", "\"close_days\"");
    /* without contract.modules any KPI module is accepted */
    ACCEPT_EDIT(",\n               \"modules\": [{\"code\": \"FIN\", \"annual_fee\": 400000}, "
                "{\"code\": \"SCM\"}]", "");
    REJECT("{\"code\": \"SCM\"}", "{\"code\": \"FIN\"}", "contract.modules[1].code",
           "module code \"FIN\" appears twice (also contract.modules[0]), expected each module "
           "once", "\"FIN\"}]");
}

static void test_kpi_dates(void)
{
    REJECT("\"target_date\": \"2025-12-31\"", "\"target_date\": \"2025-01-10\"",
           "kpis[0].target_date", "target_date 2025-01-10 is before baseline_date 2025-01-15, "
           "expected a later date", "\"2025-01-10\"");
    REJECT("\"target_date\": \"2025-12-31\"", "\"target_date\": \"2025-01-15\"",
           "kpis[0].target_date", "the same day as baseline_date", "\"2025-01-15\",\n");
    /* defaults: baseline_date = contract start, target_date = contract end */
    REJECT("\"target\": 95}", "\"target\": 95, \"target_date\": \"2024-12-31\"}",
           "kpis[1].target_date", "target_date 2024-12-31 is before the contract start_date "
           "(the KPI's default baseline_date) 2025-01-01", "\"2024-12-31\"}");
    REJECT("\"target\": 95}", "\"target\": 95, \"baseline_date\": \"2026-01-05\"}",
           "kpis[1].baseline_date", "baseline_date 2026-01-05 is after the contract end_date "
           "2025-12-31 (the KPI's default target_date)", "\"2026-01-05\"}");
    ACCEPT_EDIT("\"baseline_date\": \"2025-01-15\", ", "");
    ACCEPT_EDIT("\"target_date\": \"2025-12-31\"", "\"target_date\": \"2026-06-30\"");
}

/* ---- unknown fields, strict mode, truncation ---------------------------------------- */

static void test_unknown_fields(void)
{
    char *text = edit(BASE, "\"baseline\": 45,", "\"baseline\": 45, \"baseline_dte\": 1, \"a b\": 2,");
    vp_diag *d = vp_diag_new();
    vp_account *a = ACCEPT(text, d);
    CHECK(a != NULL);
    CHECK_EQ_INT(vp_diag_errors(d), 0);
    CHECK_EQ_INT(vp_diag_warnings(d), 2);
    int i = find_problem(d, VP_SEV_WARNING, "kpis[0].baseline_dte",
                         "unknown field, ignored (did you mean \"baseline_date\"?)");
    CHECK(i >= 0);
    if (i >= 0) {
        int line, col, el, ec;
        vp_diag_get(d, (size_t)i, NULL, NULL, NULL, &line, &col, NULL);
        position(text, (size_t)(strstr(text, "\"baseline_dte\"") - text), &el, &ec);
        CHECK_EQ_INT(line, el);
        CHECK_EQ_INT(col, ec);
    }
    CHECK(find_problem(d, VP_SEV_WARNING, "kpis[0][\"a b\"]", "unknown field, ignored") >= 0);
    vp_account_free(a);
    vp_diag_free(d);

    /* strict: the same fields are errors */
    reject_text(__LINE__, text, strlen(text), true, VP_ERR_INVALID, "kpis[0].baseline_dte",
                "unknown field", "\"baseline_dte\"");
    reject_text(__LINE__, text, strlen(text), true, VP_ERR_INVALID, "kpis[0][\"a b\"]",
                "strict mode", "\"a b\"");
    free(text);

    /* $schema is known at the top level only */
    vp_diag *d2 = vp_diag_new();
    vp_account *a2 = NULL;
    vp_load_options strict = {.strict = true};
    CHECK_EQ_INT(vp_account_load_buffer(&a2, BASE, strlen(BASE), &strict, d2), VP_OK);
    CHECK_EQ_INT(vp_diag_count(d2), 0);
    vp_account_free(a2);
    vp_diag_free(d2);
    char *t2 = edit(BASE, "\"id\": \"ACME-1\"", "\"id\": \"ACME-1\", \"$schema\": \"x\"");
    reject_text(__LINE__, t2, strlen(t2), true, VP_ERR_INVALID, "account.$schema",
                "unknown field", "\"$schema\": \"x\"");
    free(t2);
    /* unknown fields at every level, and a module share for an unlicensed module */
    char *t3 = edit(BASE, "\"FIN\": 0.5", "\"FIN\": 0.5, \"HRM\": 0.2");
    vp_diag *d3 = vp_diag_new();
    vp_account_free(ACCEPT(t3, d3));
    CHECK(find_problem(d3, VP_SEV_WARNING, "usage[0].modules.HRM",
                       "module \"HRM\" is not in contract.modules") >= 0);
    vp_diag_free(d3);
    free(t3);
}

static void test_all_problems_reported(void)
{
    /* several independent problems in one file are all listed, in one pass */
    char *t1 = edit(BASE, "\"arr\": 1200000", "\"arr\": -1");
    char *t2 = edit(t1, "\"csat\": 4.5", "\"csat\": 9");
    char *t3 = edit(t2, "\"direction\": \"decrease\"", "\"direction\": \"down\"");
    vp_diag *d = vp_diag_new();
    vp_account *a = NULL;
    CHECK_EQ_INT(vp_account_load_buffer(&a, t3, strlen(t3), NULL, d), VP_ERR_INVALID);
    CHECK_EQ_INT(vp_diag_errors(d), 3);
    CHECK(find_problem(d, VP_SEV_ERROR, "contract.arr", "negative") >= 0);
    CHECK(find_problem(d, VP_SEV_ERROR, "support[0].csat", "above 5") >= 0);
    CHECK(find_problem(d, VP_SEV_ERROR, "kpis[0].direction", "unknown direction") >= 0);
    vp_diag_free(d);
    free(t1);
    free(t2);
    free(t3);

    /* a NULL diag is allowed */
    char *t4 = edit(BASE, "\"arr\": 1200000", "\"arr\": -1");
    CHECK_EQ_INT(vp_account_load_buffer(&a, t4, strlen(t4), NULL, NULL), VP_ERR_INVALID);
    CHECK(a == NULL);
    free(t4);
}

static void test_truncation(void)
{
    /* 60 KPIs, each with an unknown direction: 60 errors, 50 kept */
    char *text = xmalloc(20000);
    size_t n = (size_t)sprintf(text, "{\"schema\": \"valuepack/account@1\", "
                                     "\"account\": {\"id\": \"t\", \"name\": \"T\"}, "
                                     "\"contract\": {\"start_date\": \"2025-01-01\", "
                                     "\"end_date\": \"2025-12-31\", \"arr\": 1},\n\"kpis\": [");
    for (int i = 0; i < 60; i++)
        n += (size_t)sprintf(text + n, "%s\n{\"id\": \"k%d\", \"name\": \"K\", \"direction\": "
                             "\"up\", \"baseline\": 1, \"target\": 2}", i ? "," : "", i);
    strcpy(text + n, "]}");
    vp_diag *d = vp_diag_new();
    vp_account *a = NULL;
    CHECK_EQ_INT(vp_account_load_buffer(&a, text, strlen(text), NULL, d), VP_ERR_INVALID);
    CHECK_EQ_INT(vp_diag_count(d), VP_DIAG_MAX);
    CHECK(vp_diag_truncated(d));
    CHECK_EQ_INT(vp_diag_errors(d), 60);
    const char *path;
    int line;
    vp_diag_get(d, 49, NULL, NULL, &path, &line, NULL, NULL);
    CHECK_STR(path, "kpis[49].direction");
    CHECK_EQ_INT(line, 52);   /* the header is two lines, then one KPI a line */
    vp_diag_free(d);
    free(text);
}

/* ---- limits ------------------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_depth_limit(void)
{
    /* VP_LIMIT_DEPTH levels are fine (inside an unknown field), one more is not */
    char buf[400];
    int n = sprintf(buf, "{\"schema\": \"valuepack/account@1\", \"x\": ");
    for (int i = 0; i < VP_LIMIT_DEPTH - 1; i++)
        buf[n++] = '[';
    for (int i = 0; i < VP_LIMIT_DEPTH - 1; i++)
        buf[n++] = ']';
    strcpy(buf + n, "}");
    vp_diag *d = vp_diag_new();
    vp_account *a = NULL;
    int rc = vp_account_load_buffer(&a, buf, strlen(buf), NULL, d);
    CHECK_EQ_INT(rc, VP_ERR_INVALID);   /* account and contract are missing, but no limit */
    CHECK(find_problem(d, VP_SEV_ERROR, "account", "required field is missing") >= 0);
    vp_diag_free(d);

    n = sprintf(buf, "{\"schema\": \"valuepack/account@1\", \"x\": ");
    for (int i = 0; i < VP_LIMIT_DEPTH; i++)
        buf[n++] = '[';
    for (int i = 0; i < VP_LIMIT_DEPTH; i++)
        buf[n++] = ']';
    strcpy(buf + n, "}");
    /* the root object is level 1, the arrays levels 2..: the error is at the innermost '[',
     * inside VP_LIMIT_DEPTH - 1 arrays */
    char path[8 + 3 * VP_LIMIT_DEPTH] = "x";
    for (int i = 0; i < VP_LIMIT_DEPTH - 1; i++)
        strcat(path, "[0]");
    reject_text(__LINE__, buf, strlen(buf), false, VP_ERR_LIMIT, path,
                "nested deeper than the limit of 32 levels", "[]]]");

    /* 100,000 levels: fails at the limit, quickly, without recursing that deep */
    size_t deep = 100000;
    char *text = xmalloc(2 * deep + 1);
    memset(text, '[', deep);
    memset(text + deep, ']', deep);
    text[2 * deep] = '\0';
    double t0 = now();
    d = vp_diag_new();
    CHECK_EQ_INT(vp_account_load_buffer(&a, text, 2 * deep, NULL, d), VP_ERR_LIMIT);
    CHECK(a == NULL);
    CHECK_EQ_INT(vp_diag_errors(d), 1);
    CHECK(now() - t0 < 0.5);
    vp_diag_free(d);
    memset(text, '{', deep);   /* "{{": a parse error at the second brace, not a crash */
    d = vp_diag_new();
    CHECK_EQ_INT(vp_account_load_buffer(&a, text, deep, NULL, d), VP_ERR_PARSE);
    vp_diag_free(d);
    for (size_t i = 0; i < deep / 8; i++)
        memcpy(text + 8 * i, "{\"a\": [ ", 8);
    d = vp_diag_new();
    CHECK_EQ_INT(vp_account_load_buffer(&a, text, deep, NULL, d), VP_ERR_LIMIT);
    vp_diag_free(d);
    free(text);
}

static void test_size_limit(void)
{
    size_t n = VP_LIMIT_FILE_BYTES + 1;
    char *text = xmalloc(n);
    memset(text, ' ', n);
    memcpy(text, BASE, strlen(BASE));
    vp_diag *d = vp_diag_new();
    vp_account *a = NULL;
    CHECK_EQ_INT(vp_account_load_buffer(&a, text, n, NULL, d), VP_ERR_LIMIT);
    CHECK(a == NULL);
    const char *msg = NULL;
    if (vp_diag_count(d))
        vp_diag_get(d, 0, NULL, NULL, NULL, NULL, NULL, &msg);
    CHECK_CONTAINS(msg, "larger than the limit of 8388608 bytes");
    vp_diag_free(d);
    /* exactly the limit is read (trailing spaces are whitespace) */
    d = vp_diag_new();
    CHECK_EQ_INT(vp_account_load_buffer(&a, text, n - 1, NULL, d), VP_OK);
    vp_account_free(a);
    vp_diag_free(d);
    /* through a file as well */
    char path[] = "/tmp/vp-test-load-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    CHECK(f != NULL);
    if (f) {
        fwrite(text, 1, n, f);
        fclose(f);
        d = vp_diag_new();
        CHECK_EQ_INT(vp_account_load(&a, path, NULL, d), VP_ERR_LIMIT);
        CHECK(a == NULL);
        vp_diag_free(d);
        remove(path);
    }
    free(text);
}

static void test_string_limit(void)
{
    size_t n = VP_LIMIT_STRING_BYTES;
    char *name = xmalloc(n + 40);
    strcpy(name, "\"name\": \"");
    memset(name + 9, 'x', n);
    strcpy(name + 9 + n, "\"");
    ACCEPT_EDIT("\"name\": \"Acme\"", name);
    strcpy(name + 9 + n, "x\"");
    REJECT_RC(VP_ERR_LIMIT, "\"name\": \"Acme\"", name, "account.name",
              "text is longer than the limit of 4096 bytes", "\"xxxx");
    /* counted in bytes after decoding: 1366 x 中 (3 bytes) = 4098 bytes */
    char *zh = xmalloc(1366 * 3 + 40);
    size_t k = (size_t)sprintf(zh, "\"name\": \"");
    for (int i = 0; i < 1366; i++)
        k += (size_t)sprintf(zh + k, "中");
    strcpy(zh + k, "\"");
    REJECT_RC(VP_ERR_LIMIT, "\"name\": \"Acme\"", zh, "account.name", "longer than the limit",
              "\"中");
    free(zh);
    free(name);
}

static void test_items_limit(void)
{
    /* 100,000 KPIs: a limit error at item 2001, quickly */
    size_t count = 100000;
    static const char kpi[] = "{\"id\": \"k\", \"name\": \"K\", \"direction\": \"increase\", "
                              "\"baseline\": 1, \"target\": 2},";
    size_t cap = count * (sizeof kpi - 1) + 400;
    char *text = xmalloc(cap);
    size_t n = (size_t)sprintf(text, "{\"schema\": \"valuepack/account@1\", \"account\": {\"id\": "
                               "\"t\", \"name\": \"T\"}, \"contract\": {\"start_date\": "
                               "\"2025-01-01\", \"end_date\": \"2025-12-31\", \"arr\": 1}, "
                               "\"kpis\": [");
    size_t first = n;
    for (size_t i = 0; i < count; i++) {
        memcpy(text + n, kpi, sizeof kpi - 1);
        n += sizeof kpi - 1;
    }
    strcpy(text + n - 1, "]}");
    n += 1;
    double t0 = now();
    vp_diag *d = vp_diag_new();
    vp_account *a = NULL;
    CHECK_EQ_INT(vp_account_load_buffer(&a, text, n, NULL, d), VP_ERR_LIMIT);
    CHECK(now() - t0 < 0.5);
    CHECK_EQ_INT(vp_diag_errors(d), 1);
    const char *path = NULL, *msg = NULL;
    int line = 0, col = 0;
    if (vp_diag_count(d))
        vp_diag_get(d, 0, NULL, NULL, &path, &line, &col, &msg);
    CHECK_STR(path, "kpis");
    CHECK_CONTAINS(msg, "more than 2000 items in one list, the limit is 2000");
    CHECK_EQ_INT(line, 1);
    CHECK_EQ_INT(col, (int)(first + 2000 * (sizeof kpi - 1)) + 1);
    vp_diag_free(d);

    /* exactly 2000 is fine */
    strcpy(text + first + 2000 * (sizeof kpi - 1) - 1, "]}");
    d = vp_diag_new();
    CHECK_EQ_INT(vp_account_load_buffer(&a, text, strlen(text), NULL, d), VP_ERR_INVALID);
    CHECK(find_problem(d, VP_SEV_ERROR, "kpis[1].id", "appears twice") >= 0);
    CHECK(find_problem(d, VP_SEV_ERROR, "kpis", "limit") < 0);
    vp_diag_free(d);
    free(text);

    /* an object with more than 2000 fields */
    char *obj = xmalloc(2100 * 16 + 100);
    n = (size_t)sprintf(obj, "{\"schema\": \"valuepack/account@1\", \"x\": {");
    for (int i = 0; i <= 2000; i++)
        n += (size_t)sprintf(obj + n, "%s\"f%d\": 0", i ? ", " : "", i);
    strcpy(obj + n, "}}");
    reject_text(__LINE__, obj, strlen(obj), false, VP_ERR_LIMIT, "x",
                "more than 2000 fields in one object", "\"f2000\"");
    free(obj);
}

static void test_actuals_limit(void)
{
    static char text[(VP_LIMIT_ACTUALS + 1) * 48 + 16];
    for (int limit_case = 0; limit_case < 2; limit_case++) {
        int count = VP_LIMIT_ACTUALS + limit_case;
        size_t n = (size_t)sprintf(text, "\"actuals\": [");
        for (int i = 0; i < count; i++)   /* distinct months from 1900-01 */
            n += (size_t)sprintf(text + n, "%s{\"period\": \"%04d-%02d\", \"value\": 1}",
                                 i ? ", " : "", 1900 + i / 12, i % 12 + 1);
        strcpy(text + n, "]");
        char *doc = edit(BASE, "\"actuals\": [{\"period\": \"2025-Q1\", \"value\": 44}, "
                               "{\"period\": \"2025-Q2\", \"value\": 39}]", text);
        vp_diag *d = vp_diag_new();
        vp_account *a = NULL;
        int rc = vp_account_load_buffer(&a, doc, strlen(doc), NULL, d);
        if (limit_case == 0) {
            CHECK_EQ_INT(rc, VP_OK);
            CHECK(a && a->kpis[0].n_actuals == VP_LIMIT_ACTUALS);
        } else {
            CHECK_EQ_INT(rc, VP_ERR_LIMIT);
            CHECK(find_problem(d, VP_SEV_ERROR, "kpis[0].actuals",
                               "more than 400 actuals for one KPI, the limit is 400") >= 0);
        }
        vp_account_free(a);
        vp_diag_free(d);
        free(doc);
    }
}

/* ---- files, API, threads ------------------------------------------------------------ */

static void test_files_and_api(void)
{
    vp_diag *d = vp_diag_new();
    vp_account *a = (vp_account *)&d;
    CHECK_EQ_INT(vp_account_load(&a, TEST_DATA "/no/such/file.json", NULL, d), VP_ERR_IO);
    CHECK(a == NULL);
    const char *msg = NULL, *file = NULL;
    if (vp_diag_count(d))
        vp_diag_get(d, 0, NULL, &file, NULL, NULL, NULL, &msg);
    CHECK_STR(file, TEST_DATA "/no/such/file.json");
    CHECK_CONTAINS(msg, "cannot open");
    vp_diag_clear(d);
    CHECK_EQ_INT(vp_account_load(&a, TEST_DATA, NULL, d), VP_ERR_IO);   /* a folder */
    vp_diag_free(d);
    vp_account_free(NULL);
    /* opts and diag may be NULL */
    CHECK_EQ_INT(vp_account_load(&a, TEST_DATA "/valid/minimal.json", NULL, NULL), VP_OK);
    vp_account_free(a);
    /* a buffer need not be NUL-terminated */
    size_t n = strlen(BASE);
    char *copy = xmalloc(n);
    memcpy(copy, BASE, n);
    CHECK_EQ_INT(vp_account_load_buffer(&a, copy, n, NULL, NULL), VP_OK);
    vp_account_free(a);
    CHECK_EQ_INT(vp_account_load_buffer(&a, copy, n - 2, NULL, NULL), VP_ERR_PARSE);
    free(copy);

    vp_locale loc = VP_LOCALE_EN;
    CHECK(vp_locale_parse("zh-CN", &loc) && loc == VP_LOCALE_ZH_CN);
    CHECK(vp_locale_parse("en", &loc) && loc == VP_LOCALE_EN);
    CHECK(!vp_locale_parse("zh", &loc));
    CHECK(!vp_locale_parse(NULL, &loc));
    CHECK_STR(vp_locale_name(VP_LOCALE_ZH_CN), "zh-CN");
    CHECK_STR(vp_locale_name(VP_LOCALE_EN), "en");
}

/* Every file in tests/data/invalid is rejected, in normal and strict mode, with at least
 * one error (the CLI cases check which); every file in tests/data/valid loads. */
static void check_fixture_dir(const char *dir, bool valid)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", TEST_DATA, dir);
    DIR *dp = opendir(path);
    CHECK(dp != NULL);
    if (!dp)
        return;
    int seen = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        seen++;
        snprintf(path, sizeof path, "%s/%s/%s", TEST_DATA, dir, e->d_name);
        for (int strict = 0; strict < 2; strict++) {
            vp_diag *d = vp_diag_new();
            vp_account *a = NULL;
            vp_load_options o = {.strict = strict};
            int rc = vp_account_load(&a, path, &o, d);
            if (valid && !strict && (rc != VP_OK || !a)) {
                CHECK_FAIL_AT(__FILE__, __LINE__, "%s: status %d, expected VP_OK", e->d_name, rc);
                dump(d);
            }
            if (!valid && (rc == VP_OK || a || vp_diag_errors(d) == 0 ||
                           (rc != VP_ERR_INVALID && rc != VP_ERR_PARSE && rc != VP_ERR_LIMIT)))
                CHECK_FAIL_AT(__FILE__, __LINE__, "%s: status %d with %zu errors, expected a "
                              "rejection", e->d_name, rc, vp_diag_errors(d));
            vp_account_free(a);
            vp_diag_free(d);
        }
    }
    closedir(dp);
    CHECK(seen >= (valid ? 3 : 40));
}

static void test_fixtures(void)
{
    check_fixture_dir("valid", true);
    check_fixture_dir("invalid", false);
}

typedef struct thread_job {
    const char *text;
    int ok;
} thread_job;

static void *load_many(void *arg)
{
    thread_job *job = arg;
    job->ok = 1;
    for (int i = 0; i < 200; i++) {
        vp_diag *d = vp_diag_new();
        vp_account *a = NULL;
        int rc = vp_account_load_buffer(&a, job->text, strlen(job->text), NULL, d);
        bool valid = strstr(job->text, "\"arr\": -1") == NULL;
        if (valid ? (rc != VP_OK || !a || a->n_kpis != 2)
                  : (rc != VP_ERR_INVALID || vp_diag_errors(d) != 1))
            job->ok = 0;
        vp_account_free(a);
        vp_diag_free(d);
    }
    return NULL;
}

static void test_threads(void)
{
    char *bad = edit(BASE, "\"arr\": 1200000", "\"arr\": -1");
    thread_job jobs[4] = {{BASE, 0}, {bad, 0}, {BASE, 0}, {bad, 0}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, load_many, &jobs[i]);
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(jobs[i].ok);
    }
    free(bad);
}

int main(void)
{
    RUN(test_base_is_valid);
    RUN(test_full_account);
    RUN(test_minimal_defaults);
    RUN(test_defaults);
    RUN(test_sorting);
    RUN(test_bom);
    RUN(test_malformed_json);
    RUN(test_empty_file);
    RUN(test_wrong_type);
    RUN(test_missing_required);
    RUN(test_schema_id);
    RUN(test_dates);
    RUN(test_negative_amounts);
    RUN(test_money_limits);
    RUN(test_shares_and_ranges);
    RUN(test_target_side);
    RUN(test_duplicate_kpi_ids);
    RUN(test_account_id);
    RUN(test_non_finite);
    RUN(test_invalid_utf8);
    RUN(test_duplicate_keys);
    RUN(test_nul_in_string);
    RUN(test_locale_currency_fy);
    RUN(test_periods);
    RUN(test_enums);
    RUN(test_renewal_terms);
    RUN(test_references);
    RUN(test_kpi_dates);
    RUN(test_unknown_fields);
    RUN(test_all_problems_reported);
    RUN(test_truncation);
    RUN(test_depth_limit);
    RUN(test_size_limit);
    RUN(test_string_limit);
    RUN(test_items_limit);
    RUN(test_actuals_limit);
    RUN(test_files_and_api);
    RUN(test_fixtures);
    RUN(test_threads);
    return check_summary();
}
