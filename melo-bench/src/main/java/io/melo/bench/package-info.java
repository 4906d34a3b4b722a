/** JMH benchmarks of Melo, each reported as a ratio to a raw baseline measured in the same run. */
package io.melo.bench;
