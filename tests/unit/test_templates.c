/* test_templates.c — the shipped report_templates/ ($VALUEPACK_TEMPLATES) against the code
 * ($SOURCE_ROOT):
 *   - every file loads (health model, playbook, best practices, layouts, theme, locales);
 *   - en and zh-CN define exactly the same keys, none empty, with the same {placeholders};
 *   - every key the sources under lib/ and cmd/ pass as a literal to vp_tr(), and every
 *     key-shaped string literal ("common.status.behind") in them, exists in both locales;
 *   - playbook rules use known placeholders, unique ids; every health band has a label. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "check.h"
#include "compute/playbook.h"
#include "compute/report.h"
#include "templates/templates.h"
#include "util/alloc.h"
#include "util/fs.h"
#include "util/strbuf.h"

#define EN VP_LOCALE_EN
#define ZH VP_LOCALE_ZH_CN

static vp_templates *g_tpl;

static const char *source_root(void)
{
    const char *s = getenv("SOURCE_ROOT");
    return s && *s ? s : TEST_DATA "/../..";
}

/* ---- a small C tokenizer: identifiers, string literals (decoded, adjacent ones joined),
 * single punctuation characters; comments and character literals skipped. ---------------- */

typedef enum { TOK_IDENT, TOK_STRING, TOK_PUNCT } tok_kind;

typedef struct token {
    tok_kind kind;
    char *text;   /* vp_malloc'd */
    int line;
} token;

typedef struct tokens {
    token *v;
    size_t n, cap;
} tokens;

static void push(tokens *t, tok_kind kind, const char *s, size_t len, int line)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->v = vp_realloc(t->v, t->cap * sizeof *t->v);
    }
    char *text = vp_malloc(len + 1);
    memcpy(text, s, len);
    text[len] = '\0';
    t->v[t->n++] = (token){kind, text, line};
}

static void tokens_free(tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        vp_free(t->v[i].text);
    vp_free(t->v);
}

static void tokenize(const char *src, size_t len, tokens *out)
{
    int line = 1;
    size_t i = 0;
    while (i < len) {
        char c = src[i];
        if (c == '\n') {
            line++;
            i++;
        } else if (c == '/' && i + 1 < len && src[i + 1] == '/') {
            while (i < len && src[i] != '\n')
                i++;
        } else if (c == '/' && i + 1 < len && src[i + 1] == '*') {
            i += 2;
            while (i + 1 < len && !(src[i] == '*' && src[i + 1] == '/')) {
                line += src[i] == '\n';
                i++;
            }
            i += 2;
        } else if (c == '\'') {
            i++;
            while (i < len && src[i] != '\'') {
                if (src[i] == '\\')
                    i++;
                i++;
            }
            i++;
        } else if (c == '"') {
            vp_strbuf sb = VP_STRBUF_INIT;
            i++;
            while (i < len && src[i] != '"') {
                if (src[i] == '\\' && i + 1 < len) {
                    char e = src[i + 1];
                    vp_strbuf_putc(&sb, e == 'n' ? '\n' : e == 't' ? '\t' : e);
                    i += 2;
                } else {
                    vp_strbuf_putc(&sb, src[i++]);
                }
            }
            i++;
            /* Adjacent literals are one string. */
            if (out->n && out->v[out->n - 1].kind == TOK_STRING) {
                token *prev = &out->v[out->n - 1];
                vp_strbuf joined = VP_STRBUF_INIT;
                vp_strbuf_puts(&joined, prev->text);
                vp_strbuf_puts(&joined, vp_strbuf_cstr(&sb));
                vp_free(prev->text);
                prev->text = vp_strbuf_detach(&joined);
            } else {
                push(out, TOK_STRING, vp_strbuf_cstr(&sb), sb.len, line);
            }
            vp_strbuf_free(&sb);
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
            size_t s = i;
            while (i < len && ((src[i] >= 'a' && src[i] <= 'z') || (src[i] >= 'A' && src[i] <= 'Z') ||
                               (src[i] >= '0' && src[i] <= '9') || src[i] == '_'))
                i++;
            push(out, TOK_IDENT, src + s, i - s, line);
        } else if (c == ' ' || c == '\t' || c == '\r' || (c >= '0' && c <= '9')) {
            i++;
        } else {
            push(out, TOK_PUNCT, src + i, 1, line);
            i++;
        }
    }
}

/* ---- collecting the keys the sources use ----------------------------------------------- */

typedef struct use {
    char *key;
    char where[512];
    bool literal_call;   /* the third argument of vp_tr(...) */
} use;

typedef struct uses {
    use *v;
    size_t n, cap;
} uses;

static void add_use(uses *u, const char *key, const char *file, int line, bool call)
{
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 256;
        u->v = vp_realloc(u->v, u->cap * sizeof *u->v);
    }
    use *x = &u->v[u->n++];
    x->key = vp_strdup(key);
    if (snprintf(x->where, sizeof x->where, "%s:%d", file, line) >= (int)sizeof x->where)
        x->where[sizeof x->where - 1] = '\0';   /* a long path is cut, not an error */
    x->literal_call = call;
}

/* "common.status.behind": a first segment naming a locale file, then [a-z0-9_] segments;
 * file names ("report.json") are not keys. */
static bool key_shaped(const char *s, const char *const *prefixes, size_t n_prefixes)
{
    const char *dot = strchr(s, '.');
    if (!dot || dot == s)
        return false;
    bool prefix = false;
    for (size_t i = 0; i < n_prefixes && !prefix; i++)
        prefix = strlen(prefixes[i]) == (size_t)(dot - s) &&
                 strncmp(prefixes[i], s, (size_t)(dot - s)) == 0;
    if (!prefix)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.'))
            return false;
    const char *last = strrchr(s, '.');
    if (last[1] == '\0' || strstr(s, ".."))
        return false;
    static const char *const ext[] = {"json", "c", "h", "pdf", "xlsx", "png", "jpg", "jpeg",
                                      "txt", "csv", "ttf", "otf", "ttc", "tmp", "md"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (strcmp(last + 1, ext[i]) == 0)
            return false;
    return true;
}

static void scan_file(const char *path, const char *rel, uses *u, const char *const *prefixes,
                      size_t n_prefixes)
{
    char *buf = NULL;
    size_t len = 0;
    if (vp_file_read(path, 16u << 20, &buf, &len, NULL, path) != VP_OK)
        return;
    tokens t = {0};
    tokenize(buf, len, &t);
    vp_free(buf);
    for (size_t i = 0; i < t.n; i++) {
        if (t.v[i].kind == TOK_STRING && key_shaped(t.v[i].text, prefixes, n_prefixes))
            add_use(u, t.v[i].text, rel, t.v[i].line, false);
        if (t.v[i].kind != TOK_IDENT || strcmp(t.v[i].text, "vp_tr") != 0 || i + 1 >= t.n ||
            strcmp(t.v[i + 1].text, "(") != 0)
            continue;
        /* The third argument at depth 1. */
        int depth = 0, arg = 0;
        size_t start = 0, count = 0;
        for (size_t j = i + 1; j < t.n; j++) {
            const char *x = t.v[j].text;
            if (t.v[j].kind == TOK_PUNCT && (*x == '(' || *x == '[' || *x == '{')) {
                if (depth++ == 0)
                    continue;
            } else if (t.v[j].kind == TOK_PUNCT && (*x == ')' || *x == ']' || *x == '}')) {
                if (--depth == 0)
                    break;
            } else if (depth == 1 && t.v[j].kind == TOK_PUNCT && *x == ',') {
                arg++;
                continue;
            }
            if (depth >= 1 && arg == 2) {
                if (!count++)
                    start = j;
            }
        }
        if (count == 1 && t.v[start].kind == TOK_STRING)
            add_use(u, t.v[start].text, rel, t.v[start].line, true);
    }
    tokens_free(&t);
}

static void scan_dir(const char *dir, const char *rel, uses *u, const char *const *prefixes,
                     size_t n_prefixes, int *files)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096], r2[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        snprintf(r2, sizeof r2, "%s/%s", rel, de->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            scan_dir(path, r2, u, prefixes, n_prefixes, files);
            continue;
        }
        size_t n = strlen(de->d_name);
        if (n > 2 && de->d_name[n - 2] == '.' && (de->d_name[n - 1] == 'c' || de->d_name[n - 1] == 'h')) {
            scan_file(path, r2, u, prefixes, n_prefixes);
            (*files)++;
        }
    }
    closedir(d);
}

/* ---- placeholders ---------------------------------------------------------------------------- */

/* The {names} of s, sorted and joined by ",". */
static char *placeholders(const char *s)
{
    const char *names[64];
    size_t lens[64], n = 0;
    for (const char *p = strchr(s, '{'); p && n < 64; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        if (!close)
            break;
        names[n] = p + 1;
        lens[n++] = (size_t)(close - p - 1);
    }
    for (size_t i = 1; i < n; i++)   /* insertion sort */
        for (size_t j = i; j > 0; j--) {
            size_t m = lens[j] < lens[j - 1] ? lens[j] : lens[j - 1];
            int c = strncmp(names[j], names[j - 1], m);
            if (c > 0 || (c == 0 && lens[j] >= lens[j - 1]))
                break;
            const char *tn = names[j];
            size_t tl = lens[j];
            names[j] = names[j - 1];
            lens[j] = lens[j - 1];
            names[j - 1] = tn;
            lens[j - 1] = tl;
        }
    vp_strbuf sb = VP_STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i && lens[i] == lens[i - 1] && strncmp(names[i], names[i - 1], lens[i]) == 0)
            continue;   /* the same placeholder twice */
        vp_strbuf_append(&sb, names[i], lens[i]);
        vp_strbuf_putc(&sb, ',');
    }
    return vp_strbuf_detach(&sb);
}

/* ---- tests ----------------------------------------------------------------------------------- */

static void test_load(void)
{
    CHECK(g_tpl != NULL);
    if (!g_tpl)
        return;
    CHECK(g_tpl->n_rules >= 10);
    CHECK(g_tpl->health.n_bands >= 2);
    double w = 0;
    for (int i = 0; i < VP_H__COUNT; i++)
        w += g_tpl->health.weight[i];
    CHECK(w > 0);
    CHECK(g_tpl->strings[EN].n > 0);
    CHECK(g_tpl->strings[ZH].n > 0);
}

static void test_same_keys(void)
{
    const vp_string_table *en = &g_tpl->strings[EN], *zh = &g_tpl->strings[ZH];
    size_t i = 0, j = 0;
    int missing = 0;
    while (i < en->n || j < zh->n) {
        int c = i == en->n ? 1 : j == zh->n ? -1 : strcmp(en->entries[i].key, zh->entries[j].key);
        if (c < 0) {
            fprintf(stderr, "  only in en: %s\n", en->entries[i++].key);
            missing++;
        } else if (c > 0) {
            fprintf(stderr, "  only in zh-CN: %s\n", zh->entries[j++].key);
            missing++;
        } else {
            const char *ve = en->entries[i].value, *vz = zh->entries[j].value;
            CHECK(*ve && *vz);
            char *pe = placeholders(ve), *pz = placeholders(vz);
            if (strcmp(pe, pz) != 0) {
                fprintf(stderr, "  %s: placeholders differ: en {%s} zh-CN {%s}\n",
                        en->entries[i].key, pe, pz);
                missing++;
            }
            vp_free(pe);
            vp_free(pz);
            i++;
            j++;
        }
    }
    CHECK_EQ_INT(missing, 0);
}

static void test_source_keys_exist(void)
{
    /* Locale file names = the first segments of the keys. */
    const char *prefixes[64];
    char store[64][64];
    size_t n_prefixes = 0;
    const vp_string_table *en = &g_tpl->strings[EN];
    for (size_t i = 0; i < en->n && n_prefixes < 64; i++) {
        const char *dot = strchr(en->entries[i].key, '.');
        size_t len = dot ? (size_t)(dot - en->entries[i].key) : strlen(en->entries[i].key);
        if (len >= 64 || (n_prefixes && strlen(prefixes[n_prefixes - 1]) == len &&
                          strncmp(prefixes[n_prefixes - 1], en->entries[i].key, len) == 0))
            continue;
        memcpy(store[n_prefixes], en->entries[i].key, len);
        store[n_prefixes][len] = '\0';
        prefixes[n_prefixes] = store[n_prefixes];
        n_prefixes++;
    }
    uses u = {0};
    int files = 0;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/lib", source_root());
    scan_dir(dir, "lib", &u, prefixes, n_prefixes, &files);
    snprintf(dir, sizeof dir, "%s/cmd", source_root());
    scan_dir(dir, "cmd", &u, prefixes, n_prefixes, &files);
    CHECK(files >= 20);   /* the scan really read the sources */

    size_t calls = 0;
    int missing = 0;
    bool saw_headline = false, saw_status = false;
    for (size_t i = 0; i < u.n; i++) {
        calls += u.v[i].literal_call;
        saw_headline |= u.v[i].literal_call && strcmp(u.v[i].key, "common.headline.up") == 0;
        saw_status |= strcmp(u.v[i].key, "common.status.behind") == 0;
        for (int l = 0; l < VP_LOCALE__COUNT; l++)
            if (!vp_tr_has(g_tpl, (vp_locale)l, u.v[i].key)) {
                fprintf(stderr, "  %s: \"%s\" is not in locales/%s\n", u.v[i].where, u.v[i].key,
                        vp_locale_name((vp_locale)l));
                missing++;
            }
        vp_free(u.v[i].key);
    }
    vp_free(u.v);
    CHECK(calls >= 20);
    CHECK(saw_headline && saw_status);   /* the parser finds calls and key literals */
    CHECK_EQ_INT(missing, 0);
}

static void test_tokenizer(void)
{
    /* The scanner must see through comments, strings and nesting. */
    const char *src =
        "// vp_tr(t, l, \"common.in_comment\")\n"
        "/* vp_tr(t, l, \"common.in_block\") */\n"
        "x = vp_tr(t, f(a, b), \"common.\" \"joined\");\n"
        "y = vp_tr(t, l, key);\n"
        "z = vp_tr(t, l, c ? \"common.a\" : \"common.b\");\n"
        "char q = '\"'; s = \"not.a \\\"key\\\"\";\n";
    tokens t = {0};
    tokenize(src, strlen(src), &t);
    size_t strings = 0;
    bool joined = false, comment = false;
    for (size_t i = 0; i < t.n; i++) {
        if (t.v[i].kind != TOK_STRING)
            continue;
        strings++;
        joined |= strcmp(t.v[i].text, "common.joined") == 0;
        comment |= strstr(t.v[i].text, "in_comment") || strstr(t.v[i].text, "in_block");
    }
    CHECK_EQ_INT(strings, 4);
    CHECK(joined && !comment);
    tokens_free(&t);
}

static void test_playbook_rules(void)
{
    int bad = 0;
    for (size_t i = 0; i < g_tpl->n_rules; i++) {
        const vp_playbook_rule *r = &g_tpl->rules[i];
        CHECK(vp_playbook_signal_known(r->signal));
        CHECK(r->method_action >= 1 && r->method_action <= 12);
        for (size_t j = 0; j < i; j++)
            if (strcmp(g_tpl->rules[j].id, r->id) == 0) {
                fprintf(stderr, "  rule id \"%s\" used twice\n", r->id);
                bad++;
            }
        for (int l = 0; l < VP_LOCALE__COUNT; l++) {
            for (const char *p = strchr(r->text[l], '{'); p; p = strchr(p + 1, '{')) {
                const char *close = strchr(p, '}');
                char name[64] = "";
                if (close && close - p - 1 < (long)sizeof name)
                    memcpy(name, p + 1, (size_t)(close - p - 1));
                if (!close || !vp_playbook_placeholder_known(name)) {
                    fprintf(stderr, "  rule %s (%s): unknown placeholder {%s}\n", r->id,
                            vp_locale_name((vp_locale)l), name);
                    bad++;
                }
            }
        }
        char *pe = placeholders(r->text[EN]), *pz = placeholders(r->text[ZH]);
        if (strcmp(pe, pz) != 0) {
            fprintf(stderr, "  rule %s: placeholders differ between en and zh-CN\n", r->id);
            bad++;
        }
        vp_free(pe);
        vp_free(pz);
    }
    CHECK_EQ_INT(bad, 0);
    /* SPEC §3's examples are in the shipped playbook. */
    const struct { const char *signal; int action; } spec[] = {
        {"health_alert", 5}, {"module_below_breadth_target", 4}, {"no_champion", 10},
        {"qbr_overdue", 3}};
    for (size_t s = 0; s < sizeof spec / sizeof spec[0]; s++) {
        bool found = false;
        for (size_t i = 0; i < g_tpl->n_rules; i++)
            found |= strcmp(g_tpl->rules[i].signal, spec[s].signal) == 0 &&
                     g_tpl->rules[i].method_action == spec[s].action;
        CHECK(found);
    }
}

static void test_health_and_labels(void)
{
    const vp_health_model *m = &g_tpl->health;
    bool at_risk = false;
    for (size_t i = 0; i < m->n_bands; i++) {
        char key[96];
        snprintf(key, sizeof key, "common.band.%s", m->bands[i].id);
        CHECK(vp_tr_has(g_tpl, EN, key) && vp_tr_has(g_tpl, ZH, key));
        at_risk |= strcmp(m->bands[i].id, "at_risk") == 0;
        if (i)
            CHECK(m->bands[i].min < m->bands[i - 1].min);
    }
    CHECK(at_risk);   /* the renewal recommendation names it */
    CHECK(m->target[VP_H_STICKINESS] > 0 && m->target[VP_H_BREADTH] > 0);
    /* Component names, statuses, stages, tiers by the labels the renderers use. */
    struct vp_report fake;
    memset(&fake, 0, sizeof fake);
    fake.tpl = g_tpl;
    for (int l = 0; l < VP_LOCALE__COUNT; l++) {
        fake.locale = (vp_locale)l;
        for (int i = 0; i < VP_H__COUNT; i++) {
            char key[64];
            snprintf(key, sizeof key, "common.health.%s", vp_health_id_name((vp_health_id)i));
            CHECK_STR(vp_health_label(&fake, (vp_health_id)i), vp_tr(g_tpl, fake.locale, key));
            CHECK(vp_tr_has(g_tpl, fake.locale, key));
        }
        for (int s = VP_ST_NO_DATA; s <= VP_ST_REGRESSED; s++) {
            char key[64];
            snprintf(key, sizeof key, "common.status.%s", vp_kpi_status_name((vp_kpi_status)s));
            CHECK_STR(vp_status_label(&fake, (vp_kpi_status)s), vp_tr(g_tpl, fake.locale, key));
        }
        for (int s = 0; s < VP_STAGE__COUNT; s++) {
            char key[64];
            snprintf(key, sizeof key, "common.stage.%s", vp_stage_name((vp_stage)s));
            CHECK_STR(vp_stage_label(&fake, (vp_stage)s), vp_tr(g_tpl, fake.locale, key));
        }
        for (int s = VP_TIER_STANDARD; s <= VP_TIER_MULTI_YEAR; s++) {
            char key[64];
            snprintf(key, sizeof key, "common.tier.%s", vp_tier_name((vp_tier)s));
            CHECK_STR(vp_tier_label(&fake, (vp_tier)s), vp_tr(g_tpl, fake.locale, key));
        }
    }
}

int main(void)
{
    const char *dir = getenv("VALUEPACK_TEMPLATES");
    vp_diag *diag = vp_diag_new();
    if (vp_templates_load(&g_tpl, dir && *dir ? dir : TEST_DATA "/../../report_templates",
                          diag) != VP_OK) {
        vp_diag_print(diag, stderr);
        vp_diag_free(diag);
        RUN(test_load);
        return check_summary();
    }
    vp_diag_free(diag);
    RUN(test_load);
    RUN(test_same_keys);
    RUN(test_tokenizer);
    RUN(test_source_keys_exist);
    RUN(test_playbook_rules);
    RUN(test_health_and_labels);
    vp_templates_free(g_tpl);
    return check_summary();
}
