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
 * Everything is streamed: the file is read and inflated 64 KiB at a time and the XML
 * check is a state machine fed chunk by chunk, so checking the 7 MB accounts sheet of a
 * 10,000-account portfolio costs ~200 KB, not the sheet's size (batch memory stays flat).
 *
 * zlib is linked with libxlsxwriter (its pkg-config file lists -lz). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "../util/alloc.h"
#include "xlsx.h"

#define CHUNK (64u * 1024u)

static uint32_t rd16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- the XML completeness check, fed in pieces ---------------------------------------------
 *
 * One complete XML document: an optional prolog, one root element whose tags balance, then
 * only whitespace. Not a validating parser: just enough to see a cut. Open elements are kept
 * as (hash, length) of their names, so any chunking gives the same answer as the whole. */

enum {
    XS_TEXT,          /* between tags */
    XS_LT,            /* after '<' */
    XS_BANG,          /* after "<!" */
    XS_BANG_DASH,     /* after "<!-" */
    XS_CDATA_OPEN,    /* inside "<![CDATA[", `matched` bytes of it seen */
    XS_COMMENT,       /* inside <!-- -->, `run` trailing '-' */
    XS_CDATA,         /* inside <![CDATA[ ]]>, `run` trailing ']' */
    XS_DECL,          /* <? ... > or <! ... > */
    XS_NAME,          /* the element name of a start or end tag */
    XS_ATTRS,         /* the rest of a tag, up to its '>' */
};

static bool is_ws(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void vp_xml_check_init(vp_xml_check *x)
{
    memset(x, 0, sizeof *x);
    x->state = XS_TEXT;
}

/* The tag whose '>' was just read is complete. */
static void tag_done(vp_xml_check *x)
{
    if (x->name_len == 0) {
        x->bad = true;
    } else if (x->end_tag) {
        if (x->depth == 0 || x->stack[x->depth - 1].hash != x->name_hash ||
            x->stack[x->depth - 1].len != x->name_len)
            x->bad = true;
        else if (--x->depth == 0)
            x->root_done = true;
    } else if (x->root_done) {
        x->bad = true;
    } else {
        x->seen = true;
        if (x->prev != '/') {
            if (x->depth == VP_XML_MAX_DEPTH) {
                x->bad = true;
            } else {
                x->stack[x->depth].hash = x->name_hash;
                x->stack[x->depth++].len = x->name_len;
            }
        } else if (x->depth == 0) {
            x->root_done = true;
        }
    }
    x->state = XS_TEXT;
}

void vp_xml_check_feed(vp_xml_check *x, const char *data, size_t len)
{
    static const char cdata[] = "[CDATA[";
    for (size_t i = 0; i < len && !x->bad; i++) {
        unsigned char c = (unsigned char)data[i];
        switch (x->state) {
        case XS_TEXT:
            if (c == '<')
                x->state = XS_LT;
            else if (!is_ws(c) && (x->root_done || !x->seen))
                x->bad = true;                  /* text before or after the root element */
            break;
        case XS_LT:
            if (c == '!') {
                x->state = XS_BANG;
            } else if (c == '?') {
                x->state = XS_DECL;
            } else {
                x->end_tag = c == '/';
                x->name_hash = 14695981039346656037u;   /* FNV-1a */
                x->name_len = 0;
                x->quote = 0;
                x->prev = (char)c;
                x->state = XS_NAME;
                if (!x->end_tag)
                    i--;                        /* the name's first byte: read it again */
            }
            break;
        case XS_BANG:
            if (c == '-') {
                x->state = XS_BANG_DASH;
            } else if (c == '[') {
                x->state = XS_CDATA_OPEN;
                x->matched = 1;
            } else {
                x->state = XS_DECL;
                i--;
            }
            break;
        case XS_BANG_DASH:
            if (c == '-') {
                x->state = XS_COMMENT;
                x->run = 0;
            } else {
                x->state = XS_DECL;
                i--;
            }
            break;
        case XS_CDATA_OPEN:
            if (c == (unsigned char)cdata[x->matched]) {
                if (++x->matched == sizeof cdata - 1) {
                    if (x->depth == 0)
                        x->bad = true;
                    x->state = XS_CDATA;
                    x->run = 0;
                }
            } else {
                x->state = XS_DECL;
                i--;
            }
            break;
        case XS_COMMENT:
            if (c == '>' && x->run >= 2)
                x->state = XS_TEXT;
            else
                x->run = c == '-' ? x->run + 1 : 0;
            break;
        case XS_CDATA:
            if (c == '>' && x->run >= 2)
                x->state = XS_TEXT;
            else
                x->run = c == ']' ? x->run + 1 : 0;
            break;
        case XS_DECL:
            if (c == '>')
                x->state = XS_TEXT;
            break;
        case XS_NAME:
            if (c == '<') {
                x->bad = true;
            } else if (is_ws(c) || c == '/' || c == '>') {
                x->state = XS_ATTRS;
                i--;
            } else {
                x->name_hash = (x->name_hash ^ c) * 1099511628211u;
                x->name_len++;
                x->prev = (char)c;
            }
            break;
        case XS_ATTRS:
            if (x->quote) {
                if (c == (unsigned char)x->quote)
                    x->quote = 0;
            } else if (c == '"' || c == '\'') {
                x->quote = (char)c;
            } else if (c == '>') {
                tag_done(x);
                break;
            } else if (c == '<') {
                x->bad = true;
            }
            x->prev = (char)c;
            break;
        }
    }
}

bool vp_xml_check_complete(const vp_xml_check *x)
{
    return !x->bad && x->state == XS_TEXT && x->root_done && x->depth == 0;
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

/* ---- the zip, read piece by piece ----------------------------------------------------------- */

typedef struct reader {
    FILE *fp;
    unsigned char *in, *out;     /* CHUNK bytes each */
    vp_xml_check xml;
} reader;

static bool read_at(FILE *fp, long off, void *buf, size_t n)
{
    return fseek(fp, off, SEEK_SET) == 0 && fread(buf, 1, n, fp) == n;
}

/* Check one member whose data starts at `data`: inflate it (or copy it, stored), compare
 * its size and CRC-32, and feed XML members to the completeness check. VP_OK, VP_ERR_IO
 * on any mismatch, VP_ERR_NOMEM when zlib has no memory. */
static int member_check(reader *r, long data, uint32_t csize, uint32_t method, uint32_t crc,
                        uint32_t usize, bool xml)
{
    if (method != 0 && method != 8)
        return VP_ERR_IO;
    if (method == 0 && csize != usize)
        return VP_ERR_IO;
    if (fseek(r->fp, data, SEEK_SET) != 0)
        return VP_ERR_IO;
    vp_xml_check_init(&r->xml);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (method == 8) {
        int zi = inflateInit2(&z, -MAX_WBITS);
        if (zi != Z_OK)
            return zi == Z_MEM_ERROR ? VP_ERR_NOMEM : VP_ERR_IO;
    }
    uLong sum = crc32(0L, Z_NULL, 0);
    size_t left = csize, got = 0;
    int rc = VP_ERR_IO, zr = Z_OK;
    bool ended = method == 0;
    while (left > 0 || (method == 8 && !ended)) {
        size_t want = left < CHUNK ? left : CHUNK;
        if (want > 0 && fread(r->in, 1, want, r->fp) != want)
            goto done;
        left -= want;
        if (method == 0) {
            sum = crc32(sum, r->in, (uInt)want);
            if (xml)
                vp_xml_check_feed(&r->xml, (const char *)r->in, want);
            got += want;
            continue;
        }
        z.next_in = r->in;
        z.avail_in = (uInt)want;
        do {
            z.next_out = r->out;
            z.avail_out = CHUNK;
            zr = inflate(&z, Z_NO_FLUSH);
            if (zr == Z_MEM_ERROR) {
                rc = VP_ERR_NOMEM;
                goto done;
            }
            if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
                goto done;
            size_t n = CHUNK - z.avail_out;
            got += n;
            if (got > usize)
                goto done;
            sum = crc32(sum, r->out, (uInt)n);
            if (xml)
                vp_xml_check_feed(&r->xml, (const char *)r->out, n);
            if (zr == Z_STREAM_END)
                ended = true;
            else if (zr == Z_BUF_ERROR && left == 0 && n == 0)
                goto done;                       /* the data ends before the stream does */
        } while (!ended && (z.avail_in > 0 || z.avail_out == 0));
        if (ended)
            break;
    }
    if (got == usize && sum == crc)
        rc = VP_OK;
done:
    if (method == 8)
        inflateEnd(&z);
    return rc;
}

int vp_xlsx_verify(const char *file, const char *display, vp_diag *diag)
{
    reader r = {.fp = fopen(file, "rb")};
    unsigned char *cd = NULL;
    if (!r.fp) {
        vp_diag_add(diag, VP_SEV_ERROR, display, NULL, 0, 0, "cannot read the workbook back: %s",
                    strerror(errno));
        return VP_ERR_IO;
    }
    const char *problem = "it is not a complete zip file";
    char bad_name[128] = "";
    int rc = VP_ERR_NOMEM;
    r.in = vp_malloc(CHUNK);
    r.out = vp_malloc(CHUNK);
    if (!r.in || !r.out)
        goto done;
    rc = VP_ERR_IO;
    if (fseek(r.fp, 0, SEEK_END) != 0)
        goto done;
    long len = ftell(r.fp);
    if (len < 22)
        goto done;
    /* End of central directory: 22 bytes, possibly followed by a comment (< 64 KiB). */
    size_t tail = (size_t)len < 22 + 65535 ? (size_t)len : 22 + 65535;
    unsigned char *t = vp_malloc(tail);
    if (!t) {
        rc = VP_ERR_NOMEM;
        goto done;
    }
    if (!read_at(r.fp, len - (long)tail, t, tail)) {
        vp_free(t);
        goto done;
    }
    size_t eocd_at = (size_t)-1;
    for (size_t i = tail - 22 + 1; i-- > 0;)
        if (rd32(t + i) == 0x06054b50) {
            eocd_at = i;
            break;
        }
    if (eocd_at == (size_t)-1) {
        vp_free(t);
        goto done;
    }
    long eocd = len - (long)tail + (long)eocd_at;
    uint32_t n_entries = rd16(t + eocd_at + 10), cd_size = rd32(t + eocd_at + 12),
             cd_off = rd32(t + eocd_at + 16);
    vp_free(t);
    if (cd_off == 0xFFFFFFFFu || n_entries == 0xFFFFu) {
        rc = VP_OK;     /* zip64 (over 4 GB): not produced here; nothing to check it with */
        goto done;
    }
    if ((long)cd_off + (long)cd_size > eocd || n_entries == 0)
        goto done;
    cd = vp_malloc((size_t)cd_size + 1);
    if (!cd) {
        rc = VP_ERR_NOMEM;
        goto done;
    }
    if (!read_at(r.fp, (long)cd_off, cd, cd_size))
        goto done;
    size_t p = 0;
    for (uint32_t e = 0; e < n_entries; e++) {
        if (p + 46 > cd_size || rd32(cd + p) != 0x02014b50)
            goto done;
        uint32_t method = rd16(cd + p + 10), crc = rd32(cd + p + 16), csize = rd32(cd + p + 20),
                 usize = rd32(cd + p + 24), nlen = rd16(cd + p + 28), xlen = rd16(cd + p + 30),
                 clen = rd16(cd + p + 32), loff = rd32(cd + p + 42);
        const char *name = (const char *)cd + p + 46;
        if (p + 46 + nlen > cd_size)
            goto done;
        snprintf(bad_name, sizeof bad_name, "%.*s", (int)(nlen < 100 ? nlen : 100), name);
        unsigned char lh[30];
        if ((long)loff + 30 > len || !read_at(r.fp, (long)loff, lh, 30) || rd32(lh) != 0x04034b50)
            goto done;
        long data = (long)loff + 30 + (long)rd16(lh + 26) + (long)rd16(lh + 28);
        if (data > len || len - data < (long)csize)
            goto done;
        problem = "a part does not match its checksum";
        bool xml = is_xml_part(name, nlen);
        int mc = member_check(&r, data, csize, method, crc, usize, xml);
        if (mc != VP_OK) {
            rc = mc;
            goto done;
        }
        problem = "a part is incomplete";
        if (xml && !vp_xml_check_complete(&r.xml))
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
    vp_free(cd);
    vp_free(r.in);
    vp_free(r.out);
    fclose(r.fp);
    return rc;
}
