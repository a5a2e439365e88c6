"""The Python side of the peer benchmarks (pandas 1.5 / scikit-learn 1.2 from Debian).

Same protocol as PeerBenchmarks.java: one warm-up run, then the best of REPEATS, in seconds.
    python3 pandas_peers.py csv FILE REPEATS
    python3 pandas_peers.py preprocess FILE REPEATS
"""
import sys
import time

import pandas as pd


def best_of(repeats, fn):
    fn()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def csv(path, repeats):
    holder = {}

    def read():
        holder["df"] = pd.read_csv(path)

    read_s = best_of(repeats, read)
    df = holder["df"]
    describe_s = best_of(repeats, lambda: df.describe(include="all"))
    print(f"pandas csv rows={len(df)} cols={df.shape[1]} read_s={read_s:.3f} profile_s={describe_s:.3f}")


def preprocess(path, repeats):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    df = pd.read_csv(path).drop(columns=["outcome"])
    numeric = [c for c in df.columns if c.startswith("lab")]
    categorical = [c for c in df.columns if c.startswith("cat")]
    holder = {}

    def fit_apply():
        ct = ColumnTransformer([
            ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical),
        ])
        holder["out"] = ct.fit_transform(df)

    s = best_of(repeats, fit_apply)
    print(f"sklearn preprocess rows={len(df)} cols_in={df.shape[1]} cols_out={holder['out'].shape[1]} fit_apply_s={s:.3f}")


if __name__ == "__main__":
    {"csv": csv, "preprocess": preprocess}[sys.argv[1]](sys.argv[2], int(sys.argv[3]))
