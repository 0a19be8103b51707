package org.glasshouse.app.glasshouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.glasshouse.app.AppViewModel;
import org.glasshouse.app.MainView;
import org.glasshouse.app.RealHelper;
import org.glasshouse.app.TestWindows;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.core.SocketLabService;
import org.glasshouse.app.glasshouse.HouseModel.GaugeModel;
import org.glasshouse.app.glasshouse.HouseModel.ProcessModel;
import org.glasshouse.app.glasshouse.HouseModel.WallModel;
import org.glasshouse.client.HelperClient;
import org.glasshouse.protocol.Op;
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
 * The glass house in the main window against a REAL helper (a child {@code glasshouse helper} on a
 * temporary socket and state dir, real containers from the busybox image): what a student sees at
 * each level, asserted on the drawn nodes and on the picture's model. Needs root and the image;
 * skips with the reason otherwise.
 */
@Tag("root")
@ExtendWith(ApplicationExtension.class)
class GlassHouseRealHelperTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PseudoClass OWN = PseudoClass.getPseudoClass("own");
  private static Path dir;
  private static Path socket;
  private static RealHelper helper;
  private SocketLabService lab;
  private MainView view;
  private AppViewModel vm;
  private final List<String> started = new ArrayList<>();

  @BeforeAll
  static void startHelper() throws IOException {
    helper = RealHelper.start("GlassHouseRealHelperTest");
    dir = helper.dir();
    socket = helper.socket();
  }

  @AfterAll
  static void stopHelper() throws IOException {
    if (helper != null) {
      helper.close();
    }
  }

  @Start
  void start(Stage stage) throws IOException {
    lab = new SocketLabService(socket);
    vm = TestWindows.viewModel(lab, dir.resolve("progress"), socket);
    view = new MainView(vm);
    Scene scene = new Scene(view.root(), 1366, 768);
    view.install(scene);
    stage.setScene(scene);
    stage.show();
    lab.start();
  }

  @AfterEach
  void removeContainers() throws Exception {
    for (String id : started) {
      try {
        lab.remove(id, true).get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Already gone (an OOM-killed container removed by the test itself).
      }
    }
    lab.close();
  }

  // ---- the lessons -------------------------------------------------------------------------

  @Test
  void level00HasNoNamespaceWalls(FxRobot robot) throws Exception {
    String id = run(robot, 0, "sleep 60", null);
    HouseModel h =
        await(
            "the level 00 process with its namespaces read",
            id,
            x -> !x.processes().isEmpty() && x.walls().stream().allMatch(w -> w.inode() != null));
    assertTrue(h.walls().stream().noneMatch(WallModel::standing), h.walls().toString());
    List<Node> walls = wallNodes(robot);
    assertEquals(NsType.values().length, walls.size(), "every wall has its place, open");
    assertTrue(walls.stream().noneMatch(n -> n.getPseudoClassStates().contains(OWN)));
    assertTrue(
        walls.stream()
            .noneMatch(n -> n.getStyleClass().stream().anyMatch(c -> c.matches("ns-c\\d"))),
        "open walls are in the host's colour");
  }

  @Test
  void level05RaisesUtsAndIpcWallsInColoursOtherThanTheHosts(FxRobot robot) throws Exception {
    String id = run(robot, 5, "sleep 60", null);
    HouseModel h =
        await(
            "the UTS and IPC walls",
            id,
            x ->
                x.wall(NsType.UTS).standing()
                    && x.wall(NsType.IPC).standing()
                    && x.wall(NsType.UTS).inode() != null);
    WallModel uts = h.wall(NsType.UTS);
    WallModel ipc = h.wall(NsType.IPC);
    assertTrue(uts.colour() >= 0 && ipc.colour() >= 0, "a colour of their own, not the host's");
    assertNotEquals(uts.colour(), ipc.colour());
    assertFalse(h.wall(NsType.PID).standing() || h.wall(NsType.NET).standing());
    Node utsNode = wall(robot, NsType.UTS);
    Node ipcNode = wall(robot, NsType.IPC);
    assertTrue(utsNode.getPseudoClassStates().contains(OWN));
    assertTrue(utsNode.getStyleClass().contains("ns-c" + uts.colour()), utsNode.toString());
    assertTrue(ipcNode.getStyleClass().contains("ns-c" + ipc.colour()), ipcNode.toString());
    assertFalse(wall(robot, NsType.PID).getPseudoClassStates().contains(OWN));
  }

  @Test
  void level06ShowsHostPidToOneAndAnExecJoinsTheSameWalls(FxRobot robot) throws Exception {
    String id = run(robot, 6, "sleep 60", null);
    HouseModel h =
        await(
            "PID 1 of the container's own PID namespace",
            id,
            x -> x.processes().stream().anyMatch(p -> p.nsPid() != null && p.nsPid() == 1));
    ProcessModel one =
        h.processes().stream().filter(p -> p.nsPid() != null && p.nsPid() == 1).findFirst().get();
    assertNotEquals(1L, one.hostPid(), "the host knows it by another number");
    assertTrue(h.wall(NsType.PID).standing());
    // Another client execs into it, as `glasshouse exec` does.
    String exec;
    try (HelperClient other = HelperClient.connect(socket, "glasshouse-test", e -> {})) {
      ObjectNode req = JSON.createObjectNode().put("container", id).put("attach", false);
      req.set(
          "spec", JSON.createObjectNode().set("argv", JSON.valueToTree(List.of("sleep", "30"))));
      exec = other.call(Op.EXEC, req).path("container").asText();
    }
    HouseModel joined =
        await(
            "the exec's process inside the container's walls",
            id,
            x ->
                x.processes().stream()
                    .anyMatch(p -> exec.equals(p.exec()) && p.nsPid() != null && p.nsPid() > 1));
    assertEquals(h.wall(NsType.PID).number(), joined.wall(NsType.PID).number(), "the same wall");
    assertTrue(
        WaitForAsyncUtils.asyncFx(() -> vm.glassHouse().scene().houses().size())
                .get(5, TimeUnit.SECONDS)
            >= 1);
    awaitNodes(robot, "the exec drawn in the process room", "#glass-house .gh-exec", 1);
  }

  @Test
  void level09MemoryHogFillsTheGaugeAndShowsTheOomKill(FxRobot robot) throws Exception {
    String hog =
        // awk keeps one more MiB every 0.2 s: usage climbs in even steps to the limit (a shell's
        // y="$y$x" copies its string, so its usage saws and the samples can miss the top).
        "awk 'BEGIN { s = sprintf(\"%1048576s\", \"\"); for (i = 0; i < 64; i++)"
            + " { a[i] = s i; system(\"usleep 200000\") } }'";
    String id = run(robot, 9, hog, "32");
    HouseModel h =
        await(
            "the memory gauge at the limit and the OOM marker",
            id,
            x -> "OOM-killed".equals(x.gauge("memory").alarm()),
            60);
    GaugeModel m = h.gauge("memory");
    assertTrue(m.limited());
    assertEquals("32.0 MiB", m.max());
    assertTrue(m.peak() >= 0.9, "usage came to the limit: " + m.peak());
    PseudoClass alarm = PseudoClass.getPseudoClass("alarm");
    awaitTrue(
        "the OOM marker drawn on the memory gauge",
        () ->
            robot.lookup("#glass-house .gh-gauge-memory").queryAll().stream()
                .anyMatch(n -> n.getPseudoClassStates().contains(alarm)),
        20);
  }

  @Test
  void replayRaisesTheWallsInStepOrder(FxRobot robot) throws Exception {
    String id = run(robot, 12, "sleep 60", null);
    await(
        "every wall of level 12",
        id,
        x -> x.walls().stream().filter(WallModel::standing).count() == 6);
    List<NsType> order = new ArrayList<>();
    robot.interact(
        () -> {
          vm.glassHouse()
              .sceneProperty()
              .addListener(
                  (o, a, s) -> {
                    HouseModel x = s.house(id);
                    if (x == null || !s.replaying()) {
                      return;
                    }
                    for (WallModel w : x.walls()) {
                      if (w.standing() && !order.contains(w.type())) {
                        order.add(w.type());
                      }
                    }
                  });
          vm.glassHouse().speed(4);
          vm.glassHouse().replay();
        });
    assertTrue(WaitForAsyncUtils.asyncFx(() -> vm.glassHouse().scene().playing()).get());
    awaitTrue("the replay's end", () -> !vm.glassHouse().scene().playing(), 60);
    assertEquals(
        List.of(NsType.MNT, NsType.UTS, NsType.IPC, NsType.PID, NsType.NET, NsType.CGROUP), order);
    robot.interact(() -> vm.glassHouse().live());
  }

  @Test
  void exportWritesAPngOfThePictureAtTwiceItsSize(FxRobot robot) throws Exception {
    String id = run(robot, 5, "sleep 60", null);
    await("the UTS wall", id, x -> x.wall(NsType.UTS).standing() && !x.processes().isEmpty());
    Path png = dir.resolve("glass-house.png");
    double[] size = new double[2];
    WaitForAsyncUtils.asyncFx(
            () -> {
              Node pic = view.glassHouse().picture();
              // A snapshot lays the scene out first (a process chip that arrived since the last
              // pulse changes the size): measure after the same pass.
              pic.getScene().getRoot().applyCss();
              pic.getScene().getRoot().layout();
              // A snapshot covers the node's local bounds (strokes and shadows included).
              size[0] = pic.getBoundsInLocal().getWidth();
              size[1] = pic.getBoundsInLocal().getHeight();
              view.glassHouse().exportPng(png);
              return null;
            })
        .get(20, TimeUnit.SECONDS);
    assertTrue(Files.size(png) > 1000, "a non-empty file: " + Files.size(png));
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(size[0] * PictureExport.SCALE, img.getWidth(), 2.0);
    assertEquals(size[1] * PictureExport.SCALE, img.getHeight(), 2.0);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 7) {
      for (int x = 0; x < img.getWidth(); x += 7) {
        colours.add(img.getRGB(x, y));
      }
    }
    assertTrue(colours.size() > 20, "a drawn picture, not a blank: " + colours.size());
  }

  // ---- driving and reading -----------------------------------------------------------------

  /** Runs {@code command} at {@code level} from the run panel; returns the container's id. */
  private String run(FxRobot robot, int level, String command, String memoryMib) throws Exception {
    awaitTrue("the connection", () -> lab.status().connected(), 30);
    ContainerItem item =
        WaitForAsyncUtils.asyncFx(
                () -> {
                  vm.levels().select(level);
                  vm.run().commandProperty().set(command);
                  vm.run().memoryMibProperty().set(memoryMib == null ? "" : memoryMib);
                  vm.run().memorySwapMibProperty().set(memoryMib == null ? "" : memoryMib);
                  return vm.run().run();
                })
            .get(10, TimeUnit.SECONDS)
            .get(60, TimeUnit.SECONDS);
    started.add(item.id());
    robot.interact(() -> vm.containers().selectedProperty().set(item));
    robot.clickOn("#glasshouse-tab");
    return item.id();
  }

  private HouseModel await(String what, String id, Predicate<HouseModel> p) throws Exception {
    return await(what, id, p, 30);
  }

  private HouseModel await(String what, String id, Predicate<HouseModel> p, int seconds)
      throws Exception {
    HouseModel[] last = {null};
    try {
      WaitForAsyncUtils.waitFor(
          seconds,
          TimeUnit.SECONDS,
          () ->
              WaitForAsyncUtils.asyncFx(
                      () -> {
                        last[0] = vm.glassHouse().scene().house(id);
                        return last[0] != null && p.test(last[0]);
                      })
                  .get());
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting for " + what + "; last: " + last[0]);
    }
    WaitForAsyncUtils.waitForFxEvents();
    return last[0];
  }

  private static void awaitTrue(String what, java.util.function.BooleanSupplier c, int seconds)
      throws Exception {
    try {
      WaitForAsyncUtils.waitFor(
          seconds, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c::getAsBoolean).get());
    } catch (TimeoutException e) {
      throw new AssertionError("timed out waiting for " + what);
    }
  }

  private static void awaitNodes(FxRobot robot, String what, String query, int atLeast)
      throws Exception {
    awaitTrue(
        what + " (" + query + ")", () -> robot.lookup(query).queryAll().size() >= atLeast, 20);
  }

  private static List<Node> wallNodes(FxRobot robot) {
    return new ArrayList<>(robot.lookup("#glass-house .ns-wall").queryAll());
  }

  private static Node wall(FxRobot robot, NsType t) {
    return robot.lookup("#glass-house .ns-wall.ns-type-" + t.wire()).query();
  }
}
