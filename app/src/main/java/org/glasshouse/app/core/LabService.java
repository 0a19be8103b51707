package org.glasshouse.app.core;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;

/**
 * Everything the app asks of the privileged helper, without transport details. View-models talk to
 * this interface only; the real implementation speaks the JSON-lines protocol over the helper's
 * socket, tests use an in-memory fake.
 *
 * <p>Futures complete on a background thread; a failed request completes exceptionally with a
 * {@link LabException}. Events and connection changes reach {@link LabListener}s on a background
 * thread too: callers hand them to the FX thread themselves (see {@link EventBatcher}).
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

  /** Runs a container attached: its events reach the listeners before the reply. */
  CompletableFuture<Started> run(RunSpec spec);

  CompletableFuture<Void> stdin(String container, byte[] data);

  CompletableFuture<Void> resize(String container, int cols, int rows);

  CompletableFuture<Void> signal(String container, String signal);

  CompletableFuture<Void> remove(String container, boolean force);

  CompletableFuture<List<ContainerSummary>> ps();

  CompletableFuture<List<StepEntry>> steps(String container);

  /** What the kernel says about a container, or about the host when {@code target} is "host". */
  CompletableFuture<Inspection> inspect(String target);

  /** Asks for telemetry samples of one container as {@link LabEvent.Telemetry} events. */
  CompletableFuture<Void> watchTelemetry(String container);

  /**
   * Asks for a telemetry sample of each of {@code containers} every {@code intervalMs} (100 at the
   * fastest) as {@link LabEvent.Telemetry} events; completes with the subscription's id. The
   * subscription ends with the connection or with {@link #unsubscribe}.
   */
  CompletableFuture<Long> subscribeTelemetry(Collection<String> containers, int intervalMs);

  /** Ends a subscription. */
  CompletableFuture<Void> unsubscribe(long subscription);

  @Override
  void close();

  /** The reply to {@code run}: the container id and its host pid. */
  record Started(String container, long pid) {}
}
