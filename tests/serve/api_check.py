#!/usr/bin/env python3
"""The explorer's JSON API, checked against the CLI over real HTTP.

Starts `pathways serve` on a free port (from a folder other than the scenario's, so relative paths in
posted documents must resolve against the served scenario's folder) and checks: it listens on
127.0.0.1 only by default; POST /api/run answers with the rows `pathways run --format json` writes;
POST /api/validate gives the diagnostics `pathways validate --format json` gives; oversized bodies
get 413, chunked bodies 411, too many variants 413, bad input 400 with a JSON error, other hosts
and origins 403; under a low address-space limit it starts or exits 3 saying why; the page links nothing
outside this server; --bind elsewhere warns.

Usage: api_check.py PATHWAYS_CLI SOURCE_ROOT WORK_DIR
"""
import http.client
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_process import served  # noqa: E402

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def request(url, body=None, headers=None, method=None):
    """(status, headers, body text) of one request; errors are answers too."""
    data = body.encode() if isinstance(body, str) else body
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method or ("POST" if data else "GET"))
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def chunked_request(port, path):
    """(status, body) of a POST whose body is sent in chunks, of which only the first ever arrives."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("POST", path)
    connection.putheader("Transfer-Encoding", "chunked")
    connection.endheaders()
    connection.send(b"5\r\nhello\r\n")
    response = connection.getresponse()
    answer = response.status, response.read().decode()
    connection.close()
    return answer


def starts_or_explains(cli, scenario, limit_kib, work):
    """Under an address-space limit the server either listens or exits 3 saying why; never a signal."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit_kib * 1024, limit_kib * 1024))
    process = subprocess.Popen([cli, "serve", scenario, "--port", "0"], cwd=work, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=limit)
    line = process.stdout.readline()
    process.terminate()
    _, stderr = process.communicate(timeout=30)
    listened = "http://127.0.0.1:" in line
    explained = process.returncode == 3 and "error:" in stderr
    return listened or explained, f"ulimit -v {limit_kib}: exit {process.returncode}, {(line + stderr).strip()[:160]}"


def listening_addresses(port):
    """Local addresses of sockets listening on `port` (/proc/net/tcp, tcp6), as hex."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                address, hex_port = fields[1].split(":")
                if int(hex_port, 16) == port and fields[3] == "0A":
                    found.append(address)
    return found


def external_urls(text):
    """http(s) URLs in `text` that name another host; the SVG namespace is a name, never fetched."""
    urls = re.findall(r"https?://[^\s\"'<>)]+", text)
    return [u for u in urls if u != "http://www.w3.org/2000/svg"
            and not re.match(r"https?://(127\.0\.0\.1|localhost)([:/]|$)", u)]


def main():
    cli, root, work = (os.path.abspath(a) for a in sys.argv[1:4])
    shutil.rmtree(work, ignore_errors=True)
    scenarios = os.path.join(work, "scenarios")
    os.makedirs(scenarios)
    os.symlink(os.path.join(root, "scenarios", "districts"), os.path.join(scenarios, "districts"))
    denver = os.path.join(scenarios, "denver-scale-up.json")
    shutil.copy(os.path.join(root, "scenarios", "denver-scale-up.json"), denver)
    with open(denver) as f:
        denver_text = f.read()
    # Broken on purpose: a negative horizon and a target above the top level, both with positions.
    broken_text = denver_text.replace('"years": 6', '"years": -6').replace(
        '"targets": {"*": 2.0, "foundational.*": 1.5}},\n      {"name": "scale-up"',
        '"targets": {"*": 9.0, "foundational.*": 1.5}},\n      {"name": "scale-up"')
    check(broken_text.count("-6") == 1 and "9.0" in broken_text, "the broken document differs where intended")
    broken = os.path.join(scenarios, "broken.json")
    with open(broken, "w") as f:
        f.write(broken_text)

    with served(cli, [denver], cwd=work) as s:
        check(s.host == "127.0.0.1", f"binds 127.0.0.1 by default (said {s.url})")
        addresses = listening_addresses(s.port)
        check(addresses != [] and all(a in ("0100007F", "00000000000000000000000001000000") for a in addresses),
              f"the listening socket is on loopback only: {addresses}")

        status, headers, page = request(s.url)
        check(status == 200 and "text/html" in headers["Content-Type"], "GET / serves the page")
        check("default-src 'none'" in headers.get("Content-Security-Policy", ""),
              "the page is served with a policy that allows no other host")
        for path in ("", "explorer.js", "explorer.css"):
            status, _, text = request(s.url + path)
            check(status == 200 and external_urls(text) == [],
                  f"/{path} names no URL outside this server: {external_urls(text)}")

        status, _, body = request(s.url + "api/scenario")
        check(status == 200 and body == denver_text, "GET /api/scenario returns the served file")
        status, _, body = request(s.url + "api/graph")
        graph = json.loads(body)
        check(status == 200 and graph["causal_order"][0] == "condition" and graph["model"]["nodes"]
              and any(n["id"] == graph["headline"] for n in graph["model"]["nodes"]),
              "GET /api/graph returns the model, the kinds' order and its headline outcome")
        status, _, body = request(s.url + "api/plugins")
        check(status == 200 and "subgroup" in [m["name"] for m in json.loads(body)["models"]],
              "GET /api/plugins lists the installed effect models")

        # The central run equals the CLI's projection.json, row for row.
        status, headers, body = request(s.url + "api/run?draws=0", denver_text)
        check(status == 200 and headers["Content-Type"].startswith("application/json"), "POST /api/run answers 200")
        served_run = json.loads(body)["runs"][0]
        out = os.path.join(work, "cli-central")
        subprocess.run([cli, "run", denver, "--draws", "0", "--format", "json", "--quiet", "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(out, "projection.json")) as f:
            cli_run = json.load(f)["runs"][0]
        check(served_run["rows"] == cli_run["rows"] and len(served_run["rows"]) > 100,
              f"POST /api/run?draws=0 gives the rows pathways run --draws 0 writes ({len(cli_run['rows'])} rows)")
        check("Server-Timing" in headers, "a run says how long it took (Server-Timing)")
        # The page's filter: several metrics at once (effects and costs), on one course.
        status, _, body = request(s.url + "api/run?draws=0&metric=effect,cost_total&course=with_cut_risk", denver_text)
        expected = [r for r in cli_run["rows"] if r["metric"] in ("effect", "cost_total")
                    and r["course"] == "with_cut_risk"]
        check(status == 200 and json.loads(body)["runs"][0]["rows"] == expected
              and any(r["metric"] == "cost_total" for r in expected),
              f"metric=effect,cost_total&course=with_cut_risk gives just those rows ({len(expected)})")
        status, _, body = request(s.url + "api/run?draws=8&variant=pilot_only", denver_text)
        run = json.loads(body)["runs"][0]
        effect_rows = [r for r in run["rows"] if r["metric"] == "effect" and not r["suppressed"]]
        check(status == 200 and run["draws"] == 8 and run["variant"] == "pilot_only"
              and all(r["p05"] <= r["mean"] <= r["p95"] for r in effect_rows),
              "POST /api/run?draws=8&variant=pilot_only gives 8 draws of that variant with 90% intervals")
        status, headers, body = request(s.url + "api/run?draws=0&format=csv", denver_text)
        check(status == 200 and body.startswith("scenario,variant,model,year,"), "format=csv gives projection.csv")
        # Suppression applies to every answer: a group under the scenario's min_n is withheld, and no
        # document can lower min_n below the publication floor.
        status, _, body = request(s.url + "api/run?draws=0", denver_text.replace('"min_n": 16', '"min_n": 300'))
        withheld = [r for r in json.loads(body)["runs"][0]["rows"] if r["suppressed"]]
        check(status == 200 and withheld and all(r["mean"] is None and r["p95"] is None for r in withheld)
              and "race:pacific_islander" in {r["subgroup"] for r in withheld},
              f"groups under min_n are withheld in the answer ({len(withheld)} rows)")
        status, _, body = request(s.url + "api/run?draws=0", denver_text.replace('"min_n": 16', '"min_n": 1'))
        messages = [d["text"] for d in json.loads(body).get("diagnostics", [])]
        check(status == 400 and any("below the publication floor" in m for m in messages),
              "a document cannot lower min_n below the publication floor")

        # Bad input: 400 with a JSON error, never a run.
        for query, expected in (("draws=5000", "draws: '5000' is not an integer from 0 to 2000"),
                                ("draws=two", "draws: 'two' is not an integer"),
                                ("no_suppression=1", "unknown query parameter 'no_suppression'"),
                                ("format=xml", "format: 'xml' is not an output format")):
            status, _, body = request(s.url + "api/run?" + query, denver_text)
            check(status == 400 and expected in json.loads(body)["error"], f"?{query} is refused with 400")
        status, _, body = request(s.url + "api/run?variant=nope", denver_text)
        messages = [d["text"] for d in json.loads(body).get("diagnostics", [])]
        check(status == 400 and any("unknown variant 'nope'" in m for m in messages), "an unknown variant is a 400")
        status, _, body = request(s.url + "api/run", '{"pathways": 1,\n  "name": }')
        messages = [d["text"] for d in json.loads(body).get("diagnostics", [])]
        check(status == 400 and messages and re.match(r".*denver-scale-up\.json:2:\d+: error: ", messages[0]),
              f"malformed JSON is a 400 with file:line:col: {messages[:1]}")
        status, _, body = request(s.url + "api/validate", "x" * (2 << 20))
        check(status == 413 and "error" in json.loads(body), "a 2 MiB body is refused with 413 and a JSON error")
        status, _, body = request(s.url + "api/run", "x" * (2 << 20))
        check(status == 413, "POST /api/run refuses a 2 MiB body with 413")
        status, body = chunked_request(s.port, "/api/validate")
        check(status == 411 and "Content-Length" in json.loads(body)["error"],
              "a body sent in chunks is refused (411) before it is read: its size cannot be checked first")
        crowded = json.loads(denver_text)
        crowded["variants"] = {f"v{i}": {"kind": "assumption", "description": "as the base"} for i in range(65)}
        for endpoint in ("api/validate", "api/run?draws=0"):
            status, _, body = request(s.url + endpoint, json.dumps(crowded))
            check(status == 413 and "65 variants" in json.loads(body)["error"],
                  f"POST /{endpoint} refuses a document of 65 variants (413) before validating any")
        status, _, _ = request(s.url + "api/scenario", headers={"Host": "attacker.example:80"})
        check(status == 403, "a request naming another host is refused (403)")
        status, _, _ = request(s.url + "api/run?draws=0", denver_text, headers={"Origin": "http://attacker.example"})
        check(status == 403, "a request from another site's page is refused (403)")
        status, _, body = request(s.url + "api/cancel?token=none-running", method="POST")
        check(status == 200 and json.loads(body) == {"cancelled": False}, "cancelling no run says so")
        status, _, body = request(s.url + "api/validate", denver_text)
        check(status == 200 and json.loads(body)["valid"] is True, "POST /api/validate accepts the shipped scenario")
        second = subprocess.run([cli, "serve", denver, "--port", str(s.port)], capture_output=True, text=True,
                                timeout=60)
        check(second.returncode == 3 and f"cannot listen on 127.0.0.1:{s.port}" in second.stderr,
              f"a second server on the same port is refused (exit 3): {second.stderr.strip()}")

    with served(cli, [broken], cwd=work) as s:
        status, _, body = request(s.url + "api/validate", broken_text)
        answer = json.loads(body)
        validated = subprocess.run([cli, "validate", "--format", "json", broken], capture_output=True, text=True)
        expected = json.loads(validated.stdout)
        served_items = [{k: d[k] for k in ("file", "line", "column", "pointer", "severity", "message")}
                        for d in answer["diagnostics"]]
        check(status == 200 and answer["valid"] is False and validated.returncode == 2,
              "a broken document is invalid for both")
        check(served_items == expected and len(expected) >= 2,
              f"POST /api/validate gives pathways validate's diagnostics: {[d['text'] for d in answer['diagnostics']]}")
        check(all(re.match(r".*broken\.json:\d+:\d+: error: ", d["text"]) for d in answer["diagnostics"]),
              "each diagnostic says file:line:col")

    refused = subprocess.run([cli, "serve", denver, "--bind", "0.0.0.0", "--port", "0"], capture_output=True,
                             text=True, cwd=work, timeout=60)
    check(refused.returncode == 2 and "--bind 0.0.0.0: no --allow-host" in refused.stderr,
          "--bind 0.0.0.0 without --allow-host is refused (exit 2)")
    with served(cli, [denver, "--bind", "0.0.0.0", "--allow-host", "pathways.test"], cwd=work) as s:
        local = f"http://127.0.0.1:{s.port}/api/scenario"
        allowed, _, _ = request(local, headers={"Host": f"pathways.test:{s.port}"})
        check(allowed == 200, "off loopback, a request naming an allowed host is answered")
        rebound, _, _ = request(local, headers={"Host": f"127.0.0.1:{s.port}"})
        check(rebound == 403, "off loopback, a request naming any other host is refused (403), loopback's too")
    check("warning: --bind 0.0.0.0" in s.stderr and "browser" in s.stderr, "--bind 0.0.0.0 warns on stderr")

    # AddressSanitizer reserves terabytes of address space at start, so a limit says nothing about it
    # (GCC links its runtime, libasan.so, dynamically: the name is in the binary's dynamic section).
    with open(cli, "rb") as f:
        binary = f.read()
    sanitized = b"libasan.so" in binary or b"AddressSanitizer" in binary
    if not sanitized:
        for limit_kib in (150000, 200000, 300000):
            ok, what = starts_or_explains(cli, denver, limit_kib, work)
            check(ok, f"under a low address-space limit the server starts or says why: {what}")

    print(f"{len(failures)} failed" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
