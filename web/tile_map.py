"""A tile map of Kalimantan Barat: one tile per kabupaten/kota at a (row, column) placed roughly
by geography (Sambas in the north-west, Kapuas Hulu in the east, Ketapang in the south). No
boundary data under an open licence is on the package registries, so a tile map it is."""

# Kemendagri code → (row, column) on a 5 × 6 grid.
KALIMANTAN_BARAT = {
    "61.01": (1, 1),  # Sambas
    "61.02": (1, 2),  # Bengkayang
    "61.08": (1, 6),  # Kapuas Hulu
    "61.72": (2, 1),  # Singkawang
    "61.03": (2, 3),  # Landak
    "61.05": (2, 4),  # Sanggau
    "61.07": (2, 5),  # Sintang
    "61.04": (3, 1),  # Mempawah
    "61.09": (3, 4),  # Sekadau
    "61.10": (3, 5),  # Melawi
    "61.71": (4, 1),  # Pontianak
    "61.12": (4, 2),  # Kubu Raya
    "61.11": (5, 2),  # Kayong Utara
    "61.06": (5, 3),  # Ketapang
}
MAPS = {"61": KALIMANTAN_BARAT}


def positions(government_code: str) -> dict[str, tuple[int, int]] | None:
    """Where each child of a government sits on its tile map; None without one."""
    return MAPS.get(government_code)
