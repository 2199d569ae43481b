#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "utf8.h"

void vp_strbuf_free(vp_strbuf *b)
{
    vp_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

void vp_strbuf_clear(vp_strbuf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data)
        b->data[0] = '\0';
}

static bool grow(vp_strbuf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap && b->data)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > ((size_t)-1) / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *p = vp_realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

bool vp_strbuf_append(vp_strbuf *b, const char *s, size_t n)
{
    if (!grow(b, n))
        return false;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool vp_strbuf_puts(vp_strbuf *b, const char *s) { return vp_strbuf_append(b, s, strlen(s)); }
bool vp_strbuf_putc(vp_strbuf *b, char c) { return vp_strbuf_append(b, &c, 1); }

bool vp_strbuf_printf(vp_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !grow(b, (size_t)n)) {
        b->failed = true;
        return false;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

bool vp_strbuf_put_utf8(vp_strbuf *b, unsigned cp)
{
    char tmp[4];
    size_t n = vp_utf8_encode(cp, tmp);
    return vp_strbuf_append(b, tmp, n);
}

const char *vp_strbuf_cstr(const vp_strbuf *b) { return b->data && b->len ? b->data : ""; }

char *vp_strbuf_detach(vp_strbuf *b)
{
    if (b->failed) {
        vp_strbuf_free(b);
        return NULL;
    }
    if (!b->data && !grow(b, 0))
        return NULL;
    b->data[b->len] = '\0';
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
