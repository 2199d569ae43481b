/* pdf.h (internal) — the layout engine the PDF renderers draw with.
 *
 * A small layer over libharu 2.3.0 with three parts:
 *
 *   fonts   one TrueType face (CJK + Latin) loaded once per process (vp_fontset, public
 *           type in valuepack/documents.h); per document only the code points actually
 *           drawn are embedded (HarfBuzz subset).
 *   layout  a vp_pdf records a *display list*: every call measures and positions its
 *           text with the face's advances and records text runs, paths and images. Nothing
 *           reaches libharu until vp_pdf_save/vp_pdf_write: then the font is subset to the
 *           recorded code points, and the list is replayed into a fresh HPDF_Doc. A page
 *           already drawn can be drawn on again (footers "n/N" once the count is known).
 *   check   every box drawn is recorded (page, id, rect) so vp_pdf_check_layout can report
 *           text that did not fit and boxes that overlap (feeds the public vp_layout_check).
 *
 * Coordinates are points, origin at the TOP-LEFT corner of the page, y growing downward
 * (the engine flips them for PDF). Angles are degrees clockwise from 12 o'clock (as
 * HPDF_Page_Arc).
 *
 * Errors are sticky: the first failure (out of memory, a character the font lacks, a
 * libharu error) is kept in the document with a message in the vp_diag given to
 * vp_pdf_new; later drawing calls do nothing and return that error, and vp_pdf_save returns
 * it. A renderer can therefore ignore the status of individual drawing calls and check the
 * result of vp_pdf_save (or call vp_pdf_status). Functions that return int return VP_OK or
 * a vp_error.
 *
 * Threads: a vp_fontset is read-only after loading and may be used by any number of
 * documents in any number of threads. A vp_pdf, vp_table or vp_text_layout belongs to one
 * thread at a time. libharu's CIDFontType2_New puts a 128 KiB array on the stack while
 * saving: give worker threads a stack of at least 512 KiB.
 *
 * Text rules (DESIGN.md): UTF-8, measured per code point with the face's horizontal
 * advances (no kerning or shaping: the face is CJK + Latin, both read fine without).
 * Line breaks from libunibreak (UAX #14): between CJK ideographs, never before closing
 * punctuation "，。）", after spaces and hyphens in Latin; "\n" forces a break; a word longer
 * than the line is broken between characters. Line height 1.4 when the text holds any CJK
 * (East Asian wide) character, otherwise 1.3, unless the style says otherwise. A baseline
 * sits at line top + line_height/2 + 0.35 * size, which centres Latin capitals and CJK
 * ideographs on the line. Bold is faked by stroking the outlines (3.5 % of the size wide);
 * measuring ignores the extra ~2 % of the size it adds on each side.
 *
 * A renderer, in short:
 *
 *     vp_pdf *d;  vp_pdf_new(&d, opts->fonts, &tpl->theme, diag);
 *     vp_pdf_set_info(d, &(vp_pdf_info){.title = ..., .author = ...});
 *     vp_pdf_add_page(d, VP_PAGE_SLIDE_W, VP_PAGE_SLIDE_H);
 *     vp_pdf_bookmark(d, title, 0);
 *     vp_pdf_text(d, (vp_rect){36, 42, 888, 62}, title, &title_style, "title", NULL);
 *     vp_chart_line(d, (vp_rect){36, 120, 888, 360}, &chart, "trend");
 *     ...                                   (tables: see vp_table_paginate below)
 *     for each page: vp_pdf_set_page(d, i); draw the footer "i+1/N";
 *     if (opts->check) vp_pdf_check_layout(d, opts->check, NULL);
 *     rc = vp_pdf_save(d, path, opts->tmpdir);       (VP_OK or the first error)
 *     vp_pdf_free(d);
 */
#ifndef VP_PDF_H
#define VP_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "valuepack/common.h"
#include "valuepack/documents.h"
#include "../templates/templates.h"

/* ---- geometry ------------------------------------------------------------------------ */

typedef struct vp_rect { double x, y, w, h; } vp_rect;   /* top-left corner, size */

#define VP_PAGE_SLIDE_W 960.0     /* 16:9 slide */
#define VP_PAGE_SLIDE_H 540.0
#define VP_PAGE_A4_W 595.28
#define VP_PAGE_A4_H 841.89

/* The default colours and type sizes of DESIGN.md (theme.json's defaults), for callers
 * without loaded templates (tests, the demo). Static; never NULL. */
const vp_theme *vp_pdf_default_theme(void);
/* `c` mixed with white: tint 0.15 = 15 % of the colour (status pills), 1 = the colour. */
vp_rgb vp_rgb_tint(vp_rgb c, double tint);

/* ---- fonts (vp_fontset_load/free/path are public: valuepack/documents.h) ---------------
 *
 * vp_fontset_load(out, path, index, diag): path NULL asks fontconfig for an installed
 * TrueType (glyf) face covering Chinese and Latin, skipping OpenType/CFF faces (Noto CJK)
 * that libharu 2.3.0 cannot embed. An explicit CFF font, a missing file or no usable font is
 * VP_ERR_FONT with a message naming the fix (apt-get install fonts-wqy-microhei, --font). */

/* The family name of the face ("WenQuanYi Micro Hei"); never NULL. */
const char *vp_fontset_family(const vp_fontset *f);
/* The face index in a collection (0 for a plain TTF). */
int vp_fontset_index(const vp_fontset *f);
/* True when the face can draw code point cp. Above U+FFFF is always false (libharu turns
 * such characters into spaces). Invisible format characters (U+200B, U+FEFF, soft hyphen)
 * are dropped from drawn text and count as covered. */
bool vp_fontset_has(const vp_fontset *f, unsigned cp);
/* Horizontal advance of cp in em (multiply by the size in pt); 0 when not covered. */
double vp_fontset_advance(const vp_fontset *f, unsigned cp);
/*
 * Check that every character of the UTF-8 string `s` can be drawn. VP_OK, or VP_ERR_FONT
 * with one diag entry (file = `what`, e.g. "accounts/acme.json" or NULL) naming the missing
 * characters as U+XXXX 'c' and how to fix it; VP_ERR_INVALID when s is not valid UTF-8.
 * diag may be NULL. Renderers call this on user-supplied text before laying it out when
 * they want a precise location for the message; drawing the text checks it anyway.
 */
int vp_fontset_check(const vp_fontset *f, const char *s, vp_diag *diag, const char *what);

/* ---- text layout and measuring -------------------------------------------------------- */

typedef enum vp_align { VP_ALIGN_LEFT = 0, VP_ALIGN_CENTER, VP_ALIGN_RIGHT } vp_align;
typedef enum vp_valign { VP_VALIGN_TOP = 0, VP_VALIGN_MIDDLE, VP_VALIGN_BOTTOM } vp_valign;

/* vp_text_style.flags */
enum {
    /* Truncation with an ellipsis is expected for this box (cover titles, table cells):
     * reported as a note, not as an overflow. Without it, text that does not fit is still
     * truncated with "…" (never drawn outside its box) but reported as an overflow. */
    VP_TEXT_TRUNCATE_OK = 1u << 0,
    /* One line only (same as max_lines = 1). */
    VP_TEXT_NOWRAP = 1u << 1,
};

typedef struct vp_text_style {
    double size;          /* pt; 0 = 12; below 8 is reported by the layout check */
    vp_rgb color;         /* fill colour (zero-initialised = black) */
    bool bold;            /* fill-then-stroke (the face has no bold) */
    vp_align align;
    vp_valign valign;     /* within the box height, when the box has one */
    double line_height;   /* multiple of size; 0 = 1.4 with CJK in the text, else 1.3.
                             Boxes that must share a baseline (a marker and its sentence)
                             need the same size and an explicit line_height. */
    int max_lines;        /* 0 = as many as the box height allows (all when it has none) */
    unsigned flags;       /* VP_TEXT_* */
} vp_text_style;

/* What laying out a text produced (vp_text_measure, vp_pdf_text). */
typedef struct vp_text_metrics {
    int lines;            /* lines drawn (after truncation) */
    int lines_needed;     /* lines the whole text needs at this width */
    double width;         /* widest drawn line, pt (trailing spaces excluded) */
    double height;        /* lines * line height, pt */
    double line_height;   /* pt */
    bool truncated;       /* the last line ends in "…" */
} vp_text_metrics;

/* Width in pt of `s` set on one line at `size` (the widest line when s holds "\n").
 * Characters the face lacks count as 0. NULL or "" -> 0. */
double vp_text_width(const vp_fontset *f, const char *s, double size);

/*
 * Lay out `s` in a column `width` pt wide with `st` (NULL = defaults), within at most
 * `height` pt (<= 0: no height limit), without drawing, and fill *out. Use it to plan:
 * how many lines a KPI name takes, how tall a tile must be. VP_ERR_FONT (message in diag)
 * when the face lacks a character; VP_ERR_INVALID for malformed UTF-8.
 */
int vp_text_measure(const vp_fontset *f, const char *s, const vp_text_style *st, double width,
                    double height, vp_text_metrics *out, vp_diag *diag);

/* One laid-out line: code points [start, end) of vp_text_layout.cps. */
typedef struct vp_text_line {
    size_t start, end;
    double width;         /* pt, without trailing spaces, with the ellipsis when present */
    bool ellipsis;        /* draw "…" after the line */
} vp_text_line;

/* A laid-out text (what vp_text_measure computes), for callers that place lines
 * themselves. Initialise with VP_TEXT_LAYOUT_INIT; free with vp_text_layout_free. The code
 * points are mapped for drawing: 0 = an invisible character, '\n' = a forced break. */
typedef struct vp_text_layout {
    unsigned *cps;        /* the code points as drawn (see above) */
    size_t n;
    vp_text_line *lines;
    size_t n_lines;
    size_t lines_needed;
    double size, line_height;   /* pt */
    bool cjk;
    size_t cap_cps, cap_lines;  /* internal */
} vp_text_layout;

#define VP_TEXT_LAYOUT_INIT {NULL, 0, NULL, 0, 0, 0, 0, false, 0, 0}

/* Lay out s (NULL = "") as vp_text_measure does, into L (reusing its buffers; L keeps no
 * pointer to s). On error L holds no lines. */
int vp_text_layout_build(vp_text_layout *L, const vp_fontset *f, const char *s,
                         const vp_text_style *st, double width, double height, vp_diag *diag);
/* Free L's buffers; L is left empty (VP_TEXT_LAYOUT_INIT) and may be reused. */
void vp_text_layout_free(vp_text_layout *L);

/* ---- documents ------------------------------------------------------------------------- */

typedef struct vp_pdf vp_pdf;

/*
 * Start an empty document that draws with `fonts` and `theme` (NULL = vp_pdf_default_theme).
 * Both must outlive the document. Problems are reported into `diag` (may be NULL), which
 * must also outlive it. VP_ERR_NOMEM or VP_OK.
 */
int vp_pdf_new(vp_pdf **out, const vp_fontset *fonts, const vp_theme *theme, vp_diag *diag);
/* Free the document and everything recorded. NULL is a no-op. */
void vp_pdf_free(vp_pdf *d);
/* The first error met so far (VP_OK when none). */
int vp_pdf_status(const vp_pdf *d);
const vp_fontset *vp_pdf_fonts(const vp_pdf *d);
const vp_theme *vp_pdf_theme(const vp_pdf *d);

/* Document information (copied; NULL fields are left out; info must not be NULL),
 * written as UTF-16 so Chinese shows in viewers. The creator is always "valuepack VERSION". */
typedef struct vp_pdf_info {
    const char *title, *author, *subject, *keywords;
} vp_pdf_info;
void vp_pdf_set_info(vp_pdf *d, const vp_pdf_info *info);
/* The creation/modification date written to the file. Default: $SOURCE_DATE_EPOCH when set
 * (so the same input gives the same bytes), else the time of saving. */
void vp_pdf_set_time(vp_pdf *d, time_t t);

/* Append a page of w x h pt and make it current; returns its index (0-based) or -1
 * after an error. */
int vp_pdf_add_page(vp_pdf *d, double w, double h);
/* Make an existing page current again (to draw footers once the page count is known).
 * VP_ERR_USAGE when out of range. */
int vp_pdf_set_page(vp_pdf *d, int page);
int vp_pdf_page(const vp_pdf *d);          /* current page index, -1 before the first */
int vp_pdf_page_count(const vp_pdf *d);
/* Size of the current page (0 before the first). */
double vp_pdf_page_width(const vp_pdf *d);
double vp_pdf_page_height(const vp_pdf *d);

/* A bookmark (outline entry) to the top of the current page. level 0 is a top entry,
 * level 1 a child of the last level-0 entry (a level 1 without a parent becomes level 0).
 * UTF-8 titles are written as UTF-16 so Chinese titles show correctly. */
int vp_pdf_bookmark(vp_pdf *d, const char *title, int level);

typedef enum vp_page_label_style {
    VP_LABEL_DECIMAL = 0, VP_LABEL_ROMAN_LOWER, VP_LABEL_ROMAN_UPPER
} vp_page_label_style;
/* From the current page on, viewers show page labels "prefix" + number counted from
 * `first` (prefix may be NULL; ASCII only: libharu writes it unencoded). */
int vp_pdf_page_label(vp_pdf *d, vp_page_label_style style, const char *prefix, int first);

/* ---- drawing (on the current page) ------------------------------------------------------
 * `id` names a box in the layout check ("kpi-name", "chart-1"); it is copied. A NULL id
 * means: text boxes are still checked (named by their first words), shapes are not (rules,
 * gridlines and decorations need no check). */

/* vp_box flags */
enum {
    /* A background or frame that holds other boxes (a tile, a card): boxes inside it do
     * not count as overlapping it; boxes sticking partly out of it do. */
    VP_BOX_CONTAINER = 1u << 0,
};

typedef enum vp_dash { VP_DASH_NONE = 0, VP_DASH_DASHED, VP_DASH_DOTTED } vp_dash;

typedef struct vp_shape_style {
    bool fill;            /* fill with fill_color */
    vp_rgb fill_color;
    bool stroke;          /* outline with stroke_color */
    vp_rgb stroke_color;
    double line_width;    /* pt; 0 = 1 */
    vp_dash dash;
    double radius;        /* rounded corners of rectangles, pt */
    unsigned flags;       /* VP_BOX_* for the layout check */
} vp_shape_style;

/*
 * Draw `s` in `box` (box.h <= 0: no height limit, the box is as tall as the text).
 * Lines are wrapped to box.w, aligned with st->align, and placed vertically by st->valign.
 * Text that needs more lines than max_lines or than the box height holds is cut after the
 * last line that fits and ends in "…"; that is a note with VP_TEXT_TRUNCATE_OK and an
 * overflow finding without it. A box too low for even one line still gets one line (an
 * overflow). `out` (may be NULL) receives the metrics. VP_ERR_FONT when the face lacks a
 * character (nothing is drawn, the error is sticky).
 */
int vp_pdf_text(vp_pdf *d, vp_rect box, const char *s, const vp_text_style *st,
                const char *id, vp_text_metrics *out);

int vp_pdf_rect(vp_pdf *d, vp_rect r, const vp_shape_style *st, const char *id);
int vp_pdf_line(vp_pdf *d, double x1, double y1, double x2, double y2, const vp_shape_style *st);
int vp_pdf_circle(vp_pdf *d, double cx, double cy, double r, const vp_shape_style *st,
                  const char *id);
/* A polyline through n points (xs[i], ys[i]); closed and fillable when st->fill. */
int vp_pdf_polyline(vp_pdf *d, const double *xs, const double *ys, size_t n,
                    const vp_shape_style *st);
/* An annular sector between radii r_in and r_out from angle a1 to a2 (degrees clockwise
 * from 12 o'clock, a1 < a2, a2 - a1 <= 360); r_in 0 gives a pie slice. */
int vp_pdf_sector(vp_pdf *d, double cx, double cy, double r_in, double r_out, double a1,
                  double a2, const vp_shape_style *st);
/*
 * A PNG or JPEG (by the file's signature) scaled to fit inside `box` keeping its aspect
 * ratio, placed horizontally by `align` and vertically centred. The file is read and
 * checked now, once per document and path (a PNG completely: libharu lets libpng abort
 * the process on a damaged PNG, so such a file must never reach it); at most 16 MB and
 * 4096 x 4096 pixels. VP_ERR_IO (cannot read), VP_ERR_LIMIT or VP_ERR_RENDER ("cannot use
 * the image: a chunk fails its CRC check"), sticky, with the path in the diag entry.
 */
int vp_pdf_image(vp_pdf *d, const char *path, vp_rect box, vp_align align, const char *id);
/* Record a box for the layout check without drawing anything (a group the renderer
 * draws from several calls). */
int vp_pdf_mark(vp_pdf *d, vp_rect r, const char *id, unsigned flags);

/* ---- saving ----------------------------------------------------------------------------
 * The font is subset to the code points drawn, written to a private temporary file in
 * `tmpdir` (mkstemp, removed right after libharu opened it), the display list is replayed
 * into a new HPDF_Doc and the PDF written with compression on. Reproducible: the same
 * calls with the same time give the same bytes (libharu writes no random ID). Saving does
 * not change the document; it may be saved more than once. */

/* Write atomically to `path` (lib/util/fs.h): on failure nothing exists under `path` and
 * diag says why (VP_ERR_IO for write errors such as a full disk). tmpdir NULL = the
 * scratch folder of vp_scratch_dir ($TMPDIR, else /dev/shm, else the folder of `path`). */
int vp_pdf_save(vp_pdf *d, const char *path, const char *tmpdir);
/* Write to an open stream (not closed; flushed and checked for errors). tmpdir NULL =
 * vp_scratch_dir's choice. VP_ERR_IO when writing fails (e.g. ENOSPC on /dev/full). */
int vp_pdf_write(vp_pdf *d, FILE *fp, const char *tmpdir);
/* The PDF in a new buffer (caller frees with vp_free). */
int vp_pdf_to_memory(vp_pdf *d, const char *tmpdir, unsigned char **out, size_t *len);

/* ---- layout check ----------------------------------------------------------------------
 * Findings are of two kinds:
 *   problems (vp_layout_check_count/get): text that did not fit its box without
 *     VP_TEXT_TRUNCATE_OK ("page 3: text overflows box 'kpi-name' by 12.0 pt: \"…\""),
 *     boxes that overlap ("page 5: boxes 'chart-1' and 'table' overlap"), a box sticking
 *     out of its container, a box outside the page, text below 8 pt;
 *   notes (vp_layout_check_note_count/note): text truncated where truncation was allowed
 *     ("page 1: text truncated in box 'cover-title' (2 of 3 lines): \"…\"").
 * Overlap: two boxes on the same page overlap when they share more than 0.5 pt in both
 * directions. Text counts with the area its lines cover (not the whole box it was given).
 * A container (VP_BOX_CONTAINER) conflicts only with a box that it partly covers: one fully
 * inside it, or containing it, is fine. Boxes drawn by charts and tables internally are
 * not checked against each other; the chart or table is one box. */

/* Append this document's findings to c, each line prefixed with "label: " when label is
 * not NULL (batch: the file name). Returns the number of problems found (also when c is
 * NULL, to count only; also when a line could not be stored for lack of memory). May be
 * called at any time, any number of times (each call appends again). Thread-safe on a
 * shared c. */
size_t vp_pdf_check_layout(const vp_pdf *d, vp_layout_check *c, const char *label);

/* Notes of a vp_layout_check (public: count/get = problems). Strings live as long as c. */
size_t vp_layout_check_note_count(const vp_layout_check *c);
const char *vp_layout_check_note(const vp_layout_check *c, size_t i);
/* Add one problem or note line (copied). false when out of memory. */
bool vp_layout_check_add(vp_layout_check *c, bool problem, const char *line);

/* ---- tables ---------------------------------------------------------------------------
 * A table is built once (columns, then rows, each measured as it is added) and drawn in
 * chunks so it can continue on the next slide or page with its header repeated:
 *
 *     vp_table *t; vp_table_new(&t, d, cols, 6, 888, NULL);
 *     for (...) vp_table_add_row(t, cells);
 *     vp_table_chunk ch[16];
 *     size_t n = vp_table_paginate(t, avail_h, avail_h, ch, 16);
 *     for (size_t i = 0; i < n; i++) {
 *         new slide; title "KPI scorecard (i+1/n)" when n > 1;
 *         vp_table_draw(d, t, ch[i].first, ch[i].count, x, y, avail_h, "scorecard", NULL);
 *     }
 *     vp_table_free(t);
 */

typedef struct vp_table_col {
    const char *header;   /* header text (units belong here); NULL = "" */
    double width;         /* pt; 0 = an equal share of what the fixed columns leave */
    vp_align align;       /* numbers: VP_ALIGN_RIGHT */
    int max_lines;        /* cell text wraps up to this many lines, then "…"; 0 = 2 */
} vp_table_col;

typedef enum vp_cell_kind {
    VP_CELL_TEXT = 0,     /* text in the column's alignment */
    VP_CELL_PILL,         /* status pill: rounded rect in a 15 % tint, text in the colour */
    VP_CELL_PROGRESS,     /* progress bar (value 0..1) with an optional expected marker */
} vp_cell_kind;

typedef struct vp_table_cell {
    const char *text;     /* UTF-8 (copied); NULL = empty. PROGRESS: a label right of the bar */
    vp_cell_kind kind;
    const vp_rgb *color;  /* TEXT: text colour; PILL: status colour; PROGRESS: bar colour;
                             NULL = ink / neutral / accent */
    bool bold;
    double value;         /* PROGRESS: 0..1 (clamped; NaN = empty track) */
    double expected;      /* PROGRESS: expected progress marker in (0, 1]; 0 or NaN = none */
} vp_table_cell;

typedef struct vp_table_style {
    double size;          /* pt; 0 = theme table size */
    double pad_x, pad_y;  /* cell padding; 0 = 6 and 4 */
    bool zebra;           /* tile-coloured fill on every other row */
    bool no_header;       /* do not draw the header row */
} vp_table_style;

typedef struct vp_table vp_table;
typedef struct vp_table_chunk { size_t first, count; } vp_table_chunk;

/* A table `width` pt wide on document d (for its fonts and theme). cols are copied.
 * st NULL = defaults with zebra rows. */
int vp_table_new(vp_table **out, vp_pdf *d, const vp_table_col *cols, size_t ncols,
                 double width, const vp_table_style *st);
void vp_table_free(vp_table *t);
/* Append a row of ncols cells (copied), measuring its height. VP_ERR_FONT when a cell
 * has a character the face lacks (also sticky in the document). */
int vp_table_add_row(vp_table *t, const vp_table_cell *cells);
size_t vp_table_rows(const vp_table *t);
double vp_table_header_height(const vp_table *t);   /* 0 with no_header */
double vp_table_row_height(const vp_table *t, size_t row);
/* Height of header + rows [first, first+count). */
double vp_table_height(const vp_table *t, size_t first, size_t count);
/* How many rows from `first` fit under the header in `height` pt (0 when not even one). */
size_t vp_table_fit(const vp_table *t, size_t first, double height);
/*
 * Split the table into chunks: chunk 0 gets first_height, later chunks next_height (a
 * fresh page). Each later chunk holds at least one row (a row taller than a whole page is
 * drawn anyway and reported as an overflow). Chunk 0 has count 0 when not even one row fits
 * in first_height: start the table on the next page. Writes at most max chunks to out (out
 * may be NULL to count) and returns the number of chunks needed (1 for an empty table).
 */
size_t vp_table_paginate(const vp_table *t, double first_height, double next_height,
                         vp_table_chunk *out, size_t max);
/* Draw the header and rows [first, first+count) with the top-left corner at (x, y) on the
 * current page. max_h > 0 is the height available (the check reports an overflow beyond
 * it). *used_h (may be NULL) = height drawn. */
int vp_table_draw(vp_pdf *d, const vp_table *t, size_t first, size_t count, double x,
                  double y, double max_h, const char *id, double *used_h);

/* ---- charts (IBCS style: actual solid dark, plan/target dashed or outlined, baseline and
 * previous grey, good/bad variance colours; no 3-D, no borders, light gridlines) ---------
 * Every number a reader sees must come from lib/format: give labels as strings, and a
 * vp_chart_fmt for axis ticks (NULL = a plain fallback: up to 2 decimals, U+2212 minus). */

typedef const char *(*vp_chart_fmt)(double v, void *ctx, char *buf, size_t size);

/* Nice axis ticks (1-2-5 steps): lo, lo+step, ..., hi with lo <= min, hi >= max, at most
 * max_ticks (>= 2) ticks. min == max (a single value, all equal) widens the range around
 * the value; NaN/inf -> false. Ticks never read as -0. */
typedef struct vp_ticks {
    double lo, hi, step;
    int n;
    long first; int mant, exp10;      /* internal: tick i = (first + i) * mant * 10^exp10 */
} vp_ticks;
bool vp_nice_ticks(double min, double max, int max_ticks, vp_ticks *out);
/* Tick i of t (lo + i*step, rounded to the step so 0.1+0.2 prints as 0.3). */
double vp_tick_value(const vp_ticks *t, int i);

typedef struct vp_line_chart {
    size_t n;                         /* periods (x positions) */
    const char *const *labels;        /* n x-axis labels, or NULL */
    const double *actual;             /* n values (NaN = no data: a gap); NULL or none known:
                                         empty_text instead of a chart */
    const char *const *point_labels;  /* n labels above the points (NULL entries skip) */
    const double *plan;               /* optional n plan values (dashed line), or NULL */
    double baseline, target;          /* dashed horizontal references (grey / dark) ... */
    const char *baseline_label;       /* ... drawn only when labelled and finite; the label */
    const char *target_label;         /*     sits at the right end ("Baseline 12 d") */
    bool zero_based;                  /* include 0 in the value axis */
    vp_chart_fmt fmt;                 /* tick labels */
    void *fmt_ctx;
    const char *empty_text;           /* when no value is known ("No data for this period") */
    double size;                      /* label size pt; 0 = 9 */
} vp_line_chart;
int vp_chart_line(vp_pdf *d, vp_rect r, const vp_line_chart *c, const char *id);

typedef enum vp_series_kind {
    VP_SERIES_ACTUAL = 0,   /* solid dark */
    VP_SERIES_PLAN,         /* outlined (target / plan) */
    VP_SERIES_PREVIOUS,     /* light grey (baseline / previous period) */
} vp_series_kind;

typedef struct vp_bar_series {
    const char *name;                 /* legend entry (drawn when there are 2+ series) */
    vp_series_kind kind;
    const double *values;             /* n values; NaN = no bar */
    const char *const *value_labels;  /* n labels at the bar ends, or NULL */
    const vp_rgb *colors;             /* n per-bar fill colours (variance good/bad), or NULL */
} vp_bar_series;

typedef struct vp_bar_chart {
    size_t n;                         /* categories */
    const char *const *labels;        /* n category labels, or NULL */
    const vp_bar_series *series;      /* grouped side by side */
    size_t n_series;
    bool horizontal;                  /* bars grow to the right, labels on the left */
    bool axis;                        /* value axis with ticks and gridlines (default: none,
                                         values are labelled on the bars) */
    double min, max;                  /* the scale covers at least min..max (charts compared
                                         side by side share it); it always covers the data
                                         and 0, so 0 or NaN = from the data */
    vp_chart_fmt fmt;
    void *fmt_ctx;
    const char *empty_text;
    double size;                      /* label size pt; 0 = 9 */
} vp_bar_chart;
int vp_chart_bar(vp_pdf *d, vp_rect r, const vp_bar_chart *c, const char *id);

typedef struct vp_gauge_band { double from, to; vp_rgb color; } vp_gauge_band;
typedef struct vp_gauge {
    double value;                     /* 0..100 (clamped); NaN = no data */
    const vp_gauge_band *bands;       /* coloured ring segments (from < to, within 0..100) */
    size_t n_bands;
    const char *value_label;          /* big number in the middle ("72") */
    const char *caption;              /* under it ("Healthy"), in caption_color */
    vp_rgb caption_color;
    const char *empty_text;           /* drawn instead of the value when value is NaN */
} vp_gauge;
/* A semicircle gauge filling the width of r (or its height, whichever is tighter). */
int vp_chart_gauge(vp_pdf *d, vp_rect r, const vp_gauge *g, const char *id);

/* Format v as the fallback tick formatter does (for tests and the demo). */
const char *vp_chart_fmt_plain(double v, void *ctx, char *buf, size_t size);

/* A horizontal progress bar in r: track in the rule colour, fill `value` (0..1, clamped;
 * NaN = track only) in `color`, and when `expected` is in (0, 1] a dark marker there
 * (0 or NaN = no marker, so a zero-initialised value draws none). */
int vp_chart_progress(vp_pdf *d, vp_rect r, double value, double expected, vp_rgb color,
                      const char *id);

/* ---- placing lines yourself --------------------------------------------------------- */

/* Draw a laid-out text (vp_text_layout_build) with its first line's top at (x, y) in a
 * column of width w, aligned by st->align; no box is recorded for the layout check (mark
 * one with vp_pdf_mark). */
int vp_pdf_text_layout_draw(vp_pdf *d, const vp_text_layout *L, double x, double y, double w,
                            const vp_text_style *st);

#endif
