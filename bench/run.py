#!/usr/bin/env python3
"""auditlens benchmark suite: native auditlens vs DuckDB, jq and a bare serde_json parse, and the
page in headless Chromium vs DuckDB-WASM. Run through `./x bench` (which installs what is missing and
runs this under bench-data/.venv's python, where `duckdb` is installed); see docs/PERFORMANCE.md.

Writes bench-data/results/<UTC time>.json (everything measured) and bench-data/results/<UTC time>.md
(the tables), and copies both to latest.json / latest.md.
"""

import argparse
import collections
import csv
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench-data", "suite")
RESULTS = os.path.join(ROOT, "bench-data", "results")
SEED = 1
MAXOBJ = 2**31 - 1  # DuckDB's read_json refuses objects above maximum_object_size (16 MB by default)

# Per format: file extension, jq path of the records, the columns DuckDB sees for user / IP / action,
# and how DuckDB loads the file into table t (the way an analyst would: read_json_auto/read_csv_auto,
# unnesting the wrapper object's array).
FORMATS = {
    "ocore-json": {
        "ext": "json", "jq": ".items[]", "user": "userName", "ip": "ipAddress", "action": "action",
        "load": "CREATE TABLE t AS SELECT unnest(items, max_depth := 2) FROM read_json_auto('{f}', maximum_object_size={m})",
    },
    "ocore-csv": {
        "ext": "csv", "jq": None, "user": "userName", "ip": "ipAddress", "action": "action",
        "load": "CREATE TABLE t AS SELECT * FROM read_csv_auto('{f}')",
    },
    "ops0-json": {
        "ext": "json", "jq": ".[]", "user": "user", "ip": "ipAddress", "action": "action",
        # sample_size=-1: the nested "changes" objects differ per action, and keys first seen after
        # the default 20480-record sample make the load fail ("has unknown key")
        "load": "CREATE TABLE t AS SELECT * FROM read_json_auto('{f}', format='array', sample_size=-1, maximum_object_size={m})",
    },
    "cloudtrail-json": {
        "ext": "json", "jq": ".Records[]", "user": "userIdentity.userName", "ip": "sourceIPAddress", "action": "eventName",
        "load": "CREATE TABLE t AS SELECT unnest(Records, max_depth := 2) FROM read_json_auto('{f}', maximum_object_size={m})",
    },
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def size_n(s):
    s = s.strip().lower()
    mult = {"k": 1000, "m": 1000_000}.get(s[-1], 1)
    return int(float(s.rstrip("km")) * mult)


def data_path(fmt, size):
    return os.path.join(DATA, f"{fmt}-{size}.{FORMATS[fmt]['ext']}")


def generate(binary, fmt, size):
    """Writes the file unless it is there with the recorded seed, count and size."""
    path = data_path(fmt, size)
    meta_path = path + ".meta.json"
    n = size_n(size)
    try:
        with open(meta_path) as f:
            meta = json.load(f)
        if meta == {"format": fmt, "events": n, "seed": SEED, "bytes": os.path.getsize(path)}:
            return path
    except (OSError, ValueError):
        pass
    log(f"generate {fmt} {n} events (seed {SEED}) -> {os.path.relpath(path, ROOT)}")
    subprocess.run([binary, "generate", "--format", fmt, "-n", str(n), "--seed", str(SEED), "-o", path], check=True)
    with open(meta_path, "w") as f:
        json.dump({"format": fmt, "events": n, "seed": SEED, "bytes": os.path.getsize(path)}, f)
    return path


def records(fmt, path):
    """The records of a (small) generated file as dicts, for picking query literals."""
    if FORMATS[fmt]["ext"] == "csv":
        with open(path, newline="") as f:
            return list(csv.DictReader(f))
    with open(path) as f:
        doc = json.load(f)
    if isinstance(doc, dict):
        return doc.get("items") or doc.get("Records") or []
    return doc


def dig(rec, dotted):
    for k in dotted.split("."):
        rec = rec.get(k) if isinstance(rec, dict) else None
    return rec


def aquote(v):
    """Quotes a value for the auditlens query language (as the page does)."""
    return v if re.fullmatch(r"[A-Za-z0-9_.@\-]+", v) else '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def squote(v):
    return "'" + v.replace("'", "''") + "'"


def pick_queries(fmt, path):
    """Query literals that exist in the data (taken from the smallest file of the format; the same
    seed gives the same organisation at every size), as (name, auditlens query, DuckDB SQL)."""
    spec = FORMATS[fmt]
    recs = records(fmt, path)
    users = collections.Counter(u for r in recs if (u := dig(r, spec["user"])) and u != "system")
    ips = collections.Counter(i for r in recs if (i := dig(r, spec["ip"])) and re.fullmatch(r"[\d.]+", i))
    actions = collections.Counter(a for r in recs if (a := dig(r, spec["action"])))
    (u1, _), (u2, _) = users.most_common(2)
    (a1, _), (a2, _) = actions.most_common(2)
    ip = ips.most_common(1)[0][0]
    o = ip.split(".")
    term = u2.split("@")[0]
    uc, ic, ac = spec["user"], spec["ip"], spec["action"]
    return {
        "literals": {"user": u1, "ip": ip, "actions": [a1, a2], "free_text": term},
        "queries": [
            ("field", f"user:{aquote(u1)}", f"SELECT count(*) FROM t WHERE {uc} = {squote(u1)}"),
            ("boolean", f"(action:{aquote(a1)} OR action:{aquote(a2)}) AND NOT user:{aquote(u1)}",
             f"SELECT count(*) FROM t WHERE ({ac} = {squote(a1)} OR {ac} = {squote(a2)}) AND {uc} IS DISTINCT FROM {squote(u1)}"),
            ("free text", term, "SELECT count(*) FROM t WHERE {anytext:" + term + "}"),
            ("regex", "action:/(?i)login/", f"SELECT count(*) FROM t WHERE regexp_matches({ac}, '(?i)login')"),
            ("CIDR /16", f"ip:{o[0]}.{o[1]}.0.0/16", f"SELECT count(*) FROM t WHERE {ic} LIKE '{o[0]}.{o[1]}.%'"),
            ("stats by actor", "| stats count by actor", f"SELECT {uc}, count(*) FROM t GROUP BY 1"),
        ],
    }


def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time -v; returns (stdout, wall seconds, peak RSS MiB)."""
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"{os.path.basename(cmd[0])} exited {p.returncode}: {p.stderr.split(chr(9) + 'Command being timed')[0][-1500:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", p.stderr).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    timed.cpu_s = sum(float(re.search(rf"{k} time \(seconds\): ([\d.]+)", p.stderr).group(1)) for k in ("User", "System"))
    return p.stdout, secs, rss


def best_of(n, fn):
    outs = [fn() for _ in range(max(1, n))]
    return min(outs, key=lambda o: o["s"]) | {"runs": len(outs), "all_s": sorted(o["s"] for o in outs)}


def native(binary, fmt, size, path, qspec, runs, heavy_runs):
    spec = FORMATS[fmt]
    r = {"file": os.path.relpath(path, ROOT), "bytes": os.path.getsize(path), "load_before": loadavg()}
    log(f"[{fmt} {size}] auditlens bench (ingest + queries), load {r['load_before']}")
    args = [binary, "bench", "--json", "--runs", str(runs)]
    for _, q, _ in qspec["queries"]:
        args += ["--query", q]
    out = subprocess.run(args + [path], capture_output=True, text=True, check=True).stdout.splitlines()
    r["auditlens"] = json.loads(out[0]) | json.loads(out[1])
    r["auditlens"]["ingest_index_s"] = r["auditlens"]["best_s"] + r["auditlens"]["index_build_s"]
    if r["auditlens"].get("cpu_best_s") is not None:
        r["auditlens"]["ingest_index_cpu_s"] = r["auditlens"]["cpu_best_s"] + r["auditlens"]["index_build_cpu_s"]
    log(f"[{fmt} {size}] auditlens detect")
    det = subprocess.run([binary, "bench", "--detect", "--json", "--runs", str(runs), path], capture_output=True, text=True, check=True)
    r["auditlens_detect"] = json.loads(det.stdout)
    log(f"[{fmt} {size}] auditlens search --count under /usr/bin/time -v (whole process: read + ingest + index + query)")
    procs = []
    for _ in range(heavy_runs):
        o, s, rss = timed([binary, "search", "--count", "-q", qspec["queries"][0][1], path])
        procs.append({"s": s, "cpu_s": timed.cpu_s, "peak_rss_mib": rss, "count": o.strip()})
    r["auditlens_process"] = min(procs, key=lambda o: o["s"]) | {"runs": len(procs)}
    log(f"[{fmt} {size}] auditlens report --format html (whole process: read + ingest + detections + report)")
    out_html = os.path.join(RESULTS, "report.html")
    reps = []
    for _ in range(heavy_runs):
        try:
            _, s, rss = timed([binary, "report", "--format", "html", "--generated-at", "2026-03-01T00:00:00Z", "-o", out_html, path])
            reps.append({"s": s, "cpu_s": timed.cpu_s, "peak_rss_mib": rss, "bytes": os.path.getsize(out_html)})
        except RuntimeError as e:  # a binary from before `report` existed, or a report failure
            reps.append({"s": float("inf"), "error": str(e)[-300:]})
    r["auditlens_report"] = min(reps, key=lambda o: o["s"]) | {"runs": len(reps)}
    if spec["ext"] == "json":
        log(f"[{fmt} {size}] floor: serde_json::Value parse")
        fl = subprocess.run([binary, "bench", "--floor", "--json", "--runs", str(runs), path], capture_output=True, text=True, check=True)
        r["floor"] = json.loads(fl.stdout)
    log(f"[{fmt} {size}] duckdb (load {heavy_runs}x, queries {runs}x), load {loadavg()}")
    duck_spec = {"file": path, "load_sql": spec["load"].format(f=path, m=MAXOBJ),
                 "queries": [[n, sql] for n, _, sql in qspec["queries"]], "runs": runs}
    ducks = []
    for _ in range(heavy_runs):
        try:
            o, s, rss = timed([sys.executable, os.path.join(ROOT, "bench", "duck_native.py"), json.dumps(duck_spec)])
            ducks.append(json.loads(o) | {"s": s, "peak_rss_mib": rss})
        except RuntimeError as e:
            ducks.append({"s": float("inf"), "error": str(e)[-500:]})
    r["duckdb"] = min(ducks, key=lambda o: o["load_s"] if "load_s" in o else o["s"]) | {"runs": len(ducks)}
    if spec["jq"]:
        log(f"[{fmt} {size}] jq load and filter ({heavy_runs}x)")
        jq_load = f"jq -c '{spec['jq']}' {path} | wc -l"
        path_expr = "".join(f".{k}" for k in spec["user"].split("."))
        jq_filter = f"jq -c '{spec['jq']} | select({path_expr} == \"{qspec['literals']['user']}\")' {path} | wc -l"

        def run_jq(cmd):
            o, s, rss = timed(["sh", "-c", cmd])
            return {"s": s, "peak_rss_mib": rss, "count": int(o.strip()), "cmd": cmd}

        r["jq_load"] = best_of(heavy_runs, lambda: run_jq(jq_load))
        r["jq_filter"] = best_of(heavy_runs, lambda: run_jq(jq_filter))
    r["load_after"] = loadavg()
    return r


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024

    def ver(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"

    return {"cores": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem, 1), "kernel": platform.release(),
            "rustc": ver(["rustc", "--version"]), "jq": ver(["jq", "--version"]),
            "chromium": ver(["/usr/bin/chromium", "--version"]), "node": ver(["node", "--version"]),
            "git": ver(["git", "-C", ROOT, "log", "-1", "--format=%h %cI %s"])}


# ---- report ----------------------------------------------------------------------------------


def fmt_s(s):
    return "—" if s is None else (f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s")


def fmt_ms(ms):
    return "—" if ms is None else (f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 100 else f"{ms:.0f}")


def ratio(other, ours):
    if other is None or ours is None or ours <= 0 or other == float("inf"):
        return "—"
    return f"{other / ours:.1f}×"


def report(res):
    L = []
    m = res["machine"]
    L.append(f"Run {res['started']} → {res['finished']} · {m['cores']} cores · {m['cpu']} · {m['ram_gib']} GiB · "
             f"load averages seen (1/5/15 min): {', '.join(sorted(set(res['loads'])))}")
    L.append(f"Commit {m['git']}; {m['rustc']}; DuckDB {res.get('duckdb_version', '?')}; {m['jq']}; {m['chromium']}")
    L.append("")
    L.append("### Native ingest (best of N; ratios are other tool's time / auditlens's, so >1× means auditlens is faster)")
    L.append("")
    L.append("| file | events | MB | auditlens ingest | + index | CPU time ingest + index | events/s | MB/s | peak RSS (process) | RSS / input | DuckDB load | vs DuckDB | jq load | vs jq | serde_json::Value | vs floor | load avg |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for key, r in res["native"].items():
        a = r["auditlens"]
        ours = a["ingest_index_s"]
        d = r["duckdb"]
        dl = d.get("load_s")
        jl = r.get("jq_load", {}).get("s")
        fl = r.get("floor", {}).get("floor_best_s")
        rss = r["auditlens_process"]["peak_rss_mib"]
        L.append(f"| {key} | {a['events']:,} | {r['bytes'] / 1e6:.1f} | {fmt_s(a['best_s'])} | {fmt_s(a['index_build_s'])} | {fmt_s(a.get('ingest_index_cpu_s'))} | "
                 f"{a['events'] / ours:,.0f} | {r['bytes'] / 1e6 / ours:.0f} | {rss:.0f} MiB | {rss * 1048576 / r['bytes']:.2f} | "
                 f"{fmt_s(dl) if dl else 'failed'} | {ratio(dl, ours)} | {fmt_s(jl)} | {ratio(jl, ours)} | {fmt_s(fl)} | {ratio(fl, ours)} | {r['load_before']} |")
    L.append("")
    L.append("auditlens ingest = `Dataset::load` (parse, normalize, intern, dedupe); + index = `search::Index::build`; events/s and MB/s use ingest + index (wall). "
             "CPU time = the thread's on-CPU time (/proc/thread-self/schedstat), which a loaded machine hardly changes. "
             "Peak RSS is `/usr/bin/time -v auditlens search --count` (read, ingest, index, one query). DuckDB load = `CREATE TABLE t AS SELECT … read_json_auto/read_csv_auto` "
             "(its own process, 2 threads). jq load = `jq -c '<records>' FILE | wc -l`.")
    L.append("")
    L.append("### Native queries (ms, best of N; auditlens = a full page search: filter, first 50 hits in time order, facets, histogram)")
    L.append("")
    L.append("| file | query | auditlens | matches | DuckDB | DuckDB result | vs DuckDB |")
    L.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for key, r in res["native"].items():
        dq = {q["name"]: q for q in r["duckdb"].get("queries", [])}
        for (name, q, _), aq in zip(r["queries"], r["auditlens"]["queries"]):
            d = dq.get(name, {})
            L.append(f"| {key} | {name}: `{q}` | {fmt_ms(aq['best_ms'])} | {aq['matches']:,} | {fmt_ms(d.get('best_ms'))} | "
                     f"{d.get('result', '—') if not isinstance(d.get('result'), int) else format(d['result'], ',')} | {ratio(d.get('best_ms'), aq['best_ms'])} |")
    L.append("")
    L.append("### Native detections, report and jq filter")
    L.append("")
    L.append("| file | detections (built-in) | findings | report (HTML) process, wall / CPU | search --count process, wall / CPU | report size | jq filter (user = …) | jq matches |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for key, r in res["native"].items():
        d = r["auditlens_detect"]
        jf = r.get("jq_filter")
        rp, sp = r.get("auditlens_report", {}), r.get("auditlens_process", {})
        rep_cell = f"{fmt_s(rp['s'])} / {fmt_s(rp.get('cpu_s'))}" if rp.get("s", float("inf")) != float("inf") else ("failed" if rp else "—")
        L.append(f"| {key} | {fmt_s(d['detect_best_s'])} | {d['findings']} | {rep_cell} | {fmt_s(sp.get('s'))} / {fmt_s(sp.get('cpu_s'))} | "
                 f"{rp['bytes'] / 1e3:.0f} kB |" if rp.get("bytes") else f"| {key} | {fmt_s(d['detect_best_s'])} | {d['findings']} | {rep_cell} | {fmt_s(sp.get('s'))} / {fmt_s(sp.get('cpu_s'))} | — |")
        L[-1] += f" {fmt_s(jf['s']) if jf else '—'} | {jf['count'] if jf else '—'} |"
    b = res.get("browser")
    if b:
        L.append("")
        L.append("### Browser (headless Chromium, same run; ms unless stated)")
        L.append("")
        if b.get("error"):
            L.append(f"Browser run failed: {b['error']}")
        for key, r in b.get("files", {}).items():
            L.append(f"#### {key} ({r.get('bytes', 0) / 1e6:.1f} MB)")
            L.append("")
            a, d = r.get("auditlens", {}), r.get("duckdb", {})
            L.append("| measure | auditlens page | DuckDB-WASM | ratio (DuckDB-WASM / auditlens) |")
            L.append("| --- | ---: | ---: | ---: |")

            def row(label, av, dv):
                L.append(f"| {label} | {fmt_ms(av) if isinstance(av, (int, float)) else (av or '—')} | "
                         f"{fmt_ms(dv) if isinstance(dv, (int, float)) else (dv or '—')} | "
                         f"{ratio(dv, av) if isinstance(av, (int, float)) and isinstance(dv, (int, float)) else '—'} |")

            row("engine start-up (worker + wasm instantiate)", a.get("startup_ms"), d.get("startup_ms"))
            row("page interactive (navigation → ready)", a.get("interactive_ms"), d.get("interactive_ms"))
            row("file read in worker + ingest (load call) / DuckDB register + CREATE TABLE", a.get("load_ms"), d.get("load_ms"))
            row("of which: File bytes into the worker (File.arrayBuffer)", a.get("read_ms"), None)
            row("drop → first results shown (ingest + index + first query)", a.get("first_results_ms"), None)
            row("index build (first query)", a.get("index_ms"), None)
            row("detections (in the worker, after the first query)", a.get("detect_ms"), None)
            for q in a.get("queries", []):
                dq = next((x for x in d.get("queries", []) if x["name"] == q["name"]), {})
                row(f"query {q['name']} (round trip; in wasm {fmt_ms(q.get('wasm_ms'))}; {q.get('matches', '?'):,} vs {dq.get('result', '?')})",
                    q.get("best_ms"), dq.get("best_ms"))
            mem = a.get("wasm_memory_bytes")
            row("wasm linear memory after load + index (MiB)", mem / 1048576 if mem else None,
                None)
            if mem:
                L.append(f"| wasm memory / input bytes | {mem / r['bytes']:.2f} | | |")
            if a.get("chromium_rss_peak_mib") or d.get("chromium_rss_peak_mib"):
                row("Chromium processes peak RSS (MiB)", a.get("chromium_rss_peak_mib"), d.get("chromium_rss_peak_mib"))
            for side, v in (("auditlens", a), ("DuckDB-WASM", d)):
                if v.get("error"):
                    L.append(f"| {side} error | {v['error'][:300]} | | |")
            L.append(f"| load average | {r.get('load_before', '?')} | | |")
            L.append("")
        if b.get("limits"):
            lim = b["limits"]
            L.append(f"Past the limits: after {lim['small']} ({lim.get('events_before')} events), {lim['big']} ({lim['big_bytes'] / 1e9:.2f} GB): "
                     f"{'the tab CRASHED' if lim.get('crashed') else 'no crash'}; load call {lim.get('big_load', {}).get('type', '?')} "
                     f"({lim.get('big_load', {}).get('error') or ''}) after {lim.get('big_ms', 0) / 1000:.1f} s; status shown: \"{lim.get('status')}\"; "
                     f"events shown afterwards: {lim.get('events_after')}; a query afterwards: "
                     f"{(lim.get('query_after') or {}).get('type', '—')} {(lim.get('query_after') or {}).get('error') or ''}; "
                     f"Chromium peak RSS {lim.get('chromium_rss_peak_mib', 0):.0f} MiB{'; ' + lim['error'] if lim.get('error') else ''}.")
            L.append("")
        if b.get("wasm"):
            L.append(f"Wasm: {b['wasm']['bytes']:,} bytes, {b['wasm']['gzip9_bytes']:,} gzip -9.")
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,100k,1m")
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--runs", type=int, default=5, help="repetitions of in-process measurements (ingest, queries)")
    ap.add_argument("--heavy-runs", type=int, default=0,
                    help="repetitions of whole-process measurements (DuckDB load, jq, RSS); default 2, 1 at 1M")
    ap.add_argument("--skip-native", action="store_true")
    ap.add_argument("--skip-browser", action="store_true")
    ap.add_argument("--browser-sizes", default="10k,100k,1m", help="ocore-json sizes for the browser run")
    ap.add_argument("--limits", metavar="SIZE", help="also hand the page an oCore JSON file of SIZE events (6m ≈ 3 GB) after a 10k one: "
                    "does it say so and keep the 10k? (issue 8's 'past the browser's limits')")
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "auditlens"))
    ap.add_argument("--site", default=os.path.join(ROOT, "dist", "site"))
    a = ap.parse_args()

    os.makedirs(DATA, exist_ok=True)
    os.makedirs(RESULTS, exist_ok=True)
    # A private copy: other work may rebuild target/release/auditlens during the run.
    binary = os.path.join(DATA, "auditlens")
    shutil.copy2(a.binary, binary)
    sizes = [s.strip() for s in a.sizes.split(",") if s.strip()]
    formats = [f.strip() for f in a.formats.split(",") if f.strip()]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    res = {"started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
           "machine": machine(), "loads": [loadavg()], "native": {}, "args": vars(a)}
    import duckdb  # the venv's; ./x bench installs it

    res["duckdb_version"] = duckdb.__version__
    all_sizes = sorted(set(sizes) | (set() if a.skip_browser else {s.strip() for s in a.browser_sizes.split(",")}), key=size_n)
    for fmt in formats:
        for size in all_sizes:
            if size in sizes or fmt in ("ocore-json", "ocore-csv"):
                generate(binary, fmt, size)
    if a.limits and not a.skip_browser:
        generate(binary, "ocore-json", a.limits)
        generate(binary, "ocore-json", "10k")
    qspecs = {fmt: pick_queries(fmt, data_path(fmt, min(all_sizes, key=size_n))) for fmt in formats}
    res["literals"] = {f: q["literals"] for f, q in qspecs.items()}

    def save():
        res["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        for name in (stamp, "latest"):
            with open(os.path.join(RESULTS, f"{name}.json"), "w") as f:
                json.dump(res, f, indent=1)
            with open(os.path.join(RESULTS, f"{name}.md"), "w") as f:
                f.write(report(res))

    if not a.skip_native:
        for size in sizes:
            for fmt in formats:
                heavy = a.heavy_runs or (1 if size_n(size) >= 1_000_000 else 2)
                path = data_path(fmt, size)
                try:
                    r = native(binary, fmt, size, path, qspecs[fmt], a.runs if size_n(size) < 1_000_000 else min(a.runs, 3), heavy)
                except (RuntimeError, subprocess.CalledProcessError) as e:
                    log(f"[{fmt} {size}] FAILED: {e}")
                    continue
                r["queries"] = qspecs[fmt]["queries"]
                res["native"][f"{fmt} {size}"] = r
                res["loads"] += [r["load_before"], r["load_after"]]
                save()

    if not a.skip_browser:
        bsizes = [s.strip() for s in a.browser_sizes.split(",") if s.strip()]
        # oCore JSON is the target; DuckDB-WASM cannot read JSON offline (its json extension is
        # downloaded at run time), so the same data as oCore CSV gives it a file it can read.
        spec = {"site": a.site, "root": ROOT, "runs": a.runs, "files": [
            {"key": f"{fmt} {s}", "path": data_path(fmt, s), "duck_load": FORMATS[fmt]["load"].replace("'{f}'", "'{{f}}'").format(m=MAXOBJ),
             "queries": [[n, q, sql] for n, q, sql in qspecs[fmt]["queries"]]}
            for s in bsizes for fmt in ("ocore-json", "ocore-csv") if fmt in qspecs]}
        if a.limits:
            spec["limits"] = {"small": data_path("ocore-json", "10k"), "big": data_path("ocore-json", a.limits)}
        spec_path = os.path.join(RESULTS, "browser-spec.json")
        with open(spec_path, "w") as f:
            json.dump(spec, f)
        out_path = os.path.join(RESULTS, "browser-latest.json")
        log(f"browser: node bench/browser/bench.mjs, load {loadavg()}")
        p = subprocess.run(["node", os.path.join(ROOT, "bench", "browser", "bench.mjs"), spec_path, out_path])
        try:
            with open(out_path) as f:
                res["browser"] = json.load(f)
        except (OSError, ValueError) as e:
            res["browser"] = {"error": f"bench.mjs exited {p.returncode}, no results ({e})"}
        for r in res["browser"].get("files", {}).values():
            if r.get("load_before"):
                res["loads"].append(r["load_before"])
    res["loads"].append(loadavg())
    save()
    print(report(res))
    log(f"results: bench-data/results/{stamp}.json and .md (also latest.json / latest.md)")


if __name__ == "__main__":
    main()
