#include "alloc.h"

#include <stdlib.h>
#include <string.h>

void *vp_malloc(size_t n) { return malloc(n ? n : 1); }
void *vp_calloc(size_t n, size_t size) { return calloc(n ? n : 1, size ? size : 1); }
void *vp_realloc(void *p, size_t n) { return realloc(p, n ? n : 1); }
void vp_free(void *p) { free(p); }

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
