/* templates.c — loading report_templates/ (see templates.h for the files). */
#include "templates.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <strings.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../compute/playbook.h"
#include "../model/json.h"
#include "../util/alloc.h"
#include "../util/fs.h"
#include "vp_config.h"

#define TEMPLATE_FILE_MAX (4u * 1024u * 1024u)

static const char *const k_health_ids[VP_H__COUNT] = {
    "adoption", "stickiness", "breadth", "outcomes", "support", "sentiment"};

/* Slide and section ids the renderers know (lib/render). A template naming anything else
 * is rejected at load time rather than silently skipped. */
static const char *const k_qbr_slides[] = {
    "cover", "agenda", "executive_summary", "scorecard", "kpi_trends", "milestones",
    "adoption", "health", "support", "training", "champions", "best_practices",
    "opportunities", "plan", NULL};
static const char *const k_annual_sections[] = {
    "cover", "outcomes", "usage", "service", "training", "milestones", "plan", "dialogue",
    NULL};

const char *vp_health_id_name(vp_health_id id)
{
    return id < VP_H__COUNT ? k_health_ids[id] : NULL;
}

/* ---- loading context --------------------------------------------------------------- */

typedef struct loader {
    vp_templates *t;
    vp_diag *diag;
    struct sha256_ctx sha;
    int errors;
    bool nomem;         /* an allocation failed (also t->arena.failed): VP_ERR_NOMEM */
    char path[PATH_MAX];
} loader;

static void problem(loader *L, const char *file, const char *jpath, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(loader *L, const char *file, const char *jpath, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(L->path, sizeof L->path, "%s/%s", L->t->dir, file);
    vp_diag_add(L->diag, VP_SEV_ERROR, L->path, jpath, 0, 0, "%s", msg);
    L->errors++;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True when text is well-formed JSON by the account loader's strict reader, which tells
 * a syntax error from a failed allocation (cJSON 1.7.15 does not). Sets L->nomem when
 * even this check runs out of memory. */
static bool well_formed(loader *L, const char *text, size_t len)
{
    vp_json_doc doc;
    vp_json_limits lim = {.max_depth = 1000, .max_items = SIZE_MAX, .max_string = SIZE_MAX};
    int rc = vp_json_parse(&doc, text, len, &lim, NULL, "template");
    vp_json_doc_free(&doc);
    if (rc == VP_ERR_NOMEM)
        L->nomem = true;
    return rc == VP_OK || rc == VP_ERR_INVALID;
}

/* Read and parse one file; hashes its name and bytes. Returns NULL (with a problem
 * recorded unless `optional` and missing). The tree is owned by the templates. */
static cJSON *read_json(loader *L, const char *rel, bool optional)
{
    char full[PATH_MAX];
    snprintf(full, sizeof full, "%s/%s", L->t->dir, rel);
    struct stat st;
    if (optional && stat(full, &st) != 0)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    vp_diag *tmp = vp_diag_new();
    int rc = vp_file_read(full, TEMPLATE_FILE_MAX, &buf, &len, tmp, full);
    if (rc == VP_ERR_NOMEM) {
        L->nomem = true;
        vp_diag_free(tmp);
        return NULL;
    }
    if (rc != VP_OK) {
        const char *msg = "cannot read";
        if (tmp && vp_diag_count(tmp))
            vp_diag_get(tmp, 0, NULL, NULL, NULL, NULL, NULL, &msg);
        problem(L, rel, NULL, "%s", msg);
        vp_diag_free(tmp);
        return NULL;
    }
    vp_diag_free(tmp);
    sha256_update(&L->sha, strlen(rel) + 1, (const uint8_t *)rel);
    sha256_update(&L->sha, len, (const uint8_t *)buf);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 0);
    if (!root && well_formed(L, buf, len)) {
        /* cJSON says only "failed": on well-formed text that can only be memory. */
        L->nomem = true;
        vp_free(buf);
        return NULL;
    }
    if (!root) {
        size_t off = end ? (size_t)(end - buf) : 0;
        int line = 1, col = 1;
        for (size_t i = 0; i < off && i < len; i++) {
            if (buf[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        snprintf(L->path, sizeof L->path, "%s/%s", L->t->dir, rel);
        vp_diag_add(L->diag, VP_SEV_ERROR, L->path, NULL, line, col,
                    "not well-formed JSON");
        L->errors++;
        vp_free(buf);
        return NULL;
    }
    vp_free(buf);
    if (L->t->n_json_roots < sizeof L->t->json_roots / sizeof L->t->json_roots[0]) {
        L->t->json_roots[L->t->n_json_roots++] = root;
    } else {
        cJSON_Delete(root);
        problem(L, rel, NULL, "too many template files (at most %zu)",
                sizeof L->t->json_roots / sizeof L->t->json_roots[0]);
        return NULL;
    }
    return root;
}

/* Forget a tree read_json kept (locale tables are flattened into the arena). */
static void release_json(loader *L, cJSON *root)
{
    vp_templates *t = L->t;
    for (size_t i = 0; i < t->n_json_roots; i++)
        if (t->json_roots[i] == root) {
            t->json_roots[i] = t->json_roots[--t->n_json_roots];
            break;
        }
    cJSON_Delete(root);
}

static const char *dup_string(loader *L, const cJSON *j)
{
    return cJSON_IsString(j) ? vp_arena_strdup(&L->t->arena, j->valuestring) : NULL;
}

/* A {"en": "...", "zh-CN": "..."} object into text[]; both locales required. */
static void read_localized(loader *L, const char *file, const char *jpath, const cJSON *obj,
                           const char *text[VP_LOCALE__COUNT])
{
    for (int l = 0; l < VP_LOCALE__COUNT; l++) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, vp_locale_name((vp_locale)l));
        text[l] = dup_string(L, s);
        if (!text[l])
            problem(L, file, jpath, "missing the \"%s\" text, expected a string per locale",
                    vp_locale_name((vp_locale)l));
    }
}

static bool parse_hex_color(const char *s, vp_rgb *out)
{
    unsigned r, g, b;
    if (!s || strlen(s) != 7 || s[0] != '#' || sscanf(s + 1, "%2x%2x%2x", &r, &g, &b) != 3)
        return false;
    out->r = (float)r / 255.0f;
    out->g = (float)g / 255.0f;
    out->b = (float)b / 255.0f;
    return true;
}

/* ---- health.json ------------------------------------------------------------------- */

static void load_health(loader *L)
{
    const char *file = "health.json";
    vp_health_model *m = &L->t->health;
    cJSON *root = read_json(L, file, false);
    if (!root)
        return;
    const cJSON *comps = cJSON_GetObjectItemCaseSensitive(root, "components");
    for (int i = 0; i < VP_H__COUNT; i++) {
        m->target[i] = 1.0;
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(comps, k_health_ids[i]);
        char jp[64];
        snprintf(jp, sizeof jp, "components.%s", k_health_ids[i]);
        if (!cJSON_IsObject(c)) {
            problem(L, file, jp, "missing, expected {\"weight\": number}");
            continue;
        }
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(c, "weight");
        if (!cJSON_IsNumber(w) || w->valuedouble < 0 || w->valuedouble > 1000)
            problem(L, file, jp, "weight must be a number from 0 to 1000");
        else
            m->weight[i] = w->valuedouble;
        const cJSON *tg = cJSON_GetObjectItemCaseSensitive(c, "target");
        if (tg) {
            if (!cJSON_IsNumber(tg) || tg->valuedouble <= 0 || tg->valuedouble > 1)
                problem(L, file, jp, "target must be a number in (0, 1]");
            else
                m->target[i] = tg->valuedouble;
        }
    }
    const cJSON *bands = cJSON_GetObjectItemCaseSensitive(root, "bands");
    int nb = cJSON_GetArraySize(bands);
    if (!cJSON_IsArray(bands) || nb < 1 || nb > 10) {
        problem(L, file, "bands", "expected 1 to 10 bands [{\"id\", \"min\", \"color\"}]");
        return;
    }
    m->bands = vp_arena_calloc(&L->t->arena, (size_t)nb, sizeof *m->bands);
    if (!m->bands) {
        problem(L, file, "bands", "out of memory");
        return;
    }
    const cJSON *b;
    double last = INFINITY;
    cJSON_ArrayForEach(b, bands) {
        vp_health_band *hb = &m->bands[m->n_bands];
        char jp[32];
        snprintf(jp, sizeof jp, "bands[%zu]", m->n_bands);
        hb->id = dup_string(L, cJSON_GetObjectItemCaseSensitive(b, "id"));
        hb->color = dup_string(L, cJSON_GetObjectItemCaseSensitive(b, "color"));
        const cJSON *min = cJSON_GetObjectItemCaseSensitive(b, "min");
        if (!hb->id || !cJSON_IsNumber(min))
            problem(L, file, jp, "expected {\"id\": string, \"min\": number}");
        else if (min->valuedouble >= last)
            problem(L, file, jp, "bands must be ordered by \"min\", highest first");
        else
            hb->min = last = min->valuedouble;
        if (!hb->color)
            hb->color = "neutral";
        m->n_bands++;
    }
    const cJSON *drop = cJSON_GetObjectItemCaseSensitive(root, "alert_drop");
    m->alert_drop = cJSON_IsNumber(drop) ? drop->valuedouble : 10.0;
    m->alert_band = dup_string(L, cJSON_GetObjectItemCaseSensitive(root, "alert_band"));
    if (!m->alert_band)
        m->alert_band = "at_risk";
}

/* ---- playbook.json ------------------------------------------------------------------- */

static void load_playbook(loader *L)
{
    const char *file = "playbook.json";
    cJSON *root = read_json(L, file, false);
    if (!root)
        return;
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(root, "rules");
    int n = cJSON_GetArraySize(rules);
    if (!cJSON_IsArray(rules) || n > 200) {
        problem(L, file, "rules", "expected an array of at most 200 rules");
        return;
    }
    L->t->rules = vp_arena_calloc(&L->t->arena, (size_t)n ? (size_t)n : 1, sizeof *L->t->rules);
    if (!L->t->rules)
        return;                                     /* arena.failed: out of memory */
    const cJSON *r;
    cJSON_ArrayForEach(r, rules) {
        vp_playbook_rule *pr = &L->t->rules[L->t->n_rules];
        char jp[32];
        snprintf(jp, sizeof jp, "rules[%zu]", L->t->n_rules);
        pr->id = dup_string(L, cJSON_GetObjectItemCaseSensitive(r, "id"));
        pr->signal = dup_string(L, cJSON_GetObjectItemCaseSensitive(r, "signal"));
        const cJSON *act = cJSON_GetObjectItemCaseSensitive(r, "action");
        const cJSON *prio = cJSON_GetObjectItemCaseSensitive(r, "priority");
        if (!pr->id || !pr->signal)
            problem(L, file, jp, "expected \"id\" and \"signal\" strings");
        else if (!vp_playbook_signal_known(pr->signal))
            problem(L, file, jp, "unknown signal \"%s\" (see README, Playbook signals)",
                    pr->signal);
        if (!cJSON_IsNumber(act) || act->valueint < 1 || act->valueint > 12)
            problem(L, file, jp, "\"action\" must be the method's action number 1..12");
        else
            pr->method_action = act->valueint;
        pr->priority = cJSON_IsNumber(prio) ? prio->valueint : 50;
        const cJSON *stages = cJSON_GetObjectItemCaseSensitive(r, "stages");
        const cJSON *s;
        cJSON_ArrayForEach(s, stages) {
            int st = cJSON_IsString(s) ? vp_playbook_stage_parse(s->valuestring) : -1;
            if (st < 0)
                problem(L, file, jp, "unknown stage in \"stages\"");
            else
                pr->stages |= 1u << st;
        }
        read_localized(L, file, jp, cJSON_GetObjectItemCaseSensitive(r, "text"), pr->text);
        L->t->n_rules++;
    }
}

/* ---- best_practices.json --------------------------------------------------------------- */

static const char **string_list(loader *L, const cJSON *arr, size_t *n)
{
    *n = 0;
    int count = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || count == 0)
        return NULL;
    const char **out = vp_arena_calloc(&L->t->arena, (size_t)count, sizeof *out);
    const cJSON *s;
    cJSON_ArrayForEach(s, arr) {
        if (out && cJSON_IsString(s))
            out[(*n)++] = vp_arena_strdup(&L->t->arena, s->valuestring);
    }
    return out;
}

static void load_practices(loader *L)
{
    const char *file = "best_practices.json";
    cJSON *root = read_json(L, file, false);
    if (!root)
        return;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "practices");
    int n = cJSON_GetArraySize(list);
    if (!cJSON_IsArray(list) || n > 1000) {
        problem(L, file, "practices", "expected an array of at most 1000 entries");
        return;
    }
    L->t->practices = vp_arena_calloc(&L->t->arena, (size_t)n ? (size_t)n : 1,
                                      sizeof *L->t->practices);
    if (!L->t->practices)
        return;                                     /* arena.failed: out of memory */
    const cJSON *p;
    cJSON_ArrayForEach(p, list) {
        vp_best_practice *bp = &L->t->practices[L->t->n_practices];
        char jp[32];
        snprintf(jp, sizeof jp, "practices[%zu]", L->t->n_practices);
        bp->id = dup_string(L, cJSON_GetObjectItemCaseSensitive(p, "id"));
        if (!bp->id)
            problem(L, file, jp, "expected an \"id\" string");
        bp->industries = string_list(L, cJSON_GetObjectItemCaseSensitive(p, "industries"),
                                     &bp->n_industries);
        bp->modules = string_list(L, cJSON_GetObjectItemCaseSensitive(p, "modules"),
                                  &bp->n_modules);
        read_localized(L, file, jp, cJSON_GetObjectItemCaseSensitive(p, "title"), bp->title);
        read_localized(L, file, jp, cJSON_GetObjectItemCaseSensitive(p, "body"), bp->body);
        L->t->n_practices++;
    }
}

/* ---- qbr.json / annual.json ------------------------------------------------------------ */

static bool known_id(const char *const *ids, const char *id)
{
    for (; *ids; ids++)
        if (strcmp(*ids, id) == 0)
            return true;
    return false;
}

static void load_layout(loader *L, const char *file, const char *key,
                        const char *const *known, vp_layout_item **items, size_t *n_items)
{
    cJSON *root = read_json(L, file, false);
    if (!root)
        return;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, key);
    int n = cJSON_GetArraySize(list);
    if (!cJSON_IsArray(list) || n < 1 || n > 64) {
        problem(L, file, key, "expected an array of 1 to 64 entries {\"id\", \"enabled\"}");
        return;
    }
    *items = vp_arena_calloc(&L->t->arena, (size_t)n, sizeof **items);
    if (!*items)
        return;
    const cJSON *it;
    cJSON_ArrayForEach(it, list) {
        vp_layout_item *li = &(*items)[*n_items];
        char jp[48];
        snprintf(jp, sizeof jp, "%s[%zu]", key, *n_items);
        li->id = dup_string(L, cJSON_GetObjectItemCaseSensitive(it, "id"));
        if (!li->id) {
            problem(L, file, jp, "expected an \"id\" string");
            continue;
        }
        if (!known_id(known, li->id)) {
            char list_s[512] = "";
            for (const char *const *k = known; *k; k++) {
                strncat(list_s, *k, sizeof list_s - strlen(list_s) - 3);
                if (k[1])
                    strncat(list_s, ", ", sizeof list_s - strlen(list_s) - 1);
            }
            problem(L, file, jp, "unknown id \"%s\", expected one of: %s", li->id, list_s);
            continue;
        }
        for (size_t j = 0; j < *n_items; j++)
            if (strcmp((*items)[j].id, li->id) == 0)
                problem(L, file, jp, "\"%s\" is listed twice", li->id);
        const cJSON *en = cJSON_GetObjectItemCaseSensitive(it, "enabled");
        if (en && !cJSON_IsBool(en))
            problem(L, file, jp, "\"enabled\" must be true or false");
        li->enabled = !en || cJSON_IsTrue(en);
        const cJSON *opt = cJSON_GetObjectItemCaseSensitive(it, "options");
        if (opt && !cJSON_IsObject(opt))
            problem(L, file, jp, "\"options\" must be an object");
        li->options = cJSON_IsObject(opt) ? opt : NULL;
        (*n_items)++;
    }
}

/* ---- theme.json ------------------------------------------------------------------------ */

static void load_theme(loader *L)
{
    const char *file = "theme.json";
    vp_theme *th = &L->t->theme;
    static const struct { const char *name; size_t off; const char *def; } colors[] = {
        {"ink", offsetof(vp_theme, ink), "#1F2933"},
        {"secondary", offsetof(vp_theme, secondary), "#52606D"},
        {"rule", offsetof(vp_theme, rule), "#D9E2EC"},
        {"tile", offsetof(vp_theme, tile), "#F5F7FA"},
        {"accent", offsetof(vp_theme, accent), "#1F4E79"},
        {"good", offsetof(vp_theme, good), "#2E7D32"},
        {"warning", offsetof(vp_theme, warning), "#B7791F"},
        {"bad", offsetof(vp_theme, bad), "#C62828"},
        {"neutral", offsetof(vp_theme, neutral), "#9AA5B1"},
        {"white", offsetof(vp_theme, white), "#FFFFFF"},
    };
    cJSON *root = read_json(L, file, false);
    const cJSON *cols = root ? cJSON_GetObjectItemCaseSensitive(root, "colors") : NULL;
    for (size_t i = 0; i < sizeof colors / sizeof colors[0]; i++) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(cols, colors[i].name);
        vp_rgb *dst = (vp_rgb *)((char *)th + colors[i].off);
        parse_hex_color(colors[i].def, dst);
        if (c && !(cJSON_IsString(c) && parse_hex_color(c->valuestring, dst))) {
            char jp[48];
            snprintf(jp, sizeof jp, "colors.%s", colors[i].name);
            problem(L, file, jp, "expected a colour \"#RRGGBB\"");
        }
    }
    static const struct { const char *name; size_t off; double def; } sizes[] = {
        {"title", offsetof(vp_theme, title_size), 24},
        {"subtitle", offsetof(vp_theme, subtitle_size), 14},
        {"body", offsetof(vp_theme, body_size), 12},
        {"table", offsetof(vp_theme, table_size), 10.5},
        {"footnote", offsetof(vp_theme, footnote_size), 8},
    };
    const cJSON *type = root ? cJSON_GetObjectItemCaseSensitive(root, "type") : NULL;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(type, sizes[i].name);
        double *dst = (double *)((char *)th + sizes[i].off);
        *dst = sizes[i].def;
        if (s) {
            /* DESIGN.md: text never goes below 8 pt. */
            if (!cJSON_IsNumber(s) || s->valuedouble < 8 || s->valuedouble > 72) {
                char jp[48];
                snprintf(jp, sizeof jp, "type.%s", sizes[i].name);
                problem(L, file, jp, "expected a font size from 8 to 72 pt");
            } else {
                *dst = s->valuedouble;
            }
        }
    }
    const cJSON *logo = root ? cJSON_GetObjectItemCaseSensitive(root, "logo") : NULL;
    if (cJSON_IsString(logo) && logo->valuestring && logo->valuestring[0]) {
        const char *lp = logo->valuestring;
        th->logo_path = lp[0] == '/' ? vp_arena_strdup(&L->t->arena, lp)
                                     : vp_arena_printf(&L->t->arena, "%s/%s", L->t->dir, lp);
        const char *ext = strrchr(lp, '.');
        struct stat st;
        if (!th->logo_path)
            ;                                       /* arena.failed: out of memory */
        else if (!ext || (strcasecmp(ext, ".png") && strcasecmp(ext, ".jpg") &&
                     strcasecmp(ext, ".jpeg")))
            problem(L, file, "logo", "the logo must be a .png or .jpg file");
        else if (stat(th->logo_path, &st) != 0)
            problem(L, file, "logo", "logo file not found: %s", th->logo_path);
    } else if (logo && !cJSON_IsNull(logo) && !cJSON_IsString(logo)) {
        problem(L, file, "logo", "expected a file name or null");
    }
    th->json = root;
}

/* ---- locale tables ----------------------------------------------------------------------- */

typedef struct flat_ctx {
    loader *L;
    vp_string_table *tab;
    size_t cap;
    const char *file;
} flat_ctx;

static void flatten(flat_ctx *fc, const cJSON *node, const char *prefix)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, node) {
        char key[256];
        snprintf(key, sizeof key, "%s%s%s", prefix, *prefix ? "." : "", c->string);
        if (cJSON_IsObject(c)) {
            flatten(fc, c, key);
        } else if (cJSON_IsString(c)) {
            if (fc->tab->n == fc->cap) {
                size_t ncap = fc->cap ? fc->cap * 2 : 256;
                vp_string_entry *ne = vp_arena_calloc(&fc->L->t->arena, ncap, sizeof *ne);
                if (!ne)
                    return;
                if (fc->tab->n)
                    memcpy(ne, fc->tab->entries, fc->tab->n * sizeof *ne);
                fc->tab->entries = ne;
                fc->cap = ncap;
            }
            const char *k = vp_arena_strdup(&fc->L->t->arena, key);
            const char *v = vp_arena_strdup(&fc->L->t->arena, c->valuestring);
            if (!k || !v)
                return;                             /* arena.failed: out of memory */
            vp_string_entry *e = &fc->tab->entries[fc->tab->n++];
            e->key = k;
            e->value = v;
        } else {
            problem(fc->L, fc->file, key, "expected a string or an object of strings");
        }
    }
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const vp_string_entry *)a)->key, ((const vp_string_entry *)b)->key);
}

/* locales/<loc>/<name>.json: the keys of <name>.json are prefixed "<name>." ("common"
 * keys too), so every document's strings live in their own file. */
static void load_locale(loader *L, vp_locale loc)
{
    char rel_dir[64], full[PATH_MAX];
    snprintf(rel_dir, sizeof rel_dir, "locales/%s", vp_locale_name(loc));
    snprintf(full, sizeof full, "%s/%s", L->t->dir, rel_dir);
    DIR *d = opendir(full);
    if (!d) {
        problem(L, rel_dir, NULL, "missing locale folder: %s", strerror(errno));
        return;
    }
    char *names[64];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 64) {
        size_t len = strlen(de->d_name);
        if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0 && de->d_name[0] != '.' &&
            (names[n] = vp_arena_strdup(&L->t->arena, de->d_name)) != NULL)
            n++;
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_str);   /* deterministic hash and order */
    flat_ctx fc = {L, &L->t->strings[loc], 0, NULL};
    for (size_t i = 0; i < n; i++) {
        if (!names[i])
            continue;
        char rel[128], prefix[64];
        snprintf(rel, sizeof rel, "%s/%s", rel_dir, names[i]);
        snprintf(prefix, sizeof prefix, "%.*s", (int)(strlen(names[i]) - 5), names[i]);
        cJSON *root = read_json(L, rel, false);
        if (!root)
            continue;
        fc.file = rel;
        if (cJSON_IsObject(root))
            flatten(&fc, root, prefix);
        else
            problem(L, rel, NULL, "expected an object of strings");
        release_json(L, root);   /* the strings are copied: the tree is not needed */
    }
    vp_string_table *tab = &L->t->strings[loc];
    if (tab->n)
        qsort(tab->entries, tab->n, sizeof *tab->entries, cmp_entry);
    for (size_t i = 1; i < tab->n; i++)
        if (strcmp(tab->entries[i - 1].key, tab->entries[i].key) == 0)
            problem(L, rel_dir, tab->entries[i].key, "string defined twice");
}

/* ---- public ------------------------------------------------------------------------------ */

static const char *default_dir(void)
{
    const char *env = getenv("VALUEPACK_TEMPLATES");
    return env && *env ? env : VP_DATADIR;
}

int vp_templates_load(vp_templates **out, const char *dir, vp_diag *diag)
{
    *out = NULL;
    vp_templates *t = vp_calloc(1, sizeof *t);
    if (!t)
        return VP_ERR_NOMEM;
    vp_arena_init(&t->arena, 64 * 1024);
    t->dir = vp_strdup(dir ? dir : default_dir());
    if (!t->dir) {
        vp_templates_free(t);
        return VP_ERR_NOMEM;
    }
    /* Problems are collected apart and passed on only if memory did not run out, so an
     * allocation failure is reported as such and not as the problems it caused. */
    loader L = {.t = t, .diag = vp_diag_new()};
    if (!L.diag) {
        vp_templates_free(t);
        return VP_ERR_NOMEM;
    }
    sha256_init(&L.sha);
    if (!vp_is_dir(t->dir)) {
        vp_diag_add(diag, VP_SEV_ERROR, t->dir, NULL, 0, 0,
                    "report templates folder not found (pass --templates DIR or set "
                    "VALUEPACK_TEMPLATES)");
        vp_diag_free(L.diag);
        vp_templates_free(t);
        return VP_ERR_TEMPLATE;
    }
    load_health(&L);
    load_playbook(&L);
    load_practices(&L);
    load_layout(&L, "qbr.json", "slides", k_qbr_slides, &t->qbr, &t->n_qbr);
    load_layout(&L, "annual.json", "sections", k_annual_sections, &t->annual, &t->n_annual);
    cJSON *ren = read_json(&L, "renewal.json", true);
    t->renewal_options = ren ? cJSON_GetObjectItemCaseSensitive(ren, "options") : NULL;
    load_theme(&L);
    for (int l = 0; l < VP_LOCALE__COUNT; l++)
        load_locale(&L, (vp_locale)l);
    if (L.nomem || t->arena.failed) {
        vp_diag_add(diag, VP_SEV_ERROR, t->dir, NULL, 0, 0,
                    "out of memory while loading the report templates");
        vp_diag_free(L.diag);
        vp_templates_free(t);
        return VP_ERR_NOMEM;
    }
    for (size_t i = 0; i < vp_diag_count(L.diag); i++) {
        vp_severity sev;
        const char *file, *path, *msg;
        int line, col;
        vp_diag_get(L.diag, i, &sev, &file, &path, &line, &col, &msg);
        vp_diag_add(diag, sev, file, path, line, col, "%s", msg);
    }
    vp_diag_free(L.diag);
    if (L.errors) {
        vp_templates_free(t);
        return VP_ERR_TEMPLATE;
    }
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&L.sha, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++)
        snprintf(t->hash + 2 * i, 3, "%02x", digest[i]);
    *out = t;
    return VP_OK;
}

void vp_templates_free(vp_templates *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_json_roots; i++)
        cJSON_Delete(t->json_roots[i]);
    vp_arena_destroy(&t->arena);
    vp_free(t->dir);
    vp_free(t);
}

const char *vp_templates_dir(const vp_templates *t) { return t->dir; }
const char *vp_templates_hash(const vp_templates *t) { return t->hash; }

static const vp_string_entry *find_string(const vp_templates *t, vp_locale loc,
                                          const char *key)
{
    if (!t || loc >= VP_LOCALE__COUNT)
        return NULL;
    const vp_string_table *tab = &t->strings[loc];
    vp_string_entry probe = {key, NULL};
    return tab->n ? bsearch(&probe, tab->entries, tab->n, sizeof probe, cmp_entry) : NULL;
}

const char *vp_tr(const vp_templates *t, vp_locale loc, const char *key)
{
    const vp_string_entry *e = find_string(t, loc, key);
    return e ? e->value : key;
}

bool vp_tr_has(const vp_templates *t, vp_locale loc, const char *key)
{
    return find_string(t, loc, key) != NULL;
}

static const vp_layout_item *find_item(const vp_layout_item *items, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (items[i].id && strcmp(items[i].id, id) == 0)
            return &items[i];
    return NULL;
}

const vp_layout_item *vp_templates_qbr_item(const vp_templates *t, const char *id)
{
    return find_item(t->qbr, t->n_qbr, id);
}

const vp_layout_item *vp_templates_annual_item(const vp_templates *t, const char *id)
{
    return find_item(t->annual, t->n_annual, id);
}

double vp_layout_opt_number(const vp_layout_item *it, const char *name, double def)
{
    const cJSON *v = it ? cJSON_GetObjectItemCaseSensitive(it->options, name) : NULL;
    return cJSON_IsNumber(v) ? v->valuedouble : def;
}

bool vp_layout_opt_bool(const vp_layout_item *it, const char *name, bool def)
{
    const cJSON *v = it ? cJSON_GetObjectItemCaseSensitive(it->options, name) : NULL;
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}
