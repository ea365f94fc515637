#!/usr/bin/env python3
"""Generate a realistic, deterministic Markdown blog for benchmarks.

    python bench/generate_site.py 1000 ~/bench-blog --seed 1 [--git] [--force]

The site is a plain Git-style blog: ``posts/<year>/<slug>.md`` with YAML front
matter (title, date, tags, draft), 300–1200 words of plausible English made
from word lists (headings, lists, code blocks, tables, quotes, images), about
eight internal links per post (inline, reference-style, root-relative,
same-page and cross-page ``#fragments`` to real headings, links to landing
pages), a few external links, a handful of landing pages, shared images and a
``.linklint.yaml`` naming the landing pages. About 2% of internal links point
at pages that do not exist and about 2% of fragments at headings that do not
exist, so every checker has something real to find.

The same ``N`` and ``--seed`` give byte-identical output (one
``random.Random(seed)`` drives everything, in a fixed order). Nothing is
written outside OUT_DIR.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# -- vocabulary ------------------------------------------------------------------------
# Topic clusters make posts about the same things use the same words (and link
# to each other more often), as on a real blog; relevance-based tools need that.

CLUSTERS: dict[str, dict[str, list[str]]] = {
    "compost": {
        "nouns": "compost heap bin worm leaf mould browns greens nitrogen carbon bokashi pile thermometer manure straw scrap".split(),
        "tags": "compost soil waste worms".split(),
    },
    "seeds": {
        "nouns": "seed seedling tray module germination cotyledon propagator windowsill packet variety sowing cloche frost label".split(),
        "tags": "seeds sowing propagation spring".split(),
    },
    "water": {
        "nouns": "water butt hose drip emitter rainwater gutter timer mulch puddle pressure valve reservoir drought irrigation".split(),
        "tags": "watering irrigation drought rainwater".split(),
    },
    "soil": {
        "nouns": "soil clay loam sand humus structure bed fork spade drainage acidity test sample texture crumb".split(),
        "tags": "soil no-dig beds testing".split(),
    },
    "fruit": {
        "nouns": "apple pear plum branch bud blossom rootstock graft canopy orchard cordon espalier pruning harvest spur".split(),
        "tags": "fruit trees pruning orchard".split(),
    },
    "veg": {
        "nouns": "tomato garlic bean pea squash potato onion kale leek lettuce carrot courgette chard truss bulb".split(),
        "tags": "vegetables tomatoes garlic harvest".split(),
    },
    "wildlife": {
        "nouns": "bee pollinator hedge pond beetle slug hedgehog bird flower meadow nettle ladybird aphid habitat frog".split(),
        "tags": "wildlife pollinators pests ponds".split(),
    },
}
CLUSTER_NAMES = list(CLUSTERS)

COMMON_NOUNS = (
    "garden plot plan season week weekend morning evening neighbour allotment shed path corner "
    "method result mistake habit trick budget notebook record layer row spot patch family year"
).split()
ADJECTIVES = (
    "small large early late cheap simple careful quick slow warm cold wet dry heavy light "
    "old new fresh sunny shady rich poor healthy tidy rough steady gentle sturdy"
).split()
VERBS = (
    "needs keeps helps feeds protects covers shades holds drains warms cools builds changes "
    "improves saves shelters supports slows speeds"
).split()
VERBS_BASE = "check turn water cover plant sow prune feed mulch dig move label harvest sort measure".split()
ADVERBS = "often rarely slowly quickly gently always usually sometimes carefully easily".split()
PREPOSITIONS = "in under over beside through after before around near against with without".split()
DETERMINERS = "the a every each this that one our your my".split()
OPENERS = [
    "In practice,", "Most years,", "After a wet spring,", "On a small plot,", "If you are short of time,",
    "Honestly,", "For beginners,", "In my experience,", "By midsummer,", "Once the frost has gone,",
]
HEADING_STEMS = [
    "Why {n} matters", "How to {v} the {n}", "What the {n} needs", "When to {v}", "Common {n} mistakes",
    "A {a} {n}", "The {a} way to {v}", "Tools for the {n}", "{A} {n} on a budget", "Getting the {n} right",
    "What I would {v} again", "Reading the {n}", "{A} {n} and {n2}", "Notes on {n} and {n2}",
]
TITLE_STEMS = [
    "How to {v} a {a} {n}", "The {a} guide to {n}", "{A} {n}: what I learned", "Why your {n} {vs}",
    "{N} and {n2} for beginners", "A year of {n}", "{A} {n} in a {a2} garden", "Ten notes on the {n}",
    "What to do with a {a} {n}", "Fixing a {a} {n}",
]
CODE_BLOCKS = [
    ("yaml", "# watering schedule\nbeds:\n  - name: {n}\n    minutes: {k}\n    days: [mon, thu]\n"),
    ("bash", "# log the soil temperature every hour\nwhile true; do\n  echo \"$(date +%H:%M) {k}C\" >> {n}.log\n  sleep 3600\ndone\n"),
    ("text", "Plot plan ({n}):\n  row 1  {n2}\n  row 2  {n}\n  [not a link](nowhere.md) stays text in code\n"),
    ("python", "def litres_needed(area_m2: float) -> float:\n    # {n}: about {k} litres per square metre\n    return area_m2 * {k}\n"),
]
IMAGE_ALTS = ["A {a} {n} in late summer", "The {n} after {k} weeks", "{A} {n} beside the {n2}", "Close-up of a {n}"]
GENERIC_ANCHORS = ["click here", "read more", "this post", "here"]

LANDING_PAGES = {
    "newsletter.md": ("The monthly newsletter", "Sign up for one email a month with the season's jobs."),
    "start-here.md": ("Start here", "New to the blog? These are the posts to read first."),
    "pricing.md": ("Courses and pricing", "Plans for the online garden courses."),
}
IMAGE_COUNT_MAX = 200
# A valid 1×1 PNG: image links must lead to real files.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@dataclass
class Post:
    index: int
    title: str
    slug: str
    date: dt.date
    cluster: str
    tags: list[str]
    draft: bool
    headings: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"posts/{self.date.year}/{self.slug}.md"


# -- small text helpers ------------------------------------------------------------------


def slugify(text: str) -> str:
    """GitHub's heading/slug rule for the ASCII text this generator writes."""
    text = re.sub(r"[^a-z0-9 _-]", "", text.lower())
    return text.replace(" ", "-")


def relative(source: str, target: str) -> str:
    return os.path.relpath(target, os.path.dirname(source) or ".").replace(os.sep, "/")


_AN = re.compile(r"\ba ([aeiou])")


class Writer:
    """Words, sentences and blocks, drawn from one random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def nouns(self, cluster: str) -> list[str]:
        return CLUSTERS[cluster]["nouns"]

    def noun(self, cluster: str) -> str:
        # Two in three nouns come from the post's topic, the rest are general.
        rng = self.rng
        return rng.choice(CLUSTERS[cluster]["nouns"]) if rng.random() < 0.67 else rng.choice(COMMON_NOUNS)

    def fill(self, stem: str, cluster: str) -> str:
        rng = self.rng
        n, n2 = self.noun(cluster), rng.choice(self.nouns(cluster))
        a, a2 = rng.choice(ADJECTIVES), rng.choice(ADJECTIVES)
        return _AN.sub(r"an \1", stem.format(
            n=n, n2=n2, N=n.capitalize(), a=a, a2=a2, A=a.capitalize(),
            v=rng.choice(VERBS_BASE), vs=rng.choice(VERBS), k=rng.randint(2, 40),
        ))

    def sentence(self, cluster: str) -> str:
        rng = self.rng
        words = []
        if rng.random() < 0.2:
            words.append(rng.choice(OPENERS))
        words += [rng.choice(DETERMINERS), rng.choice(ADJECTIVES), self.noun(cluster), rng.choice(VERBS)]
        words += [rng.choice(DETERMINERS), self.noun(cluster)]
        if rng.random() < 0.6:
            words += [rng.choice(PREPOSITIONS), "the", self.noun(cluster)]
        if rng.random() < 0.35:
            words += ["and", rng.choice(ADVERBS), rng.choice(VERBS), "the", self.noun(cluster)]
        text = _AN.sub(r"an \1", " ".join(words))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, cluster: str, sentences: int) -> list[str]:
        return [self.sentence(cluster) for _ in range(sentences)]


# -- planning: titles, slugs, dates, headings ------------------------------------------------


def plan_posts(rng: random.Random, count: int) -> list[Post]:
    writer = Writer(rng)
    start = dt.date(2015, 1, 1)
    span_days = max(365, min(count, 4000))  # about a post a day, at least a year
    posts: list[Post] = []
    seen: dict[str, int] = {}
    for index in range(count):
        cluster = rng.choice(CLUSTER_NAMES)
        title = writer.fill(rng.choice(TITLE_STEMS), cluster)
        title = title[0].upper() + title[1:]
        base = slugify(title).strip("-")
        seen[base] = seen.get(base, 0) + 1
        slug = base if seen[base] == 1 else f"{base}-{seen[base]}"
        date = start + dt.timedelta(days=rng.randrange(span_days))
        tags = rng.sample(CLUSTERS[cluster]["tags"], rng.randint(1, 3))
        post = Post(index, title, slug, date, cluster, tags, draft=rng.random() < 0.02)
        post.headings = plan_headings(writer, cluster, rng.randint(3, 6))
        posts.append(post)
    return posts


def plan_headings(writer: Writer, cluster: str, count: int) -> list[str]:
    headings: list[str] = []
    slugs: set[str] = set()
    while len(headings) < count:
        text = writer.fill(writer.rng.choice(HEADING_STEMS), cluster)
        text = text[0].upper() + text[1:]
        if slugify(text) not in slugs:  # unique ids, so every fragment has one target
            slugs.add(slugify(text))
            headings.append(text)
    return headings


# -- links ------------------------------------------------------------------------------------------


class Linker:
    """Chooses the internal links of one post and writes them in the styles
    real blogs mix."""

    def __init__(self, rng: random.Random, posts: list[Post], by_cluster: dict[str, list[Post]]) -> None:
        self.rng = rng
        self.posts = posts
        self.by_cluster = by_cluster

    def target(self, post: Post) -> Post:
        rng = self.rng
        pool = self.by_cluster[post.cluster] if rng.random() < 0.7 else self.posts
        for _ in range(5):
            other = rng.choice(pool)
            if other is not post:
                return other
        return self.posts[(post.index + 1) % len(self.posts)]

    def anchor(self, post: Post, other: Post, writer: Writer) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.01:
            return rng.choice(GENERIC_ANCHORS)
        if roll < 0.45:
            return other.title
        if roll < 0.75:
            return other.title.lower().split(":")[0]
        return f"{rng.choice(ADJECTIVES)} {writer.noun(other.cluster)}"

    def links(self, post: Post, writer: Writer, count: int) -> tuple[list[str], list[str]]:
        """``count`` internal links as Markdown snippets, and the reference
        definitions they need."""
        rng = self.rng
        snippets: list[str] = []
        definitions: list[str] = []
        for number in range(count):
            roll = rng.random()
            if roll < 0.08:  # a link to a section of this post
                heading = rng.choice(post.headings)
                fragment = self._fragment(heading)
                snippets.append(f"[{heading.lower()}](#{fragment})")
                continue
            if roll < 0.15:  # a landing page
                page = rng.choice(list(LANDING_PAGES))
                snippets.append(f"[{LANDING_PAGES[page][0].lower()}]({relative(post.path, page)})")
                continue
            other = self.target(post)
            dest = relative(post.path, other.path)
            if roll < 0.20:
                dest = "/" + other.path  # root-relative, as many writers do
            if rng.random() < 0.025:  # a page that does not exist (about 2% of links)
                dest = dest.replace(other.slug, other.slug + "-old")
            if rng.random() < 0.3:
                dest += "#" + self._fragment(rng.choice(other.headings))
            text = self.anchor(post, other, writer)
            if rng.random() < 0.2:
                label = f"ref-{number + 1}"
                snippets.append(f"[{text}][{label}]")
                definitions.append(f"[{label}]: {dest}")
            else:
                snippets.append(f"[{text}]({dest})")
        return snippets, definitions

    def _fragment(self, heading: str) -> str:
        if self.rng.random() < 0.06:  # a heading that does not exist: about 2% of links
            return slugify(heading) + "-section"
        return slugify(heading)


# -- one post -------------------------------------------------------------------------------------


def front_matter(post: Post) -> list[str]:
    lines = ["---", f'title: "{post.title}"', f"date: {post.date.isoformat()}", f"tags: [{', '.join(post.tags)}]"]
    if post.draft:
        lines.append("draft: true")
    lines.append("---")
    return lines


def render_post(post: Post, writer: Writer, linker: Linker, images: list[str]) -> str:
    rng = writer.rng
    cluster = post.cluster
    target_words = rng.randint(300, 1200)
    links, definitions = linker.links(post, writer, rng.randint(6, 10))
    blocks: list[str] = []
    words = 0

    def prose(sentences: int) -> None:
        nonlocal words
        sentence_list = writer.paragraph(cluster, sentences)
        # Links go into running text at a word gap, one per sentence at most.
        free = list(range(len(sentence_list)))
        while links and free and rng.random() < 0.45:
            i = free.pop(rng.randrange(len(free)))
            parts = sentence_list[i].split(" ")
            gap = rng.randint(2, len(parts) - 1)
            sentence_list[i] = " ".join(parts[:gap] + [links.pop()] + parts[gap:])
        text = " ".join(sentence_list)
        words += text.count(" ") + 1
        blocks.append(text)

    prose(rng.randint(2, 4))
    for h, heading in enumerate(post.headings):
        # Every planned heading is written (fragments point at them); the word
        # budget is spread over the sections.
        blocks.append(f"## {heading}")
        prose(rng.randint(2, 6))
        while words < target_words * (h + 1) / len(post.headings):
            prose(rng.randint(2, 6))
        extra = rng.random()
        if extra < 0.2:
            blocks.append(bullet_list(writer, cluster))
        elif extra < 0.3:
            blocks.append(table(writer, cluster))
        elif extra < 0.4:
            lang, body = rng.choice(CODE_BLOCKS)
            blocks.append(f"```{lang}\n{writer.fill(body, cluster)}```")
        elif extra < 0.5:
            blocks.append("> " + writer.sentence(cluster))
        elif extra < 0.62 and images:
            alt = writer.fill(rng.choice(IMAGE_ALTS), cluster)
            blocks.append(f"![{alt}]({relative(post.path, rng.choice(images))})")
        if rng.random() < 0.1:
            blocks.append(f"See [the {writer.noun(cluster)} survey](https://example.org/{writer.noun(cluster)}/{rng.randint(1, 999)}) for numbers.")
    if links:  # whatever the prose did not take goes into a closing list
        blocks.append("## Further reading")
        blocks.append("\n".join(f"- {link}" for link in links))
    if definitions:
        blocks.append("\n".join(definitions))
    return "\n".join(front_matter(post)) + "\n\n" + "\n\n".join(blocks) + "\n"


def bullet_list(writer: Writer, cluster: str) -> str:
    rng = writer.rng
    ordered = rng.random() < 0.4
    items = [writer.fill(rng.choice(["{A} {n}", "{V} the {n} {k} times", "Keep the {n} {a}"]).replace("{V}", rng.choice(VERBS_BASE).capitalize()), cluster) for _ in range(rng.randint(3, 6))]
    return "\n".join(f"{i + 1}. {item}" if ordered else f"- {item}" for i, item in enumerate(items))


def table(writer: Writer, cluster: str) -> str:
    rng = writer.rng
    rows = ["| Item | Month | Notes |", "|------|-------|-------|"]
    for _ in range(rng.randint(3, 5)):
        month = dt.date(2024, rng.randint(1, 12), 1).strftime("%B")
        rows.append(f"| {writer.noun(cluster)} | {month} | {rng.choice(ADJECTIVES)} {writer.noun(cluster)} |")
    return "\n".join(rows)


# -- the whole site ---------------------------------------------------------------------------------


def landing_page(path: str, title: str, intro: str, posts: list[Post], rng: random.Random) -> str:
    picks = sorted(rng.sample(range(len(posts)), min(8, len(posts))))
    lines = ["---", f'title: "{title}"', "---", "", f"# {title}", "", intro, ""]
    lines += [f"- [{posts[i].title}]({relative(path, posts[i].path)})" for i in picks]
    return "\n".join(lines) + "\n"


def home_page(posts: list[Post]) -> str:
    recent = sorted(posts, key=lambda p: (p.date, p.slug), reverse=True)[:30]
    lines = ["# Field notes", "", "A blog about a small garden. New here? [Start here](start-here.md).", "", "## Recent posts", ""]
    lines += [f"- {p.date.isoformat()}: [{p.title}]({p.path})" for p in recent]
    lines += ["", "Get the [monthly newsletter](newsletter.md) or see the [courses](pricing.md)."]
    return "\n".join(lines) + "\n"


CONFIG = """\
# linklint configuration of the generated benchmark blog
base_url: https://fieldnotes.example/
landing_pages:
{pages}
"""


def generate(count: int, out: Path, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    posts = plan_posts(rng, count)
    by_cluster: dict[str, list[Post]] = {name: [] for name in CLUSTER_NAMES}
    for post in posts:
        by_cluster[post.cluster].append(post)
    images = [f"images/photo-{i:03d}.png" for i in range(min(IMAGE_COUNT_MAX, count // 5 + 1))]

    files: dict[str, str | bytes] = {
        ".linklint.yaml": CONFIG.format(pages="\n".join(f"  - {p}" for p in LANDING_PAGES)),
        "README.md": home_page(posts),
        "about.md": "# About\n\nOne garden, one notebook. Read the [start here](start-here.md) page first.\n",
    }
    for page, (title, intro) in LANDING_PAGES.items():
        files[page] = landing_page(page, title, intro, posts, rng)
    for image in images:
        files[image] = PNG
    writer = Writer(rng)
    linker = Linker(rng, posts, by_cluster)
    for post in posts:
        files[post.path] = render_post(post, writer, linker, images)

    for rel, content in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
    return {"posts": len(posts), "files": len(files), "bytes": sum(len(c) for c in files.values())}


def git_commit(out: Path) -> None:
    """Make OUT_DIR a Git repository with one commit, as a real site is; the
    fixed identity and dates keep the commit identical between runs."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
        "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
        "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
    }
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "Generated site"]):
        subprocess.run(["git", *args], cwd=out, env=env, check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a deterministic Markdown blog for benchmarks.")
    parser.add_argument("posts", type=int, help="number of posts")
    parser.add_argument("out", type=Path, help="output folder (created; must be empty unless --force)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("--git", action="store_true", help="make the folder a Git repository with one commit")
    parser.add_argument("--force", action="store_true", help="delete the output folder's content first")
    args = parser.parse_args(argv)
    if args.posts < 1:
        parser.error("the number of posts must be at least 1")
    out: Path = args.out
    if out.exists() and any(out.iterdir()):
        if not args.force:
            parser.error(f"{out} is not empty (use --force to replace its content)")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    stats = generate(args.posts, out, args.seed)
    if args.git:
        git_commit(out)
    print(f"wrote {stats['posts']} posts, {stats['files']} files, {stats['bytes'] / 1e6:.1f} MB to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
