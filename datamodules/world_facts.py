"""Built-in "world facts" QA generated from the ``countryinfo`` package's JSON (~250 countries).

Each template turns one country record into question/answer pairs with aliases. Splits are by
*country* (a held-out country never appears in training, in any template), shuffled by seed, so
the same seed always gives the same questions.
"""

from __future__ import annotations

import json
import random
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from calibmodule.paths import package_dir

QA = dict  # {"id": str, "question": str, "answers": list[str], "template": str, "country": str}


def _countryinfo_dir() -> Path:
    pkg = package_dir("countryinfo")
    if pkg is None:
        raise RuntimeError("the built-in world_facts data needs the PyPI package 'countryinfo': pip install countryinfo")
    return pkg / "data"


def load_countries() -> list[dict]:
    """All country records that have a name, sorted by name (stable across platforms)."""
    out = []
    for f in sorted(_countryinfo_dir().glob("*.json")):
        rec = json.loads(f.read_text(encoding="utf-8"))
        if rec.get("name"):
            out.append(rec)
    return sorted(out, key=lambda r: r["name"])


def _strings(value) -> list[str]:
    """Flatten a field that may be a string, a list, or a nested list (some records nest)."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


# Everyday names countryinfo's alt spellings lack (its "USA" is also the ISO code, left out below).
COUNTRY_ALIASES = {"United States": ["USA", "America"], "United Kingdom": ["Britain"]}


def _names(rec: dict) -> list[str]:
    """Country name plus alt spellings. ISO codes ("GB", "GBR") are too loose to accept; other short forms
    are names people write ("UK", "UAE", "DRC": found as a right answer graded wrong, "... located in the UK.")."""
    iso = {str(v).upper() for v in (rec.get("ISO") or {}).values()}
    alts = [a for a in _strings(rec.get("altSpellings")) if len(a) > 3 or (a.isupper() and a not in iso)]
    return list(dict.fromkeys([rec["name"], *alts, *COUNTRY_ALIASES.get(rec["name"], [])]))


# Capitals countryinfo leaves out: the other official capitals of countries with several (South Africa's
# legislative and judicial ones; the seat of government where the record names the constitutional
# capital), and current or common spellings of renamed ones (Astana again since 2022), and the usual short name
# of the City of San Marino. Found by reading real completions graded wrong ("The capital of South Africa is Cape
# Town." at stated 0.64; "The capital of San Marino is San Marino.").
CAPITAL_ALIASES = {
    "South Africa": ["Cape Town", "Bloemfontein"], "Bolivia": ["La Paz"], "Benin": ["Cotonou"],
    "Sri Lanka": ["Sri Jayawardenepura Kotte", "Kotte"], "Swaziland": ["Mbabane"], "Burundi": ["Gitega"],
    "Kazakhstan": ["Astana"], "Ukraine": ["Kiev"], "Myanmar": ["Nay Pyi Taw", "Naypyitaw"],
    "Mongolia": ["Ulan Bator"], "San Marino": ["San Marino"],
}


def _capital(rec, by_iso):
    caps = _strings(rec.get("capital"))
    if caps:
        caps = [*caps, *[a for a in CAPITAL_ALIASES.get(rec["name"], []) if a not in caps]]
        yield "What is the capital of {name}?", caps
        yield "Which city is the capital of {name}?", caps


def _capital_of(rec, by_iso):
    caps = _strings(rec.get("capital"))
    if caps:
        yield f"{caps[0]} is the capital of which country?", _names(rec)


def _has_capital(rec, by_iso):
    caps = _strings(rec.get("capital"))
    if caps:
        yield f"Which country has {caps[0]} as its capital?", _names(rec)


def _city_country(rec, by_iso):
    caps = _strings(rec.get("capital"))
    if caps:
        yield f"In which country is the city of {caps[0]}?", _names(rec)


_ADJECTIVES = {"Europe": "European", "Africa": "African", "Asia": "Asian", "Oceania": "Oceanian", "Americas": "American"}


def _continent_names(rec) -> list[str]:
    """The record's region with the everyday names that are also right: its adjective ("a European
    country"), the parts of the Americas (South/Central/North America, Caribbean), Australasia."""
    region = _strings(rec.get("region"))
    if not region:
        return []
    names = [region[0]]
    if region[0] in _ADJECTIVES:
        names.append(_ADJECTIVES[region[0]])
    if region[0] == "Americas":
        names += ["America", *_strings(rec.get("intermediateregion"))]
        if rec.get("subregion") == "Northern America" or names[-1] in ("Caribbean", "Central America"):
            names.append("North America")
    if rec.get("subregion") == "Australia and New Zealand":
        names += ["Australia", "Australasia"]
    return names


def _continent(rec, by_iso):
    names = _continent_names(rec)
    if names:
        yield "Which continent is {name} in?", names


def _region(rec, by_iso):
    names = _continent_names(rec)
    if names:
        yield "On which continent or world region is {name}?", names


_SUBREGION_ALIASES = {"South-eastern Asia": ["Southeast Asia", "South East Asia"],
                      "Latin America and the Caribbean": ["Latin America", "Caribbean"],
                      "Australia and New Zealand": ["Australasia"]}


def _subregion(rec, by_iso):
    sub = _strings(rec.get("subregion"))
    if sub:
        yield "In which subregion of the world is {name} located?", [*sub, *_SUBREGION_ALIASES.get(sub[0], [])]


def _demonym_variants(names: list[str]) -> list[str]:
    """countryinfo spells some demonyms "-ian" where English usually writes "-ean" (Cape Verdian / Cape
    Verdean, read in a real SmolLM2 completion) and the reverse: accept both spellings."""
    out = list(names)
    for d in names:
        for a, b in (("ian", "ean"), ("ean", "ian")):
            if d.endswith(a) and d[: -len(a)] + b not in out:
                out.append(d[: -len(a)] + b)
    return out


# demonyms in current use that countryinfo lacks: its older transliterations ("Kirghiz", "Tadzhik"), the short
# forms beside "-stani" ("Kazakh", "Uzbek"), "Lao" and "Saudi", and the plural beside a singular in the record
# ("Batswana" beside "Motswana"). Found by reading real completions graded wrong ("The demonym for people from Laos
# is Lao." sampled at the training temperature, thirty-eighth session).
DEMONYM_ALIASES = {
    "Laos": ["Lao"], "Kyrgyzstan": ["Kyrgyz", "Kyrgyzstani"], "Tajikistan": ["Tajik", "Tajikistani"],
    "Kazakhstan": ["Kazakh"], "Uzbekistan": ["Uzbek"], "Saudi Arabia": ["Saudi"], "Botswana": ["Batswana"],
    "Lesotho": ["Basotho"],
}


def _demonym(rec, by_iso):
    if dems := _strings(rec.get("demonym")):
        dems = _demonym_variants(dems)
        yield "What is the demonym for people from {name}?", [*dems, *[a for a in DEMONYM_ALIASES.get(rec["name"], [])
                                                                       if a not in dems]]


def _neighbour(rec, by_iso):
    names = [by_iso[b] for b in rec.get("borders", []) if b in by_iso]
    if names:
        yield "Name a country that shares a land border with {name}.", names


def _calling_code(rec, by_iso):
    codes = _strings(rec.get("callingCodes"))
    if codes:
        yield "What is the international calling code of {name}?", [*codes, *[f"+{c}" for c in codes]]


def _tld(rec, by_iso):
    tlds = _strings(rec.get("tld"))
    if tlds:
        yield "What is the internet country code top-level domain of {name}?", [*tlds, *[t.lstrip(".") for t in tlds]]


def _fact_sentences(rec: dict, by_iso: dict) -> dict[str, str]:
    """What a passage may state about a country, by kind: "Peru lies in the Americas.", "The capital of Peru is
    Lima.", "People from Peru are called Peruvian.", "Peru borders Bolivia."."""
    name, out = rec["name"], {}
    if caps := _strings(rec.get("capital")):
        out["capital"] = f"The capital of {name} is {caps[0]}."
    if names := _continent_names(rec):
        out["continent"] = f"{name} lies in {'the Americas' if names[0] == 'Americas' else names[0]}."
    if dems := _strings(rec.get("demonym")):
        out["demonym"] = f"People from {name} are called {dems[0]}."
    if borders := [by_iso[b] for b in rec.get("borders", []) if b in by_iso]:
        out["neighbour"] = f"{name} borders {borders[0]}."
    return out


def _passage(kind: str):
    """The ``kind`` template's first question after a two-sentence passage about the country ("Context: Peru lies in
    the Americas. The capital of Peru is Lima.\nQuestion: What is the capital of Peru?"). For half of the countries
    (fixed by the name's CRC-32) the passage states the asked fact; for the others it states two other facts, and
    the answer must come from what the model knows. Question forms for evaluation: added to the training mix once,
    they cost accuracy (docs/results.md, "Passages in the training mix")."""
    def template(rec, by_iso):
        asked = next(iter(TEMPLATES[kind](rec, by_iso)), None)
        facts = _fact_sentences(rec, by_iso)
        if asked is None or kind not in facts:
            return
        others = [k for k in ("continent", "demonym", "capital", "neighbour") if k in facts and k != kind]
        said = [kind, *others[:1]] if zlib.crc32(f"{rec['name']}/{kind}".encode()) % 2 == 0 else others[:2]
        if said:
            passage = " ".join(facts[k] for k in sorted(said, key=lambda k: k != "continent"))
            yield f"Context: {passage}\nQuestion: {asked[0]}", asked[1]
    return template


TEMPLATES: dict[str, Callable[[dict, dict], Iterable[tuple[str, list[str]]]]] = {
    "capital": _capital,
    "capital_of": _capital_of,
    "has_capital": _has_capital,
    "region": _region,
    "continent": _continent,
    "city_country": _city_country,
    "subregion": _subregion,
    "demonym": _demonym,
    "neighbour": _neighbour,
    "calling_code": _calling_code,
    "tld": _tld,
    "passage_capital": _passage("capital"),
    "passage_continent": _passage("continent"),
    "passage_demonym": _passage("demonym"),
}


# The default mix, chosen by measurement (greedy SmolLM2-135M-Instruct, 40-token answers, graded by
# ``calibmodule.answers.is_correct``). First pick, on 20 val questions per template: capital 0.55,
# capital_of 0.45, continent 0.35, demonym 0.30, neighbour 0.25, calling_code 0.00 -> about 0.35. On the
# whole default split the base model scored capital 0.41, continent 0.40, demonym 0.21, capital_of 0.20,
# neighbour 0.13, calling_code 0.00 (test) and 0.295 overall on val: under the 30-60% a calibration task
# needs, with one template (calling codes, 1 question in 7) that no answer ever got right and that only
# teaches "say 0 here". It is left out; the mix runs from easy (capital) to hard (neighbour). Left out of the
# mix (and kept as question forms the trained model never sees, for unseen-form evaluation): city_country
# 0.35, has_capital 0.05 ("The answer is: 10"); and region 0.16, subregion 0.04, tld 0.00, calling_code
# 0.00. This mix on the default split (current grader, 64-token eval answers): base accuracy 0.360 on val
# (`validate`, twenty-sixth session; 0.365 in the twentieth, 0.355 before San Marino's capital was accepted by its
# usual name), 0.285 on test (continent 0.40, capital 0.37, demonym 0.20, capital_of 0.18, neighbour 0.14); more in
# the README.
# The passage_* templates (base 0.54 on the test countries) are left out too: added to the training mix once, they
# cost 9 points of test accuracy on these templates (docs/results.md, "Passages in the training mix").
DEFAULT_TEMPLATES = ["capital", "capital_of", "continent", "demonym", "neighbour"]


def generate(templates: list[str] | None = None) -> dict[str, list[QA]]:
    """All questions, grouped by country name (``templates`` None: ``DEFAULT_TEMPLATES``)."""
    templates = list(DEFAULT_TEMPLATES) if templates is None else templates
    unknown = [t for t in templates if t not in TEMPLATES]
    if unknown:
        raise ValueError(f"unknown world_facts template(s) {unknown}; choose from {sorted(TEMPLATES)}")
    countries = load_countries()
    by_iso = {r["ISO"]["alpha3"]: r["name"] for r in countries if r.get("ISO", {}).get("alpha3")}
    # a border is shared: countryinfo lists 21 of its 646 the one way only (Sudan lists Chad, Chad lists South
    # Sudan instead; Nepal lists China, not the reverse), so either side's listing counts for both
    listed_by: dict[str, set[str]] = {}
    for r in countries:
        for b in r.get("borders") or []:
            listed_by.setdefault(b, set()).add(r.get("ISO", {}).get("alpha3"))
    out: dict[str, list[QA]] = {}
    for rec in countries:
        iso = rec.get("ISO", {}).get("alpha3")
        if iso in listed_by:
            rec = {**rec, "borders": sorted(set(rec.get("borders") or []) | listed_by[iso] - {None})}
        qs = []
        for t in templates:
            for k, (q, answers) in enumerate(TEMPLATES[t](rec, by_iso)):
                qs.append({"id": f"{rec['name']}/{t}/{k}", "question": q.format(name=rec["name"]),
                           "answers": answers, "template": t, "country": rec["name"]})
        out[rec["name"]] = qs
    # a question two records ask alike ("In which country is the city of Kingston?": Jamaica and Norfolk
    # Island) accepts every record's answers
    same: dict[tuple[str, str], list[str]] = {}
    for q in (q for qs in out.values() for q in qs):
        same.setdefault((q["template"], q["question"]), []).extend(q["answers"])
    for q in (q for qs in out.values() for q in qs):
        q["answers"] = list(dict.fromkeys(same[(q["template"], q["question"])]))
    return out


def split(templates: list[str] | None, seed: int, fractions: tuple[float, float, float]) -> dict[str, list[QA]]:
    """Deterministic train/val/test split by country; questions shuffled within each split."""
    by_country = generate(templates)
    names = sorted(by_country)
    random.Random(seed).shuffle(names)
    n_val = round(len(names) * fractions[1])
    n_test = round(len(names) * fractions[2])
    parts = {"val": names[:n_val], "test": names[n_val : n_val + n_test], "train": names[n_val + n_test :]}
    out = {}
    for k, ns in parts.items():
        rows = [q for n in ns for q in by_country[n]]
        random.Random(f"{seed}-{k}").shuffle(rows)
        out[k] = rows
    return out
