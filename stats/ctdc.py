"""The CTDC Global Synthetic Dataset's columns and codes, and a coded record mapped onto them.

The columns (``CTDC_COLUMNS``) are those of the Counter Trafficking Data Collaborative's Global
Synthetic Dataset as published since 2024 (ctdatacollaborative.org, "Global Synthetic Dataset",
file ``CTDC_global_synthetic_data_v2025.csv`` / ``_v2026.csv`` and its codebook
``Codebook_CTDC_global_synthetic_data_v2025.pdf``): 27 variables, one row per (synthetic)
victim. The codebook itself could not be read here; the list and its order come from public code
(GitHub) that reads the published file:

- a loader of the v2025 file (``scripts/ingest_ctdc.py``, "expects a CSV with the 27
  variables documented in Codebook_CTDC_global_synthetic_data_v2025.pdf") lists them in
  this order;
- a CTDC-to-HTCDS mapping of the v2026 file (``CTDC_FIELD_MAPPINGS``, "maps its 27 fields",
  run by ``examples/report_ctdc_htcds_coverage.py``) has the same order and names the six
  sector columns ``sectorOfLabour*`` / ``sectorOfSex*``, as does an extract that checks the
  file downloaded from CTDC's "global-synthetic-data-and-resources" page against its list
  of columns with an exact match (``FP_extract.py``); the v2024 file called those six
  ``typeOfLabour*`` / ``typeOfSex*`` (a Shiny dashboard's 27 required columns of it);
- Data is Plural's description of the 2024 release: each row "a (synthetic) individual's
  gender, age group, citizenship, country of exploitation, duration of reported trafficking,
  traffickers' means of control, types of exploitation, and the year" (and, in the file, the
  recruiter's relation).

Code lists, as the same sources read them: ``gender`` Man / Woman /
Trans/Transgender/NonConforming; ``ageBroad`` "0--8", "09--17" (with its leading zero, as the
file writes it), "18--20" ... "48+"; ``citizenship`` and ``CountryOfExploitation`` ISO 3166
alpha-3; every flag is 1 or empty, never 0 (the extract above checks ``value_set=["1"]``); a
value the data does not give is an empty cell (CTDC's "not specified"). ``traffickMonths``
(how long the person was trafficked) is not recorded by NRM: always empty.

What the synthetic dataset does not have, and the earlier k-anonymised Global Dataset had
(``isForcedMarriage``, ``isForcedMilitary``, ``isOrganRemoval``, ``isSlaveryAndPractices``,
``isSexAndLabour``, ``typeOfLabourBegging``, ``typeOfLabourIllicitActivities``,
``isAbduction``, ``majorityStatus``, fifteen ``meansOfControl*``): those forms are folded into
``isOtherExploit`` or ``isForcedLabour``, the means into eight grouped ``means*`` columns, and
how a person was recruited (``recruitment_method``) and the region, stage and status are not
columns at all. The mapping below says, per code, where it goes and why.
"""

NOT_SPECIFIED = ""
YES = 1

CTDC_COLUMNS = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    "meansDebtBondageEarnings",
    "meansThreats",
    "meansAbusePsyPhySex",
    "meansFalsePromises",
    "meansDrugsAlcohol",
    "meansDenyBasicNeeds",
    "meansExcessiveWorkHours",
    "meansWithholdDocs",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "sectorOfLabourAgriculture",
    "sectorOfLabourConstruction",
    "sectorOfLabourDomesticWork",
    "sectorOfLabourHospitality",
    "sectorOfSexProstitution",
    "sectorOfSexPornography",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
)

GENDER = {
    "female": "Woman",
    "male": "Man",
    # CTDC's only gender besides man and woman.
    "other": "Trans/Transgender/NonConforming",
}
AGE_BROAD = {
    "0-8": "0--8",
    "9-17": "09--17",  # the file's spelling; the codebook prints 9--17
    "18-20": "18--20",
    "21-23": "21--23",
    "24-26": "24--26",
    "27-29": "27--29",
    "30-38": "30--38",
    "39-47": "39--47",
    "48+": "48+",
}

# Each HTCDS exploitation form (and NRM's local extension) -> the CTDC columns it sets to 1.
EXPLOITATION = {
    "ForcedLabour": ("isForcedLabour",),
    "SexualExploitation": ("isSexualExploit",),
    # Labour exploitation of a minor; CTDC has no column of its own (age says the minor).
    "ChildLabour": ("isForcedLabour",),
    # NRM's "Servitude" is domestic servitude (reference data): forced labour inside a
    # household, CTDC's domestic-work sector. The Global Dataset's isSlaveryAndPractices
    # (slavery-like practices in general) is folded into isOtherExploit here, and would lose
    # that the person was made to work.
    "Servitude": ("isForcedLabour", "sectorOfLabourDomesticWork"),
    # Begging is a type of forced labour for CTDC (the Global Dataset's typeOfLabourBegging);
    # the synthetic dataset keeps four labour sectors, begging not among them.
    "ForcedBegging": ("isForcedLabour",),
    # NRM's local extension (HTCDS 2.0 lacks it): CTDC counts illicit activities as a type
    # of forced labour (the Global Dataset's typeOfLabourIllicitActivities); the synthetic
    # dataset has no such sector, so only isForcedLabour.
    "ForcedCriminalActivity": ("isForcedLabour",),
    # The synthetic dataset folds the Global Dataset's isForcedMarriage, isForcedMilitary,
    # isOrganRemoval and isSlaveryAndPractices into isOtherExploit.
    "ForcedMarriage": ("isOtherExploit",),
    "OrganRemoval": ("isOtherExploit",),
    "ForcedMilitaryByNonStateActors": ("isOtherExploit",),
    "ForcedAdoption": ("isOtherExploit",),
    "Surrogacy": ("isOtherExploit",),
    "Other": ("isOtherExploit",),
}
# A code not in the table (a form added to the reference data later) is "other exploitation".
OTHER_EXPLOITATION = ("isOtherExploit",)

# Each HTCDS means of control -> CTDC's grouped column (None: CTDC has no column for it).
MEANS_OF_CONTROL = {
    "DebtBondage": "meansDebtBondageEarnings",
    "TakesEarnings": "meansDebtBondageEarnings",  # CTDC groups debt bondage and earnings
    "Threats": "meansThreats",
    "ThreatsToFamily": "meansThreats",  # CTDC's threats include threats to the family
    "PsychologicalAbuse": "meansAbusePsyPhySex",
    "PhysicalAbuse": "meansAbusePsyPhySex",
    "SexualAbuse": "meansAbusePsyPhySex",
    "FalsePromises": "meansFalsePromises",
    "PsychoactiveSubstances": "meansDrugsAlcohol",
    # CTDC's "denies basic needs" groups restricted movement, medical care and necessities.
    "RestrictsMovement": "meansDenyBasicNeeds",
    "RestrictsMedicalCare": "meansDenyBasicNeeds",
    "WithholdsNecessities": "meansDenyBasicNeeds",
    "ExcessiveWorkingHours": "meansExcessiveWorkHours",
    "WithholdsDocuments": "meansWithholdDocs",
    "Other": None,  # the synthetic dataset has no meansOfControlOther
}

# The trafficker's relationship to the person -> CTDC's recruiter relation column.
RECRUITER_RELATION = {
    "IntimatePartner": "recruiterRelationIntimatePartner",
    "Family": "recruiterRelationFamily",
    "Friend": "recruiterRelationFriend",
    # CTDC has four relations; every other known one is "other".
    "Employer": "recruiterRelationOther",
    "Recruiter": "recruiterRelationOther",
    "Acquaintance": "recruiterRelationOther",
    "Stranger": "recruiterRelationOther",
    "Other": "recruiterRelationOther",
}

# ISO 3166-1 alpha-2 -> alpha-3 (CTDC writes countries in alpha-3), from the iso-codes
# package's iso_3166-1.json: every code of NRM's nationality list.
_ALPHA3_PAIRS = """
ADAND AEARE AFAFG AGATG AIAIA ALALB AMARM AOAGO AQATA ARARG ASASM ATAUT AUAUS AWABW AXALA
AZAZE BABIH BBBRB BDBGD BEBEL BFBFA BGBGR BHBHR BIBDI BJBEN BLBLM BMBMU BNBRN BOBOL BQBES
BRBRA BSBHS BTBTN BVBVT BWBWA BYBLR BZBLZ CACAN CCCCK CDCOD CFCAF CGCOG CHCHE CICIV CKCOK
CLCHL CMCMR CNCHN COCOL CRCRI CUCUB CVCPV CWCUW CXCXR CYCYP CZCZE DEDEU DJDJI DKDNK DMDMA
DODOM DZDZA ECECU EEEST EGEGY EHESH ERERI ESESP ETETH FIFIN FJFJI FKFLK FMFSM FOFRO FRFRA
GAGAB GBGBR GDGRD GEGEO GFGUF GGGGY GHGHA GIGIB GLGRL GMGMB GNGIN GPGLP GQGNQ GRGRC GSSGS
GTGTM GUGUM GWGNB GYGUY HKHKG HMHMD HNHND HRHRV HTHTI HUHUN IDIDN IEIRL ILISR IMIMN ININD
IOIOT IQIRQ IRIRN ISISL ITITA JEJEY JMJAM JOJOR JPJPN KEKEN KGKGZ KHKHM KIKIR KMCOM KNKNA
KPPRK KRKOR KWKWT KYCYM KZKAZ LALAO LBLBN LCLCA LILIE LKLKA LRLBR LSLSO LTLTU LULUX LVLVA
LYLBY MAMAR MCMCO MDMDA MEMNE MFMAF MGMDG MHMHL MKMKD MLMLI MMMMR MNMNG MOMAC MPMNP MQMTQ
MRMRT MSMSR MTMLT MUMUS MVMDV MWMWI MXMEX MYMYS MZMOZ NANAM NCNCL NENER NFNFK NGNGA NINIC
NLNLD NONOR NPNPL NRNRU NUNIU NZNZL OMOMN PAPAN PEPER PFPYF PGPNG PHPHL PKPAK PLPOL PMSPM
PNPCN PRPRI PSPSE PTPRT PWPLW PYPRY QAQAT REREU ROROU RSSRB RURUS RWRWA SASAU SBSLB SCSYC
SDSDN SESWE SGSGP SHSHN SISVN SJSJM SKSVK SLSLE SMSMR SNSEN SOSOM SRSUR SSSSD STSTP SVSLV
SXSXM SYSYR SZSWZ TCTCA TDTCD TFATF TGTGO THTHA TJTJK TKTKL TLTLS TMTKM TNTUN TOTON TRTUR
TTTTO TVTUV TWTWN TZTZA UAUKR UGUGA UMUMI USUSA UYURY UZUZB VAVAT VCVCT VEVEN VGVGB VIVIR
VNVNM VUVUT WFWLF WSWSM YEYEM YTMYT ZAZAF ZMZMB ZWZWE
"""
ALPHA3 = {pair[:2]: pair[2:] for pair in _ALPHA3_PAIRS.split()}


def ctdc_row(values: dict) -> dict:
    """One CTDC row (a dict of exactly ``CTDC_COLUMNS``) from one coded record.

    ``values`` maps a dimension to its code (multi-valued dimensions to a tuple of codes); a
    dimension it lacks, "unknown", "other" (a country CTDC cannot name) or a code the tables
    above do not know is not specified.
    """
    row = dict.fromkeys(CTDC_COLUMNS, NOT_SPECIFIED)
    year = values.get("year")
    if year is not None:
        row["yearOfRegistration"] = int(year)
    row["gender"] = GENDER.get(values.get("sex"), NOT_SPECIFIED)
    row["ageBroad"] = AGE_BROAD.get(values.get("age_group"), NOT_SPECIFIED)
    row["citizenship"] = ALPHA3.get(values.get("nationality"), NOT_SPECIFIED)
    row["CountryOfExploitation"] = ALPHA3.get(values.get("exploitation_country"), NOT_SPECIFIED)
    for code in values.get("exploitation_form") or ():
        for column in EXPLOITATION.get(code, OTHER_EXPLOITATION):
            row[column] = YES
    for code in values.get("means_of_control") or ():
        column = MEANS_OF_CONTROL.get(code)
        if column:
            row[column] = YES
    column = RECRUITER_RELATION.get(values.get("trafficker_relationship"))
    if column:
        row[column] = YES
    return row
