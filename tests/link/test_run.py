from __future__ import annotations

import pyarrow as pa

from safelight.link import link_ads
from safelight.records import EXTRACTION_SCHEMA


def test_link_ads_joins_kinds_into_explainable_networks() -> None:
    ext = pa.Table.from_pylist(
        [
            {"ad_id": "a", "field": "phone", "value": "+19035550111"},
            {"ad_id": "b", "field": "phone", "value": "+19035550111"},
            {"ad_id": "b", "field": "image", "value": "8f3c21a055e19b07"},
            {"ad_id": "c", "field": "image", "value": "8f3c21a055e19b06"},
            {"ad_id": "d", "field": "email", "value": "x@y.com"},
        ],
        schema=EXTRACTION_SCHEMA,
    )
    texts = pa.table({"ad_id": list("abcde"), "text": ["hi"] * 5})
    out = link_ads(ext, texts)
    assert out.networks.components() == [["a", "b", "c"]]
    assert [e.kind for e in out.networks.explain("a", "c")] == ["phone", "image"]
    assert out.flagged.num_rows == 0
