from __future__ import annotations

from counter_app.presenters.idle import IdlePresenter


def test_countdown_then_timeout_and_activity_resets() -> None:
    fired: list[bool] = []
    idle = IdlePresenter(timeout_seconds=120, on_timeout=lambda: fired.append(True), countdown_seconds=30)
    idle.tick(1000)  # not watching yet
    idle.watch(0)
    idle.tick(119)
    assert idle.view.value.countdown is None
    idle.tick(120)
    assert idle.view.value.countdown == 30
    idle.tick(135.5)
    assert idle.view.value.countdown == 15
    idle.activity(136)
    assert idle.view.value.countdown is None and idle.view.value.active
    idle.tick(200)
    assert not fired
    idle.tick(256)
    assert idle.view.value.countdown == 30
    idle.tick(285)
    assert idle.view.value.countdown == 1
    idle.tick(286)
    assert fired == [True]
    assert not idle.view.value.active
    idle.tick(1000)
    assert fired == [True]
