"""Build the compact USDA SR28 table the app ships (planner/data/usda/sr28.tsv.gz).

    python -m planner.data.usda_build /work/shared/data/usda-sr28-abbrev.txt [OUT]

Reads the abbreviated SR28 table (53 `^`-separated fields, text in `~`; see the reference
data README) at build time only, and writes one gzip TSV line per food: the NDB number, a
readable name (USDA abbreviations spelled out, sentence case), the food group (from the first
two digits of the NDB number; see `group_code` for the numbers outside the group codes), the 12
nutrients the app's records use plus alcohol (which the
abbreviated table has no field for: worked out by difference for alcoholic drinks, see
`alcohol_by_difference`), the two household measures and the refuse percentage. Empty fields
stay empty. The output is deterministic: the same input gives byte-identical files (gzip
header with mtime 0 and no file name).
"""
from __future__ import annotations

import gzip
import io
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from planner.foods.usda import COLUMNS, GROUPS, NUTRIENT_COLUMNS, USDA_FILE

# 0-based field positions in the abbreviated table.
F_NDB, F_DESC, F_WATER, F_ASH = 0, 1, 2, 6
SR_FIELDS: dict[str, int] = {
    "energy_kcal": 3,       # Energ_Kcal
    "protein_g": 4,         # Protein
    "fat_g": 5,             # Lipid_Tot
    "saturated_fat_g": 44,  # FA_Sat
    "carbohydrate_g": 7,    # Carbohydrt
    "fibre_g": 8,           # Fiber_TD
    "sugars_g": 9,          # Sugar_Tot
    "sodium_mg": 15,        # Sodium
    "calcium_mg": 10,       # Calcium
    "iron_mg": 11,          # Iron
    "vitamin_b12_ug": 31,   # Vit_B12
    "vitamin_d_ug": 41,     # Vit_D_mcg
}
F_GMWT1, F_GMDESC1, F_GMWT2, F_GMDESC2, F_REFUSE = 48, 49, 50, 51, 52
FIELD_COUNT = 53

# SR28 numbers some foods outside the group codes (added in later releases): by prefix where
# the prefix holds one group, by the first words of the name where it holds many (42, 43, 44).
PREFIX_GROUPS: dict[str, str] = {
    "23": "13",  # beef cuts added in SR24-SR27
    "27": "06",  # soups and sauces (branded)
    "28": "18",  # baked products (branded)
    "31": "11",  # vegetables and vegetable juices
    "32": "22",  # meals and side dishes
    "33": "03",  # infant formulas and baby foods
    "48": "20",  # vital wheat gluten
    "80": "15", "83": "15", "90": "15", "93": "15",  # frog legs, salted mackerel, scallops, turtle
}
FIRST_WORD_GROUPS: tuple[tuple[str, str], ...] = (  # name start -> group code, first match wins
    ("BABYFOOD", "03"), ("ALCOHOLIC BEV", "14"), ("BEVER", "14"), ("FLUID REPLCMNT", "14"),
    ("CRANBERRY JUC", "14"), ("TOMATO&VEG JUC", "11"), ("CHEESE", "01"), ("IMITATION CHS", "01"),
    ("MILK DSSRT", "19"), ("MILK", "01"), ("YOGURT", "01"), ("EGGS", "01"), ("CREAM SUB", "01"),
    ("WHIPPED", "01"), ("TOFU YOGURT", "16"), ("SALAD DR", "04"), ("CREAMY DRSNG", "04"),
    ("CRMY DRSG", "04"), ("MAYONNAISE", "04"), ("OIL", "04"), ("MARGARINE", "04"),
    ("VEGETABLE OIL", "04"), ("BUTTER REPLCMNT", "04"), ("SANDWICH SPREAD", "04"),
    ("CEREALS", "08"), ("CANDIES", "19"), ("CHEWING GUM", "19"), ("SWEETENERS", "19"),
    ("SYRUPS", "19"), ("PUDDINGS", "19"), ("FROZEN NOVELTIES", "19"), ("FROZ NOVLT", "19"),
    ("FROZEN YOGURTS", "19"), ("ICE CR", "19"), ("JAMS", "19"), ("JELLIES", "19"), ("PECTIN", "19"),
    ("PIE FILLINGS", "19"), ("GUMS", "19"), ("SNACKS", "25"), ("POTATO CHIPS", "25"),
    ("POPCORN", "25"), ("PRETZELS", "25"), ("GRANOLA BAR", "25"), ("BREAKFAST BAR", "25"),
    ("RICE CAKE", "25"), ("PAPAD", "16"), ("ROLLS", "18"), ("VERMICELLI", "20"), ("MILLET", "20"),
    ("PORK SAUSAGE", "07"), ("TURKEY&PORK", "07"), ("TURKEY HAM", "07"), ("FRANKFURTER", "07"),
    ("BOLOGNA", "07"), ("LUNCHEON", "07"), ("BACON BITS", "16"), ("PORK", "10"), ("BEEF", "13"),
    ("TURKEY", "05"), ("CHICKEN,MEATLESS", "16"), ("CHICKEN", "05"), ("PHEASANT", "05"),
    ("QUAIL", "05"), ("DOVE", "05"), ("JELLYFISH", "15"), ("MEATBALLS,MEATLESS", "16"),
    ("VEGETARIAN", "16"), ("SOYBEAN", "16"), ("PEANUT BUTTER", "16"), ("BEANS", "16"),
    ("YEAST EXTRACT", "02"), ("TOMATO SAU", "11"),
)


def group_code(ndb: str, description: str) -> str:
    """The USDA food group code of a food: the NDB number's first two digits where they are a
    group code, else by PREFIX_GROUPS, else by the start of the name (vegetables by default)."""
    prefix = ndb[:2]
    if prefix in GROUPS:
        return prefix
    if prefix in PREFIX_GROUPS:
        return PREFIX_GROUPS[prefix]
    for start, code in FIRST_WORD_GROUPS:
        if description.startswith(start):
            return code
    return "11"  # the rest of 42/43 are vegetables (cabbage, eggplant, radishes, hearts of palm...)

# USDA's abbreviations in Shrt_Desc and what they stand for (upper-case words; a word not
# listed is kept, lower-cased). Parts of words joined by "&" or "/" are looked up one by one.
ABBREVIATIONS: dict[str, str] = {
    "ADDED": "added", "ADDEDSLNCKD": "added solution, cooked", "ADD": "added", "ALLPURP": "all-purpose",
    "ALLGRD": "all grades", "APPL": "apple", "APPLS": "apples", "APPLSAUC": "applesauce",
    "APPROX": "approximately", "ASPRT": "aspartame", "AUS": "Australian", "AUST": "Australian",
    "BABYFD": "babyfood", "BBQ": "barbecue", "BEV": "beverage", "BEVE": "beverage",
    "BF": "beef", "BKD": "baked", "BL": "blade", "BLD": "boiled", "BLDE": "blade", "BLKEYES": "blackeyes",
    "BLS": "boneless", "BN": "bone", "BN-IN": "bone-in", "BNE-IN": "bone-in", "BNL": "boneless",
    "BNLES": "boneless", "BNLESS": "boneless", "BNLS": "boneless", "BNLSS": "boneless", "BNS": "beans",
    "BR": "brown", "BRD": "bread", "BRDING": "breading", "BRDNG": "breading", "BRG": "burger",
    "BRGR": "burger", "BRKFST": "breakfast", "BRLD": "broiled", "BRN": "brown", "BRSD": "braised",
    "BRST": "breast", "BRWN": "brown", "BSD": "based", "BSTN": "boston", "BTLD": "bottled",
    "BTTM": "bottom", "BTRMLK": "buttermilk", "BTTRMLK": "buttermilk", "BUTTMLK": "buttermilk",
    "BUTMLK": "buttermilk", "BWL": "bowl", "BWLS": "bowls",
    "CA": "calcium", "CAL": "calorie", "CHC": "choice", "CHCK": "chuck", "CHCKN": "chicken",
    "CHDR": "cheddar", "CHICK": "chicken", "CHIK": "chicken", "CHK": "chuck", "CHKN": "chicken",
    "CHNKY": "chunky", "CHOC": "chocolate", "CHOIC": "choice", "CHOPD": "chopped", "CHPS": "chips",
    "CHS": "cheese", "CINN": "cinnamon", "CKD": "cooked", "CKED": "cooked", "CKN": "chicken",
    "CMDTY": "commodity", "CND": "canned", "CNND": "canned", "CNTR": "center", "CNTRY": "country",
    "COATD": "coated", "COCNT": "coconut", "COMM": "commercial", "COMMLY": "commercially",
    "COMP": "composite", "CON": "concentrate", "CONC": "concentrate", "CONCD": "concentrated",
    "COND": "condensed", "CONDMNT": "condiment", "CONDMNTS": "condiments", "CRL": "cereal",
    "CRM": "cream", "CRMD": "creamed", "CRMY": "creamy", "CRST": "crust", "CTTNSD": "cottonseed",
    "DBL": "double", "DECAFF": "decaffeinated", "DECORT": "decorticated", "DEHYD": "dehydrated",
    "DEN": "denuded", "DIL": "diluted", "DK": "dark", "DNUDED": "denuded", "DOM": "domestic",
    "DRK": "dark", "DRMSTK": "drumstick", "DRND": "drained", "DRSG": "dressing", "DRSNG": "dressing",
    "DRUMSTK": "drumstick", "DSSRT": "dessert",
    "ENR": "enriched", "EQ": "equivalent", "EVAP": "evaporated", "EX": "extra", "EXTRDD": "extruded",
    "FD": "food", "FDS": "foods", "FLAV": "flavored", "FLR": "flour", "FLSH": "flesh", "FORT": "fortified",
    "FR": "from", "FRM": "from", "FRNCH": "french", "FRNCHED": "frenched", "FROZ": "frozen",
    "FRSH": "fresh", "FRSTD": "frosted", "FRSTNG": "frosting", "FRT": "fruit", "FRZ": "frozen",
    "FT": "fat", "GRD": "ground", "GRDS": "grades", "GRLD": "grilled", "GRLLD": "grilled",
    "GRILD": "grilled", "GRILLD": "grilled", "GRN": "green", "GRNS": "greens", "GRSS-FD": "grass-fed",
    "GRSS-FED": "grass-fed", "GRVY": "gravy", "H2O": "water", "HI": "high", "HTD": "heated",
    "HVY": "heavy", "HYDR": "hydrogenated", "HYDROG": "hydrogenated", "IMITN": "imitation",
    "IMMAT": "immature", "IMP": "imported", "INCL": "including", "INCLD": "including", "IND": "industrial",
    "INDUS": "industrial", "INF": "infant", "INSD": "inside", "INSDE": "inside", "INST": "instant",
    "IRN": "iron", "ITAL": "Italian", "ITLN": "Italian", "JUC": "juice", "JUCS": "juices", "JUICS": "juices",
    "KRNLS": "kernels", "LF": "leaf", "LG": "large", "LIQ": "liquid", "LN": "lean", "LO": "low",
    "LOFAT": "lowfat", "LRG": "large", "LT": "light", "LTTC": "lettuce", "MARG": "margarine",
    "MED": "medium", "MSHD": "mashed", "MXD": "mixed", "NA": "sodium", "NAT": "natural", "NFS":
    "not further specified", "NONFAT": "nonfat", "NS": "not specified", "NUTR": "nutrition",
    "NZ": "New Zealand", "PAN-BRL": "pan-broiled", "PAN-BROIL": "pan-broiled", "PARBLD": "parboiled",
    "PAST": "pasteurized", "PDR": "powder", "PK": "pack", "PKD": "packed", "PLN": "plain",
    "PNAPPL": "pineapple", "PNUT": "peanut", "PNUTS": "peanuts", "PREP": "prepared",
    "PRECKD": "precooked", "PROC": "processed", "PROT": "protein", "PRTRHS": "porterhouse",
    "PSTRS": "pastries", "PUDD": "pudding", "QKR": "Quaker", "REC": "recipe", "RECON": "reconstituted",
    "REFR": "refrigerated", "REG": "regular", "REHTD": "reheated", "REPLCMNT": "replacement",
    "RMVD": "removed", "RND": "round", "RST": "roast", "RSTD": "roasted", "RTB": "ready-to-bake",
    "RTD": "ready-to-drink", "RTE": "ready-to-eat", "RTF": "ready-to-feed", "RTH": "ready-to-heat",
    "RTL": "retail", "RTS": "ready-to-serve", "RW": "raw", "SAU": "sauce", "SCALLPD": "scalloped",
    "SCR": "score", "SD": "seed", "SEL": "select", "SGR": "sugar", "SHK": "shank", "SHDR": "shoulder",
    "SHLDR": "shoulder", "SHRT": "short", "SIMIL": "similar", "SIMMRD": "simmered", "SIRL": "sirloin",
    "SIRLN": "sirloin", "SIRLON": "sirloin", "SKN": "skin", "SKNLS": "skinless", "SKRT": "skirt",
    "SLCE": "slice", "SLN": "solution", "SLNCKD": "solution, cooked", "SML": "small", "SMMR": "summer",
    "SNDWCH": "sandwich", "SNK": "snack", "SOL": "solids", "SOLN": "solution", "SOYBN": "soybean",
    "SP": "species", "SPL": "special", "SPRD": "spread", "SRLN": "sirloin", "STD": "standard",
    "STK": "steak", "STKS": "steaks", "STEK": "steak", "STMD": "steamed", "STR": "strained",
    "STWD": "stewed", "SWT": "sweet", "SWTND": "sweetened", "SWTNR": "sweetener", "TBSP": "tablespoon",
    "TNDERLN": "tenderloin", "TNDR": "tender", "TMT": "trimmed", "TP": "top", "TRKY": "turkey",
    "TSP": "teaspoon", "TSTD": "toasted", "TSTR": "toaster", "UNCKD": "uncooked", "UND": "undiluted",
    "UNDIL": "undiluted", "UNENR": "unenriched", "UNHTD": "unheated", "UNPREP": "unprepared",
    "UNPRP": "unprepared", "UNSPEC": "unspecified", "UNSWTND": "unsweetened", "VAR": "varieties",
    "VEG": "vegetable", "VIT": "vitamin", "WHL": "whole", "WHT": "white", "WNTR": "winter",
    "XCPT": "except", "MAT": "mature", "SDS": "seeds", "PROP": "propionate", "SEAS": "seasoning",
    "MPL": "maple", "UNPR": "unprepared", "UNPRE": "unprepared", "WHTNR": "whitener", "NOVLT": "novelties",
    "SUBST": "substitute", "SUB": "substitute", "HR": "hearty", "RQST": "request", "MCRWVBL": "microwavable",
    "YEL": "yellow", "YNG": "young", "W/": "with", "WO/": "without",
}
# Abbreviations whose meaning depends on the next word ("RED FAT" is reduced fat, "JUC DRK" a drink).
CONTEXT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bRED(?=[ -](?:FAT|NA|CAL|SUGAR|SODIUM|GM|CHOL|LACTOSE|SALT)\b)"), "REDUCED"),
    (re.compile(r"\bRED-CAL\b"), "REDUCED-CALORIE"),
    (re.compile(r"\bDRK(?=[ ,&]*(?:MEAT|CHOC|CHOCOLATE|RED|GRN|BRN|BROWN|RYE|SWT)\b)"), "DARK"),
    (re.compile(r"\bDRK\b"), "DRINK"),
    (re.compile(r"\bLOW MOIST\b"), "LOW MOISTURE"),
    (re.compile(r"\bL & F\b"), "LEAN AND FAT"),
    (re.compile(r"\bGM\b"), "GRAM"),
)
# Words kept in capitals (proper nouns keep an initial capital).
PROPER = frozenset({
    "alaska", "american", "atlantic", "pacific", "australian", "new", "zealand", "italian", "french",
    "mexican", "chinese", "japanese", "greek", "swiss", "english", "spanish", "canadian", "european",
    "hawaiian", "boston", "brazil", "brazilnuts", "usda", "us", "usa", "bengal",
})
_TOKEN = re.compile(r"W/|WO/|[A-Za-z0-9'.%+-]+|[&/]|[^A-Za-z0-9'.%+&/-]+")


def _word(word: str) -> str:
    upper = word.upper()
    if upper in ABBREVIATIONS:
        return ABBREVIATIONS[upper]
    if "-" in word and not upper.endswith("-") and not upper.startswith("-"):
        parts = word.split("-")
        if any(p.upper() in ABBREVIATIONS for p in parts):
            return "-".join(_word(p) for p in parts)
    return word.lower()


def readable_name(description: str) -> str:
    """USDA's short description spelled out in sentence case:
    'CHICKPEAS (GARBANZO BEANS,BENGAL GRAM),MATURE SEEDS,CND,DRND' ->
    'Chickpeas (garbanzo beans, bengal gram), mature seeds, canned, drained'."""
    text = description
    for pattern, replacement in CONTEXT_RULES:
        text = pattern.sub(replacement, text)
    text = text.replace(",", ", ")
    out: list[str] = []
    pieces = _TOKEN.findall(text)
    for index, piece in enumerate(pieces):
        if piece in ("W/", "WO/"):
            out.append(ABBREVIATIONS[piece] + " ")
        elif piece == "&":
            numeric = (index and pieces[index - 1][-1:].isdigit())
            out.append("&" if numeric else " and ")
        elif piece == "/":
            out.append("/")
        elif re.fullmatch(r"[A-Za-z0-9'.%+-]+", piece):
            out.append(_word(piece))
        else:
            out.append(piece)
    name = re.sub(r"\s+", " ", "".join(out)).strip()
    name = re.sub(r"\s+,", ",", name)
    name = re.sub(r"\(\s+", "(", name)
    name = re.sub(r"\s+\)", ")", name)
    name = re.sub(r",(?=\S)", ", ", name)
    words = name.split(" ")
    words = [w[:1].upper() + w[1:] if w.strip(",()").lower() in PROPER else w for w in words]
    name = " ".join(words)
    return name[:1].upper() + name[1:]


def _cells(line: str) -> list[str]:
    return [cell.strip().strip("~").strip() for cell in line.rstrip("\r\n").split("^")]


def _float(text: str) -> float | None:
    return float(text) if text else None


ALCOHOL_WORDS = frozenset({"ALCOHOLIC", "ALCOHOL", "BEER", "WINE", "LIQUEUR", "GIN", "RUM", "VODKA",
                           "WHISKEY", "LIQUOR", "DAIQUIRI", "SAKE", "BOURBON", "CIDER", "EXTRACT"})


def alcohol_by_difference(cells: Sequence[str]) -> str:
    """Alcohol (g per 100 g) of an alcoholic food: SR28 works carbohydrate out by difference
    (100 - water - protein - fat - ash - alcohol), so alcohol is what that leaves. Only for
    foods whose name says so (alcoholic beverages, wine, beer, sake, hard cider, extracts in
    alcohol; not vinegar or non-alcoholic drinks) and only when over 0.5 g; empty otherwise
    (the abbreviated table has no alcohol field)."""
    description = cells[F_DESC].upper()
    words = set(re.findall(r"[A-Z]+", description))
    if not words & ALCOHOL_WORDS or words & {"VINEGAR", "NON", "DEALCOHOLIZED"} or "NON-ALCOHOLIC" in description:
        return ""
    if "CIDER" in words and "HARD" not in words:
        return ""
    parts = [_float(cells[i]) for i in (F_WATER, SR_FIELDS["protein_g"], SR_FIELDS["fat_g"], F_ASH,
                                        SR_FIELDS["carbohydrate_g"])]
    if any(p is None for p in parts):
        return ""
    alcohol = 100.0 - sum(p for p in parts if p is not None)
    return f"{alcohol:.1f}" if alcohol > 0.5 else ""


def _number(text: str) -> str:
    """A number as written in SR28 minus trailing zeros ('0.060' -> '0.06', '24' -> '24')."""
    if not text:
        return ""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def rows(lines: Iterable[str]) -> Iterator[list[str]]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        cells = _cells(line)
        if len(cells) != FIELD_COUNT:
            raise ValueError(f"line {number}: {len(cells)} fields, expected {FIELD_COUNT}")
        ndb = cells[F_NDB]
        if not (ndb.isdigit() and len(ndb) == 5):
            raise ValueError(f"line {number}: unexpected NDB number {ndb!r}")
        group = GROUPS[group_code(ndb, cells[F_DESC])]
        nutrients = [_number(cells[SR_FIELDS[name]]) for name in NUTRIENT_COLUMNS if name in SR_FIELDS]
        row = [ndb, readable_name(cells[F_DESC]), group, *nutrients, alcohol_by_difference(cells),
               _number(cells[F_GMWT1]), " ".join(cells[F_GMDESC1].split()),
               _number(cells[F_GMWT2]), " ".join(cells[F_GMDESC2].split()), _number(cells[F_REFUSE])]
        if any("\t" in cell or "\n" in cell for cell in row):
            raise ValueError(f"line {number}: a tab or newline in a field")
        yield row


def build(source: Path, target: Path) -> int:
    """Write the compact table; returns the number of foods."""
    with source.open(encoding="latin-1") as handle:  # SR28 ships as Windows-1252/Latin-1 text
        table = sorted(rows(handle), key=lambda r: r[0])
    text = io.StringIO()
    text.write("\t".join(COLUMNS) + "\n")
    for row in table:
        text.write("\t".join(row) + "\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                  compresslevel=9) as out:
        out.write(text.getvalue().encode("utf-8"))
    return len(table)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not 1 <= len(args) <= 2:
        print("usage: python -m planner.data.usda_build SR28_ABBREV.txt [OUT.tsv.gz]", file=sys.stderr)
        return 2
    target = Path(args[1]) if len(args) == 2 else USDA_FILE
    count = build(Path(args[0]), target)
    print(f"{count} foods -> {target} ({target.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
