package org.glasshouse.app.filesystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.glasshouse.app.containers.ContainerItem;
import org.glasshouse.app.containers.ContainersViewModel;
import org.glasshouse.app.core.FakeLabService;
import org.glasshouse.app.core.LabEvent;
import org.glasshouse.app.core.Recording;
import org.glasshouse.app.mounts.MountsFixtures;
import org.glasshouse.protocol.inspect.UpperDirEntry;
import org.glasshouse.protocol.inspect.UpperEvent;
import org.junit.jupiter.api.Test;

/** The upper dir's model and the Filesystem tab's, from level 04's recorded listing. */
class UpperDirModelTest {
  private static final UpperEvent.Layers LAYERS =
      new UpperEvent.Layers(
          List.of("/s/images/busybox/rootfs"), "/s/c/upper", "/s/c/work", "/s/c/merged");

  /** The recorded `inspect --upper` of `echo x > /new; rm /bin/ls`, as a first upper event. */
  private static UpperEvent recorded() {
    Recording r = Recording.load("level-04");
    List<UpperDirEntry> listing = r.inspectResults().get(MountsFixtures.containerId(r)).upperDir();
    List<UpperDirEntry> withImage = new ArrayList<>();
    for (UpperDirEntry e : listing) {
      // The recording predates inLower: the image has /bin and /bin/ls, not /new.
      boolean inImage = !e.path().equals("new");
      withImage.add(
          new UpperDirEntry(
              e.path(),
              e.kind(),
              e.size(),
              e.uid(),
              e.gid(),
              e.mode(),
              e.opaque(),
              inImage,
              1L,
              null));
    }
    return new UpperEvent(
        42,
        withImage.size(),
        false,
        LAYERS,
        new UpperEvent.Diff("none", withImage, List.of(), List.of()));
  }

  private static UpperDirEntry file(
      String path, long size, boolean inLower, long born, long changed) {
    return new UpperDirEntry(path, "file", size, 0, 0, "0644", null, inLower, changed, born);
  }

  @Test
  void aNewFileAWhiteoutAndTheDirHoldingItAreTold() {
    UpperDirModel m = new UpperDirModel();
    UpperDirModel.Change c = m.apply(recorded());
    assertEquals(3, c.added().size());
    assertEquals(UpperDirModel.Kind.NEW, m.get("new").kind());
    assertEquals(UpperDirModel.Kind.WHITEOUT, m.get("bin/ls").kind());
    assertEquals(UpperDirModel.Kind.MERGED_DIR, m.get("bin").kind());
    assertEquals(List.of("new", "bin"), m.roots());
    assertEquals(List.of("bin/ls"), m.children("bin"));
    UpperDirModel.Counts n = m.counts();
    assertEquals(1, n.created());
    assertEquals(1, n.deleted());
    assertEquals(0, n.copiedUp());
    assertEquals(LAYERS, m.layers());
  }

  @Test
  void aCopyUpIsTimedWhenFirstSeenAndKeepsThatTime() {
    UpperDirModel m = new UpperDirModel();
    m.apply(recorded());
    long born = 1_796_152_158_569_741_276L;
    UpperDirEntry big = file("usr/share/big-file", 16L << 20, true, born, born + 72_000_000L);
    UpperDirModel.Change c =
        m.apply(
            new UpperEvent(
                42,
                4,
                false,
                LAYERS,
                new UpperEvent.Diff("previous", List.of(big), List.of(), List.of())));
    assertEquals(java.util.Set.of("usr/share/big-file"), c.added());
    UpperDirModel.Entry e = m.get("usr/share/big-file");
    assertEquals(UpperDirModel.Kind.COPIED_UP, e.kind());
    assertEquals(72_000_000L, e.copyUpNanos());
    assertEquals(e, m.lastCopyUp());
    assertEquals(16L << 20, m.counts().copiedUpBytes());
    // A later write moves its change time, not the copy's.
    UpperDirEntry written =
        file("usr/share/big-file", (16L << 20) + 5, true, born, born + 9_000_000_000L);
    c =
        m.apply(
            new UpperEvent(
                42,
                4,
                false,
                LAYERS,
                new UpperEvent.Diff("previous", List.of(), List.of(), List.of(written))));
    assertEquals(java.util.Set.of("usr/share/big-file"), c.updated());
    assertEquals(72_000_000L, m.get("usr/share/big-file").copyUpNanos());
    assertTrue(
        FilesystemViewModel.copyUpText(m.lastCopyUp())
            .startsWith("/usr/share/big-file: 16.0 MiB copied up from the image in 72.0 ms"),
        FilesystemViewModel.copyUpText(m.lastCopyUp()));
    // Without birth times, the copy is there, its time unknown.
    UpperDirModel.Entry unknown =
        UpperDirModel.classify(
            new UpperDirEntry("etc/passwd", "file", 132, 0, 0, "0644", null, true, 5L, null), null);
    assertNull(unknown.copyUpNanos());
  }

  @Test
  void aFullEventReplacesWhatWasThere() {
    UpperDirModel m = new UpperDirModel();
    m.apply(recorded());
    UpperDirModel.Change c =
        m.apply(
            new UpperEvent(
                42,
                1,
                false,
                LAYERS,
                new UpperEvent.Diff(
                    "none", List.of(file("new", 2, false, 1, 2)), List.of(), List.of())));
    assertEquals(java.util.Set.of("bin", "bin/ls"), c.removed());
    assertEquals(List.of("new"), m.roots());
  }

  /** The tab follows the upper dir only for a running overlay container, and only while shown. */
  @Test
  void theTabSubscribesForOverlayContainersAndSaysPlainlyWhenThereIsNone() {
    FakeLabService lab = new FakeLabService();
    ContainersViewModel containers = new ContainersViewModel(lab, Runnable::run);
    FilesystemViewModel vm = new FilesystemViewModel(lab, Runnable::run);
    ContainerItem level01 = MountsFixtures.run(Recording.load("level-01"), lab, containers);
    vm.setActive(true);
    vm.show(level01);
    assertTrue(
        lab.requests.stream().noneMatch(q -> q.contains(" upper ")), lab.requests.toString());
    assertTrue(
        vm.bannerProperty().get().startsWith("No overlay (levels 01–03)"),
        vm.bannerProperty().get());

    Recording r = Recording.load("level-04");
    ContainerItem level04 = MountsFixtures.run(r, lab, containers);
    vm.show(level04);
    assertTrue(
        lab.requests.contains("subscribe " + level04.id() + " upper 500"), lab.requests.toString());
    lab.emit(new LabEvent.Upper(level04.id(), recorded()));
    assertEquals("/s/c/upper", vm.upperDirProperty().get());
    assertEquals("1 new · 0 copied up · 1 deleted · 0 opaque dirs", vm.summaryProperty().get());
    assertEquals("", vm.copyUpProperty().get());
    lab.emit(new LabEvent.Upper("someone-else", recorded()));
    assertEquals(3, vm.upper().entries().size());
    vm.setActive(false);
    assertTrue(
        lab.requests.stream().anyMatch(q -> q.startsWith("unsubscribe")), lab.requests.toString());
  }
}
