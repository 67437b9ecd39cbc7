#!/usr/bin/env python3
"""Writes github/testdata/api.github.com.json: the operations of GitHub's
REST API description that package github calls, and the webhooks it
receives, with every component they reference and nothing else.

usage: subset.py path/to/@octokit/openapi/generated/api.github.com.json
"""
import json
import sys

OPERATIONS = {
    "/app/installations/{installation_id}/access_tokens": ["post"],
    "/repos/{owner}/{repo}/labels/{name}": ["get"],
    "/repos/{owner}/{repo}/labels": ["post"],
    "/repos/{owner}/{repo}/issues/{issue_number}/labels": ["get", "put"],
    "/repos/{owner}/{repo}/issues/{issue_number}/comments": ["get", "post"],
    "/repos/{owner}/{repo}/issues": ["get", "post"],
    "/repos/{owner}/{repo}/pulls": ["get", "post"],
    "/repos/{owner}/{repo}/pulls/{pull_number}": ["get"],
    "/repos/{owner}/{repo}/security-advisories": ["get", "post"],
    "/repos/{owner}/{repo}/security-advisories/{ghsa_id}": ["get", "patch"],
    "/repos/{owner}/{repo}/security-advisories/{ghsa_id}/cve": ["post"],
    "/repos/{owner}/{repo}/security-advisories/{ghsa_id}/forks": ["post"],
    "/repos/{owner}/{repo}/compare/{basehead}": ["get"],
}
WEBHOOKS = ["issues-labeled", "issues-unlabeled"]


def strip(node):
    """Drops examples: they weigh most of the file and validate nothing."""
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in ("examples", "example")}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def refs(node, out):
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str) and r.startswith("#/components/"):
            out.add(r)
        for v in node.values():
            refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)


def main(src):
    d = json.load(open(src))
    paths = {}
    for p, methods in OPERATIONS.items():
        item = d["paths"][p]
        paths[p] = {k: v for k, v in item.items() if k in methods or k == "parameters"}
    hooks = {w: d["x-webhooks"][w] for w in WEBHOOKS}
    out = {
        "openapi": d["openapi"],
        "info": d["info"],
        "servers": d["servers"],
        "paths": strip(paths),
        "x-webhooks": strip(hooks),
        "components": {},
    }
    seen, todo = set(), set()
    refs(out, todo)
    while todo:
        r = todo.pop()
        if r in seen:
            continue
        seen.add(r)
        _, _, kind, name = r.split("/", 3)
        node = strip(d["components"][kind][name])
        out["components"].setdefault(kind, {})[name] = node
        refs(node, todo)
    for kind in out["components"]:
        out["components"][kind] = dict(sorted(out["components"][kind].items()))
    if "securitySchemes" in d["components"]:
        out["components"]["securitySchemes"] = d["components"]["securitySchemes"]
    json.dump(out, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
