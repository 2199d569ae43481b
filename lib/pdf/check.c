/* check.c — the layout check: findings recorded while drawing (overflow, truncation) and
 * overlaps between the boxes of a page, collected into a vp_layout_check. */
#include "engine.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

#include "../util/alloc.h"

typedef struct line_list {
    char **v;
    size_t n, cap;
} line_list;

struct vp_layout_check {
    pthread_mutex_t mu;
    line_list problems, notes;
};

vp_layout_check *vp_layout_check_new(void)
{
    vp_layout_check *c = vp_calloc(1, sizeof *c);
    if (c && pthread_mutex_init(&c->mu, NULL) != 0) {
        vp_free(c);
        return NULL;
    }
    return c;
}

static void list_free(line_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        vp_free(l->v[i]);
    vp_free(l->v);
}

void vp_layout_check_free(vp_layout_check *c)
{
    if (!c)
        return;
    list_free(&c->problems);
    list_free(&c->notes);
    pthread_mutex_destroy(&c->mu);
    vp_free(c);
}

static size_t list_count(const vp_layout_check *c, const line_list *l)
{
    pthread_mutex_t *mu = (pthread_mutex_t *)(uintptr_t)&c->mu;   /* lock in a getter */
    pthread_mutex_lock(mu);
    size_t n = l->n;
    pthread_mutex_unlock(mu);
    return n;
}

static const char *list_get(const vp_layout_check *c, const line_list *l, size_t i)
{
    pthread_mutex_t *mu = (pthread_mutex_t *)(uintptr_t)&c->mu;
    pthread_mutex_lock(mu);
    const char *s = i < l->n ? l->v[i] : NULL;
    pthread_mutex_unlock(mu);
    return s;
}

size_t vp_layout_check_count(const vp_layout_check *c) { return c ? list_count(c, &c->problems) : 0; }
const char *vp_layout_check_get(const vp_layout_check *c, size_t i)
{
    return c ? list_get(c, &c->problems, i) : NULL;
}
size_t vp_layout_check_note_count(const vp_layout_check *c)
{
    return c ? list_count(c, &c->notes) : 0;
}
const char *vp_layout_check_note(const vp_layout_check *c, size_t i)
{
    return c ? list_get(c, &c->notes, i) : NULL;
}

bool vp_layout_check_add(vp_layout_check *c, bool problem, const char *line)
{
    char *s = vp_strdup(line);
    if (!s)
        return false;
    pthread_mutex_lock(&c->mu);
    line_list *l = problem ? &c->problems : &c->notes;
    bool ok = true;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **nv = vp_realloc(l->v, cap * sizeof *nv);
        if (nv) {
            l->v = nv;
            l->cap = cap;
        } else {
            ok = false;
        }
    }
    if (ok)
        l->v[l->n++] = s;
    pthread_mutex_unlock(&c->mu);
    if (!ok)
        vp_free(s);
    return ok;
}

/* ---- geometry of the check ------------------------------------------------------------ */

#define TOL 0.5   /* pt: shared edges and hairline touches are not overlaps */

static bool overlaps(vp_rect a, vp_rect b)
{
    double w = fmin(a.x + a.w, b.x + b.w) - fmax(a.x, b.x);
    double h = fmin(a.y + a.h, b.y + b.h) - fmax(a.y, b.y);
    return w > TOL && h > TOL;
}

static bool inside(vp_rect in, vp_rect out)
{
    return in.x >= out.x - TOL && in.y >= out.y - TOL && in.x + in.w <= out.x + out.w + TOL &&
           in.y + in.h <= out.y + out.h + TOL;
}

static bool empty(vp_rect r) { return !(r.w > TOL) || !(r.h > TOL); }

static void emit(vp_layout_check *c, const char *label, bool problem, const char *text)
{
    if (!c)
        return;
    if (!label) {
        vp_layout_check_add(c, problem, text);
        return;
    }
    char buf[1200];
    snprintf(buf, sizeof buf, "%s: %s", label, text);
    vp_layout_check_add(c, problem, buf);
}

size_t vp_pdf_check_layout(const vp_pdf *d, vp_layout_check *c, const char *label)
{
    size_t problems = 0;
    char buf[1100];
    for (size_t i = 0; i < d->n_findings; i++) {
        emit(c, label, d->findings[i].problem, d->findings[i].text);
        problems += d->findings[i].problem;
    }
    for (size_t i = 0; i < d->n_boxes; i++) {
        const vp_box *a = &d->boxes[i];
        if (empty(a->r))
            continue;
        const vp_page_rec *pg = &d->pages[a->page];
        if (!inside(a->r, (vp_rect){0, 0, pg->w, pg->h})) {
            snprintf(buf, sizeof buf, "page %d: box %s extends beyond the page", a->page + 1,
                     a->name);
            emit(c, label, true, buf);
            problems++;
        }
        for (size_t j = i + 1; j < d->n_boxes; j++) {
            const vp_box *b = &d->boxes[j];
            if (b->page != a->page || empty(b->r) || !overlaps(a->r, b->r))
                continue;
            bool ca = a->flags & VP_BOX_CONTAINER, cb = b->flags & VP_BOX_CONTAINER;
            if ((ca || cb) && (inside(a->r, b->r) || inside(b->r, a->r)))
                continue;
            if (ca != cb) {
                const vp_box *box = ca ? b : a, *cont = ca ? a : b;
                snprintf(buf, sizeof buf, "page %d: box %s sticks out of %s", a->page + 1,
                         box->name, cont->name);
            } else {
                snprintf(buf, sizeof buf, "page %d: boxes %s and %s overlap", a->page + 1, a->name,
                         b->name);
            }
            emit(c, label, true, buf);
            problems++;
        }
    }
    return problems;
}
