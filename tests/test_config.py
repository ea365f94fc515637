"""Configuration: discovery, presets, layering, globs, front matter, and the
exact message of every configuration mistake."""

from __future__ import annotations

import pickle
import textwrap
from pathlib import Path

import pytest

from linklint.config import (
    Config,
    ConfigError,
    RuleSpec,
    apply_front_matter,
    find_config_file,
    glob_to_regex,
    load_config,
    preset_names,
)
from linklint.rules import specs as real_specs
from linklint.rules.base import Option, RuleSetting

SPECS = (
    RuleSpec(
        "LL001",
        "min-internal-links",
        "warning",
        {"min": Option(3, int, "Distinct internal pages a post must link to.", minimum=0)},
    ),
    RuleSpec("LL004", "broken-anchor", "error", {}),
    RuleSpec(
        "LL005",
        "anchor-text-variety",
        "warning",
        {"max_share": Option(0.75, (int, float), "Largest share of one text.", minimum=0)},
    ),
    RuleSpec(
        "LL006",
        "generic-anchor-text",
        "warning",
        {"extra": Option([], list, "More generic phrases.", item_type=str)},
    ),
)


def write(folder: Path, text: str, name: str = ".linklint.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(root: Path, text: str | None = None, **kwargs) -> Config:
    if text is not None:
        write(root, text)
    return load_config(root, SPECS, **kwargs)


def error(root: Path, text: str, name: str = ".linklint.yaml", **kwargs) -> str:
    write(root, text, name)
    with pytest.raises(ConfigError) as info:
        load_config(root, SPECS, **kwargs)
    return str(info.value)


def levels(settings: dict[str, RuleSetting]) -> dict[str, str]:
    return {code: s.level for code, s in settings.items()}


# -- globs ------------------------------------------------------------------------

GLOBS = [
    ("**", "a.md", True),
    ("**", "a/b/c.md", True),
    ("**/*.md", "a.md", True),
    ("**/*.md", "x/y/a.md", True),
    ("**/*.md", "a.markdown", False),
    ("**/*.md", "a.md/x", False),
    ("*.md", "a.md", True),
    ("*.md", "x/a.md", False),  # `*` never crosses `/` (fnmatch's does)
    ("docs/**", "docs/a.md", True),
    ("docs/**", "docs/x/y.md", True),
    ("docs/**", "docsx/a.md", False),
    ("docs/**", "blog/docs/a.md", False),
    ("docs/", "docs/x/y.md", True),  # a trailing slash means the whole folder
    ("a/**/b.md", "a/b.md", True),
    ("a/**/b.md", "a/x/b.md", True),
    ("a/**/b.md", "a/x/y/b.md", True),
    ("a/**/b.md", "ab.md", False),
    ("**.md", "a.md", True),  # `**` inside a segment is a plain `*`
    ("**.md", "x/a.md", False),
    ("?.md", "a.md", True),
    ("?.md", "ab.md", False),
    ("a?b.md", "a/b.md", False),
    ("[ab].md", "b.md", True),
    ("[ab].md", "c.md", False),
    ("[!ab].md", "c.md", True),
    ("[^ab].md", "a.md", False),
    ("a[!x]b", "a/b", False),  # a negated class never matches `/`
    ("a[+-0]b", "a/b", False),  # nor does a range that spans it
    ("post-[0-9][0-9].md", "post-07.md", True),
    ("[]].md", "].md", True),
    ("[.md", "[.md", True),  # an unclosed bracket is literal
    ("a+(b).md", "a+(b).md", True),  # regex characters are literal
    ("a+(b).md", "aa(b).md", False),
    ("\\*.md", "*.md", True),
    ("\\*.md", "a.md", False),
    ("/pricing.md", "pricing.md", True),  # leading `/` and `./` are dropped
    ("./pricing.md", "pricing.md", True),
    ("docs//a.md", "docs/a.md", True),
    ("Docs/**", "docs/a.md", False),  # case matters
]


@pytest.mark.parametrize(("pattern", "path", "expected"), GLOBS)
def test_glob_semantics(pattern: str, path: str, expected: bool) -> None:
    assert (glob_to_regex(pattern).fullmatch(path) is not None) is expected


def test_glob_is_compiled_once() -> None:
    assert glob_to_regex("docs/**/*.md") is glob_to_regex("docs/**/*.md")


def test_glob_with_a_bad_range_is_a_value_error() -> None:
    with pytest.raises(ValueError) as info:
        glob_to_regex("[z-a].md")
    assert str(info.value) == 'invalid glob "[z-a].md": bad character range z-a'


# -- defaults and discovery ------------------------------------------------------------


def test_no_file_means_the_recommended_preset(tmp_path: Path) -> None:
    config = load(tmp_path)
    assert config.path is None
    assert (config.site, config.content, config.base_url) == ("auto", ".", None)
    assert config.include == ("**/*.md", "**/*.markdown", "**/*.mdx")
    assert (config.exclude, config.posts, config.landing_pages) == ((), ("**",), ())
    assert (config.max_file_size, config.language) == (5_000_000, "en")
    assert config.rule_settings("a.md") == {
        "LL001": RuleSetting("warning", {"min": 3}),
        "LL004": RuleSetting("error", {}),
        "LL005": RuleSetting("warning", {"max_share": 0.75}),
        "LL006": RuleSetting("warning", {"extra": []}),
    }


def test_option_defaults_are_copied_not_shared(tmp_path: Path) -> None:
    settings = load(tmp_path).rule_settings("a.md")
    assert settings["LL006"].options["extra"] is not SPECS[3].options["extra"].default


def test_empty_file_sets_nothing(tmp_path: Path) -> None:
    config = load(tmp_path, "# nothing here yet\n")
    assert config.path == tmp_path / ".linklint.yaml"
    assert config.rule_settings("a.md")["LL001"] == RuleSetting("warning", {"min": 3})


def test_every_key(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    config = load(
        tmp_path,
        """\
        site: hugo
        content: site
        base_url: https://example.com/blog/
        include: ["**/*.md"]
        exclude: ["drafts/**"]
        posts: ["posts/**"]
        landing_pages: [newsletter.md, "pricing/**"]
        max_file_size: 1000
        language: de
        rules:
          LL001: {level: error, min: 5}
          LL004: off
          LL005: {max_share: 1}
          LL006: {extra: [hier klicken]}
        """,
        profiles=("plain", "hugo"),
    )
    assert config.site == "hugo"
    assert config.content == "site"
    assert config.base_url == "https://example.com/blog/"
    assert config.include == ("**/*.md",)
    assert config.exclude == ("drafts/**",)
    assert config.posts == ("posts/**",)
    assert config.landing_pages == ("newsletter.md", "pricing/**")
    assert config.max_file_size == 1000
    assert config.language == "de"
    assert config.rule_settings("posts/a.md") == {
        "LL001": RuleSetting("error", {"min": 5}),
        "LL004": RuleSetting("off", {}),
        "LL005": RuleSetting("warning", {"max_share": 1}),
        "LL006": RuleSetting("warning", {"extra": ["hier klicken"]}),
    }


def test_values_are_plain_python_types(tmp_path: Path) -> None:
    config = load(tmp_path, "rules:\n  LL005: {max_share: 0.5}\n  LL006: {extra: [a]}\n")
    options = config.rule_settings("a.md")
    assert type(options["LL005"].options["max_share"]) is float
    assert type(options["LL006"].options["extra"]) is list
    assert type(options["LL006"].options["extra"][0]) is str


def test_path_predicates(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """\
        exclude: ["drafts/**"]
        posts: ["posts/**"]
        landing_pages: [newsletter.md, "pricing/"]
        """,
    )
    assert config.is_included("posts/a.md") and config.is_included("b.mdx")
    assert not config.is_included("image.png")
    assert config.is_excluded("drafts/x.md") and not config.is_excluded("posts/x.md")
    assert config.is_post("posts/2024/a.md") and not config.is_post("about.md")
    assert config.is_landing_page("newsletter.md") and config.is_landing_page("pricing/index.md")
    assert not config.is_landing_page("posts/newsletter.md")


def test_content_default_is_the_root(tmp_path: Path) -> None:
    assert load(tmp_path, "language: en\n").content == "."


def test_content_is_relative_to_the_config_files_folder(tmp_path: Path) -> None:
    (tmp_path / "site" / "content").mkdir(parents=True)
    path = write(tmp_path, "content: ../site/content\n", "config/linklint.yaml")
    assert load_config(tmp_path, SPECS, config_file=path).content == "site/content"


def test_content_may_name_the_root_itself(tmp_path: Path) -> None:
    path = write(tmp_path, "content: ..\n", "config/linklint.yaml")
    assert load_config(tmp_path, SPECS, config_file=path).content == "."


def test_base_url_may_be_null(tmp_path: Path) -> None:
    assert load(tmp_path, "base_url: null\n").base_url is None


@pytest.mark.parametrize("name", [".linklint.yaml", ".linklint.yml"])
def test_discovers_yaml_file(tmp_path: Path, name: str) -> None:
    write(tmp_path, "language: fr\n", name)
    config = load(tmp_path)
    assert (config.path, config.language) == (tmp_path / name, "fr")


def test_yaml_wins_over_yml_and_pyproject(tmp_path: Path) -> None:
    write(tmp_path, "language: fr\n", ".linklint.yaml")
    write(tmp_path, "language: de\n", ".linklint.yml")
    write(tmp_path, '[tool.linklint]\nlanguage = "it"\n', "pyproject.toml")
    assert load(tmp_path).language == "fr"
    (tmp_path / ".linklint.yaml").unlink()
    assert load(tmp_path).language == "de"
    (tmp_path / ".linklint.yml").unlink()
    assert load(tmp_path).language == "it"


def test_pyproject_without_table_is_not_a_config(tmp_path: Path) -> None:
    write(tmp_path, '[project]\nname = "site"\n', "pyproject.toml")
    assert find_config_file(tmp_path) is None
    assert load(tmp_path).path is None


def test_explicit_config_file_wins(tmp_path: Path) -> None:
    write(tmp_path, "language: fr\n")
    path = write(tmp_path, "language: nl\n", "ci/linklint.yml")
    config = load_config(tmp_path, SPECS, config_file=path)
    assert (config.path, config.language) == (path, "nl")


def test_explicit_pyproject(tmp_path: Path) -> None:
    path = write(tmp_path, '[tool.linklint]\nlanguage = "sv"\n', "other/pyproject.toml")
    assert load_config(tmp_path, SPECS, config_file=path).language == "sv"


# -- rules: names, all, layering --------------------------------------------------------


def test_rules_by_name_and_code_in_any_case(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """\
        rules:
          min-internal-links: {min: 1}
          ll004: warning
          Generic-Anchor-Text: off
        """,
    )
    settings = config.rule_settings("a.md")
    assert settings["LL001"] == RuleSetting("warning", {"min": 1})
    assert levels(settings) == {"LL001": "warning", "LL004": "warning", "LL005": "warning", "LL006": "off"}


def test_all_sets_every_level_before_the_named_rules(tmp_path: Path) -> None:
    config = load(tmp_path, "rules:\n  LL004: warning\n  all: off\n")
    assert levels(config.rule_settings("a.md")) == {
        "LL001": "off",
        "LL004": "warning",
        "LL005": "off",
        "LL006": "off",
    }


def test_level_change_keeps_options_of_lower_layers(tmp_path: Path) -> None:
    config = load(tmp_path, "extends: strict\nrules:\n  LL001: warning\n")
    assert config.rule_settings("a.md")["LL001"] == RuleSetting("warning", {"min": 5})


def test_precedence_preset_file_overrides_front_matter(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """\
        extends: strict
        rules:
          LL001: {min: 4}
        overrides:
          - paths: ["docs/**"]
            rules: {LL001: {min: 2}, LL004: warning}
          - paths: ["docs/api/**"]
            rules: {LL001: {min: 1}}
        """,
    )
    # strict: every rule an error, LL001 min 5; the file lowers min to 4.
    assert config.rule_settings("blog/a.md")["LL001"] == RuleSetting("error", {"min": 4})
    assert config.rule_settings("docs/a.md")["LL001"] == RuleSetting("error", {"min": 2})
    api = config.rule_settings("docs/api/a.md")
    assert api["LL001"] == RuleSetting("error", {"min": 1})
    assert api["LL004"] == RuleSetting("warning", {})
    page, problems = apply_front_matter(
        api, {"rules": {"LL001": {"min": 0}}}, SPECS, path="docs/api/a.md", line=2
    )
    assert (page["LL001"], problems) == (RuleSetting("error", {"min": 0}), [])


def test_later_override_wins(tmp_path: Path) -> None:
    config = load(
        tmp_path,
        """\
        overrides:
          - paths: ["docs/**"]
            rules: {LL004: off}
          - paths: ["**/*.md"]
            rules: {LL004: warning}
        """,
    )
    assert config.rule_settings("docs/a.md")["LL004"].level == "warning"


def test_rule_settings_are_cached_per_override_match(tmp_path: Path) -> None:
    config = load(tmp_path, "overrides:\n  - paths: ['docs/**']\n    rules: {LL001: {min: 1}}\n")
    first, second = config.rule_settings("docs/a.md"), config.rule_settings("docs/b/c.md")
    assert first == second and first is not second
    assert first["LL001"] is second["LL001"]
    first["LL001"] = RuleSetting("off", {})
    assert config.rule_settings("docs/a.md")["LL001"] == RuleSetting("warning", {"min": 1})
    assert config.rule_settings("blog/a.md")["LL001"] == RuleSetting("warning", {"min": 3})


# -- extends ------------------------------------------------------------------------


def test_extends_chain_of_files_and_presets(tmp_path: Path) -> None:
    (tmp_path / "shared" / "site").mkdir(parents=True)
    write(
        tmp_path,
        """\
        extends: strict
        content: site
        include: ["**/*.md"]
        exclude: ["a/**"]
        rules:
          LL004: warning
        overrides:
          - paths: ["docs/**"]
            rules: {LL001: off}
        """,
        "shared/base.yaml",
    )
    config = load(
        tmp_path,
        """\
        extends: shared/base.yaml
        exclude: ["b/**"]
        overrides:
          - paths: ["docs/**"]
            rules: {LL001: warning}
        """,
    )
    # content is relative to the file that sets it; lists replace, never append.
    assert config.content == "shared/site"
    assert (config.include, config.exclude) == (("**/*.md",), ("b/**",))
    assert levels(config.rule_settings("blog/a.md")) == {
        "LL001": "error",
        "LL004": "warning",
        "LL005": "error",
        "LL006": "error",
    }
    # Both files' overrides apply, the base file's first.
    assert config.rule_settings("docs/a.md")["LL001"] == RuleSetting("warning", {"min": 5})


def test_extends_path_is_relative_to_the_extending_file(tmp_path: Path) -> None:
    write(tmp_path, "extends: more.yaml\n", "shared/base.yaml")
    write(tmp_path, "language: pt-BR\n", "shared/more.yaml")
    assert load(tmp_path, "extends: shared/base.yaml\n").language == "pt-BR"


def test_extends_cycle(tmp_path: Path) -> None:
    write(tmp_path, "language: en\nextends: ../.linklint.yaml\n", "shared/base.yaml")
    assert error(tmp_path, "extends: shared/base.yaml\n") == (
        "shared/base.yaml:2: extends: circular extends: .linklint.yaml -> shared/base.yaml -> .linklint.yaml"
    )


def test_extends_itself(tmp_path: Path) -> None:
    assert error(tmp_path, "extends: .linklint.yaml\n") == (
        ".linklint.yaml:1: extends: circular extends: .linklint.yaml -> .linklint.yaml"
    )


def test_error_in_extended_file_names_that_file(tmp_path: Path) -> None:
    write(tmp_path, "rules:\n  LL001: {min: -2}\n", "shared/base.yaml")
    assert error(tmp_path, "extends: shared/base.yaml\n") == (
        "shared/base.yaml:2: rules.LL001.min: must be at least 0, got -2"
    )


def test_extends_a_file_without_suffix_or_slash(tmp_path: Path) -> None:
    write(tmp_path, "language: da\n", "base")
    assert load(tmp_path, "extends: base\n").language == "da"


# -- presets --------------------------------------------------------------------------


def test_presets_shipped() -> None:
    assert preset_names() == ("recommended", "relaxed", "strict")


@pytest.mark.parametrize("preset", ["recommended", "relaxed", "strict"])
def test_every_preset_loads_with_the_real_rules(tmp_path: Path, preset: str) -> None:
    write(tmp_path, f"extends: {preset}\n")
    config = load_config(tmp_path, real_specs())
    assert set(config.rules) == {spec.code for spec in real_specs()}


def test_recommended_is_the_rules_own_defaults(tmp_path: Path) -> None:
    rules = real_specs()
    config = load_config(tmp_path, rules)
    assert {code: s.level for code, s in config.rules.items()} == {s.code: s.level for s in rules}
    assert config.rules["LL001"].options["min"] == 3


def test_strict_preset(tmp_path: Path) -> None:
    write(tmp_path, "extends: strict\n")
    config = load_config(tmp_path, real_specs())
    assert {s.level for s in config.rules.values()} == {"error"}
    assert config.rules["LL001"].options["min"] == 5


def test_relaxed_preset(tmp_path: Path) -> None:
    write(tmp_path, "extends: relaxed\n")
    config = load_config(tmp_path, real_specs())
    assert config.rules["LL001"].options["min"] == 1
    assert {code for code, s in config.rules.items() if s.level == "off"} == {"LL005", "LL006", "LL007"}
    assert config.rules["LL003"].level == "error"


# -- errors in YAML files ----------------------------------------------------------------------

ALL_KEYS = (
    "base_url, content, exclude, extends, generator, include, landing_pages, language, max_file_size, overrides, posts, "
    "rules, site"
)

YAML_ERRORS = [
    ("includes: []\n", ".linklint.yaml:1: includes: unknown key; did you mean 'include'?"),
    ("language: en\ncolour: red\n", f".linklint.yaml:2: colour: unknown key; expected one of: {ALL_KEYS}"),
    ("1: x\n", f".linklint.yaml:1: 1: unknown key; expected one of: {ALL_KEYS}"),
    ("rules:\n  LL01: off\n", ".linklint.yaml:2: rules.LL01: unknown rule; did you mean 'LL001' (min-internal-links)?"),
    (
        "rules:\n  broken-anchors: off\n",
        ".linklint.yaml:2: rules.broken-anchors: unknown rule; did you mean 'broken-anchor' (LL004)?",
    ),
    (
        "rules:\n  spelling: off\n",
        ".linklint.yaml:2: rules.spelling: unknown rule; expected a rule code or name: LL001, LL004, LL005, LL006",
    ),
    (
        "rules:\n  LL001: {mn: 2}\n",
        ".linklint.yaml:2: rules.LL001.mn: unknown option for min-internal-links (LL001); did you mean 'min'?",
    ),
    (
        "rules:\n  LL001:\n    level: warning\n    maximum: 2\n",
        ".linklint.yaml:4: rules.LL001.maximum: unknown option for min-internal-links (LL001); "
        "expected one of: level, min",
    ),
    (
        "rules:\n  LL004: {depth: 2}\n",
        ".linklint.yaml:2: rules.LL004.depth: unknown option for broken-anchor (LL004); "
        "it has no options besides level",
    ),
    (
        "rules:\n  LL004: {levl: off}\n",
        ".linklint.yaml:2: rules.LL004.levl: unknown option for broken-anchor (LL004); did you mean 'level'?",
    ),
    ('rules:\n  LL001: {min: "3"}\n', '.linklint.yaml:2: rules.LL001.min: expected an integer, got a string ("3")'),
    ("rules:\n  LL001:\n    min: true\n", ".linklint.yaml:3: rules.LL001.min: expected an integer, got a boolean (true)"),
    ("rules:\n  LL001: {min: 2.5}\n", ".linklint.yaml:2: rules.LL001.min: expected an integer, got a number (2.5)"),
    ("rules:\n  LL001: {min: -1}\n", ".linklint.yaml:2: rules.LL001.min: must be at least 0, got -1"),
    (
        "rules:\n  LL005: {max_share: false}\n",
        ".linklint.yaml:2: rules.LL005.max_share: expected a number, got a boolean (false)",
    ),
    ("rules:\n  LL005: {max_share: -0.5}\n", ".linklint.yaml:2: rules.LL005.max_share: must be at least 0, got -0.5"),
    (
        "rules:\n  LL006:\n    extra:\n      - click here\n      - 3\n",
        ".linklint.yaml:5: rules.LL006.extra[1]: expected a string, got an integer (3)",
    ),
    (
        'rules:\n  LL006: {extra: "here"}\n',
        '.linklint.yaml:2: rules.LL006.extra: expected a list of strings, got a string ("here")',
    ),
    (
        "rules:\n  LL004: warn\n",
        ".linklint.yaml:2: rules.LL004: invalid level \"warn\"; expected error, warning or off; did you mean 'warning'?",
    ),
    (
        "rules:\n  LL004: Error\n",
        ".linklint.yaml:2: rules.LL004: invalid level \"Error\"; expected error, warning or off; did you mean 'error'?",
    ),
    (
        "rules:\n  LL001:\n    level: fatal\n",
        '.linklint.yaml:3: rules.LL001.level: invalid level "fatal"; expected error, warning or off',
    ),
    (
        "rules:\n  LL001:\n    level: 2\n",
        ".linklint.yaml:3: rules.LL001.level: expected a level (error, warning or off), got an integer (2)",
    ),
    (
        "rules:\n  LL004: 1\n",
        ".linklint.yaml:2: rules.LL004: expected a level (error, warning or off) or a mapping of options, "
        "got an integer (1)",
    ),
    (
        "rules:\n  LL004:\n",
        ".linklint.yaml:2: rules.LL004: expected a level (error, warning or off) or a mapping of options, got null",
    ),
    (
        "rules:\n  all: {level: off}\n",
        ".linklint.yaml:2: rules.all: expected a level (error, warning or off), got a mapping",
    ),
    (
        "rules: [LL001]\n",
        ".linklint.yaml:1: rules: expected a mapping of rule codes or names to levels or options, got a list",
    ),
    (
        "rules:\n  LL001: off\n  min-internal-links: error\n",
        '.linklint.yaml:3: rules.min-internal-links: same rule as "LL001"; configure each rule once',
    ),
    (
        'include: "*.md"\n',
        '.linklint.yaml:1: include: expected a list of globs, got a string ("*.md"); write ["*.md"] for one glob',
    ),
    ("exclude: {a: b}\n", ".linklint.yaml:1: exclude: expected a list of globs, got a mapping"),
    ("include:\n  - '**/*.md'\n  - 3\n", ".linklint.yaml:3: include[1]: expected a glob (a string), got an integer (3)"),
    ("exclude: ['[z-a].md']\n", '.linklint.yaml:1: exclude[0]: invalid glob "[z-a].md": bad character range z-a'),
    ("posts: ['']\n", ".linklint.yaml:1: posts[0]: empty glob"),
    (
        "base_url: example.com/blog\n",
        ".linklint.yaml:1: base_url: expected an http(s) URL with a host, such as https://example.com/blog/, "
        'got a string ("example.com/blog")',
    ),
    (
        "base_url: ftp://example.com/\n",
        ".linklint.yaml:1: base_url: expected an http(s) URL with a host, such as https://example.com/blog/, "
        'got a string ("ftp://example.com/")',
    ),
    (
        "base_url: https:///blog/\n",
        ".linklint.yaml:1: base_url: expected an http(s) URL with a host, such as https://example.com/blog/, "
        'got a string ("https:///blog/")',
    ),
    (
        "base_url: 42\n",
        ".linklint.yaml:1: base_url: expected an http(s) URL with a host, such as https://example.com/blog/, "
        "got an integer (42)",
    ),
    (
        "site: hugoo\n",
        ".linklint.yaml:1: site: unknown generator \"hugoo\"; expected one of: auto, plain, hugo; did you mean 'hugo'?",
    ),
    ("site: zola\n", '.linklint.yaml:1: site: unknown generator "zola"; expected one of: auto, plain, hugo'),
    ("site: [hugo]\n", ".linklint.yaml:1: site: expected a generator name (auto, plain, hugo), got a list"),
    ("site: 2020-01-01\n", ".linklint.yaml:1: site: expected a generator name (auto, plain, hugo), got a date (2020-01-01)"),
    ("site: !hugo x\n", ".linklint.yaml:1: site: expected a generator name (auto, plain, hugo), got a value tagged !hugo"),
    ("max_file_size: 0\n", ".linklint.yaml:1: max_file_size: must be at least 1, got 0"),
    ("max_file_size: 5MB\n", '.linklint.yaml:1: max_file_size: expected an integer, got a string ("5MB")'),
    (
        "language: english\n",
        '.linklint.yaml:1: language: expected a language code such as en or pt-BR, got a string ("english")',
    ),
    ("content: ../elsewhere\n", '.linklint.yaml:1: content: "../elsewhere" is outside the repository'),
    ("content: site\n", '.linklint.yaml:1: content: no such folder: "site"'),
    ("content: ''\n", '.linklint.yaml:1: content: expected a folder path, got a string ("")'),
    ("extends: recomended\n", ".linklint.yaml:1: extends: unknown preset \"recomended\"; did you mean 'recommended'?"),
    (
        "extends: base\n",
        '.linklint.yaml:1: extends: unknown preset "base"; expected one of: recommended, relaxed, strict, '
        "or a path to a config file",
    ),
    ("extends: shared/base.yaml\n", ".linklint.yaml:1: extends: no such file: shared/base.yaml"),
    ("extends: [strict]\n", ".linklint.yaml:1: extends: expected a preset name or a file path, got a list"),
    ("extends:\n", ".linklint.yaml:1: extends: expected a preset name or a file path, got null"),
    (
        "rules:\n  LL001: {min: 3\n",
        ".linklint.yaml:3: invalid YAML: expected ',' or '}', but got '<stream end>'",
    ),
    ("a: b: c\n", ".linklint.yaml:1: invalid YAML: mapping values are not allowed here"),
    (
        "include: []\ninclude: []\n",
        '.linklint.yaml:2: invalid YAML: found duplicate key "include" with value "[]" (original value: "[]")',
    ),
    (
        "---\nlanguage: en\n---\nlanguage: de\n",
        ".linklint.yaml:3: invalid YAML: expected a single document in the stream, but found another document",
    ),
    ("# settings\n- a\n- b\n", ".linklint.yaml:2: expected a mapping of settings, got a list"),
    ("# settings\n\njust text\n", '.linklint.yaml:3: expected a mapping of settings, got a string ("just text")'),
    (
        "overrides: {paths: x}\n",
        ".linklint.yaml:1: overrides: expected a list of mappings with paths and rules, got a mapping",
    ),
    (
        "overrides:\n  - docs\n",
        '.linklint.yaml:2: overrides[0]: expected a mapping with paths and rules, got a string ("docs")',
    ),
    ("overrides:\n  - path: [x]\n", ".linklint.yaml:2: overrides[0].path: unknown key; did you mean 'paths'?"),
    ("overrides:\n  - paths: [x]\n", ".linklint.yaml:2: overrides[0]: missing key 'rules'"),
    (
        "overrides:\n  - rules: {}\n",
        ".linklint.yaml:2: overrides[0]: missing key 'paths'",
    ),
    ("overrides:\n  - paths: []\n    rules: {}\n", ".linklint.yaml:2: overrides[0].paths: expected at least one glob"),
    (
        "overrides:\n  - paths: ['docs/**']\n    rules: {}\n  - paths: docs\n    rules: {}\n",
        '.linklint.yaml:4: overrides[1].paths: expected a list of globs, got a string ("docs"); '
        'write ["docs"] for one glob',
    ),
    (
        "overrides:\n  - paths: ['docs/**']\n    rules:\n      LL001: {min: x}\n",
        '.linklint.yaml:4: overrides[0].rules.LL001.min: expected an integer, got a string ("x")',
    ),
    ("generator: src\n", '.linklint.yaml:1: generator: expected a mapping of generator settings, got a string ("src")'),
    ("generator:\n  inputs: src\n", ".linklint.yaml:2: generator.inputs: unknown key; did you mean 'input'?"),
    ("generator:\n  docs_route: 3\n", ".linklint.yaml:2: generator.docs_route: expected a path (a string), got an integer (3)"),
    (
        "generator:\n  url: docs.example\n",
        ".linklint.yaml:2: generator.url: expected an http(s) URL with a host, such as https://example.com/blog/, "
        'got a string ("docs.example")',
    ),
]


@pytest.mark.parametrize(("text", "message"), YAML_ERRORS)
def test_yaml_error_message(tmp_path: Path, text: str, message: str) -> None:
    assert error(tmp_path, text, profiles=("plain", "hugo")) == message


def test_first_mistake_in_file_order_is_reported(tmp_path: Path) -> None:
    text = "language: english\nrules:\n  LL001: {min: -1}\n"
    assert error(tmp_path, text) == (
        '.linklint.yaml:1: language: expected a language code such as en or pt-BR, got a string ("english")'
    )


def test_missing_explicit_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, SPECS, config_file=tmp_path / "missing.yaml")
    assert str(info.value) == "missing.yaml: file not found"


def test_explicit_config_file_outside_the_root_is_named_as_given(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    path = write(tmp_path, "colour: red\n", "shared.yaml")
    with pytest.raises(ConfigError) as info:
        load_config(root, SPECS, config_file=path)
    assert str(info.value) == f"{path}:1: colour: unknown key; expected one of: {ALL_KEYS}"


def test_config_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / ".linklint.yaml").write_bytes(b"language: \xff\n")
    with pytest.raises(ConfigError) as info:
        load(tmp_path)
    assert str(info.value) == ".linklint.yaml: not UTF-8 text (byte 10)"


def test_config_error_fields_and_format() -> None:
    full = ConfigError("bad", path="a.yaml", line=3, key="rules.LL001")
    assert (full.path, full.line, full.key, full.message) == ("a.yaml", 3, "rules.LL001", "bad")
    assert str(full) == "a.yaml:3: rules.LL001: bad"
    assert str(ConfigError("bad", path="a.yaml", key="x")) == "a.yaml: x: bad"
    assert str(ConfigError("bad", path="a.yaml", line=2)) == "a.yaml:2: bad"
    assert str(ConfigError("bad", key="x")) == "x: bad"
    assert str(ConfigError("bad")) == "bad"
    assert str(pickle.loads(pickle.dumps(full))) == "a.yaml:3: rules.LL001: bad"


# -- pyproject.toml ---------------------------------------------------------------------


def test_pyproject_every_kind_of_table(tmp_path: Path) -> None:
    write(
        tmp_path,
        """\
        [project]
        name = "site"

        [tool.linklint]
        extends = "relaxed"
        posts = ["posts/**"]

        [tool.linklint.rules]
        LL004 = "warning"

        [tool.linklint.rules.LL001]
        min = 2

        [[tool.linklint.overrides]]
        paths = ["docs/**"]
        rules = {LL001 = "off"}

        [[tool.linklint.overrides]]
        paths = ["docs/api/**"]
        [tool.linklint.overrides.rules]
        LL001 = {level = "error"}
        """,
        "pyproject.toml",
    )
    config = load_config(tmp_path, real_specs())
    assert config.path == tmp_path / "pyproject.toml"
    assert config.posts == ("posts/**",)
    assert config.rule_settings("a.md")["LL001"] == RuleSetting("warning", {"min": 2, "suggestions": 3, "max_inserted_links": 3})
    assert config.rule_settings("a.md")["LL004"].level == "warning"
    assert config.rule_settings("a.md")["LL005"].level == "off"  # from relaxed
    assert config.rule_settings("docs/a.md")["LL001"].level == "off"
    assert config.rule_settings("docs/api/a.md")["LL001"].level == "error"


PYPROJECT_ERRORS = [
    (
        '[project]\nname = "x"\n\n[tool.linklint]\ncontent = "."\nincludes = []\n',
        "pyproject.toml:6: tool.linklint.includes: unknown key; did you mean 'include'?",
    ),
    (
        '[tool.linklint.rules]\nLL004 = "warn"\n',
        "pyproject.toml:2: tool.linklint.rules.LL004: invalid level \"warn\"; expected error, warning or off; "
        "did you mean 'warning'?",
    ),
    (
        '[tool.linklint]\n\n[tool.linklint.rules.LL001]\nlevel = "error"\nmin = "3"\n',
        'pyproject.toml:5: tool.linklint.rules.LL001.min: expected an integer, got a string ("3")',
    ),
    (
        '[tool.linklint]\nsite = "plain"\nrules = {LL004 = "off", LL001 = {min = true}}\n',
        "pyproject.toml:3: tool.linklint.rules.LL001.min: expected an integer, got a boolean (true)",
    ),
    (
        '[tool]\nlinklint.language = "english"\n',
        'pyproject.toml:2: tool.linklint.language: expected a language code such as en or pt-BR, '
        'got a string ("english")',
    ),
    (
        '[tool.linklint]\ninclude = [\n  "**/*.md",  # pages\n  3,\n]\n',
        "pyproject.toml:4: tool.linklint.include[1]: expected a glob (a string), got an integer (3)",
    ),
    (
        '[[tool.linklint.overrides]]\npaths = ["docs/**"]\nrules = {LL001 = "off"}\n\n'
        '[[tool.linklint.overrides]]\npaths = ["blog/**"]\n[tool.linklint.overrides.rules]\nLL001 = {min = -1}\n',
        "pyproject.toml:8: tool.linklint.overrides[1].rules.LL001.min: must be at least 0, got -1",
    ),
    (
        # Strings that look like tables or comments must not throw the line count off.
        '[project]\ndescription = """\n[tool.linklint]\nx = 1"""\nurls = {a = "b # c"}\n'
        "license = '''\nMIT'''\n\n[tool.linklint]\n'content' = 7\n",
        "pyproject.toml:10: tool.linklint.content: expected a folder path, got an integer (7)",
    ),
    (
        # Double-quoted keys, escapes included, as project metadata often has them.
        '[project.urls]\n"Bug Tracker" = "https://x"\n"caf\\u00e9 \\U0001F600" = "y"\n\n'
        '[tool.linklint.rules."LL001"]\nmin = "3"\n',
        'pyproject.toml:6: tool.linklint.rules.LL001.min: expected an integer, got a string ("3")',
    ),
    ('[tool.linklint]\ncontent =\n', "pyproject.toml:2: invalid TOML: Invalid value"),
    ('[tool.linklint]\ninclude = ["a",\n', "pyproject.toml:2: invalid TOML: Invalid value"),
    ('tool = {linklint = "yes"}\n', 'pyproject.toml:1: tool.linklint: expected a table, got a string ("yes")'),
]


@pytest.mark.parametrize(("text", "message"), PYPROJECT_ERRORS)
def test_pyproject_error_message(tmp_path: Path, text: str, message: str) -> None:
    assert error(tmp_path, text, "pyproject.toml") == message


def test_explicit_pyproject_without_table(tmp_path: Path) -> None:
    path = write(tmp_path, '[project]\nname = "x"\n', "pyproject.toml")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path, SPECS, config_file=path)
    assert str(info.value) == "pyproject.toml: no [tool.linklint] table"


def test_yaml_extends_pyproject(tmp_path: Path) -> None:
    write(tmp_path, '[tool.linklint]\nlanguage = "fi"\n', "base/pyproject.toml")
    assert load(tmp_path, "extends: base/pyproject.toml\n").language == "fi"


# -- front matter ------------------------------------------------------------------------


@pytest.fixture
def base() -> dict[str, RuleSetting]:
    return {
        "LL001": RuleSetting("warning", {"min": 3}),
        "LL004": RuleSetting("error", {}),
        "LL005": RuleSetting("warning", {"max_share": 0.75}),
        "LL006": RuleSetting("warning", {"extra": []}),
    }


def front(base: dict[str, RuleSetting], value: object) -> tuple[dict[str, RuleSetting], list[str]]:
    return apply_front_matter(base, value, SPECS, path="posts/a.md", line=2)


@pytest.mark.parametrize("value", [False, {"disable": "all"}, {"disable": ["LL004", "all"]}])
def test_front_matter_turns_everything_off(base: dict[str, RuleSetting], value: object) -> None:
    settings, problems = front(base, value)
    assert problems == []
    assert set(levels(settings).values()) == {"off"}
    assert settings["LL001"].options == {"min": 3}


@pytest.mark.parametrize("value", [None, True, {}])
def test_front_matter_that_changes_nothing(base: dict[str, RuleSetting], value: object) -> None:
    assert front(base, value) == (base, [])


def test_front_matter_disable_and_rules(base: dict[str, RuleSetting]) -> None:
    settings, problems = front(
        base,
        {"disable": ["generic-anchor-text", "ll004"], "rules": {"LL001": {"min": 1}, "LL006": "error"}},
    )
    assert problems == []
    assert settings == {
        "LL001": RuleSetting("warning", {"min": 1}),
        "LL004": RuleSetting("off", {}),
        "LL005": RuleSetting("warning", {"max_share": 0.75}),
        "LL006": RuleSetting("off", {"extra": []}),  # disable wins over rules
    }
    assert base["LL004"] == RuleSetting("error", {})  # the input is left alone


def test_front_matter_single_rule_to_disable(base: dict[str, RuleSetting]) -> None:
    settings, problems = front(base, {"disable": "LL001"})
    assert (settings["LL001"].level, settings["LL004"].level, problems) == ("off", "error", [])


def test_front_matter_errors_are_returned_and_good_parts_applied(base: dict[str, RuleSetting]) -> None:
    settings, problems = front(
        base,
        {
            "disabled": ["LL001"],
            "disable": ["LL0004", 7, "LL005"],
            "rules": {"LL001": {"min": "1"}, "LL006": {"extra": ["here"]}, "spelling": "off"},
        },
    )
    assert problems == [
        "linklint.disabled: unknown key; did you mean 'disable'?",
        'linklint.rules.LL001.min: expected an integer, got a string ("1")',
        "linklint.rules.spelling: unknown rule; expected a rule code or name: LL001, LL004, LL005, LL006",
        "linklint.disable[0]: unknown rule; did you mean 'LL004' (broken-anchor)?",
        "linklint.disable[1]: expected a rule code or name, got an integer (7)",
    ]
    assert settings["LL001"] == RuleSetting("warning", {"min": 3})
    assert settings["LL005"].level == "off"
    assert settings["LL006"] == RuleSetting("warning", {"extra": ["here"]})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("off", 'linklint: expected false or a mapping with disable and/or rules, got a string ("off")'),
        ({"disable": {"LL001": True}}, "linklint.disable: expected a list of rule codes or names, got a mapping"),
        (
            {"rules": ["LL001"]},
            "linklint.rules: expected a mapping of rule codes or names to levels or options, got a list",
        ),
        (
            {"rules": {"LL004": "warn"}},
            "linklint.rules.LL004: invalid level \"warn\"; expected error, warning or off; did you mean 'warning'?",
        ),
    ],
)
def test_front_matter_error_message(base: dict[str, RuleSetting], value: object, message: str) -> None:
    settings, problems = front(base, value)
    assert (settings, problems) == (base, [message])
