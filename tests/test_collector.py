"""collector_paused: records built in bulk are not scanned again by the collector's next young pass."""

from __future__ import annotations

import gc

from claimtrack.collector import collector_paused


def test_what_the_block_made_is_left_with_the_old_objects() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        made = [[i] for i in range(20_000)]  # lists are tracked: each one counts towards a young pass
    assert gc.isenabled() and gc.get_count()[0] < 1000
    assert gc.get_freeze_count() == 0  # moved to the oldest generation, not left frozen
    assert any(made[-1] is obj for obj in gc.get_objects(generation=2))


def test_objects_someone_else_froze_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            made = [[i] for i in range(1000)]
        assert gc.get_freeze_count() == frozen and len(made) == 1000
    finally:
        gc.unfreeze()


def test_the_collector_stays_off_when_it_was_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_runs_inside_a_paused_block_and_is_paused_again_after() -> None:
    import gc

    from claimtrack.collector import collector_paused, collector_running

    with collector_paused():
        with collector_running():
            assert gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
