"""DuckDB (native, PyPI `duckdb`) side of the benchmark: load one file into a table, then time the
same questions auditlens answers. Run by bench/run.py under /usr/bin/time -v (for peak RSS); prints
one JSON object on stdout.

usage: duck_native.py SPEC_JSON   (SPEC: {"file", "load_sql", "queries": [[name, sql]...], "runs"})
"""

import json
import re
import sys
import time

import duckdb


def main() -> None:
    spec = json.loads(sys.argv[1])
    con = duckdb.connect()
    out = {"duckdb": duckdb.__version__, "threads": con.execute("SELECT current_setting('threads')").fetchone()[0]}
    t = time.perf_counter()
    con.execute(spec["load_sql"])
    out["load_s"] = time.perf_counter() - t
    out["rows"] = con.execute("SELECT count(*) FROM t").fetchone()[0]
    out["columns"] = [[c[0], c[1]] for c in con.execute("DESCRIBE t").fetchall()]
    # Free text: "{anytext:TERM}" becomes a case-insensitive substring test on every column, cast to
    # text (nested structs and maps included), the nearest SQL has to "any field contains TERM".
    def anytext(m):
        term = m.group(1).replace("'", "''").replace("%", "\\%").replace("_", "\\_")
        return "(" + " OR ".join(f"CAST(\"{c}\" AS VARCHAR) ILIKE '%{term}%' ESCAPE '\\'" for c, _ in out["columns"]) + ")"

    rows = []
    for name, sql in spec["queries"]:
        sql = re.sub(r"\{anytext:([^}]*)\}", anytext, sql)
        times = []
        result = None
        for _ in range(max(1, spec["runs"])):
            t = time.perf_counter()
            result = con.execute(sql).fetchall()
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        # count queries return one number; GROUP BY queries return their number of groups
        n = result[0][0] if len(result) == 1 and len(result[0]) == 1 else len(result)
        rows.append({"name": name, "sql": sql, "best_ms": times[0], "median_ms": times[len(times) // 2], "result": n})
    out["queries"] = rows
    print(json.dumps(out))


if __name__ == "__main__":
    main()
