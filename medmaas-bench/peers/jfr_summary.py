"""Sums a JFR recording's CPU samples (jfr print --json --events jdk.ExecutionSample) for run-profile.sh:
by area of the top frame, by the nearest frame outside the JDK (which library or our code the JDK's
time serves), by the top frame's package, and by the innermost MedMaaS frame.

    python3 jfr_summary.py samples.json
"""
import collections
import json
import sys

AREAS = [("org.medmaas.", "MedMaaS"), ("io.helidon.", "Helidon (HTTP)"), ("org.h2.", "H2 (audit database)"),
         ("com.fasterxml.jackson.", "Jackson (JSON)"), ("java.util.logging.", "java.util.logging (access log)"),
         ("ml.dmlc.", "XGBoost"), ("de.bwaldvogel.", "LIBLINEAR"), ("com.zaxxer.", "HikariCP"),
         ("java.", "JDK"), ("jdk.", "JDK"), ("sun.", "JDK")]


def name(frame):
    return frame["method"]["type"]["name"].replace("/", ".")


def area(cls):
    return next((label for prefix, label in AREAS if cls.startswith(prefix)), "other")


def main(path):
    events = json.load(open(path))["recording"]["events"]
    top, by_area, served, ours = (collections.Counter() for _ in range(4))
    for e in events:
        st = e["values"].get("stackTrace")
        frames = st["frames"] if st else []
        if not frames:
            continue
        cls = name(frames[0])
        top[cls.rsplit(".", 1)[0]] += 1
        by_area[area(cls)] += 1
        served[next((area(name(f)) for f in frames if area(name(f)) != "JDK"), "JDK")] += 1
        mine = next((f for f in frames if name(f).startswith("org.medmaas")), None)
        if mine is not None:
            ours[name(mine).split("$$")[0] + "." + mine["method"]["name"]] += 1
    n = sum(top.values())
    print(f"{n} CPU samples\n")
    print("| area of the top frame | share | nearest frame outside the JDK | share |\n|---|---|---|---|")
    a, b = by_area.most_common(), served.most_common()
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else ("", 0)
        y = b[i] if i < len(b) else ("", 0)
        print(f"| {x[0]} | {100 * x[1] / n:.1f} % | {y[0]} | {100 * y[1] / n:.1f} % |")
    print("\n| top frame's package | share |\n|---|---|")
    for k, v in top.most_common(12):
        print(f"| {k} | {100 * v / n:.1f} % |")
    print("\n| innermost MedMaaS frame | share |\n|---|---|")
    for k, v in ours.most_common(12):
        print(f"| {k} | {100 * v / n:.1f} % |")


if __name__ == "__main__":
    main(sys.argv[1])
