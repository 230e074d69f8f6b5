"""Living evidence: each claim's history from git and what each change means for a reader."""
