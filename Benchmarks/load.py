#!/usr/bin/env python3
"""Load figures for docs/PERFORMANCE.md: wrk on 127.0.0.1 against the real server, in one run.

Starts `lifestory serve --demo` (build it first: swift build -c release --product lifestory), signs in as the
social worker, the team manager, the adopter and the foster carer, then runs wrk (1 thread, 32 connections, bounded
duration) on /health, the caseload pages and the adopter's and foster carer's "now" pages, one after another, and
prints p50, p99, requests a second and the server's memory. On 2 cores wrk competes with the server, so the ratios to
/health in the same run are what to compare.

With --children N the demo agency is first made the size of a large one (`lifestory demo --scale N
--social-workers M`): N fictional children shared among M social workers of one team, so the social worker's
caseload is N/M children over several pages and the team manager's is all N.

    python3 Benchmarks/load.py [--binary .build/release/lifestory] [--duration 10] [--connections 32]
                               [--children 10000 --social-workers 50] [--database DEMO.sqlite]

Exits 1 unless the social worker's caseload and the adopter's "now" page each have a p99 within 3x /health's, and no
request failed.
"""
import argparse, os, shutil, re, signal, socket, sqlite3, subprocess, sys, tempfile, threading, time, urllib.parse, urllib.request, http.cookiejar

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "load-test-demo-password"


def port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def sign_in(base, email):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    csrf = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    opener.open(base + "/login", urllib.parse.urlencode({"_csrf": csrf, "email": email, "password": PASSWORD}).encode()).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar if c.name == "lifestory_session")


def ms(text):
    v = float(re.match(r"([\d.]+)", text).group(1))
    return v / 1000 if text.endswith("us") else v * 1000 if text.endswith("s") and not text.endswith("ms") else v


def wrk(url, cookie, duration, connections):
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-H", f"Cookie: {cookie}", url],
                         capture_output=True, text=True, check=True).stdout
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    # wrk gives up on a request after 2 s and leaves it out of the latencies: count those as failures too.
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", out)
    return ms(lat["50"]), ms(lat["99"]), rps, (int(errors.group(1)) if errors else 0) + (int(timeouts.group(1)) if timeouts else 0)


def keep_changing(database, stop):
    db = sqlite3.connect(database, timeout=10)
    n = 0
    while not stop.wait(0.1):
        n += 1
        db.execute("UPDATE stageItem SET notes = ? WHERE rowid = (SELECT MIN(rowid) FROM stageItem WHERE plan = 'plan-eng-sam')",
                   (f"load test change {n}",))
        db.commit()
    db.close()


def rss(pid):
    status = open(f"/proc/{pid}/status").read()
    get = lambda k: int(re.search(rf"{k}:\s+(\d+) kB", status).group(1)) / 1024
    return get("VmRSS"), get("VmHWM")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "lifestory"))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--children", type=int, default=0, help="scale the demo agency to this many children first")
    ap.add_argument("--social-workers", type=int, default=50)
    ap.add_argument("--database", help="serve a copy of this demo database instead (to run two builds on the same data)")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp()
    database = os.path.join(tmp, "demo.sqlite")
    if a.database:
        shutil.copyfile(a.database, database)
    elif a.children:
        started = time.monotonic()
        subprocess.run([a.binary, "demo", "--db", database, "--scale", str(a.children), "--social-workers", str(a.social_workers)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        print(f"demo agency scaled to {a.children:,} children and {a.social_workers} social workers in "
              f"{time.monotonic() - started:.0f} s; database {os.path.getsize(database) / 1048576:.0f} MB")
    p = port()
    base = f"http://127.0.0.1:{p}"
    # Staff sign in with a second factor; a load run measures pages, not sign-in, so the demo turns it off (allowed
    # with --demo only).
    env = dict(os.environ, LIFESTORY_DEMO_PASSWORD=PASSWORD, LIFESTORY_AS_OF="2026-11-21", LIFESTORY_STAFF_TWO_FACTOR="off")
    server = subprocess.Popen([a.binary, "serve", "--demo", "--db", database, "--port", str(p)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/health", timeout=1); break
            except Exception:
                time.sleep(0.2)
        sw, adopter = sign_in(base, "sw@demo.lifestory.invalid"), sign_in(base, "adopter@demo.lifestory.invalid")
        foster, tm = sign_in(base, "foster@demo.lifestory.invalid"), sign_in(base, "tm@demo.lifestory.invalid")
        print(f"server started; memory after start {rss(server.pid)[0]:.0f} MB")
        pages = {}
        for who, cookie in [("sw", sw), ("tm", tm)]:
            req = urllib.request.Request(base + "/caseload", headers={"Cookie": cookie})
            text = urllib.request.urlopen(req).read().decode()
            pages[who] = int(re.search(r"Page 1 of (\d+)", text).group(1)) if "Page 1 of" in text else 1
            children = re.search(r"([\d,]+) child(?:ren)?\b", text)
            print(f"{who}: {children.group(1) if children else '?'} children, {pages[who]} page(s) of 50")
        plan = [("/health", "/health", ""), ("caseload (social worker), page 1", "/caseload", sw)]
        if pages["sw"] > 1:
            plan.append((f"caseload (social worker), page {pages['sw']}", f"/caseload?page={pages['sw']}", sw))
        plan.append(("caseload (team manager), page 1", "/caseload", tm))
        if pages["tm"] > 1:
            plan.append((f"caseload (team manager), page {pages['tm']}", f"/caseload?page={pages['tm']}", tm))
        plan.append(("caseload (social worker), page 1, a change every 0.1 s", "/caseload", sw))
        plan += [('"now" (adopter)', "/family", adopter), ('"now" (foster carer)', "/family", foster), ("/health again", "/health", "")]
        rows = []
        for name, path, cookie in plan:
            changing = "a change every" in name
            stop = threading.Event()
            if changing:
                # Another program records a conversation ten times a second: each write moves the caseload version,
                # so the page kept in memory is read and rendered again.
                threading.Thread(target=keep_changing, args=(database, stop), daemon=True).start()
            wrk(base + path, cookie, 2, a.connections)  # warm up
            p50, p99, r, errors = wrk(base + path, cookie, a.duration, a.connections)
            stop.set()
            rows.append((name, p50, p99, r, errors))
        now_rss, peak = rss(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    health99 = min(r[2] for r in rows if r[0].startswith("/health"))
    print(f"\nwrk -t1 -c{a.connections} -d{a.duration}s on 127.0.0.1, {os.cpu_count()} cores, server and wrk on the same machine\n")
    print("| page | p50 | p99 | p99 / health p99 | requests/s | failed (non-2xx or timed out) |")
    print("|---|---|---|---|---|---|")
    for name, p50, p99, r, errors in rows:
        print(f"| {name} | {p50:.2f} ms | {p99:.2f} ms | {p99 / health99:.1f}× | {r:,.0f} | {errors} |")
    print(f"\nserver memory: {now_rss:.0f} MB resident at the end, {peak:.0f} MB peak")
    now = next(r for r in rows if r[0].startswith('"now" (adopter)'))
    caseload = next(r for r in rows if r[0].startswith("caseload (social worker)"))
    ok_now, ok_caseload = now[2] <= 3 * health99, caseload[2] <= 3 * health99
    print('adopter "now" p99 within 3× /health p99:', "yes" if ok_now else "NO")
    print("social worker's caseload p99 within 3× /health p99:", "yes" if ok_caseload else "NO")
    failed = [r[0] for r in rows if r[4]]
    if failed:
        print("requests failed on:", ", ".join(failed))
    return 0 if ok_now and ok_caseload and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
