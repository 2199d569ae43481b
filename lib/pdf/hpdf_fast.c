/* hpdf_fast.c — faster, equivalent versions of three libharu 2.3.0 helpers.
 *
 * Profiling a document's save (callgrind over tests/bench/vp-bench, README "Performance")
 * showed a third of libharu's own time in three exported helpers:
 *
 *   HPDF_MemCpy / HPDF_MemSet   byte-at-a-time loops, called for every stream and buffer
 *                                (the 128 KiB CIDToGIDMap of every CJK font among them);
 *   HPDF_TTFontDef_GetGlyphid   a linear scan of the cmap segments, called for each of
 *                                the 65,536 code points when libharu builds that map.
 *
 * It also fixes HPDF_MemStream_SeekFunc (below).
 *
 * libharu calls them through its PLT (or stores their address), so a definition here (linked into the program or
 * into libvaluepack.so ahead of libhpdf) takes their place for the whole process, the way
 * the gmtime() in lib/xlsx/appendix.c does for libxlsxwriter. Each returns exactly what the
 * original returns for every input libharu gives it (tests/unit/test_pdf_engine.c compares
 * them with the originals, found with dlsym(RTLD_NEXT), and the documents' bytes are
 * unchanged), so nothing but the time changes. Remove this file to go back to libharu's. */
#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <hpdf_list.h>
#include <hpdf_streams.h>
#include <string.h>

#include "engine.h"

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n);
void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n);
HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode);
HPDF_STATUS HPDF_MemStream_SeekFunc(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode);

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
    /* The original copies forward one byte at a time; for a destination overlapping the
     * source from above that smears bytes, which memmove would not: keep the loop then. */
    if (out > in && out < in + n) {
        while (n--)
            *out++ = *in++;
        return out;
    }
    memmove(out, in, n);
    return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
    memset(s, c, n);
    return (HPDF_BYTE *)s + n;
}

/* Format 4 cmap lookup: the first segment whose end is >= unicode, found by binary search
 * when the end codes ascend (they must, in a valid font, and do in the subsets lib/pdf
 * builds) and by the original linear scan otherwise. */
HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode)
{
    HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)fontdef->attr;
    const HPDF_TTF_CmapRange *cm = &attr->cmap;
    if (cm->format == 0)
        return cm->glyph_id_array[unicode & 0xFF];
    if (cm->seg_count_x2 == 0) {
        HPDF_SetError(fontdef->error, HPDF_TTF_INVALID_CMAP, 0);
        return 0;
    }
    HPDF_UINT seg_count = cm->seg_count_x2 / 2, i;
    const HPDF_UINT16 *end = cm->end_count;
    /* Sorted? Checking costs seg_count steps; the answer is cached per table, which is
     * immutable once parsed, with the segment found last: libharu asks for 0, 1, 2 ...
     * 65535 in turn, so the next answer is almost always that segment or the one after.
     * Thread-local: documents are saved on several threads. */
    static _Thread_local const HPDF_UINT16 *checked_table;
    static _Thread_local HPDF_UINT checked_count, last;
    static _Thread_local int sorted;
    if (checked_table != end || checked_count != seg_count) {
        sorted = 1;
        for (i = 1; i < seg_count && sorted; i++)
            if (end[i] < end[i - 1])
                sorted = 0;
        checked_table = end;
        checked_count = seg_count;
        last = 0;
    }
    if (sorted) {
        if (last < seg_count && end[last] >= unicode && (last == 0 || end[last - 1] < unicode)) {
            i = last;
        } else if (last + 1 < seg_count && end[last] < unicode && end[last + 1] >= unicode) {
            i = last + 1;
        } else {
            HPDF_UINT lo = 0, hi = seg_count;
            while (lo < hi) {
                HPDF_UINT mid = lo + (hi - lo) / 2;
                if (end[mid] < unicode)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            i = lo;
        }
        last = i;
    } else {
        for (i = 0; i < seg_count && unicode > end[i]; i++)
            ;
    }
    /* The original reads start_count[seg_count] when no segment matches (a font whose
     * last segment does not end at 0xFFFF); answer "no glyph" instead of reading past. */
    if (i >= seg_count || cm->start_count[i] > unicode)
        return 0;
    if (cm->id_range_offset[i] == 0)
        return (HPDF_UINT16)(unicode + cm->id_delta[i]);
    HPDF_UINT idx = cm->id_range_offset[i] / 2 + (HPDF_UINT)(unicode - cm->start_count[i]) -
                    (seg_count - i);
    if (idx >= cm->glyph_id_array_count)   /* the original's ">" reads one past the end */
        return 0;
    return (HPDF_UINT16)(cm->glyph_id_array[idx] + cm->id_delta[i]);
}

/* A bug fix rather than a speed-up: libharu's seek to exactly the end of a memory stream
 * whose size is a multiple of its 4 KiB block fails with HPDF_INVALID_OBJECT (0x1033), as
 * there is no block at that index. Writing the embedded font seeks there when its size
 * happens to land on a block boundary (about one document in a thousand: the fuzzers found
 * one, tests/fuzz/regressions/account/render-annual-font-seek.json), and the save fails.
 * Identical to libharu's except that this position is accepted: the read pointer is left
 * unset at the end, where libharu's read returns HPDF_STREAM_EOF with nothing read, as it
 * does at the end of any other stream, and a write there appends. */
HPDF_STATUS HPDF_MemStream_SeekFunc(HPDF_Stream stream, HPDF_INT pos, HPDF_WhenceMode mode)
{
    HPDF_MemStreamAttr attr = (HPDF_MemStreamAttr)stream->attr;
    if (mode == HPDF_SEEK_CUR) {
        pos += (HPDF_INT)(attr->r_ptr_idx * attr->buf_siz);
        pos += (HPDF_INT)attr->r_pos;
    } else if (mode == HPDF_SEEK_END) {
        pos = (HPDF_INT)stream->size - pos;
    }
    if (pos < 0 || pos > (HPDF_INT)stream->size)
        return HPDF_SetError(stream->error, HPDF_STREAM_EOF, 0);
    if (stream->size == 0)
        return HPDF_OK;
    attr->r_ptr_idx = (HPDF_UINT)pos / attr->buf_siz;
    attr->r_pos = (HPDF_UINT)pos % attr->buf_siz;
    attr->r_ptr = (HPDF_BYTE *)HPDF_List_ItemAt(attr->buf, attr->r_ptr_idx);
    if (attr->r_ptr == NULL) {
        if ((HPDF_UINT)pos == stream->size)
            return HPDF_OK;   /* the end, on a block boundary: no block yet */
        HPDF_SetError(stream->error, HPDF_INVALID_OBJECT, 0);
        return HPDF_INVALID_OBJECT;
    }
    attr->r_ptr += attr->r_pos;
    return HPDF_OK;
}

bool vp_hpdf_fast_linked(void)
{
    return true;
}
