package org.glasshouse.app.core;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.Topic;
import org.glasshouse.protocol.inspect.InspectResult;
import org.glasshouse.protocol.inspect.MountsResult;
import org.glasshouse.protocol.inspect.StatsResult;

/**
 * Everything the app asks of the privileged helper, without transport details. View-models talk to
 * this interface only; the real implementation speaks the JSON-lines protocol over the helper's
 * socket, tests use an in-memory fake that can replay events recorded from a real helper.
 *
 * <p>Futures complete on a background thread; a failed request completes exceptionally with a
 * {@link LabException}. Events and connection changes reach {@link LabListener}s on a background
 * thread too: callers hand them to the FX thread themselves (see {@link EventBatcher}). Inspection
 * results and events are the typed records of {@code org.glasshouse.protocol.inspect}, numbers in
 * absolute units; views format them with {@link Units}.
 */
public interface LabService extends AutoCloseable {

  /** Starts connecting, and keeps reconnecting with back-off whenever the connection is lost. */
  void start();

  /** Gives up the current back-off wait and tries to connect at once. */
  void retryNow();

  /** The latest connection state. */
  ConnectionStatus status();

  void addListener(LabListener listener);

  void removeListener(LabListener listener);

  /**
   * Runs a container, not attached: it outlives this connection (closing the app leaves it
   * running). Its events reach the listeners through the connection's subscription to every
   * container, from its first step, so they can arrive before the reply.
   */
  CompletableFuture<Started> run(RunSpec spec);

  CompletableFuture<Void> stdin(String container, byte[] data);

  CompletableFuture<Void> resize(String container, int cols, int rows);

  CompletableFuture<Void> signal(String container, String signal);

  CompletableFuture<Void> remove(String container, boolean force);

  CompletableFuture<List<ContainerSummary>> ps();

  CompletableFuture<List<StepEntry>> steps(String container);

  /**
   * What the kernel says about a container, or about the host when {@code target} is "host": its
   * namespaces against the host's, processes, cgroups, network, overlay and mount summary.
   *
   * @param upper also list the overlay's upper directory ({@link InspectResult#upperDir()})
   */
  CompletableFuture<InspectResult> inspect(String target, boolean upper);

  /**
   * A container's (or the host's, {@code target} "host") mount table.
   *
   * @param diffWithHost also compare it with the host's ({@link MountsResult#diff()})
   */
  CompletableFuture<MountsResult> mounts(String target, boolean diffWithHost);

  /** One usage sample of each running container of {@code containers}; all when empty. */
  CompletableFuture<StatsResult> stats(Collection<String> containers);

  /**
   * Asks for events: {@code topics} of {@code containers} (all containers, also future ones, when
   * empty). Inspection topics arrive as {@link LabEvent.Telemetry}, {@link LabEvent.Mounts} and
   * {@link LabEvent.Namespaces}; {@code intervalMs} (100..60000) is how often the helper reads each
   * watched container for them. The subscription lasts until {@link Subscription#unsubscribe()}:
   * when the connection drops and comes back, the service subscribes again by itself.
   */
  CompletableFuture<Subscription> subscribe(
      Collection<String> containers, Collection<Topic> topics, int intervalMs);

  @Override
  void close();

  /** The reply to {@code run}: the container id and its host pid. */
  record Started(String container, long pid) {}

  /** A subscription made by {@link #subscribe}. */
  interface Subscription {
    /** Ends it; completes when the helper confirmed (at once when the connection is gone). */
    CompletableFuture<Void> unsubscribe();
  }
}
