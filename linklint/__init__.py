"""linklint: keep the internal links of a Markdown site healthy before it is published."""

__version__ = "0.1.0"
