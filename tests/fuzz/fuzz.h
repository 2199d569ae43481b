/* fuzz.h — what the fuzz harnesses (tests/fuzz/fuzz_*.c) share.
 *
 * Each harness defines libFuzzer's two entry points. Built with -Dfuzz=true and clang they
 * link against libFuzzer (-fsanitize=fuzzer); in every build they also link with replay.c,
 * a main() that feeds them the files of tests/fuzz/regressions/ (and the seed corpus), so
 * every input the fuzzers ever crashed on is replayed by the default test suite under the
 * release and the ASan/UBSan builds.
 *
 * The harnesses check more than "no crash": after each render, a document that failed
 * must not exist under its final name, and no temporary file may be left behind; the
 * analyze JSON must be well-formed. A broken invariant prints what was seen and aborts. */
#ifndef VP_FUZZ_H
#define VP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "valuepack.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print "fuzz invariant broken: ..." on stderr and abort(). */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* A new private folder under $TMPDIR (or /tmp), removed with everything in it at exit. */
char *fz_tempdir(const char *tag);
/* Remove every entry of `dir` (one level; sub-folders are removed recursively). */
void fz_dir_clear(const char *dir);

/* The source tree (for the templates, examples and fonts). */
const char *fz_source_root(void);
/* The font used for the PDF documents: wqy-microhei when installed, else NULL
 * (fontconfig decides). */
const char *fz_font_path(void);

/* Compute `acc` with `tpl` (fixed as-of date), check its analyze JSON, render all four
 * documents into `dir` and check the files. Returns the compute status. */
int fz_compute_and_render(const vp_account *acc, const vp_templates *tpl,
                          const vp_fontset *fonts, const char *dir);

#endif
