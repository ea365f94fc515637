from linklint.cli import run

run()
