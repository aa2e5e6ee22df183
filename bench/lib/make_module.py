#!/usr/bin/env python3
"""Writes a valid proxy-wasm-shaped module of an exact size: header, type, function, export
(proxy_abi_version_0_2_0), code, and a custom section of random bytes padding it to SIZE.

usage: make_module.py PATH SIZE_BYTES [SEED]"""
import random
import sys

path, size = sys.argv[1], int(sys.argv[2])
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1


def section(ident, content):
    return bytes([ident, len(content)]) + content


name = b"proxy_abi_version_0_2_0"
head = b"\0asm\1\0\0\0"
head += section(1, bytes([1, 0x60, 0, 0]))
head += section(3, bytes([1, 0]))
head += section(7, bytes([1, len(name)]) + name + bytes([0, 0]))
head += section(10, bytes([1, 2, 0, 0x0B]))
label = b"bench.padding"
payload = size - len(head) - 1 - 5 - 1 - len(label)
if payload < 0:
    sys.exit(f"size {size} is below the minimum of {size - payload}")
body = 1 + len(label) + payload
leb = bytes([(body >> (7 * i) & 0x7F) | (0x80 if i < 4 else 0) for i in range(5)])
rng = random.Random(seed)
with open(path, "wb") as f:
    f.write(head + b"\0" + leb + bytes([len(label)]) + label)
    left = payload
    while left:
        n = min(left, 1 << 20)
        f.write(rng.randbytes(n))
        left -= n
