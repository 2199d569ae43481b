/* text.c — measuring and line breaking, per code point.
 *
 * Widths come from the face's advance table (font.c); break opportunities from libunibreak
 * (UAX #14), which already knows that CJK ideographs break between each other, that
 * closing punctuation "，。）" never starts a line, and that Latin breaks after spaces and
 * hyphens. Lines are filled greedily; a word longer than the line is broken between
 * characters. */
#include "engine.h"

#include <linebreak.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "../util/alloc.h"
#include "../util/utf8.h"

#define ELLIPSIS 0x2026u
#define EPS 1e-6

static pthread_once_t lb_once = PTHREAD_ONCE_INIT;
static void lb_init(void) { init_linebreak(); }

static bool hangs(unsigned cp)
{
    return cp == ' ' || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x205F || cp == 0x3000;
}

static double style_size(const vp_text_style *st)
{
    return st && st->size > 0 ? st->size : 12.0;
}

/* Advance in pt of a code point already mapped (vp_fontset_map). */
static double adv_pt(const vp_fontset *f, unsigned cp, double size)
{
    return cp == 0 || cp == '\n' ? 0 : (double)vp_fontset_adv_units(f, cp) * size / f->upem;
}

static double span_width(const vp_fontset *f, const unsigned *cps, size_t a, size_t b,
                         double size)
{
    double w = 0;
    for (size_t i = a; i < b; i++)
        w += adv_pt(f, cps[i], size);
    return w;
}

/* End of [a, b) without trailing hanging spaces and invisible characters. */
static size_t trim_end(const unsigned *cps, size_t a, size_t b)
{
    while (b > a && (hangs(cps[b - 1]) || cps[b - 1] == 0))
        b--;
    return b;
}

void vp_text_layout_free(vp_text_layout *L)
{
    vp_free(L->cps);
    vp_free(L->lines);
    memset(L, 0, sizeof *L);
}

static bool push_line(vp_text_layout *L, size_t start, size_t end)
{
    if (L->n_lines == L->cap_lines) {
        size_t cap = L->cap_lines ? L->cap_lines * 2 : 8;
        vp_text_line *nl = vp_realloc(L->lines, cap * sizeof *nl);
        if (!nl)
            return false;
        L->lines = nl;
        L->cap_lines = cap;
    }
    L->lines[L->n_lines++] = (vp_text_line){start, end, 0, false};
    return true;
}

/* Decode s into L->cps (mapped for drawing: 0 = invisible, '\n' = forced break). */
static int decode(vp_text_layout *L, const vp_fontset *f, const char *s, vp_diag *diag)
{
    size_t n = strlen(s);
    int rc = vp_fontset_check(f, s, diag, NULL);
    if (rc != VP_OK)
        return rc;
    if (n + 1 > L->cap_cps) {
        unsigned *nc = vp_realloc(L->cps, (n + 1) * sizeof *nc);
        if (!nc)
            return VP_ERR_NOMEM;
        L->cps = nc;
        L->cap_cps = n + 1;
    }
    L->n = 0;
    L->cjk = false;
    for (size_t i = 0; i < n;) {
        size_t len;
        unsigned cp = vp_utf8_decode(s + i, n - i, &len);
        i += len;
        if (cp == '\r')
            continue;                       /* "\r\n" is one break */
        if (cp == '\t')
            cp = ' ';
        if (cp == 0x2028 || cp == 0x2029 || cp == 0x0B || cp == 0x0C || cp == 0x85)
            cp = '\n';
        if (cp != '\n')
            cp = vp_fontset_map(f, cp);
        if (vp_utf8_is_wide(cp))
            L->cjk = true;
        L->cps[L->n++] = cp;
    }
    return VP_OK;
}

/* Greedy line filling over all of the text (no height limit). */
static int break_lines(vp_text_layout *L, const vp_fontset *f, double width)
{
    size_t n = L->n;
    const unsigned *cps = L->cps;
    double size = L->size;
    char stackbrk[512];
    char *brks = n <= sizeof stackbrk ? stackbrk : vp_malloc(n);
    if (!brks)
        return VP_ERR_NOMEM;
    if (n) {
        /* libunibreak sees invisible characters as they were (U+200B is a break
         * opportunity); mapped-out ones (0) become ZERO WIDTH SPACE for it. */
        utf32_t stackcp[512];
        utf32_t *u = n <= 512 ? stackcp : vp_malloc(n * sizeof *u);
        if (!u) {
            if (brks != stackbrk)
                vp_free(brks);
            return VP_ERR_NOMEM;
        }
        for (size_t i = 0; i < n; i++)
            u[i] = cps[i] ? cps[i] : 0x200B;
        pthread_once(&lb_once, lb_init);
        set_linebreaks_utf32(u, n, L->cjk ? "zh" : "en", brks);
        if (u != stackcp)
            vp_free(u);
    }

    int rc = VP_OK;
    size_t ls = 0;          /* line start */
    size_t bp = 0;          /* last break opportunity: a line may end before bp (> ls) */
    double w = 0;           /* width of [ls, i) */
    for (size_t i = 0; i < n; i++) {
        unsigned cp = cps[i];
        if (cp == '\n') {
            if (!push_line(L, ls, i))
                goto nomem;
            ls = i + 1;
            bp = 0;
            w = 0;
            continue;
        }
        double a = adv_pt(f, cp, size);
        if (w + a > width + EPS && !hangs(cp) && i > ls) {
            if (bp > ls) {
                if (!push_line(L, ls, bp))
                    goto nomem;
                ls = bp;
                w = span_width(f, cps, ls, i, size);
            }
            /* What is left is one word too long for a line: break between characters. */
            while (w + a > width + EPS && i > ls) {
                size_t k = ls + 1;
                double wk = adv_pt(f, cps[ls], size);
                while (k < i && wk + adv_pt(f, cps[k], size) <= width + EPS) {
                    wk += adv_pt(f, cps[k], size);
                    k++;
                }
                if (!push_line(L, ls, k))
                    goto nomem;
                ls = k;
                w = span_width(f, cps, ls, i, size);
            }
            bp = 0;
        }
        w += a;
        if (brks[i] == LINEBREAK_ALLOWBREAK)
            bp = i + 1;
    }
    if (ls < n || L->n_lines == 0)
        if (!push_line(L, ls, n))
            goto nomem;
    goto done;
nomem:
    rc = VP_ERR_NOMEM;
done:
    if (brks != stackbrk)
        vp_free(brks);
    return rc;
}

int vp_text_layout_build(vp_text_layout *L, const vp_fontset *f, const char *s,
                   const vp_text_style *st, double width, double height, vp_diag *diag)
{
    L->n = 0;
    L->n_lines = 0;
    L->lines_needed = 0;
    L->size = style_size(st);
    int rc = decode(L, f, s ? s : "", diag);
    if (rc != VP_OK)
        return rc;
    double lh_mult = st && st->line_height > 0 ? st->line_height : L->cjk ? 1.4 : 1.3;
    L->line_height = lh_mult * L->size;
    if (!(width > 0))
        width = 0;
    rc = break_lines(L, f, width);
    if (rc != VP_OK) {
        L->n_lines = 0;
        return rc;
    }
    L->lines_needed = L->n_lines;

    size_t limit = L->n_lines;
    if (st && st->max_lines > 0 && (size_t)st->max_lines < limit)
        limit = (size_t)st->max_lines;
    if (st && (st->flags & VP_TEXT_NOWRAP))
        limit = 1;
    if (height > 0) {
        size_t fit = (size_t)floor((height + 0.01) / L->line_height);
        if (fit < 1)
            fit = 1;
        if (fit < limit)
            limit = fit;
    }
    double ell = adv_pt(f, ELLIPSIS, L->size);
    if (limit < L->n_lines) {
        L->n_lines = limit;
        vp_text_line *ln = &L->lines[limit - 1];
        size_t k = trim_end(L->cps, ln->start, ln->end);
        while (k > ln->start &&
               span_width(f, L->cps, ln->start, k, L->size) + ell > width + EPS)
            k = trim_end(L->cps, ln->start, k - 1);
        ln->end = k;
        ln->ellipsis = true;
    }
    for (size_t i = 0; i < L->n_lines; i++) {
        vp_text_line *ln = &L->lines[i];
        ln->width = span_width(f, L->cps, ln->start, trim_end(L->cps, ln->start, ln->end),
                               L->size) +
                    (ln->ellipsis ? ell : 0);
    }
    return VP_OK;
}

int vp_text_measure(const vp_fontset *f, const char *s, const vp_text_style *st, double width,
                    double height, vp_text_metrics *out, vp_diag *diag)
{
    vp_text_layout L = VP_TEXT_LAYOUT_INIT;
    memset(out, 0, sizeof *out);
    int rc = vp_text_layout_build(&L, f, s, st, width, height, diag);
    if (rc == VP_OK) {
        out->lines = (int)L.n_lines;
        out->lines_needed = (int)L.lines_needed;
        out->line_height = L.line_height;
        out->height = (double)L.n_lines * L.line_height;
        for (size_t i = 0; i < L.n_lines; i++) {
            if (L.lines[i].width > out->width)
                out->width = L.lines[i].width;
            out->truncated = out->truncated || L.lines[i].ellipsis;
        }
    }
    vp_text_layout_free(&L);
    return rc;
}

double vp_text_width(const vp_fontset *f, const char *s, double size)
{
    if (!s)
        return 0;
    double best = 0, w = 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t len;
        unsigned cp = vp_utf8_decode(s + i, n - i, &len);
        i += len;
        if (cp == '\n') {
            w = 0;
            continue;
        }
        if (cp == VP_UTF8_INVALID)
            continue;
        w += vp_fontset_advance(f, cp == '\t' ? ' ' : cp) * size;
        if (w > best)
            best = w;
    }
    return best;
}
