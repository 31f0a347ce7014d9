#!/usr/bin/env bash
# Builds the Debian package of baocao with cargo-deb (metadata: [package.metadata.deb] in
# Cargo.toml). Generated assets — the configuration as installed in /etc/baocao, shell
# completions and the man page — are made from the binary itself, so they always match it.
#
#   packaging/build-deb.sh                    release build, then the package (for servers)
#   packaging/build-deb.sh --from-test-build  package the binary `cargo build` made (CI: the
#                                             package is installed and run; no second, release
#                                             build of polars inside CI's time budget)
#
# The package lands in $CARGO_TARGET_DIR/debian/ (default target/debian/).
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
release="$target_dir/release"
mkdir -p "$release"

if [ "${1:-}" = "--from-test-build" ]; then
  cargo build --locked --bin baocao
  cp "$target_dir/debug/baocao" "$release/baocao"
else
  cargo build --locked --release --bin baocao
fi

assets="$release/packaging"
rm -rf "$assets"
mkdir -p "$assets"
# Installed layout: /etc/baocao/baocao.toml with templates/ beside it (in the repository the
# templates are one folder up from config/).
sed 's#"\.\./templates/#"templates/#' config/baocao.toml > "$assets/baocao.toml"
grep -q '"templates/bao-cao-thang.toml"' "$assets/baocao.toml"
"$release/baocao" completions bash > "$assets/baocao.bash"
"$release/baocao" completions zsh > "$assets/_baocao"
"$release/baocao" completions fish > "$assets/baocao.fish"
"$release/baocao" man | gzip -9n > "$assets/baocao.1.gz"

cargo deb --no-build --locked --output "$target_dir/debian/"
ls -1 "$target_dir"/debian/baocao_*.deb
