#!/usr/bin/env python3
"""Single sign-on end to end: Lifestory (`serve --demo`) against a real OpenID Connect provider started on loopback
(the PyPI package oidc-provider-mock, built on Authlib), through a small pass-through proxy that can corrupt a
token's signature in transit.

What it proves:
  - a staff member signs in through the provider (authorisation code, PKCE S256, a nonce), matched to their account
    by the email the provider verified, and their subject is then linked to the account;
  - the same answer sent twice is refused (the state is used once);
  - an ID token with a bad signature, for another audience, expired, or carrying an earlier sign-in's nonce (a
    replay) is refused, and each refusal is in the audit log;
  - nobody without an account gets one, unless the admin allows it; families and disabled accounts cannot use it.

Run: python Tests/sso/sso_e2e.py --binary .build/debug/lifestory   (needs oidc-provider-mock in the tools venv)
"""
import argparse, http.client, http.server, json, os, socket, sqlite3, subprocess, sys, tempfile, threading, time
import urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLIENT_ID, CLIENT_SECRET = "lifestory-test-client", "a-test-secret-not-used-anywhere-else"


class Failure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, what, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    raise Failure(f"{what} did not start ({url})")


class Tamper:
    """What the proxy does to the token endpoint's answer: nothing, or flip a character of the ID token's signature."""
    signature = False


def make_proxy(upstream_port):
    class Proxy(http.server.BaseHTTPRequestHandler):
        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection",)}
            conn.request(self.command, self.path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
            if self.path.startswith("/oauth2/token") and Tamper.signature and r.status == 200:
                payload = json.loads(data)
                head, claims, sig = payload["id_token"].split(".")
                sig = ("A" if sig[10] != "A" else "B").join([sig[:10], sig[11:]])
                payload["id_token"] = ".".join([head, claims, sig])
                data = json.dumps(payload).encode()
            self.send_response(r.status)
            for k, v in r.getheaders():
                if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = forward

        def log_message(self, *args):
            pass

    return Proxy


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A cookie jar and requests that do not follow redirects, so each hop can be checked."""

    def __init__(self):
        self.cookies = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, url, data=None, method=None):
        headers = {}
        host = urllib.parse.urlsplit(url).netloc
        jar = self.cookies.get(host, {})
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            r = self.opener.open(req, timeout=30)
            status, hdrs, text = r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as e:
            status, hdrs, text = e.code, e.headers, e.read().decode()
        for c in hdrs.get_all("Set-Cookie") or []:
            name, _, rest = c.partition("=")
            value = rest.split(";")[0]
            self.cookies.setdefault(host, {})
            if value and "Max-Age=0" not in c:
                self.cookies[host][name] = value
            else:
                self.cookies[host].pop(name, None)
        return status, hdrs, text


def put_user(provider, sub, claims):
    req = urllib.request.Request(f"{provider}/users/{urllib.parse.quote(sub)}", data=json.dumps(claims).encode(),
                                 headers={"Content-Type": "application/json"}, method="PUT")
    with urllib.request.urlopen(req, timeout=10) as r:
        if r.status != 204:
            raise Failure(f"the provider did not take the user ({r.status})")


def sign_in(app, sub, browser=None):
    """Starts at Lifestory, signs in at the provider as `sub`, and returns the callback's answer and its URL."""
    b = browser or Browser()
    status, hdrs, _ = b.request(f"{app}/sso/start")
    if status != 303:
        raise Failure(f"/sso/start answered {status}")
    authorize = hdrs["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(authorize).query)
    for key, want in [("response_type", "code"), ("client_id", CLIENT_ID), ("code_challenge_method", "S256"), ("scope", "openid email profile")]:
        if query.get(key) != [want]:
            raise Failure(f"the authorisation request's {key} is {query.get(key)}, not {want}")
    for key in ["state", "nonce", "code_challenge"]:
        if len(query.get(key, [""])[0]) < 43:
            raise Failure(f"the authorisation request's {key} is missing or short")
    status, hdrs, _ = b.request(authorize, {"sub": sub})
    if status != 302:
        raise Failure(f"the provider answered {status} to the sign-in")
    callback = hdrs["Location"]
    if not callback.startswith(f"{app}/sso/callback?"):
        raise Failure(f"the provider sent the browser to {callback}")
    status, hdrs, text = b.request(callback)
    return b, status, hdrs, text, callback, query["nonce"][0]


def expect_refused(app, sub, words, db):
    before = audit_count(db, "sso-refused")
    _, status, _, text, _, _ = sign_in(app, sub)
    if status != 403:
        raise Failure(f"{sub}: expected a refusal, got {status}")
    if words not in text:
        raise Failure(f"{sub}: the refusal does not say {words!r}: {text[:600]}")
    if audit_count(db, "sso-refused") != before + 1:
        raise Failure(f"{sub}: the refusal is not in the audit log")


def audit_count(db, action):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT COUNT(*) FROM auditLog WHERE action = ?", (action,)).fetchone()[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "lifestory"))
    args = ap.parse_args()
    args.binary = os.path.abspath(args.binary)
    tmp = tempfile.mkdtemp(prefix="lifestory-sso-")
    mock_port, proxy_port, app_port = free_port(), free_port(), free_port()
    procs = []
    try:
        mock = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--port", str(mock_port), "--require-nonce"],
                                stdout=open(os.path.join(tmp, "provider.log"), "w"), stderr=subprocess.STDOUT)
        procs.append(mock)
        wait_for(f"http://127.0.0.1:{mock_port}/.well-known/openid-configuration", "the OpenID Connect provider")
        proxy = http.server.ThreadingHTTPServer(("127.0.0.1", proxy_port), make_proxy(mock_port))
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        provider = f"http://127.0.0.1:{proxy_port}"
        db = os.path.join(tmp, "demo.sqlite")
        env = dict(os.environ, LIFESTORY_DEMO_PASSWORD="sso-test-demo-password", LIFESTORY_BCRYPT_COST="4",
                   LIFESTORY_OIDC_ISSUER=provider, LIFESTORY_OIDC_CLIENT_ID=CLIENT_ID, LIFESTORY_OIDC_CLIENT_SECRET=CLIENT_SECRET,
                   LIFESTORY_OIDC_BUTTON="Sign in with your council account")
        app_proc = subprocess.Popen([args.binary, "serve", "--demo", "--db", db, "--port", str(app_port)], cwd=tmp, env=env,
                                    stdout=open(os.path.join(tmp, "server.log"), "w"), stderr=subprocess.STDOUT)
        procs.append(app_proc)
        app = f"http://127.0.0.1:{app_port}"
        wait_for(f"{app}/health", "Lifestory")

        status, _, login = Browser().request(f"{app}/login")
        if "Sign in with your council account" not in login:
            raise Failure("the sign-in page does not offer single sign-on")

        # A social worker, matched by the email the provider verified; the subject is linked to the account.
        put_user(provider, "entra-subject-sw-001", {"email": "sw@demo.lifestory.invalid", "email_verified": True, "name": "Priya Sample"})
        b, status, hdrs, _, callback, first_nonce = sign_in(app, "entra-subject-sw-001")
        if status != 303 or hdrs["Location"] != "/caseload":
            raise Failure(f"single sign-on did not sign the social worker in ({status} {hdrs.get('Location')})")
        status, _, page = b.request(f"{app}/caseload")
        if status != 200 or "Your caseload" not in page:
            raise Failure("after single sign-on the caseload did not open")
        with sqlite3.connect(db) as c:
            if c.execute("SELECT oidcSubject FROM user WHERE email = 'sw@demo.lifestory.invalid'").fetchone()[0] != "entra-subject-sw-001":
                raise Failure("the provider's subject was not linked to the account")
        print("sso: a social worker signed in through the provider (PKCE S256, nonce, verified email)")

        # The same answer again: the state was used.
        status, _, text = Browser().request(callback)
        if status != 403 or "has been used or has expired" not in text:
            raise Failure(f"a replayed answer was not refused ({status})")
        print("sso: the same answer sent twice is refused")

        # A bad signature: the proxy corrupts the ID token on its way back.
        Tamper.signature = True
        expect_refused(app, "entra-subject-sw-001", "signature", db)
        Tamper.signature = False
        print("sso: an ID token with a bad signature is refused")

        # Claims the provider puts in the ID token as given: another audience, an expiry passed, an old nonce.
        put_user(provider, "entra-subject-sw-001", {"email": "sw@demo.lifestory.invalid", "email_verified": True, "aud": "another-application"})
        expect_refused(app, "entra-subject-sw-001", "another application", db)
        print("sso: an ID token for another audience is refused")
        put_user(provider, "entra-subject-sw-001", {"email": "sw@demo.lifestory.invalid", "email_verified": True, "exp": int(time.time()) - 600})
        expect_refused(app, "entra-subject-sw-001", "expired", db)
        print("sso: an expired ID token is refused")
        put_user(provider, "entra-subject-sw-001", {"email": "sw@demo.lifestory.invalid", "email_verified": True, "nonce": first_nonce})
        expect_refused(app, "entra-subject-sw-001", "nonce", db)
        print("sso: an ID token carrying an earlier sign-in's nonce (a replay) is refused")
        put_user(provider, "entra-subject-sw-001", {"email": "sw@demo.lifestory.invalid", "email_verified": True})
        _, status, _, _, _, _ = sign_in(app, "entra-subject-sw-001")
        if status != 303:
            raise Failure("after the bad tokens, a good one no longer signs in")

        # Nobody gets an account by signing in, unless the admin allows it; an unverified email matches nobody.
        put_user(provider, "entra-stranger", {"email": "stranger@council.example", "email_verified": True})
        expect_refused(app, "entra-stranger", "no Lifestory account", db)
        put_user(provider, "entra-unverified", {"email": "tm@demo.lifestory.invalid", "email_verified": False})
        expect_refused(app, "entra-unverified", "no Lifestory account", db)
        # Families sign in with their password, not the agency's provider.
        put_user(provider, "entra-family", {"email": "adopter@demo.lifestory.invalid", "email_verified": True})
        expect_refused(app, "entra-family", "for the agency", db)
        # The admin allows new accounts, as social workers: the stranger now gets one.
        with sqlite3.connect(db) as c:
            c.execute("INSERT OR REPLACE INTO agencySetting (agencyId, key, value) VALUES ('agency-demo', 'ssoNewAccounts', 'social_worker')")
        _, status, hdrs, _, _, _ = sign_in(app, "entra-stranger")
        if status != 303:
            raise Failure(f"with new accounts allowed, the stranger was not signed in ({status})")
        with sqlite3.connect(db) as c:
            row = c.execute("SELECT role FROM user WHERE email = 'stranger@council.example'").fetchone()
            if not row or row[0] != "social_worker":
                raise Failure("the new account was not made as a social worker")
            c.execute("UPDATE user SET disabledAt = '2026-11-30T00:00:00Z' WHERE email = 'stranger@council.example'")
        expect_refused(app, "entra-stranger", "disabled", db)
        print("sso: no account is made by sign-in unless the admin allows it; families and disabled accounts are refused")
        print(f"sso: {audit_count(db, 'sso-refused')} refusals in the audit log, each with its reason")
        return 0
    except Failure as e:
        print(f"FAILED: {e}", file=sys.stderr)
        for name in ["server.log", "provider.log"]:
            path = os.path.join(tmp, name)
            if os.path.exists(path):
                print(f"--- {name}\n" + open(path).read()[-3000:], file=sys.stderr)
        return 1
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


if __name__ == "__main__":
    sys.exit(main())
