/**
 * The {@code simulate} subcommand: replays a recorded metric through KEDA and the Kubernetes HPA v2 algorithm
 * for one ScaledObject, offline, to tune {@code targetValue}, activation, cooldown and the HPA behavior before
 * deploying.
 *
 * <p>One job per class: {@link dev.kedaotel.server.simulate.ScaledObjectParser} (the YAML, through
 * {@code YamlNode} for line numbers), {@code HistoryReader} / {@code MetricHistory} (the recorded metric),
 * {@code KedaOperator} (activation, scale to zero, fallback), {@code ReplicaCalculator} (the HPA's
 * recommendation from its metrics), {@code HpaController} (stabilization windows and scaling policies),
 * {@code Replay} (the clock: KEDA polls, pushes, HPA syncs), {@code TableWriter} and {@code SvgChart} (output),
 * {@link dev.kedaotel.server.simulate.SimulateCommand} (the command line). Each rule's source (Kubernetes
 * docs "Horizontal Pod Autoscaling", KEDA 2.21 docs) is cited in the class that implements it.
 *
 * <p>Threads: none of its own; everything runs on the caller's thread, and nothing reads the wall clock (the
 * history's timestamps are the only time).
 */
package dev.kedaotel.server.simulate;
