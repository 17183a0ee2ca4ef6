"""Rewrites the QR fixtures from python-qrcode (pip install qrcode), a reference encoder: each case file holds the
text, the version, the mask, then the modules row by row (1 dark). AccountTests compares Lifestory's encoder to them."""
import glob
import qrcode
from qrcode import util

for f in sorted(glob.glob("Tests/Fixtures/qr/case*.txt")):
    lines = open(f).read().split("\n")
    text, version, mask = lines[0], int(lines[1]), int(lines[2])
    q = qrcode.QRCode(version=version, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=mask, border=0)
    q.add_data(util.QRData(text.encode(), mode=util.MODE_8BIT_BYTE))
    q.make(fit=False)
    rows = ["".join("1" if v else "0" for v in r) for r in q.modules]
    open(f, "w").write(f"{text}\n{version}\n{mask}\n" + "\n".join(rows) + "\n")
