package org.glasshouse.app.mounts;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
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
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Findmnt;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.Topic;
import org.glasshouse.protocol.inspect.MountsResult;

/**
 * The Mounts tab's model: the selected container's mount tree next to the host's, live from the
 * helper's {@code mounts} events (the container's, and the host's own by subscribing to {@code
 * "host"}), each mount marked by the diff ({@link MountPairing}), filtered by a search and a
 * "differences only" switch, and one mount selected with its mountinfo line and the start step that
 * made it. It subscribes only while the tab is showing ({@link #setActive}).
 *
 * <p>Changes reach views as {@link Update}s naming the ids that came, went, changed or were marked
 * differently, so a tree of a thousand mounts updates a few rows, not itself.
 */
public final class MountsViewModel {
  /** How often the helper re-reads the watched mount tables while the tab shows. */
  static final int INTERVAL_MS = 500;

  /**
   * What changed in one tree.
   *
   * @param side the tree
   * @param change mounts that came, went or changed
   * @param remarked mounts whose mark or pair changed (their rows restyle)
   */
  public record Update(Side side, MountTable.Change change, Set<Integer> remarked) {}

  /**
   * The selected mount.
   *
   * @param side its tree
   * @param id its mount id
   */
  public record Selection(Side side, int id) {}

  /**
   * What the detail pane says about the selected mount.
   *
   * @param mount the mount
   * @param mark its mark
   * @param mountinfo its line of {@code /proc/PID/mountinfo}
   * @param explanation one sentence on its mark and where the other tree has it
   * @param step the start step that made it (null: none did)
   * @param stepText that step as the step log shows it, or why there is none
   */
  public record Detail(
      MountsResult.Mount mount,
      Mark mark,
      String mountinfo,
      String explanation,
      StepEntry step,
      String stepText) {}

  /** The kind of the line above the trees: a leak is the level-01 lesson and stands out. */
  public enum BannerKind {
    INFO,
    LEAK
  }

  private final LabService lab;
  private final Executor ui;
  private final Function<String, ContainerItem> containers;
  private final MountTable container = new MountTable();
  private final MountTable host = new MountTable();
  private final List<Consumer<Update>> listeners = new CopyOnWriteArrayList<>();
  private final StringProperty banner = new SimpleStringProperty("");
  private final ObjectProperty<BannerKind> bannerKind = new SimpleObjectProperty<>(BannerKind.INFO);
  private final StringProperty containerTitle = new SimpleStringProperty("Container");
  private final StringProperty hostTitle = new SimpleStringProperty("Host");
  private final StringProperty filter = new SimpleStringProperty("");
  private final BooleanProperty differencesOnly = new SimpleBooleanProperty(false);
  private final ObjectProperty<Selection> selection = new SimpleObjectProperty<>();
  private final ObjectProperty<Detail> detail = new SimpleObjectProperty<>();
  private final ShownContainer shown = new ShownContainer(this::resubscribe);
  private final Set<Integer> shownContainer = new HashSet<>();
  private final Set<Integer> shownHost = new HashSet<>();
  private MountPairing.Result pairing =
      new MountPairing.Result(Map.of(), Map.of(), Map.of(), Map.of());
  private String watching;
  private String root;
  private boolean hostWatched;
  private int containerEvents;
  private final List<CompletableFuture<LabService.Subscription>> subscriptions = new ArrayList<>();

  /**
   * @param lab the helper
   * @param ui the FX thread (or a same-thread executor in tests)
   * @param containers the app's containers by id (null when unknown), for the steps of a container
   *     whose mounts leak into the host's table
   */
  public MountsViewModel(LabService lab, Executor ui, Function<String, ContainerItem> containers) {
    this.lab = lab;
    this.ui = ui;
    this.containers = containers;
    EventBatcher<LabEvent.Mounts> batcher =
        new EventBatcher<>(ui, batch -> batch.forEach(this::onMounts));
    lab.addListener(
        new LabListener() {
          @Override
          public void onEvent(LabEvent event) {
            if (event instanceof LabEvent.Mounts m) {
              batcher.add(m);
            }
          }

          @Override
          public void onConnection(ConnectionStatus status) {}
        });
    filter.addListener((o, a, b) -> refilter());
    differencesOnly.addListener((o, a, b) -> refilter());
    selection.addListener((o, a, b) -> updateDetail());
  }

  /** The selected container's table (empty without one). */
  public MountTable containerTable() {
    return container;
  }

  /** The host's table. */
  public MountTable hostTable() {
    return host;
  }

  /** The table of a side. */
  public MountTable table(Side side) {
    return side == Side.CONTAINER ? container : host;
  }

  /** Receives every {@link Update}, on the UI thread. */
  public void addListener(Consumer<Update> listener) {
    listeners.add(listener);
  }

  /** One line above the trees: what the diff shows, in the level's terms. */
  public ReadOnlyStringProperty bannerProperty() {
    return banner;
  }

  public ReadOnlyObjectProperty<BannerKind> bannerKindProperty() {
    return bannerKind;
  }

  /** The container tree's heading: "Container 3f9a0c11b2d4 · 9 mounts". */
  public ReadOnlyStringProperty containerTitleProperty() {
    return containerTitle;
  }

  /** The host tree's heading: "Host · 31 mounts · 3 leaked". */
  public ReadOnlyStringProperty hostTitleProperty() {
    return hostTitle;
  }

  /** The search: mounts whose target, source, type, options or mark contain it (and parents). */
  public StringProperty filterProperty() {
    return filter;
  }

  /** Whether mounts both trees share are hidden (their parents stay, for context). */
  public BooleanProperty differencesOnlyProperty() {
    return differencesOnly;
  }

  public ObjectProperty<Selection> selectionProperty() {
    return selection;
  }

  public ReadOnlyObjectProperty<Detail> detailProperty() {
    return detail;
  }

  /** A mount's mark. */
  public Mark mark(Side side, int id) {
    return pairing.mark(side, id);
  }

  /** The same mount in the other tree, or null. */
  public Integer pair(Side side, int id) {
    return pairing.pair(side, id);
  }

  /** Whether a mount passes the search and the differences switch. */
  public boolean matches(Side side, MountsResult.Mount m) {
    Mark mark = mark(side, m.id());
    if (differencesOnly.get() && mark == Mark.SHARED) {
      return false;
    }
    String f = filter.get() == null ? "" : filter.get().strip().toLowerCase(Locale.ROOT);
    if (f.isEmpty()) {
      return true;
    }
    return contains(m.mountPoint(), f)
        || contains(m.source(), f)
        || contains(m.fsType(), f)
        || contains(m.options(), f)
        || contains(mark.label(), f);
  }

  /** Whether a mount is in its tree as filtered: it matches, or one below it does. */
  public boolean shown(Side side, int id) {
    return (side == Side.CONTAINER ? shownContainer : shownHost).contains(id);
  }

  /** Whether the tab is showing: only then does it subscribe. */
  public void setActive(boolean on) {
    shown.setActive(on);
  }

  /** Shows {@code next} (may be null) next to the host. */
  public void show(ContainerItem next) {
    shown.show(next);
  }

  /** Selects the mount the step {@code seq} of the selected container made, if it is in a tree. */
  public boolean selectByStep(int seq) {
    for (MountsResult.Mount m : container.all()) {
      if (m.step() != null && m.step() == seq) {
        selection.set(new Selection(Side.CONTAINER, m.id()));
        return true;
      }
    }
    ContainerItem item = shown.item();
    String id = item == null ? null : item.id();
    for (MountsResult.Mount m : host.all()) {
      if (m.step() != null && m.step() == seq && id != null && id.equals(m.leakedFrom())) {
        selection.set(new Selection(Side.HOST, m.id()));
        return true;
      }
    }
    return false;
  }

  /** Selects the container's mount with this id, else the host's. */
  public boolean focusMount(int id) {
    if (container.get(id) != null) {
      selection.set(new Selection(Side.CONTAINER, id));
      return true;
    }
    if (host.get(id) != null) {
      selection.set(new Selection(Side.HOST, id));
      return true;
    }
    return false;
  }

  /** Selects the visible mount at {@code point} in the container's tree, else the host's. */
  public boolean focusMountPoint(String point) {
    for (Side side : List.of(Side.CONTAINER, Side.HOST)) {
      MountsResult.Mount found = null;
      for (MountsResult.Mount m : table(side).all()) {
        if (m.mountPoint().equals(point) && !table(side).isOvermounted(m.id())) {
          found = m;
        }
      }
      if (found != null) {
        selection.set(new Selection(side, found.id()));
        return true;
      }
    }
    return false;
  }

  /**
   * The tree of a side as it is filtered, findmnt-style, with a NOTE column naming each marked
   * mount's mark.
   */
  public String exportText(Side side) {
    MountTable t = table(side);
    List<Findmnt.Node> roots = new ArrayList<>();
    for (MountsResult.Mount r : t.roots()) {
      if (shown(side, r.id())) {
        roots.add(node(side, t, r));
      }
    }
    String title = side == Side.CONTAINER ? containerTitle.get() : hostTitle.get();
    return "# " + title + "\n" + Findmnt.renderTrees(roots);
  }

  private Findmnt.Node node(Side side, MountTable t, MountsResult.Mount m) {
    List<Findmnt.Node> kids = new ArrayList<>();
    for (MountsResult.Mount c : t.children(m.id())) {
      if (shown(side, c.id())) {
        kids.add(node(side, t, c));
      }
    }
    Mark mark = mark(side, m.id());
    MountsResult.Mount shownAs =
        t.isOvermounted(m.id()) == m.overmounted() ? m : withOvermounted(m, t);
    return new Findmnt.Node(shownAs, kids, mark == Mark.SHARED ? null : mark.label());
  }

  private static MountsResult.Mount withOvermounted(MountsResult.Mount m, MountTable t) {
    return new MountsResult.Mount(
        m.id(),
        m.parentId(),
        m.device(),
        m.root(),
        m.mountPoint(),
        m.options(),
        m.optionalFields(),
        m.propagation(),
        m.fsType(),
        m.source(),
        m.superOptions(),
        t.isOvermounted(m.id()),
        m.leakedFrom(),
        m.step());
  }

  // ---------------------------------------------------------------- subscriptions and events

  private void resubscribe() {
    String want = shown.active() ? shown.liveId() : null;
    boolean wantHost = shown.active();
    if (java.util.Objects.equals(want, watching) && wantHost == hostWatched) {
      explain();
      return;
    }
    for (CompletableFuture<LabService.Subscription> s : subscriptions) {
      s.thenCompose(LabService.Subscription::unsubscribe).exceptionally(t -> null);
    }
    subscriptions.clear();
    if (!java.util.Objects.equals(want, watching)) {
      watching = want;
      root = null;
      containerEvents = 0;
      publish(Side.CONTAINER, container.clear());
      if (want != null) {
        fetchContainer(want);
      }
    }
    hostWatched = wantHost;
    if (wantHost) {
      subscriptions.add(subscribe(List.of("host")));
    }
    if (want != null) {
      subscriptions.add(subscribe(List.of(want)));
    }
    explain();
  }

  private CompletableFuture<LabService.Subscription> subscribe(List<String> targets) {
    CompletableFuture<LabService.Subscription> s =
        lab.subscribe(targets, List.of(Topic.MOUNTS), INTERVAL_MS);
    s.whenCompleteAsync(
        (sub, t) -> {
          if (t != null) {
            banner.set("Could not follow the mount tables: " + LabException.describe(t));
          }
        },
        ui);
    return s;
  }

  /** The container's table once, for its root as the host sees it (events do not carry it). */
  private void fetchContainer(String id) {
    int seenBefore = containerEvents;
    lab.mounts(id, false)
        .whenCompleteAsync(
            (r, t) -> {
              if (!id.equals(watching) || t != null || r == null || r.gone()) {
                return;
              }
              root = r.root();
              // An event that came meanwhile is newer than this reply: keep it.
              if (containerEvents == seenBefore && r.entries() != null) {
                publish(Side.CONTAINER, container.replace(r.entries()));
              } else {
                publish(Side.CONTAINER, MountTable.Change.NONE);
              }
            },
            ui);
  }

  private void onMounts(LabEvent.Mounts e) {
    if (e.mounts() == null) {
      return;
    }
    if ("host".equals(e.container())) {
      if (hostWatched) {
        publish(Side.HOST, host.apply(e.mounts().diff()));
      }
    } else if (e.container().equals(watching)) {
      containerEvents++;
      publish(Side.CONTAINER, container.apply(e.mounts().diff()));
    }
  }

  /** Re-pairs, re-filters and tells the views what changed in {@code side}'s table. */
  private void publish(Side side, MountTable.Change change) {
    MountPairing.Result before = pairing;
    pairing = MountPairing.pair(container, root, host);
    Map<Side, Set<Integer>> remarked = new HashMap<>();
    for (Side s : EnumSet.allOf(Side.class)) {
      Set<Integer> ids = new HashSet<>();
      for (MountsResult.Mount m : table(s).all()) {
        if (before.mark(s, m.id()) != pairing.mark(s, m.id())
            || !java.util.Objects.equals(before.pair(s, m.id()), pairing.pair(s, m.id()))) {
          ids.add(m.id());
        }
      }
      remarked.put(s, ids);
    }
    computeShown();
    Selection sel = selection.get();
    if (sel != null && table(sel.side()).get(sel.id()) == null) {
      selection.set(null);
    }
    for (Side s : EnumSet.allOf(Side.class)) {
      MountTable.Change c = s == side ? change : MountTable.Change.NONE;
      Update u = new Update(s, c, remarked.get(s));
      if (!c.isEmpty() || !u.remarked().isEmpty() || s == side) {
        listeners.forEach(l -> l.accept(u));
      }
    }
    updateDetail();
    explain();
  }

  private void refilter() {
    computeShown();
    for (Side s : EnumSet.allOf(Side.class)) {
      Update u = new Update(s, MountTable.Change.NONE, Set.of());
      listeners.forEach(l -> l.accept(u));
    }
  }

  private void computeShown() {
    for (Side s : EnumSet.allOf(Side.class)) {
      Set<Integer> shown = s == Side.CONTAINER ? shownContainer : shownHost;
      shown.clear();
      MountTable t = table(s);
      for (MountsResult.Mount r : t.roots()) {
        markShown(s, t, r, shown, new HashSet<>());
      }
    }
  }

  private boolean markShown(
      Side side, MountTable t, MountsResult.Mount m, Set<Integer> shown, Set<Integer> seen) {
    if (!seen.add(m.id())) {
      return false;
    }
    boolean any = matches(side, m);
    for (MountsResult.Mount c : t.children(m.id())) {
      any |= markShown(side, t, c, shown, seen);
    }
    if (any) {
      shown.add(m.id());
    }
    return any;
  }

  // ---------------------------------------------------------------- words

  private void updateDetail() {
    Selection sel = selection.get();
    MountsResult.Mount m = sel == null ? null : table(sel.side()).get(sel.id());
    if (m == null) {
      detail.set(null);
      return;
    }
    Mark mark = mark(sel.side(), m.id());
    StepEntry step = null;
    String stepText;
    ContainerItem owner =
        sel.side() == Side.CONTAINER
            ? shown.item()
            : m.leakedFrom() == null ? null : containers.apply(m.leakedFrom());
    if (m.step() == null) {
      stepText =
          sel.side() == Side.HOST && m.leakedFrom() == null
              ? "No container's start made it: it is the host's own."
              : "No start step made it: the workload mounted it, or it came with the namespace.";
    } else {
      step = owner == null ? null : find(owner, m.step());
      stepText =
          step == null
              ? "Made by step #" + m.step() + " of container " + m.leakedFrom() + "."
              : "#"
                  + step.seq()
                  + " "
                  + step.step()
                  + ": "
                  + step.call()
                  + "("
                  + (step.args() == null ? "" : step.args())
                  + ")";
    }
    detail.set(
        new Detail(
            m, mark, Findmnt.mountinfoLine(m), explanation(sel.side(), m, mark), step, stepText));
  }

  private static StepEntry find(ContainerItem owner, int seq) {
    for (StepEntry s : owner.steps()) {
      if (s.seq() == seq) {
        return s;
      }
    }
    return null;
  }

  private String explanation(Side side, MountsResult.Mount m, Mark mark) {
    Integer twin = pair(side, m.id());
    MountsResult.Mount other =
        twin == null ? null : table(side == Side.CONTAINER ? Side.HOST : Side.CONTAINER).get(twin);
    String hidden =
        table(side).isOvermounted(m.id()) ? " Another mount on the same point hides it." : "";
    return switch (mark) {
      case LEAKED -> {
        String where =
            other == null
                ? ""
                : side == Side.CONTAINER
                    ? " at " + other.mountPoint()
                    : " (the container sees it at " + other.mountPoint() + ")";
        yield "Leaked: made for container "
            + leakSource(side, m, other)
            + ", this mount sits in the host's own mount table"
            + where
            + ". Without a mount namespace of its own, a container mounts into the host's."
            + hidden;
      }
      case ONLY_CONTAINER ->
          "Only the container has this mount: it lives in the container's own mount namespace, and the host's table never sees it."
              + hidden;
      case NOT_IN_CONTAINER ->
          "The container does not see this host mount: it lies outside the container's root, or its namespace no longer holds it."
              + hidden;
      case SHARED ->
          (shown.item() == null || container.isEmpty()
                  ? "A mount of the host."
                  : other == null
                      ? "The container and the host see the same mount."
                      : "The container and the host see this same filesystem at "
                          + (side == Side.CONTAINER ? other.mountPoint() : m.mountPoint())
                          + ".")
              + hidden;
    };
  }

  private String leakSource(Side side, MountsResult.Mount m, MountsResult.Mount other) {
    MountsResult.Mount hostSide = side == Side.HOST ? m : other;
    return hostSide == null || hostSide.leakedFrom() == null ? "?" : hostSide.leakedFrom();
  }

  /** The banner and the headings, from what the tables show and what the container asked for. */
  private void explain() {
    int leaked = 0;
    List<String> leakedPoints = new ArrayList<>();
    int notSeen = 0;
    for (MountsResult.Mount m : host.all()) {
      Mark k = pairing.mark(Side.HOST, m.id());
      if (k == Mark.LEAKED) {
        leaked++;
        Integer twin = pairing.pair(Side.HOST, m.id());
        MountsResult.Mount inside = twin == null ? null : container.get(twin);
        if (inside != null && leakedPoints.size() < 4) {
          leakedPoints.add(inside.mountPoint());
        }
      } else if (k == Mark.NOT_IN_CONTAINER) {
        notSeen++;
      }
    }
    int onlyHere = 0;
    for (MountsResult.Mount m : container.all()) {
      if (pairing.mark(Side.CONTAINER, m.id()) == Mark.ONLY_CONTAINER) {
        onlyHere++;
      }
    }
    hostTitle.set(
        "Host · "
            + count(host.size(), "mount")
            + (leaked > 0 ? " · " + leaked + " leaked" : "")
            + (notSeen > 0 && !container.isEmpty() ? " · " + notSeen + " not seen" : ""));
    ContainerItem item = shown.item();
    if (item == null) {
      containerTitle.set("Container");
      set(
          leaked > 0 ? BannerKind.LEAK : BannerKind.INFO,
          leaked > 0
              ? leaked
                  + " mounts of running containers sit in the host's own table (leaked). Select a container to compare its tree with the host's."
              : "Select a container to compare its mount tree with the host's.");
      return;
    }
    Set<Feature> f = item.features();
    String id = item.shortId();
    if (!item.state().live()) {
      containerTitle.set("Container " + id + " · not running");
      set(
          BannerKind.INFO,
          "Container " + id + " is not running: its mount table went with its last process.");
      return;
    }
    containerTitle.set(
        "Container "
            + id
            + " · "
            + count(container.size(), "mount")
            + (onlyHere > 0 ? " · " + onlyHere + " only here" : ""));
    if (!f.contains(Feature.CHROOT)
        && !f.contains(Feature.PIVOT_ROOT)
        && !f.contains(Feature.MOUNT_NS)
        && !f.contains(Feature.OVERLAY)) {
      set(
          BannerKind.INFO,
          "No root and no mount namespace of its own (level 00): the container's mount table is the host's, mount for mount. Level 01 gives it a root.");
    } else if (leaked > 0 && !f.contains(Feature.MOUNT_NS)) {
      set(
          BannerKind.LEAK,
          "Leaked: the container's "
              + words(leakedPoints)
              + (leaked > leakedPoints.size() ? " and more" : "")
              + " are in the host's own mount table too. chroot changed its root, not its mount namespace; level 02 keeps them inside.");
    } else if (f.contains(Feature.PIVOT_ROOT) || f.contains(Feature.OVERLAY)) {
      set(
          BannerKind.INFO,
          "pivot_root: the container's tree starts at its own root"
              + (f.contains(Feature.OVERLAY) ? " (an overlay: see the Filesystem tab)" : "")
              + ", and the old root is detached: "
              + (notSeen > 0
                  ? notSeen + " of the host's mounts are not in it."
                  : "none of the host's mounts are in it."));
    } else if (f.contains(Feature.MOUNT_NS)) {
      set(
          BannerKind.INFO,
          "Own mount namespace: "
              + (onlyHere > 0 ? count(onlyHere, "mount") + " only in the container, " : "")
              + "none of them in the host's table. Its root is still a chroot, and the host's tree is still in its namespace, out of sight.");
    } else {
      set(BannerKind.INFO, "chroot only: no mount namespace of its own.");
    }
  }

  /** Shows a failure of the view's own (an export) in the banner. */
  public void report(String message) {
    set(BannerKind.INFO, message);
  }

  private void set(BannerKind kind, String text) {
    bannerKind.set(kind);
    banner.set(text);
  }

  /** "/proc, /sys and /dev". */
  private static String words(List<String> items) {
    if (items.size() <= 1) {
      return items.isEmpty() ? "mounts" : items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " and "
        + items.get(items.size() - 1);
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private static boolean contains(String s, String lowerNeedle) {
    return s != null && s.toLowerCase(Locale.ROOT).contains(lowerNeedle);
  }
}
