/* test_xlsx.c — lib/xlsx/verify.c: the streamed read-back of a workbook and its XML check.
 *
 * The check is fed in pieces (64 KiB in vp_xlsx_verify), so the answer must not depend on
 * where the pieces are cut; a part cut short must always fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "check.h"
#include "valuepack/common.h"
#include "xlsx/xlsx.h"

/* The check of `s` fed whole, and fed in pieces of `step` bytes. */
static bool complete_whole(const char *s, size_t len)
{
    vp_xml_check x;
    vp_xml_check_init(&x);
    vp_xml_check_feed(&x, s, len);
    return vp_xml_check_complete(&x);
}

static bool complete_split(const char *s, size_t len, size_t step)
{
    vp_xml_check x;
    vp_xml_check_init(&x);
    for (size_t i = 0; i < len; i += step)
        vp_xml_check_feed(&x, s + i, len - i < step ? len - i : step);
    return vp_xml_check_complete(&x);
}

static const char *const good_docs[] = {
    "<a/>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<root>text</root>\n",
    "<!-- lead --><r a=\"x>y\" b='p/q'><c/><d e=\"/\"></d><!-- - -- ---><![CDATA[ <x> ]] ]]></r>",
    "<!DOCTYPE r><r><s:t xml:space=\"preserve\"> a &amp; b </s:t><u\n v=\"1\"\t/></r>  \n",
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>客户</t></is></c></row></sheetData></worksheet>",
};

static const char *const bad_docs[] = {
    "", "   ", "text<a/>", "<a/>text", "<a/><b/>", "<a><b></a></b>", "<a></b>", "<a>", "</a>",
    "<>", "< a/>", "<a><![CDATA[ x ]]></a><![CDATA[ y ]]>", "<![CDATA[x]]><a/>",
    "<a b=\"<\"></a", "<a><b</a>", "<a><!-- open </a>", "<abc></ab>", "<ab></abc>",
    "<a><![CDATA[ x> ]> ]]</a>", "<a><!-- x> -> --</a>",
};

static void test_xml_check_any_split(void)
{
    for (size_t d = 0; d < sizeof good_docs / sizeof good_docs[0]; d++) {
        const char *s = good_docs[d];
        size_t len = strlen(s);
        CHECK(complete_whole(s, len));
        for (size_t step = 1; step <= len; step++)
            if (!complete_split(s, len, step))
                CHECK_FAIL_AT(__FILE__, __LINE__, "good doc %zu incomplete in pieces of %zu", d, step);
        /* Two pieces cut anywhere. */
        for (size_t cut = 0; cut <= len; cut++) {
            vp_xml_check x;
            vp_xml_check_init(&x);
            vp_xml_check_feed(&x, s, cut);
            vp_xml_check_feed(&x, s + cut, len - cut);
            if (!vp_xml_check_complete(&x))
                CHECK_FAIL_AT(__FILE__, __LINE__, "good doc %zu incomplete when cut at %zu", d, cut);
        }
    }
    for (size_t d = 0; d < sizeof bad_docs / sizeof bad_docs[0]; d++) {
        const char *s = bad_docs[d];
        size_t len = strlen(s);
        for (size_t step = 1; step <= (len ? len : 1); step++)
            if (complete_split(s, len, step))
                CHECK_FAIL_AT(__FILE__, __LINE__, "bad doc \"%s\" accepted in pieces of %zu", s, step);
    }
}

/* Every prefix that stops before the root element's end is incomplete, and a hole that
 * does not fall between two siblings at both ends is seen. */
static void test_xml_check_truncated(void)
{
    for (size_t d = 0; d < sizeof good_docs / sizeof good_docs[0]; d++) {
        const char *s = good_docs[d];
        size_t len = strlen(s), end = len;
        while (end > 0 && strchr(" \n\t\r", s[end - 1]))
            end--;
        for (size_t cut = 0; cut < end; cut++)
            if (complete_split(s, cut, 7))
                CHECK_FAIL_AT(__FILE__, __LINE__, "doc %zu cut at %zu accepted", d, cut);
    }
    const char *s = "<r><a x=\"1\">one</a><b>two</b><c>three</c></r>";
    char holed[128];
    size_t len = strlen(s);
    /* Remove bytes [12, 30): from inside <a>'s text into <b>'s end tag. */
    memcpy(holed, s, 12);
    memcpy(holed + 12, s + 30, len - 30);
    CHECK(!complete_whole(holed, len - 18));
}

/* A workbook of ~20,000 rows (its sheet is several MB, read in 64 KiB pieces): accepted
 * as written; a flipped byte in a part or a cut file is reported as damaged. */
static void test_verify_workbook(void)
{
    char path[] = "/tmp/vp-test-xlsx-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    for (lxw_row_t r = 0; r < 20000; r++) {
        char text[64];
        snprintf(text, sizeof text, "客户 %u · account", (unsigned)r * 7919u % 100003u);
        worksheet_write_string(ws, r, 0, text, NULL);
        worksheet_write_number(ws, r, 1, r * 1.25, NULL);
    }
    CHECK_EQ_INT(workbook_close(wb), LXW_NO_ERROR);

    vp_diag *diag = vp_diag_new();
    CHECK_EQ_INT(vp_xlsx_verify(path, "book.xlsx", diag), VP_OK);
    CHECK_EQ_INT(vp_diag_count(diag), 0);

    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)len);
    CHECK(fread(data, 1, (size_t)len, f) == (size_t)len);
    fclose(f);
    CHECK(len > 100000);

    /* A flipped byte in the middle of the (compressed) sheet. */
    data[len / 2] ^= 0x55;
    f = fopen(path, "wb");
    fwrite(data, 1, (size_t)len, f);
    fclose(f);
    vp_diag_clear(diag);
    CHECK_EQ_INT(vp_xlsx_verify(path, "book.xlsx", diag), VP_ERR_IO);
    CHECK(vp_diag_count(diag) == 1);
    data[len / 2] ^= 0x55;

    /* Cut short: no central directory. */
    f = fopen(path, "wb");
    fwrite(data, 1, (size_t)len - 100, f);
    fclose(f);
    vp_diag_clear(diag);
    CHECK_EQ_INT(vp_xlsx_verify(path, "book.xlsx", diag), VP_ERR_IO);

    /* Missing file. */
    unlink(path);
    vp_diag_clear(diag);
    CHECK_EQ_INT(vp_xlsx_verify(path, "book.xlsx", diag), VP_ERR_IO);
    CHECK(vp_diag_count(diag) == 1);
    vp_diag_free(diag);
    free(data);
}

int main(void)
{
    RUN(test_xml_check_any_split);
    RUN(test_xml_check_truncated);
    RUN(test_verify_workbook);
    return check_summary();
}
