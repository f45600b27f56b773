"""Writes a schemathesis config that supplies real ids of the demo for the path parameters.

Without them nearly every `{id}` operation only ever answers 404 and schemathesis never
reaches the validation behind it. The ids are read through the API as the run's own user
sees them (the demo's 支部书记): their branch, its plan for the current year, a KPI, a task
with a milestone, a member, two meeting records (one for reading and changing, one for
deleting), a published case and a brand. Usage: schemathesis_ids.py BASE_URL TOKEN OUT.toml
"""

import json
import sys
import urllib.request

base, token, out = sys.argv[1:4]


def get(path):
    req = urllib.request.Request(base + path, headers={"authorization": "Bearer " + token})
    return json.load(urllib.request.urlopen(req, timeout=30))


branch = next(o for o in get("/api/v1/orgs")["items"] if o["kind"] == "branch")["id"]
plans = get("/api/v1/plans?org=%d" % branch)["items"]
plan = max(plans, key=lambda p: p["year"])["id"]
view = get("/api/v1/plans/%d" % plan)
kpi = view["kpis"][0]["id"]
milestone = view["task_milestones"][0]
task = milestone["task_id"]
member = get("/api/v1/members?org=%d" % branch)["items"][0]["id"]
meetings = [m["id"] for m in get("/api/v1/orgs/%d/meetings" % branch)["items"]]
# 品牌化: a published case found by search, and a brand of the branch's subtree.
case = get("/api/v1/library/cases?q=%E6%A3%80%E5%AE%9A")["items"][0]["id"]
brand = get("/api/v1/library/brands")["items"][0]["id"]

ops = [
    (r"^/api/v1/orgs/\{id\}", {"path.id": branch}),
    (r"^/api/v1/plans/\{id\}", {"path.id": plan}),
    (r"^/api/v1/kpis/\{id\}", {"path.id": kpi}),
    (r"^/api/v1/tasks/\{id\}/milestones", {"path.id": task, "path.mid": milestone["id"]}),
    (r"^/api/v1/tasks/\{id\}(/updates)?$", {"path.id": task}),
    (r"^/api/v1/members/\{id\}", {"path.id": member}),
    (r"^/api/v1/library/cases/\{id\}", {"path.id": case}),
    (r"^/api/v1/library/brands/\{id\}", {"path.id": brand}),
]
with open(out, "w") as f:
    for regex, params in ops:
        f.write("[[operations]]\n")
        f.write("include-path-regex = %s\n" % json.dumps(regex))
        f.write("parameters = { %s }\n\n" % ", ".join('"%s" = %d' % kv for kv in params.items()))
    # Meetings: DELETE on its own record, so the others keep one to read and change.
    # (Each include of an entry widens it: names, not a path plus methods.)
    f.write('[[operations]]\n')
    f.write('include-name = ["GET /api/v1/meetings/{id}", "PUT /api/v1/meetings/{id}"]\n')
    f.write('parameters = { "path.id" = %d }\n\n' % meetings[0])
    f.write('[[operations]]\ninclude-name = "DELETE /api/v1/meetings/{id}"\n')
    # With a single record, DELETE gets an id that does not exist rather than the shared one.
    f.write('parameters = { "path.id" = %d }\n' % (meetings[-1] if len(meetings) > 1 else 2**31))
print("ids: branch %d, plan %d, kpi %d, task %d, member %d, meetings %d/%d, case %d, brand %d"
      % (branch, plan, kpi, task, member, meetings[0], meetings[-1], case, brand))
