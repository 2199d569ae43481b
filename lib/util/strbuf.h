/* strbuf.h — a growable NUL-terminated byte string.
 *
 * Errors are sticky: after a failed allocation every later append is a no-op and
 * vp_strbuf_failed() is true, so a long build can check once at the end. */
#ifndef VP_STRBUF_H
#define VP_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vp_strbuf {
    char *data;     /* NUL-terminated when len > 0 or after any append; may be NULL when empty */
    size_t len;
    size_t cap;
    bool failed;
} vp_strbuf;

#define VP_STRBUF_INIT {NULL, 0, 0, false}

void vp_strbuf_free(vp_strbuf *b);
/* Empty the string, keep the allocation. */
void vp_strbuf_clear(vp_strbuf *b);
bool vp_strbuf_append(vp_strbuf *b, const char *s, size_t n);
bool vp_strbuf_puts(vp_strbuf *b, const char *s);
bool vp_strbuf_putc(vp_strbuf *b, char c);
bool vp_strbuf_printf(vp_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append a code point as UTF-8. */
bool vp_strbuf_put_utf8(vp_strbuf *b, unsigned cp);
/* The contents ("" when empty); valid until the next change. */
const char *vp_strbuf_cstr(const vp_strbuf *b);
/* Hand the buffer to the caller (free with vp_free); the strbuf is left empty. */
char *vp_strbuf_detach(vp_strbuf *b);
static inline bool vp_strbuf_failed(const vp_strbuf *b) { return b->failed; }

#endif
