package org.medmaas.data.preprocess;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.medmaas.core.table.Table;

/**
 * An unfitted preprocessing step: the settings a user chooses (strategy, columns, thresholds).
 * {@link #fit} learns from training data only and returns the {@link FittedStep} that is applied
 * to training and new data alike, so nothing learned from evaluation rows leaks into a model.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "step")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DropMissing.class, name = "drop-missing"),
        @JsonSubTypes.Type(value = Impute.class, name = "impute"),
        @JsonSubTypes.Type(value = KnnImpute.class, name = "knn-impute"),
        @JsonSubTypes.Type(value = Interpolate.class, name = "interpolate"),
        @JsonSubTypes.Type(value = Outliers.class, name = "outliers"),
        @JsonSubTypes.Type(value = Scale.class, name = "scale"),
        @JsonSubTypes.Type(value = PowerTransform.class, name = "power"),
        @JsonSubTypes.Type(value = OneHot.class, name = "one-hot"),
        @JsonSubTypes.Type(value = Ordinal.class, name = "ordinal"),
        @JsonSubTypes.Type(value = DateParts.class, name = "date-parts"),
        @JsonSubTypes.Type(value = ConvertType.class, name = "convert-type"),
})
public interface StepSpec {

    FittedStep fit(Table train);
}
