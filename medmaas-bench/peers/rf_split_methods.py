"""Why our random forest trails scikit-learn's on pbc: XGBoost's random-forest mode as the rf learner
configures it (histogram splits, depth 12, 200 trees, rows sampled 0.632 without replacement, sqrt of
the features per split, near-zero L2), against the same with exact or approximate split finding, and
scikit-learn's RandomForestClassifier at its defaults, on the folds run-search-quality.sh wrote
(median imputation fitted on each training part, as both pipelines do). Paired ROC-AUC differences
against scikit-learn over the 50 held-out folds.

    python3 medmaas-bench/peers/rf_split_methods.py pbc birthwt heart pima wdbc
"""
import sys

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import roc_auc_score

OUT = "target/bench/search-quality"


def xgb_forest(features, **changes):
    def fit(x_train, y_train, x_test):
        params = dict(tree_method="hist", num_parallel_tree=200, max_depth=12, eta=1.0, subsample=0.632,
                      colsample_bynode=np.sqrt(features) / features, min_child_weight=0.1, reg_lambda=1e-3,
                      objective="binary:logistic", nthread=2, seed=0, verbosity=0)
        params.update(changes)
        booster = xgb.train(params, xgb.DMatrix(x_train, label=y_train), 1)
        return booster.predict(xgb.DMatrix(x_test))
    return fit


def sklearn_forest(x_train, y_train, x_test):
    return RandomForestClassifier(random_state=0, n_jobs=2).fit(x_train, y_train).predict_proba(x_test)[:, 1]


def main(name):
    data = pd.read_csv(f"{OUT}/{name}.csv")
    target = data.columns[-1]
    y = data[target].astype(str).str.lower().isin(["true", "1", "yes", "pos"]).to_numpy().astype(int)
    x = data.drop(columns=[target]).apply(pd.to_numeric, errors="coerce").to_numpy(float)
    folds = pd.read_csv(f"{OUT}/{name}-folds.csv")
    variants = {"scikit-learn RandomForestClassifier()": sklearn_forest,
                "rf as configured (hist)": xgb_forest(x.shape[1]),
                "rf with exact splits": xgb_forest(x.shape[1], tree_method="exact"),
                "rf with approx splits": xgb_forest(x.shape[1], tree_method="approx")}
    scores = {k: [] for k in variants}
    for repeat in folds.columns:
        fold = folds[repeat].to_numpy()
        for k in sorted(set(fold)):
            train, test = fold != k, fold == k
            imputer = SimpleImputer(strategy="median").fit(x[train])
            for label, fit in variants.items():
                scores[label].append(roc_auc_score(y[test], fit(imputer.transform(x[train]), y[train], imputer.transform(x[test]))))
    base = np.array(scores["scikit-learn RandomForestClassifier()"])
    for label, values in scores.items():
        diff = np.array(values) - base
        print(f"| {name} | {label} | {np.mean(values):.4f} | {diff.mean():+.4f} ({diff.std(ddof=1) / np.sqrt(len(diff)):.4f}) |")


if __name__ == "__main__":
    print("| dataset | learner | ROC-AUC | − scikit-learn RF (paired se) |\n|---|---|---|---|")
    for dataset in sys.argv[1:]:
        main(dataset)
