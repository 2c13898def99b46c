"""The SQL first pass agrees with the Python model, and the two-pass match keeps exactly the
leads the full Python scoring of every blocked pair would keep."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from safelight.missing import features as ft
from safelight.missing.adstore import evidence_from_row, fill_evidence
from safelight.missing.evidence import AdEvidence, Poster
from safelight.missing.firstpass import name_levels, poster_table, sql_weights
from safelight.missing.matching import anchor_kind
from safelight.missing.model import Lead, MatchModel, candidate_pairs
from safelight.missing.records import MissingPerson
from safelight.missing.run import (
    _load_posters,
    _model,
    import_posters,
    missing_version,
    run_match,
)
from safelight.store import Store

LEVELS = ("exact", "variant", "nickname")


def _person(case_id: str, name: str, aliases: tuple[str, ...] = ()) -> Poster:
    return Poster.from_person(MissingPerson(case_id, name, date(2024, 1, 1), aliases=aliases))


def test_name_levels_are_compare_names_levels() -> None:
    posters = [
        _person("A", "Ashley Marie Doe"),
        _person("B", "Jessica Roe", ("Jess",)),
        _person("C", "Katherine Poe"),
        _person("D", "Émilie Loe"),
        _person("E", "Zoe Moe", ("Star Bright",)),
    ]
    values = [
        "Ashlee", "Ashlie", "Ashley", "ASHLEY", "Mia", "May", "Marie", "Jess", "Jessie",
        "Jessika", "Kat", "Kathryn", "Kate", "Emily", "Emilie", "Zoey", "Zoe", "Star", "Bright",
        "Destiny", "O'Neil", "!!", "Maria",
    ]  # fmt: skip
    table = name_levels(posters, values)
    got = {(r["case_id"], r["value"]): LEVELS[r["rank"]] for r in table.to_pylist()}
    for poster in posters:
        for value in values:
            expected = ft.compare_names(poster.given_names, [value]).level
            level = got.get((poster.person.case_id, value), "different")
            assert level == expected, (poster.person.case_id, value)


def _setup(
    db: Path, corpus: Path, posters_file: Path | None = None
) -> tuple[list[Poster], list[AdEvidence], MatchModel, int]:
    with Store(db) as store:
        import_posters(store, [posters_file or corpus / "posters.csv"])
        fill_evidence(store)
        batch, _ = store.missing.begin_run(missing_version())
        posters = _load_posters(store)
        ids = store.query("SELECT ad_id FROM missing_ad_evidence ORDER BY ad_id")["ad_id"]
        rows = store.missing.evidence.rows(ids.to_pylist()).to_pylist()
        ads = [evidence_from_row(r) for r in sorted(rows, key=lambda r: r["ad_id"])]
        model = _model(store, posters, 3.0)
    return posters, ads, model, batch


def test_first_pass_blocks_and_scores_as_python_does(poster_corpus: Path, ads_db: Path) -> None:
    posters, ads, model, batch = _setup(ads_db, poster_corpus)
    levels = _check_first_pass(ads_db, posters, ads, model, batch)
    for feature in ("name", "age", "height", "hair", "eyes", "place_time", "photo"):
        assert levels[feature] - {"unknown"}, feature  # the corpus exercises them


def _check_first_pass(
    db: Path, posters: list[Poster], ads: list[AdEvidence], model: MatchModel, batch: int
) -> dict[str, set[str]]:
    """The first pass blocks exactly Python's pairs and scores each at its full weight."""
    weights, prior_weight = sql_weights(model)
    with Store(db) as store:
        names = name_levels(posters, store.missing.evidence.distinct_names())
        table = poster_table(posters)
        photos = store.missing.evidence.photo_pairs(batch, table)
        rows = store.missing.evidence.first_pass(
            batch, table, names, photos, weights, prior_weight, 10**5
        ).to_pylist()
    sql = {(r["case_id"], t["ad_id"]): t["score"] for r in rows for t in r["top"]}
    python = {
        (p.person.case_id, a.ad_id): model.score(p, a) for p, a in candidate_pairs(posters, ads)
    }
    assert len(python) > 100 and set(sql) == set(python)  # the same blocking
    faceless = {k: v.match_weight for k, v in python.items()}
    assert all(sql[k] >= faceless[k] - 1e-9 for k in sql)  # never below: an upper bound
    assert sum(abs(sql[k] - faceless[k]) < 1e-9 for k in sql) == len(sql)  # and exact here
    levels: dict[str, set[str]] = defaultdict(set)
    for lead in python.values():
        for c in lead.contributions:
            levels[c.feature].add(c.level)
    return levels


CRAFTED_POSTERS = (
    "\n".join(
        [
            "case_id,name,aliases,sex,dob,age_at_missing,date_missing,missing_city,"
            "missing_state,height,weight,hair,eyes,marks",
            "K1,Ashley Marie Doe,Ash,F,2008-02-29,,2023-11-01,Tyler,TX,5'4,115 lb,blonde,blue,"
            "butterfly tattoo on left wrist",
            "K2,Jessica Roe,,F,,14,2023-06-15,,TX,150 cm,90 lb,brown,green,nose ring; scar on chin",
            "K3,Katherine Poe,Kat,F,,17,2024-01-20,Portland,OR,170 cm,140 lb,red,hazel,rose tattoo",
            "K4,Mia Loe,,F,2006-07-04,,2023-12-24,Miami,FL,,,black,brown,",
            "K5,Destiny Vale,,F,,,2023-09-01,,,5'2,,,,tattoo on ankle",
            "K6,Rosa Gale,,F,1990-05-05,,2023-07-01,Dallas,TX,,,,,",
        ]
    )
    + "\n"
)
BODIES = [
    "Ashlee", "Ash", "Jess", "Jessie", "Kat", "Kathryn", "Mia", "Destiny", "Star", "Maria",
]  # fmt: skip
BITS = [
    ("16yo", "19 yo", "18", "22 years old", "41", "28 yrs"),
    ("5'4", "5'1", "162cm", "5 ft 7", "1.70m", ""),
    ("120lbs", "55kg", "140 lbs", "200lbs", ""),
    ("blonde", "red hair", "pink hair", "brunette", "auburn hair", ""),
    ("blue eyes", "green eyes", "hazel eyes", ""),
    ("butterfly tat on my left wrist", "rose tattoo on ankle", "nose ring", "scar", "tattoo", ""),
    ("Tyler TX", "Dallas", "in TX", "Portland OR", "Miami FL", "Houston", ""),
]


def _crafted(tmp_path: Path) -> tuple[Path, Path]:
    import json
    import random

    rng = random.Random(5)
    lines = []
    for i in range(240):  # the last 80 without marks: most take the scalar path
        words = [rng.choice(BODIES)] + [rng.choice(options) for options in BITS]
        if i >= 160:
            words = [w for w in words if w not in BITS[5]]
        if i % 16 == 0:  # two names: their levels come from the strong pairs
            words.insert(1, "aka " + rng.choice(BODIES))
        if i % 7 == 3:  # two precise places: the near rule on the list path
            words.append("visiting Houston TX")
        if i % 11 == 5:  # two heights and weights: the descriptor block on the list path
            words.append("pics 5'7 140 lbs")
        day = date(2023, 6, 1).toordinal() + rng.randint(0, 400)
        lines.append(json.dumps({
            "source": "t", "post_id": str(i), "title": "",
            "posted_at": date.fromordinal(day).isoformat() + "T12:00:00Z",
            "body": "hi im " + " ".join(w for w in words if w) + " call 555-0100",
        }))  # fmt: skip
    ads = tmp_path / "ads.jsonl"
    ads.write_text("\n".join(lines) + "\n", encoding="utf-8")
    posters = tmp_path / "posters.csv"
    posters.write_text(CRAFTED_POSTERS, encoding="utf-8")
    return ads, posters


@pytest.mark.parametrize("monotone", [True, False])
def test_first_pass_matches_python_on_every_level(tmp_path: Path, monotone: bool) -> None:
    """Also with level weights that do not fall with the distance (the SQL then reads a
    distance on both sides of each cut-off)."""
    from dataclasses import replace

    from safelight.pipeline import ingest_paths, run_extract

    ads_file, posters_file = _crafted(tmp_path)
    db = tmp_path / "crafted.duckdb"
    with Store(db) as store:
        ingest_paths(store, [ads_file])
        run_extract(store)
    posters, ads, model, batch = _setup(db, tmp_path, posters_file)
    if not monotone:
        m = {f: dict(levels) for f, levels in model.m.items()}
        for feature, level in (("place_time", "near"), ("height", "close"), ("weight", "near")):
            m[feature][level] = 1e-3  # weaker than the level after it
        model = replace(model, m=m)
        weights = sql_weights(model)[0]
        assert weights["place_time"]["near"] < weights["place_time"]["far"]
    weights, prior_weight = sql_weights(model)
    with Store(db) as store:
        names = name_levels(posters, store.missing.evidence.distinct_names())
        table = poster_table(posters)
        pairs = pa.table(
            {"case_id": [p.person.case_id for p in posters for _ in ads],
             "ad_id": [a.ad_id for _ in posters for a in ads]}
        )  # fmt: skip
        paths = {  # scalar columns for single-value ads, lists for the others; lists only
            lists: store.missing.evidence.score_pairs(
                pairs, table, names, weights, prior_weight, lists=lists
            ).to_pylist()
            for lists in (False, True)
        }
        flags = store.query("SELECT ad_id, multi FROM missing_ad_evidence").to_pylist()
    multi = {r["ad_id"]: r["multi"] for r in flags}
    levels: dict[str, set[str]] = defaultdict(set)
    one_levels: dict[str, set[str]] = defaultdict(set)  # levels met on the scalar path
    assert 20 <= sum(multi.values()) <= len(ads) - 20  # both paths are exercised
    for rows in paths.values():
        sql = {(r["case_id"], r["ad_id"]): r["score"] for r in rows}
        assert len(sql) == len(posters) * len(ads)
        above = 0
        for p in posters:
            for a in ads:
                lead = model.score(p, a)
                key = (p.person.case_id, a.ad_id)
                if monotone:
                    assert sql[key] == pytest.approx(lead.match_weight, abs=1e-9), key
                else:  # a distance right on a cut-off may take the next level's larger weight
                    assert sql[key] >= lead.match_weight - 1e-9, key
                    above += sql[key] > lead.match_weight + 1e-9
                for c in lead.contributions:
                    levels[c.feature].add(c.level)
                    if not multi[a.ad_id]:
                        one_levels[c.feature].add(c.level)
        assert above <= len(sql) // 10  # and only there (crafted values often sit on one)
    for feature in ("name", "age", "height", "weight", "hair", "eyes", "place_time"):
        assert len(one_levels[feature] - {"unknown"}) >= min(3, len(model.m[feature])), feature
    for feature in ("name", "age", "height", "weight", "hair", "eyes", "marks", "place_time"):
        assert len(levels[feature] - {"unknown"}) >= min(3, len(model.m[feature])), feature


def test_first_pass_blocks_crafted_ads_as_python_does(tmp_path: Path) -> None:
    """Scalar and list ads, ads with two names, every region, both age rules."""
    from safelight.pipeline import ingest_paths, run_extract

    ads_file, posters_file = _crafted(tmp_path)
    db = tmp_path / "crafted.duckdb"
    with Store(db) as store:
        ingest_paths(store, [ads_file])
        run_extract(store)
    posters, ads, model, batch = _setup(db, tmp_path, posters_file)
    assert sum(len(a.names) > 1 for a in ads) >= 5
    levels = _check_first_pass(db, posters, ads, model, batch)
    assert {"exact", "variant", "nickname", "different"} <= levels["name"]
    # a shifted age blocks in the poster's own area only, on both paths
    pairs = {(p.person.case_id, a.ad_id): (p, a) for p, a in candidate_pairs(posters, ads)}
    multi = {a.ad_id: len(a.ages) > 1 or len(a.places) > 1 for a in ads}
    every = [
        ((p.person.case_id, a.ad_id), {c.feature: c.level for c in model.score(p, a).contributions})
        for p in posters
        for a in ads
    ]
    near = [k for k, lv in every if lv["age"] == "shifted" and lv["place_time"] == "near"]
    away = [k for k, lv in every if lv["age"] == "shifted" and lv["place_time"] != "near"]
    assert near and all(k in pairs for k in near)
    assert {multi[k[1]] for k in near} == {False, True}
    assert any(k not in pairs for k in away)  # far away, a shifted age needs a name or photo
    # height and weight close, anywhere: pairs no name, photo or region rule would take
    far = {k for k, lv in every if lv["name"] not in ("exact", "variant", "nickname")
           and lv["place_time"] in ("far", "in_range")
           and lv["height"] == lv["weight"] == "close" and lv["age"] != "inconsistent"}  # fmt: skip
    assert far and far <= set(pairs)
    listed = {a.ad_id for a in ads if len(a.values("height")) > 1 or len(a.values("weight")) > 1}
    assert {k[1] in listed for k in far} == {False, True}  # on both paths
    assert any(lv["height"] != "close" and k not in pairs for k, lv in every)


def _reference(
    store: Store, posters: list[Poster], ads: list[AdEvidence], model: MatchModel, keep: int,
    extra: dict[tuple[str, str], ft.Comparison],
) -> dict[str, list[Lead]]:  # fmt: skip
    """Every blocked pair scored in Python, then the network's tied ads, best ``keep``."""
    by_ad = {a.ad_id: a for a in ads}
    by_case = {p.person.case_id: p for p in posters}

    def score(p: Poster, a: AdEvidence, tie: dict[str, str] | None = None) -> Lead:
        own = ft_compare(p, a, extra.get((p.person.case_id, a.ad_id)))
        net = ()
        if tie is not None:
            net = (ft.compare_network(own, tie["kind"], tie["via"], tie["value"],
                                      tie["anchor_post"], tie["network_id"]),)  # fmt: skip
        return model.score(p, a, net, comparisons=own)

    best: dict[str, dict[str, Lead]] = defaultdict(dict)
    anchors: dict[str, list[str]] = {"case_id": [], "ad_id": [], "kind": []}
    for p, a in candidate_pairs(posters, ads):
        lead = score(p, a)
        best[lead.case_id][lead.ad_id] = lead
        if kind := anchor_kind(lead):
            for key, value in zip(anchors, (lead.case_id, lead.ad_id, kind), strict=True):
                anchors[key].append(value)
    schema = pa.schema([(k, pa.string()) for k in anchors])
    for t in store.missing.linked_ads(pa.table(anchors, schema=schema)).to_pylist():
        lead = score(by_case[t["case_id"]], by_ad[t["ad_id"]], t)
        old = best[lead.case_id].get(lead.ad_id)
        if old is None or lead.match_weight > old.match_weight:
            best[lead.case_id][lead.ad_id] = lead
    return {
        c: sorted(v.values(), key=lambda x: (-x.match_weight, x.ad_id))[:keep]
        for c, v in best.items()
    }


def ft_compare(p: Poster, a: AdEvidence, face: ft.Comparison | None) -> tuple[ft.Comparison, ...]:
    from safelight.missing.model import compare

    own = compare(p, a)
    return own if face is None else (*(c for c in own if c.feature != "face"), face)


@pytest.mark.parametrize(("faces", "per_query"), [(False, 16), (True, 16), (False, 3)])
def test_two_passes_keep_exactly_the_full_models_best_leads(
    poster_corpus: Path, ads_db: Path, faces: bool, per_query: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Also with a few posters per query: each group's first pass runs beside the Python
    pass of the one before."""
    from safelight.missing import matching

    monkeypatch.setattr(matching, "MIN_POSTERS_PER_QUERY", per_query)
    monkeypatch.setattr(matching, "SQL_PAIRS_PER_QUERY", 1)
    keep = 7
    posters, ads, model, _ = _setup(ads_db, poster_corpus)
    extra: dict[tuple[str, str], ft.Comparison] = {}
    if faces:  # a stand-in face model: "same" for every 9th ad of each case
        for p in posters:
            for a in ads[::9]:
                extra[(p.person.case_id, a.ad_id)] = ft.Comparison("face", "same", "face: test")
    bound = math.log2(model.bayes_factor("face", "same"))
    with Store(ads_db) as store:
        summary = run_match(
            store, leads_per_case=keep,
            extra=(lambda pairs: {k: extra[k] for k in pairs if k in extra}) if faces else None,
            extra_bound=bound if faces else 0.0,
        )  # fmt: skip
        stored = store.missing.leads(None, keep).to_pylist()
        expected = _reference(store, posters, ads, model, keep, extra)
    if not faces:  # the second pass saw only a part of the pairs (with the face slack: more)
        assert summary.rescored < summary.pairs
    got: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for row in stored:
        got[row["case_id"]].append((row["ad_id"], row["match_weight"]))
    assert set(got) == {c for c, v in expected.items() if v}
    for case_id, leads in expected.items():
        assert [a for a, _ in got[case_id]] == [x.ad_id for x in leads], case_id
        assert [w for _, w in got[case_id]] == pytest.approx([x.match_weight for x in leads])
