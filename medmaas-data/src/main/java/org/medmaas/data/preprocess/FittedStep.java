package org.medmaas.data.preprocess;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.medmaas.core.table.Table;

/**
 * A preprocessing step after {@link StepSpec#fit}: immutable, holding everything it learned, and
 * applicable to any table with the columns it was fitted on (training rows, new patients at
 * serving time). Implementations are records so they persist as plain JSON inside model bundles.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "step")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DropMissing.Fitted.class, name = "drop-missing"),
        @JsonSubTypes.Type(value = Impute.Fitted.class, name = "impute"),
        @JsonSubTypes.Type(value = KnnImpute.Fitted.class, name = "knn-impute"),
        @JsonSubTypes.Type(value = Interpolate.Fitted.class, name = "interpolate"),
        @JsonSubTypes.Type(value = Outliers.Fitted.class, name = "outliers"),
        @JsonSubTypes.Type(value = Scale.Fitted.class, name = "scale"),
        @JsonSubTypes.Type(value = PowerTransform.Fitted.class, name = "power"),
        @JsonSubTypes.Type(value = OneHot.Fitted.class, name = "one-hot"),
        @JsonSubTypes.Type(value = Ordinal.Fitted.class, name = "ordinal"),
        @JsonSubTypes.Type(value = DateParts.Fitted.class, name = "date-parts"),
        @JsonSubTypes.Type(value = ConvertType.Fitted.class, name = "convert-type"),
})
public interface FittedStep {

    /** Transforms a table; never modifies its argument. */
    Table apply(Table table);

    /** Whether the output row {@code i} depends only on input row {@code i} (no rows dropped). */
    default boolean rowLocal() {
        return true;
    }
}
