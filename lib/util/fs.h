/* fs.h — reading input files and writing output files atomically.
 *
 * Every output goes to a temporary file in the destination folder (".NAME.tmp-XXXXXX")
 * and is renamed over NAME only once it is complete and closed without error, so no
 * half-written file ever appears under its final name — not on a write error, a full
 * disk, or an interrupted run (batch removes the temporary files it owns on SIGINT/TERM).
 * No fsync: the guarantee is against failures of the process, not of the machine. */
#ifndef VP_FS_H
#define VP_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "valuepack/common.h"

/* Read the whole file into a new NUL-terminated buffer (caller frees with vp_free).
 * VP_ERR_IO (message in diag, with strerror) or VP_ERR_LIMIT when larger than max. */
int vp_file_read(const char *path, size_t max, char **out, size_t *len, vp_diag *diag,
                 const char *display_name);

typedef struct vp_atomic_file {
    char *final_path;
    char *tmp_path;
    FILE *fp;           /* open for writing while the file is in progress */
} vp_atomic_file;

/* Create the temporary file next to `path`. VP_ERR_IO with a message in diag. */
int vp_atomic_open(vp_atomic_file *f, const char *path, vp_diag *diag);
/* As vp_atomic_open, for a library that writes the file by its name (libxlsxwriter): the
 * temporary file is created, its handle closed, and its name is in f->tmp_path. */
int vp_atomic_reserve(vp_atomic_file *f, const char *path, vp_diag *diag);
/* Close the temporary file (reporting any write error) and rename it to the final path.
 * On failure the temporary file is removed. */
int vp_atomic_commit(vp_atomic_file *f, vp_diag *diag);
/* Remove the temporary file (if any) and release f. Safe after commit and on a zeroed f. */
void vp_atomic_abort(vp_atomic_file *f);

/* Report a temporary path created by other means (libxlsxwriter writes by name). */
void vp_tmpfile_notify(const char *tmp_path, bool created);

/* The folder for scratch files that are not outputs (a document's font subset,
 * libxlsxwriter's parts): `given` when not NULL; else $TMPDIR when set; else /dev/shm when
 * it is a writable folder (memory: no disk traffic for files that live milliseconds); else
 * the folder of `output_path`. Written to buf; returns buf. */
const char *vp_scratch_dir(const char *given, const char *output_path, char *buf, size_t size);

/* True when path exists and is a directory. */
bool vp_is_dir(const char *path);
/* mkdir -p; VP_ERR_IO with message in diag. */
int vp_mkdir_p(const char *path, vp_diag *diag);

#endif
