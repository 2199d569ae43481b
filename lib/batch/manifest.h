/* manifest.h — reading a batch manifest (OUT/manifest.json) one account at a time, so
 * memory does not grow with the portfolio (manifest.c). */
#ifndef VP_BATCH_MANIFEST_H
#define VP_BATCH_MANIFEST_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

#include "valuepack/common.h"
#include "../util/strbuf.h"

typedef struct vp_manifest_reader {
    FILE *fp;
    cJSON *head;        /* the header fields (schema, valuepack, templates_sha256, date, ...) */
    bool empty;         /* "accounts": [] */
    vp_strbuf line;
    char *gl;           /* getline's buffer */
    size_t gl_cap;
} vp_manifest_reader;

/* Open `path` and parse its header. VP_ERR_IO (unreadable) or VP_ERR_INVALID (not a
 * manifest written by valuepack batch), with a message in diag (may be NULL). */
int vp_manifest_open(vp_manifest_reader *r, const char *path, vp_diag *diag);
/* The next account entry (caller cJSON_Deletes it) and the offset of its line; NULL at the
 * end. Lines that are not account objects are skipped. */
cJSON *vp_manifest_next(vp_manifest_reader *r, long *offset);
/* The account entry whose line starts at `offset` (from vp_manifest_next); NULL if none. */
cJSON *vp_manifest_read_at(vp_manifest_reader *r, long offset);
void vp_manifest_close(vp_manifest_reader *r);

#endif
