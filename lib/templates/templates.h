/* templates.h (internal) — the loaded report templates (report_templates/, SPEC §5).
 *
 * Files in the folder:
 *   health.json          health model: component weights and targets, bands, alert drop
 *   playbook.json        next-best-action rules (stage + signal -> action, zh-CN/en text)
 *   best_practices.json  best-practice library keyed by industry and module
 *   qbr.json             QBR deck: ordered slides, enabled flag, per-slide options
 *   annual.json          annual value summary: ordered sections, enabled, options
 *   renewal.json         renewal sheet options
 *   theme.json           colours, font sizes, optional logo (path relative to the folder)
 *   locales/en.json, locales/zh-CN.json   every visible word, as nested objects whose
 *                        dotted key paths ("slide.cover.title") name the strings
 *
 * Loaded once, immutable afterwards; safe to share read-only between threads. */
#ifndef VP_TEMPLATES_INTERNAL_H
#define VP_TEMPLATES_INTERNAL_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "valuepack/templates.h"
#include "../model/account.h"
#include "../util/arena.h"

/* ---- health model ----------------------------------------------------------------- */
typedef enum vp_health_id {
    VP_H_ADOPTION = 0, VP_H_STICKINESS, VP_H_BREADTH, VP_H_OUTCOMES, VP_H_SUPPORT,
    VP_H_SENTIMENT, VP_H__COUNT
} vp_health_id;

typedef struct vp_health_band {
    const char *id;      /* "healthy", "watch", "at_risk" */
    double min;          /* score >= min (bands sorted by min, descending; the last is the floor) */
    const char *color;   /* theme colour name: "good", "warning", "bad" */
} vp_health_band;

typedef struct vp_health_model {
    double weight[VP_H__COUNT];
    /* Target ratio of a component where it applies: stickiness (daily/monthly, 0.5),
     * breadth (module share, 0.6); 1 for the others. */
    double target[VP_H__COUNT];
    vp_health_band *bands;
    size_t n_bands;
    double alert_drop;   /* points; default 10 */
    const char *alert_band;  /* band that always raises the alert; default "at_risk" */
} vp_health_model;

/* "adoption", ... ; NULL for an invalid id. */
const char *vp_health_id_name(vp_health_id id);

/* ---- playbook ---------------------------------------------------------------------- */
typedef struct vp_playbook_rule {
    const char *id;          /* action id, e.g. "risk_plan" */
    int method_action;       /* 1..12: which of the method's twelve actions it serves */
    const char *signal;      /* signal name computed by lib/compute/playbook.c */
    unsigned stages;         /* bit mask of vp_stage the rule applies in (0 = all) */
    int priority;            /* lower first */
    const char *text[VP_LOCALE__COUNT];   /* with {placeholders} filled from the signal */
} vp_playbook_rule;

/* ---- best practices ---------------------------------------------------------------- */
typedef struct vp_best_practice {
    const char *id;
    const char **industries; size_t n_industries;   /* empty = any industry */
    const char **modules;    size_t n_modules;      /* empty = any module */
    const char *title[VP_LOCALE__COUNT];
    const char *body[VP_LOCALE__COUNT];
} vp_best_practice;

/* ---- layouts (qbr.json, annual.json) ----------------------------------------------- */
typedef struct vp_layout_item {
    const char *id;          /* slide or section id */
    bool enabled;
    const cJSON *options;    /* the item's "options" object or NULL (owned by the templates) */
} vp_layout_item;

/* ---- theme --------------------------------------------------------------------------- */
typedef struct vp_rgb { float r, g, b; } vp_rgb;

typedef struct vp_theme {
    vp_rgb ink, secondary, rule, tile, accent, good, warning, bad, neutral, white;
    double title_size, subtitle_size, body_size, table_size, footnote_size;
    const char *logo_path;   /* absolute path or NULL */
    const cJSON *json;       /* the whole theme.json for options renderers may read */
} vp_theme;

/* ---- locale tables ------------------------------------------------------------------- */
typedef struct vp_string_entry {
    const char *key;         /* dotted path */
    const char *value;
} vp_string_entry;

typedef struct vp_string_table {
    vp_string_entry *entries;   /* sorted by key (strcmp) */
    size_t n;
} vp_string_table;

struct vp_templates {
    vp_arena arena;
    char *dir;
    char hash[65];
    cJSON *json_roots[32];      /* parsed files kept for options; freed with the templates */
    size_t n_json_roots;

    vp_health_model health;
    vp_playbook_rule *rules;         size_t n_rules;
    vp_best_practice *practices;     size_t n_practices;
    vp_layout_item *qbr;             size_t n_qbr;
    vp_layout_item *annual;          size_t n_annual;
    const cJSON *renewal_options;    /* renewal.json or NULL */
    vp_theme theme;
    vp_string_table strings[VP_LOCALE__COUNT];
};

/* The string for `key` in locale `loc`. Never NULL: a missing key returns the key itself
 * (tests/unit check that every key the code uses exists in both tables). */
const char *vp_tr(const vp_templates *t, vp_locale loc, const char *key);
/* True when the key exists in that locale's table. */
bool vp_tr_has(const vp_templates *t, vp_locale loc, const char *key);

/* Layout lookups: the item with this id, or NULL. */
const vp_layout_item *vp_templates_qbr_item(const vp_templates *t, const char *id);
const vp_layout_item *vp_templates_annual_item(const vp_templates *t, const char *id);

/* Typed option readers on a layout item's options (default when absent or wrong type). */
double vp_layout_opt_number(const vp_layout_item *it, const char *name, double def);
bool vp_layout_opt_bool(const vp_layout_item *it, const char *name, bool def);

#endif
