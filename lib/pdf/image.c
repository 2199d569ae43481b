/* image.c — reading PNG and JPEG files for the document, and making sure libharu can take
 * them.
 *
 * libharu 2.3.0 gives libpng an error handler that returns, and libpng answers a returning
 * error handler with abort(): one corrupt PNG logo would end the whole process (a batch of
 * hundreds of accounts). So a PNG is checked here first, completely: chunk structure and
 * CRCs, header values, and the compressed image data inflated to the exact size with valid
 * row filters — whatever libpng would reject is refused with a message instead. JPEG data
 * is only parsed for its header by libharu (it is embedded as is), so its markers are
 * checked for a frame header with a size and 1, 3 or 4 components. */
#include "engine.h"

#include <errno.h>
#include <string.h>
#include <zlib.h>

#include "../util/alloc.h"

#define MAX_IMAGE_BYTES (16u << 20)
#define MAX_PIXELS 4096u            /* per side: logos, not photos */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool is_letter(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

typedef struct png_rows {
    size_t pass_rows[7], pass_bytes[7];   /* rows and bytes per row (filter byte included) */
    int npass;
} png_rows;

/* Rows of the (possibly Adam7-interlaced) image, for checking filter bytes. */
static void png_layout(png_rows *r, uint32_t w, uint32_t h, unsigned bits_per_pixel,
                       bool interlaced)
{
    static const int xs[7] = {0, 4, 0, 2, 0, 1, 0}, ys[7] = {0, 0, 4, 0, 2, 0, 1};
    static const int dx[7] = {8, 8, 4, 4, 2, 2, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    r->npass = 0;
    for (int p = 0; p < (interlaced ? 7 : 1); p++) {
        uint64_t pw = interlaced ? (w + (uint64_t)dx[p] - 1 - (uint64_t)xs[p]) / (uint64_t)dx[p] : w;
        uint64_t ph = interlaced ? (h + (uint64_t)dy[p] - 1 - (uint64_t)ys[p]) / (uint64_t)dy[p] : h;
        if (xs[p] >= (int)w || ys[p] >= (int)h)
            pw = ph = 0;
        if (pw == 0 || ph == 0)
            continue;
        r->pass_rows[r->npass] = (size_t)ph;
        r->pass_bytes[r->npass] = (size_t)((pw * bits_per_pixel + 7) / 8) + 1;
        r->npass++;
    }
}

/* Inflate the IDAT stream, checking its size and every row's filter byte (0..4). */
static const char *check_png_data(const unsigned char *z, size_t zlen, const png_rows *rows)
{
    size_t total = 0;
    for (int p = 0; p < rows->npass; p++)
        total += rows->pass_rows[p] * rows->pass_bytes[p];
    z_stream s;
    memset(&s, 0, sizeof s);
    if (inflateInit(&s) != Z_OK)
        return "cannot start zlib";
    unsigned char out[16384];
    size_t pos = 0;                      /* bytes produced so far */
    int pass = 0;
    size_t row = 0, next_row_at = 0;     /* offset of the next filter byte */
    const char *why = NULL;
    s.next_in = (Bytef *)(uintptr_t)z;
    s.avail_in = (uInt)zlen;
    int zr = Z_OK;
    while (!why && zr != Z_STREAM_END) {
        s.next_out = out;
        s.avail_out = sizeof out;
        zr = inflate(&s, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END) {
            why = "the compressed image data is corrupt";
            break;
        }
        size_t got = sizeof out - s.avail_out;
        if (got == 0 && zr != Z_STREAM_END) {
            why = "the compressed image data ends early";
            break;
        }
        if (pos + got > total) {
            why = "there is more image data than the header says";
            break;
        }
        while (pass < rows->npass && next_row_at < pos + got) {
            if (out[next_row_at - pos] > 4) {
                why = "a row has an invalid filter type";
                break;
            }
            next_row_at += rows->pass_bytes[pass];
            if (++row == rows->pass_rows[pass]) {
                row = 0;
                pass++;
            }
        }
        pos += got;
    }
    inflateEnd(&s);
    if (!why && pos != total)
        why = "there is less image data than the header says";
    return why;
}

/* Why libpng would fail on this PNG (NULL when it will not); *w, *h = its size. */
static const char *check_png(const unsigned char *b, size_t n, double *w, double *h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (n < 8 || memcmp(b, sig, 8) != 0)
        return "not a PNG file";
    uint32_t width = 0, height = 0;
    unsigned depth = 0, ctype = 0, interlace = 0;
    bool have_ihdr = false, have_plte = false, have_iend = false, idat_done = false;
    size_t idat_len = 0, n_idat = 0;
    for (size_t off = 8; !have_iend;) {
        if (n - off < 12)
            return "the file ends in the middle of a chunk";
        uint32_t len = be32(b + off);
        const unsigned char *type = b + off + 4, *data = b + off + 8;
        if (len > 0x7FFFFFFFu || len > n - off - 12)
            return "a chunk is longer than the file";
        for (int i = 0; i < 4; i++)
            if (!is_letter(type[i]))
                return "a chunk has an invalid type";
        if ((uint32_t)crc32(crc32(0, NULL, 0), type, len + 4) != be32(data + len))
            return "a chunk fails its CRC check (the file is damaged)";
        bool is_idat = memcmp(type, "IDAT", 4) == 0;
        if (!have_ihdr && memcmp(type, "IHDR", 4) != 0)
            return "the first chunk is not IHDR";
        if (memcmp(type, "IHDR", 4) == 0) {
            if (have_ihdr || len != 13)
                return "invalid IHDR chunk";
            have_ihdr = true;
            width = be32(data);
            height = be32(data + 4);
            depth = data[8];
            ctype = data[9];
            interlace = data[12];
            if (width == 0 || height == 0)
                return "the image has no pixels";
            if (width > MAX_PIXELS || height > MAX_PIXELS)
                return "the image is larger than 4096 x 4096 pixels";
            bool ok = (ctype == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 ||
                                      depth == 16)) ||
                      (ctype == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                      ((ctype == 2 || ctype == 4 || ctype == 6) && (depth == 8 || depth == 16));
            if (!ok || data[10] != 0 || data[11] != 0 || interlace > 1)
                return "the IHDR chunk has invalid values";
        } else if (memcmp(type, "PLTE", 4) == 0) {
            if (have_plte || n_idat || len == 0 || len % 3 || len / 3 > 256)
                return "invalid PLTE chunk";
            have_plte = true;
        } else if (is_idat) {
            if (idat_done)
                return "the IDAT chunks are not consecutive";
            idat_len += len;
            n_idat++;
        } else if (memcmp(type, "IEND", 4) == 0) {
            have_iend = true;
        } else if (!(type[0] & 0x20)) {
            return "the file has an unknown critical chunk";
        }
        if (!is_idat && n_idat)
            idat_done = true;
        off += 12 + (size_t)len;
    }
    if (n_idat == 0)
        return "the file has no image data";
    if (ctype == 3 && !have_plte)
        return "a palette image without a palette";
    /* concatenate the IDAT data */
    unsigned char *z = vp_malloc(idat_len ? idat_len : 1);
    if (!z)
        return "out of memory";
    size_t at = 0;
    for (size_t off = 8;;) {
        uint32_t len = be32(b + off);
        if (memcmp(b + off + 4, "IDAT", 4) == 0) {
            memcpy(z + at, b + off + 8, len);
            at += len;
        }
        if (memcmp(b + off + 4, "IEND", 4) == 0)
            break;
        off += 12 + (size_t)len;
    }
    static const unsigned channels[7] = {1, 0, 3, 1, 2, 0, 4};
    png_rows rows;
    png_layout(&rows, width, height, channels[ctype] * depth, interlace == 1);
    const char *why = check_png_data(z, idat_len, &rows);
    vp_free(z);
    *w = width;
    *h = height;
    return why;
}

/* Why libharu could not embed this JPEG (NULL when it can); *w, *h = its size. */
static const char *check_jpeg(const unsigned char *b, size_t n, double *w, double *h)
{
    if (n < 4 || b[0] != 0xFF || b[1] != 0xD8)
        return "not a JPEG file";
    size_t off = 2;
    while (off + 4 <= n) {
        if (b[off] != 0xFF)
            return "the JPEG markers are damaged";
        unsigned m = b[off + 1];
        if (m == 0xFF) {                 /* fill byte */
            off++;
            continue;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
            off += 2;
            continue;
        }
        if (m == 0xD9 || m == 0xDA)
            return "the JPEG has no frame header before its data";
        size_t len = (size_t)(b[off + 2] << 8 | b[off + 3]);
        if (len < 2 || off + 2 + len > n)
            return "a JPEG segment is longer than the file";
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            if (len < 8)
                return "invalid JPEG frame header";
            unsigned hh = (unsigned)(b[off + 5] << 8 | b[off + 6]);
            unsigned ww = (unsigned)(b[off + 7] << 8 | b[off + 8]);
            unsigned comps = b[off + 9];
            if (ww == 0 || hh == 0)
                return "the JPEG has no pixels";
            if (comps != 1 && comps != 3 && comps != 4)
                return "the JPEG has an unsupported number of colour components";
            if (m != 0xC0 && m != 0xC1 && m != 0xC2)
                return "the JPEG uses a coding PDF viewers do not read (arithmetic or lossless)";
            *w = ww;
            *h = hh;
            return NULL;
        }
        off += 2 + len;
    }
    return "the JPEG has no frame header";
}

int vp_image_read(const char *path, vp_image_data *out, vp_diag *diag)
{
    memset(out, 0, sizeof *out);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "cannot read the image: %s",
                    strerror(errno));
        return VP_ERR_IO;
    }
    unsigned char *buf = NULL;
    size_t n = 0, cap = 0;
    int rc = VP_OK;
    for (;;) {
        if (n == cap) {
            if (cap >= MAX_IMAGE_BYTES) {
                rc = VP_ERR_LIMIT;
                vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0,
                            "the image is larger than %u MB", MAX_IMAGE_BYTES >> 20);
                break;
            }
            cap = cap ? cap * 2 : 65536;
            unsigned char *nb = vp_realloc(buf, cap);
            if (!nb) {
                rc = VP_ERR_NOMEM;
                break;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0) {
            if (ferror(fp)) {
                rc = VP_ERR_IO;
                vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "cannot read the image: %s",
                            strerror(errno));
            }
            break;
        }
    }
    fclose(fp);
    if (rc != VP_OK) {
        vp_free(buf);
        return rc;
    }
    const char *why;
    bool png = n >= 8 && buf[0] == 0x89 && buf[1] == 'P';
    if (png)
        why = check_png(buf, n, &out->width, &out->height);
    else if (n >= 2 && buf[0] == 0xFF && buf[1] == 0xD8)
        why = check_jpeg(buf, n, &out->width, &out->height);
    else
        why = "expected a PNG or JPEG file";
    if (why) {
        vp_free(buf);
        if (strcmp(why, "out of memory") == 0)
            return VP_ERR_NOMEM;
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "cannot use the image: %s", why);
        return VP_ERR_RENDER;
    }
    out->data = buf;
    out->len = n;
    out->png = png;
    return VP_OK;
}
