/* table.c — tables measured row by row and drawn in chunks (header repeated per chunk). */
#include "engine.h"

#include <math.h>
#include <string.h>

#include "../util/alloc.h"

typedef struct cell {
    char *text;
    vp_cell_kind kind;
    bool has_color, bold;
    vp_rgb color;
    double value, expected;
} cell;

typedef struct row {
    cell *cells;
    double h;
} row;

typedef struct col {
    char *header;
    double x, w;          /* offset from the table's left edge, width */
    vp_align align;
    int max_lines;
} col;

struct vp_table {
    vp_pdf *d;
    vp_arena arena;
    col *cols;
    size_t ncols;
    double width, size, pad_x, pad_y, header_h, min_row_h;
    bool zebra, header;
    row *rows;
    size_t n_rows, cap_rows;
};

#define PILL_PAD 6.0
#define BAR_H 6.0

static double pill_size(const vp_table *t) { return fmax(8, t->size - 1.5); }

static vp_text_style cell_style(const vp_table *t, const col *c, const cell *ce)
{
    const vp_theme *th = t->d->theme;
    vp_text_style st = {
        .size = t->size,
        .color = ce && ce->has_color ? ce->color : th->ink,
        .bold = ce && ce->bold,
        .align = c->align,
        .valign = VP_VALIGN_MIDDLE,
        .max_lines = c->max_lines,
        .flags = VP_TEXT_TRUNCATE_OK,
    };
    return st;
}

static vp_text_style header_style(const vp_table *t, const col *c)
{
    vp_text_style st = {
        .size = t->size,
        .color = t->d->theme->secondary,
        .bold = true,
        .align = c->align,
        .valign = VP_VALIGN_BOTTOM,
        .max_lines = 2,
        .flags = VP_TEXT_TRUNCATE_OK,
    };
    return st;
}

int vp_table_new(vp_table **out, vp_pdf *d, const vp_table_col *cols, size_t ncols,
                 double width, const vp_table_style *st)
{
    *out = NULL;
    if (d->status != VP_OK)
        return d->status;
    if (ncols == 0 || !(width > 0))
        return vp_pdf_fail(d, VP_ERR_USAGE, "internal error: a table needs columns and a width");
    vp_table *t = vp_calloc(1, sizeof *t);
    if (!t)
        return vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
    t->d = d;
    vp_arena_init(&t->arena, 16 * 1024);
    t->ncols = ncols;
    t->width = width;
    t->size = st && st->size > 0 ? st->size : d->theme->table_size > 0 ? d->theme->table_size : 10;
    t->pad_x = st && st->pad_x > 0 ? st->pad_x : 6;
    t->pad_y = st && st->pad_y > 0 ? st->pad_y : 4;
    t->zebra = st ? st->zebra : true;
    t->header = !(st && st->no_header);
    t->min_row_h = 1.4 * t->size + 2 * t->pad_y;
    t->cols = vp_arena_calloc(&t->arena, ncols, sizeof *t->cols);
    if (!t->cols) {
        vp_table_free(t);
        return vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
    }
    double fixed = 0;
    size_t n_auto = 0;
    for (size_t i = 0; i < ncols; i++) {
        if (cols[i].width > 0)
            fixed += cols[i].width;
        else
            n_auto++;
    }
    /* Fixed widths that leave no room are scaled down, keeping 40 pt per automatic column. */
    double room = width - 40.0 * (double)n_auto;
    double scale = fixed > room && fixed > 0 ? fmax(room, 0) / fixed : 1;
    double auto_w = n_auto ? (width - fixed * scale) / (double)n_auto : 0;
    double x = 0;
    for (size_t i = 0; i < ncols; i++) {
        col *c = &t->cols[i];
        c->header = vp_arena_strdup(&t->arena, cols[i].header ? cols[i].header : "");
        c->w = cols[i].width > 0 ? cols[i].width * scale : auto_w;
        c->x = x;
        c->align = cols[i].align;
        c->max_lines = cols[i].max_lines > 0 ? cols[i].max_lines : 2;
        x += c->w;
        if (!c->header) {
            vp_table_free(t);
            return vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
        }
    }
    if (t->header) {
        double hh = 0;
        for (size_t i = 0; i < ncols; i++) {
            const col *c = &t->cols[i];
            vp_text_style hs = header_style(t, c);
            vp_text_metrics m;
            int rc = vp_text_measure(d->fonts, c->header, &hs, c->w - 2 * t->pad_x, 0, &m,
                                     d->diag);
            if (rc != VP_OK) {
                vp_table_free(t);
                return vp_pdf_fail(d, rc, NULL);
            }
            hh = fmax(hh, m.height);
        }
        t->header_h = fmax(hh + 2 * t->pad_y, t->min_row_h);
    }
    *out = t;
    return VP_OK;
}

void vp_table_free(vp_table *t)
{
    if (!t)
        return;
    vp_arena_destroy(&t->arena);
    vp_free(t->rows);
    vp_free(t);
}

static int measure_cell(vp_table *t, const col *c, const cell *ce, double *h)
{
    const vp_fontset *f = t->d->fonts;
    double inner = c->w - 2 * t->pad_x;
    *h = 0;
    if (!ce->text && ce->kind != VP_CELL_PROGRESS)
        return VP_OK;
    vp_text_metrics m;
    int rc;
    switch (ce->kind) {
    case VP_CELL_TEXT: {
        vp_text_style st = cell_style(t, c, ce);
        rc = vp_text_measure(f, ce->text, &st, inner, 0, &m, t->d->diag);
        *h = m.height;
        return rc;
    }
    case VP_CELL_PILL: {
        vp_text_style st = {.size = pill_size(t), .flags = VP_TEXT_NOWRAP};
        rc = vp_text_measure(f, ce->text, &st, inner - 2 * PILL_PAD, 0, &m, t->d->diag);
        *h = m.height + 2;
        return rc;
    }
    case VP_CELL_PROGRESS:
        *h = BAR_H;
        if (ce->text) {
            vp_text_style st = {.size = t->size, .flags = VP_TEXT_NOWRAP};
            rc = vp_text_measure(f, ce->text, &st, inner, 0, &m, t->d->diag);
            *h = fmax(*h, m.height);
            return rc;
        }
        return VP_OK;
    }
    return VP_OK;
}

int vp_table_add_row(vp_table *t, const vp_table_cell *cells)
{
    vp_pdf *d = t->d;
    if (d->status != VP_OK)
        return d->status;
    if (!vp_pdf_grow(d, (void **)&t->rows, &t->cap_rows, t->n_rows, sizeof *t->rows))
        return d->status;
    cell *cs = vp_arena_calloc(&t->arena, t->ncols, sizeof *cs);
    if (!cs)
        return vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
    double h = t->min_row_h;
    for (size_t i = 0; i < t->ncols; i++) {
        const vp_table_cell *in = &cells[i];
        cell *ce = &cs[i];
        ce->kind = in->kind;
        ce->bold = in->bold;
        ce->has_color = in->color != NULL;
        if (in->color)
            ce->color = *in->color;
        ce->value = in->value;
        ce->expected = in->expected;
        if (in->text && !(ce->text = vp_arena_strdup(&t->arena, in->text)))
            return vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
        double ch;
        int rc = measure_cell(t, &t->cols[i], ce, &ch);
        if (rc != VP_OK)
            return vp_pdf_fail(d, rc, NULL);
        h = fmax(h, ch + 2 * t->pad_y);
    }
    t->rows[t->n_rows++] = (row){cs, h};
    return VP_OK;
}

size_t vp_table_rows(const vp_table *t) { return t->n_rows; }
double vp_table_header_height(const vp_table *t) { return t->header ? t->header_h : 0; }
double vp_table_row_height(const vp_table *t, size_t r) { return r < t->n_rows ? t->rows[r].h : 0; }

double vp_table_height(const vp_table *t, size_t first, size_t count)
{
    double h = vp_table_header_height(t);
    for (size_t i = first; i < first + count && i < t->n_rows; i++)
        h += t->rows[i].h;
    return h;
}

size_t vp_table_fit(const vp_table *t, size_t first, double height)
{
    double avail = height - vp_table_header_height(t) + 0.01;
    size_t k = 0;
    for (size_t i = first; i < t->n_rows && avail >= t->rows[i].h; i++, k++)
        avail -= t->rows[i].h;
    return k;
}

size_t vp_table_paginate(const vp_table *t, double first_height, double next_height,
                         vp_table_chunk *out, size_t max)
{
    size_t n = 0, first = 0;
    do {
        size_t k = vp_table_fit(t, first, n == 0 ? first_height : next_height);
        if (k == 0 && n > 0 && first < t->n_rows)
            k = 1;                    /* a row taller than a page: drawn, reported */
        if (out && n < max)
            out[n] = (vp_table_chunk){first, k};
        n++;
        first += k;
    } while (first < t->n_rows);
    return n;
}

/* ---- drawing ------------------------------------------------------------------------ */

static void draw_pill(vp_pdf *d, const vp_table *t, const col *c, const cell *ce, double x,
                      double y, double h, const char *id)
{
    const vp_theme *th = d->theme;
    vp_rgb color = ce->has_color ? ce->color : th->neutral;
    double inner = c->w - 2 * t->pad_x;
    vp_text_style st = {.size = pill_size(t), .color = color, .bold = ce->bold,
                        .align = VP_ALIGN_CENTER, .valign = VP_VALIGN_MIDDLE,
                        .flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK};
    vp_text_metrics m;
    int rc = vp_text_measure(d->fonts, ce->text, &st, inner - 2 * PILL_PAD, 0, &m, d->diag);
    if (rc != VP_OK) {
        vp_pdf_fail(d, rc, NULL);
        return;
    }
    double pw = fmin(m.width + 2 * PILL_PAD, inner);
    double ph = m.line_height + 2;
    double px = c->align == VP_ALIGN_RIGHT    ? x + c->x + c->w - t->pad_x - pw
                : c->align == VP_ALIGN_CENTER ? x + c->x + (c->w - pw) / 2
                                              : x + c->x + t->pad_x;
    double py = y + (h - ph) / 2;
    vp_shape_style bg = {.fill = true, .fill_color = vp_rgb_tint(color, 0.15), .radius = ph / 2};
    vp_pdf_rect_internal(d, (vp_rect){px, py, pw, ph}, &bg);
    vp_pdf_text_internal(d, (vp_rect){px + PILL_PAD, py, pw - 2 * PILL_PAD, ph}, ce->text, &st, id,
                         NULL);
}

int vp_table_draw(vp_pdf *d, const vp_table *t, size_t first, size_t count, double x,
                  double y, double max_h, const char *id, double *used_h)
{
    if (used_h)
        *used_h = 0;
    if (d->status != VP_OK)
        return d->status;
    if (first > t->n_rows)
        first = t->n_rows;
    if (count > t->n_rows - first)
        count = t->n_rows - first;
    const vp_theme *th = d->theme;
    const char *name = id ? id : "table";
    char cid[160];
    double cy = y;
    if (t->header) {
        for (size_t i = 0; i < t->ncols; i++) {
            const col *c = &t->cols[i];
            vp_text_style hs = header_style(t, c);
            snprintf(cid, sizeof cid, "%s header %zu", name, i + 1);
            vp_pdf_text_internal(d,
                                 (vp_rect){x + c->x + t->pad_x, cy + t->pad_y,
                                           c->w - 2 * t->pad_x, t->header_h - 2 * t->pad_y},
                                 c->header, &hs, cid, NULL);
        }
        cy += t->header_h;
        vp_shape_style rule = {.stroke = true, .stroke_color = th->secondary, .line_width = 0.8};
        vp_pdf_line(d, x, cy, x + t->width, cy, &rule);
    }
    for (size_t r = first; r < first + count; r++) {
        const row *rw = &t->rows[r];
        if (t->zebra && r % 2 == 1) {
            vp_shape_style z = {.fill = true, .fill_color = th->tile};
            vp_pdf_rect_internal(d, (vp_rect){x, cy, t->width, rw->h}, &z);
        }
        for (size_t i = 0; i < t->ncols; i++) {
            const col *c = &t->cols[i];
            const cell *ce = &rw->cells[i];
            snprintf(cid, sizeof cid, "%s row %zu col %zu", name, r + 1, i + 1);
            double ix = x + c->x + t->pad_x, iw = c->w - 2 * t->pad_x;
            switch (ce->kind) {
            case VP_CELL_TEXT:
                if (ce->text) {
                    vp_text_style st = cell_style(t, c, ce);
                    vp_pdf_text_internal(d, (vp_rect){ix, cy + t->pad_y, iw, rw->h - 2 * t->pad_y},
                                         ce->text, &st, cid, NULL);
                }
                break;
            case VP_CELL_PILL:
                if (ce->text)
                    draw_pill(d, t, c, ce, x, cy, rw->h, cid);
                break;
            case VP_CELL_PROGRESS: {
                double bw = iw;
                if (ce->text) {
                    vp_text_style st = {.size = t->size, .color = th->ink,
                                        .align = VP_ALIGN_RIGHT, .valign = VP_VALIGN_MIDDLE,
                                        .flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK};
                    double tw = fmin(vp_text_width(d->fonts, ce->text, t->size), iw / 2);
                    vp_pdf_text_internal(d, (vp_rect){ix + iw - tw, cy, tw, rw->h}, ce->text, &st,
                                         cid, NULL);
                    bw = iw - tw - 6;
                }
                vp_chart_progress_internal(d, (vp_rect){ix, cy + (rw->h - BAR_H) / 2, bw, BAR_H},
                                           ce->value, ce->expected,
                                           ce->has_color ? ce->color : th->accent);
                break;
            }
            }
        }
        cy += rw->h;
    }
    if (count > 0) {
        vp_shape_style rule = {.stroke = true, .stroke_color = th->rule, .line_width = 0.5};
        vp_pdf_line(d, x, cy, x + t->width, cy, &rule);
    }
    double h = cy - y;
    if (max_h > 0 && h > max_h + 0.5)
        vp_pdf_finding(d, true, "table '%s' overflows its area by %.1f pt", name, h - max_h);
    vp_pdf_mark(d, (vp_rect){x, y, t->width, h}, name, 0);
    if (used_h)
        *used_h = h;
    return d->status;
}
