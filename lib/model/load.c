/* load.c — read and validate an account file (valuepack/account@1, SPEC §2) into the typed
 * model of lib/model/account.h.
 *
 * The text is read by lib/model/json.c (strict JSON with the position of every value and
 * the size limits applied while reading); this file checks the format field by field and
 * reports every problem it finds — the whole file is checked even after the first error —
 * each with its JSON path ("kpis[2].target"), line:column and a message that says what is
 * wrong and what was expected. No global state: loads may run in parallel threads. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "json.h"
#include "../util/alloc.h"
#include "../util/fs.h"
#include "../util/strbuf.h"

#define SCHEMA_ID "valuepack/account@1"

typedef struct loader {
    vp_account *a;
    vp_arena *ar;               /* the account's arena: everything kept goes here */
    vp_json_doc *doc;
    vp_diag *diag;
    const char *file;
    bool strict;
    vp_strbuf path;             /* JSON path of the value being checked */
    size_t errors;              /* errors reported by this file (warnings not counted) */
    bool limit;                 /* one of them was a limit */
    bool nomem;
    bool have_modules;          /* contract.modules is present */
} loader;

/* ---- reporting ---------------------------------------------------------------------- */

__attribute__((format(printf, 4, 0)))
static void vreport(loader *L, vp_severity sev, size_t off, const char *fmt, va_list ap)
{
    if (sev == VP_SEV_ERROR)
        L->errors++;
    if (!L->diag)
        return;
    char msg[768];
    vsnprintf(msg, sizeof msg, fmt, ap);
    int line = 0, col = 0;
    if (vp_diag_count(L->diag) < VP_DIAG_MAX)     /* beyond it the entry is only counted */
        vp_json_position(L->doc, off, &line, &col);
    if (vp_strbuf_failed(&L->path))
        L->nomem = true;
    vp_diag_add(L->diag, sev, L->file, vp_strbuf_cstr(&L->path), line, col, "%s", msg);
}

/* An error about the value at byte `off` (or the object a missing field belongs in). */
__attribute__((format(printf, 3, 4)))
static void error(loader *L, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(L, VP_SEV_ERROR, off, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void warning(loader *L, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(L, VP_SEV_WARNING, off, fmt, ap);
    va_end(ap);
}

/* Path steps: push returns a mark that pop restores. */
static size_t push_key(loader *L, const char *key)
{
    size_t mark = L->path.len;
    vp_json_path_key(&L->path, key);
    return mark;
}

static size_t push_index(loader *L, size_t i)
{
    size_t mark = L->path.len;
    vp_json_path_index(&L->path, i);
    return mark;
}

static void pop(loader *L, size_t mark)
{
    if (L->path.data && mark <= L->path.len) {
        L->path.len = mark;
        L->path.data[mark] = '\0';
    }
}

/* "expected X, got <this>": a short description of a value, in `buf`. */
static const char *describe(const loader *L, const vp_json *v, char *buf, size_t size)
{
    vp_json_describe(L->doc, v, buf, size);
    return buf;
}
#define DESCRIBE(v) describe(L, (v), (char[128]){0}, 128)

/* The number as written in the file (shortened), for messages. */
#define RAW(v) (int)((v)->len > 40 ? 40 : (v)->len), L->doc->text + (v)->offset

/* A number for messages: whole numbers without exponent, others as %g. */
static const char *fmt_num(double x, char *buf, size_t size)
{
    if (x == floor(x) && fabs(x) < 1e16)
        snprintf(buf, size, "%.0f", x);
    else
        snprintf(buf, size, "%g", x);
    return buf;
}
#define NUM(x) fmt_num((x), (char[40]){0}, 40)

static const char *copy_str(loader *L, const char *s, size_t n)
{
    char *c = vp_arena_strndup(L->ar, s, n);
    if (!c)
        L->nomem = true;
    return c;
}

static void *alloc_array(loader *L, size_t n, size_t size)
{
    if (n == 0)
        return NULL;
    void *p = vp_arena_calloc(L->ar, n, size);
    if (!p)
        L->nomem = true;
    return p;
}

/* ---- unknown fields ----------------------------------------------------------------- */

/* Edit distance of two short strings (for "did you mean"); large when either is long. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static void unknown_field(loader *L, const vp_json *m, const char *const *known)
{
    const char *best = NULL;
    size_t best_d = 3;
    for (const char *const *k = known; *k; k++) {
        size_t d = edit_distance(m->key, *k);
        if (d < best_d && d < strlen(*k)) {
            best_d = d;
            best = *k;
        }
    }
    char hint[96] = "";
    if (best)
        snprintf(hint, sizeof hint, " (did you mean \"%s\"?)", best);
    size_t mark = push_key(L, m->key);
    if (L->strict)
        error(L, m->key_offset, "unknown field, expected only the fields of %s here "
              "(strict mode)%s", SCHEMA_ID, hint);
    else
        warning(L, m->key_offset, "unknown field, ignored%s", hint);
    pop(L, mark);
}

/* Check that v is an object (the current path is v's); report unknown members. */
static bool check_object(loader *L, const vp_json *v, const char *what, const char *const *known)
{
    if (v->type != VP_JSON_OBJECT) {
        error(L, v->offset, "expected %s, got %s", what, DESCRIBE(v));
        return false;
    }
    if (known) {
        for (uint32_t i = 0; i < v->len; i++) {
            const vp_json *m = &v->u.items[i];
            const char *const *k = known;
            while (*k && strcmp(*k, m->key) != 0)
                k++;
            if (!*k)
                unknown_field(L, m, known);
        }
    }
    return true;
}

/* ---- typed fields ------------------------------------------------------------------- */

/* The member `key` of obj unless absent or null (both mean "not given"). A required
 * field that is not given is reported, at the object. */
static const vp_json *field(loader *L, const vp_json *obj, const char *key, bool required,
                            const char *what)
{
    const vp_json *v = vp_json_get(obj, key);
    if (v && v->type == VP_JSON_STRING && strlen(v->u.string) != v->len)
        return NULL;    /* holds U+0000: already reported by the JSON reader */
    if (v && v->type != VP_JSON_NULL)
        return v;
    if (required) {
        size_t mark = push_key(L, key);
        if (v)
            error(L, v->offset, "null, expected %s (a required field)", what);
        else
            error(L, obj->offset, "required field is missing, expected %s", what);
        pop(L, mark);
    }
    return NULL;
}

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* Text. A required text must not be blank; an optional blank text counts as absent.
 * True when a value was stored in *out (else *out is NULL). */
static bool read_text(loader *L, const vp_json *obj, const char *key, bool required,
                      const char *what, const char **out)
{
    *out = NULL;
    const vp_json *v = field(L, obj, key, required, what);
    if (!v)
        return false;
    size_t mark = push_key(L, key);
    bool ok = false;
    if (v->type != VP_JSON_STRING) {
        error(L, v->offset, "expected %s, got %s", what, DESCRIBE(v));
    } else if (is_blank(v->u.string)) {
        if (required)
            error(L, v->offset, "empty text, expected %s", what);
    } else {
        *out = copy_str(L, v->u.string, v->len);
        ok = *out != NULL;
    }
    pop(L, mark);
    return ok;
}

/* What a number must be. */
typedef struct numrule {
    const char *noun;       /* "amount", "share"... for "negative amount -5" */
    double min, max;
    int decimals;           /* -1 any, 0 whole numbers, n at most n decimals */
    bool max_is_limit;      /* max is a documented limit rather than a natural range */
    const char *expect;     /* what was expected, for every message */
} numrule;

#define MONEY_EXPECT "an amount of 0 or more with at most 2 decimals"
static const numrule k_money = {"amount", 0, VP_LIMIT_MONEY, 2, true, MONEY_EXPECT};
static const numrule k_rate = {"amount", 0, VP_LIMIT_MONEY, -1, true,
                               "an amount per unit of the KPI, 0 or more"};
static const numrule k_count = {"count", 0, VP_LIMIT_NUMBER, 0, true, "a whole number, 0 or more"};
static const numrule k_hours = {"number of hours", 0, VP_LIMIT_NUMBER, -1, true,
                                "a number of hours, 0 or more"};
static const numrule k_share = {"share", 0, 1, -1, false,
                                "a share from 0 to 1, such as 0.92 for 92%"};
static const numrule k_sla = {"percentage", 0, 100, -1, false, "a percentage from 0 to 100"};
static const numrule k_csat = {"rating", 1, 5, -1, false, "a satisfaction rating from 1 to 5"};
static const numrule k_discount = {"percentage", 0, 100, 2, false,
                                   "a percentage from 0 to 100 with at most 2 decimals"};
static const numrule k_uplift = {"percentage", -50, 100, 2, false,
                                 "a percentage from -50 to 100 with at most 2 decimals"};
static const numrule k_kpi = {"number", -VP_LIMIT_NUMBER, VP_LIMIT_NUMBER, -1, true,
                              "a number"};
static const numrule k_month = {"month", 1, 12, 0, false,
                                "a whole number from 1 to 12 (1 = January)"};
static const numrule k_years = {"term", 2, 5, 0, false, "a whole number of years from 2 to 5"};
static const numrule k_days = {"number of days", 1, 365, 0, false,
                               "a whole number of days from 1 to 365"};

/* Decimal places of a JSON number as written: "1200000.125" 3, "12.50" 1, "1.25e1" 1,
 * "125e-3" 3, "1.2e6" 0. Exact, from the text, so no binary rounding can hide a third
 * decimal of a large amount. */
static long text_decimals(const char *s, size_t n)
{
    size_t i = 0, frac = 0, trailing_zeros = 0;
    bool in_frac = false;
    long exp = 0;
    if (i < n && s[i] == '-')
        i++;
    for (; i < n && s[i] != 'e' && s[i] != 'E'; i++) {
        if (s[i] == '.') {
            in_frac = true;
            continue;
        }
        trailing_zeros = s[i] == '0' ? trailing_zeros + 1 : 0;
        if (in_frac)
            frac++;
    }
    if (i < n) {        /* exponent, saturated: beyond +-1e6 the answer does not change */
        bool neg = false;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            neg = s[i++] == '-';
        for (; i < n && exp < 1000000; i++)
            exp = exp * 10 + (s[i] - '0');
        if (neg)
            exp = -exp;
    }
    /* value = digits x 10^(exp - frac); trailing zeros of the digits raise the power */
    long power = exp - (long)frac + (long)trailing_zeros;
    return power >= 0 ? 0 : -power;
}

static bool check_number(loader *L, const vp_json *v, const numrule *r, double *out)
{
    if (v->type != VP_JSON_NUMBER) {
        error(L, v->offset, "expected %s, got %s", r->expect, DESCRIBE(v));
        return false;
    }
    double x = v->u.number;
    if (!isfinite(x))
        return false;   /* already reported by the JSON reader (out of range) */
    if (x < r->min) {
        if (r->min == 0)
            error(L, v->offset, "negative %s %.*s, expected %s", r->noun, RAW(v), r->expect);
        else
            error(L, v->offset, "%s %.*s is below %s%s, expected %s", r->noun, RAW(v),
                  r->max_is_limit ? "the limit of " : "", NUM(r->min), r->expect);
    } else if (x > r->max) {
        error(L, v->offset, "%s %.*s is above %s%s, expected %s", r->noun, RAW(v),
              r->max_is_limit ? "the limit of " : "", NUM(r->max), r->expect);
    } else if (r->decimals == 0 && nearbyint(x) != x) {
        error(L, v->offset, "%s %.*s is not a whole number, expected %s", r->noun, RAW(v),
              r->expect);
    } else if (r->decimals > 0 && x != 0 &&
               text_decimals(L->doc->text + v->offset, v->len) > r->decimals) {
        error(L, v->offset, "%s %.*s has more than %d decimals, expected %s", r->noun, RAW(v),
              r->decimals, r->expect);
    } else {
        *out = x == 0 ? 0.0 : x;    /* never -0 */
        return true;
    }
    return false;
}

/* A number: *out stays NaN when absent or invalid; true when stored. */
static bool read_number(loader *L, const vp_json *obj, const char *key, bool required,
                        const numrule *r, double *out)
{
    *out = NAN;
    const vp_json *v = field(L, obj, key, required, r->expect);
    if (!v)
        return false;
    size_t mark = push_key(L, key);
    bool ok = check_number(L, v, r, out);
    pop(L, mark);
    return ok;
}

static bool read_int(loader *L, const vp_json *obj, const char *key, bool required,
                     const numrule *r, int *out)
{
    double x;
    if (!read_number(L, obj, key, required, r, &x))
        return false;
    *out = (int)x;
    return true;
}

/* True when s looks like "NNNN-NN-NN" (so a failed parse means the day does not exist). */
static bool date_shaped(const char *s)
{
    static const char shape[] = "9999-99-99";
    for (size_t i = 0; i < sizeof shape - 1; i++) {
        if (!s[i])
            return false;
        if (shape[i] == '9' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
            return false;
    }
    return s[sizeof shape - 1] == '\0';
}

static bool check_date(loader *L, const vp_json *v, vp_date *out)
{
    if (v->type != VP_JSON_STRING) {
        error(L, v->offset, "expected a date \"YYYY-MM-DD\", got %s", DESCRIBE(v));
        return false;
    }
    if (vp_date_parse(v->u.string, out))
        return true;
    *out = VP_NO_DATE;
    if (date_shaped(v->u.string))
        error(L, v->offset, "impossible date %s, expected YYYY-MM-DD", DESCRIBE(v));
    else
        error(L, v->offset, "invalid date %s, expected YYYY-MM-DD", DESCRIBE(v));
    return false;
}

static bool read_date(loader *L, const vp_json *obj, const char *key, bool required,
                      vp_date *out)
{
    *out = VP_NO_DATE;
    const vp_json *v = field(L, obj, key, required, "a date \"YYYY-MM-DD\"");
    if (!v)
        return false;
    size_t mark = push_key(L, key);
    bool ok = check_date(L, v, out);
    pop(L, mark);
    return ok;
}

#define PERIOD_EXPECT "a quarter YYYY-Qn (n from 1 to 4) or a month YYYY-MM (01 to 12)"

static bool read_period(loader *L, const vp_json *obj, const char *key, vp_period *out)
{
    memset(out, 0, sizeof *out);
    const vp_json *v = field(L, obj, key, true, PERIOD_EXPECT);
    if (!v)
        return false;
    size_t mark = push_key(L, key);
    bool ok = false;
    if (v->type != VP_JSON_STRING)
        error(L, v->offset, "expected " PERIOD_EXPECT ", got %s", DESCRIBE(v));
    else if (!vp_period_parse(v->u.string, out))
        error(L, v->offset, "invalid period %s, expected " PERIOD_EXPECT, DESCRIBE(v));
    else
        ok = true;
    if (!ok)
        memset(out, 0, sizeof *out);
    pop(L, mark);
    return ok;
}

/* One of `names` (NULL-terminated); *out is its index. */
static bool read_enum(loader *L, const vp_json *obj, const char *key, bool required,
                      const char *const *names, int *out)
{
    char list[160] = "";
    size_t used = 0;
    for (const char *const *n = names; *n; n++)
        used += (size_t)snprintf(list + used, used < sizeof list ? sizeof list - used : 0,
                                 "%s%s", n == names ? "" : ", ", *n);
    char expect[200];
    snprintf(expect, sizeof expect, "one of: %s", list);
    const vp_json *v = field(L, obj, key, required, expect);
    if (!v)
        return false;
    size_t mark = push_key(L, key);
    bool ok = false;
    if (v->type != VP_JSON_STRING) {
        error(L, v->offset, "expected %s, got %s", expect, DESCRIBE(v));
    } else {
        for (int i = 0; names[i]; i++)
            if (strcmp(names[i], v->u.string) == 0) {
                *out = i;
                ok = true;
            }
        if (!ok)
            error(L, v->offset, "unknown %s %s, expected %s", key, DESCRIBE(v), expect);
    }
    pop(L, mark);
    return ok;
}

/* A list field: NULL when absent (or null), or reported when not a list. */
static const vp_json *read_list(loader *L, const vp_json *obj, const char *key,
                                const char *what)
{
    const vp_json *v = field(L, obj, key, false, what);
    if (!v)
        return NULL;
    if (v->type != VP_JSON_ARRAY) {
        size_t mark = push_key(L, key);
        error(L, v->offset, "expected %s, got %s", what, DESCRIBE(v));
        pop(L, mark);
        return NULL;
    }
    return v;
}

/* A list of texts (engagement attendees, outcomes). */
static void read_text_list(loader *L, const vp_json *obj, const char *key,
                           const char ***out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    const vp_json *list = read_list(L, obj, key, "a list of texts [\"...\", \"...\"]");
    if (!list)
        return;
    const char **items = alloc_array(L, list->len, sizeof *items);
    if (!items)
        return;
    size_t mark = push_key(L, key);
    for (uint32_t i = 0; i < list->len; i++) {
        const vp_json *v = &list->u.items[i];
        size_t m2 = push_index(L, i);
        if (v->type != VP_JSON_STRING)
            error(L, v->offset, "expected text, got %s", DESCRIBE(v));
        else
            items[(*n_out)++] = copy_str(L, v->u.string, v->len);
        pop(L, m2);
    }
    pop(L, mark);
    *out = items;
}

/* ---- stable sorting ----------------------------------------------------------------- */

typedef int (*cmp_fn)(const void *a, const void *b, const void *ctx);

static void merge_sort(char *base, char *tmp, size_t n, size_t size, cmp_fn cmp,
                       const void *ctx)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(base, tmp, h, size, cmp, ctx);
    merge_sort(base + h * size, tmp, n - h, size, cmp, ctx);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        if (cmp(base + j * size, base + i * size, ctx) < 0)
            memcpy(tmp + k++ * size, base + j++ * size, size);
        else
            memcpy(tmp + k++ * size, base + i++ * size, size);
    }
    while (i < h)
        memcpy(tmp + k++ * size, base + i++ * size, size);
    while (j < n)
        memcpy(tmp + k++ * size, base + j++ * size, size);
    memcpy(base, tmp, n * size);
}

/* Sort keeping the file order of equal elements. */
static void sort_stable(loader *L, void *base, size_t n, size_t size, cmp_fn cmp,
                        const void *ctx)
{
    if (n < 2)
        return;
    char *tmp = vp_malloc(n * size);
    if (!tmp) {
        L->nomem = true;
        return;
    }
    merge_sort(base, tmp, n, size, cmp, ctx);
    vp_free(tmp);
}

static int cmp_actual(const void *a, const void *b, const void *ctx)
{
    return vp_period_cmp(((const vp_actual *)a)->period, ((const vp_actual *)b)->period,
                         *(const int *)ctx);
}

static int cmp_usage(const void *a, const void *b, const void *ctx)
{
    return vp_period_cmp(((const vp_usage *)a)->period, ((const vp_usage *)b)->period,
                         *(const int *)ctx);
}

static int cmp_support(const void *a, const void *b, const void *ctx)
{
    return vp_period_cmp(((const vp_support *)a)->period, ((const vp_support *)b)->period,
                         *(const int *)ctx);
}

static int cmp_date(vp_date a, vp_date b) { return a < b ? -1 : a > b; }

static int cmp_training(const void *a, const void *b, const void *ctx)
{
    (void)ctx;
    return cmp_date(((const vp_training *)a)->date, ((const vp_training *)b)->date);
}

static int cmp_engagement(const void *a, const void *b, const void *ctx)
{
    (void)ctx;
    return cmp_date(((const vp_engagement *)a)->date, ((const vp_engagement *)b)->date);
}

static int cmp_multi_year(const void *a, const void *b, const void *ctx)
{
    (void)ctx;
    int x = ((const vp_multi_year *)a)->years, y = ((const vp_multi_year *)b)->years;
    return x < y ? -1 : x > y;
}

/* Report items[i].period equal to an earlier one (items of `stride` bytes); the current
 * path is the list's. */
static void check_period_duplicates(loader *L, const vp_json *list, const void *items,
                                    size_t stride, size_t offset_of_period)
{
    const char *base = items;
    for (uint32_t i = 1; i < list->len; i++) {
        const vp_period *pi = (const vp_period *)(const void *)(base + i * stride + offset_of_period);
        if (pi->kind == VP_PERIOD_NONE)
            continue;
        for (uint32_t j = 0; j < i; j++) {
            const vp_period *pj = (const vp_period *)(const void *)(base + j * stride + offset_of_period);
            if (!vp_period_eq(*pi, *pj))
                continue;
            const vp_json *pv = vp_json_get(&list->u.items[i], "period");
            char other[256];
            snprintf(other, sizeof other, "%s[%u]", vp_strbuf_cstr(&L->path), j);
            size_t mark = push_index(L, i);
            size_t m2 = push_key(L, "period");
            error(L, pv->offset, "period %s appears twice (also %s), expected each period once "
                  "in this list", DESCRIBE(pv), other);
            pop(L, m2);
            pop(L, mark);
            break;
        }
    }
}

/* ---- sections ----------------------------------------------------------------------- */

static const char *const k_root_fields[] = {
    "$schema", "schema", "account", "contract", "kpis", "milestones", "usage", "support",
    "training", "champions", "engagements", "opportunities", "renewal", "plan", NULL};
static const char *const k_account_fields[] = {
    "id", "name", "industry", "segment", "region", "locale", "currency",
    "fiscal_year_start_month", "team", NULL};
static const char *const k_team_fields[] = {
    "csm", "account_executive", "executive_sponsor", NULL};
static const char *const k_person_fields[] = {"name", "email", "title", NULL};
static const char *const k_contract_fields[] = {
    "start_date", "go_live_date", "end_date", "arr", "licensed_users", "modules", NULL};
static const char *const k_module_fields[] = {"code", "name", "annual_fee", "licensed_users",
                                              NULL};
static const char *const k_kpi_fields[] = {
    "id", "name", "unit", "direction", "baseline", "baseline_date", "target", "target_date",
    "module", "value_per_unit", "actuals", NULL};
static const char *const k_actual_fields[] = {"period", "value", NULL};
static const char *const k_milestone_fields[] = {"name", "kind", "due", "done", "kpi", NULL};
static const char *const k_usage_fields[] = {
    "period", "licensed_users", "active_monthly", "active_weekly", "active_daily", "modules",
    "transactions", NULL};
static const char *const k_support_fields[] = {
    "period", "opened", "closed", "p1", "median_resolution_hours", "sla_met_pct", "csat", NULL};
static const char *const k_training_fields[] = {"date", "role", "topic", "attendees", "module",
                                                NULL};
static const char *const k_champion_fields[] = {"name", "title", "department", "note", NULL};
static const char *const k_engagement_fields[] = {"date", "kind", "title", "attendees",
                                                  "outcomes", NULL};
static const char *const k_opportunity_fields[] = {"module", "name", "pain_point", "annual_fee",
                                                   "stage", NULL};
static const char *const k_renewal_fields[] = {"uplift_pct", "bundle_discount_pct", "multi_year",
                                               "quote_valid_days", NULL};
static const char *const k_multi_year_fields[] = {"years", "discount_pct", NULL};
static const char *const k_plan_fields[] = {"goal", "kpi", "target", "by", NULL};

static const char *const k_locales[] = {"en", "zh-CN", NULL};
static const char *const k_directions[] = {"increase", "decrease", NULL};
static const char *const k_milestone_kinds[] = {"milestone", "quick_win", "go_live", "other",
                                                NULL};
static const char *const k_engagement_kinds[] = {"kickoff", "qbr", "executive", "training",
                                                 "best_practice", "other", NULL};
static const char *const k_stages[] = {"identified", "proposed", "won", "lost", NULL};

/* Enum tables above are in the order of the model's enums. */
_Static_assert(VP_MS_MILESTONE == 0 && VP_MS_QUICK_WIN == 1 && VP_MS_GO_LIVE == 2 &&
               VP_MS_OTHER == 3, "milestone kinds follow k_milestone_kinds");
_Static_assert(VP_ENG_KICKOFF == 0 && VP_ENG_QBR == 1 && VP_ENG_EXECUTIVE == 2 &&
               VP_ENG_TRAINING == 3 && VP_ENG_BEST_PRACTICE == 4 && VP_ENG_OTHER == 5,
               "engagement kinds follow k_engagement_kinds");
_Static_assert(VP_OPP_IDENTIFIED == 0 && VP_OPP_PROPOSED == 1 && VP_OPP_WON == 2 &&
               VP_OPP_LOST == 3, "stages follow k_stages");
_Static_assert(VP_LOCALE_EN == 0 && VP_LOCALE_ZH_CN == 1, "locales follow k_locales");

/* Call fn for each item of `list` that is an object (others are reported), with the
 * item's path pushed. */
typedef void (*item_fn)(loader *L, const vp_json *item, uint32_t i, void *ctx);

static void each_object(loader *L, const vp_json *list, const char *what,
                        const char *const *known, item_fn fn, void *ctx)
{
    for (uint32_t i = 0; i < list->len; i++) {
        const vp_json *item = &list->u.items[i];
        size_t mark = push_index(L, i);
        if (check_object(L, item, what, known))
            fn(L, item, i, ctx);
        pop(L, mark);
    }
}

static void read_person(loader *L, const vp_json *team, const char *key, vp_person *p)
{
    const vp_json *v = field(L, team, key, false, "an object {\"name\": ..., \"email\": ...}");
    if (!v)
        return;
    size_t mark = push_key(L, key);
    if (check_object(L, v, "an object {\"name\": ..., \"email\": ..., \"title\": ...}",
                     k_person_fields)) {
        read_text(L, v, "name", false, "a person's name", &p->name);
        read_text(L, v, "title", false, "a job title", &p->title);
        if (read_text(L, v, "email", false, "an e-mail address", &p->email)) {
            const char *at = strchr(p->email, '@');
            bool ok = at && at != p->email && at[1] && !strchr(at + 1, '@') &&
                      !strpbrk(p->email, " \t\r\n<>,;");
            if (!ok) {
                const vp_json *e = vp_json_get(v, "email");
                size_t m2 = push_key(L, "email");
                error(L, e->offset, "invalid e-mail address %s, expected name@example.com",
                      DESCRIBE(e));
                pop(L, m2);
            }
        }
    }
    pop(L, mark);
}

static bool valid_account_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
    return n >= 1 && n <= 64;
}

static void read_account(loader *L, const vp_json *root)
{
    vp_account *a = L->a;
    const vp_json *acc = field(L, root, "account", true,
                               "an object {\"id\": ..., \"name\": ...} describing the customer");
    if (!acc)
        return;
    size_t mark = push_key(L, "account");
    if (!check_object(L, acc, "an object {\"id\": ..., \"name\": ...} describing the customer",
                      k_account_fields)) {
        pop(L, mark);
        return;
    }
    const vp_json *id = field(L, acc, "id", true,
                              "an account id of 1 to 64 characters A-Z a-z 0-9 . _ -");
    if (id) {
        size_t m2 = push_key(L, "id");
        if (id->type != VP_JSON_STRING)
            error(L, id->offset, "expected an account id (text), got %s", DESCRIBE(id));
        else if (!valid_account_id(id->u.string))
            error(L, id->offset, "invalid account id %s, expected 1 to 64 characters from "
                  "A-Z a-z 0-9 . _ - (the id names the output files)", DESCRIBE(id));
        else
            a->id = copy_str(L, id->u.string, id->len);
        pop(L, m2);
    }
    read_text(L, acc, "name", true, "the customer's name", &a->name);
    read_text(L, acc, "industry", false, "an industry such as \"discrete_manufacturing\"",
              &a->industry);
    read_text(L, acc, "segment", false, "a segment such as \"enterprise\"", &a->segment);
    read_text(L, acc, "region", false, "a region", &a->region);

    int loc = VP_LOCALE_EN;
    if (read_enum(L, acc, "locale", false, k_locales, &loc))
        a->locale = (vp_locale)loc;
    const vp_json *cur = field(L, acc, "currency", false, "a currency code");
    if (cur) {
        size_t m2 = push_key(L, "currency");
        const char *s = cur->type == VP_JSON_STRING ? cur->u.string : NULL;
        if (s && cur->len == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
            s[2] >= 'A' && s[2] <= 'Z')
            a->currency = copy_str(L, s, 3);
        else if (s)
            error(L, cur->offset, "invalid currency %s, expected a 3-letter ISO 4217 code in "
                  "capitals such as CNY, USD or EUR", DESCRIBE(cur));
        else
            error(L, cur->offset, "expected a 3-letter currency code such as \"CNY\", got %s",
                  DESCRIBE(cur));
        pop(L, m2);
    }
    if (!a->currency)
        a->currency = a->locale == VP_LOCALE_ZH_CN ? "CNY" : "USD";
    read_int(L, acc, "fiscal_year_start_month", false, &k_month, &a->fiscal_year_start_month);

    const vp_json *team = field(L, acc, "team", false, "an object");
    if (team) {
        size_t m2 = push_key(L, "team");
        if (check_object(L, team, "an object {\"csm\": ..., \"account_executive\": ..., "
                         "\"executive_sponsor\": ...}", k_team_fields)) {
            read_person(L, team, "csm", &a->csm);
            read_person(L, team, "account_executive", &a->account_executive);
            read_person(L, team, "executive_sponsor", &a->executive_sponsor);
        }
        pop(L, m2);
    }
    pop(L, mark);
}

/* A list field at the top level (or in `obj`), its path pushed, items allocated in the
 * model: returns the list (NULL when absent or not a list) and sets *items / *n. */
static const vp_json *begin_list(loader *L, const vp_json *obj, const char *key,
                                 const char *what, size_t item_size, void **items, size_t *n,
                                 size_t *mark)
{
    *items = NULL;
    *n = 0;
    const vp_json *list = read_list(L, obj, key, what);
    if (!list)
        return NULL;
    *mark = push_key(L, key);
    *items = alloc_array(L, list->len, item_size);
    *n = *items ? list->len : 0;
    if (list->len && !*items) {
        pop(L, *mark);
        return NULL;
    }
    return list;
}

static void read_module(loader *L, const vp_json *m, uint32_t i, void *ctx)
{
    vp_account *a = ctx;
    vp_module *mod = &a->modules[i];
    if (read_text(L, m, "code", true, "a module code such as \"FIN\"", &mod->code)) {
        for (uint32_t j = 0; j < i; j++) {
            if (a->modules[j].code && strcmp(a->modules[j].code, mod->code) == 0) {
                const vp_json *cv = vp_json_get(m, "code");
                size_t mark = push_key(L, "code");
                error(L, cv->offset, "module code %s appears twice (also contract.modules[%u]), "
                      "expected each module once", DESCRIBE(cv), j);
                pop(L, mark);
                break;
            }
        }
    }
    read_text(L, m, "name", false, "the module's name", &mod->name);
    read_number(L, m, "annual_fee", false, &k_money, &mod->annual_fee);
    read_number(L, m, "licensed_users", false, &k_count, &mod->licensed_users);
}

static void read_contract(loader *L, const vp_json *root)
{
    vp_account *a = L->a;
    const char *what = "an object {\"start_date\": ..., \"end_date\": ..., \"arr\": ...}";
    const vp_json *c = field(L, root, "contract", true, what);
    if (!c)
        return;
    size_t mark = push_key(L, "contract");
    if (!check_object(L, c, what, k_contract_fields)) {
        pop(L, mark);
        return;
    }
    bool have_start = read_date(L, c, "start_date", true, &a->start_date);
    read_date(L, c, "go_live_date", false, &a->go_live_date);
    if (read_date(L, c, "end_date", true, &a->end_date) && have_start &&
        a->end_date <= a->start_date) {
        const vp_json *e = vp_json_get(c, "end_date"), *s = vp_json_get(c, "start_date");
        size_t m2 = push_key(L, "end_date");
        if (a->end_date < a->start_date)
            error(L, e->offset, "end_date %s is before start_date %s, expected a date after "
                  "the start", e->u.string, s->u.string);
        else
            error(L, e->offset, "end_date %s is the same day as start_date, expected a date "
                  "after the start", e->u.string);
        pop(L, m2);
    }
    read_number(L, c, "arr", true, &k_money, &a->arr);
    read_number(L, c, "licensed_users", false, &k_count, &a->licensed_users);

    size_t m2 = 0;
    void *items;
    const vp_json *mods = begin_list(L, c, "modules", "a list of modules [{\"code\": ...}]",
                                     sizeof *a->modules, &items, &a->n_modules, &m2);
    if (mods) {
        L->have_modules = true;
        a->modules = items;
        each_object(L, mods, "an object {\"code\": ..., \"name\": ...}", k_module_fields,
                    read_module, a);
        pop(L, m2);
    }
    pop(L, mark);
}

/* "FIN, SCM, ..." — the first few of a list of names, for messages. */
static void list_names(char *buf, size_t size, const char *const *names, size_t n, bool more)
{
    size_t used = 0, shown = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        bool seen = !names[i];
        for (size_t j = 0; j < i && !seen; j++)
            seen = names[j] && strcmp(names[j], names[i]) == 0;
        if (seen)
            continue;
        used += (size_t)snprintf(buf + used, size - used, "%s%s", shown ? ", " : "", names[i]);
        shown++;
    }
    if (!shown)
        snprintf(buf, size, "(none)");
    else if (more && used < size)
        snprintf(buf + used, size - used, ", ...");
}

static void check_module_ref(loader *L, const vp_json *obj, const char *key, const char *code)
{
    const vp_account *a = L->a;
    if (!code || !L->have_modules || vp_account_module(a, code))
        return;
    const char *codes[8];
    size_t n = 0;
    for (size_t i = 0; i < a->n_modules && n < 8; i++)
        codes[n++] = a->modules[i].code;
    char list[240];
    list_names(list, sizeof list, codes, n, a->n_modules > 8);
    const vp_json *v = vp_json_get(obj, key);
    size_t mark = push_key(L, key);
    error(L, v->offset, "unknown module %s, expected one of the contract.modules codes: %s",
          DESCRIBE(v), list);
    pop(L, mark);
}

static void read_actual(loader *L, const vp_json *item, uint32_t i, void *ctx)
{
    vp_actual *act = &((vp_kpi *)ctx)->actuals[i];
    read_period(L, item, "period", &act->period);
    read_number(L, item, "value", true, &k_kpi, &act->value);
}

static void read_actuals(loader *L, const vp_json *k, vp_kpi *kpi)
{
    size_t mark = 0;
    void *items;
    const vp_json *list = begin_list(L, k, "actuals",
                                     "a list of actuals [{\"period\": ..., \"value\": ...}]",
                                     sizeof *kpi->actuals, &items, &kpi->n_actuals, &mark);
    if (!list)
        return;
    kpi->actuals = items;
    if (list->len > VP_LIMIT_ACTUALS) {
        error(L, list->u.items[VP_LIMIT_ACTUALS].offset,
              "more than %d actuals for one KPI, the limit is %d", VP_LIMIT_ACTUALS,
              VP_LIMIT_ACTUALS);
        L->limit = true;
        pop(L, mark);
        return;
    }
    each_object(L, list, "an object {\"period\": ..., \"value\": ...}", k_actual_fields,
                read_actual, kpi);
    check_period_duplicates(L, list, kpi->actuals, sizeof *kpi->actuals,
                            offsetof(vp_actual, period));
    sort_stable(L, kpi->actuals, kpi->n_actuals, sizeof *kpi->actuals, cmp_actual,
                &L->a->fiscal_year_start_month);
    pop(L, mark);
}

/* target on the right side of the baseline, and target_date after baseline_date (each
 * defaulting to the contract's start and end). */
static void check_kpi(loader *L, const vp_json *k, const vp_kpi *kpi, bool have_dir,
                      bool have_baseline, bool have_target)
{
    if (have_dir && have_baseline && have_target &&
        (kpi->direction == VP_DIR_INCREASE ? kpi->target < kpi->baseline
                                           : kpi->target > kpi->baseline)) {
        const vp_json *t = vp_json_get(k, "target"), *b = vp_json_get(k, "baseline");
        bool inc = kpi->direction == VP_DIR_INCREASE;
        size_t mark = push_key(L, "target");
        error(L, t->offset, "target %.*s is %s the baseline %.*s but direction is \"%s\", "
              "expected a target at or %s the baseline", RAW(t), inc ? "below" : "above",
              RAW(b), inc ? "increase" : "decrease", inc ? "above" : "below");
        pop(L, mark);
    }
    const vp_json *bd = vp_json_get(k, "baseline_date"), *td = vp_json_get(k, "target_date");
    bool b_given = kpi->baseline_date != VP_NO_DATE, t_given = kpi->target_date != VP_NO_DATE;
    if ((bd && bd->type != VP_JSON_NULL && !b_given) ||
        (td && td->type != VP_JSON_NULL && !t_given))
        return;     /* an invalid date was already reported */
    vp_date b = b_given ? kpi->baseline_date : L->a->start_date;
    vp_date t = t_given ? kpi->target_date : L->a->end_date;
    if (b == VP_NO_DATE || t == VP_NO_DATE || t > b)
        return;
    char bs[11], ts[11];
    vp_date_format_iso(b, bs);
    vp_date_format_iso(t, ts);
    if (t_given) {
        size_t mark = push_key(L, "target_date");
        error(L, td->offset, "target_date %s is %s %s %s, expected a later date", ts,
              t == b ? "the same day as" : "before",
              b_given ? "baseline_date" : "the contract start_date (the KPI's default "
              "baseline_date)", bs);
        pop(L, mark);
    } else if (b_given) {
        size_t mark = push_key(L, "baseline_date");
        error(L, bd->offset, "baseline_date %s is %s the contract end_date %s (the KPI's "
              "default target_date), expected an earlier date or a target_date",
              bs, t == b ? "the same day as" : "after", ts);
        pop(L, mark);
    }
}

static void read_kpi(loader *L, const vp_json *k, uint32_t i, void *ctx)
{
    vp_account *a = ctx;
    vp_kpi *kpi = &a->kpis[i];
    if (read_text(L, k, "id", true, "a KPI id such as \"inv_days\"", &kpi->id)) {
        for (uint32_t j = 0; j < i; j++) {
            if (a->kpis[j].id && strcmp(a->kpis[j].id, kpi->id) == 0) {
                const vp_json *iv = vp_json_get(k, "id");
                size_t mark = push_key(L, "id");
                error(L, iv->offset, "KPI id %s appears twice (also kpis[%u]), expected each "
                      "KPI id once", DESCRIBE(iv), j);
                pop(L, mark);
                break;
            }
        }
    }
    read_text(L, k, "name", true, "the KPI's name", &kpi->name);
    read_text(L, k, "unit", false, "a unit such as \"days\"", &kpi->unit);
    int dir = 0;
    bool have_dir = read_enum(L, k, "direction", true, k_directions, &dir);
    kpi->direction = dir == 1 ? VP_DIR_DECREASE : VP_DIR_INCREASE;
    bool have_b = read_number(L, k, "baseline", true, &k_kpi, &kpi->baseline);
    read_date(L, k, "baseline_date", false, &kpi->baseline_date);
    bool have_t = read_number(L, k, "target", true, &k_kpi, &kpi->target);
    read_date(L, k, "target_date", false, &kpi->target_date);
    if (read_text(L, k, "module", false, "a module code", &kpi->module))
        check_module_ref(L, k, "module", kpi->module);
    read_number(L, k, "value_per_unit", false, &k_rate, &kpi->value_per_unit);
    read_actuals(L, k, kpi);
    check_kpi(L, k, kpi, have_dir, have_b, have_t);
}

static void read_kpis(loader *L, const vp_json *root)
{
    vp_account *a = L->a;
    size_t mark = 0;
    void *items;
    const vp_json *list = begin_list(L, root, "kpis", "a list of KPIs [{\"id\": ...}]",
                                     sizeof *a->kpis, &items, &a->n_kpis, &mark);
    if (!list)
        return;
    a->kpis = items;
    each_object(L, list, "an object {\"id\": ..., \"name\": ..., \"direction\": ...}",
                k_kpi_fields, read_kpi, a);
    pop(L, mark);
}

static void check_kpi_ref(loader *L, const vp_json *obj, const char *id)
{
    const vp_account *a = L->a;
    if (!id || vp_account_kpi(a, id))
        return;
    const char *ids[8];
    size_t n = 0;
    for (size_t i = 0; i < a->n_kpis && n < 8; i++)
        ids[n++] = a->kpis[i].id;
    char list[240];
    list_names(list, sizeof list, ids, n, a->n_kpis > 8);
    const vp_json *v = vp_json_get(obj, "kpi");
    size_t mark = push_key(L, "kpi");
    error(L, v->offset, "unknown KPI %s, expected the id of one of the kpis: %s", DESCRIBE(v),
          list);
    pop(L, mark);
}

static void read_milestone(loader *L, const vp_json *m, uint32_t i, void *ctx)
{
    vp_milestone *ms = &((vp_account *)ctx)->milestones[i];
    read_text(L, m, "name", true, "the milestone's name", &ms->name);
    int kind = VP_MS_MILESTONE;
    read_enum(L, m, "kind", false, k_milestone_kinds, &kind);
    ms->kind = (vp_milestone_kind)kind;
    read_date(L, m, "due", false, &ms->due);
    read_date(L, m, "done", false, &ms->done);
    if (read_text(L, m, "kpi", false, "a KPI id", &ms->kpi))
        check_kpi_ref(L, m, ms->kpi);
}

static void read_milestones(loader *L, const vp_json *root)
{
    vp_account *a = L->a;
    size_t mark = 0;
    void *items;
    const vp_json *list = begin_list(L, root, "milestones", "a list of milestones",
                                     sizeof *a->milestones, &items, &a->n_milestones, &mark);
    if (!list)
        return;
    a->milestones = items;
    each_object(L, list, "an object {\"name\": ..., \"due\": ...}", k_milestone_fields,
                read_milestone, a);
    pop(L, mark);
}

/* usage[].modules (module code -> share) or usage[].transactions (name -> count). */
static void read_named_values(loader *L, const vp_json *obj, const char *key,
                              const numrule *r, bool module_codes, vp_named_value **out,
                              size_t *n_out, bool *present)
{
    *out = NULL;
    *n_out = 0;
    const char *what = module_codes ? "an object {\"FIN\": 0.92, ...} of module shares"
                                    : "an object {\"sales_orders\": 4100, ...} of counts";
    const vp_json *v = field(L, obj, key, false, what);
    if (!v)
        return;
    size_t mark = push_key(L, key);
    if (check_object(L, v, what, NULL)) {
        if (present)
            *present = true;
        vp_named_value *items = alloc_array(L, v->len, sizeof *items);
        for (uint32_t i = 0; items && i < v->len; i++) {
            const vp_json *m = &v->u.items[i];
            size_t m2 = push_key(L, m->key);
            items[i].key = copy_str(L, m->key, strlen(m->key));
            items[i].value = NAN;
            if (m->type == VP_JSON_NULL)
                error(L, m->offset, "null, expected %s", r->expect);
            else
                check_number(L, m, r, &items[i].value);
            if (module_codes && L->have_modules && !vp_account_module(L->a, m->key))
                warning(L, m->key_offset, "module \"%s\" is not in contract.modules, expected "
                        "a licensed module's code (this share does not count in the health "
                        "score)", m->key);
            pop(L, m2);
        }
        *out = items;
        *n_out = items ? v->len : 0;
    }
    pop(L, mark);
}

static void read_usage_item(loader *L, const vp_json *u, uint32_t i, void *ctx)
{
    vp_usage *us = &((vp_account *)ctx)->usage[i];
    read_period(L, u, "period", &us->period);
    read_number(L, u, "licensed_users", false, &k_count, &us->licensed_users);
    read_number(L, u, "active_monthly", false, &k_count, &us->active_monthly);
    read_number(L, u, "active_weekly", false, &k_count, &us->active_weekly);
    read_number(L, u, "active_daily", false, &k_count, &us->active_daily);
    read_named_values(L, u, "modules", &k_share, true, &us->modules, &us->n_modules,
                      &us->has_modules);
    read_named_values(L, u, "transactions", &k_count, false, &us->transactions,
                      &us->n_transactions, NULL);
}

static void read_usage(loader *L, const vp_json *root)
{
    vp_account *a = L->a;
    size_t mark = 0;
    void *items;
    const vp_json *list = begin_list(L, root, "usage", "a list of usage records by period",
                                     sizeof *a->usage, &items, &a->n_usage, &mark);
    if (!list)
        return;
    a->usage = items;
    each_object(L, list, "an object {\"period\": ..., \"active_monthly\": ...}", k_usage_fields,
                read_usage_item, a);
    check_period_duplicates(L, list, a->usage, sizeof *a->usage, offsetof(vp_usage, period));
    sort_stable(L, a->usage, a->n_usage, sizeof *a->usage, cmp_usage,
                &a->fiscal_year_start_month);
    pop(L, mark);
}

static void read_support_item(loader *L, const vp_json *s, uint32_t i, void *ctx)
{
    vp_support *sp = &((vp_account *)ctx)->support[i];
    read_period(L, s, "period", &sp->period);
    read_number(L, s, "opened", false, &k_count, &sp->opened);
    read_number(L, s, "closed", false, &k_count, &sp->closed);
    read_number(L, s, "p1", false, &k_count, &sp->p1);
    read_number(L, s, "median_resolution_hours", false, &k_hours, &sp->median_resolution_hours);
    read_number(L, s, "sla_met_pct", false, &k_sla, &sp->sla_met_pct);
    read_number(L, s, "csat", false, &k_csat, &sp->csat);
}

static void read_support(loader *L, const vp_json *root)
{
    vp_account *a = L->a;
    size_t mark = 0;
    void *items;
    const vp_json *list = begin_list(L, root, "support", "a list of support records by period",
                                     sizeof *a->support, &items, &a->n_support, &mark);
    if (!list)
        return;
    a->support = items;
    each_object(L, list, "an object {\"period\": ..., \"opened\": ...}", k_support_fields,
                read_support_item, a);
    check_period_duplicates(L, list, a->support, sizeof *a->support,
                            offsetof(vp_support, period));
    sort_stable(L, a->support, a->n_support, sizeof *a->support, cmp_support,
                &a->fiscal_year_start_month);
    pop(L, mark);
}

static void read_training_item(loader *L, const vp_json *t, uint32_t i, void *ctx)
{
    vp_training *tr = &((vp_account *)ctx)->training[i];
    read_date(L, t, "date", true, &tr->date);
    read_text(L, t, "role", false, "the trained role", &tr->role);
    read_text(L, t, "topic", false, "the topic", &tr->topic);
    read_text(L, t, "module", false, "a module code", &tr->module);
    read_number(L, t, "attendees", false, &k_count, &tr->attendees);
}

static void read_training(loader *L, const vp_json *root)
{
    vp_account *a = L->a;
    size_t mark = 0;
    void *items;
    const vp_json *list = begin_list(L, root, "training", "a list of training sessions",
                                     sizeof *a->training, &items, &a->n_training, &mark);
    if (!list)
        return;
    a->training = items;
    each_object(L, list, "an object {\"date\": ..., \"role\": ..., \"topic\": ...}",
                k_training_fields, read_training_item, a);
    sort_stable(L, a->training, a->n_training, sizeof *a->training, cmp_training, NULL);
    pop(L, mark);
}

static void read_champion(loader *L, const vp_json *c, uint32_t i, void *ctx)
{
    vp_champion *ch = &((vp_account *)ctx)->champions[i];
    read_text(L, c, "name", true, "the champion's name", &ch->name);
    read_text(L, c, "title", false, "a job title", &ch->title);
    read_text(L, c, "department", false, "a department", &ch->department);
    read_text(L, c, "note", false, "a note", &ch->note);
}

static void read_champions(loader *L, const vp_json *root)
{
    vp_account *a = L->a;
    size_t mark = 0;
    void *items;
    const vp_json *list = begin_list(L, root, "champions", "a list of champion users",
                                     sizeof *a->champions, &items, &a->n_champions, &mark);
    if (!list)
        return;
    a->champions = items;
    each_object(L, list, "an object {\"name\": ..., \"title\": ...}", k_champion_fields,
                read_champion, a);
    pop(L, mark);
}

static void read_engagement(loader *L, const vp_json *e, uint32_t i, void *ctx)
{
    vp_engagement *en = &((vp_account *)ctx)->engagements[i];
    read_date(L, e, "date", true, &en->date);
    int kind = VP_ENG_OTHER;
    read_enum(L, e, "kind", true, k_engagement_kinds, &kind);
    en->kind = (vp_engagement_kind)kind;
    read_text(L, e, "title", false, "a title", &en->title);
    read_text_list(L, e, "attendees", &en->attendees, &en->n_attendees);
    read_text_list(L, e, "outcomes", &en->outcomes, &en->n_outcomes);
}

static void read_engagements(loader *L, const vp_json *root)
{
    vp_account *a = L->a;
    size_t mark = 0;
    void *items;
    const vp_json *list = begin_list(L, root, "engagements", "a list of engagements",
                                     sizeof *a->engagements, &items, &a->n_engagements, &mark);
    if (!list)
        return;
    a->engagements = items;
    each_object(L, list, "an object {\"date\": ..., \"kind\": ..., \"title\": ...}",
                k_engagement_fields, read_engagement, a);
    sort_stable(L, a->engagements, a->n_engagements, sizeof *a->engagements, cmp_engagement,
                NULL);
    pop(L, mark);
}

static void read_opportunity(loader *L, const vp_json *o, uint32_t i, void *ctx)
{
    vp_opportunity *op = &((vp_account *)ctx)->opportunities[i];
    read_text(L, o, "name", true, "the opportunity's name", &op->name);
    read_text(L, o, "module", false, "a module code", &op->module);
    read_text(L, o, "pain_point", false, "the customer's pain point", &op->pain_point);
    read_number(L, o, "annual_fee", false, &k_money, &op->annual_fee);
    int stage = VP_OPP_IDENTIFIED;
    read_enum(L, o, "stage", false, k_stages, &stage);
    op->stage = (vp_opp_stage)stage;
}

static void read_opportunities(loader *L, const vp_json *root)
{
    vp_account *a = L->a;
    size_t mark = 0;
    void *items;
    const vp_json *list = begin_list(L, root, "opportunities",
                                     "a list of expansion opportunities",
                                     sizeof *a->opportunities, &items, &a->n_opportunities,
                                     &mark);
    if (!list)
        return;
    a->opportunities = items;
    each_object(L, list, "an object {\"name\": ..., \"module\": ..., \"annual_fee\": ...}",
                k_opportunity_fields, read_opportunity, a);
    pop(L, mark);
}

static void read_term(loader *L, const vp_json *t, uint32_t i, void *ctx)
{
    vp_renewal_terms *r = ctx;
    vp_multi_year *my = &r->multi_year[i];
    if (read_int(L, t, "years", true, &k_years, &my->years)) {
        for (uint32_t j = 0; j < i; j++) {
            if (r->multi_year[j].years == my->years) {
                const vp_json *yv = vp_json_get(t, "years");
                size_t mark = push_key(L, "years");
                error(L, yv->offset, "term of %d years appears twice (also "
                      "renewal.multi_year[%u]), expected each term once", my->years, j);
                pop(L, mark);
                break;
            }
        }
    }
    read_number(L, t, "discount_pct", true, &k_discount, &my->discount_pct);
}

static void read_renewal(loader *L, const vp_json *root)
{
    vp_renewal_terms *r = &L->a->renewal;
    const char *what = "an object {\"uplift_pct\": ..., \"multi_year\": [...]}";
    const vp_json *v = field(L, root, "renewal", false, what);
    if (!v)
        return;
    size_t mark = push_key(L, "renewal");
    if (!check_object(L, v, what, k_renewal_fields)) {
        pop(L, mark);
        return;
    }
    r->present = true;
    double x;
    if (read_number(L, v, "uplift_pct", false, &k_uplift, &x))
        r->uplift_pct = x;
    if (read_number(L, v, "bundle_discount_pct", false, &k_discount, &x))
        r->bundle_discount_pct = x;
    size_t m2 = 0;
    void *items;
    const vp_json *list = begin_list(L, v, "multi_year",
                                     "a list of terms [{\"years\": 2, \"discount_pct\": 6}]",
                                     sizeof *r->multi_year, &items, &r->n_multi_year, &m2);
    if (list) {
        r->multi_year = items;
        each_object(L, list, "an object {\"years\": ..., \"discount_pct\": ...}",
                    k_multi_year_fields, read_term, r);
        sort_stable(L, r->multi_year, r->n_multi_year, sizeof *r->multi_year, cmp_multi_year,
                    NULL);
        pop(L, m2);
    }
    read_int(L, v, "quote_valid_days", false, &k_days, &r->quote_valid_days);
    pop(L, mark);
}

static void read_plan_item(loader *L, const vp_json *p, uint32_t i, void *ctx)
{
    vp_plan_item *pl = &((vp_account *)ctx)->plan[i];
    read_text(L, p, "goal", true, "the goal", &pl->goal);
    if (read_text(L, p, "kpi", false, "a KPI id", &pl->kpi))
        check_kpi_ref(L, p, pl->kpi);
    read_number(L, p, "target", false, &k_kpi, &pl->target);
    read_date(L, p, "by", false, &pl->by);
}

static void read_plan(loader *L, const vp_json *root)
{
    vp_account *a = L->a;
    size_t mark = 0;
    void *items;
    const vp_json *list = begin_list(L, root, "plan", "a list of next-period goals",
                                     sizeof *a->plan, &items, &a->n_plan, &mark);
    if (!list)
        return;
    a->plan = items;
    each_object(L, list, "an object {\"goal\": ..., \"kpi\": ..., \"target\": ...}",
                k_plan_fields, read_plan_item, a);
    pop(L, mark);
}

static void read_root(loader *L, const vp_json *root)
{
    if (root->type != VP_JSON_OBJECT) {
        error(L, root->offset, "expected a JSON object {\"schema\": \"" SCHEMA_ID "\", ...} "
              "with one account, got %s", DESCRIBE(root));
        return;
    }
    check_object(L, root, "an object", k_root_fields);
    const vp_json *s = field(L, root, "schema", true, "\"" SCHEMA_ID "\"");
    if (s) {
        size_t mark = push_key(L, "schema");
        if (s->type != VP_JSON_STRING)
            error(L, s->offset, "expected \"" SCHEMA_ID "\", got %s", DESCRIBE(s));
        else if (strcmp(s->u.string, SCHEMA_ID) != 0)
            error(L, s->offset, "unknown schema %s, expected \"" SCHEMA_ID "\"", DESCRIBE(s));
        pop(L, mark);
    }
    read_account(L, root);
    read_contract(L, root);
    read_kpis(L, root);
    read_milestones(L, root);
    read_usage(L, root);
    read_support(L, root);
    read_training(L, root);
    read_champions(L, root);
    read_engagements(L, root);
    read_opportunities(L, root);
    read_renewal(L, root);
    read_plan(L, root);
}

/* ---- entry points ------------------------------------------------------------------- */

static vp_account *account_new(void)
{
    vp_account *a = vp_calloc(1, sizeof *a);
    if (!a)
        return NULL;
    vp_arena_init(&a->arena, 0);
    a->locale = VP_LOCALE_EN;
    a->fiscal_year_start_month = 1;
    a->start_date = a->go_live_date = a->end_date = VP_NO_DATE;
    a->arr = a->licensed_users = NAN;
    a->renewal.uplift_pct = 0;
    a->renewal.bundle_discount_pct = 0;
    a->renewal.quote_valid_days = 30;
    return a;
}

static int load_text(vp_account **out, const char *data, size_t len, const char *name,
                     bool strict, vp_diag *diag)
{
    int rc = VP_OK;
    vp_json_doc doc;
    loader L;
    memset(&L, 0, sizeof L);
    memset(&doc, 0, sizeof doc);
    vp_account *a = NULL;

    if (len > VP_LIMIT_FILE_BYTES) {
        vp_diag_add(diag, VP_SEV_ERROR, name, NULL, 0, 0,
                    "the file is larger than the limit of %u bytes", VP_LIMIT_FILE_BYTES);
        return VP_ERR_LIMIT;
    }
    const vp_json_limits lim = {VP_LIMIT_DEPTH, VP_LIMIT_ARRAY_ITEMS, VP_LIMIT_STRING_BYTES};
    int prc = vp_json_parse(&doc, data, len, &lim, diag, name);
    if (prc != VP_OK && prc != VP_ERR_INVALID) {
        rc = prc;
        goto done;
    }
    a = account_new();
    if (!a) {
        rc = VP_ERR_NOMEM;
        goto done;
    }
    L.a = a;
    L.ar = &a->arena;
    L.doc = &doc;
    L.diag = diag;
    L.file = name;
    L.strict = strict;
    a->source = vp_arena_strdup(&a->arena, name);
    read_root(&L, doc.root);
    if (L.nomem || vp_strbuf_failed(&L.path) || !a->source)
        rc = VP_ERR_NOMEM;
    else if (L.limit)
        rc = VP_ERR_LIMIT;
    else if (L.errors || prc == VP_ERR_INVALID)
        rc = VP_ERR_INVALID;

done:
    vp_strbuf_free(&L.path);
    vp_json_doc_free(&doc);
    if (rc != VP_OK) {
        vp_account_free(a);
        a = NULL;
    }
    *out = a;
    return rc;
}

int vp_account_load_buffer(vp_account **out, const char *data, size_t len,
                           const vp_load_options *opts, vp_diag *diag)
{
    const char *name = opts && opts->display_name ? opts->display_name : "<memory>";
    *out = NULL;
    if (!data && len)
        return VP_ERR_USAGE;
    return load_text(out, data ? data : "", len, name, opts && opts->strict, diag);
}

int vp_account_load(vp_account **out, const char *path, const vp_load_options *opts,
                    vp_diag *diag)
{
    const char *name = opts && opts->display_name ? opts->display_name : path;
    char *buf = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = vp_file_read(path, VP_LIMIT_FILE_BYTES, &buf, &len, diag, name);
    if (rc != VP_OK)
        return rc;
    rc = load_text(out, buf, len, name, opts && opts->strict, diag);
    vp_free(buf);
    return rc;
}
