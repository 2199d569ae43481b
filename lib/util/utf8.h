/* utf8.h — UTF-8 decoding, encoding and validation, per code point. */
#ifndef VP_UTF8_H
#define VP_UTF8_H

#include <stdbool.h>
#include <stddef.h>

#define VP_UTF8_INVALID 0xFFFFFFFFu

/* Decode the code point at s (at most n bytes available) and store its length in *len
 * (1 for an invalid byte). Returns VP_UTF8_INVALID for malformed, overlong or surrogate
 * sequences. */
unsigned vp_utf8_decode(const char *s, size_t n, size_t *len);
/* Encode cp (<= 0x10FFFF) into out (4 bytes room); returns the byte count (0 if invalid). */
size_t vp_utf8_encode(unsigned cp, char *out);
/* True when s[0..n) is well-formed UTF-8. On false, *bad_offset (may be NULL) is the
 * byte offset of the first malformed sequence. */
bool vp_utf8_valid(const char *s, size_t n, size_t *bad_offset);
/* Number of code points in a NUL-terminated well-formed string. */
size_t vp_utf8_length(const char *s);
/* True for East Asian wide/fullwidth code points (CJK ideographs, kana, hangul,
 * fullwidth forms, CJK punctuation): they count as two columns in a spreadsheet. */
bool vp_utf8_is_wide(unsigned cp);
/* Display width in columns: wide code points count 2, others 1. */
size_t vp_utf8_columns(const char *s);

#endif
