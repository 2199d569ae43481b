/* a4.h (internal) — the A4 portrait frame shared by the annual value summary and the
 * renewal options sheet (DESIGN.md "A4 documents").
 *
 * A vp_a4 is a cursor flowing down the content area of A4 pages (margins 50 pt, a running
 * header above and a footer below the content). Each block asks for the height it needs;
 * when it does not fit, the flow starts a new page. Tables and paragraphs that are taller
 * than what is left continue on the next page (tables with their header row repeated,
 * under a "… (continued)" caption); charts and tiles never split. Headings are kept with
 * the first block that follows them (the caller says how much: `keep`).
 *
 * Running headers, footers and "page n / N" are drawn by vp_a4_finish once the page count
 * is known. Strings are the caller's (already looked up in the locale table); the frame
 * holds no vocabulary of its own. Nothing here allocates beyond the document. */
#ifndef VP_RENDER_A4_H
#define VP_RENDER_A4_H

#include <stdbool.h>
#include <stddef.h>

#include "../pdf/pdf.h"

#define VP_A4_MARGIN 50.0
#define VP_A4_LEFT VP_A4_MARGIN
#define VP_A4_WIDTH (VP_PAGE_A4_W - 2 * VP_A4_MARGIN)
#define VP_A4_TOP 64.0                      /* content starts below the running header */
#define VP_A4_BOTTOM (VP_PAGE_A4_H - 62.0)  /* and ends above the footer */
#define VP_A4_BODY 10.5                     /* body text, pt */
#define VP_A4_SMALL 9.0                     /* captions and notes, pt (never below 8) */

typedef struct vp_a4 {
    vp_pdf *d;
    const vp_theme *th;
    double y;                 /* top of the next block */
    bool fresh;               /* nothing drawn on this page yet (at the top) */
    double top_y;             /* where content starts on this page (below a caption) */
    const char *label;        /* the current section's label, for continuation captions */
    const char *continued;    /* "{label} (continued)" pattern from the locale table */
    int pages_without_frame;  /* leading pages (the cover) without a running header */
} vp_a4;

/* Start a flow on document d; `continued` is the continuation caption pattern with a
 * "{label}" placeholder (NULL = the label alone). No page is added yet. */
void vp_a4_init(vp_a4 *f, vp_pdf *d, const char *continued);
/* Add an A4 page and put the cursor at the top of its content area. */
void vp_a4_page(vp_a4 *f);
/* Height left on the current page below the cursor. */
double vp_a4_room(const vp_a4 *f);
/* Start a new page unless `h` pt fit below the cursor (or the page is still empty: a
 * block taller than a page is drawn anyway and reported by the layout check). Returns
 * true when a page was started. */
bool vp_a4_need(vp_a4 *f, double h);
/* vp_a4_need within a section: a new page gets the "… (continued)" caption. */
bool vp_a4_keep(vp_a4 *f, double h);
/* Vertical space before the next block; nothing at the top of a page. */
void vp_a4_space(vp_a4 *f, double h);
/* Mark the area [y, y + h) of the current page as used: the cursor moves below it. */
void vp_a4_advance(vp_a4 *f, double h);

/* A section: bookmark (level 0, `bookmark` or the label when NULL), small accent label,
 * action title (18 pt, up to 3 lines). `keep` pt of the next block stay on the same page
 * as the heading. The label is remembered for continuation captions. */
void vp_a4_section(vp_a4 *f, const char *label, const char *title, const char *bookmark,
                   double keep);
/* A sub-heading (14 pt, a level-1 bookmark when `bookmark`), kept with `keep` pt. */
void vp_a4_heading(vp_a4 *f, const char *text, bool bookmark, double keep);

/* A paragraph in style st (NULL = body text) across the content width, continued on the
 * next page line by line when it does not fit. `indent` shifts it right (and narrows it). */
void vp_a4_text(vp_a4 *f, const char *s, const vp_text_style *st, double indent,
                const char *id);
/* A list item: `marker` ("▲", "1.") in marker_color, the text hanging after it. Kept on
 * one page when it fits on one. */
void vp_a4_item(vp_a4 *f, const char *marker, vp_rgb marker_color, bool marker_bold,
                const char *s, const vp_text_style *st, const char *id);
/* Grey explanatory text in VP_A4_SMALL: "no data for this period", footnotes. */
void vp_a4_note(vp_a4 *f, const char *s, const char *id);

/* Draw table t at the cursor, continued on as many pages as needed with its header
 * repeated under a continuation caption. `min_rows` rows must fit under the header on
 * the current page, else the table starts on the next one (no lone header). */
void vp_a4_table(vp_a4 *f, const vp_table *t, size_t min_rows, const char *id);

/* A headline-number tile: small label, big value, a note line (a change with its arrow,
 * coloured; the word or arrow carries the meaning, not the colour alone). */
typedef struct vp_a4_tile {
    const char *label;
    const char *value;
    const char *note;         /* may be NULL */
    vp_rgb note_color;
} vp_a4_tile;
/* Tiles in rows of `cols` (2 by default when 0) with equal heights per row; a row
 * never splits across pages. */
void vp_a4_tiles(vp_a4 *f, const vp_a4_tile *tiles, size_t n, int cols, const char *id);
/* The height vp_a4_tiles will take (for a heading's `keep`). */
double vp_a4_tiles_height(const vp_a4 *f, const vp_a4_tile *tiles, size_t n, int cols);

/* Draw the running header (header_left | header_right), the footer (footer_left |
 * "page n / N" from page_pattern with {n} and {N}) on every page after the first
 * f->pages_without_frame (which get the footer only), and set decimal page labels. */
void vp_a4_finish(vp_a4 *f, const char *header_left, const char *header_right,
                  const char *footer_left, const char *page_pattern);

/* Text style helper. */
vp_text_style vp_a4_style(double size, vp_rgb color, bool bold, vp_align align);

#endif
