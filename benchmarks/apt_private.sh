# Sourced by the fetch scripts: a private apt configuration under $1 (the machine's own list
# with deb-src added), so `apt-get "${A[@]}" source|download ...` needs no change to the system.
# Sets the array A; creates "$1/src" for unpacked sources.
apt_private() {
  local work=$1 apt=$1/apt
  mkdir -p "$apt"/{parts,lists/partial,cache/archives/partial} "$work/src"
  sed -e 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources > "$apt/parts/src.sources"
  A=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt/parts" -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache")
}
