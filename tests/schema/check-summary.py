#!/usr/bin/python3
"""Validate summary.json files against summary.schema.json beside this file.
usage: check-summary.py SUMMARY.json...   (needs python3-jsonschema; Debian's
imports under /usr/bin/python3).  Exit 0 when all conform."""
import json, pathlib, sys
import jsonschema

schema = json.loads((pathlib.Path(__file__).resolve().parent / "summary.schema.json").read_text())
jsonschema.Draft202012Validator.check_schema(schema)
bad = 0
for f in sys.argv[1:]:
    for e in jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(f))):
        print(f"{f}: {'/'.join(map(str, e.path))}: {e.message}")
        bad += 1
sys.exit(1 if bad else 0)
