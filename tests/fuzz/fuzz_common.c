/* fuzz_common.c — helpers shared by the fuzz harnesses (see fuzz.h). */
#include "fuzz.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vp_config.h"

#define FZ_AS_OF "2025-10-09"

void fz_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("fuzz invariant broken: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

/* ---- temporary folders ------------------------------------------------------------- */

static char *g_dirs[8];
static size_t g_n_dirs;

void fz_dir_clear(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            fz_dir_clear(p);
            rmdir(p);
        } else {
            unlink(p);
        }
    }
    closedir(d);
}

static void remove_dirs(void)
{
    for (size_t i = 0; i < g_n_dirs; i++) {
        fz_dir_clear(g_dirs[i]);
        rmdir(g_dirs[i]);
        free(g_dirs[i]);
    }
    g_n_dirs = 0;
}

char *fz_tempdir(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/vp-fuzz-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    if (!mkdtemp(tmpl))
        fz_fail("cannot create a temporary folder %s", tmpl);
    if (g_n_dirs == sizeof g_dirs / sizeof g_dirs[0])
        fz_fail("too many temporary folders");
    if (g_n_dirs == 0)
        atexit(remove_dirs);
    g_dirs[g_n_dirs] = strdup(tmpl);
    if (!g_dirs[g_n_dirs])
        fz_fail("out of memory");
    return g_dirs[g_n_dirs++];
}

const char *fz_source_root(void)
{
    const char *env = getenv("SOURCE_ROOT");
    return env && *env ? env : VP_SOURCE_ROOT;
}

const char *fz_font_path(void)
{
    static const char *const candidates[] = {
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        NULL,
    };
    const char *env = getenv("VP_FUZZ_FONT");
    if (env && *env)
        return env;
    for (const char *const *c = candidates; *c; c++)
        if (access(*c, R_OK) == 0)
            return *c;
    return NULL;
}

/* ---- checks ------------------------------------------------------------------------ */

static void check_json(const char *json, bool pretty)
{
    if (!json)
        fz_fail("vp_report_to_json(pretty=%d) returned NULL", pretty);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(json, &end, 1);
    if (!root)
        fz_fail("analyze JSON (pretty=%d) is not well-formed near offset %td: %.80s", pretty,
                end ? end - json : (ptrdiff_t)-1, end ? end : "");
    if (!cJSON_IsObject(root))
        fz_fail("analyze JSON is not an object");
    cJSON_Delete(root);
}

/* Every entry of dir must be one of the committed documents: no temporary file left. */
static void check_dir(const char *dir, char names[][256], const bool *written, int n)
{
    DIR *d = opendir(dir);
    if (!d)
        fz_fail("cannot list %s", dir);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        bool known = false;
        for (int k = 0; k < n; k++)
            if (written[k] && !strcmp(names[k], de->d_name))
                known = true;
        if (!known)
            fz_fail("file left behind in the output folder: %s", de->d_name);
    }
    closedir(d);
}

int fz_compute_and_render(const vp_account *acc, const vp_templates *tpl,
                          const vp_fontset *fonts, const char *dir)
{
    vp_diag *diag = vp_diag_new();
    vp_report *rep = NULL;
    if (!diag)
        fz_fail("out of memory");
    vp_compute_options co = {.date = FZ_AS_OF};
    int rc = vp_report_compute(&rep, acc, tpl, &co, diag);
    if (rc != VP_OK) {
        if (rep)
            fz_fail("vp_report_compute failed (%s) but returned a report", vp_strerror(rc));
        if (!vp_diag_errors(diag))
            fz_fail("vp_report_compute failed (%s) without a message", vp_strerror(rc));
        goto done;
    }
    for (int pretty = 0; pretty < 2; pretty++) {
        char *json = vp_report_to_json(rep, pretty);
        check_json(json, pretty);
        free(json);
    }
    char names[VP_DOC__COUNT][256];
    bool written[VP_DOC__COUNT] = {false};
    /* Scratch files (font subsets, workbook parts) go to a folder of ours, which must be
     * empty again after every document. */
    static const char *scratch;
    if (!scratch)
        scratch = fz_tempdir("scratch");
    vp_render_options ro = {.fonts = fonts, .tmpdir = scratch};
    for (int k = 0; k < VP_DOC__COUNT; k++) {
        if (vp_document_filename(names[k], sizeof names[k], rep, (vp_doc_kind)k) < 0)
            fz_fail("no file name for document %d", k);
        if (strchr(names[k], '/'))
            fz_fail("document file name contains '/': %s", names[k]);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        vp_diag_clear(diag);
        int rrc = vp_document_render((vp_doc_kind)k, rep, tpl, &ro, path, diag);
        struct stat st;
        bool exists = stat(path, &st) == 0;
        if (rrc == VP_OK) {
            if (!exists || !S_ISREG(st.st_mode) || st.st_size == 0)
                fz_fail("%s: rendered OK but no file was written", names[k]);
            written[k] = true;
        } else {
            if (exists)
                fz_fail("%s: render failed (%s) but the file exists", names[k],
                        vp_strerror(rrc));
            if (!vp_diag_errors(diag))
                fz_fail("%s: render failed (%s) without a message", names[k],
                        vp_strerror(rrc));
            if (rrc == VP_ERR_IO || rrc == VP_ERR_NOMEM || rrc == VP_ERR_USAGE ||
                rrc == VP_ERR_PARSE) {
                vp_diag_print(diag, stderr);
                fz_fail("%s: unexpected render failure: %s", names[k], vp_strerror(rrc));
            }
        }
        check_dir(dir, names, written, VP_DOC__COUNT);
        check_dir(scratch, names, (const bool[VP_DOC__COUNT]){false}, VP_DOC__COUNT);
    }
    fz_dir_clear(dir);
done:
    vp_report_free(rep);
    vp_diag_free(diag);
    return rc;
}
