"""1_shepherd: the scheduler that keeps models fresh (planned; see README.md)."""
