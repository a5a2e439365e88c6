"""Sums a JFR recording's CPU samples (jfr print --json --stack-depth 128 --events jdk.ExecutionSample)
for run-profile.sh: by area of the top frame, by the nearest frame outside the JDK (which library or
our code the JDK's time serves), by the top frame's package, by the innermost MedMaaS frame, and the
inclusive share of each stage of a request (a sample counts for every stage on its stack).

The stacks must be whole: `jfr print` keeps 5 frames unless told otherwise, and with 5 frames most
samples of a request show only the JDK and Helidon frames nearest the top (the first breakdown in
docs/benchmarks.md was taken that way and put a fifth of the time in the wrong places).

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


# The stages of a request and of the audit, by a method on their stack (inclusive shares).
STAGES = [("request on a connection (Helidon)", "io.helidon.webserver.http1.Http1Connection.handle"),
          ("  the gate (everything MedMaaS does per request)", "org.medmaas.server.http.Gate.handle"),
          ("    key check", "org.medmaas.server.http.Gate.authenticate"),
          ("    the route's handler", "org.medmaas.server.serving.ServiceApi.predict"),
          ("      request JSON parsed", "org.medmaas.server.http.Json.object"),
          ("      records read and validated", "org.medmaas.diagnosis.DiagnosisService.read"),
          ("      model scored", "org.medmaas.diagnosis.DiagnosisModel.predict"),
          ("      shift monitor", "org.medmaas.data.shift.ShiftMonitor.record"),
          ("      answer JSON written", "org.medmaas.core.json.Json.bytes"),
          ("    audit, metrics, answer sent, access line (Gate.finish)", "org.medmaas.server.http.Gate.finish"),
          ("      waiting for the audit entry to be durable", "org.medmaas.registry.AuditLog.record"),
          ("      answer sent", "io.helidon.webserver.http1.Http1ServerResponse.send"),
          ("audit writer: chain, HMAC, journal append and fsync", "org.medmaas.registry.JournaledWriter.write"),
          ("audit indexer: H2 insert and commit behind the answers", "org.medmaas.registry.JournaledWriter.indexLoop"),
          ("H2's own store writer", "org.h2.mvstore.FileStore.serializeAndStore"),
          ("access log writer", "org.medmaas.server.http.AccessLog.writeLoop")]


def main(path):
    events = json.load(open(path))["recording"]["events"]
    top, by_area, served, ours, stages = (collections.Counter() for _ in range(5))
    for e in events:
        st = e["values"].get("stackTrace")
        frames = st["frames"] if st else []
        if not frames:
            continue
        on_stack = {name(f) + "." + f["method"]["name"] for f in frames}
        for label, method in STAGES:
            if method in on_stack:
                stages[label] += 1
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
    print("\n| stage (inclusive) | share of samples |\n|---|---|")
    for label, _ in STAGES:
        depth = (len(label) - len(label.lstrip())) // 2
        print(f"| {'· ' * depth}{label.strip()} | {100 * stages[label] / n:.1f} % |")


if __name__ == "__main__":
    main(sys.argv[1])
