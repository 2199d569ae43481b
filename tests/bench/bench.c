/* bench.c — per-document render time, size and memory (README "Performance").
 *
 *   vp-bench [-n RUNS] [--date D] [--templates DIR] FILE...
 *
 * Loads the templates and the font once (as batch does), then for each account file and
 * each document renders it RUNS times into a scratch folder and prints the median and 90th
 * percentile wall time, the file size, and at the end the process's peak RSS. Numbers are
 * measured here, never assumed; the machine is shared, so compare ratios from one run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "valuepack.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int runs = 30;
    const char *date = "2025-10-09", *tdir = getenv("VALUEPACK_TEMPLATES");
    static const struct option opts[] = {
        {"runs", required_argument, NULL, 'n'},
        {"date", required_argument, NULL, 'd'},
        {"templates", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    int c;
    while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
        switch (c) {
        case 'n': runs = atoi(optarg); break;
        case 'd': date = optarg; break;
        case 't': tdir = optarg; break;
        default: fprintf(stderr, "usage: vp-bench [-n RUNS] [--date D] [--templates DIR] FILE...\n"); return 2;
        }
    }
    if (optind >= argc || runs < 1) {
        fprintf(stderr, "usage: vp-bench [-n RUNS] [--date D] [--templates DIR] FILE...\n");
        return 2;
    }
    vp_diag *diag = vp_diag_new();
    vp_templates *tpl = NULL;
    vp_fontset *fonts = NULL;
    double t0 = now_ms();
    if (vp_templates_load(&tpl, tdir, diag) != VP_OK) {
        vp_diag_print(diag, stderr);
        return 1;
    }
    double t_tpl = now_ms() - t0;
    t0 = now_ms();
    if (vp_fontset_load(&fonts, NULL, 0, diag) != VP_OK) {
        vp_diag_print(diag, stderr);
        return 1;
    }
    double t_font = now_ms() - t0;
    char dir[] = "/tmp/vp-bench-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    printf("valuepack %s benchmark: %d runs per document; templates loaded in %.1f ms, font (%s) in %.1f ms\n",
           vp_version(), runs, t_tpl, vp_fontset_path(fonts), t_font);
    printf("%-34s %-9s %9s %9s %9s\n", "account", "document", "median ms", "p90 ms", "size KB");
    double *times = calloc((size_t)runs, sizeof *times);
    int status = 0;
    for (int i = optind; i < argc; i++) {
        vp_account *acc = NULL;
        vp_report *rep = NULL;
        vp_load_options lo = {.display_name = argv[i]};
        vp_compute_options co = {.date = date};
        /* load + compute, timed on their own */
        for (int r = 0; r < runs; r++) {
            vp_account_free(acc);
            vp_report_free(rep);
            acc = NULL;
            rep = NULL;
            double s = now_ms();
            if (vp_account_load(&acc, argv[i], &lo, diag) != VP_OK ||
                vp_report_compute(&rep, acc, tpl, &co, diag) != VP_OK) {
                vp_diag_print(diag, stderr);
                status = 1;
                break;
            }
            times[r] = now_ms() - s;
        }
        if (!rep)
            continue;
        const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        qsort(times, (size_t)runs, sizeof *times, cmp_double);
        printf("%-34.34s %-9s %9.2f %9.2f %9s\n", base, "analyze", times[runs / 2],
               times[(runs * 9) / 10 < runs ? (runs * 9) / 10 : runs - 1], "-");
        for (int k = 0; k < VP_DOC__COUNT; k++) {
            char name[256], path[512];
            vp_document_filename(name, sizeof name, rep, (vp_doc_kind)k);
            snprintf(path, sizeof path, "%s/%s", dir, name);
            vp_render_options ro = {.fonts = fonts};
            bool ok = true;
            for (int r = 0; r < runs; r++) {
                vp_diag_clear(diag);
                double s = now_ms();
                if (vp_document_render((vp_doc_kind)k, rep, tpl, &ro, path, diag) != VP_OK) {
                    ok = false;
                    break;
                }
                times[r] = now_ms() - s;
            }
            if (!ok) {
                printf("%-34.34s %-9s %9s\n", base, vp_doc_kind_name((vp_doc_kind)k), "failed");
                vp_diag_print(diag, stderr);
                status = 1;
                continue;
            }
            struct stat st;
            stat(path, &st);
            qsort(times, (size_t)runs, sizeof *times, cmp_double);
            printf("%-34.34s %-9s %9.2f %9.2f %9.1f\n", base, vp_doc_kind_name((vp_doc_kind)k),
                   times[runs / 2], times[(runs * 9) / 10 < runs ? (runs * 9) / 10 : runs - 1],
                   (double)st.st_size / 1024.0);
            unlink(path);
        }
        vp_report_free(rep);
        vp_account_free(acc);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    rmdir(dir);
    free(times);
    vp_fontset_free(fonts);
    vp_templates_free(tpl);
    vp_diag_free(diag);
    return status;
}
