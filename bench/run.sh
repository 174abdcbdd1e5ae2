#!/usr/bin/env bash
# Issue 6: TLS 1.3 mTLS handshakes and keep-alive requests, `mutualauth serve` versus nginx, on loopback, in one run.
#
#   bench/run.sh [--seconds S] [--hold N] [--aot]   (defaults: 5 s per measurement after 1 s of warm-up, 1000 idle
#                                                    connections, serve as the JIT build; --aot: serve published with
#                                                    native AOT, which needs clang, installed when missing)
#
# 1. prints the crypto limit of the server side of one full TLS 1.3 mTLS handshake (P-256 certificates, X25519) from
#    `openssl speed`, in handshakes per CPU-second;
# 2. installs nginx-light and gnuplot-nox from the machine's packages when missing (stopping any service they start);
# 3. builds serve and the load client (Release), creates a data folder by serve's first run, and starts nginx with its
#    own config and pid file on the same server certificate, CA and CRL (plus an empty root-signed CRL for the
#    intermediate, which nginx's ssl_crl needs for every CA in the chain), ssl_verify_client on, TLS 1.3 only,
#    session tickets on, one worker per core, and `location /whoami` returning the client's subject;
# 4. drives both with `MutualAuth.Benchmarks handshakes` (same client certificate): full handshakes, resumed handshakes
#    (TLS 1.3 tickets; cross-checked with `openssl s_client -sess_in/-sess_out`), keep-alive GET /whoami at
#    concurrency 1, 4 and 16, and resident memory idle and with N idle mTLS connections open; CPU time of the server
#    processes (serve; nginx master + workers) comes from /proc/PID/stat; then, as a reference, full and resumed
#    handshakes against a bare SslStream server (`tls-server`) with and without a CipherSuitesPolicy;
# 5. prints the table (ours, nginx, ours/nginx, ours as a fraction of the crypto limit) and writes
#    bench/results/<UTC timestamp>/results.md, results.tsv and handshakes.png.
# Takes about two minutes after the build. Loopback only; everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

seconds=5
hold=1000
aot=false
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --hold) hold=$2; shift 2 ;;
    --aot) aot=true; shift ;;
    *) echo "usage: bench/run.sh [--seconds S] [--hold N] [--aot]" >&2; exit 2 ;;
  esac
done
warmup=1
cores=$(nproc)
clk_tck=$(getconf CLK_TCK)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$repo/bench/results/$stamp
mkdir -p "$out"
work=$(mktemp -d /tmp/mutualauth-bench.XXXXXX)
serve_pid=""
nginx_pidfile=$work/nginx/nginx.pid

cleanup() {
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; fi
  if [ -s "$nginx_pidfile" ]; then kill -QUIT "$(cat "$nginx_pidfile")" 2>/dev/null || true; sleep 0.5; fi
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '%s\n' "$*" | tee -a "$out/run.log"; }

# --- packages -------------------------------------------------------------------------------------------------------
need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v gnuplot >/dev/null 2>&1 || need+=(gnuplot-nox)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
! $aot || command -v clang >/dev/null 2>&1 || need+=(clang)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "run.sh: installing ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  # The package may start the system nginx on port 80: stop that service (ours runs with its own config and pid file).
  if [[ " ${need[*]} " == *" nginx-light "* ]]; then
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
      $sudo systemctl stop nginx 2>/dev/null || true
    elif [ -x /etc/init.d/nginx ]; then
      $sudo /etc/init.d/nginx stop >/dev/null 2>&1 || true
    fi
  fi
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 100); do
    if ! ss -Htln "sport = :$p" | grep -q .; then echo "$p"; return; fi
  done
  echo "run.sh: no free port" >&2; exit 1
}

# --- build ------------------------------------------------------------------------------------------------------------
echo "run.sh: building (Release)"
dotnet build -c Release bench/MutualAuth.Benchmarks -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
cli=$repo/src/MutualAuth.Cli/bin/Release/net10.0/mutualauth.dll
serve_cmd=(dotnet "$cli")
build_kind="Release, JIT"
if $aot; then
  echo "run.sh: publishing serve with native AOT"
  dotnet publish -c Release -r linux-x64 -p:PublishAot=true src/MutualAuth.Cli -o "$work/aot" -v q -nologo >"$work/publish.log" 2>&1 \
    || { cat "$work/publish.log"; exit 1; }
  serve_cmd=("$work/aot/mutualauth")
  build_kind="Release, native AOT"
fi
load=$repo/bench/MutualAuth.Benchmarks/bin/Release/net10.0/MutualAuth.Benchmarks.dll

# --- machine and crypto limit -----------------------------------------------------------------------------------------
cpu_model=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
say "machine: $cores cores ($cpu_model), $(uname -sr), $(openssl version | cut -d' ' -f1-2), $("$nginx_bin" -v 2>&1 | sed 's/.*: //'), .NET $(dotnet --version)"
say "load client and servers share the $cores cores; per-CPU-second figures use the server processes' own CPU time"
speed=$(openssl speed -seconds 2 ecdsap256 ecdhx25519 2>/dev/null)
sign=$(awk '/ecdsa \(nistp256\)/ {print $(NF-1)}' <<<"$speed")
verify=$(awk '/ecdsa \(nistp256\)/ {print $NF}' <<<"$speed")
x25519=$(awk '/ecdh \(X25519\)/ {print $NF}' <<<"$speed")
limit=$(awk -v s="$sign" -v v="$verify" -v x="$x25519" 'BEGIN { printf "%.0f", 1 / (1/s + 3/v + 2/x) }')
say "openssl speed: P-256 ${sign} sign/s, ${verify} verify/s; X25519 ${x25519} op/s"
say "crypto limit, server side of one full TLS 1.3 mTLS handshake (1 sign + 3 verifies [CertificateVerify, client leaf, intermediate] + X25519 keygen + derive): ${limit} handshakes per CPU-second"

# --- servers ----------------------------------------------------------------------------------------------------------
data=$work/data
serve_port=$(free_port)
nginx_port=$(free_port)
while [ "$nginx_port" = "$serve_port" ]; do nginx_port=$(free_port); done
start_serve() {
  "${serve_cmd[@]}" serve --data-dir "$data" --listen "127.0.0.1:$serve_port" >"$work/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 600); do grep -q 'listening on' "$work/serve.log" && break; kill -0 "$serve_pid" || { cat "$work/serve.log"; exit 1; }; sleep 0.1; done
  grep -q 'listening on' "$work/serve.log" || { echo "run.sh: serve did not start"; cat "$work/serve.log"; exit 1; }
}
# The first run creates the data folder (CA, CRL, server certificate, client identity 'client'); the measured serve is a
# second, ordinary start on that folder, so its memory does not include the first-run work.
start_serve
kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
start_serve
ids=$data/identities

# nginx sets X509_V_FLAG_CRL_CHECK_ALL with ssl_crl: it needs a CRL from the root for the intermediate too (serve checks
# the leaf against the data folder's CRL by default). An empty one, signed with the data folder's root key.
mkdir -p "$work/nginx/logs" "$work/rootcrl"
: >"$work/rootcrl/index.txt"; echo 1000 >"$work/rootcrl/crlnumber"
printf '[ca]\ndefault_ca = root\n[root]\ndatabase = %s/index.txt\ncrlnumber = %s/crlnumber\ndefault_md = sha256\ndefault_crl_days = 7\n' \
  "$work/rootcrl" "$work/rootcrl" >"$work/rootcrl/ca.cnf"
openssl ca -config "$work/rootcrl/ca.cnf" -gencrl -keyfile "$data/ca/root.key" -cert "$data/ca/root.pem" -out "$work/rootcrl/root-crl.pem" 2>/dev/null
cat "$data/ca/crl.pem" "$work/rootcrl/root-crl.pem" >"$work/nginx/crl.pem"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes $cores;
worker_rlimit_nofile 8192;
pid $nginx_pidfile;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:$nginx_port ssl;
    server_name localhost;
    ssl_certificate $ids/server/chain.pem;
    ssl_certificate_key $ids/server/key.pem;
    ssl_client_certificate $data/ca/root.pem;
    ssl_verify_client on;
    ssl_verify_depth 2;
    ssl_crl $work/nginx/crl.pem;
    ssl_protocols TLSv1.3;
    ssl_session_tickets on;
    location /whoami { default_type application/json; return 200 '{"subject":"\$ssl_client_s_dn"}'; }
  }
}
EOF
"$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log"
for _ in $(seq 1 50); do [ -s "$nginx_pidfile" ] && break; sleep 0.1; done
nginx_master=$(cat "$nginx_pidfile")
sleep 0.5
nginx_pids=$(echo "$nginx_master" $(pgrep -P "$nginx_master") | tr ' ' ,)
declare -A port=([serve]=$serve_port [nginx]=$nginx_port)
declare -A pids=([serve]=$serve_pid [nginx]=$nginx_pids)
say "serve pid $serve_pid on 127.0.0.1:$serve_port ($build_kind, default settings: Information log to a file, audit events in SQLite); nginx pids $nginx_pids on 127.0.0.1:$nginx_port"

for server in serve nginx; do
  curl -sf --cert "$ids/client/chain.pem" --key "$ids/client/key.pem" --cacert "$data/ca/root.pem" "https://localhost:${port[$server]}/whoami" >"$work/whoami-$server" \
    || { echo "run.sh: $server refused the client"; cat "$work/serve.log" "$work/nginx/logs/error.log"; exit 1; }
done
say "whoami: serve $(tr -d ' \n' <"$work/whoami-serve" | cut -c1-60)…; nginx $(cat "$work/whoami-nginx")"

# --- measurements -----------------------------------------------------------------------------------------------------
declare -A R
rss_kb() { local sum=0 p; for p in ${1//,/ }; do sum=$((sum + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status"))); done; echo $sum; }

sleep 2
for server in serve nginx; do R[$server.idle_mb]=$(awk -v k="$(rss_kb "${pids[$server]}")" 'BEGIN { printf "%.1f", k / 1024 }'); done

# load SERVER LABEL ARGS…: runs the load client, keeps its RESULT fields as R[SERVER.LABEL.key].
load() {
  local server=$1 label=$2; shift 2
  local line
  line=$(dotnet "$load" handshakes --port "${port[$server]}" --pids "${pids[$server]}" --clk-tck "$clk_tck" \
    --cert "$ids/client/chain.pem" --key "$ids/client/key.pem" --server-cert "$ids/server/cert.pem" --expect client "$@" 2>>"$out/run.log" \
    | tee -a "$out/run.log" | grep '^RESULT' || true)
  [ -n "$line" ] || { echo "run.sh: no result from $server $label" >&2; return; }
  local kv
  for kv in ${line#RESULT }; do R[$server.$label.${kv%%=*}]=${kv#*=}; done
  printf '  %-6s %-14s %s\n' "$server" "$label" "${line#RESULT }"
}

echo "run.sh: measuring ($seconds s each after $warmup s warm-up)"
for server in serve nginx; do load "$server" hold --mode hold --connections "$hold" --warmup 2; done
# Not recorded: one pass of each kind, so serve's JIT has compiled the hot paths (tiered compilation) before it is measured.
for server in serve nginx; do
  load "$server" warm_full --mode full --connections 8 --seconds 3 --warmup 0 >/dev/null
  load "$server" warm_ka --mode keepalive --connections 4 --seconds 2 --warmup 0 >/dev/null
done
for server in serve nginx; do load "$server" full --mode full --connections 8 --seconds "$seconds" --warmup "$warmup"; done
for server in serve nginx; do load "$server" resumed --mode resumed --connections 8 --seconds "$seconds" --warmup "$warmup"; done
for server in serve nginx; do load "$server" full_ossl --mode full --client openssl --connections 8 --seconds "$seconds" --warmup "$warmup"; done
for server in serve nginx; do load "$server" resumed_ossl --mode resumed --client openssl --connections 8 --seconds "$seconds" --warmup "$warmup"; done
for c in 1 4 16; do
  for server in serve nginx; do load "$server" ka$c --mode keepalive --connections $c --seconds "$seconds" --warmup "$warmup"; done
done

# Reference: a bare SslStream server (no Kestrel or ASP.NET Core, no chain validation beyond SslStream's own), with and
# without a CipherSuitesPolicy as serve sets one: what a handshake costs in SslStream itself, and whether it resumes.
for variant in bare_policy bare_plain; do
  port[$variant]=$(free_port)
  flag=""; [ "$variant" = bare_policy ] && flag=--cipher-suites-policy
  dotnet "$load" tls-server --port "${port[$variant]}" --cert "$ids/server/chain.pem" --key "$ids/server/key.pem" $flag >"$work/$variant.log" 2>&1 &
  pids[$variant]=$!
  for _ in $(seq 1 100); do grep -q listening "$work/$variant.log" && break; sleep 0.1; done
  load "$variant" warm_full --mode full --connections 8 --seconds 3 --warmup 0 >/dev/null
  load "$variant" full --mode full --connections 8 --seconds "$seconds" --warmup "$warmup"
  load "$variant" resumed --mode resumed --connections 8 --seconds "$seconds" --warmup "$warmup"
  kill "${pids[$variant]}"; wait "${pids[$variant]}" 2>/dev/null || true
done

sleep 2
for server in serve nginx; do R[$server.after_mb]=$(awk -v k="$(rss_kb "${pids[$server]}")" 'BEGIN { printf "%.1f", k / 1024 }'); done

# --- table --------------------------------------------------------------------------------------------------------------
get() { echo "${R[$1]:-n/a}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a+0 > 0 && b+0 > 0) printf "%.2f", a / b; else printf "n/a" }'; }
pct() { awk -v a="$1" 'BEGIN { if (a != "n/a" && a != "") printf "%.1f %%", a * 100; else printf "n/a" }'; }
ofl() { awk -v a="$1" -v l="$limit" 'BEGIN { if (a+0 > 0) printf "%.2f", a / l; else printf "–" }'; }
num() { awk -v a="$1" 'BEGIN { if (a+0 > 0 || a == "0") printf "%.0f", a; else printf "%s", a }'; }
# per-handshake cost of a resumed handshake relative to a full one, from the per-CPU-second rates
cost() { awk -v f="$1" -v r="$2" 'BEGIN { if (f+0 > 0 && r+0 > 0) printf "%.2f", f / r; else printf "n/a" }'; }
for server in serve nginx; do
  R[$server.added_kb]=$(awk -v a="$(get $server.hold.rss_after_kb)" -v b="$(get $server.hold.rss_before_kb)" -v n="$(get $server.hold.connections)" \
    'BEGIN { if (n+0 > 0) printf "%.1f", (a - b) / n; else printf "n/a" }')
  R[$server.hold_mb]=$(awk -v a="$(get $server.hold.rss_after_kb)" 'BEGIN { if (a+0 > 0) printf "%.1f", a / 1024; else printf "n/a" }')
  R[$server.cost]=$(cost "$(get $server.full.per_cpu_s)" "$(get $server.resumed.per_cpu_s)")
  R[$server.cost_ossl]=$(cost "$(get $server.full_ossl.per_cpu_s)" "$(get $server.resumed_ossl.per_cpu_s)")
done

table=$out/results.md
{
  echo "# mutualauth serve ($build_kind) versus nginx, TLS 1.3 mTLS ($stamp)"
  echo
  echo "Machine: $cores cores, $cpu_model; $(uname -sr); $(openssl version | cut -d' ' -f1-2); nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///'); .NET $(dotnet --version)."
  echo "Crypto limit (openssl speed: P-256 $sign sign/s, $verify verify/s, X25519 $x25519 op/s): **$limit full handshakes per CPU-second**."
  echo "Each figure: $seconds s after $warmup s warm-up (and one unrecorded pass of full handshakes and keep-alive requests per server first); 8 parallel connections for handshakes; every connection sends one GET /whoami (Connection: close) and checks the identity in the answer. RSS idle is measured 2 s after start and one request, before the $hold-connection hold."
  echo
  echo "| figure | serve | nginx | serve/nginx | serve / crypto limit |"
  echo "|---|---:|---:|---:|---:|"
  row() { echo "| $1 | $2 | $3 | $(ratio "$2" "$3") | $4 |"; }
  row "full handshakes per server CPU-second" "$(num "$(get serve.full.per_cpu_s)")" "$(num "$(get nginx.full.per_cpu_s)")" "$(ofl "$(get serve.full.per_cpu_s)")"
  row "full handshakes/s (wall)" "$(num "$(get serve.full.per_s)")" "$(num "$(get nginx.full.per_s)")" "–"
  row "resumed handshakes per server CPU-second (SslStream client)" "$(num "$(get serve.resumed.per_cpu_s)")" "$(num "$(get nginx.resumed.per_cpu_s)")" "$(ofl "$(get serve.resumed.per_cpu_s)")"
  row "resumed handshakes/s (wall)" "$(num "$(get serve.resumed.per_s)")" "$(num "$(get nginx.resumed.per_s)")" "–"
  echo "| share actually resumed (server flight without certificate) | $(pct "$(get serve.resumed.resumed)") | $(pct "$(get nginx.resumed.resumed)") | | |"
  echo "| cost of a resumed connection / a full one (target ≤ 0.33) | $(get serve.cost) | $(get nginx.cost) | | |"
  row "full, openssl s_client client, per server CPU-second" "$(num "$(get serve.full_ossl.per_cpu_s)")" "$(num "$(get nginx.full_ossl.per_cpu_s)")" "$(ofl "$(get serve.full_ossl.per_cpu_s)")"
  row "resumed, openssl s_client -sess_in, per server CPU-second" "$(num "$(get serve.resumed_ossl.per_cpu_s)")" "$(num "$(get nginx.resumed_ossl.per_cpu_s)")" "$(ofl "$(get serve.resumed_ossl.per_cpu_s)")"
  echo "| share 'Reused, TLSv1.3' (openssl s_client) | $(pct "$(get serve.resumed_ossl.resumed)") | $(pct "$(get nginx.resumed_ossl.resumed)") | | |"
  echo "| cost resumed / full (openssl s_client) | $(get serve.cost_ossl) | $(get nginx.cost_ossl) | | |"
  for c in 1 4 16; do
    row "keep-alive GET /whoami, concurrency $c: requests/s (wall)" "$(num "$(get serve.ka$c.per_s)")" "$(num "$(get nginx.ka$c.per_s)")" "–"
    row "keep-alive GET /whoami, concurrency $c: per server CPU-second" "$(num "$(get serve.ka$c.per_cpu_s)")" "$(num "$(get nginx.ka$c.per_cpu_s)")" "–"
  done
  row "RSS idle, MB (nginx: master + workers)" "$(get serve.idle_mb)" "$(get nginx.idle_mb)" "–"
  row "RSS idle again after all the runs, MB" "$(get serve.after_mb)" "$(get nginx.after_mb)" "–"
  row "RSS with $hold idle mTLS connections, MB" "$(get serve.hold_mb)" "$(get nginx.hold_mb)" "–"
  row "added RSS per idle mTLS connection, KB" "$(get serve.added_kb)" "$(get nginx.added_kb)" "–"
  echo
  echo "Reference, not a product: a bare SslStream TLS 1.3 server (\`MutualAuth.Benchmarks tls-server\`), same certificates and load client."
  echo
  echo "| bare SslStream server | full per CPU-second | resumed per CPU-second | share resumed | cost resumed / full |"
  echo "|---|---:|---:|---:|---:|"
  for variant in bare_policy bare_plain; do
    label="CipherSuitesPolicy set (as serve)"; [ "$variant" = bare_plain ] && label="no CipherSuitesPolicy"
    echo "| $label | $(num "$(get $variant.full.per_cpu_s)") | $(num "$(get $variant.resumed.per_cpu_s)") | $(pct "$(get $variant.resumed.resumed)") | $(cost "$(get $variant.full.per_cpu_s)" "$(get $variant.resumed.per_cpu_s)") |"
  done
} >"$table"

{
  printf '"full handshakes"\t%s\t%s\n' "$(get serve.full.per_cpu_s)" "$(get nginx.full.per_cpu_s)"
  printf '"resumed (tickets)"\t%s\t%s\n' "$(get serve.resumed.per_cpu_s)" "$(get nginx.resumed.per_cpu_s)"
  for c in 1 4 16; do printf '"keep-alive c=%s"\t%s\t%s\n' "$c" "$(get serve.ka$c.per_cpu_s)" "$(get nginx.ka$c.per_cpu_s)"; done
} >"$out/results.tsv"

gnuplot <<EOF || echo "run.sh: gnuplot failed; no plot" >&2
set terminal pngcairo size 900,520 noenhanced font "sans,10"
set output "$out/handshakes.png"
set title "TLS 1.3 mTLS on loopback, per second of the server's own CPU time ($cores cores, $stamp)"
set datafile separator "\t"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [10:*]
set xrange [-0.6:4.6]
set ylabel "per server CPU-second (log scale)"
set grid ytics
set key top left
set arrow from first -0.6, first $limit to first 1.5, first $limit nohead dt 2 lw 2 lc rgb "#555555"
set label "crypto limit, full handshake ($limit)" at graph 0.01, first $limit*1.25 tc rgb "#555555"
plot "$out/results.tsv" using 2:xtic(1) title "mutualauth serve" lc rgb "#2f6fb0", '' using 3 title "nginx" lc rgb "#3a9a4a"
EOF

echo
cat "$table" | tee -a "$out/run.log"
echo
echo "run.sh: wrote $out/results.md, results.tsv, handshakes.png, run.log"
