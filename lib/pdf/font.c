/* font.c — the font set: one TrueType face, found with fontconfig or given by path,
 * loaded with HarfBuzz once per process, with a per-code-point advance table built at load
 * so that measuring text is a table lookup (no locks, no HarfBuzz calls). */
#include "engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <fontconfig/fontconfig.h>

#include "../util/alloc.h"
#include "../util/strbuf.h"
#include "../util/utf8.h"

#define FONT_HINT "install a TrueType font that covers Chinese and Latin " \
                  "(apt-get install fonts-wqy-microhei) or pass --font PATH"

/* Space separators a face may lack; drawn as U+0020 then (same job, near enough width). */
static bool is_space_separator(unsigned cp)
{
    return cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000;
}

bool vp_cp_invisible(unsigned cp)
{
    return cp == 0x00AD || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x2064) ||
           cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F) || cp < 0x20 || cp == 0x7F ||
           (cp >= 0x80 && cp < 0xA0);
}

static bool has_glyph(const vp_fontset *f, unsigned cp)
{
    return cp < 0x10000 && (f->has[cp >> 3] & (1u << (cp & 7)));
}

unsigned vp_fontset_map(const vp_fontset *f, unsigned cp)
{
    if (vp_cp_invisible(cp))
        return 0;
    if (!has_glyph(f, cp) && is_space_separator(cp) && has_glyph(f, ' '))
        return ' ';
    return cp;
}

bool vp_fontset_has(const vp_fontset *f, unsigned cp)
{
    unsigned m = vp_fontset_map(f, cp);
    return m == 0 || has_glyph(f, m);
}

double vp_fontset_advance(const vp_fontset *f, unsigned cp)
{
    unsigned m = vp_fontset_map(f, cp);
    if (m == 0 || !has_glyph(f, m))
        return 0;
    return (double)f->adv[m] / f->upem;
}

const char *vp_fontset_path(const vp_fontset *f) { return f ? f->path : NULL; }
const char *vp_fontset_family(const vp_fontset *f) { return f->family ? f->family : "?"; }
int vp_fontset_index(const vp_fontset *f) { return f->index; }

void vp_fontset_free(vp_fontset *f)
{
    if (!f)
        return;
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    vp_free(f->path);
    vp_free(f->family);
    vp_free(f);
}

/* ---- checking coverage ---------------------------------------------------------------- */

int vp_fontset_check(const vp_fontset *f, const char *s, vp_diag *diag, const char *what)
{
    if (!s)
        return VP_OK;
    size_t n = strlen(s), bad_off;
    if (!vp_utf8_valid(s, n, &bad_off)) {
        vp_diag_add(diag, VP_SEV_ERROR, what, NULL, 0, 0,
                    "text is not valid UTF-8 (byte %zu)", bad_off);
        return VP_ERR_INVALID;
    }
    unsigned missing[8];
    size_t n_missing = 0, n_more = 0;
    for (size_t i = 0; i < n;) {
        size_t len;
        unsigned cp = vp_utf8_decode(s + i, n - i, &len);
        i += len;
        if (vp_fontset_has(f, cp))
            continue;
        bool seen = false;
        for (size_t k = 0; k < n_missing; k++)
            seen = seen || missing[k] == cp;
        if (seen)
            continue;
        if (n_missing < 8)
            missing[n_missing++] = cp;
        else
            n_more++;
    }
    if (n_missing == 0)
        return VP_OK;
    vp_strbuf b = VP_STRBUF_INIT;
    for (size_t k = 0; k < n_missing; k++) {
        vp_strbuf_printf(&b, "%sU+%04X '", k ? ", " : "", missing[k]);
        vp_strbuf_put_utf8(&b, missing[k]);
        vp_strbuf_putc(&b, '\'');
    }
    if (n_more)
        vp_strbuf_printf(&b, " and %zu more", n_more);
    bool astral = false;
    for (size_t k = 0; k < n_missing; k++)
        astral = astral || missing[k] > 0xFFFF;
    vp_diag_add(diag, VP_SEV_ERROR, what, NULL, 0, 0,
                "the font %s (%s) has no glyph for %s%s; remove %s from the text or use a "
                "font that has %s (--font PATH)",
                vp_fontset_family(f), f->path, vp_strbuf_cstr(&b),
                astral ? " (characters above U+FFFF such as emoji cannot be embedded)" : "",
                n_missing + n_more > 1 ? "these characters" : "this character",
                n_missing + n_more > 1 ? "them" : "it");
    vp_strbuf_free(&b);
    return VP_ERR_FONT;
}

/* ---- loading ----------------------------------------------------------------------- */

static uint16_t be16(const char *p)
{
    return (uint16_t)(((unsigned char)p[0] << 8) | (unsigned char)p[1]);
}

/* Table lookups on the file's bytes (allocation-free: a failed allocation inside HarfBuzz
 * would otherwise read as "the font lacks this table"). */
typedef struct font_bytes {
    const unsigned char *data;
    size_t len;
    unsigned index;
} font_bytes;

static bool face_has_table(const font_bytes *fb, hb_tag_t tag)
{
    return vp_sfnt_find(fb->data, fb->len, fb->index, tag, NULL, NULL);
}

/* Why libharu could not embed this face, or NULL when it can. */
static const char *unembeddable(const font_bytes *fb)
{
    if (!face_has_table(fb, HB_TAG('g', 'l', 'y', 'f'))) {
        if (face_has_table(fb, HB_TAG('C', 'F', 'F', ' ')) ||
            face_has_table(fb, HB_TAG('C', 'F', 'F', '2')))
            return "is an OpenType/CFF font, which the PDF writer (libharu) cannot embed; "
                   "use a TrueType (glyf) font";
        return "has no TrueType outlines (glyf table)";
    }
    static const hb_tag_t need[] = {
        HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'),
        HB_TAG('l', 'o', 'c', 'a'), HB_TAG('m', 'a', 'x', 'p'), HB_TAG('c', 'm', 'a', 'p'),
    };
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (!face_has_table(fb, need[i]))
            return "lacks a required TrueType table";
    uint32_t off = 0, len = 0;
    /* fsType: 0x0002 restricted licence, 0x0200 bitmap embedding only — libharu refuses. */
    uint16_t fs_type = 0;
    if (vp_sfnt_find(fb->data, fb->len, fb->index, HB_TAG('O', 'S', '/', '2'), &off, &len) &&
        len >= 10)
        fs_type = be16((const char *)fb->data + off + 8);
    if (fs_type & 0x0202)
        return "does not allow embedding (OS/2 fsType)";
    return NULL;
}

static char *face_family(hb_face_t *face)
{
    char buf[256];
    unsigned len = sizeof buf;
    hb_language_t langs[] = {hb_language_from_string("en", -1), HB_LANGUAGE_INVALID};
    for (size_t i = 0; i < 2; i++) {
        len = sizeof buf;
        if (hb_ot_name_get_utf8(face, HB_OT_NAME_ID_FONT_FAMILY, langs[i], &len, buf) > 0)
            return vp_strdup(buf);
    }
    return vp_strdup("(unnamed)");
}

static int load_face(vp_fontset **out, const char *path, int index, vp_diag *diag)
{
    *out = NULL;
    struct stat st;
    if (stat(path, &st) != 0) {
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "cannot read the font: %s; %s",
                    strerror(errno), FONT_HINT);
        return VP_ERR_FONT;
    }
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    if (!blob) {
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "cannot read the font; %s", FONT_HINT);
        return VP_ERR_FONT;
    }
    unsigned count = hb_face_count(blob);
    if (count == 0) {
        hb_blob_destroy(blob);
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0,
                    "is not a TrueType font (.ttf/.ttc); %s", FONT_HINT);
        return VP_ERR_FONT;
    }
    if (index < 0 || (unsigned)index >= count) {
        hb_blob_destroy(blob);
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0,
                    "has %u face%s; face index %d does not exist", count, count > 1 ? "s" : "",
                    index);
        return VP_ERR_FONT;
    }
    hb_face_t *face = hb_face_create(blob, (unsigned)index);
    if (face == hb_face_get_empty()) {   /* HarfBuzz's answer to an allocation failure */
        hb_blob_destroy(blob);
        return VP_ERR_NOMEM;
    }
    unsigned blob_len = 0;
    const char *blob_data = hb_blob_get_data(blob, &blob_len);
    font_bytes fb = {(const unsigned char *)blob_data, blob_len, (unsigned)index};
    const char *why = hb_face_get_glyph_count(face) == 0 ? "has no glyphs" : unembeddable(&fb);
    if (why) {
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "%s; %s", why, FONT_HINT);
        return VP_ERR_FONT;
    }

    vp_fontset *f = vp_calloc(1, sizeof *f);
    if (!f) {
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        return VP_ERR_NOMEM;
    }
    f->blob = blob;
    f->face = face;
    f->index = index;
    f->path = vp_strdup(path);
    f->family = face_family(face);
    f->upem = hb_face_get_upem(face);
    if (!f->path || !f->family) {
        vp_fontset_free(f);
        return VP_ERR_NOMEM;
    }

    hb_font_t *font = hb_font_create(face);
    hb_set_t *cps = hb_set_create();
    if (font == hb_font_get_empty() || !hb_set_allocation_successful(cps)) {
        hb_font_destroy(font);
        hb_set_destroy(cps);
        vp_fontset_free(f);
        return VP_ERR_NOMEM;
    }
    hb_font_extents_t ext;
    if (hb_font_get_h_extents(font, &ext)) {
        f->ascender = (double)ext.ascender / f->upem;
        f->descender = (double)ext.descender / f->upem;
    } else {
        f->ascender = 0.8;
        f->descender = -0.2;
    }
    hb_face_collect_unicodes(face, cps);
    if (!hb_set_allocation_successful(cps)) {   /* a partial set would hide characters */
        hb_set_destroy(cps);
        hb_font_destroy(font);
        vp_fontset_free(f);
        return VP_ERR_NOMEM;
    }
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    while (hb_set_next(cps, &cp) && cp < 0x10000) {
        hb_codepoint_t g;
        if (!hb_font_get_nominal_glyph(font, cp, &g) || g == 0)
            continue;
        hb_position_t a = hb_font_get_glyph_h_advance(font, g);
        f->adv[cp] = (uint16_t)(a < 0 ? 0 : a > 0xFFFF ? 0xFFFF : a);
        f->has[cp >> 3] |= (uint8_t)(1u << (cp & 7));
    }
    hb_set_destroy(cps);
    hb_font_destroy(font);
    hb_face_make_immutable(face);

    if (!has_glyph(f, 'A') || !has_glyph(f, '0')) {
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0,
                    "the font %s does not cover Latin letters and digits; %s", f->family,
                    FONT_HINT);
        vp_fontset_free(f);
        return VP_ERR_FONT;
    }
    *out = f;
    return VP_OK;
}

/* ---- fontconfig --------------------------------------------------------------------- */

/* Characters a usable face must have: Latin, digits, common hanzi and CJK punctuation. */
static const unsigned k_sample[] = {'A', 'z', '0', '9', '%', 0x4E2D, 0x6587, 0x5BA2, 0x6237,
                                    0x6210, 0x529F, 0xFF0C, 0x3002, 0x2026};

static bool candidate_ok(FcPattern *p, bool allow_mono, const char **file, int *index,
                         bool *saw_cff)
{
    FcChar8 *s = NULL;
    int idx = 0;
    FcCharSet *cs = NULL;
    if (FcPatternGetString(p, FC_FILE, 0, &s) != FcResultMatch)
        return false;
    if (FcPatternGetInteger(p, FC_INDEX, 0, &idx) != FcResultMatch)
        idx = 0;
    if (FcPatternGetCharSet(p, FC_CHARSET, 0, &cs) != FcResultMatch)
        return false;
    for (size_t i = 0; i < sizeof k_sample / sizeof k_sample[0]; i++)
        if (!FcCharSetHasChar(cs, k_sample[i]))
            return false;
    FcChar8 *fmt = NULL;
    if (FcPatternGetString(p, FC_FONTFORMAT, 0, &fmt) == FcResultMatch &&
        strcmp((const char *)fmt, "TrueType") != 0) {
        if (strcmp((const char *)fmt, "CFF") == 0)
            *saw_cff = true;
        return false;
    }
    FcChar8 *fam = NULL;
    if (!allow_mono && FcPatternGetString(p, FC_FAMILY, 0, &fam) == FcResultMatch &&
        strstr((const char *)fam, "Mono"))
        return false;
    *file = (const char *)s;
    *index = idx;
    return true;
}

static int find_font(vp_fontset **out, vp_diag *diag)
{
    int rc = VP_ERR_FONT;
    bool saw_cff = false;
    FcConfig *cfg = FcInitLoadConfigAndFonts();
    FcPattern *pat = FcPatternCreate();
    FcLangSet *ls = FcLangSetCreate();
    FcCharSet *cs = FcCharSetCreate();
    FcFontSet *set = NULL;
    if (!cfg || !pat || !ls || !cs)
        goto done;
    FcLangSetAdd(ls, (const FcChar8 *)"zh-cn");
    FcPatternAddLangSet(pat, FC_LANG, ls);
    for (size_t i = 0; i < sizeof k_sample / sizeof k_sample[0]; i++)
        FcCharSetAddChar(cs, k_sample[i]);
    FcPatternAddCharSet(pat, FC_CHARSET, cs);
    FcPatternAddString(pat, FC_FONTFORMAT, (const FcChar8 *)"TrueType");
    FcConfigSubstitute(cfg, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    set = FcFontSort(cfg, pat, FcFalse, NULL, &res);
    if (!set)
        goto done;
    /* First pass: proportional faces; second: any (a "Mono" face still renders). */
    for (int pass = 0; pass < 2 && rc != VP_OK; pass++) {
        for (int i = 0; i < set->nfont && rc != VP_OK; i++) {
            const char *file;
            int index;
            if (!candidate_ok(set->fonts[i], pass == 1, &file, &index, &saw_cff))
                continue;
            rc = load_face(out, file, index, NULL);
            if (rc == VP_ERR_NOMEM)
                goto done;
        }
    }
done:
    if (rc == VP_ERR_FONT)
        vp_diag_add(diag, VP_SEV_ERROR, NULL, NULL, 0, 0,
                    "no installed font covers Chinese and Latin in a form the PDF writer can "
                    "embed (TrueType)%s; %s",
                    saw_cff ? " — the OpenType/CFF fonts found (such as Noto Sans CJK) cannot "
                              "be embedded by libharu"
                            : "",
                    FONT_HINT);
    if (set)
        FcFontSetDestroy(set);
    if (cs)
        FcCharSetDestroy(cs);
    if (ls)
        FcLangSetDestroy(ls);
    if (pat)
        FcPatternDestroy(pat);
    if (cfg)
        FcConfigDestroy(cfg);
    return rc;
}

int vp_fontset_load(vp_fontset **out, const char *path, int index, vp_diag *diag)
{
    *out = NULL;
    size_t errors = vp_diag_errors(diag);
    int rc = path ? load_face(out, path, index, diag) : find_font(out, diag);
    if (rc == VP_ERR_NOMEM && vp_diag_errors(diag) == errors)
        vp_diag_add(diag, VP_SEV_ERROR, path, NULL, 0, 0, "out of memory while loading the font");
    return rc;
}
