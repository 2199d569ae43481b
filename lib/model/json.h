/* json.h (internal) — a strict JSON reader that remembers where every value is.
 *
 * Used by the account loader instead of cJSON because the loader needs, for every value,
 * its line:column in the source (every problem is reported with one), and because it must
 * refuse input before building a large tree: nesting depth, items per array or object and
 * string length are checked while reading, so a 100,000-deep or 100,000-item file fails at
 * the limit, quickly and in bounded memory. It also has no global state (cJSON 1.7.15's
 * parse functions write a global error position on every call, a data race when batch
 * loads accounts in parallel threads).
 *
 * Grammar: RFC 8259, strictly (no comments, trailing commas, NaN, leading zeros, raw
 * control characters in strings), UTF-8 only, an optional UTF-8 BOM at the start skipped.
 * Problems that do not break the structure (a string containing U+0000, a duplicate key,
 * a number too large for a double) are reported and the reading goes on, so the caller
 * can report every problem of the file at once. */
#ifndef VP_MODEL_JSON_H
#define VP_MODEL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "valuepack/common.h"
#include "../util/arena.h"
#include "../util/strbuf.h"

typedef enum vp_json_type {
    VP_JSON_NULL = 0, VP_JSON_FALSE, VP_JSON_TRUE, VP_JSON_NUMBER, VP_JSON_STRING,
    VP_JSON_ARRAY, VP_JSON_OBJECT
} vp_json_type;

typedef struct vp_json vp_json;
struct vp_json {
    uint8_t type;           /* vp_json_type */
    uint32_t offset;        /* byte offset of the value's first character in the text */
    uint32_t len;           /* string: bytes (without the NUL); number: length of its text
                               in the source; array/object: number of items */
    uint32_t key_offset;    /* object members: offset of the key's opening quote */
    const char *key;        /* object members: the decoded name; otherwise NULL */
    union {
        double number;      /* may be ±inf when the text was out of range (reported) */
        const char *string; /* decoded UTF-8, NUL-terminated (an embedded U+0000 is reported) */
        vp_json *items;     /* array items / object members, in file order */
    } u;
};

typedef struct vp_json_limits {
    size_t max_depth;       /* nesting of arrays and objects (the root is depth 1) */
    size_t max_items;       /* items of one array, members of one object */
    size_t max_string;      /* bytes of one decoded string or key */
} vp_json_limits;

/* A parsed text. The tree lives in `arena`; `text` is borrowed from the caller and must
 * stay valid while positions are asked for. */
typedef struct vp_json_doc {
    vp_arena arena;
    const char *text;
    size_t len;
    size_t body;            /* offset of the first character after the BOM (0 or 3) */
    const vp_json *root;    /* NULL when the text could not be read */
    const char *file;       /* display name for messages */
    vp_diag *diag;
    /* Cache for vp_json_position: the last offset asked for and its line:column. */
    size_t pos_off;
    int pos_line, pos_col;
} vp_json_doc;

/*
 * Read text[0..len) (need not be NUL-terminated) into doc->root, adding every problem to
 * `diag` (may be NULL) under the name `file`, with its JSON path and line:column.
 *
 * Returns VP_OK; VP_ERR_INVALID when the structure was read but a string holds U+0000, an
 * object repeats a key or a number is out of range (doc->root is complete); VP_ERR_PARSE
 * (not JSON, invalid UTF-8, empty) or VP_ERR_LIMIT (a limit exceeded), with doc->root NULL;
 * VP_ERR_NOMEM. Always release doc with vp_json_doc_free.
 */
int vp_json_parse(vp_json_doc *doc, const char *text, size_t len, const vp_json_limits *lim,
                  vp_diag *diag, const char *file);
void vp_json_doc_free(vp_json_doc *doc);

/* Line and column (1-based; columns count code points) of byte `offset` of the text. Fast
 * when offsets are asked for in increasing order. */
void vp_json_position(vp_json_doc *doc, size_t offset, int *line, int *column);

/* The member `key` of an object (the first one; duplicates are reported by the parser);
 * NULL when obj is not an object or has no such member. */
const vp_json *vp_json_get(const vp_json *obj, const char *key);

/* Append a member step to a JSON path: "key" at the start, ".key" after, or ["k e y"]
 * when the name has characters that would make the path ambiguous. */
void vp_json_path_key(vp_strbuf *path, const char *key);
/* Append an index step: "[3]". */
void vp_json_path_index(vp_strbuf *path, size_t index);

/* "an object", "an array", "true", "null", the number as written, or the string quoted
 * and shortened to about 40 characters — for messages "expected ..., got <this>". */
void vp_json_describe(const vp_json_doc *doc, const vp_json *v, char *buf, size_t size);

#endif
