#!/usr/bin/env bash
# Sources of bench_repo_dedup.py that /work/corpus lacks, through the registries only
# (Debian deb-src through a private apt configuration, as ../shared/tools/fetch_corpus.sh; npm):
#   DEST/jansson-upstream   jansson 2.14 upstream release (Debian's jansson_2.14.orig.tar.gz)
#   DEST/jansson-debian     jansson 2.14-2 Debian source package (apt-get source: upstream + debian/, patched)
#   DEST/cobra              golang-github-spf13-cobra 1.6.1-1 Debian source package (the Go base)
#   DEST/commander-github   commander 9.4.1 GitHub tree (Debian's node-commander_9.4.1.orig.tar.gz)
#   DEST/commander-npm      commander 9.4.1 npm package (npm pack)
# Debian's python-click (the issue's PyPI-sdist pair) answered 404 on this mirror, so the
# CLI-library pair is commander's GitHub tree and its npm package.
# Usage: fetch_natural.sh [DEST]      (default /work/data-dedupbench/src)
set -euo pipefail
dest=${1:-/work/data-dedupbench/src}; mkdir -p "$dest" && dest=$(cd "$dest" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
apt="$work/apt"; mkdir -p "$apt"/{parts,lists/partial,cache/archives/partial}
sed -e 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources > "$apt/parts/src.sources"
A=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt/parts" -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache")
apt-get "${A[@]}" update >/dev/null
fetch() {  # package version: apt-get source into $work/$1 (a missing .debian.tar.xz is tolerated)
  mkdir -p "$work/$1"; (cd "$work/$1" && apt-get "${A[@]}" source -q "$1=$2" >/dev/null 2>&1 || true)
}
fetch jansson 2.14-2
fetch golang-github-spf13-cobra 1.6.1-1
fetch node-commander 9.4.1-1
rm -rf "$dest"/{jansson-upstream,jansson-debian,cobra,commander-github,commander-npm}
mkdir -p "$dest"/{jansson-upstream,commander-github,commander-npm}
tar xzf "$work/jansson/jansson_2.14.orig.tar.gz" -C "$dest/jansson-upstream" --strip-components=1
mv "$work/jansson/jansson-2.14" "$dest/jansson-debian"
mv "$work/golang-github-spf13-cobra/golang-github-spf13-cobra-1.6.1" "$dest/cobra"
tar xzf "$work/node-commander/node-commander_9.4.1.orig.tar.gz" -C "$dest/commander-github" --strip-components=1
(cd "$work" && npm pack commander@9.4.1 --silent >/dev/null)
tar xzf "$work/commander-9.4.1.tgz" -C "$dest/commander-npm" --strip-components=1
ls "$dest"
