/* a4doc.h (internal) — what the annual value summary and the renewal options sheet share
 * besides the page frame (a4.h): a scratch arena for the strings they build, locale
 * formatting into it, {placeholder} filling, status colours, and the document's start
 * (information, time) and end (running headers and footers, layout check, atomic save). */
#ifndef VP_RENDER_A4DOC_H
#define VP_RENDER_A4DOC_H

#include "../compute/report.h"
#include "../pdf/pdf.h"
#include "a4.h"

/* The locale keys of a document's name and frame ("annual.title", "annual.header", ...). */
typedef struct vp_a4doc_keys {
    const char *name;         /* the document's name: in the title, subject and header */
    const char *continued;    /* continuation caption pattern ({label}) */
    const char *header;       /* running header, right side ({doc}, {period}) */
    const char *footer;       /* footer, left side */
    const char *footer_csm;   /* footer when the account has a CSM ({name}) */
    const char *page;         /* "page n of N" ({n}, {N}) */
} vp_a4doc_keys;

typedef struct vp_a4doc {
    const vp_report *r;
    const vp_account *a;
    const vp_templates *tpl;
    vp_locale loc;
    vp_pdf *d;
    const vp_theme *th;
    vp_a4 f;
    vp_arena ar;              /* every string built for the document */
    const vp_a4doc_keys *keys;
    const char *doc;          /* the document's name in the report locale */
    const char *period;       /* the report period ("Q3 2025") */
    vp_diag *diag;            /* where problems go (the caller's) */
} vp_a4doc;

/* Start document c for report r: a vp_pdf with the theme of tpl, information (title
 * "<account> — <document>", author = the CSM, subject "<document> · <period>") and time
 * (SOURCE_DATE_EPOCH when set, else the report's as-of date at 00:00 UTC, so reruns give
 * the same bytes). `keys` (kept, not copied) name the document's strings. VP_OK or
 * VP_ERR_NOMEM; on error call vp_a4doc_free. */
int vp_a4doc_begin(vp_a4doc *c, const vp_report *r, const vp_templates *tpl,
                   const vp_render_options *opts, vp_diag *diag, const vp_a4doc_keys *keys);
/* Draw the running headers, footers and page numbers (vp_a4_finish with the keys' strings),
 * run the layout check into opts->check (label: the file's name) and save to path
 * atomically; free everything (also on error). Returns the document's status. */
int vp_a4doc_end(vp_a4doc *c, const vp_render_options *opts, const char *path);
/* Free without saving (after an error). */
void vp_a4doc_free(vp_a4doc *c);

/* The locale string `key`. */
const char *vp_a4doc_tr(const vp_a4doc *c, const char *key);
/* `pattern` with {name} placeholders replaced: pairs of (name, value) strings, ending
 * with NULL. The result lives in c's arena ("" when out of memory). */
const char *vp_a4doc_fill(vp_a4doc *c, const char *pattern, ...);
/* A copy of s in c's arena ("" for NULL or out of memory). */
const char *vp_a4doc_keep(vp_a4doc *c, const char *s);

/* Formatting through lib/format into c's arena. */
const char *vp_a4doc_money(vp_a4doc *c, double v);
const char *vp_a4doc_money_short(vp_a4doc *c, double v);
const char *vp_a4doc_number(vp_a4doc *c, double v, int decimals);
const char *vp_a4doc_value(vp_a4doc *c, double v);       /* up to 2 decimals */
const char *vp_a4doc_percent(vp_a4doc *c, double pct, int decimals);
/* A percentage with as few decimals as it needs, at most 2 (5 -> "5%", 8.25 -> "8.25%"). */
const char *vp_a4doc_percent_auto(vp_a4doc *c, double pct);
const char *vp_a4doc_ratio(vp_a4doc *c, double ratio, int decimals);
const char *vp_a4doc_multiple(vp_a4doc *c, double v);
const char *vp_a4doc_date(vp_a4doc *c, vp_date d);
const char *vp_a4doc_period(vp_a4doc *c, vp_period p);
const char *vp_a4doc_period_short(vp_a4doc *c, vp_period p);
/* A KPI value with its unit as the headline writes it ("45天", "45 days", "91.6%");
 * "—" when v is NaN. */
const char *vp_a4doc_kpi_value(vp_a4doc *c, const vp_kpi *k, double v);

/* The colour of a health band (its theme colour name), neutral when none. */
vp_rgb vp_a4doc_band_color(const vp_a4doc *c, const vp_health_band *b);
/* A KPI status's colour: good (achieved, on track), warning (behind), bad (regressed),
 * neutral (no data). */
vp_rgb vp_a4doc_status_color(const vp_a4doc *c, vp_kpi_status s);
/* A tick formatter for charts (ctx = the vp_a4doc): locale numbers. */
const char *vp_a4doc_chart_fmt(double v, void *ctx, char *buf, size_t size);

#endif
