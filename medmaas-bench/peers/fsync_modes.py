"""Why the audit journal writes in place: fdatasync after an append against fdatasync after
overwriting blocks a file already has (zeros written and forced beforehand), on the disk of the
working directory. An append changes the file's size, which on ext4 commits the file system's
journal; an overwrite forces only the data.

    /usr/bin/python3 medmaas-bench/peers/fsync_modes.py [DIR] [RECORDS]

Prints, per mode, the mean wall time and CPU time of one write + fdatasync, and p50/p99/max."""
import os
import sys
import time

directory = sys.argv[1] if len(sys.argv) > 1 else "target/bench/fsync"
records = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
record = b"x" * 3000  # about one group commit of audit entries
os.makedirs(directory, exist_ok=True)
path = os.path.join(directory, "segment")


def run(in_place):
    if os.path.exists(path):
        os.remove(path)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | (0 if in_place else os.O_APPEND))
    if in_place:
        os.write(fd, b"\0" * (records * len(record) + 4096))
        os.fsync(fd)
        os.lseek(fd, 0, os.SEEK_SET)
    cpu0, wall0, latencies = time.process_time(), time.perf_counter(), []
    for _ in range(records):
        t = time.perf_counter()
        os.write(fd, record)
        os.fdatasync(fd)
        latencies.append(time.perf_counter() - t)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    os.close(fd)
    latencies.sort()
    us = lambda s: round(s * 1e6)
    print(f"| {'in place (prepared)' if in_place else 'append'} | {us(wall / records)} | {us(cpu / records)} | "
          f"{us(latencies[records // 2])} | {us(latencies[int(records * 0.99)])} | {us(latencies[-1])} |")


print("| mode | mean µs | CPU µs | p50 µs | p99 µs | max µs |")
print("|---|---|---|---|---|---|")
for _ in range(2):
    run(False)
    run(True)
os.remove(path)
