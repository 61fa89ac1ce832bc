# Sourced by the fetch scripts: a private apt configuration under $1 (the machine's own list
# with deb-src added), so `apt-get "${A[@]}" source|download ...` needs no change to the system.
# Sets the array A; creates "$1/src" for unpacked sources.
apt_private() {
  local work=$1 apt=$1/apt
  mkdir -p "$apt"/{parts,lists/partial,cache/archives/partial} "$work/src"
  sed -e 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources > "$apt/parts/src.sources"
  A=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt/parts" -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache")
}

# apt_source_to PACKAGE DEST: unpack PACKAGE's Debian source (patches applied) as the folder
# DEST; the security suite's newest version may be missing from the mirror, so fall back to
# the release's. Returns non-zero when no source could be fetched.
apt_source_to() {
  local p=$1 dest=$2 spec d
  for spec in "$p" "$p/bookworm"; do
    (cd "$work/src" && timeout 900 apt-get "${A[@]}" source -q "$spec" >/dev/null 2>&1) && break
    rm -rf "$work/src"/*
  done
  d=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d | head -1)
  [ -n "$d" ] && mv "$d" "$dest"; local rc=$?
  rm -rf "$work/src"/*
  return $rc
}
