"""Demo users `<role>.<scope code>` with the demo password, and their grants (Casbin `g` rules)."""

from demo.generate import Placed, Rows
from identity.passwords import hash_password

DEMO_PASSWORD = "kinerja-demo"

# (role, government code, display name)
GOVERNMENT_USERS = [
    ("ADMIN", "61", "Admin Biro Organisasi Provinsi Kalimantan Barat"),
    ("REVIEWER", "61", "Reviewer Biro Organisasi Provinsi Kalimantan Barat"),
    ("LEADER", "61", "Sekretaris Daerah Provinsi Kalimantan Barat"),
    ("EVALUATOR", "61", "Inspektorat Provinsi Kalimantan Barat"),
    ("QUALITY_ASSURER", "61", "Pengendali Mutu Inspektorat Provinsi Kalimantan Barat"),
    ("ADMIN", "61.71", "Admin Bagian Organisasi Kota Pontianak"),
    ("REVIEWER", "61.71", "Reviewer Bagian Organisasi Kota Pontianak"),
    ("OPERATOR", "61.71", "Operator Kota Pontianak"),
    ("PLANNER", "61.71", "Perencana Bappeda Kota Pontianak"),
    ("LEADER", "61.71", "Wali Kota Pontianak"),
    ("EVALUATOR", "61.71", "Inspektorat Kota Pontianak"),
    ("OPERATOR", "61.72", "Operator Kota Singkawang"),
    ("VERIFIER", "61.71", "Verifikator Kinerja Pegawai BKPSDM Kota Pontianak"),
    ("FINANCE", "61.71", "Bidang Perbendaharaan BPKAD Kota Pontianak"),
]
# Accounts of Dinas Kesehatan Kota Pontianak's staff (demo/individual.py links them to their
# employee records): the head, a kepala bidang, a kepala seksi under them and one of the seksi's
# staff. They hold no grant: what they see follows from who they are (policies/individual.py).
EMPLOYEE_USERS = [
    ("kadis.61.71.dinkes", "Kepala Dinas Kesehatan Kota Pontianak"),
    ("kabid.61.71.dinkes", "Kepala Bidang Pencegahan dan Pengendalian Penyakit"),
    ("kasi.61.71.dinkes", "Kepala Seksi Surveilans dan Imunisasi"),
    ("staf.61.71.dinkes", "Pengelola Data Surveilans"),
]
AGENCY_OPERATORS_OF = "61.71"


def add_demo_users(rows: Rows, placed: dict[str, tuple[Placed, Placed]]) -> None:
    for role, code, display_name in GOVERNMENT_USERS:
        government, _ = placed[code]
        _add_user(rows, f"{role.lower()}.{code}", display_name, role, government.path)
    government, _ = placed[AGENCY_OPERATORS_OF]
    for unit in rows.tables["org_unit"]:
        if unit["government_id"] == government.id and unit["kind"] == "PERANGKAT_DAERAH" and unit["valid_to"] is None:
            username = f"operator.{AGENCY_OPERATORS_OF}.{unit['code'].lower()}"
            _add_user(rows, username, f"Operator {unit['name']} Kota Pontianak", "OPERATOR", unit["path"])
    for username, display_name in EMPLOYEE_USERS:
        rows.add("app_user", username=username, display_name=display_name, password_hash=hash_password(DEMO_PASSWORD))


def _add_user(rows: Rows, username: str, display_name: str, role: str, path: str) -> None:
    user_id = rows.add(
        "app_user", username=username, display_name=display_name, password_hash=hash_password(DEMO_PASSWORD)
    )
    rows.add("casbin_rule", ptype="g", v0=f"user:{user_id}", v1=role, v2=path)
