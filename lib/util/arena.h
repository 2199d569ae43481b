/* arena.h — a bump allocator: many small allocations freed at once.
 *
 * The account model and the computed report each live in one arena, so freeing an
 * account is one call and a batch worker can reuse its arena's memory account after
 * account (vp_arena_reset keeps the first chunk). Not thread-safe: one owner at a time. */
#ifndef VP_ARENA_H
#define VP_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vp_arena_chunk vp_arena_chunk;

typedef struct vp_arena {
    vp_arena_chunk *head;   /* current chunk (newest first) */
    size_t chunk_size;      /* default size of new chunks */
    bool failed;            /* an allocation returned NULL since init/destroy/reset: lets a
                               caller that builds much in one arena check once at the end */
} vp_arena;

/* Initialise an empty arena; chunk_size 0 = 16 KiB. Allocates nothing yet. */
void vp_arena_init(vp_arena *a, size_t chunk_size);
/* Free every chunk. The arena may be re-initialised or used again afterwards. */
void vp_arena_destroy(vp_arena *a);
/* Forget every allocation but keep the newest chunk for reuse. */
void vp_arena_reset(vp_arena *a);

/* `size` bytes aligned for any type, zero-filled; NULL when out of memory. */
void *vp_arena_alloc(vp_arena *a, size_t size);
/* n * size bytes, zero-filled; NULL on overflow or out of memory. */
void *vp_arena_calloc(vp_arena *a, size_t n, size_t size);
/* A NUL-terminated copy of s (NULL -> NULL); of the first n bytes for strndup. */
char *vp_arena_strdup(vp_arena *a, const char *s);
char *vp_arena_strndup(vp_arena *a, const char *s, size_t n);
/* printf into the arena; NULL when out of memory. */
char *vp_arena_printf(vp_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
