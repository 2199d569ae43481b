/* cli.c — shared pieces of the valuepack subcommands. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vp_config.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("valuepack: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("valuepack: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (cmd)
        fprintf(stderr, "Try 'valuepack %s --help'.\n", cmd);
    else
        fputs("Try 'valuepack --help'.\n", stderr);
    return EXIT_USAGE;
}

int cli_finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
        if (errno != EPIPE)
            cli_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
        return status ? status : EXIT_FAILED;
    }
    return status;
}

int cli_status_for(int err)
{
    switch (err) {
    case VP_OK: return EXIT_OK;
    case VP_ERR_PARSE:
    case VP_ERR_INVALID:
    case VP_ERR_LIMIT:
    case VP_ERR_TEMPLATE:
    case VP_ERR_USAGE: return EXIT_USAGE;
    default: return EXIT_FAILED;
    }
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The templates folder when no --templates and no $VALUEPACK_TEMPLATES were given. */
static const char *find_templates(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            /* Installed: <prefix>/bin/valuepack -> <prefix>/share/valuepack/report_templates */
            if (snprintf(buf, size, "%s/../share/valuepack/report_templates", exe) <
                    (int)size && is_dir(buf))
                return buf;
            /* A build directory of the source tree: use the source templates. */
            size_t blen = strlen(VP_BUILD_ROOT);
            if (strncmp(exe, VP_BUILD_ROOT, blen) == 0 && (exe[blen] == '/' || !exe[blen])) {
                if (snprintf(buf, size, "%s/report_templates", VP_SOURCE_ROOT) < (int)size &&
                    is_dir(buf))
                    return buf;
            }
        }
    }
    return VP_DATADIR;
}

vp_templates *cli_templates_load(const char *dir, int *status)
{
    char buf[PATH_MAX];
    if (!dir) {
        const char *env = getenv("VALUEPACK_TEMPLATES");
        dir = env && *env ? env : find_templates(buf, sizeof buf);
    }
    vp_diag *diag = vp_diag_new();
    vp_templates *t = NULL;
    int rc = diag ? vp_templates_load(&t, dir, diag) : VP_ERR_NOMEM;
    *status = cli_status_for(rc);
    if (rc != VP_OK) {
        vp_diag_print(diag, stderr);
        if (!vp_diag_count(diag))
            cli_error("cannot load report templates from %s: %s", dir, vp_strerror(rc));
    }
    vp_diag_free(diag);
    return t;
}

vp_account *cli_account_load(const char *path, bool strict, int *status)
{
    vp_diag *diag = vp_diag_new();
    vp_load_options opts = {.strict = strict, .display_name = path};
    vp_account *a = NULL;
    int rc = diag ? vp_account_load(&a, path, &opts, diag) : VP_ERR_NOMEM;
    vp_diag_print(diag, stderr);
    if (rc != VP_OK && !vp_diag_errors(diag))
        cli_error("%s: %s", path, vp_strerror(rc));
    vp_diag_free(diag);
    *status = cli_status_for(rc);
    return a;
}

bool cli_ensure_dir(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        cli_error("%s: path too long", path);
        return false;
    }
    for (char *s = buf + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
                cli_error("%s: cannot create the output folder: %s", buf, strerror(errno));
                return false;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    if (!is_dir(path)) {
        cli_error("%s: exists and is not a folder; choose another output folder with -o", path);
        return false;
    }
    if (access(path, W_OK | X_OK) != 0) {
        cli_error("%s: cannot write to the output folder: %s", path, strerror(errno));
        return false;
    }
    return true;
}
