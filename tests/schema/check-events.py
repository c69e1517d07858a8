#!/usr/bin/env python3
"""Check dynaudit events.jsonl files against events.schema.json beside this
file: every line one JSON object matching the schema, the first line the
header, at least one event, seq increasing.

usage: check-events.py EVENTS.jsonl [EVENTS.jsonl ...]
Uses the jsonschema module when it is installed (Debian: python3-jsonschema);
otherwise checks required keys, types, enums and unknown members of the
schema itself.  Exit 0 when every file conforms; prints one line per problem
(at most 20 per file) otherwise.
"""
import json, sys, pathlib

SCHEMA = pathlib.Path(__file__).resolve().parent / "events.schema.json"
PYTYPES = {"object": dict, "array": list, "string": str, "integer": int,
           "number": (int, float), "null": type(None), "boolean": bool}

def type_ok(schema, value):
    t = schema.get("type")
    types = t if isinstance(t, list) else [t] if t else []
    return not types or any(isinstance(value, PYTYPES[x]) and
                            not (x in ("integer", "number") and isinstance(value, bool)) for x in types)

def walk(schema, value, where, problems):
    if "oneOf" in schema:
        if not any(not walk(s, value, where, []) for s in schema["oneOf"]):
            problems.append(f"{where}: matches none of the alternatives")
        return problems
    if not type_ok(schema, value):
        problems.append(f"{where}: expected {schema.get('type')}, got {type(value).__name__}")
        return problems
    if "const" in schema and value != schema["const"]:
        problems.append(f"{where}: expected {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not one of the enum")
    if isinstance(value, dict):
        for k in schema.get("required", []):
            if k not in value:
                problems.append(f"{where}: missing required key {k!r}")
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                walk(props[k], v, f"{where}.{k}", problems)
            elif schema.get("additionalProperties") is False:
                problems.append(f"{where}: unknown member {k!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                walk(schema["additionalProperties"], v, f"{where}.{k}", problems)
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            walk(schema["items"], v, f"{where}[{i}]", problems)
    return problems

def resolve(schema, node):
    if isinstance(node, dict):
        if "$ref" in node:
            return resolve(schema, schema["$defs"][node["$ref"].split("/")[-1]])
        return {k: resolve(schema, v) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(schema, v) for v in node]
    return node

def check_file(path, schema, validator):
    problems, last_seq, events = [], -1, 0
    lines = pathlib.Path(path).read_bytes().decode("utf-8", "strict").splitlines()
    for n, line in enumerate(lines, 1):
        where = f"{path}:{n}"
        try:
            obj = json.loads(line)
        except Exception as e:
            problems.append(f"{where}: not JSON: {e}")
            continue
        if validator:
            problems += [f"{where}: {e.message}" for e in validator.iter_errors(obj)]
        else:
            walk(resolve(schema, {k: v for k, v in schema.items() if k != "$defs"}), obj, where, problems)
        if n == 1 and "dynaudit_events" not in obj:
            problems.append(f"{where}: the first line is not the header")
        if "seq" in obj:
            events += 1
            if isinstance(obj["seq"], int) and obj["seq"] <= last_seq:
                problems.append(f"{where}: seq {obj['seq']} after {last_seq}")
            last_seq = obj["seq"] if isinstance(obj["seq"], int) else last_seq
    if not events:
        problems.append(f"{path}: no events")
    return problems

def main():
    if not sys.argv[1:]:
        print(__doc__.strip())
        return 2
    schema = json.loads(SCHEMA.read_text())
    try:
        import jsonschema
        validator = jsonschema.Draft202012Validator(schema)
    except ImportError:
        validator = None
    bad = 0
    for path in sys.argv[1:]:
        try:
            problems = check_file(path, schema, validator)
        except Exception as e:
            problems = [f"{path}: not readable: {e}"]
        for p in problems[:20]:
            print(p)
        bad += bool(problems)
    return 1 if bad else 0

sys.exit(main())
