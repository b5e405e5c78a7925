#!/bin/bash
# Authgate's OpenID Provider beside Keycloak's, in one run on one machine (issue 28). For each provider: C browsers
# (one account each) sign in once through the provider's own sign-in page (the form, its cookies), then, each for
# --duration s with C connections:
#   code      the authorization code flow of a signed-in browser: GET authorize (the session cookie, PKCE S256)
#             -> 302 with a code -> POST token (client_secret_basic, the code and its verifier); a "pair" per round
#   refresh   POST token grant_type=refresh_token: every connection walks its own family (each answer's refresh
#             token is the next request's; both providers rotate and refuse a used one)
#   userinfo  GET userinfo with one access token (wrk, the same Lua header for both)
# Keycloak: its Maven Central distribution (start-dev, H2), a realm with refresh-token rotation
# (revokeRefreshToken, no reuse) and a confidential client that must use PKCE S256. Authgate: the packaged
# application on a throwaway PostgreSQL with one first-party client. Writes bench/results/oidc-<timestamp>/report.md.
#
#   bench/oidc.sh [--duration S] [--conns C] [--skip-keycloak] [--skip-authgate]       defaults: 20 s, 16 connections
# Needs: ./mvnw package -DskipTests, curl, jq, python3, wrk, Debian's PostgreSQL 15; Keycloak from
# target/keycloak (the build's pre-integration-test step) or KC_HOME; Temurin 25 at KC_JAVA_HOME.
set -uo pipefail
DURATION=20 CONNS=16 SKIP_KC=0 SKIP_AG=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift ;;
    --conns) CONNS=$2; shift ;;
    --skip-keycloak) SKIP_KC=1 ;;
    --skip-authgate) SKIP_AG=1 ;;
    -h|--help) sed -n 2,17p "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
. bench/lib/proc.sh
OUT=$ROOT/bench/results/oidc-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
JAR=target/quarkus-app/quarkus-run.jar
KC_VERSION=${KC_VERSION:-26.7.3}
KC_HOME=${KC_HOME:-target/keycloak/keycloak-$KC_VERSION}
KC_JAVA_HOME=${KC_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
PASSWORD=bench-pass-123 SECRET=bench-client-secret-0123456789abcdef REDIRECT=http://127.0.0.1:9/cb
for tool in curl jq python3 wrk java $PGBIN/initdb; do command -v "$tool" > /dev/null || { echo "missing: $tool" >&2; exit 1; }; done
[ -f $JAR ] || { echo "no $JAR: ./mvnw package -DskipTests" >&2; exit 1; }
[ "$SKIP_KC" = 1 ] || [ -x "$KC_HOME/bin/kc.sh" ] || { echo "no Keycloak at $KC_HOME (./mvnw verify fetches it, or set KC_HOME)" >&2; exit 1; }
log() { echo "[$(date +%T)] $*" | tee -a "$OUT/run.log" >&2; }

APP_PID="" KC_PID="" PGDIR=""
cleanup() { stop_pid "$APP_PID"; stop_pid "$KC_PID" 30; pg_throwaway_stop; }
trap cleanup EXIT

# ---------------------------------------------------------------- the driver (both providers alike)
cat > "$OUT/driver.py" <<'PY'
"""prepare PROVIDER_JSON CONNS OUT | load STATE MODE SECONDS: one browser per connection."""
import base64, hashlib, html.parser, http.client, http.cookiejar, json, secrets, sys, threading, time
import urllib.parse, urllib.request

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

class Forms(html.parser.HTMLParser):
    """The page's forms: action and inputs (name -> value), enough for both providers' sign-in pages."""
    def __init__(self):
        super().__init__(); self.forms = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}})
        elif tag == "input" and self.forms and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""

class LoopbackPolicy(http.cookiejar.DefaultCookiePolicy):
    """A browser treats http://127.0.0.1 as a secure context: Keycloak's Secure cookies go back to it."""
    def return_ok_secure(self, cookie, request):
        return True

def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge

def authorize_url(p, challenge, extra=""):
    q = urllib.parse.urlencode({"response_type": "code", "client_id": p["client_id"], "redirect_uri": p["redirect"],
        "scope": p["scope"], "state": secrets.token_urlsafe(8), "code_challenge": challenge,
        "code_challenge_method": "S256"})
    return p["authorize"] + "?" + q + extra

def code_of(location):
    return urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["code"][0]

def token(p, body):
    basic = base64.b64encode((p["client_id"] + ":" + p["secret"]).encode()).decode()
    req = urllib.request.Request(p["token"], urllib.parse.urlencode(body).encode(),
        {"Authorization": "Basic " + basic, "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)

def sign_in(p, user):
    """The provider's sign-in page, as a browser without JavaScript: the form, its cookies, its redirects."""
    jar = http.cookiejar.CookieJar(LoopbackPolicy())
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPCookieProcessor(jar))
    verifier, challenge = pkce()
    url, data = authorize_url(p, challenge), None
    for _ in range(10):
        try:
            r = opener.open(url, data, timeout=60); page = r.read().decode(); location = None
        except urllib.error.HTTPError as e:
            if e.code not in (302, 303): raise RuntimeError("%s: %d %s" % (url, e.code, e.read()[:500]))
            location = urllib.parse.urljoin(url, e.headers["Location"])
        if location:
            if location.startswith(p["redirect"]):
                tokens = token(p, {"grant_type": "authorization_code", "code": code_of(location),
                    "redirect_uri": p["redirect"], "code_verifier": verifier})
                cookie = "; ".join("%s=%s" % (c.name, c.value) for c in jar)
                return {"cookie": cookie, "refresh_token": tokens.get("refresh_token"), "access_token": tokens["access_token"]}
            url, data = location, None
            continue
        forms = Forms(); forms.feed(page)
        form = next((f for f in forms.forms if "password" in f["fields"]), None)
        if form is None: raise RuntimeError("no sign-in form at %s:\n%s" % (url, page[:1000]))
        fields = dict(form["fields"])
        for name in ("email", "username"):
            if name in fields: fields[name] = user
        fields["password"] = p["password"]
        url, data = urllib.parse.urljoin(url, form["action"]), urllib.parse.urlencode(fields).encode()
    raise RuntimeError("too many steps signing in " + user)

def prepare(p, conns, out):
    browsers = [sign_in(p, p["user"] % k) for k in range(1, conns + 1)]
    json.dump({"provider": p, "browsers": browsers}, open(out, "w"))

def load(state, mode, seconds):
    s = json.load(open(state)); p, browsers = s["provider"], s["browsers"]
    lock, statuses, times = threading.Lock(), {}, []
    deadline = time.time() + seconds
    tok = urllib.parse.urlsplit(p["token"]); auth = urllib.parse.urlsplit(p["authorize"])
    basic = "Basic " + base64.b64encode((p["client_id"] + ":" + p["secret"]).encode()).decode()
    def post_token(c, body):
        c.request("POST", tok.path, urllib.parse.urlencode(body),
            {"Authorization": basic, "Content-Type": "application/x-www-form-urlencoded"})
        r = c.getresponse(); return r.status, r.read()
    def work(b):
        c = http.client.HTTPConnection(tok.hostname, tok.port, timeout=60)
        refresh = b["refresh_token"]
        while time.time() < deadline:
            t0 = time.perf_counter()
            if mode == "code":
                verifier, challenge = pkce()
                target = urllib.parse.urlsplit(authorize_url(p, challenge))
                c.request("GET", target.path + "?" + target.query, headers={"Cookie": b["cookie"]})
                r = c.getresponse(); r.read()
                if r.status not in (302, 303):
                    status = r.status
                else:
                    status, _ = post_token(c, {"grant_type": "authorization_code", "redirect_uri": p["redirect"],
                        "code": code_of(r.getheader("Location")), "code_verifier": verifier})
            else:
                status, body = post_token(c, {"grant_type": "refresh_token", "refresh_token": refresh})
                if status == 200: refresh = json.loads(body)["refresh_token"]
            dt = time.perf_counter() - t0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1; times.append(dt)
            if status != 200 and mode == "refresh": break   # a broken family stays broken: stop this walker
    start = time.perf_counter()
    ts = [threading.Thread(target=work, args=(b,)) for b in browsers]
    [t.start() for t in ts]; [t.join() for t in ts]
    elapsed = time.perf_counter() - start
    times.sort()
    pct = lambda q: "%.1fms" % (1000 * times[min(len(times) - 1, int(q * len(times)))]) if times else "-"
    ok = statuses.get(200, 0)
    print(json.dumps({"rps": round(ok / elapsed, 1), "p50": pct(0.5), "p99": pct(0.99),
        "statuses": {str(k): v for k, v in statuses.items()}, "seconds": round(elapsed, 1)}))

if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        prepare(json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        load(sys.argv[2], sys.argv[3], float(sys.argv[4]))
PY
cat > "$OUT/userinfo.lua" <<'LUA'
-- GET userinfo with the access token in $TOKEN_FILE
local f = io.open(os.getenv("TOKEN_FILE")); local t = f:read("*l"); f:close()
wrk.headers["Authorization"] = "Bearer " .. t
LUA

run_provider() { # NAME PROVIDER_JSON USERINFO_URL
  local name=$1 provider=$2 userinfo=$3 mode
  log "$name: $CONNS browsers sign in through the page"
  python3 "$OUT/driver.py" prepare "$provider" "$CONNS" "$OUT/$name-state.json" 2>> "$OUT/run.log" \
    || { log "$name: signing in failed (see run.log)"; return 1; }
  for mode in code refresh; do
    if [ "$mode" = refresh ] && [ "$(jq -r '.browsers[0].refresh_token' "$OUT/$name-state.json")" = null ]; then
      log "$name: no refresh token was issued for offline_access: refresh not measured"; continue
    fi
    python3 "$OUT/driver.py" load "$OUT/$name-state.json" "$mode" 5 > /dev/null 2>&1   # warm-up (JIT)
    [ "$mode" = code ] || python3 "$OUT/driver.py" prepare "$provider" "$CONNS" "$OUT/$name-state.json" 2>> "$OUT/run.log"
    log "$name: $mode, $DURATION s, $CONNS connections (load $(cut -d' ' -f1-3 /proc/loadavg))"
    python3 "$OUT/driver.py" load "$OUT/$name-state.json" "$mode" "$DURATION" > "$OUT/$name-$mode.json" || return 1
  done
  # a fresh sign-in's access token: the code rounds opened hundreds of sessions per account, and Authgate's
  # per-account cap (authgate.tables.<t>.max-sessions) has ended the first ones, as it should
  python3 "$OUT/driver.py" prepare "$provider" 1 "$OUT/$name-userinfo-state.json" 2>> "$OUT/run.log" || return 1
  jq -r '.browsers[0].access_token' "$OUT/$name-userinfo-state.json" > "$OUT/$name-access-token.txt"
  TOKEN_FILE="$OUT/$name-access-token.txt" wrk -t2 -c"$CONNS" -d5s -s "$OUT/userinfo.lua" "$userinfo" > /dev/null
  log "$name: userinfo, $DURATION s, $CONNS connections (wrk)"
  TOKEN_FILE="$OUT/$name-access-token.txt" wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$OUT/userinfo.lua" \
    "$userinfo" > "$OUT/$name-userinfo.txt"
  python3 - "$OUT/$name-userinfo.txt" > "$OUT/$name-userinfo.json" <<'PY'
import json, re, sys
t = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
p = lambda q: re.search(r"^\s+%s%%\s+(\S+)" % q, t, re.M).group(1)
print(json.dumps({"rps": rps, "p50": p(50), "p99": p(99), "statuses": {"non-2xx": int(non2xx.group(1)) if non2xx else 0},
                  "seconds": float(re.search(r"requests in ([\d.]+)s", t).group(1))}))
PY
  RSS[$name]=$(rss_kb "$4" VmHWM 2> /dev/null || true)
}
rss_kb() { awk -v k="$2" '$1==k":"{print $2}' "/proc/$1/status" 2> /dev/null; }
declare -A RSS

# ---------------------------------------------------------------- Authgate
if [ "$SKIP_AG" = 0 ]; then
pg_throwaway oidc "$OUT" || exit 1
psql_() { psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
APP=$(free_port) MGMT=$(free_port)
BASE=http://127.0.0.1:$APP
APP_CP="$(ls target/quarkus-app/lib/boot/*.jar target/quarkus-app/lib/main/*.jar | tr '\n' :)target/quarkus-app/app/authgate-0.1.0-SNAPSHOT.jar"
tool() { java -XX:+UseSerialGC -cp "$APP_CP" bench/tools/BenchTool.java "$@"; }
KEYS="{\"keys\":[{\"kty\":\"oct\",\"kid\":\"bench-oidc\",\"k\":\"$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')\"}]}"
SIGNING=$(tool jwk bench-oidc-es256) || exit 1
log "Authgate: the packaged application, client 'bench' (first party, confidential)"
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGPORT/postgres QUARKUS_DATASOURCE_USERNAME=postgres \
QUARKUS_DATASOURCE_PASSWORD=x AUTHGATE_TOKEN_KEYS=$KEYS QUARKUS_HTTP_PORT=$APP QUARKUS_HTTP_HOST=127.0.0.1 \
QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_FLYWAY_MIGRATE_AT_START=true \
AUTHGATE_OIDC_BASE_URL=$BASE AUTHGATE_OIDC_SIGNING_KEYS=$SIGNING AUTHGATE_OIDC_SECURE_COOKIES=false \
AUTHGATE_OIDC_CLIENTS_BENCH_GROUP=main AUTHGATE_OIDC_CLIENTS_BENCH_SECRET=$SECRET \
AUTHGATE_OIDC_CLIENTS_BENCH_REDIRECT_URIS=$REDIRECT AUTHGATE_OIDC_CLIENTS_BENCH_FIRST_PARTY=true \
AUTHGATE_OIDC_CLIENTS_BENCH_SCOPES=openid,email,profile,offline_access \
AUTHGATE_THROTTLE_LOGIN_MAX_SUCCESSES=1000000 AUTHGATE_THROTTLE_LOGIN_MAX_FAILURES=1000000 \
AUTHGATE_THROTTLE_LOGIN_MAX_FAILURES_PER_ADDRESS=1000000 \
  java -XX:+UseSerialGC -Xms16m -Xmx128m -jar $JAR > "$OUT/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 600); do [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$MGMT/q/health/ready)" = 200 ] && break; sleep 0.1; done
HASH=$(tool hash "$PASSWORD" 10) || exit 1
psql_ -v hash="$HASH" -v n="$CONNS" <<'SQL' || exit 1
insert into "user" (name, email, password_hash)
  select 'Bench User ' || k, 'bench' || k || '@bench.test', :'hash' from generate_series(1, :n) k;
SQL
ISSUER=$BASE/oidc/main
DISCOVERY=$(curl -sf "$ISSUER/.well-known/openid-configuration") || { log "no discovery at $ISSUER"; exit 1; }
AG=$(jq -c --arg s "$SECRET" --arg r "$REDIRECT" --arg p "$PASSWORD" '{authorize: .authorization_endpoint,
  token: .token_endpoint, client_id: "bench", secret: $s, redirect: $r, password: $p, user: "bench%d@bench.test",
  scope: "openid email profile offline_access"}' <<< "$DISCOVERY")
run_provider authgate "$AG" "$(jq -r .userinfo_endpoint <<< "$DISCOVERY")" "$APP_PID" || exit 1
stop_pid "$APP_PID"; APP_PID=""
fi

# ---------------------------------------------------------------- Keycloak
if [ "$SKIP_KC" = 0 ]; then
  KCP=$(free_port) KB=""
  KB=http://127.0.0.1:$KCP
  log "Keycloak $KC_VERSION (start-dev) on $KB"
  ( export JAVA_HOME=$KC_JAVA_HOME KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin-pass-123
    exec "$KC_HOME/bin/kc.sh" start-dev --http-host 127.0.0.1 --http-port "$KCP" ) > "$OUT/keycloak.log" 2>&1 &
  KC_PID=$!
  for _ in $(seq 1800); do [ "$(curl -s -o /dev/null -w '%{http_code}' $KB/realms/master)" = 200 ] && break; sleep 0.2; done
  ADM=$(curl -sf -X POST $KB/realms/master/protocol/openid-connect/token -d grant_type=password -d client_id=admin-cli \
    -d username=admin -d password=admin-pass-123 | jq -r .access_token) || { log "no Keycloak admin token"; exit 1; }
  H=(-H "Authorization: Bearer $ADM" -H "Content-Type: application/json")
  curl -s -o /dev/null "${H[@]}" -X DELETE $KB/admin/realms/oidcbench # an earlier run's, in Keycloak's H2
  curl -sf "${H[@]}" -X POST $KB/admin/realms -d '{"realm":"oidcbench","enabled":true,"accessTokenLifespan":600,
    "revokeRefreshToken":true,"refreshTokenMaxReuse":0,"bruteForceProtected":false}' || { log "realm failed"; exit 1; }
  curl -sf "${H[@]}" -X POST $KB/admin/realms/oidcbench/clients -d "{\"clientId\":\"bench\",\"secret\":\"$SECRET\",
    \"publicClient\":false,\"standardFlowEnabled\":true,\"directAccessGrantsEnabled\":false,
    \"redirectUris\":[\"$REDIRECT\"],\"attributes\":{\"pkce.code.challenge.method\":\"S256\"}}" || { log "client failed"; exit 1; }
  for k in $(seq "$CONNS"); do
    curl -sf "${H[@]}" -X POST $KB/admin/realms/oidcbench/users -d "{\"username\":\"bench$k@bench.test\",
      \"email\":\"bench$k@bench.test\",\"firstName\":\"Bench\",\"lastName\":\"User $k\",\"enabled\":true,\"emailVerified\":true,
      \"credentials\":[{\"type\":\"password\",\"value\":\"$PASSWORD\",\"temporary\":false}]}" || { log "user failed"; exit 1; }
  done
  KD=$(curl -sf "$KB/realms/oidcbench/.well-known/openid-configuration") || exit 1
  KCJ=$(jq -c --arg s "$SECRET" --arg r "$REDIRECT" --arg p "$PASSWORD" '{authorize: .authorization_endpoint,
    token: .token_endpoint, client_id: "bench", secret: $s, redirect: $r, password: $p, user: "bench%d@bench.test",
    scope: "openid email profile offline_access"}' <<< "$KD")
  JPID=$(pgrep -P "$KC_PID" java | head -1); [ -n "$JPID" ] || JPID=$KC_PID
  run_provider keycloak "$KCJ" "$(jq -r .userinfo_endpoint <<< "$KD")" "$JPID" || exit 1
fi

# ---------------------------------------------------------------- report
{
  echo "# Authgate's OpenID Provider beside Keycloak's ($(date -u +%F), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
  echo
  echo "Command: \`bench/oidc.sh --duration $DURATION --conns $CONNS\`. $CONNS browsers (one account each), signed in once"
  echo "through each provider's page; Authgate: packaged, SerialGC, 128 MB heap, PostgreSQL 15; Keycloak $KC_VERSION start-dev"
  echo "(H2, kc.sh's default JVM options) on $("$KC_JAVA_HOME/bin/java" -version 2>&1 | head -1). Peak RSS: Authgate"
  echo "${RSS[authgate]:-?} kB, Keycloak ${RSS[keycloak]:-?} kB."
  echo
  python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
rows = [("code", "authorize (signed in) + token: code exchange, pairs/s"), ("refresh", "token: refresh_token grant (rotating)"),
        ("userinfo", "userinfo (wrk)")]
print("| what | provider | 2xx/s | p50 | p99 | statuses | seconds |")
print("|---|---|---|---|---|---|---|")
for mode, label in rows:
    for name in ("authgate", "keycloak"):
        f = os.path.join(out, "%s-%s.json" % (name, mode))
        if os.path.exists(f):
            r = json.load(open(f))
            print("| %s | %s | %s | %s | %s | %s | %s |" % (label, name, r["rps"], r["p50"], r["p99"], r["statuses"], r["seconds"]))
PY
} > "$OUT/report.md"
log "report: $OUT/report.md"
cat "$OUT/report.md"
