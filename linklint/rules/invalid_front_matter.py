"""Front matter that does not parse.

## What it does
Reports YAML (`---`), TOML (`+++`) or JSON front matter that its parser rejects,
or that is not a mapping, or that nests deeper than 100 levels (deeper data
crashes parsers and is never real front matter), with the line and column of
the error. The body of the page is still checked as if it had no front matter.

## Why it matters
A site generator either refuses to build such a page or silently drops its
title, date, draft flag and permalink, so the page appears with the wrong URL,
or not at all.

## Example
```markdown
---
title: Tomatoes: the late varieties
---
```

## Use instead
```markdown
---
title: "Tomatoes: the late varieties"
---
```

## Fix and suggestions
None: the message names the parser's reason.
"""

from __future__ import annotations

CODE = "LL902"
NAME = "invalid-front-matter"
LEVEL = "error"
SCOPE = "file"
SUMMARY = "Front matter (YAML, TOML or JSON) does not parse."
OPTIONS: dict = {}
