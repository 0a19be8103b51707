package org.glasshouse.app.mounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.Scene;
import javafx.scene.control.TreeItem;
import javafx.stage.Stage;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.Fx;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Navigator;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.presenter.Appearance;
import org.glasshouse.protocol.inspect.MountsResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The host's tree of the 1,000-mount fixture in a real (headless) window, through its five live
 * changes: rows are updated in place — the same tree items, the selection and a collapsed branch
 * survive every change — and the export writes what the trees show.
 */
@ExtendWith(ApplicationExtension.class)
class MountTreeViewTest {
  private final FakeLabService lab = new FakeLabService();
  private MountsViewModel vm;
  private MountsView view;

  @Start
  void start(Stage stage) {
    vm = new MountsViewModel(lab, Fx.EXECUTOR, id -> null);
    view = new MountsView(vm, new Navigator());
    view.node().getStyleClass().add("glasshouse");
    Scene scene = new Scene(view.node(), 1200, 700);
    new Appearance(scene);
    stage.setScene(scene);
    stage.show();
  }

  private void emit(LabEvent e) {
    lab.emit(e);
    WaitForAsyncUtils.waitForFxEvents();
  }

  @Test
  void liveChangesTouchRowsNotTheTree(FxRobot robot, @TempDir Path tmp) throws Exception {
    Recording r = Recording.load("host-mounts-1000");
    List<LabEvent.Mounts> events = r.events(LabEvent.Mounts.class);
    robot.interact(() -> vm.setActive(true));
    // The mounts host reply carries leakedFrom; the events that follow change that table.
    emit(MountsFixtures.hostTable(r.mountsResults().get("host").entries()));
    MountTreeView host = view.tree(Side.HOST);
    MountTable table = vm.hostTable();
    assertTrue(table.size() >= 1000);

    // A student selects a leaked mount and folds away a big branch.
    MountsResult.Mount leaked =
        table.all().stream().filter(m -> m.leakedFrom() != null).findFirst().orElseThrow();
    MountsResult.Mount folded =
        table.all().stream()
            .max(java.util.Comparator.comparingInt(m -> table.children(m.id()).size()))
            .orElseThrow();
    assertTrue(table.children(folded.id()).size() > 10, "a big branch: " + folded.mountPoint());
    robot.interact(
        () -> {
          vm.selectionProperty().set(new MountsViewModel.Selection(Side.HOST, leaked.id()));
          host.item(folded.id()).setExpanded(false);
        });
    Map<Integer, TreeItem<MountTreeView.Row>> before = new HashMap<>();
    table.all().forEach(m -> before.put(m.id(), host.item(m.id())));
    TreeItem<MountTreeView.Row> selected = host.node().getSelectionModel().getSelectedItem();
    assertSame(before.get(leaked.id()), selected);

    for (LabEvent.Mounts e : events.subList(1, events.size())) {
      emit(MountsFixtures.asHost(e));
      MountsResult.Diff d = e.mounts().diff();
      for (MountsResult.Mount gone : d.removed()) {
        assertNull(host.item(gone.id()), "a removed mount's row is gone");
      }
      for (MountsResult.Mount added : d.added()) {
        TreeItem<MountTreeView.Row> it = host.item(added.id());
        assertNotNull(it, "a new mount has a row");
        assertNotNull(it.getParent(), "…in the tree: " + added.mountPoint());
      }
    }
    int kept = 0;
    for (Map.Entry<Integer, TreeItem<MountTreeView.Row>> b : before.entrySet()) {
      if (table.get(b.getKey()) != null) {
        assertSame(
            b.getValue(), host.item(b.getKey()), "the row of " + b.getKey() + " was rebuilt");
        kept++;
      }
    }
    assertTrue(kept > 990, "kept " + kept);
    assertSame(selected, host.node().getSelectionModel().getSelectedItem(), "selection kept");
    assertFalse(host.item(folded.id()).isExpanded(), "the folded branch stays folded");
    assertEquals(Mark.LEAKED, host.item(leaked.id()).getValue().mark());

    // The search narrows the tree without dropping the items; clearing it restores them.
    robot.interact(() -> vm.filterProperty().set("/snap/"));
    int shown = countShown(host.node().getRoot());
    assertTrue(shown > 0 && shown < table.size() / 2, "shown " + shown);
    robot.interact(() -> vm.filterProperty().set(""));
    assertSame(selected, host.item(leaked.id()));

    Path text = tmp.resolve("mounts.txt");
    Path png = tmp.resolve("mounts.png");
    robot.interact(
        () -> {
          try {
            view.saveText(text);
            view.savePng(png);
          } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
          }
        });
    String written = Files.readString(text);
    assertTrue(written.contains("leaked into the host"), written.substring(0, 400));
    assertTrue(written.lines().count() > table.size(), "the host's whole tree and the headers");
    byte[] head = Files.readAllBytes(png);
    assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G');
  }

  private static int countShown(TreeItem<?> item) {
    int n = 0;
    for (TreeItem<?> c : item.getChildren()) {
      n += 1 + countShown(c);
    }
    return n;
  }
}
