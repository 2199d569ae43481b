#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

struct vp_arena_chunk {
    vp_arena_chunk *next;
    size_t size;
    size_t used;
    max_align_t data[];
};

#define ALIGN (sizeof(max_align_t))

void vp_arena_init(vp_arena *a, size_t chunk_size)
{
    a->head = NULL;
    a->chunk_size = chunk_size ? chunk_size : 16 * 1024;
    a->failed = false;
}

void vp_arena_destroy(vp_arena *a)
{
    vp_arena_chunk *c = a->head;
    while (c) {
        vp_arena_chunk *next = c->next;
        vp_free(c);
        c = next;
    }
    a->head = NULL;
    a->failed = false;
}

void vp_arena_reset(vp_arena *a)
{
    if (!a->head)
        return;
    vp_arena_chunk *keep = a->head, *c = keep->next;
    while (c) {
        vp_arena_chunk *next = c->next;
        vp_free(c);
        c = next;
    }
    keep->next = NULL;
    keep->used = 0;
    a->failed = false;
}

void *vp_arena_alloc(vp_arena *a, size_t size)
{
    size_t need = (size + ALIGN - 1) & ~(ALIGN - 1);
    if (need < size) {
        a->failed = true;
        return NULL;
    }
    vp_arena_chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t cap = need > a->chunk_size ? need : a->chunk_size;
        if (cap > SIZE_MAX - sizeof(vp_arena_chunk)) {
            a->failed = true;
            return NULL;
        }
        c = vp_malloc(sizeof(vp_arena_chunk) + cap);
        if (!c) {
            a->failed = true;
            return NULL;
        }
        c->size = cap;
        c->used = 0;
        /* A big one-off block goes behind the current chunk so the current one keeps
         * serving small allocations. */
        if (a->head && need > a->chunk_size) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = (char *)c->data + c->used;
    c->used += need;
    memset(p, 0, size);
    return p;
}

void *vp_arena_calloc(vp_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        a->failed = true;
        return NULL;
    }
    return vp_arena_alloc(a, n * size);
}

char *vp_arena_strndup(vp_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = vp_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *vp_arena_strdup(vp_arena *a, const char *s)
{
    return s ? vp_arena_strndup(a, s, strlen(s)) : NULL;
}

char *vp_arena_printf(vp_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        a->failed = true;
        return NULL;
    }
    char *p = vp_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
