"""The local customer lookup, filled from a real sandbox and searched as a user types."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from enkash_tui.api import EnkashClient, NetworkError, RetryPolicy
from enkash_tui.api.models import Customer
from enkash_tui.local.customer_cache import CustomerCache, CustomerEntry, cache_path


async def filled(client: EnkashClient, tmp_path: Path) -> tuple[CustomerCache, list[Customer]]:
    cache = CustomerCache(tmp_path / "customers.json")
    seen: list[tuple[int, int | None]] = []
    count = await cache.refresh(client, lambda done, total: seen.append((done, total)))
    everyone = [c async for c in client.iter_customers(page_size=50)]
    assert count == len(everyone) == len(cache.entries)
    assert seen[-1] == (count, count)
    return cache, everyone


async def test_refresh_holds_every_customer_and_lookup_finds_each_way(
    client: EnkashClient, tmp_path: Path
) -> None:
    cache, everyone = await filled(client, tmp_path)
    target = next(c for c in everyone if c.pan_or_gstin and c.customer_key_contacts)
    name = target.legal_name or ""

    assert target.customer_id in {e.customer_id for e in cache.find(name[:5])}
    assert cache.find(name[:5])[0].legal_name.lower().startswith(name[:5].lower())
    assert [e.customer_id for e in cache.find(target.customer_id)] == [target.customer_id]
    assert target.customer_id in {e.customer_id for e in cache.find(target.pan_or_gstin or "")}
    contact = next(c for c in target.customer_key_contacts if not c.deleted)
    if contact.email:
        found = cache.find(contact.email.split("@")[0].upper())
        assert target.customer_id in {e.customer_id for e in found}
    last_digits = "".join(ch for ch in contact.mobile or "" if ch.isdigit())[-6:]
    assert target.customer_id in {e.customer_id for e in cache.find(last_digits)}
    assert cache.find("no such customer anywhere") == []
    assert len(cache.find("")) == min(200, len(everyone))


async def test_the_cache_survives_a_restart_and_is_private(
    client: EnkashClient, tmp_path: Path
) -> None:
    cache, _ = await filled(client, tmp_path)
    assert stat.S_IMODE(cache.path.stat().st_mode) == 0o600
    again = CustomerCache.load(cache.path)
    assert again.entries == cache.entries
    assert again.fetched_at == cache.fetched_at
    age = again.age()
    assert age is not None and 0 <= age < 60
    text = cache.path.read_text(encoding="utf-8")
    assert "password" not in text and "secret" not in text


def test_a_damaged_or_old_cache_is_simply_empty(tmp_path: Path) -> None:
    path = tmp_path / "customers.json"
    path.write_text("{broken", encoding="utf-8")
    assert CustomerCache.load(path).entries == []
    path.write_text(json.dumps({"format": 0, "customers": []}), encoding="utf-8")
    assert CustomerCache.load(path).fetched_at is None
    assert CustomerCache.load(tmp_path / "missing.json").age() is None


def test_each_profile_and_server_has_its_own_cache(tmp_path: Path) -> None:
    a = cache_path("UAT", "https://ekpayout-uat.enkash.in", tmp_path)
    b = cache_path("UAT", "https://api.enkash.in", tmp_path)
    c = cache_path("Live", "https://api.enkash.in", tmp_path)
    assert len({a, b, c}) == 3
    assert a.parent == tmp_path and a.name.startswith("customers-uat-")


async def test_put_and_drop_keep_the_lookup_current(client: EnkashClient, tmp_path: Path) -> None:
    cache, everyone = await filled(client, tmp_path)
    renamed = everyone[0].model_copy(update={"legal_name": "Zzyzx Renamed Traders Ltd"})
    cache.put(renamed)
    assert [e.customer_id for e in cache.find("zzyzx")] == [renamed.customer_id]
    assert len(cache.entries) == len(everyone)
    cache.drop(renamed.customer_id)
    assert cache.find("zzyzx") == []


async def test_a_failed_refresh_keeps_what_was_there(
    start_sandbox: Any, make_client: Any, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    client = await make_client(sandbox.url, retry=RetryPolicy(attempts=1))
    cache, _ = await filled(client, tmp_path)
    before = list(cache.entries)
    sandbox.stop()  # EnKash goes away mid-session
    with pytest.raises(NetworkError):
        await cache.refresh(client)
    assert cache.entries == before
    assert CustomerCache.load(cache.path).entries == before


async def test_a_first_refresh_fills_the_lookup_page_by_page(
    client: EnkashClient, tmp_path: Path
) -> None:
    """An empty cache (a first visit) is usable from the first page: each page's customers are
    in it, in order and found by lookup, before the walk goes on."""
    cache = CustomerCache(tmp_path / "customers.json")
    pages: list[list[CustomerEntry]] = []

    def arrived(done: int, total: int | None) -> None:
        assert len(cache.entries) == done
        assert cache.entries == sorted(cache.entries, key=lambda e: e.legal_name.lower())
        last = cache.entries[-1]
        assert last in cache.find(last.customer_id)
        pages.append(list(cache.entries))

    count = await cache.refresh(client, arrived)

    assert len(pages) == -(-count // 50) > 1  # the shared sandbox has more than one page
    assert [len(page) for page in pages] == [min(50 * (n + 1), count) for n in range(len(pages))]
    assert cache.entries == pages[-1]
    fresh = CustomerCache(tmp_path / "again.json")
    await fresh.refresh(client)
    assert cache.entries == fresh.entries  # as a walk into a filled cache leaves it


async def test_a_refresh_of_a_filled_cache_keeps_the_old_list_until_it_ends(
    client: EnkashClient, tmp_path: Path
) -> None:
    cache, _ = await filled(client, tmp_path)
    cache.replace(cache.entries[:3])
    before = list(cache.entries)
    during: list[list[CustomerEntry]] = []

    await cache.refresh(client, lambda done, total: during.append(list(cache.entries)))

    assert during and all(entries == before for entries in during)
    assert len(cache.entries) > len(before)


def test_entries_match_phone_numbers_however_they_are_typed() -> None:
    cache = CustomerCache(Path("unused.json"))
    cache.replace(
        [CustomerEntry("KC1A2B3C4D5E6F7G", "Acme Traders", contact_number="+91 98123 45678")]
    )
    for typed in ("9812345678", "98123 45678", "+919812345678", "2345678"):
        assert cache.find(typed), typed
    assert not cache.find("123")  # too few digits to match phones; not in the name either
