#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_mlp.c into tests/fuzz/corpus/ (deterministic).

Each seed is a small, valid-looking input for one mode (see the byte layout at
the top of fuzz_mlp.c); libFuzzer mutates from there. Run from the repo root:
    python3 tests/fuzz/make_corpus.py
"""
import os
import random
import struct

OUT = os.path.join(os.path.dirname(__file__), 'corpus')
rng = random.Random(5)
seeds = {}


def floats(k):  # bounded values: bytes read as (b - 128) / 16
    return bytes(rng.randrange(30, 230) for _ in range(k))


# mode 0: activations. kind, alpha, beta, length byte, values
for kind in range(7):
    for n in (1, 4, 7, 33):
        body = bytes([0, kind, 50, 50, n]) + floats(n)
        seeds[f'act-{kind}-{n}'] = body
    # special values: 0..20 are the table, 250..253 NaN/-NaN/Inf/-Inf
    specials = bytes([0, 1, 14, 15, 250, 251, 252, 253, 11, 12, 13, 16, 17])
    seeds[f'act-{kind}-special'] = bytes([0, kind, 50, 50, len(specials)]) + specials
seeds['act-bad-kind'] = bytes([0, 230, 50, 50, 5]) + floats(5)
seeds['act-neg-n'] = bytes([0, 2, 50, 50, 255])


# mode 1: networks
def net(sizes, act, out, loss, init, ops):
    b = bytes([1, len(sizes)]) + bytes(s - 1 for s in sizes)
    b += bytes([act, out, loss, 0, init, 50, 50]) + struct.pack('>I', rng.randrange(1 << 32))
    return b + ops


def batch(d, q, n, ce, mode=0):
    b = bytes([n - 1, mode]) + floats(n * d)
    if ce:
        b += bytes(rng.randrange(q) for _ in range(n))
    else:
        b += bytes(rng.randrange(256) for _ in range(n * q))
    return b


configs = [
    ([2, 4, 1], 3, 1, 1),       # tanh, sigmoid, bce
    ([2, 8, 8, 3], 0, 2, 2),    # relu, softmax, cross_entropy
    ([1, 6, 1], 2, 0, 0),       # sigmoid, identity, mse
    ([3, 5, 2], 4, 2, 0),       # gelu, softmax, mse
    ([2, 3, 3, 3, 1], 5, 1, 0),  # swish, sigmoid, mse
    ([4, 2], 6, 0, 0),          # no hidden layer
    ([2, 7, 7, 7, 7, 7, 7, 2], 1, 2, 2),  # six hidden, prelu
]
for i, (sizes, act, out, loss) in enumerate(configs):
    d, q, ce = sizes[0], sizes[-1], loss == 2
    ops = b''
    for code, extra in ((0, b''), (1, b''), (2, bytes([0, 20, 1])), (5, bytes([2, 40, 1, 3, 1])),
                        (3, bytes([1, 10, 1])), (7, b''), (4, bytes([2, 5, 0, 3])), (9, b'')):
        n = rng.randrange(1, 9)
        ops += bytes([code]) + batch(d, q, n, ce) + extra
    seeds[f'net-{i}'] = net(sizes, act, out, loss, i % 2, ops)
# divergence: huge parameters then a step with a large lr
sizes = [2, 4, 1]
ops = bytes([8, 200]) + bytes(rng.randrange(256) for _ in range(17)) + bytes([0])
ops = bytes([8]) + batch(2, 1, 1, False) + bytes([200]) + bytes(rng.randrange(256) for _ in range(17))
ops += bytes([2]) + batch(2, 1, 4, False) + bytes([0, 211, 1])  # lr = 1e6
ops += bytes([2]) + batch(2, 1, 4, False) + bytes([0, 20, 1])
seeds['net-diverge'] = net(sizes, 3, 0, 0, 0, ops)
# NaN input, bad labels, invalid ids
seeds['net-nan-x'] = net([2, 3, 1], 0, 0, 0, 0, bytes([2, 1, 7]) + bytes([250, 60]) + bytes([9]) + bytes([0, 20, 1]))
seeds['net-bad-label'] = net([2, 3, 3], 0, 2, 2, 0, bytes([1, 2, 24]) + floats(6) + bytes([1, 200, 201, 202]))
seeds['net-bad-ids'] = net([2, 3, 1], 230, 231, 232, 0, b'')
seeds['net-bad-width'] = bytes([1, 3, 232, 3, 0, 0, 0, 0, 0, 0, 50, 50, 0, 0, 0, 1])

# mode 2: data sets. kind, n byte, noise, noise flag, seed
for kind in range(12):
    seeds[f'data-{kind}'] = bytes([2, kind, 30, 20, 0]) + struct.pack('>I', kind * 7919)
seeds['data-bad-n'] = bytes([2, 0, 231, 20, 0, 0, 0, 0, 1])
seeds['data-bad-noise'] = bytes([2, 1, 30, 230, 0, 0, 0, 0, 1])
seeds['data-bad-kind'] = bytes([2, 240, 30, 20, 0, 0, 0, 0, 1])

# mode 3: dense kernels. n-1, in-1, out-1 (mod 9, 41, 41), flags, then values
for n, i, o, flags in ((1, 1, 1, 0), (3, 5, 7, 0), (4, 8, 4, 0), (2, 13, 9, 2), (5, 3, 17, 4), (1, 33, 31, 8),
                       (7, 4, 5, 1), (2, 6, 6, 14)):
    k = n * i + i * o + o + n * o
    seeds[f'dense-{n}x{i}x{o}-{flags}'] = bytes([3, n - 1, i - 1, o - 1, flags]) + floats(k)

# mode 4: input features. d byte, k byte, n byte, k ids, wild flag, values, net widths, seed, Y
for d, ids in ((2, [0, 1, 2, 3, 4, 5, 6]), (2, [2, 3]), (1, [0, 2, 5]), (2, [6, 4, 0]), (1, [5]), (2, [1, 1]),
               (1, [0, 3])):
    n = rng.randrange(1, 12)
    body = bytes([4, d - 1, len(ids) - 1, n]) + bytes(ids) + bytes([0]) + floats(n * d)
    body += bytes([3, 1]) + struct.pack('>I', rng.randrange(1 << 32)) + floats(n * 2)
    seeds[f'features-{d}d-{"-".join(map(str, ids))}'] = body
seeds['features-wild'] = bytes([4, 1, 6, 9]) + bytes(range(7)) + bytes([1]) + bytes([250, 252, 253, 12, 13, 14, 254, 0x7f, 0x7f, 0xff, 0xff,
                                                                                  15, 16, 11, 1, 0, 17, 18, 19])

# mode 5: the exercises. n_sizes - 1 (mod 9), widths (1 + b % 12), dim (0: 1 input,
# 1: 2 inputs), act, alpha byte (0 mod 4: alpha = 1, else hyper), wild, params, op, op bytes
def exercise(widths, dim, act, alpha_b, op, tail, hyper_b=b''):
    sizes = ([dim + 1] if dim < 2 else widths[:1]) + widths[1:]
    n_params = sum((sizes[l] + 1) * sizes[l + 1] for l in range(len(sizes) - 1))
    body = bytes([5, len(widths) - 1]) + bytes(w - 1 for w in widths) + bytes([dim, act, alpha_b]) + hyper_b
    return body + bytes([0]) + floats(n_params) + bytes([op]) + tail


for i, (widths, act) in enumerate((([1, 4, 1], 0), ([1, 6, 5, 1], 1), ([1, 3, 3, 3, 2], 0), ([1, 5, 1], 6))):
    # from = -2 (byte 96), to = from + 8 * 100 / 200 (a bounded hyper), cap 5
    seeds[f'ex-1d-{i}'] = exercise(widths, 0, act, 1, 0, bytes([96, 1, 99, 5]), bytes([50]))
for i, (widths, act, k) in enumerate((([2, 8, 8, 1], 0, 30), ([2, 5, 1], 1, 7), ([2, 3, 7, 2, 1], 0, 12), ([2, 4, 1], 6, 2))):
    # k = 2 + byte % 40; lo = -hyper, hi = +hyper (flag bytes 1 mod 4)
    seeds[f'ex-2d-{i}'] = exercise(widths, 1, act, 1, 1, bytes([k - 2, 1, 120, 1, 120]), bytes([50]))
for i, (widths, frm, to) in enumerate((([3, 5, 2], 2, 3), ([2, 4, 4, 1], 3, 2), ([1, 2, 3, 4, 5, 6, 7, 2], 2, 3))):
    seeds[f'ex-convert-{i}'] = exercise(widths, 2, 2, 1, 2, bytes([frm, to]), bytes([50]))
for i, widths in enumerate(([2, 1, 3], [4, 6, 5], [3, 3])):
    seeds[f'ex-rank-{i}'] = exercise(widths, 2, 6, 1, 3, bytes([1]), bytes([50]))

os.makedirs(OUT, exist_ok=True)
for name, body in sorted(seeds.items()):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(body)
print(f'{len(seeds)} seeds, {sum(map(len, seeds.values()))} bytes in {OUT}')
