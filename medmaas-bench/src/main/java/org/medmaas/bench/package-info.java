/** Benchmarks: peer comparisons against pandas and scikit-learn, and JMH micro-benchmarks. */
package org.medmaas.bench;
