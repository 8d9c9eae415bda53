"""One module per command, each with `run(args) -> int`; only these and `cli.main` print."""
