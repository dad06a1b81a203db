"""Writers for scripts/failover-drill.sh (standard library only).

Each writer signs in as its own branch secretary and loops: add a pledge through the branch grid (the real
form, antiforgery token included), find it on the grid, approve it. Every answer is recorded; a write counts as
acknowledged only when the site answered the post/redirect/get 302 back to the grid. The drill kills the
primary (a command given by the shell script) while they write, and prints one JSON line of figures.
"""
import http.cookiejar, json, re, subprocess, sys, threading, time, urllib.error, urllib.parse, urllib.request

base, run_tag, accounts_json, kill_cmd, lag_cmd = sys.argv[1:6]
warmup, after = float(sys.argv[6]), float(sys.argv[7])
accounts = json.loads(accounts_json)  # [[email, password, unitId], …]
TOKEN = re.compile(r'name="__RequestVerificationToken" type="hidden" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


class Writer:
    def __init__(self, i, email, password, unit):
        self.i, self.email, self.password, self.unit = i, email, password, unit
        self.jar = http.cookiejar.CookieJar()
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.acked_adds, self.acked_approvals = [], []

    def call(self, method, path, fields=None):
        data = urllib.parse.urlencode(fields, doseq=True).encode() if fields is not None else None
        req = urllib.request.Request(base + path, data=data, method=method)
        started = time.time()
        try:
            with self.http.open(req, timeout=60) as r:
                status, body, location = r.status, r.read().decode("utf-8", "replace"), r.headers.get("Location", "")
        except urllib.error.HTTPError as e:
            status, body, location = e.code, e.read().decode("utf-8", "replace"), e.headers.get("Location", "")
            # The outage page: 503 with Retry-After and the Vietnamese message; a bare 503 counts as "other".
            if status == 503 and not (e.headers.get("Retry-After") and "tạm thời gián đoạn" in body):
                status = 599
        except Exception as e:  # connection refused or reset: nginx itself was unreachable
            status, body, location = 0, repr(e), ""
        return status, body, location, started

    def sign_in(self):
        s, body, _, _ = self.call("GET", "/Account/Login")
        t = TOKEN.search(body)
        s, _, loc, _ = self.call("POST", "/Account/Login", {"Input.Email": self.email, "Input.Password": self.password,
                                                            "__RequestVerificationToken": t.group(1) if t else ""})
        if s != 302:
            raise SystemExit(f"sign-in {self.email}: {s}")


events = []  # (time, writer, kind, status, acknowledged)
lock = threading.Lock()
stop = threading.Event()


def record(w, kind, status, started, acked):
    with lock:
        events.append((started, w.i, kind, status, acked))


def grid(w):
    return f"/Pledges/Branch/{w.unit}?Filter=Draft"


def work(w):
    n = 0
    while not stop.is_set():
        s, body, _, started = w.call("GET", grid(w))
        record(w, "page", s, started, s == 200)
        t = TOKEN.search(body) if s == 200 else None
        if not t:
            time.sleep(0.2)
            continue
        n += 1
        member = w.members[n % len(w.members)]
        marker = f"drill-{run_tag}-w{w.i:02d}-{n:05d}"
        s, _, loc, started = w.call("POST", f"/Pledges/Branch/{w.unit}?handler=Save&Filter=Draft", {
            "__RequestVerificationToken": t.group(1), "Filter": "Draft",
            "Input.New[0].MemberId": member, "Input.New[0].Content": marker})
        ok = s == 302 and "/Pledges/Branch/" in loc
        record(w, "add", s if s != 302 or ok else 399, started, ok)
        if not ok:
            time.sleep(0.2)
            continue
        w.acked_adds.append(marker)
        s, body, _, started = w.call("GET", grid(w))
        record(w, "page", s, started, s == 200)
        found = re.search(r'id="c-(\d+)" name="Input\.Edit\[\d+\]\.Content"[^>]*>' + re.escape(marker) + "<", body) if s == 200 else None
        t = TOKEN.search(body) if s == 200 else None
        if not found or not t:
            continue
        s, _, loc, started = w.call("POST", f"/Pledges/Branch/{w.unit}?handler=Bulk&Filter=Draft", {
            "__RequestVerificationToken": t.group(1), "Filter": "Draft", "Input.Selected": found.group(1), "Input.Action": "Approve"})
        ok = s == 302 and "/Pledges/Branch/" in loc
        record(w, "approve", s if s != 302 or ok else 399, started, ok)
        if ok:
            w.acked_approvals.append(marker)


writers = [Writer(i + 1, *a) for i, a in enumerate(accounts)]
for w in writers:
    w.sign_in()
    # The branch's current members, from the whole grid once; each round then reads only the drafts (a short page).
    s, body, _, _ = w.call("GET", f"/Pledges/Branch/{w.unit}")
    w.members = re.findall(r'name="Input\.New\[\d+\]\.MemberId" value="(\d+)"', body)
    if s != 200 or not w.members:
        raise SystemExit(f"{w.email}: no member rows on the branch grid ({s})")
threads = [threading.Thread(target=work, args=(w,), daemon=True) for w in writers]
for t in threads:
    t.start()

lags = []


def sample_lag():
    while not stop.is_set():
        out = subprocess.run(lag_cmd, shell=True, capture_output=True, text=True).stdout.strip()
        if out:
            lags.append(out)
        time.sleep(0.5)


sampler = threading.Thread(target=sample_lag, daemon=True)
sampler.start()
time.sleep(warmup)
lags_before = list(lags)
killed_at = time.time()
subprocess.run(kill_cmd, shell=True, check=True)

# Writes are back when an acknowledged add or approval started after the kill; keep writing a little longer.
recovered_at = None
while recovered_at is None and time.time() - killed_at < 180:
    time.sleep(0.1)
    with lock:
        later = [e[0] for e in events if e[0] > killed_at and e[2] in ("add", "approve") and e[4]]
    if later:
        recovered_at = min(later)
time.sleep(after)
stop.set()
for t in threads:
    t.join(timeout=90)

statuses = {}
for (_, _, kind, status, _) in events:
    statuses[status] = statuses.get(status, 0) + 1
other = sum(c for s, c in statuses.items() if not (200 <= s < 300 or s in (302, 503)))
first_503 = [e[0] for e in events if e[3] == 503]


def lag_figures(samples):
    # sample: "bytes|replay_lag_seconds"
    b = [int(x.split("|")[0] or 0) for x in samples]
    s = [float(x.split("|")[1] or 0) for x in samples]
    return (max(b) if b else None, max(s) if s else None, sorted(s)[len(s) // 2] if s else None)


lag_bytes_max, lag_s_max, lag_s_median = lag_figures(lags_before)
print(json.dumps({
    "writers": len(writers),
    "requests": len(events),
    "statuses": {str(k): v for k, v in sorted(statuses.items())},
    "answered_503": statuses.get(503, 0),
    "other_non_2xx": other,
    "seconds_until_writes_succeed": round(recovered_at - killed_at, 2) if recovered_at else None,
    "last_503_after_kill_s": round(max(first_503) - killed_at, 2) if first_503 else 0,
    "acked_adds": [m for w in writers for m in w.acked_adds],
    "acked_approvals": [m for w in writers for m in w.acked_approvals],
    "writes_per_s_before_kill": round(sum(1 for e in events if e[0] < killed_at and e[2] in ("add", "approve") and e[4]) / warmup, 1),
    "lag_bytes_max": lag_bytes_max, "lag_replay_s_max": lag_s_max, "lag_replay_s_median": lag_s_median,
    "lag_samples": len(lags_before),
}))
