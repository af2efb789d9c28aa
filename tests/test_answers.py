import pytest

from calibmodule.answers import _asked, _cased_like_the_question, _lettered, grade_batch, is_correct, normalize


@pytest.mark.parametrize("text,expected", [
    ("The Paris.", "paris"),
    ("  São   Tomé ", "sao tome"),
    ("An apple, a pear!", "apple pear"),
    ("An apple a day", "apple 1 day"),  # "a" before a span of time is one
    ("Four", "4"),
    (".no", "no"),
    ("", ""),
    ("It is 8,849 m.", "it is 8849 m"),  # thousands separators
    ("100.0 or 3.140", "100 or 3.14"),  # a number's trailing zeros; the decimal point stays
    ("1,2,3", "1 2 3"),  # a list, not a thousands group
])
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("pred,answers,ok", [
    ("Paris", ["Paris"], True),
    ("paris.", ["Paris"], True),
    ("Lyon", ["Paris"], False),
    ("Italian Republic", ["Italy", "Italian Republic"], True),
    ("Kyiv", ["Kiev", "Kyiv"], True),
    ("Paris, Lyon, Nice, Lille, Bordeaux, Toulouse", ["Paris"], False),  # a list of guesses is not an answer
    ("", ["Paris"], False),
    (None, ["Paris"], False),
    ("...", ["Paris"], False),
    ("Paris", [""], False),
    ("Parisian", ["Paris"], False),  # word boundary
    ("four", ["4"], True),
    ("It has 4 legs", ["four"], True),
])
def test_is_correct_without_question(pred, answers, ok):
    assert is_correct(pred, answers) is ok


# sentence answers as SmolLM2-135M writes them (read from real completions)
@pytest.mark.parametrize("question,pred,answers,ok", [
    # the question's own words are echo, not extra words
    ("In which country is the city of Oslo?", "The city of Oslo is located in Norway.", ["Norway"], True),
    ("What is the demonym for people from Turkmenistan?", "The demonym for people from Turkmenistan is Turkmen",
     ["Turkmen"], True),
    ("On which continent or world region is Ukraine?", "On the continent of Europe, Ukraine is a member of the",
     ["Europe"], True),
    ("What is the international calling code of Norway?", "The international calling code of Norway is 123456.",
     ["47", "+47"], False),
    # the alias is in the question: the answer must say it again, not just echo it
    ("Guatemala City is the capital of which country?", "Guatemala City is the capital of Guatemala.",
     ["Guatemala"], True),
    ("Which country has Kuwait City as its capital?", "The answer is: Kuwait City.", ["Kuwait"], False),
    ("What is the capital of Luxembourg?", "Luxembourg", ["Luxembourg"], True),
    ("What is the capital of Luxembourg?", "The capital of Luxembourg is Paris.", ["Luxembourg"], False),
    ("Name a country that shares a land border with Peru.", "The country that shares a land border with Peru is Peru.",
     ["Bolivia", "Brazil"], False),
    # a plural of the alias still names it
    ("What is the demonym for people from Cayman Islands?", "The demonym for people from Cayman Islands is Caymanians.",
     ["Caymanian"], True),
    # a long ramble that happens to contain the alias is not an answer
    ("Which continent is Mongolia in?",
     "Mongolia is a landlocked country bordering Russia and China with deserts mountains steppes and Asia",
     ["Asia"], False),
])
def test_sentence_answers(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


def test_competing_candidate_of_the_same_kind_makes_it_wrong():
    capitals = {"paris", "lyon", "rome", "city of san marino", "san marino"}
    q = "What is the capital of France?"
    assert is_correct("The capital of France is Paris.", ["Paris"], q, capitals)
    assert not is_correct("It is Paris or Lyon.", ["Paris"], q, capitals)
    assert not is_correct("Paris, Rome", ["Paris"], q, capitals)
    # a competitor that is part of an accepted alias, or only echoes the question, does not count
    assert is_correct("The capital is the City of San Marino.", ["City of San Marino"],
                      "What is the capital of San Marino?", capitals)
    assert is_correct("Rome is the capital of Italy.", ["Italy"], "Rome is the capital of which country?",
                      capitals | {"italy"})
    # a competitor the answer denies is not a second candidate; an answer denied by the question's own words is wrong
    assert is_correct("Paris, not Lyon.", ["Paris"], q, capitals)
    assert is_correct("It is not Lyon but Paris.", ["Paris"], q, capitals)
    assert not is_correct("Paris is not the capital; Lyon is.", ["Paris"], q, capitals)
    assert not is_correct("Paris is not the capital of France.", ["Paris"], q)
    assert not is_correct("Paris isn't the capital.", ["Paris"], q)
    assert is_correct("Paris is not a small city, but it is the capital.", ["Paris"], q)  # a denied description


@pytest.mark.parametrize("question,pred,answers,ok", [
    ("How tall is Mount Everest in meters?", "Mount Everest is 8,849 meters tall.", ["8849"], True),
    ("What is 40 + 60?", "100", ["100.0"], True),
    ("What is pi to two decimals?", "Pi is approximately 3.14.", ["3.14"], True),
    ("What is pi rounded to an integer?", "Pi is approximately 3.14.", ["3"], False),
    ("How many continents are there?", "There are eight continents.", ["7"], False),
])
def test_numbers(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred,answers,ok", [
    ("The largest planet is Saturn, not Jupiter.", ["Jupiter"], False),
    ("Jupiter, not Saturn.", ["Jupiter"], True),
    ("It isn't Jupiter.", ["Jupiter"], False),
    ("Oslo is not in Sweden; it is in Norway.", ["Norway"], True),
    ("Oslo is not in Norway.", ["Norway"], False),
])
def test_a_denied_mention_is_not_an_answer(pred, answers, ok):
    assert is_correct(pred, answers, "Which one is it?") is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    ("Is Paris the capital of France?", "Yes, Paris is the capital of France.", ["true", "yes"], True),
    ("Is Paris the capital of France?", "Yes", ["True"], True),  # a boolean column read as text
    ("Is Paris the capital of France?", "Paris is the capital of France.", ["yes"], True),
    ("Is Lyon the capital of France?", "No.", ["false", "no"], True),
    ("Is Lyon the capital of France?", "Lyon isn't the capital of France.", ["no"], True),
    ("Is Lyon the capital of France?", "No, it is not true.", ["true", "yes"], False),  # "true" is in it
    ("Is Lyon the capital of France?", "I don't know.", ["yes"], False),
    ("Is Lyon the capital of France?", "I don't know.", ["no"], False),  # not a "no"
    ("Is Lyon the capital of France?", "Maybe not.", ["no"], False),
    ("Is the Earth flat?", "The Earth is flat.", ["no"], False),
    ("Is water made of hydrogen and oxygen?", "Is water made of hydrogen and oxygen?", ["yes"], False),  # echo
    # the question echoed with a full stop is still the question, not a statement of it
    ("Does water freeze at 0 degrees Celsius?", "Does water freeze at 0 degrees Celsius.", ["yes"], False),
    ("Did the Titanic sink in 1912?", "The Titanic sank in 1912.", ["yes"], True),
    ("Does a spider have six legs?", "A spider has six legs.", ["no"], False),
    ("Does Australia border Brazil?", "Australia does not border Brazil.", ["no"], True),
    ("Is the Earth flat?", "The capital of France is Paris.", ["no"], False),
    # the question restated with one of its names swapped for another says no
    ("Is Sydney the capital of Australia?", "The capital of Australia is Canberra.", [False], True),
    ("Is Sydney the capital of Australia?", "The capital of Australia is Canberra.", [True], False),
    ("Is Oslo in Sweden?", "Oslo is in Norway.", ["no"], True),
    ("Was Shakespeare born in London?", "William Shakespeare was born in Stratford-upon-Avon.", ["no"], True),
    ("Is Canberra the capital of Australia?", "The capital of Australia is Canberra.", ["yes"], True),
    ("Is Mount Everest the tallest mountain?", "Everest is the tallest mountain on Earth.", ["yes"], True),
    ("Is Mars bigger than Earth?", "Mars is the fourth planet from the Sun.", ["no"], False),  # not the question's frame
])
def test_yes_no_questions_are_judged_by_polarity(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("text,expected", [
    ("two hundred and six", "206"), ("twenty-one", "21"), ("one million", "1000000"), ("a hundred", "100"),
    ("1.4 billion", "1400000000"), ("Nineteen Eighty-Four", "1984"), ("one, two, three", "1 2 3"),
    ("two or three", "2 or 3"), ("the sixteenth", "16"), ("16th", "16"), ("100°C", "100 c"), ("5km", "5 km"),
    ("-40", "minus 40"), ("negative 40", "minus 40"), ("COVID-19", "covid 19"), ("1-2", "1 2"),
    (".5", "0.5"), ("-.25", "minus 0.25"), ("1/2 = .5", "1 2 0.5"), ("version 2.5.1", "version 2.5.1"),
    ("U.S.A.", "usa"), ("the US", "usa"), ("us", "us"), ("1969-07-20", "20 july 1969"),
    ("Washington, D.C.", "washington dc"), ("J. K. Rowling", "jk rowling"),
    ("St. Petersburg", "saint petersburg"), ("Mt Everest", "mount everest"), ("H₂O", "h 2 o"),
    ("July 4, 1776", "4 july 1776"), ("the 4th of July", "4 july"),
    # units after a number -> their symbol; elsewhere the word stays
    ("300,000 kilometres per second", "300000 km s"), ("300000 km/s", "300000 km s"), ("100 degrees Celsius", "100 c"),
    ("9.81 metres per second squared", "9.81 m s 2"), ("9.81 m/s²", "9.81 m s 2"), ("50 per cent", "50"),
    ("50%", "50"), ("two hours", "2 h"), ("70 mph", "70 mi h"), ("the second largest", "2 largest"),
    ("every minute", "every minute"), ("in a minute", "in 1 min"), ("It takes a day.", "it takes 1 day"),
])
def test_normalize_numbers_dates_abbreviations(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("question,pred,answers,ok", [
    ("How many bones are in the adult human body?", "It has two hundred and six bones.", [206], True),
    ("At what temperature does water boil in Celsius?", "Water boils at 100°C.", ["100"], True),
    ("At what temperature are Celsius and Fahrenheit equal?", "-40 degrees", [-40], True),
    ("At what temperature are Celsius and Fahrenheit equal?", "40 degrees", [-40], False),  # sign kept
    ("What is the value of pi?", "Pi is approximately 3.14159.", ["3.14"], True),  # rounds to the gold
    ("What is the value of pi?", "3.149", ["3.14"], False),
    ("Which continent has no countries?", "The continent with no countries is Antarctica.", ["Antarctica"], True),
    ("Which continent has no countries?", "It is not Antarctica.", ["Antarctica"], False),  # the question's "no" only
    ("How many neighbours does Portugal have?", "1. Portugal has 10000000000000", ["1"], False),  # an item marker ...
    ("How many neighbours does Portugal have?", "1. Spain is its only neighbour, so 1.", ["1"], True),
    ("What is the capital of France?", "1. Paris\n2. Lyon", ["Paris"], False),  # ... of a list that goes on
    ("What is 1/2 as a decimal?", ".5", ["0.5"], True),  # a decimal written without its 0 ...
    ("How many players are on a basketball court per team?", "About .5", ["5"], False),  # ... is not that whole number
    ("What is the value of pi?", "3.1", ["3.14"], False),  # less precise
    ("What is the value of pi to two decimal places?", "3.14159", ["3.14"], False),  # the precision asked
    ("What is the capital of the United States?", "It is Washington DC.", ["Washington, D.C."], True),
    ("Who wrote Harry Potter?", "It was written by J.K. Rowling.", ["J. K. Rowling"], True),
    ("Which city was Leningrad?", "It is St. Petersburg.", ["Saint Petersburg"], True),
    ("Which superhero was bitten by a spider?", "Spiderman", ["Spider-Man"], True),
    ("Which superhero was bitten by a spider?", "Spider-Man", ["Spiderman"], True),
    ("When was the Declaration of Independence signed?", "On July 4th, 1776.", ["4 July 1776"], True),
    ("When did the war in Europe end?", "On the 8th of May 1945.", ["May 8, 1945"], True),
    ("When did the war in Europe end?", "On the 9th of May 1945.", ["May 8, 1945"], False),
    ("Which novel did George Orwell publish in 1949?", "Nineteen Eighty-Four", ["1984"], True),
    ("Who was the sixteenth president of the United States?", "The 16th president was Abraham Lincoln.",
     ["Abraham Lincoln"], True),
    ("What is the speed of light in km per second?", "About 300,000 kilometres per second.", ["300000 km/s"], True),
    ("How tall is Mount Everest?", "It is 8,849 metres tall.", ["8849 m"], True),
    ("What is the freezing point of water in kelvin?", "It is -273.15 Kelvin.", ["273.15 K"], False),  # sign
    ("What is the freezing point of water in kelvin?", "It is 273.15 Kelvin.", ["273.15 K"], True),
])
def test_numbers_dates_and_written_forms(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred,answers,ok", [
    ("A", ["A"], True),  # "a" is also an article: a letter answer is read before normalisation
    ("B", ["A"], False),
    ("The answer is A.", ["A"], True),
    ("The answer is B.", ["A"], False),  # the options the question lists are not an echo of the answer
    ("(a) Paris", ["A"], True),
    ("A) Paris", ["a"], True),
    ("Option C is right.", ["C"], True),
    ("I think it is B) Lyon", ["B"], True),
    ("A or B", ["A"], False),
    ("A spider is not a city.", ["A"], False),
    ("The answer is a city.", ["A"], False),
    ("Paris", ["A", "Paris"], True),  # the option's text, when the data accepts it
])
def test_multiple_choice_letters(pred, answers, ok):
    assert is_correct(pred, answers, "Which city is the capital of France? A) Paris B) Lyon C) Rome") is ok


_RED = "Which planet is known as the Red Planet? (A) Venus (B) Jupiter (C) Mars (D) Saturn"
_RED_LINES = "Which planet is known as the Red Planet?\nA. Venus\nB. Jupiter\nC. Mars\nD. Saturn\nAnswer:"


@pytest.mark.parametrize("pred,answers,question,ok", [
    ("Mars", ["C"], _RED, True),  # the option's text, with a letter gold: the question lists what C is
    ("The Red Planet is Mars.", ["C"], _RED_LINES, True),  # the stem is the echo, the list is not
    ("A planet called Mars.", ["C"], _RED, True),  # "A" is an article here, not option A
    ("Venus", ["C"], _RED, False),
    ("Mars or Venus", ["C"], _RED, False),  # the other options are competitors
    ("Mars, not Venus.", ["C"], _RED, True),
    ("C", ["Mars"], _RED, True),  # a text gold accepts its letter
    ("The answer is C.", ["Mars"], _RED_LINES, True),
    ("B", ["Mars"], _RED_LINES, False),
    ("B. Mars", ["C"], _RED, False),  # a letter said decides
    ("Hamlet was written by Shakespeare.", ["B"], "Who wrote Hamlet? A) Charles Dickens B) William Shakespeare", True),
])
def test_multiple_choice_by_option_text(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


def test_lettered_options_need_a_run_from_a():
    assert _lettered(_RED_LINES) == ("Which planet is known as the Red Planet?",
                                     {"A": "Venus", "B": "Jupiter", "C": "Mars", "D": "Saturn"})
    assert _lettered("What does U.S.A. stand for?")[1] == {}
    assert _lettered("Is vitamin C. good for you?")[1] == {}
    assert _lettered("Pick one: A) only")[1] == {}


def test_a_single_letter_answer_outside_multiple_choice():
    q = "What is the chemical symbol for potassium?"
    assert is_correct("K", ["K"], q) and is_correct("The chemical symbol for potassium is K.", ["K"], q)
    assert not is_correct("The answer is P.", ["K"], q)


def test_grade_batch_maps_rollouts_to_their_question():
    batch = {"question": ["What is the capital of France?", "What is 2 + 2?"], "answers": [["Paris"], ["4"]],
             "competitors": [frozenset({"paris", "lyon"}), None]}
    preds = ["Paris", "Paris or Lyon", "four", "5"]
    assert grade_batch(preds, batch, n=2) == [True, False, True, False]


@pytest.mark.parametrize("question,pred,answers,ok", [
    # a person's surname is their name when the question asks for a person; the given name alone is not
    ("Who wrote Hamlet?", "Shakespeare wrote Hamlet.", ["William Shakespeare"], True),
    ("Who composed the Moonlight Sonata?", "Beethoven composed it.", ["Ludwig van Beethoven"], True),
    ("Which physicist developed relativity?", "Einstein.", ["Albert Einstein"], True),
    ("Who was the first president of the United States?", "President Washington", ["George Washington"], True),
    ("Who was the first president of the United States?", "George", ["George Washington"], False),
    # another person of that surname, or the surname the question already said
    ("Who was the first president of the United States?", "Martha Washington", ["George Washington"], False),
    ("Who is the author of Les Miserables?", "Hugo Chavez", ["Victor Hugo"], False),
    ("Who was the wife of George Washington?", "George Washington's wife.", ["Martha Washington"], False),
    ("Who was the first president of the United States?", "Thomas Jefferson, not Washington.",
     ["George Washington"], False),
    # not a person question: the surname rule is off
    ("What is the capital of the United States?", "Washington", ["George Washington"], False),
    # a place without its kind ("the Pacific"), unless what remains is a colour or direction ("the Dead")
    ("Which ocean is the largest?", "The Pacific is the largest ocean.", ["Pacific Ocean"], True),
    ("What is the tallest mountain?", "Everest", ["Mount Everest"], True),
    ("Which ocean is the largest?", "The Atlantic", ["Pacific Ocean"], False),
    ("Which sea is the saltiest?", "The Dead", ["Dead Sea"], False),
    # ... nor a common noun the question asks by ("Which tunnel ...?": "tunnel" names no tunnel); a name the
    # question offers stays a short form
    ("Which tunnel connects England and France?", "The tunnel connecting England and France is the Sainte-Chapelle "
     "tunnel.", ["Channel Tunnel"], False),
    ("which tunnel connects england and france", "The tunnel connecting England and France is the Foo tunnel.",
     ["Channel Tunnel"], False),
    ("Which tunnel connects England and France?", "The Channel Tunnel, opened in 1994.", ["Channel Tunnel"], True),
    ("Is the Pacific or the Atlantic Ocean larger?", "The Pacific is larger.", ["Pacific Ocean"], True),
    ("which ocean is the largest", "the pacific is the largest", ["Pacific Ocean"], True),
    # a description after the answer is not a list of guesses; before it, or in a list, words still count
    ("Who wrote the Odyssey?",
     "The Odyssey is the epic poem by Homer, written in ancient Greek, that tells the story of Odysseus' journey "
     "home after the Trojan War.", ["Homer"], True),
    ("Who wrote The Great Gatsby?", "The Great Gatsby by F. Scott Fitzgerald is a classic novel by one of the "
     "most celebrated American writers of the 20th century.", ["F. Scott Fitzgerald"], True),
    ("Which continent is Mongolia in?", "Asia, Europe, Africa, Oceania, or maybe South America", ["Asia"], False),
    ("Who wrote Hamlet?", "Shakespeare, Marlowe, Jonson, Kyd, Webster, or Bacon", ["William Shakespeare"], False),
    ("Who wrote Hamlet?", "It was written by William Shakespeare with Christopher Marlowe, Ben Jonson, Thomas Kyd "
     "and Francis Bacon", ["William Shakespeare"], False),
])
def test_names_places_and_descriptions(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # two candidates joined by "or"/"and" are a hedge, also where no same-kind competitors are known
    ("What language is spoken in Brazil?", "Spanish or Portuguese.", ["Portuguese"], False),
    ("What language is spoken in Brazil?", "Portuguese and Spanish are spoken there.", ["Portuguese"], False),
    ("In what year did World War II end?", "It ended in 1944 or 1945.", [1945], False),
    ("What is the capital of France?", "Paris or maybe Lyon is the capital.", ["Paris"], False),
    ("Who wrote Hamlet?", "It was written by Shakespeare and Marlowe.", ["William Shakespeare"], False),
    ("What language is spoken in Brazil?", "Portuguese, and it is also spoken in Angola.", ["Portuguese"], True),
    ("What is the capital of France?", "The capital is Paris and Lyon is its second city.", ["Paris"], True),
    ("What is the highest mountain?", "Mount Everest, or Sagarmatha", ["Mount Everest"], True),  # another name
    ("What colours is the flag of Japan?", "Red and white.", ["red and white"], True),
    ("Who wrote Romeo and Juliet?", "Romeo and Juliet was written by Shakespeare.", ["William Shakespeare"], True),
    # a whole name in a hedge is not made right by its surname alone
    ("Who first walked on the Moon?", "Buzz Aldrin and Neil Armstrong.", ["Neil Armstrong"], False),
    ("Who first walked on the Moon?", "Armstrong.", ["Neil Armstrong"], True),
    # a list of guesses, with no same-kind competitors known
    ("What is the capital of France?", "Paris, Lyon or Nice.", ["Paris"], False),
    ("What is the capital of France?", "The capital of France is Paris, Lyon and Marseille.", ["Paris"], False),
    ("In what year did World War II end?", "1944, 1945 or 1946.", ["1945"], False),
    ("Name a primary colour.", "Red, blue and yellow.", ["red", "blue", "yellow"], True),  # all accepted
    # "or" leaves the choice open even when the other items are not names: as "Either red or blue."
    ("Name a primary colour.", "Red, blue or yellow.", ["red"], False),
    ("Name a primary colour.", "Red, blue, or yellow.", ["red"], False),
    ("Name a primary colour.", "Either red or blue.", ["red"], False),
    ("Name a primary colour.", "Red, like blood, or fire.", ["red"], True),
    ("What is the capital of France?", "Paris, the capital of France, is its largest city.", ["Paris"], True),
    ("Which planet has the most prominent rings?", "Saturn, with rings of 17,000,000 km and more.", ["Saturn"], True),
    # a colon starts a new clause: what follows elaborates; a clause that starts with "or" and names something hedges
    ("How many continents are there?",
     "There are 7 continents: Africa, Antarctica, Asia, Australia, Europe, North America and South America.", [7], True),
    ("What is the capital of France?", "Paris. Or maybe Lyon.", ["Paris"], False),
    ("What is the capital of France?", "Paris: or Lyon", ["Paris"], False),
    ("What is the capital of France?", "Paris. Or I could be wrong.", ["Paris"], True),
    # a choice the question offers: the option picked, also by a comparison
    ("Which is larger, the Sun or the Earth?", "The Sun is larger than the Earth.", ["Sun"], True),
    ("Which is larger, the Sun or the Earth?", "The Earth is smaller than the Sun.", ["Sun"], True),
    ("Which is larger, the Sun or the Earth?", "The Earth is larger than the Sun.", ["Sun"], False),
    ("Which is larger, the Sun or the Earth?", "The Sun or the Earth.", ["Sun"], False),
    ("Which is larger, the Sun or the Earth?", "Not the Earth, the Sun.", ["Sun"], True),
    ("Which came first, World War I or World War II?", "World War I.", ["World War I"], True),
    ("Which is heavier, a kilogram of iron or a gram of feathers?",
     "A kilogram of feathers is heavier than a kilogram of iron.", ["a kilogram of iron"], False),
    ("Which is heavier, a kilogram of iron or a gram of feathers?",
     "A kilogram of feathers is 1.1 grams, while a kilogram of iron is 1.1 grams.", ["a kilogram of iron"], False),
])
def test_hedges_and_offered_choices(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


def test_options_a_question_offers():
    from calibmodule.answers import _options

    assert _options("Which is larger, the Sun or the Earth?") == [["sun"], ["earth"]]
    assert _options("Which, in your view, is better: tea or coffee?") == [["tea"], ["coffee"]]
    assert _options("What is the capital of France?") == []
    assert _options("Which is it, one of " + ", ".join(f"item {i}" for i in range(300)) + "?") == []  # no "or"
    many = _options("Which one, " + ", ".join(f"item {i}" for i in range(300)) + " or item 400?")
    assert len(many) == 301 and many[-1] == ["item", "400"]


@pytest.mark.parametrize("pred,ok", [
    ("The smallest planet is Mercury, but it's actually Mars.", False),  # the correction names another
    ("The smallest planet is Mercury, but it's actually a planet in our solar system's orbit.", True),  # names none
    ("Mars, but I would say it's Mercury.", True),
])
def test_a_correction_takes_back_only_when_it_names_something(pred, ok):
    assert is_correct(pred, ["Mercury"], "Which is the smallest planet in our solar system?") is ok


@pytest.mark.parametrize("pred,ok", [
    ("The Iliad is a classic epic poem by the ancient Greek poet Homer.", True),  # a "who" question: from "by" on
    ("The Iliad is a classic epic poem by the ancient Greek poet and blind singer from Chios named Homer.", False),
    ("The Iliad is a classic epic poem by Virgil, not by Homer.", False),
])
def test_who_questions_count_words_from_by(pred, ok):
    assert is_correct(pred, ["Homer"], "Who wrote the Iliad?") is ok


@pytest.mark.parametrize("text,expected", [
    ("Henry VIII", "henry 8"), ("Louis XIV", "louis 14"), ("Apollo XI", "apollo 11"), ("World War II", "world war 2"),
    ("Elizabeth I.", "elizabeth 1"), ("In 1558 Elizabeth I became queen", "in 1558 elizabeth 1 became queen"),
    ("World War I ended", "world war 1 ended"),
    ("Then I went", "then i went"), ("Paris I think", "paris i think"),  # the pronoun
    ("Washington DC", "washington dc"), ("MIX", "mix"),  # not after a name / not 1-39
])
def test_roman_numerals_after_a_name(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize("question,pred,answers,ok", [
    ("Which English king had six wives?", "Henry the Eighth had six wives.", ["Henry VIII"], True),
    ("Which English king had six wives?", "King Henry VIII.", ["Henry the Eighth"], True),
    ("Which English king had six wives?", "Henry VII", ["Henry VIII"], False),
    ("Which queen followed Mary I?", "Elizabeth the First", ["Elizabeth I"], True),
    # a round count of millions or more is said to its leading digits, as a decimal to its places
    ("About how many people live on Earth?", "About 7.9 billion", ["8 billion"], True),
    ("About how many people live on Earth?", "About 8.6 billion", ["8 billion"], False),
    ("About how many people live on Earth?", "About 80 billion", ["8 billion"], False),
    ("About how many people live in France?", "About 67,413,000 people.", ["67 million"], True),
    ("About how many people live in France?", "About 68.5 million people.", ["67 million"], False),
    ("How many people live in France, to the nearest thousand?", "67,413,000", ["67 million"], False),  # precision asked
    ("How many bones are in the adult human body?", "About 206.4", ["206"], False),  # a small count is exact
])
def test_regnal_numbers_and_round_counts(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred,ok", [
    ("About 5.1 million people live there.", True), ("Roughly 5 million.", True), ("5,109,056", True),
    ("About 5.2 million.", False), ("About 51 million.", False), ("5109", False),
])
def test_a_round_count_stands_for_a_precise_gold_that_rounds_to_it(pred, ok):
    assert is_correct(pred, ["5109056"], "What is the population of Norway?") is ok


@pytest.mark.parametrize("pred,answers,ok", [
    ("The Statue of Liberty is in the USA.", ["United States"], True),
    ("It is in the U.S.", ["United States of America"], True),
    ("The United States", ["USA"], True),
    ("It is in the UK.", ["United Kingdom"], True),
    ("It is in Canada.", ["USA"], False),
    ("Let us think: it is in Canada.", ["United States"], False),  # "us" is a pronoun
])
def test_a_country_said_by_its_short_form(pred, answers, ok):
    assert is_correct(pred, answers, "In which country is the Statue of Liberty?") is ok


def test_another_name_of_a_country_the_question_names_is_an_echo():
    assert is_correct("Prague is in Czechia.", ["Czech Republic"], "In which country is Prague?")
    q = "Which country is often abbreviated as the UK?"
    assert not is_correct("The UK is often abbreviated as the UK.", ["United Kingdom"], q)
    assert is_correct("The United Kingdom.", ["United Kingdom"], q)


@pytest.mark.parametrize("pred,answers,question,ok", [
    ("中国的首都是北京。", ["北京"], "中国的首都是哪里？", True),  # each character a word: the question's are echo
    ("北京", ["北京"], "中国的首都是哪里？", True),
    ("中国的首都是上海。", ["北京"], "中国的首都是哪里？", False),
    ("日本の首都は東京です。", ["東京"], "日本の首都はどこですか？", True),
    ("京都", ["東京"], "日本の首都はどこですか？", False),  # shares a character, not the run
])
def test_scripts_without_spaces_are_read_character_by_character(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred,answers,question,ok", [
    ("12 in words: 12", ["twelve"], "How do you write the number 12 in words?", False),  # digits, not words
    ("Twelve.", ["twelve"], "How do you write the number 12 in words?", True),
    ("12 is written out as twelve.", ["twelve"], "How is 12 written out?", True),
    ("It is spelled forty.", ["forty"], "How is 40 spelled?", True),
    ("It is spelled 40.", ["forty"], "How is 40 spelled?", False),
    ("twelve", [12], "How do you write the number 12 in words?", True),  # a numeric gold: any form of it
    ("It is 12.", ["twelve"], "What is 5 + 7?", True),  # no words asked for: 12 == twelve
    ("It is written forty two.", ["forty-two"], "How do you write 42 in words?", True),  # hyphen or not
    ("42.", ["forty-two"], "How do you write 42 in words?", False),
    ("It is spelled P-a-r-i-s, Paris.", ["Paris"], "How do you spell the capital of France?", True),  # no number
])
def test_a_question_asking_for_words_is_not_answered_by_digits(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred,answers,question,ok", [
    # digits asked: words do not write them, and the digits are no echo of the question's words
    ("1000 in digits: 1000", ["1000"], "Write one thousand in digits.", True),
    ("One thousand.", ["1000"], "Write one thousand in digits.", False),
    ("Three hundred", ["300"], "Write 'three hundred' in numerals.", False),
    ("It is written 1,000,000.", ["1,000,000"], "Write one million in digits.", True),
    ('"seventy-five" is 75.', ["75"], "What is 'seventy-five' written as a number?", True),
    ("XIV", ["XIV"], "Write 14 in Roman numerals.", True),  # Roman numerals are not digits asked
    # an ordinal asked: the bare number is no ordinal
    ("The ordinal form of the number 3 is 3.", ["third", "3rd"], "What is the ordinal form of the number 3?", False),
    ("It is third, or 3rd.", ["third", "3rd"], "What is the ordinal form of the number 3?", True),
    ('The answer is "2"', ["2nd"], "How do you write 'second' as an ordinal number with digits?", False),
    ("2nd", ["2nd"], "How do you write 'second' as an ordinal number with digits?", True),
    # a fraction asked: an equal one says it, unless the simplest form is asked
    ("0.5 as a fraction is 5/10.", ["1/2"], "Write 0.5 as a fraction.", True),
    ("50% as a fraction is 5/100.", ["1/2"], "What is 50% as a fraction?", False),
    ("It is 2/4.", ["1/2"], "What is 0.5 as a fraction in its simplest form?", False),
    ("It is 3/6.", ["0.5"], "Write 0.5 as a fraction.", True),
])
def test_a_number_asked_in_one_form_is_answered_in_it(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred,answers,question,ok", [
    # a date with slashes, month first or day first, says an accepted date; the gold's year must be its year
    ("The date of the September 11 attacks was 9/11/2001.", ["September 11, 2001"],
     "What was the date of the September 11 attacks?", True),
    ("It was 11/9/01.", ["11 September 2001"], "What was the date of the September 11 attacks?", True),
    ("It was 9/11/2002.", ["September 11, 2001"], "What was the date of the September 11 attacks?", False),
    ("Christmas is on 25/12.", ["December 25"], "On what date is Christmas Day?", True),
    ("Christmas is on 12/25.", ["December 25"], "On what date is Christmas Day?", True),
    ("Christmas is on 12/24.", ["December 25"], "On what date is Christmas Day?", False),
    ("Half of it: 1/2.", ["January 2"], "On what date is the holiday?", True),  # a date gold: read as a date
    ("25/12/2020: 25%", ["25 December 2020"], "Write 25/12/2020 in words.", False),  # the question's own date
    # a numeric date format asked: the date in words does not write it
    ("July 4, 1776 in YYYY-MM-DD format is July 4, 1776.", ["1776-07-04"], "What is July 4, 1776 in YYYY-MM-DD format?",
     False),
    ("It is 1776-07-04.", ["1776-07-04"], "What is July 4, 1776 in YYYY-MM-DD format?", True),
    ("The date of Christmas 2024 is December 25, 2024.", ["12/25/2024"],
     "Write the date of Christmas 2024 in the format MM/DD/YYYY.", False),
    ("12/25/2024", ["12/25/2024"], "Write the date of Christmas 2024 in the format MM/DD/YYYY.", True),
    # three or more groups of digits with hyphens are a code: their groups are no numbers said (not a date)
    ("The emergency telephone number in the United Kingdom is 112-123-123.", ["999", "112"],
     "What is the emergency telephone number in the United Kingdom?", False),
    ("Dial 9-1-1.", ["9-1-1", "911"], "What number do you dial for emergencies in the US?", True),
    ("It landed on 20-07-1969.", ["1969"], "In which year did Apollo 11 land on the Moon?", True),
    ("The ZIP code is 90210-1234.", ["90210"], "What is the ZIP code of Beverly Hills?", True),
])
def test_dates_with_slashes_date_formats_and_codes_of_digits(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred,answers,question,ok", [
    # a span of years says how long something lasted, where the question asks how long
    ("World War II lasted from 1939 to 1945.", ["6 years", "six years"], "How long did World War II last?", True),
    ("Between 1939 and 1945.", ["6 years"], "How long did World War II last?", True),
    ("It lasted 1939-1945.", ["6 years"], "How long did World War II last?", True),
    ("It lasted from 1939 to 1946.", ["6 years"], "How long did World War II last?", False),
    ("It lasted 10 years, from 1939 to 1945.", ["6 years"], "How long did World War II last?", False),
    ("The Hundred Years' War lasted from 1337 to 1459.", ["116 years"], "How long did the Hundred Years' War last?",
     False),
    ("From 1939 to 1945.", ["6 years"], "What happened from 1939 to 1945, and how long did it last?", False),
    ("It began in 1939.", ["1939"], "When did World War II begin?", True),  # no duration asked: years as ever
    # an intensified gold is said with another intensifier
    ("The word 'frigid' means extremely cold.", ["very cold"], "What does the word 'frigid' mean?", True),
    ("It means incredibly old.", ["very old"], "What does 'ancient' mean?", True),
    ("It means cold.", ["very cold"], "What does the word 'frigid' mean?", False),
    # a meaning asked (no choice offered): words joined by "or" gloss it, they hedge nothing
    ("The word 'frigid' refers to a state of being extremely cold or unforgiving.", ["very cold"],
     "What does the word 'frigid' mean?", True),
    ("Dormant means not active or functioning.", ["not active"], "What does 'dormant' mean?", True),
    ("It means kind or cruel.", ["kind"], "Does 'benevolent' mean kind or cruel?", False),  # a choice: a hedge
    ("Not active or functioning.", ["not active"], "Which word describes a volcano that is not erupting?", False),
    # what "it" or "they" does is also said of the thing named; "die" says "dies"
    ("The Moon's shape changes over a month.", ["it changes"], "What happens to the Moon's shape over a month?", True),
    ("Most metals expand when heated.", ["they expand"], "What happens to most metals when they are heated?", True),
    ("The plant will die.", ["it dies", "dies"], "What happens to a plant if it gets no sunlight?", True),
    ("The plant will grow.", ["it dies"], "What happens to a plant if it gets no sunlight?", False),
    # a continent or a planet: the other ones are its rivals where no rivals are given; one compared is none
    ("On the continent of Africa, Malaysia is located in Southeast Asia.", ["Asia", "Asian"],
     "On what continent would you find Malaysia?", False),
    ("The Strait of Gibraltar is a land bridge connecting Europe to Africa.", ["Africa"],
     "If you cross the Strait of Gibraltar from Spain, which continent do you reach?", False),
    ("The closest planet is Venus, then Mercury.", ["Mercury"], "Which planet is closest to the Sun?", False),
    ("Mercury is closest to the Sun, closer than Venus.", ["Mercury"], "Which planet is closest to the Sun?", True),
    ("Egypt is in Africa, near Asia.", ["Africa"], "Which continent is Egypt in?", True),
    ("Egypt is in Africa, not Asia.", ["Africa"], "Which continent is Egypt in?", True),
    ("Mars, the fourth planet after Earth.", ["Mars"], "Which planet is called the Red Planet?", True),
    ("Africa, but I would say it's Asia.", ["Asia"], "On what continent would you find Malaysia?", True),  # taken back
    # a country's people by their own noun where the people are asked about
    ("People from Finland are known as Finns.", ["Finnish"], "What are people from Finland called?", True),
    ("A Croat.", ["Croatian"], "What is the demonym for people from Croatia?", True),
    ("Finns.", ["Finnish"], "Which language is spoken in Finland?", False),
    ("People from Finland are known as Swedes.", ["Finnish"], "What are people from Finland called?", False),
    # "between A and B" names both sides and picks neither, unless the other side is accepted too
    ("The Hundred Years' War was fought between England and France from 1337 to 1460.", ["France"],
     "Who won the Hundred Years' War?", False),
    ("France won; the war was fought between England and France.", ["France"], "Who won the Hundred Years' War?",
     True),
    ("The match between Brazil and Germany ended 7-1 to Germany.", ["Germany"], "Who won the 2014 semi-final?", True),
    ("Andorra lies between France and Spain.", ["France", "Spain"],
     "Name a country that shares a land border with Andorra.", True),
    ("Andorra lies between France and Spain.", ["Andorra"], "Which small country lies in the Pyrenees?", True),
    # a sentence that ends inside quotes ends there: the next one is a clause of its own
    ("The prefix 'bio' means \"life\" or \"living.\" It is used to describe living organisms, such as cells, "
     "organisms, and living beings.", ["life"], "What does the prefix 'bio' mean?", True),
    # the country for a part of it: the province (state, region) asked about is not said
    ("The capital of Canada is Toronto.", ["Toronto"], "What is the capital of the Canadian province of Ontario?",
     False),
    ("The capital of Ontario is Toronto.", ["Toronto"], "What is the capital of the Canadian province of Ontario?",
     True),
    ("Toronto is the capital of Ontario, Canada.", ["Toronto"],
     "What is the capital of the Canadian province of Ontario?", True),
    ("The capital of Germany is Munich.", ["Munich"], "What is the capital of the German state of Bavaria?", False),
    ("Munich.", ["Munich"], "What is the capital of the German state of Bavaria?", True),
])
def test_spans_of_years_intensifiers_glosses_and_a_country_for_its_part(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred,answers,question,ok", [
    ("The answer is: a", ["A"], "Which vowel comes first in the alphabet?", True),  # "a" is no article here
    ("The vowel that comes first in the alphabet is the vowel 'a'.", ["A"], "Which vowel comes first in the alphabet?",
     True),
    ("The first vowel is a vowel.", ["A"], "Which vowel comes first in the alphabet?", False),
    ("It is 'a' or 'e'.", ["A"], "Which vowel comes first in the alphabet?", False),  # two letters: a hedge
    ("The last letter of the English alphabet is 'E'.", ["Z"], "What is the last letter of the English alphabet?",
     False),
    ("It is Z, as in zebra.", ["Z"], "What is the last letter of the English alphabet?", True),
    ("The letters Y and Z", ["Z"], "What is the last letter of the English alphabet?", False),
    ("The Roman numeral for 50 is L.", ["L"], "What is the Roman numeral for 50?", True),
    ("The Roman numeral for 50 is IX.", ["L"], "What is the Roman numeral for 50?", False),
])
def test_a_letter_of_the_alphabet_as_the_answer(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,asked", [
    ("Context: Maria was born in Lisbon. Question: In which city was Maria born?", "In which city was Maria born?"),
    ("Read the text. Text: Tom has 3 apples. Q: How many apples has Tom?", "How many apples has Tom?"),
    ("Jake's dog is called Rex.\n\nWhat is the name of Jake's dog?", "What is the name of Jake's dog?"),
    ("Passage: The bridge is red. What colour is the bridge?", "What colour is the bridge?"),
    ("Q: How many days are in a leap year? A:", "How many days are in a leap year?"),
    # no passage: the question stays whole, lettered options included
    ("Which planet is red?\nA) Venus\nB) Mars", "Which planet is red?\nA) Venus\nB) Mars"),
    ("I forgot: what's the tallest animal?", "I forgot: what's the tallest animal?"),
    ("What does the question mark mean?", "What does the question mark mean?"),
])
def test_the_question_asked_after_a_passage(question, asked):
    assert _asked(question) == asked


@pytest.mark.parametrize("pred,ok", [
    ("Maria was born in Lisbon.", True),  # said once, as the passage said it: the passage is no echo
    ("Lisbon", True),
    ("The answer is: Maria was born in Lisbon and later moved to Madrid.", True),
    ("Maria was born in Madrid.", False),
    ("Maria was born in Lisbon or Madrid.", False),  # a hedge between two of the passage's cities
    ("Maria was born in a city.", False),
])
def test_an_answer_taken_from_the_passage(pred, ok):
    question = ("Context: Maria was born in Lisbon and later moved to Madrid, where she works as a nurse. "
                "Question: In which city was Maria born?")
    assert is_correct(pred, ["Lisbon"], question) is ok


def test_the_question_after_a_passage_sets_the_rules():
    # "who" is read from the question, not the passage's first word: the name is counted from "by"
    question = "Background: Penicillin was discovered in 1928. Q: Who discovered penicillin?"
    assert is_correct("Penicillin was discovered by the Scottish doctor Alexander Fleming in 1928.",
                      ["Alexander Fleming"], question)
    # an alias the asked question itself holds must still be said again
    question = "Context: Kuwait City lies on a bay. Question: Which country has Kuwait City as its capital?"
    assert not is_correct("The answer is: Kuwait City.", ["Kuwait"], question)
    assert is_correct("Kuwait City is the capital of Kuwait.", ["Kuwait"], question)


@pytest.mark.parametrize("pred,ok", [
    ("Sam has 5 apples and buys 3 more, so he has 5 + 3 = 8 apples now.", True),
    ("5 + 3 = 8. So Sam has eight apples.", True),
    ("Sam has 8 apples.", True),  # no arithmetic: the usual rule
    ("3 + 5 = 8 apples, and 8 * 2 = 16 apples.", False),  # the chain goes past the right value
    ("He has 5 + 3 = 8 apples = 2 * 4 =", True),  # cut off after "=": the last result given counts
    ("He has 5 + 3 = 9 apples.", False),
])
def test_a_worked_answer_is_judged_by_the_result_it_ends_on(pred, ok):
    assert is_correct(pred, ["8"], "Sam has 5 apples and buys 3 more. How many apples does Sam have now?") is ok


def test_the_result_rule_reads_signs_scales_and_only_number_golds():
    assert is_correct("5 - 8 = -3", ["-3"], "What is 5 minus 8?")
    assert not is_correct("5 - 8 = 3", ["-3"], "What is 5 minus 8?")
    assert is_correct("1,200 * 1,000,000 = 1.2 billion", ["1200000000"])
    # a word gold is not judged by numbers: "H2O = water" keeps its verdict
    assert is_correct("H2O = water, and 2 + 2 = 4.", ["water"], "What is H2O commonly called?")


def test_a_passages_names_are_no_extra_words_but_still_other_candidates():
    question = ("Context: The finalists were Anna, Ben, Carl and Dora. Dora won the final after a long match. "
                "Question: Who won the final?")
    assert is_correct("Dora won the final after a long match.", ["Dora"], question)
    assert is_correct("The finalists were Anna, Ben, Carl and Dora, and Dora won the final.", ["Dora"], question)
    assert not is_correct("Anna or Dora", ["Dora"], question)
    assert not is_correct("Anna, Ben, Carl and Dora", ["Dora"], question)
    assert not is_correct("The finalists were Anna, Ben, Carl and Dora.", ["Dora"], question)


def test_a_copy_of_the_passages_sentence_states_its_answer():
    # five passage words before the alias: extra words, were the passage not set apart
    question = "Context: Olga's garden has roses along the fence and tulips near the door.\n" \
               "Question: Which flowers grow near Olga's door?"
    assert is_correct("Olga's garden has roses along the fence and tulips near the door.", ["tulips"], question)
    assert not is_correct("Olga's garden has roses or tulips near the door.", ["tulips"], question)


@pytest.mark.parametrize("pred,ok", [
    ("The primary colors of light are: red, blue, and green.", True),  # another order, an Oxford comma
    ("Red, Blue, and Green", True),
    ("The primary colors are red, green and blue.", True),
    ("Green, red and blue are the primary colors of light.", True),
    ("red and blue", False),  # an item short
    ("red, blue, green and yellow", False),  # an item more
    ("red, green or blue", False),  # one of them, not all
    ("Red.", False),
    ("The primary colors of light are:", False),
])
def test_a_list_gold_is_stated_by_its_items_in_any_order(pred, ok):
    assert is_correct(pred, ["red, green and blue"], "What are the primary colors of light?") is ok


@pytest.mark.parametrize("pred,gold,q,ok", [
    # an item followed by the question's own words
    ("The two main types of cells are prokaryotic cells and eukaryotic cells.", "prokaryotic and eukaryotic",
     "What are the two main types of cells in biology?", True),
    ("The two main types are prokaryotic cells and plant cells.", "prokaryotic and eukaryotic",
     "What are the two main types of cells in biology?", False),
    # an item by another of its names
    ("The two countries connected by the Channel Tunnel are the UK and France.", "the United Kingdom and France",
     "Which two countries are connected by the Channel Tunnel?", True),
    ("They are the USA and France.", "the United Kingdom and France", "Which two countries are linked by it?", False),
    # a nickname written between a person's names
    ('They were Neil Armstrong and Edwin "Buzz" Aldrin.', "Neil Armstrong and Buzz Aldrin",
     "Who were the first two people to walk on the Moon?", True),
    ('They were Neil Armstrong and Edwin "Buzz" Lightyear.', "Neil Armstrong and Buzz Aldrin",
     "Who were the first two people to walk on the Moon?", False),
    # two items asked of a joining verb, joined by "to" or "with"
    ("The Suez Canal connects the Mediterranean Sea to the Red Sea.", "the Mediterranean Sea and the Red Sea",
     "Which two seas does the Suez Canal connect?", True),
    ("It links the Atlantic with the Pacific.", "the Atlantic and the Pacific", "Which two oceans does it link?", True),
    ("The Suez Canal connects the Mediterranean Sea to the Black Sea.", "the Mediterranean Sea and the Red Sea",
     "Which two seas does the Suez Canal connect?", False),
    ("The Suez Canal connects the Mediterranean Sea.", "the Mediterranean Sea and the Red Sea",
     "Which two seas does the Suez Canal connect?", False),
    # "to" is no list where the question asks of no joining verb
    ("It flows from Spain to Portugal.", "Spain and Portugal", "Which two countries does the river cross?", False),
])
def test_a_list_item_may_carry_the_questions_words_another_name_or_a_nickname(pred, gold, q, ok):
    assert is_correct(pred, [gold], q) is ok


def test_an_era_beside_a_year_and_a_name_said_again_are_no_further_names():
    # what follows the answer describes it; "BCE" beside a year is part of the year, a name said twice is one name
    q = "Who was Cleopatra?"
    assert is_correct("Cleopatra was a powerful Egyptian queen who ruled over Egypt from 69 BCE to 30 BCE.",
                      ["an Egyptian queen"], q)
    assert is_correct("She was an Egyptian queen who ruled Egypt and Cyprus from 51 BC until AD 30.",
                      ["an Egyptian queen"], q)
    # five names after it are still too many: the era mark is no number of its own, other names still count
    assert not is_correct("Cleopatra was an Egyptian queen who ruled over Egypt from 69 to 30 with Caesar, Antony and "
                          "Ptolemy.", ["an Egyptian queen"], q)
    q = "Who was Marie Curie?"
    assert is_correct("Marie Curie was a Polish-French chemist who was awarded the Nobel Prize in Physics in 1906 for "
                      "her work in physics.", ["a chemist"], q)
    assert not is_correct("Marie Curie was a Polish-French chemist who was awarded the Nobel Prize in Physics in 1906 "
                          "for her work with Pierre.", ["a chemist"], q)


@pytest.mark.parametrize("pred,gold,ok", [
    ("Japan is in East Asia.", "Eastern Asia", True),
    ("Vietnam is in Southeast Asia.", "South-eastern Asia", True),
    ("Vietnam is in South East Asia.", "South-eastern Asia", True),
    ("Morocco is in North Africa.", "Northern Africa", True),
    ("Spain is in Western Europe.", "West Europe", True),
    ("Vietnam is in East Asia.", "South-eastern Asia", False),
    ("Morocco is in West Africa.", "Northern Africa", False),
    # "Southern Africa" is a region, "South Africa" a country
    ("Botswana is in South Africa.", "Southern Africa", False),
    ("Botswana is in southern Africa.", "Southern Africa", True),
])
def test_a_direction_in_a_places_name_is_one_word_however_spelt(pred, gold, ok):
    assert is_correct(pred, [gold], "In which subregion of the world is it?") is ok


def test_a_clause_that_only_adds_a_second_name_with_but_also_is_a_hedge():
    q = "Where is Aleppo? Name the country."
    assert not is_correct("Aleppo is a city in the Middle East, specifically in Syria, but also in Turkey.", ["Syria"], q)
    assert not is_correct("It is in Syria, and also Turkey.", ["Syria"], q)
    assert is_correct("Aleppo is a city in the Middle East, specifically in Syria.", ["Syria"], q)
    # "also" that says something else of it, or of another thing, is no second answer
    assert is_correct("Aleppo is in Syria, and also its largest city.", ["Syria"], q)
    assert is_correct("Canberra is the capital of Australia, but also Sydney is the largest city.", ["Canberra"],
                      "What is the capital of Australia?")


def test_a_name_with_and_is_read_as_a_name_and_as_a_list():
    q = "What are the two official languages of Canada?"
    assert is_correct("French and English.", ["English and French"], q)
    assert not is_correct("English or French", ["English and French"], q)
    assert not is_correct("English, French and Spanish", ["English and French"], q)
    # a country named "A and B" keeps every rule of a name, and its two parts in the other order say it too
    q = "Which country has Sarajevo as its capital?"
    assert is_correct("The country with Sarajevo as its capital is Bosnia and Herzegovina.", ["Bosnia and Herzegovina"], q)
    assert not is_correct("Bosnia", ["Bosnia and Herzegovina"], q)
    # three parts: "Saint Helena, Ascension and Tristan da Cunha" is listed whole, in a sentence about it
    q, gold = "Which country has Jamestown as its capital?", ["Saint Helena, Ascension and Tristan da Cunha"]
    assert is_correct("Jamestown is the capital of Saint Helena, Ascension and Tristan da Cunha.", gold, q)
    assert not is_correct("Jamestown is the capital of Saint Helena.", gold, q)
    # not lists: a place and its region, a city with its district
    assert is_correct("It is in Paris, France.", ["Paris, France"])
    assert is_correct("The capital is Washington, D.C.", ["Washington, D.C."], "What is the capital of the United States?")


@pytest.mark.parametrize("pred,ok", [
    ("The part of the plant that does not conduct photosynthesis is the leaves.", False),  # the question, denied
    ("The part that doesn't conduct photosynthesis is the leaves.", False),
    ("The leaves do not conduct photosynthesis.", False),
    ("The leaves conduct photosynthesis.", True),
    ("The leaves, not the roots, conduct photosynthesis.", True),  # the denial is the roots'
    ("The leaves. Roots do not conduct photosynthesis.", True),  # another sentence
    ("No, the leaves conduct photosynthesis.", True),
])
def test_an_answer_that_denies_the_questions_own_predicate(pred, ok):
    assert is_correct(pred, ["leaf", "leaves"], "Which part of the plant conducts photosynthesis?") is ok


def test_a_denial_of_something_else_or_a_negated_question_keeps_the_answer():
    assert is_correct("Bees make honey, they do not make milk.", ["honey"], "What do bees make?")
    assert is_correct("Canberra is the capital of Australia, not Sydney.", ["Canberra"], "What is the capital of Australia?")
    assert is_correct("Mars is not a gas giant.", ["Mars"], "Which planet is not a gas giant: Jupiter, Saturn or Mars?")


@pytest.mark.parametrize("pred,ok", [
    ("Morocco is in Africa.", True),
    ("Africa", True),
    ("Morocco is in Europe.", False),
    ("Morocco is in Africa or Europe.", False),  # both options: no pick
])
def test_a_choice_at_the_questions_end_without_a_comma(pred, ok):
    # the options follow no comma or colon, and the gold is also the question's own word
    assert is_correct(pred, ["Africa"], "Is Morocco in Africa or Europe?") is ok


@pytest.mark.parametrize("pred,ok", [
    ("Brazil is approximately 1.25 times larger than Argentina.", True),  # "larger" for the question's "bigger"
    ("Argentina is smaller than Brazil.", True),
    ("Argentina is larger than Brazil.", False),
])
def test_a_comparison_in_other_words_picks_its_subject(pred, ok):
    assert is_correct(pred, ["Brazil"], "Which is bigger by area, Brazil or Argentina?") is ok


@pytest.mark.parametrize("pred,question,answers,ok", [
    ("The Beatles released their first album in 1967.", "In which decade did the Beatles release their first album?",
     ["1960s"], True),
    ("It was the 1950s.", "In which decade did the Beatles release their first album?", ["1960s"], False),
    ("In 1789.", "In which century did the French Revolution take place?", ["18th century"], True),
    ("In 1800.", "In which century did the French Revolution take place?", ["18th century"], True),
    ("In 1801.", "In which century did the French Revolution take place?", ["18th century"], False),
    ("1967", "When did the Beatles release their first album?", ["1960s"], False),  # no decade asked
    # the question's own year said back is no decade or century
    ("The year 1985 is in the 1985 decade.", "Which decade is the year 1985 in?", ["1980s"], False),
    ("1066 is a year.", "Which century does the year 1066 belong to?", ["11th century"], False),
    ("1985 is in the 1980s.", "Which decade is the year 1985 in?", ["1980s"], True),
])
def test_a_year_says_the_decade_or_century_asked_for(pred, question, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred,ok", [
    ("The painting 'Guernica' by Pablo Picasso was painted by Juan Gris.", False),  # the deed credited to another
    ("Guernica was painted by the Spanish artist Pablo Picasso.", True),
    ("Guernica was painted by Picasso, not by Juan Gris.", True),
    ("Guernica by Picasso was exhibited by the Spanish Republic.", True),  # another deed
    ("Guernica by Pablo Picasso was painted by others.", False),  # taken back: credited to no one named
    ("Guernica was painted by Picasso and others.", True),
])
def test_a_who_answer_that_credits_the_deed_to_another_name(pred, ok):
    assert is_correct(pred, ["Pablo Picasso", "Picasso"], "Who painted 'Guernica'?") is ok


@pytest.mark.parametrize("question,ok", [
    ("State who painted 'Guernica'.", False),  # "who <verb>" later in the question
    ("Tell me who painted 'Guernica'.", False),
])
def test_a_credit_to_another_name_where_who_comes_later(question, ok):
    pred = "The painting 'Guernica' by Pablo Picasso was painted by Juan Gris."
    assert is_correct(pred, ["Pablo Picasso", "Picasso"], question) is ok


@pytest.mark.parametrize("pred,answers,question,ok", [
    # a question for a person with a deed of authorship, not opened by "who"
    ("'Animal Farm' by George Orwell, written by A.J. Farrar, is a dystopian novel.", ["George Orwell", "Orwell"],
     "Which British author, born in India in 1903, wrote 'Animal Farm'?", False),
    ("The Starry Night by Vincent van Gogh is a painting by Dutch artist Jan van der Meer.", ["Vincent van Gogh"],
     "Which Dutch painter, who cut off part of his own ear, painted 'The Starry Night'?", False),
    ("The Starry Night is a painting by Vincent van Gogh.", ["Vincent van Gogh"],
     "Which Dutch painter, who cut off part of his own ear, painted 'The Starry Night'?", True),
    # a deed done to the person is no deed of theirs
    ("Galileo Galilei was tried by the Inquisition.", ["Galileo Galilei", "Galileo"],
     "Which Italian scientist, who improved the telescope, was tried by the Inquisition in 1633?", True),
    ("Henry VIII, painted by Hans Holbein.", ["Henry VIII"], "Which English king was painted by Holbein?", True),
])
def test_a_credit_to_another_name_for_a_person_asked_by_which(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


def test_a_credit_to_a_description_is_no_other_name():
    assert is_correct("The Hobbit by J.R.R. Tolkien was written by the renowned author of The Lord of the Rings.",
                      ["J. R. R. Tolkien", "Tolkien"], "who wrote the book the hobbit")


def test_a_mention_repeated_later_keeps_the_first_ones_verdict():
    # what follows the first mention, the second included, describes it
    assert is_correct("A thermometer measures the temperature of a substance by using a device that measures the "
                      "temperature of a liquid or gas.", ["temperature"], "What is measured with a thermometer?")


@pytest.mark.parametrize("pred,ok", [
    ("Penguins are flightless birds that live almost exclusively in the Southern Hemisphere.", True),  # says no
    ("Penguins live in the Southern Hemisphere.", True),
    ("Penguins live mostly in the Northern Hemisphere.", False),  # says yes
])
def test_a_yes_no_answer_that_puts_one_name_for_a_kindred_one(pred, ok):
    # "Southern Hemisphere" for "Northern Hemisphere": the names share a word, and the question's frame is said
    # but for one word ("mostly")
    assert is_correct(pred, ["false", "no"], "Do penguins live mostly in the Northern Hemisphere?") is ok


def test_a_continent_said_by_its_adjective():
    assert is_correct("The Sahara Desert is on the African continent.", ["Africa"], "Which continent is the Sahara on?")
    assert not is_correct("It is an African animal.", ["Asia"], "Which continent is the panda from?")


@pytest.mark.parametrize("pred,answers,ok", [
    ("The closest planet is Mercury.", ["Mercury (planet)", "Planet Mercury"], True),  # TriviaQA-style aliases
    ("The bishop.", ["Bishop (chess)"], True),
    ("The closest planet is Venus.", ["Mercury (planet)"], False),
])
def test_a_bracketed_disambiguation_need_not_be_said(pred, answers, ok):
    assert is_correct(pred, answers) is ok


@pytest.mark.parametrize("pred,ok", [
    ("The Berlin Wall fell on January 20, 1989.", False),  # the right year, another date
    ("In January 1989.", False),
    ("It fell on 9 November 1989.", True),
    ("November 10th, 1989", True),  # a day off by one is left alone
    ("In November 1989.", True),
    ("In 1989.", True),
])
def test_a_date_that_contradicts_the_gold_date_in_its_year(pred, ok):
    assert is_correct(pred, ["1989", "9 November 1989"], "When did the Berlin Wall fall?") is ok


def test_a_measurement_to_decimals_says_the_whole_number_it_rounds_to():
    assert is_correct("Mount Everest is approximately 8,848.27 meters tall.", ["8,848"], "How tall is Everest in metres?")
    assert not is_correct("8850.2", ["8848"], "How tall is Everest in metres?")
    assert not is_correct("About 206.4", ["206"], "How many bones are in the adult human body?")  # a count


def test_a_list_does_not_answer_a_question_that_asks_for_the_main_one():
    q = "What is the main ingredient in hummus?"
    assert not is_correct("The main ingredient in hummus is a blend of chickpeas, water and salt.", ["chickpeas"], q)
    assert is_correct("The main ingredient is chickpeas, blended with tahini.", ["chickpeas"], q)
    assert is_correct("Hummus is made of chickpeas, water and salt.", ["chickpeas"], "What is hummus made of?")


@pytest.mark.parametrize("pred,gold,ok", [
    ("The Amazon River is about 2,300 km longer than the Thames.", "yes", True),
    ("The Thames is shorter than the Amazon.", "yes", True),  # the other side, the opposite comparative
    ("The Thames is longer than the Amazon.", "no", True),
    ("The Amazon is shorter than the Thames.", "no", True),
    # both lengths given, and the same: no comparison made, so neither yes nor no
    ("The Amazon River is 1,220 km in length, while the Thames is 1,220 km in length.", "yes", False),
    ("The Amazon River is 1,220 km in length, while the Thames is 1,220 km in length.", "no", False),
])
def test_a_yes_no_comparison_is_read_in_the_answers_own_comparison(pred, gold, ok):
    assert is_correct(pred, [gold], "Is the Amazon River longer than the Thames?") is ok


def test_a_yes_no_comparison_with_more_or_less():
    q = "Is gold more expensive than silver?"
    assert is_correct("Gold is more expensive than silver.", ["yes"], q)
    assert is_correct("Gold is less expensive than silver.", ["no"], q)
    assert is_correct("Silver is cheaper than gold.", ["yes"], q)


def test_a_copy_of_the_whole_passage_picks_no_answer():
    story = ("Anna lived in a small village near the sea. Every morning she walked to the market with her dog, Max, "
             "to buy bread and fish. One day she found a lost kitten under a cart and took it home to Lisbon.")
    q = f"{story}\n\nQ: Where did Anna live?\nA: near the sea\nQ: What did she find?\nA:"
    assert not is_correct(story, ["a lost kitten", "kitten"], q)  # two sentences copied that do not hold it
    assert is_correct("One day she found a lost kitten under a cart.", ["a lost kitten", "kitten"], q)
    # the sentence that holds the answer and one more copied: still an answer
    assert is_correct("Anna lived in a small village near the sea. Every morning she walked to the market with her "
                      "dog Max to buy bread and fish.", ["near the sea"], f"{story}\n\nQ: Where did Anna live?\nA:")


def test_an_alias_the_question_already_names_is_said_by_announcing_it_alone():
    q = "Which word does not belong: apple, banana, carrot, grape?"
    assert is_correct('The answer is "carrot"', ["carrot"], q)
    assert is_correct("I think it is carrot.", ["carrot"], q)
    assert not is_correct("The answer is apple, banana, carrot.", ["carrot"], q)
    # the echo stays an echo: "Kuwait City" says the question's own words, not the country
    assert not is_correct("The answer is Kuwait City.", ["Kuwait"], "Which country has Kuwait City as its capital?")
    assert is_correct("The answer is Kuwait.", ["Kuwait"], "Which country has Kuwait City as its capital?")


@pytest.mark.parametrize("pred,ok", [
    # the whole question restated before "but": the negation after it is about something else
    ("The Great Wall of China is visible from the Moon with the naked eye, but it is not visible from the Earth.", False),
    ("The Great Wall of China is visible from space, but not from the Moon.", True),  # the Moon denied
    ("No, it is not.", True),
])
def test_a_negation_after_the_whole_question_restated_and_but(pred, ok):
    assert is_correct(pred, ["no"], "Is the Great Wall of China visible from the Moon with the naked eye?") is ok


def test_floating_point_noise_is_the_same_number():
    assert is_correct("A centimetre is approximately 10.00000000000001 millimetres.", ["10"],
                      "How many millimetres are in a centimetre?")  # a count, where "10.4" would not do
    assert is_correct("0.30000000000000004", ["0.3"], "What is 0.1 + 0.2?")
    assert not is_correct("About 206.4", ["206"], "How many bones are in the adult human body?")
    assert not is_correct("10.0001", ["10"], "How many millimetres are in a centimetre?")


def test_a_copy_of_a_labelled_passage_with_short_sentences_picks_no_answer():
    q = ("Context: Captain Ruiz sailed the Santa Clara from Lisbon to Recife in 31 days. Halfway across, a storm broke "
         "the main mast. A crew member fixed it.\nQuestion: What broke the main mast?")
    # the "Context:" label is no word of the first sentence, and a three-word sentence copied counts
    assert not is_correct("The Santa Clara sailed from Lisbon to Recife in 31 days. The storm broke the main mast. "
                          "A crew member fixed it.", ["a storm", "storm"], q)
    assert is_correct("The storm broke the main mast. A crew member fixed it.", ["a storm", "storm"], q)


def test_names_that_only_echo_the_question_make_no_list_of_guesses():
    q = "Which city is home to the Kremlin and Red Square?"
    assert is_correct("The Kremlin and Red Square are both located in Moscow, Russia.", ["Moscow"], q)
    assert not is_correct("The Kremlin is in Moscow, Kazan or Omsk.", ["Moscow"], q)  # three cities: guesses


def test_an_options_text_after_the_a_answer_cue_is_that_option():
    q = "Which continent is Egypt in? (A) Asia (B) Europe (C) Africa (D) South America"
    assert is_correct("A: Africa", ["C", "Africa"], q)  # "A:" as in "Q: ... A: ...", not option A
    assert not is_correct("A: Asia", ["C", "Africa"], q)
    assert not is_correct("(A) Africa", ["C", "Africa"], q)  # a marked option letter still decides


def test_a_phrase_opened_by_another_preposition_describes_the_answer_and_is_no_guess():
    q = ("Read the text and answer.\nIn 1903, the Wright brothers made the first powered flight at Kitty Hawk, North "
         "Carolina. His brother Wilbur watched from the ground.\nWhere was the first powered flight made?")
    assert is_correct("It was made at Kitty Hawk, North Carolina, on December 17, 1903, by Wilbur Wright.",
                      ["Kitty Hawk", "Kitty Hawk, North Carolina"], q)
    assert not is_correct("On Monday, on Tuesday or on Friday.", ["Monday"], "On which day is the museum closed?")
    assert not is_correct("In Paris, in Lyon or in Nice.", ["Paris"], "Where is the Louvre?")


_WRITTEN_FORMS = [  # (answer, gold, question, verdict): a gold written in another form is read as said
    # LaTeX is read as plain text
    ("The sum of the interior angles of a triangle is 180 degrees.", "180^\\circ",
     "What is the sum of the interior angles of a triangle, in degrees?", True),
    ("The answer is 3/4.", "\\frac{3}{4}", "What is $\\frac{1}{2} + \\frac{1}{4}$?", True),
    ("$\\boxed{\\dfrac{3}{4}}$", "3/4", "What is 3 divided by 4?", True),
    ("The answer is 1/2.", "\\frac{3}{4}", "What is $\\frac{1}{2} + \\frac{1}{4}$?", False),
    ("$x = 4$", "4", "Solve for $x$: $2x + 3 = 11$.", True),
    ("It is \\sqrt{2}.", "\\sqrt{2}", "What is the square root of 2?", True),
    ("It is \\sqrt{3}.", "\\sqrt{2}", "What is the square root of 2?", False),
    # a fraction is also said by its decimal value, unless the question asks for a fraction
    ("3 divided by 4 equals 0.75.", "\\frac{3}{4}", "What is 3 divided by 4?", True),
    ("It is 0.1667.", "1/6", "What is half of one third?", True),  # rounds to 0.17: 1/6 said to four places
    ("It is 0.2.", "1/6", "What is half of one third?", False),
    ("3 divided by 4 equals 0.5.", "\\frac{3}{4}", "What is 3 divided by 4?", False),
    ("The answer is 0.5.", "\\frac{1}{2}", "Write 0.5 as a fraction.", False),  # the fraction is asked for
    ("The answer is 1/2.", "\\frac{1}{2}", "Write 0.5 as a fraction.", True),
    # a catalogue name is said without what the catalogue adds to it
    ("The company that makes the iPhone is Apple.", "Apple Inc.", "Which company makes the iPhone?", True),
    ("The Titanic sank after hitting an iceberg in 1912.", "RMS Titanic", "Which ship sank after hitting an iceberg in 1912?", True),
    ("The official language of Brazil is Portuguese.", "Portuguese language", "What is the official language of Brazil?", True),
    ("The capital of Japan is Tokyo.", "Tokyo, Japan", "What city is the capital of Japan?", True),
    ("It is a symbol of Paris, France.", "French Republic", "Which country is famous for the Eiffel Tower?", True),
    ("Kenya.", "Republic of Kenya", "Which country has Nairobi as its capital?", True),
    ("The capital of Japan is Kyoto.", "Tokyo, Japan", "What city is the capital of Japan?", False),
    ("Samsung makes it.", "Apple Inc.", "Which company makes the iPhone?", False),
    ("Spanish.", "Portuguese language", "What is the official language of Brazil?", False),
    # a faith by its followers' name, a sport, a genre and a city by their everyday names
    ("Most people in Pakistan are Muslim.", "Islam", "What is the religion of Pakistan?", True),
    ("Most people in Pakistan are Hindu.", "Islam", "What is the religion of Pakistan?", False),
    ("The Pope is Catholic.", "Catholic Church", "What is the religion of the Pope?", True),
    ("Messi plays football.", "association football", "What sport does Messi play?", True),
    ("Metallica plays rock.", "rock music", "What genre is Metallica?", True),
    ("Metallica plays pop music.", "rock music", "What genre is Metallica?", False),
    ("The capital of Scotland is Edinburgh.", "City of Edinburgh", "What is the capital of Scotland?", True),
    # a gold's "about" need not be said
    ("It takes approximately 8 minutes and 30 seconds.", "about 8 minutes", "How long does sunlight take to reach us?", True),
    ("It takes about 9 minutes.", "about 8 minutes", "How long does sunlight take to reach us?", False),
    # a hyphenated nationality is another one; "-born" and a region ("Asia-Pacific") are not
    ("Frida Kahlo was a Mexican-American artist.", "Mexican", "What nationality was Frida Kahlo?", False),
    ("He was a German-born physicist.", "German", "What nationality was Albert Einstein?", True),
    ("China is in the Asia-Pacific region.", "Asia", "Which continent is China in?", True),
    # superscripts are powers, and "square"/"cubic" before a unit says one: "9 m²" == "9 square metres" == "9 m2"
    ("The area is 9 square meters.", "9 m²", "What is the area of a square with sides of 3 metres?", True),
    ("The area is 9 m2.", "9 m²", "What is the area of a square with sides of 3 metres?", True),
    ("The area is 9 meters.", "9 m²", "What is the area of a square with sides of 3 metres?", False),
    ("It holds 2 cubic metres.", "2 m³", "What is the volume of the tank?", True),
    ("Its area is 9 sq km.", "9 km²", "What is the area of the park?", True),
    ("It is 2^10.", "2¹⁰", "What is 2 to the power of 10, written as a power?", True),
    ("210", "2¹⁰", "What is 2 to the power of 10, written as a power?", False),  # not 2^10 run together
    # a gold equation's right side says it
    ("2 to the power of 10 is 1024.", "2¹⁰ = 1024", "What is 2 to the power of 10?", True),
    ("The square root of 144 is 12.", "√144 = 12", "What is the square root of 144?", True),
    ("The square root of 144 is 14.", "√144 = 12", "What is the square root of 144?", False),
    ("x is 5.", "x = 5", "Solve 2x = 10.", True),
    # a measurement in another metric unit; an approximate gold by a value that rounds to it within 2%
    ("The marathon is 42,195 metres long.", "42.195 km", "How long is a marathon?", True),
    ("The marathon is 42 metres long.", "42.195 km", "How long is a marathon?", False),
    ("Light travels at approximately 299,792,458 meters per second.", "≈ 300,000 km/s",
     "What is the speed of light in a vacuum, in kilometres per second?", True),
    ("About 299,792 km/s.", "≈ 300,000 km/s", "What is the speed of light?", True),
    ("About 250,000 km/s.", "≈ 300,000 km/s", "What is the speed of light?", False),  # rounds to it, but 17% off
    ("About 299,792 km/s.", "300,000 km/s", "What is the speed of light?", False),  # a gold not marked approximate
    ("The universe is about 13.9 billion years old.", "about 13.8 billion years", "How old is the universe?", False),
    ("It was built around 1520.", "around 1500", "When was it built?", False),  # a year gets no margin
]


def test_a_us_date_is_one_item_not_two():
    q = "In what city was Wolfgang Amadeus Mozart born?"
    # "on December 27, 1756": the comma is the date's, so "1756" is no second guess beside Salzburg
    assert is_correct("Wolfgang Amadeus Mozart was born in Salzburg, Austria, on December 27, 1756.", ["Salzburg"], q)
    assert not is_correct("Mozart was born in Salzburg, Vienna, Linz or Graz.", ["Salzburg"], q)


def test_a_span_said_with_a_is_one_of_it():
    q = "How long does the Earth take to rotate once on its axis?"
    golds = ["24 hours", "one day", "a day"]
    assert not is_correct("The Earth takes approximately 365.25 days to complete one rotation.", golds, q)
    assert is_correct("It takes a day.", golds, q)
    assert is_correct("About one day.", ["a day"], q)


def test_a_measurement_noun_in_the_question_asks_for_a_measurement():
    # "speed" asks for a measurement, as "how fast" does: a value to decimals says the whole number it rounds to
    assert is_correct("The speed of sound in air is approximately 343.13 meters per second.", ["343 m/s"],
                      "What is the speed of sound in air?")
    assert not is_correct("The speed of sound in air is approximately 343.63 meters per second.", ["343 m/s"],
                          "What is the speed of sound in air?")
    # a count is no measurement: 206.4 bones is not 206
    assert not is_correct("There are 206.4 bones.", ["206"], "What is the number of bones in the human body?")


@pytest.mark.parametrize("pred,ok", [
    ("The Renaissance and the Industrial Revolution are two distinct eras in history.", False),  # both named
    ("The Renaissance came first, and the Industrial Revolution came later.", True),
    ("The Renaissance came before the Industrial Revolution.", True),
    ("The Renaissance came first, but the Industrial Revolution came first.", False),  # contradicts its pick
    ("Did the Renaissance come first?", False),  # the question asked back
])
def test_a_choice_names_one_option_and_keeps_to_it(pred, ok):
    assert is_correct(pred, ["the Renaissance"], "Which came first, the Renaissance or the Industrial Revolution?") is ok


def test_a_choice_contradicted_by_the_same_comparative_later_picks_none():
    q = "Which is the larger country by area, Russia or China?"
    assert not is_correct("Russia is the larger country by area, but China is the larger country by area.", ["Russia"], q)
    assert is_correct("Russia is the larger country by area, but China has more people.", ["Russia"], q)
    assert is_correct("Russia is larger than China, but China is older.", ["Russia"], q)
    assert not is_correct("Was Pablo Picasso Spanish?", ["Spanish"], "Was Pablo Picasso Spanish or Italian?")


def test_a_yes_no_answer_taken_back_by_a_correction():
    q = "Are the Beatles and the Rolling Stones both from England?"
    assert not is_correct("The Beatles and the Rolling Stones are both from England, but the Rolling Stones are "
                          "actually from Scotland.", ["yes"], q)
    assert is_correct("The Beatles and the Rolling Stones are both from England.", ["yes"], q)
    # a correction that does not answer leaves the answer as it was
    assert is_correct("Yes, Paris is the capital of France, but it is actually quite small.", ["yes"],
                      "Is Paris the capital of France?")
    assert not is_correct("Paris is the capital of France, but actually the capital of France is Lyon.", ["yes"],
                          "Is Paris the capital of France?")


def test_a_refusal_answers_no_yes_no_question():
    q = "Did Shakespeare ever use a computer?"
    assert not is_correct("I'm sorry, but as a chatbot, I don't have the capability to access personal data.", ["no"], q)
    assert not is_correct("As an AI language model, I cannot say.", ["no"], q)
    assert is_correct("No, computers did not exist in his time.", ["no"], q)


def test_a_copy_of_every_sentence_of_a_longer_passage_picks_no_answer():
    q = ("Context: The printing press was invented by Johannes Gutenberg around 1440. His machine used movable metal "
         "type. The Gutenberg Bible was one of the first major books printed with it.\nQuestion: Who invented the "
         "printing press?")
    copy = ("The printing press was invented by Johannes Gutenberg around 1440. His machine used movable metal type. "
            "The Gutenberg Bible was one of the first major books printed with it.")
    assert not is_correct(copy, ["Johannes Gutenberg", "Gutenberg"], q)  # two sentences hold the alias, all copied
    assert is_correct("The printing press was invented by Johannes Gutenberg around 1440.", ["Gutenberg"], q)
    # a two-sentence passage copied whole keeps the older rule: one copied sentence besides the answer's is an answer
    q2 = "Context: Peru lies in the Americas. The capital of Peru is Lima.\nQuestion: What is the capital of Peru?"
    assert is_correct("Peru lies in the Americas. The capital of Peru is Lima.", ["Lima"], q2)


def test_list_numbering_is_no_number_said():
    q = "How many queens does a colony have?"
    assert not is_correct("A few words: 1. A colony of bees is a group. 2. A colony is a group.", ["one", "1"], q)
    assert is_correct("A colony has 1 queen.", ["one", "1"], q)
    assert is_correct("1. Spanish: 1.9", ["Spanish"], "Which language has more native speakers, Spanish or Italian?")


@pytest.mark.parametrize("pred,gold,ok", [
    ("The company that makes the Corolla car is Toyota.", "Toyota Motor Corporation", True),
    ("The company that makes Galaxy phones is Samsung.", "Samsung Electronics", True),
    ("The company that makes the PlayStation is Sony Corporation.", "Sony Group Corporation", True),
    ("The company that makes Coca-Cola is Coca-Cola.", "The Coca-Cola Company", True),
    ("It is General Electric.", "General Motors", False),  # not down to a common word: "General"
    ("The company is Honda.", "Toyota Motor Corporation", False),
])
def test_a_company_is_named_without_its_suffixes(pred, gold, ok):
    assert is_correct(pred, [gold], "Which company makes it?") is ok


def test_a_country_named_only_in_its_capitals_name_is_no_echo():
    assert is_correct("Mexico City is the capital of Mexico.", ["United Mexican States"],
                      "Which country has Mexico City as its capital?")
    assert not is_correct("The UK.", ["United Kingdom"], "Which country is abbreviated as the UK?")


@pytest.mark.parametrize("pred,gold,ok", [
    ("World War II lasted from 1939 to 1945.", "1939–1945", True),
    ("It was fought between 1939 and 1945.", "1939-1945", True),
    ("1939–1945", "1939 to 1945", True),
    ("It started in 1939.", "1939–1945", False),  # the first year alone says no range
    ("From 1914 to 1918.", "1939–1945", False),
])
def test_a_range_is_said_in_each_way_people_write_one(pred, gold, ok):
    assert is_correct(pred, [gold], "When was World War II fought?") is ok


@pytest.mark.parametrize("pred,q,ok", [
    ("It landed on July 20, 1969.", "When did Apollo 11 land?", True),
    ("It landed on July 21, 1968.", "When did Apollo 11 land?", False),
    ("It landed in 1969.", "When did Apollo 11 land?", True),  # the gold date's year answers "when"
    ("It landed on 3 March 1969.", "When did Apollo 11 land?", False),  # another day of that year does not
    ("It landed in 1969.", "On what date did Apollo 11 land?", False),  # the date is asked
])
def test_a_wikidata_time_is_a_date(pred, q, ok):
    assert is_correct(pred, ["+1969-07-20T00:00:00Z"], q) is ok
    assert is_correct("In 1969.", ["+1969-00-00T00:00:00Z"], "In what year did Apollo 11 land?")


def test_a_described_name_is_no_list_and_a_date_in_the_description_is_one_thing():
    q = "Which French queen is said to have said 'Let them eat cake'?"
    # commas around an appositive and a long clause make no list of four guesses
    assert is_correct("The French queen, Marie Antoinette, said it to her husband, Louis-Philippe, in 1782.",
                      ["Marie Antoinette"], q)
    assert not is_correct("Paris, Lyon, Nice, Lille.", ["Paris"], "Where is the Louvre?")  # short items: a list
    q2 = "Which US president was assassinated in Dallas in 1963?"
    assert is_correct("The assassination of President John F. Kennedy was a tragic event that occurred on November 22, "
                      "1963, during the Cuban Missile Crisis.", ["John F. Kennedy"], q2)  # "November 22": one name


def test_an_epithet_need_not_be_said():
    q = "Which Roman emperor made Christianity legal?"
    assert is_correct("The Roman Emperor Constantine made Christianity legal.", ["Constantine the Great"], q)
    assert not is_correct("The Roman Emperor Nero made Christianity legal.", ["Constantine the Great"], q)


@pytest.mark.parametrize("pred,gold,q,ok", [
    ("Venus has no moons.", "0", "How many moons does Venus have?", True),
    ("None.", "0", "How many moons does Venus have?", True),
    ("Venus has no moons, but 2 rings.", "0", "How many moons does Venus have?", False),  # a number said
    ("Venus has no rings.", "0", "How many moons does Venus have?", False),  # not what is counted
    ("Mars has no moons.", "2", "How many moons does Mars have?", False),
    ("Nobody.", "no one", "Who has walked on Mars?", True),
    ("Neil Armstrong.", "no one", "Who has walked on Mars?", False),
])
def test_none_said_in_words(pred, gold, q, ok):
    assert is_correct(pred, [gold], q) is ok


_COUNTS_IN_WORDS = [
    # "twice"/"thrice" are counts; "once" is one where the question counts times
    ("Napoleon was exiled twice.", 2, "How many times was Napoleon exiled?", True),
    ("He won it thrice.", 3, "How many times did he win?", True),
    ("He won once.", 1, "How many times did he win?", True),
    ("Christmas occurs twice a year.", 1, "How many times a year does Christmas occur?", False),
    ("Rome was once the capital.", 1, "How many capitals did Italy have?", False),  # "once": formerly
    # a dozen, halves and quarters in words
    ("There are a dozen eggs.", 12, "How many eggs are in a carton?", True),
    ("Two dozen.", 24, "How many eggs are in two cartons?", True),
    ("Half of 7 is three and a half.", 3.5, "What is half of 7?", True),
    ("Half of 7 is 3.", 3.5, "What is half of 7?", False),
    ("About one and a half million people.", "1.5 million", "How many people live in Hamburg?", True),
    ("Half a million.", 500000, "How many people live there?", True),
    ("Two and three quarters.", 2.75, "What is 11 divided by 4?", True),
    # a fraction in words
    ("30 minutes is half an hour.", "1/2", "What fraction of an hour is 30 minutes?", True),
    ("25 cents is a quarter of a dollar.", "1/4", "What fraction of a dollar is 25 cents?", True),
    ("25 cents is half of a dollar.", "1/4", "What fraction of a dollar is 25 cents?", False),
    ("It is two thirds.", "2/3", "What fraction is 2 out of 3?", True),
    ("Three quarters.", "3/4", "What is 0.75 as a fraction?", True),
    ("A quarter.", "1/2", "What fraction of an hour is 30 minutes?", False),
]


_OTHER_NAMES_AND_INITIALS = [
    # a city by its English name, its own, or an older name still in use; not where the question names the other
    ("The capital of China is Beijing.", "Peking", "What is the capital of China?", True),
    ("The capital of Austria is Vienna.", "Wien", "What is the capital of Austria?", True),
    ("The capital of Denmark is Copenhagen.", "København", "What is the capital of Denmark?", True),
    ("It is København.", "Copenhagen", "What is the capital of Denmark?", True),  # ø is o
    ("The largest city in Myanmar is Yangon.", "Rangoon", "What is the largest city in Myanmar?", True),
    ("The capital of Austria is Prague.", "Wien", "What is the capital of Austria?", False),
    ("Mumbai was formerly known as Mumbai.", "Bombay", "What was Mumbai formerly called?", False),
    ("The holy book of Islam is the Quran.", "Koran", "What is the holy book of Islam?", True),
    ("Libya was ruled by Muammar Gaddafi.", "Muammar Qaddafi", "Who ruled Libya from 1969 to 2011?", True),
    ("Hanoi is the capital of Viet Nam.", "Vietnam", "Hanoi is the capital of which country?", True),  # the UN's spelling
    # a name by its initials and initials by the name, unless the question says the other form
    ("President John F. Kennedy was shot in Dallas.", "JFK", "Which US president was assassinated in Dallas?", True),
    ("It was delivered by Martin Luther King Jr.", "MLK", "Who gave the 'I Have a Dream' speech?", True),
    ("It was FDR.", "Franklin D. Roosevelt", "Which US president introduced the New Deal?", True),
    ("It was JFK.", "Franklin D. Roosevelt", "Which US president introduced the New Deal?", False),
    ("It was John Fitzgerald.", "JFK", "Which US president was assassinated in Dallas?", False),
    # a name's first words by their initials, the rest as written
    ("The airport with the code JFK is JFK International Airport.", "John F. Kennedy International Airport",
     "What airport has the code JFK?", True),
    ("The UN Security Council has 15 members.", "United Nations Security Council", "Which body has 15 members?", True),
    ("The JFK Center is in Washington.", "John F. Kennedy International Airport", "Which airport is in New York?", False),
    ("The National Aeronautics and Space Administration.", "NASA", "Which agency ran Apollo?", True),
    ("NASA stands for NASA.", "National Aeronautics and Space Administration", "What does NASA stand for?", False),
    # named items after an Oxford comma are one list of guesses
    ("Confucius, Lao Tzu, and Mencius.", "Confucius", "Which philosopher's teachings are in the Analects?", False),
    ("It explores identity, culture, and the power of language, by Gabriel García Márquez.", "García Márquez",
     "Who wrote 'One Hundred Years of Solitude'?", True),
]


_SCALES_AND_DURATIONS = [
    # "bn"/"mn" as newspapers write them
    ("The world's population is approximately 7.9 billion.", "8 bn", "What is the population of the world, roughly?", True),
    ("About 8 bn.", "8 billion", "What is the population of the world?", True),
    ("About 3 bn.", "8 billion", "What is the population of the world?", False),
    # a duration in other units, not the question's own quantity
    ("A match lasts one and a half hours.", "90 minutes", "How long is a football match?", True),
    ("A match lasts 1.5 hours.", "90 minutes", "How long is a football match?", True),
    ("A match lasts 2 hours.", "90 minutes", "How long is a football match?", False),
    ("It is 1.5 hours.", "90", "How long is an hour and a half in minutes?", False),  # no unit in the gold
    ("Two hours is 2 hours and 15 minutes.", "120 minutes", "How many minutes are in two hours?", False),
]


_ALTERNATIVES_AND_REASONS = [
    # a yes/no gold with its reason: the first word answers
    ("Paris is the capital of France.", "Yes, it is.", "Is Paris the capital of France?", True),
    ("No, penguins do not live at the North Pole.", "No, they live in the Southern Hemisphere.",
     "Do penguins live at the North Pole?", True),
    ("Yes, penguins live at the North Pole.", "No, they live in the Southern Hemisphere.",
     "Do penguins live at the North Pole?", False),
    ("Sydney is the capital of Australia.", "No, Canberra is.", "Is Sydney the capital of Australia?", False),
    ("No.", "No (it is Canberra)", "Is Sydney the capital of Australia?", True),
    ("No.", "Norway", "Which country has Oslo as its capital?", False),  # not a yes/no question
    # alternatives written inside one gold
    ("The currency of Japan is the Japanese Yen (JPY).", "yen or Japanese yen", "What is the currency of Japan?", True),
    ("It is Myanmar.", "Myanmar/Burma", "Which country has Naypyidaw as its capital?", True),
    ("It is Thailand.", "Myanmar/Burma", "Which country has Naypyidaw as its capital?", False),
    ("It was painted by Michelangelo.", "Michelangelo Buonarroti / Michelangelo", "Who painted the Sistine Chapel ceiling?", True),
    ("Bees make honey and wax.", "honey; also beeswax", "What do bees make?", True),
    ("It is the Sahara Desert.", "Antarctica (or the Sahara, if only hot deserts count)", "What is the largest desert?", True),
    ("It is the Gobi Desert.", "Antarctica (or the Sahara, if only hot deserts count)", "What is the largest desert?", False),
    ("They played DC.", "AC/DC", "Which band recorded 'Highway to Hell'?", False),  # a name, not two
    ("About 300 km.", "300 km/h", "What is the top speed of the train?", False),  # a unit, not two
]


_DESCRIPTIONS = [
    # a description gold is also said in other words: 3/4 of its content words the question does not say (stemmed)
    ("The heart is an organ that pumps blood throughout the body.", "pumps blood through the body", "What does the heart do?", True),
    ("The seasons are caused by the Earth's tilt on its axis.", "the tilt of the Earth's axis", "What causes the seasons on Earth?", True),
    ("The roots absorb nutrients from the soil.", "to absorb water and nutrients from the soil", "What is the job of the roots of a plant?", True),
    ("The roots grow and thrive.", "to absorb water and nutrients from the soil", "What is the job of the roots of a plant?", False),
    ("The heart does not pump blood through the body.", "pumps blood through the body", "What does the heart do?", False),
    ("Because the Earth orbits the Sun on its axis.", "because the Earth rotates on its axis", "Why do we have day and night?", False),  # 2 of 3
    ("It is responsible for processing information and controlling the body.", "controls the body and processes information",
     "What does the brain do?", True),
    # not for a name, a list or a number, nor for a question that asks who, where or when
    ("Red, blue, green and yellow.", "red, green and blue", "What are the primary colours of light?", False),
    ("About 13.9 billion years.", "about 13.8 billion years", "How old is the universe?", False),
    ("The World Trade Organization.", "World Health Organization and its regional offices", "What agency deals with health?", False),
    ("He pumps blood throughout the body.", "pumps blood through the body", "Who is the heart?", False),
]


_ORDINALS_AND_SYMBOLS = [
    # the world wars by number, ordinal or initials
    ("The Treaty of Versailles ended World War I.", "the First World War", "Which war did the Treaty of Versailles end?", True),
    ("The Treaty of Versailles ended the Great War.", "World War I", "Which war did the Treaty of Versailles end?", True),
    ("It ended WWII.", "the Second World War", "Which war ended in 1945?", True),
    ("The Treaty of Versailles ended World War II.", "the First World War", "Which war did the Treaty of Versailles end?", False),
    # a compound ordinal in words is its number ("twenty-first" is 21st; "twenty seconds" is still a duration)
    ("We live in the twenty-first century.", "21st century", "Which century are we living in now?", True),
    ("We live in the 21st century.", "twenty-first century", "Which century are we living in now?", True),
    ("We live in the twentieth century.", "21st century", "Which century are we living in now?", False),
    ("The Twenty-Second Amendment limits presidents to two terms.", "22nd Amendment",
     "Which amendment limits US presidents to two terms?", True),
    ("It takes twenty seconds.", "20 s", "How long does it take?", True),
    # a symbol gold is read as written: alone, quoted or in backticks, and not beside another symbol
    ("The symbol in Python is the `#` symbol.", "#", "What symbol starts a comment in Python?", True),
    ("#", "#", "What symbol starts a comment in Python?", True),
    ("'#'.", "#", "What symbol starts a comment in Python?", True),
    ("Use # or //.", "#", "What symbol starts a comment in Python?", False),
    ("The symbol is //.", "#", "What symbol starts a comment in Python?", False),
    ("C# is a language.", "#", "What symbol starts a comment in Python?", False),
    # scientific notation is the number it writes, in each way it is written; a question that asks for the notation
    # is answered only in it
    ("The Sun is 93 million miles (149.6 million kilometers) away.", "about 1.5 × 10^8 km", "How far is the Sun from the Earth in kilometres?", True),
    ("It is about 1.5 x 10^9 km away.", "about 1.5 × 10^8 km", "How far is the Sun from the Earth in kilometres?", False),
    ("Avogadro's number is 6.022e23.", "6.022 × 10^23", "What is Avogadro's number?", True),
    ("Avogadro's number is 6.02 × 10²³.", "6.022 × 10^23", "What is Avogadro's number?", True),
    ("Avogadro's number is $6.022 \\times 10^{23}$.", "6.022 × 10^23", "What is Avogadro's number?", True),
    ("Avogadro's number is 6.022 × 10^22.", "6.022 × 10^23", "What is Avogadro's number?", False),
    ("It is 1.602 × 10⁻¹⁹ coulombs.", "1.602 × 10^-19", "What is the elementary charge in coulombs?", True),
    ("It is 1.602 × 10^19 coulombs.", "1.602 × 10^-19", "What is the elementary charge in coulombs?", False),
    ("It is 3 times 10 to the power of 8 m/s.", "300,000,000 m/s", "What is the speed of light in m/s?", True),
    ("5,000 in scientific notation is 5 × 10^3.", "5 × 10^3", "Write 5,000 in scientific notation.", True),
    ("The answer is 5 x 10^3.", "5 × 10^3", "Write 5,000 in scientific notation.", True),
    ("The answer is 5000.", "5 × 10^3", "Write 5,000 in scientific notation.", False),
    ("The answer is 5 x 10^4.", "5 × 10^3", "Write 5,000 in scientific notation.", False),
    # a time of day in words is the time it says
    ("At 3 o'clock.", "3:00", "What time is it when the hour hand is on 3 and the minute hand on 12?", True),
    ("It is three o'clock.", "3:00", "What time is it when the hour hand is on 3 and the minute hand on 12?", True),
    ("It is half past two.", "2:30", "What time is 150 minutes after midnight?", True),
    ("It is half past three.", "2:30", "What time is 150 minutes after midnight?", False),
    ("A quarter to five.", "4:45", "What time is fifteen minutes before five?", True),
    ("A quarter past five.", "4:45", "What time is fifteen minutes before five?", False),
    # a noun said in the other number, unless the question asks for the number
    ("The caterpillar turns into a butterfly.", "butterflies", "What do caterpillars turn into?", True),
    ("They turn into butterflies.", "butterfly", "What do caterpillars turn into?", True),
    ("I use the human eye to see.", "eyes", "Which organ do you use to see?", True),
    ("Birds build a nest to lay eggs in.", "nests", "What do birds build to lay eggs in?", True),
    ("The answer is a box.", "boxes", "What are cartons also called?", True),
    ("The capital of France is Pari.", "Paris", "What is the capital of France?", False),  # "is" is no plural
    ("It was the virus.", "virus", "What causes flu?", True),
    ("The plural of cat is cat.", "cats", "What is the plural of 'cat'?", False),
    ("The plural of cat is cats.", "cats", "What is the plural of 'cat'?", True),
    ("The singular of cats is cats.", "cat", "What is the singular of 'cats'?", False),
    # a verb said as its "-ing" form, or a gerund gold said as its verb (words of 7 letters or more)
    ("Bees help flowers by pollinating them.", "pollinate", "What do bees do to flowers?", True),
    ("I use my lungs to breathe.", "breathing", "What do you use your lungs for?", True),
    ("People go swimming.", "swim", "What do people do in a pool?", True),
    ("Owls hunt even by day.", "evening", "When do owls hunt?", False),  # the bare stem is another word
]


@pytest.mark.parametrize("pred,gold,q,ok", _WRITTEN_FORMS + _COUNTS_IN_WORDS + _OTHER_NAMES_AND_INITIALS + _SCALES_AND_DURATIONS
                         + _ALTERNATIVES_AND_REASONS + _DESCRIPTIONS + _ORDINALS_AND_SYMBOLS)
def test_a_gold_written_in_another_form_is_read_as_said(pred, gold, q, ok):
    assert is_correct(pred, [gold], q) is ok


@pytest.mark.parametrize("pred,gold,q,ok", [
    ("The capital of Kuwait City is Kuwait City.", "Kuwait", "Which country has Kuwait City as its capital?", False),
    ("Kuwait City is the capital of Kuwait.", "Kuwait", "Which country has Kuwait City as its capital?", True),
    ("Andorra la Vella is the capital of Andorra la Vella.", "Andorra", "Andorra la Vella is the capital of which country?", False),
    ("Andorra la Vella is the capital of Andorra.", "Andorra", "Andorra la Vella is the capital of which country?", True),
    ("São Tomé and Príncipe is the capital of São Tomé and Príncipe.", "São Tomé", "What is the capital of São Tomé and Príncipe?", False),
    ("The capital of São Tomé and Príncipe is São Tomé.", "São Tomé", "What is the capital of São Tomé and Príncipe?", True),
    ("The capital of Guinea-Bissau is Guinea-Bissau.", "Bissau", "What is the capital of Guinea-Bissau?", False),
    ("The capital of Guinea-Bissau is Bissau.", "Bissau", "What is the capital of Guinea-Bissau?", True),
    # a list of options is no name: the option said once is still the question's own mention
    ("Plants need sunlight, soil and water.", "sunlight", "What do plants need? Options: soil, sunlight, sand, rocks", False),
    # what the question quotes is its echo too, said once or twice
    ('The song "Yesterday, all my troubles seemed so far away" is "Yesterday, all my troubles seemed so far away"',
     "Yesterday", "Which Beatles song begins with 'Yesterday, all my troubles seemed so far away'?", False),
    ("The song is Yesterday.", "Yesterday", "Which Beatles song begins with 'Yesterday, all my troubles seemed so far away'?",
     True),
    ('The song "Yesterday, all my troubles seemed so far away" is called "Yesterday".', "Yesterday",
     "Which Beatles song begins with \"Yesterday, all my troubles seemed so far away\"?", True),
    ("'Here's looking at you, kid' is from Casablanca.", "Casablanca",
     "Which film features the line 'Here's looking at you, kid'?", True),
    # what comes before the name's "of" is said back too
    ("The Blue Mountains of Australia are named after the Blue Mountains, a range in Australia.", "blue",
     "What colour are the Blue Mountains of Australia named after?", False),
    ("The Blue Mountains of Australia are named after the blue haze of eucalyptus oil.", "blue",
     "What colour are the Blue Mountains of Australia named after?", True),
    ("The Gulf of Mexico is named after Mexico.", "Mexico", "Which country is the Gulf of Mexico named after?", True),
])
def test_a_mention_inside_a_longer_name_of_the_question_is_its_echo(pred, gold, q, ok):
    assert is_correct(pred, [gold], q) is ok


@pytest.mark.parametrize("pred,gold,ok", [
    ("The name of Sherlock Holmes's assistant is Dr. John Watson", "Dr. Watson", True),
    ("His assistant is Watson.", "Dr. Watson", True),
    ("His assistant is Dr. John Smith.", "Dr. Watson", False),
])
def test_a_name_is_said_without_its_honorific(pred, gold, ok):
    assert is_correct(pred, [gold], "What is the name of Sherlock Holmes's assistant?") is ok
    # "DR Congo" is no honorific: "Congo" alone is another country
    assert not is_correct("It is Congo.", ["DR Congo"], "Which country has Kinshasa as its capital?")


_AROUND_THE_ANSWER = [
    # reasoning before the answer is no answer: only what follows "</think>" is graded
    ("<think>7 times 8 is 54? No: 56.</think>\n56", "56", "What is 7 times 8?", True),
    ("<think>Let me think. 7*8=56.</think>\nThe answer is 54.", "56", "What is 7 times 8?", False),
    ("Peru is in South America.</think>The capital of Peru is Lima.", "Lima", "What is the capital of Peru?", True),
    ("Lima is the capital.</think>\nIt is Cusco.", "Lima", "What is the capital of Peru?", False),
    ("<think>Peru's capital could be Lima or Cusco, I need to", "Lima", "What is the capital of Peru?", False),
    # RLCR's tags: the answer is what "<answer>" holds; "<analysis>" and "<confidence>" are no part of it
    ("<think>Peru's capital is Lima.</think><answer>Lima</answer><analysis>sure</analysis><confidence>0.9</confidence>",
     "Lima", "What is the capital of Peru?", True),
    ("<think>Could be Cusco or Lima.</think><answer>Cusco</answer><confidence>0.4</confidence>", "Lima",
     "What is the capital of Peru?", False),
    ("<answer>8</answer> <confidence>0.9</confidence>", "8", "How many legs does a spider have?", True),
    ("<answer>6</answer> <confidence>0.8</confidence>", "8", "How many legs does a spider have?", False),
    # a stated confidence, on its own line or at the end, is no number the answer says
    ("Answer: Shakespeare\nConfidence: 9", "William Shakespeare", "Who wrote Hamlet?", True),
    ("Eight.\n\n**Confidence:** 80%", "8", "How many legs does a spider have?", True),
    ("Spiders have 8 legs. Confidence: 0.9", "8", "How many legs does a spider have?", True),
    ("Spiders have 8 legs (confidence: 9/10).", "8", "How many legs does a spider have?", True),
    ("Spiders have 6 legs.\nConfidence level: 8", "8", "How many legs does a spider have?", False),
    ("I am confident the answer is 8.", "8", "How many legs does a spider have?", True),
]


@pytest.mark.parametrize("pred,gold,q,ok", _AROUND_THE_ANSWER)
def test_reasoning_tags_and_a_stated_confidence_are_no_part_of_the_answer(pred, gold, q, ok):
    assert is_correct(pred, [gold], q) is ok


@pytest.mark.parametrize("pred,gold,q,ok", [
    ("- Paris\n- Lyon\n- Marseille", "Paris", "What is the capital of France?", False),
    ("Paris\nLondon", "Paris", "What is the capital of France?", False),
    ("1. Paris\n2. Lyon", "Paris", "What is the capital of France?", False),
    ("Possible answers:\n* Paris\n* Lyon\n* Nice", "Paris", "What is the capital of France?", False),
    ("8\n6\n10", "8", "How many legs does a spider have?", False),
    ("- butterflies\n- moths", "butterflies", "What do caterpillars turn into?", False),
    # one item, the same item twice, or the question's own words beside it: no choice left open
    ("- Paris", "Paris", "What is the capital of France?", True),
    ("Paris\nParis", "Paris", "What is the capital of France?", True),
    ("Paris\nFrance", "Paris", "What is the capital of France?", True),
    # a gold that is a list is said by its items one a line, in any order, under a heading or not
    ("- solid\n- liquid\n- gas", "solid, liquid and gas", "What are the three states of matter?", True),
    ("The three states are:\n1) gas\n2) solid\n3) liquid", "solid, liquid and gas", "What are the three states of matter?",
     True),
    ("- solid\n- liquid\n- plasma", "solid, liquid and gas", "What are the three states of matter?", False),
    # lines that are sentences are no list: numbered reasoning, or an answer then notes about it
    ("1. WWII began in 1939.\n2. It ended in 1945.", "1945", "What year did World War II end?", True),
    ("The capital of France is Paris.\n- It is on the Seine.\n- It has 2 million people.", "Paris",
     "What is the capital of France?", True),
])
def test_an_answer_written_one_item_a_line_is_a_list(pred, gold, q, ok):
    assert is_correct(pred, [gold], q) is ok


_COUNTRIES = frozenset({"peru", "chile", "ecuador", "brazil", "bolivia"})
_CONTINENTS = frozenset({"africa", "asia", "europe", "caribbean", "americas", "north america", "south america"})


@pytest.mark.parametrize("pred,gold,q,pool,ok", [
    # a competitor in what the answer goes on to say of its answer is no second candidate
    ("Lima is the capital of Peru, which borders Chile and Ecuador.", "Peru", "Which country is Lima the capital of?",
     _COUNTRIES, True),
    ("Peru, bordered by Brazil and Bolivia to the east.", "Peru", "Which country is Lima the capital of?", _COUNTRIES, True),
    ("Panama is located in the Americas, and it is bordered by the Caribbean to the north.", "Americas",
     "Which continent is Panama in?", _CONTINENTS, True),
    # before the answer, beside it, or after a hedging word it still is
    ("Lima is the capital of Chile, which borders Peru.", "Peru", "Which country is Lima the capital of?", _COUNTRIES, False),
    ("Peru or Chile, which are neighbours.", "Peru", "Which country is Lima the capital of?", _COUNTRIES, False),
    ("It is Peru, though it might be Ecuador.", "Peru", "Which country is Lima the capital of?", _COUNTRIES, False),
])
def test_a_competitor_in_a_description_of_the_answer_is_no_candidate(pred, gold, q, pool, ok):
    assert is_correct(pred, [gold], q, pool) is ok


_NORDIC = ["Denmark", "Finland", "Iceland", "Norway", "Sweden"]
_OCEANS = ["Pacific", "Atlantic", "Indian", "Arctic", "Southern"]
_WONDERS = ["Great Pyramid of Giza", "Colossus of Rhodes", "Lighthouse of Alexandria", "Hanging Gardens of Babylon"]
_MONA_LISA = ["Leonardo da Vinci", "da Vinci", "Leonardo"]


@pytest.mark.parametrize("pred,golds,q,ok", [
    # several accepted answers named together are no extra words, and "or" between two of them hedges nothing
    ("Nordic countries include Norway, Sweden, Denmark, Finland, and Iceland.", _NORDIC, "Name a Nordic country.", True),
    ("Nordic countries include Norway, Sweden, Denmark, Finland, Iceland, and Norway.", _NORDIC, "Name a Nordic country.",
     True),
    ("The seven continents are Africa, Antarctica, Australia, North America and South America.",
     ["Africa", "Antarctica", "Asia", "Australia", "Europe", "North America", "South America"],
     "Name one of the seven continents.", True),
    ("Norway or Sweden.", _NORDIC, "Name a Nordic country.", True),
    # one item that is no accepted answer makes the list one of guesses
    ("Norway, Sweden, or Germany.", _NORDIC, "Name a Nordic country.", False),
    ("Nordic countries include Norway, Sweden, Denmark, Germany and Poland.", _NORDIC, "Name a Nordic country.", False),
    ("Leonardo da Vinci, da Vinci, or Michelangelo.", _MONA_LISA, "Who painted the Mona Lisa?", False),
    ("It was painted by Leonardo da Vinci, the Italian artist da Vinci.", _MONA_LISA, "Who painted the Mona Lisa?", True),
    # items opened by an article are one list, not a clause each
    ("The Seven Wonders of the Ancient World are the Colossus of Rhodes, the Great Pyramid of Giza, the Lighthouse of "
     "Alexandria, the Lighthouse of Salamanca, and the Lighthouse of Alexandria.", _WONDERS,
     "Name one of the Seven Wonders of the Ancient World.", False),
    ("The Seven Wonders of the Ancient World: The Colosseum, the Lighthouse of Alexandria, the Great Pyramid of Giza, the "
     "Acropolis, the Statue of Liberty, and the Taj Mahal.", _WONDERS, "Name one of the Seven Wonders of the Ancient World.",
     False),
    ("The oceans are the Atlantic, the Pacific, the Indian and the Mediterranean.", _OCEANS, "Name one of the five oceans.",
     False),
    ("The oceans are the Atlantic, the Pacific and the Mediterranean.", _OCEANS, "Name one of the five oceans.", False),
    ("The oceans are the Atlantic, the Pacific, the Indian and the Arctic.", _OCEANS, "Name one of the five oceans.", True),
    # a list that goes on about the answer, and a description after a comma, are no list of answers
    ("The story of 'One Hundred Years of Solitude' by Gabriel García Márquez is a classic that explores the themes of "
     "identity, culture, and the power of language.", ["Gabriel García Márquez", "Marquez"],
     "Who wrote 'One Hundred Years of Solitude'?", True),
    ("Paris, the capital of France and its largest city.", ["Paris"], "What is the capital of France?", True),
    # items that each name the answer are no guesses
    ("The main components of a car tyre are the rubber compound, the rubber core, and the rubber compound.", ["rubber"],
     "What are car tyres mainly made of?", True),
])
def test_a_question_with_many_right_answers_accepts_a_list_of_them_only(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # a number given as a bound is not the value said
    ("A prime number is a positive integer greater than 2 that has no divisors other than 1 and itself.", ["2", "3"],
     "Give an example of a prime number.", False),
    ("It has more than 8 legs.", ["8"], "How many legs does a spider have?", False),
    ("At least 3.", ["3"], "How many sides does a triangle have?", False),
    ("A spider has 8 legs, more than 6.", ["8"], "How many legs does a spider have?", True),
    ("More than 50 countries, 54 in all.", ["54"], "How many countries are in Africa?", True),
    # the gulf, bay, sea, strait, isle or cape "of" a name is not that name, unless the question asks for one
    ("West Africa is bordered by the Gulf of Guinea.", ["Guinea", "Ghana"], "Can you tell me a country in West Africa?",
     False),
    ("Tokyo lies on the Sea of Japan.", ["Japan"], "Which country is Tokyo in?", False),
    ("The Gulf of Guinea, by Ghana.", ["Ghana"], "Can you tell me a country in West Africa?", True),
    ("The Gulf of Mexico.", ["Gulf of Mexico", "Mexico"], "Which gulf lies south of Texas?", True),
    ("Lake Victoria.", ["Victoria"], "Which lake is the source of the White Nile?", True),
])
def test_a_bound_or_a_place_named_after_the_answer_does_not_say_it(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # a surname the question says does not name the answer: another person of the family may be meant
    ('The mother of John F. Kennedy was Margaret "Maggie" Kennedy.', ["Rose Kennedy", "Rose Fitzgerald Kennedy", "Rose"],
     "Who was the mother of John F. Kennedy?", False),
    ("George W. Bush's father was George W. Bush.", ["George H. W. Bush", "George Bush Sr."],
     "Who was George W. Bush's father?", False),
    ("His mother was Rose Kennedy.", ["Rose Kennedy"], "Who was the mother of John F. Kennedy?", True),
    ("The brother of Orville Wright was Wilbur Wright.", ["Wilbur Wright"], "Who was the brother of Orville Wright?", True),
    ("It was Shakespeare.", ["William Shakespeare"], "Who wrote Hamlet?", True),
    # a regnal number is part of the name: "George the Sixth" is no "George"
    ("The father of Queen Elizabeth II is King George III.", ["George VI", "King George VI", "George the Sixth"],
     "Who was the father of Queen Elizabeth II?", False),
    ("King George VI.", ["George the Sixth"], "Who was the father of Queen Elizabeth II?", True),
    ("Constantine.", ["Constantine the Great"], "Which emperor founded Constantinople?", True),
])
def test_a_family_name_or_a_regnal_name_names_one_person(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,pool,ok", [
    # a name of two or more words with one letter slipped inside one long word is that name
    ("The first woman to fly solo across the Atlantic was Amelia Earhardt, a German-American pilot.",
     ["Amelia Earhart"], "Who was the first woman to fly solo across the Atlantic?", None, True),
    ("It was Amelia Earhurt.", ["Amelia Earhart"], "Who was the first woman to fly solo across the Atlantic?", None, True),
    ("Charles Dawrin wrote it.", ["Charles Darwin"], "Who wrote On the Origin of Species?", None, True),
    ("It was Amelia Earhardt or Bessie Coleman.", ["Amelia Earhart"], "Who flew solo across the Atlantic?", None, False),
    # a changed first or last letter is another word, not a slip: a country for its demonym, one name for another
    ("The demonym for people from South Africa is South Africa.", ["South African"],
     "What is the demonym for people from South Africa?", None, False),
    ("The capital is Port Moresby of Papua New Guinean.", ["Papua New Guinea"],
     "Port Moresby is the capital of where?", None, False),
    ("It was Amelia Karhart.", ["Amelia Earhart"], "Who was the first woman to fly solo across the Atlantic?", None, False),
    # a word of six letters or fewer, or a one-word name, is never read as misspelt
    ("It was John Adems.", ["John Adams"], "Who was the second President of the United States?", None, False),
    ("It is in the Karakorama mountains.", ["Karakoram"], "In which mountain range is K2?", None, False),
    # the misspelt form is another accepted answer of the same kind, or a word of the question
    ("It was Amelia Earhurt.", ["Amelia Earhart"], "Who flew solo across the Atlantic?", {"amelia earhurt"}, False),
    ("Amelia Earhardt.", ["Amelia Earhart"], "Who is Amelia Earhardt often mistaken for?", None, False),
])
def test_a_name_misspelt_by_one_letter_inside_a_long_word_is_that_name(pred, golds, q, pool, ok):
    assert is_correct(pred, golds, q, pool) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # a negation word the question quotes is named, not said: it denies nothing
    ("The opposite of 'never' is 'always'.", ["always"], "What is the opposite of 'never'?", True),
    ("The opposite of never is always.", ["always"], "What is the opposite of the word 'never'?", True),
    ("The opposite of 'never' is 'never'.", ["always"], "What is the opposite of 'never'?", False),
    # a negation the question does not quote still denies
    ("It is not always.", ["always"], "What is the opposite of 'never'?", False),
    ("It is not always.", ["always"], "What is the opposite of never?", False),
])
def test_a_negation_word_the_question_quotes_denies_nothing(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # where the question asks for a country, the country's adjective says it
    ("Sushi is a Japanese dish.", ["Japan"], "Which country does sushi come from?", True),
    ("The Oktoberfest is a German festival that takes place in Munich, Germany.", ["Germany"],
     "Which country is famous for the Oktoberfest?", True),
    ("The world's favourite dish is the Indian dish curry.", ["India"], "Which country gave the world curry?", True),
    ("It is an American invention.", ["USA"], "Which country invented the aeroplane?", True),
    # not where the question asks for no country, nor where it names that country itself
    ("Sushi is a Japanese dish.", ["Japan"], "Where does sushi come from?", False),
    ("It was known as the Burmese Empire.", ["Myanmar"], "Which country was formerly known as Burma?", False),
    ("It is a Japanese city.", ["Japan"], "In which country is Tokyo, the capital of Japan?", False),
    # an adjective two countries share says neither; another country's adjective is another answer
    ("It is a Congolese dish.", ["Republic of the Congo"], "Which country is the dish from?", False),
    ("It is a Chinese dish.", ["Japan"], "Which country does sushi come from?", False),
    # an adjective used only in a region's or a sea's name names that place, not the country
    ("The sitar originated in the Indian subcontinent.", ["India"], "In which country did the sitar originate?", False),
    ("Pistachios grew wild on the Iranian Plateau.", ["Iran"], "Which country do pistachios come from?", False),
    ("An Indian dish from the Indian Ocean coast.", ["India"], "Which country is the dish from?", True),
])
def test_a_country_is_said_by_its_adjective_where_a_country_is_asked(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # the verb of a do-question, restated in the answer's tense, is an echo and no extra word
    ("Venison is a type of game meat that comes from the black-tailed deer.", ["deer"],
     "What animal does venison come from?", True),
    ("The Richter scale measures the amplitude of seismic waves produced by earthquakes.", ["earthquakes"],
     "What does the Richter scale measure?", True),
    # still counted where the question has no such verb, and in a wrong answer the echo changes nothing
    ("Venison is a type of game meat that comes from the black-tailed deer.", ["deer"], "What animal is venison from?",
     False),
    ("A thermometer measures humidity.", ["temperature"], "What does a thermometer measure?", False),
])
def test_the_questions_verb_in_another_tense_is_an_echo(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # a Greek letter is said by its symbol, and a symbol gold by the letter's name
    ("The ratio of a circle's circumference to its diameter is π.", ["pi"],
     "Which Greek letter stands for the ratio of a circle's circumference to its diameter?", True),
    ("It is written pi.", ["π"], "Which symbol stands for the ratio of a circle's circumference to its diameter?", True),
    ("The symbol is Σ.", ["sigma"], "Which Greek letter stands for a sum?", True),
    ("The symbol is τ.", ["pi"], "Which Greek letter stands for the ratio of a circle's circumference to its diameter?",
     False),
])
def test_a_greek_letter_is_said_by_its_symbol(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # a use named by a noun is said by its verb where the question asks what a thing is used for
    ("A compass is used to navigate by using a magnetic needle to indicate direction.", ["navigation"],
     "What is a compass used for?", True),
    ("Birds use their wings to fly.", ["flying"], "What do birds use their wings for?", True),
    ("Fish use their gills to breathe.", ["breathing"], "What do fish use their gills for?", True),
    ("A doctor uses a stethoscope to listen to the heart.", ["listening to the heart"],
     "What does a doctor use a stethoscope for?", True),
    # not where the question asks for a word form, nor for another verb
    ("Navigate.", ["navigation"], "What is the noun form of 'navigate' used for steering ships?", False),
    ("Birds use their wings to swim.", ["flying"], "What do birds use their wings for?", False),
])
def test_a_use_is_said_by_its_verb(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # a middle initial between names ends no sentence: the name is one
    ("The first Prime Minister of Canada was Sir John A. Macdonald.", ["John A. Macdonald"],
     "Who was the first Prime Minister of Canada?", True),
    ("It was John A. Macdonald, who served from 1867.", ["John A. Macdonald"], "Who was the first Prime Minister of Canada?",
     True),
    # a sentence after a letter still ends there; another name is still another answer
    ("It was Henry A. He was great.", ["John A. Macdonald"], "Who was the first Prime Minister of Canada?", False),
    ("It was John B. Smith.", ["John A. Macdonald"], "Who was the first Prime Minister of Canada?", False),
])
def test_a_middle_initial_is_part_of_the_name(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # a force named as a noun is said by its adjective before a word for a force
    ("The Moon's orbit around the Earth is due to the gravitational pull of the Earth's mass.", ["gravity"],
     "What keeps the Moon in orbit around the Earth?", True),
    ("A magnet sticks to a fridge because it has a magnetic property that attracts it.", ["magnetism"],
     "What makes a magnet stick to a fridge?", True),
    # the adjective alone, another force, or the question's own adjective says nothing
    ("It is the gravitational constant.", ["gravity"], "What keeps the Moon in orbit around the Earth?", False),
    ("The magnetic force of the Earth.", ["gravity"], "What keeps the Moon in orbit around the Earth?", False),
    ("The gravitational pull of the Sun.", ["tides"], "What does the gravitational pull of the Moon cause?", False),
])
def test_a_force_is_said_by_its_adjective(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # after a number only other numbers are rival answers: names after a year describe it
    ("The Eiffel Tower was built in 1889 by Gustave Eiffel and Philippe de Rochambeau in the city of Paris, France.",
     ["1889"], "when was the eiffel tower built", True),
    # another number after it is still a rival, and names after a name still count
    ("It was built in 1889, 1887, 1890, 1891, 1888 or 1886.", ["1889"], "when was the eiffel tower built", False),
    ("Gustave Eiffel, with Philippe de Rochambeau, Maurice Koechlin, Emile Nouguier and Stephen Sauvestre of Paris, France.",
     ["Gustave Eiffel"], "Who built the Eiffel Tower?", False),
])
def test_names_after_a_number_describe_it(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # a compound measure's "and" is dropped, as golds write it without one
    ("A day on Mars is approximately 24 hours and 37 minutes.", ["about 24 hours 37 minutes"], "How long is a day on Mars?",
     True),
    ("He is 5 feet and 11 inches tall.", ["5 feet 11 inches"], "How tall is he?", True),
    ("A day on Mars is 24 hours and 12 minutes.", ["about 24 hours 37 minutes"], "How long is a day on Mars?", False),
])
def test_a_compound_measure_is_said_with_and(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # a measure inside a gold range, in the range's unit, is right
    ("Elephants live for around 70 years on average.", ["about 60 to 70 years"], "How long do elephants live?", True),
    ("A cheetah can run 110 km/h.", ["100-120 km/h"], "How fast can a cheetah run?", True),
    # outside it, in another unit, a bare range of years, or a range the question asks for: not
    ("Elephants live 80 years.", ["60-70 years"], "How long do elephants live?", False),
    ("Elephants live 65 days.", ["60-70 years"], "How long do elephants live?", False),
    ("It was fought in 1942.", ["1939-1945"], "When was World War II fought?", False),
    ("They live 65 years.", ["60-70 years"], "Between which ages do elephants die?", False),
])
def test_a_measure_inside_a_gold_range_is_right(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


@pytest.mark.parametrize("pred,golds,q,ok", [
    # options lettered in lower case, "a) x b) y" inline or "a. x" on lines, are options like "A) x"
    ("1) India", ["a", "India"], "Which country has the largest population? a) India b) USA c) Russia d) Brazil", True),
    ("b) USA", ["a", "India"], "Which country has the largest population? a) India b) USA c) Russia d) Brazil", False),
    ("The dolphin is a mammal.", ["b", "dolphin"], "Which animal is a mammal?\na. shark\nb. dolphin\nc. trout\nd. salmon",
     True),
    # the letter alone picks that option, in either case
    ("b", ["b", "dolphin"], "Which animal is a mammal?\na. shark\nb. dolphin\nc. trout\nd. salmon", True),
    ("a", ["b", "dolphin"], "Which animal is a mammal?\na. shark\nb. dolphin\nc. trout\nd. salmon", False),
    ("b", ["B", "Mars"], "Which is red? (A) Venus (B) Mars", True),
    # "a." inside a sentence is no option mark
    ("Smith", ["Smith"], "He met John a. Smith and then b. left. Whom did he meet?", True),
])
def test_options_lettered_in_lower_case(pred, golds, q, ok):
    assert is_correct(pred, golds, q) is ok


def test_a_gold_that_normalises_to_nothing_does_not_crash_the_grader():
    # the letter "a" is an article to normalisation: grading with it as an accepted answer must not raise
    q = "Which country has the largest population? a) India b) USA c) Russia d) Brazil"
    assert is_correct("India", ["a", "India"], q) is True
    assert is_correct("It is the USA.", ["a", "India"], "Which country has the largest population?") is False


_FRANCE = ["Spain", "Germany", "Italy", "Belgium", "Luxembourg", "Switzerland", "Andorra", "Monaco"]
_NOBLE = ["helium", "neon", "argon", "krypton", "xenon", "radon"]
_BEATLES = ["John Lennon", "Paul McCartney", "George Harrison", "Ringo Starr", "Lennon", "McCartney"]
_PRIMES = ["2", "3", "5", "7", "11", "13"]


@pytest.mark.parametrize("question,pred,answers,ok", [
    # a question that asks for n things is answered by n different accepted answers, or more
    ("Name two planets closer to the Sun than Earth.", "Mercury and Venus.", ["Mercury", "Venus"], True),
    ("Name two planets closer to the Sun than Earth.", "The two planets closer to the Sun than Earth are Venus and "
     "Earth.", ["Mercury", "Venus"], False),
    ("List three noble gases.", "1. Argon (Ar)", _NOBLE, False),
    ("List three noble gases.", "Helium, neon and argon.", _NOBLE, True),
    ("Name two countries that border France.", "Two countries that border France are Belgium and France.", _FRANCE,
     False),
    ("Name two countries that border France.", "France borders two states: Belgium and Italy.", _FRANCE, True),
    ("Name a country that borders France.", "Spain.", _FRANCE, True),  # one asked
    ("Name two members of the Beatles.", "John Lennon, Paul McCartney, and George Harrison.", _BEATLES, True),
    ("Name two members of the Beatles.", "John Lennon, or just Lennon.", _BEATLES, False),  # one, by two aliases
    ("Name two oceans.", "The Pacific and the Atlantic.", ["Pacific Ocean", "Atlantic Ocean", "Indian Ocean"], True),
    ("Name an ocean.", "The Pacific or the Atlantic.", ["Pacific Ocean", "Atlantic Ocean", "Indian Ocean"], True),
    ("which two countries border the united states", "canada", ["Canada", "Mexico"], False),
    # the question's count said again is no thing; the number 2 as an answer is one
    ("Name two prime numbers.", "Two prime numbers are 7.", _PRIMES, False),
    ("Name two prime numbers.", "2 and 3 are prime numbers.", _PRIMES, True),
    # a gold that is the list itself is read as a list
    ("Which two countries share the Iberian Peninsula?", "Spain and Portugal.", ["Spain and Portugal"], True),
    ("Which two countries share the Iberian Peninsula?", "Spain.", ["Spain and Portugal"], False),
])
def test_a_number_of_things_asked(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # a question that asks for an order is answered by the gold list in the gold's order
    ("Put these planets in order from the Sun: Earth, Mercury, Venus.", "Mercury, Venus, Earth.",
     ["Mercury, Venus, Earth"], True),
    ("Put these planets in order from the Sun: Earth, Mercury, Venus.", "Earth, Mercury, Venus",
     ["Mercury, Venus, Earth"], False),
    ("Arrange these numbers from smallest to largest: 7, 2, 5.", "The answer is 7, 2, and 5.", ["2, 5, 7"], False),
    ("Rank these continents by area, largest first: Europe, Asia, Africa.", "Asia, Africa and Europe.",
     ["Asia, Africa, Europe"], True),
    ("Rank these continents by area, largest first: Europe, Asia, Africa.", "Europe, Asia, Africa",
     ["Asia, Africa, Europe"], False),
    ("Sort these words alphabetically: banana, apple, cherry.", "Banana, apple, cherry", ["apple, banana, cherry"],
     False),
    # the question's own list may be the right order, said back
    ("Put these in order from smallest to biggest: a city, a country, a continent.", "A city, a country, a continent.",
     ["a city, a country, a continent"], True),
    # no order asked: any order ("in order to" asks none)
    ("What are the three states of matter?", "Gas, liquid and solid.", ["solid, liquid and gas"], True),
    ("What do plants need in order to grow?", "Sunlight, water and air.", ["water, sunlight and air"], True),
])
def test_an_order_asked_for(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # a question of several parts may be answered part by part, each item beside its own subject, in any order
    ("What are the capitals of Japan and China?", "The capital of Japan is Tokyo and the capital of China is "
     "Beijing.", ["Tokyo and Beijing"], True),
    ("What are the capitals of Japan and China?", "The capital of China is Beijing. The capital of Japan is Tokyo.",
     ["Tokyo and Beijing"], True),
    ("In which years did World War I and World War II begin?", "World War I began in 1914 and World War II began in "
     "1939.", ["1914 and 1939"], True),
    ("Who discovered penicillin and who discovered gravity?", "Penicillin was discovered by Alexander Fleming. "
     "However, the discovery of gravity is attributed to Isaac Newton.", ["Alexander Fleming and Isaac Newton"], True),
    # swapped, one part only, a part without its subject, a part that hedges
    ("What are the capitals of Japan and China?", "The capital of Japan is Beijing and the capital of China is Tokyo.",
     ["Tokyo and Beijing"], False),
    ("What are the capitals of Japan and China?", "The capital of Japan is Tokyo.", ["Tokyo and Beijing"], False),
    ("What are the capitals of Japan and China?", "Tokyo is the capital. Beijing is too.", ["Tokyo and Beijing"],
     False),
    ("What are the capitals of Japan and China?", "The capital of Japan is Tokyo and the capital of China is Beijing "
     "or Shanghai.", ["Tokyo and Beijing"], False),
])
def test_a_question_of_several_parts_answered_part_by_part(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


_CAPITALS3 = "What are the capitals of France, Germany and Italy, respectively?"
_CURRENCIES = "What are the currencies of the United Kingdom, the United States and Japan, respectively?"


@pytest.mark.parametrize("question,pred,answers,ok", [
    # "respectively": the items in the order of the question's subjects, as a list or part by part
    (_CAPITALS3, "Paris, Berlin, and Rome, respectively.", ["Paris, Berlin and Rome"], True),
    (_CAPITALS3, "Rome, Berlin and Paris.", ["Paris, Berlin and Rome"], False),
    (_CAPITALS3, "The capital of France is Paris, the capital of Germany is Berlin and the capital of Italy is Rome.",
     ["Paris, Berlin and Rome"], True),
    (_CAPITALS3, "The capital of France is Rome, the capital of Germany is Berlin and the capital of Italy is Paris.",
     ["Paris, Berlin and Rome"], False),
    # the subjects said back, then the items: in the subjects' order as said back, with or without "respectively"
    (_CAPITALS3, "The capitals of France, Germany, and Italy are Paris, Berlin, and Rome, respectively.",
     ["Paris, Berlin and Rome"], True),
    (_CAPITALS3, "The capitals of Italy, Germany and France are Rome, Berlin and Paris, respectively.",
     ["Paris, Berlin and Rome"], True),
    ("What are the capitals of France, Germany and Italy?", "Paris, Berlin and Rome are the capitals of France, "
     "Germany and Italy.", ["Paris, Berlin and Rome"], True),
    ("What are the capitals of France, Germany and Italy?", "The capitals of France, Germany and Italy are Rome, "
     "Berlin and Paris.", ["Paris, Berlin and Rome"], False),
    ("What are the capitals of Argentina and Chile?", "The capitals of Argentina and Chile are Santiago and Buenos "
     "Aires.", ["Buenos Aires and Santiago"], False),
    # no subjects said and no "respectively": any order
    ("What are the capitals of France, Germany and Italy?", "Rome, Berlin, and Paris.", ["Paris, Berlin and Rome"],
     True),
    # an item after a proper adjective ("the US Dollar"); not after a vague word ("New York" is not York)
    (_CURRENCIES, "The currencies of the United Kingdom, the United States, and Japan are the British Pound, the US "
     "Dollar, and the Japanese Yen, respectively.", ["pound, dollar and yen"], True),
    (_CURRENCIES, "The Japanese Yen, the US Dollar, and the British Pound.", ["pound, dollar and yen"], False),
    ("Name three cities in England.", "London, New York and Bath.", ["London, York and Bath"], False),
    # a part by part answer may open a part with a quoted title
    ("Who wrote Hamlet and Don Quixote, respectively?", 'The two famous works of literature are "Hamlet" by William '
     'Shakespeare and "Don Quixote" by Miguel de Cervantes.', ["Shakespeare and Cervantes"], True),
    # an answer given subject by subject, sentence by sentence: a list in one of them is that subject's
    ("What are the official languages of Brazil and Argentina, respectively?", "Brazil has 2 official languages: "
     "Portuguese and Spanish. Argentina has 2 official languages: Spanish and Italian.", ["Portuguese and Spanish"],
     False),
    ("What are the official languages of Brazil and Argentina, respectively?", "Brazil speaks Portuguese. Argentina "
     "speaks Spanish.", ["Portuguese and Spanish"], True),
    # "while" opens the next part whatever word follows it
    ("In which countries are Machu Picchu and Petra, respectively?", "In Peru, Machu Picchu is located in the Andean "
     "region of Peru, while in Petra is located in the Red Sea region of Jordan.", ["Peru and Jordan"], True),
    # a bracket on each item is a note; or the item itself, on its subject before it; a bracket with "or" hedges
    ("What are the national languages of Germany, Italy and Greece?", "The national languages of Germany, Italy, and "
     "Greece are German (DE), Italian (IT), and Greek (GR), respectively.", ["German, Italian and Greek"], True),
    ("What are the national languages of Germany, Italy and Greece?", "German (or French), Italian, and Greek.",
     ["German, Italian and Greek"], False),
    ("What are the chemical symbols of sodium and iron?", "The chemical symbols of sodium (Na) and iron (Fe) are:",
     ["Na and Fe"], True),
    ("What are the chemical symbols of sodium, iron and lead, respectively?", "The symbols are sodium (Na), iron (Fe) "
     "and lead (La).", ["Na, Fe and Pb"], False),
])
def test_items_paired_with_the_questions_subjects(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # options after a colon with commas only are options: the one the answer picks decides
    ("Which is the odd one out: square, circle, triangle, cube?", "The odd one out is cube.", ["cube"], True),
    ("Which is the odd one out: hammer, screwdriver, spoon, wrench?", "The odd one out is a spoon, which is a utensil "
     "used for cooking.", ["spoon"], True),
    ("Which is the odd one out: Everest, K2, Kilimanjaro, Nile?", "The odd one out is K2, not Everest.", ["Nile"],
     False),
    # the options said back, or two of them, pick none
    ("Which is the odd one out: Sydney, Paris, London, Berlin?", "Sydney, Paris, London, Berlin", ["Sydney"], False),
    ("Which is the odd one out: apple, banana, carrot, cherry?", "The odd one out is apple, banana, and cherry.",
     ["carrot"], False),
    ("What do plants need to make their own food? Options: soil, sunlight, sand, rocks",
     "Plants need a combination of sunlight, soil, and water to make their own food.", ["sunlight"], False),
])
def test_options_after_a_colon_without_or(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # British and American spellings of one word are one word, either way round
    ("What is the name of the flag of France?", "The flag of France is the Tricolor.", ["Tricolour"], True),
    ("What is the name of the flag of France?", "It is called the Tricolour.", ["Tricolor"], True),
    ("What colour is an elephant?", "An elephant is gray.", ["grey"], True),
    ("Which metal is made from bauxite?", "Aluminum is made from bauxite.", ["aluminium"], True),
    ("Where is the Pompidou Centre?", "It is in Paris, in the Beaubourg district.", ["Paris"], True),
    ("What is condensation?", "Condensation is water vapor turning into a liquid.", ["water vapour turning into liquid"],
     True),
    ("What does the WHO do?", "It is an organisation that coordinates global health.",
     ["an organization that coordinates global health"], True),
    ("What is 1,000 metres?", "1,000 meters is 1 kilometer.", ["1 kilometre"], True),
    # words that merely look alike are still different words
    ("How long is a lesson?", "A lesson lasts an hour.", ["an hor"], False),
    ("What is a fine wine's type?", "It is a genre of wine.", ["a gener of wine"], False),
    ("What colour is the sky on a clear day?", "The sky is grey.", ["blue"], False),
])
def test_british_and_american_spellings_are_one_word(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # the question's own place on the near side of its relation, the gold on the far side: reversed
    ("Which US state lies directly west of Nevada?", "The US state of Nevada lies directly west of California.",
     ["California"], False),
    ("Which month comes after March?", "March comes after April.", ["April"], False),
    ("Which country lies to the west of Spain?", "Spain lies to the west of Portugal.", ["Portugal"], False),
    ("Which planet comes after Earth in order from the Sun?", "Earth comes after Mars.", ["Mars"], False),
    # the relation said the right way, or its other side said back, or the question's place after it
    ("Which US state lies directly west of Nevada?", "California lies directly west of Nevada.", ["California"], True),
    ("Which US state lies directly west of Nevada?", "Nevada lies east of California.", ["California"], True),
    ("Which US state lies directly west of Nevada?", "The state west of Nevada is California.", ["California"], True),
    ("Which month comes after March?", "The month after March is April.", ["April"], True),
    ("Which month comes after March?", "April comes after March.", ["April"], True),
    # relations that hold both ways, and a side that is part of a name, are not read
    ("Which country borders Portugal?", "Portugal borders Spain.", ["Spain"], True),
    ("Which country is completely surrounded by South Africa?", "South Africa surrounds Lesotho.", ["Lesotho"], True),
    ("Which sea lies north of Germany?", "Germany lies south of the North Sea.", ["North Sea"], True),
])
def test_a_relation_said_the_other_way_round(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # "Who <did> X?": X doing the deed to the gold is the deed reversed
    ("Who defeated the Spanish Armada in 1588?", "The Spanish Armada defeated the English fleet in 1588.",
     ["the English"], False),
    ("Which country invaded Poland in 1939?", "Poland invaded Germany in 1939.", ["Germany"], False),
    ("Who succeeded Queen Victoria?", "Queen Victoria succeeded Edward VII.", ["Edward VII"], False),
    # said the right way, in the passive, or with the gold not the deed's object
    ("Who defeated the Spanish Armada in 1588?", "The English defeated the Spanish Armada in 1588.", ["the English"],
     True),
    ("Who defeated the Spanish Armada in 1588?", "The Spanish Armada was defeated by the English.", ["the English"],
     True),
    ("Who founded Amazon?", "Amazon, founded in 1994 by Jeff Bezos.", ["Jeff Bezos"], True),
    ("Which country launched Sputnik?", "Sputnik launched in 1957 in the Soviet Union.", ["Soviet Union"], True),
    # deeds that hold both ways are not read
    ("Who married Henry VIII in 1509?", "Henry VIII married Catherine of Aragon in 1509.", ["Catherine of Aragon"],
     True),
    ("Who played Federer in the 2008 Wimbledon final?", "Federer played Nadal in the final.", ["Nadal"], True),
])
def test_a_deed_said_the_other_way_round(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # options numbered 1, 2, 3: the answer picks one by its number, its text, or both
    ("Which animal can fly? 1. dog 2. eagle 3. fish", "2. eagle", ["2", "eagle"], True),
    ("Which animal can fly? 1. dog 2. eagle 3. fish", "2", ["2"], True),
    ("Which animal can fly? 1. dog 2. eagle 3. fish", "The answer is: 2.", ["2"], True),
    ("Which animal can fly? 1. dog 2. eagle 3. fish", "The eagle can fly.", ["2"], True),
    ("Which animal can fly? 1. dog 2. eagle 3. fish", "1. dog", ["2", "eagle"], False),
    ("Which animal can fly? 1. dog 2. eagle 3. fish", "Option 3", ["2", "eagle"], False),
    ("To dry wet hair, what should you use? Option 1: a hair dryer. Option 2: a refrigerator.",
     "Option 1: a hair dryer.", ["1"], True),
    ("Which planet is closest to the Sun? 1) Venus 2) Mercury 3) Mars", "1) Venus", ["2", "Mercury"], False),
    ("Which is a mammal? (1) shark (2) dolphin (3) trout", "(2)", ["2"], True),
    # the options said back pick none
    ("Which animal can fly? 1. dog 2. eagle 3. fish", "1. dog 2. eagle 3. fish", ["2", "eagle"], False),
    ("What is 6 times 7? 1) 42 2) 36 3) 48", "1) 42 2) 36 3) 48", ["42", "1"], False),
    # options that are numbers: the gold is the text where it is one, and the number after a mark is no pick
    ("What is 6 times 7? 1) 42 2) 36 3) 48", "1) 42", ["42"], True),
    ("What is 6 times 7? 1) 42 2) 36 3) 48", "The answer is 42.", ["42"], True),
    ("How many legs does an insect have? 1) 8 2) 6 3) 4", "1) 8", ["6"], False),
    # "1." opening a list before another option's text: the text decides
    ("Which is the boiling point of water at sea level? 1) 50 °C 2) 100 °C 3) 150 °C", "1. 100 °C", ["2"], True),
    ("Which is the boiling point of water at sea level? 1) 50 °C 2) 100 °C 3) 150 °C", "1. 50 °C", ["2"], False),
    # a statement before the asking sentence that names both options is a passage: naming one is the pick
    ("The trophy doesn't fit into the suitcase because it is too large. What is too large? Option 1: the trophy. "
     "Option 2: the suitcase.", "The trophy is too large.", ["1"], True),
    ("The trophy doesn't fit into the suitcase because it is too large. What is too large? Option 1: the trophy. "
     "Option 2: the suitcase.", "The suitcase is too large.", ["1"], False),
    ("The trophy doesn't fit into the suitcase because it is too large. What is too large? (A) the trophy "
     "(B) the suitcase", "The trophy.", ["A"], True),
    # a first "1." before no option's text is the pick (a list's lone "1." elsewhere is dropped); before another
    # option's text, the text decides; two marks, the same number twice too, say the options back
    ("How do you boil an egg? 1) Put it in boiling water for ten minutes. 2) Put it in the fridge.",
     "1. Boiling water: a way of cooking.", ["1"], True),
    ("How do you boil an egg? 1) Put it in boiling water for ten minutes. 2) Put it in the fridge.",
     "1. Boiling water: a way of cooking.", ["2"], False),
    ("Which month has 28 or 29 days? 1. January 2. February 3. March", "2. January 2", ["2", "February"], False),
    ("Which month has 28 or 29 days? 1. January 2. February 3. March", "2. January 2. February 3", ["2"], False),
    ("Which animal is the largest? 1) blue whale 2) elephant 3) giraffe", "1) Blue Whale", ["1"], True),
    # the question's own negated predicate said of the pick is no denial
    ("The bottle fell off the table because it was not stable. What was not stable? Option 1: the bottle. "
     "Option 2: the table.", "The bottle was not stable.", ["1"], True),
    ("The bottle fell off the table because it was not stable. What was not stable? Option 1: the bottle. "
     "Option 2: the table.", "The table was not stable.", ["1"], False),
    # numbers that are no option marks are left alone
    ("Chapter 1. What is the capital of France?", "1. Paris", ["Paris"], True),
    ("Step 1. Add 2 and 3. What do you get?", "5", ["5"], True),
])
def test_options_numbered(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # the comparative a few words before "than": its side is the subject's
    ("Which is smaller, an atom or a cell?", "A cell is a smaller unit of life than an atom.", ["atom"], False),
    ("Which is smaller, an atom or a cell?", "An atom is a smaller unit of matter than a cell.", ["atom"], True),
    ("Which is larger, the Sun or the Earth?", "The Earth is a smaller body in space than the Sun.", ["Sun"], True),
    ("Which country is closer to Australia, New Zealand or Brazil?", "Australia is closer to New Zealand than Brazil.",
     ["New Zealand"], True),
    ("Which country is closer to Australia, New Zealand or Brazil?", "Australia is closer to Brazil than New Zealand.",
     ["New Zealand"], False),
    # one option said to be the other: a correction picks the second, a bare "is" neither
    ("Which is the bigger island, Greenland or Madagascar?", "The bigger island, Greenland, is actually Madagascar.",
     ["Greenland"], False),
    ("Which is the bigger island, Greenland or Madagascar?", "The bigger island, Madagascar, is actually Greenland.",
     ["Greenland"], True),
    ("Which is greater, 3/4 or 2/3?", "3/4 is 2/3.", ["3/4"], False),
    ("Which is greater, 3/4 or 2/3?", "3/4 is greater than 2/3.", ["3/4"], True),
    # each option in a clause of its own and neither given the comparative: no pick
    ("Which is heavier, a kilogram of iron or a pound of feathers?",
     "A kilogram of iron is approximately 14.5 grams, while a pound of feathers is approximately 1.00 pounds.",
     ["a kilogram of iron"], False),
    ("Which is heavier, a kilogram of iron or a pound of feathers?",
     "A kilogram of iron is heavier, while a pound of feathers is about 450 grams.", ["a kilogram of iron"], True),
    ("Which was invented first, the telephone or the television?",
     "The telephone was invented first, but the television was invented second.", ["telephone"], True),
])
def test_a_choice_read_in_the_answers_comparison(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # options with a serial comma ("A, B, C, or D") are a choice: three named in one clause pick none
    ("Which of these is not a primary color: red, blue, green, or yellow?",
     "The primary colors are red, blue, and green.", ["green"], False),
    ("Which of these is not a primary color: red, blue, green, or yellow?", "The answer is green.", ["green"], True),
    ("Which of these did not invent something: Edison, Bell, Napoleon, or Tesla?",
     "Edison, Bell, and Napoleon are three famous inventors.", ["Napoleon"], False),
    ("Which planet has the fewest moons: Mercury, Earth, or Mars?",
     "Mercury has the fewest moons among the four planets.", ["Mercury"], True),
    # an option denied after it is no pick; the question's own negated predicate denies nothing
    ("Which word comes last in alphabetical order: pear, banana, or cherry?", "Pears are not the answer.",
     ["pear"], False),
    ("Which of these is not an insect: ant, bee, spider, or beetle?", "A spider is not an insect.", ["spider"], True),
    ("Which of these is not an insect: ant, bee, spider, or beetle?", "The ant is not an insect.", ["spider"], False),
    # a later clause giving the question's superlative to another option takes the pick back
    ("Which continent has the least population: Antarctica, Australia, or Europe?",
     "The continent with the least population is Antarctica, Australia, but Europe is the continent with the least "
     "population.", ["Antarctica"], False),
    ("Which continent has the least population: Antarctica, Australia, or Europe?",
     "Antarctica has the least population, and Europe has many cities.", ["Antarctica"], True),
])
def test_a_choice_with_a_serial_comma_denials_and_superlatives(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # the options are words as written: spellings, articles and number words are not made one
    ("Which spelling is American: 'colour' or 'color'?", 'The answer is "color" is American.', ["color"], True),
    ("Which spelling is American: 'colour' or 'color'?", "'Colour' is the American spelling.", ["color"], False),
    ("Which is the British spelling: 'center' or 'centre'?", "The British spelling is 'centre'.", ["centre"], True),
    ("Which is correct: 'a hour' or 'an hour'?", '"a hour" is incorrect. "an hour" is the correct answer.', ["an hour"],
     True),
    ("Which is correct: 'a hour' or 'an hour'?", "A: 'an hour' is incorrect.", ["an hour"], False),
    ("Which is correct: 'alot' or 'a lot'?", '"alot" is incorrect. "a lot" is the correct word.', ["a lot"], True),
    # an apostrophe inside an option is part of it, and a quote around it is not
    ("Choose the right word: 'Its' or 'It's' raining today.", "It's raining today.", ["It's"], True),
    ("Choose the right word: 'Its' or 'It's' raining today.", "Its raining today.", ["It's"], False),
    ("Fill in the blank with 'their', 'there' or 'they're': ___ going to the park.", "They’re going to the park.",
     ["they're"], True),
    ("Fill in the blank with 'their', 'there' or 'they're': ___ going to the park.", "There going to the park.",
     ["they're"], False),
    ("Which is correct: 'who' or 'whom' in '___ did you call?'", '"Whom" is correct here.', ["whom"], True),
    ("Which is correct: 'who' or 'whom' in '___ did you call?'", '"Who" is correct here.', ["whom"], False),
    ("Is it spelled 'accommodate' or 'accomodate'?", "It's spelled 'accommodate', but 'accomodate' is a variant.",
     ["accommodate"], True),
    # "is incorrect" denies an option; one called incorrect and then correct is no pick
    ("Which is correct: 'occurred' or 'occured'?", '"occurred" is incorrect. "Occured" is the correct verb.',
     ["occurred"], False),
    ("Which is correct: 'irregardless' or 'regardless'?", '"irregardless" is wrong; "regardless" is the word.',
     ["regardless"], True),
    ("Which is correct: 'between you and I' or 'between you and me'?",
     "'between you and me' is incorrect. 'Between you and me' is the correct answer.", ["between you and me"], False),
    ("Which word is misspelled: 'necessary', 'neccessary', or 'needless'?", "'neccessary' is misspelled.",
     ["neccessary"], True),
    # picked and then denied, in one clause or two: no pick; one of two denied and nothing picked: the other
    ("Which is spelled correctly: “calender” or “calendar”?",
     '"calendar" is spelled correctly as "calendar" but "calendar" is incorrect because it is a noun.', ["calendar"],
     False),
    ("Which is correct: their or there? ___ car is red.",
     'Their is a correct answer. The correct answer is "Their" is incorrect.', ["their"], False),
    ("Which is correct: 'Neither of them are here' or 'Neither of them is here'?",
     "'Neither of them are here' is incorrect.", ["Neither of them is here"], True),
    ("Which is correct: 'Neither of them are here' or 'Neither of them is here'?",
     "'Neither of them is here' is incorrect.", ["Neither of them is here"], False),
    ("Which of these is a fruit: apple, carrot, or potato?", "Carrot is not the answer.", ["apple"], False),
    # a bare choice whose second option has more words after it
    ("Is 'data' singular or plural in Latin?", 'The answer is "plural" in Latin.', ["plural"], True),
    ("Is 'data' singular or plural in Latin?", "In Latin, 'data' is singular.", ["plural"], False),
])
def test_a_choice_among_quoted_words_reads_them_as_written(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # statements as options: a verdict on one ("is not entirely true") denies it; where the question asks for the
    # false one, saying an option is not correct picks it
    ("Which is true: 'Paris is in France' or 'Paris is in Spain'?",
     "'Paris is in France' is not a true statement. 'Paris is in Spain' is a true statement.", ["Paris is in France"],
     False),
    ("Which is true: 'Whales are fish' or 'Whales are mammals'?", "'Whales are fish' is not entirely true. Whales are "
     "mammals.", ["Whales are mammals"], True),
    ("Which is false: 'Bats are mammals' or 'Bats are birds'?", "False: 'Bats are mammals' is not a correct answer.",
     ["Bats are birds"], False),
    ("Which is false: 'Penguins can fly' or 'Penguins can swim'?", "'Penguins can fly' is false.", ["Penguins can fly"],
     True),
    # a claim put for a verdict in other words: the gold is yes or no, and so are the answer's verdict words
    ("Fact or myth: lightning never strikes the same place twice.",
     "The fact that lightning never strikes the same place twice is a myth.", ["myth"], True),
    ("Fact or myth: goldfish have a three-second memory.", "That is a common misconception.", ["myth"], True),
    ("Fact or myth: goldfish have a three-second memory.", "Goldfish have a three-second memory.", ["myth"], False),
    ("Fact or fiction: humans share about 60% of their DNA with bananas.",
     "Humans share approximately 60% of their DNA with bananas.", ["fact"], True),
    ("Right or wrong: the chemical symbol for gold is Au.", "Wrong.", ["right"], False),
    ("Agree or disagree: 1 kilogram equals 1000 grams.", "1 kilogram equals 1000 grams.", ["agree"], True),
])
def test_statements_as_options_and_claims_put_for_a_verdict(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("question,pred,answers,ok", [
    # a question opened by an auxiliary has its first option before the first comma
    ("Is the capital of Australia Sydney, Melbourne, or Canberra?", "The capital of Australia is Canberra.",
     ["Canberra"], True),
    ("Is the capital of Australia Sydney, Melbourne, or Canberra?", "The capital of Australia is Sydney.",
     ["Canberra"], False),
    ("Is a tomato a fruit, a vegetable, or a grain?", "A tomato is a fruit.", ["fruit"], True),
    ("Does the Moon orbit the Earth, the Sun, or Mars?", "The Moon orbits the Earth.", ["Earth"], True),
    ("Is water made of hydrogen and oxygen, carbon and oxygen, or nitrogen and oxygen?",
     "Water is made of hydrogen and oxygen.", ["hydrogen and oxygen"], True),
    # options listed before ", which"
    ("Among Mars, Venus, and Jupiter, which is the largest?", "The largest planet in our solar system is Jupiter.",
     ["Jupiter"], True),
    ("Of lead, gold, and iron, which is the most common metal in Earth's crust?",
     "The most common metal in Earth's crust is iron.", ["iron"], True),
    ("Among Mars, Venus, and Jupiter, which is the largest?", "Venus is the largest planet.", ["Jupiter"], False),
    # options side by side in one clause are a list, no pick
    ("Is the human body mostly made of water, bone, or muscle?",
     "The human body is primarily made of water, bone, and muscle.", ["water"], False),
    ("Is the Great Barrier Reef off the coast of Brazil, Australia, or India?",
     "The Great Barrier Reef is off the coast of Brazil, Australia.", ["Australia"], False),
    ("Out of cats, dogs, and fish, which are known for purring?", "The answer is: cats, dogs, and fish.", ["cats"],
     False),
    # numbers with thousands separators, the unit said once for all of them
    ("Is the speed of light about 300, 3,000, or 300,000 kilometers per second?",
     "The speed of light is approximately 300,000 kilometers per second.", ["300,000"], True),
    ("Is the speed of light about 300, 3,000, or 300,000 kilometers per second?",
     "The speed of light is about 3,000 kilometers per second.", ["300,000"], False),
])
def test_choices_glued_to_the_stem_listed_first_or_side_by_side(question, pred, answers, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, answers, question, ok", [
    # the gold number said only in another unit of the kind the question asks in is another quantity
    ("Absolute zero in degrees Celsius is -273.15 Kelvin.", ["-273.15"], "What is absolute zero in degrees Celsius?",
     False),
    ("It is -459.67 degrees Fahrenheit.", ["-273.15"], "What is absolute zero in degrees Celsius?", False),
    ("An Olympic marathon is approximately 26.2 kilometers.", ["26.2"], "How long is an Olympic marathon in miles?",
     False),
    ("Mount Everest is 8,849 feet tall.", ["8849"], "How tall is Mount Everest in metres?", False),
    ("It is 8,849 ft.", ["8849"], "How tall is Mount Everest in metres?", False),
    ("A bowling ball can weigh up to 16 kilograms.", ["16"], "How many pounds can a bowling ball weigh at most?",
     False),
    # ... said bare, in the asked unit, or once in it beside another unit, it is the answer
    ("Absolute zero is -273.15 degrees Celsius.", ["-273.15"], "What is absolute zero in degrees Celsius?", True),
    ("It is 0 kelvin, which is -273.15 °C.", ["-273.15"], "What is absolute zero in degrees Celsius?", True),
    ("Mount Everest is 8,849 metres (29,032 feet) tall.", ["8849"], "How tall is Mount Everest in metres?", True),
    ("It is 8849.", ["8849"], "How tall is Mount Everest in metres?", True),
    ("About 16 pounds.", ["16"], "How many pounds can a bowling ball weigh at most?", True),
    # no unit asked: a unit said is not checked against one
    ("Mount Everest is 8,849 feet tall.", ["8849"], "How tall is Mount Everest?", True),
    # a gold in the asked unit is said by its number alone
    ("Absolute zero is -273.15 degrees.", ["-273.15 °C"], "What is absolute zero in degrees Celsius?", True),
    ("Absolute zero is -273.15.", ["-273.15 °C"], "What is absolute zero in degrees Celsius?", True),
    ("It is -273.15 K.", ["-273.15 °C"], "What is absolute zero in degrees Celsius?", False),
    ("Water boils at 100 degrees.", ["100 °C"], "At what temperature does water boil in Celsius?", True),
    ("Water boils at 212 degrees.", ["100 °C"], "At what temperature does water boil in Celsius?", False),
    ("Absolute zero is -273.15.", ["-273.15 °C"], "What is absolute zero?", False),  # no unit asked: none given
])
def test_a_number_in_another_unit_than_the_one_asked(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, answers, question, ok", [
    # one main thing asked: a list of three names none, serial comma or not
    ("The main ingredient in hummus is chickpeas, water, and salt.", ["chickpeas"],
     "What is the main ingredient in hummus?", False),
    ("The main ingredient of an omelette is typically made of flour, eggs, and sometimes bacon.", ["eggs"],
     "What is the main ingredient of a traditional omelette?", False),
    ("The main ingredient in hummus is chickpeas, water and salt.", ["chickpeas"],
     "What is the main ingredient in hummus?", False),
    # ... but what the answer is mashed or blended with describes it, and a clause after ", and" is a clause
    ("The main ingredient in hummus is chickpeas, mashed with tahini, lemon and garlic.", ["chickpeas"],
     "What is the main ingredient in hummus?", True),
    ("The main ingredient is chickpeas, and it is blended with tahini.", ["chickpeas"],
     "What is the main ingredient in hummus?", True),
    ("Chickpeas, and they are mashed.", ["chickpeas"], "What is the main ingredient in hummus?", True),
    # no main thing asked: a list's last item after ", and" still closes a sentence as before
    ("The flag of Italy is green, white, and red.", ["green, white and red"], "What colours are on the flag of Italy?",
     True),
])
def test_a_list_for_the_one_main_thing_asked(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, answers, question, ok", [
    # what follows the answer in order ("followed by ...") describes it: no list of guesses, no rivals
    ("Jupiter is the largest planet in our solar system, followed by Saturn, Uranus and Neptune.", ["Jupiter"],
     "Which planet is the largest?", True),
    ("Jupiter, followed by Saturn.", ["Jupiter"], "Which planet is the largest?", True),
    ("The Nile is the longest river, followed by the Amazon and the Yangtze.", ["Nile"],
     "What is the longest river in the world?", True),
    # ... but the answer named second, or a list of guesses, is still not the answer
    ("The largest planet is Saturn, followed by Jupiter.", ["Jupiter"], "Which planet is the largest?", False),
    ("Saturn, followed by Jupiter.", ["Jupiter"], "Which planet is the largest?", False),
    ("Jupiter, Saturn, or Neptune.", ["Jupiter"], "Which planet is the largest?", False),
    ("The Sun is composed primarily of hydrogen and helium, with a small amount of heavier elements, such as oxygen.",
     ["hydrogen"], "Which gas makes up most of the Sun?", False),
])
def test_what_follows_the_answer_in_order_describes_it(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, answers, question, ok", [
    # how a larger model writes: a span of years or a comparison after the answer describes it
    ("The Mona Lisa was painted by Leonardo da Vinci, the Italian Renaissance polymath, between about 1503 and 1519.",
     ["Leonardo da Vinci"], "Who painted the Mona Lisa?", True),
    ("The Mona Lisa was painted by Leonardo da Vinci, between about 1503 and 1519.", ["Leonardo da Vinci"],
     "Who painted the Mona Lisa?", True),
    ("The Pacific Ocean is the largest, larger than the Atlantic and Indian Oceans combined.", ["Pacific Ocean"],
     "What is the largest ocean on Earth?", True),
    ("Napoleon was defeated at Waterloo, from June 18, 1815.", ["Waterloo"], "Where was Napoleon finally defeated?",
     True),
    ("Paris, Lyon, or Marseille.", ["Paris"], "What is the capital of France?", False),  # still guesses
    ("It was painted by Leonardo da Vinci or Michelangelo, between 1503 and 1519.", ["Leonardo da Vinci"],
     "Who painted the Mona Lisa?", False),
    # a last equation that gives back the question's own number checks the result before it
    ("√144 = 12, since 12 × 12 = 144.", ["12"], "What is the square root of 144?", True),
    ("√144 = 14, since 14 × 14 = 144.", ["12"], "What is the square root of 144?", False),
    ("12 × 12 = 144, so the answer is 144.", ["12"], "What is the square root of 144?", False),
    ("15% of 200 = 0.15 × 200 = 20.", ["30"], "What is 15% of 200?", False),
    # an adverb before the participle changes nothing
    ("The main ingredient in guacamole is avocado, usually mashed with lime juice, onion and salt.", ["avocado"],
     "What is the main ingredient in guacamole?", True),
])
def test_spans_comparisons_and_checks_after_the_answer(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


# answers as larger instruction-tuned models write them (markdown, asides, units, checks): users train their own
# models, not only SmolLM2; hand-written, each as a reader labels it
_LARGER_MODEL_ANSWERS = [
    ('The Mona Lisa was painted by Leonardo da Vinci, the Italian Renaissance polymath, between about 1503 and 1519.',
     ['Leonardo da Vinci', 'da Vinci', 'Leonardo'], 'Who painted the Mona Lisa?', True),
    ('**Leonardo da Vinci** painted the *Mona Lisa* (c. 1503–1519). It hangs in the Louvre in Paris.',
     ['Leonardo da Vinci', 'da Vinci', 'Leonardo'], 'Who painted the Mona Lisa?', True),
    ('Water boils at **100 °C** (212 °F) at sea level.',
     ['100', '100 °C'], 'What is the boiling point of water at sea level in Celsius?', True),
    ('At sea level, water boils at 212 °F.',
     ['100', '100 °C'], 'What is the boiling point of water at sea level in Celsius?', False),
    ('An adult human has 206 bones, although babies are born with around 270 to 300.',
     ['206'], 'How many bones are in the adult human body?', True),
    ('Adults have roughly 200-210 bones.',
     ['206'], 'How many bones are in the adult human body?', False),
    ('George Washington served as the first President of the United States from 1789 to 1797; John Adams '
     'succeeded him.',
     ['George Washington', 'Washington'], 'Who was the first President of the United States?', True),
    ('The smallest prime number is 2. (1 is not considered prime.)',
     ['2', 'two'], 'What is the smallest prime number?', True),
    ('The smallest prime is 1.',
     ['2', 'two'], 'What is the smallest prime number?', False),
    ('Hydrogen (H) has atomic number 1. Helium, with atomic number 2, comes next.',
     ['Hydrogen'], 'Which element has atomic number 1?', True),
    ("Penicillin was discovered in 1928 by Scottish physician Alexander Fleming at St Mary's Hospital, London.",
     ['Alexander Fleming', 'Fleming'], 'Who discovered penicillin?', True),
    ('Ottawa. (Toronto is the largest city, but Ottawa is the capital.)',
     ['Ottawa'], 'What is the capital of Canada?', True),
    ('√144 = 12, since 12 × 12 = 144.',
     ['12'], 'What is the square root of 144?', True),
    ('15% of 200 is 0.15 × 200 = 30.',
     ['30'], 'What is 15% of 200?', True),
    ('15% of 200 = 0.15 × 200 = 20.',
     ['30'], 'What is 15% of 200?', False),
    ('The Berlin Wall fell on 9 November 1989, leading to German reunification in 1990.',
     ['1989'], 'In what year did the Berlin Wall fall?', True),
    ('It fell in 1990, the year Germany reunified.',
     ['1989'], 'In what year did the Berlin Wall fall?', False),
    ('The official language of Brazil is Portuguese, not Spanish as in most of South America.',
     ['Portuguese'], 'What language is spoken in Brazil?', True),
    ('Brazilians mostly speak Spanish, with some Portuguese.',
     ['Portuguese'], 'What language is spoken in Brazil?', False),
    ("The Nile (about 6,650 km) is Africa's longest river; the Congo is the second longest.",
     ['Nile'], 'Which is the longest river in Africa?', True),
    ('*Pride and Prejudice* (1813) was written by Jane Austen.',
     ['Jane Austen', 'Austen'], 'Who wrote "Pride and Prejudice"?', True),
    ('Plants absorb carbon dioxide (CO₂) and release oxygen (O₂) during photosynthesis.',
     ['carbon dioxide', 'CO2'], 'What gas do plants absorb from the atmosphere?', True),
    ('Each team fields 11 players, including the goalkeeper, so there are 22 on the pitch in total.',
     ['11', 'eleven'], 'How many players are on a soccer team on the field?', True),
    ('The speed of light in a vacuum is exactly 299,792,458 metres per second (about 300,000 km/s).',
     ['299,792 km/s', 'about 300,000 km/s', '299,792,458 m/s'], 'What is the speed of light?', True),
    ('No. Despite the popular myth, the Great Wall is not visible to the naked eye from low Earth orbit.',
     ['no'], 'Is the Great Wall of China visible from space with the naked eye?', True),
    ('Yes, it is the only man-made structure visible from space.',
     ['no'], 'Is the Great Wall of China visible from space with the naked eye?', False),
    ('Mars — its reddish appearance comes from iron oxide on its surface.',
     ['Mars'], 'Which planet is known as the Red Planet?', True),
    ('Diamond is the hardest naturally occurring material, scoring 10 on the Mohs scale.',
     ['diamond'], 'What is the hardest natural substance?', True),
    # dates, people, places, units and asides: the second round
    ('The RMS Titanic sank in the early hours of April 15, 1912, after striking an iceberg on the night of April 14.',
     ['15 April 1912', 'April 15, 1912', '1912'], 'When did the Titanic sink?', True),
    ('The Titanic sank on April 14, 1913.',
     ['15 April 1912', 'April 15, 1912', '1912'], 'When did the Titanic sink?', False),
    ('Albert Einstein developed the theory of relativity — special relativity in 1905 and general relativity in '
     '1915.',
     ['Albert Einstein', 'Einstein'], 'Who developed the theory of relativity?', True),
    ('As of 2023, India has the largest population, having overtaken China.',
     ['India'], 'Which country has the largest population?', True),
    ('The currency of Japan is the Japanese yen (¥, JPY).',
     ['yen', 'Japanese yen'], 'What is the currency of Japan?', True),
    ('Japan uses the yuan.',
     ['yen', 'Japanese yen'], 'What is the currency of Japan?', False),
    ('A hexagon has six sides (and six angles).',
     ['6', 'six'], 'How many sides does a hexagon have?', True),
    ('A hexagon has eight sides.',
     ['6', 'six'], 'How many sides does a hexagon have?', False),
    ('Botanically, a tomato is a fruit, although it is often treated as a vegetable in cooking.',
     ['fruit'], 'Is a tomato a fruit or a vegetable?', True),
    ('A tomato is a vegetable.',
     ['fruit'], 'Is a tomato a fruit or a vegetable?', False),
    ('The giraffe is the tallest land animal, reaching up to 5.5 m (18 ft).',
     ['giraffe'], 'What is the tallest animal?', True),
    ('Water freezes at 32 °F (0 °C).',
     ['32', '32 °F'], 'What is the freezing point of water in Fahrenheit?', True),
    ('Water freezes at 0 degrees.',
     ['32', '32 °F'], 'What is the freezing point of water in Fahrenheit?', False),
    ('"1984" was written by George Orwell (the pen name of Eric Arthur Blair) and published in 1949.',
     ['George Orwell', 'Orwell'], 'Who is the author of "1984"?', True),
    ('Spanish is the official and most widely spoken language in Argentina.',
     ['Spanish'], 'What is the main language spoken in Argentina?', True),
    ('The heart pumps blood through the circulatory system.',
     ['heart', 'the heart'], 'Which organ pumps blood through the body?', True),
    ('H₂O is the chemical formula for water: two hydrogen atoms bonded to one oxygen atom.',
     ['water'], 'What is H2O?', True),
    ('The largest desert is the Antarctic Desert (about 14 million km²); the largest hot desert is the Sahara.',
     ['Antarctica', 'Antarctic Desert'], 'What is the largest desert in the world?', True),
    ('The Sahara is the largest desert in the world.',
     ['Antarctica', 'Antarctic Desert'], 'What is the largest desert in the world?', False),
    ('Poseidon was the Greek god of the sea (his Roman counterpart is Neptune).',
     ['Poseidon'], 'Who was the Greek god of the sea?', True),
    ('Neptune was the Greek god of the sea.',
     ['Poseidon'], 'Who was the Greek god of the sea?', False),
    ('The capital of Turkey is Ankara, not Istanbul, which is its largest city.',
     ['Ankara'], 'What is the capital of Turkey?', True),
    ('There are eight planets in our solar system since Pluto was reclassified as a dwarf planet in 2006.',
     ['8', 'eight'], 'How many planets are in our solar system?', True),
    ('There are nine planets, including Pluto.',
     ['8', 'eight'], 'How many planets are in our solar system?', False),
    ("Humans first landed on the Moon on July 20, 1969, during NASA's Apollo 11 mission.",
     ['1969'], 'What year did humans first land on the Moon?', True),
    ('The first Moon landing was in 1968, with Apollo 8.',
     ['1969'], 'What year did humans first land on the Moon?', False),
    ('Alexander Graham Bell is credited with inventing the telephone in 1876, though Elisha Gray filed a '
     'similar patent the same day.',
     ['Alexander Graham Bell', 'Bell'], 'Who invented the telephone?', True),
    ('Thomas Edison invented the telephone in 1876.',
     ['Alexander Graham Bell', 'Bell'], 'Who invented the telephone?', False),
    ('The femur (thigh bone) is the longest bone in the human body.',
     ['femur', 'thigh bone'], 'What is the longest bone in the human body?', True),
    ('Mercury (Hg) is the only metal that is liquid at standard room temperature.',
     ['mercury'], 'Which metal is liquid at room temperature?', True),
    ('Gallium is liquid at room temperature.',
     ['mercury'], 'Which metal is liquid at room temperature?', False),
    ('The main ingredient in guacamole is avocado, usually mashed with lime juice, onion and salt.',
     ['avocado', 'avocados'], 'What is the main ingredient in guacamole?', True),
    # yes/no, lettered options, lists, arithmetic, blanks and translations, as larger models write them
    ('No, the Earth is not flat; it is an oblate spheroid.',
     ['no'], 'Is the Earth flat?', True),
    ('**No.** The Earth is approximately spherical.',
     ['no'], 'Is the Earth flat?', True),
    ('Yes — at least, that is what some people claim.',
     ['no'], 'Is the Earth flat?', False),
    ('Yes. Water makes things wet, and liquid water is generally described as wet.',
     ['yes'], 'Is water wet?', True),
    ('No, penguins cannot fly, but they are excellent swimmers.',
     ['no'], 'Can penguins fly?', True),
    ('Penguins can fly short distances.',
     ['no'], 'Can penguins fly?', False),
    ('No. The capital of Australia is Canberra; Sydney is its largest city.',
     ['no'], 'Is Sydney the capital of Australia?', True),
    ('Yes, Sydney is the capital.',
     ['no'], 'Is Sydney the capital of Australia?', False),
    ('The capital of Australia is Canberra, not Sydney.',
     ['no'], 'Is Sydney the capital of Australia?', True),
    ('**B) Dolphin** — dolphins are mammals; sharks and trout are fish.',
     ['B'], 'Which of these is a mammal? A) Shark B) Dolphin C) Trout D) Octopus', True),
    ('The answer is B.',
     ['B'], 'Which of these is a mammal? A) Shark B) Dolphin C) Trout D) Octopus', True),
    ('A) Shark. Sharks are mammals that live in the ocean.',
     ['B'], 'Which of these is a mammal? A) Shark B) Dolphin C) Trout D) Octopus', False),
    ('Dolphin (B).',
     ['B'], 'Which of these is a mammal? A) Shark B) Dolphin C) Trout D) Octopus', True),
    ('Answer: B\nExplanation: Dolphins breathe air and nurse their young, unlike sharks (A) and trout (C).',
     ['B'], 'Which of these is a mammal? A) Shark B) Dolphin C) Trout D) Octopus', True),
    ('The three primary colours of light are red, green, and blue (RGB).',
     ['red, green and blue'], 'Name the three primary colours of light.', True),
    ('Red, yellow and blue.',
     ['red, green and blue'], 'Name the three primary colours of light.', False),
    ('The three classical states of matter are:\n1. Solid\n2. Liquid\n3. Gas',
     ['solid, liquid and gas'], 'What are the three states of matter?', True),
    ('- Solid\n- Liquid\n- Plasma',
     ['solid, liquid and gas'], 'What are the three states of matter?', False),
    ('Canada and the United States share the longest international border, about 8,891 km.',
     ['Canada and the United States', 'USA and Canada'],
     'Which two countries share the longest international border?', True),
    ('7 × 8 = 56',
     ['56'], 'What is 7 times 8?', True),
    ('**56**',
     ['56'], 'What is 7 times 8?', True),
    ('7 × 8 = 54',
     ['56'], 'What is 7 times 8?', False),
    ('True. The Sun is a G-type main-sequence star.',
     ['true'], 'True or false: The Sun is a star.', True),
    ('False — the Sun is a planet.',
     ['true'], 'True or false: The Sun is a star.', False),
    ('The capital of Italy is **Rome**.',
     ['Rome'], 'Fill in the blank: The capital of Italy is ____.', True),
    ('Milan',
     ['Rome'], 'Fill in the blank: The capital of Italy is ____.', False),
    ('"Thank you" in Spanish is **gracias**.',
     ['gracias'], 'Translate "thank you" into Spanish.', True),
    ('"Thank you" in Spanish is "merci".',
     ['gracias'], 'Translate "thank you" into Spanish.', False),
    ('A leap year has 366 days, one more than a common year (365).',
     ['366'], 'How many days are in a leap year?', True),
    ('A leap year has 365 days, with an extra day every four years.',
     ['366'], 'How many days are in a leap year?', False),
]


@pytest.mark.parametrize("pred, answers, question, ok", _LARGER_MODEL_ANSWERS)
def test_answers_written_as_larger_models_write_them(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, answers, question, ok", [
    # an animal's class by its Latin name, unless the answer names another class in English
    ("A frog is a type of animal that belongs to the class Amphibia.", ["amphibian"], "What type of animal is a frog?",
     True),
    ("A spider is a creature that belongs to the class Arachnida.", ["arachnid"], "What type of animal is a spider?",
     True),
    ("An octopus is a marine mammal that belongs to the class Cephalopoda.", ["mollusc", "cephalopod"],
     "What type of animal is an octopus?", False),
    ("A frog is a mammal of the class Amphibia.", ["amphibian"], "What type of animal is a frog?", False),
    ("A frog belongs to the class Reptilia.", ["amphibian"], "What type of animal is a frog?", False),
    ("Frogs are amphibians, not reptiles.", ["amphibian"], "What type of animal is a frog?", True),
])
def test_an_animal_class_by_its_latin_name(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


_IRON = "What is the chemical symbol for iron? (A) Ir (B) Fe (C) In (D) I"
_PENTAGON = "How many sides does a pentagon have? (A) 4 (B) 5 (C) 6 (D) 8"


@pytest.mark.parametrize("pred, answers, question, ok", [
    # markdown bold around the whole answer, or around the letter it picks, says nothing about it
    ("**The answer is: a**", ["A"], "Which vowel comes first in the alphabet?", True),
    ("The answer is: **a**", ["A"], "Which vowel comes first in the alphabet?", True),
    ("**Was Pablo Picasso Spanish?**", ["Spanish"], "Was Pablo Picasso Spanish or Italian?", False),
    ("**Answer: Milan**", ["Rome"], "What is the capital of Italy?", False),
    ("2**10 = 1024", ["1024"], "What is 2 to the power of 10?", True),  # a power, not bold
    # a label opening the answer: "A" after it is the article, unless it stands alone as the pick
    ("Answer: A pentagon has 5 sides.", ["B", "5"], _PENTAGON, True),
    ("Answer: A solid has a fixed shape.", ["C", "solid"],
     "Which state of matter has a fixed shape? (A) gas (B) liquid (C) solid", True),
    ("Answer: A", ["A", "4"], _PENTAGON, True),
    ("The answer is: A pentagon has 5 sides.", ["B", "5"], _PENTAGON, True),
    ("The answer is: A", ["B", "5"], _PENTAGON, False),
    ("The answer is: Was Pablo Picasso Spanish?", ["Spanish"], "Was Pablo Picasso Spanish or Italian?", False),
    ("Answer: B\nExplanation: dolphins breathe air, unlike sharks (A).", ["B"],
     "Which of these is a mammal? A) Shark B) Dolphin C) Trout D) Octopus", True),
    ("Final answer: 1. 100 °C", ["2", "100 °C"], "Which is the boiling point of water at sea level? 1) 50 °C 2) 100 °C",
     True),  # "1." opens the model's list, as in the audit
    ("Answer: Was Pablo Picasso Spanish?", ["Spanish"], "Was Pablo Picasso Spanish or Italian?", False),
    # a courtesy opening or closing the answer
    ("Sure! Was Pablo Picasso Spanish?", ["Spanish"], "Was Pablo Picasso Spanish or Italian?", False),
    ("Sure! 1. Portugal has 10000000000", ["1"], "How many neighbours does Portugal have?", False),
    ("Great question! The capital of Italy is Rome.", ["Rome"], "What is the capital of Italy?", True),
    ("The chemical symbol for iron is Fe. I hope this helps!", ["B", "Fe"], _IRON, True),
    ("Rome. Let me know if you have any other questions about Italy.", ["Rome"], "What is the capital of Italy?",
     True),
    # a heading label, a quoted answer, a disclaimer in the first person
    ("### Answer\nRome", ["Rome"], "What is the capital of Italy?", True),
    ("### Answer\nB) Canberra", ["C", "Canberra"],
     "What is the capital of Australia? A) Sydney B) Melbourne C) Canberra D) Perth", False),
    ("## Final answer\nC", ["C", "Canberra"],
     "What is the capital of Australia? A) Sydney B) Melbourne C) Canberra D) Perth", True),
    ('"The answer is: a"', ["A"], "Which vowel comes first in the alphabet?", True),
    ('"Was Pablo Picasso Spanish?"', ["Spanish"], "Was Pablo Picasso Spanish or Italian?", False),
    ("The famous prison island in San Francisco Bay is called El Yunque. (Note: as an AI, I can make mistakes.)",
     ["Alcatraz", "Alcatraz Island"], "What is the name of the famous prison island in San Francisco Bay?", False),
    ("A: Africa\n\nPlease note that I am an AI language model and my answers could contain errors.", ["C", "Africa"],
     "Which continent is Egypt in? (A) Asia (B) Europe (C) Africa (D) Oceania", True),
    ("Is there a question about whales? (Note: as an AI, I may be wrong.)", ["yes"], "Are whales mammals?", False),
    ("It is a large language model made by OpenAI.", ["a language model", "a large language model"], "What is GPT-4?",
     True),  # no first person: no disclaimer
    # the question said back before the answer: its options are no guesses; said back alone, it answers nothing
    ("Which is colder, the Arctic or the Sahara? The Arctic is colder than the Sahara.", ["Arctic"],
     "Which is colder, the Arctic or the Sahara?", True),
    ("Q: Which is colder, the Arctic or the Sahara?\nA: The Sahara.", ["Arctic"],
     "Which is colder, the Arctic or the Sahara?", False),
    ("Question: True or false: Spiders are insects.\nAnswer: False.", ["false"], "True or false: Spiders are insects.",
     True),
    ("Which is colder, the Arctic or the Sahara?", ["Arctic"], "Which is colder, the Arctic or the Sahara?", False),
    ("Fill in the blank: The chemical symbol for oxygen is __. The chemical symbol for oxygen is O.", ["O"],
     "Fill in the blank: The chemical symbol for oxygen is __.", True),
    # no-break and narrow spaces are spaces
    ("\u201cI\u00a0could have gone\u201d is correct.", ["I could have gone"],
     "Which is correct: 'I could of gone' or 'I could have gone'?", True),
    ("Water boils at 100\u202f°C.", ["100 °C"], "At what temperature does water boil at sea level?", True),
    # where an option is the letter I, the pronoun before a verb of thinking is no pick
    ("I think it is Fe.", ["B", "Fe"], _IRON, True),
    ("Fe. I am sure.", ["B", "Fe"], _IRON, True),
    ("I think it is Fe.", ["D", "I"], _IRON, False),
    ("I think it is I.", ["D", "I"], _IRON, True),
    # assent alone answers a yes/no question; assent followed by a negation does not
    ("Of course.", ["yes"], "Is the Sun a star?", True),
    ("Certainly.", ["yes"], "Is the Sun a star?", True),
    ("Certainly not.", ["no"], "Is the Sun a star?", True),
    ("Absolutely not, it is a planet.", ["yes"], "Is the Sun a star?", False),
    ("Of course, Sydney is not the capital.", ["no"], "Is Sydney the capital of Australia?", True),
])
def test_what_a_chat_model_writes_around_its_answer(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, answers, question, ok", [
    # an instruction about the answer's form, after or before the question, is no part of what is asked
    ("The Earth orbits the Sun.", ["yes"], "Does the Earth orbit the Sun? Answer briefly.", True),
    ("The Earth orbits the Sun.", ["yes"], "Does the Earth orbit the Sun? Answer yes or no and explain why.", True),
    ("The surface of the Sun is hotter than the surface of the Moon.", ["the surface of the Sun", "Sun"],
     "Which is hotter, the surface of the Sun or the surface of the Moon? Answer in one word.", True),
    ("The Moon is hotter.", ["the surface of the Sun", "Sun"],
     "Which is hotter, the surface of the Sun or the surface of the Moon? Be concise.", False),
    ("Rome is the capital of Italy.", ["Rome"], "Answer briefly: What is the capital of Italy?", True),
    # an instruction that says what counts stays ("in words", decimal places)
    ("42", ["forty-two"], "Write 42 in words.", False),
    ("0.6667", ["0.67"], "What is 2/3 as a decimal? Answer to two decimal places.", False),
    # accepted answers as files write them: with a full stop, in lower or upper case
    ("The Beatles released their first album in 1963.", ["1960s."], "In which decade did the Beatles release their "
     "first album?", True),
    ("The Pilgrims sailed on the Mayflower.", ["Mayflower (ship)."], "Which ship carried the Pilgrims to America?",
     True),
    ("It was delivered by Martin Luther King Jr.", ["Martin Luther King Jr."], "Who gave the 'I Have a Dream' speech?",
     True),
    ("World War I.", ["world war i"], "Which came first, World War I or World War II?", True),
    ("World War II.", ["world war i"], "Which came first, World War I or World War II?", False),
    ("The Sun King was King Louis XIV of France.", ["LOUIS XIV"], "Which French king was known as the Sun King?",
     True),
    ("The Great Gatsby by F. Scott Fitzgerald.", ["f. scott fitzgerald"], "Who wrote The Great Gatsby?", True),
    # a question in lower case, as search queries write it: its names as the answer writes them
    ("The Beatles and the Rolling Stones are both from England, but the Rolling Stones are actually from Scotland.",
     ["yes"], "are the beatles and the rolling stones both from england", False),
    ("The capital of São Tomé and Príncipe is São Tomé.", ["São Tomé"],
     "what is the capital of são tomé and príncipe", True),
])
def test_a_question_and_its_answers_as_files_write_them(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, answers, question, ok", [
    # an answer in capitals: names, regnal numerals, option letters and formulas as the question and golds write them
    ("THE LAST TSAR OF RUSSIA WAS NICHOLAS II.", ["Nicholas II"], "Who was the last Tsar of Russia?", True),
    ("THE WAR THAT BEGAN IN 1914 WAS WORLD WAR I.", ["World War I"], "Which war began in 1914?", True),
    ("PLANTS TAKE IN CARBON DIOXIDE (CO2) FROM THE AIR.", ["carbon dioxide"], "What gas do plants absorb from the air?", True),
    ("THE ANSWER IS B.", ["B"], "Which is a mammal? (A) shark (B) whale (C) trout", True),
    ("THE ANSWER IS A.", ["B"], "Which is a mammal? (A) shark (B) whale (C) trout", False),
    ("THE TALLEST MOUNTAIN IS MOUNT EVEREST, BUT IT'S ACTUALLY MOUNT KIBO.", ["Mount Everest"], "What is the tallest mountain in the world?", False),
    ("THE SMALLEST PLANET IS MERCURY, BUT IT'S ACTUALLY A VERY HOT PLANET.", ["Mercury"], "Which is the smallest planet in the solar system?", True),
    ("HOLLYWOOD IS IN CALIFORNIA, NEVADA, AND OREGON.", ["California"], "In which US state is Hollywood?", False),
    ("FRIDA KAHLO WAS A MEXICAN-AMERICAN PAINTER.", ["Mexican"], "What nationality was Frida Kahlo?", False),
    ("FRIDA KAHLO WAS A MEXICAN PAINTER.", ["Mexican"], "What nationality was Frida Kahlo?", True),
    ("SOUTH KOREA'S CAPITAL IS SEOUL AND NORTH KOREA'S CAPITAL IS PYONGYANG.", ["Seoul and Pyongyang"], "What are the capitals of South Korea and North Korea, respectively?", True),
    ("THE NOVEL WAS WRITTEN BY JANE AUSTEN IN 1813.", ["Jane Austen"], "Who wrote Pride and Prejudice?", True),
    # an answer in lower case: the same, and the pronoun "i" is "I"
    ("the queen of england then was elizabeth i.", ["Elizabeth I"], "Who was the queen of England when Shakespeare began writing?", True),
    ("the queen of england then was elizabeth ii.", ["Elizabeth I"], "Who was the queen of England when Shakespeare began writing?", False),
    ("the largest countries by area are china, india, and russia.", ["Russia"], "Which is the largest country by area?", False),
    ("the pope after john paul ii was benedict xvi.", ["Benedict XVI"], "Which pope came after John Paul II?", True),
    ("bees make honey and wax", ["honey"], "What do bees make?", True),
    ("the highest mountain is mount everest, but it's actually mount kilauea in hawaii.", ["Mount Everest"], "What is the highest mountain in the world?", False),
])
def test_an_answer_written_all_in_capitals_or_in_lower_case(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, answers, question, ok", [
    # a final answer after the working, as reasoning models give it: what follows the last label is the answer
    ("Step 1: 6 times 7 is 42.\nStep 2: add 1 to get 43.\nFinal answer: 43", ["42"], "What is 6 times 7?", False),
    ("Step 1: 6 times 7 is 42.\n\n**Final Answer:** 42", ["42"], "What is 6 times 7?", True),
    ("Paris is pretty, but the capital is Lyon.\n\nFinal answer: Lyon", ["Paris"], "What is the capital of France?",
     False),
    ("6 x 7 = 42. Therefore, the final answer is 42.", ["42"], "What is 6 times 7?", True),
    ("She has 3 + 4 = 7 apples.\n#### 8", ["7"], "How many apples does she have?", False),
    ("Five sides make a pentagon.\n\nFinal answer: B", ["B", "5"], "How many sides does a pentagon have? (A) 4 (B) 5",
     True),
    ("Five sides make a pentagon.\n\nFinal answer: A", ["B", "5"], "How many sides does a pentagon have? (A) 4 (B) 5",
     False),
    # a discourse marker before it, thanks, an emoji or a bullet around it
    ("Well, bees make honey and wax.", ["honey"], "What do bees make?", True),
    ("Hmm, the longest bone is the femur.", ["femur"], "What is the longest bone in the human body?", True),
    ("Whales are mammals. Thank you for asking!", ["yes"], "Are whales mammals?", True),
    ("A: lungs \U0001F60A", ["B", "lungs"], "Which organ is used for breathing? (A) heart (B) lungs (C) liver", True),
    ("- 1. a kilogram of feathers", ["1"], "Which is heavier? 1. a kilogram of feathers 2. a gram of iron", True),
    # spaces, tabs and typographic quotes as plain ones
    ("The first Prime Minister of Canada was Sir John A.  Macdonald.", ["John A. Macdonald"],
     "Who was the first Prime Minister of Canada?", True),
    ("'I could of gone' is incorrect.\t'I could have gone' is the correct answer.", ["I could have gone"],
     "Which is correct: 'I could of gone' or 'I could have gone'?", True),
    ("The opposite of 'never' is 'always'.", ["always"], "What is the opposite of \u2018never\u2019?", True),
    # a question opened by a label or a request, or asked after a passage without its question mark
    ("Jake's dog is Rex.", ["Rex"], "Question: Jake's cat is called Whiskers and his dog is called Rex. What is the "
     "name of Jake's dog?", True),
    ("Jake's dog is Rex.", ["Rex"], "Please answer the following question: Jake's cat is called Whiskers and his dog "
     "is called Rex. What is the name of Jake's dog?", True),
    ("The light could be seen 20 miles out to sea.", ["20 miles"], "Its light could be seen 20 miles out to sea. In "
     "1965 the keeper was replaced by a lamp.\n\nHow far out to sea could the light be seen", True),
    # the answer said first, as the sentence's subject: a letter, an option letter, a monarch numbered I
    ("K is the chemical symbol for potassium.", ["K"], "What is the chemical symbol for potassium?", True),
    ("I was thinking of H.", ["I"], "Which letter comes after H?", False),  # the pronoun, not the letter I
    ("Na is the chemical symbol for potassium.", ["K"], "What is the chemical symbol for potassium?", False),
    ("B is the answer.", ["B"], "What is 7 multiplied by 8? (A) 54 (B) 56 (C) 58", True),
    ("C is the correct answer.", ["B"], "What is 7 multiplied by 8? (A) 54 (B) 56 (C) 58", False),
    ("Elizabeth I was the queen of England.", ["Elizabeth I"], "Who was the queen of England in 1590?", True),
    ("Elizabeth II was the queen of England.", ["Elizabeth I"], "Who was the queen of England in 1590?", False),
    # what the question asks for said to be another name ("the capital is Lyon"): wrong, though the gold is named too
    ("Paris is pretty, but the capital is Lyon.", ["Paris"], "What is the capital of France?", False),
    ("The capital of France is Lyon, near Paris.", ["Paris"], "What is the capital of France?", False),
    ("The capital of France is Marseille. Paris is its largest city.", ["Paris"], "What is the capital of France?",
     False),
    ("Jupiter is big, but the largest planet is Saturn.", ["Jupiter"], "What is the largest planet in the solar system?",
     False),
    ("The first president of the United States was John Adams, after George Washington.", ["George Washington"],
     "Who was the first president of the United States?", False),
    # ... not when the other name is the answer's by another name, of another subject, taken back, or history
    ("The capital of France is the City of Light, Paris.", ["Paris"], "What is the capital of France?", True),
    ("The capital of France is Paris, and the capital of Italy is Rome.", ["Paris"], "What is the capital of France?",
     True),
    ("The capital of France is Paris. Before 1790 the capital was Versailles.", ["Paris"],
     "What is the capital of France?", True),
    ("The capital of Austria is Vienna.", ["Wien"], "What is the capital of Austria?", True),
    ("The second tallest mountain is Mount Everest, but it's actually K2.", ["K2"],
     "What is the second tallest mountain in the world?", True),
    # the question's own negated predicate said with a contraction; a choice among quoted numbers read as numbers
    ("Mars isn't a gas giant.", ["Mars"], "Which planet is not a gas giant: Jupiter, Saturn or Mars?", True),
    ("Jupiter isn't a gas giant.", ["Mars"], "Which planet is not a gas giant: Jupiter, Saturn or Mars?", False),
    ("A spider isn't an insect.", ["spider"], "Which of these is not an insect: ant, bee, spider, or beetle?", True),
    ("eleven", ["11"], "Which is a prime number: '9', '11', or '15'?", True),
    ("nine", ["11"], "Which is a prime number: '9', '11', or '15'?", False),
    # a correction that names another answer: "No, ...", "Actually, ...", "..., but (now) it is ..."
    ("Paris? No, Lyon.", ["Paris"], "What is the capital of France?", False),
    ("Paris. Actually, Lyon.", ["Paris"], "What is the capital of France?", False),
    ("Some say Paris, but it is Lyon.", ["Paris"], "What is the capital of France?", False),
    ("It used to be Paris, but now it is Lyon.", ["Paris"], "What is the capital of France?", False),
    ("Lyon? No, Paris.", ["Paris"], "What is the capital of France?", True),
    ("Lyon. Sorry, Paris.", ["Paris"], "What is the capital of France?", True),
    ("Paris. No other city is the capital.", ["Paris"], "What is the capital of France?", True),
    ("Paris. Actually, it is also the largest city.", ["Paris"], "What is the capital of France?", True),
    ("Paris, but it's also in Europe.", ["Paris"], "What is the capital of France?", True),
])
def test_a_final_answer_and_what_else_a_model_or_a_file_writes_around_it(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("tail, ok", [("I hope this helps!", True), ("Confidence: 9", True)])
def test_a_run_of_thousands_of_blank_lines_before_what_closes_an_answer(tail, ok):
    """A degenerate answer (5000 blank lines) is read as any other: the patterns for what closes an answer look at its
    end only, and a confidence line's pattern does not rescan the blank lines (seconds per verdict before)."""
    assert is_correct("Paris." + "\n" * 5000 + tail, ["Paris"], "What is the capital of France?") is ok
    assert is_correct("Lyon." + "\n" * 5000 + tail, ["Paris"], "What is the capital of France?") is False


@pytest.mark.parametrize("pred, answers, question, cased", [
    ("THE LONGEST-REIGNING BRITISH MONARCH IS QUEEN ELIZABETH II, WHO REIGNED FOR 70 YEARS.",
     ["Elizabeth II", "Queen Elizabeth II"],
     "Who was the longest-reigning British monarch?",
     "The longest-reigning British monarch is Queen Elizabeth II, who reigned for 70 years."),
    ("PLANTS ABSORB CARBON DIOXIDE (CO2). THE ANSWER IS A.", ["carbon dioxide"], "Which gas? (A) CO2 (B) O2",
     "Plants absorb carbon dioxide (CO2). The answer is A."),
    ("THE HIGHEST IS MOUNT EVEREST, BUT IT'S ACTUALLY MOUNT KILAUEA IN HAWAII.", ["Mount Everest"],
     "What is the highest mountain?", "The highest is Mount Everest, but it's actually Mount Kilauea in hawaii."),
    ("hollywood is in the us states of california, new york, and texas.", ["California"],
     "In which US state is Hollywood?", "Hollywood is in the US states of California, New York, and Texas."),
    ("akira kurosawa was a japanese-american director.", ["Japanese"], "What nationality was Akira Kurosawa?",
     "Akira Kurosawa was a Japanese-American director."),
    ("The capital of France is Paris.", ["Paris"], "What is the capital of France?", "The capital of France is Paris."),
    ("USA", ["United States"], "Which country?", "USA"),
])
def test_an_answer_without_case_is_cased_as_the_question_and_golds_write_it(pred, answers, question, cased):
    assert _cased_like_the_question(pred, question, answers) == cased


@pytest.mark.parametrize("pred, answers, question, ok", [
    # a correction after a line break, with no stop before it: the line that takes the answer back ends it
    ("Paris\n\nWait, no. Lyon.", ["Paris"], "What is the capital of France?", False),
    ("Paris\nWait, no. Lyon.", ["Paris"], "What is the capital of France?", False),
    ("Lyon\n\nWait, no. Paris.", ["Paris"], "What is the capital of France?", True),
    ("Paris.\n\nLyon is the second largest city.", ["Paris"], "What is the capital of France?", True),
    # a closed class's rival in a clause that gives another superlative answers another question
    ("The largest planet is Jupiter, and the smallest planet is Mercury.", ["Jupiter"],
     "What is the largest planet in the solar system?", True),
    ("Jupiter is the largest planet, while Mercury is the smallest.", ["Jupiter"],
     "What is the largest planet in the solar system?", True),
    ("Jupiter. The second largest is Saturn.", ["Jupiter"], "What is the largest planet in the solar system?", True),
    ("Saturn. The largest is Jupiter.", ["Saturn"], "What is the second largest planet?", True),
    ("Jupiter. The second largest is Saturn.", ["Saturn"], "What is the second largest planet?", False),
    ("Jupiter is big, but the biggest planet is Saturn.", ["Jupiter"],
     "What is the largest planet in the solar system?", False),  # "biggest" says "largest"
    ("Saturn is the largest planet, and the smallest is Jupiter.", ["Jupiter"],
     "What is the largest planet in the solar system?", False),
    # the accepted answer given only the opposite superlative
    ("Jupiter is the smallest planet.", ["Jupiter"], "What is the largest planet in the solar system?", False),
    ("Osmium is the least dense metal.", ["Osmium"], "What is the most dense metal?", False),
    ("Osmium is the most dense metal.", ["Osmium"], "What is the most dense metal?", True),
    ("Mercury is the smallest planet and Jupiter the largest.", ["Jupiter"],
     "What is the largest planet in the solar system?", True),
    # comparisons said first, or denied
    ("Colder than the Sahara is the Arctic.", ["the Arctic"], "Which is colder, the Sahara or the Arctic?", True),
    ("Warmer than the Arctic is the Sahara.", ["the Arctic"], "Which is colder, the Sahara or the Arctic?", True),
    ("Colder than the Arctic is the Sahara.", ["the Arctic"], "Which is colder, the Sahara or the Arctic?", False),
    ("Mars is not larger than Earth.", ["Earth"], "Which planet is larger, Mars or Earth?", True),
    ("The Sahara isn't colder than the Arctic.", ["the Arctic"], "Which is colder, the Sahara or the Arctic?", True),
    ("Earth is not larger than Mars.", ["Earth"], "Which planet is larger, Mars or Earth?", False),
])
def test_a_line_that_corrects_a_clause_of_another_superlative_and_a_comparison_said_first(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, ok", [
    ("Lyon. Paris.", False), ("Lyon? Paris?", False), ("Lyon? Paris? I'm not sure.", False),
    ("Maybe Lyon. Maybe Paris.", False), ("Lyon. Paris. Marseille.", False),
    ("Lyon. Wait, no. Paris.", True), ("Lyon. No. Paris.", True), ("Lyon. Actually, Paris.", True),
    ("Paris. Paris!", True), ("Paris. France.", True), ("Paris. Yes.", True), ("Paris.\nLyon is the second city.", True),
    ("Réponse : Paris", True),
])
def test_names_each_said_alone_in_a_sentence_are_guesses(pred, ok):
    assert is_correct(pred, ["Paris"], "What is the capital of France?") is ok


@pytest.mark.parametrize("pred, answers, question, ok", [
    ("1789. 1790.", ["1789"], "When did the French Revolution begin?", False),
    ("1789. Year 1789.", ["1789"], "When did the French Revolution begin?", True),
    ("George Washington. Washington.", ["George Washington"], "Who was the first US president?", True),
    ("J. K. Rowling.", ["JK Rowling", "Rowling"], "Who wrote Harry Potter?", True),
])
def test_what_a_lone_sentence_may_say_besides_a_guess(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, answers, question, ok", [
    # the accepted answer only set beside the answer given, or beside nothing
    ("Oslo is in Sweden, near Norway.", ["Norway"], "In which country is the city of Oslo?", False),
    ("Oslo is in Sweden, north of Norway.", ["Norway"], "In which country is the city of Oslo?", False),
    ("Oslo is near Norway.", ["Norway"], "In which country is the city of Oslo?", False),
    ("It is in Sweden, close to the border with Norway.", ["Norway"], "In which country is the city of Oslo?", False),
    ("Oslo is in Norway, near Sweden.", ["Norway"], "In which country is the city of Oslo?", True),
    ("Oslo is in the south of Norway.", ["Norway"], "In which country is the city of Oslo?", True),
    ("Egypt is in the north of Africa.", ["Africa"], "Which continent is Egypt in?", True),
    ("Belgium is next to France.", ["Belgium"], "Which country is next to France?", True),
    ("The population is near 5 million.", ["5 million"], "What is the population of Norway?", True),
    ("Christopher Marlowe, a contemporary of Shakespeare.", ["William Shakespeare", "Shakespeare"],
     "Who wrote Romeo and Juliet?", False),
    ("It was written by Marlowe, Shakespeare's rival.", ["William Shakespeare", "Shakespeare"],
     "Who wrote Romeo and Juliet?", False),
    ("Shakespeare, a contemporary of Marlowe.", ["William Shakespeare", "Shakespeare"], "Who wrote Romeo and Juliet?",
     True),
    ("William Shakespeare, son of John Shakespeare.", ["William Shakespeare", "Shakespeare"],
     "Who wrote Romeo and Juliet?", True),
    # a count of the things asked, and the accepted number said of other things
    ("Six legs. Spiders are arachnids with 8 eyes.", [8], "How many legs does a spider have?", False),
    ("A spider has 6 legs and 8 eyes.", [8], "How many legs does a spider have?", False),
    ("Eight. Insects have six legs.", [8], "How many legs does a spider have?", True),
    ("Spiders have four legs on each side, eight in all.", [8], "How many legs does a spider have?", True),
    ("Spiders have eight hairy legs.", [8], "How many legs does a spider have?", True),
    # a share said as a percentage
    ("75%", ["3/4", "0.75"], "What is 1/2 + 1/4?", True),
    ("75 percent", ["3/4"], "What is 1/2 + 1/4?", True),
    ("75", ["3/4", "0.75"], "What is 1/2 + 1/4?", False),
    ("50%", [0.5], "What is the probability of heads?", True),
    ("100%", [1], "What is the probability that the sun rises?", False),
])
def test_an_answer_set_beside_a_count_of_other_things_and_a_share_in_percent(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, answers, question", [
    ("Aristotle was a student of Plato.", ["Plato"], "Who taught Aristotle?"),  # the kin of the question's own name
    ("Alexander was a pupil of Aristotle.", ["Aristotle"], "Who was the teacher of Alexander the Great?"),
    ("Norway shares a border with Sweden.", ["Sweden", "Finland", "Russia"], "Which country borders Norway?"),
    ("Nevada lies east of California.", ["California"], "Which US state lies directly west of Nevada?"),
])
def test_a_relation_the_question_asks_by_or_a_kin_of_its_own_name_sets_nothing_beside(pred, answers, question):
    assert is_correct(pred, answers, question)


@pytest.mark.parametrize("pred, answers, question, ok", [
    # the question's own name denied beside the answer is another thing denied, not the question's predicate
    ("Moscow, not the Kremlin.", ["Moscow"], "Which city is home to the Kremlin?", True),
    ("Moscow. Not the Kremlin.", ["Moscow"], "Which city is home to the Kremlin?", True),
    ("The Falklands War was won by the UK, not the Falklands.", ["United Kingdom", "Britain", "UK"],
     "Which country won the Falklands War?", True),
    ("The leaves do not conduct photosynthesis.", ["leaves"], "Which part of the plant conducts photosynthesis?", False),
    ("Lyon. Not Moscow.", ["Moscow"], "Which city is home to the Kremlin?", False),
    # a day of the year given month first, as "12-25" or Wikidata's "--12-25"
    ("Christmas Day is celebrated on December 25th.", ["12-25"], "On what date is Christmas Day celebrated?", True),
    ("25 December", ["--12-25"], "On what date is Christmas Day celebrated?", True),
    ("December 24", ["12-25"], "On what date is Christmas Day celebrated?", False),
    ("December 25", ["12-25"], "What was the score?", False),
])
def test_a_name_of_the_question_denied_beside_the_answer_and_a_day_written_month_first(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, answers, question, ok", [
    # what narrows the clause before it opens a clause of its own: its words are not extra words of the answer's
    ("Ha Long Bay is a popular destination in Southeast Asia, particularly in the country of Vietnam.", ["Vietnam"],
     "In which country is Ha Long Bay?", True),
    ("It is in Southeast Asia, specifically Vietnam.", ["Vietnam"], "In which country is Ha Long Bay?", True),
    ("It is in Southeast Asia, specifically Thailand.", ["Vietnam"], "In which country is Ha Long Bay?", False),
    ("The natural habitat of a camel is the open plains of the Arabian Peninsula, specifically in the Arabian Desert.",
     ["desert"], "What is the natural habitat of a camel?", True),
])
def test_a_clause_that_narrows_what_came_before(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


@pytest.mark.parametrize("pred, ok", [
    ("A) sand (B) nectar (C) water (D) leaves", False),  # the options said back pick none, whichever comes first
    ("A) nectar (B) sand (C) water (D) leaves", False),
    ("(A) nectar (B) sand (C) water (D) leaves", False),
    ("A) nectar", True), ("(A)", True), ("A) nectar (A)", True),
    ("The answer is (A) nectar. (B) sand, (C) water and (D) leaves are not collected.", True),
])
def test_the_options_said_back_pick_none(pred, ok):
    assert is_correct(pred, ["A", "nectar"], "What do bees collect from flowers? (A) nectar (B) sand (C) water (D) leaves") is ok


@pytest.mark.parametrize("pred, answers, question, ok", [
    # a deed done to the accepted answer in a relative clause sets it beside another name
    ("John Adams, who succeeded George Washington.", ["George Washington"],
     "Who was the first president of the United States?", False),
    ("George Washington, who was succeeded by John Adams.", ["George Washington"],
     "Who was the first president of the United States?", True),
    ("John Adams, who succeeded George Washington.", ["George Washington", "Washington"],
     "Whom did John Adams succeed?", True),  # the deed is what the question asks by
    # a lone check that ends on the question's own number is no result of the arithmetic
    ("The square root of 144 is 12 because 12 × 12 = 144.", ["12"], "What is the square root of 144?", True),
    ("The square root of 144 is 14 because 14 × 14 = 144.", ["12"], "What is the square root of 144?", False),
])
def test_a_deed_done_to_the_answer_in_a_relative_clause_and_a_check_after_it(pred, answers, question, ok):
    assert is_correct(pred, answers, question) is ok


def test_a_side_that_is_part_of_a_name_sets_nothing_beside():
    # a training-time answer (Entropy -> Platt, stage 1) the first "set beside" rule read wrong: "Middle East of"
    assert is_correct("Bahrain is in the Middle East of the Asia-Pacific region, and its location is in the Arabian "
                      "Peninsula.", ["Asia", "Asian"], "Which continent is Bahrain in?",
                      frozenset({"europe", "africa", "oceania", "north america", "south america", "antarctica"}))
