"""Allow ``python -m bmw_mentor``."""

from bmw_mentor.cli import main

if __name__ == "__main__":
    main()
