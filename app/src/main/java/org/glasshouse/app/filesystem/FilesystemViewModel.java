package org.glasshouse.app.filesystem;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ShownContainer;
import org.glasshouse.app.core.ConnectionStatus;
import org.glasshouse.app.core.EventBatcher;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.LabException;
import org.glasshouse.app.core.LabListener;
import org.glasshouse.app.core.LabService;
import org.glasshouse.app.core.Units;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Topic;
import org.glasshouse.protocol.inspect.UpperEvent;

/**
 * The Filesystem tab's model: the selected container's overlay — the shared image below, its own
 * upper dir above, the work dir, the merged root — and the upper dir's content live from the
 * helper's {@code upper} events ({@link UpperDirModel}), with the copy-up seen last, its size and
 * how long the copy took. Subscribes only while the tab shows ({@link #setActive}). Without an
 * overlay it says plainly what the container's root is instead.
 */
public final class FilesystemViewModel {
  /** How often the helper re-lists the upper dir while the tab shows. */
  static final int INTERVAL_MS = 500;

  /** The big file of the busybox image (images/busybox/build.sh) the copy-up experiment opens. */
  public static final String BIG_FILE = "/usr/share/big-file";

  private final LabService lab;
  private final Executor ui;
  private final UpperDirModel upper = new UpperDirModel();
  private final List<Consumer<UpperDirModel.Change>> listeners = new CopyOnWriteArrayList<>();
  private final StringProperty banner = new SimpleStringProperty("Select a container.");
  private final StringProperty lower = new SimpleStringProperty("");
  private final StringProperty upperDir = new SimpleStringProperty("");
  private final StringProperty work = new SimpleStringProperty("");
  private final StringProperty merged = new SimpleStringProperty("");
  private final StringProperty summary = new SimpleStringProperty("");
  private final StringProperty copyUp = new SimpleStringProperty("");
  private final ShownContainer shown = new ShownContainer(this::resubscribe);
  private String watching;
  private CompletableFuture<LabService.Subscription> subscription;

  public FilesystemViewModel(LabService lab, Executor ui) {
    this.lab = lab;
    this.ui = ui;
    EventBatcher<LabEvent.Upper> batcher =
        new EventBatcher<>(ui, batch -> batch.forEach(this::onUpper));
    lab.addListener(
        new LabListener() {
          @Override
          public void onEvent(LabEvent event) {
            if (event instanceof LabEvent.Upper u) {
              batcher.add(u);
            }
          }

          @Override
          public void onConnection(ConnectionStatus status) {}
        });
  }

  /** The upper dir as last reported. */
  public UpperDirModel upper() {
    return upper;
  }

  /** Receives each change of {@link #upper()}, on the UI thread. */
  public void addListener(Consumer<UpperDirModel.Change> listener) {
    listeners.add(listener);
  }

  /** One line: what the container's root is made of, or why nothing is shown. */
  public ReadOnlyStringProperty bannerProperty() {
    return banner;
  }

  /** The lower dir(s): the shared, read-only image. */
  public ReadOnlyStringProperty lowerProperty() {
    return lower;
  }

  /** The container's upper dir: its writes. */
  public ReadOnlyStringProperty upperDirProperty() {
    return upperDir;
  }

  /** overlayfs's work dir. */
  public ReadOnlyStringProperty workProperty() {
    return work;
  }

  /** The merged dir: the container's root, as the host sees it. */
  public ReadOnlyStringProperty mergedProperty() {
    return merged;
  }

  /** "2 new · 1 copied up (16.0 MiB) · 1 deleted · 0 opaque dirs". */
  public ReadOnlyStringProperty summaryProperty() {
    return summary;
  }

  /** The copy-up seen last, in words ("" before one). */
  public ReadOnlyStringProperty copyUpProperty() {
    return copyUp;
  }

  /** Whether the tab is showing: only then does it subscribe. */
  public void setActive(boolean on) {
    shown.setActive(on);
  }

  /** Shows {@code next} (may be null). */
  public void show(ContainerItem next) {
    shown.show(next);
  }

  private void resubscribe() {
    ContainerItem item = shown.item();
    boolean overlay = item != null && item.features().contains(Feature.OVERLAY);
    String want = shown.active() && overlay ? shown.liveId() : null;
    if (!Objects.equals(want, watching)) {
      if (subscription != null) {
        subscription.thenCompose(LabService.Subscription::unsubscribe).exceptionally(t -> null);
        subscription = null;
      }
      if (!Objects.equals(item == null ? null : item.id(), watching) || want == null) {
        publish(upper.clear());
      }
      watching = want;
      if (want != null) {
        subscription = lab.subscribe(List.of(want), List.of(Topic.UPPER), INTERVAL_MS);
        subscription.whenCompleteAsync(
            (s, t) -> {
              if (t != null) {
                banner.set("Could not follow the upper dir: " + LabException.describe(t));
              }
            },
            ui);
      }
    }
    explain();
  }

  private void onUpper(LabEvent.Upper e) {
    if (e.container().equals(watching) && e.upper() != null) {
      publish(upper.apply(e.upper()));
      explain();
    }
  }

  private void publish(UpperDirModel.Change c) {
    listeners.forEach(l -> l.accept(c));
    UpperEvent.Layers l = upper.layers();
    lower.set(l == null || l.lower() == null ? "" : String.join(":", l.lower()));
    upperDir.set(l == null || l.upper() == null ? "" : l.upper());
    work.set(l == null || l.work() == null ? "" : l.work());
    merged.set(l == null || l.merged() == null ? "" : l.merged());
    UpperDirModel.Counts n = upper.counts();
    summary.set(
        l == null
            ? ""
            : n.created()
                + " new · "
                + n.copiedUp()
                + " copied up"
                + (n.copiedUp() > 0 ? " (" + Units.bytes(n.copiedUpBytes()) + ")" : "")
                + " · "
                + n.deleted()
                + " deleted · "
                + n.opaque()
                + " opaque dir"
                + (n.opaque() == 1 ? "" : "s")
                + (upper.truncated() ? " · more than the helper lists" : ""));
    UpperDirModel.Entry last = upper.lastCopyUp();
    copyUp.set(last == null ? "" : copyUpText(last));
  }

  /** "/usr/share/big-file: 16.0 MiB copied up in 72.4 ms — all of it, before one byte changed." */
  static String copyUpText(UpperDirModel.Entry e) {
    String size = Units.bytes(e.raw().size());
    String time =
        e.copyUpNanos() == null
            ? " (this filesystem does not record when the copy began)"
            : " in " + Units.duration(e.copyUpNanos());
    return "/"
        + e.raw().path()
        + ": "
        + size
        + " copied up from the image"
        + time
        + " — the whole file, before the container could change one byte of it.";
  }

  private void explain() {
    ContainerItem item = shown.item();
    if (item == null) {
      banner.set("Select a container to see its root filesystem's layers.");
      return;
    }
    Set<Feature> f = item.features();
    String id = item.shortId();
    boolean root =
        f.contains(Feature.CHROOT) || f.contains(Feature.PIVOT_ROOT) || f.contains(Feature.OVERLAY);
    if (!root) {
      banner.set(
          "No root of its own (level 00): the container sees the host's filesystem, nothing is layered. Level 01 gives it the image as its root.");
    } else if (!f.contains(Feature.OVERLAY)) {
      banner.set(
          "No overlay (levels 01–03): container "
              + id
              + "'s root is a private copy of the whole image, made before it started (the rootfs step), whether it writes a byte or not. Level 04 shares the image and layers a writable dir over it.");
    } else if (!item.state().live()) {
      banner.set(
          "Container "
              + id
              + " is not running: its upper dir stays until it is removed, but nothing changes it any more.");
    } else if (!shown.active()) {
      banner.set(
          "Overlay: the image below, read-only and shared; container " + id + "'s writes above.");
    } else {
      banner.set(
          "Overlay: the image below, read-only and shared; container "
              + id
              + "'s writes land in its upper dir above. Try: echo x > /new · rm /bin/ls · echo more >> "
              + BIG_FILE
              + " (a copy-up).");
    }
  }
}
