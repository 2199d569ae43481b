#!/usr/bin/python3
"""Write a variant of an example account for the hostile-input cases.

    mkaccount.py OUT [--base FILE] [PATH=JSON ...] [--raw-append TEXT]

Loads FILE (default: examples/hdjm-discrete-manufacturing.json), sets each PATH (dotted,
with [i] for list items: account.name, kpis[0].actuals[1].period) to the JSON value
(a bare word that is not JSON is taken as a string), and writes OUT as UTF-8.
PATH+=JSON appends to a list; PATH*=N repeats the list's first item N times (ids made
unique with a numeric suffix when the item has an "id").
"""
import copy
import json
import os
import re
import sys

ROOT = os.environ.get("SOURCE_ROOT") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def walk(doc, path):
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    node = doc
    for p in parts[:-1]:
        node = node[int(p[1:-1])] if p.startswith("[") else node.setdefault(p, {})
    last = parts[-1]
    return node, (int(last[1:-1]) if last.startswith("[") else last)


def value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def main():
    args = sys.argv[1:]
    out = args.pop(0)
    base = os.path.join(ROOT, "examples", "hdjm-discrete-manufacturing.json")
    if args and args[0] == "--base":
        args.pop(0)
        base = args.pop(0)
    with open(base, encoding="utf-8") as f:
        doc = json.load(f)
    for a in args:
        m = re.match(r"^([^=*+]+)(\+=|\*=|=)(.*)$", a, re.S)
        if not m:
            sys.exit(f"mkaccount.py: expected PATH=JSON, got {a!r}")
        path, op, text = m.groups()
        node, key = walk(doc, path)
        if op == "=":
            node[key] = value(text)
        elif op == "+=":
            node[key].append(value(text))
        else:
            first = node[key][0]
            items = []
            for i in range(int(text)):
                item = copy.deepcopy(first)
                if isinstance(item, dict) and "id" in item:
                    item["id"] = f"{item['id']}_{i}"
                items.append(item)
            node[key] = items
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
