package org.glasshouse.helper.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.ProtocolException;
import org.glasshouse.protocol.RunSpec;
import org.junit.jupiter.api.Test;

class ValidationTest {

  private static RunSpec spec(
      String image, List<String> argv, Map<String, String> env, Integer level, Limits limits) {
    return RunSpec.builder().image(image).argv(argv).env(env).level(level).limits(limits).build();
  }

  private static String rejected(RunSpec s) {
    return assertThrows(
            ProtocolException.class, () -> Validation.spec(IntNode.valueOf(1), s, false))
        .getMessage();
  }

  @Test
  void aPlainLevelZeroSpecPasses() throws ProtocolException {
    RunSpec s = spec(null, List.of("/bin/true"), Map.of("PATH", "/bin"), 0, null);
    assertEquals(s, Validation.spec(IntNode.valueOf(1), s, false));
  }

  @Test
  void eachRuleNamesItsField() {
    assertEquals(
        "field 'spec.argv' must name a command (non-empty)",
        rejected(spec(null, List.of(), null, 0, null)));
    assertEquals(
        "field 'spec.argv[1]' must not contain a NUL character",
        rejected(spec(null, List.of("echo", "a\0b"), null, 0, null)));
    assertEquals(
        "field 'spec.env.1BAD' is not a valid variable name",
        rejected(spec(null, List.of("true"), Map.of("1BAD", "x"), 0, null)));
    assertEquals(
        "field 'spec.image' must match [a-z0-9][a-z0-9._-]{0,63}",
        rejected(spec("../../etc", List.of("true"), null, 1, null)));
    assertEquals(
        "field 'spec.image' is required from level 01 on (features [CHROOT, PSEUDO_FS])",
        rejected(spec(null, List.of("true"), null, 1, null)));
    assertEquals(
        "field 'spec.level' must be between 0 and 13, got 14",
        rejected(spec("busybox", List.of("true"), null, 14, null)));
    assertEquals(
        "field 'spec.limits.memoryBytes' must be between 1048576 and 1099511627776, got -1",
        rejected(spec(null, List.of("true"), null, 0, new Limits(-1L, null, null, null, null))));
    assertEquals(
        "field 'spec.limits.memorySwapBytes' must be between 67108864 and 2199023255552, got"
            + " 1048576",
        rejected(
            spec(
                null,
                List.of("true"),
                null,
                0,
                new Limits(64L << 20, 1L << 20, null, null, null))));
    assertEquals(
        "field 'spec.limits.cpus' must be > 0 and at most 1024",
        rejected(spec(null, List.of("true"), null, 0, new Limits(null, null, null, 0.0, null))));
  }

  /**
   * The image is the root filesystem's: a run that makes none (level 00, or free play without any
   * rootfs feature) keeps no image in its record, so ps and inspect do not name one it never used.
   */
  @Test
  void anImageIsKeptOnlyWhereARootFilesystemUsesIt() throws ProtocolException {
    RunSpec zero = spec("nosuchimage", List.of("true"), null, 0, null);
    assertEquals(null, Validation.spec(IntNode.valueOf(1), zero, false).image());
    RunSpec one = spec("busybox", List.of("true"), null, 1, null);
    assertEquals("busybox", Validation.spec(IntNode.valueOf(1), one, false).image());
    RunSpec twelve = spec("busybox", List.of("true"), null, 12, null);
    assertEquals("busybox", Validation.spec(IntNode.valueOf(1), twelve, false).image());
    RunSpec utsOnly =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("true"))
            .features(Set.of(Feature.UTS_NS))
            .build();
    assertEquals(null, Validation.spec(IntNode.valueOf(1), utsOnly, false).image());
    RunSpec overlayOnly =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("true"))
            .features(Set.of(Feature.OVERLAY))
            .build();
    assertEquals("busybox", Validation.spec(IntNode.valueOf(1), overlayOnly, false).image());
  }

  @Test
  void capabilitiesAreNormalisedAndUnknownOnesRefused() throws ProtocolException {
    RunSpec s =
        RunSpec.builder()
            .image("busybox")
            .argv(List.of("true"))
            .features(Set.of(Feature.CAPABILITIES))
            .user("1000:1000")
            .hostname("box")
            .name("web")
            .capAdd(List.of("net_admin", "CAP_SYS_TIME"))
            .capDrop(List.of("CHOWN"))
            .build();
    RunSpec n = Validation.spec(IntNode.valueOf(1), s, false);
    assertEquals(List.of("CAP_NET_ADMIN", "CAP_SYS_TIME"), n.capAdd());
    assertEquals(List.of("CAP_CHOWN"), n.capDrop());
    RunSpec bad =
        RunSpec.builder().argv(List.of("true")).capAdd(List.of("CAP_WORLD_DOMINATION")).build();
    assertEquals(
        "field 'spec.capAdd[0]' is not a capability name (like CAP_NET_ADMIN)", rejected(bad));
  }

  @Test
  void userHostnameAndNameHaveShapes() {
    RunSpec user = RunSpec.builder().argv(List.of("true")).user("root").build();
    assertEquals(
        "field 'spec.user' must be uid or uid:gid in decimal (0..4294967294)", rejected(user));
    RunSpec host = RunSpec.builder().argv(List.of("true")).hostname("bad host").build();
    assertEquals("field 'spec.hostname' must match [A-Za-z0-9][A-Za-z0-9.-]{0,62}", rejected(host));
  }

  @Test
  void signalsByNameOrNumber() throws ProtocolException {
    assertEquals(15, Validation.signal(null, TextNode.valueOf("TERM")));
    assertEquals(9, Validation.signal(null, TextNode.valueOf("sigkill")));
    assertEquals(10, Validation.signal(null, IntNode.valueOf(10)));
    assertThrows(ProtocolException.class, () -> Validation.signal(null, IntNode.valueOf(0)));
    assertThrows(ProtocolException.class, () -> Validation.signal(null, TextNode.valueOf("BOOM")));
  }

  @Test
  void containerReferencesAreIdsOrNames() throws ProtocolException {
    assertEquals("0123456789ab", Validation.container(null, "container", "0123456789ab"));
    assertEquals("web-1", Validation.container(null, "container", "web-1"));
    assertThrows(
        ProtocolException.class, () -> Validation.container(null, "container", "../../etc"));
  }
}
