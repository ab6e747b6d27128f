"""Names and values: names of key variables, public (client-bundled) prefixes, references, placeholder values
and test paths."""

from __future__ import annotations

import re

from oai_lint.lazyre import lazy_compile

KEY_VAR = lazy_compile(r"^(?:[A-Z0-9]+_)*OPENAI(?:_[A-Z0-9]+)*_(?:API_)?KEY$")
PUBLIC_PREFIXES = (
    "NEXT_PUBLIC_", "VITE_", "REACT_APP_", "EXPO_PUBLIC_", "NUXT_PUBLIC_", "NUXT_ENV_", "GATSBY_",
    "VUE_APP_", "PUBLIC_", "STORYBOOK_", "SNOWPACK_PUBLIC_", "PARCEL_PUBLIC_",
)
_REFERENCE = lazy_compile(
    r"""^\s*(?:
        \$\{\{.*\}\}            # ${{ secrets.X }}
      | \{\{.*\}\}              # {{ .Values.x }} / Jinja
      | \$\{?[A-Za-z_][A-Za-z0-9_]*(?::?[-?=+][^}]*)?\}?   # $VAR ${VAR} ${VAR:-x}
      | \$\(.*\)               # $(op read op://vault/openai/key): a command prints it at run time
      | `[^`]+`                 # `cat /run/secrets/openai`
      | %[A-Za-z_][A-Za-z0-9_]*%  # %VAR%
      | <[^<>]+>                # <YOUR_KEY>
      | \*+                     # masked
    )\s*$""",
    re.X,
)
_PLACEHOLDER = lazy_compile(
    r"(your|example|sample|placeholder|changeme|change[-_]me|replace|dummy|fake|redacted|xxx|\.\.\.|…|todo|"
    r"insert|here|secret$|^sk-?$|^none$|^null$|^false$|^true$|^test$|^key$)",
    re.I,
)


def is_key_var(name: str) -> bool:
    return bool(KEY_VAR.match(name))


def public_prefix(name: str) -> str | None:
    for prefix in PUBLIC_PREFIXES:
        if name.startswith(prefix):
            return prefix
    return None


def is_reference(value: str) -> bool:
    return bool(_REFERENCE.match(value))


def is_placeholder_value(value: str) -> bool:
    v = value.strip().strip("\"'")
    return not v or is_reference(v) or bool(_PLACEHOLDER.search(v))


_TEST_DIRS = {"tests", "test", "__tests__", "spec", "specs", "__mocks__", "testing", "fixtures", "__fixtures__",
              "integration_tests", "e2e", "cassettes"}
# directories of other test layouts: `unit-tests`, `IntegrationTests`, `Foo.Tests`, `testsettings` (lower-cased)
_TEST_DIR_NAME = lazy_compile(r"(?:^|[._-])(?:unit[._-]?|integration[._-]?)?tests?$|^integrationtests$|^testsettings$")
_TEST_FILE = lazy_compile(r"^(test_.*\.py|.*_test\.py|conftest\.py|.*\.(test|spec)\.[cm]?[jt]sx?)$")


def is_test_file(path: str) -> bool:
    """Test code: it runs against mocks, fixtures and recorded responses and is never deployed (what applies
    there: oai_lint.testcode). Asked for every file of a scan: the directories are looked at once each."""
    directory, _, name = path.rpartition("/")
    if ("test" in name or "spec" in name) and _TEST_FILE.match(name):
        return True
    if not directory:
        return False
    known = _TEST_DIR_CACHE.get(directory)  # (asked for every file of a scan: most directories are known)
    return known if known is not None else _test_directory(directory)


_TEST_DIR_CACHE: dict[str, bool] = {}  # directory -> whether it is (inside) a test directory
_TEST_DIR_CACHE_SIZE = 1 << 16  # (emptied when full: files of one directory come together in a scan)


def _test_directory(directory: str) -> bool:
    """Whether any of the directory's names is a test directory's; the answer is kept for the directory only
    (keeping every ancestor's too would hold a deep path's prefixes: memory growing with the square of its
    depth, and git history has paths of any length)."""
    if len(_TEST_DIR_CACHE) >= _TEST_DIR_CACHE_SIZE:
        _TEST_DIR_CACHE.clear()
    result = _TEST_DIR_CACHE[directory] = any(
        d in _TEST_DIRS or bool(_TEST_DIR_NAME.search(d.lower())) for d in directory.split("/"))
    return result
