package org.glasshouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javafx.css.PseudoClass;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TreeTableRow;
import javafx.stage.Stage;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.core.SocketLabService;
import org.glasshouse.app.filesystem.UpperDirModel;
import org.glasshouse.app.mounts.Mark;
import org.glasshouse.app.mounts.MountTable;
import org.glasshouse.app.mounts.MountsViewModel;
import org.glasshouse.app.mounts.Side;
import org.glasshouse.protocol.StepEntry;
import org.glasshouse.protocol.inspect.MountsResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The lessons of levels 01-04 in the Mounts and Filesystem tabs, against a REAL helper making real
 * containers: each test runs the level as a student would (level, command, Run) and waits for the
 * tab to show the lesson, live.
 */
@Tag("root")
@ExtendWith(ApplicationExtension.class)
class MountsRealHelperTest {
  private static final PseudoClass LEAKED = PseudoClass.getPseudoClass("leaked");
  private static RealHelper helper;
  private SocketLabService lab;
  private MainView view;
  private AppViewModel vm;

  @BeforeAll
  static void startHelper() throws Exception {
    helper = RealHelper.start("MountsRealHelperTest");
  }

  @AfterAll
  static void stopHelper() throws Exception {
    if (helper != null) {
      helper.close();
    }
  }

  @Start
  void start(Stage stage) {
    lab = new SocketLabService(helper.socket());
    vm = TestWindows.viewModel(lab, helper.dir().resolve("progress"), helper.socket());
    view = new MainView(vm);
    Scene scene = new Scene(view.root(), 1366, 768);
    view.install(scene);
    stage.setScene(scene);
    stage.show();
    lab.start();
  }

  @AfterEach
  void closeClient() throws Exception {
    // Runs are unattached: closing the client no longer ends them, and the helper is shared by
    // the class: remove them, or the next test's window lists (and may select) this one's.
    WaitForAsyncUtils.asyncFx(() -> vm.close(true))
        .get(10, TimeUnit.SECONDS)
        .get(60, TimeUnit.SECONDS);
    lab.close();
  }

  /** Waits up to a minute: a first start on a busy machine copies and extracts the image. */
  private void await(FxRobot robot, String what, BooleanSupplier condition) {
    try {
      WaitForAsyncUtils.waitFor(
          60, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition::getAsBoolean).get());
    } catch (TimeoutException e) {
      throw new AssertionError(
          "timed out waiting for "
              + what
              + "; banner: "
              + robot.lookup("#mounts-banner-text").queryAs(Label.class).getText()
              + "; error: "
              + robot.lookup("#error").queryAs(Label.class).getText());
    }
  }

  /** Runs {@code command} at {@code level} from the run panel; the Mounts tab in front. */
  private ContainerItem run(FxRobot robot, int level, String command) {
    MainWindowDriver d = new MainWindowDriver(robot, view, vm);
    d.await("the connection to the helper", () -> d.connectionText().startsWith("connected"));
    d.selectLevel(level);
    d.typeCommand(command);
    d.click("#run");
    d.click("#mounts-tab");
    await(
        robot,
        "a running container",
        () -> d.selectedContainer() != null && d.selectedContainer().state().live());
    return d.selectedContainer();
  }

  private static MountsResult.Mount at(MountTable t, String point) {
    return t.all().stream().filter(m -> m.mountPoint().equals(point)).findFirst().orElse(null);
  }

  private Set<String> visibleLeakedRows(FxRobot robot) {
    return robot.lookup("#host-mounts .tree-table-row-cell").queryAllAs(TreeTableRow.class).stream()
        .filter(r -> r.getPseudoClassStates().contains(LEAKED) && r.getTreeItem() != null)
        .map(r -> ((TreeTableRow<?>) r).getTreeItem().getValue().toString())
        .collect(Collectors.toSet());
  }

  private static boolean hasRow(javafx.scene.control.TreeItem<?> item, String path) {
    for (javafx.scene.control.TreeItem<?> c : item.getChildren()) {
      if ((c.getValue() instanceof UpperDirModel.Entry e && e.raw().path().equals(path))
          || hasRow(c, path)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void level01TheProcMountLeaksIntoTheHostsTreeAndGoesWithTheContainer(FxRobot robot) {
    ContainerItem c = run(robot, 1, "sleep 600");
    MountsViewModel m = vm.mounts();
    await(
        robot,
        "the container's /proc marked leaked in both trees",
        () -> {
          MountsResult.Mount proc = at(m.containerTable(), "/proc");
          Integer twin = proc == null ? null : m.pair(Side.CONTAINER, proc.id());
          return twin != null
              && m.mark(Side.HOST, twin) == Mark.LEAKED
              && m.hostTable().get(twin).mountPoint().endsWith(c.id() + "/rootfs/proc");
        });
    await(
        robot, "a leaked row shown in the host's tree", () -> !visibleLeakedRows(robot).isEmpty());
    String banner = robot.lookup("#mounts-banner-text").queryAs(Label.class).getText();
    assertTrue(banner.startsWith("Leaked"), banner);

    // Both ways: the /proc mount names its step; selecting that step in the step log selects it.
    MountsResult.Mount proc = at(m.containerTable(), "/proc");
    assertNotNull(proc.step(), "the helper traced /proc to its step: " + proc);
    StepEntry step =
        c.steps().stream().filter(s -> s.seq() == proc.step()).findFirst().orElseThrow();
    assertEquals("mount", step.call());
    assertTrue(step.args().startsWith("\"proc\""), step.args());
    robot.interact(() -> m.selectionProperty().set(null));
    robot.clickOn("#step-log-tab");
    robot.interact(() -> vm.stepLog().select(step.seq()));
    await(
        robot,
        "the step's mount selected",
        () ->
            m.selectionProperty().get() != null
                && m.selectionProperty().get().id() == proc.id()
                && m.detailProperty().get().stepText().startsWith("#" + step.seq()));
    robot.clickOn("#mounts-tab");
    String raw = robot.lookup("#mount-raw").queryAs(javafx.scene.control.TextField.class).getText();
    assertTrue(raw.startsWith(proc.id() + " "), raw);

    robot.interact(() -> vm.containers().removeSelected());
    await(
        robot,
        "the leak gone from the host's table",
        () -> m.hostTable().all().stream().noneMatch(x -> c.id().equals(x.leakedFrom())));
    await(robot, "no leaked row in the host's tree", () -> visibleLeakedRows(robot).isEmpty());
  }

  @Test
  void level02ATmpfsMountedInsideShowsInTheContainersTreeOnly(FxRobot robot) {
    ContainerItem c = run(robot, 2, "/bin/sh -c 'mount -t tmpfs none /tmp; exec sleep 600'");
    MountsViewModel m = vm.mounts();
    await(
        robot,
        "the container's own /tmp",
        () -> {
          MountsResult.Mount tmp = at(m.containerTable(), "/tmp");
          return tmp != null
              && tmp.fsType().equals("tmpfs")
              && m.mark(Side.CONTAINER, tmp.id()) == Mark.ONLY_CONTAINER
              && !m.hostTable().isEmpty();
        });
    assertTrue(
        m.hostTable().all().stream().noneMatch(x -> x.mountPoint().contains(c.id())),
        "nothing of the container in the host's table");
    MountsResult.Mount tmp = at(m.containerTable(), "/tmp");
    assertEquals(null, tmp.step(), "the workload mounted it, no start step");
    robot.interact(() -> vm.containers().removeSelected());
  }

  @Test
  void level03TheHostsRootFilesystemIsAbsentFromTheContainersTree(FxRobot robot) {
    run(robot, 3, "sleep 600");
    MountsViewModel m = vm.mounts();
    await(
        robot,
        "both trees",
        () -> at(m.containerTable(), "/") != null && at(m.hostTable(), "/") != null);
    MountsResult.Mount hostRoot = at(m.hostTable(), "/");
    assertEquals(Mark.NOT_IN_CONTAINER, m.mark(Side.HOST, hostRoot.id()));
    List<MountsResult.Mount> same =
        m.containerTable().all().stream()
            .filter(x -> x.device().equals(hostRoot.device()) && x.root().equals(hostRoot.root()))
            .toList();
    assertTrue(same.isEmpty(), "the host's root filesystem is in the container's tree: " + same);
    MountsResult.Mount root = at(m.containerTable(), "/");
    assertNotNull(root.step(), "the bind-root step made the container's /");
    robot.interact(() -> vm.containers().removeSelected());
  }

  @Test
  void level04ANewFileAWhiteoutAndACopyUpInTheUpperView(FxRobot robot) throws Exception {
    ContainerItem c =
        run(
            robot,
            4,
            "/bin/sh -c 'echo x > /new; rm /bin/ls; sleep 2; echo more >> /usr/share/big-file;"
                + " exec sleep 600'");
    robot.clickOn("#filesystem-tab");
    UpperDirModel upper = vm.filesystem().upper();
    await(
        robot,
        "a new file, a whiteout and a copy-up in the upper view",
        () ->
            upper.get("new") != null
                && upper.get("new").kind() == UpperDirModel.Kind.NEW
                && upper.get("bin/ls") != null
                && upper.get("bin/ls").kind() == UpperDirModel.Kind.WHITEOUT
                && upper.get("usr/share/big-file") != null);
    UpperDirModel.Entry big = upper.get("usr/share/big-file");
    assertEquals(UpperDirModel.Kind.COPIED_UP, big.kind());
    assertTrue(big.raw().size() > 16L << 20, big.toString());
    Label copyUp = robot.lookup("#copy-up").queryAs(Label.class);
    assertTrue(
        copyUp.isVisible() && copyUp.getText().startsWith("/usr/share/big-file: 16.0 MiB"),
        copyUp.getText());
    javafx.scene.control.TreeTableView<?> tree =
        robot.lookup("#upper-tree").queryAs(javafx.scene.control.TreeTableView.class);
    assertTrue(
        WaitForAsyncUtils.asyncFx(() -> hasRow(tree.getRoot(), "bin/ls")).get(),
        "the whiteout has a row in the upper tree");
    assertTrue(vm.filesystem().upperDirProperty().get().endsWith(c.id() + "/upper"));
    robot.interact(() -> vm.containers().removeSelected());
  }
}
