"""PII and secret redaction [bigcode pii]: true positives replaced, common look-alikes kept."""
from __future__ import annotations

from collections import Counter

import pytest

from filters.pii import PiiConfig, Redactor, is_placeholder_value, redact

RANDOM_BASE64 = "PtYgjmUhBel31iEl2hpChYgCfrL1spNxnyVmihA/"
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4g"
       "RG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")


def redacted(content: str, path: str = "app/settings.py", language: str = "Python") -> str:
    return redact(content, language, path)[0]


def unchanged(content: str, path: str = "app/settings.py") -> bool:
    return redacted(content, path) == content


@pytest.mark.parametrize("content, expected", [
    ('AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n', 'AWS_ACCESS_KEY_ID = "<KEY>"\n'),
    ('GH = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"\n', 'GH = "<KEY>"\n'),
    ('SLACK = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"\n', 'SLACK = "<KEY>"\n'),
    (f'auth = "Bearer {JWT}"\n', 'auth = "Bearer <KEY>"\n'),
    (f'client_token = "{RANDOM_BASE64}"\n', 'client_token = "<KEY>"\n'),
    (f'tokens = ["{RANDOM_BASE64}"]\n', 'tokens = ["<KEY>"]\n'),
])
def test_key_formats_are_replaced(content, expected):
    assert redacted(content) == expected


@pytest.mark.parametrize("secret", [
    "AKCp5budTFpbypBqQbGJPz3pGCi28pPivfWczqjfYb9drAmd9LbRZbj6UpKFxJXA8ksWGc9fM",
    "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawx",
    "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs",
    "0f3a9c2e7b1d4f6a0e5c3b9d2a7f1e8c-us12",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "https://hooks.slack.com/services/T0A1B2C3D/B4E5F6G7H/abcdEFGHijklMNOPqrstUVWX",
    "glpat-a1b2c3d4e5f6g7h8i9j0",
    "ghs_" + "a1B2c3D4e5" * 3 + "f6G7h8",
    "sk-" + "Ab1" * 7 + "T3BlbkFJ" + "Cd2" * 6 + "Cd",
    "pypi-AgEIcHlwaS5vcmc" + "x1Y2z3" * 12,
    "SG." + "a1B2c3D4e5F6g7H8i9J0k1" + "." + "a1B2c3D4e5" * 4 + "F6G",
    "sq0csp-" + "a1B2c3D4e5" * 4 + "F6G",
])
def test_detectors_behind_prefilters_still_fire(secret):
    assert redacted(f'conf = "{secret}"\n', "notes.txt") == 'conf = "<KEY>"\n'


def test_azure_storage_key_keeps_its_padding_inside_the_redaction():
    content = 'conn = "AccountName=x;AccountKey=' + "a1" * 43 + '==;"\n'
    assert redacted(content, "notes.txt") == 'conn = "AccountName=x;<KEY>;"\n'


def test_private_key_block_is_replaced_whole():
    content = ('KEY = """-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi\n'
               'Proc-Type: 4,ENCRYPTED\n-----END RSA PRIVATE KEY-----"""\nx = 1\n')
    assert redacted(content) == 'KEY = """<KEY>"""\nx = 1\n'


def test_private_key_split_over_string_literals_is_replaced_whole():
    content = ('key = ("-----BEGIN OPENSSH PRIVATE KEY-----\\n"\n'
               '       "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU\\n"\n'
               '       "-----END OPENSSH PRIVATE KEY-----")\n')
    assert redacted(content) == 'key = ("<KEY>")\n'


def test_email_is_replaced():
    assert redacted("# Maintainer: Jane Roe <jane.roe@gmail.com>\n") == "# Maintainer: Jane Roe <<EMAIL>>\n"


@pytest.mark.parametrize("address", ["34.120.55.7", "2001:4860:1234::42", "2a00:1450:4001:c01::67"])
def test_public_ip_address_is_replaced(address):
    assert redacted(f'UPSTREAM = "{address}"\n') == 'UPSTREAM = "<IP_ADDRESS>"\n'


@pytest.mark.parametrize("content, expected", [
    ('password = "s3cr3tP4ss"\n', 'password = "<PASSWORD>"\n'),
    ('db_pass: hunter22\n', 'db_pass: <PASSWORD>\n'),
    ('api_key = "qw7Rt2Yu9Io"\n', 'api_key = "<KEY>"\n'),
])
def test_secret_assignment_is_replaced(content, expected):
    path = "config/app.yaml" if ":" in content.split("=")[0] else "app/settings.py"
    assert redacted(content, path) == expected


def test_language_picks_keyword_patterns_for_an_unknown_extension():
    content = 'db_password: hunter22\n'
    assert redact(content, "yaml", "deploy/values.tmpl")[0] == 'db_password: <PASSWORD>\n'
    assert redact(content, "", "deploy/values.tmpl")[0] == content


def test_basic_auth_url_password_is_a_password_not_an_email():
    assert redacted('DB = "postgres://admin:Sup3rS3cret@db.internal.net/app"\n') == (
        'DB = "postgres://admin:<PASSWORD>@db.internal.net/app"\n')


def test_counts_are_by_kind():
    content = 'a = "jane@gmail.com"\nb = "bob@gmail.com"\nc = "AKIAIOSFODNN7EXAMPLE"\n'
    assert redact(content, "Python", "a.py")[1] == Counter({"email": 2, "key": 1})


@pytest.mark.parametrize("content", [
    'version = "1.2.3.4"\n',
    "# 7.18.1.1 Exact-width integer types\n",
    'HOSTS = ["10.0.0.1", "192.168.1.20", "172.16.5.4", "127.0.0.1", "169.254.1.1"]\n',
    'app.run(host="0.0.0.0")\n',
    'RESOLVER = "8.8.8.8"\n',
    'DOCS = ["192.0.2.10", "2001:db8::1", "::1", "fe80::1"]\n',
    'std::vector<int> v; Foo::bar();\n',
])
def test_versions_and_non_public_addresses_are_kept(content):
    assert unchanged(content)


@pytest.mark.parametrize("content", [
    'assert hashlib.sha256(b"abc").hexdigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"\n',
    'COMMIT = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad"\n',
    'ID = "123e4567-e89b-12d3-a456-426614174000"\n',
    'ALPHABET = "abcdefghijkmpqrstuvwxyzABCDEFGHIJKLMNPQRST23456789"\n',
    'assert b64encode(b"Many hands make light work") == "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcms="\n',
    'user_id = "Z3k8Qm2Lp9Xw4Rt7Vb1Nc6Hj5Gf0Sd3A"\n',
    'checksum = "mZ9u2Kq4Lr7Ts1Vw8Xy3Zb6Nc0Pd5Fg2Hj"\n',
])
def test_hashes_ids_and_test_vectors_are_kept(content):
    assert unchanged(content)


@pytest.mark.parametrize("content", [
    'password = os.environ["DB_PASSWORD"]\n',
    'password = "${DB_PASSWORD}"\n',
    'password = "DB_PASSWORD"\n',
    'PASSWORD_FIELD = "user_pwd"\n',
    'password_label = "Passwort"\n',
    'password = "Please enter your password"\n',
    'password = "changeme"\n',
    'password = "********"\n',
    'password = "%s"\n',
    'secret_file = "/etc/app/secret.txt"\n',
    'password = "abc"\n',
])
def test_password_look_alikes_are_kept(content):
    assert unchanged(content)


@pytest.mark.parametrize("content", [
    "Contact: ops@example.com, dev@mail.example.org, x@host.test\n",
    "ssh root@localhost\n",
    "<img src='logo@2x.png'>\n",
    'fmt = "%s@%s.com" % (user, domain)\n',
    'User(email="user@example.com@test.com")  # invalid: two @\n',
])
def test_example_addresses_and_file_names_are_kept(content):
    assert unchanged(content)


def test_basic_auth_to_an_example_host_is_kept():
    assert unchanged('URL = "https://user:quoted1@example.com/"\n')


def test_lock_files_are_not_scanned_for_keys():
    content = f'{{"resolved": "https://registry.npmjs.org/x", "token": "{RANDOM_BASE64}"}}\n'
    assert unchanged(content, path="web/package-lock.json")
    assert not unchanged(content, path="web/data.json")


def test_hex_strings_are_keys_only_when_hex_entropy_is_on():
    content = 'client_token = "8f3a9c2e7b1d4f6a0e5c3b9d2a7f1e8c4b6d0a3f"\n'
    assert Redactor().redact(content, "Python", "a.py")[0] == content
    assert Redactor(PiiConfig(hex_entropy=True)).redact(content, "Python", "a.py")[0] == 'client_token = "<KEY>"\n'


def test_switched_off_kinds_are_kept():
    content = 'a = "jane@gmail.com"  # 34.120.55.7\n'
    redactor = Redactor(PiiConfig(emails=False, ip_addresses=False))
    assert redactor.redact(content, "Python", "a.py") == (content, Counter())


def test_spans_are_sorted_and_disjoint():
    content = 'x = "jane@gmail.com", "34.120.55.7", "AKIAIOSFODNN7EXAMPLE"\n'
    spans = Redactor().spans(content, "Python", "a.py")
    assert [span.kind for span in spans] == ["email", "ip_address", "key"]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


# Passwords that contain a word (issue 13 item 3).

@pytest.mark.parametrize("content, path, language, expected", [
    ('DB_PASSWORD = "hunter2-Very-Secret-991"\n', "app/settings.py", "python",
     'DB_PASSWORD = "<PASSWORD>"\n'),
    ('{\n  "password": "S3cr3t!Passw0rd-2024"\n}\n', "config/app.json", "json",
     '{\n  "password": "<PASSWORD>"\n}\n'),
    ("database:\n  password: Tr0ub4dor-Token-88\n", "deploy/values.yaml", "yaml",
     "database:\n  password: <PASSWORD>\n"),
    ('class C {\n    String secret = "BlueSecret_Horse99";\n}\n', "C.java", "java",
     'class C {\n    String secret = "<KEY>";\n}\n'),
])
def test_password_containing_a_secret_word_is_replaced(content, path, language, expected):
    assert redact(content, language, path)[0] == expected


def test_password_in_a_dotenv_file_is_replaced_without_quotes():
    assert redact("DB_PASSWORD=hunter2-Very-Secret-991\n", "", ".env")[0] == "DB_PASSWORD=<PASSWORD>\n"


def test_password_that_is_a_word_and_digits_is_replaced():
    assert redacted('password = "password123"\n') == 'password = "<PASSWORD>"\n'


@pytest.mark.parametrize("content", [
    'DB_PASSWORD = "db_password"\n',
    'password = "your_password_here"\n',
    'secret_key = "mysecretkey"\n',
    'password = "<your-password>"\n',
    'password = "%(password)s"\n',
    'api_key = "YOUR_API_KEY"\n',
])
def test_value_made_of_the_keys_own_and_placeholder_words_is_kept(content):
    assert unchanged(content)


def test_dotenv_reference_is_kept():
    assert redact("DB_PASSWORD=${DB_PASSWORD}\n", "", ".env")[0] == "DB_PASSWORD=${DB_PASSWORD}\n"


@pytest.mark.parametrize("value, name, expected", [
    ("password", "password", True),
    ("dbPassword", "DB_PASSWORD", True),
    ("enter-your-secret", "secret", True),
    ("keyfile_password", "key_password", True),
    ("hunter2-Very-Secret-991", "password", False),
    ("Summer2024Pass", "password", False),
    ("keyboard", "key", False),
])
def test_is_placeholder_value(value, name, expected):
    assert is_placeholder_value(value, name) is expected


@pytest.mark.parametrize("content", [
    'api_key = "test-key-123"\n',
    'api_key = "fal-ai-api-key"\n',
    'secret_manager = "GoogleCloudSecretManager"\n',
    'SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n',
    'secret_arn = "arn:aws:secretsmanager:us-west-2:123456789012:secret:db-AbCdEf"\n',
])
def test_names_of_keys_and_documented_examples_are_kept(content):
    assert unchanged(content)
