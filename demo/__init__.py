"""Reference regions and the deterministic demo province (Kalimantan Barat)."""
