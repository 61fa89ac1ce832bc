"""PII and secret redaction, StarCoder-style [bigcode-dataset ``pii/``: regexes for emails
and IP addresses adapted from BigScience, detect-secrets for keys, plus false-positive
filters]. Detected spans are replaced by ``<EMAIL>``, ``<IP_ADDRESS>``, ``<KEY>`` and
``<PASSWORD>`` (bigcode swapped in random look-alikes; fixed tokens keep the output
deterministic and show the model one shape per kind).

What is detected, and what is deliberately left alone:

* **Emails**: ``local@domain.tld``. Kept: addresses at reserved example domains (RFC 2606 /
  6761: ``example.com``/``.org``/``.net``, ``*.example``, ``*.test``, ``*.invalid``,
  ``*.localhost``, ``localhost``), which name nobody; service users (``git@github.com``
  SSH remotes, ``noreply@``); ``name@2x.png``-style file names.
* **IP addresses**: IPv4 and IPv6 that :mod:`ipaddress` accepts and calls global. Kept:
  private, loopback, link-local, multicast, reserved, unspecified (``0.0.0.0``) and
  documentation ranges; public DNS resolvers (``8.8.8.8``, ``1.1.1.1``, ... as bigcode);
  version-like quads: any quad on a line that says version or release or right after
  ``Product/`` or ``rv:`` (user-agent strings), and quads of small
  numbers (each below 32: ``1.2.3.4``, section ``7.18.1.1``) unless network words (dns,
  server, host, ip, addr, socket, url, ``http:``) stand within 100 characters (bigcode
  did this for four single digits); percent-encoded and SVG-path look-alikes.
* **Keys** (``<KEY>``): detect-secrets' format detectors (AWS, Artifactory, Azure storage,
  Discord, GitHub, GitLab, JWT, Mailchimp, npm, OpenAI, PyPI, SendGrid, Slack, Square,
  Stripe, Telegram, Twilio; bigcode's list plus the newer ones), whole private-key blocks
  (``-----BEGIN ... PRIVATE KEY-----`` through its END line: detect-secrets' detector only
  flags the header), and quoted high-entropy strings (detect-secrets' Base64 charset and
  Shannon entropy, limit 4.5) that pass bigcode's filters: holding letters and digits; not
  a UUID, sequential alphabet, template or ``*_id`` value; gibberish by detect-secrets'
  RFC-trained model (so not word-like); not on a line, or within 100 characters after a
  mention, of hashes (sha, md5, digest, checksum, integrity, commit, nonce, salt: bigcode
  ``is_hash``); plus, measured on real code: not a character-set listing (no repeated
  character, or mostly consecutive code points), not base64 of text or of a file format
  (gzip, PNG, ...: embedded data and encoding test vectors), not punycode. Pure hex strings are left
  alone by default: in code they are digests, commit ids and test vectors (``hex_entropy``
  turns detect-secrets' Hex detector, limit 3.0, back on).
* **Passwords** (``<PASSWORD>``): detect-secrets' KeywordDetector assignments (its
  per-file-type regexes: ``password = "..."``, ``pwd: ...``) and basic-auth URLs
  (``scheme://user:PASSWORD@host``). A keyword that is not ``pass``/``pwd`` (``api_key``,
  ``secret``, ``private_key``) gives ``<KEY>``. ``.env`` files are read with
  detect-secrets' config-file patterns (``DB_PASSWORD=value``, no quotes needed). Kept:
  values with spaces (messages), templates (``{x}``, ``${X}``, ``<your-password>``,
  ``%s``, ``%(name)s``), function calls and attribute chains, ``UPPER_CASE`` names
  (environment variables), paths and URLs, placeholders (``changeme``, ``xxx``, ``***``),
  values made only of the key's own words, secret words and placeholder words
  (``password = "password"``, ``"db_password"``, ``"your-password-here"``,
  ``"mysecretkey"``: see :func:`is_placeholder_value`), and names such as
  ``password_field`` or ``secret_file`` that label something other than a secret. A value
  that merely *contains* a word is a secret: ``"hunter2-Very-Secret-991"``,
  ``"S3cr3t!Passw0rd-2024"`` and ``"Tr0ub4dor-Token-88"`` are replaced (issue 13 item 3;
  until then any value holding ``pass``, ``secret``, ``key`` or ``token`` was kept).

Lock and hash-list files (``package-lock.json``, ``go.sum``, ...) are not scanned for keys.
Every count and threshold is measured on real code in ``benchmarks/RESULTS.md``.
"""
from __future__ import annotations

import base64
import binascii
import bisect
import importlib.resources
import ipaddress
import math
import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, NamedTuple

from detect_secrets.filters import heuristic
from detect_secrets.plugins import keyword as keyword_plugin
from detect_secrets.plugins.artifactory import ArtifactoryDetector
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import RegexBasedDetector
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.high_entropy_strings import (
    Base64HighEntropyString, HexHighEntropyString, HighEntropyStringsPlugin,
)
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.npm import NpmDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector
from detect_secrets.util.filetype import FileType, determine_file_type
from gibberish_detector.detector import create_from_model

EMAIL, IP_ADDRESS, KEY, PASSWORD = "email", "ip_address", "key", "password"
KIND_PRIORITY = {KEY: 0, PASSWORD: 1, EMAIL: 2, IP_ADDRESS: 3}
PLACEHOLDERS = {EMAIL: "<EMAIL>", IP_ADDRESS: "<IP_ADDRESS>", KEY: "<KEY>", PASSWORD: "<PASSWORD>"}

EXAMPLE_EMAIL_DOMAINS = frozenset({
    "example.com", "example.org", "example.net", "example", "test", "invalid", "localhost",
})
# Local parts that name a service, not a person: ``git@github.com:org/repo`` SSH remotes.
SERVICE_EMAIL_USERS = frozenset({"git", "noreply", "no-reply"})
# bigcode pii_redaction.POPULAR_DNS_SERVERS: well-known resolvers, not personal data.
PUBLIC_DNS_SERVERS = frozenset({
    "8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "76.76.19.19", "76.223.122.150", "9.9.9.9",
    "149.112.112.112", "208.67.222.222", "208.67.220.220", "8.26.56.26", "8.20.247.20",
    "94.140.14.14", "94.140.15.15", "2001:4860:4860::8888", "2001:4860:4860::8844",
    "2606:4700:4700::1111", "2606:4700:4700::1001",
})
LOCK_FILE_NAMES = frozenset({
    "brewfile.lock.json", "cartfile.resolved", "composer.lock", "gemfile.lock", "package.resolved",
    "package-lock.json", "npm-shrinkwrap.json", "podfile.lock", "yarn.lock", "pnpm-lock.yaml",
    "pipfile.lock", "poetry.lock", "cargo.lock", "packages.lock.json", "go.sum", "flake.lock",
    "mix.lock", "pubspec.lock", "uv.lock", "bun.lock",
})
PLACEHOLDER_PASSWORDS = frozenset({
    "changeme", "changeit", "xxx", "none", "null", "nil", "true", "false", "undefined",
    "empty", "dummy", "example", "sample", "placeholder", "redacted", "hidden", "required",
    "optional", "string", "text", "str", "value", "todo", "fixme", "foo", "bar", "foobar",
})
FILE_EXTENSION_TLDS = frozenset({
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "js", "ts", "css", "py", "java",
    "json", "html", "md", "txt", "xml", "yml", "yaml",
})


MIN_GROUP_CHARS = 8  # a reported value shorter than this is a pattern's prefix group


class _Prefilter(NamedTuple):
    """Patterns one of which matches wherever the detector's patterns match (read off them),
    in the lower-cased text when ``lowered``. Each starts with a literal, which Python's
    regex engine skips to fast; the detectors' own patterns start with character classes
    tried at every position, so a file that no prefilter pattern matches skips them."""

    patterns: tuple[re.Pattern, ...]
    lowered: bool = False


PREFILTERS: dict[type[RegexBasedDetector], _Prefilter] = {
    AWSKeyDetector: _Prefilter((re.compile(r"a(?:3t|bia|cca|kia|sia|ws)"),), lowered=True),
    ArtifactoryDetector: _Prefilter((re.compile(r"A(?:KC|P[\dA-F])"),)),
    DiscordBotTokenDetector: _Prefilter((re.compile(r"\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}"),)),
    MailchimpDetector: _Prefilter((re.compile(r"-us\d"),)),
    SlackDetector: _Prefilter((re.compile("xox"), re.compile(r"hooks\.slack\.com")), lowered=True),
    StripeDetector: _Prefilter((re.compile("k_live_"),)),
    TelegramBotTokenDetector: _Prefilter((re.compile(r":[0-9A-Za-z_-]{35}"),)),
    # Literal parts of the other detectors' patterns: cheap scans instead of full ones.
    AzureStorageKeyDetector: _Prefilter((re.compile("AccountKey="),)),
    GitHubTokenDetector: _Prefilter((re.compile("gh[pousr]_"),)),
    GitLabTokenDetector: _Prefilter((re.compile("gl(?:pat|dt|ft|soat|rt|cbt|imt|ptt|agent|oas)-"),
                                     re.compile("GR1348941"))),
    JwtTokenDetector: _Prefilter((re.compile("eyJ"),)),
    NpmDetector: _Prefilter((re.compile("/:_authToken="),)),
    OpenAIDetector: _Prefilter((re.compile("T3BlbkFJ"),)),
    PypiTokenDetector: _Prefilter((re.compile("pypi-AgE"),)),
    SendGridDetector: _Prefilter((re.compile(r"SG\."),)),
    SquareOAuthDetector: _Prefilter((re.compile("sq0csp-"),)),
}
# detect-secrets picks its keyword patterns by file extension; for a path it does not know
# (``.h``, ``.ts``, no extension) the record's language picks them.
LANGUAGE_FILE_TYPES = {
    "python": FileType.PYTHON, "go": FileType.GO, "java": FileType.JAVA,
    "javascript": FileType.JAVASCRIPT, "typescript": FileType.JAVASCRIPT, "php": FileType.PHP,
    "c": FileType.C, "cpp": FileType.C_PLUS_PLUS, "cuda": FileType.C_PLUS_PLUS,
    "c-sharp": FileType.C_SHARP, "yaml": FileType.YAML,
}
FORMAT_DETECTORS: tuple[type[RegexBasedDetector], ...] = (
    AWSKeyDetector, ArtifactoryDetector, AzureStorageKeyDetector, DiscordBotTokenDetector,
    GitHubTokenDetector, GitLabTokenDetector, JwtTokenDetector, MailchimpDetector, NpmDetector,
    OpenAIDetector, PypiTokenDetector, SendGridDetector, SlackDetector, SquareOAuthDetector,
    StripeDetector, TelegramBotTokenDetector, TwilioKeyDetector,
)

# Python's regex engine skips ahead fast only to a literal first character, so each pattern
# below starts at the rare literal ("@", ".", ":") and the part before it is found backwards.
_AT = re.compile("@")
_EMAIL_LOCAL_REVERSED = re.compile(r"[A-Za-z0-9_.%+-]{1,64}")
_EMAIL_BEFORE = re.compile(r"[\w.%+@-]")
_EMAIL_DOMAIN = re.compile(
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+([A-Za-z]{2,}))(?![\w-])")
_IPV4_TAIL = re.compile(r"\.\d{1,3}\.\d{1,3}\.\d{1,3}")
_IPV4_BEFORE = re.compile(r"[\w.%]")  # a quad inside a longer token, or percent-encoded
_IPV4_AFTER = re.compile(r"\w|\.\d|-\.?\d")  # more digits, or an SVG path's next number
_IPV6_HINT = re.compile(r":[0-9A-Fa-f]{0,4}:")
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\w)")
_HEX_OR_COLON = frozenset("0123456789abcdefABCDEF:")
_DIGITS = frozenset("0123456789")
MAX_IPV6_CHARS = 39
_NETWORK_CONTEXT = re.compile(
    r"\b(?:dns|servers?|host(?:name)?s?|ips?|ip[46]|addr(?:ess)?(?:es)?|sockets?|connect|proxy|url)\b"
    r"|https?://|_addr|_ip\b", re.IGNORECASE)
SMALL_OCTET = 32
_VERSION_CONTEXT = re.compile(r"version|release", re.IGNORECASE)
_PRODUCT_VERSION = re.compile(r"(?:rv:|[A-Za-z]/)$")  # "Firefox/1.5.0.6", "rv:1.8.0.6"
_PRIVATE_KEY = re.compile(
    r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
    r"[A-Za-z0-9+/=:,.\s\"'\\-]*?"  # base64, PEM headers, quotes and \n of split literals
    r"(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|(?=[^A-Za-z0-9+/=:,.\s\"'\\-]|\Z))"
)
_KEYWORD = re.compile("|".join(keyword_plugin.DENYLIST))  # run on lower-cased text
KEYWORD_LITERALS = ("key", "pass", "pwd", "secret", "contrase")  # each DENYLIST entry holds one
_PASSWORD_KEYWORD = re.compile(r"pass|pwd|contrase", re.IGNORECASE)
# Words that name a secret; a value made only of them (and of the key's own words and
# PLACEHOLDER_WORDS) names the secret instead of being one.
SECRET_WORDS = frozenset({
    "pass", "password", "passwd", "passphrase", "passcode", "pwd", "pw", "secret", "secrets",
    "key", "keys", "apikey", "token", "tokens", "auth", "credential", "credentials", "private",
    "access", "client", "api", "contrase", "login",
})
# Words of placeholder values: "<your-password>", "your_password_here", "enter-key".
PLACEHOLDER_WORDS = frozenset({
    "your", "my", "our", "the", "a", "an", "enter", "insert", "put", "type", "here", "new",
    "old", "current", "example", "sample", "dummy", "fake", "test", "testing", "change",
    "changeme", "me", "replace", "with", "user", "username", "name", "db", "database", "app",
    "admin", "root", "default", "some", "value", "string", "placeholder", "redacted",
    "hidden", "none", "null", "empty", "goes", "this", "real", "actual", "to", "be", "set",
    "of", "for", "xxx", "foo", "bar", "baz", "qux", "demo", "dev", "local", "required",
    "optional", "todo", "fixme", "invalid", "wrong", "bad", "mock", "stub", "is", "it", "file",
    "word",
})
_VALUE_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# Words that mark a value as made up for documentation or tests: with a secret word (or the
# key's own), the rest of the value may be anything ("test-key-123", "your-replicate-api-key").
MARKER_WORDS = frozenset({"your", "example", "test", "fake", "dummy", "sample", "mock", "placeholder"})
_KEBAB_WORDS = re.compile(r"[a-z]+(?:[-_][a-z]+)+")   # "fal-ai-api-key", "role-secret-key"
_CLASS_NAME = re.compile(r"(?:[A-Z][a-z]+){2,}")      # "GoogleCloudSecretManager"
# Values that refer to a secret kept elsewhere: a secret store's scheme and a path or name.
_REFERENCE = re.compile(r"(?:env|vault|file|ssm|secretsmanager|keyvault|ref|type|version_name|op):[\w/.{$]",
                        re.IGNORECASE)
# Words in a keyword's variable name that make it label something other than a secret.
NOT_A_SECRET_WORDS = frozenset({
    "file", "path", "dir", "field", "label", "name", "prompt", "url", "length", "len", "min",
    "max", "hash", "hashed", "policy", "regex", "pattern", "type", "mode", "env", "var", "id",
    "placeholder", "hint", "message", "msg", "error", "reset", "input", "header", "param",
    "column", "attr", "format", "size", "count", "flag", "enabled", "required", "rule",
    "strength", "expiry", "timeout", "form", "template", "title", "help", "description",
    "manager", "arn",
})
_NAME_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_IDENTIFIER_CHAIN = re.compile(r"[A-Za-z_$][\w$]*(?:(?:\.|->|::)[A-Za-z_$][\w$]*)+")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_TEMPLATE = re.compile(r"%[-#0 +]*\d*[sdr]|%\(\w+\)[sdr]|\{\w*\}|\$\w|\$\{|<[\w-]+>|\{\{")
_HASH_CONTEXT = re.compile(
    r"sha|md5|hash|digest|checksum|integrity|fingerprint|commit|revision|nonce|salt|\bbyte",
    re.IGNORECASE,
)
_HEX = re.compile(r"[0-9A-Fa-f]+")
HASH_CONTEXT_CHARS = 100
# Leading bytes of formats that are embedded as base64 data, never as credentials.
DATA_MAGIC = (b"\x1f\x8b", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"wOFF", b"wOF2")
PRINTABLE_FRACTION = 0.9
_IDENTIFIER_CHAR = re.compile(r"[\w.-]")
_TOKEN_TAIL = re.compile(r"[A-Za-z0-9_\-+/=]*")  # a JWT's signature after the lazy match's "."
_URL_HOST = re.compile(r"[^/:?#\]\s\"'<>]*")


@dataclass(frozen=True)
class PiiConfig:
    """Switches and allow-lists of the :class:`Redactor`.

    ``base64_limit`` and ``hex_limit`` are detect-secrets' Shannon-entropy limits (bits per
    character); ``gibberish_limit`` the detect-secrets gibberish-model threshold; a
    password shorter than ``min_password_length`` is ignored.
    """

    emails: bool = True
    ip_addresses: bool = True
    keys: bool = True
    passwords: bool = True
    entropy_strings: bool = True
    hex_entropy: bool = False
    base64_limit: float = 4.5
    hex_limit: float = 3.0
    gibberish_limit: float = 3.7
    min_password_length: int = 4
    allowed_email_domains: frozenset[str] = EXAMPLE_EMAIL_DOMAINS
    allowed_email_local_parts: frozenset[str] = SERVICE_EMAIL_USERS
    allowed_ips: frozenset[str] = PUBLIC_DNS_SERVERS
    lock_file_names: frozenset[str] = LOCK_FILE_NAMES


class Span(NamedTuple):
    """A detected secret: ``content[start:end]`` of ``kind``."""

    start: int
    end: int
    kind: str


class Redactor:
    """Find PII and secrets in a file's content and replace them by placeholders."""

    def __init__(self, config: PiiConfig = PiiConfig()) -> None:
        self.config = config
        self._detectors = [detector() for detector in FORMAT_DETECTORS]
        plugins = [Base64HighEntropyString(limit=config.base64_limit)]
        if config.hex_entropy:
            plugins.append(HexHighEntropyString(limit=config.hex_limit))
        self._entropy_plugins = [(plugin, _quoted_run(plugin), _quoted_run_prefilter(plugin)) for plugin in plugins]

    def spans(self, content: str, language: str = "", path: str = "") -> list[Span]:
        """Detected spans, sorted and non-overlapping. ``path`` (its extension, lock-file
        names) and ``language`` (a slug of :mod:`contract.languages`) pick the rules."""
        found: list[Span] = []
        if self.config.emails:
            found += self._emails(content)
        if self.config.ip_addresses:
            found += self._ip_addresses(content)
        if posixpath.basename(path).lower() not in self.config.lock_file_names:
            lowered = content.lower()
            if self.config.keys:
                found += self._keys(content, lowered)
            if self.config.passwords:
                found += self._passwords(content, lowered, language, path)
        return _non_overlapping(found)

    def redact(self, content: str, language: str = "", path: str = "") -> tuple[str, Counter]:
        """``content`` with every detected span replaced, and the number of spans per kind."""
        pieces, counts, position = [], Counter(), 0
        for span in self.spans(content, language, path):
            pieces += [content[position: span.start], PLACEHOLDERS[span.kind]]
            counts[span.kind] += 1
            position = span.end
        pieces.append(content[position:])
        return "".join(pieces), counts

    def _emails(self, content: str) -> Iterator[Span]:
        for at in _AT.finditer(content):
            position = at.start()
            local = _EMAIL_LOCAL_REVERSED.match(content[max(0, position - 64): position][::-1])
            domain = _EMAIL_DOMAIN.match(content, position + 1)
            if local is None or domain is None:
                continue
            start = position - local.end()
            if not content[start].isalnum() or (start and _EMAIL_BEFORE.match(content, start - 1)):
                continue
            if (content[start:position].lower() in self.config.allowed_email_local_parts
                    or domain.group(2).lower() in FILE_EXTENSION_TLDS
                    or _allowed_domain(domain.group(1).lower(), self.config.allowed_email_domains)):
                continue
            yield Span(start, domain.end(), EMAIL)

    def _ip_addresses(self, content: str) -> Iterator[Span]:
        for tail in _IPV4_TAIL.finditer(content):
            start, end = tail.start(), tail.end()
            while start > max(tail.start() - 3, 0) and content[start - 1] in _DIGITS:
                start -= 1
            if (start == tail.start() or (start and _IPV4_BEFORE.match(content, start - 1))
                    or _IPV4_AFTER.match(content, end)
                    or not self._is_personal_ip(content[start:end], content, start, end)):
                continue
            yield Span(start, end, IP_ADDRESS)
        tried, covered = -1, -1
        for hint in _IPV6_HINT.finditer(content):
            start = hint.start()
            if start < covered:
                continue
            while start and content[start - 1] in _HEX_OR_COLON and hint.start() - start < MAX_IPV6_CHARS:
                start -= 1
            if start == tried:
                continue
            tried, match = start, _IPV6.match(content, start)
            if match is None:
                continue
            covered = match.end()
            if self._is_personal_ip(match.group(), content, match.start(), match.end()):
                yield Span(match.start(), match.end(), IP_ADDRESS)

    def _is_personal_ip(self, text: str, content: str, start: int, end: int) -> bool:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            return False
        if (not address.is_global or address.is_multicast or address.is_reserved
                or str(address) in self.config.allowed_ips or text in self.config.allowed_ips
                or not any(map(str.isdigit, text))):
            return False
        if address.version == 4:
            if (_VERSION_CONTEXT.search(_line_at(content, start)[1])
                    or _PRODUCT_VERSION.search(content, max(0, start - 3), start)):
                return False
            small = all(int(octet) < SMALL_OCTET for octet in text.split("."))
            if small and not _NETWORK_CONTEXT.search(content[max(0, start - 100): end + 100]):
                return False
        return True

    def _keys(self, content: str, lowered: str) -> Iterator[Span]:
        for match in _PRIVATE_KEY.finditer(content):
            yield Span(match.start(), match.end(), KEY)
        for detector in self._detectors:
            prefilter = PREFILTERS.get(type(detector))
            if prefilter and not any(pattern.search(lowered if prefilter.lowered else content)
                                     for pattern in prefilter.patterns):
                continue
            starts = [m.start() for regex in detector.denylist for m in regex.finditer(content)]
            for line_start, line in _lines_at(content, starts):
                for value in _whole_values(detector, line):
                    value = value.lstrip(" \t\"'=:").rstrip(" \t\"'")  # Artifactory's delimiters
                    for index in _occurrences(line, value):
                        end = index + len(value)
                        if value.endswith("."):
                            end = _TOKEN_TAIL.match(line, end).end()
                        yield Span(line_start + index, line_start + end, KEY)
        if self.config.entropy_strings:
            yield from self._entropy_strings(content)

    def _entropy_strings(self, content: str) -> Iterator[Span]:
        data = None
        for plugin, quoted, (mask, needle) in self._entropy_plugins:
            if data is None:
                data = content.encode("utf-8", "surrogatepass")
            if needle not in data.translate(mask):
                continue
            hex_only = isinstance(plugin, HexHighEntropyString)
            for match in quoted.finditer(content):
                value = match.group(2)
                if hex_only != bool(_HEX.fullmatch(value)):
                    continue
                line = _line_at(content, match.start())[1]
                context = content[max(0, match.start() - HASH_CONTEXT_CHARS): match.start()] + line
                if self._is_high_entropy_secret(plugin, value, line, context):
                    yield Span(match.start(2), match.end(2), KEY)

    def _is_high_entropy_secret(
        self, plugin: HighEntropyStringsPlugin, value: str, line: str, context: str,
    ) -> bool:
        if plugin.calculate_shannon_entropy(value) <= plugin.entropy_limit:
            return False
        if not (any(map(str.isdigit, value)) and any(map(str.isalpha, value))):
            return False
        if (heuristic.is_sequential_string(value) or heuristic.is_potential_uuid(value)
                or heuristic.is_likely_id_string(value, line) or _HASH_CONTEXT.search(context)
                or _is_alphabet(value) or value.startswith("xn--")):
            return False
        if isinstance(plugin, HexHighEntropyString):
            return True
        return not _encodes_data(value) and _gibberish(self.config.gibberish_limit).is_gibberish(value.lower())

    def _passwords(self, content: str, lowered: str, language: str, path: str) -> Iterator[Span]:
        file_type = determine_file_type(path)
        if file_type is FileType.OTHER and _is_dotenv(path):
            file_type = FileType.CONFIG  # KEY=value lines, quotes optional
        elif file_type is FileType.OTHER:
            file_type = LANGUAGE_FILE_TYPES.get(language, FileType.OTHER)
        regexes = keyword_plugin.REGEX_BY_FILETYPE.get(
            file_type, keyword_plugin.QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP)
        if len(lowered) == len(content):
            hints = [position for literal in KEYWORD_LITERALS for position in _occurrences(lowered, literal)]
        else:  # lower-casing changed offsets (e.g. "İ"): match case-insensitively instead
            hints = [match.start() for match in re.finditer(_KEYWORD.pattern, content, re.IGNORECASE)]
        for line_start, line in _lines_at(content, hints):
            if not _KEYWORD.search(line.lower()):
                continue
            for regex, group in regexes.items():
                match = regex.search(line)
                if match is None:
                    continue
                start, end = match.span(group)
                name = (_identifier_before(line, match.start())
                        + line[match.start(): start] + line[end: match.end()])
                if self._is_password_value(line[start:end], line, name):
                    kind = PASSWORD if _PASSWORD_KEYWORD.search(name) else KEY
                    yield Span(line_start + start, line_start + end, kind)
        yield from self._basic_auth(content)

    def _basic_auth(self, content: str) -> Iterator[Span]:
        for regex in BasicAuthDetector.denylist:
            for match in regex.finditer(content):
                host = _URL_HOST.match(content, match.end()).group().lower()
                if _allowed_domain(host, self.config.allowed_email_domains):
                    continue
                if self._is_password_value(match.group(1), _line_at(content, match.start())[1], ""):
                    yield Span(match.start(1), match.end(1), PASSWORD)

    def _is_password_value(self, value: str, line: str, name: str) -> bool:
        lowered = value.lower()
        return not (
            len(value) < self.config.min_password_length
            or any(character.isspace() for character in value)
            or lowered in PLACEHOLDER_PASSWORDS
            or len(set(lowered)) == 1
            or is_placeholder_value(value, name)
            or "example" in lowered          # AWS's documented "wJalr...EXAMPLEKEY"
            or lowered.startswith("arn:")    # an AWS resource name refers to a secret
            or _REFERENCE.match(value)       # "env:DB_PASSWORD", "type:GcpSecret;version_name:x"
            or any(word.lower() in NOT_A_SECRET_WORDS for word in _NAME_WORDS.findall(name))
            or _TEMPLATE.search(value)
            or _IDENTIFIER_CHAIN.fullmatch(value)
            or _ENV_NAME.fullmatch(value)
            or value.startswith(("/", "./", "../", "~/"))
            or "://" in value
            or heuristic.is_templated_secret(value)
            or heuristic.is_prefixed_with_dollar_sign(value)
            or heuristic.is_indirect_reference(line)
            or heuristic.is_not_alphanumeric_string(value)
        )


def is_placeholder_value(value: str, name: str = "") -> bool:
    """``value`` is made only of words that name the secret rather than being one: the
    key's own words (``name``, the assignment's left side), :data:`SECRET_WORDS` and
    :data:`PLACEHOLDER_WORDS`, split at case changes and separators, and each
    lower-case run split into such words if it can be (``mysecretpassword``). A digit
    or any other word makes it a secret: ``password123``, ``hunter2-Very-Secret-991`` --
    unless a secret word (or one of the key's) stands with a marker word (``your``,
    ``example``, ``test``, ``fake``...: ``test-key-123``, ``your-replicate-api-key``), or the
    value is lower-case words joined by ``-``/``_`` (``fal-ai-api-key``) or a class name
    (``GcpSecretManager``) that holds one: names of keys, not keys. Measured on real code
    in ``benchmarks/bench_passwords.py``."""
    name_words = {word.lower() for word in _NAME_WORDS.findall(name)}
    allowed = SECRET_WORDS | PLACEHOLDER_WORDS | name_words
    words = [word.lower() for word in _VALUE_WORD.findall(value)]
    if not words:
        return False
    if all(_splits_into(word, allowed) for word in words):
        return True
    naming = [word for word in words if _splits_into(word, SECRET_WORDS | name_words)]
    if naming and (any(word in MARKER_WORDS for word in words)        # "test-key-123"
                   or _KEBAB_WORDS.fullmatch(value)                    # "fal-ai-api-key"
                   or _CLASS_NAME.fullmatch(value)):                   # "GcpSecret"
        return True
    return False


def _splits_into(word: str, allowed: frozenset[str] | set[str]) -> bool:
    """``word`` is a concatenation of ``allowed`` words (word-break by dynamic programming)."""
    if word in allowed:
        return True
    if not word.isalpha():
        return False
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reachable[end] = any(reachable[start] and word[start:end] in allowed
                             for start in range(max(0, end - 16), end))
    return reachable[-1]


def _is_dotenv(path: str) -> bool:
    """``.env``, ``.env.local``, ``prod.env``: dotenv files of ``KEY=value`` lines."""
    name = posixpath.basename(path).lower()
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def _is_alphabet(value: str) -> bool:
    """A character-set listing (``abc...XYZ0-9``, a shuffled URL alphabet): no character
    repeats, or at least half of the neighbours are consecutive code points. A random key
    of 23+ base64 characters repeats one with probability above 98 %."""
    ascending = sum(ord(b) - ord(a) == 1 for a, b in zip(value, value[1:]))
    return len(set(value)) == len(value) or 2 * ascending >= len(value)


def _encodes_data(value: str) -> bool:
    """``value`` is base64 of text (a test vector such as ``TWFueSBoYW5kcw==``, or a slice of
    a wrapped one, hence the four alignments) or of a known file format (gzip, PNG, ...),
    not of random key bytes."""
    standard = value.replace("-", "+").replace("_", "/").rstrip("=")
    for shift in range(4):
        chunk = standard[shift:]
        try:
            raw = base64.b64decode(chunk[: len(chunk) // 4 * 4], validate=True)
        except (binascii.Error, ValueError):
            return False
        printable = sum(32 <= byte < 127 or byte in (9, 10, 13) for byte in raw)
        if (shift == 0 and raw.startswith(DATA_MAGIC)) or printable >= PRINTABLE_FRACTION * len(raw):
            return True
    return False


def _quoted_run(plugin: HighEntropyStringsPlugin) -> re.Pattern:
    """A quoted run of the plugin's charset, as detect-secrets scans for, at least as long as
    the entropy limit allows (a string of n characters has at most log2(n) bits each)."""
    shortest = math.ceil(2 ** plugin.entropy_limit)
    return re.compile(r"(['\"])([%s]{%d,})\1" % (re.escape(plugin.charset), shortest))


def _whole_values(detector: RegexBasedDetector, line: str) -> Iterator[str]:
    """The secrets ``detector`` reports in ``line``. detect-secrets reports a pattern's first
    group when it has one: the secret itself for AWS or npm, but only the prefix for GitHub
    (``ghp``) and GitLab (``glpat``) tokens, whose whole match is the token; a value shorter
    than :data:`MIN_GROUP_CHARS` is replaced by the whole match it came from."""
    for value in detector.analyze_string(line):
        if len(value) >= MIN_GROUP_CHARS:
            yield value
            continue
        whole = [m.group(0) for regex in detector.denylist for m in regex.finditer(line) if value in m.groups()]
        yield from whole or [value]


def _quoted_run_prefilter(plugin: HighEntropyStringsPlugin) -> tuple[bytes, bytes]:
    """A ``bytes.translate`` table and a needle: the needle is in the translated UTF-8 text
    whenever :func:`_quoted_run` can match (a quote, then the shortest run of the ASCII
    charset; other bytes break the run), a test at C speed that spares the regex."""
    shortest = math.ceil(2 ** plugin.entropy_limit)
    charset = plugin.charset.encode("ascii")
    table = bytes(ord("q") if b in b"'\"" else ord("a") if b in charset else ord(" ") for b in range(256))
    return table, b"q" + b"a" * shortest


@lru_cache(maxsize=None)
def _gibberish(limit: float):
    """detect-secrets' gibberish detector: a character-bigram model trained on RFC text."""
    model = importlib.resources.files("detect_secrets.filters.gibberish").joinpath("rfc.model")
    return create_from_model(str(model), limit)


@lru_cache(maxsize=None)
def default_redactor() -> Redactor:
    return Redactor()


def redact(content: str, language: str = "", path: str = "") -> tuple[str, Counter]:
    """Redact with the default :class:`PiiConfig`; see :meth:`Redactor.redact`."""
    return default_redactor().redact(content, language, path)


def _allowed_domain(domain: str, allowed: frozenset[str]) -> bool:
    parts = domain.split(".")
    return any(".".join(parts[i:]) in allowed for i in range(len(parts)))


def _line_at(content: str, position: int) -> tuple[int, str]:
    """``(offset, text)`` of the line holding ``position`` (without its terminator)."""
    start = content.rfind("\n", 0, position) + 1
    end = content.find("\n", position)
    return start, content[start: end if end >= 0 else len(content)]


def _lines_at(content: str, positions: Iterable[int]) -> list[tuple[int, str]]:
    """The distinct lines holding ``positions``, in order."""
    lines: dict[int, str] = {}
    for position in sorted(positions):
        start, text = _line_at(content, position)
        lines.setdefault(start, text)
    return list(lines.items())


def _occurrences(text: str, value: str) -> Iterator[int]:
    index = text.find(value) if value else -1
    while index >= 0:
        yield index
        index = text.find(value, index + len(value))


def _identifier_before(line: str, position: int) -> str:
    start = position
    while start > 0 and _IDENTIFIER_CHAR.match(line[start - 1]):
        start -= 1
    return line[start:position]


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Keys and passwords first, then emails and IPs (``user:pass@host`` is a password, not an
    email); within a kind, earlier then longer spans win."""
    kept: list[Span] = []
    for span in sorted(set(spans), key=lambda s: (KIND_PRIORITY[s.kind], s.start, -s.end)):
        index = bisect.bisect(kept, span)
        if (index == 0 or kept[index - 1].end <= span.start) and (
                index == len(kept) or span.end <= kept[index].start):
            kept.insert(index, span)
    return kept
