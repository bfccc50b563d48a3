"""Ingredient lines as written on recipe websites, read into amount, unit, size, food and notes.

`parse_line("2 x 400g cans chickpeas, drained and rinsed")` gives quantity 2, unit "can",
size_grams 400, food "chickpeas", preparation "drained and rinsed". Pure Python: no Flask,
no NLTK, no network.

What it reads
  numbers      integers, decimals with "." or "," ("1,5 kg"; "1,000 g" is a thousand), fractions
               "1/2", "1 1/2", unicode vulgar fractions "½", "1½", "1⁄2", words ("one", "a", "an",
               "half", "half a", "a dozen", "a couple of", "one and a half")
  ranges       "1-2", "1–2", "1 to 2", "1 or 2", "½–1", "100-150ml": quantity is the low end and
               quantity_high the high end
  multipliers  "2 x 400g cans", "2 × 400 g tins", "1 (14 oz) can", "2 (15-ounce) cans",
               "400g can", "a 200ml pot": quantity counts the containers, size_grams is one pack
  units        glued or spaced ("400g", "2tbsp", "2 tbsp."), metric, US/UK and kitchen units, with
               plurals, abbreviations and full words (see UNIT_ALIASES); "T" is a tablespoon and
               "t" a teaspoon, the only case-sensitive aliases
  compounds    "1lb 2oz", "1 tbsp + 1 tsp", "1 cup plus 2 tablespoons": added up in the first unit
  alternatives "200g/7oz" and "2oz/50g" keep the metric amount and drop the other; a bracketed
               amount after the first one ("1 cup (240 ml)", "1 lb (450 g)") keeps the first
               amount and goes into `note` unless the first amount is already metric, when it
               is dropped; after a container ("1 can (15 oz)") it is the pack size
  food         lower case, without size words ("large"), quality words ("ripe") or preparation
               ("finely chopped", "freshly ground"); a leading participle is preparation
               ("chopped fresh parsley" -> preparation "chopped", food "fresh parsley") except in
               product names ("chopped tomatoes", "minced beef", "toasted sesame oil"); "fresh",
               "dried", "frozen", "ground" and "cooked" stay in the food
  unit nouns   after the food: "2 garlic cloves" -> unit "clove", food "garlic" (likewise
               "celery sticks", "rosemary sprigs", "salmon fillets", "beef stock cube"); a clove
               is only a unit for garlic ("4 whole cloves" is the spice)
  juice, zest  "juice of 1 lemon" -> quantity 1, food "lemon juice"; "zest of 1 orange" -> food
               "orange zest"; "zest and juice of 1 lime" -> food "lime" (the whole fruit is used)
  alternatives in the food: "butter or olive oil" -> food "butter", note "or olive oil"
  optional     "to taste", "to serve", "for serving", "optional", "(optional)", "to garnish",
               "for garnish", "to season", "if you like", "to taste" alone... ("plus more to taste" is a note on a
               line that has an amount, so not optional; "for frying", "for dusting" are notes)
  headers      "For the sauce:", "FOR THE DRESSING", "Marinade:" -> quantity None, food "",
               note "header"
  bullets      "- ", "• ", "* ", "▢ " and similar prefixes are dropped
  blank lines  raise ValueError; any other text parses (perhaps to food only) without raising
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction

# ------------------------------------------------------------------------------ units

# Canonical unit key -> (kind, grams (mass) or millilitres (volume) per unit, or None).
# Kinds: "mass", "volume", "count" (a piece of something: clove, slice...), "container" (as bought).
# Sources of the factors:
#   - avoirdupois ounce and pound: exact by the international yard and pound agreement (1959):
#     1 lb = 453.59237 g, 1 oz = 1/16 lb = 28.349523 g.
#   - cup, tablespoon, teaspoon: US FDA nutrition labelling rule 21 CFR 101.9(b)(5)(viii):
#     1 cup = 240 ml, 1 tbsp = 15 ml, 1 tsp = 5 ml, 1 fl oz = 30 ml for labelling; we keep the
#     exact US customary fluid ounce, 29.5735 ml (NIST Handbook 44, Appendix C).
#   - dessertspoon: 10 ml, the British culinary convention (two teaspoons).
#   - pint: the UK (imperial) pint, 568.261 ml (Weights and Measures Act 1985, schedule 1); a US
#     pint is 473 ml, so US recipes that say "pint" read about 20 % high. quart: US liquid quart,
#     946.353 ml (NIST Handbook 44), because "quart" appears in US recipes almost only.
#   - pinch 1/16 tsp (~0.3 ml), dash 1/8 tsp (~0.6 ml), drop 0.05 ml (USP: 20 drops per ml):
#     kitchen conventions printed on US measuring-spoon sets; splash (~5 ml) and glug (~15 ml) are
#     our own rough readings of a quick pour, good enough for the grams they stand for.
UNITS: dict[str, tuple[str, float | None]] = {
    "mg": ("mass", 0.001),
    "g": ("mass", 1.0),
    "kg": ("mass", 1000.0),
    "oz": ("mass", 28.349523125),
    "lb": ("mass", 453.59237),
    "ml": ("volume", 1.0),
    "cl": ("volume", 10.0),
    "dl": ("volume", 100.0),
    "l": ("volume", 1000.0),
    "tsp": ("volume", 5.0),
    "dessertspoon": ("volume", 10.0),
    "tbsp": ("volume", 15.0),
    "fl oz": ("volume", 29.5735),
    "cup": ("volume", 240.0),
    "pint": ("volume", 568.261),
    "quart": ("volume", 946.353),
    "gallon": ("volume", 3785.41),
    "pinch": ("volume", 0.3),
    "dash": ("volume", 0.6),
    "drop": ("volume", 0.05),
    "splash": ("volume", 5.0),
    "glug": ("volume", 15.0),
    "handful": ("count", None),
    "bunch": ("count", None),
    "sprig": ("count", None),
    "clove": ("count", None),
    "slice": ("count", None),
    "rasher": ("count", None),
    "stick": ("count", None),
    "knob": ("count", None),
    "head": ("count", None),
    "stalk": ("count", None),
    "fillet": ("count", None),
    "piece": ("count", None),
    "sheet": ("count", None),
    "cube": ("count", None),
    "can": ("container", None),
    "jar": ("container", None),
    "pack": ("container", None),
    "pot": ("container", None),
    "bag": ("container", None),
    "sachet": ("container", None),
    "punnet": ("container", None),
    "bottle": ("container", None),
    "carton": ("container", None),
    "block": ("container", None),
    "box": ("container", None),
}

# Words for each unit, matched case-insensitively (except CASE_SENSITIVE_UNITS). A trailing
# "." is allowed after any of them ("tsp.", "lb.", "c.").
UNIT_ALIASES: dict[str, tuple[str, ...]] = {
    "mg": ("mg", "milligram", "milligrams", "milligramme", "milligrammes"),
    "g": ("g", "gr", "grs", "gm", "gms", "gram", "grams", "gramme", "grammes"),
    "kg": ("kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes"),
    "oz": ("oz", "ozs", "ounce", "ounces"),
    "lb": ("lb", "lbs", "pound", "pounds"),
    "ml": ("ml", "mls", "millilitre", "millilitres", "milliliter", "milliliters"),
    "cl": ("cl", "centilitre", "centilitres", "centiliter", "centiliters"),
    "dl": ("dl", "decilitre", "decilitres", "deciliter", "deciliters"),
    "l": ("l", "lt", "ltr", "ltrs", "litre", "litres", "liter", "liters"),
    "tsp": ("tsp", "tsps", "tspn", "tspns", "teaspoon", "teaspoons", "teaspoonful", "teaspoonfuls"),
    "dessertspoon": ("dessertspoon", "dessertspoons", "dessertspoonful", "dsp", "dsps", "dssp", "dstspn"),
    "tbsp": ("tbsp", "tbsps", "tbs", "tbl", "tbls", "tblsp", "tb", "tablespoon", "tablespoons",
             "tablespoonful", "tablespoonfuls"),
    "fl oz": ("fl oz", "fl. oz", "fl.oz", "floz", "fluid ounce", "fluid ounces"),
    "cup": ("cup", "cups", "c"),
    "pint": ("pint", "pints", "pt", "pts"),
    "quart": ("quart", "quarts", "qt", "qts"),
    "gallon": ("gallon", "gallons", "gal"),
    "pinch": ("pinch", "pinches"),
    "dash": ("dash", "dashes"),
    "drop": ("drop", "drops"),
    "splash": ("splash", "splashes"),
    "glug": ("glug", "glugs"),
    "handful": ("handful", "handfuls"),
    "bunch": ("bunch", "bunches"),
    "sprig": ("sprig", "sprigs"),
    "clove": ("clove", "cloves"),
    "slice": ("slice", "slices"),
    "rasher": ("rasher", "rashers"),
    "stick": ("stick", "sticks"),
    "knob": ("knob", "knobs"),
    "head": ("head", "heads"),
    "stalk": ("stalk", "stalks", "rib", "ribs"),
    "fillet": ("fillet", "fillets"),
    "piece": ("piece", "pieces", "pc", "pcs"),
    "sheet": ("sheet", "sheets"),
    "cube": ("cube", "cubes"),
    "can": ("can", "cans", "tin", "tins"),
    "jar": ("jar", "jars"),
    "pack": ("pack", "packs", "packet", "packets", "package", "packages", "pkg", "pkgs", "pkt", "pkts"),
    "pot": ("pot", "pots", "tub", "tubs"),
    "bag": ("bag", "bags"),
    "sachet": ("sachet", "sachets", "envelope", "envelopes"),
    "punnet": ("punnet", "punnets"),
    "bottle": ("bottle", "bottles"),
    "carton": ("carton", "cartons"),
    "block": ("block", "blocks"),
    "box": ("box", "boxes"),
}
CASE_SENSITIVE_UNITS: dict[str, str] = {"T": "tbsp", "Tb": "tbsp", "Tbs": "tbsp", "t": "tsp"}

# Unit nouns that may follow the food ("2 garlic cloves", "3 rosemary sprigs"), singular forms.
# "rib" is left out: "4 pork ribs" are ribs, not celery stalks.
TRAILING_UNITS: dict[str, str] = {
    "clove": "clove", "cloves": "clove", "sprig": "sprig", "sprigs": "sprig",
    "stick": "stick", "sticks": "stick", "stalk": "stalk", "stalks": "stalk",
    "fillet": "fillet", "fillets": "fillet", "rasher": "rasher", "rashers": "rasher",
    "cube": "cube", "cubes": "cube", "slice": "slice", "slices": "slice",
}
# A clove is only a unit of garlic; otherwise "cloves" is the spice.
CLOVE_FOODS = ("garlic",)
# Units that are the food itself when nothing follows them ("4 cloves": the spice).
UNIT_WORDS_THAT_ARE_FOODS = frozenset({"clove"})
# Kitchen units that mean one when written without a number: "Pinch of salt", "small bunch chives".
IMPLIED_ONE_UNITS = frozenset({"pinch", "dash", "splash", "glug", "handful", "bunch", "sprig", "knob"})
# Lengths that describe a piece ("a 5cm piece of ginger", "1 inch piece ginger").
LENGTH_UNITS = ("cm", "mm", "inch", "inches", "in")

# ------------------------------------------------------------------------------ numbers

VULGAR_FRACTIONS: dict[str, str] = {
    "½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅖": "2/5",
    "⅗": "3/5", "⅘": "4/5", "⅙": "1/6", "⅚": "5/6", "⅛": "1/8", "⅜": "3/8", "⅝": "5/8", "⅞": "7/8",
}
# Words read as numbers at the start of a line, longest first when matched.
NUMBER_WORDS: dict[str, float] = {
    "a dozen": 12, "dozen": 12, "half a dozen": 6, "a couple of": 2, "a couple": 2, "couple of": 2,
    "a few": 3,  # a rough reading; recipes rarely mean more
    "half a": 0.5, "half an": 0.5, "a half": 0.5, "half": 0.5,
    "a quarter of": 0.25, "a quarter": 0.25, "quarter": 0.25,
    "one and a half": 1.5, "two and a half": 2.5,
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
# Words before an amount that say it is approximate ("about 200g"); kept in the note.
APPROXIMATE_WORDS = ("about", "approximately", "approx.", "approx", "around", "roughly", "circa", "c.", "~")

# ------------------------------------------------------------------------------ words about the food

# Size words (ParsedLine.size): of the food ("2 large eggs") or of the measure ("1 heaped tbsp").
SIZE_WORDS = (
    "extra-large", "extra large", "medium-sized", "medium-size", "large", "small", "medium", "big",
    "jumbo", "heaped", "heaping", "level", "rounded", "generous", "scant", "thumb-sized",
    "thumb-size", "thumb sized", "walnut-sized", "fat", "thick", "thin",
)
# Words of quality, not of the food bought: dropped from the food, kept in the note.
QUALITY_WORDS = ("good-quality", "good quality", "best-quality", "ripe", "very ripe")
# Adverbs that start a preparation ("finely chopped", "freshly ground").
PREP_ADVERBS = (
    "finely", "roughly", "coarsely", "thinly", "thickly", "freshly", "lightly", "loosely", "firmly",
    "well", "very", "just", "gently", "evenly", "newly", "thoroughly",
)
# Participles of preparation, stripped from the front of the food ("chopped fresh parsley").
PREP_PARTICIPLES = (
    "chopped", "diced", "sliced", "minced", "grated", "crushed", "beaten", "whisked", "melted",
    "softened", "peeled", "shredded", "torn", "halved", "quartered", "cubed", "packed", "sifted",
    "toasted", "mashed", "cooled", "chilled", "seeded", "deseeded", "trimmed", "drained", "rinsed",
    "crumbled", "snipped", "picked", "zested", "juiced", "squeezed", "julienned", "cut", "separated",
    "washed", "scrubbed", "stoned", "thawed", "defrosted", "lukewarm", "warm", "hot",
    "cold", "boiling", "room-temperature", "warmed", "heated", "skinned",
)
# Participles that count as preparation only after an adverb ("freshly ground black pepper");
# alone they name a product ("ground cumin", "pitted olives").
ADVERB_ONLY_PARTICIPLES = ("ground", "pitted", "cracked", "dried", "cooked", "roasted", "smoked")
# Product names that begin with a preparation word and keep it ("chopped tomatoes").
PRODUCT_NAMES = (
    "chopped tomatoes", "chopped tinned tomatoes", "diced tomatoes", "crushed tomatoes",
    "minced beef", "minced pork", "minced lamb", "minced turkey", "minced chicken", "minced meat",
    "sliced almonds", "flaked almonds", "chopped nuts", "chopped walnuts", "crushed chillies",
    "crushed red pepper", "toasted sesame oil", "mashed potato",
    "hot sauce", "hot chilli", "hot chili", "hot smoked", "hot paprika", "hot dog", "hot chocolate",
    "hot cross", "hot pepper", "hot water crust", "cold brew", "cut mixed peel", "grated coconut",
    "shredded coconut", "shredded wheat", "sliced bread", "pitted black olives", "pitted olives",
    "pitted green olives", "pitted dates", "peeled tomatoes", "warm spices",
)
# Words between the amount and the food that belong to neither ("1 tsp each cumin and coriander").
FILLER_WORDS = ("each", "of each", "of")
# Descriptors sometimes listed with commas before the food ("8 bone-in, skin-on chicken thighs").
COMMA_DESCRIPTORS = ("bone-in", "skin-on", "skin-off", "boneless", "skinless", "bone in", "skin on")
# Phrases that make an ingredient optional.
OPTIONAL_PHRASES = (
    "optional", "to taste", "to serve", "for serving", "to garnish", "for garnish", "to season",
    "for seasoning", "if you like", "if desired", "if liked", "if using", "to decorate",
    "for decoration", "as needed", "to finish", "for the table",
)
# Phrases that start a note rather than a preparation.
NOTE_PHRASES = (
    "plus", "such as", "or ", "about", "approx", "around", "roughly", "each", "see ", "for frying",
    "for deep-frying", "for shallow-frying", "for greasing", "for dusting", "for brushing",
    "for drizzling", "for sprinkling", "to glaze", "to sprinkle", "to brush", "to drizzle",
    "to dust", "to grease", "to fry", "for the", "we used", "we like", "i used", "use ", "available",
    "from ", "homemade", "store-bought", "shop-bought", "reserved", "divided", "at room temperature",
)
# "juice of 1 lemon", "zest and juice of 1 lime": the part taken from the fruit.
FRUIT_PARTS = ("zest and juice", "juice and zest", "finely grated zest", "grated zest", "zest", "juice",
               "rind", "grated rind")
HEADER_NOTE = "header"

BULLET_RE = re.compile(r"^\s*[-–—•*·▪▫◦●○■□▢☐✓✔>]+\s*")


@dataclass(frozen=True)
class ParsedLine:
    """One ingredient line read into its parts (see the module docstring for the rules)."""

    text: str                     # the original line, unchanged
    quantity: float | None        # the amount, low end of a range; None when none is given
    quantity_high: float | None   # high end of a range, else None
    unit: str | None              # a key of UNITS, or None for a count or no amount
    size_grams: float | None      # stated pack size in g or ml ("1 x 400 g can" -> 400)
    size: str | None              # a size word: "large", "heaped", "thumb-sized", "5cm"
    food: str                     # the food words, lower case
    preparation: str              # "finely chopped", "drained and rinsed", "" if none
    optional: bool                # "to taste", "to serve", "(optional)" ...
    note: str                     # anything else worth keeping; "header" for a section header


@dataclass
class _Amount:
    """What has been read of the amount so far (mutable while parsing)."""

    quantity: float | None = None
    quantity_high: float | None = None
    unit: str | None = None
    size_grams: float | None = None
    size: str | None = None
    notes: list[str] = field(default_factory=list)

    def add_note(self, text: str) -> None:
        if text:
            self.notes.append(text)


# ------------------------------------------------------------------------------ regular expressions

def _alternation(words: list[str]) -> str:
    """A regex alternation of `words`, longest first, with spaces and dots escaped."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s*") for w in sorted(words, key=len, reverse=True))


_NUMBER = r"(?:\d+\s+\d+/\d+|\d+/\d+|\d+(?:[.,]\d+)?|\.\d+)"
_NUMBER_RE = re.compile(_NUMBER)
_WORD_NUMBER_RE = re.compile(rf"(?i)({_alternation(list(NUMBER_WORDS))})(?![\w-])")
_RANGE_SEP_RE = re.compile(r"\s*(?:-|–|—|to|or|-to-)\s*(?=[\d.])", re.IGNORECASE)
_MULTIPLY_RE = re.compile(r"\s*[x×X*]\s*(?=[\d.(])")
_UNIT_WORDS: dict[str, str] = {alias: key for key, aliases in UNIT_ALIASES.items() for alias in aliases}
_UNIT_RE = re.compile(rf"(?i)({_alternation(list(_UNIT_WORDS))})(?:\.(?!\d))?(?![A-Za-z])")
_CASE_UNIT_RE = re.compile(rf"({_alternation(list(CASE_SENSITIVE_UNITS))})(?:\.)?(?![A-Za-z])")
_LENGTH_RE = re.compile(rf"(?i)({_NUMBER})\s*(?:-\s*)?({_alternation(list(LENGTH_UNITS))}|\")\.?\s+(?=piece)")
_LENGTH_AFTER_RE = re.compile(rf"(?i)\s*(?:-\s*)?({_alternation(list(LENGTH_UNITS))}|\")\.?\s+(?=piece)")
_SIZE_RE = re.compile(rf"(?i)({_alternation(list(SIZE_WORDS))})(?![\w-])\s*")
_QUALITY_RE = re.compile(rf"(?i)^({_alternation(list(QUALITY_WORDS))})(?![\w-])\s*")
_OF_RE = re.compile(r"(?i)^\s*of\s+")
_COMPOUND_RE = re.compile(r"(?i)\s*(?:\+|plus|and)\s*(?=\d)")
_FILLER_RE = re.compile(rf"(?i)^(?:{_alternation(list(FILLER_WORDS))})\s+")
_BRACKET_RE = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")
_SLASH_RE = re.compile(r"\s*/\s*(?=[\d½⅓⅔¼¾⅛.])")
_APPROX_RE = re.compile(rf"(?i)^({_alternation(list(APPROXIMATE_WORDS))})(?=[\s\d])\s*")
_FRUIT_RE = re.compile(rf"(?i)^(?:the\s+)?({_alternation(list(FRUIT_PARTS))})\s+of\s+(.+)$")
_ADVERB_PREP_RE = re.compile(
    rf"(?i)\b(?:{_alternation(list(PREP_ADVERBS))})[\s-]+"
    rf"(?:{_alternation(list(PREP_PARTICIPLES) + list(ADVERB_ONLY_PARTICIPLES))})\b\s*"
)
_LEADING_PREP_RE = re.compile(
    rf"(?i)^(?:(?:{_alternation(list(PREP_ADVERBS))})[\s-]+)?"
    rf"(?:{_alternation(list(PREP_PARTICIPLES))})(?![\w-])(?:\s*(?:,|and)\s*)?\s*"
)


# ------------------------------------------------------------------------------ normalising

def _normalise(text: str) -> str:
    """Unicode fractions, dashes and spaces made plain; "1½" -> "1 1/2"; "1,000" -> "1000"."""
    s = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ").replace("⁄", "/")
    for char, plain in VULGAR_FRACTIONS.items():
        s = s.replace(char, f" {plain} ")
    s = re.sub(r"(\d),(\d{3})(?!\d)", r"\1\2", s)
    s = re.sub(r"(?<=\d)\s*[–—]\s*(?=\d)", "-", s)
    s = s.replace("×", " x ")
    return re.sub(r"\s+", " ", s).strip()


def _to_number(token: str) -> float:
    """ "1 1/2" -> 1.5, "3/4" -> 0.75, "1,5" -> 1.5, ".5" -> 0.5."""
    token = token.strip().replace(",", ".")
    total = Fraction(0)
    for part in token.split():
        if "/" in part:
            num, den = part.split("/", 1)
            if int(den) == 0:
                raise ValueError("zero denominator")
            total += Fraction(int(num), int(den))
        else:
            total += Fraction(part)
    return float(total)


# ------------------------------------------------------------------------------ reading the amount

def _read_number(s: str, pos: int) -> tuple[float, int] | None:
    """A number (digits or words) at `pos`, and where it ends."""
    m = _NUMBER_RE.match(s, pos)
    if m:
        try:
            return _to_number(m.group(0)), m.end()
        except (ValueError, ZeroDivisionError):
            return None
    m = _WORD_NUMBER_RE.match(s, pos)
    if m:
        return float(NUMBER_WORDS[m.group(1).lower()]), m.end()
    return None


def _read_digits(s: str, pos: int) -> tuple[float, int] | None:
    """A number written in digits at `pos` (no words: "a" inside a food is not one)."""
    m = _NUMBER_RE.match(s, pos)
    if not m:
        return None
    try:
        return _to_number(m.group(0)), m.end()
    except (ValueError, ZeroDivisionError):
        return None


def _read_unit(s: str, pos: int) -> tuple[str, int] | None:
    """A unit word at `pos` (spaces allowed before it), and where it ends."""
    start = _skip_spaces(s, pos)
    m = _CASE_UNIT_RE.match(s, start)
    if m:
        return CASE_SENSITIVE_UNITS[m.group(1)], m.end()
    m = _UNIT_RE.match(s, start)
    if m:
        word = re.sub(r"\s+", " ", m.group(1).lower())
        key = _UNIT_WORDS.get(word) or _UNIT_WORDS.get(word.replace(" ", ""))
        if key is None:  # "fl. oz" with odd spacing
            key = "fl oz"
        return key, m.end()
    return None


def _read_measure(s: str, pos: int) -> tuple[float, str, int] | None:
    """A number and a mass or volume unit ("400g", "15-ounce", "14 oz.") at `pos`."""
    got = _read_digits(s, pos)
    if got is None:
        return None
    value, end = got
    end = end + 1 if s[end:end + 1] == "-" else end
    unit = _read_unit(s, end)
    if unit is None or UNITS[unit[0]][0] not in ("mass", "volume"):
        return None
    return value, unit[0], unit[1]


def _measure_grams(value: float, unit: str) -> float:
    """Grams or millilitres in `value` `unit` (mass or volume units only)."""
    factor = UNITS[unit][1]
    return round(value * (factor or 0.0), 1)


def _is_metric(unit: str | None) -> bool:
    return unit in ("g", "kg", "mg", "ml", "l", "cl", "dl")


def _skip_spaces(s: str, pos: int) -> int:
    while pos < len(s) and s[pos] == " ":
        pos += 1
    return pos


def _read_size_word(s: str, pos: int, amount: _Amount) -> int:
    """A size word ("large", "heaped") at `pos` goes into `amount.size`."""
    m = _SIZE_RE.match(s, _skip_spaces(s, pos))
    if m and amount.size is None:
        amount.size = re.sub(r"\s+", "-", m.group(1).lower())
        return m.end()
    return pos


def _read_pack_size(s: str, pos: int, amount: _Amount) -> int:
    """A pack size after a multiplier or before a container: "400g", "(400g)", "(15-ounce)"."""
    p = _skip_spaces(s, pos)
    bracket = _BRACKET_RE.match(s, p)
    if bracket:
        inner = _read_measure(bracket.group(1).strip(), 0)
        if inner and inner[2] == len(bracket.group(1).strip()):
            amount.size_grams = _measure_grams(inner[0], inner[1])
            return bracket.end()
        return pos
    measure = _read_measure(s, p)
    if measure:
        amount.size_grams = _measure_grams(measure[0], measure[1])
        return measure[2]
    length = _LENGTH_RE.match(s, p)
    if length:
        amount.size = f"{length.group(1)}{length.group(2)}"
        return length.end()
    return pos


def _read_alternative(s: str, pos: int, amount: _Amount) -> int:
    """ "/7oz", "/2lb 4oz", "/50g" after the amount: keep the metric one, drop the other."""
    m = _SLASH_RE.match(s, pos)
    if not m:
        return pos
    end = m.end()
    first = _read_measure(s, end)
    if first is None:
        return pos
    value, unit, end = first
    if not _is_metric(amount.unit) and _is_metric(unit):
        amount.quantity, amount.quantity_high, amount.unit = value, None, unit
    while True:  # "2lb 4oz": more parts of the same alternative
        more = _read_measure(s, _skip_spaces(s, end))
        if more is None:
            return end
        end = more[2]


def _read_bracket_after_amount(s: str, pos: int, amount: _Amount) -> int:
    """ "(240 ml)", "(3½oz)", "(1 stick)", "(15 oz)" just after the amount."""
    bracket = _BRACKET_RE.match(s, pos)
    if not bracket:
        return pos
    inner = bracket.group(1).strip()
    measure = _read_measure(inner, 0)
    looks_like_amount = bool(measure) or bool(re.match(rf"{_NUMBER}\s*[a-zA-Z]+\.?$", inner))
    if not looks_like_amount:
        return pos
    kind = UNITS[amount.unit][0] if amount.unit else None
    if kind == "container" and measure and amount.size_grams is None:
        amount.size_grams = _measure_grams(measure[0], measure[1])
    elif not _is_metric(amount.unit):
        amount.add_note(inner)
    return bracket.end()


def _read_amount(s: str) -> tuple[_Amount, str]:
    """The amount at the start of `s`, and the rest of the line."""
    amount = _Amount()
    approx = _APPROX_RE.match(s)
    pos = 0
    if approx:
        amount.add_note(approx.group(1).lower().rstrip("."))
        pos = approx.end()
    number = _read_number(s, pos)
    if number is None:
        return _read_implied_one(s, pos, amount)
    start = pos
    amount.quantity, pos = number
    length = _LENGTH_AFTER_RE.match(s, pos)
    if length:  # "1 inch piece ginger": one piece, an inch long
        amount.size = f"{s[start:pos].strip()}{length.group(1).lower()}"
        amount.quantity, pos = 1.0, length.end()
    pos = _read_range(s, pos, amount)
    multiplied = _MULTIPLY_RE.match(s, pos)
    if multiplied:
        pos = _read_pack_size(s, multiplied.end(), amount)
    elif s[_skip_spaces(s, pos):].startswith("(") or _pack_before_container(s, pos):
        pos = _read_pack_size(s, pos, amount)
    pos = _read_size_word(s, pos, amount)
    if amount.size is None and amount.size_grams is None:
        pos = _read_pack_size(s, pos, amount) if _LENGTH_RE.match(s, _skip_spaces(s, pos)) else pos
    pos = _read_unit_and_after(s, pos, amount, multiplied=bool(multiplied))
    return amount, s[pos:]


def _pack_before_container(s: str, pos: int) -> bool:
    """ "a 200ml pot", "1 400g can": a measure then a container after a first number."""
    if pos >= len(s) or s[pos] != " ":
        return False
    measure = _read_measure(s, _skip_spaces(s, pos))
    if measure is None:
        return False
    container = _read_unit(s, measure[2])
    return container is not None and UNITS[container[0]][0] == "container"


def _read_range(s: str, pos: int, amount: _Amount) -> int:
    """ "-2", " to 2", " or 2", also with a glued unit between ("100g-150g")."""
    sep = _RANGE_SEP_RE.match(s, pos)
    if not sep:
        return _read_range_with_units(s, pos, amount)
    high = _read_digits(s, sep.end())
    if high is None or amount.quantity is None or high[0] <= amount.quantity:
        return pos
    amount.quantity_high = high[0]
    return high[1]


def _read_range_with_units(s: str, pos: int, amount: _Amount) -> int:
    """ "100g-150g": a range with the unit written on both ends; the second unit is read later."""
    unit = _read_unit(s, pos)
    if unit is None or UNITS[unit[0]][0] not in ("mass", "volume"):
        return pos
    sep = _RANGE_SEP_RE.match(s, unit[1])
    high = _read_digits(s, sep.end()) if sep else None
    if high is None or amount.quantity is None or high[0] <= amount.quantity:
        return pos
    high_unit = _read_unit(s, high[1])
    if high_unit is None or high_unit[0] != unit[0]:
        return pos
    amount.quantity_high = high[0]
    return high[1]


def _read_unit_and_after(s: str, pos: int, amount: _Amount, multiplied: bool) -> int:
    """The unit, then a container after a pack size ("400g can"), alternatives and brackets."""
    unit = _read_unit(s, pos)
    if unit is None:
        return pos
    key, end = unit
    kind = UNITS[key][0]
    if kind in ("mass", "volume") and amount.size_grams is None and amount.quantity is not None:
        container = _read_unit(s, end)
        if container and UNITS[container[0]][0] == "container" and amount.quantity_high is None:
            # "400g can chopped tomatoes": one can of 400 g
            amount.size_grams = _measure_grams(amount.quantity, key)
            amount.quantity = amount.quantity if multiplied else 1.0
            key, end = container
    amount.unit = key
    end = _read_compound(s, end, amount)
    end = _read_alternative(s, end, amount)
    end = _read_bracket_after_amount(s, end, amount)
    end = _read_size_word(s, end, amount)
    of = _OF_RE.match(s, end)
    return of.end() if of else end


def _read_compound(s: str, pos: int, amount: _Amount) -> int:
    """ "1lb 2oz", "1 tbsp + 1 tsp", "1 cup plus 2 tablespoons": a second amount of the same
    kind is added to the first, in the first one's unit."""
    if amount.unit is None or amount.quantity is None or amount.quantity_high is not None:
        return pos
    kind, factor = UNITS[amount.unit]
    if kind not in ("mass", "volume") or not factor:
        return pos
    joint = _COMPOUND_RE.match(s, pos)
    start = joint.end() if joint else _skip_spaces(s, pos)
    more = _read_measure(s, start)
    if more is None or UNITS[more[1]][0] != kind:
        return pos
    amount.quantity += more[0] * (UNITS[more[1]][1] or 0.0) / factor
    return more[2]


def _read_implied_one(s: str, pos: int, amount: _Amount) -> tuple[_Amount, str]:
    """ "Pinch of salt", "small bunch chives": a kitchen unit with no number means one."""
    probe = _Amount()
    p = _read_size_word(s, pos, probe)
    unit = _read_unit(s, p)
    if unit and unit[0] in IMPLIED_ONE_UNITS and re.match(r"\s*\S", s[unit[1]:]):
        amount.quantity, amount.unit, amount.size = 1.0, unit[0], probe.size
        of = _OF_RE.match(s, unit[1])
        return amount, s[of.end() if of else unit[1]:]
    return amount, s[pos:]


# ------------------------------------------------------------------------------ reading the food

def _pull_brackets(rest: str) -> tuple[str, list[str]]:
    """Bracketed asides taken out of the rest of the line."""
    asides = [m.group(1).strip() for m in _BRACKET_RE.finditer(rest)]
    return _BRACKET_RE.sub(" ", rest), asides


def _is_optional(phrase: str) -> bool:
    low = phrase.lower().strip(" .;:!*")
    return any(re.search(rf"(?:^|\b){re.escape(p)}\b", low) for p in OPTIONAL_PHRASES) \
        and not low.startswith(("plus", "and more", "more "))


def _is_note(phrase: str) -> bool:
    low = phrase.lower().strip()
    return low.startswith(NOTE_PHRASES)


def _split_food_phrase(phrase: str) -> tuple[str, list[str], list[str], bool]:
    """The food words of the first comma segment, with preparation and notes pulled out."""
    prep: list[str] = []
    notes: list[str] = []
    optional = False
    low = phrase.strip()
    if low.lower().strip(" .") in OPTIONAL_PHRASES:  # "to taste" on its own
        return "", prep, notes, True
    for p in sorted(OPTIONAL_PHRASES, key=len, reverse=True):  # "salt to taste"
        m = re.search(rf"(?i)\s+{re.escape(p)}$", low)
        if m and p != "optional":
            optional = True
            low = low[:m.start()]
            break
    if re.search(r"(?i)\s+optional$", low):
        optional, low = True, re.sub(r"(?i)\s+optional$", "", low)
    plus = re.search(r"(?i)\s+(plus|and extra|\+)\s.*$", low)
    if plus:
        notes.append(plus.group(0).strip())
        low = low[:plus.start()]
    alt = re.search(r"(?i)\s+(?:or|and/or)\s+(?!\d).*$", low)
    if alt:
        notes.append(alt.group(0).strip())
        low = low[:alt.start()]
    return low, prep, notes, optional


def _strip_descriptors(food: str, amount: _Amount, prep: list[str], notes: list[str]) -> str:
    """Leading size, quality and preparation words moved out of the food words."""
    changed = True
    while changed and food:
        changed = False
        size = _SIZE_RE.match(food)
        if size and amount.size is None and len(food) > size.end():
            amount.size = re.sub(r"\s+", "-", size.group(1).lower())
            food, changed = food[size.end():], True
            continue
        quality = _QUALITY_RE.match(food)
        if quality and len(food) > quality.end():
            notes.append(quality.group(1).lower())
            food, changed = food[quality.end():], True
            continue
        if food.lower().startswith(PRODUCT_NAMES):
            break
        lead = _LEADING_PREP_RE.match(food)
        if lead and len(food) > lead.end():
            prep.append(re.sub(r"[\s,]*(and)?\s*$", "", lead.group(0)).strip().lower())
            food, changed = food[lead.end():], True
    inner = _ADVERB_PREP_RE.search(food)
    while inner and len(food) > inner.end() - inner.start():  # "salt and freshly ground pepper"
        prep.append(inner.group(0).strip().lower())
        food = food[:inner.start()] + food[inner.end():]
        inner = _ADVERB_PREP_RE.search(food)
    return food


def _trailing_unit(food: str, amount: _Amount) -> str:
    """ "garlic cloves" -> unit clove, food "garlic", when no unit was read before the food."""
    if amount.unit is not None or amount.quantity is None:
        return food
    words = food.split()
    if len(words) < 2 or words[-1].lower() not in TRAILING_UNITS:
        return food
    key = TRAILING_UNITS[words[-1].lower()]
    head = " ".join(words[:-1])
    if key == "clove" and not any(f in head.lower() for f in CLOVE_FOODS):
        return food
    amount.unit = key
    return head


def _unit_as_food(food: str, amount: _Amount, unit_word: str) -> str:
    """ "4 cloves" with nothing after: the spice, not garlic ("1 slice" stays a slice)."""
    if food or amount.unit not in UNIT_WORDS_THAT_ARE_FOODS:
        return food
    amount.unit = None
    return unit_word


def _clean_food(food: str) -> str:
    """Lower case, single spaces, no stray punctuation or filler words at the ends."""
    food = re.sub(r"\s+", " ", food).strip(" ,;:.-*").lower()
    return _FILLER_RE.sub("", re.sub(r"^the\s+", "", food))


def _join_descriptors(segments: list[str]) -> list[str]:
    """ "bone-in", " skin-on chicken thighs" -> "bone-in skin-on chicken thighs"."""
    while len(segments) > 1 and segments[0].strip().lower() in COMMA_DESCRIPTORS:
        segments = [f"{segments[0].strip()} {segments[1].strip()}"] + segments[2:]
    return segments


def _classify_segments(segments: list[str], prep: list[str], notes: list[str]) -> bool:
    """Comma segments after the food: optional markers, notes, else preparation."""
    optional = False
    for raw in segments:
        seg = raw.strip(" .;")
        if not seg:
            continue
        if _is_optional(seg):
            optional = True
            rest = re.sub(rf"(?i)\b({'|'.join(re.escape(p) for p in OPTIONAL_PHRASES)})\b", "", seg).strip(" ,")
            if rest and rest.lower() not in ("or", "and"):
                prep.append(rest)
        elif _is_note(seg):
            notes.append(seg)
        else:
            prep.append(seg)
    return optional


# ------------------------------------------------------------------------------ the entry point

def _header(text: str, s: str) -> ParsedLine | None:
    """A section header ("For the sauce:", "FOR THE DRESSING"), else None."""
    low = s.lower()
    ends_colon = s.endswith(":") and not re.search(r"\d", s)
    starts_for = re.match(r"(?i)^for\s+(the\s+)?\w", s) is not None and not re.search(r"\d", s) and "," not in s
    if ends_colon or starts_for or low in ("to serve", "garnish", "topping", "marinade"):
        return ParsedLine(text=text, quantity=None, quantity_high=None, unit=None, size_grams=None,
                          size=None, food="", preparation="", optional=False, note=HEADER_NOTE)
    return None


def _fruit_part(s: str) -> tuple[str, str] | None:
    """ "juice of 1 lemon" -> ("juice", "1 lemon"); "zest and juice of 1 lime" -> ("", "1 lime")."""
    m = _FRUIT_RE.match(s)
    if not m:
        return None
    part = m.group(1).lower()
    if "zest" in part and "juice" in part:
        return "", m.group(2)
    return ("zest" if "zest" in part or "rind" in part else "juice"), m.group(2)


def parse_line(text: str) -> ParsedLine:
    """Read one ingredient line. Raises ValueError for a blank line; never for other text."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("parse_line: the ingredient line is empty or blank; give some text")
    s = BULLET_RE.sub("", _normalise(text), count=1).strip()
    header = _header(text, s)
    if header:
        return header
    fruit = _fruit_part(s)
    if fruit:
        s = fruit[1]
    amount, rest = _read_amount(s)
    unit_word = _last_unit_word(s[: len(s) - len(rest)])
    rest, asides = _pull_brackets(rest)
    segments = _join_descriptors(rest.split(","))
    food, prep, notes, optional = _split_food_phrase(segments[0])
    notes = amount.notes + notes
    optional = _classify_segments(segments[1:], prep, notes) or optional
    for aside in asides:
        if _is_optional(aside) and aside.lower().strip() in OPTIONAL_PHRASES:
            optional = True
        elif amount.unit and UNITS[amount.unit][0] == "container" and amount.size_grams is None \
                and (m := _read_measure(aside, 0)):
            amount.size_grams = _measure_grams(m[0], m[1])
        else:
            notes.append(aside)
    food = _strip_descriptors(_clean_food(food), amount, prep, notes)
    food = _trailing_unit(_clean_food(food), amount)
    food = _unit_as_food(_clean_food(food), amount, unit_word)
    if fruit and fruit[0]:
        food = f"{_singular(food)} {fruit[0]}".strip()
    return ParsedLine(
        text=text,
        quantity=amount.quantity,
        quantity_high=amount.quantity_high,
        unit=amount.unit,
        size_grams=amount.size_grams,
        size=amount.size,
        food=_clean_food(food),
        preparation=", ".join(p for p in prep if p),
        optional=optional,
        note="; ".join(n for n in notes if n),
    )


def _singular(food: str) -> str:
    """ "limes" -> "lime" for "juice of 2 limes" -> "lime juice" (plain -s plurals only)."""
    return food[:-1] if food.endswith("s") and not food.endswith("ss") else food


def _last_unit_word(amount_text: str) -> str:
    """The last word of the amount text, lower case and singular-ish ("2 cloves" -> "cloves")."""
    words = re.findall(r"[A-Za-z]+", amount_text)
    return words[-1].lower() if words else ""
