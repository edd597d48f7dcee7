#!/usr/bin/env python3
"""Helpers for generate.sh: the Python-client goldens, wrapping kubectl output, and checks.

Subcommands:
  python INPUT_DIR OUT_DIR
      For every INPUT_DIR/*.json: deserialize it with the official Python client's own
      ApiClient.deserialize into the model named by its apiVersion/kind, serialize it back with
      ApiClient.sanitize_for_serialization, and require the result to equal the input. Any field
      the upstream schema does not know (a misspelt name, a wrong nesting) is dropped by the client
      and so fails the run. Null-valued keys of the input (Go's `creationTimestamp: null`) are not
      expected back: the client drops every None. Writes OUT_DIR/<same name>.
  wrap SOURCE OUT_FILE
      Reads a kubectl `-o json` document on stdin and writes {"source": SOURCE, "object": ...}.
  go-check GO_GOLDEN INPUT [PATH=JSON ...]
      Checks that Go's output (a kubectl golden made from INPUT by a typed kubectl command such as
      `kubectl set image --local`) says exactly what INPUT says once the command's own edits
      (given as dotted paths, list indexes as numbers, e.g. spec.containers.0.image="web:2") are
      applied to INPUT: every input value is kept unchanged, and Go adds nothing but its zero
      values (null, {}, [], 0, "", false). This proves the input is written the way Go writes it,
      so the Python-client golden made from the same input is a faithful wire document too.

Timestamps: the Python client parses date-time fields into `datetime` and would write them back
with `isoformat()` (`2015-07-01T10:00:00+00:00`). Go writes metav1.Time as RFC 3339 in UTC with
whole seconds (`2015-07-01T10:00:00Z`) and metav1.MicroTime with six fractional digits. Before the
client serializes, each parsed datetime is replaced by Go's rendering of it, so the goldens hold
what the apiserver would write; everything else is the client's own output.
"""

import datetime
import json
import os
import sys

from kubernetes import __version__ as CLIENT_VERSION
from kubernetes.client import ApiClient, models

# (model class, attribute) pairs whose Go type is metav1.MicroTime rather than metav1.Time.
MICRO_TIME_FIELDS = {
    ("CoreV1Event", "event_time"),
    ("CoreV1EventSeries", "last_observed_time"),
    ("V1LeaseSpec", "acquire_time"),
    ("V1LeaseSpec", "renew_time"),
}

# Kinds whose Python model name is not "V1" + kind.
MODEL_OVERRIDES = {
    ("v1", "Event"): "CoreV1Event",
}


class FakeResponse:
    """The one attribute ApiClient.deserialize reads from an HTTP response."""

    def __init__(self, document):
        self.data = json.dumps(document)


def model_name(document):
    api_version = document.get("apiVersion", "v1")
    kind = document["kind"]
    if (api_version, kind) in MODEL_OVERRIDES:
        return MODEL_OVERRIDES[(api_version, kind)]
    version = api_version.split("/")[-1]
    return version[0].upper() + version[1:] + kind


def go_time(value, micro):
    utc = value.astimezone(datetime.timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if micro else "%Y-%m-%dT%H:%M:%SZ")


def render_times_as_go(value):
    """Replaces every datetime attribute in a model tree by Go's text for it."""
    if isinstance(value, list):
        for item in value:
            render_times_as_go(item)
    elif isinstance(value, dict):
        for item in value.values():
            render_times_as_go(item)
    elif hasattr(value, "openapi_types"):
        class_name = type(value).__name__
        for attr in value.openapi_types:
            field = getattr(value, attr)
            if isinstance(field, datetime.datetime):
                micro = (class_name, attr) in MICRO_TIME_FIELDS
                setattr(value, attr, go_time(field, micro))
            else:
                render_times_as_go(field)


def differences(expected, actual, path="$"):
    """Every JSON path where the two documents disagree, with both values."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual)):
            child = f"{path}.{key}"
            if key not in actual:
                found.append(f"{child}: missing from output (input has {json.dumps(expected[key])})")
            elif key not in expected:
                found.append(f"{child}: added by output ({json.dumps(actual[key])})")
            else:
                found.extend(differences(expected[key], actual[key], child))
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: input has {len(expected)} items, output {len(actual)}"]
        found = []
        for index, (left, right) in enumerate(zip(expected, actual)):
            found.extend(differences(left, right, f"{path}[{index}]"))
        return found
    if expected != actual or type(expected) is not type(actual):
        return [f"{path}: input {json.dumps(expected)}, output {json.dumps(actual)}"]
    return []


def without_nulls(value):
    """The document with null-valued object keys removed: the client never writes None, while Go
    writes null for an unset non-pointer time (creationTimestamp: null)."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def write_golden(out_file, source, document):
    with open(out_file, "w", encoding="utf-8") as out:
        json.dump({"source": source, "object": document}, out, indent=2, ensure_ascii=False)
        out.write("\n")


def python_goldens(input_dir, out_dir):
    client = ApiClient()
    failed = False
    os.makedirs(out_dir, exist_ok=True)
    for name in sorted(os.listdir(input_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(input_dir, name), encoding="utf-8") as handle:
            document = json.load(handle)
        model = model_name(document)
        obj = client.deserialize(FakeResponse(document), model)
        render_times_as_go(obj)
        output = client.sanitize_for_serialization(obj)
        problems = differences(without_nulls(document), output)
        if problems:
            failed = True
            print(f"{name}: the {model} model does not reproduce the input:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            continue
        source = (
            f"kubernetes=={CLIENT_VERSION} (official Python client): "
            f"ApiClient().sanitize_for_serialization(ApiClient().deserialize("
            f"FakeResponse(inputs/{name}), '{model}')), datetimes rendered as Go's "
            f"metav1.Time/MicroTime"
        )
        write_golden(os.path.join(out_dir, name), source, output)
    return 1 if failed else 0


def is_go_zero(value):
    return value in (None, {}, [], 0, "", False) and not (value == 0 and isinstance(value, float))


def go_additions_only(expected, actual, path="$"):
    """Paths where Go's output changes or drops an input value, or adds a non-zero value."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual)):
            child = f"{path}.{key}"
            if key not in actual:
                found.append(f"{child}: dropped by Go (input has {json.dumps(expected[key])})")
            elif key not in expected:
                if not is_go_zero(actual[key]):
                    found.append(f"{child}: Go added a non-zero value {json.dumps(actual[key])}")
            else:
                found.extend(go_additions_only(expected[key], actual[key], child))
        return found
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        found = []
        for index, (left, right) in enumerate(zip(expected, actual)):
            found.extend(go_additions_only(left, right, f"{path}[{index}]"))
        return found
    return differences(expected, actual, path)


def apply_edit(document, edit):
    path, _, value = edit.partition("=")
    *parents, last = [int(part) if part.isdigit() else part for part in path.split(".")]
    target = document
    for part in parents:
        target = target[part]
    target[last] = json.loads(value)


def go_check(go_golden, input_file, edits):
    with open(go_golden, encoding="utf-8") as handle:
        go_output = json.load(handle)["object"]
    with open(input_file, encoding="utf-8") as handle:
        document = json.load(handle)
    for edit in edits:
        apply_edit(document, edit)
    problems = go_additions_only(document, go_output)
    for problem in problems:
        print(f"{go_golden}: {problem}", file=sys.stderr)
    return 1 if problems else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "python":
        return python_goldens(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "wrap":
        write_golden(argv[3], argv[2], json.load(sys.stdin))
        return 0
    if len(argv) >= 4 and argv[1] == "go-check":
        return go_check(argv[2], argv[3], argv[4:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
