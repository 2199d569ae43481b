/* engine.h (private to lib/pdf) — the structures behind vp_fontset and vp_pdf.
 * Renderers use pdf.h only. */
#ifndef VP_PDF_ENGINE_H
#define VP_PDF_ENGINE_H

#include <stdint.h>

#include <hb.h>
#include <hb-ot.h>

#include "pdf.h"
#include "../util/arena.h"

/* ---- font set ---------------------------------------------------------------------- */

struct vp_fontset {
    char *path;
    int index;
    char *family;
    hb_blob_t *blob;
    hb_face_t *face;          /* immutable; hb-subset reads it from any thread */
    unsigned upem;
    double ascender, descender;   /* em; descender negative */
    /* Built once at load so measuring needs no lock and no HarfBuzz call: the advance of
     * every BMP code point in font units, and whether the face maps it. */
    uint8_t has[0x10000 / 8];
    uint16_t adv[0x10000];
};

/* The code point to draw for cp: cp itself, U+0020 for a space separator the face lacks
 * (U+202F in wqy-microhei), or 0 when cp is drawn as nothing (control and invisible format
 * characters, which count as covered). Missing characters are returned unchanged. */
unsigned vp_fontset_map(const vp_fontset *f, unsigned cp);
/* True for characters drawn as nothing (zero width, not embedded). */
bool vp_cp_invisible(unsigned cp);
/* Advance in font units of a BMP code point (0 when not covered). */
static inline unsigned vp_fontset_adv_units(const vp_fontset *f, unsigned cp)
{
    return cp < 0x10000 ? f->adv[cp] : 0;
}

/* ---- display list ------------------------------------------------------------------ */

typedef enum vp_seg_kind { SEG_MOVE, SEG_LINE, SEG_CURVE, SEG_CLOSE } vp_seg_kind;

typedef struct vp_seg {
    vp_seg_kind kind;
    double x[3], y[3];        /* MOVE/LINE: point 0; CURVE: control 0, control 1, end 2 */
} vp_seg;

typedef enum vp_op_kind { OP_TEXT, OP_PATH, OP_RECT, OP_IMAGE } vp_op_kind;

typedef struct vp_op {
    vp_op_kind kind;
    int page;
    union {
        struct {
            double x, y, size;        /* baseline start, top-left coordinates */
            vp_rgb color;
            bool bold;
            char *s;                  /* UTF-8 run, in the arena */
        } text;
        struct {
            vp_seg *segs;             /* in the arena */
            size_t n;
            vp_shape_style st;
        } path;
        struct {
            vp_rect r;
            vp_shape_style st;        /* radius 0 */
        } rect;
        struct {
            size_t index;             /* into vp_pdf.images */
            vp_rect r;                /* final placement (aspect ratio applied) */
        } image;
    } u;
} vp_op;

typedef struct vp_box {
    int page;
    vp_rect r;
    char *name;                   /* "'id'" or "text \"excerpt\"", for messages */
    unsigned flags;
} vp_box;

typedef struct vp_finding {
    bool problem;
    char *text;                   /* "page 3: text overflows ..." */
} vp_finding;

typedef struct vp_page_rec { double w, h; } vp_page_rec;

/* An image file read and checked (image.c). */
typedef struct vp_image_data {
    unsigned char *data;          /* the whole file (vp_free) */
    size_t len;
    bool png;                     /* else JPEG */
    double width, height;         /* pixels */
} vp_image_data;

typedef struct vp_image_rec { char *path; vp_image_data img; } vp_image_rec;

/* Read `path`, check that libharu can embed it (image.c: a damaged PNG would make libpng
 * abort the process), and fill *out. VP_ERR_IO, VP_ERR_LIMIT (over 16 MB) or VP_ERR_RENDER
 * with a message in diag. */
int vp_image_read(const char *path, vp_image_data *out, vp_diag *diag);
typedef struct vp_bookmark { char *title; int page, level; } vp_bookmark;
typedef struct vp_label { int page; vp_page_label_style style; char *prefix; int first; } vp_label;

struct vp_pdf {
    const vp_fontset *fonts;
    const vp_theme *theme;
    vp_diag *diag;
    int status;                   /* sticky first error */
    unsigned long alloc_failures; /* vp_alloc_failures() when the document started */
    vp_arena arena;

    vp_op *ops;           size_t n_ops, cap_ops;
    vp_box *boxes;        size_t n_boxes, cap_boxes;
    vp_finding *findings; size_t n_findings, cap_findings;
    vp_page_rec *pages;   size_t n_pages, cap_pages;
    vp_bookmark *marks;   size_t n_marks, cap_marks;
    vp_label *labels;     size_t n_labels, cap_labels;
    vp_image_rec *images; size_t n_images, cap_images;   /* each file read once */
    int page;                     /* current page, -1 before the first */

    char *title, *author, *subject, *keywords;
    bool has_time;
    time_t time;

    uint8_t used[0x10000 / 8];    /* code points drawn: the font subset */
    size_t n_used;
};

/* Record the first error (and its message, printf-style, into the diag). Returns err. */
int vp_pdf_fail(vp_pdf *d, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Grow an array of `size`-byte elements to hold one more; false (and NOMEM) on failure. */
bool vp_pdf_grow(vp_pdf *d, void **arr, size_t *cap, size_t n, size_t size);
/* Append an op on the current page (zeroed but for kind/page); NULL after an error. */
vp_op *vp_pdf_push_op(vp_pdf *d, vp_op_kind kind);
/* Record a box for the layout check under a display name (copied). */
void vp_pdf_push_box(vp_pdf *d, vp_rect r, const char *name, unsigned flags);
/* Mark code point cp as drawn. */
void vp_pdf_use_cp(vp_pdf *d, unsigned cp);
/* A path op from segments (copied into the arena). */
int vp_pdf_path(vp_pdf *d, const vp_seg *segs, size_t n, const vp_shape_style *st);
/* Quote a text excerpt for messages: the first ~40 characters, "…" when cut. */
char *vp_pdf_excerpt(vp_pdf *d, const char *s);

/* The font file `font` (a HarfBuzz subset) with its cmap replaced by a compact format-4
 * table mapping cps[i] -> gids[i] (cps ascending, BMP, below U+FFFF), in a new buffer
 * (vp_free). VP_ERR_LIMIT when the code points are too scattered for a compact table (keep
 * the original then); VP_ERR_FONT for a malformed font. See sfnt.c for why. */
int vp_sfnt_compact_cmap(const unsigned char *font, size_t len, const unsigned *cps,
                         const uint16_t *gids, size_t n, unsigned char **out, size_t *out_len);

/* Find table `tag` of face `index` in a font file or collection held in memory: its offset
 * and length. False when absent, empty or out of bounds. Reads the table directory only and
 * allocates nothing, so it answers correctly even when memory has run out (HarfBuzz's own
 * table lookups then return "absent"). */
bool vp_sfnt_find(const unsigned char *font, size_t len, unsigned index, uint32_t tag,
                  uint32_t *offset, uint32_t *length);

/* Like vp_pdf_text but not recorded for the overlap check (chart labels, table cells);
 * truncation and overflow are still reported under `id` when id is not NULL. */
int vp_pdf_text_internal(vp_pdf *d, vp_rect box, const char *s, const vp_text_style *st,
                         const char *id, vp_text_metrics *out);
/* Shapes without a box record. */
int vp_pdf_rect_internal(vp_pdf *d, vp_rect r, const vp_shape_style *st);
int vp_pdf_circle_internal(vp_pdf *d, double cx, double cy, double r, const vp_shape_style *st);
/* vp_chart_progress without a box record (table cells). */
int vp_chart_progress_internal(vp_pdf *d, vp_rect r, double value, double expected,
                               vp_rgb color);
/* Always true; referencing it from save.c links lib/pdf/hpdf_fast.c (faster equivalents of
 * three libharu helpers) into every program that saves a PDF. */
bool vp_hpdf_fast_linked(void);
/* True when libharu's stream compression goes through libdeflate (lib/pdf/deflate_shim.c);
 * false with VALUEPACK_ZLIB=1. Referenced from save.c so the shim is always linked. */
bool vp_deflate_shim_active(void);

/* Report a finding at the current page: a problem, or a note. */
void vp_pdf_finding(vp_pdf *d, bool problem, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Replay the display list into a PDF in memory (save.c). */
int vp_pdf_render_bytes(vp_pdf *d, const char *tmpdir, unsigned char **out, size_t *len);

#endif
