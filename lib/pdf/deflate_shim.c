/* deflate_shim.c — libharu's and libxlsxwriter's compression through libdeflate.
 *
 * Compressing is about a third of a document's time: libharu 2.3.0 deflates every PDF
 * stream (the embedded font above all) and libxlsxwriter's zip writer every XML part, both
 * with zlib at its default level. libdeflate (Debian libdeflate-dev) produces the same
 * formats about 3x faster and a few percent smaller at the same level (measured here: 318 KB
 * of a deck's streams, zlib-6 8.6 ms / 70,013 bytes, libdeflate-6 2.9 ms / 67,822 bytes).
 *
 * How: both libraries call deflateInit_() / deflateInit2_(), deflate() and deflateEnd()
 * through their PLT; the definitions below take their place for the process. A stream
 * in the zlib or raw deflate format with the default strategy collects its input and is
 * compressed in one go at Z_FINISH, then handed out in as many deflate() calls as the
 * caller's output buffer needs, as zlib's contract says (total_in/total_out kept, Z_OK
 * until the last byte, then Z_STREAM_END). Any other stream (gzip, another strategy) is not
 * ours: every call on it goes to zlib itself (dlsym RTLD_NEXT). Readers cannot tell.
 * The cost: a stream's input is held in memory until it is finished. A document's parts
 * are a few hundred KB at most, but the accounts sheet of a 10,000-account portfolio.xlsx
 * is 7 MB: holding it (and its compressed copy) cost batch 15 MB of peak memory. So a
 * stream whose input passes VP_SHIM_MAX_HELD (1 MiB) is handed to zlib: a real zlib
 * stream is opened with the same parameters, fed what was held so far, and does the rest
 * incrementally; memory per stream stays bounded whatever its size (at most 1 MiB of
 * input, its compressed copy and libdeflate's compressor, ~2.5 MB, or zlib's ~270 KB).
 *
 * VALUEPACK_ZLIB=1 in the environment turns the shim off (everything goes to zlib), which
 * tests/bench uses to measure both in one run. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "engine.h"

#define SHIM_MAGIC 0x7670646566736872ull   /* first word of our state; zlib's is a pointer */

typedef struct shim_state {
    uint64_t magic;
    int level;
    int raw;                      /* raw deflate (zip entries), else the zlib format */
    unsigned char *in;
    size_t in_len, in_cap;
    int window_bits, mem_level;   /* as given at init, for a hand-over to zlib */
    unsigned char *out;
    size_t out_len, out_pos;
    int finished;
    z_stream *zs;                 /* after a hand-over: zlib's stream doing the work... */
    size_t in_pos;                /* ...and how much of `in` it has been fed */
} shim_state;

#define VP_SHIM_MAX_HELD (1u << 20)

typedef int (*init_fn)(z_streamp, int, const char *, int);
typedef int (*init2_fn)(z_streamp, int, int, int, int, int, const char *, int);
typedef int (*deflate_fn)(z_streamp, int);
typedef int (*end_fn)(z_streamp);

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static init_fn g_real_init;
static init2_fn g_real_init2;
static deflate_fn g_real_deflate;
static end_fn g_real_end;
static int g_disabled;

static void resolve(void)
{
    /* POSIX's way to turn dlsym's void * into a function pointer (ISO C has none). */
    void *p = dlsym(RTLD_NEXT, "deflateInit_");
    memcpy(&g_real_init, &p, sizeof p);
    p = dlsym(RTLD_NEXT, "deflateInit2_");
    memcpy(&g_real_init2, &p, sizeof p);
    p = dlsym(RTLD_NEXT, "deflate");
    memcpy(&g_real_deflate, &p, sizeof p);
    p = dlsym(RTLD_NEXT, "deflateEnd");
    memcpy(&g_real_end, &p, sizeof p);
    const char *env = getenv("VALUEPACK_ZLIB");
    g_disabled = (env && *env && strcmp(env, "0") != 0) || !g_real_init || !g_real_init2 ||
                 !g_real_deflate || !g_real_end;
}

static shim_state *ours(z_streamp strm)
{
    shim_state *s = strm ? (shim_state *)(void *)strm->state : NULL;
    return s && s->magic == SHIM_MAGIC ? s : NULL;
}

/* Start one of our streams (format checks done by the callers). */
static int start(z_streamp strm, int level, int raw, int window_bits, int mem_level)
{
    if (level == Z_DEFAULT_COMPRESSION)
        level = 6;
    if (level < 0 || level > 9)
        return Z_STREAM_ERROR;
    shim_state *s = calloc(1, sizeof *s);
    if (!s)
        return Z_MEM_ERROR;
    s->magic = SHIM_MAGIC;
    s->level = level;
    s->raw = raw;
    s->window_bits = window_bits;
    s->mem_level = mem_level;
    strm->state = (struct internal_state *)(void *)s;
    strm->total_in = strm->total_out = 0;
    strm->msg = NULL;
    strm->adler = raw ? 0 : 1;
    strm->data_type = Z_UNKNOWN;
    return Z_OK;
}

int deflateInit_(z_streamp strm, int level, const char *version, int stream_size)
{
    pthread_once(&g_once, resolve);
    if (g_disabled)
        return g_real_init ? g_real_init(strm, level, version, stream_size) : Z_VERSION_ERROR;
    if (!strm)
        return Z_STREAM_ERROR;
    if (!version || version[0] != ZLIB_VERSION[0] || stream_size != (int)sizeof(z_stream))
        return Z_VERSION_ERROR;
    return start(strm, level, 0, MAX_WBITS, 8);
}

/* deflateInit2_: zip writers (libxlsxwriter's minizip) open raw streams (windowBits -15).
 * Raw and zlib-format streams with the default strategy are ours; gzip streams and other
 * strategies go to zlib. */
int deflateInit2_(z_streamp strm, int level, int method, int window_bits, int mem_level,
                  int strategy, const char *version, int stream_size)
{
    pthread_once(&g_once, resolve);
    bool mine = !g_disabled && strm && method == Z_DEFLATED && strategy == Z_DEFAULT_STRATEGY &&
                ((window_bits >= -15 && window_bits <= -8) || (window_bits >= 8 && window_bits <= 15)) &&
                mem_level >= 1 && mem_level <= 9 && version && version[0] == ZLIB_VERSION[0] &&
                stream_size == (int)sizeof(z_stream);
    if (!mine)
        return g_real_init2 ? g_real_init2(strm, level, method, window_bits, mem_level, strategy,
                                           version, stream_size)
                            : Z_VERSION_ERROR;
    return start(strm, level, window_bits < 0, window_bits, mem_level);
}

/* Compress everything collected into s->out (once). */
static int finish(shim_state *s)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(s->level);
    if (!c)
        return Z_MEM_ERROR;
    size_t bound = s->raw ? libdeflate_deflate_compress_bound(c, s->in_len)
                          : libdeflate_zlib_compress_bound(c, s->in_len);
    s->out = malloc(bound ? bound : 1);
    if (!s->out) {
        libdeflate_free_compressor(c);
        return Z_MEM_ERROR;
    }
    const unsigned char *in = s->in ? s->in : (const unsigned char *)"";
    s->out_len = s->raw ? libdeflate_deflate_compress(c, in, s->in_len, s->out, bound)
                        : libdeflate_zlib_compress(c, in, s->in_len, s->out, bound);
    libdeflate_free_compressor(c);
    if (s->out_len == 0)
        return Z_BUF_ERROR;   /* cannot happen with a bound-sized buffer */

    s->finished = 1;
    free(s->in);
    s->in = NULL;
    s->in_len = s->in_cap = 0;
    return Z_OK;
}

/* Open zlib's stream for a stream grown past VP_SHIM_MAX_HELD. */
static int hand_over(shim_state *s)
{
    s->zs = calloc(1, sizeof *s->zs);
    if (!s->zs)
        return Z_MEM_ERROR;
    int rc = g_real_init2(s->zs, s->level, Z_DEFLATED, s->window_bits, s->mem_level,
                          Z_DEFAULT_STRATEGY, ZLIB_VERSION, (int)sizeof(z_stream));
    if (rc != Z_OK) {
        free(s->zs);
        s->zs = NULL;
    }
    return rc;
}

/* deflate() once zlib does the work: first feed it what was held (counted in total_in
 * already), then the caller's input. Each call consumes input or fills the output, as
 * zlib's own does, so callers' loops behave the same. */
static int deflate_handed_over(z_streamp strm, shim_state *s, int flush)
{
    z_stream *zs = s->zs;
    int rc = Z_OK;
    zs->next_out = strm->next_out;
    zs->avail_out = strm->avail_out;
    uLong out_before = zs->total_out;
    while (s->in_pos < s->in_len && zs->avail_out > 0) {
        zs->next_in = s->in + s->in_pos;
        zs->avail_in = (uInt)(s->in_len - s->in_pos);
        rc = g_real_deflate(zs, Z_NO_FLUSH);
        s->in_pos = s->in_len - zs->avail_in;
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            goto out;
        rc = Z_OK;
    }
    if (s->in_pos == s->in_len && s->in) {
        free(s->in);
        s->in = NULL;
        s->in_len = s->in_cap = s->in_pos = 0;
    }
    if (!s->in && zs->avail_out > 0) {
        zs->next_in = strm->next_in;
        zs->avail_in = strm->avail_in;
        rc = g_real_deflate(zs, flush);
        strm->total_in += strm->avail_in - zs->avail_in;
        strm->next_in = zs->next_in;
        strm->avail_in = zs->avail_in;
    }   /* else the output is full: the caller empties it and calls again */
out:
    strm->total_out += zs->total_out - out_before;
    strm->next_out = zs->next_out;
    strm->avail_out = zs->avail_out;
    if (!s->raw)
        strm->adler = zs->adler;
    return rc;
}

int deflate(z_streamp strm, int flush)
{
    pthread_once(&g_once, resolve);
    shim_state *s = ours(strm);
    if (!s)
        return g_real_deflate ? g_real_deflate(strm, flush) : Z_STREAM_ERROR;
    if (s->zs)
        return deflate_handed_over(strm, s, flush);
    if (strm->avail_in && !s->finished && s->in_len + strm->avail_in > VP_SHIM_MAX_HELD) {
        int rc = hand_over(s);
        if (rc != Z_OK)
            return rc;
        return deflate_handed_over(strm, s, flush);
    }
    if (strm->avail_in) {
        if (s->finished || !strm->next_in)
            return Z_STREAM_ERROR;   /* input after Z_FINISH */
        size_t need = s->in_len + strm->avail_in;
        if (need > s->in_cap) {
            size_t cap = s->in_cap ? s->in_cap : 64 * 1024;
            while (cap < need)
                cap *= 2;
            unsigned char *p = realloc(s->in, cap);
            if (!p)
                return Z_MEM_ERROR;
            s->in = p;
            s->in_cap = cap;
        }
        memcpy(s->in + s->in_len, strm->next_in, strm->avail_in);
        s->in_len += strm->avail_in;
        strm->total_in += strm->avail_in;
        strm->next_in += strm->avail_in;
        strm->avail_in = 0;
    }
    if (flush != Z_FINISH)
        return Z_OK;
    if (!s->finished) {
        int rc = finish(s);
        if (rc != Z_OK)
            return rc;
    }
    size_t n = s->out_len - s->out_pos;
    if (n > strm->avail_out)
        n = strm->avail_out;
    if (n) {
        memcpy(strm->next_out, s->out + s->out_pos, n);
        s->out_pos += n;
        strm->next_out += n;
        strm->avail_out -= (uInt)n;
        strm->total_out += n;
    }
    return s->out_pos == s->out_len ? Z_STREAM_END : Z_OK;
}

int deflateEnd(z_streamp strm)
{
    pthread_once(&g_once, resolve);
    shim_state *s = ours(strm);
    if (!s)
        return g_real_end ? g_real_end(strm) : Z_STREAM_ERROR;
    if (s->zs) {
        g_real_end(s->zs);
        free(s->zs);
    }
    free(s->in);
    free(s->out);
    s->magic = 0;
    free(s);
    strm->state = NULL;
    return Z_OK;
}

bool vp_deflate_shim_active(void)
{
    pthread_once(&g_once, resolve);
    return !g_disabled;
}
