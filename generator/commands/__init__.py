"""The `kb` command line and the commands that change the project (add, fmt, new, diff)."""
