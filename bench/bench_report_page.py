"""The split HTML report of a large library, written and then used in headless Chromium.

For each size (default 10k and 100k claims, :mod:`bench_scale`'s synthetic libraries):

* ``claimtrack.report.write`` of the HTML report cold (no ``.claimtrack/``) and warm, each in a
  fresh process, against :mod:`bench_report`'s baseline (``json.dumps`` of every claim's raw data);
* in headless Chromium, best of three, :file:`report_probe.js` run on a copy of ``index.html``:
  the time from navigation to the table drawn (``ready``), a text filter, a sort by a text and by a
  number column, the next page, and opening a claim (its section read from ``data/``); the ready
  time is also given against a bare page that only loads ``data/claims.js`` (the data's own parse);
* the page's width in a 390 px frame with a claim opened (a phone: the page must not scroll sideways).

Targets (issue 17): first page under 5 MB and ready under 2 s at 100k claims, filter and sort under
200 ms, the report under 2 minutes cold and 20 s warm at 100k on two cores.

    python bench/bench_report_page.py --sizes 100000
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_report  # noqa: E402
import bench_scale  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=20000",
]
BARE = '<!DOCTYPE html><script src="data/claims.js"></script><script>window.ctReady = performance.now();</script>'
BARE_PROBE = "<script>document.write('<pre id=\"probe\">' + JSON.stringify({ready: window.ctReady}) + '</pre>');</script>"
PHONE = (
    '<!DOCTYPE html><pre id="probe">waiting</pre><iframe src="probe.html?open={open}" style="width:390px;height:844px;border:0">'
    '</iframe><script>addEventListener("message", function (e) {{ document.getElementById("probe").textContent = e.data; }});</script>'
)


def browse(out: Path, page: str, query: str = "", tries: int = 3) -> dict[str, object]:
    """The probe's results on ``page``; a run whose results were not in the page yet when it was dumped is tried again."""
    for _ in range(tries - 1):
        try:
            return _browse(out, page, query)
        except ValueError:
            continue
    return _browse(out, page, query)


def _browse(out: Path, page: str, query: str) -> dict[str, object]:
    profile = Path(tempfile.mkdtemp(prefix="claimtrack-chromium-"))
    try:
        run = subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", (out / page).as_uri() + query],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    found = re.findall(r'<pre id="probe">([^<]*)</pre>', run.stdout)
    if not found:
        raise SystemExit(f"{page}: no probe result\n{run.stderr[-2000:]}")
    text = found[-1].replace("&quot;", '"').replace("&amp;", "&")
    try:
        return json.loads(text)
    except ValueError as e:
        raise ValueError(f"{page}{query}: {text[:200]}") from e


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of claims")
    parser.add_argument("--keep", action="store_true", help="keep the built libraries and reports")
    args = parser.parse_args()
    if CHROMIUM is None:
        raise SystemExit("headless Chromium is not installed (apt-get install chromium)")
    work = Path(tempfile.mkdtemp(prefix="claimtrack-bench-page-"))
    print(f"libraries in {work}")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            root, out = work / f"lib{size}", work / f"report{size}"
            t = time.perf_counter()
            bench_scale.build(root, size, bench_scale.bib_keys())
            print(f"\n== {size:,} claims (built in {time.perf_counter() - t:.1f} s)")
            base = min(bench_report.run_stage("baseline", root, out)[0] for _ in range(3))
            bench_scale.clear_cache(root)
            cold = bench_report.run_stage("report", root, out)
            warm = bench_report.run_stage("report", root, out)
            for label, (seconds, load, peak, cpu) in (("cold", cold), ("warm", warm)):
                print(
                    f"  report {label}: write {seconds:6.1f} s + load {load:5.1f} s = {seconds + load:6.1f} s"
                    f" ({seconds / base:5.0f}x the json.dumps baseline; {cpu:6.1f} s CPU with workers; peak {peak:5.0f} MB)"
                )
            index_mb = (out / "index.html").stat().st_size / 1e6
            data_mb = sum(p.stat().st_size for p in (out / "data").iterdir()) / 1e6
            print(
                f"  files: index.html {index_mb:.2f} MB, data/claims.js {(out / 'data' / 'claims.js').stat().st_size / 1e6:.1f} MB,"
                f" data/ {data_mb:.0f} MB, bibliography.html {(out / 'bibliography.html').stat().st_size / 1e6:.1f} MB"
            )
            shutil.copy(HERE / "report_probe.js", out / "probe.js")
            page = (out / "index.html").read_text(encoding="utf-8")
            (out / "probe.html").write_text(page.replace("</body>", '<script src="probe.js"></script>\n</body>'), "utf-8")
            (out / "bare.html").write_text(BARE + BARE_PROBE, encoding="utf-8")
            opened = f"claim-{size // 2:06d}"
            (out / "phone.html").write_text(PHONE.format(open=opened), encoding="utf-8")
            runs = [browse(out, "probe.html", f"?filter=model+{size // 3}&open={opened}") for _ in range(3)]
            bare = min(float(browse(out, "bare.html")["ready"]) for _ in range(3))  # type: ignore[arg-type]
            best = {
                key: min(float(r[key]) for r in runs)
                for key in ("ready", "filterMs", "sortTextMs", "sortNumberMs", "nextMs", "openMs")
            }  # type: ignore[arg-type]
            print(
                f"  browser: ready {best['ready']:6.0f} ms ({best['ready'] / bare:4.2f}x a bare load of data/claims.js, {bare:.0f} ms);"
                f" filter {best['filterMs']:5.0f} ms ({runs[0]['filtered']}); sort text {best['sortTextMs']:4.0f} ms,"
                f" number {best['sortNumberMs']:4.0f} ms; next page {best['nextMs']:3.0f} ms; open a claim {best['openMs']:4.0f} ms"
            )
            phone = browse(out, "phone.html")
            print(f"  phone: page width {phone['width']} px in a {phone['viewport']} px frame, claim opened: {phone['detail']}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
