#!/usr/bin/env python3
"""What attaching the sources costs: `build` with and without
`--attach-sources`, and `verify`, on the 25-page sample (release build,
in-process; 21 rounds after one to warm up; medians and quartiles), and the
PDFs' sizes.

    python3 benches/attach.py
"""
import subprocess, time, statistics, tempfile, os, sys
B="target/release/workshop-report"; W="inputs/egov-sdg-2022"
def run(args):
    t=time.perf_counter(); subprocess.run([B]+args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); return (time.perf_counter()-t)*1000
with tempfile.TemporaryDirectory() as d:
    res={"plain":[], "attach":[], "verify":[]}
    for i in range(22):
        a=run(["build",W,"--force","--quiet","--in-process","--out-dir",d+"/p"])
        b=run(["build",W,"--force","--quiet","--in-process","--attach-sources","--out-dir",d+"/a"])
        c=run(["verify",d+"/a/egov-sdg-2022.pdf","--in-process"])
        if i: res["plain"].append(a); res["attach"].append(b); res["verify"].append(c)
    for k,v in res.items():
        q=statistics.quantiles(v,n=4); print(k, "median %.0f ms (quartiles %.0f-%.0f)"%(statistics.median(v),q[0],q[2]))
    print("sizes", os.path.getsize(d+"/p/egov-sdg-2022.pdf"), os.path.getsize(d+"/a/egov-sdg-2022.pdf"))
