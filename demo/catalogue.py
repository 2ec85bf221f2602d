"""What a demo pemda looks like: its IKU, perangkat daerah, their bidang and seksi, and indicators.

Indicator tuple: (code, name, satuan, polarity, aggregation, annual target 2025, yearly change,
options). Options: "key" (IKU), "neg" (may be negative), "range:<width>" (RANGE target),
"scale:<name>" (ordinal), "sum_children" (realisation computed from cascade children),
"parent:<code>" (supports that indicator of the unit above), "annual" (reported in Q4 only).
"""

from decimal import Decimal

IndicatorSpec = tuple[str, str, str, str, str, Decimal, Decimal, tuple[str, ...]]
H, L = "HIGHER_IS_BETTER", "LOWER_IS_BETTER"
D = Decimal

PEMDA_IKU: list[IndicatorSpec] = [
    ("IKU-01", "Indeks Pembangunan Manusia", "indeks", H, "LAST", D("69.50"), D("0.60"), ("key", "annual")),
    ("IKU-02", "Persentase Penduduk Miskin", "%", L, "LAST", D("6.50"), D("-0.30"), ("key",)),
    ("IKU-03", "Tingkat Pengangguran Terbuka", "%", L, "LAST", D("5.10"), D("-0.20"), ("key",)),
    ("IKU-04", "Laju Pertumbuhan Ekonomi", "%", H, "LAST", D("5.20"), D("0.10"), ("key", "neg")),
    ("IKU-05", "Predikat SAKIP", "predikat", H, "LAST", D(5), D(0), ("key", "scale:SAKIP_GRADE", "annual")),
    (
        "IKU-06",
        "Opini BPK atas Laporan Keuangan",
        "opini",
        H,
        "LAST",
        D(4),
        D(0),
        ("key", "scale:BPK_OPINION", "annual"),
    ),
]

# (code, name, [(bidang name, [seksi names])], [indicators]); every agency also has a Sekretariat.
AGENCIES: list[tuple[str, str, list[tuple[str, list[str]]], list[IndicatorSpec]]] = [
    (
        "BAPPEDA",
        "Badan Perencanaan Pembangunan Daerah",
        [
            ("Bidang Perencanaan Pemerintahan dan Pembangunan Manusia", []),
            ("Bidang Perekonomian dan Sumber Daya Alam", []),
        ],
        [
            (
                "BAPPEDA-01",
                "Persentase keselarasan program RPJMD dan RKPD",
                "%",
                H,
                "LAST",
                D(90),
                D(2),
                ("key",),
            ),
        ],
    ),
    (
        "DINKES",
        "Dinas Kesehatan",
        [
            ("Bidang Kesehatan Masyarakat", ["Seksi Kesehatan Keluarga dan Gizi"]),
            ("Bidang Pencegahan dan Pengendalian Penyakit", ["Seksi Surveilans dan Imunisasi"]),
            ("Bidang Pelayanan Kesehatan", []),
        ],
        [
            (
                "DINKES-01",
                "Prevalensi balita stunting",
                "%",
                L,
                "LAST",
                D("24.0"),
                D("-2.0"),
                ("key", "parent:IKU-01"),
            ),
            ("DINKES-02", "Persentase desa/kelurahan UCI", "%", H, "LAST", D(85), D(3), ("parent:IKU-01",)),
        ],
    ),
    (
        "DISDIK",
        "Dinas Pendidikan dan Kebudayaan",
        [
            ("Bidang Pembinaan Sekolah Menengah", ["Seksi Kurikulum"]),
            ("Bidang Pendidikan Khusus", []),
        ],
        [
            (
                "DISDIK-01",
                "Rata-rata lama sekolah",
                "tahun",
                H,
                "LAST",
                D("7.6"),
                D("0.1"),
                ("key", "parent:IKU-01", "annual"),
            ),
            ("DISDIK-02", "Angka partisipasi murni SMA/SMK", "%", H, "LAST", D(62), D(2), ("parent:IKU-01",)),
        ],
    ),
    (
        "PUPR",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        [
            ("Bidang Bina Marga", ["Seksi Pembangunan Jalan", "Seksi Pemeliharaan Jalan"]),
            ("Bidang Sumber Daya Air", []),
        ],
        [
            (
                "PUPR-01",
                "Persentase jalan dalam kondisi mantap",
                "%",
                H,
                "LAST",
                D(68),
                D(3),
                ("key", "parent:IKU-04"),
            ),
            ("PUPR-02", "Panjang jalan yang ditingkatkan", "km", H, "SUM", D(40), D(5), ("parent:IKU-04",)),
        ],
    ),
    (
        "DINSOS",
        "Dinas Sosial",
        [
            ("Bidang Perlindungan dan Jaminan Sosial", []),
            ("Bidang Rehabilitasi Sosial", []),
            ("Bidang Pemberdayaan Sosial", []),
        ],
        [
            (
                "DINSOS-01",
                "Jumlah keluarga miskin penerima bantuan sosial",
                "keluarga",
                H,
                "SUM",
                D(1200),
                D(100),
                ("key", "parent:IKU-02", "sum_children"),
            ),
        ],
    ),
    (
        "DISNAKER",
        "Dinas Tenaga Kerja dan Transmigrasi",
        [
            ("Bidang Penempatan dan Perluasan Kesempatan Kerja", []),
            ("Bidang Pelatihan dan Produktivitas", []),
        ],
        [
            (
                "DISNAKER-01",
                "Jumlah pencari kerja yang ditempatkan",
                "orang",
                H,
                "SUM",
                D(800),
                D(50),
                ("key", "parent:IKU-03"),
            ),
        ],
    ),
    (
        "INSPEKTORAT",
        "Inspektorat",
        [
            ("Inspektur Pembantu Wilayah I", []),
            ("Inspektur Pembantu Wilayah II", []),
        ],
        [
            (
                "INSP-01",
                "Persentase tindak lanjut rekomendasi hasil pemeriksaan",
                "%",
                H,
                "LAST",
                D(85),
                D(3),
                ("key", "parent:IKU-05"),
            ),
        ],
    ),
    (
        "BPKAD",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        [
            ("Bidang Anggaran", []),
            ("Bidang Akuntansi dan Pelaporan", []),
        ],
        [
            (
                "BPKAD-01",
                "Persentase penyerapan anggaran",
                "%",
                H,
                "LAST",
                D(90),
                D(0),
                ("key", "range:8", "parent:IKU-06"),
            ),
        ],
    ),
    (
        "BAPENDA",
        "Badan Pendapatan Daerah",
        [
            ("Bidang Pajak Daerah", []),
        ],
        [
            (
                "BAPENDA-01",
                "Realisasi pendapatan asli daerah",
                "Rp miliar",
                H,
                "SUM",
                D(450),
                D(30),
                ("key", "parent:IKU-04"),
            ),
        ],
    ),
    (
        "DISKOMINFO",
        "Dinas Komunikasi dan Informatika",
        [
            ("Bidang Aplikasi Informatika", []),
        ],
        [
            (
                "KOMINFO-01",
                "Indeks Sistem Pemerintahan Berbasis Elektronik",
                "indeks",
                H,
                "LAST",
                D("2.6"),
                D("0.2"),
                ("key", "annual"),
            ),
        ],
    ),
]

SEKRETARIAT = ("Sekretariat", ["Subbagian Umum dan Kepegawaian", "Subbagian Perencanaan dan Keuangan"])

MISSIONS = (
    "Mewujudkan sumber daya manusia yang sehat, cerdas dan berdaya saing",
    "Mewujudkan ekonomi yang tumbuh merata dan menyejahterakan",
    "Mewujudkan tata kelola pemerintahan yang bersih dan akuntabel",
)
PROVINCE_VISION = "Kalimantan Barat Maju, Sejahtera dan Berdaya Saing"
GOALS = [
    (
        "T1",
        "Meningkatkan kualitas sumber daya manusia",
        ["Meningkatnya derajat kesehatan", "Meningkatnya mutu pendidikan"],
    ),
    (
        "T2",
        "Meningkatkan kesejahteraan masyarakat",
        ["Menurunnya kemiskinan", "Meningkatnya pertumbuhan ekonomi"],
    ),
    ("T3", "Mewujudkan tata kelola pemerintahan yang baik", ["Meningkatnya akuntabilitas kinerja"]),
]
# Which objective (by goal, index) each pemda IKU measures.
IKU_OBJECTIVE = {
    "IKU-01": ("T1", 0),
    "IKU-02": ("T2", 0),
    "IKU-03": ("T2", 1),
    "IKU-04": ("T2", 1),
    "IKU-05": ("T3", 0),
    "IKU-06": ("T3", 0),
}
