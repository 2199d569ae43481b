/* manifest.h — reading a batch manifest (OUT/manifest.json) one account at a time, so
 * memory does not grow with the portfolio (manifest.c). */
#ifndef VP_BATCH_MANIFEST_H
#define VP_BATCH_MANIFEST_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

#include "valuepack/common.h"

typedef struct vp_manifest_reader {
    FILE *fp;
    cJSON *head;        /* the header fields (schema, valuepack, templates_sha256, date, ...) */
    bool empty;         /* "accounts": [] */
    char *line;         /* the current line, without its newline (getline's buffer) */
    size_t len, cap;
    int error;          /* errno of a read that failed before the end of the file, or 0 */
} vp_manifest_reader;

/* Open `path` and parse its header. VP_ERR_IO (unreadable) or VP_ERR_INVALID (not a
 * manifest written by valuepack batch), with a message in diag (may be NULL). */
int vp_manifest_open(vp_manifest_reader *r, const char *path, vp_diag *diag);
/* The next account entry (caller cJSON_Deletes it) and the offset of its line; NULL at the
 * end, or when reading failed (r->error). Lines that are not account objects are skipped. */
cJSON *vp_manifest_next(vp_manifest_reader *r, long *offset);
/* The account entry whose line starts at `offset` (from vp_manifest_next); NULL if none. */
cJSON *vp_manifest_read_at(vp_manifest_reader *r, long offset);
void vp_manifest_close(vp_manifest_reader *r);
/* A reader over a stream the caller owns (batch's lines file) is {.fp = f}; this frees what
 * it holds and leaves the stream open. */
void vp_manifest_detach(vp_manifest_reader *r);

#endif
