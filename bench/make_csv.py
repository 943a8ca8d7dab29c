#!/usr/bin/env python3
"""Writes a CSV of upsert rows for `tablestore write` measurements: python3 bench/make_csv.py ROWS FILE.

Columns id (key, ~70 % distinct), customer, amount, note: about 51 bytes a row, so 3,000,000 rows is ~154 MB.
Deterministic (seeded), so runs compare the same input.
"""
import random
import sys

rows, path = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(42)
keys = int(rows * 0.7)
with open(path, "w", encoding="utf-8") as f:
    f.write("id,customer,amount,note\n")
    for i in range(rows):
        f.write(f"{rnd.randrange(keys)},customer-{rnd.randrange(100000):05d},{rnd.randrange(1000000) / 100:.2f},note {i:09d} {'x' * rnd.randrange(4)}\n")
