"""A Markdown file that cannot be read as text.

## What it does
Reports a file of the site that linklint could not check at all: unreadable
(permissions), not valid UTF-8 (the line and column of the first bad byte are
given), binary content in a file named `.md`, a file larger than
`max_file_size`, a symbolic link that loops or leads out of the repository.
Every other file is still checked.

## Why it matters
A file linklint cannot read is one the site generator may not read either, or
one that renders as mojibake. Either way its links are unchecked until it is
fixed.

## Example
A post saved in Windows-1252 (`caf\\xe9` instead of UTF-8 `café`).

## Use instead
Save the file as UTF-8; move binaries out of `.md` names; raise
`max_file_size` for a genuinely large page.

## Fix and suggestions
None: the file needs a person.
"""

from __future__ import annotations

CODE = "LL901"
NAME = "unreadable-file"
LEVEL = "error"
SCOPE = "file"
SUMMARY = "A Markdown file cannot be read as UTF-8 text."
OPTIONS: dict = {}
