"""Industry chains (产业链图谱): chains, attachments, gaps and recommendations, and the `xietong chains` CLI."""
