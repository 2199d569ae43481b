/* deck.c — the QBR deck (SPEC §4, DESIGN.md "16:9 slides"): driver, slide frame, helpers,
 * cover, agenda and executive summary. The other slides are in deck_kpi.c, deck_usage.c
 * and deck_people.c; deck.h describes how many slides each section takes. */
#include "deck.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../format/format.h"
#include "../util/alloc.h"

/* ---- text and shapes ---------------------------------------------------------------------- */

vp_text_style dk_style(double size, vp_rgb color, bool bold, vp_align align)
{
    vp_text_style st = {.size = size, .color = color, .bold = bold, .align = align};
    return st;
}

vp_text_metrics dk_text(dk *k, vp_rect box, const char *s, const vp_text_style *st,
                        const char *id)
{
    vp_text_metrics m = {0};
    vp_pdf_text(k->d, box, s ? s : "", st, id, &m);
    return m;
}

double dk_text_height(dk *k, const char *s, const vp_text_style *st, double width)
{
    vp_text_metrics m = {0};
    if (vp_text_measure(k->f, s ? s : "", st, width, 0, &m, NULL) != VP_OK)
        return 0;
    return m.height;
}

void dk_card(dk *k, vp_rect r, const char *id)
{
    vp_shape_style bg = {.fill = true, .fill_color = k->th->tile, .radius = 6,
                         .flags = VP_BOX_CONTAINER};
    vp_pdf_rect(k->d, r, &bg, id);
}

void dk_caption(dk *k, vp_rect r, const char *s, const char *id)
{
    vp_text_style st = dk_style(k->th->body_size - 1, k->th->secondary, true, VP_ALIGN_LEFT);
    st.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    dk_text(k, r, s, &st, id);
}

void dk_empty(dk *k, vp_rect r, const char *s, const char *id)
{
    vp_text_style st = dk_style(k->th->subtitle_size, k->th->secondary, false, VP_ALIGN_CENTER);
    st.valign = VP_VALIGN_MIDDLE;
    dk_text(k, r, s, &st, id);
}

void dk_footnote(dk *k, const char *s, const char *id)
{
    vp_text_style st = dk_style(k->th->footnote_size, k->th->secondary, false, VP_ALIGN_LEFT);
    st.max_lines = 1;
    st.flags = VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){DK_M, DK_BOTTOM + 1, DK_CW, 12}, s, &st, id);
}

/* ---- strings ---------------------------------------------------------------------------- */

const char *dk_tr(const dk *k, const char *key) { return vp_tr(k->tpl, k->loc, key); }

const char *dk_printf(dk *k, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? vp_arena_alloc(&k->arena, (size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return s ? s : "";
}

const char *dk_fill(dk *k, const char *key, const char *const *keys, const char *const *vals,
                    size_t n)
{
    const char *v2[16];
    if (n > 16)
        n = 16;
    for (size_t i = 0; i < n; i++)
        v2[i] = vals[i] ? vals[i] : k->no_data;
    char *s = vp_text_fill(&k->arena, dk_tr(k, key), keys, v2, n);
    return s ? s : "";
}

static const char *keep(dk *k, const char *s, double v)
{
    if (!isfinite(v))
        return k->no_data;
    char *c = vp_arena_strdup(&k->arena, s);
    return c ? c : "";
}

const char *dk_value(dk *k, double v)
{
    char b[VP_FMT_MAX];
    return keep(k, vp_fmt_value(b, sizeof b, k->loc, v, 2), v);
}

const char *dk_signed(dk *k, double v)
{
    char b[VP_FMT_MAX];
    return keep(k, vp_fmt_signed_value(b, sizeof b, k->loc, v, 2), v);
}

const char *dk_count(dk *k, double v)
{
    char b[VP_FMT_MAX];
    return keep(k, vp_fmt_number(b, sizeof b, k->loc, v, 0), v);
}

const char *dk_fixed(dk *k, double v, int decimals)
{
    char b[VP_FMT_MAX];
    return keep(k, vp_fmt_number(b, sizeof b, k->loc, v, decimals), v);
}

const char *dk_pct(dk *k, double pct, int decimals)
{
    char b[VP_FMT_MAX];
    return keep(k, vp_fmt_percent(b, sizeof b, k->loc, pct, decimals), pct);
}

const char *dk_ratio(dk *k, double ratio, int decimals)
{
    char b[VP_FMT_MAX];
    return keep(k, vp_fmt_ratio(b, sizeof b, k->loc, ratio, decimals), ratio);
}

const char *dk_money(dk *k, double v)
{
    char b[VP_FMT_MAX];
    return keep(k, vp_fmt_money(b, sizeof b, k->loc, k->r->currency, v), v);
}

const char *dk_money_short(dk *k, double v)
{
    char b[VP_FMT_MAX];
    return keep(k, vp_fmt_money_short(b, sizeof b, k->loc, k->r->currency, v), v);
}

const char *dk_date(dk *k, vp_date d)
{
    if (d == VP_NO_DATE)
        return k->no_data;
    char b[VP_FMT_MAX];
    return keep(k, vp_fmt_date(b, sizeof b, k->loc, d), 0);
}

const char *dk_period(dk *k, vp_period p)
{
    if (p.kind == VP_PERIOD_NONE)
        return k->no_data;
    char b[VP_FMT_MAX];
    return keep(k, vp_fmt_period(b, sizeof b, k->loc, p, k->a->fiscal_year_start_month), 0);
}

const char *dk_period_short(dk *k, vp_period p)
{
    if (p.kind == VP_PERIOD_NONE)
        return k->no_data;
    char b[VP_FMT_MAX];
    return keep(k, vp_fmt_period_short(b, sizeof b, k->loc, p), 0);
}

const char *dk_with_unit(dk *k, const char *name, const char *unit)
{
    if (!unit || !*unit)
        return name ? name : "";
    const char *keys[] = {"name", "unit"};
    const char *vals[] = {name ? name : "", unit};
    return dk_fill(k, "qbr.with_unit", keys, vals, 2);
}

const char *dk_tick_fmt(double v, void *ctx, char *buf, size_t size)
{
    const dk *k = ctx;
    return vp_fmt_value(buf, size, k->loc, v, 2);
}

/* ---- status ------------------------------------------------------------------------------ */

vp_rgb dk_status_color(const dk *k, vp_kpi_status s)
{
    switch (s) {
    case VP_ST_ACHIEVED:
    case VP_ST_ON_TRACK: return k->th->good;
    case VP_ST_BEHIND: return k->th->warning;
    case VP_ST_REGRESSED: return k->th->bad;
    default: return k->th->neutral;
    }
}

const char *dk_status_symbol(const dk *k, vp_kpi_status s)
{
    switch (s) {
    case VP_ST_ACHIEVED: return k->sym.check;
    case VP_ST_ON_TRACK: return k->sym.up;
    case VP_ST_BEHIND: return k->sym.dot;
    case VP_ST_REGRESSED: return k->sym.down;
    default: return k->sym.ring;
    }
}

const char *dk_status_text(dk *k, vp_kpi_status s)
{
    return dk_printf(k, "%s %s", dk_status_symbol(k, s), vp_status_label(k->r, s));
}

vp_rgb dk_named_color(const dk *k, const char *name)
{
    if (name && strcmp(name, "good") == 0)
        return k->th->good;
    if (name && strcmp(name, "warning") == 0)
        return k->th->warning;
    if (name && strcmp(name, "bad") == 0)
        return k->th->bad;
    if (name && strcmp(name, "accent") == 0)
        return k->th->accent;
    return k->th->neutral;
}

/* ---- lists over several slides ------------------------------------------------------------- */

size_t dk_even_parts(size_t n, size_t per)
{
    if (n == 0 || per == 0)
        return 1;
    return (n + per - 1) / per;
}

void dk_even_chunk(size_t n, size_t parts, size_t i, size_t *first, size_t *count)
{
    size_t base = parts ? n / parts : n, extra = parts ? n % parts : 0;
    *first = i * base + (i < extra ? i : extra);
    *count = base + (i < extra ? 1 : 0);
}

size_t dk_chunks(const vp_table *t, size_t per, double height, vp_table_chunk *out, size_t max)
{
    size_t n = vp_table_rows(t);
    if (n == 0) {
        if (out && max)
            out[0] = (vp_table_chunk){0, 0};
        return 1;
    }
    size_t parts = dk_even_parts(n, per ? per : n);
    size_t by_height = vp_table_paginate(t, height, height, NULL, 0);
    if (by_height > parts)
        parts = by_height;
    for (; parts <= n; parts++) {
        bool fits = true;
        for (size_t i = 0; i < parts && fits; i++) {
            size_t first, count;
            dk_even_chunk(n, parts, i, &first, &count);
            fits = vp_table_height(t, first, count) <= height + 0.01;
        }
        if (fits) {
            for (size_t i = 0; out && i < parts && i < max; i++)
                dk_even_chunk(n, parts, i, &out[i].first, &out[i].count);
            return parts;
        }
    }
    /* A row taller than a slide: one row per slide, reported by the layout check. */
    return vp_table_paginate(t, height, height, out, max);
}

vp_table *dk_fit_table(dk *k, vp_table *(*make)(dk *k, double pad), double tight, double airy,
                       size_t per, double height, vp_table_chunk *out, size_t max, size_t *parts)
{
    vp_table *t = make(k, tight);
    if (!t)
        return NULL;
    size_t n = dk_chunks(t, per, height, out, max);
    vp_table *roomy = make(k, airy);
    if (roomy && dk_chunks(roomy, per, height, NULL, 0) == n) {
        vp_table_free(t);
        t = roomy;
        dk_chunks(t, per, height, out, max);
    } else {
        vp_table_free(roomy);
    }
    *parts = n < max ? n : max;
    return t;
}

size_t dk_opt(const dk *k, const char *name, size_t def)
{
    double v = vp_layout_opt_number(k->item, name, (double)def);
    if (!(v >= 1 && v <= 1000))
        return def;
    return (size_t)v;
}

/* ---- shared data helpers ------------------------------------------------------------------ */

size_t dk_usage_upto(const dk *k)
{
    size_t n = 0;
    int fy = k->a->fiscal_year_start_month;
    for (size_t i = 0; i < k->a->n_usage; i++)
        if (vp_period_end(k->a->usage[i].period, fy) <= k->r->period_end)
            n = i + 1;   /* sorted by period: the entries up to P are a prefix */
    return n;
}

size_t dk_support_upto(const dk *k)
{
    size_t n = 0;
    int fy = k->a->fiscal_year_start_month;
    for (size_t i = 0; i < k->a->n_support; i++)
        if (vp_period_end(k->a->support[i].period, fy) <= k->r->period_end)
            n = i + 1;
    return n;
}

const vp_kpi_result *dk_pick_kpi(const dk *k, size_t first, size_t count, bool good)
{
    const vp_kpi_result *best = NULL;
    for (size_t i = first; i < first + count && i < k->r->n_kpis; i++) {
        const vp_kpi_result *x = &k->r->kpis[i];
        if (!x->headline || !isfinite(x->progress))
            continue;
        bool is_good = x->status == VP_ST_ACHIEVED || x->status == VP_ST_ON_TRACK;
        if (is_good != good)
            continue;
        if (!best || (good ? x->progress > best->progress : x->progress < best->progress))
            best = x;
    }
    return best;
}

/* ---- frame --------------------------------------------------------------------------------- */

static const char *section_label(dk *k, int part, int parts)
{
    if (parts <= 1)
        return k->cur->label;
    const char *keys[] = {"label", "i", "n"};
    const char *vals[] = {k->cur->label, dk_printf(k, "%d", part), dk_printf(k, "%d", parts)};
    return dk_fill(k, "qbr.continued", keys, vals, 3);
}

/* A new page for the current section with its bookmarks. */
static void new_page(dk *k, int part, int parts, const char *child)
{
    int page = vp_pdf_add_page(k->d, DK_W, DK_H);
    if (page < 0)
        return;
    if (k->cur->first_page < 0)
        k->cur->first_page = page;
    k->cur->n_pages++;
    if (part == 1)
        vp_pdf_bookmark(k->d, k->cur->label, 0);
    if (parts > 1)
        vp_pdf_bookmark(k->d, child ? child : section_label(k, part, parts), 1);
}

/* Section label and action title on the current page. */
static void header(dk *k, const char *title, int part, int parts)
{
    const vp_theme *th = k->th;
    vp_text_style lab = dk_style(10, th->accent, true, VP_ALIGN_LEFT);
    lab.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){DK_M, 30, DK_CW, 14}, section_label(k, part, parts), &lab,
            "section-label");
    /* The title takes two lines at most: one line at the theme's size, two lines 2 pt
     * smaller (a lighter block), 4 pt smaller when still too long, then cut with "…". */
    vp_text_style tt = dk_style(th->title_size, th->ink, true, VP_ALIGN_LEFT);
    tt.max_lines = 2;
    tt.flags = VP_TEXT_TRUNCATE_OK;
    vp_text_metrics m = {0};
    if (vp_text_measure(k->f, title, &tt, DK_CW, 0, &m, NULL) == VP_OK && m.lines_needed > 1) {
        tt.size = fmax(18, th->title_size - 2);
        if (vp_text_measure(k->f, title, &tt, DK_CW, 0, &m, NULL) == VP_OK && m.lines_needed > 2)
            tt.size = fmax(18, th->title_size - 4);
    }
    dk_text(k, (vp_rect){DK_M, 46, DK_CW, DK_TOP - 52}, title, &tt, "title");
}

void dk_slide(dk *k, const char *title, int part, int parts, const char *child)
{
    new_page(k, part, parts, child);
    header(k, title, part, parts);
}

static bool is_cover_page(const dk *k, int page)
{
    for (size_t i = 0; i < k->n_sections; i++) {
        const dk_section *s = &k->sections[i];
        if (strcmp(s->id, "cover") == 0 && s->first_page >= 0 && page >= s->first_page &&
            page < s->first_page + s->n_pages)
            return true;
    }
    return false;
}

/* Footer on every slide but the cover: account · period · confidential, logo, n/N. */
static void footers(dk *k)
{
    const vp_theme *th = k->th;
    int n = vp_pdf_page_count(k->d);
    const char *keys[] = {"account", "period"};
    const char *vals[] = {k->account, k->period};
    const char *left = dk_fill(k, "qbr.footer", keys, vals, 2);
    for (int i = 0; i < n; i++) {
        if (is_cover_page(k, i))
            continue;
        vp_pdf_set_page(k->d, i);
        vp_shape_style rule = {.stroke = true, .stroke_color = th->rule, .line_width = 0.5};
        vp_pdf_line(k->d, DK_M, DK_H - 25, DK_W - DK_M, DK_H - 25, &rule);
        vp_text_style ft = dk_style(fmax(8, th->footnote_size), th->secondary, false,
                                    VP_ALIGN_LEFT);
        ft.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
        dk_text(k, (vp_rect){DK_M, DK_H - 21, DK_CW - 200, 14}, left, &ft, "footer");
        double right = DK_W - DK_M;
        ft.align = VP_ALIGN_RIGHT;
        dk_text(k, (vp_rect){right - 60, DK_H - 21, 60, 14}, dk_printf(k, "%d/%d", i + 1, n),
                &ft, "page-number");
        if (th->logo_path)
            vp_pdf_image(k->d, th->logo_path, (vp_rect){right - 60 - 8 - 90, DK_H - 21, 90, 14},
                         VP_ALIGN_RIGHT, "footer-logo");
    }
}

/* ---- symbols and fonts ---------------------------------------------------------------------- */

static bool covers(const vp_fontset *f, const char *s)
{
    return vp_fontset_check(f, s, NULL, NULL) == VP_OK;
}

/* The first candidate the face can draw (the last is plain ASCII). */
static const char *pick(const vp_fontset *f, const char *const *c, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (covers(f, c[i]))
            return c[i];
    return c[n - 1];
}

#define PICK(f, ...) pick(f, (const char *const[]){__VA_ARGS__}, \
                          sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void choose_symbols(dk *k)
{
    k->sym.up = PICK(k->f, "\xE2\x96\xB2", "\xE2\x86\x91", "+");          /* ▲ ↑ */
    k->sym.down = PICK(k->f, "\xE2\x96\xBC", "\xE2\x86\x93", "-");        /* ▼ ↓ */
    k->sym.dot = PICK(k->f, "\xE2\x97\x8F", "\xE2\x80\xA2", "*");         /* ● • */
    k->sym.ring = PICK(k->f, "\xE2\x97\x8B", "\xE2\x97\xA6", "o");        /* ○ ◦ */
    k->sym.check = PICK(k->f, "\xE2\x9C\x93", "\xE2\x9C\x94", "\xE2\x88\x9A", "+");  /* ✓ ✔ √ */
    k->sym.arrow = PICK(k->f, "\xE2\x86\x92", "\xE2\x80\xBA", ">");       /* → › */
}

/* The account's own text is checked before anything is drawn, so a character the font
 * lacks (an emoji in a name) is reported with each field that holds it. */
static int check_field(dk *k, const char *s, const char *path)
{
    if (!s || vp_fontset_check(k->f, s, NULL, NULL) == VP_OK)
        return VP_OK;
    vp_diag *tmp = vp_diag_new();
    int rc = vp_fontset_check(k->f, s, tmp, NULL);
    const char *msg = NULL;
    if (tmp && vp_diag_count(tmp) > 0)
        vp_diag_get(tmp, 0, NULL, NULL, NULL, NULL, NULL, &msg);
    vp_diag_add(k->diag, VP_SEV_ERROR, k->a->source, path, 0, 0, "%s",
                msg ? msg : "the font cannot draw this text");
    vp_diag_free(tmp);
    return rc;
}

static int check_account_text(dk *k)
{
    const vp_account *a = k->a;
    char p[64];
    int rc = VP_OK;
#define CHK(s, ...)                                            \
    do {                                                       \
        snprintf(p, sizeof p, __VA_ARGS__);                    \
        int rc1 = check_field(k, (s), p);                      \
        if (rc == VP_OK)                                       \
            rc = rc1;                                          \
    } while (0)
    CHK(a->name, "account.name");
    CHK(a->csm.name, "account.team.csm.name");
    CHK(a->executive_sponsor.name, "account.team.executive_sponsor.name");
    CHK(a->executive_sponsor.title, "account.team.executive_sponsor.title");
    for (size_t i = 0; i < a->n_modules; i++)
        CHK(a->modules[i].name, "contract.modules[%zu].name", i);
    for (size_t i = 0; i < a->n_kpis; i++) {
        CHK(a->kpis[i].name, "kpis[%zu].name", i);
        CHK(a->kpis[i].unit, "kpis[%zu].unit", i);
    }
    for (size_t i = 0; i < a->n_milestones; i++)
        CHK(a->milestones[i].name, "milestones[%zu].name", i);
    for (size_t i = 0; i < a->n_usage; i++)
        for (size_t j = 0; j < a->usage[i].n_transactions; j++)
            CHK(a->usage[i].transactions[j].key, "usage[%zu].transactions", i);
    for (size_t i = 0; i < a->n_training; i++) {
        CHK(a->training[i].role, "training[%zu].role", i);
        CHK(a->training[i].topic, "training[%zu].topic", i);
    }
    for (size_t i = 0; i < a->n_champions; i++) {
        const vp_champion *c = &a->champions[i];
        CHK(c->name, "champions[%zu].name", i);
        CHK(c->title, "champions[%zu].title", i);
        CHK(c->department, "champions[%zu].department", i);
        CHK(c->note, "champions[%zu].note", i);
    }
    for (size_t i = 0; i < a->n_opportunities; i++) {
        const vp_opportunity *o = &a->opportunities[i];
        CHK(o->module, "opportunities[%zu].module", i);
        CHK(o->name, "opportunities[%zu].name", i);
        CHK(o->pain_point, "opportunities[%zu].pain_point", i);
    }
    for (size_t i = 0; i < a->n_plan; i++)
        CHK(a->plan[i].goal, "plan[%zu].goal", i);
#undef CHK
    return rc;
}

/* ---- cover ---------------------------------------------------------------------------------- */

/* A label over a value (cover facts, summary strip). */
static void fact(dk *k, vp_rect r, const char *label, const char *value, vp_rgb color,
                 const char *id)
{
    const vp_theme *th = k->th;
    vp_text_style l = dk_style(9, th->secondary, false, VP_ALIGN_LEFT);
    l.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){r.x, r.y, r.w, 14}, label, &l, NULL);
    vp_text_style v = dk_style(th->body_size, color, true, VP_ALIGN_LEFT);
    v.max_lines = r.h > 44 ? 2 : 1;
    v.flags = VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){r.x, r.y + 16, r.w, r.h - 16}, value, &v, id);
}

void dk_cover(dk *k)
{
    const vp_theme *th = k->th;
    const vp_account *a = k->a;
    new_page(k, 1, 1, NULL);
    vp_shape_style band = {.fill = true, .fill_color = th->accent};
    vp_pdf_rect(k->d, (vp_rect){0, 0, 18, DK_H}, &band, NULL);
    double x = 72, w = DK_W - x - 2 * DK_M;
    if (th->logo_path)
        vp_pdf_image(k->d, th->logo_path, (vp_rect){x, 40, 180, 54}, VP_ALIGN_LEFT, "logo");

    vp_text_style doc = dk_style(13, th->accent, true, VP_ALIGN_LEFT);
    doc.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){x, 148, w, 20}, dk_tr(k, "qbr.cover.document"), &doc, "cover-document");

    vp_text_style name = dk_style(36, th->ink, true, VP_ALIGN_LEFT);
    name.max_lines = 2;
    name.flags = VP_TEXT_TRUNCATE_OK;
    vp_text_metrics m = dk_text(k, (vp_rect){x, 176, w, 0}, k->account, &name, "cover-name");

    vp_text_style per = dk_style(18, th->secondary, false, VP_ALIGN_LEFT);
    per.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){x, 176 + m.height + 14, w, 26}, k->period, &per, "cover-period");

    vp_shape_style rule = {.stroke = true, .stroke_color = th->rule, .line_width = 0.75};
    vp_pdf_line(k->d, x, 392, x + w, 392, &rule);
    double cw = (w - 2 * DK_GUT) / 3;
    const char *sponsor = a->executive_sponsor.name;
    if (sponsor && a->executive_sponsor.title) {
        const char *keys[] = {"name", "title"};
        const char *vals[] = {sponsor, a->executive_sponsor.title};
        sponsor = dk_fill(k, "qbr.cover.person_title", keys, vals, 2);
    }
    fact(k, (vp_rect){x, 408, cw, 48}, dk_tr(k, "qbr.cover.csm"),
         a->csm.name ? a->csm.name : k->no_data, th->ink, "cover-csm");
    fact(k, (vp_rect){x + cw + DK_GUT, 408, cw, 48}, dk_tr(k, "qbr.cover.sponsor"),
         sponsor ? sponsor : k->no_data, th->ink, "cover-sponsor");
    fact(k, (vp_rect){x + 2 * (cw + DK_GUT), 408, cw, 48}, dk_tr(k, "qbr.cover.date"),
         dk_date(k, k->r->generated), th->ink, "cover-date");

    vp_text_style conf = dk_style(fmax(8, th->footnote_size), th->secondary, false,
                                  VP_ALIGN_LEFT);
    conf.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){x, DK_H - 40, w, 14}, dk_tr(k, "qbr.cover.confidential"), &conf,
            "cover-confidential");
}

/* ---- agenda --------------------------------------------------------------------------------- */

/* The agenda lists the sections with their slide numbers, known only once every slide is
 * drawn: its page is added in place now and filled at the end. */
void dk_agenda_reserve(dk *k) { new_page(k, 1, 1, NULL); }

void dk_agenda_fill(dk *k)
{
    dk_section *ag = NULL;
    for (size_t i = 0; i < k->n_sections; i++)
        if (strcmp(k->sections[i].id, "agenda") == 0 && k->sections[i].first_page >= 0)
            ag = &k->sections[i];
    if (!ag)
        return;
    const vp_theme *th = k->th;
    dk_section *items[DK_MAX_SECTIONS];
    size_t n = 0;
    for (size_t i = 0; i < k->n_sections; i++) {
        dk_section *s = &k->sections[i];
        if (s->first_page >= 0 && strcmp(s->id, "cover") != 0 && strcmp(s->id, "agenda") != 0)
            items[n++] = s;
    }
    vp_pdf_set_page(k->d, ag->first_page);
    dk_section *saved = k->cur;
    k->cur = ag;
    const char *keys[] = {"n", "period"};
    const char *vals[] = {dk_count(k, (double)n), k->period};
    header(k, dk_fill(k, "qbr.agenda.title", keys, vals, 2), 1, 1);
    k->cur = saved;
    if (n == 0)
        return;
    size_t per_col = n > 7 ? (n + 1) / 2 : n;
    size_t cols = n > 7 ? 2 : 1;
    double colw = cols == 2 ? (DK_CW - 3 * DK_GUT) / 2 : DK_CW * 0.66;
    double rowh = fmin(52, DK_CH / (double)per_col);
    vp_shape_style rule = {.stroke = true, .stroke_color = th->rule, .line_width = 0.5};
    for (size_t i = 0; i < n; i++) {
        size_t c = i / per_col, row = i % per_col;
        double x = DK_M + (double)c * (colw + 3 * DK_GUT), y = DK_TOP + (double)row * rowh;
        vp_text_style num = dk_style(20, th->accent, true, VP_ALIGN_LEFT);
        num.valign = VP_VALIGN_MIDDLE;
        num.flags = VP_TEXT_NOWRAP;
        dk_text(k, (vp_rect){x, y, 44, rowh - 6}, dk_printf(k, "%02zu", i + 1), &num, NULL);
        vp_text_style lab = dk_style(15, th->ink, false, VP_ALIGN_LEFT);
        lab.valign = VP_VALIGN_MIDDLE;
        lab.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
        dk_text(k, (vp_rect){x + 50, y, colw - 50 - 110, rowh - 6}, items[i]->label, &lab,
                NULL);
        const char *pk[] = {"from", "to"};
        const char *pv[] = {dk_printf(k, "%d", items[i]->first_page + 1),
                            dk_printf(k, "%d", items[i]->first_page + items[i]->n_pages)};
        const char *pages = items[i]->n_pages > 1 ? dk_fill(k, "qbr.agenda.slides", pk, pv, 2)
                                                  : dk_fill(k, "qbr.agenda.slide", pk, pv, 1);
        vp_text_style pg = dk_style(11, th->secondary, false, VP_ALIGN_RIGHT);
        pg.valign = VP_VALIGN_MIDDLE;
        pg.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
        dk_text(k, (vp_rect){x + colw - 106, y, 106, rowh - 6}, pages, &pg, NULL);
        vp_pdf_line(k->d, x, y + rowh - 3, x + colw, y + rowh - 3, &rule);
    }
}

/* ---- executive summary ------------------------------------------------------------------------ */

/* A big-number tile: label on top, the number, then a coloured line with a symbol. */
static void tile(dk *k, vp_rect r, const char *label, const char *value, bool known,
                 const char *sub, vp_rgb sub_color, const char *id)
{
    const vp_theme *th = k->th;
    dk_card(k, r, id);
    double pad = 14, iw = r.w - 2 * pad;
    vp_text_style l = dk_style(10.5, th->secondary, false, VP_ALIGN_LEFT);
    l.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){r.x + pad, r.y + 12, iw, 16}, label, &l, NULL);
    vp_text_style v = dk_style(known ? 30 : th->subtitle_size, known ? th->ink : th->secondary,
                               known, VP_ALIGN_LEFT);
    v.valign = VP_VALIGN_MIDDLE;
    v.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){r.x + pad, r.y + 30, iw, 42}, value, &v, NULL);
    vp_text_style s = dk_style(10, sub_color, false, VP_ALIGN_LEFT);
    s.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    dk_text(k, (vp_rect){r.x + pad, r.y + r.h - 28, iw, 16}, sub, &s, NULL);
}

static const char *summary_title(dk *k)
{
    const vp_report *r = k->r;
    size_t good = r->n_achieved + r->n_on_track;
    char roi[VP_FMT_MAX];
    vp_fmt_multiple(roi, sizeof roi, k->loc, r->roi);
    size_t bad = r->n_behind + r->n_regressed;
    const char *keys[] = {"value", "roi", "good", "bad", "n", "score", "band", "period"};
    const char *vals[] = {dk_money_short(k, r->total_value), keep(k, roi, r->roi),
                          dk_count(k, (double)good), dk_count(k, (double)bad),
                          dk_count(k, (double)r->n_kpis), dk_fixed(k, r->health.score, 1),
                          vp_band_label(r, r->health.band), k->period};
    /* lead with what is true of most KPIs: on track, or behind plan */
    bool mostly_bad = bad > good;
    if (r->n_with_data == 0)
        return dk_fill(k, "qbr.summary.title_no_data", keys, vals, 8);
    if (isfinite(r->total_value) && r->total_value > 0 && isfinite(r->roi))
        return dk_fill(k, mostly_bad ? "qbr.summary.title_bad" : "qbr.summary.title", keys, vals, 8);
    return dk_fill(k, mostly_bad ? "qbr.summary.title_no_value_bad" : "qbr.summary.title_no_value",
                   keys, vals, 8);
}

/* Headline KPIs: the best first, then up to two that need attention (DESIGN: 3-5). */
static size_t pick_headlines(const dk *k, const vp_kpi_result **out, size_t max)
{
    const vp_report *r = k->r;
    const vp_kpi_result *good[64], *bad[64];
    size_t ng = 0, nb = 0;
    for (size_t i = 0; i < r->n_kpis; i++) {
        const vp_kpi_result *x = &r->kpis[i];
        if (!x->headline)
            continue;
        bool g = x->status == VP_ST_ACHIEVED || x->status == VP_ST_ON_TRACK;
        if (g && ng < 64)
            good[ng++] = x;
        else if (!g && nb < 64)
            bad[nb++] = x;
    }
    /* best progress first among the good ones, lowest first among the others */
    for (size_t i = 1; i < ng; i++)
        for (size_t j = i; j > 0 && good[j]->progress > good[j - 1]->progress; j--) {
            const vp_kpi_result *t = good[j];
            good[j] = good[j - 1];
            good[j - 1] = t;
        }
    for (size_t i = 1; i < nb; i++)
        for (size_t j = i; j > 0 && bad[j]->progress < bad[j - 1]->progress; j--) {
            const vp_kpi_result *t = bad[j];
            bad[j] = bad[j - 1];
            bad[j - 1] = t;
        }
    size_t want_bad = nb < 2 ? nb : 2;
    if (want_bad > max)
        want_bad = max;
    size_t take_good = ng < max - want_bad ? ng : max - want_bad;
    size_t take_bad = nb < max - take_good ? nb : max - take_good;
    size_t n = 0;
    for (size_t i = 0; i < take_good; i++)
        out[n++] = good[i];
    for (size_t i = 0; i < take_bad; i++)
        out[n++] = bad[i];
    return n;
}

#define HEADLINE_SIZE 13.0
#define HEADLINE_LH 1.45
#define HEADLINE_WORD_W 130.0

static vp_text_style headline_style(const dk *k)
{
    vp_text_style st = dk_style(HEADLINE_SIZE, k->th->ink, false, VP_ALIGN_LEFT);
    st.line_height = HEADLINE_LH;
    st.max_lines = 2;
    st.flags = VP_TEXT_TRUNCATE_OK;
    return st;
}

/* Height of a headline sentence in its column. */
static double headline_height(dk *k, const char *sentence, bool with_status)
{
    vp_text_style st = headline_style(k);
    return dk_text_height(k, sentence, &st, DK_CW - 24 - (with_status ? HEADLINE_WORD_W : 0));
}

/* One status line: symbol (coloured), sentence, status word (coloured) on a shared
 * baseline; returns the height used (-1 when it does not fit max_h). */
static double status_line(dk *k, double y, double max_h, const char *sym, vp_rgb color,
                          const char *sentence, const char *status, int i)
{
    double size = HEADLINE_SIZE, lh = HEADLINE_LH, word_w = status ? HEADLINE_WORD_W : 0;
    vp_text_style st = headline_style(k);
    double tw = DK_CW - 24 - word_w;
    double h = dk_text_height(k, sentence, &st, tw);
    if (h <= 0 || h > max_h)
        return -1;
    vp_text_style mk = dk_style(size, color, true, VP_ALIGN_LEFT);
    mk.line_height = lh;
    mk.flags = VP_TEXT_NOWRAP;
    dk_text(k, (vp_rect){DK_M, y, 22, size * lh}, sym, &mk, dk_printf(k, "headline-mark-%d", i));
    dk_text(k, (vp_rect){DK_M + 24, y, tw, h}, sentence, &st, dk_printf(k, "headline-%d", i));
    if (status) {
        vp_text_style ws = dk_style(size - 2, color, true, VP_ALIGN_RIGHT);
        ws.line_height = lh * size / (size - 2);
        ws.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
        dk_text(k, (vp_rect){DK_W - DK_M - word_w + 8, y, word_w - 8, size * lh}, status, &ws,
                dk_printf(k, "headline-status-%d", i));
    }
    return h;
}

void dk_summary(dk *k)
{
    const vp_report *r = k->r;
    const vp_theme *th = k->th;
    const vp_lifecycle *lc = &r->lifecycle;
    dk_slide(k, summary_title(k), 1, 1, NULL);

    /* four tiles */
    double tw = (DK_CW - 3 * DK_GUT) / 4, th_ = 100, y = DK_TOP;
    size_t with_value = 0;
    for (size_t i = 0; i < r->n_kpis; i++)
        with_value += isfinite(r->kpis[i].value) && r->kpis[i].value > 0;
    {
        const char *keys[] = {"money", "n"};
        const char *vals[] = {dk_money(k, r->total_value), dk_count(k, (double)with_value)};
        bool known = isfinite(r->total_value);
        tile(k, (vp_rect){DK_M, y, tw, th_}, dk_tr(k, "qbr.summary.value"),
             known ? dk_money_short(k, r->total_value) : k->no_data, known,
             known ? dk_fill(k, "qbr.summary.value_sub", keys, vals, 2)
                   : dk_tr(k, "qbr.summary.value_none"),
             th->secondary, "tile-value");
    }
    {
        char b[VP_FMT_MAX];
        bool known = isfinite(r->roi);
        const char *keys[] = {"arr"};
        const char *vals[] = {dk_money(k, k->a->arr)};
        tile(k, (vp_rect){DK_M + (tw + DK_GUT), y, tw, th_}, dk_tr(k, "qbr.summary.roi"),
             known ? keep(k, vp_fmt_multiple(b, sizeof b, k->loc, r->roi), r->roi) : k->no_data,
             known, dk_fill(k, "qbr.summary.roi_sub", keys, vals, 1), th->secondary, "tile-roi");
    }
    {
        const vp_health *h = &r->health;
        bool known = isfinite(h->score);
        vp_rgb c = h->band ? dk_named_color(k, h->band->color) : th->neutral;
        const char *sub = dk_printf(k, "%s %s", k->sym.dot, vp_band_label(r, h->band));
        if (known && isfinite(h->change)) {
            const char *keys[] = {"sym", "change", "period"};
            const char *vals[] = {h->change > 0 ? k->sym.up : h->change < 0 ? k->sym.down
                                                                          : k->sym.arrow,
                                  dk_fixed(k, h->change, 1), dk_period_short(k, h->previous_period)};
            vals[1] = h->change > 0 ? dk_printf(k, "+%s", vals[1]) : vals[1];
            sub = dk_printf(k, "%s  %s", sub, dk_fill(k, "qbr.summary.health_change", keys, vals, 3));
        }
        tile(k, (vp_rect){DK_M + 2 * (tw + DK_GUT), y, tw, th_}, dk_tr(k, "qbr.summary.health"),
             known ? dk_fixed(k, h->score, 1) : k->no_data, known, sub, c, "tile-health");
    }
    {
        bool past = lc->days_to_renewal < 0;
        const char *keys[] = {"date"};
        const char *vals[] = {dk_date(k, k->a->end_date)};
        tile(k, (vp_rect){DK_M + 3 * (tw + DK_GUT), y, tw, th_},
             dk_tr(k, past ? "qbr.summary.days_past" : "qbr.summary.days"),
             dk_count(k, past ? -(double)lc->days_to_renewal : (double)lc->days_to_renewal), true,
             dk_fill(k, past ? "qbr.summary.ended" : "qbr.summary.ends", keys, vals, 1),
             lc->stage == VP_STAGE_RENEWAL ? th->warning : th->secondary, "tile-renewal");
    }

    /* headline sentences */
    double strip_y = DK_BOTTOM - 58;
    y = DK_TOP + th_ + 20;
    dk_caption(k, (vp_rect){DK_M, y, DK_CW, 16}, dk_tr(k, "qbr.summary.headlines"),
               "headlines-caption");
    y += 24;
    const vp_kpi_result *pick[16];
    size_t max = dk_opt(k, "max_headlines", 5);
    if (max > 16)
        max = 16;
    size_t n = pick_headlines(k, pick, max);
    /* When they do not all fit, drop the last of the good news first, so the risks stay */
    for (;;) {
        double need = 0;
        size_t last_good = n;
        for (size_t i = 0; i < n; i++) {
            need += headline_height(k, pick[i]->headline, true) + 8;
            if (pick[i]->status == VP_ST_ACHIEVED || pick[i]->status == VP_ST_ON_TRACK)
                last_good = i;
        }
        if (n <= 1 || need <= strip_y - y)
            break;
        size_t drop = last_good < n && last_good > 0 ? last_good : n - 1;
        memmove(&pick[drop], &pick[drop + 1], (n - drop - 1) * sizeof pick[0]);
        n--;
    }
    if (n == 0) {
        const char *keys[] = {"period", "n"};
        const char *vals[] = {k->period, dk_count(k, (double)r->n_kpis)};
        status_line(k, y, strip_y - y, k->sym.ring, th->neutral,
                    dk_fill(k, "qbr.summary.no_headlines", keys, vals, 2), NULL, 0);
    }
    for (size_t i = 0; i < n; i++) {
        const vp_kpi_result *x = pick[i];
        double h = status_line(k, y, strip_y - 8 - y, dk_status_symbol(k, x->status),
                               dk_status_color(k, x->status), x->headline,
                               vp_status_label(r, x->status), (int)i);
        if (h < 0)
            break;
        y += h + 8;
    }

    /* lifecycle strip */
    vp_rect strip = {DK_M, strip_y, DK_CW, DK_BOTTOM - strip_y};
    dk_card(k, strip, "lifecycle");
    double cw = (DK_CW - 2 * 14 - 3 * DK_GUT) / 4, cx = DK_M + 14;
    fact(k, (vp_rect){cx, strip_y + 10, cw, 36}, dk_tr(k, "qbr.summary.stage"),
         vp_stage_label(r, lc->stage), th->ink, "fact-stage");
    const char *ttfv;
    vp_rgb ttfv_c = th->ink;
    if (lc->time_to_first_value_days != INT32_MIN) {
        const char *keys[] = {"sym", "days"};
        const char *vals[] = {lc->first_value_on_time ? k->sym.check : k->sym.dot,
                              dk_count(k, lc->time_to_first_value_days)};
        ttfv = dk_fill(k, lc->first_value_on_time ? "qbr.summary.ttfv_on_time"
                                                  : "qbr.summary.ttfv_late",
                       keys, vals, 2);
        ttfv_c = lc->first_value_on_time ? th->good : th->warning;
    } else {
        ttfv = dk_printf(k, "%s %s", k->sym.ring, dk_tr(k, "qbr.summary.ttfv_none"));
        ttfv_c = th->secondary;
    }
    fact(k, (vp_rect){cx + (cw + DK_GUT), strip_y + 10, cw, 36}, dk_tr(k, "qbr.summary.ttfv"),
         ttfv, ttfv_c, "fact-ttfv");
    {
        bool ok = lc->qbrs_held >= lc->qbrs_expected;
        const char *keys[] = {"sym", "held", "expected"};
        const char *vals[] = {ok ? k->sym.check : k->sym.dot, dk_count(k, lc->qbrs_held),
                              dk_count(k, lc->qbrs_expected)};
        fact(k, (vp_rect){cx + 2 * (cw + DK_GUT), strip_y + 10, cw, 36},
             dk_tr(k, "qbr.summary.cadence"), dk_fill(k, "qbr.summary.cadence_value", keys, vals, 3),
             ok ? th->good : th->warning, "fact-cadence");
    }
    fact(k, (vp_rect){cx + 3 * (cw + DK_GUT), strip_y + 10, cw, 36}, dk_tr(k, "qbr.summary.as_of"),
         dk_date(k, lc->as_of), th->ink, "fact-as-of");
}

/* ---- driver ----------------------------------------------------------------------------------- */

static const struct slide_def {
    const char *id;
    const char *label;      /* locale key of the section label */
    void (*draw)(dk *);
} k_slides[] = {
    {"cover", "qbr.section.cover", dk_cover},
    {"agenda", "qbr.section.agenda", dk_agenda_reserve},
    {"executive_summary", "qbr.section.executive_summary", dk_summary},
    {"scorecard", "qbr.section.scorecard", dk_scorecard},
    {"kpi_trends", "qbr.section.kpi_trends", dk_trends},
    {"milestones", "qbr.section.milestones", dk_milestones},
    {"adoption", "qbr.section.adoption", dk_adoption},
    {"health", "qbr.section.health", dk_health},
    {"support", "qbr.section.support", dk_support},
    {"training", "qbr.section.training", dk_training},
    {"champions", "qbr.section.champions", dk_champions},
    {"best_practices", "qbr.section.best_practices", dk_practices},
    {"opportunities", "qbr.section.opportunities", dk_opportunities},
    {"plan", "qbr.section.plan", dk_plan},
};

static const struct slide_def *slide_def(const char *id)
{
    for (size_t i = 0; i < sizeof k_slides / sizeof k_slides[0]; i++)
        if (id && strcmp(k_slides[i].id, id) == 0)
            return &k_slides[i];
    return NULL;
}

int vp_deck_render(const vp_report *r, const vp_templates *tpl, const vp_render_options *opts,
                   const char *path, vp_diag *diag)
{
    if (!r || !tpl || !opts || !opts->fonts || !path)
        return VP_ERR_USAGE;
    dk k;
    memset(&k, 0, sizeof k);
    k.r = r;
    k.a = r->account;
    k.tpl = tpl;
    k.th = &tpl->theme;
    k.f = opts->fonts;
    k.loc = r->locale;
    k.diag = diag;
    vp_arena_init(&k.arena, 32 * 1024);
    int rc = vp_pdf_new(&k.d, k.f, k.th, diag);
    if (rc != VP_OK)
        goto done;
    choose_symbols(&k);
    k.no_data = vp_tr(tpl, k.loc, "common.no_data");
    k.account = k.a->name && *k.a->name ? k.a->name : k.a->id;
    k.period = dk_period(&k, r->period);
    rc = check_account_text(&k);
    if (rc != VP_OK)
        goto done;

    const char *tkeys[] = {"account", "period"};
    const char *tvals[] = {k.account, k.period};
    vp_pdf_info info = {.title = dk_fill(&k, "qbr.meta.title", tkeys, tvals, 2),
                        .author = k.a->csm.name,
                        .subject = dk_tr(&k, "qbr.meta.subject"),
                        .keywords = dk_fill(&k, "qbr.meta.keywords", tkeys, tvals, 2)};
    vp_pdf_set_info(k.d, &info);
    /* Reruns give the same bytes: without SOURCE_DATE_EPOCH, the report's own date. */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde)
        vp_pdf_set_time(k.d, (time_t)r->generated * 86400);

    for (size_t i = 0; i < tpl->n_qbr && k.n_sections < DK_MAX_SECTIONS; i++) {
        const vp_layout_item *it = &tpl->qbr[i];
        const struct slide_def *def = slide_def(it->id);
        if (!it->enabled || !def)
            continue;
        dk_section *s = &k.sections[k.n_sections++];
        s->id = def->id;
        s->label = dk_tr(&k, def->label);
        s->first_page = -1;
        k.cur = s;
        k.item = it;
        def->draw(&k);
        if (vp_pdf_status(k.d) != VP_OK)
            break;
    }
    rc = vp_pdf_status(k.d);
    if (rc != VP_OK)
        goto done;
    if (vp_pdf_page_count(k.d) == 0) {
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0,
                    "every slide of the QBR deck is disabled in qbr.json: nothing to write");
        rc = VP_ERR_TEMPLATE;
        goto done;
    }
    dk_agenda_fill(&k);
    footers(&k);
    vp_pdf_set_page(k.d, 0);
    vp_pdf_page_label(k.d, VP_LABEL_DECIMAL, NULL, 1);
    rc = vp_pdf_status(k.d);
    if (rc != VP_OK)
        goto done;
    if (k.arena.failed) {
        /* a sentence or label could not be built: the deck would silently miss text */
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "out of memory");
        rc = VP_ERR_NOMEM;
        goto done;
    }
    if (opts->check) {
        /* findings name the file: batch collects every account's in one list */
        const char *slash = strrchr(path, '/');
        vp_pdf_check_layout(k.d, opts->check, slash ? slash + 1 : path);
    }
    rc = vp_pdf_save(k.d, path, opts->tmpdir);
done:
    vp_pdf_free(k.d);
    vp_arena_destroy(&k.arena);
    return rc;
}
