"""`python -m generator` is the same as the `kb` command."""

from generator.commands.cli import main

if __name__ == "__main__":
    main()
