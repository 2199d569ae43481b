#include "jsonw.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vp_jsonw_init(vp_jsonw *w, vp_strbuf *out, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
}

static void newline(vp_jsonw *w)
{
    if (!w->pretty)
        return;
    vp_strbuf_putc(w->out, '\n');
    for (int i = 0; i < w->depth; i++)
        vp_strbuf_append(w->out, "  ", 2);
}

/* Before any value: a comma if needed, and the indentation (unless after a key). */
static void before_value(vp_jsonw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        if (w->need_comma[w->depth])
            vp_strbuf_putc(w->out, ',');
        newline(w);
    }
    if (w->depth < 64)
        w->need_comma[w->depth] = true;
}

static void open(vp_jsonw *w, char c)
{
    before_value(w);
    vp_strbuf_putc(w->out, c);
    w->depth++;
    if (w->depth < 64)
        w->need_comma[w->depth] = false;
}

static void close_(vp_jsonw *w, char c)
{
    bool had = w->depth < 64 && w->need_comma[w->depth];
    w->depth--;
    if (had)
        newline(w);
    vp_strbuf_putc(w->out, c);
}

void vp_jsonw_object_begin(vp_jsonw *w) { open(w, '{'); }
void vp_jsonw_object_end(vp_jsonw *w) { close_(w, '}'); }
void vp_jsonw_array_begin(vp_jsonw *w) { open(w, '['); }
void vp_jsonw_array_end(vp_jsonw *w) { close_(w, ']'); }

static void put_escaped(vp_strbuf *b, const char *s)
{
    vp_strbuf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': vp_strbuf_append(b, "\\\"", 2); break;
        case '\\': vp_strbuf_append(b, "\\\\", 2); break;
        case '\n': vp_strbuf_append(b, "\\n", 2); break;
        case '\r': vp_strbuf_append(b, "\\r", 2); break;
        case '\t': vp_strbuf_append(b, "\\t", 2); break;
        default:
            if (*p < 0x20)
                vp_strbuf_printf(b, "\\u%04x", *p);
            else
                vp_strbuf_putc(b, (char)*p);
        }
    }
    vp_strbuf_putc(b, '"');
}

void vp_jsonw_key(vp_jsonw *w, const char *key)
{
    before_value(w);
    put_escaped(w->out, key);
    vp_strbuf_append(w->out, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
    w->after_key = true;
}

void vp_jsonw_string(vp_jsonw *w, const char *s)
{
    if (!s) {
        vp_jsonw_null(w);
        return;
    }
    before_value(w);
    put_escaped(w->out, s);
}

void vp_jsonw_number(vp_jsonw *w, double v)
{
    if (!isfinite(v)) {
        vp_jsonw_null(w);
        return;
    }
    before_value(w);
    if (v == 0)
        v = 0.0;   /* no -0 */
    char buf[40];
    if (fabs(v) < 1e15 && v == nearbyint(v)) {
        snprintf(buf, sizeof buf, "%.0f", v);
    } else {
        /* 12 significant digits: more than any figure needs, and few enough that binary
         * noise (91.6 - 82 = 9.599999999999994) never reaches a reader. */
        snprintf(buf, sizeof buf, "%.12g", v);
        if (strcmp(buf, "-0") == 0)
            strcpy(buf, "0");
    }
    vp_strbuf_puts(w->out, buf);
}

void vp_jsonw_int(vp_jsonw *w, int64_t v)
{
    before_value(w);
    vp_strbuf_printf(w->out, "%" PRId64, v);
}

void vp_jsonw_bool(vp_jsonw *w, bool v)
{
    before_value(w);
    vp_strbuf_puts(w->out, v ? "true" : "false");
}

void vp_jsonw_null(vp_jsonw *w)
{
    before_value(w);
    vp_strbuf_puts(w->out, "null");
}

void vp_jsonw_kstring(vp_jsonw *w, const char *key, const char *s)
{
    vp_jsonw_key(w, key);
    vp_jsonw_string(w, s);
}

void vp_jsonw_knumber(vp_jsonw *w, const char *key, double v)
{
    vp_jsonw_key(w, key);
    vp_jsonw_number(w, v);
}

void vp_jsonw_kint(vp_jsonw *w, const char *key, int64_t v)
{
    vp_jsonw_key(w, key);
    vp_jsonw_int(w, v);
}

void vp_jsonw_kbool(vp_jsonw *w, const char *key, bool v)
{
    vp_jsonw_key(w, key);
    vp_jsonw_bool(w, v);
}

void vp_jsonw_knull(vp_jsonw *w, const char *key)
{
    vp_jsonw_key(w, key);
    vp_jsonw_null(w);
}

double vp_jsonw_canonical(double v)
{
    if (!isfinite(v) || (fabs(v) < 1e15 && v == nearbyint(v)))
        return v == 0 ? 0.0 : v;
    char buf[40];
    snprintf(buf, sizeof buf, "%.12g", v);
    return strtod(buf, NULL);
}

void vp_jsonw_money(vp_jsonw *w, double v)
{
    if (!isfinite(v)) {
        vp_jsonw_null(w);
        return;
    }
    before_value(w);
    char buf[48];
    snprintf(buf, sizeof buf, "%.2f", v == 0 ? 0.0 : v);
    char *dot = strchr(buf, '.');
    if (dot) {   /* 1200000.00 -> 1200000, 42500.50 -> 42500.5 */
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    vp_strbuf_puts(w->out, strcmp(buf, "-0") ? buf : "0");
}

void vp_jsonw_kmoney(vp_jsonw *w, const char *key, double v)
{
    vp_jsonw_key(w, key);
    vp_jsonw_money(w, v);
}
