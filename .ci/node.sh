# Sourced by .ci/run. hmsdr supports Node.js ^22.13 || >=24: when the machine's node is older (or
# missing), put Node 22 from the npm registry's platform binary package (node-linux-<arch>) first
# on PATH; `node_for MAJOR` prints the bin directory of that major, installing it once.
node_cache="${HMSDR_CI_CACHE:-${HOME:-/root}/.cache/hmsdr-ci}"

node_arch() {
  case "$(uname -m)" in
    x86_64) echo x64 ;;
    aarch64|arm64) echo arm64 ;;
    *) echo "ci: no Node.js binary package for $(uname -m)" >&2; return 1 ;;
  esac
}

node_for() {
  local major=$1 dir="$node_cache/node$1" pkg
  pkg="node-linux-$(node_arch)" || return 1
  if [ ! -x "$dir/node_modules/$pkg/bin/node" ]; then
    echo "ci: installing Node.js $major ($pkg@$major from the npm registry) into $dir" >&2
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$dir" "$pkg@$major" >&2 || return 1
  fi
  echo "$dir/node_modules/$pkg/bin"
}

node_is_supported() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a===22&&b>=13||a>=24?0:1)'
}
