/* alloc.h — the library's allocation entry points.
 *
 * All of libvaluepack's own allocations go through vp_malloc & co. In a build with
 * -Dfault_injection=true they can be made to fail on the Nth call (tests/fault sweeps N
 * over a whole `pack`, SQLite style); otherwise they are plain malloc/free. */
#ifndef VP_ALLOC_H
#define VP_ALLOC_H

#include <stddef.h>

void *vp_malloc(size_t n);
void *vp_calloc(size_t n, size_t size);
void *vp_realloc(void *p, size_t n);
void vp_free(void *p);
char *vp_strdup(const char *s);

/* How many of these calls returned NULL on the calling thread so far. A document notes
 * the count when it starts and refuses to be written if it changed by the time it is saved:
 * a failure some code path ignored (a string builder that went on empty) can then never
 * produce a document with missing text. */
unsigned long vp_alloc_failures(void);

#endif
