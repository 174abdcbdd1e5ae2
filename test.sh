#!/usr/bin/env bash
# Runs every test of MutualAuth on a fresh machine: installs the real peers the tests drive
# (curl and openssl for mTLS, SoftHSM2, OpenSC and OpenSSL's pkcs11 engine for smart cards, PostgreSQL 15 for
# SCRAM, Node.js with an npm RFC 9421 library for message signatures, clang for the native-AOT build, headless
# Chromium and npm playwright-core for the WebAuthn page) when missing, then builds and runs `dotnet test` on the solution.
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

need_packages=()
command -v curl >/dev/null 2>&1 || need_packages+=(curl)
command -v openssl >/dev/null 2>&1 || need_packages+=(openssl)
command -v sh >/dev/null 2>&1 || need_packages+=(dash)
command -v node >/dev/null 2>&1 || need_packages+=(nodejs)
command -v clang >/dev/null 2>&1 || need_packages+=(clang)  # native-AOT publish of mutualauth (NativeAotTests)
[ -x /usr/bin/chromium ] || need_packages+=(chromium)  # the WebAuthn page in a headless browser (it brings libnss3)
# PKCS#11: SoftHSM2 stands in for a smart card, OpenSC's pkcs11-tool inspects it, OpenSSL's pkcs11 engine uses its keys.
[ -e /usr/lib/softhsm/libsofthsm2.so ] || need_packages+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || need_packages+=(opensc)
[ -e /usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so ] || need_packages+=(libengine-pkcs11-openssl)
[ -x /usr/sbin/haproxy ] || need_packages+=(haproxy)  # the load balancer in front of two serve nodes (Nodes/TwoNodeTests)
need_postgres=false
[ -x /usr/lib/postgresql/15/bin/postgres ] || need_postgres=true
if [ ${#need_packages[@]} -gt 0 ] || $need_postgres; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  if [ ${#need_packages[@]} -gt 0 ]; then
    echo "test.sh: installing ${need_packages[*]}"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_packages[@]}"
  fi
  if $need_postgres; then
    # The tests start their own throwaway clusters on free ports; tell Debian's packaging not to create
    # (and start) the system cluster 'main' on 5432. postgresql-common writes createcluster.conf first.
    echo "test.sh: installing postgresql-15"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql-common
    $sudo sed -i -E 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql-15
  fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is required (https://dot.net); see README.md" >&2
  exit 2
fi

# npm comes with some Node.js packages (NodeSource's) and separately with Debian's: install it only if still missing.
if ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: installing npm"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm
fi

# The independent RFC 9421 peer (npm http-message-signatures, version pinned in package-lock.json).
peer=test/MutualAuth.Interop.Tests/MessageSignatures/node
if [ ! -d "$peer/node_modules/http-message-signatures" ]; then
  echo "test.sh: installing the npm RFC 9421 peer"
  npm ci --prefix "$peer" --no-audit --no-fund --silent
fi

# The independent OAuth 2.0 client (npm oauth4webapi, version pinned in package-lock.json).
oauth_peer=test/MutualAuth.Interop.Tests/Tokens/node
if [ ! -d "$oauth_peer/node_modules/oauth4webapi" ]; then
  echo "test.sh: installing the npm OAuth peer"
  npm ci --prefix "$oauth_peer" --no-audit --no-fund --silent
fi

# The foreign OAuth 2.0 authorization server (npm oidc-provider, version pinned in package-lock.json).
idp_peer=test/MutualAuth.Interop.Tests/Tokens/oidc-provider
if [ ! -d "$idp_peer/node_modules/oidc-provider" ]; then
  echo "test.sh: installing the npm oidc-provider peer"
  npm ci --prefix "$idp_peer" --no-audit --no-fund --silent
fi

# The browser driver for the WebAuthn page test (npm playwright-core, pinned in package-lock.json; no browser download).
browser=test/MutualAuth.Interop.Tests/WebAuthn/browser
if [ ! -d "$browser/node_modules/playwright-core" ]; then
  echo "test.sh: installing npm playwright-core"
  npm ci --prefix "$browser" --no-audit --no-fund --silent
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset MUTUALAUTH_HOME
exec dotnet test MutualAuth.slnx "$@"
