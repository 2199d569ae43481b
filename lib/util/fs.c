#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

static vp_tmpfile_hook g_hook;   /* set once before threads start */

void vp_set_tmpfile_hook(vp_tmpfile_hook hook) { g_hook = hook; }

void vp_tmpfile_notify(const char *tmp_path, bool created)
{
    if (g_hook)
        g_hook(tmp_path, created);
}

int vp_file_read(const char *path, size_t max, char **out, size_t *len, vp_diag *diag,
                 const char *display_name)
{
    const char *name = display_name ? display_name : path;
    *out = NULL;
    *len = 0;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        vp_diag_add(diag, VP_SEV_ERROR, name, NULL, 0, 0, "cannot open: %s", strerror(errno));
        return VP_ERR_IO;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(fp);
        vp_diag_add(diag, VP_SEV_ERROR, name, NULL, 0, 0,
                    "is a folder, expected an account file (.json)");
        return VP_ERR_IO;
    }
    size_t cap = 64 * 1024, n = 0;
    char *buf = vp_malloc(cap + 1);
    if (!buf) {
        fclose(fp);
        return VP_ERR_NOMEM;
    }
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                break;
            }
            size_t ncap = cap * 2;
            char *nb = vp_realloc(buf, ncap + 1);
            if (!nb) {
                vp_free(buf);
                fclose(fp);
                return VP_ERR_NOMEM;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n > max)
            break;
        if (got == 0)
            break;
    }
    int rerr = ferror(fp);
    int saved = errno;
    fclose(fp);
    if (rerr) {
        vp_free(buf);
        vp_diag_add(diag, VP_SEV_ERROR, name, NULL, 0, 0, "cannot read: %s", strerror(saved));
        return VP_ERR_IO;
    }
    if (n > max) {
        vp_free(buf);
        vp_diag_add(diag, VP_SEV_ERROR, name, NULL, 0, 0,
                    "file is larger than the limit of %zu bytes", max);
        return VP_ERR_LIMIT;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return VP_OK;
}

static char *tmp_name_for(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t n = dirlen + 1 + strlen(base) + sizeof(".tmp-XXXXXX");
    char *tmp = vp_malloc(n);
    if (!tmp)
        return NULL;
    memcpy(tmp, path, dirlen);
    snprintf(tmp + dirlen, n - dirlen, ".%s.tmp-XXXXXX", base);
    return tmp;
}

int vp_atomic_open(vp_atomic_file *f, const char *path, vp_diag *diag)
{
    memset(f, 0, sizeof(*f));
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* Renaming over it would replace a folder's name, a device (/dev/full as root) or
         * a pipe with a regular file: refuse instead. */
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0,
                    S_ISDIR(st.st_mode) ? "cannot write the document: a folder of that name exists"
                                        : "cannot write the document: a special file (device, "
                                          "pipe or socket) of that name exists");
        return VP_ERR_IO;
    }
    f->final_path = vp_strdup(path);
    f->tmp_path = tmp_name_for(path);
    if (!f->final_path || !f->tmp_path) {
        vp_atomic_abort(f);
        return VP_ERR_NOMEM;
    }
    int fd = mkstemp(f->tmp_path);
    if (fd < 0) {
        int e = errno;
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "cannot create the output file: %s",
                    strerror(e));
        vp_free(f->tmp_path);
        f->tmp_path = NULL;
        vp_atomic_abort(f);
        return VP_ERR_IO;
    }
    fchmod(fd, 0644);
    vp_tmpfile_notify(f->tmp_path, true);
    f->fp = fdopen(fd, "wb");
    if (!f->fp) {
        close(fd);
        vp_atomic_abort(f);
        return VP_ERR_NOMEM;
    }
    return VP_OK;
}

int vp_atomic_reserve(vp_atomic_file *f, const char *path, vp_diag *diag)
{
    int rc = vp_atomic_open(f, path, diag);
    if (rc == VP_OK) {
        fclose(f->fp);
        f->fp = NULL;
    }
    return rc;
}

int vp_atomic_commit(vp_atomic_file *f, vp_diag *diag)
{
    int rc = VP_OK;
    if (f->fp) {
        bool bad = fflush(f->fp) != 0 || ferror(f->fp);
        int e = errno;
        if (fclose(f->fp) != 0 && !bad) {
            bad = true;
            e = errno;
        }
        f->fp = NULL;
        if (bad) {
            vp_diag_add(diag, VP_SEV_ERROR, f->final_path, NULL, 0, 0,
                        "cannot write the output file: %s", strerror(e ? e : EIO));
            rc = VP_ERR_IO;
        }
    }
    if (rc == VP_OK && f->tmp_path && rename(f->tmp_path, f->final_path) != 0) {
        vp_diag_add(diag, VP_SEV_ERROR, f->final_path, NULL, 0, 0,
                    "cannot move the output file into place: %s", strerror(errno));
        rc = VP_ERR_IO;
    }
    if (rc == VP_OK && f->tmp_path) {
        vp_tmpfile_notify(f->tmp_path, false);
        vp_free(f->tmp_path);
        f->tmp_path = NULL;
    }
    vp_atomic_abort(f);
    return rc;
}

void vp_atomic_abort(vp_atomic_file *f)
{
    if (f->fp) {
        fclose(f->fp);
        f->fp = NULL;
    }
    if (f->tmp_path) {
        unlink(f->tmp_path);
        vp_tmpfile_notify(f->tmp_path, false);
        vp_free(f->tmp_path);
        f->tmp_path = NULL;
    }
    vp_free(f->final_path);
    f->final_path = NULL;
}

bool vp_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int vp_mkdir_p(const char *path, vp_diag *diag)
{
    char *p = vp_strdup(path);
    if (!p)
        return VP_ERR_NOMEM;
    for (char *s = p + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                vp_diag_add(diag, VP_SEV_ERROR, p, NULL, 0, 0, "cannot create folder: %s",
                            strerror(errno));
                vp_free(p);
                return VP_ERR_IO;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    bool ok = vp_is_dir(path);
    if (!ok)
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "exists and is not a folder");
    vp_free(p);
    return ok ? VP_OK : VP_ERR_IO;
}

const char *vp_scratch_dir(const char *given, const char *output_path, char *buf, size_t size)
{
    const char *env = getenv("TMPDIR");
    if (given && *given)
        snprintf(buf, size, "%s", given);
    else if (env && *env)
        snprintf(buf, size, "%s", env);
    else if (vp_is_dir("/dev/shm") && access("/dev/shm", W_OK | X_OK) == 0)
        snprintf(buf, size, "/dev/shm");
    else {
        const char *slash = output_path ? strrchr(output_path, '/') : NULL;
        if (!slash)
            snprintf(buf, size, ".");
        else if (slash == output_path)
            snprintf(buf, size, "/");
        else
            snprintf(buf, size, "%.*s", (int)(slash - output_path), output_path);
    }
    return buf;
}
