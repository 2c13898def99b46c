"""The population behind the ads: minors, networks, phones, movement."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import phonenumbers

from safelight.synth.geography import geography
from safelight.synth.population import PopulationConfig, build_population
from safelight.synth.vocabulary import vocabulary


def test_population_rates_follow_the_options() -> None:
    config = PopulationConfig(ads=200_000, days=90, minor_rate=0.05, network_rate=0.3)
    persons, networks = build_population(config, random.Random(1), geography(), vocabulary())
    minors = sum(p.minor for p in persons) / len(persons)
    in_networks = sum(p.network is not None for p in persons) / len(persons)
    assert 0.035 <= minors <= 0.065
    assert 0.27 <= in_networks <= 0.33
    for net in networks:
        assert 2 <= len(net.members) <= 6 and net.bottom in net.members
        assert not net.bottom.minor or all(m.minor for m in net.members)
    # minors are over-represented in networks, but some advertise alone
    assert any(p.minor and p.network is None for p in persons)
    net_minor = sum(p.minor for p in persons if p.network) / sum(1 for p in persons if p.network)
    assert net_minor > minors
    phones = [p.phone for p in persons if p.phone] + [n.bottom_phone for n in networks]
    assert len(phones) == len(set(phones))


def test_minors_exist_and_claim_adult_ages(corpus) -> None:
    minors = [p for p in corpus.persons.values() if p["minor"]]
    assert minors and all(14 <= p["true_age"] <= 17 for p in minors)
    assert all(p["claimed_age"] >= 18 for p in minors)
    ages = [t["claimed_age"] for t in corpus.truth if t["minor"] and t["claimed_age"]]
    assert ages and sum(18 <= a <= 21 for a in ages) / len(ages) >= 0.8
    # youth wording is noisy: most minors' ads, few adults' ads, neither all nor none
    minor_cue = [t["youth_cue"] for t in corpus.truth if t["minor"]]
    adult_cue = [t["youth_cue"] for t in corpus.truth if not t["minor"]]
    assert 0.3 < sum(minor_cue) / len(minor_cue) < 1.0
    assert 0.0 < sum(adult_cue) / len(adult_cue) < 0.15


def test_networks_share_phones_across_persons(corpus) -> None:
    persons_per_phone: dict[str, set[str]] = defaultdict(set)
    for t in corpus.truth:
        for phone in t["phones"]:
            persons_per_phone[phone].add(t["person_id"])
    shared = {ph for ph, who in persons_per_phone.items() if len(who) > 1}
    assert shared
    for phone in shared:  # only network members share a phone, within one network
        nets = {corpus.persons[p]["network_id"] for p in persons_per_phone[phone]}
        assert len(nets) == 1 and None not in nets
    for net in corpus.networks.values():
        if net["ads"] > 20 and net["phone_mode"] != "bottom":
            assert len(net["phones"]) >= 2  # burners rotate


def test_networks_move_along_circuits_independents_stay(corpus) -> None:
    moved = [n for n in corpus.networks.values() if len({s["city"] for s in n["itinerary"]}) > 2]
    assert moved
    for net in moved:
        cities_in_ads = {t["city"] for t in corpus.truth if t["network_id"] == net["network_id"]}
        assert len(cities_in_ads) >= 2
    independents = [p for p in corpus.persons.values() if p["network_id"] is None and p["ads"]]
    home_share = Counter()
    for t in corpus.truth:
        if t["network_id"] is None:
            home_share[t["city"] == corpus.persons[t["person_id"]]["home_city"]] += 1
    assert home_share[True] / sum(home_share.values()) > 0.85
    assert independents


def test_phones_are_valid_and_local_for_independents(corpus) -> None:
    geo = geography()
    for t in corpus.truth[:1500]:
        for phone in t["phones"]:
            assert phonenumbers.is_valid_number(phonenumbers.parse(phone))
        if t["network_id"] is None:
            home = geo.by_key[corpus.persons[t["person_id"]]["home_city"]]
            assert int(t["phones"][0][2:5]) in home.area_codes


def test_no_two_persons_share_a_handle_or_mailbox() -> None:
    # A handle or an email address is one account. With 107 names x 17 handle parts, a
    # population of a 1M-ad corpus drew the same bare handle for unrelated persons hundreds of
    # times, and each such collision glued two true networks together (issue 4, giant component).
    config = PopulationConfig(ads=600_000, days=90, minor_rate=0.05, network_rate=0.3)
    persons, _ = build_population(config, random.Random(3), geography(), vocabulary())
    owners: dict[object, set[str]] = defaultdict(set)
    for p in persons:
        group = p.network.id if p.network is not None else p.id
        if p.handle:
            owners[p.handle].add(group)
        if p.email:
            owners[p.email].add(group)
    assert len(persons) > 8000 and len(owners) > 3000
    assert all(len(groups) == 1 for groups in owners.values())
    # bare name+part handles still exist (most persons' first choice is free)
    assert sum(p.handle is not None and p.handle[1].isalpha() for p in persons) > 400
