"""What the document tests (tests/docs/*_test.py) share.

Each test is run as `/usr/bin/python3 tests/docs/<name>_test.py` (its folder is on sys.path)
and imports what it needs from here:
  - where things are: ROOT, BINARY ($VALUEPACK), TEMPLATES ($VALUEPACK_TEMPLATES), and the
    example cases of tests/golden/cases.txt;
  - check() and its counters, summary() for the "N passed, N failed" line and exit status;
  - running valuepack (run, analyze, render_doc) and the PDF tools (tool, pdf_pages,
    page_text, info, qpdf_json), environments with and without SOURCE_DATE_EPOCH;
  - numbers, money and dates written as lib/format writes them, the locale tables;
  - the A4 documents' common checks over every example (check_examples).
"""
import json
import os
import re
import shlex
import shutil
import subprocess
from decimal import Decimal, ROUND_HALF_UP

ROOT = os.environ.get("SOURCE_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("VALUEPACK") or os.path.join(ROOT, "build", "cmd", "valuepack")
TEMPLATES = os.environ.get("VALUEPACK_TEMPLATES") or os.path.join(ROOT, "report_templates")

SOURCE_DATE_EPOCH = "1760000000"
MINUS = "\u2212"
NO_VALUE = "\u2014"          # what a table cell shows for a value that cannot be computed

passed = failed = 0


# ---- counting checks ------------------------------------------------------------------------

def check(cond, what):
    """Count a check; print "FAIL <what>" when cond is false. Returns cond."""
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL " + what)
    return cond


def summary():
    """Print "N passed, N failed"; the exit status (1 when any check failed)."""
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def need_tools(*tools):
    """True when every command is installed; otherwise says which are not, as a failed run."""
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        print(f"FAIL {', '.join(missing)} not installed (apt-get install poppler-utils qpdf)")
        print("0 passed, 1 failed")
    return not missing


# ---- the example cases ----------------------------------------------------------------------

def cases():
    """(file relative to ROOT, as-of date, [extra options]) of every line of
    tests/golden/cases.txt: each example and stress account, some with --period or --locale."""
    with open(os.path.join(ROOT, "tests", "golden", "cases.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                parts = shlex.split(line)
                yield parts[0], parts[1], parts[2:]


def locales(account):
    """The account's own locale (en when it names none), then the other one."""
    own = account["account"].get("locale", "en")
    return own, ("zh-CN" if own == "en" else "en")


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# ---- running things -------------------------------------------------------------------------

def run(args, env=None, ok=(0,)):
    """valuepack with args. An exit status not in `ok` raises RuntimeError; ok=None accepts
    any status (the caller checks it). Returns the CompletedProcess (text)."""
    p = subprocess.run([BINARY] + args, capture_output=True, text=True, env=env)
    if ok is not None and p.returncode not in ok:
        raise RuntimeError(f"valuepack {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p


def tool(args):
    """Another command (pdftotext, qpdf, ...); its CompletedProcess (text)."""
    return subprocess.run(args, capture_output=True, text=True)


def analyze(path, date, loc=None, extra=(), templates=None):
    """`valuepack analyze` of an account, parsed."""
    args = ["analyze", path, "--date", date]
    if loc:
        args += ["--locale", loc]
    args += list(extra)
    if templates:
        args += ["--templates", templates]
    return json.loads(run(args).stdout)


def render_doc(doc, path, date, loc, outdir, env=None, templates=None):
    """`valuepack <doc> --check-layout` (annual, renewal) into outdir: (process, the path it
    printed last or None). Exit status 1 (layout findings) is the caller's to check."""
    args = [doc, path, "--date", date, "--locale", loc, "-o", outdir, "--check-layout"]
    if templates:
        args += ["--templates", templates]
    p = run(args, env=env, ok=(0, 1))
    lines = p.stdout.strip().splitlines()
    return p, lines[-1] if lines else None


def env_with_sde():
    return dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)


def env_without_sde():
    e = dict(os.environ)
    e.pop("SOURCE_DATE_EPOCH", None)
    return e


# ---- lib/format in Python -------------------------------------------------------------------

def _digits(v, decimals, trim):
    """|v| rounded half away from zero with thousands separators, U+2212 when the rounded
    value is below zero (never "-0"); trim drops trailing fraction zeros."""
    d = Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    neg = d < 0
    s = f"{abs(d):,.{decimals}f}"
    if trim and "." in s:
        s = s.rstrip("0").rstrip(".")
    if re.fullmatch(r"[0,.]*", s):
        neg = False
    return (MINUS if neg else "") + s


def fmt_number(v, decimals=0):
    """vp_fmt_number: exactly `decimals` decimals."""
    return NO_VALUE if v is None else _digits(v, decimals, False)


def fmt_value(v, decimals=2):
    """vp_fmt_value: up to `decimals` decimals, trailing zeros dropped."""
    return NO_VALUE if v is None else _digits(v, decimals, True)


def fmt_ratio(r, decimals=0):
    return NO_VALUE if r is None else _digits(r * 100, decimals, False) + "%"


def fmt_multiple(v):
    return NO_VALUE if v is None else _digits(v, 1, False) + "\u00d7"


def money(v, currency):
    """vp_fmt_money: whole units; "¥" and "$" stick to the number, an ISO code is followed by
    a space; the minus goes before the symbol."""
    sym = {"CNY": "\u00a5", "USD": "$"}.get(currency, currency + " ")
    s = _digits(v, 0, False)
    return (MINUS + sym + s[1:]) if s.startswith(MINUS) else sym + s


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def fmt_date(iso, loc):
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日" if loc == "zh-CN" else f"{MONTHS[m - 1]} {d}, {y}"


def squash(s):
    """s without any white space: pdftotext may break lines or insert spaces anywhere in
    wrapped and CJK text."""
    return re.sub(r"\s+", "", s or "")


# ---- the locale tables ----------------------------------------------------------------------

def strings(loc, name):
    """report_templates/locales/<loc>/<name>.json."""
    return load_json(os.path.join(TEMPLATES, "locales", loc, name + ".json"))


# ---- reading a PDF --------------------------------------------------------------------------

def pdf_pages(path):
    m = re.search(r"^Pages:\s+(\d+)", tool(["pdfinfo", path]).stdout, re.M)
    return int(m.group(1)) if m else 0


def page_text(path, first=None, last=None, raw=True):
    """pdftotext of the whole document, or of pages first..last (last defaults to first);
    raw: in content-stream order."""
    args = ["pdftotext"] + (["-raw"] if raw else [])
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return tool(args + [path, "-"]).stdout


def check_reader_clean(pdf, label):
    """poppler reads the file without a warning (libharu's own ToUnicode map made it warn
    on every page, lib/pdf/save.c fix_to_unicode) and every font has a ToUnicode map
    (copy, search, screen readers)."""
    p = tool(["pdftotext", pdf, "/dev/null"])
    check(p.returncode == 0 and not p.stderr.strip(), f"{label}: pdftotext warns: {p.stderr.strip()[:200]}")
    fonts = tool(["pdffonts", pdf]).stdout.splitlines()[2:]
    check(bool(fonts) and all(f.split()[-3] == "yes" for f in fonts),
          f"{label}: a font without a ToUnicode map: {fonts}")


def info(path):
    """pdfinfo's fields ("Title", "Author", "Page size", ...)."""
    d = {}
    for line in tool(["pdfinfo", path]).stdout.splitlines():
        k, _, v = line.partition(":")
        d[k.strip()] = v.strip()
    return d


def qpdf_json(path, key=None):
    """qpdf --json of the document (or only its `key`, e.g. "outlines"); None when qpdf
    gives no JSON."""
    args = ["qpdf", "--json"] + (["--json-key=" + key] if key else []) + [path]
    try:
        j = json.loads(tool(args).stdout)
    except ValueError:
        return None
    return j.get(key) if key else j


# ---- the A4 documents over every example ----------------------------------------------------

def check_examples(doc, tmp, check_pdf):
    """`valuepack <doc> --check-layout` (annual, renewal) for every example and stress
    account of cases.txt without extra options, in its own locale and the other one: exit 0,
    no layout finding, a PDF written; check_pdf(pdf, src, date, loc, label, account) checks
    its content. Then identical bytes on a rerun, with SOURCE_DATE_EPOCH and without it (the
    as-of date is then the creation date)."""
    for rel, date, extra in cases():
        if extra:
            continue
        src = os.path.join(ROOT, rel)
        account = load_json(src)
        own, _ = locales(account)
        for loc in locales(account):
            label = f"{os.path.basename(rel)} {loc}"
            out = os.path.join(tmp, f"{os.path.basename(rel)}-{loc}")
            os.makedirs(out)
            p, pdf = render_doc(doc, src, date, loc, out)
            check(p.returncode == 0, f"{label}: exit status {p.returncode}: {p.stderr.strip()}")
            check("layout:" not in p.stderr, f"{label}: layout findings: {p.stderr.strip()}")
            if not pdf or not os.path.exists(pdf):
                check(False, f"{label}: no PDF written")
                continue
            check_pdf(pdf, src, date, loc, label, account)
        for with_sde in (True, False):
            env = env_with_sde() if with_sde else env_without_sde()
            outs = []
            for k in range(2):
                out = os.path.join(tmp, f"repro-{os.path.basename(rel)}-{with_sde}-{k}")
                os.makedirs(out)
                _, pdf = render_doc(doc, src, date, own, out, env=env)
                with open(pdf, "rb") as f:
                    outs.append(f.read())
            check(outs[0] == outs[1], f"{rel}: identical bytes on rerun (SOURCE_DATE_EPOCH {'set' if with_sde else 'unset'})")
            if not with_sde:
                want = ("D:" + date.replace("-", "")).encode()
                check(want in outs[0], f"{rel}: creation date {want!r} from the as-of date")
