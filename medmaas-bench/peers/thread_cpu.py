"""CPU time of a process's threads, from /proc, summed by thread name (digits folded), so a load
run shows where the server's CPU went: request carriers, the audit writer and indexer, the access
log, the JIT compilers, GC. JFR's samples show Java frames only; this shows the JIT and the kernel
time (system calls) too.

    python3 thread_cpu.py snapshot PID > before.json
    python3 thread_cpu.py diff before.json after.json REQUESTS
"""
import collections
import json
import os
import re
import sys

TICKS = os.sysconf("SC_CLK_TCK")


def snapshot(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            comm = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
        except OSError:
            continue  # the thread ended
        fields = stat[stat.rindex(")") + 2:].split()
        out[tid] = [comm, int(fields[11]), int(fields[12])]
    print(json.dumps(out))


def label(comm):
    comm = re.sub(r"[0-9]+", "#", comm)
    known = [("ForkJoinPool", "request carriers (virtual threads: HTTP, gate, model)"),
             ("C# CompilerThre", "JIT compilers (C1, C2)"), ("GC Thread", "GC"), ("G# ", "GC"),
             ("medmaas-audit-w", "audit writer (chain, HMAC, journal fsync)"),
             ("medmaas-audit-i", "audit indexer (H2 insert, commit)"),
             ("H#-serializatio", "H2 store writer"), ("medmaas-access-", "access log writer"),
             ("medmaas-body-wa", "request body deadlines")]
    return next((name for prefix, name in known if comm.startswith(prefix)), "other")


def diff(before_path, after_path, requests):
    before, after = json.load(open(before_path)), json.load(open(after_path))
    user, system = collections.Counter(), collections.Counter()
    for tid, (comm, u, s) in after.items():
        _, u0, s0 = before.get(tid, [comm, 0, 0])
        user[label(comm)] += u - u0
        system[label(comm)] += s - s0
    total = sum(user.values()) + sum(system.values())
    print(f"| thread | CPU s | share | of it in the kernel | µs per request |\n|---|---|---|---|---|")
    for k in sorted(user, key=lambda k: -(user[k] + system[k])):
        t = user[k] + system[k]
        if t == 0:
            continue
        print(f"| {k} | {t / TICKS:.2f} | {100 * t / total:.1f} % | {100 * system[k] / t:.0f} % |"
              f" {1e6 * t / TICKS / requests:.1f} |")
    print(f"| all | {total / TICKS:.2f} | 100 % | {100 * sum(system.values()) / total:.0f} % |"
          f" {1e6 * total / TICKS / requests:.1f} |")


if __name__ == "__main__":
    if sys.argv[1] == "snapshot":
        snapshot(sys.argv[2])
    else:
        diff(sys.argv[2], sys.argv[3], float(sys.argv[4]))
