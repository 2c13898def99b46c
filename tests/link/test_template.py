from __future__ import annotations

import pyarrow as pa

from safelight.link import build_template, cluster_templates, text_links, tokenize
from safelight.link.template import GAP


def _doc(text: str, slots: dict[str, str]) -> tuple[list[str], list[str]]:
    spans = []
    for fld, v in slots.items():
        s = text.index(v)
        spans.append((s, s + len(v), fld))
    return tokenize(text, spans)


def test_template_shows_slots_and_fillers() -> None:
    tpl = "New in {c}!! I'm {n}, {a} yo, sweet and discreet. Call {p} no texts"
    people = [
        ("Dallas", "Mia", "21", "903-312-1887"),
        ("Tyler", "Kandi", "19", "214 555 0199"),
        ("Waco", "Ashlee", "20", "254-555-0123"),
    ]
    docs = [
        _doc(tpl.format(c=c, n=n, a=a, p=p), {"place": c, "name": n, "age": a, "phone": p})
        for c, n, a, p in people
    ]
    docs[1] = _doc(
        tpl.format(c="Tyler", n="Kandi", a="19", p="214 555 0199").replace("sweet", "very sweet"),
        {"place": "Tyler", "name": "Kandi", "age": "19", "phone": "214 555 0199"},
    )
    t = build_template(docs, support=0.8)
    assert t.render() == (
        "New in ⟨PLACE⟩ I'm ⟨NAME⟩ ⟨AGE⟩ yo ⟨…⟩ sweet and discreet Call ⟨PHONE⟩ no texts"
    )
    slots = {s.label: dict(s.fillers) for s in t.slots}
    assert slots["⟨NAME⟩"] == {"Mia": 1, "Kandi": 1, "Ashlee": 1}
    assert slots["⟨PLACE⟩"] == {"Dallas": 1, "Tyler": 1, "Waco": 1}
    assert slots[GAP] == {"": 2, "very": 1}


def test_words_that_vary_become_slots() -> None:
    docs = [
        tokenize(f"hello there handsome come see me {w} tonight babe")
        for w in ("Monday", "Friday", "Sunday", "Monday")
    ]
    t = build_template(docs)
    assert t.render() == "hello there handsome come see me ⟨…⟩ tonight babe"
    assert dict(t.slots[0].fillers) == {"Monday": 2, "Friday": 1, "Sunday": 1}


def test_cluster_templates_table() -> None:
    text = (
        "Hi gentlemen im {n} sweet and discreet call me for a good time in town tonight, "
        "incall and outcall available, ask about my specials, serious gentlemen only please"
    )
    names = ["Mia", "Kandi", "Destiny"]
    texts = pa.table({"ad_id": ["a", "b", "c"], "text": [text.format(n=n) for n in names]})
    tl = text_links(texts)
    out = cluster_templates(texts, None, tl.clusters).to_pylist()
    assert len(out) == 1 and out[0]["n_ads"] == 3 and out[0]["cluster_id"] == "a"
    assert "im ⟨…⟩ sweet" in out[0]["template"]


def test_empty_cluster() -> None:
    assert build_template([]).render() == ""
