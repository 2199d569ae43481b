/* fuzz_templates.c — libFuzzer harness: the report templates with one file replaced.
 *
 * At start the source report_templates/ is copied to a private folder. An input is
 *     byte 0      which file to replace: index = byte % number of files (files sorted by
 *                 path: annual.json, best_practices.json, health.json, locales/en/...,
 *                 locales/zh-CN/..., playbook.json, qbr.json, renewal.json, theme.json),
 *                 and which account to use: (byte / number of files) % 2
 *                 (0 = the zh-CN example, 1 = the en example)
 *     bytes 1..   the new content of that file
 * The folder is loaded with vp_templates_load; when it loads, the account is computed with
 * it and all four documents are rendered (lib/render, lib/xlsx read strings, health model,
 * playbook and layouts from it). The original file is put back afterwards.
 * vp_templates_load uses cJSON, whose parser writes a global error pointer: this harness
 * is single-threaded, as libFuzzer runs it. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define MAX_FILES 64

typedef struct tfile {
    char rel[256];
    char *data;
    size_t len;
} tfile;

static tfile g_files[MAX_FILES];
static size_t g_n_files;
static const char *g_tpl_dir;
static const char *g_out;
static vp_account *g_acc[2];
static vp_fontset *g_fonts;

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const tfile *)a)->rel, ((const tfile *)b)->rel);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fz_fail("cannot read %s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n)
        fz_fail("cannot read %s", path);
    fclose(fp);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static void spill(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(data, 1, len, fp) != len || fclose(fp) != 0)
        fz_fail("cannot write %s", path);
}

/* Copy src/rel (a folder) into g_tpl_dir/rel, recording every .json file. */
static void copy_tree(const char *src, const char *rel)
{
    char sdir[4096], ddir[4096];
    snprintf(sdir, sizeof sdir, "%s%s%s", src, *rel ? "/" : "", rel);
    snprintf(ddir, sizeof ddir, "%s%s%s", g_tpl_dir, *rel ? "/" : "", rel);
    mkdir(ddir, 0755);
    DIR *d = opendir(sdir);
    if (!d)
        fz_fail("cannot list %s", sdir);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char r[256], sp[4096], dp[4096];
        if (snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "", de->d_name) >= (int)sizeof r)
            fz_fail("template path too long: %s/%s", rel, de->d_name);
        snprintf(sp, sizeof sp, "%s/%s", src, r);
        snprintf(dp, sizeof dp, "%s/%s", g_tpl_dir, r);
        struct stat st;
        if (stat(sp, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            copy_tree(src, r);
            continue;
        }
        size_t len;
        char *data = slurp(sp, &len);
        spill(dp, data, len);
        size_t n = strlen(de->d_name);
        if (n > 5 && !strcmp(de->d_name + n - 5, ".json") && g_n_files < MAX_FILES) {
            tfile *f = &g_files[g_n_files++];
            snprintf(f->rel, sizeof f->rel, "%s", r);
            f->data = data;
            f->len = len;
        } else {
            free(data);
        }
    }
    closedir(d);
}

static void release(void)
{
    for (int i = 0; i < 2; i++)
        vp_account_free(g_acc[i]);
    vp_fontset_free(g_fonts);
    for (size_t i = 0; i < g_n_files; i++)
        free(g_files[i].data);
    g_n_files = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char src[4096];
    snprintf(src, sizeof src, "%s/report_templates", fz_source_root());
    g_tpl_dir = fz_tempdir("templates");
    copy_tree(src, "");
    if (g_n_files == 0)
        fz_fail("no template files under %s", src);
    qsort(g_files, g_n_files, sizeof g_files[0], cmp_file);
    static const char *const accounts[2] = {"hdjm-discrete-manufacturing.json",
                                            "northwind-distribution.json"};
    vp_diag *diag = vp_diag_new();
    for (int i = 0; i < 2; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/examples/%s", fz_source_root(), accounts[i]);
        if (vp_account_load(&g_acc[i], p, NULL, diag) != VP_OK) {
            vp_diag_print(diag, stderr);
            fz_fail("cannot load %s", p);
        }
    }
    if (vp_fontset_load(&g_fonts, fz_font_path(), 0, diag) != VP_OK) {
        vp_diag_print(diag, stderr);
        fprintf(stderr, "fuzz_templates: no font, PDF documents will not be exercised\n");
    }
    vp_diag_free(diag);
    g_out = fz_tempdir("templates-out");
    atexit(release);
    const char *seeds = getenv("VP_FUZZ_WRITE_SEEDS");
    if (seeds && *seeds) {
        /* The seed corpus: every template file unchanged, with each account. */
        for (size_t a = 0; a < 2; a++) {
            for (size_t i = 0; i < g_n_files; i++) {
                char p[4096];
                snprintf(p, sizeof p, "%s/%02zu-%zu", seeds, i, a);
                unsigned char sel = (unsigned char)(i + a * g_n_files);
                FILE *fp = fopen(p, "wb");
                if (!fp || fputc(sel, fp) == EOF ||
                    fwrite(g_files[i].data, 1, g_files[i].len, fp) != g_files[i].len ||
                    fclose(fp) != 0)
                    fz_fail("cannot write the seed %s", p);
                printf("%s: %s, account %zu\n", p, g_files[i].rel, a);
            }
        }
        exit(0);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const tfile *f = &g_files[data[0] % g_n_files];
    const vp_account *acc = g_acc[(data[0] / g_n_files) % 2];
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", g_tpl_dir, f->rel);
    spill(path, data + 1, size - 1);

    vp_diag *diag = vp_diag_new();
    vp_templates *tpl = NULL;
    int rc = vp_templates_load(&tpl, g_tpl_dir, diag);
    if (rc != VP_OK) {
        if (tpl)
            fz_fail("vp_templates_load failed (%s) but returned templates", vp_strerror(rc));
        if (!vp_diag_errors(diag))
            fz_fail("templates rejected (%s) without an error message", vp_strerror(rc));
        if (rc != VP_ERR_TEMPLATE)
            fz_fail("templates rejected with an unexpected status: %s", vp_strerror(rc));
    } else {
        if (!tpl)
            fz_fail("vp_templates_load returned VP_OK and no templates");
        fz_compute_and_render(acc, tpl, g_fonts, g_out);
    }
    vp_templates_free(tpl);
    vp_diag_free(diag);
    spill(path, f->data, f->len);
    return 0;
}
