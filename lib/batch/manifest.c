/* manifest.c — reading a batch manifest one account at a time.
 *
 * A manifest of 10,000 accounts is ~10 MB of JSON; parsed whole with cJSON it costs ~70 MB,
 * which is what memory "flat as the portfolio grows" rules out. batch writes the file in a
 * fixed layout (batch.c write_manifest): the header fields, then `"accounts": [`, then one
 * account object per line. The reader parses the header alone, then one line per account,
 * and can go back to a line by its offset (--skip-unchanged keeps only offsets). */
#include "manifest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "../util/alloc.h"
#include "../util/strbuf.h"

/* The next line into r->line (its newline dropped); false at the end of the file. getline
 * keeps a NUL byte inside a line (a damaged manifest) from joining two lines. */
static bool read_line(vp_manifest_reader *r)
{
    errno = 0;
    ssize_t n = getline(&r->line, &r->cap, r->fp);
    if (n <= 0) {
        if (n < 0 && !feof(r->fp))
            r->error = errno ? errno : EIO;   /* out of memory, or an I/O error */
        return false;
    }
    if (r->line[n - 1] == '\n')
        r->line[--n] = '\0';
    r->len = (size_t)n;
    return true;
}

int vp_manifest_open(vp_manifest_reader *r, const char *path, vp_diag *diag)
{
    memset(r, 0, sizeof *r);
    r->fp = fopen(path, "rb");
    if (!r->fp) {
        if (diag)
            vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "cannot read the manifest: %s",
                        strerror(errno));
        return VP_ERR_IO;
    }
    vp_strbuf head = VP_STRBUF_INIT;
    bool found = false;
    while (read_line(r)) {
        const char *l = r->line;
        const char *acc = strstr(l, "\"accounts\":");
        if (acc) {
            /* the header, closed with an empty accounts array */
            vp_strbuf_append(&head, l, (size_t)(acc - l));
            vp_strbuf_puts(&head, "\"accounts\": []}");
            found = true;
            r->empty = strchr(acc, ']') != NULL;
            break;
        }
        vp_strbuf_puts(&head, l);
        vp_strbuf_putc(&head, '\n');
    }
    if (found && !vp_strbuf_failed(&head))
        r->head = cJSON_Parse(vp_strbuf_cstr(&head));
    vp_strbuf_free(&head);
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(r->head, "schema");
    if (!r->head || !cJSON_IsString(schema) || strcmp(schema->valuestring, "valuepack/manifest@1")) {
        if (diag)
            vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0,
                        "not a valuepack batch manifest (expected \"schema\": "
                        "\"valuepack/manifest@1\" and one account per line)");
        vp_manifest_close(r);
        return VP_ERR_INVALID;
    }
    return VP_OK;
}

/* Parse the current line as an account entry: "    {...}," -> the object. */
static cJSON *parse_line(vp_manifest_reader *r)
{
    char *l = r->line;
    size_t n = r->len;
    while (n && (l[n - 1] == ',' || l[n - 1] == ' ' || l[n - 1] == '\r'))
        n--;
    size_t i = 0;
    while (i < n && l[i] == ' ')
        i++;
    if (i >= n || l[i] != '{')
        return NULL;
    return cJSON_ParseWithLength(l + i, n - i);
}

cJSON *vp_manifest_next(vp_manifest_reader *r, long *offset)
{
    if (!r->fp || r->empty)
        return NULL;
    for (;;) {
        long off = ftell(r->fp);
        if (!read_line(r))
            return NULL;
        const char *l = r->line;
        while (*l == ' ')
            l++;
        if (*l == ']')
            return NULL;   /* the end of the accounts */
        cJSON *e = parse_line(r);
        if (e) {
            if (offset)
                *offset = off;
            return e;
        }
    }
}

cJSON *vp_manifest_read_at(vp_manifest_reader *r, long offset)
{
    if (!r->fp || fseek(r->fp, offset, SEEK_SET) != 0 || !read_line(r))
        return NULL;
    return parse_line(r);
}

void vp_manifest_detach(vp_manifest_reader *r)
{
    cJSON_Delete(r->head);
    free(r->line);                  /* getline's buffer: malloc'd by libc */
    memset(r, 0, sizeof *r);
}

void vp_manifest_close(vp_manifest_reader *r)
{
    if (r->fp)
        fclose(r->fp);
    vp_manifest_detach(r);
}
