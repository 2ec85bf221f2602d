"""Who may see and do what. Nothing outside this package decides access."""
