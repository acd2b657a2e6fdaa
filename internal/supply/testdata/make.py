#!/usr/bin/env python3
"""Regenerates the conformance scenarios in this folder from the reference
model (shared/conformance/gen.py), for conformance_test.go.

usage: python3 make.py CONFORMANCE_DIR SEED...

For each seed it writes genSEED/{items,stock,usage}.csv as gen.py makes them
and genSEED/expected.json: the reference's supply rows and pools, plus the
in_country headcount per mission that the reference used (the census is not
this package's business, so the test takes it as given)."""
import json, os, shutil, sys, tempfile

kit, seeds = sys.argv[1], sys.argv[2:]
sys.path.insert(0, kit)
import gen  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
AS_OF = "2021-03-01"
for seed in seeds:
    tmp = tempfile.mkdtemp()
    try:
        gen.gen(tmp, seed=int(seed), lp=False)
        rd = lambda n: list(gen.csv.DictReader(open(os.path.join(tmp, n))))
        people = rd("people.csv")
        tracks = json.load(open(os.path.join(tmp, "tracks.json")))
        st = gen.status_at(people, tracks, AS_OF)
        byid = {p["id"]: p for p in people}
        head = {}
        for i, s in st.items():
            if s == "in_country":
                head[byid[i]["mission"]] = head.get(byid[i]["mission"], 0) + 1
        exp = json.load(open(os.path.join(tmp, "expected.json")))
        out = os.path.join(here, f"gen{seed}")
        os.makedirs(out, exist_ok=True)
        for n in ("items.csv", "stock.csv", "usage.csv"):
            shutil.copy(os.path.join(tmp, n), out)
        with open(os.path.join(out, "expected.json"), "w") as f:
            json.dump(dict(as_of=AS_OF, threshold=14, target=60, headcount=head,
                           supply=exp["supply"], pools=exp["pools"]), f, indent=1, sort_keys=True)
    finally:
        shutil.rmtree(tmp)
