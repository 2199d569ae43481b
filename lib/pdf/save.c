/* save.c — replaying the display list into libharu.
 *
 * One HPDF_Doc per save (no shared libharu state). The font is subset with hb-subset to the
 * code points the document drew, written to a private temporary file (libharu 2.3.0 loads
 * fonts only from files), loaded, and unlinked at once (libharu keeps the file open until
 * HPDF_Free, so the data stays readable). libharu reports errors through a handler: it
 * stores the first one in a per-save context, no longjmp. */
#include "engine.h"

#include <errno.h>
#include <hb-subset.h>
#include <hpdf.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vp_config.h"
#include "../util/alloc.h"
#include "../util/fs.h"

typedef struct hctx {
    HPDF_STATUS err, detail;
} hctx;

static void on_error(HPDF_STATUS err, HPDF_STATUS detail, void *user)
{
    hctx *c = user;
    if (!c->err) {
        c->err = err;
        c->detail = detail;
    }
}

static const char *hpdf_errname(HPDF_STATUS e)
{
    switch (e) {
    case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
    case HPDF_FILE_IO_ERROR: return "file input/output error";
    case HPDF_FILE_OPEN_ERROR: return "cannot open a file";
    case HPDF_INVALID_PNG_IMAGE: return "invalid PNG image";
    case HPDF_UNSUPPORTED_JPEG_FORMAT: return "unsupported JPEG format";
    case HPDF_INVALID_JPEG_DATA: return "invalid JPEG data";
    case HPDF_LIBPNG_ERROR: return "libpng error";
    case HPDF_TTF_INVALID_CMAP: return "unsupported TrueType cmap";
    case HPDF_TTF_INVALID_FOMAT: return "invalid TrueType font";
    case HPDF_TTF_MISSING_TABLE: return "TrueType table missing";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "font does not allow embedding";
    case HPDF_PAGE_OUT_OF_RANGE: return "value out of range";
    case HPDF_STREAM_EOF: return "unexpected end of stream";
    default: return "error";
    }
}

/* libharu refused the subset HarfBuzz built from a face that passed every check at load:
 * in practice the subset was cut short by an allocation failure inside HarfBuzz. */
static int subset_fail(vp_pdf *d, const hctx *c)
{
    return vp_pdf_fail(d, VP_ERR_NOMEM,
                       "%s: cannot embed the font subset: out of memory while building it, or "
                       "a fault of the subsetter (libharu: %s, error 0x%04X)",
                       d->fonts->path, hpdf_errname(c->err), (unsigned)c->err);
}

static int hpdf_fail(vp_pdf *d, const hctx *c, const char *what)
{
    return vp_pdf_fail(d, c->err == HPDF_FAILD_TO_ALLOC_MEM ? VP_ERR_NOMEM : VP_ERR_RENDER,
                       "the PDF writer (libharu) failed %s: %s (error 0x%04X, detail %u)", what,
                       hpdf_errname(c->err), (unsigned)c->err, (unsigned)c->detail);
}

/* ---- the font subset ---------------------------------------------------------------- */

/* The subset font with a compact cmap (sfnt.c), or *out NULL to keep HarfBuzz's. */
static int compact_cmap(vp_pdf *d, hb_face_t *sub, const char *data, unsigned len,
                        unsigned char **out, size_t *out_len)
{
    *out = NULL;
    unsigned *cps = vp_malloc((d->n_used + 1) * sizeof *cps);
    uint16_t *gids = vp_malloc((d->n_used + 1) * sizeof *gids);
    hb_font_t *font = hb_font_create(sub);
    int rc = VP_OK;
    size_t n = 0;
    if (!cps || !gids) {
        rc = vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
        goto done;
    }
    for (unsigned cp = 0; cp < 0xFFFF && n < d->n_used; cp++) {
        hb_codepoint_t g;
        if ((d->used[cp >> 3] & (1u << (cp & 7))) && hb_font_get_nominal_glyph(font, cp, &g) &&
            g < 0x10000) {
            cps[n] = cp;
            gids[n++] = (uint16_t)g;
        }
    }
    if (font == hb_font_get_empty() || n < d->n_used) {
        /* Every drawn code point was checked against the full face: a subset without one
         * of them was cut short by an allocation failure, and would print blanks. */
        rc = vp_pdf_fail(d, VP_ERR_NOMEM, "%s: out of memory while subsetting the font",
                         d->fonts->path);
        goto done;
    }
    rc = vp_sfnt_compact_cmap((const unsigned char *)data, len, cps, gids, n, out, out_len);
    if (rc == VP_ERR_LIMIT)
        rc = VP_OK;                     /* scattered: HarfBuzz's cmap is as good */
    else if (rc != VP_OK)
        rc = vp_pdf_fail(d, rc, rc == VP_ERR_NOMEM ? NULL : "%s: cannot rewrite the font subset",
                         d->fonts->path);
done:
    hb_font_destroy(font);
    vp_free(gids);
    vp_free(cps);
    return rc;
}

/* Subset the face to the document's code points and write it to a new temporary file;
 * *path_out (vp_free) names it. The caller unlinks it. */
static int write_subset(vp_pdf *d, const char *tmpdir, char **path_out)
{
    *path_out = NULL;
    int rc = VP_OK;
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    hb_face_t *sub = NULL;
    hb_blob_t *blob = NULL;
    char *path = NULL;
    int fd = -1;
    bool created = false;
    unsigned char *compact = NULL;
    size_t compact_len = 0;
    if (!in)
        return vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
    hb_set_t *u = hb_subset_input_unicode_set(in);
    for (unsigned i = 0; i < 0x10000; i += 8) {
        uint8_t bits = d->used[i >> 3];
        for (unsigned k = 0; bits && k < 8; k++)
            if (bits & (1u << k))
                hb_set_add(u, i + k);
    }
    /* libharu embeds head hhea maxp hmtx loca glyf cmap (and cvt fpgm prep, dropped with
     * the hinting); everything else is weight for the subsetter to carry. */
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    static const hb_tag_t dropped[] = {
        HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
        HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('k', 'e', 'r', 'n'),
        HB_TAG('g', 'a', 's', 'p'), HB_TAG('h', 'd', 'm', 'x'), HB_TAG('L', 'T', 'S', 'H'),
        HB_TAG('V', 'D', 'M', 'X'), HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'),
        HB_TAG('D', 'S', 'I', 'G'), HB_TAG('E', 'B', 'D', 'T'), HB_TAG('E', 'B', 'L', 'C'),
        HB_TAG('E', 'B', 'S', 'C'), HB_TAG('m', 'o', 'r', 'x'), HB_TAG('P', 'C', 'L', 'T'),
    };
    for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++)
        hb_set_add(drop, dropped[i]);
    if (!hb_set_allocation_successful(u) || !hb_set_allocation_successful(drop)) {
        rc = vp_pdf_fail(d, VP_ERR_NOMEM, NULL);   /* a partial set would drop glyphs */
        goto done;
    }
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    sub = hb_subset_or_fail(d->fonts->face, in);
    if (!sub) {
        /* The face was checked when it was loaded: what fails here is memory. */
        rc = vp_pdf_fail(d, VP_ERR_NOMEM, "%s: out of memory while subsetting the font",
                         d->fonts->path);
        goto done;
    }
    blob = hb_face_reference_blob(sub);
    unsigned len = 0;
    const char *data = hb_blob_get_data(blob, &len);
    /* Every table libharu embeds must be there: HarfBuzz takes a table it failed to load
     * (an allocation failure) for an absent one and leaves it out of the subset. */
    static const hb_tag_t embedded[] = {
        HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'), HB_TAG('m', 'a', 'x', 'p'),
        HB_TAG('h', 'm', 't', 'x'), HB_TAG('l', 'o', 'c', 'a'), HB_TAG('g', 'l', 'y', 'f'),
        HB_TAG('c', 'm', 'a', 'p'),
    };
    bool complete = data && len > 0;
    for (size_t i = 0; complete && i < sizeof embedded / sizeof embedded[0]; i++)
        complete = vp_sfnt_find((const unsigned char *)data, len, 0, embedded[i], NULL, NULL);
    /* ... and the tables it embeds when the face has them (metrics, names). */
    static const hb_tag_t kept[] = {
        HB_TAG('O', 'S', '/', '2'), HB_TAG('n', 'a', 'm', 'e'), HB_TAG('p', 'o', 's', 't'),
    };
    unsigned face_len = 0;
    const unsigned char *face_data =
        (const unsigned char *)hb_blob_get_data(d->fonts->blob, &face_len);
    for (size_t i = 0; complete && i < sizeof kept / sizeof kept[0]; i++)
        if (vp_sfnt_find(face_data, face_len, (unsigned)d->fonts->index, kept[i], NULL, NULL))
            complete = vp_sfnt_find((const unsigned char *)data, len, 0, kept[i], NULL, NULL);
    if (!complete) {
        /* The face was checked when it was loaded: what failed here is memory. */
        rc = vp_pdf_fail(d, VP_ERR_NOMEM, "%s: out of memory while subsetting the font",
                         d->fonts->path);
        goto done;
    }
    rc = compact_cmap(d, sub, data, len, &compact, &compact_len);
    if (rc != VP_OK)
        goto done;
    if (compact) {
        data = (const char *)compact;
        len = (unsigned)compact_len;
    }
    size_t plen = strlen(tmpdir) + sizeof "/.vp-font-XXXXXX";
    path = vp_malloc(plen);
    if (!path) {
        rc = vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
        goto done;
    }
    snprintf(path, plen, "%s/.vp-font-XXXXXX", tmpdir);
    fd = mkstemp(path);
    if (fd < 0) {
        rc = vp_pdf_fail(d, VP_ERR_IO, "%s: cannot create a temporary font file: %s", tmpdir,
                         strerror(errno));
        goto done;
    }
    created = true;
    vp_tmpfile_notify(path, true);
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : EIO;
            rc = vp_pdf_fail(d, VP_ERR_IO, "%s: cannot write a temporary font file: %s", tmpdir,
                             strerror(e));
            goto done;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = vp_pdf_fail(d, VP_ERR_IO, "%s: cannot write a temporary font file: %s", tmpdir,
                         strerror(errno));
        goto done;
    }
    fd = -1;
    *path_out = path;
    path = NULL;
done:
    if (fd >= 0)
        close(fd);
    if (path && created) {
        unlink(path);
        vp_tmpfile_notify(path, false);
    }
    vp_free(path);
    vp_free(compact);
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    hb_subset_input_destroy(in);
    return rc;
}

/* ---- replay ---------------------------------------------------------------------- */

/* Graphics state already set on a page, so repeated colours are not written again. */
typedef struct gstate {
    bool in_text;             /* inside BT ... ET: consecutive text runs share one */
    double font_size;
    bool bold;
    bool valid;
    vp_rgb fill, stroke;
    double width;
    vp_dash dash;
    bool fill_set, stroke_set;
} gstate;

/* Coordinates on a 1/8 pt grid: exact binary fractions print short ("101.875", not
 * "101.88623") and repeat more, so content streams compress better; 1/8 pt is far below
 * what a printer or screen resolves. */
static HPDF_REAL q(double v) { return (HPDF_REAL)(round(v * 8) / 8); }

static void end_text(HPDF_Page p, gstate *g)
{
    if (g->in_text) {
        if (g->bold)
            HPDF_Page_SetTextRenderingMode(p, HPDF_FILL);
        HPDF_Page_EndText(p);
        g->in_text = false;
        g->bold = false;
    }
}

static bool same_rgb(vp_rgb a, vp_rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }

/* Colour components to 3 decimals: exact for 8-bit colours (#RRGGBB) and shorter. */
static HPDF_REAL c3(float v) { return (HPDF_REAL)(round(v * 1000.0) / 1000.0); }

static void set_fill(HPDF_Page p, gstate *g, vp_rgb c)
{
    if (!g->fill_set || !same_rgb(g->fill, c)) {
        HPDF_Page_SetRGBFill(p, c3(c.r), c3(c.g), c3(c.b));
        g->fill = c;
        g->fill_set = true;
    }
}

static void set_stroke(HPDF_Page p, gstate *g, const vp_shape_style *st)
{
    double w = st->line_width > 0 ? st->line_width : 1;
    if (!g->stroke_set || !same_rgb(g->stroke, st->stroke_color)) {
        HPDF_Page_SetRGBStroke(p, c3(st->stroke_color.r), c3(st->stroke_color.g),
                               c3(st->stroke_color.b));
        g->stroke = st->stroke_color;
        g->stroke_set = true;
    }
    if (!g->valid || g->width != w) {
        HPDF_Page_SetLineWidth(p, (HPDF_REAL)w);
        g->width = w;
    }
    if (!g->valid || g->dash != st->dash) {
        if (st->dash == VP_DASH_DASHED) {
            HPDF_UINT16 ptn[2] = {4, 3};
            HPDF_Page_SetDash(p, ptn, 2, 0);
        } else if (st->dash == VP_DASH_DOTTED) {
            HPDF_UINT16 ptn[2] = {1, 2};
            HPDF_Page_SetDash(p, ptn, 2, 0);
        } else {
            HPDF_Page_SetDash(p, NULL, 0, 0);
        }
        g->dash = st->dash;
    }
    g->valid = true;
}

static void paint(HPDF_Page p, const vp_shape_style *st)
{
    if (st->fill && st->stroke)
        HPDF_Page_FillStroke(p);
    else if (st->fill)
        HPDF_Page_Fill(p);
    else if (st->stroke)
        HPDF_Page_Stroke(p);
    else
        HPDF_Page_EndPath(p);
}

/* Before a shape: out of any text object, fill and stroke state as st asks. */
static void begin_shape(HPDF_Page p, gstate *g, const vp_shape_style *st)
{
    end_text(p, g);
    if (st->fill)
        set_fill(p, g, st->fill_color);
    if (st->stroke)
        set_stroke(p, g, st);
}

static void replay_path(HPDF_Page p, gstate *g, double H, const vp_op *op)
{
    const vp_shape_style *st = &op->u.path.st;
    begin_shape(p, g, st);
    for (size_t i = 0; i < op->u.path.n; i++) {
        const vp_seg *s = &op->u.path.segs[i];
        switch (s->kind) {
        case SEG_MOVE:
            HPDF_Page_MoveTo(p, q(s->x[0]), q(H - s->y[0]));
            break;
        case SEG_LINE:
            HPDF_Page_LineTo(p, q(s->x[0]), q(H - s->y[0]));
            break;
        case SEG_CURVE:
            HPDF_Page_CurveTo(p, q(s->x[0]), q(H - s->y[0]), q(s->x[1]), q(H - s->y[1]),
                              q(s->x[2]), q(H - s->y[2]));
            break;
        case SEG_CLOSE:
            HPDF_Page_ClosePath(p);
            break;
        }
    }
    paint(p, st);
}

static void replay_rect(HPDF_Page p, gstate *g, double H, const vp_op *op)
{
    const vp_shape_style *st = &op->u.rect.st;
    vp_rect r = op->u.rect.r;
    begin_shape(p, g, st);
    HPDF_REAL x0 = q(r.x), y0 = q(H - r.y - r.h);
    HPDF_Page_Rectangle(p, x0, y0, q(r.x + r.w) - x0, q(H - r.y) - y0);
    paint(p, st);
}

static void replay_text(HPDF_Page p, gstate *g, double H, HPDF_Font font, const vp_op *op)
{
    if (!g->in_text) {
        HPDF_Page_BeginText(p);
        g->in_text = true;
        g->font_size = 0;
    }
    if (g->font_size != op->u.text.size) {
        HPDF_Page_SetFontAndSize(p, font, (HPDF_REAL)op->u.text.size);
        g->font_size = op->u.text.size;
    }
    set_fill(p, g, op->u.text.color);
    if (op->u.text.bold) {
        /* The face has no bold: stroke the outlines too, 3.5 % of the size wide. */
        vp_shape_style st = {.stroke_color = op->u.text.color,
                             .line_width = op->u.text.size * 0.035, .dash = VP_DASH_NONE};
        set_stroke(p, g, &st);
    }
    if (op->u.text.bold != g->bold) {
        HPDF_Page_SetTextRenderingMode(p, op->u.text.bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
        g->bold = op->u.text.bold;
    }
    HPDF_Page_TextOut(p, q(op->u.text.x), q(H - op->u.text.y), op->u.text.s);
}

static HPDF_Date to_hpdf_date(time_t t)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    HPDF_Date dt = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                    tm.tm_sec, 'Z', 0, 0};
    return dt;
}

static time_t doc_time(const vp_pdf *d)
{
    if (d->has_time)
        return d->time;
    const char *e = getenv("SOURCE_DATE_EPOCH");
    if (e && *e) {
        char *end;
        errno = 0;
        long long v = strtoll(e, &end, 10);
        if (!*end && errno == 0 && v >= 0 && v < 253402300800LL)   /* before year 10000 */
            return (time_t)v;
    }
    return time(NULL);
}

static HPDF_PageNumStyle label_style(vp_page_label_style s)
{
    switch (s) {
    case VP_LABEL_ROMAN_LOWER: return HPDF_PAGE_NUM_STYLE_LOWER_ROMAN;
    case VP_LABEL_ROMAN_UPPER: return HPDF_PAGE_NUM_STYLE_UPPER_ROMAN;
    default: return HPDF_PAGE_NUM_STYLE_DECIMAL;
    }
}

/* libharu 2.3.0 gives its UTF-8 fonts as /ToUnicode the encoder's own CID CMap
 * ("1 begincidrange <0000> <FFFF> 0"), which a ToUnicode map may not use: poppler warns
 * "Invalid 'begincidrange' operator in ToUnicode CMap" on every page and falls back to a
 * guess, and a reader that follows the spec cannot map the text back to Unicode (copy,
 * search, screen readers). The codes in the content are the characters' UTF-16 values
 * (Identity-H over a CIDToGIDMap indexed by code point), so the right map is the
 * identity: here one bfrange per 256-code row the document uses, replacing the stream's
 * text and the dictionary keys that described the old one. */
static bool fix_to_unicode(HPDF_Font font, const vp_pdf *d)
{
    HPDF_FontAttr attr = font ? (HPDF_FontAttr)font->attr : NULL;
    HPDF_Dict cmap = attr ? attr->cmap_stream : NULL;
    if (!cmap || !cmap->stream)
        return true;                    /* not libharu's UTF-8 font: nothing to replace */
    bool rows[256] = {false};
    size_t n_rows = 0;
    for (unsigned r = 0; r < 256; r++) {
        if (r >= 0xD8 && r <= 0xDF)
            continue;                   /* surrogates: never a character */
        for (unsigned b = 0; b < 32 && !rows[r]; b++)
            rows[r] = d->used[r * 32 + b] != 0;
        n_rows += rows[r];
    }
    HPDF_Stream st = cmap->stream;
    HPDF_MemStream_FreeData(st);
    /* libharu records a failed write (out of memory) without calling the error handler:
     * every status is checked. */
    HPDF_STATUS ok = HPDF_OK;
    ok |= HPDF_Stream_WriteStr(st, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                             "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                             "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    char line[64];
    size_t done = 0;
    for (unsigned r = 0; r < 256; r++) {
        if (!rows[r])
            continue;
        if (done % 100 == 0) {          /* at most 100 entries a block */
            size_t left = n_rows - done;
            snprintf(line, sizeof line, "%zu beginbfrange\n", left < 100 ? left : 100);
            ok |= HPDF_Stream_WriteStr(st, line);
        }
        snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", r, r, r);
        ok |= HPDF_Stream_WriteStr(st, line);
        if (++done % 100 == 0 || done == n_rows)
            ok |= HPDF_Stream_WriteStr(st, "endbfrange\n");
    }
    ok |= HPDF_Stream_WriteStr(st, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_Dict_RemoveElement(cmap, "CMapName");
    HPDF_Dict_RemoveElement(cmap, "CIDSystemInfo");
    HPDF_Dict_RemoveElement(cmap, "WMode");
    return ok == HPDF_OK;
}

/* Build the whole PDF into libharu's memory stream. */
static int build(vp_pdf *d, HPDF_Doc pdf, hctx *hc, const char *tmpdir)
{
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf);
    if (hc->err)
        return hpdf_fail(d, hc, "while starting the document");

    HPDF_Font font = NULL;
    if (d->n_used > 0) {
        char *sub = NULL;
        int rc = write_subset(d, tmpdir, &sub);
        if (rc != VP_OK)
            return rc;
        const char *name = HPDF_LoadTTFontFromFile(pdf, sub, HPDF_TRUE);
        unlink(sub);                    /* libharu keeps it open until HPDF_Free */
        vp_tmpfile_notify(sub, false);
        vp_free(sub);
        if (!name || hc->err)
            return subset_fail(d, hc);
        font = HPDF_GetFont(pdf, name, "UTF-8");
        if (!font || hc->err)
            return subset_fail(d, hc);
        if (!fix_to_unicode(font, d) || hc->err)
            return vp_pdf_fail(d, VP_ERR_NOMEM, "out of memory while writing the font's "
                               "ToUnicode map");
    }

    HPDF_SetCurrentEncoder(pdf, "UTF-8");     /* info strings are written as UTF-16 */
    char creator[64];
    snprintf(creator, sizeof creator, "valuepack %s", VP_VERSION);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, creator);
    if (d->title)
        HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, d->title);
    if (d->author)
        HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, d->author);
    if (d->subject)
        HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, d->subject);
    if (d->keywords)
        HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS, d->keywords);
    HPDF_Date dt = to_hpdf_date(doc_time(d));
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, dt);
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, dt);
    if (hc->err)
        return hpdf_fail(d, hc, "while writing the document information");

    size_t np = d->n_pages ? d->n_pages : 1;
    HPDF_Page *pages = vp_calloc(np, sizeof *pages);
    gstate *gs = vp_calloc(np, sizeof *gs);
    HPDF_Image *imgs = vp_calloc(d->n_images ? d->n_images : 1, sizeof *imgs);
    int rc = VP_OK;
    if (!pages || !gs || !imgs) {
        rc = vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
        goto done;
    }
    /* libharu dereferences NULL handles: stop at the first failure */
    for (size_t i = 0; i < d->n_pages && !hc->err; i++) {
        pages[i] = HPDF_AddPage(pdf);
        if (!pages[i])
            break;
        HPDF_Page_SetWidth(pages[i], (HPDF_REAL)d->pages[i].w);
        HPDF_Page_SetHeight(pages[i], (HPDF_REAL)d->pages[i].h);
    }
    if (d->n_pages == 0)
        HPDF_AddPage(pdf);              /* a PDF needs a page */
    if (hc->err || (d->n_pages > 0 && !pages[d->n_pages - 1])) {
        rc = hpdf_fail(d, hc, "while adding pages");
        goto done;
    }

    for (size_t i = 0; i < d->n_ops && !hc->err; i++) {
        const vp_op *op = &d->ops[i];
        HPDF_Page p = pages[op->page];
        double H = d->pages[op->page].h;
        gstate *g = &gs[op->page];
        switch (op->kind) {
        case OP_TEXT:
            replay_text(p, g, H, font, op);
            break;
        case OP_PATH:
            replay_path(p, g, H, op);
            break;
        case OP_RECT:
            replay_rect(p, g, H, op);
            break;
        case OP_IMAGE: {
            size_t k = op->u.image.index;
            if (!imgs[k]) {
                /* checked when recorded (image.c): libpng must not see a damaged PNG */
                const vp_image_data *im = &d->images[k].img;
                imgs[k] = im->png ? HPDF_LoadPngImageFromMem(pdf, im->data, (HPDF_UINT)im->len)
                                  : HPDF_LoadJpegImageFromMem(pdf, im->data, (HPDF_UINT)im->len);
                if (!imgs[k] || hc->err) {
                    char what[600];
                    snprintf(what, sizeof what, "while loading the image %s", d->images[k].path);
                    rc = hpdf_fail(d, hc, what);
                    goto done;
                }
                /* libharu 2.3.0 leaves the alpha mask (SMask) of a PNG uncompressed: a
                 * 400 x 160 logo would add 64 KB to every document. */
                HPDF_Dict smask = HPDF_Dict_GetItem(imgs[k], "SMask", HPDF_OCLASS_DICT);
                if (smask)
                    smask->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
                HPDF_ResetError(pdf);   /* GetItem on an image without a mask is no error */
                hc->err = 0;
            }
            HPDF_Image img = imgs[k];
            vp_rect r = op->u.image.r;
            end_text(p, g);
            HPDF_Page_DrawImage(p, img, (HPDF_REAL)r.x, (HPDF_REAL)(H - r.y - r.h),
                                (HPDF_REAL)r.w, (HPDF_REAL)r.h);
            break;
        }
        }
    }
    for (size_t i = 0; i < d->n_pages; i++)
        end_text(pages[i], &gs[i]);
    if (hc->err) {
        rc = hpdf_fail(d, hc, "while drawing");
        goto done;
    }

    if (d->n_marks) {
        HPDF_Encoder enc = HPDF_GetEncoder(pdf, "UTF-8");
        HPDF_Outline parent = NULL;
        for (size_t i = 0; i < d->n_marks; i++) {
            const vp_bookmark *m = &d->marks[i];
            HPDF_Outline o = HPDF_CreateOutline(pdf, m->level ? parent : NULL, m->title, enc);
            HPDF_Destination dst = HPDF_Page_CreateDestination(pages[m->page]);
            if (o && dst)
                HPDF_Outline_SetDestination(o, dst);
            if (m->level == 0)
                parent = o;
        }
        HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    }
    for (size_t i = 0; i < d->n_labels; i++) {
        const vp_label *l = &d->labels[i];
        HPDF_AddPageLabel(pdf, (HPDF_UINT)l->page, label_style(l->style), (HPDF_UINT)l->first,
                          l->prefix);
    }
    if (hc->err) {
        rc = hpdf_fail(d, hc, "while writing bookmarks and page labels");
        goto done;
    }
    HPDF_SaveToStream(pdf);
    if (hc->err)
        rc = hpdf_fail(d, hc, "while writing the file");
done:
    vp_free(imgs);
    vp_free(gs);
    vp_free(pages);
    return rc;
}

int vp_pdf_render_bytes(vp_pdf *d, const char *tmpdir, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (d->status == VP_OK && vp_alloc_failures() != d->alloc_failures)
        vp_pdf_fail(d, VP_ERR_NOMEM, NULL);   /* some text may have been lost on the way */
    if (d->status != VP_OK)
        return d->status;
    /* Link the libharu speed-ups (equivalent helpers, libdeflate streams) into any program
     * that saves a PDF: see lib/pdf/hpdf_fast.c and deflate_shim.c. */
    (void)vp_hpdf_fast_linked();
    (void)vp_deflate_shim_active();
    hctx hc = {0, 0};
    /* libharu allocates with malloc, not vp_malloc: its own out-of-memory paths crash
     * (NULL handles dereferenced inside HPDF_Page_New), so fault injection stays out. */
    HPDF_Doc pdf = HPDF_New(on_error, &hc);
    if (!pdf)
        return vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
    char scratch[4096];
    int rc = build(d, pdf, &hc, vp_scratch_dir(tmpdir, NULL, scratch, sizeof scratch));
    if (rc == VP_OK) {
        HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
        unsigned char *buf = vp_malloc(size ? size : 1);
        if (!buf) {
            rc = vp_pdf_fail(d, VP_ERR_NOMEM, NULL);
        } else {
            /* Read exactly the stream's size: asking for more raises HPDF_STREAM_EOF. */
            HPDF_UINT32 got = 0;
            HPDF_ResetStream(pdf);
            while (got < size && !hc.err) {
                HPDF_UINT32 chunk = size - got;
                HPDF_ReadFromStream(pdf, buf + got, &chunk);
                if (chunk == 0)
                    break;
                got += chunk;
            }
            if (hc.err || got != size) {
                vp_free(buf);
                rc = hpdf_fail(d, &hc, "while reading the file back");
            } else {
                *out = buf;
                *len = size;
            }
        }
    }
    HPDF_Free(pdf);
    return rc;
}

int vp_pdf_to_memory(vp_pdf *d, const char *tmpdir, unsigned char **out, size_t *len)
{
    return vp_pdf_render_bytes(d, tmpdir, out, len);
}

int vp_pdf_write(vp_pdf *d, FILE *fp, const char *tmpdir)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    int rc = vp_pdf_render_bytes(d, tmpdir, &buf, &len);
    if (rc != VP_OK)
        return rc;
    errno = 0;
    bool bad = fwrite(buf, 1, len, fp) != len;
    bad = fflush(fp) != 0 || bad || ferror(fp);
    int e = errno;
    vp_free(buf);
    if (bad) {
        /* not sticky: the document itself is fine, another destination may work */
        vp_diag_add(d->diag, VP_SEV_ERROR, NULL, NULL, 0, 0, "cannot write the PDF: %s",
                    strerror(e ? e : EIO));
        return VP_ERR_IO;
    }
    return VP_OK;
}

int vp_pdf_save(vp_pdf *d, const char *path, const char *tmpdir)
{
    if (d->status != VP_OK)
        return d->status;
    /* Never rename over a device or other special file (as root, "/dev/full" would be
     * replaced by a regular file). */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        vp_diag_add(d->diag, VP_SEV_ERROR, path, NULL, 0, 0,
                    "cannot write the document: not a regular file");
        return VP_ERR_IO;
    }
    char dir[4096];
    vp_scratch_dir(tmpdir, path, dir, sizeof dir);
    unsigned char *buf = NULL;
    size_t len = 0;
    int rc = vp_pdf_render_bytes(d, dir, &buf, &len);
    if (rc != VP_OK)
        return rc;
    vp_atomic_file f;
    rc = vp_atomic_open(&f, path, d->diag);
    if (rc == VP_OK) {
        /* A short write leaves the stream's error flag set: vp_atomic_commit reports it
         * and removes the temporary file. */
        size_t wrote = fwrite(buf, 1, len, f.fp);
        (void)wrote;
        rc = vp_atomic_commit(&f, d->diag);
    }
    vp_free(buf);
    return rc;
}
