"""Training time and batch scoring rate of scikit-learn LogisticRegression, MLPClassifier(64, 64) and xgboost on the
files SpeedBenchmark uses, with the same protocol (warm-up: fits for at least 3 s; then best of REPEATS; preprocessing
inside the timed fit, as in MedMaaS).

    python3 python_speed.py QUALITY_DIR SPEED_DIR REPEATS
"""
import sys
import time
import warnings

import pandas as pd
import xgboost
from sklearn.impute import SimpleImputer
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


WARMUP_SECONDS = 3.0  # as SpeedBenchmark.WARMUP_SECONDS: fit for at least this long before measuring


def learners():
    return {
        "lr": lambda: LogisticRegression(),
        "mlp": lambda: MLPClassifier(hidden_layer_sizes=(64, 64), random_state=42, max_iter=200),
        "gbt": lambda: xgboost.XGBClassifier(n_estimators=100, max_depth=3, learning_rate=0.1, tree_method="hist",
                                             n_jobs=2, random_state=42),
    }


def main(quality, speed, repeats):
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    sets = [("wdbc", f"{quality}/wdbc.csv", "target"), ("pima", f"{quality}/pima.csv", "diabetes"),
            ("heart", f"{quality}/heart.csv", "num"), ("synthetic-20000x30", f"{speed}/synthetic-20000x30.csv", "outcome")]
    for name, path, target in sets:
        df = pd.read_csv(path)
        y = df[target].astype(str).str.lower().isin(["true", "1"]).astype(int).to_numpy()
        X = df.drop(columns=[target]).to_numpy(dtype=float)
        for learner, make in learners().items():
            best_train = best_score = float("inf")
            # Warm-up, the same rule as SpeedBenchmark: at least one fit, and fits for WARMUP_SECONDS.
            warmup_start = time.perf_counter()
            warmups = measured = 0
            while measured < repeats:
                t0 = time.perf_counter()
                model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), make()).fit(X, y)
                t1 = time.perf_counter()
                model.predict_proba(X)
                t2 = time.perf_counter()
                if measured == 0 and (warmups == 0 or t2 - warmup_start < WARMUP_SECONDS):
                    warmups += 1
                    continue
                measured += 1
                best_train = min(best_train, t1 - t0)
                best_score = min(best_score, t2 - t1)
            print(f"python {name} {learner} train_s={best_train:.4f} score_rows_per_s={len(df) / best_score:.0f} rows={len(df)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
