"""Writes a schemathesis config for the 同步考核 operations, run as the demo's 机关党委 (a
committee that may evaluate): its organization, a template, a run and one organization's result,
so the {id} and {org} operations reach their validation. Usage: BASE_URL TOKEN OUT.toml
"""

import json
import sys
import urllib.request

base, token, out = sys.argv[1:4]


def get(path):
    req = urllib.request.Request(base + path, headers={"authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(req, timeout=30))


org = get("/api/v1/orgs")["items"][0]["id"]
template = get("/api/v1/orgs/%d/evaluation/templates" % org)["templates"][0]["id"]
runs = get("/api/v1/orgs/%d/evaluation/runs" % org)["runs"]
# The draft run (the demo's 2026), so manual values reach their checks.
run = next(r for r in runs if r["status"] == "draft")["id"]
result = get("/api/v1/evaluation/runs/%d" % run)["results_list"][0]["org_id"]
# 品牌化 as the committee: a case waiting in its queue (or any it can read) and a brand below.
review = get("/api/v1/library/review")
case = (review["submitted"] or review["reported"] or [None])[0]
case = case["id"] if case else get("/api/v1/library/cases?q=%E5%85%9A%E5%91%98")["items"][0]["id"]
brand = get("/api/v1/library/brands")["items"][0]["id"]

ops = [
    (r"^/api/v1/orgs/\{id\}/(evaluation|integration)", {"path.id": org}),
    (r"^/api/v1/evaluation/templates/\{id\}", {"path.id": template}),
    (r"^/api/v1/evaluation/runs/\{id\}$", {"path.id": run}),
    (r"^/api/v1/evaluation/runs/\{id\}/results/\{org\}", {"path.id": run, "path.org": result}),
    (r"^/api/v1/library/cases/\{id\}", {"path.id": case}),
    (r"^/api/v1/library/brands/\{id\}", {"path.id": brand}),
]
with open(out, "w") as f:
    for regex, params in ops:
        f.write("[[operations]]\n")
        f.write("include-path-regex = %s\n" % json.dumps(regex))
        f.write("parameters = { %s }\n\n" % ", ".join('"%s" = %d' % kv for kv in params.items()))
    # Confirming locks the run the others write to: it gets a run of its own (the 2025 one,
    # already confirmed, which answers the refusal).
    confirmed = next(r for r in runs if r["status"] == "confirmed")["id"]
    f.write('[[operations]]\ninclude-name = "POST /api/v1/evaluation/runs/{id}/confirm"\n')
    f.write('parameters = { "path.id" = %d }\n' % confirmed)
print("evaluation ids: org %d, template %d, run %d (result of org %d), confirmed run %d; case %d, brand %d"
      % (org, template, run, result, confirmed, case, brand))
