/* jsonw.h — a small streaming JSON writer into a vp_strbuf.
 *
 * Used for the analyze output and batch manifests, where number formatting must be
 * deterministic and a NaN must come out as null (cJSON's printer would write "nan"
 * nowhere but gives no control over digits). Keys and values are escaped as JSON
 * requires; non-ASCII UTF-8 is written as is. Commas and indentation are automatic. */
#ifndef VP_JSONW_H
#define VP_JSONW_H

#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"

typedef struct vp_jsonw {
    vp_strbuf *out;
    bool pretty;
    int depth;
    bool need_comma[64];
    bool after_key;
} vp_jsonw;

void vp_jsonw_init(vp_jsonw *w, vp_strbuf *out, bool pretty);
void vp_jsonw_object_begin(vp_jsonw *w);
void vp_jsonw_object_end(vp_jsonw *w);
void vp_jsonw_array_begin(vp_jsonw *w);
void vp_jsonw_array_end(vp_jsonw *w);
void vp_jsonw_key(vp_jsonw *w, const char *key);
/* A string value; NULL writes null. */
void vp_jsonw_string(vp_jsonw *w, const char *s);
/* A number: integers as integers, others with 12 significant digits (binary noise such as
 * 9.599999999999994 reads 9.6); NaN/inf -> null; -0 -> 0. */
void vp_jsonw_number(vp_jsonw *w, double v);
/* v as vp_jsonw_number writes it, read back: what a reader of the JSON gets. */
double vp_jsonw_canonical(double v);
/* An amount of money exactly to the cent (1200000, 42500.5, 9876543.21). */
void vp_jsonw_money(vp_jsonw *w, double v);
void vp_jsonw_kmoney(vp_jsonw *w, const char *key, double v);
void vp_jsonw_int(vp_jsonw *w, int64_t v);
void vp_jsonw_bool(vp_jsonw *w, bool v);
void vp_jsonw_null(vp_jsonw *w);

/* key + value shorthands */
void vp_jsonw_kstring(vp_jsonw *w, const char *key, const char *s);
void vp_jsonw_knumber(vp_jsonw *w, const char *key, double v);
void vp_jsonw_kint(vp_jsonw *w, const char *key, int64_t v);
void vp_jsonw_kbool(vp_jsonw *w, const char *key, bool v);
void vp_jsonw_knull(vp_jsonw *w, const char *key);

#endif
