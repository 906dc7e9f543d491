# Installs what the lab needs, idempotently, and puts the tools on PATH. Sourced by
# scripts/serve and scripts/test; `setup serve` or `setup test`.
#
# serve: the pinned nightly (rust-src, wasm32), trunk, wasm-bindgen-cli at the version in
#        Cargo.lock, and wasm-opt (binaryen from npm; Debian's binaryen 108 breaks threaded wasm).
# test:  all of that, plus the stable toolchain for the core's native tests, Debian's chromium
#        and firefox-esr, and the Node test packages from package-lock.json.
#
# Needs: rustup, Node.js with npm, and root (or sudo) for apt-get on Debian.

TRUNK_VERSION=0.22.1
# The pure core crate is plain stable Rust; testing it with stable keeps build-std out of it.
NATIVE_TOOLCHAIN=1.95.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

require() {
  command -v "$1" >/dev/null 2>&1 || { echo "setup: '$1' is needed: $2" >&2; exit 1; }
}

nightly_toolchain() {
  sed -n 's/^channel = "\(.*\)"/\1/p' "$ROOT/rust-toolchain.toml"
}

ensure_toolchain() { # name, extra rustup args...
  local name=$1; shift
  if ! rustup toolchain list | grep -q "^$name"; then
    say "installing Rust $name"
    rustup toolchain install "$name" --profile minimal "$@"
  fi
}

ensure_rust() {
  local nightly; nightly=$(nightly_toolchain)
  ensure_toolchain "$nightly" --component rust-src,rustfmt,clippy --target wasm32-unknown-unknown
  rustup component list --toolchain "$nightly" --installed | grep -q '^rust-src' \
    || rustup component add --toolchain "$nightly" rust-src rustfmt clippy
  rustup target list --toolchain "$nightly" --installed | grep -q '^wasm32-unknown-unknown' \
    || rustup target add --toolchain "$nightly" wasm32-unknown-unknown
}

# cargo install runs outside the repo so that its .cargo/config.toml (build-std) stays out of it.
ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (a cold build takes about 20 minutes)"
    (cd "$HOME" && cargo "+$(nightly_toolchain)" install --locked trunk --version "$TRUNK_VERSION")
  fi
}

ensure_wasm_bindgen() {
  local version
  version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
    say "installing wasm-bindgen-cli $version (about 8 minutes)"
    # Not --locked: a locked dependency of the CLI is missing from the registry.
    (cd "$HOME" && cargo "+$(nightly_toolchain)" install wasm-bindgen-cli --version "$version")
  fi
}

ensure_node_packages() { # serve | test
  local lock="$ROOT/package-lock.json" stamp="$ROOT/node_modules/.package-lock.json"
  local missing=0
  [ -x "$ROOT/node_modules/.bin/wasm-opt" ] || missing=1
  [ "$1" = test ] && [ ! -d "$ROOT/node_modules/@playwright/test" ] && missing=1
  [ "$1" = test ] && [ ! -d "$ROOT/node_modules/puppeteer-core" ] && missing=1
  [ -f "$stamp" ] && [ "$lock" -nt "$stamp" ] && missing=1
  if [ "$missing" = 1 ]; then
    say "installing Node packages from package-lock.json"
    if [ "$1" = test ]; then (cd "$ROOT" && npm ci --no-audit --no-fund); else (cd "$ROOT" && npm ci --omit=dev --no-audit --no-fund); fi
  fi
}

# Debian's browsers for the end-to-end tests: chromium (Playwright) and firefox-esr (puppeteer-core).
ensure_browsers() {
  local missing=()
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
  [ -x "${FIREFOX_PATH:-/usr/bin/firefox-esr}" ] || missing+=(firefox-esr)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian's ${missing[*]}"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_crates() {
  # trunk builds offline; fetch the workspace's crates and those of the rebuilt std first.
  (cd "$ROOT" && cargo fetch --quiet --target wasm32-unknown-unknown)
}

setup() { # serve | test
  require rustup "install it from https://rustup.rs"
  require npm "install Node.js 20 or newer with npm"
  ensure_rust
  ensure_trunk
  ensure_wasm_bindgen
  ensure_node_packages "$1"
  ensure_crates
  if [ "$1" = test ]; then
    ensure_toolchain "$NATIVE_TOOLCHAIN" --component clippy
    ensure_browsers
  fi
}
