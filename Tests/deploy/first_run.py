#!/usr/bin/env python3
"""A new agency's first run, as docs/deployment.md describes it, without the demo: the binary and its resource
folders copied to a folder of their own (as `install` does), started from another folder on an empty database; the
server says how to make the first admin; `lifestory user add` makes them; their one-time link sets a password and an
authenticator app (the QR code's key typed by hand, codes computed as an app does); the admin is signed in and
reaches Users. Then a second sign-in: password, then a code.

Run: python Tests/deploy/first_run.py --binary .build/debug/lifestory
"""
import argparse, base64, glob, hashlib, hmac, html, os, re, shutil, socket, struct, subprocess, sys, tempfile, time
import urllib.error, urllib.parse, urllib.request


class Failure(Exception):
    pass


def totp(secret_b32, step):
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000:06d}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base):
        self.base, self.cookies, self.csrf = base, {}, ""
        self.opener = urllib.request.build_opener(NoRedirect)

    def go(self, path, data=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if data is not None:
            data = dict(data, _csrf=self.csrf)
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(self.base + path if path.startswith("/") else path, data=body, headers=headers)
        try:
            r = self.opener.open(req, timeout=60)
            status, hdrs, text = r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as e:
            status, hdrs, text = e.code, e.headers, e.read().decode()
        for c in hdrs.get_all("Set-Cookie") or []:
            name, _, rest = c.partition("=")
            value = rest.split(";")[0]
            if value and "Max-Age=0" not in c:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        m = re.search(r'name="_csrf" value="([^"]*)"', text)
        if m:
            self.csrf = m.group(1)
        return status, hdrs.get("Location"), text


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/debug/lifestory")
    args = ap.parse_args()
    built = os.path.dirname(os.path.abspath(args.binary))
    tmp = tempfile.mkdtemp(prefix="lifestory-first-run-")
    install, data, elsewhere = (os.path.join(tmp, d) for d in ("opt", "var", "home"))
    for d in (install, data, elsewhere):
        os.makedirs(d)
    shutil.copy2(args.binary, install)
    for bundle in glob.glob(os.path.join(built, "*.resources")):
        shutil.copytree(bundle, os.path.join(install, os.path.basename(bundle)), symlinks=False)
    binary = os.path.join(install, "lifestory")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    db = os.path.join(data, "lifestory.sqlite")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIFESTORY_")}
    env.update(LIFESTORY_DB=db, LIFESTORY_PORT=str(port), LIFESTORY_PUBLIC_URL=base, LIFESTORY_BCRYPT_COST="4")
    log = open(os.path.join(tmp, "server.log"), "w+")
    server = subprocess.Popen([binary, "serve"], cwd=elsewhere, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/health", timeout=2)
                break
            except Exception:
                if time.time() > deadline or server.poll() is not None:
                    log.seek(0)
                    raise Failure("the server did not start from another folder:\n" + log.read()[-2000:])
                time.sleep(0.3)
        log.seek(0)
        said = log.read()
        if "Nobody can sign in yet" not in said or "lifestory user add" not in said:
            raise Failure("on an empty database the server does not say how to create the first admin:\n" + said)
        out = subprocess.run([binary, "user", "add", "--agency", "Northshire Council (test)", "--role", "admin",
                              "--name", "Sam Patel", "--email", "sam.patel@northshire.example"],
                             cwd=elsewhere, env=env, capture_output=True, text=True)
        if out.returncode != 0:
            raise Failure("user add failed: " + out.stdout + out.stderr)
        link = re.search(r"https?://\S+/invite/[A-Za-z0-9_-]{43}", out.stdout)
        if not link:
            raise Failure("user add printed no link: " + out.stdout)
        b = Browser(base)
        b.go(link.group(0))
        status, location, _ = b.go(link.group(0), {"password": "granite meadow compass", "confirm": "granite meadow compass"})
        if location != "/login/enrol":
            raise Failure(f"after setting a password the admin is not asked to set up an app ({status} {location})")
        _, _, page = b.go("/login/enrol")
        secret = re.search(r'class="body secret-key"><code>([A-Z2-7 ]+)</code>', page)
        if not secret or "<svg" not in page:
            raise Failure("the set-up page has no QR code or no key to type")
        key = secret.group(1).replace(" ", "")
        step = int(time.time() // 30)
        status, _, page = b.go("/login/enrol", {"code": totp(key, step)})
        codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", html.unescape(page))
        if status != 200 or len(codes) != 10:
            raise Failure(f"no recovery codes after setting up the app ({status}, {len(codes)} codes)")
        status, _, page = b.go("/admin/users")
        if status != 200 or "Sam Patel" not in page:
            raise Failure(f"the new admin cannot open Users ({status})")
        print("first run: from an empty database, the first admin set a password and an app and reached Users")
        again = Browser(base)
        again.go("/login")
        status, location, _ = again.go("/login", {"email": "sam.patel@northshire.example", "password": "granite meadow compass"})
        if location != "/login/code":
            raise Failure(f"a second sign-in did not ask for a code ({status} {location})")
        again.go("/login/code")
        status, location, _ = again.go("/login/code", {"code": totp(key, step + 1)})
        if location != "/caseload":
            raise Failure(f"the code was not accepted ({status} {location})")
        print("first run: signing in again takes the password, then a code")
        return 0
    except Failure as e:
        print(f"FAILED: {e}", file=sys.stderr)
        return 1
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
