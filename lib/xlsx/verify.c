/* verify.c — read back a workbook libxlsxwriter wrote and check that no part is damaged.
 *
 * Why: libxlsxwriter 1.1.4 writes each XML part (sheets, charts, styles...) to a temporary
 * file in the workbook's tmpdir without checking those writes (packager.c: the
 * lxw_*_assemble_xml_file calls and the fflush before reading the part back), then zips
 * whatever it reads back. On a full disk or an I/O error a part comes out truncated or
 * with a hole, inside a zip whose own writes were checked and which workbook_close()
 * reports as written — a damaged document under its final name (found by the write-fault
 * sweep, tests/fault). So every workbook is read back before it is renamed into place:
 * each member is inflated and its CRC-32 and size compared with the central directory,
 * and each XML member must be complete: tags balanced, closed in order, nothing after the
 * root element. A part truncated at any point fails; a hole fails unless it happens to
 * cut exactly between two sibling elements at both ends (the persistent case of a full
 * disk always truncates the tail).
 *
 * zlib is linked with libxlsxwriter (its pkg-config file lists -lz). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "../util/alloc.h"
#include "../util/fs.h"
#include "xlsx.h"

#define XLSX_MAX_BYTES (512u * 1024u * 1024u)
#define XML_MAX_DEPTH 256

static uint32_t rd16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The length of the element name at s (up to whitespace, '/', '>'). */
static size_t name_len(const char *s, const char *end)
{
    size_t n = 0;
    while (s + n < end && s[n] != ' ' && s[n] != '\t' && s[n] != '\r' && s[n] != '\n' &&
           s[n] != '/' && s[n] != '>')
        n++;
    return n;
}

/* True when text is one complete XML document: an optional prolog, one root element whose
 * tags balance, then only whitespace. Not a validating parser: just enough to see a cut. */
static bool xml_complete(const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    const char *stack[XML_MAX_DEPTH];
    size_t stack_len[XML_MAX_DEPTH];
    int depth = 0;
    bool root_done = false, seen = false;
    while (p < end) {
        if (*p != '<') {
            if (root_done && *p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
                return false;                       /* text after the root element */
            if (!seen && *p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
                return false;                       /* text before it */
            p++;
            continue;
        }
        const char *close;
        if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
            close = strstr(p + 4, "-->");           /* the buffer is NUL-terminated */
            if (!close || close >= end)
                return false;
            p = close + 3;
            continue;
        }
        if (end - p >= 9 && !memcmp(p, "<![CDATA[", 9)) {
            close = strstr(p + 9, "]]>");
            if (!close || close >= end || depth == 0)
                return false;
            p = close + 3;
            continue;
        }
        if (end - p >= 2 && (p[1] == '?' || p[1] == '!')) {
            close = memchr(p, '>', (size_t)(end - p));
            if (!close)
                return false;
            p = close + 1;
            continue;
        }
        /* A start or end tag: find its '>' outside quoted attribute values. */
        char quote = 0;
        for (close = p + 1; close < end; close++) {
            if (quote) {
                if (*close == quote)
                    quote = 0;
            } else if (*close == '"' || *close == '\'') {
                quote = *close;
            } else if (*close == '>') {
                break;
            } else if (*close == '<') {
                return false;
            }
        }
        if (close >= end)
            return false;
        if (p[1] == '/') {
            size_t n = name_len(p + 2, close);
            if (depth == 0 || n == 0 || n != stack_len[depth - 1] ||
                memcmp(p + 2, stack[depth - 1], n) != 0)
                return false;
            if (--depth == 0)
                root_done = true;
        } else {
            size_t n = name_len(p + 1, close);
            if (n == 0 || root_done)
                return false;
            seen = true;
            if (close[-1] != '/') {
                if (depth == XML_MAX_DEPTH)
                    return false;
                stack[depth] = p + 1;
                stack_len[depth++] = n;
            } else if (depth == 0) {
                root_done = true;
            }
        }
        p = close + 1;
    }
    return root_done && depth == 0;
}

static bool is_xml_part(const char *name, size_t n)
{
    static const char *const ext[] = {".xml", ".rels", ".vml"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t e = strlen(ext[i]);
        if (n >= e && !memcmp(name + n - e, ext[i], e))
            return true;
    }
    return false;
}

/* Inflate member data into out (usize bytes + NUL): VP_OK, VP_ERR_IO on any mismatch,
 * VP_ERR_NOMEM when zlib has no memory. */
static int member_check(const unsigned char *data, size_t csize, uint32_t method, uint32_t crc,
                        unsigned char *out, size_t usize)
{
    if (method == 0) {
        if (csize != usize)
            return VP_ERR_IO;
        memcpy(out, data, usize);
    } else if (method == 8) {
        z_stream z;
        memset(&z, 0, sizeof z);
        int zi = inflateInit2(&z, -MAX_WBITS);
        if (zi != Z_OK)
            return zi == Z_MEM_ERROR ? VP_ERR_NOMEM : VP_ERR_IO;
        z.next_in = (Bytef *)(uintptr_t)data;
        z.avail_in = (uInt)csize;
        z.next_out = out;
        z.avail_out = (uInt)usize;
        int zr = inflate(&z, Z_FINISH);
        size_t got = z.total_out;
        inflateEnd(&z);
        if (zr == Z_MEM_ERROR)
            return VP_ERR_NOMEM;
        if (zr != Z_STREAM_END || got != usize)
            return VP_ERR_IO;
    } else {
        return VP_ERR_IO;
    }
    out[usize] = '\0';
    return crc32(0L, out, (uInt)usize) == crc ? VP_OK : VP_ERR_IO;
}

int vp_xlsx_verify(const char *file, const char *display, vp_diag *diag)
{
    char *buf = NULL;
    size_t len = 0;
    unsigned char *part = NULL;
    int rc = vp_file_read(file, XLSX_MAX_BYTES, &buf, &len, diag, display);
    if (rc != VP_OK)
        return rc;
    const unsigned char *z = (const unsigned char *)buf;
    const char *problem = "it is not a complete zip file";
    char bad_name[128] = "";
    rc = VP_ERR_IO;
    /* End of central directory: 22 bytes, possibly followed by a comment. */
    size_t eocd = (size_t)-1;
    for (size_t i = len >= 22 ? len - 22 + 1 : 0; i-- > 0 && len - i <= 22 + 65535;)
        if (rd32(z + i) == 0x06054b50) {
            eocd = i;
            break;
        }
    if (eocd == (size_t)-1)
        goto done;
    uint32_t n_entries = rd16(z + eocd + 10), cd_size = rd32(z + eocd + 12),
             cd_off = rd32(z + eocd + 16);
    if (cd_off == 0xFFFFFFFFu || n_entries == 0xFFFFu) {
        rc = VP_OK;     /* zip64 (over 4 GB): not produced here; nothing to check it with */
        goto done;
    }
    if ((size_t)cd_off + cd_size > eocd || n_entries == 0)
        goto done;
    size_t p = cd_off;
    for (uint32_t e = 0; e < n_entries; e++) {
        if (p + 46 > eocd || rd32(z + p) != 0x02014b50)
            goto done;
        uint32_t method = rd16(z + p + 10), crc = rd32(z + p + 16), csize = rd32(z + p + 20),
                 usize = rd32(z + p + 24), nlen = rd16(z + p + 28), xlen = rd16(z + p + 30),
                 clen = rd16(z + p + 32), loff = rd32(z + p + 42);
        const char *name = (const char *)z + p + 46;
        if (p + 46 + nlen > eocd)
            goto done;
        snprintf(bad_name, sizeof bad_name, "%.*s", (int)(nlen < 100 ? nlen : 100), name);
        if ((size_t)loff + 30 > len || rd32(z + loff) != 0x04034b50)
            goto done;
        size_t data = (size_t)loff + 30 + rd16(z + loff + 26) + rd16(z + loff + 28);
        if (data > len || len - data < csize)
            goto done;
        vp_free(part);
        part = vp_malloc((size_t)usize + 1);
        if (!part) {
            rc = VP_ERR_NOMEM;
            goto done;
        }
        problem = "a part does not match its checksum";
        int mc = member_check(z + data, csize, method, crc, part, usize);
        if (mc != VP_OK) {
            rc = mc;
            goto done;
        }
        problem = "a part is incomplete";
        if (is_xml_part(name, nlen) && !xml_complete((const char *)part, usize))
            goto done;
        p += 46 + (size_t)nlen + xlen + clen;
    }
    rc = VP_OK;
done:
    if (rc == VP_ERR_NOMEM)
        vp_diag_add(diag, VP_SEV_ERROR, display, NULL, 0, 0,
                    "out of memory while checking the workbook");
    if (rc == VP_ERR_IO)
        vp_diag_add(diag, VP_SEV_ERROR, display, NULL, 0, 0,
                    "the workbook came out damaged, %s%s%s%s: a write to its temporary parts "
                    "failed (is the disk full?)", problem, bad_name[0] ? " (" : "", bad_name,
                    bad_name[0] ? ")" : "");
    vp_free(part);
    vp_free(buf);
    return rc;
}
