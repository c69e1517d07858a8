#!/usr/bin/env python3
"""Check a dynaudit report.json against report.schema.json beside this file
(the repository's own copy of the contract's schema, so a clean clone tests
with nothing beside it).

usage: check-report.py REPORT.json [REPORT.json ...]
Uses the jsonschema module when it is installed (Debian: python3-jsonschema);
otherwise checks required keys, enums and types of the schema itself, recursively.
Exit 0 when every report conforms; prints one line per problem otherwise.
"""
import json, sys, pathlib

SCHEMA = pathlib.Path(__file__).resolve().parent / "report.schema.json"

def walk(schema, value, where, problems):
    t = schema.get("type")
    types = t if isinstance(t, list) else [t] if t else []
    pytypes = {"object": dict, "array": list, "string": str, "integer": int, "number": (int, float), "null": type(None), "boolean": bool}
    if types and not any(isinstance(value, pytypes[x]) and not (x in ("integer", "number") and isinstance(value, bool)) for x in types):
        problems.append(f"{where}: expected {t}, got {type(value).__name__}")
        return
    if "const" in schema and value != schema["const"]:
        problems.append(f"{where}: expected {schema['const']!r}, got {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not one of {schema['enum']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{where}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{where}: {value} > {schema['maximum']}")
    if isinstance(value, dict):
        for k in schema.get("required", []):
            if k not in value:
                problems.append(f"{where}: missing required key {k!r}")
        for k, sub in schema.get("properties", {}).items():
            if k in value:
                walk(sub, value[k], f"{where}.{k}", problems)
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            walk(schema["items"], v, f"{where}[{i}]", problems)

def main():
    schema = json.loads(SCHEMA.read_text())
    bad = 0
    for path in sys.argv[1:]:
        try:
            report = json.loads(pathlib.Path(path).read_text())
        except Exception as e:
            print(f"{path}: not readable JSON: {e}")
            bad += 1
            continue
        problems = []
        try:
            import jsonschema
            for e in jsonschema.Draft202012Validator(schema).iter_errors(report):
                problems.append(f"$.{'.'.join(map(str, e.path))}: {e.message}")
        except ImportError:
            walk(schema, report, "$", problems)
        for p in problems:
            print(f"{path}: {p}")
        bad += bool(problems)
    if not sys.argv[1:]:
        print(__doc__.strip())
        return 2
    return 1 if bad else 0

sys.exit(main())
