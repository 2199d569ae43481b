/* a4.c — the A4 flowing frame (see a4.h). */
#include "a4.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../util/strbuf.h"

#define SECTION_GAP 26.0      /* space above a section heading */
#define LABEL_SIZE 9.0
#define TITLE_SIZE 18.0
#define HEADING_SIZE 14.0

/* At the top of a page: nothing drawn yet, or only a continuation caption. */
static bool at_top(const vp_a4 *f) { return f->fresh || f->y <= f->top_y + 0.01; }

vp_text_style vp_a4_style(double size, vp_rgb color, bool bold, vp_align align)
{
    vp_text_style st = {.size = size, .color = color, .bold = bold, .align = align};
    return st;
}

void vp_a4_init(vp_a4 *f, vp_pdf *d, const char *continued)
{
    memset(f, 0, sizeof *f);
    f->d = d;
    f->th = vp_pdf_theme(d);
    f->continued = continued;
    f->y = VP_A4_TOP;
    f->fresh = true;
}

void vp_a4_page(vp_a4 *f)
{
    vp_pdf_add_page(f->d, VP_PAGE_A4_W, VP_PAGE_A4_H);
    f->y = VP_A4_TOP;
    f->top_y = VP_A4_TOP;
    f->fresh = true;
}

double vp_a4_room(const vp_a4 *f) { return VP_A4_BOTTOM - f->y; }

bool vp_a4_need(vp_a4 *f, double h)
{
    if (vp_pdf_page(f->d) >= 0 && (at_top(f) || f->y + h <= VP_A4_BOTTOM + 0.01))
        return false;
    vp_a4_page(f);
    return true;
}

void vp_a4_space(vp_a4 *f, double h)
{
    if (!f->fresh)
        f->y += h;
}

void vp_a4_advance(vp_a4 *f, double h)
{
    f->y += h;
    f->fresh = false;
}

static double text_height(const vp_a4 *f, const char *s, const vp_text_style *st, double w)
{
    vp_text_metrics m;
    if (vp_text_measure(vp_pdf_fonts(f->d), s, st, w, 0, &m, NULL) != VP_OK)
        return 0;   /* drawing reports the problem (sticky in the document) */
    return m.height;
}

/* A one-line caption at the top of a continuation page: "VALUE OUTCOMES (continued)". */
static void continuation(vp_a4 *f)
{
    if (!f->label)
        return;
    vp_strbuf b = VP_STRBUF_INIT;
    const char *pat = f->continued ? f->continued : "{label}";
    const char *at = strstr(pat, "{label}");
    if (at) {
        vp_strbuf_append(&b, pat, (size_t)(at - pat));
        vp_strbuf_puts(&b, f->label);
        vp_strbuf_puts(&b, at + 7);
    } else {
        vp_strbuf_puts(&b, f->label);
    }
    vp_text_style st = vp_a4_style(LABEL_SIZE, f->th->accent, true, VP_ALIGN_LEFT);
    st.max_lines = 1;
    st.flags = VP_TEXT_TRUNCATE_OK;
    vp_text_metrics m;
    vp_pdf_text(f->d, (vp_rect){VP_A4_LEFT, f->y, VP_A4_WIDTH, 0}, vp_strbuf_cstr(&b), &st,
                "continued", &m);
    vp_strbuf_free(&b);
    vp_a4_advance(f, m.height + 8);
    f->top_y = f->y;
}


bool vp_a4_keep(vp_a4 *f, double h)
{
    if (!vp_a4_need(f, h))
        return false;
    continuation(f);
    return true;
}

void vp_a4_section(vp_a4 *f, const char *label, const char *title, const char *bookmark,
                   double keep)
{
    vp_text_style ls = vp_a4_style(LABEL_SIZE, f->th->accent, true, VP_ALIGN_LEFT);
    ls.max_lines = 1;
    ls.flags = VP_TEXT_TRUNCATE_OK;
    vp_text_style ts = vp_a4_style(TITLE_SIZE, f->th->ink, true, VP_ALIGN_LEFT);
    ts.max_lines = 3;
    ts.flags = VP_TEXT_TRUNCATE_OK;
    double lh = text_height(f, label, &ls, VP_A4_WIDTH);
    double th = fmin(text_height(f, title, &ts, VP_A4_WIDTH), 3 * 1.4 * TITLE_SIZE);
    vp_a4_space(f, SECTION_GAP);
    vp_a4_need(f, lh + 4 + th + 12 + keep);
    f->label = label;
    vp_pdf_bookmark(f->d, bookmark ? bookmark : label, 0);
    vp_text_metrics m;
    vp_pdf_text(f->d, (vp_rect){VP_A4_LEFT, f->y, VP_A4_WIDTH, 0}, label, &ls, "section-label", &m);
    vp_a4_advance(f, m.height + 4);
    vp_pdf_text(f->d, (vp_rect){VP_A4_LEFT, f->y, VP_A4_WIDTH, 0}, title, &ts, "section-title", &m);
    vp_a4_advance(f, m.height + 12);
}

void vp_a4_heading(vp_a4 *f, const char *text, bool bookmark, double keep)
{
    vp_text_style st = vp_a4_style(HEADING_SIZE, f->th->ink, true, VP_ALIGN_LEFT);
    st.max_lines = 2;
    st.flags = VP_TEXT_TRUNCATE_OK;
    double h = fmin(text_height(f, text, &st, VP_A4_WIDTH), 2 * 1.4 * HEADING_SIZE);
    vp_a4_space(f, 16);
    if (vp_a4_need(f, h + 8 + keep))
        continuation(f);
    if (bookmark)
        vp_pdf_bookmark(f->d, text, 1);
    vp_text_metrics m;
    vp_pdf_text(f->d, (vp_rect){VP_A4_LEFT, f->y, VP_A4_WIDTH, 0}, text, &st, "heading", &m);
    vp_a4_advance(f, m.height + 8);
}

/* Whole lines of height lh in `room` pt (0 when the room is negative: a block already
 * overran the page — casting a negative double to size_t is undefined). */
static size_t lines_in(double room, double lh)
{
    double n = lh > 0 ? floor((room + 0.01) / lh) : 0;
    return n > 0 ? (size_t)n : 0;
}

/* The code points [from, to) of a layout back as UTF-8 (invisible characters dropped). */
static void layout_slice(vp_strbuf *b, const vp_text_layout *L, size_t from, size_t to)
{
    vp_strbuf_clear(b);
    for (size_t i = from; i < to && i < L->n; i++)
        if (L->cps[i])
            vp_strbuf_put_utf8(b, L->cps[i]);
}

void vp_a4_text(vp_a4 *f, const char *s, const vp_text_style *st, double indent,
                const char *id)
{
    vp_text_style body = vp_a4_style(VP_A4_BODY, f->th->ink, false, VP_ALIGN_LEFT);
    const vp_text_style *use = st ? st : &body;
    double x = VP_A4_LEFT + indent, w = VP_A4_WIDTH - indent;
    const vp_fontset *fonts = vp_pdf_fonts(f->d);
    vp_text_layout L = VP_TEXT_LAYOUT_INIT;
    vp_strbuf rest = VP_STRBUF_INIT, part = VP_STRBUF_INIT;
    vp_strbuf_puts(&rest, s ? s : "");
    for (int guard = 0; guard < 10000; guard++) {
        const char *cur = vp_strbuf_cstr(&rest);
        if (vp_text_layout_build(&L, fonts, cur, use, w, 0, NULL) != VP_OK || L.n_lines == 0) {
            /* Let the drawing call report the problem (sticky in the document). */
            vp_pdf_text(f->d, (vp_rect){x, f->y, w, 0}, cur, use, id, NULL);
            break;
        }
        double total = (double)L.n_lines * L.line_height;
        if (total <= vp_a4_room(f) + 0.01 || (at_top(f) && L.n_lines == 1)) {
            vp_a4_need(f, total);
            vp_text_metrics m;
            vp_pdf_text(f->d, (vp_rect){x, f->y, w, 0}, cur, use, id, &m);
            vp_a4_advance(f, m.height);
            break;
        }
        /* Split: at least two lines on this page and two on the next (no widows or
         * orphans), else the whole paragraph moves on. */
        size_t fit = lines_in(vp_a4_room(f), L.line_height);
        if (fit > L.n_lines - 2)
            fit = L.n_lines >= 2 ? L.n_lines - 2 : 0;
        if (fit < 2 || L.n_lines < 4) {
            if (at_top(f)) {
                /* Taller than a page even alone on one: split where the page ends. */
                fit = lines_in(vp_a4_room(f), L.line_height);
                if (fit < 1)
                    fit = 1;
            } else {
                vp_a4_page(f);
                continuation(f);
                continue;
            }
        }
        layout_slice(&part, &L, 0, L.lines[fit - 1].end);
        vp_text_metrics m;
        vp_pdf_text(f->d, (vp_rect){x, f->y, w, 0}, vp_strbuf_cstr(&part), use, id, &m);
        vp_a4_advance(f, m.height);
        layout_slice(&part, &L, L.lines[fit].start, L.n);
        vp_strbuf_clear(&rest);
        vp_strbuf_puts(&rest, vp_strbuf_cstr(&part));
        vp_a4_page(f);
        continuation(f);
    }
    vp_text_layout_free(&L);
    vp_strbuf_free(&rest);
    vp_strbuf_free(&part);
}

void vp_a4_item(vp_a4 *f, const char *marker, vp_rgb marker_color, bool marker_bold,
                const char *s, const vp_text_style *st, const char *id)
{
    vp_text_style body = vp_a4_style(VP_A4_BODY, f->th->ink, false, VP_ALIGN_LEFT);
    vp_text_style ts = st ? *st : body;
    /* Marker and text share a baseline: same size and an explicit line height. */
    if (ts.line_height <= 0)
        ts.line_height = 1.4;
    vp_text_style ms = ts;
    ms.color = marker_color;
    ms.bold = marker_bold;
    ms.max_lines = 1;
    ms.flags = VP_TEXT_NOWRAP;
    double mw = vp_text_width(vp_pdf_fonts(f->d), marker, ts.size);
    double indent = fmax(ts.size * 1.5, mw + ts.size * 0.6);
    double h = text_height(f, s, &ts, VP_A4_WIDTH - indent);
    if (h <= VP_A4_BOTTOM - VP_A4_TOP) {
        if (vp_a4_need(f, h))
            continuation(f);
    } else {
        vp_a4_need(f, ts.size * ts.line_height * 2);
    }
    vp_pdf_text(f->d, (vp_rect){VP_A4_LEFT, f->y, indent, 0}, marker, &ms, NULL, NULL);
    vp_a4_text(f, s, &ts, indent, id);
}

void vp_a4_note(vp_a4 *f, const char *s, const char *id)
{
    vp_text_style st = vp_a4_style(VP_A4_SMALL, f->th->secondary, false, VP_ALIGN_LEFT);
    vp_a4_text(f, s, &st, 0, id);
}

void vp_a4_table(vp_a4 *f, const vp_table *t, size_t min_rows, const char *id)
{
    size_t rows = vp_table_rows(t);
    if (rows == 0)
        return;
    if (min_rows < 1)
        min_rows = 1;
    if (min_rows > rows)
        min_rows = rows;
    if (!at_top(f) && vp_table_fit(t, 0, vp_a4_room(f)) < min_rows) {
        vp_a4_page(f);
        continuation(f);
    }
    size_t first = 0;
    while (first < rows) {
        size_t k = vp_table_fit(t, first, vp_a4_room(f));
        /* No lone last row on the next page: leave it two rows, or move a short
         * remainder over whole. */
        if (k > 0 && k < rows - first && rows - first - k == 1)
            k = k >= 3 ? k - 1 : 0;
        if (k == 0) {
            if (at_top(f)) {
                k = 1;   /* a row taller than a page: drawn, reported by the check */
            } else {
                vp_a4_page(f);
                continuation(f);
                continue;
            }
        }
        double used = 0;
        vp_table_draw(f->d, t, first, k, VP_A4_LEFT, f->y, vp_a4_room(f), id, &used);
        vp_a4_advance(f, used);
        first += k;
        if (first < rows) {
            vp_a4_page(f);
            continuation(f);
        }
    }
}

/* The geometry of a tile block: per row, the label, value and note heights. */
typedef struct tile_geom {
    double w, iw, vs, lh, nh, h;
} tile_geom;

static const double TILE_GAP = 14, TILE_PAD = 14;

static tile_geom tile_row(const vp_a4 *f, const vp_a4_tile *tiles, size_t m, size_t nc,
                          const vp_text_style *ls, const vp_text_style *ns)
{
    const vp_fontset *fonts = vp_pdf_fonts(f->d);
    tile_geom g;
    g.w = (VP_A4_WIDTH - TILE_GAP * (double)(nc - 1)) / (double)nc;
    g.iw = g.w - 2 * TILE_PAD;
    /* Value size: 22 pt, smaller when a value is too wide for its tile (never < 12). */
    g.vs = 22;
    for (size_t i = 0; i < m; i++) {
        double vw = vp_text_width(fonts, tiles[i].value, 1);
        if (vw > 0 && vw * g.vs > g.iw)
            g.vs = fmax(12, floor(g.iw / vw * 2) / 2);
    }
    g.lh = 0;
    g.nh = 0;
    for (size_t i = 0; i < m; i++) {
        g.lh = fmax(g.lh, fmin(text_height(f, tiles[i].label, ls, g.iw), 2 * 1.4 * ls->size));
        if (tiles[i].note)
            g.nh = fmax(g.nh, fmin(text_height(f, tiles[i].note, ns, g.iw), 2 * 1.4 * ns->size));
    }
    g.h = TILE_PAD + g.lh + 4 + 1.25 * g.vs + (g.nh > 0 ? 4 + g.nh : 0) + TILE_PAD - 2;
    return g;
}

static void tile_styles(const vp_a4 *f, vp_text_style *ls, vp_text_style *ns)
{
    *ls = vp_a4_style(VP_A4_SMALL + 0.5, f->th->secondary, false, VP_ALIGN_LEFT);
    ls->max_lines = 2;
    ls->flags = VP_TEXT_TRUNCATE_OK;
    *ns = vp_a4_style(VP_A4_SMALL + 0.5, f->th->ink, true, VP_ALIGN_LEFT);
    ns->max_lines = 2;
    ns->flags = VP_TEXT_TRUNCATE_OK;
}

double vp_a4_tiles_height(const vp_a4 *f, const vp_a4_tile *tiles, size_t n, int cols)
{
    size_t nc = cols > 0 ? (size_t)cols : 2;
    vp_text_style ls, ns;
    tile_styles(f, &ls, &ns);
    double h = 0;
    for (size_t r0 = 0; r0 < n; r0 += nc) {
        size_t m = n - r0 < nc ? n - r0 : nc;
        h += tile_row(f, tiles + r0, m, nc, &ls, &ns).h + (r0 > 0 ? TILE_GAP : 0);
    }
    return h;
}

void vp_a4_tiles(vp_a4 *f, const vp_a4_tile *tiles, size_t n, int cols, const char *id)
{
    const vp_theme *th = f->th;
    size_t nc = cols > 0 ? (size_t)cols : 2;
    vp_text_style ls, ns;
    tile_styles(f, &ls, &ns);
    /* The whole block stays on one page when it can. */
    double total = vp_a4_tiles_height(f, tiles, n, cols);
    if (total <= VP_A4_BOTTOM - VP_A4_TOP)
        vp_a4_need(f, total);
    for (size_t r0 = 0; r0 < n; r0 += nc) {
        size_t m = n - r0 < nc ? n - r0 : nc;
        tile_geom g = tile_row(f, tiles + r0, m, nc, &ls, &ns);
        if (r0 > 0)
            vp_a4_space(f, TILE_GAP);
        vp_a4_need(f, g.h);
        double vh = 1.25 * g.vs;
        for (size_t i = 0; i < m; i++) {
            const vp_a4_tile *t = &tiles[r0 + i];
            double x = VP_A4_LEFT + (double)i * (g.w + TILE_GAP), y = f->y;
            char tid[64];
            snprintf(tid, sizeof tid, "%s-%zu", id ? id : "tile", r0 + i + 1);
            vp_shape_style bg = {.fill = true, .fill_color = th->tile, .radius = 4,
                                 .flags = VP_BOX_CONTAINER};
            vp_pdf_rect(f->d, (vp_rect){x, y, g.w, g.h}, &bg, tid);
            vp_pdf_text(f->d, (vp_rect){x + TILE_PAD, y + TILE_PAD, g.iw, g.lh}, t->label, &ls,
                        NULL, NULL);
            vp_text_style vst = vp_a4_style(g.vs, th->ink, true, VP_ALIGN_LEFT);
            vst.line_height = 1.25;
            vst.flags = VP_TEXT_NOWRAP | VP_TEXT_TRUNCATE_OK;
            vp_pdf_text(f->d, (vp_rect){x + TILE_PAD, y + TILE_PAD + g.lh + 4, g.iw, vh}, t->value,
                        &vst, NULL, NULL);
            if (t->note) {
                vp_text_style nst = ns;
                nst.color = t->note_color;
                vp_pdf_text(f->d,
                            (vp_rect){x + TILE_PAD, y + TILE_PAD + g.lh + 4 + vh + 4, g.iw, g.nh},
                            t->note, &nst, NULL, NULL);
            }
        }
        vp_a4_advance(f, g.h);
    }
}

void vp_a4_finish(vp_a4 *f, const char *header_left, const char *header_right,
                  const char *footer_left, const char *page_pattern)
{
    vp_pdf *d = f->d;
    const vp_theme *th = f->th;
    int n = vp_pdf_page_count(d);
    const double W = VP_PAGE_A4_W, H = VP_PAGE_A4_H, half = VP_A4_WIDTH / 2 - 8;
    vp_shape_style rule = {.stroke = true, .stroke_color = th->rule, .line_width = 0.5};
    vp_text_style hs = vp_a4_style(8.5, th->secondary, false, VP_ALIGN_LEFT);
    hs.max_lines = 1;
    hs.flags = VP_TEXT_TRUNCATE_OK;
    for (int i = 0; i < n; i++) {
        vp_pdf_set_page(d, i);
        if (i >= f->pages_without_frame) {
            hs.align = VP_ALIGN_LEFT;
            vp_pdf_text(d, (vp_rect){VP_A4_LEFT, 30, half, 0}, header_left, &hs, "header-left",
                        NULL);
            hs.align = VP_ALIGN_RIGHT;
            vp_pdf_text(d, (vp_rect){W - VP_A4_MARGIN - half, 30, half, 0}, header_right, &hs,
                        "header-right", NULL);
            vp_pdf_line(d, VP_A4_LEFT, 46, W - VP_A4_MARGIN, 46, &rule);
        }
        vp_pdf_line(d, VP_A4_LEFT, H - 48, W - VP_A4_MARGIN, H - 48, &rule);
        hs.align = VP_ALIGN_LEFT;
        vp_pdf_text(d, (vp_rect){VP_A4_LEFT, H - 42, VP_A4_WIDTH - 110, 0}, footer_left, &hs,
                    "footer-left", NULL);
        /* "Page {n} of {N}" */
        char num[16], tot[16], buf[160];
        snprintf(num, sizeof num, "%d", i + 1);
        snprintf(tot, sizeof tot, "%d", n);
        vp_strbuf b = VP_STRBUF_INIT;
        for (const char *p = page_pattern ? page_pattern : "{n} / {N}"; *p;) {
            if (strncmp(p, "{n}", 3) == 0) {
                vp_strbuf_puts(&b, num);
                p += 3;
            } else if (strncmp(p, "{N}", 3) == 0) {
                vp_strbuf_puts(&b, tot);
                p += 3;
            } else {
                vp_strbuf_putc(&b, *p++);
            }
        }
        snprintf(buf, sizeof buf, "%s", vp_strbuf_cstr(&b));
        vp_strbuf_free(&b);
        hs.align = VP_ALIGN_RIGHT;
        vp_pdf_text(d, (vp_rect){W - VP_A4_MARGIN - 100, H - 42, 100, 0}, buf, &hs, "page-number",
                    NULL);
    }
    if (n > 0) {
        vp_pdf_set_page(d, 0);
        vp_pdf_page_label(d, VP_LABEL_DECIMAL, NULL, 1);
    }
}
