/* cli.h — what every subcommand of the valuepack CLI shares: messages, exit statuses,
 * finding the report templates and the font, and the common options. */
#ifndef VP_CLI_H
#define VP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "valuepack.h"

/* Exit statuses (README "Exit status"). */
enum {
    EXIT_OK = 0,
    EXIT_FAILED = 1,    /* output could not be produced (I/O, font, render), or batch: some accounts failed */
    EXIT_USAGE = 2,     /* bad command line, invalid account file or templates: nothing written */
};

/* Options shared by the document commands. */
typedef struct cli_common {
    const char *period;
    const char *date;
    const char *locale;
    const char *templates_dir;
    const char *font_path;
    int font_index;
    const char *outdir;
    bool strict;
    bool check_layout;
    bool quiet;
} cli_common;

/* "valuepack: MESSAGE" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error for `cmd`: message, then "Try 'valuepack CMD --help'."; returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Flush and close stdout; on a write error (e.g. a full disk or a closed pipe) print it and
 * return EXIT_FAILED, else `status`. */
int cli_finish(int status);

/* Load the report templates: --templates DIR, else $VALUEPACK_TEMPLATES, else next to the
 * executable (<prefix>/share/valuepack/report_templates, or the source tree for a build
 * directory), else the compiled-in data dir. Prints problems; NULL on failure, with
 * *status the exit status to use (EXIT_USAGE for invalid templates, EXIT_FAILED when
 * memory ran out). */
vp_templates *cli_templates_load(const char *dir, int *status);

/* Load and validate one account file, printing every problem (and warnings). NULL when it
 * failed; *status then holds the exit status to use. */
vp_account *cli_account_load(const char *path, bool strict, int *status);

/* Create the output folder (and its parents) when missing. Prints the problem and
 * returns false when it cannot be created or is not a writable folder. */
bool cli_ensure_dir(const char *path);

/* Map a library error to an exit status. */
int cli_status_for(int err);

#endif
