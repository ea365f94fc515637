"""Where writers commit: the pre-commit framework's hooks, the plain Git hook,
`linklint install-hook` and `linklint init`, with real Git and real pre-commit."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from linklint.cli import COMMANDS, main
from linklint.config import load_config
from linklint.git import PRE_COMMIT_HOOK
from linklint.rules import specs
from linklint.sites import PROFILE_NAMES
from tests.site_helpers import git_init, write_files

ROOT = Path(__file__).parents[1]
# What `pip install` of the repository needs, and the hook manifest.
SHIPPED = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "linklint")

ONLY_LINKS = "rules:\n  all: off\n  broken-link: error\n  broken-anchor: error\n"
BLOG = {
    ".linklint.yaml": ONLY_LINKS,
    "index.md": "# Field notes\n\n[Composting](posts/compost.md) and [mulch](posts/mulch.md#why-mulch).\n",
    "posts/compost.md": "# Composting\n\nThen [mulch it](mulch.md).\n\n![bays](../images/bays.png)\n",
    "posts/mulch.md": "# Mulch\n\n## Why mulch\n\nStart from [composting](compost.md).\n",
    "images/bays.png": b"\x89PNG\r\n\x1a\n",
}


def git(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env, check=False)


def commit_all(root: Path, message: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    assert git(root, "add", "-A").returncode == 0
    return git(root, "commit", "-q", "-m", message, env=env)


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    site = tmp_path / "blog"
    site.mkdir()
    git_init(site)
    write_files(site, BLOG)
    assert commit_all(site, "the blog").returncode == 0
    return site


def hook_statuses(output: str) -> dict[str, str]:
    """`linklint........Failed` lines of pre-commit's output, as {name: status}."""
    pattern = re.compile(r"^(?P<name>\S.*?)\.{3,}(?:\([^)]*\))?(?P<status>Passed|Failed|Skipped)$", re.M)
    return {m["name"]: m["status"] for m in pattern.finditer(output)}


# -- the pre-commit framework --------------------------------------------------------


def test_manifest_declares_the_three_hooks() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {h["id"]: h for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert list(hooks) == ["linklint", "linklint-fix", "linklint-site"]
    assert hooks["linklint"]["entry"] == "linklint check"
    assert hooks["linklint"]["types_or"] == ["markdown", "mdx"]
    assert hooks["linklint-fix"]["entry"] == "linklint fix"
    assert hooks["linklint-site"]["pass_filenames"] is False
    assert hooks["linklint-site"]["always_run"] is True
    assert all(h["language"] == "python" and h["require_serial"] for h in hooks.values())


def test_every_hook_is_documented() -> None:
    from pre_commit.clientlib import load_manifest

    page = (ROOT / "docs/pre-commit-and-ci.md").read_text(encoding="utf-8")
    for hook in load_manifest(str(ROOT / ".pre-commit-hooks.yaml")):
        assert f"id: {hook['id']}" in page


def working_tree_files() -> list[str]:
    """The repository's files as Git sees them (tracked, and untracked but not
    ignored); outside a Git checkout, what the hook's installation needs."""
    done = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if done.returncode == 0 and done.stdout:
        names = [n for n in done.stdout.decode().split("\0") if n]
        return [n for n in names if (ROOT / n).is_file()]
    names = []
    for name in SHIPPED:
        if (ROOT / name).is_dir():
            names += [p.relative_to(ROOT).as_posix() for p in (ROOT / name).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        else:
            names.append(name)
    return names


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory) -> tuple[Path, str]:
    """The working tree's hook repository, committed: pre-commit clones a
    repository at a revision, and its uncommitted files would not be seen."""
    repo = tmp_path_factory.mktemp("hooks-repo")
    for name in working_tree_files():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    git_init(repo)
    assert commit_all(repo, "hooks").returncode == 0
    return repo, head(repo)


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory) -> dict[str, str]:
    """One pre-commit store for the whole session: the hook's environment (a
    virtualenv with linklint installed) is built once."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    return env


def use_hooks(site: Path, hooks_repo: tuple[Path, str], env: dict[str, str], *ids: str) -> None:
    repo, rev = hooks_repo
    listed = "".join(f"      - id: {i}\n" for i in ids)
    config = f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n{listed}"
    (site / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    assert commit_all(site, "use pre-commit").returncode == 0
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=site, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_try_repo_rejects_a_staged_broken_link(blog: Path, hooks_repo, pre_commit_env) -> None:
    (blog / "posts/new.md").write_text("# New\n\nSee [the guide](guide.md).\n", encoding="utf-8")
    git(blog, "add", "posts/new.md")

    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks_repo[0]), "linklint", "--ref", hooks_repo[1]],
        cwd=blog,
        env=pre_commit_env,
        capture_output=True,
        text=True,
    )

    assert done.returncode == 1, done.stdout + done.stderr
    assert hook_statuses(done.stdout) == {"linklint": "Failed"}
    assert "posts/new.md:3:5: LL003 broken-link: link target `guide.md` does not exist" in done.stdout


def test_a_commit_with_a_broken_link_is_rejected_and_a_clean_one_passes(
    blog: Path, hooks_repo, pre_commit_env
) -> None:
    use_hooks(blog, hooks_repo, pre_commit_env, "linklint", "linklint-site")
    before = head(blog)
    (blog / "posts/new.md").write_text("# New\n\nSee [the guide](guide.md).\n", encoding="utf-8")

    rejected = commit_all(blog, "a broken link", env=pre_commit_env)

    # Git shows a hook's output on its standard error.

    assert rejected.returncode == 1
    assert hook_statuses(rejected.stderr) == {"linklint": "Failed", "linklint (whole site)": "Failed"}
    assert "posts/new.md:3:5: LL003 broken-link: link target `guide.md` does not exist" in rejected.stderr
    assert head(blog) == before

    (blog / "posts/new.md").write_text("# New\n\nSee [the mulch guide](mulch.md).\n", encoding="utf-8")
    accepted = commit_all(blog, "a good link", env=pre_commit_env)

    assert accepted.returncode == 0, accepted.stderr
    assert hook_statuses(accepted.stderr) == {"linklint": "Passed", "linklint (whole site)": "Passed"}
    assert head(blog) != before


def test_the_whole_site_hook_catches_a_rename_that_breaks_links_elsewhere(
    blog: Path, hooks_repo, pre_commit_env
) -> None:
    use_hooks(blog, hooks_repo, pre_commit_env, "linklint", "linklint-site")
    assert git(blog, "mv", "posts/mulch.md", "posts/mulching.md").returncode == 0

    rejected = git(blog, "commit", "-q", "-m", "rename", env=pre_commit_env)

    assert rejected.returncode == 1
    # The renamed page itself is fine; the pages linking to it are not.
    assert hook_statuses(rejected.stderr) == {"linklint": "Passed", "linklint (whole site)": "Failed"}
    assert "index.md:3:36: LL003 broken-link: link target `posts/mulch.md#why-mulch` does not exist" in rejected.stderr
    assert "posts/compost.md:3:6: LL003 broken-link: link target `mulch.md` does not exist" in rejected.stderr


@pytest.mark.skipif("fix" not in COMMANDS, reason="`linklint fix` is not written yet; the linklint-fix hook runs it")
def test_the_fix_hook_rewrites_a_link_to_a_moved_page(blog: Path, hooks_repo, pre_commit_env) -> None:
    use_hooks(blog, hooks_repo, pre_commit_env, "linklint-fix")
    assert git(blog, "mv", "posts/mulch.md", "mulch.md").returncode == 0
    (blog / "posts/compost.md").write_text("# Composting\n\nThen [mulch it](mulch.md).\n", encoding="utf-8")

    first = commit_all(blog, "move mulch", env=pre_commit_env)

    assert first.returncode == 1  # pre-commit fails a hook that changed files
    assert hook_statuses(first.stderr) == {"linklint (apply safe fixes)": "Failed"}
    assert (blog / "posts/compost.md").read_text(encoding="utf-8") == "# Composting\n\nThen [mulch it](../mulch.md).\n"
    assert commit_all(blog, "move mulch", env=pre_commit_env).returncode == 0


# -- the plain Git hook --------------------------------------------------------------


def test_the_installed_hook_is_the_shipped_script() -> None:
    assert (ROOT / "hooks/pre-commit").read_text(encoding="utf-8") == PRE_COMMIT_HOOK
    assert PRE_COMMIT_HOOK.startswith("#!/bin/sh\n")


@pytest.fixture
def plain_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has a `linklint` command running this working tree."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    command = bin_dir / "linklint"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m linklint "$@"\n', encoding="utf-8")
    command.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture
def hooked_blog(blog: Path, monkeypatch) -> Path:
    monkeypatch.chdir(blog)
    assert main(["install-hook"]) == 0
    return blog


def test_plain_hook_rejects_a_broken_link(hooked_blog: Path, plain_env) -> None:
    before = head(hooked_blog)
    (hooked_blog / "posts/new.md").write_text("# New\n\nSee [the guide](guide.md).\n", encoding="utf-8")

    done = commit_all(hooked_blog, "a broken link", env=plain_env)

    assert done.returncode == 1
    # Git shows a hook's standard output on its standard error.
    assert done.stderr.splitlines()[0] == "posts/new.md:3:5: LL003 broken-link: link target `guide.md` does not exist"
    assert done.stderr.splitlines()[-1] == "linklint: commit rejected (fix the links above, or commit with --no-verify)"
    assert head(hooked_blog) == before


def test_plain_hook_passes_a_clean_commit(hooked_blog: Path, plain_env) -> None:
    (hooked_blog / "posts/new.md").write_text("# New\n\nSee [the mulch guide](mulch.md).\n", encoding="utf-8")
    done = commit_all(hooked_blog, "a good link", env=plain_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(hooked_blog, "log", "-1", "--format=%s").stdout.strip() == "a good link"


def test_plain_hook_catches_a_rename_that_breaks_links_elsewhere(hooked_blog: Path, plain_env) -> None:
    git(hooked_blog, "mv", "posts/mulch.md", "posts/mulching.md")

    done = git(hooked_blog, "commit", "-q", "-m", "rename", env=plain_env)

    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if ": LL" in line] == [
        "index.md:3:36: LL003 broken-link: link target `posts/mulch.md#why-mulch` does not exist",
        "posts/compost.md:3:6: LL003 broken-link: link target `mulch.md` does not exist",
    ]


def test_plain_hook_catches_a_deleted_image(hooked_blog: Path, plain_env) -> None:
    git(hooked_blog, "rm", "-q", "images/bays.png")

    done = git(hooked_blog, "commit", "-q", "-m", "drop an image", env=plain_env)

    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if ": LL" in line] == [
        "posts/compost.md:5:1: LL003 broken-link: image `../images/bays.png` does not exist",
    ]


def test_plain_hook_ignores_old_problems_and_untracked_drafts(hooked_blog: Path, plain_env) -> None:
    # An old problem committed with --no-verify, and a draft nobody staged.
    (hooked_blog / "posts/old.md").write_text("# Old\n\n[lost](lost.md)\n", encoding="utf-8")
    assert git(hooked_blog, "add", "posts/old.md").returncode == 0
    assert git(hooked_blog, "commit", "-q", "--no-verify", "-m", "old", env=plain_env).returncode == 0
    (hooked_blog / "posts/draft.md").write_text("# Draft\n\n[todo](todo.md)\n", encoding="utf-8")
    (hooked_blog / "posts/mulch.md").write_text(
        "# Mulch\n\n## Why mulch\n\nStart from [composting](compost.md). Edited.\n", encoding="utf-8"
    )
    assert git(hooked_blog, "add", "posts/mulch.md").returncode == 0

    done = git(hooked_blog, "commit", "-q", "-m", "edit mulch", env=plain_env)

    assert done.returncode == 0, done.stdout + done.stderr


def test_plain_hook_needs_linklint_only_for_commits_that_can_break_links(hooked_blog: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not (Path(p) / "linklint").exists())
    (hooked_blog / "posts/new.md").write_text("# New\n", encoding="utf-8")

    done = commit_all(hooked_blog, "new", env=env)

    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "linklint pre-commit hook: the linklint command was not found on PATH;",
        "install it (pip install linklint-md) or commit with --no-verify",
    ]
    (hooked_blog / "posts/new.md").unlink()
    (hooked_blog / "notes.txt").write_text("no links here\n", encoding="utf-8")
    assert commit_all(hooked_blog, "notes", env=env).returncode == 0


# -- linklint install-hook -------------------------------------------------------------


def test_install_hook(blog: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(blog)
    assert main(["install-hook"]) == 0
    assert capsys.readouterr().out == "linklint: installed the pre-commit hook in .git/hooks/pre-commit\n"
    hook = blog / ".git/hooks/pre-commit"
    assert hook.read_text(encoding="utf-8") == PRE_COMMIT_HOOK
    assert hook.stat().st_mode & stat.S_IXUSR
    assert main(["install-hook"]) == 0  # the same hook again: nothing to refuse


def test_install_hook_refuses_to_replace_another_hook(blog: Path, monkeypatch, capsys) -> None:
    hook = blog / ".git/hooks/pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\nexec make lint\n", encoding="utf-8")
    monkeypatch.chdir(blog / "posts")

    assert main(["install-hook"]) == 2
    assert capsys.readouterr().err == f"linklint: error: {hook} already exists; use --force to replace it\n"
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\nexec make lint\n"

    assert main(["install-hook", "--force"]) == 0
    assert capsys.readouterr().out == "linklint: installed the pre-commit hook in ../.git/hooks/pre-commit\n"
    assert hook.read_text(encoding="utf-8") == PRE_COMMIT_HOOK


def test_install_hook_follows_core_hooks_path(blog: Path, monkeypatch, capsys) -> None:
    git(blog, "config", "core.hooksPath", ".githooks")
    monkeypatch.chdir(blog)
    assert main(["install-hook"]) == 0
    assert capsys.readouterr().out == "linklint: installed the pre-commit hook in .githooks/pre-commit\n"
    assert (blog / ".githooks/pre-commit").read_text(encoding="utf-8") == PRE_COMMIT_HOOK
    assert not (blog / ".git/hooks/pre-commit").exists()


def test_install_hook_outside_a_repository(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["install-hook"]) == 2
    assert capsys.readouterr().err == f"linklint: error: `{tmp_path}` is not inside a Git repository\n"


# -- linklint init ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "content", "posts"),
    [
        ({"content/posts/a.md": "# A\n", "content/about.md": "# About\n"}, "content", "posts/**"),
        ({"src/content/blog/a.md": "# A\n"}, "src/content", "blog/**"),
        ({"docs/index.md": "# Docs\n", "README.md": "# Repo\n"}, "docs", None),
        ({"_posts/2024-01-01-a.md": "# A\n", "about.md": "# About\n"}, ".", "_posts/**"),
        ({"notes/a.md": "# A\n", "docs/logo.png": b"PNG"}, ".", None),
    ],
)
def test_init_detects_the_content_root(tmp_path: Path, monkeypatch, capsys, files, content, posts) -> None:
    write_files(tmp_path, files)
    monkeypatch.chdir(tmp_path)

    assert main(["init"]) == 0

    assert capsys.readouterr().out == (
        f"linklint: wrote .linklint.yaml (content: {content}); "
        "list your landing pages in it, then run `linklint check`\n"
    )
    text = (tmp_path / ".linklint.yaml").read_text(encoding="utf-8")
    assert f"\ncontent: {content}\n" in text
    assert "\nlanding_pages: []\n" in text
    config = load_config(tmp_path, specs(), profiles=PROFILE_NAMES)
    assert config.content == content
    assert config.landing_pages == ()
    assert config.posts == ((posts,) if posts else ("**",))


@pytest.mark.parametrize(
    ("name", "text"),
    [(".linklint.yaml", "rules: {}\n"), (".linklint.yml", "rules: {}\n"), ("pyproject.toml", "[tool.linklint]\n")],
)
def test_init_never_overwrites_a_config(tmp_path: Path, monkeypatch, capsys, name, text) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    assert main(["init"]) == 2

    assert capsys.readouterr().err == f"linklint: error: {name} already configures linklint; not overwritten\n"
    assert (tmp_path / name).read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_init_in_another_folder(tmp_path: Path, monkeypatch, capsys) -> None:
    write_files(tmp_path, {"site/content/a.md": "# A\n"})
    monkeypatch.chdir(tmp_path)
    assert main(["init", "site"]) == 0
    assert capsys.readouterr().out.startswith("linklint: wrote site/.linklint.yaml (content: content)")
