package org.glasshouse.app.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app finds the installed service (the Debian package's glasshouse.socket) in a fixture file
 * system root and never starts a helper next to it; a helper that already answers counts too.
 */
class HelperLocatorTest {

  @TempDir Path root;
  @TempDir Path sockets;

  private Path socket() {
    return sockets.resolve("helper.sock");
  }

  private void install(String unitDir) throws IOException {
    Path unit = root.resolve(unitDir).resolve("glasshouse.socket");
    Files.createDirectories(unit.getParent());
    Files.writeString(unit, "[Socket]\nListenStream=/run/glasshouse/helper.sock\n");
  }

  private void systemdRuns() throws IOException {
    Files.createDirectories(root.resolve("run/systemd/system"));
  }

  @Test
  void nothingInstalledAndNothingAnswering() {
    assertEquals(Optional.empty(), HelperLocator.service(root, socket()));
  }

  @Test
  void thePackagedSocketUnitUnderSystemdIsTheService() throws IOException {
    install("lib/systemd/system");
    systemdRuns();
    Optional<String> service = HelperLocator.service(root, socket());
    assertTrue(service.isPresent());
    assertEquals("the service is installed: systemctl status glasshouse.socket", service.get());
  }

  @Test
  void aUnitTheAdminPutInEtcCountsToo() throws IOException {
    install("etc/systemd/system");
    systemdRuns();
    assertTrue(HelperLocator.service(root, socket()).isPresent());
    assertEquals(
        Optional.of(root.resolve("etc/systemd/system/glasshouse.socket")),
        HelperLocator.socketUnit(root),
        "the admin's copy comes first, as systemd takes it");
    install("lib/systemd/system");
    assertEquals(
        Optional.of(root.resolve("etc/systemd/system/glasshouse.socket")),
        HelperLocator.socketUnit(root));
  }

  @Test
  void aUnitWhereSystemdDoesNotRunIsNoService() throws IOException {
    // A container or WSL without systemd: nothing would ever start the unit, so the app may.
    install("lib/systemd/system");
    assertEquals(Optional.empty(), HelperLocator.service(root, socket()));
  }

  @Test
  void aHelperAnsweringOnTheSocketIsOne() throws IOException {
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(socket()));
      assertEquals(
          Optional.of("a helper already answers on " + socket()),
          HelperLocator.service(root, socket()));
    }
    // Closed: the file stays, but nothing answers any more.
    assertTrue(Files.exists(socket()));
    assertEquals(Optional.empty(), HelperLocator.service(root, socket()));
  }

  @Test
  void theStarterRefusesToStartNextToTheService() throws IOException {
    install("usr/lib/systemd/system");
    systemdRuns();
    HelperStarter starter = new HelperStarter(socket(), root);
    assertTrue(starter.service().isPresent());
    IOException e = assertThrows(IOException.class, starter::start);
    assertTrue(
        e.getMessage().startsWith("not starting a helper: the service is installed"),
        e.getMessage());
  }

  @Test
  void theAppOffersNoStartButtonWhereTheServiceIsInstalled() throws IOException {
    install("lib/systemd/system");
    systemdRuns();
    FakeLabService lab = new FakeLabService();
    ConnectionViewModel vm =
        new ConnectionViewModel(
            lab, Runnable::run, Runnable::run, new HelperStarter(socket(), root));
    lab.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    assertTrue(vm.offline().get(), "Retry stays");
    assertFalse(vm.canStart().get(), "no Start next to the service");
    assertTrue(
        vm.serviceNoteProperty().get().contains("systemctl status glasshouse.socket"),
        vm.serviceNoteProperty().get());
  }

  @Test
  void withoutTheServiceTheAppOffersToStartOne() {
    FakeLabService lab = new FakeLabService();
    ConnectionViewModel vm =
        new ConnectionViewModel(
            lab, Runnable::run, Runnable::run, new HelperStarter(socket(), root));
    lab.connection(ConnectionStatus.State.UNREACHABLE, "no helper is running");
    assertTrue(vm.canStart().get());
    assertEquals("", vm.serviceNoteProperty().get());
    lab.connection(ConnectionStatus.State.CONNECTED, "connected");
    assertFalse(vm.canStart().get());
  }
}
