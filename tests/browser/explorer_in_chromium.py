#!/usr/bin/env python3
"""The explorer in headless Chromium, driven over the DevTools protocol (on a pipe: no port, no
websocket library).

Starts `pathways serve scenarios/denver-scale-up.json`, opens the page, waits for the projected
effect for all students, raises the scale-up wave's target for every practice from 2 to 3, waits for
the number to change, waits for the Monte Carlo bands and the costs panel's figures, saves a
screenshot, clicks "Save scenario", and runs the downloaded file with the CLI: it validates, carries
the new target, and projects the number the page showed. Then adds 15 schools to the scale-up wave
and waits for the total cost to rise. Fails on any console error or exception, and on any request the page makes
to another host.

Usage: explorer_in_chromium.py PATHWAYS_CLI SOURCE_ROOT ARTIFACT_DIR
Exit 0 pass, 1 fail, 77 skipped (no Chromium).
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "serve"))
from serve_process import served  # noqa: E402

TARGET_CONTROL = "implementation/waves/1/targets/*"
SCHOOLS_CONTROL = "implementation/waves/1/schools/count"


class devtools:
    """A Chromium started with --remote-debugging-pipe: commands on fd 3, answers and events on fd 4."""

    def __init__(self, browser, flags):
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def child_fds():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.process = subprocess.Popen([browser, *flags, "--remote-debugging-pipe", "about:blank"],
                                        pass_fds=(3, 4), preexec_fn=child_fds,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.next_id = 0
        self.answers = {}
        self.events = []
        self.arrived = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        pending = b""
        while True:
            chunk = os.read(self.from_browser, 1 << 16)
            if not chunk:
                return
            pending += chunk
            while b"\0" in pending:
                message, pending = pending.split(b"\0", 1)
                data = json.loads(message)
                with self.arrived:
                    if "id" in data:
                        self.answers[data["id"]] = data
                    else:
                        self.events.append(data)
                    self.arrived.notify_all()

    def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        with self.arrived:
            if not self.arrived.wait_for(lambda: self.next_id in self.answers, timeout):
                raise RuntimeError(f"no answer to {method} in {timeout} s")
            answer = self.answers.pop(self.next_id)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer["result"]

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def main():
    cli, root, artifacts = (os.path.abspath(a) for a in sys.argv[1:4])
    browser = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        print("chromium not installed: skipped (install Debian's chromium package to run this test)")
        return 77
    work = tempfile.mkdtemp()
    try:
        return explore(cli, root, artifacts, browser, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def explore(cli, root, artifacts, browser, work):
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=" + os.path.join(work, "profile"), "--hide-scrollbars"]
    with served(cli, [os.path.join(root, "scenarios", "denver-scale-up.json")], cwd=work) as server:
        chrome = devtools(browser, flags)
        try:
            return drive(chrome, server, cli, root, artifacts, work, downloads)
        finally:
            chrome.close()


def drive(chrome, server, cli, root, artifacts, work, downloads):
    target = chrome.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = chrome.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Network", "Log"):
        chrome.send(domain + ".enable", session=session)
    chrome.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    chrome.send("Emulation.setDeviceMetricsOverride",
                {"width": 1400, "height": 2040, "deviceScaleFactor": 1, "mobile": False}, session=session)

    def evaluate(expression):
        result = chrome.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
        if "exceptionDetails" in result:
            fail(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(expression, what, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = evaluate(f"(() => {{ try {{ return {expression}; }} catch (e) {{ return null; }} }})()")
            if value:
                return value
            time.sleep(0.1)
        fail(f"waited {timeout} s for {what}; the page shows: "
             + str(evaluate("document.getElementById('diagnostics').textContent + ' / ' + "
                            "document.getElementById('run-status').textContent")))

    chrome.send("Page.navigate", {"url": server.url}, session=session)
    headline = "document.getElementById('headline-value').dataset"
    wait_for(f"['central', 'bands'].includes({headline}.state)", "the first central run")
    before = float(evaluate(f"{headline}.value"))
    shown_before = evaluate("document.getElementById('headline-value').textContent")
    print(f"effect for all students at the served plan: {shown_before} ({before})")

    moved = evaluate(f"""(() => {{
        const input = document.querySelector('input[data-path="{TARGET_CONTROL}"]');
        if (!input) return null;
        input.value = '3';
        input.dispatchEvent(new Event('input', {{bubbles: true}}));
        return input.value;
    }})()""")
    if moved != "3":
        fail(f"no control {TARGET_CONTROL} on the page")
    wait_for(f"{headline}.state === 'central' && {headline}.value !== '' && Number({headline}.value) !== {before!r}",
             "the number to change")
    after = float(evaluate(f"{headline}.value"))
    shown_after = evaluate("document.getElementById('headline-value').textContent")
    print(f"after raising the scale-up wave's target to 3: {shown_after} ({after})")
    if not after > before:
        fail(f"a higher target should raise the effect: {before} -> {after}")
    wait_for(f"{headline}.state === 'bands'", "the Monte Carlo bands of the changed plan")
    print("status: " + evaluate("document.getElementById('run-status').textContent"))
    check_costs_panel(evaluate, wait_for)
    wait_for("document.querySelectorAll('#variants-table tr').length > 1", "the variants side by side")
    page = {"mean": float(evaluate(f"{headline}.value")),
            "text": evaluate("document.getElementById('headline-value').textContent"),
            "best": evaluate("(document.querySelector('#variants-table tr.best') || {dataset: {}}).dataset.variant"),
            "total_cost": evaluate("document.getElementById('cost-total-value').dataset.value")}
    print(f"with the draws: {page}")
    if not evaluate("document.querySelectorAll('#diagram .node').length > 10"):
        fail("the theory-of-change diagram has no nodes")

    os.makedirs(artifacts, exist_ok=True)
    screenshot = chrome.send("Page.captureScreenshot", {"format": "png"}, session=session)
    png = os.path.join(artifacts, "explorer.png")
    with open(png, "wb") as f:
        f.write(base64.b64decode(screenshot["data"]))

    evaluate("document.getElementById('save-scenario').click()")
    saved = os.path.join(downloads, "denver-scale-up.json")
    deadline = time.monotonic() + 30
    while not os.path.exists(saved) and time.monotonic() < deadline:
        time.sleep(0.1)
    if not os.path.exists(saved):
        fail(f"no scenario downloaded: {os.listdir(downloads)}")
    check_saved_scenario(cli, root, work, saved, after, page)
    check_costs_follow_schools(evaluate, wait_for)

    problems = [e for e in chrome.events if e.get("method") == "Runtime.exceptionThrown"
                or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error")
                or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")]
    if problems:
        fail(f"the console logged errors: {problems[:3]}")
    requested = [e["params"]["request"]["url"] for e in chrome.events if e.get("method") == "Network.requestWillBeSent"]
    elsewhere = [u for u in requested if not u.startswith(server.url) and not u.startswith(("data:", "blob:"))]
    if elsewhere:
        fail(f"the page requested other hosts: {elsewhere}")
    print(f"{len(requested)} requests, all to {server.url}; screenshot: {png}")
    return 0


COSTS = "document.getElementById('costs')"
COST_TOTAL = "document.getElementById('cost-total-value')"


def check_costs_panel(evaluate, wait_for):
    """The costs panel shows amounts, and with the draws the total's interval and the cost per 0.1 SD over every draw."""
    wait_for(f"!{COSTS}.hidden && {COSTS}.dataset.state === 'bands'", "the costs panel with the Monte Carlo draws")
    shown = evaluate("[...document.querySelectorAll('#costs .cost-value, #costs .cost-band')]"
                     ".map((e) => e.id + ': ' + e.textContent).join(' | ')")
    print("costs: " + shown)
    total = float(evaluate(f"{COST_TOTAL}.dataset.value") or "nan")
    if not total > 0:
        fail(f"the costs panel shows no total cost: {shown}")
    for element in ("cost-total-value", "cost-per-student-value"):
        if not any(c.isdigit() for c in evaluate(f"document.getElementById('{element}').textContent")):
            fail(f"#{element} shows no number: {shown}")
    if "90% interval" not in evaluate("document.getElementById('cost-total-band').textContent"):
        fail(f"the total cost has no 90% interval once the draws are in: {shown}")
    if "every draw" not in evaluate("document.getElementById('cost-per-tenth-sd-band').textContent"):
        fail(f"the cost per student for 0.1 SD does not say it counts every draw: {shown}")


def check_costs_follow_schools(evaluate, wait_for):
    """More schools in the scale-up wave cost more: the total follows the plan like the effect does."""
    before = float(evaluate(f"{COST_TOTAL}.dataset.value"))
    moved = evaluate(f"""(() => {{
        const input = document.querySelector('input[data-path="{SCHOOLS_CONTROL}"]');
        if (!input) return null;
        input.value = '60';
        input.dispatchEvent(new Event('change', {{bubbles: true}}));
        return input.value;
    }})()""")
    if moved != "60":
        fail(f"no control {SCHOOLS_CONTROL} on the page")
    wait_for(f"{COST_TOTAL}.dataset.value !== '' && Number({COST_TOTAL}.dataset.value) !== {before!r}",
             "the total cost to change with the number of schools")
    after = float(evaluate(f"{COST_TOTAL}.dataset.value"))
    print(f"total cost with 45 schools in the scale-up wave: {before:.0f}; with 60: {after:.0f}")
    if not after > before:
        fail(f"15 more schools should cost more: {before} -> {after}")


def check_saved_scenario(cli, root, work, saved, shown_effect, page):
    """The saved file runs with the CLI unchanged next to the shipped scenarios' districts: its central
    run gives the number the page showed first, and `pathways run --all-variants` gives the page's
    number once the draws are in, its total cost and its best plan (one story on both surfaces)."""
    folder = os.path.join(work, "scenarios")
    os.makedirs(folder)
    os.symlink(os.path.join(root, "scenarios", "districts"), os.path.join(folder, "districts"))
    scenario = os.path.join(folder, "denver-scale-up-edited.json")
    shutil.copy(saved, scenario)
    with open(scenario) as f:
        document = json.load(f)
    if document["implementation"]["waves"][1]["targets"]["*"] != 3:
        fail("the saved scenario lacks the new target")
    validated = subprocess.run([cli, "validate", scenario], capture_output=True, text=True)
    if validated.returncode != 0:
        fail("pathways validate refuses the saved scenario: " + validated.stdout + validated.stderr)
    out = os.path.join(work, "out")
    subprocess.run([cli, "run", scenario, "--draws", "0", "--format", "json", "--quiet", "--out", out], check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "projection.json")) as f:
        rows = json.load(f)["runs"][0]["rows"]
    with open(os.path.join(root, "scenarios", "denver-scale-up.json")) as f:
        outcomes = json.load(f)["report"]["outcomes"]
    effects = [r["mean"] for r in rows if r["subgroup"] == "all" and r["metric"] == "effect"
               and r["course"] == "with_cut_risk" and r["outcome"] in outcomes]
    print(f"pathways run on the saved scenario: effects for all students include {shown_effect}")
    if shown_effect not in effects:
        fail("the CLI's central run of the saved scenario does not give the number the page showed")
    check_terminal_agrees(cli, scenario, os.path.join(work, "out-all"), outcomes[0], page)


def check_terminal_agrees(cli, scenario, out, outcome, page):
    """The terminal summary and projection.json of `run --all-variants` against the page with its draws."""
    terminal = subprocess.run([cli, "run", scenario, "--all-variants", "--out", out], capture_output=True, text=True)
    if terminal.returncode != 0:
        fail("pathways run --all-variants on the saved scenario failed: " + terminal.stderr)
    with open(os.path.join(out, "projection.json")) as f:
        base = json.load(f)["runs"][0]["rows"]
    final = max(r["year"] for r in base)
    row = lambda metric, wanted: next(r for r in base if r["subgroup"] == "all" and r["metric"] == metric
                                      and r["course"] == "with_cut_risk" and r["year"] == final
                                      and r["outcome"] == wanted)
    mean = row("effect", outcome)["mean"]
    total = row("cost_total", "")["mean"]
    all_line = next(line for line in terminal.stdout.splitlines() if line.startswith("  all "))
    best_line = next(line for line in terminal.stdout.splitlines() if line.startswith("Best plan for all students: "))
    best = best_line.split(": ", 1)[1].split(";")[0]
    print(f"terminal: {all_line.strip()} / {best_line}")
    if mean != page["mean"]:
        fail(f"the page's effect with the draws {page['mean']} is not the run's {mean}")
    shown = page["text"].replace(" SD", "").replace("\u2212", "-")
    if all_line.split()[1] != shown:
        fail(f"the page shows {page['text']}, the terminal summary {all_line.split()[1]}")
    if float(page["total_cost"]) != total:
        fail(f"the page's total cost {page['total_cost']} is not the run's {total}")
    if page["best"] != best:
        fail(f"the page marks {page['best']} as the best plan, the terminal {best}")


if __name__ == "__main__":
    sys.exit(main())
