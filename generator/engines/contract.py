"""What every engine adapter is handed and reports through, apart from the engine registry.

Adapters import this module, never `generator.engines` itself, so the registry can import the
adapters without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable

# Called with one line of progress for the user ("writing 2,040 pages ...").
Progress = Callable[[str], None]
