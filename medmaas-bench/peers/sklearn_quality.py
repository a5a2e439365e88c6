"""scikit-learn on the folds QualityBenchmark wrote: same rows, same fold of each row.

    python3 sklearn_quality.py OUT_DIR
LogisticRegression() with its defaults (lbfgs, L2, C=1), MLPClassifier((64, 64)) and xgboost's XGBClassifier with the
same settings as MedMaaS's GBT, after median imputation and standard scaling, fitted inside each
training fold. Prints a markdown row per dataset and learner.
"""
import sys
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.metrics import accuracy_score, brier_score_loss, f1_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

TARGETS = {"wdbc": "target", "pima": "diabetes", "heart": "num"}


def _xgboost():
    import xgboost
    return xgboost.XGBClassifier(n_estimators=100, max_depth=3, learning_rate=0.1, tree_method="hist", n_jobs=2,
                                 random_state=42)


def _mlp():
    # The classic configuration the issue names; scikit-learn's defaults otherwise (Adam 1e-3,
    # alpha 1e-4, batch min(200, n), up to 200 epochs, stop after 10 without loss improvement).
    return MLPClassifier(hidden_layer_sizes=(64, 64), random_state=42, max_iter=200)


LEARNERS = [("scikit-learn LogisticRegression (lbfgs, L2, C=1)", LogisticRegression),
            ("scikit-learn MLPClassifier(64, 64)", _mlp),
            ("Python xgboost (100 rounds, depth 3, eta 0.1)", _xgboost)]


def ece(y, p, bins=10):
    edges = np.linspace(0, 1, bins + 1)
    ids = np.searchsorted(edges[1:-1], p)
    total = 0.0
    for b in range(bins):
        m = ids == b
        if m.any():
            total += m.sum() / len(p) * abs(y[m].mean() - p[m].mean())
    return total


def main(out):
    warnings.filterwarnings("ignore", category=ConvergenceWarning)  # MLPClassifier at max_iter; reported as is
    for name, target in TARGETS.items():
        df = pd.read_csv(f"{out}/{name}.csv")
        folds = pd.read_csv(f"{out}/{name}-folds.csv")["fold"].to_numpy()
        y = df[target].astype(str).str.lower().eq("true").astype(int).to_numpy()
        X = df.drop(columns=[target]).to_numpy(dtype=float)
        for label, make in LEARNERS:
            scores = {"auc": [], "acc": [], "f1": [], "brier": [], "ece": []}
            t0 = time.perf_counter()
            for f in sorted(set(folds)):
                train, test = folds != f, folds == f
                model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), make())
                model.fit(X[train], y[train])
                p = model.predict_proba(X[test])[:, 1]
                scores["auc"].append(roc_auc_score(y[test], p))
                scores["acc"].append(accuracy_score(y[test], p >= 0.5))
                scores["f1"].append(f1_score(y[test], p >= 0.5))
                scores["brier"].append(brier_score_loss(y[test], p))
                scores["ece"].append(ece(y[test], p))
            seconds = time.perf_counter() - t0
            cell = lambda k: f"{np.mean(scores[k]):.3f} ± {np.std(scores[k], ddof=1):.3f}"
            print(f"| {name} | {label} | {cell('auc')} | {cell('acc')} | "
                  f"{cell('f1')} | {cell('brier')} | {cell('ece')} | {seconds:.2f} s |")


if __name__ == "__main__":
    main(sys.argv[1])
