"""scikit-learn's learners at their defaults on the folds SearchQualityBenchmark wrote.

    python3 sklearn_search_quality.py OUT_DIR [DATASET...]
Per dataset: LogisticRegression, RandomForestClassifier, GradientBoostingClassifier and xgboost's
XGBClassifier, each with its library's defaults (random_state 0), after median imputation
(and standard scaling for logistic regression), fitted inside each training fold of every repeat.
Prints a markdown row per learner, and the best of them, which --model auto is measured against.
"""
import os
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

TARGETS = {"wdbc": "target", "pima": "diabetes", "heart": "num"}


def _xgboost():
    import xgboost
    return xgboost.XGBClassifier(random_state=0, n_jobs=2)


LEARNERS = [
    ("scikit-learn LogisticRegression()", lambda: make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                                                                LogisticRegression(max_iter=1000))),
    ("scikit-learn RandomForestClassifier()", lambda: make_pipeline(SimpleImputer(strategy="median"),
                                                                    RandomForestClassifier(random_state=0, n_jobs=2))),
    ("scikit-learn GradientBoostingClassifier()", lambda: make_pipeline(SimpleImputer(strategy="median"),
                                                                        GradientBoostingClassifier(random_state=0))),
    ("xgboost XGBClassifier() " + __import__("xgboost").__version__, _xgboost),
]


def main(out, only):
    targets = dict(TARGETS)
    extra = os.path.join(out, "extra")
    if os.path.isdir(extra):  # written by r_tables.R, target "outcome"
        targets.update({f[:-4]: "outcome" for f in sorted(os.listdir(extra)) if f.endswith(".csv")})
    for name, target in targets.items():
        if only and name not in only:
            continue
        if not os.path.exists(f"{out}/{name}-folds.csv"):
            continue
        df = pd.read_csv(f"{out}/{name}.csv")
        folds = pd.read_csv(f"{out}/{name}-folds.csv")
        y = df[target].astype(str).str.lower().eq("true").astype(int).to_numpy()
        X = df.drop(columns=[target]).to_numpy(dtype=float)
        best = None
        per_fold = {}
        for label, make in LEARNERS:
            aucs = []
            t0 = time.perf_counter()
            for repeat in folds.columns:
                fold = folds[repeat].to_numpy()
                for f in sorted(set(fold)):
                    train, test = fold != f, fold == f
                    model = make()
                    model.fit(X[train], y[train])
                    aucs.append(roc_auc_score(y[test], model.predict_proba(X[test])[:, 1]))
            per_fold[label] = np.array(aucs)
            mean, sd = np.mean(aucs), np.std(aucs, ddof=1)
            print(f"| {name} | {label} | {mean:.4f} ± {sd:.4f} | {time.perf_counter() - t0:.0f} s |")
            if best is None or mean > best[1]:
                best = (label, mean)
        print(f"| {name} | best of the above: {best[0]} | {best[1]:.4f} | |")
        auto_file = f"{out}/{name}-auto.aucs"
        if os.path.exists(auto_file):  # paired over the shared folds
            d = np.loadtxt(auto_file) - per_fold[best[0]]
            print(f"| {name} | MedMaaS auto − best: {d.mean():+.4f} (paired se {d.std(ddof=1) / np.sqrt(len(d)):.4f}),"
                  f" auto ahead on {int((d > 0).sum())}, tied on {int((d == 0).sum())} of {len(d)} folds | | |")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
