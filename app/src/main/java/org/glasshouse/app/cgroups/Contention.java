package org.glasshouse.app.cgroups;

/**
 * Two busy containers sharing CPU: what each got over the last seconds, next to what their weights
 * promise. The kernel splits contended CPU by weight (cpu.shares on v1, cpu.weight on v2), so the
 * measured ratio approaches the weights' ratio when both compete for the same CPU all the time.
 *
 * @param lighter the container with the smaller weight
 * @param heavier the container with the larger (or equal) weight
 * @param lighterCores mean CPU used by {@code lighter}, in cores
 * @param heavierCores mean CPU used by {@code heavier}, in cores
 * @param lighterWeight {@code lighter}'s cpu.shares or cpu.weight
 * @param heavierWeight {@code heavier}'s cpu.shares or cpu.weight
 * @param weightMetric {@link Metric#CPU_SHARES} (v1) or {@link Metric#CPU_WEIGHT} (v2)
 * @param seconds over how many seconds the means were taken
 */
public record Contention(
    String lighter,
    String heavier,
    double lighterCores,
    double heavierCores,
    double lighterWeight,
    double heavierWeight,
    Metric weightMetric,
    int seconds) {

  /** CPU used by the lighter over CPU used by the heavier: ~0.5 for shares 512 against 1024. */
  public double measuredRatio() {
    return heavierCores <= 0 ? Double.NaN : lighterCores / heavierCores;
  }

  /** The lighter weight over the heavier one: what the kernel aims at under contention. */
  public double weightRatio() {
    return heavierWeight <= 0 ? Double.NaN : lighterWeight / heavierWeight;
  }
}
