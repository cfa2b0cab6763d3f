"""Supervisor accounts: slow hashes, refusals that tell nothing, lockout, audited sign-ins."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from counter_app.adapters.storage import CounterStorage
from counter_app.adapters.store.errors import (
    SelfUnlockError,
    SignInRefusedError,
    SupervisorExistsError,
    SupervisorLockedError,
    SupervisorRequiredError,
    UnknownSupervisorError,
    WeakPasswordError,
)
from counter_app.adapters.store.models import SUPERVISORS
from counter_app.adapters.store.records import AuditKind, AuditRecord, load_record
from counter_app.adapters.supervisors import (
    MAX_FAILED_ATTEMPTS,
    SupervisorAccounts,
    SupervisorSession,
    hash_password,
    needs_rehash,
    verify_password,
)

PASSWORD = "窓口の合言葉2026"


def audits(storage: CounterStorage) -> list[AuditRecord]:
    records = [load_record(e.kind, e.payload) for e in storage.local.pending(100)]
    return [r for r in records if isinstance(r, AuditRecord)]


def test_hash_format_and_verification() -> None:
    stored = hash_password(PASSWORD)
    scheme, n_log2, r, p, _salt, _digest = stored.split("$")
    assert (scheme, n_log2, r, p) == ("scrypt", "15", "8", "1")
    assert PASSWORD not in stored
    assert verify_password(PASSWORD, stored)
    assert not verify_password(PASSWORD + "x", stored)
    assert hash_password(PASSWORD) != stored  # salted
    assert not verify_password(PASSWORD, "md5$abc")
    assert not needs_rehash(stored) and needs_rehash(hash_password(PASSWORD, n_log2=10))


def test_add_and_sign_in(storage: CounterStorage) -> None:
    accounts = storage.supervisors
    accounts.add("sato.k", PASSWORD)
    session = accounts.sign_in("sato.k", PASSWORD)
    assert session.login == "sato.k"
    (info,) = accounts.list()
    assert info.last_sign_in_at is not None and not info.disabled
    kinds = [(a.kind, a.clerk_id) for a in audits(storage)]
    assert (AuditKind.SUPERVISOR_ACCOUNT, "sato.k") in kinds
    assert (AuditKind.SUPERVISOR_SIGN_IN, "sato.k") in kinds
    for audit in audits(storage):
        assert PASSWORD not in str(audit.detail)


def test_refusals_look_the_same(storage: CounterStorage) -> None:
    storage.supervisors.add("sato.k", PASSWORD)
    with pytest.raises(SignInRefusedError) as wrong:
        storage.supervisors.sign_in("sato.k", "not the password")
    with pytest.raises(SignInRefusedError) as unknown:
        storage.supervisors.sign_in("PASSWORD-typed-in-the-login", PASSWORD)
    assert str(wrong.value) == str(unknown.value)
    failed = [a for a in audits(storage) if a.kind is AuditKind.SUPERVISOR_SIGN_IN_FAILED]
    assert [a.clerk_id for a in failed] == ["sato.k", ""]  # an unknown login is not written down
    assert failed[1].detail == {"known_login": False}


def test_lockout_after_repeated_failures(storage: CounterStorage) -> None:
    now = [dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)]
    accounts = SupervisorAccounts(storage.database, storage.recorder, clock=lambda: now[0])
    accounts.add("sato.k", PASSWORD)
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(SignInRefusedError):
            accounts.sign_in("sato.k", "wrong password")
    with pytest.raises(SupervisorLockedError) as locked:
        accounts.sign_in("sato.k", "wrong password")
    assert locked.value.until == now[0] + dt.timedelta(minutes=15)
    with pytest.raises(SupervisorLockedError):  # even the right password waits
        accounts.sign_in("sato.k", PASSWORD)
    now[0] += dt.timedelta(minutes=16)
    assert accounts.sign_in("sato.k", PASSWORD).login == "sato.k"


def lock(accounts: SupervisorAccounts, login: str) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises((SignInRefusedError, SupervisorLockedError)):
            accounts.sign_in(login, "wrong password")
    with pytest.raises(SupervisorLockedError):
        accounts.sign_in(login, PASSWORD)


def test_only_another_supervisor_clears_a_lockout(storage: CounterStorage) -> None:
    accounts = storage.supervisors
    accounts.add("sato.k", PASSWORD)
    suzuki = second_supervisor(accounts)
    lock(accounts, "sato.k")
    # the locked account cannot act for itself: it cannot sign in, and a stale session is refused
    stale = SupervisorSession("sato.k", dt.datetime.now(dt.UTC))
    with pytest.raises(SupervisorRequiredError):
        accounts.set_password("sato.k", "新しい合言葉です", by=stale)
    with pytest.raises(SupervisorRequiredError):
        accounts.unlock("sato.k", by=stale)
    accounts.set_password("sato.k", "新しい合言葉です", by=suzuki)
    assert accounts.sign_in("sato.k", "新しい合言葉です").login == "sato.k"
    lock(accounts, "sato.k")
    accounts.unlock("sato.k", by=suzuki)
    assert accounts.sign_in("sato.k", "新しい合言葉です").login == "sato.k"
    with pytest.raises(SelfUnlockError):
        accounts.unlock("suzuki.a", by=suzuki)


def second_supervisor(accounts: SupervisorAccounts) -> SupervisorSession:
    first = accounts.sign_in("sato.k", PASSWORD)
    accounts.add("suzuki.a", "鈴木の合言葉です", by=first)
    return accounts.sign_in("suzuki.a", "鈴木の合言葉です")


def test_changes_need_a_signed_in_supervisor_and_name_who_acted(storage: CounterStorage) -> None:
    accounts = storage.supervisors
    accounts.add("sato.k", PASSWORD)  # the first account: nobody could sign in for it
    with pytest.raises(SupervisorRequiredError):
        accounts.add("intruder", PASSWORD)
    with pytest.raises(SupervisorRequiredError):
        accounts.add("intruder", PASSWORD, by=SupervisorSession("nobody", dt.datetime.now(dt.UTC)))
    suzuki = second_supervisor(accounts)
    accounts.set_password("sato.k", "佐藤の新しい合言葉", by=suzuki)
    accounts.set_disabled("sato.k", True, by=suzuki)
    # a disabled supervisor's session can no longer act
    with pytest.raises(SupervisorRequiredError):
        accounts.set_disabled("suzuki.a", True, by=SupervisorSession("sato.k", dt.datetime.now(dt.UTC)))
    changes = [(a.clerk_id, a.detail) for a in audits(storage) if a.kind is AuditKind.SUPERVISOR_ACCOUNT]
    assert changes == [
        ("sato.k", {"action": "add", "target": "sato.k", "first_account": True}),
        ("sato.k", {"action": "add", "target": "suzuki.a"}),
        ("suzuki.a", {"action": "password", "target": "sato.k"}),
        ("suzuki.a", {"action": "disable", "target": "sato.k"}),
    ]
    assert [a.login for a in accounts.list() if a.disabled] == ["sato.k"]


def test_disabled_accounts_cannot_sign_in(storage: CounterStorage) -> None:
    accounts = storage.supervisors
    accounts.add("sato.k", PASSWORD)
    suzuki = second_supervisor(accounts)
    accounts.set_disabled("sato.k", True, by=suzuki)
    with pytest.raises(SignInRefusedError):
        accounts.sign_in("sato.k", PASSWORD)
    accounts.set_disabled("sato.k", False, by=suzuki)
    accounts.sign_in("sato.k", PASSWORD)


def test_account_errors(storage: CounterStorage) -> None:
    accounts = storage.supervisors
    with pytest.raises(WeakPasswordError):
        accounts.add("sato.k", "short")
    accounts.add("sato.k", PASSWORD)
    sato = accounts.sign_in("sato.k", PASSWORD)
    with pytest.raises(SupervisorExistsError):
        accounts.add("sato.k", PASSWORD, by=sato)
    with pytest.raises(UnknownSupervisorError):
        accounts.set_password("nobody", PASSWORD, by=sato)
    with pytest.raises(UnknownSupervisorError):
        accounts.set_disabled("nobody", True, by=sato)
    with pytest.raises(UnknownSupervisorError):
        accounts.unlock("nobody", by=sato)
    assert accounts.count() == 1


def test_old_hashes_are_upgraded_at_sign_in(storage: CounterStorage) -> None:
    accounts = storage.supervisors
    accounts.add("sato.k", PASSWORD)
    with storage.database.engine.begin() as connection:
        connection.execute(update(SUPERVISORS).values(password_hash=hash_password(PASSWORD, n_log2=10)))
    accounts.sign_in("sato.k", PASSWORD)
    with storage.database.engine.connect() as connection:
        stored = connection.execute(select(SUPERVISORS.c.password_hash)).scalar_one()
    assert not needs_rehash(stored) and verify_password(PASSWORD, stored)
