/* test_hpdf_shims.c — lib/pdf/hpdf_fast.c and deflate_shim.c keep libharu's results.
 *
 * The fast helpers must return exactly what libharu's own return (compared with the
 * originals found by dlsym(RTLD_NEXT)), and the libdeflate-backed deflate must produce a
 * zlib or raw stream that inflates back to the input, in any chunking, also past the
 * 1 MiB where it hands a stream over to zlib. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_streams.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"

typedef HPDF_BYTE *(*memcpy_fn)(HPDF_BYTE *, const HPDF_BYTE *, HPDF_UINT);
typedef void *(*memset_fn)(void *, HPDF_BYTE, HPDF_UINT);
typedef HPDF_UINT16 (*glyph_fn)(HPDF_FontDef, HPDF_UINT16);

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n);
void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n);
HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef, HPDF_UINT16 unicode);

static void *next_symbol(const char *name)
{
    return dlsym(RTLD_NEXT, name);
}

static void test_memcpy_memset_match(void)
{
    void *p1 = next_symbol("HPDF_MemCpy"), *p2 = next_symbol("HPDF_MemSet");
    CHECK(p1 && p2);
    if (!p1 || !p2)
        return;
    memcpy_fn orig_cpy;
    memset_fn orig_set;
    memcpy(&orig_cpy, &p1, sizeof p1);
    memcpy(&orig_set, &p2, sizeof p2);
    memcpy_fn ours = HPDF_MemCpy;
    CHECK(memcmp(&orig_cpy, &ours, sizeof ours) != 0);   /* really the library's, not ours */
    unsigned char a[300], b[300];
    for (int n = 0; n < 200; n += 7) {
        for (int i = 0; i < 300; i++)
            a[i] = b[i] = (unsigned char)(i * 31 + n);
        /* plain copy */
        HPDF_BYTE *ra = HPDF_MemCpy(a + 100, a, (HPDF_UINT)n);
        HPDF_BYTE *rb = orig_cpy(b + 100, b, (HPDF_UINT)n);
        CHECK_EQ_INT(ra - a, rb - b);
        CHECK(memcmp(a, b, sizeof a) == 0);
        /* overlapping forward copy (the destination above the source) */
        ra = HPDF_MemCpy(a + 3, a, (HPDF_UINT)n);
        rb = orig_cpy(b + 3, b, (HPDF_UINT)n);
        CHECK_EQ_INT(ra - a, rb - b);
        CHECK(memcmp(a, b, sizeof a) == 0);
        /* memset */
        void *sa = HPDF_MemSet(a + 5, (HPDF_BYTE)n, (HPDF_UINT)n);
        void *sb = orig_set(b + 5, (HPDF_BYTE)n, (HPDF_UINT)n);
        CHECK_EQ_INT((unsigned char *)sa - a, (unsigned char *)sb - b);
        CHECK(memcmp(a, b, sizeof a) == 0);
    }
}

static void error_handler(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
    (void)e;
    (void)d;
    (void)u;
}

static void test_glyphid_matches_for_every_code_point(void)
{
    void *p = next_symbol("HPDF_TTFontDef_GetGlyphid");
    CHECK(p != NULL);
    if (!p)
        return;
    glyph_fn orig;
    memcpy(&orig, &p, sizeof p);
    const char *font = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
    HPDF_Doc pdf = HPDF_New(error_handler, NULL);
    CHECK(pdf != NULL);
    const char *name = pdf ? HPDF_LoadTTFontFromFile2(pdf, font, 0, HPDF_FALSE) : NULL;
    CHECK(name != NULL);
    HPDF_FontDef def = name ? HPDF_GetFontDef(pdf, name) : NULL;
    CHECK(def != NULL);
    if (def) {
        int differ = 0, found = 0;
        for (unsigned u = 0; u <= 0xFFFF; u++) {
            HPDF_UINT16 a = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)u);
            differ += a != orig(def, (HPDF_UINT16)u);
            found += a != 0;
        }
        CHECK_EQ_INT(differ, 0);
        CHECK(found > 20000);   /* the font covers CJK: the lookups really ran */
        /* in a different order too (the fast path caches the last segment) */
        for (long u = 0xFFFF; u >= 0; u -= 97)
            CHECK_EQ_INT(HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)u), orig(def, (HPDF_UINT16)u));
    }
    HPDF_Free(pdf);
}

/* Deflate `len` bytes in chunks of `in_chunk` with an output buffer of `out_chunk`, as
 * libharu does; return the compressed size (0 on error). */
static size_t shim_compress2(const unsigned char *src, size_t len, size_t in_chunk,
                             size_t out_chunk, unsigned char *dst, size_t cap, int window_bits)
{
    z_stream s;
    memset(&s, 0, sizeof s);
    if (deflateInit2(&s, 6, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    size_t used = 0, pos = 0;
    unsigned char *out = malloc(out_chunk);
    if (!out)
        return 0;
    while (pos < len) {
        size_t n = len - pos < in_chunk ? len - pos : in_chunk;
        s.next_in = (Bytef *)(uintptr_t)(src + pos);
        s.avail_in = (uInt)n;
        pos += n;
        while (s.avail_in) {
            s.next_out = out;
            s.avail_out = (uInt)out_chunk;
            if (deflate(&s, Z_NO_FLUSH) != Z_OK) {
                free(out);
                return 0;
            }
            size_t got = out_chunk - s.avail_out;
            if (used + got > cap) {
                free(out);
                return 0;
            }
            memcpy(dst + used, out, got);
            used += got;
        }
    }
    int rc;
    do {
        s.next_out = out;
        s.avail_out = (uInt)out_chunk;
        rc = deflate(&s, Z_FINISH);
        size_t got = out_chunk - s.avail_out;
        if ((rc != Z_OK && rc != Z_STREAM_END) || used + got > cap) {
            free(out);
            return 0;
        }
        memcpy(dst + used, out, got);
        used += got;
    } while (rc != Z_STREAM_END);
    if (s.total_in != len || s.total_out != used)
        used = 0;
    deflateEnd(&s);
    free(out);
    return used;
}

static size_t shim_compress(const unsigned char *src, size_t len, size_t in_chunk,
                            size_t out_chunk, unsigned char *dst, size_t cap)
{
    return shim_compress2(src, len, in_chunk, out_chunk, dst, cap, MAX_WBITS);
}

/* Inflate `n` bytes of zlib (window_bits 15) or raw (-15) data and compare with src. */
static bool round_trips(const unsigned char *src, size_t len, const unsigned char *z, size_t n,
                        int window_bits)
{
    unsigned char *back = malloc(len + 1);
    z_stream i;
    memset(&i, 0, sizeof i);
    bool ok = back && inflateInit2(&i, window_bits) == Z_OK;
    if (ok) {
        i.next_in = (Bytef *)(uintptr_t)z;
        i.avail_in = (uInt)n;
        i.next_out = back;
        i.avail_out = (uInt)len + 1;
        ok = inflate(&i, Z_FINISH) == Z_STREAM_END && i.total_out == len &&
             memcmp(back, src, len) == 0;
        inflateEnd(&i);
    }
    free(back);
    return ok;
}

/* A stream past the 1 MiB the shim holds (a big portfolio sheet) is handed to zlib midway:
 * the result is one valid stream of the whole input, in either format, whatever the
 * caller's input and output chunk sizes. */
static void test_deflate_shim_hand_over(void)
{
    size_t len = 3 * 1024 * 1024 + 12345;
    unsigned char *src = malloc(len), *dst = malloc(len);
    for (size_t i = 0; i < len; i++)
        src[i] = (unsigned char)((i * 7) % 251 < 40 ? i % 13 : 'a' + (i / 97) % 26);
    static const size_t chunks[][2] = {{4096, 4096}, {65536, 65536}, {65536, 100},
                                       {3 * 1024 * 1024 + 12345, 16384}, {1000, 3}};
    static const int formats[] = {MAX_WBITS, -MAX_WBITS};
    for (size_t f = 0; f < 2; f++)
        for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
            size_t n = shim_compress2(src, len, chunks[c][0], chunks[c][1], dst, len, formats[f]);
            if (!(n > 0 && n < len / 2 && round_trips(src, len, dst, n, formats[f])))
                CHECK_FAIL_AT(__FILE__, __LINE__, "format %d, chunks %zu/%zu: %zu bytes, no round trip",
                              formats[f], chunks[c][0], chunks[c][1], n);
        }
    /* The zlib format's adler-32 is that of the whole input. */
    z_stream s;
    memset(&s, 0, sizeof s);
    CHECK_EQ_INT(deflateInit(&s, 6), Z_OK);
    s.next_in = src;
    s.avail_in = (uInt)len;
    s.next_out = dst;
    s.avail_out = (uInt)len;
    CHECK_EQ_INT(deflate(&s, Z_FINISH), Z_STREAM_END);
    CHECK_EQ_INT(s.adler, adler32(adler32(0, NULL, 0), src, (uInt)len));
    CHECK_EQ_INT(s.total_in, len);
    deflateEnd(&s);
    free(src);
    free(dst);
}

static void test_deflate_shim_round_trip(void)
{
    size_t len = 200000;
    unsigned char *src = malloc(len), *dst = malloc(len * 2), *back = malloc(len);
    for (size_t i = 0; i < len; i++)
        src[i] = (unsigned char)((i * 7) % 251 < 40 ? i % 13 : 'a' + (i / 97) % 26);
    static const size_t chunks[][2] = {{4096, 4096}, {1, 7}, {65536, 100}, {200000, 4096}};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        size_t n = shim_compress(src, len, chunks[c][0], chunks[c][1], dst, len * 2);
        CHECK(n > 0 && n < len / 2);
        uLongf blen = (uLongf)len;
        CHECK_EQ_INT(uncompress(back, &blen, dst, (uLong)n), Z_OK);
        CHECK_EQ_INT(blen, len);
        CHECK(memcmp(src, back, len) == 0);
    }
    /* empty input */
    size_t n = shim_compress(src, 0, 4096, 4096, dst, len);
    uLongf blen = 10;
    CHECK(n > 0);
    CHECK_EQ_INT(uncompress(back, &blen, dst, (uLong)n), Z_OK);
    CHECK_EQ_INT(blen, 0);
    free(src);
    free(dst);
    free(back);
}

static void test_deflate_init2_raw_stream(void)
{
    /* A raw deflate stream (windowBits -15, as zip writers use) round-trips. */
    const char *text = "libxlsxwriter writes its parts with raw deflate streams";
    unsigned char out[256], back[256];
    z_stream s;
    memset(&s, 0, sizeof s);
    CHECK_EQ_INT(deflateInit2(&s, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    s.next_in = (Bytef *)(uintptr_t)text;
    s.avail_in = (uInt)strlen(text);
    s.next_out = out;
    s.avail_out = sizeof out;
    CHECK_EQ_INT(deflate(&s, Z_FINISH), Z_STREAM_END);
    size_t n = sizeof out - s.avail_out;
    CHECK_EQ_INT(deflateEnd(&s), Z_OK);
    z_stream i;
    memset(&i, 0, sizeof i);
    CHECK_EQ_INT(inflateInit2(&i, -15), Z_OK);
    i.next_in = out;
    i.avail_in = (uInt)n;
    i.next_out = back;
    i.avail_out = sizeof back;
    CHECK_EQ_INT(inflate(&i, Z_FINISH), Z_STREAM_END);
    CHECK_EQ_INT(sizeof back - i.avail_out, strlen(text));
    CHECK(memcmp(back, text, strlen(text)) == 0);
    inflateEnd(&i);
}

/* Seeking to the very end of a memory stream that fills whole 4 KiB blocks: libharu's
 * own seek fails (0x1033), which broke the save of some documents; ours accepts it, and a
 * read there is an empty end-of-stream as anywhere else. Elsewhere both agree. */
static void test_memstream_seek_to_block_end(void)
{
    HPDF_Doc pdf = HPDF_New(error_handler, NULL);
    CHECK(pdf != NULL);
    if (!pdf)
        return;
    HPDF_Stream st = HPDF_MemStream_New(pdf->mmgr, 0);
    CHECK(st != NULL);
    static HPDF_BYTE data[8192];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (HPDF_BYTE)i;
    CHECK_EQ_INT(HPDF_Stream_Write(st, data, sizeof data), HPDF_OK);
    CHECK_EQ_INT(st->size, 8192);
    CHECK_EQ_INT(HPDF_Stream_Seek(st, 8192, HPDF_SEEK_SET), HPDF_OK);
    CHECK_EQ_INT(HPDF_Stream_Tell(st), 8192);
    HPDF_BYTE b[16];
    HPDF_UINT n = sizeof b;
    CHECK_EQ_INT(HPDF_Stream_Read(st, b, &n), HPDF_STREAM_EOF);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(HPDF_Error_GetCode(&pdf->error), HPDF_NOERROR);
    /* inside the stream: the same as before */
    CHECK_EQ_INT(HPDF_Stream_Seek(st, 4100, HPDF_SEEK_SET), HPDF_OK);
    n = 4;
    CHECK_EQ_INT(HPDF_Stream_Read(st, b, &n), HPDF_OK);
    CHECK(n == 4 && b[0] == (HPDF_BYTE)4100 && b[3] == (HPDF_BYTE)4103);
    /* past the end: still an error */
    CHECK(HPDF_Stream_Seek(st, 8193, HPDF_SEEK_SET) != HPDF_OK);
    /* and libharu's own version really fails at the boundary (the bug is real) */
    void *p = next_symbol("HPDF_MemStream_SeekFunc");
    HPDF_Stream_Seek_Func orig;
    memcpy(&orig, &p, sizeof p);
    if (p) {
        HPDF_Error_Reset(&pdf->error);
        CHECK(orig(st, 8192, HPDF_SEEK_SET) != HPDF_OK);
    }
    HPDF_Stream_Free(st);
    HPDF_Free(pdf);
}

int main(void)
{
    RUN(test_memcpy_memset_match);
    RUN(test_glyphid_matches_for_every_code_point);
    RUN(test_deflate_shim_round_trip);
    RUN(test_deflate_init2_raw_stream);
    RUN(test_deflate_shim_hand_over);
    RUN(test_memstream_seek_to_block_end);
    return check_summary();
}
