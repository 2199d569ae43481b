/* account.c — the account model's lookups, accessors and destructor. */
#include <string.h>

#include "account.h"
#include "../util/alloc.h"

static const char *const k_locale_names[VP_LOCALE__COUNT] = {"en", "zh-CN"};

const char *vp_locale_name(vp_locale loc)
{
    return (unsigned)loc < VP_LOCALE__COUNT ? k_locale_names[loc] : "en";
}

bool vp_locale_parse(const char *s, vp_locale *out)
{
    for (int i = 0; s && i < VP_LOCALE__COUNT; i++) {
        if (strcmp(s, k_locale_names[i]) == 0) {
            *out = (vp_locale)i;
            return true;
        }
    }
    return false;
}

const vp_module *vp_account_module(const vp_account *a, const char *code)
{
    for (size_t i = 0; code && i < a->n_modules; i++)
        if (a->modules[i].code && strcmp(a->modules[i].code, code) == 0)
            return &a->modules[i];
    return NULL;
}

const vp_kpi *vp_account_kpi(const vp_account *a, const char *id)
{
    for (size_t i = 0; id && i < a->n_kpis; i++)
        if (a->kpis[i].id && strcmp(a->kpis[i].id, id) == 0)
            return &a->kpis[i];
    return NULL;
}

void vp_account_free(vp_account *a)
{
    if (!a)
        return;
    vp_arena_destroy(&a->arena);
    vp_free(a);
}

const char *vp_account_id(const vp_account *a) { return a->id; }
const char *vp_account_name(const vp_account *a) { return a->name; }
const char *vp_account_locale(const vp_account *a) { return vp_locale_name(a->locale); }
