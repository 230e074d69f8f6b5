"""Reading the project: content files, references.bib, settings and mkdocs.yml, checked as they are read."""
