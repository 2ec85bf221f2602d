"""What can be asked of the policy: roles and permissions (object, action) of policy.csv."""

from enum import Enum


class Role(Enum):
    ADMIN = "ADMIN"
    OPERATOR = "OPERATOR"
    REVIEWER = "REVIEWER"
    LEADER = "LEADER"
    EVALUATOR = "EVALUATOR"
    PLANNER = "PLANNER"  # Bappeda
    API_CLIENT = "API_CLIENT"
    VERIFIER = "VERIFIER"  # the independent unit that verifies and scores activity logs (BKPSDM)
    FINANCE = "FINANCE"  # the finance unit that reads TPP statements and pays them (BPKAD)
    # Penjamin kualitas (the Inspektorat's pengendali mutu): reviews an evaluation's scoring
    # in its quality assurance stage, raises findings and approves it (domain.lke_stages).
    QUALITY_ASSURER = "QUALITY_ASSURER"


class Permission(Enum):
    READ_STRUCTURE = ("structure", "read")
    READ_INDICATORS = ("indicators", "read")
    READ_VALUES = ("values", "read")
    WRITE_VALUES = ("values", "write")
    WRITE_STRUCTURE = ("structure", "write")
    WRITE_INDICATORS = ("indicators", "write")
    MANAGE_GRANTS = ("grants", "manage")
    CREATE_TOKENS = ("tokens", "create")
    SUBMIT_REPORTS = ("reports", "submit")
    REVIEW_REPORTS = ("reports", "review")
    PUBLISH_REPORTS = ("reports", "publish")
    UNLOCK_REPORTS = ("reports", "unlock")
    COMMENT_REPORTS = ("reports", "comment")
    CORRECT_VALUES = ("values", "correct")
    READ_AUDIT = ("audit", "read")
    REGISTER_OPERATIONS = ("operations", "register")
    # Planning (domain/plans.py, domain/agreements.py): drafts are read in scope; published
    # plan versions and signed agreements are public.
    READ_PLANNING_DRAFTS = ("planning", "read_drafts")
    DRAFT_RPJMD = ("rpjmd", "draft")
    DRAFT_RENSTRA = ("renstra", "draft")
    RETURN_PLANS = ("plans", "return")
    PUBLISH_PLANS = ("plans", "publish")
    DRAFT_AGREEMENTS = ("agreements", "draft")
    SIGN_AGREEMENTS = ("agreements", "sign")
    RECORD_BUDGET_APPROVAL = ("budget", "record")  # the DPA approval date agreements are due from
    IMPORT_BUDGET = ("budget", "import")  # the APBD lines from SIPD's Lampiran (domain/apbd.py)
    # Accepting or rejecting a cascade link the upper level proposed (domain.cascade.may_consent).
    CONSENT_CASCADE = ("cascade", "consent")
    # The LKjIP (domain/lkjip.py): its narrative and budget realisation, its signature, the
    # comparison figures (benchmarks) and the government's efficiency method.
    WRITE_LKJIP = ("lkjip", "write")
    SIGN_LKJIP = ("lkjip", "sign")
    WRITE_BENCHMARKS = ("benchmarks", "write")
    CONFIGURE_LKJIP = ("lkjip", "configure")
    # The SAKIP evaluation (domain/lke.py): read in scope of the evaluated unit; the unit's
    # operators self-assess, dispute and follow recommendations up; evaluators conduct it where
    # their grant covers the evaluating government; each verifier agency checks the evidence
    # routed to it (Bappeda = PLANNER, Biro/Bagian Organisasi = REVIEWER, Inspektorat = EVALUATOR).
    READ_EVALUATIONS = ("evaluations", "read")
    SELF_ASSESS = ("evaluations", "self_assess")
    CONDUCT_EVALUATIONS = ("evaluations", "conduct")
    ASSURE_EVALUATIONS = ("evaluations", "assure")  # where the grant covers the evaluating government
    VERIFY_BAPPEDA_EVIDENCE = ("evidence_bappeda", "verify")
    VERIFY_ORGANISASI_EVIDENCE = ("evidence_organisasi", "verify")
    VERIFY_INSPEKTORAT_EVIDENCE = ("evidence_inspektorat", "verify")
    # Monev (domain/monev.py): a government's ranking rule, the scores entered per unit, and the
    # publication of a ranking (frozen). A live ranking is read with READ_VALUES over the whole
    # government; a published one by everyone.
    CONFIGURE_MONEV = ("monev", "configure")
    WRITE_MONEV = ("monev", "write")
    PUBLISH_RANKINGS = ("rankings", "publish")
    # Reward and punishment (domain/rewards.py): the leader confirms a published ranking's list;
    # the leader's office or Bagian Organisasi records each item's follow-up.
    CONFIRM_REWARDS = ("rewards", "confirm")
    FOLLOW_UP_REWARDS = ("rewards", "follow_up")
    # Individual e-Kinerja (policies/individual.py): the employee master (import, acting
    # assignments, the month's attendance and compliance) is kept by the admin (BKPSDM); logs
    # are verified and scored by the VERIFIER in scope; TPP statements are computed, read and
    # paid by FINANCE in scope. Beyond these, an employee reads their own records and a
    # superior their subordinates'; nobody else, and no API token unless its owner granted it
    # one of these reads (policies.individual.TokenGrant). READ_ACTIVITY reads logs, scores and
    # SKP; VERIFY_ACTIVITY decides them.
    MANAGE_PERSONNEL = ("personnel", "manage")
    READ_PERSONNEL = ("personnel", "read")
    CONFIGURE_TPP = ("tpp", "configure")
    VERIFY_ACTIVITY = ("activity", "verify")
    READ_ACTIVITY = ("activity", "read")
    READ_TPP = ("tpp", "read")
    COMPUTE_TPP = ("tpp", "compute")
    PAY_TPP = ("tpp", "pay")

    @property
    def obj(self) -> str:
        return self.value[0]

    @property
    def act(self) -> str:
        return self.value[1]


# Everyone, signed in or not, holds this role everywhere: the hierarchy and indicator
# definitions are public information; values are not.
PUBLIC_ROLE = "PUBLIC"
EVERYWHERE = "*"


# Who verifies the evidence routed to an agency (domain.lke.Verifier): its permission.
VERIFIER_PERMISSIONS = {
    "BAPPEDA": Permission.VERIFY_BAPPEDA_EVIDENCE,
    "ORGANISASI": Permission.VERIFY_ORGANISASI_EVIDENCE,
    "INSPEKTORAT": Permission.VERIFY_INSPEKTORAT_EVIDENCE,
}
