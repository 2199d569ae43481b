/* fault.c — valuepack-fault: the valuepack CLI with allocation and write failures on demand.
 *
 * This file is linked with the CLI's sources (cmd/, whose main() is renamed
 * vp_fault_cli_main) into a test-only executable. It defines malloc & co., the stdio
 * stream constructors and the POSIX write calls itself: an executable's definitions are
 * found before any shared library's, so every call — from libvaluepack, cJSON, libharu,
 * libxlsxwriter, HarfBuzz, fontconfig, zlib and the C library's own allocations — comes
 * through here first and then goes on to the real function (dlsym(RTLD_NEXT): the C
 * library's, or the sanitizer runtime's in an ASan build, so LeakSanitizer still sees
 * every block). No LD_PRELOAD, so it works the same under ASan and valgrind.
 *
 * Counting starts when main() starts (the dynamic loader and the C library's start-up are
 * left alone). Controlled by the environment:
 *
 *   VP_FAULT_ALLOC=N           the Nth allocation (malloc, calloc, realloc to a new size,
 *                              posix_memalign, aligned_alloc, memalign) returns NULL/ENOMEM
 *   VP_FAULT_ALLOC_PERSIST=1   ... and every one after it (memory stays exhausted)
 *   VP_FAULT_ALLOC_SKIP=LIST   allocations made by these shared objects (comma-separated
 *                              name parts, e.g. "libxlsxwriter"), or while one of them is
 *                              on the stack, are neither counted nor failed
 *   VP_FAULT_WRITE=N           the Nth write operation fails with VP_FAULT_ERRNO
 *   VP_FAULT_WRITE_PERSIST=1   ... and every one after it (a full disk)
 *   VP_FAULT_WRITE_OPS=LIST    which operations count, comma-separated (default all):
 *                                create  fopen for writing, tmpfile, mkstemp*
 *                                write   each write(2)/pwrite/writev on a file, and each
 *                                        buffer a stdio stream flushes (see below)
 *                                close   fclose of a stream opened for writing
 *                                rename  rename(2)
 *   VP_FAULT_ERRNO=NAME        ENOSPC (default), EIO, EDQUOT, EFBIG, EROFS or EACCES
 *   VP_FAULT_STDOUT=1          every write to standard output fails with VP_FAULT_ERRNO
 *                              (a full disk under "valuepack analyze ... > file")
 *   VP_FAULT_REPORT=PATH       at exit, write "allocs N\nwrites N\ninjected_allocs N\n
 *                              injected_writes N\nin OBJECT\n" to PATH (the counts the sweeps
 *                              use, and which object made the first failed allocation)
 *   VP_FAULT_TRACE=1           print a backtrace to stderr where a fault is injected
 *
 * Writes through stdio: the C library's stdio writes with internal calls that no
 * interposition can see, so every stream opened for writing by fopen/fdopen/tmpfile is
 * replaced by an equivalent fopencookie() stream over the same descriptor whose write,
 * seek and close functions come here. A failure then surfaces exactly as a real ENOSPC
 * would: the stream's error flag is set and fwrite/fputs/fflush/fclose report it.
 * stdin, stdout and stderr (descriptors 0-2) are left alone (but see VP_FAULT_STDOUT).
 * Not covered: files written with open(2) + write on descriptors the counting skips
 * (none in valuepack), memory obtained with mmap, and allocations made inside the
 * sanitizer runtime itself (in an ASan build, e.g. by its strdup interceptor). */
#define _GNU_SOURCE
/* Define fopen and fopen64 (etc.) as two functions: without this, glibc's headers rename
 * fopen to fopen64 under _FILE_OFFSET_BITS=64 (meson's default). */
#undef _FILE_OFFSET_BITS
#include <dlfcn.h>
#include <link.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>
#include <unwind.h>

#undef main

/* Every function of this file lives in its own section, so that attributing an allocation
 * to its caller can step over the interposers themselves (fopen -> fopencookie -> malloc). */
#define FAULT_CODE __attribute__((section("vpfault_text"), noinline))
extern const char __start_vpfault_text[], __stop_vpfault_text[];
int vp_fault_cli_main(int argc, char **argv);
int main(int argc, char **argv);

/* ---- the real functions ---------------------------------------------------------------- */

static void *(*r_malloc)(size_t);
static void *(*r_calloc)(size_t, size_t);
static void *(*r_realloc)(void *, size_t);
static void (*r_free)(void *);
static int (*r_posix_memalign)(void **, size_t, size_t);
static void *(*r_aligned_alloc)(size_t, size_t);
static void *(*r_memalign)(size_t, size_t);
static FILE *(*r_fopen)(const char *, const char *);
static FILE *(*r_fopen64)(const char *, const char *);
static FILE *(*r_fdopen)(int, const char *);
static FILE *(*r_tmpfile)(void);
static int (*r_mkstemp)(char *);
static int (*r_mkostemp)(char *, int);
static int (*r_mkstemps)(char *, int);
static ssize_t (*r_write)(int, const void *, size_t);
static ssize_t (*r_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*r_writev)(int, const struct iovec *, int);
static int (*r_rename)(const char *, const char *);

/* dlsym itself may allocate before the real allocator is known (and in an ASan build the
 * sanitizer runtime's start-up makes failing dlsym calls whose error messages are
 * allocated while no lookup can succeed): serve those from a static pool that free()
 * recognises and ignores. */
static _Alignas(16) unsigned char g_pool[256 * 1024];
static size_t g_pool_used;
static int g_resolving;

FAULT_CODE
static void *pool_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n > sizeof g_pool - g_pool_used)
        abort();
    void *p = g_pool + g_pool_used;
    g_pool_used += n;
    return p;
}

FAULT_CODE
static bool in_pool(const void *p)
{
    return (const unsigned char *)p >= g_pool && (const unsigned char *)p < g_pool + sizeof g_pool;
}

FAULT_CODE
static bool sym(void *fnptr, size_t size, const char *name)
{
    void *s = dlsym(RTLD_NEXT, name);
    if (!s)
        return false;
    memcpy(fnptr, &s, size);
    return true;
}
#define RESOLVE(var, name) (ok = sym(&(var), sizeof(var), name) && ok)

/* Look up every real function; false (nothing changed) when that cannot be done yet. */
FAULT_CODE
static bool try_resolve(void)
{
    if (r_free)
        return true;
    if (g_resolving)
        return false;
    g_resolving = 1;
    bool ok = true;
    RESOLVE(r_malloc, "malloc");
    RESOLVE(r_calloc, "calloc");
    RESOLVE(r_realloc, "realloc");
    RESOLVE(r_posix_memalign, "posix_memalign");
    RESOLVE(r_aligned_alloc, "aligned_alloc");
    RESOLVE(r_memalign, "memalign");
    RESOLVE(r_fopen, "fopen");
    RESOLVE(r_fopen64, "fopen64");
    RESOLVE(r_fdopen, "fdopen");
    RESOLVE(r_tmpfile, "tmpfile");
    RESOLVE(r_mkstemp, "mkstemp");
    RESOLVE(r_mkostemp, "mkostemp");
    RESOLVE(r_mkstemps, "mkstemps");
    RESOLVE(r_write, "write");
    RESOLVE(r_pwrite, "pwrite");
    RESOLVE(r_writev, "writev");
    RESOLVE(r_rename, "rename");
    void (*f)(void *) = NULL;
    RESOLVE(f, "free");
    g_resolving = 0;
    if (ok)
        r_free = f;     /* last: r_free set means everything is resolved */
    return ok;
}

FAULT_CODE
static void resolve(void)
{
    if (!try_resolve())
        abort();        /* a C library function is missing: nothing sensible to do */
}

/* A stack walk with libgcc's unwinder, linked at build time: glibc's backtrace() would
 * dlopen libgcc_s on first use, and LeakSanitizer reports the loader's bookkeeping for it. */
typedef struct walk {
    void **frames;
    int n, max;
} walk;

FAULT_CODE
static _Unwind_Reason_Code walk_frame(struct _Unwind_Context *ctx, void *arg)
{
    walk *w = arg;
    if (w->n >= w->max)
        return _URC_END_OF_STACK;
    w->frames[w->n++] = (void *)_Unwind_GetIP(ctx);
    return _URC_NO_REASON;
}

FAULT_CODE
static int stack_walk(void **frames, int max)
{
    walk w = {frames, 0, max};
    _Unwind_Backtrace(walk_frame, &w);
    return w.n;
}

/* ---- who allocates ---------------------------------------------------------------------------
 * The executable code of every loaded object, so a return address can be attributed.
 * valuepack itself is linked into the executable ("valuepack"). */

typedef struct object_range {
    uintptr_t lo, hi;
    char name[48];
} object_range;

static object_range g_objects[96];
static int g_n_objects;
static int g_libc = -1;             /* index of the C library */
static int g_libz = -1;             /* zlib: its allocations belong to whoever called it */
static char g_skip[256];            /* VP_FAULT_ALLOC_SKIP */
static const char *g_injected_in;   /* owner of the first failed allocation */

FAULT_CODE
static int add_object(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    const char *path = info->dlpi_name && *info->dlpi_name ? info->dlpi_name : "valuepack";
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (int i = 0; i < info->dlpi_phnum && g_n_objects < (int)(sizeof g_objects / sizeof g_objects[0]); i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
            continue;
        object_range *o = &g_objects[g_n_objects];
        o->lo = info->dlpi_addr + ph->p_vaddr;
        o->hi = o->lo + ph->p_memsz;
        snprintf(o->name, sizeof o->name, "%s", base);
        if (!strncmp(base, "libc.so", 7))
            g_libc = g_n_objects;
        if (!strncmp(base, "libz.so", 7))
            g_libz = g_n_objects;
        g_n_objects++;
    }
    return 0;
}

FAULT_CODE
static int object_of(const void *addr)
{
    uintptr_t a = (uintptr_t)addr;
    for (int i = 0; i < g_n_objects; i++)
        if (a >= g_objects[i].lo && a < g_objects[i].hi)
            return i;
    return -1;
}

/* The object that asked for memory: the caller of malloc, or when that is the C library
 * (strdup, fopen, qsort...) or zlib (deflateInit for libharu, for minizip...), the first
 * caller outside them. */
FAULT_CODE
static int owner(const void *ret)
{
    int o = object_of(ret);
    if (o < 0 || (o != g_libc && o != g_libz))
        return o;
    void *frames[16];
    int n = stack_walk(frames, 16);
    for (int i = 2; i < n; i++) {
        const char *pc = frames[i];
        if (pc >= __start_vpfault_text && pc < __stop_vpfault_text)
            continue;
        int f = object_of(frames[i]);
        if (f >= 0 && f != g_libc && f != g_libz)
            return f;
    }
    return o;
}

static bool g_skip_object[sizeof g_objects / sizeof g_objects[0]];

/* Mark the objects VP_FAULT_ALLOC_SKIP names (once the objects are known). */
FAULT_CODE
static void mark_skipped(void)
{
    char list[256];
    snprintf(list, sizeof list, "%s", g_skip);
    for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        for (int o = 0; o < g_n_objects; o++)
            if (*tok && strstr(g_objects[o].name, tok))
                g_skip_object[o] = true;
}

/* True when a skipped object is the allocation's owner or anywhere up the stack: its own
 * error handling is what is not to be trusted, also for memory that valuepack's callbacks
 * or zlib allocate on its behalf (minizip leaks when a deflate stream cannot start). */
FAULT_CODE
static bool skipped(const void *ret)
{
    int o = object_of(ret);
    if (o >= 0 && g_skip_object[o])
        return true;
    void *frames[12];               /* deep enough for library -> zlib -> malloc */
    int n = stack_walk(frames, 12);
    for (int i = 2; i < n; i++) {
        int f = object_of(frames[i]);
        if (f >= 0 && g_skip_object[f])
            return true;
    }
    return false;
}

/* ---- counters ---------------------------------------------------------------------------- */

enum { OP_CREATE = 1, OP_WRITE = 2, OP_CLOSE = 4, OP_RENAME = 8, OP_ALL = 15 };

typedef struct counter {
    long at;            /* fail the at-th event (1-based); 0 = never */
    int persist;        /* and every later one */
    long count;         /* events since main() started */
    long injected;
} counter;

static counter g_alloc, g_write;
static int g_armed;     /* set at the start of main(), cleared when the report is written */
static unsigned g_ops = OP_ALL;
static int g_errno = ENOSPC;
static int g_trace;

FAULT_CODE
static void trace(const char *what)
{
    if (!g_trace)
        return;
    void *frames[48];
    int n = stack_walk(frames, 48);
    char line[96];
    int len = snprintf(line, sizeof line, "valuepack-fault: injected %s failure here:\n", what);
    if (len > 0)
        (void)!r_write(2, line, (size_t)len);
    backtrace_symbols_fd(frames, n, 2);
}

FAULT_CODE
static bool trip(counter *c)
{
    if (!__atomic_load_n(&g_armed, __ATOMIC_RELAXED))
        return false;
    long n = __atomic_add_fetch(&c->count, 1, __ATOMIC_RELAXED);
    if (c->at > 0 && (n == c->at || (c->persist && n > c->at))) {
        __atomic_add_fetch(&c->injected, 1, __ATOMIC_RELAXED);
        return true;
    }
    return false;
}

/* ret: the allocation function's return address (its caller). */
FAULT_CODE
static bool alloc_fails(const void *ret)
{
    if (!__atomic_load_n(&g_armed, __ATOMIC_RELAXED))
        return false;
    int o = -1;
    if (g_skip[0] && skipped(ret))
        return false;
    if (!trip(&g_alloc))
        return false;
    if (!g_injected_in) {
        if (o < 0)
            o = owner(ret);
        g_injected_in = o >= 0 ? g_objects[o].name : "?";
    }
    trace("allocation");
    errno = ENOMEM;
    return true;
}

FAULT_CODE
static bool write_fails(unsigned op)
{
    if (!(g_ops & op) || !trip(&g_write))
        return false;
    trace(op == OP_CREATE ? "create" : op == OP_WRITE ? "write" : op == OP_CLOSE ? "close" : "rename");
    errno = g_errno;
    return true;
}

/* ---- allocation ---------------------------------------------------------------------------- */

FAULT_CODE
void *malloc(size_t n)
{
    if (!try_resolve())
        return pool_alloc(n);
    return alloc_fails(__builtin_return_address(0)) ? NULL : r_malloc(n);
}

FAULT_CODE
void *calloc(size_t n, size_t size)
{
    if (!try_resolve()) {
        if (size && n > SIZE_MAX / size)
            return NULL;
        return pool_alloc(n * size);       /* static: already zero */
    }
    return alloc_fails(__builtin_return_address(0)) ? NULL : r_calloc(n, size);
}

FAULT_CODE
void *realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    if (in_pool(p)) {
        void *q = malloc(n);
        if (q)
            memcpy(q, p, n < (size_t)(g_pool + sizeof g_pool - (unsigned char *)p)
                             ? n : (size_t)(g_pool + sizeof g_pool - (unsigned char *)p));
        return q;
    }
    resolve();
    if (n == 0)
        return r_realloc(p, n);     /* a free */
    return alloc_fails(__builtin_return_address(0)) ? NULL : r_realloc(p, n);
}

FAULT_CODE
void free(void *p)
{
    if (!p || in_pool(p) || !try_resolve())
        return;
    r_free(p);
}

FAULT_CODE
int posix_memalign(void **out, size_t align, size_t n)
{
    if (!r_free)
        resolve();
    return alloc_fails(__builtin_return_address(0)) ? ENOMEM : r_posix_memalign(out, align, n);
}

FAULT_CODE
void *aligned_alloc(size_t align, size_t n)
{
    if (!r_free)
        resolve();
    return alloc_fails(__builtin_return_address(0)) ? NULL : r_aligned_alloc(align, n);
}

void *memalign(size_t align, size_t n);
FAULT_CODE
void *memalign(size_t align, size_t n)
{
    if (!r_free)
        resolve();
    return alloc_fails(__builtin_return_address(0)) ? NULL : r_memalign(align, n);
}

/* ---- streams ------------------------------------------------------------------------------ */

FAULT_CODE
/* Standard output on a full disk (VP_FAULT_STDOUT): every write fails. */
FAULT_CODE
static ssize_t full_write(void *c, const char *buf, size_t n)
{
    (void)c;
    (void)buf;
    (void)n;
    errno = g_errno;
    return 0;
}

FAULT_CODE
static ssize_t ck_read(void *c, char *buf, size_t n)
{
    return read((int)(intptr_t)c, buf, n);
}

FAULT_CODE
static ssize_t ck_write(void *c, const char *buf, size_t n)
{
    if (write_fails(OP_WRITE))
        return 0;                   /* fopencookie: 0 = error, errno says which */
    size_t done = 0;
    while (done < n) {
        ssize_t w = r_write((int)(intptr_t)c, buf + done, n - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        done += (size_t)w;
    }
    return (ssize_t)done;
}

FAULT_CODE
static int ck_seek(void *c, off64_t *off, int whence)
{
    off_t r = lseek((int)(intptr_t)c, (off_t)*off, whence);
    if (r < 0)
        return -1;
    *off = r;
    return 0;
}

FAULT_CODE
static int ck_close(void *c)
{
    if (write_fails(OP_CLOSE)) {
        int e = errno;
        close((int)(intptr_t)c);
        errno = e;
        return -1;
    }
    return close((int)(intptr_t)c);
}

FAULT_CODE
static bool writing(const char *mode)
{
    return mode && (strchr(mode, 'w') || strchr(mode, 'a') || strchr(mode, '+'));
}

/* A stdio stream over fd whose writes come through ck_write. */
FAULT_CODE
static FILE *wrap(int fd, const char *mode)
{
    static const cookie_io_functions_t io = {ck_read, ck_write, ck_seek, ck_close};
    FILE *fp = fopencookie((void *)(intptr_t)fd, mode, io);
    return fp;
}

FAULT_CODE
static FILE *open_stream(const char *path, const char *mode,
                         FILE *(*real)(const char *, const char *))
{
    if (!__atomic_load_n(&g_armed, __ATOMIC_RELAXED) || !writing(mode))
        return real(path, mode);
    if (write_fails(OP_CREATE))
        return NULL;
    int flags = strchr(mode, '+') ? O_RDWR : O_WRONLY;
    if (mode[0] == 'w')
        flags |= O_CREAT | O_TRUNC;
    else if (mode[0] == 'a')
        flags |= O_CREAT | O_APPEND;
    if (strchr(mode, 'x'))
        flags |= O_EXCL;
    if (strchr(mode, 'e'))
        flags |= O_CLOEXEC;
    int fd = open(path, flags, 0666);
    if (fd < 0)
        return NULL;
    FILE *fp = wrap(fd, mode);
    if (!fp) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return fp;
}

FAULT_CODE
FILE *fopen(const char *path, const char *mode)
{
    if (!r_free)
        resolve();
    return open_stream(path, mode, r_fopen);
}

FAULT_CODE
FILE *fopen64(const char *path, const char *mode)
{
    if (!r_free)
        resolve();
    return open_stream(path, mode, r_fopen64);
}

FAULT_CODE
FILE *fdopen(int fd, const char *mode)
{
    if (!r_free)
        resolve();
    if (!__atomic_load_n(&g_armed, __ATOMIC_RELAXED) || fd <= 2 || !writing(mode))
        return r_fdopen(fd, mode);
    /* Not a fault point: fdopen creates no file (it fails only for memory). */
    if (fcntl(fd, F_GETFD) < 0)
        return NULL;                /* EBADF, as fdopen would say */
    return wrap(fd, mode);
}

FAULT_CODE
static FILE *tmp_stream(void)
{
    if (!r_free)
        resolve();
    if (!__atomic_load_n(&g_armed, __ATOMIC_RELAXED))
        return r_tmpfile();
    if (write_fails(OP_CREATE))
        return NULL;
    FILE *real = r_tmpfile();
    if (!real)
        return NULL;
    int fd = dup(fileno(real));
    int e = errno;
    fclose(real);                   /* the file is already unlinked; fd keeps it */
    if (fd < 0) {
        errno = e;
        return NULL;
    }
    FILE *fp = wrap(fd, "w+");
    if (!fp) {
        e = errno;
        close(fd);
        errno = e;
    }
    return fp;
}

FAULT_CODE
FILE *tmpfile(void) { return tmp_stream(); }
FILE *tmpfile64(void);
FAULT_CODE
FILE *tmpfile64(void) { return tmp_stream(); }

FAULT_CODE
int mkstemp(char *tmpl)
{
    if (!r_free)
        resolve();
    return write_fails(OP_CREATE) ? -1 : r_mkstemp(tmpl);
}

int mkstemp64(char *tmpl);
FAULT_CODE
int mkstemp64(char *tmpl) { return mkstemp(tmpl); }

FAULT_CODE
int mkostemp(char *tmpl, int flags)
{
    if (!r_free)
        resolve();
    return write_fails(OP_CREATE) ? -1 : r_mkostemp(tmpl, flags);
}

FAULT_CODE
int mkstemps(char *tmpl, int suffixlen)
{
    if (!r_free)
        resolve();
    return write_fails(OP_CREATE) ? -1 : r_mkstemps(tmpl, suffixlen);
}

/* ---- descriptors and names ----------------------------------------------------------------- */

FAULT_CODE
ssize_t write(int fd, const void *buf, size_t n)
{
    if (!r_free)
        resolve();
    if (fd > 2 && write_fails(OP_WRITE))
        return -1;
    return r_write(fd, buf, n);
}

FAULT_CODE
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    if (!r_free)
        resolve();
    if (fd > 2 && write_fails(OP_WRITE))
        return -1;
    return r_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off);
FAULT_CODE
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off) { return pwrite(fd, buf, n, off); }

FAULT_CODE
ssize_t writev(int fd, const struct iovec *iov, int n)
{
    if (!r_free)
        resolve();
    if (fd > 2 && write_fails(OP_WRITE))
        return -1;
    return r_writev(fd, iov, n);
}

FAULT_CODE
int rename(const char *from, const char *to)
{
    if (!r_free)
        resolve();
    return write_fails(OP_RENAME) ? -1 : r_rename(from, to);
}

/* ---- main ------------------------------------------------------------------------------------ */

FAULT_CODE
static long env_long(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 10) : 0;
}

FAULT_CODE
static void report(void)
{
    __atomic_store_n(&g_armed, 0, __ATOMIC_RELAXED);
    const char *path = getenv("VP_FAULT_REPORT");
    if (!path || !*path)
        return;
    char buf[256];
    int len = snprintf(buf, sizeof buf,
                       "allocs %ld\nwrites %ld\ninjected_allocs %ld\ninjected_writes %ld\nin %s\n",
                       g_alloc.count, g_write.count, g_alloc.injected, g_write.injected,
                       g_injected_in ? g_injected_in : "-");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        (void)!r_write(fd, buf, (size_t)len);
        close(fd);
    }
}

int main(int argc, char **argv)
{
    static const struct { const char *name; int value; } errnos[] = {
        {"ENOSPC", ENOSPC}, {"EIO", EIO}, {"EDQUOT", EDQUOT}, {"EFBIG", EFBIG},
        {"EROFS", EROFS}, {"EACCES", EACCES},
    };
    if (!r_free)
        resolve();
    g_alloc.at = env_long("VP_FAULT_ALLOC");
    g_alloc.persist = env_long("VP_FAULT_ALLOC_PERSIST") != 0;
    g_write.at = env_long("VP_FAULT_WRITE");
    g_write.persist = env_long("VP_FAULT_WRITE_PERSIST") != 0;
    g_trace = env_long("VP_FAULT_TRACE") != 0;
    const char *e = getenv("VP_FAULT_ERRNO");
    if (e && *e) {
        g_errno = 0;
        for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
            if (!strcmp(e, errnos[i].name))
                g_errno = errnos[i].value;
        if (!g_errno) {
            fprintf(stderr, "valuepack-fault: unknown VP_FAULT_ERRNO %s\n", e);
            return 99;
        }
    }
    const char *ops = getenv("VP_FAULT_WRITE_OPS");
    if (ops && *ops) {
        g_ops = 0;
        if (strstr(ops, "create"))
            g_ops |= OP_CREATE;
        if (strstr(ops, "write"))
            g_ops |= OP_WRITE;
        if (strstr(ops, "close"))
            g_ops |= OP_CLOSE;
        if (strstr(ops, "rename"))
            g_ops |= OP_RENAME;
    }
    const char *skip = getenv("VP_FAULT_ALLOC_SKIP");
    if (skip)
        snprintf(g_skip, sizeof g_skip, "%s", skip);
    dl_iterate_phdr(add_object, NULL);
    if (g_skip[0])
        mark_skipped();
    if (env_long("VP_FAULT_STDOUT")) {
        static const cookie_io_functions_t full = {NULL, full_write, NULL, NULL};
        FILE *fp = fopencookie(NULL, "w", full);
        if (!fp)
            return 99;
        stdout = fp;
    }
    atexit(report);
    __atomic_store_n(&g_armed, 1, __ATOMIC_RELAXED);
    return vp_fault_cli_main(argc, argv);
}
