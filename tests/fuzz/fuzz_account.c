/* fuzz_account.c — libFuzzer harness: one account file through the whole pipeline.
 *
 * The input is the bytes of an account file. It is loaded and validated
 * (vp_account_load_buffer); when it is valid, the report is computed (as-of 2025-10-09),
 * its analyze JSON is checked for well-formedness, and all four documents (QBR deck,
 * annual summary, renewal sheet, Excel appendix) are rendered into a private folder —
 * the PDF ones exercise lib/render and lib/pdf as soon as they exist. A rejected input
 * must come with at least one error message. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

static vp_templates *g_tpl;
static vp_fontset *g_fonts;
static const char *g_out;

static void release(void)
{
    vp_fontset_free(g_fonts);
    vp_templates_free(g_tpl);
    g_fonts = NULL;
    g_tpl = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/report_templates", fz_source_root());
    vp_diag *diag = vp_diag_new();
    if (vp_templates_load(&g_tpl, dir, diag) != VP_OK) {
        vp_diag_print(diag, stderr);
        fz_fail("cannot load the report templates from %s", dir);
    }
    vp_diag_clear(diag);
    if (vp_fontset_load(&g_fonts, fz_font_path(), 0, diag) != VP_OK) {
        /* Still useful without a font: the PDF documents then fail cleanly. */
        vp_diag_print(diag, stderr);
        fprintf(stderr, "fuzz_account: no font, PDF documents will not be exercised\n");
    }
    vp_diag_free(diag);
    g_out = fz_tempdir("account");
    atexit(release);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vp_diag *diag = vp_diag_new();
    vp_account *acc = NULL;
    vp_load_options lo = {.display_name = "fuzz.json", .strict = size > 0 && (data[0] & 1)};
    int rc = vp_account_load_buffer(&acc, (const char *)data, size, &lo, diag);
    if (rc != VP_OK) {
        if (acc)
            fz_fail("vp_account_load_buffer failed (%s) but returned an account",
                    vp_strerror(rc));
        if (!vp_diag_errors(diag))
            fz_fail("account rejected (%s) without an error message", vp_strerror(rc));
        if (rc != VP_ERR_PARSE && rc != VP_ERR_INVALID && rc != VP_ERR_LIMIT)
            fz_fail("account rejected with an unexpected status: %s", vp_strerror(rc));
    } else {
        if (!acc)
            fz_fail("vp_account_load_buffer returned VP_OK and no account");
        fz_compute_and_render(acc, g_tpl, g_fonts, g_out);
    }
    vp_account_free(acc);
    vp_diag_free(diag);
    return 0;
}
