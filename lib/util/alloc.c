#include "alloc.h"

#include <stdlib.h>
#include <string.h>

/* Allocation failures on this thread so far (see alloc.h). */
static _Thread_local unsigned long g_failures;

static void *counted(void *p)
{
    if (!p)
        g_failures++;
    return p;
}

void *vp_malloc(size_t n) { return counted(malloc(n ? n : 1)); }
void *vp_calloc(size_t n, size_t size) { return counted(calloc(n ? n : 1, size ? size : 1)); }
void *vp_realloc(void *p, size_t n) { return counted(realloc(p, n ? n : 1)); }
void vp_free(void *p) { free(p); }

unsigned long vp_alloc_failures(void) { return g_failures; }

char *vp_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = vp_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}
