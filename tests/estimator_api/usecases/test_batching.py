"""Micro-batching: windows that reach the model in the same event-loop turn share one forward
pass; each request gets its own row back and the seconds of the pass it shared."""

import asyncio

import numpy as np

from estimator_api.usecases.batching import Forward, MicroBatcher, run_inline


def doubling(calls: list[int]) -> Forward:
    """A stand-in model: each window doubled, as [lower, point, upper] alike."""

    def forward(windows: np.ndarray) -> np.ndarray:
        calls.append(len(windows))
        return np.repeat((2 * windows)[:, :, np.newaxis], 3, axis=2)

    return forward


def test_windows_of_the_same_turn_share_one_forward() -> None:
    calls: list[int] = []
    observed: list[int] = []
    batcher = MicroBatcher(doubling(calls), lambda size, _: observed.append(size))

    async def scenario() -> list[tuple[np.ndarray, float]]:
        together = [batcher.run(np.array([float(i), 1.0])) for i in range(3)]
        results = await asyncio.gather(*together)
        results.append(await batcher.run(np.array([7.0, 1.0])))  # a later turn: alone
        return results

    results = asyncio.run(scenario())
    assert calls == [3, 1]
    assert observed == [3, 1]
    assert [output[:, 0].tolist() for output, _ in results] == [
        [0.0, 2.0],
        [2.0, 2.0],
        [4.0, 2.0],
        [14.0, 2.0],
    ]
    assert results[0][1] == results[1][1] == results[2][1] > 0  # the shared pass's seconds


def test_a_failing_forward_fails_every_request_of_its_batch() -> None:
    def broken(windows: np.ndarray) -> np.ndarray:
        raise RuntimeError("model exploded")

    batcher = MicroBatcher(broken)

    async def scenario() -> list[object]:
        runs = [batcher.run(np.ones(2)) for _ in range(2)]
        return await asyncio.gather(*runs, return_exceptions=True)

    assert [str(r) for r in asyncio.run(scenario())] == ["model exploded"] * 2


def test_run_inline_is_one_forward_of_one_window() -> None:
    calls: list[int] = []
    output, seconds = run_inline(doubling(calls), np.array([1.0, 3.0]))
    assert calls == [1]
    assert output[:, 1].tolist() == [2.0, 6.0]
    assert seconds > 0
