"""Occupations and operations of Exempelkommun, with their calibration parameters.

Every number here is a *modelling* parameter, chosen so that the generated
organisation lands near the public statistics listed in
``docs/example-organisation.md`` (SCB lönestrukturstatistik, SKR
personalstatistik, Kolada). SSYK 2012 codes are the official four-digit unit
groups as far as we know them; AID codes are *illustrative* six-digit labels in
SKR's format, not taken from SKR's list (see the docs for the caveats).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Occupation:
    key: str
    title: str  # local job title (befattning)
    ssyk: str  # SSYK 2012 unit group
    aid: str  # six-digit AID label (see docs/example-organisation.md for which are SKR's own)
    women: float  # share of women
    pay: int  # median monthly full-time pay at as_of, SEK (approx. SCB 2024 level)
    pay_sd: float  # log-sd of individual pay around the median
    men_premium: float  # unexplained extra pay of men in the same occupation (pay survey finds it)
    full_time: float  # share of monthly-paid staff contracted at 100 %
    fixed_term: float  # share of monthly-paid slots that are visstid
    age: float  # mean age of current staff
    sick: float  # sick-leave multiplier relative to the average employee
    ob: float  # unsocial (OB) hours as share of scheduled hours
    overtime: float  # probability of some overtime in a month
    manager: bool = False


# Columns: key, title, SSYK, AID, women, pay, pay_sd, men_premium, full_time, fixed_term,
# age, sick, ob, overtime[, manager].
Occ = Occupation
# fmt: off
OCCUPATIONS: tuple[Occupation, ...] = (
    # --- elderly care, LSS, health care ---
    Occ("usk", "Undersköterska", "5321", "207010", 0.9, 31500, 0.06, 1.015, 0.81, 0.16, 44, 1.2, 0.3, 0.18),
    Occ("vbi", "Vårdbiträde", "5330", "207023", 0.82, 28200, 0.05, 1.01, 0.73, 0.24, 38, 1.2, 0.3, 0.15),
    Occ("ssk", "Sjuksköterska", "2221", "521010", 0.89, 44500, 0.07, 1.02, 0.88, 0.08, 46, 0.95, 0.15, 0.3),
    Occ("arb", "Arbetsterapeut", "2273", "522010", 0.88, 38500, 0.06, 1.0, 0.92, 0.06, 43, 0.9, 0.0, 0.05),
    Occ("fys", "Fysioterapeut", "2272", "522020", 0.75, 38800, 0.06, 1.0, 0.92, 0.06, 43, 0.85, 0.0, 0.05),
    Occ("boe", "Stödassistent", "5342", "523510", 0.66, 29800, 0.05, 1.01, 0.8, 0.18, 42, 1.15, 0.35, 0.15),
    Occ("pas", "Personlig assistent", "5343", "523520", 0.7, 28300, 0.05, 1.0, 0.73, 0.28, 38, 1.1, 0.4, 0.12),
    Occ("bih", "Biståndshandläggare", "3353", "551010", 0.88, 38700, 0.06, 1.0, 0.95, 0.08, 44, 0.95, 0.0, 0.1),
    # --- education ---
    Occ("fsl", "Förskollärare", "2343", "511510", 0.96, 39000, 0.06, 1.03, 0.88, 0.08, 45, 1.15, 0.0, 0.03),
    Occ("bsk", "Barnskötare", "5311", "511520", 0.9, 29000, 0.05, 1.01, 0.85, 0.15, 43, 1.2, 0.0, 0.03),
    Occ("grl", "Grundskollärare", "2341", "511010", 0.77, 43000, 0.07, 1.02, 0.9, 0.12, 46, 0.95, 0.0, 0.05),
    Occ("fri", "Lärare i fritidshem", "2342", "511020", 0.64, 37200, 0.06, 1.01, 0.85, 0.12, 43, 1.0, 0.0, 0.03),
    Occ("spl", "Speciallärare", "2352", "511050", 0.86, 46500, 0.06, 1.0, 0.9, 0.03, 52, 0.9, 0.0, 0.03),
    Occ("ela", "Elevassistent", "5312", "511530", 0.7, 27700, 0.05, 1.01, 0.78, 0.25, 38, 1.1, 0.0, 0.03),
    Occ("gyl", "Gymnasielärare", "2330", "511110", 0.55, 45000, 0.07, 1.02, 0.9, 0.12, 48, 0.8, 0.0, 0.05),
    Occ("kur", "Kurator", "2662", "541020", 0.88, 38500, 0.06, 1.0, 0.92, 0.08, 45, 0.95, 0.0, 0.05),
    # --- social services ---
    Occ("soc", "Socialsekreterare", "2661", "541010", 0.86, 42000, 0.06, 1.02, 0.94, 0.1, 40, 1.05, 0.0, 0.25),
    Occ("beh", "Behandlingsassistent", "3412", "351015", 0.6, 32000, 0.06, 1.01, 0.85, 0.15, 42, 1.05, 0.3, 0.15),
    # --- technical and service ---
    Occ("koc", "Kock", "5120", "571010", 0.74, 29500, 0.05, 1.01, 0.85, 0.1, 46, 1.05, 0.04, 0.08),
    Occ("mbi", "Måltidsbiträde", "9412", "571020", 0.86, 27200, 0.04, 1.0, 0.74, 0.14, 45, 1.15, 0.0, 0.05),
    Occ("lok", "Lokalvårdare", "9111", "572010", 0.72, 26900, 0.04, 1.01, 0.8, 0.12, 47, 1.15, 0.0, 0.05),
    Occ("fas", "Fastighetsskötare", "5152", "573010", 0.14, 30500, 0.05, 1.0, 0.98, 0.06, 47, 0.75, 0.0, 0.25),
    Occ("tek", "Tekniker", "3112", "561010", 0.25, 42000, 0.08, 1.0, 0.98, 0.06, 44, 0.6, 0.0, 0.3),
    Occ("ing", "Ingenjör", "2142", "561020", 0.35, 47500, 0.08, 1.0, 0.98, 0.05, 42, 0.55, 0.0, 0.2),
    Occ("par", "Parkarbetare", "6113", "573020", 0.3, 29000, 0.05, 1.0, 0.95, 0.1, 42, 0.8, 0.0, 0.25),
    # --- culture and leisure ---
    Occ("bib", "Bibliotekarie", "2432", "581010", 0.78, 36500, 0.06, 1.0, 0.88, 0.08, 48, 0.85, 0.05, 0.03),
    Occ("frl", "Fritidsledare", "3423", "581510", 0.45, 30800, 0.05, 1.0, 0.8, 0.18, 38, 0.9, 0.25, 0.1),
    Occ("mus", "Kulturskolelärare", "2354", "511210", 0.55, 37500, 0.07, 1.0, 0.8, 0.08, 47, 0.75, 0.0, 0.03),
    # --- administration ---
    Occ("adm", "Administratör", "4119", "152010", 0.86, 31500, 0.07, 1.01, 0.92, 0.08, 47, 0.85, 0.0, 0.08),
    Occ("han", "Handläggare", "2422", "151010", 0.7, 44000, 0.08, 1.02, 0.96, 0.06, 45, 0.7, 0.0, 0.1),
    Occ("eko", "Ekonom", "2411", "591520", 0.72, 46500, 0.08, 1.02, 0.97, 0.05, 44, 0.65, 0.0, 0.15),
    Occ("hrs", "HR-specialist", "2423", "591530", 0.84, 46000, 0.08, 1.01, 0.97, 0.05, 45, 0.7, 0.0, 0.1),
    Occ("itt", "IT-tekniker", "3512", "592010", 0.22, 40000, 0.08, 1.0, 0.98, 0.05, 42, 0.55, 0.0, 0.15),
    # --- managers (first-line 'nivå 2' and higher 'nivå 1' SSYK groups) ---
    Occ("ch_aldre", "Enhetschef äldreomsorg", "1532", "611010", 0.85, 55000, 0.06, 1.0, 1.0, 0.02, 49, 0.8, 0.0, 0.1, True),
    Occ("ch_vard", "Enhetschef hälso- och sjukvård", "1512", "611020", 0.85, 58000, 0.06, 1.0, 1.0, 0.02, 50, 0.8, 0.0, 0.1, True),
    Occ("ch_soc", "Enhetschef socialtjänst", "1522", "611030", 0.78, 57000, 0.06, 1.0, 1.0, 0.02, 49, 0.8, 0.0, 0.1, True),
    Occ("ch_fsk", "Förskolechef", "1422", "611040", 0.9, 55500, 0.06, 1.0, 1.0, 0.02, 50, 0.8, 0.0, 0.05, True),
    Occ("ch_rek", "Rektor", "1412", "611050", 0.66, 62000, 0.06, 1.0, 1.0, 0.02, 51, 0.75, 0.0, 0.05, True),
    Occ("ch_tek", "Enhetschef teknik och service", "1352", "611060", 0.4, 56000, 0.07, 1.0, 1.0, 0.02, 50, 0.7, 0.0, 0.1, True),
    Occ("ch_adm", "Enhetschef administration", "1292", "611070", 0.65, 60000, 0.07, 1.0, 1.0, 0.02, 50, 0.7, 0.0, 0.1, True),
    Occ("ch_vh", "Verksamhetschef", "1531", "612010", 0.7, 70000, 0.07, 1.0, 1.0, 0.0, 53, 0.65, 0.0, 0.05, True),
    Occ("ch_fv", "Förvaltningschef", "1531", "613010", 0.55, 88000, 0.07, 1.0, 1.0, 0.0, 55, 0.55, 0.0, 0.05, True),
    Occ("ch_kd", "Kommundirektör", "1120", "614010", 0.5, 115000, 0.03, 1.0, 1.0, 0.0, 56, 0.5, 0.0, 0.0, True),
)
# fmt: on
OCCUPATION_INDEX: dict[str, int] = {o.key: i for i, o in enumerate(OCCUPATIONS)}


@dataclass(frozen=True)
class Operation:
    """A kind of operation (verksamhet): its units, sizes, staff mix and manager."""

    key: str
    department: str  # key of DEPARTMENTS
    name: str  # verksamhet name
    unit_prefix: str  # unit names: prefix + place name
    share: float  # share of all monthly-paid staff
    size: tuple[int, int]  # staff per unit (incl. the manager), uniform range
    mix: tuple[tuple[str, float], ...]  # occupation keys and weights (excl. the manager)
    manager: str  # occupation key of the unit manager
    hourly: float = 0.0  # hourly-paid pool as share of the operation's staff
    agency: str | None = None  # occupation hired from staffing agencies
    split_shifts: bool = False  # scheduling with split shifts (delade turer)
    named_by_place: bool = True  # 'Äldreboende Björkhagen' vs 'Ekonomienheten'


# SSYK 'nivå 1' group of the senior managers (verksamhetschef, förvaltningschef) per department.
SENIOR_SSYK: dict[str, str] = {
    "klf": "1291",
    "vof": "1531",
    "ubf": "1411",
    "soc": "1521",
    "sbf": "1351",
    "kff": "1291",
}

DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("klf", "Kommunledningsförvaltningen"),
    ("vof", "Vård- och omsorgsförvaltningen"),
    ("ubf", "Utbildningsförvaltningen"),
    ("soc", "Socialförvaltningen"),
    ("sbf", "Samhällsbyggnadsförvaltningen"),
    ("kff", "Kultur- och fritidsförvaltningen"),
)

Op = Operation
# fmt: off
OPERATIONS: tuple[Operation, ...] = (
    Op("sabo", "vof", "Särskilt boende", "Äldreboende", 0.125, (40, 60),
       (("usk", 0.78), ("vbi", 0.22)), "ch_aldre", hourly=0.12, split_shifts=True),
    Op("hemtj", "vof", "Hemtjänst", "Hemtjänst", 0.085, (35, 55),
       (("usk", 0.7), ("vbi", 0.3)), "ch_aldre", hourly=0.12, split_shifts=True),
    Op("hsl", "vof", "Hälso- och sjukvård", "Hälso- och sjukvårdsenhet", 0.025, (20, 35),
       (("ssk", 0.62), ("arb", 0.2), ("fys", 0.18)), "ch_vard", hourly=0.05, agency="ssk"),
    Op("lss", "vof", "Bostad med särskild service", "LSS-boende", 0.045, (18, 35),
       (("boe", 0.82), ("usk", 0.18)), "ch_soc", hourly=0.1),
    Op("pa", "vof", "Personlig assistans", "Personlig assistans", 0.03, (30, 60),
       (("pas", 1.0),), "ch_soc", hourly=0.15),
    Op("bist", "vof", "Myndighetsutövning äldre och LSS", "Biståndsenhet", 0.01, (10, 20),
       (("bih", 1.0),), "ch_soc", named_by_place=False),
    Op("fsk", "ubf", "Förskola", "Förskoleområde", 0.19, (20, 38),
       (("fsl", 0.44), ("bsk", 0.56)), "ch_fsk", hourly=0.08),
    Op("grsk", "ubf", "Grundskola", "Skola", 0.17, (30, 60),
       (("grl", 0.62), ("fri", 0.12), ("spl", 0.06), ("ela", 0.2)), "ch_rek", hourly=0.06),
    Op("gysk", "ubf", "Gymnasieskola", "Gymnasium", 0.042, (40, 70),
       (("gyl", 0.86), ("spl", 0.04), ("ela", 0.1)), "ch_rek", hourly=0.03),
    Op("ehv", "ubf", "Elevhälsa", "Elevhälsa", 0.012, (10, 25),
       (("kur", 0.55), ("ssk", 0.45)), "ch_rek", named_by_place=False),
    Op("ifob", "soc", "Barn och unga", "Barn och unga", 0.022, (15, 25),
       (("soc", 1.0),), "ch_soc", agency="soc", named_by_place=False),
    Op("ifov", "soc", "Vuxen och ekonomiskt bistånd", "Vuxenenheten", 0.02, (12, 22),
       (("soc", 0.85), ("adm", 0.15)), "ch_soc", agency="soc", named_by_place=False),
    Op("hvb", "soc", "Boende och öppenvård", "Stödboende", 0.02, (12, 25),
       (("beh", 0.85), ("soc", 0.15)), "ch_soc", hourly=0.1),
    Op("kost", "sbf", "Måltidsservice", "Kök", 0.035, (20, 45),
       (("koc", 0.55), ("mbi", 0.45)), "ch_tek", hourly=0.08),
    Op("lokv", "sbf", "Lokalvård", "Lokalvård", 0.025, (20, 45),
       (("lok", 1.0),), "ch_tek", hourly=0.05),
    Op("fast", "sbf", "Fastighet", "Fastighetsdrift", 0.015, (12, 30),
       (("fas", 0.65), ("tek", 0.35)), "ch_tek"),
    Op("gata", "sbf", "Gata, park och VA", "Gata och park", 0.015, (12, 30),
       (("par", 0.55), ("tek", 0.3), ("ing", 0.15)), "ch_tek"),
    Op("plan", "sbf", "Plan och bygg", "Plan- och byggenheten", 0.01, (10, 25),
       (("ing", 0.45), ("han", 0.4), ("adm", 0.15)), "ch_tek", named_by_place=False),
    Op("bibl", "kff", "Bibliotek", "Bibliotek", 0.01, (8, 20),
       (("bib", 0.75), ("adm", 0.25)), "ch_adm", hourly=0.1),
    Op("frit", "kff", "Fritid", "Fritidsgård", 0.012, (8, 20),
       (("frl", 1.0),), "ch_adm", hourly=0.2),
    Op("kult", "kff", "Kulturskola", "Kulturskolan", 0.008, (10, 25),
       (("mus", 1.0),), "ch_adm", hourly=0.05, named_by_place=False),
    Op("ekon", "klf", "Ekonomi", "Ekonomienheten", 0.012, (10, 25),
       (("eko", 0.7), ("adm", 0.3)), "ch_adm", named_by_place=False),
    Op("hr", "klf", "HR", "HR-enheten", 0.012, (10, 25),
       (("hrs", 0.7), ("adm", 0.3)), "ch_adm", named_by_place=False),
    Op("it", "klf", "IT", "IT-enheten", 0.01, (10, 25),
       (("itt", 0.8), ("han", 0.2)), "ch_adm", named_by_place=False),
    Op("kans", "klf", "Kansli och utveckling", "Kansliet", 0.016, (10, 20),
       (("han", 0.55), ("adm", 0.45)), "ch_adm", named_by_place=False),
)
# fmt: on

# fmt: off
# fmt: off
PLACES: tuple[str, ...] = (
    "Björkhagen", "Solgården", "Lindvägen", "Tallbacken", "Ängen", "Sjöstaden", "Norrmalm",
    "Söderby", "Västerby", "Österby", "Kyrkbacken", "Hagaby", "Furuhöjden", "Ekbacken",
    "Rosengården", "Strandvägen", "Backa", "Mossen", "Kvarnen", "Lärkan", "Vallby", "Åsen",
    "Bäckby", "Granlunda", "Hästhagen", "Skogsbrynet", "Torpet", "Ugglan", "Videdal", "Åkerby",
)
# fmt: on
