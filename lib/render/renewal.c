/* renewal.c — the renewal options sheet (SPEC §4; issue "The annual value summary and the
 * renewal options sheet").
 *
 * One A4 page (a second one only when the notes run long): an action title naming the
 * recommended option, the value delivered this year and the health band in one line, the
 * tiers side by side as cards — A standard, B bundle (when offered), C multi-year (one card
 * per term) — each with the price per year in large type, the term, the total contract
 * value, the savings against the standard path and what is included; the recommended card
 * has the accent border and a "Recommended" label, with the reason underneath. Then the
 * quote's validity, the contract's end date and notes on how the prices are built.
 *
 * Every amount is read from report->renewal (options[].annual / total / savings exactly as
 * computed) and formatted with vp_fmt_money for the account's locale and currency; every
 * word comes from locales/<locale>/renewal.json and common.json. With four or five cards the
 * cards get narrower and the type smaller (never below 8 pt); with more, or when the price
 * would not stay large enough, they go in two rows. Nothing is drawn outside its card:
 * a list of included items that does not fit ends with "+ N more". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../format/format.h"
#include "../util/strbuf.h"
#include "a4doc.h"
#include "render.h"

#define T(c, key) vp_a4doc_tr(c, key)
#define FILL vp_a4doc_fill

#define CARD_GAP 10.0
/* Vertical rhythm inside a card (card_rows_for, fixed_height and draw_card agree). */
#define GAP_BANNER 6.0   /* under the banner row */
#define GAP_LABEL 4.0    /* under the option's name */
#define GAP_RULE 4.0     /* above and below the rule under the price */
#define GAP_FACT 4.0     /* under each fact */
#define GAP_ITEMS 3.0    /* above the included list */
#define MIN_TYPE 8.0

static const char *count_s(vp_a4doc *c, size_t n) { return vp_a4doc_number(c, (double)n, 0); }

static double measure(const vp_a4doc *c, const char *s, const vp_text_style *st, double w)
{
    vp_text_metrics m;
    if (vp_text_measure(vp_pdf_fonts(c->d), s, st, w, 0, &m, NULL) != VP_OK)
        return 0;
    return m.height;
}

static const char *years_s(vp_a4doc *c, int years)
{
    return years == 1
               ? T(c, "common.units.year")
               : FILL(c, T(c, "common.units.years"), "n", vp_a4doc_number(c, years, 0), NULL);
}

/* ---- what each card includes --------------------------------------------------------- */

#define MAX_ITEMS 64

typedef struct card {
    const vp_renewal_option *o;
    const char *label;          /* "A · Standard renewal", "C · Multi-year — 3 years" */
    const char *label_split;    /* multi-year: the tier and the term on two lines */
    const char *price, *term, *total, *savings;
    const char *items[MAX_ITEMS];
    bool item_added[MAX_ITEMS]; /* an added module (B) or a term of the option: a "+" / "✓" */
    size_t n_items;
    bool recommended;
} card;

static void add_item(card *k, const char *s, bool added)
{
    if (k->n_items < MAX_ITEMS && s) {
        k->item_added[k->n_items] = added;
        k->items[k->n_items++] = s;
    }
}

static const char *module_name(vp_a4doc *c, const char *name, const char *code)
{
    if (name && code)
        return FILL(c, T(c, "renewal.module"), "name", name, "code", code, NULL);
    return name ? name : code ? code : "";
}

static void build_card(vp_a4doc *c, card *k, const vp_renewal_option *o, bool recommended,
                       bool compact)
{
    const vp_account *a = c->a;
    char label[256];
    memset(k, 0, sizeof *k);
    k->o = o;
    k->recommended = recommended;
    k->label = vp_a4doc_keep(c, vp_option_label(c->r, o, label, sizeof label));
    k->label_split = o->tier == VP_TIER_MULTI_YEAR
                         ? FILL(c, "{tier}\n{term}", "tier", vp_tier_label(c->r, o->tier), "term",
                                years_s(c, o->years), NULL)
                         : k->label;
    k->price = vp_a4doc_money(c, (double)o->annual);
    k->term = years_s(c, o->years);
    k->total = vp_a4doc_money(c, (double)o->total);
    k->savings = vp_a4doc_money(c, (double)o->savings);
    /* What the option adds comes first, then the current scope. */
    if (o->tier == VP_TIER_MULTI_YEAR) {
        add_item(k, FILL(c, T(c, "renewal.card.price_held"), "term", k->term, NULL), true);
        if (o->discount_pct > 0)
            add_item(k, FILL(c, T(c, "renewal.card.discount_year"), "pct",
                             vp_a4doc_percent_auto(c, o->discount_pct), NULL),
                     true);
    }
    if (o->tier == VP_TIER_BUNDLE) {
        for (size_t i = 0; i < a->n_opportunities; i++) {
            const vp_opportunity *op = &a->opportunities[i];
            if (op->stage == VP_OPP_LOST)
                continue;
            add_item(k, FILL(c, T(c, "renewal.card.added"), "module",
                             module_name(c, op->name, op->module), NULL),
                     true);
        }
        if (o->discount_pct > 0)
            add_item(k, FILL(c, T(c, "renewal.card.discount_added"), "pct",
                             vp_a4doc_percent_auto(c, o->discount_pct), NULL),
                     true);
    }
    if (a->n_modules == 0)
        add_item(k, T(c, "renewal.card.current_scope"), false);
    else if (compact)   /* the modules are listed once under the cards */
        add_item(k,
                 FILL(c, T(c, "renewal.card.current_modules"), "n", count_s(c, a->n_modules), NULL),
                 false);
    for (size_t i = 0; !compact && i < a->n_modules; i++)
        add_item(k, module_name(c, a->modules[i].name, a->modules[i].code), false);
}

/* ---- card geometry ------------------------------------------------------------------- */

typedef struct card_style {
    double w, pad;              /* card width, inner padding */
    double body, small, label, price, banner;   /* type sizes, pt */
} card_style;

/* Heights of a card's parts at style cs (the same for every card in a row, so prices,
 * rules and rows line up across cards). */
typedef struct card_rows {
    double banner, label, price, caption, facts, items_head, item_line;
    bool inline_facts;          /* label left and value right on one line (wide cards) */
} card_rows;

static vp_text_style style(const vp_a4doc *c, double size, vp_rgb color, bool bold, int max_lines)
{
    vp_text_style st = vp_a4_style(size, color, bold, VP_ALIGN_LEFT);
    st.max_lines = max_lines;
    st.flags = VP_TEXT_TRUNCATE_OK;
    (void)c;
    return st;
}

/* The card's name: on one line when it fits, else a multi-year tier and its term on two
 * lines rather than a term broken in the middle. */
static const char *card_label(const vp_a4doc *c, const card *k, const card_style *cs)
{
    vp_text_style ls = style(c, cs->label, c->th->ink, true, 3);
    double one = 1.4 * cs->label + 0.01;
    if (measure(c, k->label, &ls, cs->w - 2 * cs->pad) <= one)
        return k->label;
    return k->label_split;
}

static card_rows card_rows_for(const vp_a4doc *c, const card *cards, size_t n, const card_style *cs)
{
    const vp_theme *th = c->th;
    const vp_fontset *fonts = vp_pdf_fonts(c->d);
    double iw = cs->w - 2 * cs->pad;
    card_rows r = {0};
    /* The "Recommended" banner row only in the row that holds the recommended card (the
     * other cards of that row keep its height, so prices line up). */
    bool rec = false;
    for (size_t i = 0; i < n; i++)
        rec = rec || cards[i].recommended;
    r.banner = rec ? 1.4 * cs->banner + 6 : 4;
    vp_text_style ls = style(c, cs->label, th->ink, true, 3);
    for (size_t i = 0; i < n; i++)
        r.label = fmax(r.label, measure(c, card_label(c, &cards[i], cs), &ls, iw));
    r.price = 1.25 * cs->price;
    r.caption = 1.3 * cs->small;
    /* Facts: term, total, savings — on one line each when every card has room for label
     * and value side by side, else label over value. */
    const char *fl_keys[3] = {T(c, "renewal.card.term"), T(c, "renewal.card.total"),
                              T(c, "renewal.card.savings")};
    r.inline_facts = true;
    for (size_t i = 0; i < n && r.inline_facts; i++) {
        const char *fv[3] = {cards[i].term, cards[i].total, cards[i].savings};
        for (int f = 0; f < 3; f++)
            if (vp_text_width(fonts, fl_keys[f], cs->small) + 8 +
                    1.05 * vp_text_width(fonts, fv[f], cs->body) >
                iw)
                r.inline_facts = false;
    }
    vp_text_style fl = style(c, cs->small, th->secondary, false, 2);
    double facts = 0;
    for (int f = 0; f < 3; f++)
        facts +=
            (r.inline_facts ? 0 : measure(c, fl_keys[f], &fl, iw) + 1) + 1.3 * cs->body + GAP_FACT;
    r.facts = facts;
    r.items_head = 1.3 * cs->small + 2;
    r.item_line = 1.35 * cs->small;
    return r;
}

/* The height of a card's item list with every item shown. */
static double items_height(const vp_a4doc *c, const card *k, const card_style *cs)
{
    vp_text_style is = style(c, cs->small, c->th->ink, false, 3);
    is.line_height = 1.35;
    double h = 0, iw = cs->w - 2 * cs->pad - cs->small * 1.3;
    for (size_t i = 0; i < k->n_items; i++)
        h += measure(c, k->items[i], &is, iw) + 2;
    return h;
}

static double fixed_height(const card_rows *r)
{
    return r->banner + GAP_BANNER + r->label + GAP_LABEL + r->price + r->caption + 2 * GAP_RULE +
           r->facts + GAP_ITEMS + r->items_head;
}

/* Draw card k at (x, y), h tall. */
static void draw_card(vp_a4doc *c, const card *k, double x, double y, double h,
                      const card_style *cs, const card_rows *rw, size_t index)
{
    const vp_theme *th = c->th;
    vp_pdf *d = c->d;
    double iw = cs->w - 2 * cs->pad, ix = x + cs->pad;
    char id[32];
    snprintf(id, sizeof id, "card-%zu", index + 1);
    vp_shape_style frame = {.fill = true, .fill_color = k->recommended ? th->white : th->tile,
                            .stroke = true,
                            .stroke_color = k->recommended ? th->accent : th->rule,
                            .line_width = k->recommended ? 2 : 0.75, .radius = 5,
                            .flags = VP_BOX_CONTAINER};
    vp_pdf_rect(d, (vp_rect){x, y, cs->w, h}, &frame, id);
    double cy = y;
    if (k->recommended) {
        vp_shape_style band = {.fill = true, .fill_color = th->accent, .radius = 4};
        vp_pdf_rect(d, (vp_rect){x + 1, y + 1, cs->w - 2, rw->banner - 1}, &band, NULL);
        vp_text_style bs = style(c, cs->banner, th->white, true, 1);
        bs.valign = VP_VALIGN_MIDDLE;
        vp_pdf_text(d, (vp_rect){ix, y + 1, iw, rw->banner - 1},
                    FILL(c, "{m} {label}", "m", "\xE2\x98\x85", "label",
                         T(c, "renewal.card.recommended"), NULL),
                    &bs, NULL, NULL);
    }
    cy += rw->banner + GAP_BANNER;
    vp_text_style ls = style(c, cs->label, th->ink, true, 3);
    vp_pdf_text(d, (vp_rect){ix, cy, iw, rw->label}, card_label(c, k, cs), &ls, NULL, NULL);
    cy += rw->label + GAP_LABEL;
    vp_text_style ps = style(c, cs->price, k->recommended ? th->accent : th->ink, true, 1);
    ps.line_height = 1.25;
    ps.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    vp_pdf_text(d, (vp_rect){ix, cy, iw, rw->price}, k->price, &ps, NULL, NULL);
    cy += rw->price;
    vp_text_style cap = style(c, cs->small, th->secondary, false, 1);
    cap.line_height = 1.3;
    vp_pdf_text(d, (vp_rect){ix, cy, iw, rw->caption}, T(c, "renewal.card.per_year"), &cap, NULL,
                NULL);
    cy += rw->caption + GAP_RULE;
    vp_shape_style rule = {.stroke = true, .stroke_color = th->rule, .line_width = 0.75};
    vp_pdf_line(d, ix, cy, ix + iw, cy, &rule);
    cy += GAP_RULE;
    /* Facts. */
    const char *fl_keys[3] = {T(c, "renewal.card.term"), T(c, "renewal.card.total"),
                              T(c, "renewal.card.savings")};
    const char *fv[3] = {k->term, k->total, k->savings};
    vp_text_style fls = style(c, cs->small, th->secondary, false, 2);
    vp_text_style fvs = style(c, cs->body, th->ink, true, 1);
    fvs.line_height = 1.3;
    fvs.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    for (int f = 0; f < 3; f++) {
        vp_text_style vs = fvs;
        if (f == 2 && k->o->savings > 0)
            vs.color = th->good;
        double lh = 1.3 * cs->body;
        if (rw->inline_facts) {
            /* Label and value share a line: both centred on it. */
            vp_text_style ls1 = fls;
            ls1.max_lines = 1;
            ls1.valign = VP_VALIGN_MIDDLE;
            double vw = fmin(iw, 1.05 * vp_text_width(vp_pdf_fonts(d), fv[f], cs->body) + 1);
            vp_pdf_text(d, (vp_rect){ix, cy, iw - vw - 4, lh}, fl_keys[f], &ls1, NULL, NULL);
            vs.align = VP_ALIGN_RIGHT;
            vs.valign = VP_VALIGN_MIDDLE;
            vp_pdf_text(d, (vp_rect){ix + iw - vw, cy, vw, lh}, fv[f], &vs, NULL, NULL);
        } else {
            vp_text_metrics m;
            vp_pdf_text(d, (vp_rect){ix, cy, iw, 0}, fl_keys[f], &fls, NULL, &m);
            cy += m.height + 1;
            vp_pdf_text(d, (vp_rect){ix, cy, iw, lh}, fv[f], &vs, NULL, NULL);
        }
        cy += lh + GAP_FACT;
    }
    cy += GAP_ITEMS;
    vp_text_style ih = style(c, cs->small, th->secondary, true, 1);
    vp_pdf_text(d, (vp_rect){ix, cy, iw, 0}, T(c, "renewal.card.included"), &ih, NULL, NULL);
    cy += rw->items_head;
    /* Items, as many as fit above the card's bottom padding; then "+ N more". */
    double bottom = y + h - cs->pad;
    vp_text_style is = style(c, cs->small, th->ink, false, 3);
    is.line_height = 1.35;
    vp_text_style ms = is;
    ms.flags = VP_TEXT_NOWRAP;
    ms.max_lines = 1;
    double mw = cs->small * 1.3;
    for (size_t i = 0; i < k->n_items; i++) {
        double ih_i = measure(c, k->items[i], &is, iw - mw);
        bool last = i + 1 == k->n_items;
        double more_h = last ? 0 : rw->item_line + 2;
        if (cy + ih_i + more_h > bottom + 0.01) {
            vp_text_style mo = style(c, cs->small, th->secondary, false, 1);
            mo.line_height = 1.35;
            vp_pdf_text(d, (vp_rect){ix, cy, iw, 0},
                        FILL(c, T(c, "renewal.card.more"), "n", count_s(c, k->n_items - i), NULL),
                        &mo, NULL, NULL);
            break;
        }
        ms.color = k->item_added[i] ? th->accent : th->good;
        vp_pdf_text(d, (vp_rect){ix, cy, mw, 0}, k->item_added[i] ? "+" : "\xE2\x9C\x93", &ms, NULL,
                    NULL);
        vp_pdf_text(d, (vp_rect){ix + mw, cy, iw - mw, 0}, k->items[i], &is, NULL, NULL);
        cy += ih_i + 2;
    }
}

/* ---- the sheet ----------------------------------------------------------------------- */

static void title_block(vp_a4doc *c)
{
    const vp_report *r = c->r;
    const vp_renewal *rn = &r->renewal;
    const vp_renewal_option *o = &rn->options[rn->recommended];
    char label[256];
    const char *title = FILL(c, T(c, "renewal.title"), "option",
                             vp_option_label(r, o, label, sizeof label), "annual",
                             vp_a4doc_money(c, (double)o->annual), NULL);
    vp_a4_section(&c->f, T(c, "renewal.label"), title, T(c, "renewal.bookmark"), 0);
    c->f.y -= 6;
    vp_text_style st = vp_a4_style(10, c->th->secondary, false, VP_ALIGN_LEFT);
    st.max_lines = 2;
    st.flags = VP_TEXT_TRUNCATE_OK;
    vp_text_metrics m;
    vp_pdf_text(c->d, (vp_rect){VP_A4_LEFT, c->f.y, VP_A4_WIDTH, 0},
                FILL(c, T(c, "renewal.subtitle"), "account", c->a->name, "start",
                     vp_a4doc_date(c, c->a->start_date), "end", vp_a4doc_date(c, c->a->end_date),
                     NULL),
                &st, "subtitle", &m);
    vp_a4_advance(&c->f, m.height + 12);
}

/* The value delivered this year in one line, the health band beside it. */
static void value_line(vp_a4doc *c, bool show_value, bool show_health)
{
    const vp_report *r = c->r;
    const vp_theme *th = c->th;
    if (!show_value && !show_health)
        return;
    const char *value = NULL;
    if (show_value) {
        if (isfinite(r->total_value) && isfinite(r->roi))
            value = FILL(c, T(c, "renewal.value_line"), "value", vp_a4doc_money(c, r->total_value),
                         "roi", vp_a4doc_multiple(c, r->roi), NULL);
        else if (isfinite(r->total_value))
            value = FILL(c, T(c, "renewal.value_line_no_roi"), "value",
                         vp_a4doc_money(c, r->total_value), NULL);
        else
            value = T(c, "renewal.value_line_none");
    }
    const char *health = NULL;
    vp_rgb hc = r->health.band ? vp_a4doc_band_color(c, r->health.band) : th->secondary;
    if (show_health)
        health = r->health.band
                     ? FILL(c, T(c, "renewal.health"), "m", "\xE2\x97\x8F", "score",
                            vp_a4doc_number(c, r->health.score, 1), "band",
                            vp_band_label(r, r->health.band), NULL)
                     : FILL(c, T(c, "renewal.health_none"), "m", "\xE2\x97\x8B", NULL);
    double size = 10.5, pad = 10;
    vp_text_style hs = vp_a4_style(size - 0.5, hc, true, VP_ALIGN_CENTER);
    hs.max_lines = 1;
    hs.valign = VP_VALIGN_MIDDLE;
    hs.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
    double hw = health ? fmin(vp_text_width(vp_pdf_fonts(c->d), health, hs.size) + 20, 220) : 0;
    double vw = VP_A4_WIDTH - 2 * pad - (hw > 0 ? hw + 10 : 0);
    vp_text_style vs = vp_a4_style(size, th->ink, false, VP_ALIGN_LEFT);
    vs.max_lines = 2;
    vs.valign = VP_VALIGN_MIDDLE;
    vs.flags = VP_TEXT_TRUNCATE_OK;
    double th_ = value ? fmin(measure(c, value, &vs, vw), 2 * 1.4 * size) : 0;
    double h = fmax(th_, 1.4 * size) + 2 * pad - 2;
    vp_shape_style bg = {
        .fill = true, .fill_color = th->tile, .radius = 4, .flags = VP_BOX_CONTAINER};
    double y = c->f.y;
    vp_pdf_rect(c->d, (vp_rect){VP_A4_LEFT, y, VP_A4_WIDTH, h}, &bg, "value-line");
    if (value)
        vp_pdf_text(c->d, (vp_rect){VP_A4_LEFT + pad, y + pad - 1, vw, h - 2 * pad + 2}, value, &vs,
                    "value-text", NULL);
    if (health) {
        double ph = 1.4 * hs.size + 4;
        vp_rect pill = {VP_A4_LEFT + VP_A4_WIDTH - pad - hw, y + (h - ph) / 2, hw, ph};
        vp_shape_style ps = {.fill = true, .fill_color = vp_rgb_tint(hc, 0.15), .radius = ph / 2};
        vp_pdf_rect(c->d, pill, &ps, NULL);
        vp_pdf_text(c->d, pill, health, &hs, "health-pill", NULL);
    }
    vp_a4_advance(&c->f, h + 12);
}

/* Choose the card style for n cards per row with the widest price fitting. */
static card_style style_for(const vp_a4doc *c, const card *cards, size_t n, size_t per_row)
{
    card_style cs;
    /* Two rows of cards share the page height: the type of a four-card row. */
    size_t dense = n > per_row && per_row < 4 ? 4 : per_row;
    cs.w = (VP_A4_WIDTH - CARD_GAP * (double)(per_row - 1)) / (double)per_row;
    cs.pad = cs.w >= 140 ? 12 : cs.w >= 105 ? 9 : 7;
    cs.body = dense <= 3 ? 10.5 : dense == 4 ? 9.5 : 8.5;
    cs.small = dense <= 3 ? 9 : 8;
    cs.label = dense <= 3 ? 11 : dense == 4 ? 10 : 9;
    cs.banner = dense <= 3 ? 9 : 8;
    double maxp = dense <= 2 ? 28 : dense == 3 ? 24 : dense == 4 ? 20 : 16;
    double widest = 0;
    for (size_t i = 0; i < n; i++)
        widest = fmax(widest, vp_text_width(vp_pdf_fonts(c->d), cards[i].price, 1));
    double iw = cs.w - 2 * cs.pad;
    cs.price = widest > 0 ? fmin(maxp, floor(iw / widest * 4) / 4) : maxp;
    /* Facts must fit on one line too. */
    double wv = 0;
    for (size_t i = 0; i < n; i++)
        wv = fmax(wv, fmax(vp_text_width(vp_pdf_fonts(c->d), cards[i].total, 1),
                           vp_text_width(vp_pdf_fonts(c->d), cards[i].savings, 1)));
    if (wv > 0 && wv * cs.body > iw)
        cs.body = fmax(MIN_TYPE, floor(iw / wv * 4) / 4);
    return cs;
}

/* The cards, as tall as their content or as the page allows above `must` pt (the reason
 * and dates); `want` pt more (the notes) are kept free too when the cards still show their
 * fixed part and two included items. */
/* The current modules, once for every option (compact cards). */
static const char *scope_line(vp_a4doc *c)
{
    const vp_account *a = c->a;
    vp_strbuf b = VP_STRBUF_INIT;
    for (size_t i = 0; i < a->n_modules; i++) {
        if (i)
            vp_strbuf_puts(&b, T(c, "renewal.scope_sep"));
        vp_strbuf_puts(&b, module_name(c, a->modules[i].name, a->modules[i].code));
    }
    const char *s = FILL(c, T(c, "renewal.scope_line"), "modules", vp_strbuf_cstr(&b), NULL);
    vp_strbuf_free(&b);
    return s;
}

typedef struct card_layout {
    card *cards;
    size_t n, per_row, rows;
    card_style cs;
    double natural_total;       /* every row at its natural height, with the gaps */
    double min_row;             /* the tallest row's fixed part and two item lines */
} card_layout;

static bool card_layout_build(vp_a4doc *c, card_layout *L, bool compact)
{
    const vp_renewal *rn = &c->r->renewal;
    size_t n = rn->n_options;
    memset(L, 0, sizeof *L);
    L->cards = vp_arena_calloc(&c->ar, n ? n : 1, sizeof *L->cards);
    if (!L->cards || n == 0)
        return false;
    L->n = n;
    for (size_t i = 0; i < n; i++)
        build_card(c, &L->cards[i], &rn->options[i], i == rn->recommended, compact);
    /* One row up to five cards while the price stays large (>= 13 pt); else two rows.
     * A single card takes half the width rather than stretching across the page. */
    vp_layout_item opts_item = {
        .id = "renewal", .enabled = true, .options = c->tpl->renewal_options};
    size_t max_row =
        (size_t)fmax(1, fmin(6, vp_layout_opt_number(&opts_item, "max_cards_per_row", 5)));
    size_t per_row = n <= max_row ? n : (n + 1) / 2;
    if (per_row < 2)
        per_row = 2;
    card_style cs = style_for(c, L->cards, n, per_row);
    if (per_row > 3 && cs.price < 13) {
        per_row = (n + 1) / 2;
        cs = style_for(c, L->cards, n, per_row);
    }
    L->per_row = per_row;
    L->cs = cs;
    L->rows = (n + per_row - 1) / per_row;
    for (size_t r0 = 0; r0 < n; r0 += per_row) {
        size_t m = n - r0 < per_row ? n - r0 : per_row;
        card_rows rw = card_rows_for(c, L->cards + r0, m, &L->cs);
        double natural = 0;
        for (size_t i = 0; i < m; i++)
            natural = fmax(natural, fixed_height(&rw) + items_height(c, &L->cards[r0 + i], &L->cs) +
                                        L->cs.pad);
        L->natural_total += natural + (r0 ? CARD_GAP : 0);
        L->min_row = fmax(L->min_row, fixed_height(&rw) + 2 * (rw.item_line + 2) + L->cs.pad);
    }
    return true;
}

static vp_text_style scope_style(const vp_a4doc *c)
{
    vp_text_style st = vp_a4_style(9, c->th->secondary, false, VP_ALIGN_LEFT);
    st.line_height = 1.4;
    return st;
}

/* The cards, as tall as their content or as the page allows above `must` pt (the reason
 * and dates); `want` pt more (the notes) stay free too when the cards still show their
 * fixed part and two included items. When the module lists do not fit in full, the cards
 * say "the current N modules" and the modules are listed once under them. */
static void cards_block(vp_a4doc *c, double must, double want)
{
    double room = VP_A4_BOTTOM - c->f.y - must;
    card_layout L;
    if (!card_layout_build(c, &L, false))
        return;
    const char *scope = NULL;
    double scope_h = 0;
    if (L.natural_total > room - want && c->a->n_modules > 1) {
        scope = scope_line(c);
        vp_text_style st = scope_style(c);
        scope_h = measure(c, scope, &st, VP_A4_WIDTH) + 8;
        room -= scope_h;
        card_layout_build(c, &L, true);
    }
    double gaps = CARD_GAP * (double)(L.rows - 1);
    if ((room - want - gaps) / (double)L.rows >= L.min_row)
        room -= want;
    /* Each row's natural height; when they do not all fit, rows that need less than an
     * equal share keep what they need and the others share the rest. */
    double natural[8] = {0}, share = (room - gaps) / (double)L.rows;
    size_t nr = 0;
    for (size_t r0 = 0; r0 < L.n && nr < 8; r0 += L.per_row, nr++) {
        size_t m = L.n - r0 < L.per_row ? L.n - r0 : L.per_row;
        card_rows rw = card_rows_for(c, L.cards + r0, m, &L.cs);
        for (size_t i = 0; i < m; i++)
            natural[nr] =
                fmax(natural[nr],
                     fixed_height(&rw) + items_height(c, &L.cards[r0 + i], &L.cs) + L.cs.pad);
    }
    double spare = 0;
    size_t n_big = 0;
    for (size_t i = 0; i < nr; i++) {
        if (natural[i] <= share)
            spare += share - natural[i];
        else
            n_big++;
    }
    double big_share = n_big ? share + spare / (double)n_big : share;
    double y = c->f.y;
    size_t row = 0;
    for (size_t r0 = 0; r0 < L.n; r0 += L.per_row, row++) {
        size_t m = L.n - r0 < L.per_row ? L.n - r0 : L.per_row;
        card_rows rw = card_rows_for(c, L.cards + r0, m, &L.cs);
        double nat = row < 8 ? natural[row] : share;
        /* At least the fixed part and two item lines, else as tall as the page allows. */
        double h =
            fmin(nat, fmax(big_share, fixed_height(&rw) + 2 * (rw.item_line + 2) + L.cs.pad));
        /* Rows narrower than the full width are centred. */
        double row_w = L.cs.w * (double)m + CARD_GAP * (double)(m - 1);
        double x0 = VP_A4_LEFT + (VP_A4_WIDTH - row_w) / 2;
        for (size_t i = 0; i < m; i++)
            draw_card(c, &L.cards[r0 + i], x0 + (double)i * (L.cs.w + CARD_GAP), y, h, &L.cs, &rw,
                      r0 + i);
        y += h + CARD_GAP;
    }
    vp_a4_advance(&c->f, y - CARD_GAP - c->f.y);
    if (scope) {
        vp_text_style st = scope_style(c);
        vp_text_metrics m;
        vp_pdf_text(c->d, (vp_rect){VP_A4_LEFT, c->f.y + 8, VP_A4_WIDTH, 0}, scope, &st, "scope",
                    &m);
        vp_a4_advance(&c->f, m.height + 8);
    }
}

/* Why the recommended option: the reason in a callout under the cards. */
static double reason_height(vp_a4doc *c, const char **head, const char **text)
{
    const vp_report *r = c->r;
    const vp_renewal_option *o = &r->renewal.options[r->renewal.recommended];
    char label[256];
    *head =
        FILL(c, T(c, "renewal.why"), "option", vp_option_label(r, o, label, sizeof label), NULL);
    *text = vp_reason_label(r, r->renewal.reason);
    vp_text_style hs = vp_a4_style(10.5, c->th->ink, true, VP_ALIGN_LEFT);
    vp_text_style ts = vp_a4_style(10.5, c->th->ink, false, VP_ALIGN_LEFT);
    return 8 + measure(c, *head, &hs, VP_A4_WIDTH - 24) + 2 +
           measure(c, *text, &ts, VP_A4_WIDTH - 24) + 8;
}

static void reason_block(vp_a4doc *c)
{
    const char *head, *text;
    double h = reason_height(c, &head, &text);
    vp_a4_keep(&c->f, h);
    const vp_theme *th = c->th;
    double y = c->f.y;
    vp_shape_style bg = {.fill = true, .fill_color = vp_rgb_tint(th->accent, 0.08),
                         .flags = VP_BOX_CONTAINER};
    vp_pdf_rect(c->d, (vp_rect){VP_A4_LEFT, y, VP_A4_WIDTH, h}, &bg, "reason");
    vp_shape_style bar = {.fill = true, .fill_color = th->accent};
    vp_pdf_rect(c->d, (vp_rect){VP_A4_LEFT, y, 4, h}, &bar, NULL);
    vp_text_style hs = vp_a4_style(10.5, th->ink, true, VP_ALIGN_LEFT);
    vp_text_style ts = vp_a4_style(10.5, th->ink, false, VP_ALIGN_LEFT);
    vp_text_metrics m;
    vp_pdf_text(c->d, (vp_rect){VP_A4_LEFT + 14, y + 8, VP_A4_WIDTH - 24, 0}, head, &hs,
                "reason-head", &m);
    vp_pdf_text(c->d, (vp_rect){VP_A4_LEFT + 14, y + 8 + m.height + 2, VP_A4_WIDTH - 24, 0}, text,
                &ts, "reason-text", NULL);
    vp_a4_advance(&c->f, h + 12);
}

/* Validity and contract end: two label/value pairs side by side. */
static double dates_height(void) { return 1.3 * 9 + 2 + 1.3 * 12; }

static void dates_block(vp_a4doc *c)
{
    const vp_theme *th = c->th;
    const char *labels[3] = {T(c, "renewal.valid_until"), T(c, "renewal.contract_end"),
                             T(c, "renewal.prepared_by")};
    const char *values[3] = {vp_a4doc_date(c, c->r->renewal.valid_until),
                             vp_a4doc_date(c, c->a->end_date), c->a->csm.name};
    size_t n = c->a->csm.name ? 3 : 2;
    double w = 140;   /* dates are short; the name gets the rest */
    vp_text_style ls = vp_a4_style(9, th->secondary, false, VP_ALIGN_LEFT);
    ls.max_lines = 1;
    ls.line_height = 1.3;
    ls.flags = VP_TEXT_TRUNCATE_OK;
    vp_a4_keep(&c->f, dates_height());
    vp_text_style vs = vp_a4_style(12, th->ink, true, VP_ALIGN_LEFT);
    vs.max_lines = 1;
    vs.line_height = 1.3;
    vs.flags = VP_TEXT_TRUNCATE_OK;
    for (size_t i = 0; i < n; i++) {
        double x = VP_A4_LEFT + (double)i * (w + 20);
        double cw = i == 2 ? VP_A4_WIDTH - 2 * (w + 20) : w;
        vp_pdf_text(c->d, (vp_rect){x, c->f.y, cw, 0}, labels[i], &ls, NULL, NULL);
        vp_pdf_text(c->d, (vp_rect){x, c->f.y + 1.3 * 9 + 2, cw, 0}, values[i], &vs, NULL, NULL);
    }
    vp_a4_advance(&c->f, dates_height() + 14);
}

/* Notes on how the prices are built, from the renewal terms and the computed options. */
static size_t notes_build(vp_a4doc *c, const char **list)
{
    const vp_report *r = c->r;
    const vp_account *a = c->a;
    const vp_renewal *rn = &r->renewal;
    size_t n = 0;
    double u = a->renewal.uplift_pct;
    const char *arr = vp_a4doc_money(c, (double)rn->base_arr);
    list[n++] = u != 0 ? FILL(c, T(c, "renewal.notes.standard_uplift"), "pct",
                              vp_a4doc_percent_auto(c, u), "arr", arr, "annual",
                              vp_a4doc_money(c, (double)rn->standard), NULL)
                       : FILL(c, T(c, "renewal.notes.standard_flat"), "arr", arr, NULL);
    bool bundle = false, multi = false;
    for (size_t i = 0; i < rn->n_options; i++) {
        bundle = bundle || rn->options[i].tier == VP_TIER_BUNDLE;
        multi = multi || rn->options[i].tier == VP_TIER_MULTI_YEAR;
    }
    if (bundle)
        list[n++] =
            FILL(c, T(c, "renewal.notes.bundle"), "added", vp_a4doc_money(c, (double)rn->added),
                 "pct", vp_a4doc_percent_auto(c, a->renewal.bundle_discount_pct), NULL);
    if (multi)
        list[n++] = u != 0 ? FILL(c, T(c, "renewal.notes.multi_year_uplift"), "pct",
                                  vp_a4doc_percent_auto(c, u), NULL)
                           : T(c, "renewal.notes.multi_year_flat");
    list[n++] = FILL(c, T(c, "renewal.notes.currency"), "currency", r->currency, NULL);
    list[n++] = FILL(c, T(c, "renewal.notes.validity"), "days",
                     vp_a4doc_number(c, a->renewal.quote_valid_days, 0), "date",
                     vp_a4doc_date(c, r->generated), NULL);
    return n;
}

#define NOTE_SIZE 9.0

static vp_text_style note_style(const vp_a4doc *c)
{
    vp_text_style st = vp_a4_style(NOTE_SIZE, c->th->secondary, false, VP_ALIGN_LEFT);
    st.line_height = 1.4;
    return st;
}

static double notes_height(vp_a4doc *c)
{
    const char *list[8];
    size_t n = notes_build(c, list);
    vp_text_style st = note_style(c);
    double h = 1.3 * NOTE_SIZE + 3;
    for (size_t i = 0; i < n; i++)
        h += measure(c, list[i], &st, VP_A4_WIDTH - 1.5 * NOTE_SIZE) + 2;
    return h;
}

static void notes(vp_a4doc *c)
{
    const char *list[8];
    size_t n = notes_build(c, list);
    vp_text_style hs = vp_a4_style(NOTE_SIZE, c->th->secondary, true, VP_ALIGN_LEFT);
    hs.line_height = 1.3;
    vp_text_metrics m;
    vp_a4_keep(&c->f, 1.3 * NOTE_SIZE + 3 + 2 * 1.4 * NOTE_SIZE);
    vp_pdf_text(c->d, (vp_rect){VP_A4_LEFT, c->f.y, VP_A4_WIDTH, 0}, T(c, "renewal.notes.heading"),
                &hs, "notes-heading", &m);
    vp_a4_advance(&c->f, m.height + 3);
    vp_text_style st = note_style(c);
    for (size_t i = 0; i < n; i++) {
        char num[24];
        snprintf(num, sizeof num, "%zu", i + 1);
        vp_a4_item(&c->f, num, c->th->secondary, false, list[i], &st, "note");
        vp_a4_space(&c->f, 2);
    }
}

int vp_renewal_render(const vp_report *r, const vp_templates *tpl, const vp_render_options *opts,
                      const char *path, vp_diag *diag)
{
    if (!r || !tpl || !opts || !opts->fonts || !path)
        return VP_ERR_USAGE;
    static const vp_a4doc_keys keys = {
        .name = "renewal.doc", .continued = "renewal.continued", .header = "renewal.header",
        .footer = "renewal.footer", .footer_csm = "renewal.footer_csm", .page = "renewal.page",
    };
    vp_a4doc c;
    int rc = vp_a4doc_begin(&c, r, tpl, opts, diag, &keys);
    if (rc != VP_OK) {
        vp_a4doc_free(&c);
        return rc;
    }
    if (r->renewal.n_options == 0) {   /* cannot happen (A is always offered); stay honest */
        vp_a4doc_free(&c);
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "no renewal option was computed");
        return VP_ERR_RENDER;
    }
    vp_layout_item opts_item = {.id = "renewal", .enabled = true, .options = tpl->renewal_options};
    vp_a4_page(&c.f);
    title_block(&c);
    value_line(&c, vp_layout_opt_bool(&opts_item, "show_value_line", true),
               vp_layout_opt_bool(&opts_item, "show_health", true));
    const char *head, *text;
    bool show_notes = vp_layout_opt_bool(&opts_item, "show_notes", true);
    double below = 14 + reason_height(&c, &head, &text) + 12 + dates_height() + 14;
    cards_block(&c, below, show_notes ? notes_height(&c) : 0);
    vp_a4_space(&c.f, 14);
    reason_block(&c);
    dates_block(&c);
    if (show_notes)
        notes(&c);
    return vp_a4doc_end(&c, opts, path);
}
