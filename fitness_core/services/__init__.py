"""Use cases. Each takes an AsyncSession and never commits: the caller owns one transaction per update."""
