/* doc.c — the document: pages, metadata, and the display list the drawing calls record. */
#include "engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"
#include "../util/strbuf.h"
#include "../util/utf8.h"

static const vp_theme k_default_theme = {
    .ink = {0x1F / 255.f, 0x29 / 255.f, 0x33 / 255.f},
    .secondary = {0x52 / 255.f, 0x60 / 255.f, 0x6D / 255.f},
    .rule = {0xD9 / 255.f, 0xE2 / 255.f, 0xEC / 255.f},
    .tile = {0xF5 / 255.f, 0xF7 / 255.f, 0xFA / 255.f},
    .accent = {0x1F / 255.f, 0x4E / 255.f, 0x79 / 255.f},
    .good = {0x2E / 255.f, 0x7D / 255.f, 0x32 / 255.f},
    .warning = {0xB7 / 255.f, 0x79 / 255.f, 0x1F / 255.f},
    .bad = {0xC6 / 255.f, 0x28 / 255.f, 0x28 / 255.f},
    .neutral = {0x9A / 255.f, 0xA5 / 255.f, 0xB1 / 255.f},
    .white = {1, 1, 1},
    .title_size = 24,
    .subtitle_size = 14,
    .body_size = 12,
    .table_size = 10.5,
    .footnote_size = 8,
    .logo_path = NULL,
    .json = NULL,
};

const vp_theme *vp_pdf_default_theme(void) { return &k_default_theme; }

vp_rgb vp_rgb_tint(vp_rgb c, double tint)
{
    float t = (float)(tint < 0 ? 0 : tint > 1 ? 1 : tint);
    return (vp_rgb){1 - t + t * c.r, 1 - t + t * c.g, 1 - t + t * c.b};
}

/* ---- lifetime and errors ------------------------------------------------------------ */

int vp_pdf_new(vp_pdf **out, const vp_fontset *fonts, const vp_theme *theme, vp_diag *diag)
{
    *out = NULL;
    vp_pdf *d = vp_calloc(1, sizeof *d);
    if (!d)
        return VP_ERR_NOMEM;
    d->fonts = fonts;
    d->theme = theme ? theme : &k_default_theme;
    d->diag = diag;
    d->page = -1;
    d->alloc_failures = vp_alloc_failures();
    vp_arena_init(&d->arena, 32 * 1024);
    *out = d;
    return VP_OK;
}

void vp_pdf_free(vp_pdf *d)
{
    if (!d)
        return;
    vp_arena_destroy(&d->arena);
    vp_free(d->ops);
    vp_free(d->boxes);
    vp_free(d->findings);
    vp_free(d->pages);
    vp_free(d->marks);
    vp_free(d->labels);
    for (size_t i = 0; i < d->n_images; i++)
        vp_free(d->images[i].img.data);
    vp_free(d->images);
    vp_free(d);
}

int vp_pdf_status(const vp_pdf *d) { return d->status; }
const vp_fontset *vp_pdf_fonts(const vp_pdf *d) { return d->fonts; }
const vp_theme *vp_pdf_theme(const vp_pdf *d) { return d->theme; }

int vp_pdf_fail(vp_pdf *d, int err, const char *fmt, ...)
{
    if (d->status != VP_OK)
        return d->status;
    d->status = err;
    if (fmt && d->diag) {
        char msg[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        vp_diag_add(d->diag, VP_SEV_ERROR, NULL, NULL, 0, 0, "%s", msg);
    }
    return err;
}

bool vp_pdf_grow(vp_pdf *d, void **arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *na = vp_realloc(*arr, ncap * size);
    if (!na) {
        vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
        return false;
    }
    *arr = na;
    *cap = ncap;
    return true;
}

static bool ready(vp_pdf *d)
{
    if (d->status != VP_OK)
        return false;
    if (d->page < 0) {
        vp_pdf_fail(d, VP_ERR_USAGE, "internal error: drawing before the first page was added");
        return false;
    }
    return true;
}

vp_op *vp_pdf_push_op(vp_pdf *d, vp_op_kind kind)
{
    if (!ready(d) || !vp_pdf_grow(d, (void **)&d->ops, &d->cap_ops, d->n_ops, sizeof *d->ops))
        return NULL;
    vp_op *op = &d->ops[d->n_ops++];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    op->page = d->page;
    return op;
}

void vp_pdf_push_box(vp_pdf *d, vp_rect r, const char *name, unsigned flags)
{
    if (!ready(d) ||
        !vp_pdf_grow(d, (void **)&d->boxes, &d->cap_boxes, d->n_boxes, sizeof *d->boxes))
        return;
    char *nm = vp_arena_strdup(&d->arena, name);
    if (!nm) {
        vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
        return;
    }
    d->boxes[d->n_boxes++] = (vp_box){d->page, r, nm, flags};
}

void vp_pdf_finding(vp_pdf *d, bool problem, const char *fmt, ...)
{
    if (d->status != VP_OK || !vp_pdf_grow(d, (void **)&d->findings, &d->cap_findings,
                                           d->n_findings, sizeof *d->findings))
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *t = vp_arena_printf(&d->arena, "page %d: %s", d->page + 1, msg);
    if (!t) {
        vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
        return;
    }
    d->findings[d->n_findings++] = (vp_finding){problem, t};
}

void vp_pdf_use_cp(vp_pdf *d, unsigned cp)
{
    if (cp == 0 || cp >= 0x10000)
        return;
    uint8_t bit = (uint8_t)(1u << (cp & 7));
    if (!(d->used[cp >> 3] & bit)) {
        d->used[cp >> 3] |= bit;
        d->n_used++;
    }
}

char *vp_pdf_excerpt(vp_pdf *d, const char *s)
{
    vp_strbuf b = VP_STRBUF_INIT;
    size_t n = strlen(s), count = 0, i = 0;
    while (i < n && count < 40) {
        size_t len;
        unsigned cp = vp_utf8_decode(s + i, n - i, &len);
        i += len;
        if (cp == VP_UTF8_INVALID)
            continue;
        vp_strbuf_put_utf8(&b, cp == '\n' || cp == '\t' ? ' ' : cp);
        count++;
    }
    if (i < n)
        vp_strbuf_puts(&b, "…");
    char *r = vp_strbuf_failed(&b) ? NULL : vp_arena_strdup(&d->arena, vp_strbuf_cstr(&b));
    vp_strbuf_free(&b);
    if (!r)
        vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
    return r;
}

/* ---- document settings ------------------------------------------------------------- */

static char *dup_or_null(vp_pdf *d, const char *s)
{
    if (!s)
        return NULL;
    char *r = vp_arena_strdup(&d->arena, s);
    if (!r)
        vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
    return r;
}

void vp_pdf_set_info(vp_pdf *d, const vp_pdf_info *info)
{
    d->title = dup_or_null(d, info->title);
    d->author = dup_or_null(d, info->author);
    d->subject = dup_or_null(d, info->subject);
    d->keywords = dup_or_null(d, info->keywords);
}

void vp_pdf_set_time(vp_pdf *d, time_t t)
{
    d->has_time = true;
    d->time = t;
}

int vp_pdf_add_page(vp_pdf *d, double w, double h)
{
    if (d->status != VP_OK)
        return -1;
    if (!(w >= 3 && w <= 14400 && h >= 3 && h <= 14400)) {
        vp_pdf_fail(d, VP_ERR_USAGE, "internal error: page size %.1f x %.1f pt", w, h);
        return -1;
    }
    if (!vp_pdf_grow(d, (void **)&d->pages, &d->cap_pages, d->n_pages, sizeof *d->pages))
        return -1;
    d->pages[d->n_pages] = (vp_page_rec){w, h};
    d->page = (int)d->n_pages++;
    return d->page;
}

int vp_pdf_set_page(vp_pdf *d, int page)
{
    if (d->status != VP_OK)
        return d->status;
    if (page < 0 || (size_t)page >= d->n_pages)
        return vp_pdf_fail(d, VP_ERR_USAGE, "internal error: no page %d", page);
    d->page = page;
    return VP_OK;
}

int vp_pdf_page(const vp_pdf *d) { return d->page; }
int vp_pdf_page_count(const vp_pdf *d) { return (int)d->n_pages; }
double vp_pdf_page_width(const vp_pdf *d) { return d->page < 0 ? 0 : d->pages[d->page].w; }
double vp_pdf_page_height(const vp_pdf *d) { return d->page < 0 ? 0 : d->pages[d->page].h; }

int vp_pdf_bookmark(vp_pdf *d, const char *title, int level)
{
    if (!ready(d))
        return d->status;
    if (!title || !vp_utf8_valid(title, strlen(title), NULL))
        return vp_pdf_fail(d, VP_ERR_USAGE, "internal error: bookmark title is not UTF-8");
    if (!vp_pdf_grow(d, (void **)&d->marks, &d->cap_marks, d->n_marks, sizeof *d->marks))
        return d->status;
    bool has_parent = false;
    for (size_t i = 0; i < d->n_marks; i++)
        has_parent = has_parent || d->marks[i].level == 0;
    char *t = dup_or_null(d, title);
    if (!t)
        return d->status;
    d->marks[d->n_marks++] = (vp_bookmark){t, d->page, level > 0 && has_parent ? 1 : 0};
    return VP_OK;
}

int vp_pdf_page_label(vp_pdf *d, vp_page_label_style style, const char *prefix, int first)
{
    if (!ready(d))
        return d->status;
    for (const char *p = prefix; p && *p; p++)
        if ((unsigned char)*p >= 0x80)
            return vp_pdf_fail(d, VP_ERR_USAGE, "internal error: page label prefix must be ASCII");
    if (!vp_pdf_grow(d, (void **)&d->labels, &d->cap_labels, d->n_labels, sizeof *d->labels))
        return d->status;
    d->labels[d->n_labels++] =
        (vp_label){d->page, style, dup_or_null(d, prefix), first < 1 ? 1 : first};
    return d->status;
}

/* ---- text ------------------------------------------------------------------------- */

static void put_run(vp_pdf *d, const vp_text_layout *L, const vp_text_line *ln, double x,
                    double base, const vp_text_style *st)
{
    vp_strbuf b = VP_STRBUF_INIT;
    size_t end = ln->end;
    while (end > ln->start && (L->cps[end - 1] == ' ' || L->cps[end - 1] == 0))
        end--;
    for (size_t i = ln->start; i < end; i++) {
        unsigned cp = L->cps[i];
        if (cp == 0 || cp == '\n')
            continue;
        vp_strbuf_put_utf8(&b, cp);
        vp_pdf_use_cp(d, cp);
    }
    if (ln->ellipsis) {
        vp_strbuf_put_utf8(&b, 0x2026);
        vp_pdf_use_cp(d, 0x2026);
    }
    if (vp_strbuf_failed(&b)) {
        vp_strbuf_free(&b);
        vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
        return;
    }
    if (b.len == 0)
        return;
    vp_op *op = vp_pdf_push_op(d, OP_TEXT);
    if (op) {
        op->u.text.x = x;
        op->u.text.y = base;
        op->u.text.size = L->size;
        op->u.text.color = st ? st->color : (vp_rgb){0, 0, 0};
        op->u.text.bold = st && st->bold;
        op->u.text.s = vp_arena_strndup(&d->arena, b.data, b.len);
        if (!op->u.text.s)
            vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
    }
    vp_strbuf_free(&b);
}

int vp_pdf_text_layout_draw(vp_pdf *d, const vp_text_layout *L, double x, double y, double w,
                            const vp_text_style *st)
{
    if (!ready(d))
        return d->status;
    vp_align al = st ? st->align : VP_ALIGN_LEFT;
    for (size_t i = 0; i < L->n_lines; i++) {
        const vp_text_line *ln = &L->lines[i];
        double lx = al == VP_ALIGN_CENTER  ? x + (w - ln->width) / 2
                    : al == VP_ALIGN_RIGHT ? x + w - ln->width
                                           : x;
        double base = y + (double)i * L->line_height + L->line_height / 2 + 0.35 * L->size;
        put_run(d, L, ln, lx, base, st);
    }
    return d->status;
}

/* The area the lines of L cover when drawn at (x, y) in width w. */
static vp_rect ink_rect(const vp_text_layout *L, double x, double y, double w, vp_align al)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < L->n_lines; i++) {
        double lw = L->lines[i].width;
        double lx = al == VP_ALIGN_CENTER ? x + (w - lw) / 2 : al == VP_ALIGN_RIGHT ? x + w - lw : x;
        if (lw <= 0)
            continue;
        lo = fmin(lo, lx);
        hi = fmax(hi, lx + lw);
    }
    if (!(hi > lo))
        return (vp_rect){x, y, 0, 0};
    return (vp_rect){lo, y, hi - lo, (double)L->n_lines * L->line_height};
}

static int draw_text(vp_pdf *d, vp_rect box, const char *s, const vp_text_style *st,
                     const char *id, vp_text_metrics *out, bool record)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!ready(d))
        return d->status;
    vp_text_layout L = VP_TEXT_LAYOUT_INIT;
    int rc = vp_text_layout_build(&L, d->fonts, s ? s : "", st, box.w, box.h, d->diag);
    if (rc != VP_OK) {
        vp_text_layout_free(&L);
        /* the message is in the diag already */
        return vp_pdf_fail(d, rc, NULL);
    }
    double text_h = (double)L.n_lines * L.line_height;
    double y = box.y;
    if (box.h > 0 && st && st->valign != VP_VALIGN_TOP) {
        double spare = box.h - text_h;
        if (spare > 0)
            y += st->valign == VP_VALIGN_MIDDLE ? spare / 2 : spare;
    }
    vp_pdf_text_layout_draw(d, &L, box.x, y, box.w, st);

    /* Truncation the caller allowed is a note; any other text that did not fit (cut, or
     * one line in a box lower than a line) is an overflow by the height it lacked. */
    bool cut = L.n_lines < L.lines_needed;
    double short_h = box.h > 0 && text_h > box.h + 0.01 ? text_h - box.h : 0;
    bool allowed = st && (st->flags & VP_TEXT_TRUNCATE_OK);
    double over = short_h + (cut && !allowed ? (double)(L.lines_needed - L.n_lines) * L.line_height : 0);
    const char *excerpt = NULL;
    if ((!id && record) || ((cut || over > 0) && (id || record)))
        excerpt = vp_pdf_excerpt(d, s ? s : "");
    char name[200];
    if (id)
        snprintf(name, sizeof name, "'%s'", id);
    else
        snprintf(name, sizeof name, "text \"%s\"", excerpt ? excerpt : "");
    if (id || record) {
        if (L.size < 8 - 1e-9)                 /* DESIGN.md: never below 8 pt */
            vp_pdf_finding(d, true, "text in box %s is %.1f pt, below the 8 pt minimum", name,
                           L.size);
        if (cut && allowed)
            vp_pdf_finding(d, false, "text truncated in box %s (%zu of %zu lines): \"%s\"", name,
                           L.n_lines, L.lines_needed, excerpt ? excerpt : "");
        if (over > 0)
            vp_pdf_finding(d, true, "text overflows box %s by %.1f pt: \"%s\"", name, over,
                           excerpt ? excerpt : "");
    }
    if (record)
        vp_pdf_push_box(d, ink_rect(&L, box.x, y, box.w, st ? st->align : VP_ALIGN_LEFT), name, 0);
    if (out) {
        out->lines = (int)L.n_lines;
        out->lines_needed = (int)L.lines_needed;
        out->line_height = L.line_height;
        out->height = text_h;
        for (size_t i = 0; i < L.n_lines; i++) {
            out->width = fmax(out->width, L.lines[i].width);
            out->truncated = out->truncated || L.lines[i].ellipsis;
        }
    }
    vp_text_layout_free(&L);
    return d->status;
}

int vp_pdf_text(vp_pdf *d, vp_rect box, const char *s, const vp_text_style *st, const char *id,
                vp_text_metrics *out)
{
    return draw_text(d, box, s, st, id, out, true);
}

int vp_pdf_text_internal(vp_pdf *d, vp_rect box, const char *s, const vp_text_style *st,
                         const char *id, vp_text_metrics *out)
{
    return draw_text(d, box, s, st, id, out, false);
}

/* ---- shapes ---------------------------------------------------------------------- */

static void record_shape(vp_pdf *d, vp_rect r, const char *id, unsigned flags)
{
    if (!id)
        return;
    char name[200];
    snprintf(name, sizeof name, "'%s'", id);
    vp_pdf_push_box(d, r, name, flags);
}

int vp_pdf_path(vp_pdf *d, const vp_seg *segs, size_t n, const vp_shape_style *st)
{
    vp_op *op = vp_pdf_push_op(d, OP_PATH);
    if (!op)
        return d->status;
    op->u.path.segs = vp_arena_calloc(&d->arena, n ? n : 1, sizeof *segs);
    if (!op->u.path.segs)
        return vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
    memcpy(op->u.path.segs, segs, n * sizeof *segs);
    op->u.path.n = n;
    op->u.path.st = *st;
    return VP_OK;
}

#define KAPPA 0.5522847498

static size_t rounded_rect_segs(vp_seg *s, vp_rect r, double rad)
{
    double k = rad * (1 - KAPPA);
    double x0 = r.x, y0 = r.y, x1 = r.x + r.w, y1 = r.y + r.h;
    size_t n = 0;
    s[n++] = (vp_seg){SEG_MOVE, {x0 + rad}, {y0}};
    s[n++] = (vp_seg){SEG_LINE, {x1 - rad}, {y0}};
    s[n++] = (vp_seg){SEG_CURVE, {x1 - k, x1, x1}, {y0, y0 + k, y0 + rad}};
    s[n++] = (vp_seg){SEG_LINE, {x1}, {y1 - rad}};
    s[n++] = (vp_seg){SEG_CURVE, {x1, x1 - k, x1 - rad}, {y1 - k, y1, y1}};
    s[n++] = (vp_seg){SEG_LINE, {x0 + rad}, {y1}};
    s[n++] = (vp_seg){SEG_CURVE, {x0 + k, x0, x0}, {y1, y1 - k, y1 - rad}};
    s[n++] = (vp_seg){SEG_LINE, {x0}, {y0 + rad}};
    s[n++] = (vp_seg){SEG_CURVE, {x0, x0 + k, x0 + rad}, {y0 + k, y0, y0}};
    s[n++] = (vp_seg){SEG_CLOSE, {0}, {0}};
    return n;
}

int vp_pdf_rect_internal(vp_pdf *d, vp_rect r, const vp_shape_style *st)
{
    if (!ready(d))
        return d->status;
    if (r.w < 0) {
        r.x += r.w;
        r.w = -r.w;
    }
    if (r.h < 0) {
        r.y += r.h;
        r.h = -r.h;
    }
    double rad = fmin(st->radius, fmin(r.w, r.h) / 2);
    if (rad > 0.01) {
        vp_seg segs[10];
        size_t n = rounded_rect_segs(segs, r, rad);
        return vp_pdf_path(d, segs, n, st);
    }
    vp_op *op = vp_pdf_push_op(d, OP_RECT);
    if (!op)
        return d->status;
    op->u.rect.r = r;
    op->u.rect.st = *st;
    return VP_OK;
}

int vp_pdf_rect(vp_pdf *d, vp_rect r, const vp_shape_style *st, const char *id)
{
    int rc = vp_pdf_rect_internal(d, r, st);
    if (rc == VP_OK)
        record_shape(d, r, id, st->flags);
    return d->status;
}

int vp_pdf_line(vp_pdf *d, double x1, double y1, double x2, double y2, const vp_shape_style *st)
{
    vp_shape_style s = *st;
    s.stroke = true;
    s.fill = false;
    vp_seg segs[2] = {{SEG_MOVE, {x1}, {y1}}, {SEG_LINE, {x2}, {y2}}};
    if (!ready(d))
        return d->status;
    return vp_pdf_path(d, segs, 2, &s);
}

/* Point at `deg` degrees clockwise from 12 o'clock (y down). */
static void polar(double cx, double cy, double r, double deg, double *x, double *y)
{
    double a = deg * M_PI / 180;
    *x = cx + r * sin(a);
    *y = cy - r * cos(a);
}

/* Append Bézier arcs from a1 to a2 (either direction), at most 90° each. */
static size_t arc_segs(vp_seg *s, double cx, double cy, double r, double a1, double a2)
{
    size_t n = 0;
    int parts = (int)ceil(fabs(a2 - a1) / 90 - 1e-9);
    if (parts < 1)
        parts = 1;
    double step = (a2 - a1) / parts;
    for (int i = 0; i < parts; i++) {
        double b1 = a1 + step * i, b2 = b1 + step;
        double h = 4.0 / 3.0 * tan((b2 - b1) * M_PI / 180 / 4) * r;
        double x1, y1, x2, y2;
        polar(cx, cy, r, b1, &x1, &y1);
        polar(cx, cy, r, b2, &x2, &y2);
        double t1 = b1 * M_PI / 180, t2 = b2 * M_PI / 180;
        /* tangent of (sin t, -cos t) is (cos t, sin t) */
        s[n++] = (vp_seg){SEG_CURVE,
                          {x1 + h * cos(t1), x2 - h * cos(t2), x2},
                          {y1 + h * sin(t1), y2 - h * sin(t2), y2}};
    }
    return n;
}

int vp_pdf_sector(vp_pdf *d, double cx, double cy, double r_in, double r_out, double a1,
                  double a2, const vp_shape_style *st)
{
    if (!ready(d))
        return d->status;
    if (!(a2 > a1) || a2 - a1 > 360 || !(r_out > 0))
        return VP_OK;
    vp_seg segs[16];
    size_t n = 0;
    double x, y;
    polar(cx, cy, r_out, a1, &x, &y);
    segs[n++] = (vp_seg){SEG_MOVE, {x}, {y}};
    n += arc_segs(segs + n, cx, cy, r_out, a1, a2);
    if (r_in > 0) {
        polar(cx, cy, r_in, a2, &x, &y);
        segs[n++] = (vp_seg){SEG_LINE, {x}, {y}};
        n += arc_segs(segs + n, cx, cy, r_in, a2, a1);
    } else {
        segs[n++] = (vp_seg){SEG_LINE, {cx}, {cy}};
    }
    segs[n++] = (vp_seg){SEG_CLOSE, {0}, {0}};
    return vp_pdf_path(d, segs, n, st);
}

int vp_pdf_circle_internal(vp_pdf *d, double cx, double cy, double r, const vp_shape_style *st)
{
    if (!ready(d))
        return d->status;
    vp_seg segs[6];
    size_t n = 0;
    segs[n++] = (vp_seg){SEG_MOVE, {cx}, {cy - r}};
    n += arc_segs(segs + n, cx, cy, r, 0, 360);
    segs[n++] = (vp_seg){SEG_CLOSE, {0}, {0}};
    return vp_pdf_path(d, segs, n, st);
}

int vp_pdf_circle(vp_pdf *d, double cx, double cy, double r, const vp_shape_style *st,
                  const char *id)
{
    int rc = vp_pdf_circle_internal(d, cx, cy, r, st);
    if (rc == VP_OK)
        record_shape(d, (vp_rect){cx - r, cy - r, 2 * r, 2 * r}, id, st->flags);
    return d->status;
}

int vp_pdf_polyline(vp_pdf *d, const double *xs, const double *ys, size_t n,
                    const vp_shape_style *st)
{
    if (!ready(d) || n < 2)
        return d->status;
    vp_seg *segs = vp_malloc((n + 1) * sizeof *segs);
    if (!segs)
        return vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
    for (size_t i = 0; i < n; i++)
        segs[i] = (vp_seg){i ? SEG_LINE : SEG_MOVE, {xs[i]}, {ys[i]}};
    size_t m = n;
    if (st->fill)
        segs[m++] = (vp_seg){SEG_CLOSE, {0}, {0}};
    int rc = vp_pdf_path(d, segs, m, st);
    vp_free(segs);
    return rc;
}

int vp_pdf_mark(vp_pdf *d, vp_rect r, const char *id, unsigned flags)
{
    record_shape(d, r, id ? id : "mark", flags);
    return d->status;
}

/* ---- images ---------------------------------------------------------------------- */

int vp_pdf_image(vp_pdf *d, const char *path, vp_rect box, vp_align align, const char *id)
{
    if (!ready(d))
        return d->status;
    if (!path)
        return vp_pdf_fail(d, VP_ERR_USAGE, "internal error: image without a path");
    size_t k = 0;
    while (k < d->n_images && strcmp(d->images[k].path, path) != 0)
        k++;
    if (k == d->n_images) {
        if (!vp_pdf_grow(d, (void **)&d->images, &d->cap_images, d->n_images, sizeof *d->images))
            return d->status;
        vp_image_rec *rec = &d->images[k];
        memset(rec, 0, sizeof *rec);
        int rc = vp_image_read(path, &rec->img, d->diag);
        if (rc != VP_OK)
            return vp_pdf_fail(d, rc, NULL);
        rec->path = dup_or_null(d, path);
        d->n_images++;
        if (!rec->path)
            return d->status;
    }
    const vp_image_data *img = &d->images[k].img;
    double s = fmin(box.w / img->width, box.h / img->height);
    double w = img->width * s, h = img->height * s;
    double x = align == VP_ALIGN_CENTER  ? box.x + (box.w - w) / 2
               : align == VP_ALIGN_RIGHT ? box.x + box.w - w
                                         : box.x;
    vp_rect r = {x, box.y + (box.h - h) / 2, w, h};
    vp_op *op = vp_pdf_push_op(d, OP_IMAGE);
    if (!op)
        return d->status;
    op->u.image.index = k;
    op->u.image.r = r;
    record_shape(d, r, id ? id : "image", 0);
    return d->status;
}
