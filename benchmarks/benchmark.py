"""How fast is one full-batch iteration of the helpers, and how far from this machine's limits?

Run from the repository root:

    .venv/bin/python benchmarks/benchmark.py            # about a minute on 2 cores
    .venv/bin/python benchmarks/benchmark.py --quick    # fewer repeats

It prints, measured in this one run:
  * seconds per full-batch iteration (forward, backward, update) on 59,000 images, median after warm-up,
    for the helpers (as gradient_descent runs them: block_gradients), for the helpers' forward_prop and
    backward_prop on all of X at once, and for a seed-style reference written below (float64, naive
    softmax), and the ratios;
  * the same for a few block sizes (helpers.blocks.BLOCK_SIZE was chosen from this table);
  * the achieved GFLOP/s, against this machine's own float32 GEMM peak and memory bandwidth;
  * the peak memory one iteration allocates (tracemalloc) and the process's peak resident size;
  * seconds to reach 0.90 dev accuracy with full-batch and with mini-batch training.
Speed is reported here, never asserted by a test: CI machines are noisy.
"""

import argparse
import platform
import resource
import statistics
import sys
import time
import tracemalloc

import numpy as np

from helpers import (
    BLOCK_SIZE,
    backward_prop,
    block_gradients,
    check_X,
    forward_prop,
    gradient_descent,
    init_params,
    kept_fraction,
    load_data,
    make_blocks,
    make_predictions,
    minibatch_sgd,
    one_hot,
    update_params,
)

ALPHA = 0.10  # the seed's learning rate
TARGET_DEV_ACCURACY = 0.90
BLOCK_SIZES = (512, 1024, 1536, 2048, 4096)  # compared in the block-size table
GEMM_SIZE = 2048  # square float32 matrices for the peak-GEMM measurement
BANDWIDTH_BYTES = 512 * 2**20  # array size for the memory-bandwidth measurement


def flops_per_iteration(m, n_in=784, n_hidden=10, n_out=10):
    """Multiply-adds (x2) of the five matrix products of one iteration (elementwise work not counted)."""
    with_X = 2 * 2 * n_hidden * n_in * m  # Z1 = W1 X and dW1 = dZ1 X^T
    small = 3 * 2 * n_out * n_hidden * m  # Z2 = W2 A1, dW2 = dZ2 A1^T, W2^T dZ2
    return with_X + small


def median_seconds(step, repeats, warmup=3):
    """Median wall time of ``step()`` over ``repeats`` calls, after ``warmup`` calls."""
    return interleaved_medians([step], repeats, warmup)[0]


def interleaved_times(steps, repeats, warmup=3, rounds=8):
    """Wall times of each of ``steps``, timed in alternating rounds so that the machine's slow and fast
    moments (other processes, a virtual machine's neighbours) fall on all of them alike.

    Returns ``times[i][r]``: the list of step i's times in round r (after ``warmup`` untimed calls).
    """
    times = [[[] for _ in range(rounds)] for _ in steps]
    for round_ in range(rounds):
        order = list(enumerate(steps))
        for i, step in (order if round_ % 2 == 0 else order[::-1]):
            for _ in range(warmup):
                step()
            for _ in range(max(1, repeats // rounds)):
                start = time.perf_counter()
                step()
                times[i][round_].append(time.perf_counter() - start)
    return times


def interleaved_medians(steps, repeats, warmup=3, rounds=8):
    """Median wall time of each of ``steps`` over all rounds of ``interleaved_times``."""
    return [statistics.median(t for round_ in step_times for t in round_)
            for step_times in interleaved_times(steps, repeats, warmup, rounds)]


def paired_speedups(slow_times, fast_times):
    """Speed-up measured within each round (median time of the slow step / of the fast one): the two
    steps of a round ran within a second of each other, so a drift of the machine cancels out."""
    return [statistics.median(slow) / statistics.median(fast) for slow, fast in zip(slow_times, fast_times)]


# ---- the seed's own style, kept here as the reference (not in helpers: nobody should use it) ----

def seed_style_data(data):
    """X as the seed builds it: float64, the transpose of an (m, 784) array divided by 255 (F-order)."""
    images = (data["X_train"].T * 255).round().astype(np.uint8)  # (m, 784) bytes, as read from a CSV
    return images.T / 255, data["y_train"]


def seed_style_iteration(params, X, y):
    """One iteration as the seed writes it: naive softmax, one-hot rebuilt every step, float64."""
    W1, b1, W2, b2 = params
    m = X.shape[1]
    Z1 = W1.dot(X) + b1
    A1 = np.maximum(Z1, 0)
    Z2 = W2.dot(A1) + b2
    A2 = np.exp(Z2) / sum(np.exp(Z2))
    one_hot_Y = np.zeros((y.size, y.max() + 1))
    one_hot_Y[np.arange(y.size), y] = 1
    dZ2 = A2 - one_hot_Y.T
    dW2 = 1 / m * dZ2.dot(A1.T)
    db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)  # per unit (the seed sums to one scalar: a bug)
    dZ1 = W2.T.dot(dZ2) * (Z1 > 0)
    dW1 = 1 / m * dZ1.dot(X.T)
    db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
    return W1 - ALPHA * dW1, b1 - ALPHA * db1, W2 - ALPHA * dW2, b2 - ALPHA * db2


def helpers_iteration(params, blocks):
    """One iteration with the helpers, exactly as gradient_descent runs it: gradients block by block."""
    dW1, db1, dW2, db2 = block_gradients(*params, blocks)
    return update_params(*params, dW1, db1, dW2, db2, ALPHA)


def whole_X_iteration(params, X, Y):
    """One iteration with forward_prop and backward_prop on all of X at once (float32, C-order X)."""
    Z1, A1, Z2, A2 = forward_prop(*params, X)
    dW1, db1, dW2, db2 = backward_prop(Z1, A1, Z2, A2, params[0], params[2], X, Y)
    return update_params(*params, dW1, db1, dW2, db2, ALPHA)


# ---- the machine's limits ----

def gemm_peak_gflops(repeats):
    """float32 GEMM speed of this machine's BLAS on square matrices, GFLOP/s."""
    rng = np.random.default_rng(0)
    A = rng.random((GEMM_SIZE, GEMM_SIZE), dtype=np.float32)
    B = rng.random((GEMM_SIZE, GEMM_SIZE), dtype=np.float32)
    seconds = median_seconds(lambda: A @ B, repeats)
    return 2 * GEMM_SIZE**3 / seconds / 1e9


def memory_bandwidth_gbs(repeats):
    """Read bandwidth, GB/s: summing a float32 array much larger than the caches."""
    a = np.ones(BANDWIDTH_BYTES // 4, dtype=np.float32)
    seconds = median_seconds(lambda: a.sum(), repeats)
    return a.nbytes / seconds / 1e9


def peak_traced_mb(step):
    """Peak memory (MB) that NumPy allocates during one call of ``step`` (tracemalloc)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


# ---- time to accuracy ----

class Stopwatch:
    """A training callback that notes when the dev accuracy first reaches the target, then stops training."""

    class Reached(Exception):
        pass

    def __init__(self):
        self.start = time.perf_counter()
        self.seconds = None
        self.when = None

    def __call__(self, step, params, history):
        if history["dev_accuracy"][-1] >= TARGET_DEV_ACCURACY:
            self.seconds = time.perf_counter() - self.start
            self.when = step
            raise Stopwatch.Reached


def time_to_target(train):
    watch = Stopwatch()
    try:
        train(watch)
    except Stopwatch.Reached:
        pass
    return watch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (noisier)")
    args = parser.parse_args()
    repeats = 10 if args.quick else 40

    data = load_data()
    X, y = data["X_train"], data["y_train"]
    Y = one_hot(y)
    m = X.shape[1]
    flops = flops_per_iteration(m)

    params32 = init_params(np.random.default_rng(0))
    X64, y64 = seed_style_data(data)
    params64 = tuple(p.astype(np.float64) for p in params32)
    start = time.perf_counter()
    blocks = make_blocks(X, Y)  # made once per training run, by gradient_descent
    t_make_blocks = time.perf_counter() - start
    kept = kept_fraction(blocks)
    blocks_mb = sum(block.X.nbytes for block in blocks) / 1e6
    times = interleaved_times([lambda: seed_style_iteration(params64, X64, y64),
                               lambda: whole_X_iteration(params32, X, Y),
                               lambda: helpers_iteration(params32, blocks)], repeats)
    t_seed, t_whole, t_helpers = [statistics.median(t for round_ in step for t in round_) for step in times]
    paired = paired_speedups(times[0], times[2])
    mem_helpers = peak_traced_mb(lambda: helpers_iteration(params32, blocks))
    mem_whole = peak_traced_mb(lambda: whole_X_iteration(params32, X, Y))
    mem_seed = peak_traced_mb(lambda: seed_style_iteration(params64, X64, y64))
    by_size = {size: blocks if size == BLOCK_SIZE else make_blocks(X, Y, size) for size in BLOCK_SIZES}
    t_sizes = interleaved_medians([lambda b=b: helpers_iteration(params32, b) for b in by_size.values()]
                                  + [lambda: seed_style_iteration(params64, X64, y64)], max(8, repeats // 2))
    X64 = None  # free the float64 copy before the machine-limit measurements
    peak = gemm_peak_gflops(max(3, repeats // 8))
    bandwidth = memory_bandwidth_gbs(max(5, repeats // 4))
    x_bytes = X.nbytes
    X_test = data["X_test"]
    t_forward = median_seconds(lambda: forward_prop(*params32, X_test), repeats)
    t_check = median_seconds(lambda: check_X(X_test), repeats)
    t_predict = median_seconds(lambda: make_predictions(X_test, *params32), repeats)

    full = time_to_target(lambda cb: gradient_descent(
        X, Y, 0.5, 2000, rng=np.random.default_rng(0), scheme="he", X_dev=data["X_dev"], y_dev=data["y_dev"],
        record_every=10, callback=cb, progress="off"))
    mini = time_to_target(lambda cb: minibatch_sgd(
        X, Y, 0.05, 20, rng=np.random.default_rng(0), X_dev=data["X_dev"], y_dev=data["y_dev"],
        callback=cb, progress="off"))

    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"numpy {np.__version__}")
    print(f"one full-batch iteration, m = {m:,} images, {flops / 1e9:.2f} GFLOP, median of {repeats}\n")
    print("| implementation | s / iteration | GFLOP/s | peak MB allocated |")
    print("|---|---|---|---|")
    print(f"| seed style (float64, F-order X, naive softmax) | {t_seed:.4f} | {flops / t_seed / 1e9:.0f} "
          f"| {mem_seed:.1f} |")
    print(f"| helpers on all of X at once (float32, C-order X) | {t_whole:.4f} | {flops / t_whole / 1e9:.0f} "
          f"| {mem_whole:.1f} |")
    print(f"| helpers as gradient_descent runs them (blocks of {BLOCK_SIZE}) | {t_helpers:.4f} "
          f"| {flops / t_helpers / 1e9:.0f} | {mem_helpers:.1f} |")
    print(f"\nspeed-up over the seed style: helpers {t_seed / t_helpers:.1f}x, "
          f"all of X at once {t_seed / t_whole:.1f}x")
    print(f"  helpers, measured round by round: median {statistics.median(paired):.1f}x, "
          f"{min(paired):.1f}x to {max(paired):.1f}x over {len(paired)} rounds")
    print(f"(GFLOP/s counts the spec's {flops / 1e9:.2f} GFLOP; the blocks keep {kept:.1%} of X's entries, "
          f"{blocks_mb:.0f} MB, made in {t_make_blocks:.2f} s once per training run)")
    print("\n| images per block | kept of X | s / iteration | speed-up over the seed style (this table's run) |")
    print("|---|---|---|---|")
    for (size, b), t in zip(by_size.items(), t_sizes):
        print(f"| {size} | {kept_fraction(b):.1%} | {t:.4f} | {t_sizes[-1] / t:.1f}x |")
    print(f"\nmachine limits: float32 GEMM peak {peak:.0f} GFLOP/s ({GEMM_SIZE}^2), "
          f"read bandwidth {bandwidth:.1f} GB/s")
    print(f"  compute bound for one iteration: {flops / (peak * 1e9):.4f} s; "
          f"reading float32 X twice: {2 * x_bytes / (bandwidth * 1e9):.4f} s; "
          f"reading the blocks once: {blocks_mb / 1e3 / bandwidth:.4f} s")
    print(f"predictions on the {X_test.shape[1]:,} test images: make_predictions {t_predict * 1e3:.1f} ms, of which "
          f"the NaN/inf check of X {t_check * 1e3:.1f} ms ({t_check / t_predict:.0%}; forward_prop alone "
          f"{t_forward * 1e3:.1f} ms)")
    print(f"process peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    for name, watch, unit in [("full-batch GD (He init, alpha 0.5)", full, "iterations"),
                              ("mini-batch SGD (batch 64, momentum 0.9)", mini, "epochs")]:
        if watch.seconds is None:
            print(f"{name}: did not reach {TARGET_DEV_ACCURACY:.2f} dev accuracy")
        else:
            print(f"{name}: {TARGET_DEV_ACCURACY:.2f} dev accuracy after {watch.when} {unit}, {watch.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
