/* deck.h (internal to lib/render) — the QBR deck: the context every slide builder shares,
 * the slide frame (section label, action title, footer), and small helpers for numbers
 * and text. deck.c runs the slides of report_templates/qbr.json in order; each slide
 * builder lives in a deck_*.c file by subject:
 *
 *   deck.c         driver, frame, cover, agenda, executive summary
 *   deck_kpi.c     KPI scorecard, KPI trends
 *   deck_usage.c   milestones, adoption and usage, health, support, training
 *   deck_people.c  champions, best practices, expansion opportunities, plan and asks
 *
 * How many slides a section takes (README "QBR deck", tests/docs/deck_test.py): a
 * section whose data is absent is left out, except the executive summary, health,
 * opportunities and plan slides, which say so. Lists continue over several slides
 * of at most `rows_per_slide` (or `max_entries`) rows, split evenly:
 * ceil(n / per_slide) slides — more only when a theme's type is too large for the rows to
 * fit, which never happens with the shipped theme.
 *
 * Every number comes from the computed model (lib/compute/report.h) through lib/format;
 * every word from report_templates/locales/<locale>/qbr.json ("qbr.*") or common.json. */
#ifndef VP_RENDER_DECK_H
#define VP_RENDER_DECK_H

#include <stdbool.h>
#include <stddef.h>

#include "../pdf/pdf.h"
#include "render.h"

/* Slide geometry (DESIGN.md "16:9 slides"): 36 pt margins, section label and action title
 * in the top band, footer band at the bottom; content lives between DK_TOP and DK_BOTTOM. */
#define DK_W VP_PAGE_SLIDE_W
#define DK_H VP_PAGE_SLIDE_H
#define DK_M 36.0
#define DK_GUT 16.0
#define DK_CW (DK_W - 2 * DK_M)       /* content width, 888 pt */
#define DK_TOP 120.0                  /* content top */
#define DK_BOTTOM 500.0               /* content bottom; a footnote line, then the footer */
#define DK_CH (DK_BOTTOM - DK_TOP)    /* content height */

#define DK_MAX_SECTIONS 32

/* One section of the deck (a qbr.json slide entry) as drawn. */
typedef struct dk_section {
    const char *id;
    const char *label;        /* section label in the report locale */
    int first_page;           /* 0-based; -1 when the section drew no slide */
    int n_pages;
} dk_section;

/* Status symbols the font can draw (chosen with vp_fontset_has at start). */
typedef struct dk_symbols {
    const char *up, *down, *dot, *ring, *check, *arrow;
} dk_symbols;

typedef struct dk {
    vp_pdf *d;
    const vp_report *r;
    const vp_account *a;
    const vp_templates *tpl;
    const vp_theme *th;
    const vp_fontset *f;
    vp_locale loc;
    vp_diag *diag;
    vp_arena arena;           /* strings made while drawing; freed with the deck */
    dk_symbols sym;
    const char *no_data;      /* "no data" in the report locale */
    const char *period;       /* the report period for people ("Q3 2025") */
    const char *account;      /* the account's name (or id) */
    dk_section sections[DK_MAX_SECTIONS];
    size_t n_sections;
    dk_section *cur;          /* the section being drawn */
    const vp_layout_item *item;   /* its qbr.json entry */
} dk;

/* ---- frame ------------------------------------------------------------------------------ */

/* Start a slide of the current section: a new page, the section label ("KPI scorecard
 * (2/4)" when parts > 1), the action title (shrunk to fit two lines, then truncated with an
 * ellipsis), a bookmark (the section on its first slide; one child per slide when the
 * section has several, titled `child` or the numbered label). part is 1-based. */
void dk_slide(dk *k, const char *title, int part, int parts, const char *child);

/* ---- text ------------------------------------------------------------------------------- */

vp_text_style dk_style(double size, vp_rgb color, bool bold, vp_align align);
/* Draw s in box; returns the metrics (zeroed on error). */
vp_text_metrics dk_text(dk *k, vp_rect box, const char *s, const vp_text_style *st,
                        const char *id);
/* Height s needs in a column `width` wide with st (0 on error). */
double dk_text_height(dk *k, const char *s, const vp_text_style *st, double width);
/* A tile-coloured rounded card (a container for the layout check). */
void dk_card(dk *k, vp_rect r, const char *id);
/* The small grey heading over a chart or table ("Active users by quarter"). */
void dk_caption(dk *k, vp_rect r, const char *s, const char *id);
/* An explicit empty state: grey text centred in r ("No expansion opportunities yet."). */
void dk_empty(dk *k, vp_rect r, const char *s, const char *id);
/* A small grey note at the bottom of the content area (method, legend). */
void dk_footnote(dk *k, const char *s, const char *id);

/* ---- strings ---------------------------------------------------------------------------- */

/* The string for key (never NULL). */
const char *dk_tr(const dk *k, const char *key);
/* vp_tr(key) with {placeholders} filled (keys[i] -> vals[i]; NULL vals read "no data"). */
const char *dk_fill(dk *k, const char *key, const char *const *keys, const char *const *vals,
                    size_t n);
/* Formatted numbers in the deck's arena; NaN reads "no data" (never "—", "nan", "-0"). */
const char *dk_value(dk *k, double v);                  /* KPI value, up to 2 decimals */
const char *dk_signed(dk *k, double v);                 /* "+5.4", "−12" */
const char *dk_count(dk *k, double v);                  /* "1,234" */
const char *dk_fixed(dk *k, double v, int decimals);    /* "88.1" */
const char *dk_pct(dk *k, double pct, int decimals);    /* percent units: 97 -> "97%" */
const char *dk_ratio(dk *k, double ratio, int decimals);   /* 0.8 -> "80%" */
const char *dk_money(dk *k, double v);
const char *dk_money_short(dk *k, double v);
const char *dk_date(dk *k, vp_date d);                  /* VP_NO_DATE -> "no data" */
const char *dk_period(dk *k, vp_period p);
const char *dk_period_short(dk *k, vp_period p);
/* "name (unit)" for table rows and chart headings; name alone without a unit. */
const char *dk_with_unit(dk *k, const char *name, const char *unit);
/* printf into the deck's arena ("" when out of memory: the document then fails). */
const char *dk_printf(dk *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Tick labels of chart value axes in the report locale (ctx = the dk). */
const char *dk_tick_fmt(double v, void *ctx, char *buf, size_t size);

/* ---- status ---------------------------------------------------------------------------- */

/* Colour and symbol of a KPI status (good, warning, bad, neutral). */
vp_rgb dk_status_color(const dk *k, vp_kpi_status s);
const char *dk_status_symbol(const dk *k, vp_kpi_status s);
/* "▲ on track": symbol and word, so status never rests on colour alone. */
const char *dk_status_text(dk *k, vp_kpi_status s);
/* The theme colour for a health band colour name ("good", "warning", "bad"). */
vp_rgb dk_named_color(const dk *k, const char *name);

/* ---- lists over several slides ----------------------------------------------------------- */

/* Split the rows of t into slides of at most `per` rows (0 = no row limit), evenly
 * (12 rows by 10 -> 6 + 6), each chunk fitting `height` pt; more slides only when rows do
 * not fit. Writes up to `max` chunks and returns how many slides are needed (>= 1). */
size_t dk_chunks(const vp_table *t, size_t per, double height, vp_table_chunk *out, size_t max);
/* A list table over slides, its rows with more air where the slides have room: the table
 * make(k, pad) builds with `airy` row padding when that takes no more slides than with
 * `tight` padding, else the tight one. Its rows are split as dk_chunks does into out (up
 * to max chunks); *parts is the number of slides to draw (at most max). The caller frees
 * the table; NULL when it cannot be made. */
vp_table *dk_fit_table(dk *k, vp_table *(*make)(dk *k, double pad), double tight, double airy,
                       size_t per, double height, vp_table_chunk *out, size_t max, size_t *parts);
/* Split n items into slides of at most per items, evenly; chunk i of count. */
size_t dk_even_parts(size_t n, size_t per);
void dk_even_chunk(size_t n, size_t parts, size_t i, size_t *first, size_t *count);
/* A qbr.json option of the current slide (positive integer; def when absent or invalid). */
size_t dk_opt(const dk *k, const char *name, size_t def);

/* ---- the slides (each draws zero or more slides for k->cur) ------------------------------- */

void dk_cover(dk *k);
void dk_agenda_reserve(dk *k);
void dk_agenda_fill(dk *k);
void dk_summary(dk *k);
void dk_scorecard(dk *k);
void dk_trends(dk *k);
void dk_milestones(dk *k);
void dk_adoption(dk *k);
void dk_health(dk *k);
void dk_support(dk *k);
void dk_training(dk *k);
void dk_champions(dk *k);
void dk_practices(dk *k);
void dk_opportunities(dk *k);
void dk_plan(dk *k);

/* Helpers shared by several slides. */
/* The usage / support entries whose period ends by the end of the report period. */
size_t dk_usage_upto(const dk *k);
size_t dk_support_upto(const dk *k);
/* The KPI with the best (largest progress, good = true) or worst progress among
 * kpis[first, first+count) that have data and match `good` (achieved / on track vs
 * behind / regressed); NULL when none. */
const vp_kpi_result *dk_pick_kpi(const dk *k, size_t first, size_t count, bool good);

#endif
