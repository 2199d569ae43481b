/* json.c — a strict JSON reader that keeps the position of every value (see json.h). */
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"
#include "../util/utf8.h"

/* One open array or object, for the JSON path of a problem. */
typedef struct frame {
    bool is_object;
    bool active;            /* a member key / item index is current */
    const char *key;        /* the current member (objects) */
    size_t index;           /* the current item (arrays) */
} frame;

typedef struct parser {
    vp_json_doc *doc;
    const unsigned char *s;
    size_t len, pos;
    vp_json_limits lim;
    vp_json *stack;         /* scratch: items of the open containers, innermost last */
    size_t top, cap;
    frame *frames;
    size_t depth;
    int status;             /* VP_OK or VP_ERR_INVALID (problems that keep the structure) */
    bool failed;            /* a fatal problem was reported: stop */
    vp_strbuf sb;           /* decoding buffer for strings */
} parser;

/* ---- positions and paths ------------------------------------------------------------ */

void vp_json_position(vp_json_doc *doc, size_t offset, int *line, int *column)
{
    if (offset > doc->len)
        offset = doc->len;
    if (offset < doc->body)
        offset = doc->body;
    if (doc->pos_line == 0 || offset < doc->pos_off) {
        doc->pos_off = doc->body;
        doc->pos_line = 1;
        doc->pos_col = 1;
    }
    const unsigned char *s = (const unsigned char *)doc->text;
    size_t i = doc->pos_off;
    int ln = doc->pos_line, col = doc->pos_col;
    for (; i < offset; i++) {
        if (s[i] == '\n') {
            ln++;
            col = 1;
        } else if ((s[i] & 0xC0) != 0x80) {     /* each code point starts one column */
            col++;
        }
    }
    doc->pos_off = offset;
    doc->pos_line = ln;
    doc->pos_col = col;
    *line = ln;
    *column = col;
}

static bool key_is_plain(const char *key)
{
    if (!*key)
        return false;
    for (const unsigned char *k = (const unsigned char *)key; *k; k++)
        if (*k <= 0x20 || *k == 0x7F || strchr(".[]\"\\", *k))
            return false;
    return true;
}

void vp_json_path_key(vp_strbuf *path, const char *key)
{
    if (key_is_plain(key)) {
        if (path->len)
            vp_strbuf_putc(path, '.');
        vp_strbuf_puts(path, key);
        return;
    }
    vp_strbuf_puts(path, "[\"");
    for (const unsigned char *k = (const unsigned char *)key; *k; k++) {
        if (*k == '"' || *k == '\\')
            vp_strbuf_printf(path, "\\%c", *k);
        else if (*k < 0x20 || *k == 0x7F)
            vp_strbuf_printf(path, "\\u%04x", *k);
        else
            vp_strbuf_putc(path, (char)*k);
    }
    vp_strbuf_puts(path, "\"]");
}

void vp_json_path_index(vp_strbuf *path, size_t index)
{
    vp_strbuf_printf(path, "[%zu]", index);
}

/* Up to `max` code points of s[0..n) into buf, control characters shown as spaces; true
 * when shortened. */
static bool put_excerpt(vp_strbuf *b, const char *s, size_t n, size_t max)
{
    size_t cps = 0, i = 0;
    while (i < n) {
        size_t clen = 1;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            vp_utf8_decode(s + i, n - i, &clen);
        if (cps == max)
            return true;
        if (c < 0x20 || c == 0x7F)
            vp_strbuf_putc(b, ' ');
        else
            vp_strbuf_append(b, s + i, clen);
        i += clen;
        cps++;
    }
    return false;
}

void vp_json_describe(const vp_json_doc *doc, const vp_json *v, char *buf, size_t size)
{
    vp_strbuf b = VP_STRBUF_INIT;
    switch (v->type) {
    case VP_JSON_NULL: vp_strbuf_puts(&b, "null"); break;
    case VP_JSON_TRUE: vp_strbuf_puts(&b, "true"); break;
    case VP_JSON_FALSE: vp_strbuf_puts(&b, "false"); break;
    case VP_JSON_OBJECT: vp_strbuf_puts(&b, "an object"); break;
    case VP_JSON_ARRAY: vp_strbuf_puts(&b, "an array"); break;
    case VP_JSON_NUMBER:
        if (put_excerpt(&b, doc->text + v->offset, v->len, 40))
            vp_strbuf_puts(&b, "\u2026");
        break;
    case VP_JSON_STRING:
        vp_strbuf_putc(&b, '"');
        if (put_excerpt(&b, v->u.string, v->len, 40))
            vp_strbuf_puts(&b, "\u2026");
        vp_strbuf_putc(&b, '"');
        break;
    default: vp_strbuf_puts(&b, "a value"); break;
    }
    snprintf(buf, size, "%s", vp_strbuf_failed(&b) ? "a value" : vp_strbuf_cstr(&b));
    vp_strbuf_free(&b);
}

/* ---- problems ----------------------------------------------------------------------- */

static void build_path(const parser *p, vp_strbuf *path)
{
    for (size_t i = 0; i < p->depth; i++) {
        const frame *f = &p->frames[i];
        if (!f->active)
            break;
        if (f->is_object)
            vp_json_path_key(path, f->key);
        else
            vp_json_path_index(path, f->index);
    }
}

__attribute__((format(printf, 3, 0)))
static void report(parser *p, size_t off, const char *fmt, va_list ap)
{
    vp_json_doc *doc = p->doc;
    if (!doc->diag)
        return;
    int line = 0, col = 0;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (vp_diag_count(doc->diag) >= VP_DIAG_MAX) {      /* only counted: skip the work */
        vp_diag_add(doc->diag, VP_SEV_ERROR, doc->file, NULL, 0, 0, "%s", msg);
        return;
    }
    vp_strbuf path = VP_STRBUF_INIT;
    build_path(p, &path);
    vp_json_position(doc, off, &line, &col);
    vp_diag_add(doc->diag, VP_SEV_ERROR, doc->file, vp_strbuf_cstr(&path), line, col, "%s", msg);
    vp_strbuf_free(&path);
}

/* A problem that stops the reading (status is VP_ERR_PARSE or VP_ERR_LIMIT). */
__attribute__((format(printf, 4, 5)))
static bool fatal(parser *p, int status, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(p, off, fmt, ap);
    va_end(ap);
    p->failed = true;
    p->status = status;
    return false;
}

/* A problem in well-formed JSON: reported, and the reading goes on. */
__attribute__((format(printf, 3, 4)))
static void invalid(parser *p, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(p, off, fmt, ap);
    va_end(ap);
    if (p->status == VP_OK)
        p->status = VP_ERR_INVALID;
}

static bool nomem(parser *p)
{
    p->failed = true;
    p->status = VP_ERR_NOMEM;
    return false;
}

/* What is at the current position, for "expected X, got <this>". */
static const char *got(const parser *p, char *buf, size_t size)
{
    if (p->pos >= p->len)
        return "the end of the file";
    unsigned char c = p->s[p->pos];
    if (c < 0x20 || c == 0x7F) {
        snprintf(buf, size, "the control character U+%04X", c);
    } else if (c < 0x80) {
        snprintf(buf, size, "'%c'", c);
    } else {
        size_t n;
        vp_utf8_decode((const char *)p->s + p->pos, p->len - p->pos, &n);
        snprintf(buf, size, "'%.*s'", (int)n, (const char *)p->s + p->pos);
    }
    return buf;
}

/* ---- the reader --------------------------------------------------------------------- */

static void skip_ws(parser *p)
{
    while (p->pos < p->len) {
        unsigned char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static bool push(parser *p, const vp_json *v)
{
    if (p->top == p->cap) {
        size_t ncap = p->cap ? p->cap * 2 : 256;
        vp_json *ns = vp_realloc(p->stack, ncap * sizeof *ns);
        if (!ns)
            return nomem(p);
        p->stack = ns;
        p->cap = ncap;
    }
    p->stack[p->top++] = *v;
    return true;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Four hex digits at s[at..]; -1 when malformed. */
static long hex4(const parser *p, size_t at)
{
    if (at + 4 > p->len)
        return -1;
    long v = 0;
    for (size_t i = 0; i < 4; i++) {
        int h = hexval(p->s[at + i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* A string at p->pos (its opening quote) decoded into the arena. */
static bool parse_string(parser *p, const char **out, uint32_t *out_len, bool is_key)
{
    size_t start = p->pos;
    vp_strbuf *b = &p->sb;
    vp_strbuf_clear(b);
    p->pos++;
    for (;;) {
        if (p->pos >= p->len)
            return fatal(p, VP_ERR_PARSE, start,
                         "unterminated string, expected a closing '\"' before the end of the file");
        unsigned char c = p->s[p->pos];
        if (c == '"') {
            p->pos++;
            break;
        }
        if (c == '\\') {
            size_t esc = p->pos;
            if (p->pos + 1 >= p->len)
                return fatal(p, VP_ERR_PARSE, start,
                             "unterminated string, expected a closing '\"' before the end of the file");
            unsigned char e = p->s[p->pos + 1];
            p->pos += 2;
            switch (e) {
            case '"': vp_strbuf_putc(b, '"'); break;
            case '\\': vp_strbuf_putc(b, '\\'); break;
            case '/': vp_strbuf_putc(b, '/'); break;
            case 'b': vp_strbuf_putc(b, '\b'); break;
            case 'f': vp_strbuf_putc(b, '\f'); break;
            case 'n': vp_strbuf_putc(b, '\n'); break;
            case 'r': vp_strbuf_putc(b, '\r'); break;
            case 't': vp_strbuf_putc(b, '\t'); break;
            case 'u': {
                long cp = hex4(p, p->pos);
                if (cp < 0)
                    return fatal(p, VP_ERR_PARSE, esc,
                                 "invalid \\u escape in a string, expected \\u and 4 hex digits");
                p->pos += 4;
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return fatal(p, VP_ERR_PARSE, esc,
                                 "lone UTF-16 surrogate \\u%04lX in a string, expected a high "
                                 "surrogate first, as in \\uD83D\\uDE00", cp);
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    long lo = p->pos + 1 < p->len && p->s[p->pos] == '\\' &&
                                      p->s[p->pos + 1] == 'u'
                                  ? hex4(p, p->pos + 2) : -1;
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        return fatal(p, VP_ERR_PARSE, esc,
                                     "lone UTF-16 surrogate \\u%04lX in a string, expected a "
                                     "pair such as \\uD83D\\uDE00", cp);
                    p->pos += 6;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                if (cp == 0)
                    invalid(p, esc, "%s contains a NUL character (\\u0000), expected text "
                            "without NUL", is_key ? "field name" : "string");
                vp_strbuf_put_utf8(b, (unsigned)cp);
                break;
            }
            default: {
                char g[32];
                p->pos -= 1;
                return fatal(p, VP_ERR_PARSE, esc,
                             "invalid escape '\\' followed by %s in a string, expected one of "
                             "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", got(p, g, sizeof g));
            }
            }
        } else if (c < 0x20) {
            if (c == '\n' || c == '\r')
                return fatal(p, VP_ERR_PARSE, start,
                             "unterminated string: a line break comes before its closing '\"' "
                             "(write a line break inside a string as \\n)");
            return fatal(p, VP_ERR_PARSE, p->pos,
                         "control character U+%04X inside a string, expected it escaped "
                         "(\\t for a tab, \\u%04X otherwise)", c, c);
        } else if (c < 0x80) {
            /* A run of plain ASCII: append it in one go. */
            size_t run = p->pos + 1;
            while (run < p->len && p->s[run] >= 0x20 && p->s[run] < 0x80 && p->s[run] != '"' &&
                   p->s[run] != '\\')
                run++;
            vp_strbuf_append(b, (const char *)p->s + p->pos, run - p->pos);
            p->pos = run;
        } else {
            size_t n;
            if (vp_utf8_decode((const char *)p->s + p->pos, p->len - p->pos, &n) ==
                VP_UTF8_INVALID)
                return fatal(p, VP_ERR_PARSE, p->pos,
                             "invalid UTF-8 (byte 0x%02X), expected UTF-8 text: save the file "
                             "with the UTF-8 encoding", c);
            vp_strbuf_append(b, (const char *)p->s + p->pos, n);
            p->pos += n;
        }
        if (b->len > p->lim.max_string)
            return fatal(p, VP_ERR_LIMIT, start,
                         "%s is longer than the limit of %zu bytes",
                         is_key ? "field name" : "text", p->lim.max_string);
    }
    if (vp_strbuf_failed(b))
        return nomem(p);
    char *copy = vp_arena_strndup(&p->doc->arena, b->data ? b->data : "", b->len);
    if (!copy)
        return nomem(p);
    *out = copy;
    *out_len = (uint32_t)b->len;
    return true;
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static bool parse_number(parser *p, vp_json *out)
{
    size_t start = p->pos, i = p->pos;
    const unsigned char *s = p->s;
    const char *why = NULL;
    if (i < p->len && s[i] == '-')
        i++;
    if (i >= p->len || !is_digit(s[i])) {
        why = "a digit after '-'";
    } else if (s[i] == '0' && i + 1 < p->len && is_digit(s[i + 1])) {
        why = "no leading zeros (write 12, not 012)";
    } else {
        while (i < p->len && is_digit(s[i]))
            i++;
        if (i < p->len && s[i] == '.') {
            i++;
            if (i >= p->len || !is_digit(s[i]))
                why = "a digit after the decimal point";
            while (i < p->len && is_digit(s[i]))
                i++;
        }
        if (!why && i < p->len && (s[i] == 'e' || s[i] == 'E')) {
            i++;
            if (i < p->len && (s[i] == '+' || s[i] == '-'))
                i++;
            if (i >= p->len || !is_digit(s[i]))
                why = "a digit in the exponent";
            while (i < p->len && is_digit(s[i]))
                i++;
        }
    }
    if (why) {
        size_t end = i;
        while (end < p->len && end - start < 40 &&
               (is_digit(s[end]) || strchr("+-.eE", s[end]) != NULL) && s[end])
            end++;
        if (end == start)
            end = start + 1;
        return fatal(p, VP_ERR_PARSE, start, "invalid number '%.*s', expected %s",
                     (int)(end - start), (const char *)s + start, why);
    }
    size_t n = i - start;
    char small[64];
    char *tmp = n < sizeof small ? small : vp_malloc(n + 1);
    if (!tmp)
        return nomem(p);
    memcpy(tmp, s + start, n);
    tmp[n] = '\0';
    char *end = NULL;
    errno = 0;
    double d = strtod(tmp, &end);
    bool whole = end == tmp + n;
    bool range = errno == ERANGE && isinf(d);
    if (tmp != small)
        vp_free(tmp);
    out->type = VP_JSON_NUMBER;
    out->offset = (uint32_t)start;
    out->len = (uint32_t)n;
    out->u.number = d;
    p->pos = i;
    if (!whole)   /* only when LC_NUMERIC is not "C" (see DEPENDENCIES.md) */
        return fatal(p, VP_ERR_PARSE, start,
                     "cannot read the number '%.*s' (LC_NUMERIC is not the C locale)",
                     (int)n, (const char *)s + start);
    if (range)
        invalid(p, start, "number %.*s is out of range, expected a finite number", (int)(n > 40 ? 40 : n),
                (const char *)s + start);
    return true;
}

static bool parse_value(parser *p, vp_json *out);

/* Close the container whose items start at stack[start]: move them to the arena. */
static bool close_container(parser *p, size_t start, vp_json *out)
{
    size_t n = p->top - start;
    out->len = (uint32_t)n;
    out->u.items = NULL;
    if (n) {
        vp_json *items = vp_arena_calloc(&p->doc->arena, n, sizeof *items);
        if (!items)
            return nomem(p);
        memcpy(items, p->stack + start, n * sizeof *items);
        out->u.items = items;
    }
    p->top = start;
    return true;
}

/* Start reading the array or object whose bracket is at p->pos: its new frame (NULL after
 * an error past the depth limit), the bracket and any space after it skipped. *empty tells
 * whether the closing bracket follows at once (it is skipped too). */
static frame *open_container(parser *p, vp_json *out, bool is_object, bool *empty)
{
    if (p->depth >= p->lim.max_depth) {
        fatal(p, VP_ERR_LIMIT, p->pos,
              "arrays and objects nested deeper than the limit of %zu levels", p->lim.max_depth);
        return NULL;
    }
    frame *f = &p->frames[p->depth++];
    f->is_object = is_object;
    f->active = false;
    f->key = NULL;
    f->index = 0;
    out->type = is_object ? VP_JSON_OBJECT : VP_JSON_ARRAY;
    p->pos++;
    skip_ws(p);
    *empty = p->pos < p->len && p->s[p->pos] == (is_object ? '}' : ']');
    if (*empty)
        p->pos++;
    return f;
}

/* After an item of a list (what: "a list item") or a member of an object ("a field"): skip
 * a ',' (returns 1: another follows) or the closing bracket `close` (0: the end); anything
 * else is an error (-1). */
static int next_item(parser *p, char close, const char *what)
{
    char g[48];
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ',') {
        p->pos++;
        return 1;
    }
    if (p->pos < p->len && p->s[p->pos] == close) {
        p->pos++;
        return 0;
    }
    fatal(p, VP_ERR_PARSE, p->pos, "expected ',' or '%c' after %s, got %s", close, what,
          got(p, g, sizeof g));
    return -1;
}

static bool parse_array(parser *p, vp_json *out)
{
    bool empty;
    frame *f = open_container(p, out, false, &empty);
    if (!f)
        return false;
    size_t start = p->top, count = 0;
    if (!empty) {
        for (;;) {
            skip_ws(p);
            f->active = false;
            if (count > 0 && p->pos < p->len && p->s[p->pos] == ']')
                return fatal(p, VP_ERR_PARSE, p->pos,
                             "trailing comma before ']', expected another item after the ','");
            if (count == p->lim.max_items) {
                return fatal(p, VP_ERR_LIMIT, p->pos,
                             "more than %zu items in one list, the limit is %zu",
                             p->lim.max_items, p->lim.max_items);
            }
            f->active = true;
            f->index = count;
            vp_json item;
            memset(&item, 0, sizeof item);
            if (!parse_value(p, &item) || !push(p, &item))
                return false;
            count++;
            int next = next_item(p, ']', "a list item");
            if (next < 0)
                return false;
            if (next == 0)
                break;
        }
    }
    p->depth--;
    return close_container(p, start, out);
}

static int cmp_member_ptr(const void *a, const void *b)
{
    const vp_json *x = *(const vp_json *const *)a, *y = *(const vp_json *const *)b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x < y ? -1 : x > y;
}

static void report_duplicate(parser *p, frame *f, const vp_json *first, const vp_json *dup)
{
    int line, col;
    vp_json_position(p->doc, first->key_offset, &line, &col);
    f->active = true;
    f->key = dup->key;
    invalid(p, dup->key_offset,
            "field \"%s\" appears twice (first at line %d, column %d), expected each field "
            "once: remove or rename one", dup->key, line, col);
}

/* Report members of the object items[0..n) whose key appeared before. */
static bool check_duplicates(parser *p, frame *f, const vp_json *items, size_t n)
{
    if (n < 2)
        return true;
    if (n <= 16) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (strcmp(items[i].key, items[j].key) == 0) {
                    report_duplicate(p, f, &items[j], &items[i]);
                    break;
                }
        return true;
    }
    const vp_json **sorted = vp_malloc(n * sizeof *sorted);
    if (!sorted)
        return nomem(p);
    for (size_t i = 0; i < n; i++)
        sorted[i] = &items[i];
    qsort(sorted, n, sizeof *sorted, cmp_member_ptr);
    for (size_t i = 1, first = 0; i < n; i++) {
        if (strcmp(sorted[i]->key, sorted[first]->key) == 0)
            report_duplicate(p, f, sorted[first], sorted[i]);
        else
            first = i;
    }
    vp_free(sorted);
    return true;
}

static bool parse_object(parser *p, vp_json *out)
{
    char g[48];
    bool empty;
    frame *f = open_container(p, out, true, &empty);
    if (!f)
        return false;
    size_t start = p->top, count = 0;
    if (!empty) {
        for (;;) {
            skip_ws(p);
            f->active = false;
            if (p->pos >= p->len || p->s[p->pos] != '"') {
                if (count > 0 && p->pos < p->len && p->s[p->pos] == '}')
                    return fatal(p, VP_ERR_PARSE, p->pos,
                                 "trailing comma before '}', expected another \"field\": value "
                                 "after the ','");
                if (p->pos < p->len && p->s[p->pos] == '\'')
                    return fatal(p, VP_ERR_PARSE, p->pos,
                                 "field name in single quotes, expected it in double quotes");
                return fatal(p, VP_ERR_PARSE, p->pos,
                             "expected a field name in double quotes, got %s",
                             got(p, g, sizeof g));
            }
            if (count == p->lim.max_items)
                return fatal(p, VP_ERR_LIMIT, p->pos,
                             "more than %zu fields in one object, the limit is %zu",
                             p->lim.max_items, p->lim.max_items);
            vp_json member;
            memset(&member, 0, sizeof member);
            member.key_offset = (uint32_t)p->pos;
            uint32_t klen;
            if (!parse_string(p, &member.key, &klen, true))
                return false;
            f->active = true;
            f->key = member.key;
            skip_ws(p);
            if (p->pos >= p->len || p->s[p->pos] != ':')
                return fatal(p, VP_ERR_PARSE, p->pos,
                             "expected ':' after the field name, got %s", got(p, g, sizeof g));
            p->pos++;
            skip_ws(p);
            const char *key = member.key;
            uint32_t key_offset = member.key_offset;
            if (!parse_value(p, &member))
                return false;
            member.key = key;
            member.key_offset = key_offset;
            if (!push(p, &member))
                return false;
            count++;
            int next = next_item(p, '}', "a field");
            if (next < 0)
                return false;
            if (next == 0)
                break;
        }
    }
    if (!close_container(p, start, out) || !check_duplicates(p, f, out->u.items, out->len))
        return false;
    p->depth--;
    return true;
}

static bool match_word(const parser *p, const char *w)
{
    size_t n = strlen(w);
    return p->len - p->pos >= n && memcmp(p->s + p->pos, w, n) == 0;
}

/* Whether the literal `word` (true, false, null) is at p->pos; if so, out is of `type` and
 * the reading goes on after it. */
static bool take_literal(parser *p, vp_json *out, const char *word, vp_json_type type)
{
    if (!match_word(p, word))
        return false;
    out->type = (uint8_t)type;
    p->pos += strlen(word);
    return true;
}

static bool parse_value(parser *p, vp_json *out)
{
    char g[48];
    out->offset = (uint32_t)p->pos;
    if (p->pos >= p->len)
        return fatal(p, VP_ERR_PARSE, p->pos, "unexpected end of the file, expected a value");
    unsigned char c = p->s[p->pos];
    switch (c) {
    case '{': return parse_object(p, out);
    case '[': return parse_array(p, out);
    case '"':
        out->type = VP_JSON_STRING;
        return parse_string(p, &out->u.string, &out->len, false);
    case 't':
        if (take_literal(p, out, "true", VP_JSON_TRUE))
            return true;
        break;
    case 'f':
        if (take_literal(p, out, "false", VP_JSON_FALSE))
            return true;
        break;
    case 'n':
        if (take_literal(p, out, "null", VP_JSON_NULL))
            return true;
        break;
    case '\'':
        return fatal(p, VP_ERR_PARSE, p->pos, "text in single quotes, expected double quotes");
    case '/':
        return fatal(p, VP_ERR_PARSE, p->pos, "comments are not allowed in JSON");
    default:
        if (c == '-' || is_digit(c)) {
            if (match_word(p, "-Infinity"))
                break;
            return parse_number(p, out);
        }
        break;
    }
    if (match_word(p, "NaN") || match_word(p, "Infinity") || match_word(p, "-Infinity"))
        return fatal(p, VP_ERR_PARSE, p->pos,
                     "NaN and Infinity are not JSON numbers, expected a finite number");
    if (c >= 0x80) {
        size_t n;
        if (vp_utf8_decode((const char *)p->s + p->pos, p->len - p->pos, &n) == VP_UTF8_INVALID)
            return fatal(p, VP_ERR_PARSE, p->pos,
                         "invalid UTF-8 (byte 0x%02X), expected UTF-8 text: save the file with "
                         "the UTF-8 encoding", c);
    }
    /* Show a whole word (unquoted text) when there is one. */
    size_t end = p->pos;
    while (end < p->len && end - p->pos < 24 &&
           ((p->s[end] >= 'a' && p->s[end] <= 'z') || (p->s[end] >= 'A' && p->s[end] <= 'Z') ||
            is_digit(p->s[end]) || p->s[end] == '_'))
        end++;
    if (end - p->pos > 1)
        return fatal(p, VP_ERR_PARSE, p->pos,
                     "unexpected '%.*s', expected a value (a number, \"text\" in double quotes, "
                     "true, false, null, an object or a list)",
                     (int)(end - p->pos), (const char *)p->s + p->pos);
    return fatal(p, VP_ERR_PARSE, p->pos,
                 "expected a value (a number, \"text\" in double quotes, true, false, null, an "
                 "object or a list), got %s", got(p, g, sizeof g));
}

int vp_json_parse(vp_json_doc *doc, const char *text, size_t len, const vp_json_limits *lim,
                  vp_diag *diag, const char *file)
{
    memset(doc, 0, sizeof *doc);
    vp_arena_init(&doc->arena, 64 * 1024);
    doc->text = text;
    doc->len = len;
    doc->diag = diag;
    doc->file = file;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        doc->body = 3;

    parser p;
    memset(&p, 0, sizeof p);
    p.doc = doc;
    p.s = (const unsigned char *)text;
    p.len = len;
    p.pos = doc->body;
    p.lim = *lim;
    if (p.lim.max_depth == 0 || p.lim.max_items == 0 || p.lim.max_string == 0)
        return VP_ERR_USAGE;
    if (len > UINT32_MAX)
        return VP_ERR_LIMIT;
    p.frames = vp_calloc(p.lim.max_depth, sizeof *p.frames);
    if (!p.frames)
        return VP_ERR_NOMEM;

    vp_json root;
    memset(&root, 0, sizeof root);
    skip_ws(&p);
    if (p.pos >= p.len) {
        fatal(&p, VP_ERR_PARSE, p.pos, "the file is empty, expected a JSON object { ... }");
    } else if (parse_value(&p, &root)) {
        skip_ws(&p);
        if (p.pos < p.len) {
            char g[48];
            fatal(&p, VP_ERR_PARSE, p.pos,
                  "unexpected %s after the end of the JSON value, expected nothing more",
                  got(&p, g, sizeof g));
        }
    }
    if (!p.failed) {
        vp_json *r = vp_arena_alloc(&doc->arena, sizeof *r);
        if (r) {
            *r = root;
            doc->root = r;
        } else {
            p.status = VP_ERR_NOMEM;
        }
    }
    vp_free(p.frames);
    vp_free(p.stack);
    vp_strbuf_free(&p.sb);
    return p.status;
}

void vp_json_doc_free(vp_json_doc *doc)
{
    if (!doc)
        return;
    vp_arena_destroy(&doc->arena);
    doc->root = NULL;
}

const vp_json *vp_json_get(const vp_json *obj, const char *key)
{
    if (!obj || obj->type != VP_JSON_OBJECT)
        return NULL;
    for (uint32_t i = 0; i < obj->len; i++)
        if (strcmp(obj->u.items[i].key, key) == 0)
            return &obj->u.items[i];
    return NULL;
}
