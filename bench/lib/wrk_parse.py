#!/usr/bin/env python3
"""Reads `wrk --latency` output on stdin; prints "<requests/s> <transfer MiB/s> <p99 ms> <errors>".

Errors are socket errors plus non-2xx/3xx responses (0 when wrk reports none)."""
import re
import sys

text = sys.stdin.read()


def number(pattern):
    m = re.search(pattern, text, re.MULTILINE)
    return m.group(1) if m else None


rps = float(number(r"^Requests/sec:\s+([\d.]+)") or "nan")
transfer = re.search(r"^Transfer/sec:\s+([\d.]+)([KMGT]?B)", text, re.MULTILINE)
scale = {"B": 1 / 1048576, "KB": 1 / 1024, "MB": 1, "GB": 1024, "TB": 1048576}
mib = float(transfer.group(1)) * scale[transfer.group(2)] if transfer else float("nan")
p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE)
unit = {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}
p99ms = float(p99.group(1)) * unit[p99.group(2)] if p99 else float("nan")
errors = 0
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
if m:
    errors += sum(int(g) for g in m.groups())
m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if m:
    errors += int(m.group(1))
print(f"{rps:.1f} {mib:.2f} {p99ms:.3f} {errors}")
