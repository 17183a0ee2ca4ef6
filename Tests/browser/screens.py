"""Full-length screenshots of every page of the social worker's "Start a plan" journey at one width, and of the
admin's accounts journey after it with LIFESTORY_SHOTS=accounts, or the staff's Working online with LIFESTORY_SHOTS=staff:
    python3 Tests/browser/screens.py 390 --out /tmp/shots
Needs the tools venv (see .ci/run) and a built lifestory."""
import base64, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import journeys
from journeys import Journey

WIDTH = int(sys.argv[1])
OUT = os.path.join(sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--out" else "/tmp/shots", str(WIDTH))
os.makedirs(OUT, exist_ok=True)

class Shooter(Journey):
    def __init__(self, binary, artifacts):
        super().__init__(binary, artifacts)
        self.driver.set_window_size(WIDTH, 900)
        self.n = 0
    def check_page(self, name=None):
        super().check_page(name)
        self.n += 1
        d = self.driver
        h = d.execute_script("return document.documentElement.scrollHeight")
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": min(h, 6000), "deviceScaleFactor": 1, "mobile": WIDTH < 500})
        png = d.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        label = name or d.current_url.split(str(self.port), 1)[-1].strip("/").replace("/", "-") or "home"
        with open(os.path.join(OUT, f"{self.n:03d}-{label[:60]}.png"), "wb") as f:
            f.write(base64.b64decode(png["data"]))

j = Shooter(os.path.join(journeys.ROOT, ".build", "debug", "lifestory"), os.path.join(OUT, "artifacts"))
try:
    if os.environ.get("LIFESTORY_SHOTS") == "staff":
        j.staff_work_online()
    elif os.environ.get("LIFESTORY_SHOTS") == "caseload":
        # Run with LIFESTORY_SCALE=130: caseloads and allocation over several pages.
        j.sign_in("sw@demo.lifestory.invalid")
        j.go("/caseload", "sw-caseload-1")
        j.go("/caseload?page=2", "sw-caseload-2")
        j.sign_in("tm@demo.lifestory.invalid")
        j.go("/caseload?page=3", "tm-caseload-3")
        j.go("/team/allocate?page=2", "tm-allocate-2")
    else:
        j.social_worker_builds_a_plan()
        if os.environ.get("LIFESTORY_SHOTS") == "accounts":
            j.admin_manages_accounts()
finally:
    j.close()
print(j.n, "pages")
