#!/usr/bin/env bash
# Fetch a >= 1 GB corpus of real open-source repositories for the scale benchmark
# (benchmarks/bench_scale.py), through the package registries' own clients only:
#   DEST/pypi/<sdist>.tar.gz   PyPI source distributions, kept as archives (`pip download`)
#   DEST/npm/<name>-<ver>.tgz  npm package tarballs, kept as archives (`npm pack`)
#   DEST/deb/<source>/         Debian source packages, unpacked with patches applied
#                              (`apt-get source` through a private apt configuration with deb-src)
# The pipeline reads the archives in-stream (never extracted), so the corpus also exercises
# the archive source. Every kind folder is a folder of repositories: pass DEST/pypi DEST/npm
# DEST/deb (or single entries) to `repocurate run --input`. Re-running skips what is there.
# Usage: fetch_scale_corpus.sh DEST [KIND...]   (KIND: pypi npm deb, default all three; kinds
#        may run as separate concurrent invocations. Suggested DEST: /work/scale-corpus, outside git)
set -uo pipefail
dest=${1:?usage: fetch_scale_corpus.sh DEST [pypi|npm|deb ...]}; shift
kinds=" ${*:-pypi npm deb} "
mkdir -p "$dest"/{pypi,npm,deb} && dest=$(cd "$dest" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# Popular PyPI projects whose sdists prepare metadata without compiling (pip download needs it).
pypi=(boto3 botocore packaging urllib3 certifi idna requests typing-extensions charset-normalizer
  setuptools python-dateutil six pyyaml pydantic pygments cffi click pluggy pycparser attrs h11
  pytest iniconfig fsspec httpx httpcore pip markupsafe platformdirs python-dotenv pathspec pyjwt
  jinja2 rich jmespath markdown-it-py aiohttp filelock importlib-metadata starlette jsonschema
  zipp uvicorn pyasn1 pytz google-auth tqdm referencing virtualenv colorama typer tenacity wrapt
  requests-oauthlib websockets sqlalchemy pyparsing tomli beautifulsoup4 oauthlib soupsieve
  more-itertools requests-toolbelt rsa tomlkit distro distlib websocket-client openpyxl coverage
  docutils huggingface-hub werkzeug networkx redis gitpython dnspython msgpack pyopenssl decorator
  smmap pexpect docker pynacl sortedcontainers keyring tabulate gitdb isodate prompt-toolkit
  itsdangerous flask dill joblib alembic deprecated chardet mako toml mypy sympy jsonpointer
  ipython paramiko httplib2 traitlets jedi parso backoff marshmallow sqlparse mpmath babel
  cloudpickle authlib black tornado markdown pymongo watchdog isort structlog pytest-mock pymysql
  django twisted sphinx scrapy celery kombu boltons hypothesis pyglet astropy-iers-data nltk
  gunicorn transformers datasets)
npm=(typescript lodash react react-dom vue three rxjs zod date-fns eslint webpack prettier moment
  d3 chart.js express ajv core-js ramda immutable axios @babel/core @babel/parser @babel/traverse
  @babel/generator @babel/types postcss acorn yargs commander semver glob minimatch chokidar
  esbuild jest-util ws debug uuid js-yaml yaml node-fetch undici fs-extra graceful-fs mime-db
  qs body-parser @angular/core @angular/compiler rollup vite svelte preact mobx redux
  @reduxjs/toolkit jquery bootstrap highlight.js marked markdown-it handlebars pug ejs mocha
  chai sinon jasmine-core socket.io bluebird async underscore cheerio htmlparser2 sass less
  @typescript-eslint/typescript-estree @typescript-eslint/utils eslint-plugin-import
  rxjs-compat luxon dayjs validator joi yup)
# Debian source packages: large C/C++ projects plus Go, Java, Kotlin, Scala, Ruby, PHP, Rust, TS.
deb=(postgresql-15 python3.11 nodejs vim openssl git curl sqlite3 redis tcl8.6 ruby3.1 php8.2
  golang-1.19 guava-libraries kotlin scala rustc node-typescript libgit2 zstd protobuf grpc
  lua5.4 jansson libuv1 yaml-cpp pugixml libcommons-lang3-java jackson-databind nginx tmux)

[[ $kinds == *" pypi "* ]] || pypi=()
[[ $kinds == *" npm "* ]] || npm=()
[[ $kinds == *" deb "* ]] || deb=()
for p in "${pypi[@]}"; do
  compgen -G "$dest/pypi/$p-[0-9]*" >/dev/null || compgen -G "$dest/pypi/${p//-/_}-[0-9]*" >/dev/null && continue
  rm -rf "$work/pypi" && mkdir -p "$work/pypi"
  timeout 300 pip download -q --no-deps --no-binary "$p" -d "$work/pypi" "$p" >/dev/null 2>&1 \
    || { echo "pypi $p: download failed"; continue; }
  f=$(ls "$work"/pypi/*.tar.gz "$work"/pypi/*.zip 2>/dev/null | head -1)
  [ -n "$f" ] && mv "$f" "$dest/pypi/" && echo "pypi $(basename "$f")"
done
for p in "${npm[@]}"; do
  stem=${p#@}; stem=${stem//\//-}
  compgen -G "$dest/npm/$stem-[0-9]*.tgz" >/dev/null && continue
  f=$(cd "$dest/npm" && timeout 300 npm pack "$p" --silent 2>/dev/null | tail -1) \
    || { echo "npm $p: pack failed"; continue; }
  [ -n "$f" ] && echo "npm $f"
done
# Debian sources through a private apt configuration: the machine's own list with deb-src added
. "$(dirname "$0")/apt_private.sh" && apt_private "$work"
if [ ${#deb[@]} -eq 0 ]; then :
elif apt-get "${A[@]}" update >/dev/null 2>&1; then
  for p in "${deb[@]}"; do
    [ -d "$dest/deb/$p" ] && continue
    apt_source_to "$p" "$dest/deb/$p" && echo "deb $p" || echo "deb $p: source failed"
  done
else
  echo "apt-get update failed: Debian sources skipped"
fi
du -sh --apparent-size "$dest"/pypi "$dest"/npm "$dest"/deb
