"""协同创新指数评价 (evaluation)."""
