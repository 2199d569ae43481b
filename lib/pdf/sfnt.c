/* sfnt.c — rewriting the cmap of a subset font for libharu.
 *
 * Why: libharu 2.3.0 builds a CIDFontType2 for UTF-8 text by looking up the glyph of every
 * one of the 65536 BMP code points (CIDFontType2_New), and its format-4 lookup
 * (HPDF_TTFontDef_GetGlyphid) walks the segments linearly. HarfBuzz writes one segment per
 * run of consecutive code points, so a subset with 400 scattered ideographs has ~350
 * segments and that loop alone costs ~6 ms per document. Here the cmap is rewritten with a
 * handful of segments that map whole clusters of code points through the glyph id array
 * (0 = no glyph for the gaps); the zeros compress to almost nothing in the PDF. */
#include "engine.h"

#include <string.h>

#include "../util/alloc.h"

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned get16(const unsigned char *p) { return (unsigned)(p[0] << 8 | p[1]); }

static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t sum = 0;
    size_t i = 0;
    for (; i + 4 <= len; i += 4)
        sum += get32(p + i);
    if (i < len) {
        unsigned char w[4] = {0, 0, 0, 0};
        memcpy(w, p + i, len - i);
        sum += get32(w);
    }
    return sum;
}

#define MAX_SEGS 48
#define MAX_ARRAY 30000      /* keeps the subtable under the 64 KiB format-4 limit */

/* Build the cmap table (one (3,1) format-4 subtable) into a new buffer. cps ascending.
 * NULL with *out_len 0: the code points are too scattered for a few segments. */
static unsigned char *build_cmap(const unsigned *cps, const uint16_t *gids, size_t n,
                                 size_t *out_len)
{
    *out_len = 0;
    unsigned start[MAX_SEGS + 1], end[MAX_SEGS + 1];
    size_t nseg = 0, total = 0;
    /* Merge code points into clusters while the gap between them is at most `gap`: the
     * smallest gap (fewest zeros in the array) that needs no more than MAX_SEGS segments. */
    bool found = false;
    for (unsigned gap = 128; gap <= 16384 && !found; gap *= 2) {
        nseg = 0;
        total = 0;
        bool ok = true;
        for (size_t i = 0; i < n && ok; i++) {
            if (nseg > 0 && cps[i] - end[nseg - 1] <= gap) {
                end[nseg - 1] = cps[i];
                continue;
            }
            if (nseg == MAX_SEGS) {
                ok = false;
            } else {
                start[nseg] = end[nseg] = cps[i];
                nseg++;
            }
        }
        for (size_t s = 0; ok && s < nseg; s++)
            total += end[s] - start[s] + 1;
        found = ok && total <= MAX_ARRAY;
    }
    if (!found)
        return NULL;            /* too scattered for a few segments */
    size_t segs = nseg + 1;                          /* + the final 0xFFFF segment */
    size_t sub_len = 16 + 8 * segs + 2 * total;
    size_t len = 4 + 8 + sub_len;
    unsigned char *t = vp_calloc(1, len);
    if (!t) {
        *out_len = 1;           /* out of memory, not "too scattered" */
        return NULL;
    }
    put16(t, 0);             /* version */
    put16(t + 2, 1);         /* one subtable */
    put16(t + 4, 3);         /* Windows */
    put16(t + 6, 1);         /* Unicode BMP */
    put32(t + 8, 12);
    unsigned char *s = t + 12;
    unsigned pow2 = 1, log2 = 0;
    while (pow2 * 2 <= segs) {
        pow2 *= 2;
        log2++;
    }
    put16(s, 4);
    put16(s + 2, (unsigned)sub_len);
    put16(s + 4, 0);
    put16(s + 6, (unsigned)(2 * segs));
    put16(s + 8, 2 * pow2);
    put16(s + 10, log2);
    put16(s + 12, (unsigned)(2 * segs - 2 * pow2));
    unsigned char *ends = s + 14, *starts = ends + 2 * segs + 2;
    unsigned char *deltas = starts + 2 * segs, *ranges = deltas + 2 * segs;
    unsigned char *array = ranges + 2 * segs;
    size_t at = 0, k = 0;
    for (size_t i = 0; i < nseg; i++) {
        put16(ends + 2 * i, end[i]);
        put16(starts + 2 * i, start[i]);
        put16(deltas + 2 * i, 0);
        /* bytes from this idRangeOffset entry to the segment's first array entry */
        put16(ranges + 2 * i, (unsigned)(2 * (segs - i) + 2 * at));
        for (; k < n && cps[k] <= end[i]; k++)
            put16(array + 2 * (at + cps[k] - start[i]), gids[k]);
        at += end[i] - start[i] + 1;
    }
    put16(ends + 2 * nseg, 0xFFFF);
    put16(starts + 2 * nseg, 0xFFFF);
    put16(deltas + 2 * nseg, 1);
    put16(ranges + 2 * nseg, 0);
    *out_len = len;
    return t;
}

int vp_sfnt_compact_cmap(const unsigned char *font, size_t len, const unsigned *cps,
                         const uint16_t *gids, size_t n, unsigned char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (len < 12)
        return VP_ERR_FONT;
    unsigned ntab = get16(font + 4);
    if (12 + 16 * (size_t)ntab > len)
        return VP_ERR_FONT;
    size_t cmap_len = 0;
    unsigned char *cmap = build_cmap(cps, gids, n, &cmap_len);
    if (!cmap)
        return cmap_len ? VP_ERR_NOMEM : VP_ERR_LIMIT;

    /* Tables in tag order (as the input, which is sorted), cmap replaced. */
    typedef struct tab { uint32_t tag; const unsigned char *data; size_t len; } tab;
    tab tabs[64];
    size_t nt = 0;
    bool have_cmap = false;
    for (unsigned i = 0; i < ntab && nt < 63; i++) {
        const unsigned char *rec = font + 12 + 16 * i;
        uint32_t tag = get32(rec), off = get32(rec + 8), tl = get32(rec + 12);
        if ((size_t)off + tl > len) {
            vp_free(cmap);
            return VP_ERR_FONT;
        }
        if (tag == HB_TAG('c', 'm', 'a', 'p')) {
            tabs[nt++] = (tab){tag, cmap, cmap_len};
            have_cmap = true;
        } else {
            tabs[nt++] = (tab){tag, font + off, tl};
        }
    }
    if (!have_cmap) {
        vp_free(cmap);
        return VP_ERR_FONT;
    }
    size_t total = 12 + 16 * nt;
    for (size_t i = 0; i < nt; i++)
        total += (tabs[i].len + 3) & ~(size_t)3;
    unsigned char *o = vp_calloc(1, total);
    if (!o) {
        vp_free(cmap);
        return VP_ERR_NOMEM;
    }
    memcpy(o, font, 4);                              /* sfnt version */
    unsigned pow2 = 1, log2 = 0;
    while (pow2 * 2 <= nt) {
        pow2 *= 2;
        log2++;
    }
    put16(o + 4, (unsigned)nt);
    put16(o + 6, 16 * pow2);
    put16(o + 8, log2);
    put16(o + 10, (unsigned)(16 * nt - 16 * pow2));
    size_t off = 12 + 16 * nt, head_off = 0;
    for (size_t i = 0; i < nt; i++) {
        unsigned char *rec = o + 12 + 16 * i;
        memcpy(o + off, tabs[i].data, tabs[i].len);
        if (tabs[i].tag == HB_TAG('h', 'e', 'a', 'd') && tabs[i].len >= 12) {
            head_off = off;
            put32(o + off + 8, 0);                   /* checkSumAdjustment, set below */
        }
        put32(rec, tabs[i].tag);
        put32(rec + 4, checksum(o + off, tabs[i].len));
        put32(rec + 8, (uint32_t)off);
        put32(rec + 12, (uint32_t)tabs[i].len);
        off += (tabs[i].len + 3) & ~(size_t)3;
    }
    if (head_off)
        put32(o + head_off + 8, 0xB1B0AFBAu - checksum(o, total));
    vp_free(cmap);
    *out = o;
    *out_len = total;
    return VP_OK;
}

bool vp_sfnt_find(const unsigned char *font, size_t len, unsigned index, uint32_t tag,
                  uint32_t *offset, uint32_t *length)
{
    size_t dir = 0;
    if (len >= 12 && get32(font) == 0x74746366u) {   /* 'ttcf': a collection */
        uint32_t n = get32(font + 8);
        if (index >= n || 12 + 4 * (size_t)(index + 1) > len)
            return false;
        dir = get32(font + 12 + 4 * index);
    } else if (index != 0) {
        return false;
    }
    if (dir + 12 > len)
        return false;
    unsigned ntab = get16(font + dir + 4);
    if (dir + 12 + 16 * (size_t)ntab > len)
        return false;
    for (unsigned i = 0; i < ntab; i++) {
        const unsigned char *rec = font + dir + 12 + 16 * i;
        if (get32(rec) != tag)
            continue;
        uint32_t off = get32(rec + 8), tl = get32(rec + 12);
        if ((size_t)off + tl > len || tl == 0)
            return false;
        if (offset)
            *offset = off;
        if (length)
            *length = tl;
        return true;
    }
    return false;
}
