/* practices.c — best practices matched to the account's weak spots (SPEC §4, action 7).
 *
 * The weak modules are the contract modules below their breadth target, or, when none is
 * below it, every contract module; they are ordered by breadth share, lowest first, with
 * unknown shares last (then contract order). A practice qualifies when its industries are
 * empty or include the account's industry, and its modules are empty or include a weak
 * module. Qualifying practices are ranked by match class — module and industry, module
 * only, industry only, generic — then by the rank of the weakest module they name, then
 * by their order in best_practices.json. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

enum { MATCH_MODULE_INDUSTRY = 0, MATCH_MODULE, MATCH_INDUSTRY, MATCH_GENERIC };

typedef struct candidate {
    const vp_best_practice *bp;
    int cls;
    size_t module_rank, index;
} candidate;

static int cmp_candidate(const void *pa, const void *pb)
{
    const candidate *a = pa, *b = pb;
    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    if (a->module_rank != b->module_rank)
        return a->module_rank < b->module_rank ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Weak modules by share: lowest first, unknown last, ties in contract order. */
static int cmp_breadth(const void *pa, const void *pb)
{
    const vp_module_breadth *a = *(const vp_module_breadth *const *)pa;
    const vp_module_breadth *b = *(const vp_module_breadth *const *)pb;
    bool ha = VP_HAS(a->share), hb = VP_HAS(b->share);
    if (ha != hb)
        return ha ? -1 : 1;
    if (ha && a->share != b->share)
        return a->share < b->share ? -1 : 1;
    return a < b ? -1 : a > b;   /* same array: contract order */
}

static bool listed(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (list[i] && strcmp(list[i], s) == 0)
            return true;
    return false;
}

int vp_practices_pick(vp_report *r, size_t max)
{
    const vp_templates *tpl = r->tpl;
    const char *industry = r->account->industry;
    r->practices = NULL;
    r->n_practices = 0;
    if (!max || !tpl->n_practices)
        return VP_OK;

    size_t n_below = 0;
    for (size_t i = 0; i < r->n_breadth; i++)
        n_below += r->breadth[i].below_target;
    const vp_module_breadth **weak = NULL;
    size_t n_weak = 0;
    if (r->n_breadth) {
        weak = vp_arena_calloc(&r->arena, r->n_breadth, sizeof *weak);
        if (!weak)
            return VP_ERR_NOMEM;
        for (size_t i = 0; i < r->n_breadth; i++)
            if (!n_below || r->breadth[i].below_target)
                weak[n_weak++] = &r->breadth[i];
        qsort(weak, n_weak, sizeof *weak, cmp_breadth);
    }

    candidate *cands = vp_arena_calloc(&r->arena, tpl->n_practices, sizeof *cands);
    if (!cands)
        return VP_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < tpl->n_practices; i++) {
        const vp_best_practice *bp = &tpl->practices[i];
        bool industry_match = bp->n_industries && listed(bp->industries, bp->n_industries,
                                                         industry);
        if (bp->n_industries && !industry_match)
            continue;
        size_t rank = n_weak;
        for (size_t w = 0; w < n_weak && rank == n_weak; w++)
            if (listed(bp->modules, bp->n_modules, weak[w]->module->code))
                rank = w;
        bool module_match = rank < n_weak;
        if (bp->n_modules && !module_match)
            continue;
        candidate *cd = &cands[n++];
        cd->bp = bp;
        cd->index = i;
        cd->module_rank = rank;
        cd->cls = module_match ? (industry_match ? MATCH_MODULE_INDUSTRY : MATCH_MODULE)
                               : (industry_match ? MATCH_INDUSTRY : MATCH_GENERIC);
    }
    if (!n)
        return VP_OK;
    qsort(cands, n, sizeof *cands, cmp_candidate);
    if (n > max)
        n = max;
    r->practices = vp_arena_calloc(&r->arena, n, sizeof *r->practices);
    if (!r->practices)
        return VP_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        r->practices[i] = cands[i].bp;
    r->n_practices = n;
    return VP_OK;
}
