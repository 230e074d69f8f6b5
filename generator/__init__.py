"""Evidence knowledge-base site generator.

Data flows one way: content/ + references.bib -> load -> model -> validate
(diagnostics) -> render (pages as data) -> output/adapters.  Only the adapters
(`plugin`, `site`, `cli`) know about MkDocs or the file system of the output.
"""

__version__ = "0.1.0"
