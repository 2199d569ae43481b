/* deflate_shim.c — libharu's stream compression through libdeflate.
 *
 * Compressing the streams (the embedded font above all) is about a third of a PDF's
 * time, and libharu 2.3.0 always uses zlib at its default level. libdeflate (Debian
 * libdeflate-dev) produces the same zlib format about 3x faster and a few percent smaller
 * at the same level (measured here: 318 KB of a deck's streams, zlib-6 8.6 ms / 70,013
 * bytes, libdeflate-6 2.9 ms / 67,822 bytes).
 *
 * How: libharu calls deflateInit_(), deflate() and deflateEnd() through its PLT; the
 * definitions below take their place for the process. A stream started with
 * deflateInit_() — in this program only libharu's — collects its input and is compressed
 * in one go at Z_FINISH, then handed out in as many deflate() calls as the caller's
 * output buffer needs, exactly as zlib's contract says. Streams started any other way
 * (deflateInit2_: libxlsxwriter's zip writer, libpng) are not ours: every call on them goes
 * to zlib itself (dlsym RTLD_NEXT). The output is a valid zlib stream; readers cannot tell.
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
    unsigned char *in;
    size_t in_len, in_cap;
    unsigned char *out;
    size_t out_len, out_pos;
    int finished;
} shim_state;

typedef int (*init_fn)(z_streamp, int, const char *, int);
typedef int (*deflate_fn)(z_streamp, int);
typedef int (*end_fn)(z_streamp);

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static init_fn g_real_init;
static deflate_fn g_real_deflate;
static end_fn g_real_end;
static int g_disabled;

static void resolve(void)
{
    /* POSIX's way to turn dlsym's void * into a function pointer (ISO C has none). */
    void *p = dlsym(RTLD_NEXT, "deflateInit_");
    memcpy(&g_real_init, &p, sizeof p);
    p = dlsym(RTLD_NEXT, "deflate");
    memcpy(&g_real_deflate, &p, sizeof p);
    p = dlsym(RTLD_NEXT, "deflateEnd");
    memcpy(&g_real_end, &p, sizeof p);
    const char *env = getenv("VALUEPACK_ZLIB");
    g_disabled = (env && *env && strcmp(env, "0") != 0) || !g_real_init || !g_real_deflate ||
                 !g_real_end;
}

static shim_state *ours(z_streamp strm)
{
    shim_state *s = strm ? (shim_state *)(void *)strm->state : NULL;
    return s && s->magic == SHIM_MAGIC ? s : NULL;
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
    if (level == Z_DEFAULT_COMPRESSION)
        level = 6;
    if (level < 0 || level > 9)
        return Z_STREAM_ERROR;
    shim_state *s = calloc(1, sizeof *s);
    if (!s)
        return Z_MEM_ERROR;
    s->magic = SHIM_MAGIC;
    s->level = level;
    strm->state = (struct internal_state *)(void *)s;
    strm->total_in = strm->total_out = 0;
    strm->msg = NULL;
    strm->adler = 1;
    strm->data_type = Z_UNKNOWN;
    return Z_OK;
}

/* Compress everything collected into s->out (once). */
static int finish(shim_state *s)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(s->level);
    if (!c)
        return Z_MEM_ERROR;
    size_t bound = libdeflate_zlib_compress_bound(c, s->in_len);
    s->out = malloc(bound ? bound : 1);
    if (!s->out) {
        libdeflate_free_compressor(c);
        return Z_MEM_ERROR;
    }
    s->out_len = libdeflate_zlib_compress(c, s->in ? s->in : (const unsigned char *)"", s->in_len,
                                          s->out, bound);
    libdeflate_free_compressor(c);
    if (s->out_len == 0)
        return Z_BUF_ERROR;   /* cannot happen with a bound-sized buffer */
    s->finished = 1;
    free(s->in);
    s->in = NULL;
    s->in_len = s->in_cap = 0;
    return Z_OK;
}

int deflate(z_streamp strm, int flush)
{
    pthread_once(&g_once, resolve);
    shim_state *s = ours(strm);
    if (!s)
        return g_real_deflate ? g_real_deflate(strm, flush) : Z_STREAM_ERROR;
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
