"""Grading: is a free-text answer right? The one function every reward, metric, report and
prediction uses (``is_correct``), plus the batch form (``grade_batch``).

Small instruct models answer in sentences that echo the question ("The capital of Norway is
Oslo."), hedge, or list guesses. What a model writes around its answer is set aside first: reasoning
("<think>...</think>", or all before a "</think>" whose opening tag was in the prompt), RLCR's "<analysis>" and
"<confidence>" tags (the answer is what "<answer>" holds, when it is there), a stated confidence ("Confidence: 9"
on a line of its own or at the end), and a chat model's wrapping: markdown bold, whole-answer quotes, an "Answer:"
label or heading, a courtesy ("Sure!", "I hope this helps!", "Thank you for asking!") or a discourse marker ("Well,
..."), a first-person disclaimer, an emoji at the end, a lone bullet, the question said back before the answer;
where a final answer follows the working ("...\\nFinal answer: 42", "The final answer is 42.", "#### 42"), only it is
read. An answer written all in capitals or all in lower case is first cased as the
question and the accepted answers write its names ("THE LAST TSAR WAS NICHOLAS II." as "The last tsar was
Nicholas II."). The rule, after normalisation (case, accents, punctuation, articles; number words -> digits,
so "four" == "4", "two hundred and six" == "206", "1.4 billion" == "1400000000", "sixteenth" == "16th" == "16",
"twenty-first" == "21st"; "8,849" == "8849", "100.0" == "100", "-40" keeps its sign; a decimal point stays inside
its number, so "3.14" does not contain "3"; "5km" == "5 km";
"D.C." == "DC", "St." == "Saint"; "July 4, 1776" == "4 July 1776" == "7/4/1776" or "4/7/1776" (with slashes, month or
day first; where the question asks for a format, "YYYY-MM-DD", only that one) == "+1776-07-04T00:00:00Z" (a Wikidata
time, whose year also answers a question that asks when, not for the date); "1939–1945" == "from 1939 to 1945" ==
"between 1939 and 1945"; "a day" == "one day" (a span of time or a
dozen after "a"/"an"); a unit after a number is its symbol,
"300,000 kilometres per second" == "300000 km/s", "100 degrees Celsius" == "100°C", "50 per cent" == "50%"; LaTeX is
plain text, "$\\frac{3}{4}$" == "3/4", "\\boxed{12}" == "12", "180^\\circ" == "180°"; scientific notation is the number,
"6.022 × 10^23" == "6.022e23" == "6.022 x 10²³", and a question that asks for it is answered only in it, as one that
asks for a number in words, in digits or as an ordinal is ("Write one thousand in digits.": not "one thousand"; "the
ordinal form of 3": not "3"), and an equal fraction says a fraction asked for ("5/10" for "1/2"); a time of day in
words is the time, "three o'clock" == "3:00", "a quarter to five" == "4:45"; British and American spellings are one
word, "Tricolour" == "Tricolor", "grey" == "gray", "organisation" == "organization", by listed stems):

1. Some accepted alias must occur as a contiguous run of words in the answer (its last word in either number,
   "butterfly" for "butterflies", "nests" for "nest", unless the question asks for a plural; a number may be more
   precise than the alias and round to it, "3.14159" for "3.14", unless the question asks for a
   precision: "to two decimal places"; a count of millions or more said round, to at most 3 significant
   digits, stands for the counts that round to it, "7.9 billion" for "8 billion", "about 5.1 million" for
   5,109,056; a regnal number is a number, "Henry VIII" == "Henry the Eighth"; "Spiderman" also says
   "Spider-Man"; a person's surname says the person when the question asks for one, "Einstein" for
   "Albert Einstein", unless another given name stands beside it, "Martha Washington"; a place may drop
   its kind, "the Pacific" for "Pacific Ocean", not "the Dead" for "Dead Sea", nor "tunnel", a word the question asks by
   ("Which tunnel ...?"), for "Channel Tunnel"; an alias that is a list of 2-5
   short items, "solid, liquid and gas", is said by one sentence that lists exactly those items, in any order,
   "gas, liquid, and solid" (in the gold's order where the question asks for one, "Arrange from smallest to
   largest: ...", and then the question's own list said back may be it; an item may end with the question's words, go by another name, "the UK", and two items
   asked of a joining verb may be joined by "to": "connects the Mediterranean to the Red Sea"), or part by part,
   each item in a clause of its own beside its own subject, in the question's order of subjects ("The capital of
   Japan is Tokyo and the capital of China is Beijing" for "Tokyo and Beijing"), and an "A and B" alias is also read
   as a name. Items pair off with the question's subjects: where the question says "respectively", in the gold's
   order; where the answer says the subjects back ("The capitals of Italy, Germany and France are Rome, Berlin and
   Paris"), in the order it says them; an answer given subject by subject, sentence by sentence ("Brazil has ...:
   Portuguese and Spanish. Argentina has ...: Spanish and Italian."), only part by part. An item in a list may follow
   a proper adjective ("the British Pound, the US Dollar") and carry a note in brackets ("German (DE)"), or be the
   bracket on its subject ("sodium (Na) and iron (Fe)" for "Na and Fe"); a direction in a place's name is one word,
   "East Asia" == "Eastern Asia"; a year says the decade or century a question asks for, "1967" for "1960s"; a continent, by its adjective: "the African continent", and a country so where the question asks
   for a country and names it by none of its names: "a Japanese dish" for Japan; an alias's
   disambiguation in brackets need not be said: "Mercury" for "Mercury (planet)", nor what a catalogue adds to a name:
   "Apple" for "Apple Inc.", "Titanic" for "RMS Titanic", "Portuguese" for "Portuguese language", "Tokyo" for "Tokyo,
   Japan", "France" for "French Republic", "Kenya" for "Republic of Kenya", nor a gold's "about" ("8 minutes" for "about
   8 minutes"), nor an epithet ("Constantine" for "Constantine the Great"); a few places, people and wars have other
   names ("Wien", "Bombay", "Koran", "the First World War" for "World War I"); a name of two or more words misspelt by
   one letter inside one word of six or more letters is that name ("Amelia Earhardt" for "Amelia Earhart"); an alias that is a symbol ("#") is said by
   that symbol alone, bare, quoted or in backticks, beside no other symbol ("# or //" is a hedge); a hyphenated nationality is another one
   ("Mexican-American" does not say "Mexican"); when the question asks how tall,
   long, far, ... or names a measurement (speed, height, distance, temperature, ...; not a count), a whole number
   of three or more digits is said by a number to decimals that rounds to it, "8848.27" for "8848"; a fraction is
   also said by its decimal value, "0.75" for "3/4", unless the question asks for a fraction; a count of none is said
   by "no <what is counted>" or "none", "no one" by "nobody"). If the alias also
   occurs in the *question* ("Which country has Kuwait City as its capital?" / "Kuwait"), the
   answer must say it more often than the question did, or be exactly the alias (and a mention inside a longer name
   the question writes, "Kuwait" in "Kuwait City", "São Tomé" in "São Tomé and Príncipe", or inside what it quotes,
   "Yesterday" in "'Yesterday, all my troubles ...'", is that name's or quotation's echo), so an echo of the question
   is never read as the answer. A passage set before the question ("Context: Maria was born in
   Lisbon ... Question: In which city was Maria born?", or a paragraph, a line break, then the question) is not
   the question: the answer takes the alias from it, and its words are no extra words, but its names joined to
   the alias by "or", or listed with it, are other candidates (``_asked``); an answer that copies two or more of its
   sentences that do not hold the alias, or every sentence of a passage of three or more, restates the passage and
   picks no answer out of it. List numbering ("1. ... 2. ...") is no number the answer says.
2. Words that only echo the question, and filler ("is", "located", "the answer is", ...), are
   not counted; at most ``max_extra_words`` other words may come before or among the alias's
   mentions (when the question asks "who", counted from the last "by" before the name: "The Iliad is a
   classic epic poem by the ancient Greek poet Homer"). After it, a description of the answer ("by Homer,
   written in ancient Greek, that tells ...") may hold ``max_extra_words`` names or numbers and three times
   as many other words (a date, "November 22, 1963", is one name there); a mention said again later is part of that
   description. A ramble
   that reaches the alias late, or a list of guesses ("Paris, Lyon, Nice, Lille or Metz": every word
   counts), is therefore wrong even if it contains the alias. Other accepted aliases named beside it are no extra
   words (a question with many right answers, "Name a Nordic country.", lists them all as aliases: "Norway, Sweden
   and Denmark" names three; by short forms too, "the Pacific and the Atlantic"; a question that asks for n of them,
   "Name two ...", "List three ...", "Which two ...?", needs n different ones: "Venus and Earth" names one planet
   closer to the Sun than Earth), and items opened by an article are one list, not a clause each ("the Colossus, the
   Lighthouse of Alexandria and the Lighthouse of Salamanca").
3. A *competitor* (an accepted answer of another question of the same kind, e.g. another
   capital) in the answer, outside the echoed question and the matched alias, makes it wrong:
   "Paris or Lyon" names two candidates and commits to neither; one in what the answer goes on to say of the alias
   it gave, after "which", "whose", "where" or "bordered by" ("Lima is the capital of Peru, which borders Chile"), is
   no candidate. Without such a list (a file with no
   ``kind``) a mention joined by "or"/"and" to a short run the question did not say is a hedge too ("Spanish
   or Portuguese", "1944 or 1945", "Shakespeare and Marlowe"), and so is a list of them ("Paris, Lyon or
   Nice", or one short item a line: "- Paris\\n- Lyon"), or a clause that starts with "or" and names something
   ("Paris. Or maybe Lyon."); the surname alone does not save a whole name said in a hedge ("Buzz Aldrin and Neil
   Armstrong"); ", or" gives another name ("Everest, or Sagarmatha"), and a colon starts an elaboration ("7
   continents: Africa, Antarctica, ...").
   "Or" between two accepted aliases hedges nothing ("Norway or Sweden"), but a list with one item that is none is
   a list of guesses ("Norway, Sweden, or Germany").
   A number said with a minus is another number ("-273.15 K" is not 273.15 K), one given as a bound is no value
   ("greater than 2", "at least 3"), and one inside a code of three or more hyphenated groups ("112-123-123") is not
   said; the gulf, bay, sea, strait, isle or cape "of" a name is not that name ("the Gulf
   of Guinea"), unless the question asks for one; a surname the question says is no short form of the answer ("Kennedy"
   for "Who was the mother of John F. Kennedy?"), and a regnal number is no epithet ("George" is no "George the
   Sixth"). A date that puts the event in
   another month of a gold date's year, or more than a day off, is another date ("January 20, 1989" is not right
   for "9 November 1989", though "1989" is also accepted). A worked answer to a number
   question is judged by the result its arithmetic ends on, the number after its last "=" ("so he has 5 + 3 = 8
   apples" is right for 8; "12 * 3 = 36 eggs. 3 boxes contain 3 * 3 = 9 eggs" is not right for 36).
4. A denied mention ("Saturn, not Jupiter", "it isn't in Norway") does not state the alias (nor a
   competitor: "Canberra, not Sydney" is right; a negation word the question quotes denies nothing: "The opposite of
   'never' is 'always'."), nor does one the answer goes on to deny with the question's
   own words ("Canberra is not the capital of Australia"), or says the question's predicate of it negated ("The part
   of the plant that does not conduct photosynthesis is the leaves."), nor an answer to "Who <did> ...?" that
   credits the deed to another name ("'Guernica' by Pablo Picasso was painted by Juan Gris."), and a
   correction that names something takes back what came before it ("Everest, but it's actually Kilauea":
   only the correction counts; "Mercury, but it's actually a planet in our solar system" keeps Mercury). The
   question's relation said the other way round, its own place on the near side and the alias on the far side, is
   wrong ("Which US state lies directly west of Nevada?" -> "Nevada lies directly west of California."; compass
   points, before/after, above/below, behind, not relations that hold both ways), and so is a deed done the other
   way ("Who defeated the Spanish Armada?" -> "The Spanish Armada defeated the English fleet."; not the passive,
   nor deeds that hold both ways: "married", "met", "played").
5. Multiple choice (an accepted answer is one option letter, "B"): the first option the answer names
   decides ("B", "(B) Lyon", "The answer is B."), so the options listed in the question are no echo. An
   answer that names no letter is read by the options the question lists ("(A) Venus (B) Mars", "A. Venus\n
   B. Mars"): the gold letter's text is the alias, the question before the list the echo, and the other
   options competitors ("The Red Planet is Mars." is right for "B"); a gold given as an option's text
   also accepts its letter. Options numbered 1, 2, 3 ("1) Venus 2) Mars", "Option 1: ...") are read as lettered
   ones (``_numbered``), and a statement before the asking sentence that names every option is a passage
   (Winogrande: "The trophy doesn't fit into the suitcase because it is too large. What is too large?").
6. Yes/no questions (every accepted answer is yes/true or no/false, as booleans become): the
   answer's first yes/no word decides ("No, Lyon is not ..."); with none, an answer that restates
   the question with one of its names swapped for another says no ("Is Sydney the capital of Australia?" ->
   "The capital of Australia is Canberra."; "Northern Hemisphere" -> "Southern Hemisphere"), and one that
   restates the question's content ("Paris is the capital of France.") says yes. A question that compares two
   things ("Is the Amazon longer than the Thames?") is answered by the answer's own comparison: the same way, or
   the opposite comparative with the sides swapped, says yes ("The Thames is shorter than the Amazon."); the
   other way says no; giving both lengths says neither. A correction that answers ("both from England, but the
   Stones are actually from Scotland") takes back what came before it; a refusal ("as a chatbot, I don't have the
   capability ...") says neither. A claim put for a verdict in other words ("Fact or myth: ...", "Right or wrong:
   ...", "Agree or disagree: ...") is such a question, its two words yes and no ("a myth", "a common misconception").
7. A choice the question offers at its end ("Which is larger, the Sun or the Earth?", or with no comma when an
   option is an accepted answer: "Is Morocco in Africa or Europe?"): the option the answer picks decides, the
   subject of a comparison the question makes, in its words or others that say the same ("The Sun is larger than
   the Earth", "bigger than", also a few words before "than": "A cell is a smaller unit of life than an atom"), the
   object of the opposite one ("The Earth is smaller than the Sun"), else the first option named; one option said to
   be the other picks the second after "actually" ("Greenland is actually Madagascar") and none without ("3/4 is
   2/3"); both options joined by "or" or named together ("A and B are two eras"), none, the question asked back
   ("Was Picasso Spanish?"), a later clause giving the question's comparative or superlative to the other option
   ("Russia is the larger, but China is the larger"), or each option in a clause of its own with the comparative in
   neither ("Iron is 14.5 grams, while feathers are 1 pound") is wrong. An option denied after it ("Pears are not the
   answer", "'a hour' is incorrect") is not picked, unless the denial is the question's own ("Mars is not a
   planet." for "Which of these is not a planet: ...?"); one denied and picked, in either order, is no pick, and
   one of two denied with nothing picked picks the other ("'a hour' is incorrect."). Options may
   end with a serial comma ("red, blue, green, or yellow"), stand before ", which"
   ("Among Mars, Venus, and Jupiter, which ...?"), or start inside a question opened by an auxiliary ("Is the
   capital of Australia Sydney, Melbourne, or Canberra?"); two named side by side ("made of water, bone, and
   muscle") pick none. Options after a colon with commas only ("Which is the odd one
   out: square, circle, triangle, cube?") are a choice too, but an answer naming two of them picks none, and so does
   a clause naming three ("Paris, London, Berlin, Sydney"). Quoted options ("Which is correct: 'a hour' or 'an
   hour'?", "Which spelling is American: 'colour' or 'color'?", "'Its' or 'It's'") are words as written: each is
   read as it is spelt, apostrophes and articles included, not as its normal form; a verdict on an option ("'Paris is
   in Spain' is not entirely true", "is false") denies it, except where the question asks for the false one.

>>> is_correct("The Paris.", ["Paris"])
True
>>> is_correct("The city of Oslo is located in Norway.", ["Norway"], "In which country is the city of Oslo?")
True
>>> is_correct("The answer is: Kuwait City.", ["Kuwait"], "Which country has Kuwait City as its capital?")
False
>>> is_correct("Paris or Lyon", ["Paris"], competitors={"paris", "lyon"})
False
>>> is_correct("four", ["4"])
True
>>> is_correct("The largest planet is Saturn, not Jupiter.", ["Jupiter"])
False
>>> is_correct("No, Lyon is not the capital.", ["false", "no"], "Is Lyon the capital of France?")
True
"""

from __future__ import annotations

import functools
import itertools
import re
import string
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from decimal import Decimal

from calibmodule.prompting import extract_answer

_ARTICLES = {"a", "an", "the"}
_SPANS = frozenset("second minute hour day week fortnight month year decade century millennium dozen".split())
# punctuation, except a decimal point inside a number ("3.14" stays one word)
_PUNCT = re.compile(f"(?!(?<=\\d)\\.(?=\\d))[{re.escape(string.punctuation)}“”‘’«»–—…°≈\u3000-\u303f]")
# scripts written without spaces between words (Chinese, Japanese): each character is a word, so an alias is a run
# of characters ("北京" in "中国的首都是北京") and the question's characters are its echo
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # "8,849" -> "8849"; "1,2,3" stays a list
_DECIMAL = re.compile(r"\b(\d+)\.(\d*?)0+\b")  # "100.0" -> "100", "3.140" -> "3.14"
# number words: "two hundred and six" -> 206, "twenty-one" -> 21, "1.4 billion" -> 1400000000, "sixteenth" -> 16
_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine".split())}
_TEENS = {w: i for i, w in enumerate("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
                                     "nineteen".split(), 10)}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12, "dozen": 12,
           "mn": 10**6, "mln": 10**6, "bn": 10**9, "tn": 10**12}  # "8 bn", "$470bn": as newspapers write them
_TIMES = {"twice": "2", "thrice": "3"}  # "exiled twice"; "once" is 1 only where the question counts times
_PARTS = {"half": Decimal("0.5"), "halves": Decimal("0.5"), "quarter": Decimal("0.25"), "quarters": Decimal("0.25")}
_ORDINALS = dict(zip(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(), map(str, range(1, 21))))
_ORDINALS |= {w: str(10 * i) for i, w in enumerate("thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split(), 3)}
_COMPOUND_ORDINAL = re.compile(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety) (first|second|third|fourth|"
                               r"fifth|sixth|seventh|eighth|ninth)\b")  # "twenty-first" -> 21 ("twenty seconds" stays)
_NUMERIC = re.compile(r"\d+(?:\.\d+)?")
# units after a number, spelled out -> their symbol ("300,000 kilometres per second" == "300000 km/s", "100 degrees
# Celsius" == "100°C", "50 percent" == "50%"); "" drops the word (the symbol is punctuation: "%", "°")
_UNIT_WORDS = {w: sym for sym, ws in {
    "km": "km kilometre kilometres kilometer kilometers", "m": "m metre metres meter meters",
    "cm": "cm centimetre centimetres centimeter centimeters", "mm": "mm millimetre millimetres millimeter millimeters",
    "kg": "kg kilogram kilograms kilogramme kilogrammes", "g": "g gram grams gramme grammes", "mg": "mg milligram milligrams",
    "l": "l litre litres liter liters", "ml": "ml millilitre millilitres milliliter milliliters",
    "s": "s sec secs second seconds", "min": "min mins minute minutes", "h": "h hr hrs hour hours",
    "mi": "mi mile miles", "c": "c celsius centigrade", "f": "f fahrenheit", "k": "k kelvin", "": "degree degrees percent",
}.items() for w in ws.split()}
_UNIT_WORDS |= {"mph": "mi h", "kph": "km h", "kmh": "km h"}
_POWER_WORDS = {"square": "2", "sq": "2", "cubic": "3", "cu": "3"}
_ERAS = frozenset("bc bce ad ce".split())  # "44 BC", "AD 79" (normalised)
_MONTHS = frozenset("january february march april may june july august september october november december".split())
# written abbreviations -> the word (before sentence splitting: "St. Petersburg" is one sentence)
_ABBREV = {"st": "saint", "mt": "mount", "ft": "fort"}
# British and American spellings of one word read as one ("Tricolour"/"Tricolor", "grey"/"gray", "centre"/"center",
# "organisation"/"organization"): golds are often British (TriviaQA, the catalogues), answers often American.
# Stems are listed, so that "hour", "four", "genre", "acre", "promise" or "wise" are left alone.
_OUR = re.compile(r"^(colo|hono|favo|flavo|harbo|labo|neighbo|rumo|humo|armo|behavio|vapo|valo|vigo|odo|endeavo|parlo"
                  r"|savio|tumo|splendo|clamo|cando|fervo|rigo|savo|ardo|tricolo|discolo|dishono|unfavo)ur(?=[a-z]*$)")
_RE_ER = re.compile(r"^(cent|met|kilomet|centimet|millimet|micromet|nanomet|lit|millilit|theat|amphitheat|fib|calib|sab"
                    r"|spect|lust|lacklust|meag|somb|manoeuv|maneuv|och|goit|sepulch|saltpet|mit)re(s|d)?$")
_ISE = re.compile(r"^(organ|real|recogn|apolog|special|standard|critic|memor|colon|civil|industrial|character|emphas"
                  r"|summar|symbol|minim|maxim|util|harmon|popular|modern|neutral|steril|synthes|visual|fertil|polar"
                  r"|ion|magnet|crystall|oxid|optim|prioritis|categor|legal|normal|final|custom|author|stabil|mobil"
                  r"|immun|pasteur|homogen|vandal|sympath|fantas|idol|monopol|subsid|jeopard|hospital|vocal|tantal"
                  r"|capital|central|decentral|global|local|national|natural|rational|digit)is(e|es|ed|ing|er|ers)$")
_YSE = re.compile(r"^(anal|paral|catal|hydrol|electrol|dial)ys(e|es|ed|ing)$")
_DOUBLED_L = re.compile(r"^(travel|cancel|label|model|fuel|level|signal|marvel|counsel|jewel|dial|quarrel|channel|tunnel"
                        r"|total|snorkel|yodel|duel|pencil|shovel|equal|grovel|libel|bevel|funnel|panel|pedal|refuel"
                        r"|unravel|ravel|wool)l(ed|ing|er|ers|ous|or|ors|en|ery)$")
_AMERICAN = {"grey": "gray", "greys": "grays", "greyish": "grayish", "aluminium": "aluminum", "sulphur": "sulfur",
             "sulphuric": "sulfuric", "sulphate": "sulfate", "sulphide": "sulfide", "programme": "program",
             "programmes": "programs", "tyre": "tire", "tyres": "tires", "plough": "plow", "ploughs": "plows",
             "cheque": "check", "cheques": "checks", "defence": "defense", "offence": "offense", "licence": "license",
             "pyjamas": "pajamas", "moustache": "mustache", "mould": "mold", "moulds": "molds", "jewellery": "jewelry",
             "cosy": "cozy", "aeroplane": "airplane", "aeroplanes": "airplanes", "oesophagus": "esophagus",
             "haemoglobin": "hemoglobin", "anaemia": "anemia", "foetus": "fetus", "oestrogen": "estrogen",
             "encyclopaedia": "encyclopedia", "diarrhoea": "diarrhea", "leukaemia": "leukemia", "caesium": "cesium",
             "archaeology": "archeology", "archaeologist": "archeologist", "archaeologists": "archeologists",
             "archaeological": "archeological", "palaeontology": "paleontology", "palaeontologist": "paleontologist",
             "paediatrician": "pediatrician", "orthopaedic": "orthopedic", "haemorrhage": "hemorrhage",
             "mediaeval": "medieval", "catalogue": "catalog", "catalogues": "catalogs", "dialogue": "dialog",
             "analogue": "analog", "monologue": "monolog", "prologue": "prolog", "epilogue": "epilog",
             "fulfil": "fulfill", "enrol": "enroll", "skilful": "skillful", "wilful": "willful", "ageing": "aging",
             "judgement": "judgment", "doughnut": "donut", "doughnuts": "donuts", "practise": "practice",
             "artefact": "artifact", "artefacts": "artifacts", "sceptic": "skeptic", "sceptical": "skeptical",
             "scepticism": "skepticism", "omelette": "omelet", "omelettes": "omelets", "kerb": "curb",
             "storey": "story", "storeys": "stories", "manoeuvre": "maneuver"}


@functools.lru_cache(maxsize=65536)
def _american(word: str) -> str:
    """One spelling for a word written the British or the American way ("colours" -> "colors", "centre" -> "center",
    "organisation" -> "organization", "analysed" -> "analyzed", "travelled" -> "traveled", "grey" -> "gray")."""
    if word in _AMERICAN:
        return _AMERICAN[word]
    if word.endswith(("isation", "isations")):
        return word.replace("isation", "ization")
    word = _OUR.sub(r"\1r", word)
    word = _RE_ER.sub(lambda m: f"{m[1]}er{m[2] or ''}", word)
    word = _ISE.sub(r"\1iz\2", word)
    word = _YSE.sub(r"\1yz\2", word)
    return _DOUBLED_L.sub(r"\1\2", word)
_ABBREV_DOT = re.compile(r"\b(St|Mt|Ft|Mr|Mrs|Ms|Dr|Jr|Sr|vs|approx|ca)\.(?=\s)", re.IGNORECASE)
_INITIALS = re.compile(r"\b(?:[A-Za-z]\.\s?){2,}")  # "U.S.A." -> "USA", "J. K." -> "JK", "D.C." -> "DC"
# a compound measure's "and" ("24 hours and 37 minutes", "5 feet and 11 inches") is dropped, as golds write it
# without one; only where the second unit is a smaller one of the first's ("10 days and 20 days" stays two answers)
_COMPOUND_AND = re.compile(r"\b(\d[\d,.]*\s+([a-z]+)),?\s+and\s+(?=\d[\d,.]*\s+([a-z]+)\b)", re.IGNORECASE)
_SMALLER = {"year": "month week day", "month": "week day", "week": "day", "day": "hour", "hour": "minute min",
            "minute": "second sec", "min": "second sec", "foot": "inch", "feet": "inch", "ft": "inch in",
            "pound": "ounce oz", "lb": "ounce oz", "metre": "centimetre centimeter cm", "meter": "centimeter centimetre cm",
            "degree": "minute"}


def _compound_and(m: re.Match) -> str:
    first, second = m[2].lower(), m[3].lower()
    first = first[:-1] if first.endswith("s") and first[:-1] in _SMALLER else first
    smaller = _SMALLER.get(first, "").split()
    return f"{m[1]} " if any(second == w or second == w + "s" or second == w + "es" for w in smaller) else m[0]


# a middle initial between names is no sentence's end: "John A. Macdonald", "Ulysses S. Grant" (not before a word that
# opens sentences: "It was Henry V. He ...")
_MIDDLE_INITIAL = re.compile(r"\b([A-Z][a-z]+ [A-Z])\. (?!(?:It|He|She|They|The|This|That|These|There|In|On|At|An?|I|We|You|"
                             r"His|Her|Its|But|And|So|Or|If|As)\b)(?=[A-Z][a-z])")
# a regnal or sequel number after a name -> digits, so "Henry VIII" == "Henry the Eighth" == "Henry 8", "Apollo XI" ==
# "Apollo 11" (1-39; a lone "I" before a word is the pronoun after the first word of a sentence, "Then I went", and
# before "think", "am", ...: "Paris I think")
_ROMAN = re.compile(r"\b([A-Z][a-z]+\s+)(X{0,3}(?:IX|IV|VI{0,3}|I{1,3})|X{1,3})(?![\w'’])(\s+[a-z]+)?")
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10}
_PRONOUN_VERBS = frozenset("""think thought believe guess am would will can could should must may might do did don
know knew hope feel felt say said mean meant recall remember suppose assume reckon have had need want see saw""".split())
_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")  # between letters: "Spider-Man"
_MINUS = re.compile(r"(?<![\w.])[-\u2212](?=\d)")  # "-40" -> "minus 40" (not "COVID-19", not "1-2")
_BARE_DECIMAL = re.compile(r"(?<![\w.])\.(?=\d)")  # ".5" -> "0.5" (not "2.5", not "v.5"): not the number 5
# words that carry no answer: copulas, prepositions, "the answer is", "located", hedges a sentence needs
FILLER = frozenset("""
is are was were be been it its it's this that these those there here which what who whom whose where when
of in on at to from for by with into within near and also as so called known named located situated found
answer answers question correct right i think believe my guess probably likely would say sure s m re ve d ll
country countries nation state city town capital region part area specifically officially
""".split())
MAX_EXTRA_WORDS = 4
# words that announce an answer and say nothing else ("The answer is carrot.", "I think it is Mars.")
_ANNOUNCE = frozenset("the answer is it i think would say my final guess be probably".split())
# yes/no questions: an accepted "yes"/"true" (or "no"/"false") is judged by the answer's polarity
_YES, _NO = frozenset({"yes", "true", "correct", "yeah", "yep"}), frozenset({"no", "false", "incorrect", "nope"})
_ASSENT = frozenset({"certainly", "absolutely", "definitely", "indeed", "sure"})  # opening a yes
# a mention right after these (filler between allowed) is denied, not stated: "Saturn, not Jupiter"
# ("t": what "isn't" / "doesn't" leave after normalisation)
_NEGATION = frozenset({"not", "never", "t", "nor", "neither", "no"})
# a clause that takes back what the answer said before it ("..., but it's actually ...")
_CORRECTION = re.compile(r"\b(?:actually|rather|in fact|i (?:would|d) say|i think)\b")
# multiple choice: an accepted answer that is one option letter ("B", "(b)"), and where an answer names one:
# alone or first ("B", "B) Lyon", "(b) Lyon"), after "answer is" / "option" / "choice", or in parentheses
_LETTER = re.compile(r"\(?([A-Za-z])\)?\.?")
_MC = re.compile(r"^\s*(?:\(([A-Za-z])\)|([A-Z])(?:[.):,]|\s*$))|\b(?i:answer|option|choice)(?:\s+is)?\s*:?\s*\(?([A-Z])\)?"
                 r"(?![\w'])|\(([A-Za-z])\)|(?<![\w(])([A-Z])\)"
                 # "B is the answer."
                 r"|^\s*([A-Z])\s+is\s+(?:the\s+)?(?:(?:correct|right|best)\s+)?(?i:answer|option|choice)\b")
# "A: Africa": the "A:" answer cue of "Q: ... A: ..." before an answer, which is not option A
_A_CUE = re.compile(r"\s*A\s*:\s*(\S.*?)\s*$", re.DOTALL)
# the lettered options a multiple-choice question lists: "(A) Venus (B) Mars", "A) Venus B) Mars", "A. Venus\nB. Mars"
# an option's letter: "(A)"/"(a)", "A." / "A)" / "A:", "a)", and "a." at a line's start ("He met John a. Smith" is none)
_OPTION_MARK = re.compile(r"(?<![\w.'’])(?:\(([A-Ha-h])\)|([A-H](?=[.):])|[a-h](?=\))|(?:(?<=\n)|(?<![\s\S]))[a-h](?=\.))"
                          r"[.):])(?=\s)")
# a yes/no answer that commits to neither ("I don't know" is not a "no")
_UNDECIDED = re.compile(r"\b(?:(?:don t|do not|cannot|can t|couldn t) (?:know|say|tell|be sure)|not sure|no idea|unsure"
                        r"|uncertain|unclear|maybe|perhaps|it depends"
                        # a refusal: "as a chatbot, I don't have the capability to access ..."
                        r"|as an? (?:ai|chatbot|language model|assistant)"
                        r"|(?:don t|do not) have (?:the )?(?:capability|ability|access)|(?:am|m) not (?:able|capable))\b")


# short forms of an alias a reader accepts: a person's surname when the question asks for a person
# ("Einstein" for "Albert Einstein"), a place without its kind ("the Pacific" for "Pacific Ocean")
_PERSON_Q = re.compile(
    r"^\W*(?:who|whom|whose)\b|\b(?:which|what)\s+(?:\w+\s+)?(?:person|man|woman|author|writer|poet|novelist"
    r"|playwright|scientist|physicist|chemist|biologist|mathematician|inventor|painter|artist|sculptor|composer"
    r"|musician|singer|actor|actress|director|president|prime minister|king|queen|emperor|explorer|philosopher"
    r"|leader|general|pope|astronaut)s?\b", re.IGNORECASE)
_NAME_SUFFIX = frozenset({"jr", "sr", "ii", "iii", "iv"})
_TITLES = frozenset("""sir dame lord lady mr mrs ms dr doctor professor prof president king queen prince princess emperor
empress general captain admiral saint pope senator chancellor""".split())
_HONORIFIC = frozenset("Dr Mr Mrs Ms Sir Dame Lord Lady Professor Prof Doctor".split())  # as written, capitalised
_KINDS = frozenset("""ocean sea river lake mount mountain mountains desert bay gulf strait canal peninsula falls glacier
volcano channel""".split())
_VAGUE = frozenset("red black white yellow blue green dead north south east west great little big new old".split())
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]")


# names of one country a reader accepts for each other (normalised): "USA" for "United States"
_OTHER_NAMES = [frozenset(g.split("|")) for g in (
    "united states|usa|united states of america", "united kingdom|uk|great britain|britain",
    "soviet union|ussr|union of soviet socialist republics", "united arab emirates|uae",
    "democratic republic of congo|drc|dr congo|congo kinshasa", "republic of congo|congo brazzaville",
    "czech republic|czechia", "netherlands|holland", "myanmar|burma", "eswatini|swaziland",
    "ivory coast|cote d ivoire", "east timor|timor leste", "north macedonia|macedonia", "cape verde|cabo verde",
    "turkey|turkiye", "vietnam|viet nam", "south korea|republic of korea", "north korea|dprk", "vatican city|holy see|vatican",
    # official names that are no "Republic of X" (those are read by ``_STATE_OF``)
    "france|french republic", "italy|italian republic", "greece|hellenic republic", "portugal|portuguese republic",
    "argentina|argentine republic", "slovakia|slovak republic", "kyrgyzstan|kyrgyz republic", "lebanon|lebanese republic",
    "syria|syrian arab republic", "switzerland|swiss confederation", "russia|russian federation",
    "mexico|united mexican states", "china|people s republic of china|prc", "germany|federal republic of germany",
    # a faith by its follower's name, a sport by its everyday one: what catalogues write and people say
    "islam|muslim", "christianity|christian", "catholic church|catholicism|catholic|roman catholic|roman catholicism",
    "judaism|jewish", "buddhism|buddhist", "hinduism|hindu", "sikhism|sikh", "association football|football|soccer",
    # a city by its English name, its own, or an older romanisation or name still in use
    "beijing|peking", "mumbai|bombay", "kolkata|calcutta", "chennai|madras", "yangon|rangoon", "kyiv|kiev",
    "ho chi minh city|saigon", "astana|nur sultan", "munich|munchen", "cologne|koln", "nuremberg|nurnberg",
    "florence|firenze", "rome|roma", "milan|milano", "naples|napoli", "venice|venezia", "turin|torino",
    "vienna|wien", "prague|praha", "lisbon|lisboa", "warsaw|warszawa", "krakow|cracow", "brussels|bruxelles|brussel",
    "copenhagen|kobenhavn", "moscow|moskva", "athens|athina", "geneva|geneve|genf", "hague|den haag",
    "seville|sevilla", "bucharest|bucuresti", "belgrade|beograd", "gothenburg|goteborg",
    # and a few names romanised in more than one way
    "quran|koran", "muhammad|mohammed|mohammad|muhammed", "gaddafi|qaddafi|gadhafi",
    "muammar gaddafi|muammar qaddafi|muammar gadhafi|moammar gadhafi", "mao zedong|mao tse tung",
    "confucius|kongzi|kong fuzi", "tchaikovsky|chaikovsky",
    # the world wars by number, ordinal and initials (normalised: "World War I" and "the First World War" read
    # "world war 1" and "1 world war")
    "world war 1|1 world war|wwi|ww1|great war", "world war 2|2 world war|wwii|ww2")]
# "Republic of Kenya", "Kingdom of Spain", "City of Edinburgh": an official name says the place's name
_STATE_OF = re.compile(r"^(?:(?:federal|democratic|islamic|people s|socialist|united|arab|plurinational|bolivarian|"
                       r"co operative|federative|oriental|independent|sovereign)\s+)*(?:republic|kingdom|state|commonwealth|"
                       r"principality|grand duchy|sultanate|emirate|federation|union|city|town|municipality|borough|"
                       r"county|province|prefecture)\s+of\s+(.+)$")  # "City of Edinburgh" too
_EPITHET = re.compile(r"([A-Z][\w'’]+)\s+the\s+[A-Z][\w'’]+")  # "Alexander the Great", "Ivan the Terrible"
_COMPANY = frozenset("inc incorporated ltd limited llc plc corp corporation gmbh ag sa nv co company".split())  # "Apple Inc."
_TRADE = frozenset("group holdings motor motors electronics industries international".split())  # "Samsung Electronics"
_COMMON_FIRST = frozenset("general american british united national international royal standard first new".split())
_SHIP = frozenset("rms hms uss ss hmas hmcs mv sms".split())  # "RMS Titanic"
_KIND_AFTER = frozenset("language people dynasty music".split())  # "Portuguese language", "rock music"
_OTHER_OF = {name: group for group in _OTHER_NAMES for name in group}


def _common_in(question: str | None, words: Sequence[str]) -> bool:
    """Does the question say every one of ``words`` as a common noun, so that they name no one thing: written in
    lower case in a question that writes names with capitals ("Which tunnel connects England and France?" says
    "tunnel", so "tunnel" is no short form of "Channel Tunnel"), or, in a question all in lower case, right after
    "which"/"what" ("which tunnel connects england and france")? A name the question offers ("the Pacific or the
    Atlantic Ocean") is no common noun."""
    if not question:
        return False
    tokens = _TOKEN.findall(question)
    if any(t[:1].isupper() for t in tokens[1:]):
        common = {normalize(t) for t in tokens if t[:1].islower()}
    else:
        common = {normalize(b) for a, b in zip(tokens, tokens[1:]) if a.lower() in ("which", "what")}
    return all(w in common for w in words)


def _short_forms(alias: str, question: str | None) -> list[tuple[list[str], str | None]]:
    """(words, surname or None) a reader also accepts for ``alias``: the surname of a person's name when the
    question asks for a person ("Who wrote Hamlet?" / "William Shakespeare" -> "Shakespeare"; not the given
    name), and a place's name without its kind ("Pacific Ocean" -> "Pacific", "Mount Everest" -> "Everest";
    not "Red Sea" -> "Red"), and another name of a country ("USA" for "United States", "Czechia" for "Czech
    Republic", "France" for "French Republic"; a faith by its follower's name, "Muslim" for "Islam"; "football" for
    "association football") unless the question already names that country (then it is an echo:
    "Which country is abbreviated as the UK?" is not answered by "the UK"); and a name without what a catalogue
    (Wikidata, PopQA) adds to it: a company's suffix, a ship's prefix, "language"/"people", a place's country; and a
    name without its honorific ("Watson" for "Dr. Watson")."""
    alias = _written(alias).strip()
    words = normalize(alias).split()
    out: list[tuple[list[str], str | None]] = []
    if (group := _OTHER_OF.get(" ".join(words))) is not None:
        # a name of the country the question itself says makes the others echoes ("Which country is abbreviated as
        # the UK?"), unless it only names the country's capital ("Mexico" of "Mexico City")
        q_words = normalize(question).split() if question else []
        said = [(name, i) for name in group for i in _runs(q_words, name.split())]
        if all(q_words[i + 1:i + 2] == ["city"] and f"{name} city" not in group for name, i in said):
            out += [(name.split(), None) for name in sorted(group) if name != " ".join(words)]
    raw = alias.replace(".", " ").split()
    if (question and _PERSON_Q.search(question) and 2 <= len(raw) <= 5 and len(words) == len(raw)
            and all(w[:1].isupper() or w.lower() in ("da", "de", "di", "van", "von", "del", "der", "du", "la", "le", "bin")
                    for w in raw)):
        names = [w for w in words if w not in _NAME_SUFFIX]
        # not a surname the question itself says: "Kennedy" does not tell "Who was the mother of John F. Kennedy?"
        # (Rose Kennedy) from another Kennedy
        if (len(names) >= 2 and names[-1].isalpha() and len(names[-1]) >= 3 and names[-1] not in FILLER
                and names[-1] not in normalize(question).split()):
            out.append(([names[-1]], names[-1]))
    if len(words) >= 2 and (words[0] in _KINDS) != (words[-1] in _KINDS):
        rest = words[1:] if words[0] in _KINDS else words[:-1]
        if (not (len(rest) == 1 and (rest[0] in _VAGUE or not rest[0].isalpha())) and not _weak(rest)
                and not _common_in(question, rest)):
            out.append((rest, None))
    # a name without what a catalogue adds to it: "Apple Inc." -> "Apple", "RMS Titanic" -> "Titanic", "Portuguese
    # language" -> "Portuguese", "Republic of Kenya" -> "Kenya", "Tokyo, Japan" -> "Tokyo" (a place, then its country
    # or region: at most three capitalised words on each side of one comma)
    if len(words) >= 2 and words[-1] in _KIND_AFTER and not _weak(words[:-1]):
        out.append((words[:-1], None))
    # a company's suffixes and descriptors, one after another: "The Coca-Cola Company", "Toyota Motor Corporation",
    # "Sony Group Corporation" -> "Sony"; not down to a common word ("General Motors" keeps "Motors")
    name = list(words)
    while len(name) >= 2 and (name[-1] in _COMPANY or (name[-1] in _TRADE and name[-1] != words[0])):
        name = name[:-1]
        if len(name) == 1 and (name[0] in _COMMON_FIRST or _weak(name)):
            break
        out.append((list(name), None))
    if len(words) >= 2 and words[0] in _SHIP and not _weak(words[1:]):
        out.append((words[1:], None))
    if (m := _STATE_OF.match(" ".join(words))) is not None:
        out.append((m[1].split(), None))
    if ((m := _EPITHET.fullmatch(alias)) is not None and not _weak(first := normalize(m[1]).split())
            and not words[-1].isdigit()):  # not a regnal number: "George the Sixth" is no "George"
        out.append((first, None))  # "Constantine the Great" -> "Constantine"
    if len(raw) >= 2 and raw[0] in _HONORIFIC and raw[1][:1].isupper() and not _weak(words[1:]):
        out.append((words[1:], None))  # "Dr. Watson" -> "Watson" (said in "Dr. John Watson"); not "DR Congo"
    parts = [p.split() for p in alias.split(",")]
    if (len(parts) == 2 and all(1 <= len(p) <= 3 and all(w[:1].isupper() for w in p) for p in parts)
            and not _weak(first := normalize(" ".join(parts[0])).split())):
        out.append((first, None))
    return out


def _other_person(text: str, surname: str, alias_words: set[str]) -> bool:
    """Does ``text`` name another person of that surname ("Martha Washington", "Washington Irving"): a capitalised
    word not of the alias, a title or filler, written right before or after it?"""
    tokens = [m[0] for m in _TOKEN.finditer(text)]
    ok = alias_words | _TITLES | FILLER | _ARTICLES
    for i, t in enumerate(tokens):
        if t.lower() != surname:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(tokens) and tokens[j][:1].isupper() and tokens[j].lower() not in ok:
                return True
    return False


_ASKS_WORDS = re.compile(r"\b(?:in (?:words|letters)|spell(?:ed|ing)?|spelt|written out|write (?:\w+ )?out)\b", re.I)
# a number asked for in digits ("Write one thousand in digits.", "What is 'fifty' written as a number?"); not "in
# Roman numerals"
_ASKS_DIGITS = re.compile(r"\b(?:in (?:digits|figures|(?<!roman )numerals|arabic numerals)|(?:using|with|as) digits"
                          r"|(?:written |write it )?as an? (?:number|numeral|whole number)\b(?! of))", re.I)
_NUMBER_WORD_RUN = re.compile(r"\b(?:(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                              r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
                              r"seventy|eighty|ninety|hundred|thousand|million|billion|trillion|dozen|score|a|an|and)"
                              r"(?:[\s-]+|\b)){1,}", re.I)
_ORDINAL_SAID = re.compile(r"\b(?:\d+(?:st|nd|rd|th)|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                           r"[\s-])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
                           r"twelfth|"
                           r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
                           r"thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth|hundredth))\b", re.I)
_US = re.compile(r"\bUS\b")  # "US" (and "U.S.") is "USA"; capitals only: "us" is a pronoun
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")  # "1969-07-20" -> "20 July 1969"
_MONTH_NAMES = "January February March April May June July August September October November December".split()


def _letters_only(text) -> str:
    """Lower-case words and digits, single-spaced: how a number written in words is compared ("Forty-two" ->
    "forty two")."""
    return " ".join(re.sub(r"[^\w]+|_", " ", str(text).lower()).split())


_WIKIDATA_TIME = re.compile(r"(?<![\w.])\+?(\d{3,4})-(\d{2})-(\d{2})T00:00:00Z")  # "+1969-07-20T00:00:00Z"


def _wikidata_time(m: re.Match) -> str:
    """A Wikidata time value as a date: "+1969-07-20T00:00:00Z" -> "1969-07-20"; to the year or month it is precise
    to when the rest is zeros ("+1969-00-00T00:00:00Z" -> "1969")."""
    year, month, day = m[1], int(m[2]), int(m[3])
    if month == 0:
        return year
    return f"{_MONTH_NAMES[month - 1]} {year}" if day == 0 else f"{year}-{m[2]}-{m[3]}"


def _iso_date(m: re.Match) -> str:
    year, month, day = m[1], int(m[2]), int(m[3])
    return f"{day} {_MONTH_NAMES[month - 1]} {year}" if 1 <= month <= 12 and 1 <= day <= 31 else m[0]


_LATEX_WRAP = re.compile(r"\\(?:boxed|fbox|text|textbf|textit|textrm|mathrm|mathbf|mathit|operatorname|emph|mbox)\s*\{([^{}]*)\}")
_LATEX_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_LATEX_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_LATEX_DEGREE = re.compile(r"\^\s*\{?\s*\\circ\s*\}?|\\circ\b|\\degree\b")
_LATEX_SPACING = re.compile(r"\\(?:left|right|displaystyle|[,;:! ])|\\[()\[\]]|\$")
_FOLD = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss", "æ": "ae",
                       "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th"})  # letters NFKD leaves whole: "København"
_SUPERSCRIPT = re.compile("⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")  # "m²" -> "m^2", "2¹⁰" -> "2^10", "10⁻¹⁹" -> "10^-19" (NFKD: "m2", "210")
_SUPERSCRIPT_DIGITS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
# scientific notation -> the plain number: "6.022 × 10^23", "6.022 x 10^23", "6.022e23", "9.11 x 10^(-31)",
# "1.5 \times 10^{8}" (LaTeX), "3 times 10 to the power of 8"
_SCIENTIFIC = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?)\s*(?:[×xX*·⋅]|\btimes\b)\s*10\s*(?:(?:\^|\*\*)\s*[{(]?\s*([-−+]?)\s*(\d{1,3})\s*[})]?"
    r"|\s+to\s+the\s+(?:power\s+of\s+)?(minus\s+|negative\s+)?(\d{1,3})(?:st|nd|rd|th)?(?:\s+power)?)(?![\d.]*\d)"
    r"|(?<![\w.])(\d+(?:\.\d+)?)[eE]([-+]?)(\d{1,3})(?!\w|\.\d)")
_ASKS_INFLECTION = re.compile(r"\b(?:plural|singular)\b", re.IGNORECASE)  # the noun's number is what is asked
_ASKS_NOTATION = re.compile(r"scientific notation|standard form|exponential (?:form|notation)|power of (?:10|ten)\b",
                            re.IGNORECASE)


def _latex(text: str) -> str:
    """Maths written in LaTeX, as MATH-style golds and some answers are, in plain text: "$\\frac{3}{4}$" -> "3/4",
    "\\boxed{12}" -> "12", "180^\\circ" -> "180°", "\\sqrt{2}" -> "sqrt(2)", "\\pi" -> "pi"."""
    if "\\" not in text and "$" not in text:
        return text
    for _ in range(4):  # innermost first: "\\boxed{\\frac{1}{2}}"
        before = text
        text = _LATEX_FRAC.sub(r"\1/\2", _LATEX_SQRT.sub(r"sqrt(\1)", _LATEX_WRAP.sub(r"\1", text)))
        if text == before:
            break
    text = _LATEX_SPACING.sub(" ", _LATEX_DEGREE.sub("°", text))
    return re.sub(r"\\([A-Za-z]+)", r" \1 ", text.replace("\\%", "%")).replace("\\", " ")


def _written(text: str) -> str:
    """Accents stripped (NFKD: "H₂O" -> "H2O"), abbreviation dots and initials resolved, LaTeX read as plain text,
    so that sentence splitting and normalisation see one form: "St. Petersburg" -> "Saint Petersburg", "D.C." ->
    "DC", "U.S." -> "USA", "1969-07-20" -> "20 July 1969", "$\\frac{1}{2}$" -> "1/2", "m²" -> "m^2"."""
    text = _SCIENTIFIC.sub(_scientific, _notation(text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_FOLD)
    text = _ABBREV_DOT.sub(lambda m: _ABBREV.get(m[1].lower(), m[1]), text)
    text = _MIDDLE_INITIAL.sub(r"\1 ", text)
    text = _COMPOUND_AND.sub(_compound_and, text)
    text = _ROMAN.sub(_roman, text)
    text = _INITIALS.sub(lambda m: m[0].replace(".", "").replace(" ", "") + " ", text)
    return _ISO_DATE.sub(_iso_date, _WIKIDATA_TIME.sub(_wikidata_time, _US.sub("USA", text)))


def _notation(text) -> str:
    """Superscripts and LaTeX as plain text: "10⁻¹⁹" -> "10^-19", "$1.5 \\times 10^{8}$" -> "1.5 times 10^{8}"."""
    return _SUPERSCRIPT.sub(lambda m: "^" + m[0].translate(_SUPERSCRIPT_DIGITS), _latex(str(text)))


def _scientific(m: re.Match) -> str:
    """A number in scientific notation, written out: "6.022 × 10^23" -> "602200000000000000000000"."""
    mantissa = m[1] or m[6]
    sign, exponent = (m[2], m[3]) if m[3] else (m[4], m[5]) if m[5] else (m[7], m[8])
    value = Decimal(mantissa).scaleb(-int(exponent) if (sign or "").strip() in ("-", "−", "minus", "negative") else int(exponent))
    return format(value.normalize(), "f")


# names that monarchs and popes reign under: after one, a sentence's "I" is a numeral ("Elizabeth I was queen.")
_REGNAL_NAMES = frozenset("""Elizabeth Henry Charles James George Edward William Mary Louis Richard John Peter Catherine
    Alexander Nicholas Frederick Philip Ferdinand Napoleon Paul Benedict Pius Leo Gregory Victor Umberto Juan Carlos
    Wilhelm Francis Otto Ivan Anne Isabella Joseph Ludwig Gustav Harald Olaf Haakon Christian Sancho Alfonso Pedro
    Manuel Constantine Justinian Basil Leopold Rudolf Maximilian Boris Casimir Sigismund Stephen Malcolm David Robert
    Kamehameha Rama Selim Suleiman Mehmed Murad Ahmed Abdul Darius Xerxes Ptolemy Cleopatra Ramesses Ramses Thutmose
    Amenhotep Tiglath Sargon Nebuchadnezzar Cyrus Artaxerxes Urban Innocent Clement Boniface Sixtus Julius
    Adrian""".split())


def _roman(m: re.Match) -> str:
    """"Henry VIII" -> "Henry 8"; a lone "I" followed by a word stays the pronoun after a sentence's first word
    ("Then I went"; not after a name monarchs reign under: "Elizabeth I was queen.") or before a verb of saying or
    thinking ("Paris I think")."""
    numeral, after = m[2], m[3] or ""
    before = m.string[: m.start()].rstrip(" \t\"'(")
    if numeral == "I" and after and (after.strip() in _PRONOUN_VERBS or (not before or before[-1] in ".!?:;\n")
                                     and m[1].strip() not in _REGNAL_NAMES):
        return m[0]
    values = [_ROMAN_VALUE[c] for c in numeral]
    return m[1] + str(sum(-v if k + 1 < len(values) and v < values[k + 1] else v for k, v in enumerate(values))) + after


def _number_run(words: list[str], i: int) -> tuple[object, int, bool]:
    """Parse the number words starting at ``words[i]``: (value, end index, is it a plain 10-99)."""
    total, cur, last, j, kinds = 0, None, None, i, set()  # last: kind of the previous number word
    while j < len(words):
        w = words[j]
        if w in _UNITS and last in (None, "tens", "hundred", "scale", "and"):
            cur, last = (cur or 0) + _UNITS[w], "unit"
        elif w in _TEENS and last in (None, "hundred", "scale", "and"):
            cur, last = (cur or 0) + _TEENS[w], "teen"
        elif w in _TENS and last in (None, "hundred", "scale", "and"):
            cur, last = (cur or 0) + _TENS[w], "tens"
        elif w == "hundred" and last in (None, "unit", "teen"):
            cur, last = (cur or 1) * 100, "hundred"
        elif w in _SCALES and last in (None, "unit", "teen", "tens", "hundred", "num"):
            total, cur, last = total + (cur if cur is not None else 1) * _SCALES[w], None, "scale"
        elif w == "and" and last in ("hundred", "scale") and j + 1 < len(words) and (
                words[j + 1] in _UNITS or words[j + 1] in _TEENS or words[j + 1] in _TENS):
            last = "and"
        elif last is None and _NUMERIC.fullmatch(w) and j + 1 < len(words) and words[j + 1] in _SCALES:
            cur, last = Decimal(w), "num"
        else:
            break
        kinds.add(last)
        j += 1
    value = total + (cur or 0)
    return value, j, kinds <= {"unit", "teen", "tens"} and 10 <= value <= 99


def _unit_words(words: list[str]) -> list[str]:
    """A unit word right after a number (or after a unit and "per") -> its symbol: "5 kilometres per hour" -> "5 km h",
    "100 degrees celsius" -> "100 c", "50 per cent" -> "50", "9 square metres" -> "9 m 2"; elsewhere the word stays
    ("the second", "a minute")."""
    out: list[str] = []
    prev, power = None, None  # prev: "num", "unit", "per" or None; power: "2" after "square", "3" after "cubic"
    for k, w in enumerate(words):
        num = bool(_NUMERIC.fullmatch(w)) or w in _UNITS or w in _TEENS or w in _TENS or w in _SCALES or w == "hundred"
        if prev in ("num", "unit", "per") and w in _UNIT_WORDS:
            out.extend(_UNIT_WORDS[w].split() + ([power] if power else []))
            prev, power = "unit", None
        elif prev == "num" and w == "per" and k + 1 < len(words) and words[k + 1] == "cent":
            prev = "unit"  # "per cent": dropped with the next word
        elif prev == "unit" and w == "cent" and k and words[k - 1] == "per":
            pass
        elif prev == "unit" and w == "per" and k + 1 < len(words) and words[k + 1] in _UNIT_WORDS:
            prev = "per"
        elif prev == "unit" and w == "squared":
            out.append("2")
        elif prev == "num" and w in _POWER_WORDS and k + 1 < len(words) and words[k + 1] in _UNIT_WORDS:
            power = _POWER_WORDS[w]  # "9 square metres" -> "9 m 2", as "9 m²" and "9 m2" are written
            continue
        else:
            out.append(w)
            prev = "num" if num else None
    return out


def _number_words(words: list[str]) -> list[str]:
    """Runs of number words (and a digit string before a scale word) -> one digit string; a year said in
    pairs ("nineteen eighty-four") -> 1984; ordinal words -> digits ("sixteenth" -> 16)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        value, j, pair = _number_run(words, i)
        if j == i:
            out.append(_ORDINALS.get(words[i], words[i]))
            i += 1
            continue
        if pair:
            second, k, pair2 = _number_run(words, j)
            if k > j and pair2:
                value, j = value * 100 + second, k
        out.append(str(int(value)) if value == int(value) else format(Decimal(value).normalize(), "f"))
        i = j
    return out


def _parts(words: list[str]) -> list[str]:
    """Halves and quarters said in words, after ``_number_words``: "3 and half" -> "3.5", "1 and half 1000000" ->
    "1500000" ("one and a half million"), "2 and 3 quarters" -> "2.75", "half 1000000" -> "500000"; "twice" -> "2"."""
    out: list[str] = []
    i = 0
    while i < len(words):
        w, value, j = _TIMES.get(words[i], words[i]), None, i + 1
        if w.isdigit() and words[i + 1 : i + 2] == ["and"] and i + 2 < len(words):
            if words[i + 2] in _PARTS:  # "3 and half", "3 and quarter"
                value, j = Decimal(w) + _PARTS[words[i + 2]], i + 3
            elif words[i + 2].isdigit() and words[i + 3 : i + 4] and words[i + 3] in _PARTS:  # "2 and 3 quarters"
                value, j = Decimal(w) + int(words[i + 2]) * _PARTS[words[i + 3]], i + 4
        elif w == "half" and i + 1 < len(words) and words[i + 1] in _SCALE_VALUES:  # "half a million"
            value = Decimal("0.5")
        if value is not None and j < len(words) and words[j] in _SCALE_VALUES:
            value, j = value * int(words[j]), j + 1
        out.append(w if value is None else format(value.normalize(), "f"))
        if value is not None and j < len(words) and words[j] in _UNIT_WORDS:  # "one and a half hours" -> "1.5 h"
            out.extend(_UNIT_WORDS[words[j]].split())
            j += 1
        i = j
    return out


_SCALE_VALUES = frozenset(str(v) for v in _SCALES.values() if v >= 1000)
_PAST = {"half": 30, "quarter": 15}


def _clock(words: list[str]) -> list[str]:
    """A time of day said in words, as "3:00" is read ("3 00"): "3 o clock" -> "3 00", "half past 2" -> "2 30",
    "quarter past 2" -> "2 15", "quarter to 5" -> "4 45" (hours 1-12)."""
    if "clock" not in words and "past" not in words and "to" not in words:
        return words
    out: list[str] = []
    i = 0
    while i < len(words):
        w, nxt, hour = words[i], words[i + 1 : i + 3], words[i + 2] if i + 2 < len(words) else ""
        if w.isdigit() and nxt == ["o", "clock"]:
            out += [w, "00"]
            i += 3
        elif w in _PAST and words[i + 1 : i + 2] in (["past"], ["to"]) and hour.isdigit() and 1 <= int(hour) <= 12:
            out += [str(int(hour) - 1 or 12), "45"] if words[i + 1] == "to" and w == "quarter" else \
                [hour, f"{_PAST[w]:02d}"] if words[i + 1] == "past" else [w, words[i + 1], hour]
            i += 3
        else:
            out.append(w)
            i += 1
    return out


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation, drop articles, number words -> digits, collapse spaces.

    Also: "8,849" -> "8849", "100.0" -> "100", "-40" -> "minus 40", ".5" -> "0.5", "16th"/"sixteenth" -> "16", "twenty-first" -> "21",
    "5km" -> "5 km", "St."/"Mt." -> "saint"/"mount", "U.S.A." -> "usa", "July 4" -> "4 july".

    >>> normalize("  São   Tomé,  the Four! ")
    'sao tome 4'
    >>> normalize("two hundred and six")
    '206'
    """
    text = _MINUS.sub(" minus ", _BARE_DECIMAL.sub("0.", _written(text)))
    text = _DECIMAL.sub(lambda m: f"{m[1]}.{m[2]}" if m[2] else m[1], _THOUSANDS.sub("", text))
    text = _CJK.sub(r" \1 ", _PUNCT.sub(" ", text.lower()))
    text = re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", r"\1", text)  # ordinal suffixes
    text = _COMPOUND_ORDINAL.sub(lambda m: str(_TENS[m[1]] + int(_ORDINALS[m[2]])), text)
    text = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", text)  # "5km" -> "5 km", "h2o" -> "h 2 o"
    raw = text.split()
    # "a day" is one day ("It takes a day." answers "one day", and "365 days" does not), "an hour" one hour
    words = [_ABBREV.get(w, "minus" if w == "negative" else w) if w not in ("a", "an") else "1"
             for k, w in enumerate(raw) if w not in _ARTICLES or (w != "the" and raw[k + 1:k + 2] and raw[k + 1] in _SPANS)]
    words = _clock(_parts(_number_words(_unit_words([_american(w) for w in words]))))
    for k in range(len(words) - 1):  # "july 4" -> "4 july": one order for dates
        if words[k] in _MONTHS and words[k + 1].isdigit() and 1 <= int(words[k + 1]) <= 31:
            words[k], words[k + 1] = words[k + 1], words[k]
    words = _compass(words)
    day_of = {k + 1 for k in range(len(words) - 2)  # "8 of may" -> "8 may"
              if words[k].isdigit() and 1 <= int(words[k]) <= 31 and words[k + 1] == "of" and words[k + 2] in _MONTHS}
    return " ".join(w for k, w in enumerate(words) if k not in day_of)


_COMPASS = {"northern": "north", "southern": "south", "eastern": "east", "western": "west", "northeastern": "northeast",
            "northwestern": "northwest", "southeastern": "southeast", "southwestern": "southwest"}


def _compass(words: list[str]) -> list[str]:
    """One spelling for a direction in a place's name: "Eastern Asia" is "East Asia", "South-eastern Asia",
    "South East Asia" and "Southeast Asia" one region. Not "Southern Africa", a region, which would read as the
    country South Africa."""
    out: list[str] = []
    for k, w in enumerate(words):
        nxt = words[k + 1] if k + 1 < len(words) else ""
        if w == "southern" and nxt == "africa":
            out.append(w)
            continue
        w = _COMPASS.get(w, w)
        if w in ("east", "west") and out and out[-1] in ("north", "south") and k and words[k - 1] != "southern":
            out[-1] += w  # "south east" -> "southeast"
            continue
        out.append(w)
    return out


def _same(word: str, gold: str, exact: bool = False, measure: bool = False) -> bool:
    """One word of an answer says one word of an alias: equal, or (not ``exact``) a number more precise
    than the alias's that rounds to it ("3.14159" says "3.14"; "3.4" does not say "3")."""
    if word == gold:
        return True
    if _NUMERIC.fullmatch(word) and _NUMERIC.fullmatch(gold) and "." in word and len(word.split(".")[1]) >= 12 \
            and abs(float(word) - float(gold)) <= 1e-9 * max(1.0, abs(float(gold))):
        return True  # floating-point noise, "10.00000000000001" for 10: the same number, even where precision counts
    if not exact and "." in gold and _NUMERIC.fullmatch(gold) and _NUMERIC.fullmatch(word) and "." in word:
        places = len(gold.split(".")[1])
        return len(word.split(".")[1]) > places and abs(float(word) - float(gold)) <= 0.5 * 10**-places + 1e-12
    if measure and not exact and "." in word and gold.isdigit() and len(gold) >= 3 and _NUMERIC.fullmatch(word):
        return abs(float(word) - int(gold)) <= 0.5  # a measurement to decimals: "8848.27" says "8848"
    if not exact and _NUMERIC.fullmatch(word) and gold.isdigit():
        # a count of millions or more, said round, stands for the counts that round to it: "8 billion" for
        # "7.9 billion", "67 million" for "67,413,000", and "about 5.1 million" for a precise 5,109,056
        return _rounds_to(word, gold) or (word.isdigit() and _rounds_to(gold, word))
    return False


def _rounds_to(precise: str, round_: str) -> bool:
    """Is ``round_`` (a count of millions or more, to at most 3 significant digits) ``precise`` said to fewer digits?"""
    zeros = len(round_) - len(round_.rstrip("0"))
    if len(round_) < 7 or len(round_) - zeros > 3:
        return False
    kept = Decimal(precise).normalize()
    more_digits = kept != kept.to_integral_value() or len(str(int(kept)).rstrip("0")) > len(round_.rstrip("0"))
    return more_digits and abs(Decimal(precise) - Decimal(round_)) <= Decimal(5) * 10 ** (zeros - 1)


def _runs(words: Sequence[str], phrase: Sequence[str], exact: bool = False, measure: bool = False) -> list[int]:
    """Start indices where ``phrase`` occurs in ``words`` (a final 's'/'es' plural also matches; ``exact``:
    numbers must match as written, for a question that asks for a precision)."""
    n = len(phrase)
    if not n:  # a gold that normalises to nothing (the letter "a", read as an article) occurs nowhere
        return []
    out = []
    for i in range(len(words) - n + 1):
        w = words[i : i + n]
        if all(_same(a, b, exact, measure) for a, b in zip(w[:-1], phrase[:-1])) and (
                _same(w[-1], phrase[-1], exact, measure) or _inflected(w[-1], phrase[-1])):
            out.append(i)
    return out


_ES_PLURAL = re.compile(r"(?:sh|ch|x|z|ss|o)es")  # "boxes", "churches", "tomatoes": the plural adds "es"


def _inflected(word: str, gold: str) -> bool:
    """A noun said in the other number: "nests" for "nest", "butterflies" for "butterfly", and back: "nest" for
    "nests", "butterfly" for "butterflies", "box" for "boxes" (not a word ending "ss", "us" or "is": "glass",
    "virus", "Paris"; not a decade, "1990" for "1990s"); a verb said as its "-ing" form or back: "pollinating" for
    "pollinate", "swimming" for "swim", "breathe" for "breathing", "swim" for "swimming" (words of 7 letters or more;
    not "even" for "evening")."""
    if word in (gold + "s", gold + "es") or (gold.endswith("y") and word == gold[:-1] + "ies"):
        return True
    if len(word) >= 7 and word.endswith("ing") and not any(c.isdigit() for c in gold):  # "pollinating" for "pollinate"
        stem = word[:-3]
        if gold in (stem, stem + "e", stem + "s", stem + "es") or (stem[-1] == stem[-2] and gold == stem[:-1]):
            return True
    if len(gold) >= 7 and gold.endswith("ing") and not any(c.isdigit() for c in gold):  # "breathe" for "breathing"
        stem = gold[:-3]  # not the bare stem: "even" does not say "evening", nor "build" "building"
        if word == stem + "e" or (stem[-1] == stem[-2] and word == stem[:-1]):
            return True
    if len(gold) < 4 or not gold.endswith("s") or gold.endswith(("ss", "us", "is")) or any(c.isdigit() for c in gold):
        return False
    if gold.endswith("ies"):  # "butterflies" for "butterfly"; a verb of three letters: "dies" for "die"
        return word == gold[:-3] + "y" or (len(gold) == 4 and word == gold[:-1])
    return word == (gold[:-2] if _ES_PLURAL.search(gold[-5:]) and gold.endswith("es") else gold[:-1])


def _competitor_spans(words: Sequence[str], competitors: Collection[str], max_len: int = 6) -> list[range]:
    spans = []
    for n in range(1, max_len + 1):
        for i in range(len(words) - n + 1):
            if " ".join(words[i : i + n]) in competitors:
                spans.append(range(i, i + n))
    return spans


# where a sentence ends or a new clause begins: a right answer followed by commentary is still right
# (also an apposition: "..., a British physician who ...")
# ", and" opens a clause, except before a list's last item: 1-3 names or a number that end the sentence
# ("Confucius, Lao Tzu, and Mencius.")
# ", and" before a list's last item: 1-3 names or a number that end the sentence; where one main thing is asked ("the
# main ingredient"), also a short item in lower case ("chickpeas, water, and salt" lists three)
_LIST_END = (r"and\s+(?:the\s+)?(?-i:[A-Z][\w'’-]*|\d[\d,.]*)(?-i:\s+[A-Z][\w'’-]*){0,2}"
             r"\s*(?:[.!?]|$)")
_LOWER_LIST_END = r"and\s+(?:(?:an?|the|some)\s+)?(?-i:[a-z][\w'’-]*)(?:\s+[a-z][\w'’-]*){0,2}\s*(?:[.!?]|$)"


def _clause_re(list_ends: Sequence[str]) -> re.Pattern:
    return re.compile(r"(?<=[.!?;:])\s+(?=\S)|(?<=[.!?][\"”])\s+(?=[A-Z])|,\s*(?!" + "|".join(list_ends) + r")"
                      r"(?=(?:and|but|which|while|where|although|though|so|who|whose|a|an|the|also|particularly|especially|"
                      r"specifically|namely|more\s+specifically|more\s+precisely)\b)"
                      r"|\s+and\s+(?=(?:is|it|was|has|are|its)\b)", re.IGNORECASE)


_CLAUSE = _clause_re([_LIST_END])
_CLAUSE_ONE = _clause_re([_LIST_END, _LOWER_LIST_END])


def _negated(words: Sequence[str], i: int, q_words: Sequence[str] = (), quoted: frozenset[str] = frozenset()) -> bool:
    """Is the mention starting at ``words[i]`` denied ("not Jupiter", "isn't in Norway")? Not by a negated phrase
    the question itself says ("The continent with no countries is Antarctica." for "Which continent has no
    countries?": its "no countries" is the question's), nor by a word the question quotes ("The opposite of 'never'
    is 'always'.": the word is named, not said)."""
    j = i - 1
    while j >= 0 and words[j] in FILLER and words[j] not in _NEGATION:
        j -= 1
    if j < 0 or words[j] not in _NEGATION or words[j] in quoted:
        return False
    return not (j + 1 < i and _runs(list(q_words), list(words[j:j + 2])))


_COPULA = frozenset({"is", "was", "are", "were", "isn", "wasn", "aren", "weren"})
_WRONG = frozenset({"incorrect", "wrong", "misspelled", "misspelt"})
_FALSE = frozenset({"false", "untrue", "inaccurate"})  # said of an option (a statement): "'Bats are birds' is false"
_VERDICT_WORDS = frozenset("entirely necessarily quite really exactly completely always fully strictly true correct "
                           "accurate right factual valid statement answer choice claim sentence option".split())


def _denied_after(words: Sequence[str], end: int, echo: set[str], q_words: Sequence[str] = (),
                  verdicts: bool = False) -> bool:
    """Is the mention ending before ``words[end]`` denied by what follows it: a negated copula and then nothing but
    the question's own words ("Canberra is not the capital of Australia.", "Canberra isn't the capital"), or "is
    incorrect" / "is wrong" where the question does not ask for the wrong one? With ``verdicts`` (an option of a
    choice), also a verdict ("'Paris is in Spain' is not entirely true", "is false"), and nothing where the question
    asks for the wrong or false one: there it is the pick.
    A negated description ("Canberra is not a big city") leaves the mention stated, and so does the question's own
    negated predicate ("The bottle was not stable." for "What was not stable?")."""
    wrong = _WRONG | _FALSE if verdicts else _WRONG
    if verdicts and wrong & set(q_words):
        return False  # "Which is false: ...?": "'Bats are mammals' is not correct" picks it, denies nothing
    if end + 1 < len(words) and words[end] in _COPULA and words[end + 1] in wrong and words[end + 1] not in q_words:
        return True  # "'a hour' is incorrect", "Sydney is wrong", unless the question asks for the wrong one
    if end + 1 >= len(words) or words[end] not in _COPULA or words[end + 1] not in _NEGATION:
        return False
    if end + 2 < len(words) and _runs(["not" if w == "t" else w for w in q_words],
                                      ["not" if w == "t" else w for w in words[end + 1:end + 3]]):
        return False  # the question's own negated predicate ("isn't a gas giant" for "... is not a gas giant")
    # nothing after but the question's words, or (an option: ``verdicts``) a verdict: "is not entirely true", "is not
    # a correct answer"
    return all(w in echo or (verdicts and w in _VERDICT_WORDS) for w in words[end + 2 :])


def _echoes(word: str, echo: set[str]) -> bool:
    """Is ``word`` one of the question's words, or filler ("conduct" for the question's "conducts")?"""
    return word in echo or word + "s" in echo or word + "es" in echo or (word.endswith("s") and word[:-1] in echo)


def _denies_question(words: Sequence[str], hits: list[int], n: int, q_words: Sequence[str], echo: set[str],
                     names: frozenset[str] = frozenset()) -> bool:
    """Does the clause say the question's own predicate of the mention, negated: "The part of the plant that does not
    conduct photosynthesis is the leaves." or "The leaves do not conduct photosynthesis." for "Which part of the plant
    conducts photosynthesis?" A negation followed, up to the mention or the clause's end, by the question's words
    alone (one of them not filler). A negation followed by another name ("Canberra, not Sydney", "they do not make
    milk") denies that, not the mention, and so does the question's own name alone ("Moscow, not the Kremlin." for
    "Which city is home to the Kremlin?"; ``names``: the words the clause writes with a capital); a question that
    itself says "not" is left to the other rules."""
    if _NEGATION & set(q_words):
        return False
    for j, w in enumerate(words):
        if w not in _NEGATION or w == "no":
            continue
        if j < hits[0]:
            seg = words[j + 1 : hits[0]]
        elif j >= hits[-1] + n:
            seg = words[j + 1 :]
        else:
            continue
        if seg and all(_echoes(x, echo) for x in seg) and any(not _echoes(x, FILLER) for x in seg) \
                and not all(x in names or _echoes(x, FILLER) for x in seg):
            return True
    return False


_PARTICIPLE = {"wrote": "written", "sang": "sung", "drew": "drawn", "began": "begun", "took": "taken", "gave": "given",
               "spoke": "spoken", "won": "won", "led": "led", "made": "made", "built": "built", "found": "found"}


_DEEDS = frozenset("wrote painted composed invented discovered directed designed sculpted founded sang drew developed "
                   "formulated created".split())  # a deed a work is credited by: "... by <Name>"
# a deed's noun credits it too: "a painting by Jan van der Meer"
_DEED_NOUN = {"painted": "painting", "drew": "drawing", "composed": "composition", "sculpted": "sculpture"}
_NOBODY_NAMED = frozenset("others someone somebody".split())
_DESCRIBES = frozenset("of in from with at for on to about who which that".split())  # a description, not a name


def _credited_elsewhere(text: str, q_words: Sequence[str], alias_words: frozenset[str], person: bool = False) -> bool:
    """For "Who <verb> ...?" ("who <verb>" anywhere: "State who painted ...") or, with ``person``, a question for a
    person with a deed of authorship ("Which Dutch painter ... painted 'The Starry Night'?", ``_DEEDS``; not one done
    to them, "was tried by"): does the answer credit the deed to another name, "<verb, as participle> by <Name>"
    ("a painting by <Name>") with no word of an accepted answer in the name ("The painting 'Guernica' by Pablo Picasso
    was painted by Juan Gris.", "The Mona Lisa by Leonardo da Vinci was painted by Michelangelo."), or to no one named
    ("developed by others")?"""
    at = next((i for i, w in enumerate(q_words[:-1]) if w in ("who", "whom")), None)  # "State who painted ...",
    verbs = {q_words[at + 1]} if at is not None else set()  # "Tell me who wrote ..."
    if person:  # "Which British author, born in India in 1903, wrote 'Animal Farm'?": its deed of authorship
        verbs |= {w for i, w in enumerate(q_words) if w in _DEEDS and q_words[i - 1] not in _COPULA | {"be", "been"}}
    if not verbs:
        return False
    done = verbs | {_PARTICIPLE.get(v, v) for v in verbs} | {_DEED_NOUN[v] for v in verbs if v in _DEED_NOUN}
    for part in re.split(r"(?<=[.!?;])\s+", text):
        words = normalize(part).split()
        names = {w for m in _CAPITAL.findall(part) for w in normalize(m).split()}
        for j in range(1, len(words) - 1):
            if words[j] == "by" and words[j - 1] in done and not _negated(words, j):
                if words[j + 1] in _NOBODY_NAMED:
                    return True  # "... by Albert Einstein was developed by others": taken back, no one named
                after = list(itertools.takewhile(lambda w: w not in _DESCRIBES, words[j + 1 : j + 7]))
                run = [w for w in after if w in names and w not in q_words]  # "by the renowned author of ...": none
                if run and not alias_words & set(run):
                    return True
    return False



# "What is the capital of France?" / "Which planet is the largest planet in the solar system?": the noun phrase asked
# for, and what it is of
_ASKS_THE = re.compile(r"^\W*(?:what|which(?:\s+\w+){0,2}|who|where)\s+(?P<be>is|was|are|were)\s+the\s+"
                       r"(?P<np>[\w-]+(?:\s+[\w-]+){0,2}?)(?:\s+(?:of|in|on)\s+(?P<obj>[^?,]+?))?\s*\?\s*$",
                       re.IGNORECASE)
_NAME_SAID = r"(?P<name>(?:[A-Z]\.|[A-Z][\w'’-]*)(?:\s+(?:of\s+|de\s+|the\s+|and\s+)?(?:[A-Z]\.|[A-Z][\w'’-]*))*)"


def _given_to_another(text: str, question: str | None, golds: Sequence[list[str]],
                      right: Callable[[str], bool] = lambda name: False) -> bool:
    """Does the answer say that what the question asks for is another name ("Paris is pretty, but the capital is
    Lyon.", "The capital of France is Lyon, near Paris.", "Lyon is the capital of France." for "What is the capital
    of France?"): "the <asked noun phrase> (of <its subject>) is <Name>" or "<Name> is the <asked noun phrase>", the
    name no accepted answer's, nor the question's, nor set beside an accepted answer as another name for it ("the
    City of Light, Paris"); of another subject ("the capital of Italy is Rome") it says nothing of the asked one. A
    past "was" answers only a question that asks in the past ("Before 1790 the capital was ..." is history). A name
    that is ``right`` by itself (another name of the answer: "Vienna" for "Wien", "Newtons" for "newton") is no other,
    and one the answer goes on to take back ("..., but it's actually K2") is left to the correction."""
    m = _ASKS_THE.match(question or "")
    if not m or normalize(m["np"]).split()[-1:] in ([], ["one"]):
        return False
    np = r"\s+".join(map(re.escape, m["np"].split()))
    be = "(?:is|was)" if m["be"].lower() in ("was", "were") else "is"
    obj = normalize(m["obj"] or "").split()
    gold_words = {w for g in golds for w in g}
    q_words = set(normalize(question).split())
    pattern = (rf"(?i:\bthe\s+{np}(?:\s+(?:of|in|on)\s+(?P<obj1>[^,.;!?]+?))?\s+{be})\s+(?:(?i:now|actually|still)\s+)?"
               rf"(?:(?i:the\s+(?:city|town|country|state|planet|island)\s+of)\s+)?{_NAME_SAID}"
               rf"|{_NAME_SAID.replace('name', 'name2')}\s+(?i:{be}\s+(?:also\s+|actually\s+|now\s+)?the\s+{np}\b"
               rf"(?:\s+(?:of|in|on)\s+(?P<obj2>[^,.;!?]+))?)")
    for said in re.finditer(pattern, text):
        name = re.sub(r"\A(?:The|A|An)\s+", "", said["name"] or said["name2"] or "")
        words = [w for w in normalize(name).split() if w not in FILLER]
        if not words or set(words) & gold_words or set(words) <= q_words or right(name) \
                or _CORRECTION.search(normalize(text[said.end():])):
            continue
        said_obj = normalize(said["obj1"] or said["obj2"] or "").split()
        if said_obj and obj and said_obj != obj and not set(said_obj) <= set(obj) | FILLER:
            continue  # of another subject
        beside = re.match(r"\s*(?:,|\(|\bor\b|\baka\b|\balso known as\b)\s*(?:(?:or|aka|also known as)\s+)?([^,;.)]*)",
                          text[said.end():], re.IGNORECASE)
        if said["name"] and beside and any(normalize(beside[1]).split()[:len(g)] == g for g in golds if g):
            continue  # "the City of Light, Paris": the accepted answer by another name
        return True
    return False


_SIDES = frozenset("north south east west northeast northwest southeast southwest".split())  # "<side> of <place>"
_ORDER_SIDES = frozenset("before after above below beneath behind".split())  # "<side> <thing>"
# deeds done by one to another, read in "Who <deed> <X>?"; not those that hold both ways ("married", "met", "played")
_DEEDS_TO = frozenset("""beat shot won led taught wrote built made sang drew took gave hit bit caught sold bought struck
    slew overthrew sank ate stole broke bore sent threw""".split())
_BOTH_WAYS = frozenset("""married met fought played befriended divorced dated kissed joined accompanied partnered
    bordered neighboured neighbored resembled tied faced debated collaborated shared merged allied contacted
    called emailed visited""".split())
_AUXILIARIES = frozenset("was were is are did does do has had have will would can could should shall may might must".split())


def _done_to(word: str) -> bool:
    """Is ``word`` a past-tense deed one does to another ("defeated", "succeeded", "killed", "beat")?"""
    return word not in _BOTH_WAYS and word not in _AUXILIARIES and (
        word in _DEEDS_TO or (word.endswith("ed") and len(word) > 4))


def _relation_reversed(text: str, q_words: Sequence[str], golds: Sequence[list[str]]) -> bool:
    """Does the answer put the question's own place or thing where the answer should stand, and the answer on the
    other side of the question's relation? "Which US state lies directly west of Nevada?": "Nevada lies directly
    west of California." says California lies east. Only sides that do not swap: a compass point ("west of"),
    "before", "after", "above", "below", "beneath", "behind"; not "borders", "between" or "next to", which hold
    both ways. The same side said of the question's own place ("... west of Nevada is California") or the other
    side said back ("Nevada lies east of California") is not reversed. So too a deed asked by "Who <did> X?" /
    "Which <noun> <did> X?" that the answer has X do to the alias ("Who defeated the Spanish Armada?": "The Spanish
    Armada defeated the English fleet."), unless said in the passive or by a deed that holds both ways
    (``_BOTH_WAYS``: "married", "met", "played")."""
    def after_side(words: Sequence[str], k: int) -> int | None:
        """Where the side's object starts: "west of <x>", "before <x>" (articles are normalised away)."""
        if words[k] in _SIDES:
            return k + 2 if k + 2 < len(words) and words[k + 1] == "of" else None
        return k + 1 if k + 1 < len(words) else None
    relations = []
    for k, w in enumerate(q_words):
        if (w in _SIDES or w in _ORDER_SIDES) and (at := after_side(q_words, k)) is not None:
            if not any(g and q_words[at:at + len(g)] == g for g in golds):
                relations.append((w, q_words[at]))  # the side and the first word of its object
    # "Who defeated the Spanish Armada?" / "Which country invaded Poland?": the deed's doer is asked, its object given
    at = 1 if q_words[:1] in (["who"], ["whom"]) else 2 if q_words[:1] == ["which"] else None
    if at is not None and at + 1 < len(q_words) and _done_to(q_words[at]) and q_words[at + 1] not in FILLER \
            and not any(g and q_words[at + 1:at + 1 + len(g)] == g for g in golds):
        relations.append((q_words[at], q_words[at + 1]))
    if not relations:
        return False
    for part in re.split(r"(?<=[.!?;])\s+", text):
        words = normalize(part).split()
        for side, obj in relations:
            for j, w in enumerate(words):
                if w != side or (at := after_side(words, j)) is None or words[at] == obj or _negated(words, j):
                    continue
                if w not in _SIDES and w not in _ORDER_SIDES and ("by" in words[j + 1:j + 6] or words[j - 1:j] and (
                        words[j - 1] in _COPULA or words[j - 1] in ("been", "be", "being"))):
                    continue  # the passive says it the right way: "The Armada was defeated by the English.",
                    # "Amazon, founded in 1994 by Jeff Bezos"
                # after a side the gold may come a few words on ("west of the state of California"); after a deed it
                # is the object, next ("Sputnik launched in 1957 in the Soviet Union" does not launch the Union)
                room = 3 if w in _SIDES or w in _ORDER_SIDES else 0
                gold_next = any(_runs(words[at:at + len(g) + room], g)[:1] == [0] if not room else
                                _runs(words[at:at + len(g) + room], g) for g in golds if g)
                if gold_next and obj in words[:j]:
                    return True
    return False


# what a place or person is said by way of another ("near Norway", "north of Norway", "a contemporary of Shakespeare",
# "Shakespeare's rival"): the other is no answer, only where the first thing is
_BESIDE = ("near", "close to", "next to", "beside", "bordering", "adjacent to", "border with", "borders with",
           "not far from", "across from", "opposite") + tuple(f"{side} of" for side in _SIDES)
_KIN = frozenset("""contemporary rival student pupil teacher friend son daughter wife husband brother sister father mother
    colleague successor predecessor assistant protege mentor disciple follower collaborator partner cousin nephew niece
    uncle aunt grandson granddaughter widow lover enemy opponent""".split())


_BESIDE_CUE = re.compile(r"\b(?:" + "|".join(c.replace(" ", r"\s+") for c in _BESIDE) + "|" + "|".join(sorted(_KIN))
                         + r"|who|which|that)\b", re.IGNORECASE)  # a cheap first look: most answers hold none


_SIDE_IN_NAME = re.compile(r"\b(?:Middle|Far|Near)\s+(?:East|West)\b|(?<=[a-z,;] )(?:North|South|East|West)(?:east|west)?\b")


def _only_beside(text: str, q_words: Sequence[str], golds: Sequence[list[str]]) -> bool:
    """Is each mention of an accepted answer (a name, not a number: "near 100 km" is about 100 km) something the answer
    only sets its answer beside: "Oslo is in Sweden, near Norway." / "Oslo is near Norway." for "In which country is
    Oslo?", "Christopher Marlowe, a contemporary of Shakespeare." / "Shakespeare's rival Marlowe" for "Who wrote
    Romeo and Juliet?"? Not "in the north of Africa" (within it), nor where the question asks where by such a
    relation ("Which country is next to France?", "Which state lies west of Nevada?": "Nevada lies east of
    California."), nor a kin said of the question's own name ("Aristotle was a student of Plato."). A deed done to it
    in a relative clause sets it beside too ("John Adams, who succeeded George Washington."), unless the question asks
    by that deed ("Whom did John Adams succeed?")."""
    names = [g for g in golds if g and not any(w[:1].isdigit() for w in g)]
    if not names or not _BESIDE_CUE.search(text):
        return False
    q = f" {' '.join(q_words)} "
    asks_where = set(q_words) & _SIDES or any(f" {c} " in q for c in _BESIDE) or re.search(r" (?:border|neighbo)", q)
    # "Nevada lies east of California.", "Norway shares a border with Sweden." for "Which country borders Norway?"
    cues = [] if asks_where else [c.split() for c in _BESIDE]
    kin = _KIN - set(q_words)
    mentions = 0
    # a side that is part of a name ("the Middle East of the Asia-Pacific region", "East of Eden") is no side
    text = _SIDE_IN_NAME.sub("Region", text)
    for part in re.split(r"[.;!?\n]", re.sub(r"\bthe\s+(?=(?:" + "|".join(_SIDES) + r")\s+of\b)", "in the ", text,
                                                flags=re.IGNORECASE)):
        words = normalize(part).split()
        # a kin said of another than the question's own names ("Aristotle was a student of Plato." for "Who taught
        # Aristotle?" says Plato did)
        other = {w for m in _CAPITAL.findall(part) for w in normalize(m).split()} - set(q_words) - {
            w for g in golds for w in g} - FILLER
        for g in names:
            for i in _runs(words, g):
                mentions += 1
                before, after = words[:i], words[i + len(g):]
                if any(before[-len(c):] == c and before[-len(c) - 1:-len(c)] != ["in"] for c in cues) \
                        or (other and len(before) >= 2 and before[-1] == "of" and before[-2] in kin) \
                        or (other and after[:1] == ["s"] and after[1:2] and after[1] in kin) \
                        or (other and len(before) >= 2 and before[-2] in ("who", "which", "that") and _done_to(before[-1])
                            and not any(before[-1].startswith(w[:max(4, len(w) - 2)]) for w in q_words if len(w) > 3)):
                    continue
                return False
    return mentions > 0


_COORD = frozenset({"or", "and"})
_DESCRIBING = frozenset("on by with during since after before for".split())  # open a phrase that describes
_LINKING = frozenset("like as with of in on from for by to the a an its their such is are was were".split())  # "red, like blood, or fire" describes


def _hedged(words: Sequence[str], names: frozenset[str], i: int, end: int, gold: list[str], echo: set[str],
            appositive: bool = False, accepted: Sequence[list[str]] = ()) -> bool:
    """Is the mention ``words[i:end]`` one of two candidates joined by "or"/"and" ("Spanish or Portuguese",
    "1944 or 1945", "Paris or maybe Lyon is", "Shakespeare and Marlowe"): the other side is a run of 1-3 words the
    question did not say and the alias does not hold; for "and", which also joins facts, names or numbers ending
    the clause or followed by another "or"/"and"/"are". Catches a hedge without a list of same-kind candidates. ``appositive``:
    the clause writes ", or" ("Mount Everest, or Sagarmatha"), another name for the same thing, so "or" hedges nothing."""
    def other(run: list[str], at_end: bool, coord: str) -> bool:
        if not 1 <= len(run) <= 3 or any(w in gold for w in run) or run in accepted:
            return False  # another accepted answer is no rival: "Norway or Sweden" names a Nordic country either way
        return coord == "or" or (at_end and all(w in names or w[:1].isdigit() for w in run))
    for side in (-1, 1):
        k = i - 1 if side < 0 else end
        if not (0 <= k < len(words) and words[k] in _COORD) or (appositive and words[k] == "or"):
            continue
        run, j = [], k + side
        while 0 <= j < len(words) and words[j] not in echo and words[j] not in _COORD and len(run) <= 3:
            run.append(words[j])
            j += side
        after = j if side > 0 else None
        at_end = side < 0 or after >= len(words) or words[after] in _COORD or words[after] in ("are", "were")
        if other(run[::side], at_end, words[k]):
            return True
    return False


_ONE_ASKED = frozenset({"main"})  # "the main ingredient": one thing is asked for ("primary" is not: "a primary colour")


_SPAN_OPENS = frozenset({"between", "from"})  # "..., between about 1503 and 1519": when, not two more answers


def _description_opens(items: tuple, gold: list[str], own: str | None, prepositions: bool = True) -> int | None:
    """The first item after the one that says ``gold`` that opens a description of it: with another preposition than
    the answer's own, a span ("between 1503 and 1519"), a comparison ("larger than the Atlantic and Indian Oceans"),
    or a participle with "by"/"with" ("chickpeas, blended with tahini, lemon juice and garlic"; "Jupiter, followed by
    Saturn, Uranus and Neptune")."""
    at = next((k for k, w in enumerate(items) if _runs(list(w), gold)), None)
    if at is None:
        return None
    return next((k for k in range(at + 1, len(items)) if (prepositions and items[k][0] in _DESCRIBING
                                                            and items[k][0] != own)
                 or items[k][0] in _SPAN_OPENS or _participle_with(items[k]) or items[k][1:2] == ("than",)), None)


def _participle_with(item: Sequence[str]) -> bool:
    """Does a list item open with a participle and "with"/"by" ("blended with", "usually mashed with")?"""
    item = item[1:] if item[:1] and item[0].endswith("ly") else item
    return len(item) > 1 and item[0].endswith("ed") and item[1] in ("with", "by")


def _guesses(items: tuple, words: Sequence[str], names: frozenset[str], gold: list[str], known: set[str],
             one: bool = False, accepted: Sequence[list[str]] = ()) -> bool:
    """Is a list clause that says ``gold`` ("Paris, Lyon or Nice", "The capital is Paris, Lyon and Nice") a list of
    guesses: joined by "or"/"and" (or 4+ items), every other item adds 1-3 words the question and the aliases
    (``known``) do not hold, and one of them adds only names or numbers, or the list says "or" and its items
    hold no linking word ("red, blue or yellow": a choice left open, as ``_hedged`` reads "red or blue"; not
    "red, like blood, or fire"). "Red, blue and yellow" (all aliases),
    "Paris, France, Europe" (no "or"/"and") or a clause with a long item ("born on May 5, 1818, in Trier") is not."""
    # without "or"/"and", four or more items make a list only when those between the first and the last are short
    # ("Paris, Lyon, Nice, Lille"; not "The French queen, Marie Antoinette, said it to her husband, Louis, in 1782")
    if not ("or" in words or "and" in words or (len(items) >= 4 and all(len(w) <= 3 for w in items[1:-1]))):
        return False
    # an item opened by another preposition than the answer's own describes it ("at Kitty Hawk, on December 17,
    # 1903, by Wilbur Wright"); one opened by the same is an alternative ("on Monday, on Tuesday or on Friday")
    own = next((w[0] for w in items if _runs(list(w), gold)), None)
    # what follows an item that opens a description after the answer is that description's ("chickpeas, blended
    # with tahini, lemon juice and garlic": what it is blended with)
    opens = _description_opens(items, gold, own)
    items = items[:opens] if opens is not None else items
    items = tuple(w for w in items if not (w[0] in _DESCRIBING and w[0] != own))
    # an item naming another accepted answer is an item too ("Name a wonder": "the Colossus, the Lighthouse of
    # Alexandria and the Lighthouse of Salamanca" lists three)
    if sum(any(_runs(list(w), a) for a in (gold, *accepted)) or any(x not in known for x in w) for w in items) < 3:
        return False  # items that only echo the question ("The Kremlin and Red Square are in Moscow, Russia") list nothing
    rest = [r for w in items if not _runs(list(w), gold) if (r := [x for x in w if x not in known])]
    if not rest or any(len(r) > 3 for r in rest):
        return False
    bare = "or" in words and not any(_LINKING & set(r) for r in rest)  # a plain list of alternatives
    # ``one``: the question asks for the main one, and a list of three ("chickpeas, water, and salt") names none
    return one or bare or any(all(x in names or x[:1].isdigit() for x in r) for r in rest)


_HYPHENATED_NAME = re.compile(r"(?<![\w'’])[A-Z][\w'’]*-[A-Z][\w'’]*")  # "Guinea-Bissau"
_LONG_NAME = re.compile(r"(?<![\w'’])[A-Z][\w'’-]*(?:\s+(?:(?:of|the|de|da|la|du|del|and)\s+)*[A-Z][\w'’-]*)+")


_QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]|(?<!\w)['‘](.+?)['’](?!\w)")  # "'Here's looking at you, kid'" is one


def _long_names(question: str | None) -> list[list[str]]:
    """The question's names of two or more words, normalised: "Kuwait City", "Sao Tome and Principe", "Guinea-Bissau",
    and what it quotes ("Which Beatles song begins with 'Yesterday, all my troubles ...'?")."""
    if not question:
        return []
    written = _written(question)
    runs = [m[0] for m in _LONG_NAME.finditer(written)] + _HYPHENATED_NAME.findall(written)
    # what comes before a name's "of", two or more words, is a name too: "the Blue Mountains" is said back from "the
    # Blue Mountains of Australia" ("What colour are the Blue Mountains of Australia named after?")
    runs += [p for r in runs for p in re.split(r"\s+of\s+(?:the\s+)?", r)[:-1] if " " in p.strip()]
    runs += [m[1] or m[2] for m in _QUOTED.finditer(written)]
    return [w for r in runs if len(w := normalize(r).split()) > 1]


def _quoted_words(question: str | None) -> frozenset[str]:
    """The single words the question quotes: "What is the opposite of 'never'?" names the word "never"."""
    if not question:
        return frozenset()
    return frozenset(w[0] for m in _QUOTED.finditer(_written(question)) if len(w := normalize(m[1] or m[2]).split()) == 1)


def _inside(words: Sequence[str], i: int, n: int, names: list[list[str]]) -> bool:
    """Is the mention ``words[i:i+n]`` part of one of the longer ``names``, written as the question writes it?"""
    for name in names:
        for k in range(len(name) - n + 1):
            if k <= i and list(words[i - k : i - k + len(name)]) == name and name[k : k + n] == list(words[i : i + n]):
                return True
    return False


_BOUNDS = frozenset({("more", "than"), ("less", "than"), ("fewer", "than"), ("greater", "than"), ("larger", "than"),
                     ("smaller", "than"), ("higher", "than"), ("lower", "than"), ("at", "least"), ("at", "most")})
_PLACE_OF = frozenset("gulf bay sea strait straits isle cape".split())  # "the Gulf of Guinea", "the Sea of Japan"


def _bound(words: Sequence[str], i: int) -> bool:
    """Is the number at ``words[i]`` a bound ("more than 8 legs", "greater than 2", "at least 3"), not a value said?"""
    return i >= 2 and (words[i - 2], words[i - 1]) in _BOUNDS


def _place_of(words: Sequence[str], i: int, q_words: Sequence[str]) -> bool:
    """Is the mention at ``words[i]`` the name of a gulf, bay, sea, strait, isle or cape it ends ("bordered by the Gulf
    of Guinea" names no country Guinea), where the question asks for no such place?"""
    return i >= 2 and words[i - 1] == "of" and words[i - 2] in _PLACE_OF and words[i - 2] not in q_words


def _between(words: Sequence[str], i: int, n: int, q_words: Sequence[str], accepted: Sequence[list[str]]) -> bool:
    """Is the name ``words[i:i+n]`` one side of "between A and B" ("fought between England and France"): both sides
    named, neither picked. Not a number ("between 1939 and 1945" says both years), nor where the question itself
    says "between", nor where the other side is accepted too ("between France and Spain" names two neighbours)."""
    if "between" in q_words or any(ch.isdigit() for w in words[i:i + n] for ch in w):
        return False
    near = words[max(0, i - 6):i] + ["|"] + words[i + n:i + n + 5]
    if any(a != words[i:i + n] and _runs(near, a) for a in accepted):
        return False
    if i and words[i - 1] == "between":
        return "and" in words[i + n:i + n + 4]
    if i and words[i - 1] == "and":
        return "between" in words[max(0, i - 6):i - 1]
    return False


_GLOSS_ASKED = frozenset({"mean", "meaning", "define", "definition"})


def _clause_states(clause: tuple[list[str], frozenset[str], tuple, bool], gold: list[str], q_words: list[str], echo: set[str],
                   max_extra: int, aliases: frozenset[str] = frozenset(), passage: frozenset[str] = frozenset(),
                   long_names: Sequence[list[str]] = (), accepted: Sequence[list[str]] = (),
                   quoted: frozenset[str] = frozenset(), sides: bool = False) -> bool:
    """Does this clause state ``gold``: present beyond the question's own mentions, with few extra words: at most
    ``max_extra`` before and among its mentions; after them (a description of the answer: "Homer, written in
    ancient Greek") at most ``max_extra`` names or numbers and three times as many other words. In a list
    ("Paris, Lyon or Nice") every word counts as before. Words of a ``passage`` set before the question are no
    extra words (a copy of the passage's sentence states its answer), but its names joined to the alias by "or", or
    listed with it, are still other candidates."""
    words, names, is_list, appositive = clause
    exact = bool({"decimal", "significant", "round", "rounded", "nearest"} & set(q_words))
    # a question that asks for a measurement, not a count ("How tall ...?", not "How many ...?")
    measure = bool({"tall", "high", "long", "far", "deep", "heavy", "wide", "big", "fast", "hot", "cold", "speed", "distance",
                    "height", "length", "depth", "weight", "mass", "temperature", "area", "diameter", "elevation"} & set(q_words))
    hits = [i for i in _runs(words, gold, exact, measure) if not _negated(words, i, q_words, quoted)
            and not _denied_after(words, i + len(gold), echo, q_words)
            and not (i and words[i - 1] == "minus" and _NUMERIC.fullmatch(gold[0]))  # "-273.15" is not 273.15
            and not (_NUMERIC.fullmatch(gold[0]) and _bound(words, i))  # "greater than 2" is not 2
            and not _place_of(words, i, q_words)]  # "the Gulf of Guinea" is no Guinea
    if sides and hits and all(_between(words, i, len(gold), q_words, accepted) for i in hits):
        hits = []  # "fought between England and France" picks neither (said again elsewhere, it may be picked)
    q_hits = _runs(q_words, gold)
    # a mention inside a longer name the question says ("Kuwait" in "Kuwait City", "Sao Tome" in "Sao Tome and
    # Principe") is that name's echo: "The capital of Kuwait City is Kuwait City." says no country
    q_long = [n for n in long_names if len(n) > len(gold) and _runs(n, gold, exact=True)]
    if q_long:
        hits = [i for i in hits if not _inside(words, i, len(gold), q_long)]
        q_hits = [qi for qi in q_hits if not _inside(q_words, qi, len(gold), q_long)]
    if not hits or ([w for w in words if w not in _ANNOUNCE] != gold and len(hits) <= len(q_hits)):
        return False  # the question's own mention, not said again: only the alias alone ("The answer is carrot.")
    if _denies_question(words, hits, len(gold), q_words, echo, names):
        return False
    # a meaning asked, no choice offered: "means long ago or old" glosses the word, it hedges nothing
    gloss = bool(_GLOSS_ASKED & set(q_words)) and "or" not in q_words
    if not gloss and any(_hedged(words, names, i, i + len(gold), gold, echo, appositive, accepted) for i in hits):
        return False
    if is_list and not gloss and _guesses(is_list, words, names, gold, echo | aliases, one=bool(_ONE_ASKED & set(q_words)),
                            accepted=accepted):
        return False
    covered = {j for i in hits for j in range(i, i + len(gold))}
    numeric = all(_NUMERIC.fullmatch(g) for g in gold)
    # another accepted answer named beside it is no extra word ("Name a Nordic country.": "Nordic countries include
    # Norway, Sweden and Denmark" names three right ones)
    covered |= {j for a in accepted if a != gold for i in _runs(words, a) for j in range(i, i + len(a))}
    start = 0
    if q_words[:1] in (["who"], ["whom"], ["whose"]) and not is_list and "by" in words[:hits[0]]:
        start = hits[0] - 1 - words[:hits[0]][::-1].index("by")  # "... a classic epic poem by the Greek poet Homer"
    free = echo | passage
    # what follows a mention describes it ("Homer, written in ..."); any mention may be the answer's, and what comes
    # after it, a second mention included, is its description ("measures the temperature of a substance by using a
    # device that measures the temperature of ..."); in a list every word counts as before
    # a list that only describes the answer ("Jupiter is the largest, followed by Saturn, Uranus and Neptune";
    # "Leonardo da Vinci, between 1503 and 1519"; "the largest, larger than the Atlantic and Indian Oceans") is read
    # as a description: what follows the answer
    if is_list and _runs(list(is_list[0]), gold) and _description_opens(is_list, gold, None, prepositions=False):
        is_list = ()
    for end in ([len(words)] if is_list else [i + len(gold) for i in hits]):
        extra = [w for j, w in enumerate(words) if j not in covered and w not in free and start <= j < end]
        # a date is one thing named: its month, beside its day, is no further name ("on November 22, 1963")
        # nor is an era's mark beside a year ("from 69 BCE to 30 BCE", "AD 79")
        dated = {j for j, w in enumerate(words) if (w in _MONTHS or w in _ERAS) and any(
            words[k].isdigit() for k in (j - 1, j + 1) if 0 <= k < len(words))}
        tail = [w for j, w in enumerate(words) if j not in covered and w not in free and j >= end and j not in dated]
        # after a number (a year, a count) only other numbers are rival answers: the names that follow describe it
        # ("built in 1889 by Gustave Eiffel and ... in the city of Paris, France")
        named = [w for w in tail if (w in names and not numeric) or any(ch.isdigit() for ch in w)]
        # a name said twice is one name ("the Nobel Prize in Physics for her work in physics")
        if len(extra) <= max_extra and len(set(named)) <= max_extra and len(tail) - len(named) <= 3 * max_extra:
            return True
    return False


_CAPITAL = re.compile(r"(?<![\w'’])[A-Z][\w'’]*")
_US_DATE = re.compile(r"\b((?:" + "|".join(_MONTH_NAMES) + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?),\s*(\d{3,4})\b", re.IGNORECASE)
_ITEM_SEP = re.compile(r"(?<!\d),|,(?!\d)|/|\bor\b|\band\b", re.IGNORECASE)  # not "17,000": one number


# a line break ends a sentence too ("Paris\n\nWait, no. Lyon.")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+(?=\S)|[ \t]*\n\s*(?=\S)")
# a clause after "but" that says what it is instead ("Some say Paris, but it is Lyon."; "It used to be Paris, but now
# it is Lyon."); a sentence opening "Actually, ...", "No, ...", "Wait, ...", "Correction: ..." that names something
# corrects the answer before it as "but ... actually" does
_RETRACTS = frozenset({"actually", "no", "wait", "correction", "sorry", "oops", "rather"})
_IT_IS_NOW = re.compile(r"(?:but|however) (?:now |today )?(?:it is|it s|the answer is|the correct answer is|it was)\b")
_LIST_COMMA = re.compile(r"(?<!\d),|,(?!\d)")


def _article_list(sentence: str, golds: Sequence[list[str]]) -> bool:
    """Is the sentence a list of answers whose items open with an article ("The wonders are the Colosseum, the
    Lighthouse of Alexandria, the Acropolis and the Taj Mahal.")? Three or more items, the first ending the part
    before the first comma, the others of 1-4 words each, the last joined by "and"/"or" (or four or more items),
    one of them opened by an article, one of ``golds`` among the items (or ending the first part) and an item that
    names none: ``_CLAUSE`` would cut it into clauses at ", the", each naming one item alone, and it is one list. A list that goes on about
    the answer ("... by Marquez explores the themes of identity, culture, and the power of language") is no list
    of answers."""
    parts = [p.strip() for p in _LIST_COMMA.split(sentence.strip().rstrip(".!?;:"))]
    if len(parts) < 2:
        return False
    joined = re.match(r"(?:and|or)\s+(.*)", parts[-1], re.IGNORECASE) or \
        re.fullmatch(r"(.*?)\s+(?:and|or)\s+(.*)", parts[-1], re.IGNORECASE)  # ", the Indian and the Arctic"
    items = parts[1:-1] + ([g for g in joined.groups() if g] if joined else [parts[-1]])
    if len(items) < (2 if joined else 3) or not any(re.match(r"(?:the|a|an)\s", p, re.IGNORECASE) for p in items):
        return False
    if not all(1 <= len(normalize(p).split()) <= 4 for p in items):
        return False
    head, listed = normalize(parts[0]).split(), normalize(" ".join(items)).split()
    if not any(g and (_runs(listed, g) or head[-len(g):] == g) for g in golds):
        return False
    # items that each name an accepted answer ("the rubber compound, the rubber core, and the rubber tread") are
    # clauses as before: only an item that names none makes the list one of guesses
    return not all(any(g and _runs(normalize(p).split(), g) for g in golds) for p in items)


_ALSO = (("but", "also"), ("and", "also"))  # clauses open so (``_CLAUSE``)
_ALSO_PREP = frozenset("in on at from to by of".split())


def _also_names(words: Sequence[str], names: frozenset[str]) -> bool:
    """A clause that only adds a second name or number to what came before: "but also in Turkey", "and also Jordan"
    (1-4 words of names after the opening and a preposition; not "but also its largest city", not "but also Sydney
    is big", which says something else)."""
    for opening in _ALSO:
        if tuple(words[: len(opening)]) == opening:
            rest = list(words[len(opening):])
            if rest[:1] and rest[0] in _ALSO_PREP:
                rest = rest[1:]
            return 1 <= len(rest) <= 4 and all(w in names or w[:1].isdigit() for w in rest)
    return False


def _clauses(text: str, golds: Sequence[list[str]] = (),
             one: bool = False) -> list[tuple[list[str], frozenset[str], tuple, bool]]:
    """The answer's clauses: (normalised words, the normalised words written with a capital, its items if it is a
    list of three or more short items ("Paris, Lyon or Nice"; else empty), does it write ", or": another name
    follows). A correction that names a name or a number ("Mount Everest, but I would say it's Mount Kilauea")
    replaces what came before it; a clause that starts with "or" and names one ("Paris. Or maybe Lyon.") leaves
    no clause stating anything."""
    clauses = []
    split = _CLAUSE_ONE if one else _CLAUSE
    parts = [p for sentence in _SENTENCE.split(text) if sentence
             for p in ([sentence] if _article_list(sentence, golds) else split.split(sentence))]
    for part in parts:
        words = normalize(part).split()
        if words:
            # "December 27, 1756" is one date, not two items of a list
            items = tuple(tuple(w) for x in _ITEM_SEP.split(_US_DATE.sub(r"\1 \2", part)) if (w := normalize(x).split()))
            is_list = len(items) >= 3 and sum(1 <= len(w) <= 3 for w in items) >= 2
            clauses.append((words, frozenset(w for m in _CAPITAL.findall(part) for w in normalize(m).split()),
                            items if is_list else (), re.search(r",\s*or\b", part, re.IGNORECASE) is not None))
    if any(k and c[0] == "or" and any((w in names and w != "i") or w[:1].isdigit() for w in c[1:]) for k, (c, names, _, _) in
           enumerate(clauses)):  # "Paris. Or maybe Lyon.", "Paris: or Lyon": the clause before is a guess
        return []
    if any(k and _also_names(c, names) for k, (c, names, _, _) in enumerate(clauses)):  # "in Syria, but also in Turkey"
        return []
    fixes = [k for k, clause in enumerate(clauses) if k and _corrects(clause, clauses[k - 1])]
    if not fixes:
        return clauses
    words, names, items, appositive = clauses[fixes[-1]]
    cue = next((i for i, w in enumerate(words) if w not in _RETRACTS), len(words))  # "No, Lyon": no denial of Lyon
    return [(words[cue:], names, items, appositive)] + clauses[fixes[-1] + 1:]


def _corrects(clause: tuple, before: tuple) -> bool:
    """Does this clause correct what the answer said before it, naming something (a name or a number)? "..., but
    it's actually Kilauea", "..., but (now) it is Lyon", "Actually, Lyon." / "No, Lyon." / "Correction: Lyon", or any
    named clause right after one that only takes back ("Wait, no. Lyon.")."""
    c, names = clause[0], clause[1]
    named = [w for w in c if w in names or w[:1].isdigit()]
    if not named:
        return False
    if c[0] in ("but", "however"):
        if _CORRECTION.search(" ".join(c)):
            return True
        said = _IT_IS_NOW.match(" ".join(c))
        rest = " ".join(c)[said.end():].split() if said else []
        return bool(rest) and (rest[0] in names or rest[0][:1].isdigit())  # "but it is Lyon", not "but it's also ..."
    if c[0] in _RETRACTS:
        after = c[next((i for i, w in enumerate(c) if w not in _RETRACTS), len(c)):]
        return bool(after) and (after[0] in names or after[0][:1].isdigit())  # "No, Lyon", not "No other city ..."
    return bool(before[0]) and all(w in _RETRACTS for w in before[0])


# words that hedge a bare name ("Maybe Lyon.", "Probably Paris?"), restate it ("It's Paris."), or say nothing ("Hmm.")
_HEDGE_WORDS = frozenset("maybe perhaps possibly probably likely or either i think guess believe it s is hmm um uh well "
                         "oh ok okay yes sure".split())


def _bare_guesses(text: str, q_words: Sequence[str], golds: Sequence[list[str]]) -> bool:
    """Does the answer name two different things each in a sentence of its own that says nothing else ("Lyon. Paris.",
    "Lyon? Paris?", "Maybe Lyon. Maybe Paris.")? A list of guesses, not an answer. A sentence that only says a name
    (or number) back from the question, or a part of an accepted answer ("George Washington. Washington."), is no
    other thing; lone letters ("J. K. Rowling") are initials; a sentence that takes back ("Wait, no.", "Actually,
    ...") leaves only what follows it."""
    sentences = _SENTENCE.split(text)
    if len(sentences) < 2:
        return False
    said: set[tuple[str, ...]] = set()
    for sentence in sentences:
        if sentence.rstrip().endswith(":"):
            continue  # a label ("Réponse :")
        words = normalize(sentence).split()
        if words[:1] and words[0] in _RETRACTS:
            said = set()  # what came before is taken back: "Lyon. Wait, no. Paris."
            words = words[next((i for i, w in enumerate(words) if w not in _RETRACTS), len(words)):]
        if _NEGATION & set(words):
            continue  # "Not the Kremlin.": no guess
        names = {w for m in _CAPITAL.findall(sentence) for w in normalize(m).split()}
        core = tuple(w for w in words if w not in _HEDGE_WORDS and w not in ("the", "a", "an", "of")
                     and (len(w) > 1 or w.isdigit()))
        if not core or len(core) > 4 or not (all(w in names for w in core) or all(w[:1].isdigit() for w in core)):
            continue  # says something more than a name ("Lyon is the second largest city.")
        if set(core) <= set(q_words) or any(set(core) <= set(g) for g in golds if g):
            core = ("",)  # the question's name, or the answer's
        said.add(core)
    return len(said) >= 2 and ("",) in said


_GOLD_ITEM_SEP = re.compile(r"\s*(?:(?<!\d),|,(?!\d))\s*(?:and\s+|&\s*)?|\s+(?:and|&)\s+", re.IGNORECASE)
_LIST_PART = re.compile(r"(?<!\d),|,(?!\d)|\bor\b|\band\b|&", re.IGNORECASE)


def _gold_items(alias) -> list[list[str]]:
    """The items of a gold that is a list of 2-5 short items ("solid, liquid and gas", "English and French"),
    normalised; else []. Items have at most four words; "Washington, D.C." and "Paris, France" (a place and its
    region) are not lists: two items need "and"."""
    text = str(alias)
    items = [normalize(x).split() for x in _GOLD_ITEM_SEP.split(text.strip()) if x.strip()]
    if not 2 <= len(items) <= 5 or any(not 1 <= len(x) <= 4 for x in items):
        return []
    if len(items) == 2 and not re.search(r"\s(?:and|&)\s", text, re.IGNORECASE):
        return []
    return items


# a question that asks for things in an order ("Put these planets in order from the Sun: ...", "Arrange from smallest
# to largest", "Rank ... largest first", "Sort ... alphabetically"); not "in order to", not "order of magnitude"
_ASKS_ORDER = re.compile(
    r"\b(?:arrange|rank|sort|chronological(?:ly)?|alphabetical(?:ly)?|ascending|descending|outwards?)\b|"
    r"\border\b(?!\s+(?:to|of\s+magnitude)\b)|\bfrom\s+(?:the\s+)?\w+est\s+to\b|\b\w+est\s+first\b", re.IGNORECASE)
# "respectively" ("What are the capitals of France, Germany and Italy, respectively?") pairs a list gold with the
# question's subjects in the order said: the items in the gold's order only (said as a list or part by part)
_RESPECTIVE = re.compile(r"\brespective(?:ly)?\b", re.IGNORECASE)
_NICKNAME = re.compile(r"\b([A-Z][\w'’]+)\s+[\"“]([A-Z][\w'’]+)[\"”]\s+(?=[A-Z])")  # 'Edwin "Buzz" Aldrin'
_JOINS = re.compile(r"\b(?:connect|connects|connecting|link|links|linking|join|joins|joining|separate|separates|"
                    r"separating|divide|divides)\b", re.IGNORECASE)
_JOIN_WORD = re.compile(r"\b(?:to|with|from)\b", re.IGNORECASE)  # "connects the Mediterranean to the Red Sea"


def _item_forms(item: list[str]) -> list[list[str]]:
    """An item of a gold list and its other names ("united kingdom": also "uk", "britain", ...)."""
    group = _OTHER_OF.get(" ".join(item))
    return [item] + [n.split() for n in sorted(group or ()) if n != " ".join(item)]


_NOTE = re.compile(r"\s*\((?![^()]*\b(?:or|and)\b)[^(),]*\)")  # a bracket on an item, without "or"/"and"/","
_NOTED = re.compile(r"(?<![\w'’-])[^\W\d_][\w'’-]*\s*\((?![^()]*\b(?:or|and)\b)([^(),]*)\)")
_LIST_COPULA = re.compile(r"\b(?:is|are|was|were|include|includes)\b", re.IGNORECASE)


_COORDINATED = re.compile(r"([^\W_][\w'’-]*)(?=\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?([^\W_][\w'’-]*))",
                          re.IGNORECASE)


def _subjects(question: str) -> list[str]:
    """The words a question coordinates, in its order: "What are the capitals of Argentina and Chile?" -> argentina,
    chile; "What do cows, bees and hens produce?" -> cows, bees, hens. The words beside each "," or "and"; a
    subject of several words ("the United Kingdom, the United States") gives more words than items, and no order."""
    said: list[str] = []
    for m in _COORDINATED.finditer(_RESPECTIVE.sub("", question)):
        for w in m.groups():
            w = " ".join(normalize(w).split())
            if w and w not in said and " " not in w:
                said.append(w)
    return said


def _item_subjects(question: str | None, items: list[list[str]]) -> list[str]:
    """The question's subject of each item of a list gold, in the question's order (``_subjects``), or [] where they
    do not pair off with the items (another count; or the items themselves, "Arrange 7, 2 and 5")."""
    subjects = _subjects(question) if question else []
    item_words = {w for item in items for f in _item_forms(item) for w in f}
    return subjects if len(subjects) == len(items) and not item_words & set(subjects) else []


def _apportioned(text: str, subjects: list[str]) -> bool:
    """Does ``text`` answer subject by subject, sentence by sentence ("Brazil has two official languages: Portuguese
    and Spanish. Argentina has ...: Spanish and Italian.")? Two sentences each name some of the ``subjects``, not all,
    and not the same ones. Then a list said in one sentence is that sentence's subject's, not the answer to all."""
    named = set()
    for sentence in re.split(r"(?<=[.!?;])\s+", text):
        said = frozenset(w for w in subjects if w in normalize(sentence).split())
        if 0 < len(said) < len(subjects):
            named.add(said)
    return len(named) > 1


def _other_words(text: str, echo: set[str]) -> int:
    return sum(w not in echo for w in normalize(text).split())


def _list_in(piece: str, forms: list[list[list[str]]], echo: set[str], max_extra_words: int, joins: bool,
             order: list[int] | None) -> bool:
    """Is ``piece`` (part of one sentence) the list of items whose names are ``forms``, in any order or in ``order``
    (indices into ``forms``)? See ``_states_list``."""
    if max_extra_words < 0:
        return False
    split = _LIST_PART.split(piece)
    if joins and len(split) == 1:
        split = _JOIN_WORD.split(piece)
    split = [x for x in split if normalize(x).split()]
    parts = [normalize(x).split() for x in split]
    if len(parts) != len(forms):
        return False
    left = list(range(len(forms))) if order is None else list(order)
    extra = 0
    for k, part in enumerate(parts):
        hit = None
        for j in left if order is None else left[:1]:
            for g in forms[j]:
                n = len(g)
                if k == len(parts) - 1 and len(part) >= n and _runs(part[:n], g):  # "gas at room temperature"
                    hit, rest = j, part[n:]
                    break
                tail = len(part)  # the part may end with the question's words ("prokaryotic cells")
                while tail >= n:
                    if ((k == 0 or tail == n or _named_by(part[: tail - n], split[k]))  # "the states ... are solid"
                            and _runs(part[tail - n : tail], g)):
                        hit, rest = j, part[: tail - n]
                        break
                    if not _echoes(part[tail - 1], echo):
                        break
                    tail -= 1
                if hit is not None:
                    break
            if hit is not None:
                break
        if hit is None:
            return False
        left.remove(hit)
        extra += sum(w not in echo for w in rest)
    return not left and extra <= max_extra_words


def _named_by(words: Sequence[str], raw: str) -> bool:
    """Are ``words`` (normalised) all capitalised in ``raw``, none of them a vague word: a proper adjective or a
    name before an item of a list ("the British Pound, the US Dollar, and the Japanese Yen"), not "New" or "North"
    ("New York" is not "York")?"""
    caps = {w for t in _CAPITAL.findall(raw) for w in normalize(t).split()}
    return bool(words) and all(w in caps and w not in _VAGUE for w in words)


def _states_list(text: str, items: list[list[str]], echo: set[str], max_extra_words: int,
                 question: str | None = None, ordered: bool = False, respective: bool = False) -> bool:
    """Does one sentence of ``text`` list exactly the gold ``items``, in any order ("gas, liquid, and solid" for
    "solid, liquid and gas")? The list is split at commas, "and", "or" and "&" (for two items asked of a joining
    verb, "connect", "separate", also at "to", "with" and "from": "connects the Mediterranean Sea to the Red Sea");
    the first part may begin, and the last go on, with echo or filler and at most ``max_extra_words`` other words
    ("The states of matter are solid, ..."); any part may end with the question's words ("prokaryotic cells and
    eukaryotic cells"); the parts between are items alone. An item may be said by another of its names ("the UK"),
    a person by a nickname written between their names ('Edwin "Buzz" Aldrin' for "Buzz Aldrin"). A further item
    ("red, green, blue and yellow") or an "or" ("red, green or blue") makes the list another one. ``ordered`` (the
    question asks for an order, ``_ASKS_ORDER``) or ``respective`` (it says "respectively"): the items in the gold's
    order only. The list may stand on either side of "is"/"are"/"include", the other side's words counted as extra;
    where that side says every subject of the question (``_item_subjects``) the items follow the subjects' order
    there ("The capitals of Italy, Germany and France are Rome, Berlin and Paris")."""
    if _NICKNAME.search(text) and _states_list(_NICKNAME.sub(r"\2 ", text), items, echo, max_extra_words, question,
                                               ordered, respective):
        return True
    joins = len(items) == 2 and question is not None and _JOINS.search(question) is not None
    forms = [_item_forms(g) for g in items]
    subjects = _item_subjects(question, items)
    sentences = re.split(r"(?<=[.!?;])\s+|:\s*", _RESPECTIVE.sub("", text))  # "..., and Rome, respectively"
    # a bracket on each item is a note ("German (DE), Italian (IT), and Greek (GR)"), or the item on a word before
    # it ("sodium (Na), iron (Fe) and lead (Pb)" for "Na, Fe and Pb")
    sentences = [v for s in sentences for v in {s, _NOTE.sub("", s), _NOTED.sub(r"\1", s)}]
    for sentence in sentences:
        if re.search(r"\bor\b", sentence, re.IGNORECASE):
            continue
        gold_order = list(range(len(items))) if ordered or respective else None
        pieces = [(sentence, 0, gold_order)]  # the list, how many other words were said beside it, its order
        for m in _LIST_COPULA.finditer(sentence):  # "The capitals of France, Germany and Italy are Paris, Berlin and
            head, tail = sentence[: m.start()], sentence[m.end() :]  # Rome": the question's list said back, then
            for piece, other in ((tail, head), (head, tail)):  # the gold's (or the other way round)
                said = normalize(other).split()
                order = gold_order
                if subjects and not ordered and all(w in said for w in subjects):
                    order = sorted(range(len(items)), key=lambda j: said.index(subjects[j]))  # each its subject's
                pieces.append((piece, _other_words(other, echo), order))
        if any(_list_in(piece, forms, echo, max_extra_words - other, joins, order) for piece, other, order in pieces):
            return True
    return False


# where an answer to a question of several parts starts the next part: a sentence's end, ";", or "and"/"while"/
# "whereas"/"but"/"however" before a new clause ("... is Tokyo and the capital of China is Beijing", "... began in 1914
# and World War II began in 1939")
_PART_BREAK = re.compile(r"(?<=[.!?;])\s+|,\s+(?=the\s)|,?\s+(?:while|whereas)\s+|"
                         r",?\s+(?:and|but|however,?)\s+(?=[\"“'‘]?(?:the\s+)?[A-Z]|the\s)")


def _states_apart(text: str, alias: str, items: list[list[str]], question: str, competitors, max_extra_words: int,
                  grade) -> bool:
    """Does ``text`` answer a question of several parts ("What are the capitals of Japan and China?", gold "Tokyo and
    Beijing") part by part, each item of the gold in a clause of its own beside its own subject ("The capital of Japan
    is Tokyo and the capital of China is Beijing.")? Each item must be stated (``grade``, the grader itself) by one
    clause that names no other item, and each such clause must say a word of the question that no other does (its
    subject: "Japan", "penicillin", "II"); the clauses, read in the order the question says their subjects, give the
    items in the gold's order ("The capital of Japan is Beijing and the capital of China is Tokyo" is swapped)."""
    texts = [x for x in _GOLD_ITEM_SEP.split(str(alias).strip()) if x.strip()]
    if len(texts) != len(items):
        return False
    clauses = [c for c in _PART_BREAK.split(text) if c and c.strip()]
    words = [normalize(c).split() for c in clauses]
    owner: dict[int, int] = {}  # item -> clause
    for k, w in enumerate(words):
        said = [j for j, item in enumerate(items) if any(_runs(w, f) for f in _item_forms(item))]
        if len(said) > 1:
            return False  # two items in one clause: a list, read by ``_states_list``
        if said:
            if said[0] in owner:
                return False  # an item said twice, apart: no part-by-part answer
            owner[said[0]] = k
    if len(owner) != len(items):
        return False
    q_words = normalize(question).split()
    content = [w for w in q_words if w not in FILLER]
    place = []
    for j in range(len(items)):
        own = set(words[owner[j]])
        others = set().union(*(set(words[owner[i]]) for i in owner if i != j))
        subject = [q_words.index(w) for w in content if w in own and w not in others]
        if not subject:
            return False  # a clause with no subject of its own: which part it answers is not said
        place.append(min(subject))
    if place != sorted(place):
        return False  # the items in another order than their subjects
    return all(grade(clauses[owner[j]], [texts[j]], question, competitors, max_extra_words) for j in range(len(items)))


def _weak(gold: list[str]) -> bool:
    """An alias made only of filler words ("is", "to": Iceland's and Tonga's TLDs without the dot)."""
    return all(w in FILLER for w in gold)


def _polarity(words: Sequence[str], q_words: Sequence[str], asks: bool,
              swapped: tuple[list[list[str]], list[list[str]]] | None = None) -> bool | None:
    """The answer to a yes/no question: its first yes/no word ("Yes, Paris is ...", "No.", "It is not"; unless
    the whole question was restated before a "but" it follows: "Paris is the capital of France, but not of Spain"),
    else no when it restates the question with one of its names swapped for another (:func:`_swaps_a_name`),
    else yes when it restates the question's content as a statement ("Paris is the capital of France.";
    ``asks``: the answer is itself a question, e.g. the question echoed back), else None (also for a hedge
    that commits to neither: "I don't know", "maybe")."""
    if _UNDECIDED.search(" ".join(words)):
        return None
    content = {w for w in q_words if w not in FILLER}
    if (words[:1] and words[0] in _ASSENT or words[:2] == ["of", "course"]) and not any(
            w in _NO or w in _NEGATION for w in words):
        return True  # "Of course.", "Certainly, it is.": assent; "Certainly not." goes on to its negation
    for i, w in enumerate(words):
        if w in _YES:
            return True
        if w in _NO or w in _NEGATION:
            # "X is visible from the Moon with the naked eye, but it is not visible from the Earth": the whole
            # question restated before the "but" is its answer, and the negation is about something else
            b = words.index("but") if "but" in words[:i] else -1
            need = content - _AUXILIARY
            return not asks and b > 0 and bool(need) and need <= set(words[:b])
    if not asks and swapped is not None and _swaps_a_name(words, content, *swapped):
        return False
    if not asks and "than" in q_words[1:]:
        return _compared(words, q_words)
    if not asks and content and len(content & set(words)) * 2 >= len(content):
        return True
    return None


_LESS = frozenset({"less", "fewer"})
_YN_CORRECTION = re.compile(r"\b(?:but|however)\b(?=[^.?!]*\b(?:actually|in fact|rather)\b)", re.IGNORECASE)
_QUESTION_START = frozenset("who whom whose what which where when why how".split())


def _compared(words: Sequence[str], q_words: Sequence[str]) -> bool | None:
    """The answer to a yes/no question that compares two things ("Is the Amazon longer than the Thames?"), read in
    the answer's own comparison: yes when it compares them the same way ("The Amazon is ... longer than the Thames",
    "The Thames is shorter than the Amazon"), no when the other way ("The Thames is longer than the Amazon"), None
    when it makes none: giving both lengths, or the same one, says neither."""
    t = q_words.index("than", 1)
    asked = q_words[t - 1]
    side = {w for w in q_words[:t - 1] if w not in FILLER and w not in _AUXILIARY}
    other = {w for w in q_words[t + 1:] if w not in FILLER}
    if "than" not in words[1:]:
        return None
    a = words.index("than", 1)
    same = _compares_as(words[a - 1], [asked])
    if same and _LESS & {q_words[t - 2], words[a - 2]} and (q_words[t - 2] in _LESS) != (words[a - 2] in _LESS):
        same = False  # "more expensive" asked, "less expensive" said
    before = set(words[:a])
    swapped = bool(other & before) and not side & before
    return same != swapped


_NAME_RUN = re.compile(r"(?<![\w'’])[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+|de\s+|da\s+)?[A-Z][\w'’-]*)*")


def _name_runs(text: str, skip_first: bool) -> list[list[str]]:
    """The capitalised runs of ``text`` ("Sydney", "Mount Everest"), normalised, without filler words;
    ``skip_first``: the text's first word is no name ("Is ...", "Did ...")."""
    runs = []
    for m in _NAME_RUN.finditer(text):
        run = m.group()
        if skip_first and m.start() == len(text) - len(text.lstrip()):
            run = run.split(maxsplit=1)[1] if len(run.split()) > 1 else ""
        words = [w for w in normalize(run).split() if w not in FILLER]
        if words:
            runs.append(words)
    return runs


_AUXILIARY = frozenset("do does did is are was were can could will would shall should has have had may might must".split())


def _swaps_a_name(words: Sequence[str], content: set[str], q_names: list[list[str]], a_names: list[list[str]]) -> bool:
    """Does the answer restate the question with one of its names put by another: every other content word of the
    question said, a name of the question not said at all, and a name it did not ask about said instead ("Is Sydney
    the capital of Australia?" -> "The capital of Australia is Canberra."; "Is Oslo in Sweden?" -> "Oslo is in
    Norway.")? Then it says no without saying "no"."""
    said = set(words)
    in_names = {w for n in q_names for w in n}
    frame = content - in_names - _AUXILIARY
    # the frame said, up to one word of three or more ("Do penguins live mostly in ...?" -> "Penguins live in ...")
    if len(frame - said) > (1 if len(frame) >= 3 else 0) or not (frame or any(set(n) <= said for n in q_names)):
        return False
    # a name is put by another when its own words are not all said and the other has a word the question lacks:
    # "Northern Hemisphere" -> "Southern Hemisphere" (they share "Hemisphere")
    missing = [n for n in q_names if not set(n) & said]
    new = [n for n in a_names if not set(n) & (set(content) | in_names)]
    kindred = any(set(m) & set(n) and set(m) - set(content) - in_names and set(n) - said
                  for n in q_names for m in a_names)  # not "Everest" for "Mount Everest": nothing put in its place
    return bool(missing) and bool(new) or bool(kindred)


_OR = re.compile(r"\s+or\s+", re.IGNORECASE)


def _options(question: str | None, golds: Sequence[list[str]] = ()) -> list[list[str]]:
    """The options a question offers at its end, after its last ":" or else its first "," ("Which is larger, the
    Sun or the Earth?" -> [sun], [earth]; "Which came first: A, B or C?"; after a colon, three or more with commas
    only: "Which is the odd one out: A, B, C, D?"), normalised; [] when it offers none. A question opened by an
    auxiliary has its first option before that comma ("Is the capital of Australia Sydney, Melbourne, or
    Canberra?": the accepted answer's words there (``golds``, normalised), else as many words as the next option);
    a list before ", which" is one too ("Among Mars, Venus, and Jupiter, which is the largest?").
    Split by hand, in linear time (a regex with nested repeats backtracks for minutes on a long list)."""
    q = _THOUSANDS.sub("", _written(question or "").strip().rstrip("?").strip())  # "3,000" is one option
    if (lead := _LIST_FIRST.match(q)) and "?" not in lead[1]:
        *items, last = lead[1].split(",")
        tail = [x for x in _AND_OR.split(last) if x.strip()]
        opts = [normalize(x).split() for x in (*items, *tail)]
        return opts if len(opts) >= 2 and all(1 <= len(o) <= 4 for o in opts) else []
    cut = q.rfind(":") if ":" in q else q.find(",")
    if cut < 0 or "?" in q[cut:]:
        return []
    *items, last = q[cut + 1:].split(",")
    tail = _OR.split(last)
    if len(tail) == 2 and not tail[0].strip() and items:
        tail = tail[1:]  # the serial comma: "red, blue, green, or yellow"
    elif len(tail) == 1 and q[cut] == ":" and len(items) >= 2:
        tail = [last]  # a list after a colon, commas only: "Which is the odd one out: apple, banana, carrot, cherry?"
    elif len(tail) != 2:
        return []
    opts = [normalize(x).split() for x in (*items, *tail)]
    if q[cut] == "," and items and q.split(None, 1)[0].lower() in _AUXILIARY and opts[0]:
        stem = normalize(q[:cut]).split()
        first = next((g for g in golds if g and len(g) < len(stem) and stem[-len(g):] == g), stem[-len(opts[0]):])
        opts = [first] + opts
    return opts if all(1 <= len(o) <= 4 for o in opts) else []


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
# a list of options before ", which ...": "Among Mars, Venus, and Jupiter, which is the largest?"
_LIST_FIRST = re.compile(r"(?i)^(?:among|of|between|out of|from)\s+(.+?),\s+(?:which|what|who|whose)\b")
_AND_OR = re.compile(r"\s+(?:and|or)\s+|^\s*(?:and|or)\s+", re.IGNORECASE)


def _comma_options(question: str | None) -> bool:
    """Are the question's options (``_options``) a list after a colon with commas only, no "or" ("Which is the odd
    one out: apple, banana, carrot, cherry?")? Then they may be a list of things to choose among or to list from,
    and an answer that names two of them ("sunlight, soil, and water") picks none."""
    q = _written(question or "").strip().rstrip("?").strip()
    return ":" in q and len(_OR.split(q[q.rfind(":") + 1:].split(",")[-1])) == 1 and bool(_options(question))


def _bare_options(q_words: Sequence[str], golds: list[list[str]]) -> list[list[str]]:
    """The two options of a question that ends "... A or B" with no comma or colon before them ("Is Morocco in
    Africa or Europe?"): B is what follows the last "or"; A, the words before it that an accepted answer is (or, when
    B is the accepted one, as many words as B). [] when neither side is an accepted answer."""
    if "or" not in q_words:
        return []
    o = len(q_words) - 1 - q_words[::-1].index("or")
    b = list(q_words[o + 1:])
    if not 1 <= len(b) <= 4:
        return []
    a = next((g for g in golds if 0 < len(g) <= o and list(q_words[o - len(g):o]) == g), None)
    if a is None and b not in golds:  # "Is 'data' singular or plural in Latin?": the option is the gold, then more
        b = next((g for g in golds if 0 < len(g) < len(b) and b[:len(g)] == g), b)
    if a is None and b in golds and len(b) <= o:
        a = list(q_words[o - len(b):o])
    return [a, b] if a and a != b else []


# comparatives that say the same ("larger" for the question's "bigger"): the subject of either is the one picked
_SAME_COMPARATIVE = [frozenset(g.split()) for g in (
    "bigger larger greater", "smaller littler", "taller higher", "faster quicker speedier", "older elder",
    "hotter warmer", "colder cooler", "heavier weightier", "longer", "shorter", "more", "fewer less")]


def _compares_as(word: str, q_words: Sequence[str]) -> bool:
    """Is ``word`` the question's comparative, or one that says the same?"""
    return word in q_words or any(word in g and g & set(q_words) for g in _SAME_COMPARATIVE)


def _chosen(clauses: list[tuple[list[str], frozenset[str], bool, bool]], options: list[list[str]],
            q_words: Sequence[str]) -> list[str] | None:
    """The option an answer picks, read in its first clause that names an option or a word of one: the subject of
    a comparison the question makes ("The Sun is larger than the Earth": larger -> Sun), the object of the
    opposite one ("The Earth is smaller than the Sun" -> Sun), else the first option named and not denied.
    None: no option named there ("A kilogram of feathers is ..."), two joined by "or", or a comparison whose
    picked side is not an option."""
    option_words = {w for o in options for w in o if w not in FILLER}
    # the question's comparative ("larger"; "first", normalised to "1"), for a later clause that contradicts the pick
    # or superlative ("Which continent has the least population: ...?")
    asked = [w for w in q_words if w not in option_words and (w in ("1", "last", "most", "least", "fewest")
                                                              or (re.fullmatch(r"[a-z]{2,}(?:er|est)", w)
                                                                  and w not in _NOT_COMPARATIVE)
                                                              or any(w in g for g in _SAME_COMPARATIVE))]
    echo = set(q_words) | FILLER
    denied: set[int] = set()  # options an earlier clause denied: picked later, the answer contradicts itself
    for c, (words, _, _, _) in enumerate(clauses):
        # denied before ("not Jupiter") or after ("Pears are not the answer"; not "Mars is not a planet" for "Which
        # is not a planet?": the question's own negated predicate)
        named = [(i, k) for k, o in enumerate(options) for i in _runs(words, o)]
        at = sorted((i, k) for i, k in named
                    if not _negated(words, i) and not _denied_after(words, i + len(options[k]), echo, q_words, True))
        here = {k for i, k in named if (i, k) not in at}  # options denied at some mention in this clause
        earlier, denied = denied, denied | ({k for _, k in named} - {k for _, k in at})
        if not at:
            if option_words & set(words) and not any(_runs(words, o) for o in options):
                return None  # an option's word, but no option ("a kilogram of feathers"); a denied one: read on
            continue
        pick = _clause_pick(words, at, options, q_words)
        if pick is None or options.index(pick) in earlier | here:
            # "'between you and me' is incorrect. 'Between you and me' is correct.", "'calendar' is spelled correctly
            # but 'calendar' is incorrect": no pick
            return None
        if any(_negated(later, i) or _denied_after(later, i + len(pick), echo, q_words, True)
               for later, _, _, _ in clauses[c + 1:] for i in _runs(later, pick)):
            return None  # picked, then denied: "'calendar' is spelled correctly, but 'calendar' is incorrect"
        # a later clause that says the question's comparative of another option contradicts it ("Russia is the
        # larger country, but China is the larger country")
        compares = lambda ws: any(_compares_as(w, asked) for w in ws if w not in option_words)  # noqa: E731
        for later, _, _, _ in clauses[c + 1:] if asked else ():
            at2 = sorted((i, k) for k, o in enumerate(options) for i in _runs(later, o) if not _negated(later, i))
            if not at2 or (other := _clause_pick(later, at2, options, q_words)) is None or other == pick:
                continue
            if compares(words) == compares(later):
                # both say the comparative of different options, or neither does ("A kilogram of iron is about 14.5
                # grams, while a pound of feathers is about 1 pound" for "Which is heavier?"): no pick
                return None
        return pick
    if len(options) == 2 and len(denied) == 1:
        return options[1 - next(iter(denied))]  # one of two denied and nothing picked: "'a hour' is incorrect."
    return None


_COMPARATIVE = re.compile(r"[a-z]{2,}er|more|less|fewer")
_NOT_COMPARATIVE = frozenset(
    "water river number other never after over under paper letter matter power center member computer summer winter "
    "whether together neither either rather ever however another per her their order border cover forest interest "
    "west rest test chest nest guest harvest honest modest request suggest contest protest".split())


def _clause_pick(words: Sequence[str], at: list[tuple[int, int]], options: list[list[str]],
                 q_words: Sequence[str]) -> list[str] | None:
    """The option one clause picks, given where options are named in it (``at``: (index, option) pairs)."""
    if "than" in words and words.index("than"):
        t = words.index("than")
        before = [(i, k) for i, k in at if i < t]
        after = [k for i, k in at if i > t]
        # the comparative may stand a few words before "than": "A cell is a smaller unit of life than an atom"
        # compares as "smaller than", "Australia is closer to New Zealand than Brazil" as "closer (to NZ) than"
        taken = {j for i, k in before for j in range(i, i + len(options[k]))}
        j = next((j for j in range(t - 1, max(t - 6, 0) - 1, -1)
                  if j not in taken and _COMPARATIVE.fullmatch(words[j]) and words[j] not in _NOT_COMPARATIVE), t - 1)
        same = _compares_as(words[j], q_words)
        if j and (words[j - 1] in ("not", "no") or (j >= 2 and words[j - 1] == "t" and words[j - 2].endswith("n"))):
            same = not same  # "Mars is not larger than Earth", "isn't larger", "no larger": the other side
        if not before and len(after) >= 2 and not [w for w in words[:j] if w not in ("much", "far", "even", "a", "lot")]:
            # the comparison said first, its subject last: "Colder than the Sahara is the Arctic"
            return options[after[-1] if same else after[0]]
        side = [k for _, k in before][-1:] if same else after[:1]
        return options[side[0]] if side else None
    other = [i for i, k in at if k != at[0][1]]
    if other and (between := words[at[0][0] + len(options[at[0][1]]):other[0]]) and between[0] in _COPULA \
            and between[1:] in ([], ["actually"], ["really"], ["in", "fact"]):
        # one option said to be the other: "The bigger island, Greenland, is actually Madagascar" corrects itself to
        # the second; "3/4 is 2/3" picks neither
        return options[next(k for i, k in at if i == other[0])] if between[1:] else None
    if len({k for _, k in at}) >= 3:
        return None  # three or more options named in one clause: a list of them, no pick ("Paris, London, Berlin")
    if other and "or" in words[at[0][0]:other[0]]:
        return None  # "the Sun or the Earth": both, no pick
    if other and words[at[0][0] + len(options[at[0][1]]):other[0]] in ([], ["and"], ["both"], ["and", "both"]):
        # "the Renaissance and the Industrial Revolution are two distinct eras", "made of water, bone, and muscle",
        # "off the coast of Brazil, Australia": both named, no pick
        return None
    return options[at[0][1]]


_QUOTED_LETTER = re.compile(r"['\"‘’“”]([A-Za-z])['\"‘’“”]")
_NAMED_LETTER = re.compile(r"\b(?:letter|vowel|consonant)s?\s+([A-Za-z])\b", re.IGNORECASE)
_STATED_LETTER = re.compile(r"(?:\b(?:is|are|was)|:)\s+(?:the\s+)?([A-Za-z])(?=\s*(?:[.,;!)]|$))|"
                            r"\A\W*(?-i:([A-Z]))\s+(?:is|stands|represents)\b", re.IGNORECASE)  # not "I was ..."


_ECHOED_MARK = re.compile(r"(?<![\w(])\(?([A-H])\)(?!\w)")


def _options_echoed(text: str, lettered: dict[str, str]) -> bool:
    """Is the answer only the options said back (three or more letters marked "A)" or "(A)", each with an option's
    text or none, in any order: "A) sand (B) nectar (C) water (D) leaves", "A) Frog (B) Salmon (C) Lizard (D) Whale
    (A)")? It picks none, whichever option comes first. Not an answer that goes on about them ("The answer is (A)
    nectar. (B) sand, (C) water and (D) leaves are not collected.")."""
    if len({m[1] for m in _ECHOED_MARK.finditer(text)}) < 3:
        return False
    rest = f" {normalize(_ECHOED_MARK.sub(' ', text))} "
    for option in sorted((normalize(v) for v in lettered.values()), key=len, reverse=True):
        if option:
            rest = rest.replace(f" {option} ", " ")
    return not rest.strip()


def _letter_said(text: str, letters: set[str]) -> bool:
    """A letter of the alphabet as the answer, where no options are lettered ("Which vowel comes first?" -> "A"):
    the whole answer, a quoted letter ("is the vowel 'a'"), "the letter Z", or a letter alone after "is" or a colon
    ("The answer is: a", "It is Z, as in zebra"). Normalising would drop "a" as an article; two letters named are a
    hedge."""
    quoted = {m.upper() for m in _QUOTED_LETTER.findall(text)}
    if quoted:
        return quoted <= letters
    if (alone := re.fullmatch(r"\W*([A-Za-z])\W*", text)) is not None:
        return alone[1].upper() in letters
    named = {m.upper() for m in _NAMED_LETTER.findall(text)}
    if named:
        return named <= letters
    stated = {(m[0] or m[1]).upper() for m in _STATED_LETTER.findall(text)}  # "... is K.", "K is the symbol ..."
    return bool(stated) and stated <= letters


def _lettered(question: str | None) -> tuple[str, dict[str, str]]:
    """The stem of a multiple-choice question and its options by letter ("Which is red? (A) Venus (B) Mars" ->
    "Which is red?", {"A": "Venus", "B": "Mars"}); the question and {} when it does not list A, B, ... in order."""
    q = question or ""
    marks = [m for m in _OPTION_MARK.finditer(q)]
    # the run of marks A, B, C, ... in order; a stray "C." before it (an initial) does not start one
    start = next((i for i, m in enumerate(marks) if (m[1] or m[2]).upper() == "A"), None)
    if start is None:
        return q, {}
    run = [marks[start]]
    for m in marks[start + 1:]:
        if ord((m[1] or m[2]).upper()) == ord((run[-1][1] or run[-1][2]).upper()) + 1:
            run.append(m)
    if len(run) < 2:
        return q, {}
    ends = [m.start() for m in run[1:]] + [len(q)]
    # an option ends at the next mark, and the last at its line's end ("D. Saturn\nAnswer:")
    options = {(m[1] or m[2]).upper(): q[m.end():end].strip().split("\n")[0].strip(" \t,;.?")
               for m, end in zip(run, ends)}
    if not all(options.values()):
        return q, {}
    return q[:run[0].start()].strip(), options



# numbered options: "1) Venus 2) Mars", "1. dog 2. eagle", "(1) shark (2) dolphin", "Option 1: the trophy. Option 2: ..."
_NUMBER_MARK = re.compile(r"(?<![\w.'’])(?:\(([1-9])\)|([1-9])[.)]|(?i:option|choice)\s+([1-9])\s*[:.)]?)(?=\s)")
# where an answer names an option by its number: first ("2.", "(2)", "2)", "Option 2"), or after "answer is" / "option"
_NUMBER_PICK = re.compile(r"^(\s*)(?:\(([1-9])\)|([1-9])(?=[.)](?:\s|$)|\s*$)|(?i:option|choice|number)\s+([1-9])\b)"
                          r"|\b((?i:answer|option|choice)(?:\s+is)?\s*:?\s*\(?)([1-9])(?![\d.,]\d)(?!\s*(?:°|%|\w))")
_NUMBER_GOLD = re.compile(r"\s*(?:\(?([1-9])\)?\.?|(?i:option|choice)\s+([1-9]))\s*")


def _numbered(question: str, prediction: str, answers: list) -> tuple[str, str, list]:
    """Options numbered 1, 2, 3, ... in the question ("Which animal can fly? 1. dog 2. eagle 3. fish"; PIQA's and
    Winogrande's "Option 1: ... Option 2: ...") read as lettered ones: the question's marks become "(A)", "(B)", ...;
    a gold that is an option's number ("2", "Option 2") its letter (unless it is also an option's text: "1) 2
    2) 3" asks for a number); the answer's pick by number ("2.", "(2)", "Option 2", "The answer is 2") its letter.
    Then the lettered rules read them. Where the answer's first mark and the text after it disagree ("1. 100 °C"
    for "1) 50 °C 2) 100 °C"), the text decides: "1." is how the model opens any list. An answer that says two or
    more numbered options back ("1. dog 2. eagle 3. fish") picks none: it is left with all its marks, so it names
    none by letter alone."""
    marks = list(_NUMBER_MARK.finditer(question))
    number = lambda m: int(next(g for g in m.groups() if g))
    start = next((i for i, m in enumerate(marks) if number(m) == 1), None)
    if start is None:
        return question, prediction, answers
    run = [marks[start]]
    for m in marks[start + 1:]:
        if number(m) == number(run[-1]) + 1:
            run.append(m)
    if len(run) < 2:
        return question, prediction, answers
    ends = [m.start() for m in run[1:]] + [len(question)]
    texts = [question[m.end():end].strip().split("\n")[0].strip(" \t,;.?") for m, end in zip(run, ends)]
    if not all(texts):
        return question, prediction, answers
    letter = {str(k + 1): chr(ord("A") + k) for k in range(len(run))}
    out, at = [], 0
    for m, k in zip(run, range(len(run))):
        out += [question[at:m.start()], f"({chr(ord('A') + k)})"]
        at = m.end()
    question = "".join(out) + question[at:]
    said_texts = {normalize(t) for t in texts}
    golds = []
    for a in answers:
        g = _NUMBER_GOLD.fullmatch(str(a)) if isinstance(a, (str, int)) and not isinstance(a, bool) else None
        n = next((x for x in g.groups() if x), None) if g else None
        golds.append(f"({letter[n]})" if n in letter and normalize(str(a)) not in said_texts else a)
    if len(list(_NUMBER_MARK.finditer(prediction))) >= 2:
        return question, prediction, golds  # the options said back ("1. dog 2. eagle", "2. January 2. February"): none
    lead = re.match(r"\s*(?:\(([1-9])\)|([1-9])[.)])\s*(.+?)\s*$", prediction, re.DOTALL)
    if lead:  # the text after the mark opens with an option's text (the longest that fits): "1. 100 °C", "2. January 2"
        said = lead[3].lower()
        opens = [k for k, t in enumerate(texts) if said.startswith(t.lower()) and not said[len(t):len(t) + 1].isalnum()]
        k = max(opens, key=lambda k: len(texts[k]), default=None)
        if k is not None and k != int(lead[1] or lead[2]) - 1:
            return question, lead[3], golds

    def pick(m: re.Match) -> str:
        if m[1] is not None:  # at the start
            n = m[2] or m[3] or m[4]
            return m[0] if n not in letter else m[1] + (f"({letter[n]})" if m[2] or m[4] else letter[n])
        return m[0] if m[6] not in letter else m[5] + letter[m[6]]
    return question, _NUMBER_PICK.sub(pick, prediction, count=1), golds


_CONTEXT_LABEL = re.compile(r"^\W*(?:context|passage|text|story|article|paragraph|background|document|excerpt|"
                            r"read(?:ing)?(?: the \w+)?)\b[^:\n]{0,40}:", re.IGNORECASE)
_QUESTION_LABEL = re.compile(r"(?:^|(?<=[\s.!?\"'”’)]))(?:question|q)\s*:\s*", re.IGNORECASE)
_ANSWER_CUE = re.compile(r"\s*\b(?:answer|a)\s*:\s*$", re.IGNORECASE)  # "Q: ... A:" leaves the answer's slot open


_ASKING_LINE = re.compile(r"\s*(?:who|whom|whose|what|which|where|when|why|how|is|are|was|were|do|does|did|can|could|"
                          r"will|would|should|has|have|had|name|give|list|state|tell)\b[^.!]*\Z", re.IGNORECASE)


def _asked(question: str) -> str:
    """The question itself, without a passage set before it ("Context: Maria was born in Lisbon ... Question: In which
    city was Maria born?" -> "In which city was Maria born?"): after the last "Question:" / "Q:" label that follows
    some text; else, under a "Context:"/"Passage:"-style label or after a line break, from the last sentence or line
    that asks ("?"). The passage holds the answer, so a mention of the alias there is not one the answer must
    repeat (``_clause_states`` reads the passage's words). A question with no passage is returned as it is, less a
    leading "Q:" label and a trailing "A:" cue."""
    q = _ANSWER_CUE.sub("", question).strip()
    labels = list(_QUESTION_LABEL.finditer(q))
    if labels and len(q[:labels[-1].start()].split()) >= 3:
        return q[labels[-1].end():].strip() or q
    if labels and labels[0].start() == 0 and len(labels) == 1:
        return q[labels[0].end():].strip() or q
    lines = [ln for ln in q.split("\n") if ln.strip()]
    asking = [k for k, ln in enumerate(lines) if "?" in ln]
    if not asking and len(lines) > 1 and _ASKING_LINE.match(lines[-1]):  # a last line that asks without its "?"
        asking = [len(lines) - 1]
    if asking and asking[-1] > 0 and len(" ".join(lines[:asking[-1]]).split()) >= 3:
        return "\n".join(lines[asking[-1]:]).strip()
    if _CONTEXT_LABEL.match(q):
        sentences = re.split(r"(?<=[.!?])\s+", q)
        asking = [k for k, s in enumerate(sentences) if "?" in s]
        if asking and asking[-1] > 0:
            return " ".join(sentences[asking[-1]:]).strip()
    return q


def _asked_after_passage(question: str, answers: list) -> str:
    """The asking sentence of a question set on one line after a passage with no label ("Jake's cat is called Whiskers
    and his dog is called Rex. What is the name of Jake's dog?"): a passage of eight words or more, ending in a
    full stop, that holds an accepted answer the asking sentence does not, and not as an item of a list ("mammals
    except one: whale, shark, bat"). Else the question as it is. The passage holds the answer, so the answer need
    not name it more often than the question does."""
    sentences = re.split(r"(?<=[.!])\s+", question.strip())
    if len(sentences) < 2 or not sentences[-1].rstrip().endswith("?") or "?" in " ".join(sentences[:-1]):
        return question
    before, asking = " ".join(sentences[:-1]), sentences[-1]
    words, asked_words = normalize(before).split(), normalize(asking).split()
    if len(words) < 8 or ":" in before:
        return question
    for a in answers:
        gold = normalize(a).split() if isinstance(a, str) else []
        if gold and _runs(words, gold) and not _runs(asked_words, gold) and not re.search(
                r"(?:,\s*|\b(?:and|or)\s+)" + re.escape(a.strip()) + r"\s*(?:,|\b(?:and|or)\b)|,\s*"
                + re.escape(a.strip()) + r"\b", before, re.IGNORECASE):
            return asking
    return question


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _dumps_passage(pred: Sequence[str], passage: str, golds: list[list[str]]) -> bool:
    """Does the answer copy two or more sentences of the passage that do not hold its answer ("Anna lived near the
    sea. Every morning she walked to the market. One day she found a kitten." for "What did she find?"), or every
    sentence of a passage of three or more? Such a copy restates the passage and picks no answer out of it. One
    sentence copied around the one that holds the answer is still an answer. A sentence counts as copied when
    three quarters of its words (at least three, not filler) are said."""
    said, dumped, copied, sentences = set(pred), 0, 0, 0
    for sentence in _SENTENCE_END.split(_CONTEXT_LABEL.sub("", passage.strip(), count=1)):  # not "Context:" itself
        words = normalize(sentence).split()
        content = {w for w in words if w not in FILLER}
        if len(content) < 3:
            continue
        sentences += 1
        if len(content & said) < 0.75 * len(content):
            continue
        copied += 1
        dumped += not any(_runs(words, g) for g in golds)
    # a copy of every sentence of a passage of three or more is no answer either, though more of them hold the alias
    # ("... invented by Johannes Gutenberg ... The Gutenberg Bible was ..." for "Who invented the printing press?")
    return dumped >= 2 or (sentences >= 3 and copied == sentences)


def _number(words: Sequence[str]) -> float | None:
    """The number normalised words start with ("minus 3" -> -3.0, "36 eggs" -> 36.0), else None."""
    if words[:1] == ["minus"] and len(words) > 1 and _NUMERIC.fullmatch(words[1]):
        return -float(words[1])
    return float(words[0]) if words and _NUMERIC.fullmatch(words[0]) else None


_EXPRESSION = re.compile(r"\s*[-−]?\s*\d[\d,.]*\s*(?:[*x×+/÷^-]|times\b|plus\b|minus\b)\s*\(?\d", re.IGNORECASE)


def _question_numbers(question: str | None) -> list[float]:
    """The numbers a question states, as ``_number`` reads them ("the square root of 144" -> [144])."""
    words = normalize(question).split() if question else []
    return [float(w) for w in words if _NUMERIC.fullmatch(w)]


def _chain_result(text: str, given: Collection[float] = ()) -> float | None:
    """The result an answer's arithmetic ends on: the number after its last "=" that gives one ("5 + 3 = 8 apples"
    -> 8; "12 * 3 = 36 eggs. ... 27 * 3 =" (cut off) -> 27; "= 8 apples = 2 * 4" -> 8), else None (no "="). A last
    result that is a number the question ``given`` checks an earlier one: "√144 = 12, since 12 × 12 = 144" -> 12;
    a lone one given as the reason is no result: "The square root of 144 is 12 because 12 × 12 = 144." -> None (but
    "12 × 12 = 144, so the answer is 144." -> 144)."""
    results = []
    for part in text.split("=")[1:]:
        if _EXPRESSION.match(part):  # "= 2 * 4 =": an expression, not a result
            continue
        if (value := _number(normalize(part).split()[:3])) is not None:
            results.append(value)
    given_back = lambda r: any(abs(r - g) <= 1e-9 * max(1.0, abs(g)) for g in given)  # noqa: E731
    while len(results) > 1 and given_back(results[-1]):
        results.pop()
    if len(results) == 1 and given_back(results[0]) and re.search(r"\b(?:because|since|as)\b[^=.;!?]*=", text):
        return None  # only a check given as the reason, ending on the question's number: "12 because 12 × 12 = 144"
    return results[-1] if results else None


_DECADE = re.compile(r"(?:the\s+)?(\d{3})0\s*['’]?s", re.IGNORECASE)
_CENTURY = re.compile(r"(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)(?:\s+century)?(?:\s+(?:AD|CE))?", re.IGNORECASE)


_BRACKETED = re.compile(r"(\S.*?)\s*\([^()]+\)")
# a continent is also said by its adjective ("on the African continent"); world facts lists these itself
_CONTINENT_ADJECTIVE = {"africa": "African", "europe": "European", "asia": "Asian", "north america": "North American",
                        "south america": "South American", "oceania": "Oceanian", "antarctica": "Antarctic"}


# a country is said by its adjective where the question asks for a country ("Sushi is a Japanese dish." for "Which
# country does sushi come from?"): the demonyms of the built-in countryinfo data
_ASKS_COUNTRY = re.compile(r"\b(?:country|countries|nation)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _country_adjectives() -> dict[str, tuple[tuple[str, ...], frozenset[str]]]:
    """Normalised country name (and its other names: "USA", "Holland") -> its adjectives ("American") and all its
    normalised names, from the ``countryinfo`` records world facts is built on. An adjective two places share is left
    out ("Congolese"), unless one has fifty times the other's people ("Indian" is India's, not the British Indian
    Ocean Territory's). Empty where ``countryinfo`` is not installed."""
    try:
        from datamodules.world_facts import _names, _strings, load_countries
        records = load_countries()
    except (ImportError, RuntimeError, OSError):
        return {}
    by_adjective: dict[str, list[dict]] = {}
    for rec in records:
        for adjective in dict.fromkeys(_strings(rec.get("demonym"))):
            by_adjective.setdefault(adjective, []).append(rec)
    out: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}
    for adjective, recs in by_adjective.items():
        recs = sorted(recs, key=lambda r: -(r.get("population") or 0))
        if len(recs) > 1 and (recs[0].get("population") or 0) < 50 * (recs[1].get("population") or 1):
            continue
        names = frozenset(normalize(n) for n in _names(recs[0]))
        for name in names:
            out[name] = (out.get(name, ((), names))[0] + (adjective,), names)
    return out


# the people of a country named by a noun unlike its adjective: "Finns" for "Finnish", "Croats" for "Croatian"
_PEOPLE_NOUNS = {"finnish": ("finn",), "danish": ("dane",), "swedish": ("swede",), "polish": ("pole",),
                 "turkish": ("turk",), "scottish": ("scot",), "british": ("briton", "brit"), "spanish": ("spaniard",),
                 "croatian": ("croat",), "serbian": ("serb",), "slovenian": ("slovene",), "icelandic": ("icelander",),
                 "greenlandic": ("greenlander",), "luxembourgish": ("luxembourger",), "kurdish": ("kurd",)}
_ASKS_PEOPLE = re.compile(r"\b(?:demonym|people|person|someone|citizens?|natives?|inhabitants|residents|nationality)\b",
                          re.IGNORECASE)


def _people_nouns(answers: list, question: str | None) -> list[str]:
    """Where the question asks what a country's people are called, a gold adjective ("Finnish") is also said by the
    people's own noun, one or many ("a Finn", "Finns"); not for a language or a thing ("Which language ...?")."""
    if not question or not _ASKS_PEOPLE.search(question):
        return []
    out = [f"{n}{end}" for a in answers if isinstance(a, str) for n in _PEOPLE_NOUNS.get(normalize(a), ())
           for end in ("", "s")]
    return [o for o in dict.fromkeys(out) if o not in answers]


# a place a country's adjective names is no country: "the Indian subcontinent", "the Arabian Peninsula"
_FEATURE_AFTER = frozenset("ocean sea subcontinent peninsula gulf desert plateau highlands lowlands basin".split())


def _country_adjective_forms(answers: list, question: str, said: str) -> list[str]:
    """The adjectives of the accepted countries, where the question asks for a country and names none of them by any
    of its names, nor by a word the adjective comes from ("Which country was formerly known as Burma?": "Burmese" is
    the question's Burma, not an answer). An adjective that ``said`` (the answer, normalised) uses only in the name of
    a region, sea or desert ("originated in the Indian subcontinent") is left out: that place is not the country."""
    table = _country_adjectives()
    found = [table[n] for a in answers if isinstance(a, str) and (n := normalize(a)) in table]
    if not found:
        return []
    q = f" {normalize(question)} "
    stems = {w[:4] for w in q.split() if len(w) >= 4}
    out = []
    for adjectives, names in found:
        if not any(f" {n} " in q for n in names):
            out += [adj for adj in adjectives if adj not in answers and adj not in out and normalize(adj)[:4] not in stems
                    and not _only_a_place(normalize(adj), said)]
    return out


# "the capital of the Canadian province of Ontario": the question's place is a part of a country it names by adjective
_PART_OF = re.compile(r"\b([a-z]+(?: [a-z]+)?) of the ([A-Z][\w'’-]*) (?:province|state|region|territory|county|prefecture|"
                      r"canton|island|city) of ([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)")


def _whole_for_part(question: str, said: str) -> bool:
    """Does the answer (``said``, normalised) speak of the country where the question asks about a part of it: "The
    capital of Canada is Toronto." for "What is the capital of the Canadian province of Ontario?" names no province's
    capital (the province is not said at all)."""
    m = _PART_OF.search(question)
    if not m or normalize(m[3]) in said:
        return False
    relation, adjective = normalize(m[1]), m[2]
    for names in {names for name, (adjectives, names) in _country_adjectives().items() if adjective in adjectives}:
        if any(f" {relation} of {n} " in f" {said} " for n in names):
            return True
    return False


def _only_a_place(adjective: str, said: str) -> bool:
    """Whether every use of ``adjective`` in ``said`` (both normalised) is followed by a region's or sea's word."""
    after = [m[1] for m in re.finditer(rf"\b{re.escape(adjective)}\b(?: (\w+))?", said)]
    return bool(after) and all(w in _FEATURE_AFTER for w in after)


_GREEK = dict(zip("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau "
                  "upsilon phi chi psi omega".split(), "αβγδεζηθικλμνξοπρστυφχψω"))
_GREEK_NAMES = {letter: name for name, letter in _GREEK.items()}


def _greek_forms(answers: list) -> list[str]:
    """A Greek letter is said by its name or by the letter itself ("The ratio ... is π." for "pi"), either way round."""
    named = {normalize(a) for a in answers if isinstance(a, str)}
    out = [_GREEK[n] for n in named if n in _GREEK] + [_GREEK_NAMES[n] for n in named if n in _GREEK_NAMES]
    return [o for o in dict.fromkeys(out) if o not in answers]


# the classes of animals by their Latin names, as answers write them ("belongs to the class Amphibia")
_LATIN_CLASSES = {"amphibian": "amphibia", "arachnid": "arachnida", "mammal": "mammalia", "reptile": "reptilia",
                  "bird": "aves", "insect": "insecta", "crustacean": "crustacea", "cephalopod": "cephalopoda"}


def _latin_class_forms(answers: list, text_words: str) -> list[str]:
    """An animal's class is also said by its Latin name ("the class Amphibia" for "amphibian"), unless the answer
    names another class in English ("a marine mammal that belongs to the class Cephalopoda" calls it a mammal)."""
    named = {normalize(a) for a in answers if isinstance(a, str)}
    golds = {n for n in named if n in _LATIN_CLASSES}
    said = set(text_words.split())
    if not golds or any(c in said or c + "s" in said for c in set(_LATIN_CLASSES) - golds):
        return []
    return [_LATIN_CLASSES[g] for g in sorted(golds) if _LATIN_CLASSES[g] not in answers]


_ASKS_USE = re.compile(r"\b(?:use[ds]?|using|purpose|function|job|role)\b", re.IGNORECASE)
_ASKS_WORD_FORM = re.compile(r"\b(?:word|noun|verb|adjective|tense|form|spell\w*|suffix|prefix)\b|[\"'‘“]\w", re.IGNORECASE)


def _verb_golds(answers: list, question: str | None) -> list[str]:
    """A use named by a noun is also said by its verb, where the question asks what a thing is used for: "navigation"
    by "used to navigate", "finding direction" by "to find direction", "flying" by "to fly", "breathing" by "to
    breathe", "listening to the heart" by "listens to the heart". Not where the question asks about words ("What is
    the verb form of 'navigation'?") or quotes one."""
    if not question or not _ASKS_USE.search(question) or _ASKS_WORD_FORM.search(question):
        return []
    out = []
    for a in answers:
        words = normalize(a).split() if isinstance(a, str) else []
        if not words or not words[0].isalpha():
            continue
        head, rest = words[0], words[1:]
        if len(words) == 1 and len(head) >= 8 and head.endswith("ion"):  # navigation, protection, digestion
            base = head[:-5] if head.endswith("ation") else head[:-3]
            verbs = [base + "ate", base + "e", base] if head.endswith("ation") else [base]
        elif len(words) <= 5 and len(head) >= 6 and head.endswith("ing"):  # flying, finding direction
            base = head[:-3]
            verbs = [base, base + "e"] + ([base[:-1]] if base[-1] == base[-2] else [])
        else:
            continue
        for verb in verbs:
            out += [" ".join([form, *rest]) for form in (verb, verb + "s", verb + "es")]
    return [o for o in dict.fromkeys(out) if o not in answers]


_FORCE_NOUNS = frozenset("force forces pull attraction field fields property properties energy interaction interactions".split())


def _force_adjectives(answers: list, said: str, question: str | None) -> list[str]:
    """A force or property named as a noun ("gravity", "magnetism", "electricity") is also said by its adjective before
    a word for a force ("the gravitational pull of the Earth's mass", "a magnetic property that attracts"): the
    adjective shares the noun's first six letters and ends in -al or -ic. Read in ``said`` (the answer, normalised);
    not where the question itself uses the adjective."""
    golds = [n for a in answers if isinstance(a, str) and len(n := normalize(a)) >= 6 and n.isalpha()]
    if not golds:
        return []
    words = said.split()
    asked = set(normalize(question).split()) if question else set()
    out = []
    for w, nxt in zip(words, words[1:]):
        if nxt in _FORCE_NOUNS and w not in asked and w.endswith(("al", "ic")) and any(
                w != g and w[:6] == g[:6] for g in golds):
            out.append(f"{w} {nxt}")
    return [o for o in dict.fromkeys(out) if o not in answers]


_DO = frozenset({"do", "does", "did"})


def _verb_forms(q_words: Sequence[str]) -> set[str]:
    """The inflected forms of the verb a do-question asks with ("What does a barometer measure?": "measures"; "Where
    did the Titanic sink?": "sank" aside, "sinked"): the answer restates the question's verb in its own tense, and
    that is an echo, not an extra word. Only the words after "do"/"does"/"did"."""
    if not _DO & set(q_words):
        return set()
    start = min(i for i, w in enumerate(q_words) if w in _DO)
    out = set()
    for w in q_words[start + 1:]:
        if len(w) < 3 or not w.isalpha():
            continue
        out |= {w + "s", w + "es", w + "d", w + "ed"}
        if w.endswith("y"):
            out |= {w[:-1] + "ies", w[:-1] + "ied"}
    return out


_MONTH_ALT = "|".join(m.lower() for m in _MONTH_NAMES)
_FULL_DATE = re.compile(rf"^(\d{{1,2}}) ({_MONTH_ALT}) (\d{{3,4}})$")
_SAID_DATE = re.compile(rf"\b(?:(\d{{1,2}}) )?({_MONTH_ALT}) (\d{{3,4}})\b")


def _none_said(pred: Sequence[str], q_words: Sequence[str], golds: set[str]) -> bool:
    """A count of none said in words ("Venus has no moons.", "None.", "There are none." for "How many moons does Venus
    have?" / 0), or nobody for "no one": with no number in the answer and no "not"/"never" beside it."""
    if any(w[:1].isdigit() for w in pred if w != "1") or _NEGATION & set(pred) - {"no"}:
        return False
    if golds & {"no 1", "nobody", "noone"}:  # "no one" is normalised to "no 1"
        return bool({"nobody", "noone"} & set(pred)) or any(pred[i:i + 2] == ["no", "1"] for i in range(len(pred)))
    if "0" not in golds or q_words[:2] != ["how", "many"]:
        return False
    asked = {w.rstrip("s") for w in q_words[2:]}
    return "none" in pred or any(a == "no" and b.rstrip("s") in asked for a, b in zip(pred, pred[1:]))


_HOW_MANY = re.compile(r"\bhow\s+many\s+([a-z]{3,})", re.IGNORECASE)
_COUNT_AFTER = frozenset("in of and or to per each total all altogether overall pairs times".split())


def _counted_otherwise(text: str, question: str | None, golds: Sequence[list[str]]) -> bool:
    """For "How many <things> ...?": does the answer count the things with another number, and say the accepted
    number only of something else ("Six legs. Spiders are arachnids with 8 eyes." for "How many legs ...?")? Not
    where the number stands alone or in a total ("four legs on each side, eight in all")."""
    asked = _HOW_MANY.search(question or "")
    numbers = {g[0] for g in golds if len(g) == 1 and g[0][:1].isdigit()}
    if not asked or not numbers:
        return False
    stem = lambda w: re.sub(r"(?:es|s)$", "", w)  # noqa: E731
    thing = stem(normalize(asked[1]))
    pred = [w for part in re.split(r"[.,;:!?\n](?!\d)", text) for w in normalize(part).split() + ["|"]]
    counts = {pred[i] for i in range(len(pred) - 1) if pred[i][:1].isdigit()
              and (stem(pred[i + 1]) == thing or (i + 2 < len(pred) and stem(pred[i + 2]) == thing))}
    if not counts or counts & numbers:
        return False
    said = [i for i, w in enumerate(pred) if w in numbers]
    return bool(said) and all(i + 1 < len(pred) and pred[i + 1].isalpha() and pred[i + 1] not in FILLER | _COUNT_AFTER
               and stem(pred[i + 1]) != thing for i in said)


def _years_of_dates(answers: list, question: str | None, said: str) -> list[str]:
    """A full date's year also answers a question that asks when, not for the date, day or month ("When was Einstein
    born?" / "+1879-03-14T00:00:00Z": "in 1879"), by an answer (``said``, normalised) that gives no day of that year:
    one that does must give the gold's ("On the 9th of May 1945" is not "May 8, 1945")."""
    if re.search(r"\b(?:date|day|month)\b", question or "", re.IGNORECASE):
        return []
    years = [m[3] for a in answers if (m := _FULL_DATE.match(normalize(a)))]
    dated = {m[3] for m in _SAID_DATE.finditer(said) if m[1]}
    return [y for y in dict.fromkeys(years) if y not in answers and y not in dated]


_SLASH_DATE = re.compile(r"(?<![\d/.-])(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?(?![\d/])")
_GOLD_DATE = re.compile(rf"^(\d{{1,2}}) ({_MONTH_ALT})(?: (\d{{3,4}}))?$")
_MONTH_NUMBER = {m: k for k, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
# a date format the question asks for ("in the format MM/DD/YYYY", "in YYYY-MM-DD format")
_ASKS_DATE_FORMAT = re.compile(r"\b(?:YYYY|YY|MM|DD)(?:[-/.](?:YYYY|YY|MM|DD)){2}\b")
_NUMERIC_DATE = re.compile(r"(?<![\d/.-])\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?![\d/])")


_MONTH_DAY = re.compile(r"(?:--)?(\d{1,2})-(\d{1,2})")
_ASKS_DAY = re.compile(r"\b(?:date|day|when|birthday|anniversary|holiday)\b", re.IGNORECASE)


def _month_day_golds(answers: list, question: str | None) -> list[str]:
    """A day of the year given as "12-25" (or Wikidata's "--12-25", month first) is said "December 25", where the
    question asks for a date or a day ("On what date is Christmas Day celebrated?"; not "What was the score?")."""
    if not question or not _ASKS_DAY.search(question):
        return []
    out = []
    for a in answers:
        if isinstance(a, str) and (m := _MONTH_DAY.fullmatch(a.strip())) and 1 <= int(m[1]) <= 12 \
                and 1 <= int(m[2]) <= (29 if int(m[1]) == 2 else 30 if int(m[1]) in (4, 6, 9, 11) else 31):
            out.append(f"{_MONTH_NAMES[int(m[1]) - 1]} {int(m[2])}")
    return out


def _slash_dates(answers: list, text: str, question: str | None) -> list[str]:
    """A date written with slashes says an accepted date of a day and month ("9/11/2001" for "September 11, 2001",
    "25/12" or "12/25" for "December 25"), read month first or day first, whichever names a real month; the gold's
    year, when it has one, must be the date's (two digits stand for its last two). Not a date the question writes so,
    nor where it asks for words ("Write 25/12/2020 in words.")."""
    if not _SLASH_DATE.search(text) or question and (_SLASH_DATE.search(question) or _ASKS_WORDS.search(question)):
        return []
    golds = []
    for a in answers:
        if isinstance(a, str) and (m := _GOLD_DATE.match(normalize(a))) and m[2] in _MONTH_NUMBER:
            golds.append((int(m[1]), _MONTH_NUMBER[m[2]], m[3]))
    out = []
    for m in _SLASH_DATE.finditer(text) if golds else ():
        a, b, year = int(m[1]), int(m[2]), m[3]
        readings = {(b, a), (a, b)}  # (day, month): month first (US), or day first
        for day, month, gyear in golds:
            if (day, month) in readings and (gyear is None or (year is not None and gyear.endswith(year)
                                                               and len(year) in (2, len(gyear)))):
                out.append(normalize(m[0]))
    return out


def _date_format_said(answers: list, text: str) -> bool:
    """For a question that asks for a date in a numeric format ("in YYYY-MM-DD format"): does the answer write an
    accepted date's numbers in that kind of form ("1776-07-04"), not the date in words?"""
    golds = {tuple(int(x) for x in re.split(r"[-/.]", str(a).strip())) for a in answers
             if _NUMERIC_DATE.fullmatch(str(a).strip())}
    said = {tuple(int(x) for x in re.split(r"[-/.]", d)) for d in _NUMERIC_DATE.findall(text)}
    return not golds or bool(golds & said)


def _contradicts_date(pred: str, answers: list) -> bool:
    """Does the answer date the event otherwise than the gold dates do, in one of their years: another month, or a
    day more than one off ("January 20, 1989" for "9 November 1989", which its "1989" alone would match; a day off
    by one is left alone: "14 April 1912" for the Titanic, which struck the iceberg that night)? Only when an
    accepted answer is a full date; an answer that also says a gold date is left to the other rules."""
    golds = {(m[1], m[2], m[3]) for a in answers if (m := _FULL_DATE.match(normalize(a)))}
    if not golds:
        return False
    said = [(m[1], m[2], m[3]) for m in _SAID_DATE.finditer(pred)]
    said = [d for d in said if any(d[2] == g[2] for g in golds)]
    close = lambda d, g: d[1] == g[1] and (d[0] is None or abs(int(d[0]) - int(g[0])) <= 1)  # noqa: E731
    return bool(said) and not any(close(d, g) for d in said for g in golds)


_COUNTS_TIMES = re.compile(r"\bhow (?:many times|often)\b", re.IGNORECASE)
# three or more groups of digits joined by hyphens: a phone number or a code ("112-123-123"), whose groups are no
# numbers said; not a date ("20-07-1969")
_CODE_CHAIN = re.compile(r"(?<![\d-])\d+(?:-\d+){2,}(?![\d-])")
_DATE_CHAIN = re.compile(r"\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{1,2}-\d{1,2}")
_NATIONALITY_PAIR = re.compile(r"\b([A-Z][a-z]+)-([A-Z][a-z]*(?:an|ish|ese|i))\b")  # "Mexican-American"
_ENUMERATION = re.compile(r"(?:^|(?<=[\s:]))\d{1,2}\.\s+(?=[^\W\d_])")


def _enumerates(text: str) -> bool:
    """Does the answer number its items "1. ... 2. ..." (the markers then are no numbers it says: "A few words: 1. A
    colony of bees is ... 2. A colony is ..." says no count of 1)? A lone "1." ("1. Spanish: 1.9") is left alone."""
    marks = [int(m[0].strip().rstrip(".").lstrip(":")) for m in _ENUMERATION.finditer(str(text))]
    return marks[:2] == [1, 2]


_RANGE = re.compile(r"\s*(?:from\s+|between\s+)?(\d[\d,.]*)\s*(?:[-–—]|to|until|till|through|and)\s*(\d[\d,.]*)\s*", re.IGNORECASE)


def _range_forms(answers: list) -> list[str]:
    """A range of numbers or years is said in each of the ways people write one: "1939–1945", "1939 to 1945",
    "from 1939 until 1945", "between 1939 and 1945" (the first number alone says none of them)."""
    out = []
    for a in answers:
        if isinstance(a, str) and (m := _RANGE.fullmatch(a)) and ("and" not in a.lower() or "between" in a.lower()):
            out += [f"{m[1]}-{m[2]}", f"{m[1]} to {m[2]}", f"{m[1]} until {m[2]}", f"between {m[1]} and {m[2]}"]
    return [f for f in out if f not in answers]


def _within_ranges(answers: list, said: str, question: str | None) -> list[str]:
    """A measure inside a gold range is right: "65 years" or "around 70 years" for "60 to 70 years", "110 km/h" for
    "100-120 km/h" (``said`` is the answer, normalised), with the range's unit after it. Not a range of years ("When
    was the war fought?": 1939-1945, which 1942 does not answer), nor a range the question asks for ("between",
    "range")."""
    if question and re.search(r"\b(?:between|range|from)\b", question, re.IGNORECASE):
        return []
    out = []
    for a in answers:
        if not isinstance(a, str):
            continue
        approx = _APPROX.fullmatch(a)
        words = normalize(approx[1] if approx else a).split()  # "60-70 years" -> "60 70 years"
        k = 2 if words[1:2] and words[1] in ("to", "until", "through") else 1
        if len(words) <= k + 1 or not (_NUMERIC.fullmatch(words[0]) and _NUMERIC.fullmatch(words[k])):
            continue
        unit = words[k + 1:]
        if not all(w.isalpha() for w in unit):
            continue  # a bare range ("1939-1945") may be years: no value inside it says it
        low, high = sorted((Decimal(words[0]), Decimal(words[k])))
        tokens = said.split()
        for i, w in enumerate(tokens):
            if _NUMERIC.fullmatch(w) and tokens[i + 1:i + 1 + len(unit)] == unit and low <= Decimal(w) <= high:
                out.append(" ".join([w, *unit]))
    return [o for o in dict.fromkeys(out) if o not in answers]


_ACRONYM = re.compile(r"[A-Z]{2,5}")
_SPELLED_RUN = re.compile(r"(?<![\w'’])[A-Z][\w'’-]*\.?(?:\s+(?:(?:of|and|for|the)\s+)?[A-Z][\w'’-]*\.?)*")
_NOT_INITIAL = frozenset("of and for the jr sr".split())


def _initials(words: Sequence[str]) -> str:
    return "".join(w[0].upper() for w in words if w.lower().rstrip(".") not in _NOT_INITIAL)


def _initialisms(answers: list, text: str, question: str | None) -> list[str]:
    """A name is said by its initials and initials by the name: "JFK" by "John F. Kennedy" (also inside "President
    John F. Kennedy"), "MLK" by "Martin Luther King Jr.", "NASA" by "National Aeronautics and Space Administration",
    a name's first words by theirs ("JFK International Airport");
    and "Franklin D. Roosevelt" by "FDR", written in capitals in the answer (``text``). Not where the question says
    the other form ("What does NASA stand for?")."""
    out = []
    for a in answers:
        alias = str(a).strip()
        if _ACRONYM.fullmatch(alias):
            for run in _SPELLED_RUN.findall(text):
                words = run.split()
                out += [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1)
                        if words[i].lower() not in _NOT_INITIAL and _initials(words[i:j]) == alias]
        elif len(words := alias.split()) >= 2 and _SPELLED_RUN.fullmatch(alias) and len(acronym := _initials(words)) >= 2:
            out += [acronym] if re.search(rf"(?<![\w.]){acronym}(?![\w])", text) else []
            # the name's first words by their initials, the rest as written: "JFK International Airport" for "John F.
            # Kennedy International Airport", "UN Security Council" for "United Nations Security Council"
            for k in range(2, len(words)):
                if len(head := _initials(words[:k])) >= 2 and words[k - 1].lower() not in _NOT_INITIAL \
                        and re.search(rf"(?<![\w.]){head}\s+{re.escape(' '.join(words[k:]))}(?![\w])", text):
                    out.append(f"{head} {' '.join(words[k:])}")
    q = f" {normalize(question)} " if question else ""
    return list(dict.fromkeys(o for o in out if o not in answers and f" {normalize(o)} " not in q))


def _one_slip(word: str, gold: str) -> bool:
    """``word`` is ``gold`` (a word of six or more letters) misspelt by one letter added, dropped or changed, or two
    neighbours swapped, inside it: the first and last letters stay ("earhardt" for "earhart"; "african" is no slip of
    "africa", nor "guinean" of "guinea")."""
    if word == gold or len(gold) < 6 or abs(len(word) - len(gold)) > 1 or not (word.isalpha() and gold.isalpha()) \
            or word[0] != gold[0] or word[-1] != gold[-1]:
        return False
    if len(word) == len(gold):
        diff = [k for k in range(len(word)) if word[k] != gold[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and (word[diff[0]], word[diff[1]]) == (gold[diff[1]], gold[diff[0]]))
    short, long_ = sorted((word, gold), key=len)
    return any(long_[:k] + long_[k + 1:] == short for k in range(1, len(long_) - 1))


def _misspelt(answers: list, text_words: str, question: str | None, competitors: Collection[str] | None) -> list[str]:
    """A name of two or more words said with one slip (``_one_slip``) in one of its words and the others as they are
    is that name: "Amelia Earhardt" says "Amelia Earhart". Not a one-word name (a slip there is often another name:
    "Gambia" and "Zambia"), not where the misspelt form is a word of the question or another accepted answer of the
    same kind."""
    words = text_words.split()
    said = set(words)
    q: set[str] | None = None
    out = []
    for a in answers:
        if not isinstance(a, str) or not re.search(r"\w[\s-]+\w", a) or len(gold := normalize(a).split()) < 2:
            continue
        n = len(gold)
        if sum(w in said for w in gold) != n - 1:  # said as it is, or more than one word missing: nothing to mend
            continue
        if q is None:
            q = set(normalize(question).split()) if question else set()
        for i in range(len(words) - n + 1):
            diff = [j for j in range(n) if words[i + j] != gold[j]]
            if len(diff) == 1 and words[i + diff[0]] not in q and _one_slip(words[i + diff[0]], gold[diff[0]]):
                out.append(" ".join(words[i:i + n]))
    return list(dict.fromkeys(o for o in out if o not in answers and o not in (competitors or ())))


_YN_GOLD = re.compile(r"\s*(yes|no|true|false)\b\s*(?:[,.;:!(\u2013\u2014-].*)?", re.IGNORECASE | re.DOTALL)
_ALTERNATIVE_SEP = re.compile(r"\s+or\s+|\s*;\s*(?:also\s+|or\s+)?|\s+/\s+|(?<=[^\W\d_]{3})/(?=[^\W\d_]{3})", re.IGNORECASE)
_OR_BRACKET = re.compile(r"\(\s*(?:or|also|also called|aka)\s+([^,;()]+?)\s*(?:[,;][^()]*)?\)", re.IGNORECASE)


def _alternatives(answers: list) -> list[str]:
    """A gold that writes its own alternatives: "yen or Japanese yen", "Myanmar/Burma", "Michelangelo Buonarroti /
    Michelangelo", "honey; also beeswax", "Antarctica (or the Sahara, if only hot deserts count)": each is accepted.
    Not a unit ("km/h") nor a name in capitals ("AC/DC"); a part of more than four words is no name."""
    out = []
    for a in answers:
        if not isinstance(a, str):
            continue
        out += [m[1] for m in _OR_BRACKET.finditer(a)]
        parts = [p.strip(" .") for p in _ALTERNATIVE_SEP.split(_OR_BRACKET.sub("", a))]
        if len(parts) >= 2 and all(p and len(p.split()) <= 4 and not p.isupper() for p in parts):
            out += parts
    return [o for o in dict.fromkeys(out) if o not in answers]


_SUBJECT_PRONOUN = re.compile(r"(?:it|they)\s+((?:[a-z]+\s+){0,3}[a-z]+)", re.IGNORECASE)


def _subjectless(answers: list) -> list[str]:
    """A gold that is what "it" or "they" does ("it melts", "they expand") is also said of the thing named instead of
    the pronoun: "The butter melts.", "Most metals expand.": the verb phrase alone is accepted."""
    out = [m[1] for a in answers if isinstance(a, str) and (m := _SUBJECT_PRONOUN.fullmatch(a.strip()))]
    return [o for o in dict.fromkeys(out) if o not in answers]


_INTENSIFIERS = ("very", "extremely", "really", "incredibly", "exceptionally")
_INTENSIFIED = re.compile(r"(very|extremely|really|incredibly|exceptionally)\s+([a-z][\w-]*(?:\s+[a-z][\w-]*)?)")


def _intensified(answers: list) -> list[str]:
    """A gold that is an intensified word ("very cold", "very old") is said with another intensifier of the same
    degree: "extremely cold", "incredibly old"."""
    out = []
    for a in answers:
        if isinstance(a, str) and (m := _INTENSIFIED.fullmatch(a.strip())):
            out += [f"{w} {m[2]}" for w in _INTENSIFIERS if w != m[1]]
    return [o for o in dict.fromkeys(out) if o not in answers]


_FUNCTION = FILLER | _ARTICLES | frozenset("""because when if than more less each other its their his her they them do does
can will not no through throughout over under about around between across up down out off after before during
very only all some any such both""".split())
_DESCRIPTION_Q = re.compile(r"^\s*(?:what|why|how)\b", re.IGNORECASE)


def _stem(word: str) -> str:
    for end in ("ing", "es", "ed", "s"):
        if word.endswith(end) and len(word) - len(end) >= 3:
            return word[: -len(end)]
    return word


def _describes(pred: Sequence[str], answers: list, q_words: Sequence[str]) -> bool:
    """A gold that is a description, not a name ("pumps blood through the body", "the tilt of the Earth's axis", "to
    absorb water and nutrients from the soil": four or more words, the first not capitalised), for a question that
    asks what, why or how, is also said in other words: by an answer that says (stemmed, not negated) at least three
    quarters of its content words the question does not already say, two at least. A name's words are never counted
    this way ("World Trade Organization" does not say "World Health Organization"), nor a list's, a number's or an
    approximate value's."""
    said = {_stem(w): i for i, w in reversed(list(enumerate(pred)))}
    asked = {_stem(w) for w in q_words}
    for a in answers:
        if (not isinstance(a, str) or len(a.split()) < 4 or a.strip()[:1].isupper() or re.search(r"\d", normalize(a))
                or (len(items := _gold_items(a)) >= 3 and all(len(i) <= 2 for i in items)) or _APPROX.fullmatch(a)):
            continue  # a name, a number, a list ("red, green and blue") or an approximate value is no description
        content = {_stem(w) for w in normalize(a).split() if w not in _FUNCTION and not w.isdigit()} - asked
        if len(content) < 2:
            continue
        hits = [w for w in content if w in said and not _negated(pred, said[w])]
        if 4 * len(hits) >= 3 * len(content):
            return True
    return False


_APPROX = re.compile(r"\s*(?:about|approximately|approx\.?|around|roughly|nearly|almost|circa|ca\.|c\.|~|≈)\s*(\S.*?)\s*",
                     re.IGNORECASE)
_FRACTION = re.compile(r"\s*\(?(-?\d{1,6})\)?\s*/\s*\(?(\d{1,6})\)?\s*")
_EQUATION = re.compile(r"\s*[^=]*\S\s*=\s*([^=]*?)\s*")  # "2^10 = 1024", "x = 5": the value is said by its right side
_METRIC = [{"km": 1000, "m": 1, "cm": Decimal("0.01"), "mm": Decimal("0.001")},
           {"kg": 1000, "g": 1, "mg": Decimal("0.001")}, {"l": 1, "ml": Decimal("0.001")}, {"h": 3600, "min": 60, "s": 1}]
_SCALE_OF = {unit: family for family in _METRIC for unit in family}
_NEAR = Decimal("0.02")  # an approximate gold ("about", "≈") is said by a value within 2% of it


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f").rstrip("0").rstrip(".") if "." in format(value, "f") else format(value, "f")


def _half_unit(value: Decimal) -> Decimal:
    """Half a unit of ``value``'s last significant digit: 5000 for 40000, 0.05 for 13.8."""
    digits = _plain(value)
    if "." in digits:
        return Decimal(5) * Decimal(10) ** -(len(digits.split(".")[1]) + 1)
    return Decimal(5) * Decimal(10) ** (len(digits) - len(digits.rstrip("0")) - 1)


def _measure_forms(answers: list, said: str, question: str | None) -> list[str]:
    """A gold measurement is also said in another metric unit ("300,000 km/s" as "300,000,000 m/s"; "90 minutes" as
    "1.5 hours"), and an approximate one ("≈ 300,000 km/s", "about 1.4 billion") by a value the answer (``said``,
    normalised) gives that rounds to it and is within 2% of it: "299,792 km/s", "299,792,458 metres per second" (not "13.9 billion" for
    "about 13.8 billion", nor "333 m/s" for "about 340 m/s"). A bare number under 10,000 (a year: "around 1500") gets
    no such margin. A form the question says is its own ("How many minutes are in two hours?": not "2 hours"). The
    right side of a gold equation ("2^10 = 1024", "x = 5") says it too."""
    out = [m[1] for a in answers if isinstance(a, str) and "=" in a and (m := _EQUATION.fullmatch(a))
           and (w := normalize(m[1]).split()) and _NUMERIC.fullmatch(w[0]) and len(w) <= 3]
    said_numbers = [Decimal(w) for w in said.split() if _NUMERIC.fullmatch(w)]
    q = f" {normalize(question)} " if question else ""  # "How many minutes are in two hours?": "2 h" is its echo
    for a in answers:
        approx = isinstance(a, str) and _APPROX.fullmatch(a)
        words = normalize(approx[1] if approx else a).split()
        if not words or not _NUMERIC.fullmatch(words[0]):
            continue
        value, rest = Decimal(words[0]), words[1:]
        forms = [(value, rest)] + [(value * _SCALE_OF[rest[0]][rest[0]] / f, [u] + rest[1:])
                                   for u, f in (_SCALE_OF.get(rest[0] if rest else "") or {}).items() if u != rest[0]]
        forms = forms[:1] + [(v, r) for v, r in forms[1:] if f" {' '.join([_plain(v)] + r)} " not in q]
        out += [" ".join([_plain(v)] + r) for v, r in forms[1:]]
        if approx:
            out += [" ".join([_plain(n)] + r) for v, r in forms if r or abs(v) >= 10000
                    for n in said_numbers if n != v and abs(n - v) <= min(_NEAR * abs(v), _half_unit(v))]
    return [f for f in dict.fromkeys(out) if f not in answers]


_FRACTION_WORDS = {2: ("half", "halves"), 3: ("third", "thirds"), 4: ("quarter", "quarters")}


def _equal_fractions(answers: list, text: str) -> list[str]:
    """The fractions the answer writes that equal an accepted fraction or decimal: "5/10" for "1/2" where the
    question asks for a fraction and not for its simplest form ("Write 0.5 as a fraction.")."""
    values = set()
    for a in answers:
        a = _latex(str(a)).strip()
        if (m := _FRACTION.fullmatch(a)) and int(m[2]) > 0:
            values.add(Decimal(int(m[1])) / Decimal(int(m[2])))
        elif _NUMERIC.fullmatch(a):
            values.add(Decimal(a))
    return [f"{m[1]}/{m[2]}" for m in re.finditer(r"(?<![\d/.])(\d{1,6})\s*/\s*(\d{1,6})(?![\d/])", text or "")
            if int(m[2]) > 0 and Decimal(int(m[1])) / Decimal(int(m[2])) in values]


def _fraction_values(answers: list, question: str | None, text: str = "") -> list[str]:
    """A fraction is said in words ("one half", "a half", "three quarters", "two thirds"; "one third" and "one
    fourth" are read as "1/3" and "1/4" already). Its value is also said as a decimal: "0.75" for "3/4" or
    "\\frac{3}{4}"; one that does not end within six places, to two, so that "0.1667" (which rounds to it) says "1/6" and "0.2" does not. Not when the question
    asks for the fraction ("Write 0.5 as a fraction."): then an equal fraction the answer writes says it
    ("5/10" for "1/2"), unless the question asks for the simplest form."""
    out = [f"{m[1]} {_FRACTION_WORDS[int(m[2])][int(m[1]) > 1]}" for a in answers if isinstance(a, str)
           and (m := _FRACTION.fullmatch(_latex(a))) and int(m[2]) in _FRACTION_WORDS and 0 < int(m[1]) < int(m[2])]
    out += [words[0] for f in out if (words := f.split()[1:]) and f.startswith("1 ")]  # "a half", "a quarter"
    if re.search(r"\bsimplif|\blowest terms|\bsimplest", question or "", re.IGNORECASE):
        return out
    if re.search(r"\bfraction", question or "", re.IGNORECASE):
        return out + _equal_fractions(answers, text)
    for a in answers:
        if isinstance(a, str) and (m := _FRACTION.fullmatch(_latex(a))) and int(m[2]) > 0:
            value = Decimal(int(m[1])) / Decimal(int(m[2]))
            exact = value.quantize(Decimal("1e-6")) == value
            out.append(format(value.normalize() if exact else value.quantize(Decimal("0.01")), "f"))
    return out


def _percent_forms(answers: list, text: str) -> list[str]:
    """A share given as a fraction or decimal ("3/4", 0.75, "0.5"; not the whole number 1) is said as a percentage
    ("75%", "50 percent"): its value times 100 is accepted where the answer writes that number with a percent sign
    or word (so "75" alone still says no 0.75)."""
    out = []
    for a in answers:
        if isinstance(a, bool) or not isinstance(a, (str, int, float)):
            continue
        a = _latex(str(a).strip())
        try:
            value = Decimal(int(m[1])) / Decimal(int(m[2])) if (m := _FRACTION.fullmatch(a)) and int(m[2]) else Decimal(a)
        except ArithmeticError:
            continue
        share = value * 100
        if not (0 < value < 1 or (value == 1 and re.search(r"[./]", a))) or share.quantize(Decimal("0.01")) != share:
            continue
        said = format(share.normalize(), "f")
        if re.search(rf"(?<![\d.]){re.escape(said)}(?:\.0+)?\s*(?:%|percent\b|per\s+cent\b)", text, re.IGNORECASE):
            out.append(said)
    return out


def _years_within(answers: list, question: str | None) -> list[str]:
    """A year says the decade or century asked for: "1967" for "1960s" when the question asks "which decade",
    "1789" for "18th century" when it asks "which century" (AD years only). Not the question's own year: "Which
    decade is the year 1985 in?" is not answered by "1985" said back."""
    q = (question or "").lower()
    asked_years = set(re.findall(r"\b\d{3,4}\b", q))
    out = []
    for a in answers:
        a = str(a).strip()
        if "decade" in q and (m := _DECADE.fullmatch(a)):
            out += [f"{m[1]}{k}" for k in range(10)]
        elif "century" in q and (m := _CENTURY.fullmatch(a)) and 1 <= int(m[1]) <= 21:
            n = int(m[1])
            out += [str(y) for y in range(100 * (n - 1) + 1, 100 * n + 1)]
    return [y for y in out if y not in asked_years]


_ASKS_DURATION = re.compile(r"\bhow (?:long|many years)\b|\bfor how (?:long|many years)\b", re.IGNORECASE)
_YEAR_SPAN = re.compile(r"\b(?:from|between)\s+(\d{3,4})\s+(?:to|until|till|through|and)\s+(\d{3,4})\b"
                        r"|(?<![\d-])(\d{4})\s*[-–]\s*(\d{4})(?![\d-])", re.IGNORECASE)
_GOLD_YEARS = re.compile(r"(?:about |around |approximately )?(\d+) years?")


def _year_spans(answers: list, text: str, question: str | None) -> list[str]:
    """A span of years says how long something lasted: "from 1939 to 1945", "between 1939 and 1945" or "1939-1945"
    for "6 years" where the question asks how long (or how many years). Not a span the question writes itself, nor
    where the answer states another length in years."""
    if not question or not _ASKS_DURATION.search(question) or not _YEAR_SPAN.search(text):
        return []
    lengths = {int(m[1]) for a in answers if isinstance(a, str) and (m := _GOLD_YEARS.fullmatch(normalize(a)))}
    asked = set(re.findall(r"\b\d{3,4}\b", question))
    stated = {int(n) for n in re.findall(r"\b(\d+) years?\b", normalize(text))}
    if stated - lengths:  # "It lasted 10 years, from 1939 to 1945" states another length
        return []
    out = []
    for m in _YEAR_SPAN.finditer(text) if lengths else ():
        start, end = (m[1], m[2]) if m[1] else (m[3], m[4])
        if int(end) - int(start) in lengths and not {start, end} & asked:
            out.append(normalize(m[0]))
    return out


# units of one kind, as ``normalize`` leaves them after a number ("degrees Kelvin" -> "k", "8,849 ft" -> "8849 fort"),
# each -> one name: a number said in another unit of the kind the question asks in is another quantity
_UNIT_KIND = {u: ("temperature", u) for u in ("c", "f", "k")}
_UNIT_KIND |= {u: ("length", u) for u in ("km", "m", "cm", "mm", "mi")}
_UNIT_KIND |= {u: ("length", "ft") for u in ("ft", "feet", "foot", "fort")}
_UNIT_KIND |= {u: ("length", "inch") for u in ("inch", "inches")}
_UNIT_KIND |= {u: ("length", "yd") for u in ("yd", "yard", "yards")}
_UNIT_KIND |= {u: ("mass", u) for u in ("kg", "g", "mg")}
_UNIT_KIND |= {u: ("mass", "lb") for u in ("lb", "lbs", "pound", "pounds")}
_UNIT_KIND |= {u: ("mass", "oz") for u in ("oz", "ounce", "ounces")} | {u: ("mass", "t") for u in ("tonne", "tonnes")}
_UNIT_KIND |= {u: ("volume", u) for u in ("l", "ml")} | {u: ("volume", "gal") for u in ("gallon", "gallons")}


def _asked_unit(question: str | None) -> tuple[str, str] | None:
    """The unit the question asks its number in: "What is absolute zero in degrees Celsius?" -> temperature in C,
    "How tall is Everest in feet?" and "How many feet are in a mile?" -> a length in feet; None if it names none,
    or two."""
    if not question:
        return None
    words = normalize(question).split()
    found: dict[str, set] = {"in": set(), "many": set()}
    for i, w in enumerate(words[:-1]):
        if w in found:
            nxt = words[i + 2] if words[i + 1] in ("degrees", "degree") and i + 2 < len(words) else words[i + 1]
            unit = _UNIT_WORDS.get(nxt, nxt)
            if unit in _UNIT_KIND and (w == "in" or len(nxt) > 2):  # "how many m" is no unit asked
                found[w].add(_UNIT_KIND[unit])
    # "How many feet are in a mile?" asks in feet: the unit after "in" is what is converted
    units = found["many"] or found["in"]
    return units.pop() if len(units) == 1 else None


def _asked_unit_forms(answers: list, unit: tuple[str, str] | None) -> list[str]:
    """A gold in the ``unit`` the question asks in is said by its number alone: "-273.15" (or "-273.15 degrees") for
    "-273.15 °C" where the question asks "in degrees Celsius"."""
    out = []
    for a in answers if unit else ():
        words = normalize(a).split()
        if len(words) >= 2 and _UNIT_KIND.get(words[-1]) == unit and all(
                _NUMERIC.fullmatch(w) or w == "minus" for w in words[:-1]):
            out.append(" ".join(words[:-1]))
    return [f for f in out if f not in answers]


def _unit_conflict(pred: Sequence[str], answers: list, unit: tuple[str, str] | None) -> bool:
    """Does the answer say the gold number only in another unit of the kind the question asks in (``unit``):
    "-273.15 Kelvin" for "What is absolute zero in degrees Celsius?", "26.2 kilometres" for "How long is a marathon
    in miles?"? Said once bare or in the asked unit, it is not."""
    if unit is None:
        return False
    numbers = set()
    for a in answers:
        w = normalize(a).split()
        w = w[1:] if w[:1] == ["minus"] else w
        if w and _NUMERIC.fullmatch(w[0]) and (len(w) == 1 or (len(w) == 2 and _UNIT_KIND.get(w[1]) == unit)):
            numbers.add(w[0])
    other = False
    for i, w in enumerate(pred):
        if not any(_same(w, n, measure=True) for n in numbers):
            continue
        kind = _UNIT_KIND.get(pred[i + 1]) if i + 1 < len(pred) else None
        if kind is None or kind == unit:
            return False
        other = other or kind[0] == unit[0]
    return other


_QUOTES = "\"'`‘’“”()[]"
_DASHES = frozenset("- – — : ... …".split())


def _symbol_said(prediction: str, symbol: str, question: str | None) -> bool:
    """A gold that is a symbol ("#" for "What starts a comment in Python?") is said by a token that is that symbol
    alone ("#", "`#`", "'#'."), and by no other such token ("# or //" is a hedge); not by the question's own."""
    symbol = symbol.strip()
    if not symbol or (question and symbol in question):
        return False
    said = set()
    for token in prediction.split():
        token = token.strip(_QUOTES)
        if token and not re.search(r"\w", token):
            said.add(token if token in (symbol, *_DASHES) else token.rstrip(".,;:!?").strip(_QUOTES) or token)
    said -= _DASHES
    return said == {symbol}


# what a model writes around its answer: reasoning (R1/Qwen3 "<think>", its opening tag sometimes in the prompt),
# RLCR's "<answer>" and "<analysis>" / "<confidence>" tags, a stated confidence on a line of its own or at the end
_REASONING = re.compile(r"<(think|thinking|reasoning|scratchpad)>.*?(?:</\1>|\Z)", re.IGNORECASE | re.DOTALL)
_REASONING_END = re.compile(r"\A.*</(?:think|thinking|reasoning|scratchpad)>", re.IGNORECASE | re.DOTALL)
_ASIDE_TAG = re.compile(r"<(analysis|confidence|explanation|justification)>.*?(?:</\1>|\Z)", re.IGNORECASE | re.DOTALL)
_CONFIDENCE_WORD = (r"(?:confidence|certainty|probability(?:\s+(?:of being|(?:that )?(?:this|it|the answer) is)\s+"
                    r"(?:correct|right))?)(?:\s+(?:level|score))?")
# (its line's own marks only before the word: a class with "\n" in it would rescan a run of blank lines from each)
_CONFIDENCE_LINE = re.compile(rf"^[ \t*_#>-]*{_CONFIDENCE_WORD}[\s*_]*[:=].*$", re.IGNORECASE | re.MULTILINE)
_CONFIDENCE_TAIL = re.compile(rf"(?:(?<=[.!?,;])|\s[(\[])\s*{_CONFIDENCE_WORD}\s*[:=]\s*"
                              r"\d*\.?\d+\s*%?(?:\s*/\s*10{1,2})?\s*[)\]]?\s*\.?\s*\Z", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*•·‣◦–+]|\(?\d{1,2}[.)]|\(?[a-z][)]|[A-Z][.)](?=\s))\s*")


# words that open a description of the answer just given ("Lima is the capital of Peru, which borders Chile and
# Ecuador"): a competitor named there is no second candidate. Not "though" or "while", which also open a hedge ("Lima,
# though it might be Quito")
_DESCRIBES_IT = frozenset("which whose where bordered borders bordering neighbouring neighboring followed".split())


def _answer_part(prediction: str, first_item: bool = True) -> str:
    """The answer a completion gives, without what it writes around it: reasoning in "<think>...</think>" (or
    everything before a "</think>" whose opening tag was in the prompt; an unclosed "<think>" gives no answer), the
    inside of an "<answer>" tag when there is one, RLCR's "<analysis>" and "<confidence>", and a stated
    confidence ("Confidence: 9", "Confidence level: 80%", "(confidence: 0.9)") on a line of its own or at the end."""
    text = _REASONING_END.sub("", _REASONING.sub(" ", prediction))
    if (inner := extract_answer(text)) is not None:  # as the RLCR format is parsed for training
        text = inner
    text = _CONFIDENCE_LINE.sub("", _ASIDE_TAG.sub(" ", text))
    text = _LONE_BULLET.sub("", _without_end(_EMOJI_TAIL, _CONFIDENCE_TAIL.sub("", text).strip(), 200))
    text = _EMPHASIS.sub("", text)
    if last := next(reversed(list(_FINAL_LABEL.finditer(text))), None):
        text = "Answer: " + text[last.end():]  # read as a label opening the answer: "Answer: B" stays a pick
    text = _without_end(_COURTESY_CLOSE, _COURTESY_OPEN.sub("", _ANSWER_LABEL.sub(_label, text))).strip()
    text = _without_disclaimer(_without_end(_COURTESY_CLOSE, _without_disclaimer(text)).strip())
    text = m[1] if (m := _QUOTED_WHOLE.fullmatch(text)) else text  # '"The answer is: a"': the answer, quoted
    return _first_item(text) if first_item else text


_ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")  # no-break, narrow, wide spaces
_NO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


_SPACE_RUN = re.compile(r"[ \t]{2,}|\t")
_PLAIN_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


def _plain_spaces(text: str) -> str:
    """Every kind of space as one plain one, a run of spaces or tabs in a line as one, zero-width characters dropped
    ("100\u202f°C", "I\u00a0saw it", "John A.  Macdonald"), typographic quotes as plain ones ("‘never’" as
    "'never'")."""
    return _SPACE_RUN.sub(" ", _NO_WIDTH.sub("", _ODD_SPACE.sub(" ", text))).translate(_PLAIN_QUOTES)


# an instruction about the answer's length or form, set after or before the question, that the grader has no use
# for ("Answer briefly.", "Answer yes or no.", "Explain your answer.", "Show your work.", "Be concise.", "Think step
# by step."); an instruction that says what counts ("in numerals", "in words", "to two decimal places", "in km",
# "in MM/DD/YYYY") is no such sentence, and stays
_FORM_WORDS = (r"(?:with\s+|in\s+)?(?:(?:just|only)\s+)?(?:yes\s+or\s+no|one\s+word|a\s+single\s+word|a\s+few\s+words|"
               r"(?:one|a\s+single|a|one\s+short|a\s+short)\s+sentence|the\s+name|a\s+name|the\s+answer)")
_INSTRUCTIONS = (
    r"(?:answer|reply|respond)(?:\s+(?:briefly|concisely|shortly|truthfully|honestly|" + _FORM_WORDS
    + r"|the\s+question(?:\s+below)?|the\s+following(?:\s+questions?)?|this\s+question|(?:and|,)\s+explain(?:\s+why)?"
    r"|as\s+briefly\s+as\s+(?:possible|you\s+can)))*",
    r"(?:explain|justify|elaborate)(?:\s+(?:why|briefly|your\s+(?:answer|reasoning|choice)|the\s+process|how))?",
    r"show\s+(?:your|the)\s+(?:work|working|steps|reasoning|calculation)",
    r"(?:let'?s\s+)?think\s+step\s+by\s+step",
    r"be\s+(?:brief|concise|precise)",
    r"keep\s+(?:it|your\s+answer)\s+(?:short|brief)",
    r"give\s+(?:a\s+)?(?:short|brief|one-word|concise)\s+answer",
    r"(?:give|respond\s+with|answer\s+with)\s+(?:only|just)\s+the\s+\w+(?:\s+name)?",
)
_INSTRUCTION = r"(?:please,?\s+)?(?:" + "|".join(_INSTRUCTIONS) + ")"
_INSTRUCTION_AFTER = re.compile(rf"(?<=[?.!])(?:\s+{_INSTRUCTION}\s*[.!]?)+\s*\Z", re.IGNORECASE)
_INSTRUCTION_BEFORE = re.compile(rf"\A\s*{_INSTRUCTION}\s*[:.!]\s+(?=\S)", re.IGNORECASE)


_QUESTION_OPENING_LABEL = re.compile(r"\A\s*(?:question|q)\s*:\s*(?=\S)", re.IGNORECASE)


def _without_instructions(question: str) -> str:
    """The question without an instruction about its answer's length or form set after it or before it ("Please answer
    the following question: ...", "... Answer briefly."), nor a "Question:" label opening it."""
    return _QUESTION_OPENING_LABEL.sub("", _INSTRUCTION_BEFORE.sub("", _INSTRUCTION_AFTER.sub("", question)))


def _cased_as_said(question: str, prediction: str) -> str:
    """A question written all in lower case ("are the beatles and the rolling stones both from england", as search
    queries and Natural Questions write them), its words cased as the answer writes them inside a sentence
    ("Beatles", "England"): capitals carry the names the grader reads."""
    if not question.islower():
        return question
    cased = {m[0].lower(): m[0] for m in re.finditer(r"(?<=[\w,;'’\"“”)] )[A-Z][\w'’-]*", prediction)}
    return re.sub(r"[\w'’-]+", lambda m: cased.get(m[0], m[0]), question)


def _gold_text(alias: str) -> str:
    """An accepted answer as a file may write it: spaces of every kind plain, a sentence's full stop at its end
    dropped ("1960s." is "1960s"; "Jr." and "D.C." keep theirs)."""
    alias = _plain_spaces(alias).strip()
    if alias[-3:] == "..." or re.search(r"(?:\.\S*|\b(?:St|Mt|Ft|Dr|Mr|Mrs|Ms|Jr|Sr|Co|Ltd|No|vs|etc))\.\Z", alias):
        return alias  # "D.C.", "U.S.", "Jr.", "St.": the stop is the abbreviation's
    return re.sub(r"(?<=[\w)\]\"'’])[.!;,]+\Z", "", alias)


_ROMAN_LOWER = frozenset(r.lower() for r in (a + b for a in ("", "X", "XX", "XXX") for b in
                                            ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")) if r)
_LOWER_IN_NAMES = frozenset("of the and de da du la le van von der in on at for".split())


def _recased(answers: list) -> list:
    """Accepted answers as given, and names of two to four words written all in lower case, or of five or more letters
    all in upper case ("world war i", "LOUIS XIV"), also as names are written ("World War I", "Louis XIV"): capitals
    carry names, initials and regnal numerals."""
    out = list(answers)
    for a in answers:
        if not (isinstance(a, str) and (a.islower() and 2 <= len(a.split()) <= 4 or a.isupper() and len(a) > 4)) \
                or any(ch in a for ch in "\\{}^$"):
            continue
        words = a.lower().split(" ")
        titled = " ".join(w.upper() if w in _ROMAN_LOWER and k else w if w in _LOWER_IN_NAMES and k else
                          re.sub(r"(?<![\w'’])(\w)", lambda m: m[1].upper(), w) for k, w in enumerate(words))
        if titled not in out:
            out.append(titled)
    return out


_CASELESS_WORD = re.compile(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]")
_SENTENCE_START = re.compile(r"(\A[^\w\n]*|[.!?:;]\s+[^\w\n]*|\n[^\w\n]*)([^\W\d_])")
_NAME_JOINS = frozenset("of the and de da du la le van von der al bin ibn".split())
_JOINS_NAME = "(?:" + "|".join(sorted(_NAME_JOINS)) + ")"
# in a text without case: what a correction names ("..., but it's actually mount kilauea in hawaii") up to its first
# function word, and the other items of a list of short items one of which is a name ("new york, and texas")
_CORRECTED_NAME = re.compile(r"\b(?:but|however)\b[^.?!\n]*?\b(?:actually|rather|in fact|i would say|i'd say)\s+"
                             r"(?:(?:it's|it is|is|was|are|were|that|just)\s+)?"
                             r"([a-z][\w'’-]*(?:\s+[a-z][\w'’-]*){0,2})")
_LIST_OPENS = frozenset("including include includes like such namely especially notably but however yet while whereas "
                        "although though then nor".split())


def _title(run: str) -> str:
    """A run of words that is a name, its words capitalised up to its first function word ("mount kibo in" -> "Mount
    Kibo"); "" where it opens with one ("a planet", "the largest")."""
    words = run.split()
    k = next((i for i, w in enumerate(words) if w in _FUNCTION and not (i and w in _NAME_JOINS)), len(words))
    while k and words[k - 1] in _FUNCTION:
        k -= 1
    return " ".join(w[:1].upper() + w[1:] for w in words[:k])


def _cased_like_the_question(prediction: str, question: str | None, answers: list) -> str:
    """An answer written all in capitals ("THE ANSWER IS QUEEN ELIZABETH II.") or, of two words or more, all in lower
    case ("the war in 1914 was world war i"), with the accepted answers and the question's names cased as they write
    them ("Queen Elizabeth II", "World War I"), other words in lower case and a sentence's first word capitalised; in
    capitals stay a regnal numeral, a word with digits ("CO2") and a lone letter other than the article "A". What a
    correction names ("..., but it's actually mount kilauea") and the other items of a list with a name in it
    ("California, new york, and texas") are read as names: capitals carry the names, initials and numerals the
    grader reads, and its rivals."""
    if not (prediction.isupper() or prediction.islower()):
        return prediction  # the answer's own case: read as written
    letters = [ch for ch in prediction if ch.isalpha()]
    words = _CASELESS_WORD.findall(prediction)
    shouted = len(letters) >= 4 and not any(ch.islower() for ch in letters) and sum(
        sum(ch.isalpha() for ch in w) > 1 for w in words) >= 2
    whispered = not shouted and len(words) >= 2 and prediction.islower()
    if not (shouted or whispered):
        return prediction
    golds = [a.strip() for a in answers if isinstance(a, str)]
    golds += [p.strip() for a in golds + _alternatives(golds) for p in _GOLD_ITEM_SEP.split(a)]  # "Seoul", "Pyongyang"
    runs = []
    for m in _NAME_RUN.finditer(question or ""):
        run = m[0]
        if re.search(r"(?:\A[^\w\n]*|[.!?:;]\s+[^\w\n]*|\n[^\w\n]*)\Z", question[:m.start()]):
            run = run.partition(" ")[2].lstrip()  # a sentence's first word, capitalised as its first: no name
            run = re.sub(rf"\A(?:{_JOINS_NAME}\s+)+", "", run)
        runs += [run, *(w for w in run.split() if len(w) > 1 and w[:1].isupper())]
    phrases = {}
    for a in sorted(golds, key=lambda a: (-len(a), a.isupper())) + runs:
        if a and any(ch.isalpha() for ch in a):
            phrases.setdefault(a.lower(), a)
    known = re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(k) for k in sorted(phrases, key=len, reverse=True))
                       + r")(?![\w'’]|-\w)", re.IGNORECASE) if phrases else None

    def word(m: re.Match, at: int) -> str:  # a word outside the known phrases; ``at``: where its text starts
        w, low = m[0], m[0].lower()
        if "-" in w and any(phrases.get(part, part) != part for part in low.split("-")):
            return "-".join(part[:1].upper() + part[1:] for part in low.split("-"))  # "Japanese-American"
        if whispered:
            return "I" if w == "i" else w
        if len(w) == 1:
            return "a" if w == "A" and re.match(r"\s+[^\W\d_]{2}", prediction[at + m.end():]) else w
        return w if low in _ROMAN_LOWER or any(ch.isdigit() for ch in w) else low

    def between(lo: int, hi: int) -> str:
        return _CASELESS_WORD.sub(lambda m: word(m, lo), prediction[lo:hi])

    out, at = [], 0
    for m in known.finditer(prediction) if known else ():
        out += [between(at, m.start()), phrases[m[0].lower()]]
        at = m.end()
    text = "".join(out) + between(at, len(prediction))
    text = _CORRECTED_NAME.sub(_named_in_correction, text)
    text = _names_listed_with_a_name(text)
    return _SENTENCE_START.sub(lambda m: m[1] + m[2].upper(), text)


def _named_in_correction(m: re.Match) -> str:
    """``_CORRECTED_NAME``'s match, its named run capitalised ("... actually Mount Kilauea in hawaii")."""
    name = _title(m[1])
    return m[0][:m.start(1) - m.start()] + name + m[1][len(name):]


def _names_listed_with_a_name(text: str) -> str:
    """The items of a list one of whose items is a name ("California, new york, and texas"; "china, india, and
    Russia"), each of one to three words with no function word, capitalised as names."""
    toks = list(re.finditer(r"[\w'’.-]*\w|[^\w\s]", text))
    kinds = ["sep" if t[0] in (",", ";", "and", "or") else "word" if t[0][:1].isalnum() and t[0].lower() not in
             _FUNCTION | _LIST_OPENS or (t[0].lower() in _NAME_JOINS and t[0].lower() != "and") else "stop"
             for t in toks]
    items, k = [], 0  # (first token, end token) of each run of words
    while k < len(toks):
        if kinds[k] == "word":
            j = k
            while j < len(toks) and kinds[j] == "word":
                j += 1
            items.append((k, j))
            k = j
        else:
            k += 1
    chains, chain = [], [items[0]] if items else []
    for a, b in zip(items, items[1:]):
        between = [toks[i][0] for i in range(a[1], b[0])]
        if between in ([","], [";"], ["and"], ["or"], [",", "and"], [",", "or"]):
            chain.append(b)
        else:
            chains.append(chain)
            chain = [b]
    chains.append(chain)
    edits = []
    for chain in chains:
        if len(chain) < 2:
            continue
        spans = [(max(a, b - 3) if n == 0 else a, b) for n, (a, b) in enumerate(chain)]
        named = any(toks[i][0][:1].isupper() and toks[i][0].lower() not in _ROMAN_LOWER
                    for a, b in spans for i in range(a, b))
        if not named or any(b - a > 3 for a, b in spans[1:]):
            continue
        for a, b in spans:
            if not any(toks[i][0][:1].isupper() or any(ch.isdigit() for ch in toks[i][0]) for i in range(a, b)):
                edits += [toks[i] for i in range(a, b) if toks[i][0].lower() not in _NAME_JOINS]
    for t in reversed(edits):
        text = text[:t.start()] + t[0][:1].upper() + t[0][1:] + text[t.end():]
    return text


_LABEL_HEAD = re.compile(r"\A(?:q|question) ?: ?")


def _without_restated_question(prediction: str, question: str | None) -> str:
    """An answer that opens by saying the question back, whole ("Which is colder, the Arctic or the Sahara? The Arctic
    is colder.", "Q: ... A: ..."), is read from after it: the options it says back are no guesses. An answer that is
    only the question said back stays as it is (it answers nothing)."""
    if not question:
        return prediction
    head = " ".join(prediction[:len(question) + 12].split()).lower()
    bare = _LABEL_HEAD.sub("", head)
    asked = " ".join(question.split()).lower()
    if not bare or bare[:min(24, len(asked))] not in asked:
        return prediction  # a cheap look first: the answer does not open with the question's words
    for q in dict.fromkeys((question.strip(), _without_instructions(question).strip(), _asked(question).strip())):
        flat = " ".join(q.split()).lower()
        if not flat or not bare.startswith(flat):
            continue
        said = r"\s*(?:(?:Q|Question)\s*:\s*)?" + r"\s+".join(map(re.escape, q.split())) + r"\s*"
        if q and (m := re.match(said, prediction, re.IGNORECASE)) and (rest := prediction[m.end():].strip()):
            labelled = re.match(r"\s*(?:Q|Question)\s*:", m[0], re.IGNORECASE)  # "Q: ... A: ...": "A:" is its label
            return re.sub(r"\A(?:A|Answer)\s*:\s*(?=\S)", "", rest) if labelled else rest
    return prediction


def _label(m: re.Match) -> str:
    """An answer's opening label is dropped; before a lone option letter it stays, as the cue that reads the letter as
    the pick ("Answer: B\nExplanation: ..."; "### Answer\nB) Canberra" as "Answer: B) Canberra")."""
    return "Answer: " if m["letter"] is not None else ""


_QUOTED_WHOLE = re.compile(r"\s*[\"“]([^\"“”]+)[\"”]\s*[.!]?\s*")
# a disclaimer closing the answer, in the first person: "(Note: as an AI, I can make mistakes.)", "Please note that I am
# an AI language model and my answers could contain errors." It says how sure the model is, not what it answers (and
# its "AI" is no initialism of "Alcatraz Island")
_LAST_PART = re.compile(r"(?:\s*\(([^()]*)\)|(?:(?<=[.!?])|\n)\s*([^.!?\n]+[.!?]*))\s*\Z")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|my|me)\b")
_DISCLAIMS = re.compile(r"\b(?:an? AI\b|AI (?:language )?model|language model|(?:make|makes|made) mistakes|"
                        r"contain errors|(?:be|are|is) (?:inaccurate|incorrect|wrong|outdated)|double-check|verify)",
                        re.IGNORECASE)


def _without_disclaimer(text: str) -> str:
    """``text`` without a first-person disclaimer as its last sentence or closing parenthesis."""
    m = _LAST_PART.search(text)
    part = m and (m[1] if m[1] is not None else m[2])
    if part and m.start() > 0 and _FIRST_PERSON.search(part) and _DISCLAIMS.search(part):
        return text[:m.start()].rstrip()
    return text


# where an option or the answer is the letter "I", the pronoun before a verb of thinking or saying, or in "I'm",
# "I've", "I'd", "I'll", is no letter I: "I think it is Fe." picks no option "(D) I" (iodine)
_LETTER_I = re.compile(r"(?<![\w'’])I(?![\w'’])")
_PRONOUN_I = re.compile(r"(?<![\w'’])I(?=\s+(?:" + "|".join(sorted(_PRONOUN_VERBS)) + r")\b|['’](?:m|ve|d|ll)\b)")
# what a chat model writes around its answer, which says nothing about it: markdown bold ("**Rome**", "**The answer
# is: a**"), a label opening the answer ("Answer: A pentagon has 5 sides.", "**Final answer:** 42", "The answer is:
# A solid ..."; "The answer is Paris" without the colon is a sentence, and stays), a courtesy
# opening it ("Sure! ...", "Great question. ...") or closing it ("... I hope this helps!", "Let me know if ...").
# Assent that may answer a yes/no question ("Of course!", "Certainly.") is kept.
_EMPHASIS = re.compile(r"(?<!\d)\*\*|\*\*(?!\d)|(?<!_)__(?!_)")  # not "2**10", a power; not "____", a blank
_ANSWER_LABEL = re.compile(r"\A\s*(?:#{1,6}[ \t]*)?(?:the\s+)?(?:(?:final|short|correct|my)\s+)?(?:answer|response)"
                           r"(?:[ \t]*:|[ \t]*\n|\s+is[ \t]*:)\s*(?=\S)(?P<letter>(?=[A-Ha-h][ \t]*(?:[.):\n]|\Z)))?", re.IGNORECASE)
_COURTESY_OPEN = re.compile(r"\A\s*(?:sure(?: thing)?|okay|ok|alright|all right|(?:a\s+)?(?:great|good) question|"
                            r"well|hmm+|um+|uh+|oh|ah|so|now|let(?:'s| me) see)\s*[!.,…]+\s+(?=\S)", re.IGNORECASE)
_COURTESY_CLOSE = re.compile(r"(?:(?<=[.!?])|\n)\s*(?:(?:I\s+)?hope\s+(?:this|that|it)\s+(?:helps|answers|clarifies)|"
                             r"let\s+me\s+know\s+if|feel\s+free\s+to|is\s+there\s+anything\s+else|"
                             r"(?:thank\s+you|thanks)\s+for\s+(?:asking|your\s+question)|"
                             r"have\s+a\s+(?:great|good|nice)\s+day)"
                             r"[^\n]*\Z", re.IGNORECASE)


def _without_end(pattern: re.Pattern, text: str, window: int = 1000) -> str:
    """``text`` without what ``pattern`` (anchored at the end: a courtesy closing it, an emoji) matches, looked for in
    its last ``window`` characters: such a pattern may open at every newline or symbol, so over a run of thousands of
    them it would cost seconds."""
    start = max(0, len(text) - window)
    return text[:start] + pattern.sub("", text[start:])


# pictographs closing an answer ("Paris. 😊"), and a lone bullet opening an answer of one line ("- Paris")
_EMOJI = "\U0001F1E6-\U0001F1FF\U0001F300-\U0001FAFF\uFE0F"
_EMOJI_TAIL = re.compile(rf"(?<=\S)[\s{_EMOJI}\u2600-\u27BF\u200D]*[{_EMOJI}]+[\s{_EMOJI}\u2600-\u27BF\u200D]*\Z")
# a final answer given after the working, as reasoning models give it ("... so 6 x 7 is 42.\n\nFinal answer: 42",
# "**Final Answer:** 42", "The final answer is 42.", GSM8K's "#### 42"): what follows the last such label is the answer
_FINAL_LABEL = re.compile(r"(?:(?<=[.!?:)])[ \t]+|\n[ \t]*)(?:(?:#{1,6}|>|[-*])[ \t]*)?"
                          r"(?:(?:so|therefore|thus|hence),?\s+)?(?:(?:the\s+)?final\s+answer(?:\s+is)?|answer)"
                          r"[ \t]*(?::|(?<=is)\b)\s*(?=\S)"
                          r"|\n[ \t]*####[ \t]*(?=\S)", re.IGNORECASE)
_LONE_BULLET = re.compile(r"\A\s*[-*•]\s+(?=\S[^\n]*\Z)")


def _first_item(text: str) -> str:
    """A lone first item marker ("1. Portugal has ...", "1) Germany") numbers a list that never goes on: no number 1."""
    return _FIRST_ITEM.sub("", text) if not _SECOND_ITEM.search(text) else text


_FIRST_ITEM = re.compile(r"^1[.)]\s+(?=[A-Z])")
_SECOND_ITEM = re.compile(r"(?m)^\s*2[.)]\s")


def _line_list(text: str) -> tuple[str, str] | None:
    """An answer written as a list, one short item (1-4 words, not a sentence) a line, with or without bullets
    ("- Paris\\n- Lyon", "1) 8\\n2) 6"), perhaps under a heading that ends with ":" : the same list on one line,
    joined by "or" (a choice left open, as "Paris or Lyon" is), and by commas (for a gold that is a list: "solid,
    liquid and gas" is said by three lines). None for any other answer."""
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    head = lines.pop(0) if len(lines) > 2 and lines[0].endswith(":") else ""
    items = [_BULLET.sub("", x).strip() for x in lines]
    # an item of three or more words that ends a sentence is one ("It ended in 1945."): a line of reasoning, no item
    if len(items) < 2 or any(len(normalize(x).split()) >= 3 and x.endswith((".", "!", "?")) for x in items):
        return None
    items = [x.rstrip(".;,") for x in items]
    if any(not 1 <= len(normalize(x).split()) <= 4 or re.search(r"[.!?;:](?!\d)", x) for x in items):
        return None
    return f"{head} {', '.join(items[:-1])} or {items[-1]}".strip(), f"{head} {', '.join(items)}".strip()


# quoted options joined by "or" (commas allowed): "Which is correct: 'occurred' or 'occured'?"
_QUOTE_SPAN = re.compile(r"(?<!\w)['‘\"“](?=\S)(.+?)(?<=\S)['’\"”](?!\w)")
_OPTION_JOIN = re.compile(r"\s*(?:,\s*(?:or\s+)?|or\s+)", re.IGNORECASE)
_OPTION_TOKENS = [f"quotedoption{c}" for c in "abcdefgh"]


def _light(text: str) -> str:
    """Lower case, one kind of apostrophe, single spaces: how a quoted word is compared when the question is about
    the word itself ("colour" is not "color" there, nor "a hour" "an hour")."""
    return " ".join(text.lower().replace("’", "'").replace("‘", "'").split()).strip(" .,;:!?")


# a claim put for a verdict in other words than yes/no: "Fact or myth: goldfish have a three-second memory."
_VERDICT_Q = re.compile(r"^\s*(fact|true|right|correct|agree)\s+or\s+(myth|fiction|false|wrong|incorrect|disagree)"
                        r"\s*[:?.!\u2013\u2014-]\s*(\S.*)$", re.IGNORECASE | re.DOTALL)
_VERDICT_NO = {"myth": r"myths?|(?:a )?(?:common )?misconceptions?", "fiction": r"fiction(?:al)?", "false": r"false",
               "wrong": r"wrong", "incorrect": r"incorrect", "disagree": r"disagree"}


def _verdict_question(prediction: str, question: str | None, answers: list) -> tuple[str, str | None, list]:
    """A claim put for a verdict ("Fact or myth: ...", "Right or wrong: ...", "Agree or disagree: ...") whose accepted
    answer is one of the two words is a yes/no question about the claim: the gold becomes yes or no, the question
    "Is it true that <claim>?", and the answer's verdict words ("It's a myth", "a common misconception", "Fact:")
    true or false; an answer that states the claim says yes, as for any yes/no question. ("The fact that ..." and
    "in fact" are no verdict.)"""
    m = _VERDICT_Q.match(question or "")
    golds = {str(a).strip().lower() for a in answers}
    if not m or not golds or not golds <= {m[1].lower(), m[2].lower()} or len(golds) != 1:
        return prediction, question, answers
    yes, no = m[1].lower(), m[2].lower()
    text = re.sub(rf"(?i)\b(?:{_VERDICT_NO[no]})\b", "false", prediction)
    text = re.sub(rf"(?i)(?<!\bin )\b{yes}\b(?!\s+that\b)", "true", text)
    return text, f"Is it true that {m[3].strip().rstrip('.?!')}?", ["yes" if golds == {yes} else "no"]


def _quoted_choice(prediction: str, question: str | None,
                   answers: list) -> tuple[str, str | None, list, list[list[str]]]:
    """A choice among quoted words or phrases ("Which is correct: 'occurred' or 'occured'?", "Is it spelled
    'accommodate' or 'accomodate'?", "Fill in the blank with 'their', 'there' or 'they're': ..."), where an accepted
    answer is one of them: the question is about the words as written, so each option, in the question and the
    answer, quoted or not, is put by a token of its own before anything is normalised (spellings, articles and
    number words would make "colour" and "color", or "a hour" and "an hour", one). Returns the rewritten prediction,
    question and answers and the options' tokens ([] and the inputs unchanged when the question offers no such
    choice)."""
    if not question or sum(question.count(q) for q in "'\"‘’“”") < 4:
        return prediction, question, answers, []
    spans = list(_QUOTE_SPAN.finditer(question))
    chain: list = []
    for m in spans:  # the longest run of quoted spans with only ",", "or", ", or" between them, one "or" at least
        if chain and _OPTION_JOIN.fullmatch(question[chain[-1][-1].end():m.start()]):
            chain[-1].append(m)
        else:
            chain.append([m])
    runs = [c for c in chain if len(c) >= 2 and any(re.search(r"(?i)\bor\b", question[a.end():b.start()])
                                                     for a, b in zip(c, c[1:]))]
    if not runs:
        return prediction, question, answers, []
    run = max(runs, key=len)[: len(_OPTION_TOKENS)]
    opts = [_light(m[1]) for m in run]
    golds = [_light(str(a)) for a in answers]
    if len(set(opts)) < len(opts) or not set(golds) & set(opts) or not all(o and len(o.split()) <= 6 for o in opts):
        return prediction, question, answers, []
    if all(re.fullmatch(r"[-+]?\d+(?:[.,]\d+)*", o) for o in opts):
        return prediction, question, answers, []  # numbers ("'9', '11' or '15'"): "eleven" says 11, as anywhere
    token = dict(zip(opts, _OPTION_TOKENS))
    q = question[: run[0].start()] + " or ".join(token[o] for o in opts) + question[run[-1].end():]
    text = prediction.replace("’", "'").replace("‘", "'")
    for o in sorted(opts, key=len, reverse=True):  # "whom" before "who"; a word, not a part of one ("it" in "it's")
        text = re.sub(r"(?<!\w)(?<!\w')" + re.escape(o) + r"(?!\w)(?!'\w)", f" {token[o]} ", text, flags=re.IGNORECASE)
    return text, q, [token.get(g, a) for g, a in zip(golds, answers)], [[token[o]] for o in opts]


def is_correct(prediction: str | None, answers: Iterable, question: str | None = None,
               competitors: Collection[str] | None = None, max_extra_words: int = MAX_EXTRA_WORDS) -> bool:
    """True when ``prediction`` states one of ``answers`` (see the module docstring for the rule).

    Args:
        prediction: the model's answer text (None/empty: wrong).
        answers: accepted aliases (any JSON scalars; compared after ``normalize``).
        question: the question; its words are echo, not extra words, and an alias it already
            contains must be said again by the answer.
        competitors: *normalized* accepted answers of other questions of the same kind.
        max_extra_words: words beyond alias, echo and filler that one clause of the answer may carry.
    """
    if prediction is None:
        return False
    prediction, given = _plain_spaces(str(prediction)), _plain_spaces(question) if question else question
    answers = _recased([_gold_text(a) if isinstance(a, str) else a for a in answers])
    prediction = _cased_like_the_question(prediction, given, answers)
    question = _cased_as_said(_without_instructions(given), prediction) if given else given
    prediction = _without_restated_question(prediction, given)
    prediction, question, answers = _verdict_question(prediction, question, answers)
    prediction, question, answers, quoted_options = _quoted_choice(prediction, question, answers)
    prediction = _answer_part(prediction, first_item=False)
    if _LETTER_I.search(question or "") and (any(str(a).strip() == "I" for a in answers) or "I" in (
            v.strip() for v in _lettered(question)[1].values())):
        prediction = _PRONOUN_I.sub("", prediction)  # an option or the answer is the letter I: "I think" is no pick
    asked = _asked(question) if question else question
    if asked == question and question:
        asked = _asked_after_passage(question, answers)
    passage = frozenset(normalize(question).split()) if asked != question else frozenset()
    before = ""  # the passage's text
    if passage:
        before = question[:question.rfind(asked)] if asked in question else question
    question = asked
    if question:  # numbered options: a first "1." may be the pick, so it is read before a list's mark is dropped
        question, prediction, answers = _numbered(question, prediction, list(answers))
    prediction = _first_item(prediction)
    listed = None
    if "\n" in prediction and (lined := _line_list(prediction)):  # "- Paris\n- Lyon" is "Paris or Lyon"
        prediction, listed = lined
    text = _ENUMERATION.sub("; ", _written(prediction)) if _enumerates(prediction) else _written(prediction)
    text = _NATIONALITY_PAIR.sub(r"\1\2", text)  # "a Mexican-American artist" is no Mexican one: one word
    if _CODE_CHAIN.search(text) and any(_NUMERIC.fullmatch(normalize(a)) for a in answers):  # "112-123-123": a code
        text = _CODE_CHAIN.sub(lambda m: m[0] if _DATE_CHAIN.fullmatch(m[0]) or any(
            normalize(m[0]) == normalize(a) for a in answers) else "code", text)
    if question and _COUNTS_TIMES.search(question):  # "How many times ...?" / "How often ...?": "once" is 1 time
        text = re.sub(r"\bonce\b", "one time", text, flags=re.IGNORECASE)
    answers = list(answers)
    q_first = normalize(question).split()[:1] if question else []
    if q_first and q_first[0] in _AUXILIARY and answers and all(isinstance(a, str) and _YN_GOLD.fullmatch(a) for a in answers):
        answers = [_YN_GOLD.fullmatch(a)[1].lower() for a in answers]  # "No, Canberra is." answers "Is Sydney ...?": no
    answers += _alternatives(answers)
    answers += _intensified(answers)
    answers += _subjectless(answers)
    answers += _people_nouns(answers, question)
    answers += _years_within(answers, question)
    answers += _fraction_values(answers, question, text)
    answers += _percent_forms(answers, text)
    answers += _range_forms(answers)
    # "about 8 minutes" is said by "8 minutes" (and so by "approximately 8 minutes and 30 seconds")
    answers += [m[1] for a in answers if isinstance(a, str) and (m := _APPROX.fullmatch(a)) and m[1] not in answers]
    text_words = normalize(text)
    answers += _within_ranges(answers, text_words, question)
    answers += _years_of_dates(answers, question, text_words)
    answers += _month_day_golds(answers, question)
    answers += _slash_dates(answers, text, question)
    answers += _year_spans(answers, text, question)
    answers += _measure_forms(answers, text_words, question)
    unit = _asked_unit(question)
    answers += _asked_unit_forms(answers, unit)
    answers += _initialisms(answers, text, question)
    answers += _misspelt(answers, text_words, question, competitors)
    answers += _force_adjectives(answers, text_words, question)
    # a disambiguation in brackets (TriviaQA's "Mercury (planet)", "Bishop (chess)") is not said by the answer
    answers += [m[1] for a in answers if (m := _BRACKETED.fullmatch(str(a).strip()))]
    answers += [adj for a in answers if (adj := _CONTINENT_ADJECTIVE.get(normalize(a)))]
    answers += _greek_forms(answers)
    answers += _latin_class_forms(answers, text_words)
    answers += _verb_golds(answers, question)
    if question and _ASKS_COUNTRY.search(question):
        answers += _country_adjective_forms(answers, question, text_words)
    letters = {m[1].upper() for a in answers if (m := _LETTER.fullmatch(str(a).strip()))}
    stem, lettered = _lettered(question) if question else ("", {})
    if lettered:  # gold given as an option's text also names its letter, and a letter its text
        golds_n = {normalize(a) for a in answers}
        letters |= {k for k, v in lettered.items() if normalize(v) in golds_n}
    if lettered and (cue := _A_CUE.match(text)) and any(normalize(cue[1]) == normalize(v) for v in lettered.values()):
        text = cue[1]  # "A: Africa", an option's text after the "A:" answer cue (as in "Q: ... A: ..."), is that option
    if lettered and (alone := re.fullmatch(r"\s*\(?([A-Ha-h])[.):]?\s*", text)) and letters:  # the letter alone: "b"
        return alone[1].upper() in letters
    if lettered and _options_echoed(text, lettered):
        return False  # "A) sand (B) nectar (C) water (D) leaves": the options said back, in any order, pick none
    if letters and (said := _MC.search(text)) is not None:  # a multiple-choice answer: the first option named
        return next(g for g in said.groups() if g).upper() in letters
    if letters and lettered and any(k in lettered for k in letters):
        # no letter said: the answer names an option by its text ("The Red Planet is Mars."); the other options
        # are its competitors, and the stem alone is the echo (the option list would make every option an echo)
        texts = [lettered[k] for k in letters if k in lettered]
        others = {normalize(v) for k, v in lettered.items() if k not in letters} - {normalize(t) for t in texts}
        # a statement before the asking sentence that names the options ("The trophy doesn't fit into the suitcase
        # because it is too large. What is too large?", Winogrande) is a passage: naming one of them is a pick
        said = re.split(r"(?<=[.!])\s+(?=[A-Z])", stem)
        if len(said) > 1 and said[-1].rstrip().endswith("?") and all(
                _runs(normalize(" ".join(said[:-1])).split(), normalize(v).split()) for v in lettered.values()):
            stem = " ".join(said[:-1]) + "\nQuestion: " + said[-1]
        return is_correct(prediction, texts + [a for a in answers if not _LETTER.fullmatch(str(a).strip())],
                          stem, frozenset(others | set(competitors or ())), max_extra_words)
    if letters and not lettered:  # a letter, no lettered options ("Which vowel comes first?": "It is 'a'.")
        if _letter_said(text, letters):
            return True
        if all(_LETTER.fullmatch(str(a).strip()) for a in answers):
            return False  # only letters accepted: the word rules below would read "a" as an article
    pred = normalize(text).split()
    if not pred:  # only symbols ("#", "`%`."): a symbol gold may be said so
        return any(not normalize(a) and _symbol_said(prediction, str(a), question) for a in answers)
    q_words = normalize(question).split() if question else []
    echo = set(q_words) | FILLER | {u for w in q_words for u in _UNIT_WORDS.get(w, "").split()} | _verb_forms(q_words)
    norm_golds = [normalize(a).split() for a in answers]
    clauses = _clauses(text, norm_golds, one=bool(_ONE_ASKED & set(q_words)))
    norm_answers = {normalize(a) for a in answers}
    if norm_answers and norm_answers <= _YES | _NO:  # a yes/no question (also booleans: "true"/"false")
        q_names = _name_runs(_written(question or ""), True)
        said = None
        if fix := list(_YN_CORRECTION.finditer(text)):  # "both from England, but the Stones are actually from
            tail = text[fix[-1].end():]  # Scotland": a correction that answers takes back what came before it
            one = [w for w in q_words if w not in ("both", "all", "each")]  # it may correct one of "both"
            said = _polarity(normalize(tail).split(), one, asks=False, swapped=(q_names, _name_runs(tail, False)))
        if said is None:  # an answer that is itself a question: "?" at its end, or the question's opening words in
            # the question's order ("Does water freeze at 0 degrees Celsius." for "Does water freeze ...?"): no statement
            asks = text.rstrip().endswith("?") or (len(pred) > 1 and pred[0] in _AUXILIARY and pred[:2] == q_words[:2])
            said = _polarity(pred, q_words, asks=asks, swapped=(q_names, _name_runs(text, False)))
        return said is not None and any((a in _YES) == said for a in norm_answers)
    if _credited_elsewhere(text, q_words, frozenset(w for g in norm_golds for w in g),
                           bool(question) and _PERSON_Q.search(question) is not None):
        return False
    if _relation_reversed(text, q_words, norm_golds):  # "Nevada lies west of California." for "... west of Nevada?"
        return False
    if not lettered and _given_to_another(text, question, norm_golds, lambda name: is_correct(
            name, answers, question, competitors, max_extra_words)):  # "Paris is pretty, but the capital is Lyon."
        return False
    options = quoted_options or _options(question, norm_golds) or _bare_options(q_words, norm_golds)
    # the question's unit said once for all its numbers ("300, 3,000, or 300,000 kilometers per second"): the option
    # is the number
    options = [next((g for g in norm_golds if g and len(g) < len(o) and o[:len(g)] == g
                     and _NUMERIC.fullmatch(" ".join(g))), o) for o in options]
    if options and any(g in options for g in norm_golds):  # "Which is larger, the Sun or the Earth?": a choice
        if text.rstrip().endswith("?") and pred[0] in _AUXILIARY | _QUESTION_START:
            return False  # the question asked back ("Was Picasso Spanish?"): no pick
        if _comma_options(question):  # "A, B, C, D" (no "or"): an answer that names two of them picks none
            named = {k for c in clauses for k, o in enumerate(options) for i in _runs(c[0], o) if not _negated(c[0], i)}
            if len(named) != 1:
                return False
        chosen = _chosen(clauses, options, q_words)
        return chosen is not None and chosen in norm_golds
    raw = text.lower()
    golds, found = [], False
    alias_words = frozenset(w for a in answers for w in normalize(_HYPHEN.sub(" ", str(a))).split())
    closed = _clauses(_HYPHEN.sub("", text), norm_golds) if _HYPHEN.search(text) else []  # "Spider-Man" -> "SpiderMan"
    long_names = _long_names(question)
    quoted = _quoted_words(question)
    # accepted answers, each also by its short forms: "the Pacific and the Atlantic" names two oceans
    shorts = [_short_forms(str(a), question) for a in answers]  # once per alias: the loop below reads them too
    accepted = norm_golds + [short for forms in shorts for short, _ in forms]

    def states(clause, gold: list[str]) -> bool:
        return _clause_states(clause, gold, q_words, echo, max_extra_words, alias_words, passage, long_names, accepted,
                              quoted, sides=not competitors)  # with competitors, the other side is a rival already

    ordered = bool(question) and _ASKS_ORDER.search(question) is not None
    respective = bool(question) and _RESPECTIVE.search(question) is not None
    for alias, alias_shorts in zip(answers, shorts):
        gold = normalize(alias).split()
        if not gold:  # a symbol ("#", "%", "&"): normalisation drops punctuation, so it is read as written
            found = found or _symbol_said(prediction, str(alias), question)
            continue
        # a list: its items in any order, no more, no fewer; in the gold's order where the question asks for an order
        # (then the question's own list may be the right order, said back)
        if (items := _gold_items(alias)) and (ordered or not _runs(q_words, gold)):
            if _apportioned(text, _item_subjects(question, items)):  # said subject by subject: only part by part
                found = found or _states_apart(text, str(alias), items, question, competitors, max_extra_words,
                                               is_correct)
                golds.append(" ".join(gold))
                continue
            found = found or _states_list(listed or text, items, echo, max_extra_words, question, ordered,
                                          respective)
            found = found or (bool(question) and not ordered and _states_apart(text, str(alias), items, question,
                                                                               competitors, max_extra_words, is_correct))
            if len(items) > 2:  # two items ("Bosnia and Herzegovina") may also be one name: the rules below too
                golds.append(" ".join(gold))
                continue
        golds.append(" ".join(gold))
        if _HYPHEN.search(str(alias)):  # "Spider-Man" is also written "Spiderman"
            joined = normalize(_HYPHEN.sub("", str(alias))).split()
            golds.append(" ".join(joined))
            found = found or any(states(c, joined) for c in clauses)
        if _weak(gold):  # only the alias alone, or written as given (".is"), counts
            found = found or pred == gold or (not str(alias).isalpha() and re.search(
                rf"(?<![\w.]){re.escape(str(alias).lower())}(?!\w)", raw) is not None)
        else:
            found = found or any(states(c, gold) for c in clauses + closed)
        # the whole alias said in one clause keeps its own verdict: "Buzz Aldrin and Neil Armstrong" is a hedge,
        # not right by "Armstrong" alone
        said_whole = any(_runs(c[0], gold) for c in clauses)
        for short, surname in alias_shorts:
            golds.append(" ".join(short))
            if found or said_whole or (surname and _other_person(text, surname, set(gold))):
                continue
            found = any(states(c, short) for c in clauses)
    # a number asked for in words ("How do you write 12 in words?"): "12" does not say "twelve", and "twelve" is no
    # echo of the question's "12" (normalize reads both as 12)
    worded = ([_letters_only(a) for a in answers
               if re.search(r"[^\W\d_]", str(a)) and _NUMERIC.fullmatch(normalize(a))]
              if question and _ASKS_WORDS.search(question) else [])
    if question and _ASKS_NOTATION.search(question) and any(_SCIENTIFIC.search(_notation(a)) for a in answers):
        if not _SCIENTIFIC.search(_notation(prediction)):
            return False  # "Write 5,000 in scientific notation.": "5000" does not write it so
        if not found and (masked := re.sub(r"\d+", "#", question)) != question:
            return is_correct(prediction, answers, masked, competitors, max_extra_words)
    if worded:
        said = f" {_letters_only(text)} "
        if not any(f" {w} " in said for w in worded):
            return False
        if not found and (masked := re.sub(r"\d+", "#", question)) != question:
            return is_correct(prediction, answers, masked, competitors, max_extra_words)
    # a number asked for in digits ("Write one thousand in digits."): "one thousand" does not write it so, and "1000"
    # is no echo of the question's words
    digits = ({normalize(a) for a in answers if re.search(r"\d", str(a)) and _NUMERIC.fullmatch(normalize(a))}
              if question and not worded and _ASKS_DIGITS.search(question) else set())
    if digits:
        if not any(normalize(t) in digits for t in re.findall(r"\d[\d,.]*\d|\d", text)):
            return False
        masked = _NUMBER_WORD_RUN.sub(lambda m: m[0] if m[0].strip(" -").lower() in ("a", "an", "and") else "# ",
                                      question)
        if not found and masked != question:
            return is_correct(prediction, answers, masked, competitors, max_extra_words)
    if question and _ASKS_DATE_FORMAT.search(question):
        if not _date_format_said(answers, prediction):  # as written: ``text`` reads "1776-07-04" as a date in words
            return False  # "What is July 4, 1776 in YYYY-MM-DD format?": "July 4, 1776" said back is not in it
        masked = re.sub(rf"(?i)\b(?:{_MONTH_ALT})\b", "#", question)  # the question's date in words is no echo of it
        if not found and masked != question:
            return is_correct(prediction, answers, masked, competitors, max_extra_words)
    if found and question and _whole_for_part(question, normalize(text)):
        return False
    # an ordinal asked for ("What is the ordinal form of the number 3?"): "3" does not say "third" or "3rd"
    if found and question and re.search(r"\bordinal\b", question, re.I):
        ordinal = {normalize(a) for a in answers if _ORDINAL_SAID.fullmatch(str(a).strip())}
        if ordinal and not any(normalize(m[0]) in ordinal for m in _ORDINAL_SAID.finditer(text)):
            return False
    if found and question and _ASKS_INFLECTION.search(question):  # "What is the plural of 'cat'?": "cat" is no answer
        found = any(f" {' '.join(g)} " in f" {' '.join(pred)} " for g in norm_golds if g)
    found = found or _none_said(pred, q_words, norm_answers)
    found = found or (bool(question) and _DESCRIPTION_Q.match(question) is not None and _describes(pred, answers, q_words))
    if not found or _contradicts_date(" ".join(pred), answers) or _dumps_passage(pred, before, norm_golds):
        return False
    if _bare_guesses(text, q_words, accepted):  # "Lyon. Paris.", "Lyon? Paris?"
        return False
    if _only_beside(text, q_words, norm_golds):  # "Oslo is in Sweden, near Norway."
        return False
    if _counted_otherwise(text, question, norm_golds):  # "Six legs. Spiders are arachnids with 8 eyes."
        return False
    if _unit_conflict(pred, answers, unit):  # "-273.15 Kelvin" for "What is absolute zero in degrees Celsius?"
        return False
    if question and (asked := _COUNT_ASKED.match(question)) and _too_few(pred, answers, question, asked):
        return False  # "Name two planets closer to the Sun than Earth.": "Venus and Earth" names one
    # a worked answer to a number question ("so he has 5 + 3 = 8 apples") is judged by the result its arithmetic ends
    # on: a chain that goes past the right value ("12 * 3 = 36 eggs. 3 boxes contain 3 * 3 = 9 eggs") is not right
    gold_numbers = [_number(normalize(a).split()) for a in answers]
    if "=" in prediction and gold_numbers and None not in gold_numbers \
            and (result := _chain_result(prediction, _question_numbers(question))) is not None:
        if not any(abs(result - g) <= 1e-9 * max(1.0, abs(g)) for g in gold_numbers):
            return False
    built_in = not competitors  # a closed class's rivals: one compared with the answer is no rival
    corrected_from = 0
    if built_in and (fixes := list(_CORRECTION.finditer(" ".join(pred)))):
        corrected_from = len(" ".join(pred)[:fixes[-1].end()].split())
    competitors = competitors or _closed_class(golds)
    if competitors:
        q_text = f" {' '.join(q_words)} "
        spans = _competitor_spans(pred, competitors)
        said_at = min((i + len(g.split()) for g in golds if g for i in _runs(pred, g.split())), default=len(pred)) \
            if spans else len(pred)
        described = next((k for k in range(said_at, len(pred)) if pred[k] in _DESCRIBES_IT), len(pred))
        for span in spans:
            name = " ".join(pred[i] for i in span)
            if f" {name} " in q_text or any(f" {name} " in f" {g} " for g in golds):
                continue  # echoes the question, or is (part of) an accepted alias
            if _negated(pred, span.start):
                continue  # denied, as rule 4 reads a denied alias: "Canberra, not Sydney"
            if span.start >= described:
                continue  # in what the answer goes on to say of it: "Peru, which borders Chile"
            if built_in and span.start and pred[span.start - 1] in _COMPARED:
                continue  # "Mercury, closer than Venus", "in Africa, near Asia", "the fourth planet after Earth"
            if built_in and span.start < corrected_from:
                continue  # taken back by a correction: "Mars, but I would say it's Mercury."
            if _other_relation(name, pred, text, question):
                continue  # "The largest planet is Jupiter, and the smallest planet is Mercury."
            return False
    return not (question and _opposite_given(golds, text, question))  # "Jupiter is the smallest planet."


# names of a closed class: where every accepted answer is one of them, the others are its rivals (as world facts
# passes the other continents)
_CLASSES = (frozenset({"africa", "asia", "europe", "antarctica", "oceania", "north america", "south america"}),
            frozenset("mercury venus earth mars jupiter saturn uranus neptune".split()))


_COMPARED = frozenset("than near after before beyond past from like unlike besides except between beside nor".split())


def _closed_class(golds: Sequence[str]) -> frozenset[str]:
    for members in _CLASSES:
        if any(g in members for g in golds):
            return members - set(golds)
    return frozenset()


# superlatives that say the same ("biggest" for the question's "largest"), and ordinals that qualify one ("the second
# largest"): a clause with another ("the smallest", "the second largest", "the most massive") is about another relation
_SAME_SUPERLATIVE = {w: k for k, g in enumerate((
    "largest biggest greatest", "smallest tiniest littlest", "highest tallest", "lowest", "longest", "shortest",
    "closest nearest", "farthest furthest", "hottest warmest", "coldest coolest", "oldest eldest", "youngest newest",
    "heaviest", "lightest", "brightest", "darkest", "fastest quickest", "slowest", "deepest", "shallowest", "densest",
    "widest broadest", "narrowest", "driest", "wettest", "richest", "poorest", "best", "worst", "first", "last")) for w in g.split()}
_ORDINAL_WORD = frozenset("second third fourth fifth sixth seventh eighth ninth tenth 2nd 3rd 4th 5th 6th 7th 8th 9th 10th".split())
_RELATION_CLAUSE = re.compile(r"[.;:!?](?:\s+|\Z)|,\s*|\s+(?:and|while|whereas|but|although)\s+|\n", re.IGNORECASE)


def _superlatives(text: str) -> set[tuple[str, int | str]]:
    """The superlatives a text says, each as (the ordinal before it or "", its sense): "the second largest planet" ->
    {("second", 0)} (0: the sense of "largest", "biggest"), "the most massive" -> {("", "most massive")}."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    said = set()
    for i, w in enumerate(words):
        sense = _SAME_SUPERLATIVE.get(w)
        if w in ("most", "least") and i + 1 < len(words) and words[i + 1] not in ("of", "the", "a", "an"):
            sense = f"{w} {words[i + 1]}"
        if sense is not None:
            before = [x for x in words[max(i - 2, 0):i] if x != "the"]
            said.add((before[-1] if before and before[-1] in _ORDINAL_WORD else "", sense))
    return said


_OPPOSITE_SUPERLATIVE = {(_SAME_SUPERLATIVE[a], _SAME_SUPERLATIVE[b]) for pair in (
    "largest smallest", "highest lowest", "tallest shortest", "longest shortest", "closest farthest", "hottest coldest",
    "oldest youngest", "heaviest lightest", "brightest darkest", "fastest slowest", "deepest shallowest",
    "widest narrowest", "driest wettest", "richest poorest", "best worst", "first last") for a, b in [pair.split()]}


def _opposite_given(golds: Sequence[str], text: str, question: str) -> bool:
    """Is every clause that names an accepted answer one that gives it the opposite superlative of the question's
    ("Jupiter is the smallest planet." for "What is the largest planet?", "the least dense" for "the most dense")?"""
    asked = _superlatives(question)
    if not asked:
        return False
    opposite: set[tuple[str, int | str]] = set()
    for o, s in asked:
        if isinstance(s, str):  # "most dense" <-> "least dense"
            most, what = s.split(" ", 1)
            opposite.add((o, ("least " if most == "most" else "most ") + what))
        else:
            opposite |= {(o, b if a == s else a) for a, b in _OPPOSITE_SUPERLATIVE if s in (a, b)}
    holding = [c for c in _RELATION_CLAUSE.split(text) if any(g and f" {g} " in f" {normalize(c)} " for g in golds)]
    return bool(holding) and all((said := _superlatives(c)) and said & opposite and not said & asked for c in holding)


def _other_relation(name: str, pred: Sequence[str], text: str, question: str | None) -> bool:
    """Is every mention of ``name`` (normalised) in a clause that gives another superlative than the question asks
    ("What is the largest planet?": "..., and the smallest planet is Mercury", "The second largest is Saturn")? Such
    a name is no rival of the answer: it answers another question."""
    asked = _superlatives(question) if question else set()
    if not asked:
        return False
    other = sum(f" {normalize(c)} ".count(f" {name} ") for c in _RELATION_CLAUSE.split(text)
                if (said := _superlatives(c)) and not said & asked)
    return other > 0 and other >= f" {' '.join(pred)} ".count(f" {name} ")


# a question that asks for a number of things ("Name two countries that border France.", "List three noble gases.",
# "Which two planets ...?"): group 1 the number, group 2 the word after it
_COUNT_ASKED = re.compile(
    r"^\W*(?:(?:please|now)\s+)?(?:name|list|give|mention|state|identify|tell me|write(?:\s+down)?|what\s+are|"
    r"which\s+are|which|can you name|could you name)\s+(?:me\s+)?(?:the\s+|any\s+|at least\s+)?"
    r"(two|three|four|five|six|seven|eight|nine|ten|[2-9]|10)\s+(\w+)", re.IGNORECASE)


def _too_few(pred: Sequence[str], answers: Sequence, question: str, asked: re.Match) -> bool:
    """Does an answer to a question that asks for n things (``_COUNT_ASKED``) name fewer than n different accepted
    answers? Each alias (and its short forms, ``_short_forms``) said is one thing, said again or by a shorter alias
    of the same thing ("John Lennon ... Lennon") still one; the question's own count said again ("Two planets ...")
    is no thing. Only where the golds are alternatives, at least n of them not lists: a gold that is itself the list
    ("Spain and Portugal") is read by ``_states_list``."""
    n = int(normalize(asked[1]))
    plain = [a for a in answers if normalize(a) and not _gold_items(a)]
    if len({normalize(a) for a in plain}) < n:
        return False
    after = normalize(asked[2]).split()[:1]
    forms = []
    for a in plain:
        words = normalize(a).split()
        forms.append((words, " ".join(words)))
        forms += [(short, " ".join(words)) for short, _ in _short_forms(str(a), question)]
    spans = sorted(((i, i + len(w), ident) for w, ident in forms for i in _runs(pred, w)
                    if not (w == [str(n)] and pred[i + 1:i + 2] == after)),
                   key=lambda s: (s[0] - s[1], s[0]))  # longest first
    taken: set[int] = set()
    named: set[str] = set()
    for start, end, ident in spans:
        if not taken & set(range(start, end)):
            taken |= set(range(start, end))
            named.add(ident)
    # one thing by two of its aliases: "lennon" inside "john lennon"
    distinct = [x for x in named if not any(x != y and f" {x} " in f" {y} " for y in named)]
    return len(distinct) < n


def grade_batch(predictions: Sequence[str | None], batch: dict, n: int = 1) -> list[bool]:
    """``is_correct`` for each prediction; prediction ``k`` answers question ``k // n`` of ``batch``
    (``{"question", "answers", optional "competitors"}`` as built by ``datamodules.qa.collate``)."""
    comps = batch.get("competitors") or [None] * len(batch["question"])
    return [is_correct(p, batch["answers"][k // n], batch["question"][k // n], comps[k // n])
            for k, p in enumerate(predictions)]
