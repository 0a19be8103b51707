package org.glasshouse.helper.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.glasshouse.helper.runtime.seccomp.FilterPlan;
import org.glasshouse.protocol.Feature;
import org.glasshouse.protocol.JsonLines;
import org.glasshouse.protocol.Limits;
import org.glasshouse.protocol.RunSpec;
import org.glasshouse.protocol.StepEntry;
import org.junit.jupiter.api.Test;

/**
 * The init channel's hand-written codec: every message kind survives a round trip, its text is the
 * JSON Jackson makes of the same records and reads back alike (the channel's format did not change
 * when the init stopped loading Jackson), and hostile lines give a clear error, never a hang.
 */
class InitCodecTest {

  private static final ObjectMapper JACKSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static RunSpec fullSpec() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/bin:/usr/bin");
    env.put("QUOTE", "a \"b\" \\c\n\t\u0001 é € \uD83D\uDE00");
    env.put("EMPTY", "");
    return RunSpec.builder()
        .image("busybox")
        .argv(List.of("/bin/sh", "-c", "echo \"hi\" > /tmp/x"))
        .env(env)
        .workdir("/")
        .tty(true)
        .cols(80)
        .rows(24)
        .level(13)
        .features(Feature.upTo(13))
        .limits(new Limits(64L << 20, 128L << 20, 512, 0.25, 100, 32L << 20, 10, true, false, 1L))
        .user("1000:1000")
        .hostname("gh-1")
        .name("web")
        .rm(true)
        .capAdd(List.of("CAP_NET_ADMIN"))
        .capDrop(List.of())
        .network(RunSpec.NETWORK_BRIDGE)
        .build();
  }

  private static InitPlan fullPlan() {
    return InitPlan.builder()
        .containerId("c0ffee")
        .spec(fullSpec())
        .features(EnumSet.of(Feature.CHROOT, Feature.PID_NS, Feature.SECCOMP))
        .rootfs("/var/lib/x/merged")
        .overlayLower("/l")
        .overlayUpper("/u")
        .overlayWork("/w")
        .ptySlave("/dev/pts/3")
        .hostname("c0ffee")
        .uid(1000)
        .gid(0)
        .capabilities(List.of("CAP_CHOWN", "CAP_KILL"))
        .capLastCap(40)
        .workdir("/home")
        .execMode(true)
        .targetPid(4242)
        .seccomp(
            new FilterPlan(
                "default profile, 3 instructions",
                new long[] {0x0020_0000_0000_0004L, 0x0015_0100_c000_003eL, -1L, 0}))
        .build();
  }

  /** A plan as sparse as level 00's: most components null. */
  private static InitPlan sparsePlan() {
    return InitPlan.builder()
        .containerId("x")
        .spec(RunSpec.builder().image("busybox").argv("true").build())
        .features(EnumSet.noneOf(Feature.class))
        .capLastCap(40)
        .build();
  }

  private static StepEntry entry(boolean ok) {
    StepEntry.Builder b =
        StepEntry.builder()
            .seq(7)
            .step("mount")
            .stage("init")
            .call("mount")
            .args("\"proc\", \"/proc\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL")
            .ok(ok)
            .durationNanos(123_456_789_012L);
    return ok
        ? b.result("0").build()
        : b.result("-1")
            .errno("EPERM")
            .message("Operation not permitted")
            .explanation("needs CAP_SYS_ADMIN")
            .build();
  }

  /** One of every message kind the two sides send. */
  static List<InitMessage> everyKind() {
    List<InitMessage> all = new ArrayList<>();
    all.add(new InitMessage("hello", "ab12".repeat(12), null, null, null, null));
    all.add(new InitMessage("plan", null, fullPlan(), null, null, null));
    all.add(new InitMessage("plan", null, sparsePlan(), null, null, null));
    all.add(InitMessage.of("roots"));
    all.add(new InitMessage("step", null, null, entry(true), null, null));
    all.add(new InitMessage("step", null, null, entry(false), null, null));
    all.add(new InitMessage("ready", null, null, null, 1L, null));
    all.add(InitMessage.of("go"));
    all.add(
        new InitMessage(
            "exec", null, null, entry(true).toBuilder().result(null).build(), null, null));
    all.add(new InitMessage("spawned", null, null, null, 123_456L, null));
    all.add(new InitMessage("failed", null, null, null, null, "mount: EPERM \"x\"\n"));
    return all;
  }

  /** FilterPlan holds an array, so records compare it by reference: compare its content. */
  private static void assertSameMessage(InitMessage want, InitMessage got) {
    if (want.plan() != null && want.plan().seccomp() != null) {
      FilterPlan w = want.plan().seccomp();
      FilterPlan g = got.plan().seccomp();
      assertEquals(w.summary(), g.summary());
      assertArrayEquals(w.program(), g.program());
      want =
          new InitMessage(
              want.type(),
              want.token(),
              want.plan().toBuilder().seccomp(null).build(),
              want.entry(),
              want.pid(),
              want.message());
      got =
          new InitMessage(
              got.type(),
              got.token(),
              got.plan().toBuilder().seccomp(null).build(),
              got.entry(),
              got.pid(),
              got.message());
    }
    assertEquals(want, got);
  }

  @Test
  void everyKindSurvivesARoundTrip() throws IOException {
    for (InitMessage m : everyKind()) {
      String line = InitCodec.encode(m);
      assertFalse(line.contains("\n"), "one line: " + line);
      assertSameMessage(m, InitCodec.decode(line));
    }
  }

  @Test
  void theTextIsJacksonsJson() throws IOException {
    for (InitMessage m : everyKind()) {
      assertEquals(
          JACKSON.readTree(JACKSON.writeValueAsString(m)),
          JACKSON.readTree(InitCodec.encode(m)),
          m.type());
    }
  }

  @Test
  void eachSideReadsTheOther() throws IOException {
    for (InitMessage m : everyKind()) {
      assertSameMessage(m, InitCodec.decode(JACKSON.writeValueAsString(m)));
      assertSameMessage(m, JACKSON.readValue(InitCodec.encode(m), InitMessage.class));
    }
  }

  @Test
  void framedLinesReadBackThroughTheLineReader() throws IOException {
    StringBuilder all = new StringBuilder();
    for (InitMessage m : everyKind()) {
      all.append(new String(InitLines.encode(m), StandardCharsets.UTF_8));
    }
    JsonLines.LineReader in = reader(all.toString().getBytes(StandardCharsets.UTF_8));
    for (InitMessage m : everyKind()) {
      assertSameMessage(m, InitLines.read(in));
    }
    assertNull(InitLines.read(in), "end of stream");
  }

  @Test
  void unknownNamesAreIgnored() throws IOException {
    InitMessage m =
        InitCodec.decode(
            "{\"type\":\"ready\",\"pid\":5,\"later\":{\"a\":[1,2.5e3,true,null]},\"x\":\"y\"}");
    assertEquals(new InitMessage("ready", null, null, null, 5L, null), m);
  }

  private static String error(String line) {
    return assertThrows(IOException.class, () -> InitCodec.decode(line)).getMessage();
  }

  @Test
  void hostileLinesGiveAClearError() {
    assertEquals("init channel: not JSON: unexpected end at offset 0", error(""));
    assertTrue(error("{\"type\":\"ready\",\"pid\":1").contains("unexpected end"), "truncated");
    assertTrue(error("{\"type\":\"pla").contains("unexpected end in a string"));
    assertTrue(error("{\"type\":\"go\"} x").contains("text after the value"));
    assertTrue(error("{\"type\":\"go\",}").contains("expected a name in quotes"));
    assertTrue(error("{\"type\":\"g\\q\"}").contains("an unknown escape '\\q'"));
    assertTrue(error("{\"type\":\"g\\u12\"}").contains("\\u escape"));
    assertTrue(error("{\"type\":\"go\",\"pid\":012}").contains("leading zero"));
    assertTrue(error("{\"type\":\"go\",\"pid\":-}").contains("without digits"));
    assertTrue(error("{\"type\":tru}").contains("not a value"));
    assertEquals("init channel: message: expected an object, got an array", error("[]"));
    assertEquals("init channel: a message without a type", error("{\"pid\":1}"));
    assertEquals(
        "init channel: message.type: expected a string, got the number 3", error("{\"type\":3}"));
    assertEquals(
        "init channel: message.pid: expected an integer, got the number 1.5",
        error("{\"type\":\"ready\",\"pid\":1.5}"));
    assertTrue(error("{\"type\":\"ready\",\"pid\":99999999999999999999}").contains("out of range"));
    assertEquals(
        "init channel: message.plan.spec.argv[1]: expected a string, got a boolean",
        error("{\"type\":\"plan\",\"plan\":{\"spec\":{\"argv\":[\"a\",true]}}}"));
    assertEquals(
        "init channel: message.plan.capLastCap: expected an int, got the number 4294967296",
        error("{\"type\":\"plan\",\"plan\":{\"capLastCap\":4294967296}}"));
    assertEquals(
        "init channel: message.plan.features[0]: unknown feature 'teleport'",
        error("{\"type\":\"plan\",\"plan\":{\"features\":[\"teleport\"]}}"));
    assertEquals(
        "init channel: message.plan.seccomp.program[1]: expected an integer, got null",
        error("{\"type\":\"plan\",\"plan\":{\"seccomp\":{\"program\":[1,null]}}}"));
    assertEquals(
        "init channel: message.entry: expected an object, got a string",
        error("{\"type\":\"step\",\"entry\":\"x\"}"));
    assertEquals(
        "init channel: message.plan.spec.env.A: expected a string, got an array",
        error("{\"type\":\"plan\",\"plan\":{\"spec\":{\"env\":{\"A\":[]}}}}"));
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() {
    String deep = "{\"type\":\"go\",\"x\":" + "[".repeat(500_000) + "]".repeat(500_000) + "}";
    assertTrue(error(deep).contains("nested deeper than " + JsonText.MAX_DEPTH), error(deep));
  }

  @Test
  void aLineOverTheLimitIsAnErrorNotABuffer() {
    byte[] huge = new byte[JsonLines.MAX_LINE_BYTES + 10];
    java.util.Arrays.fill(huge, (byte) 'a');
    huge[huge.length - 1] = '\n';
    IOException e = assertThrows(IOException.class, () -> InitLines.read(reader(huge)));
    assertEquals(
        "init channel: a line longer than " + JsonLines.MAX_LINE_BYTES + " bytes", e.getMessage());
  }

  @Test
  void aMessageOverTheLimitIsNotSent() {
    InitMessage m =
        new InitMessage("failed", null, null, null, null, "x".repeat(JsonLines.MAX_LINE_BYTES));
    IOException e = assertThrows(IOException.class, () -> InitLines.encode(m));
    assertTrue(e.getMessage().startsWith("init channel: failed message of "), e.getMessage());
  }

  @Test
  void aTruncatedLastLineIsTheEndNotAHang() throws IOException {
    byte[] cut = "{\"type\":\"ready\",\"pid\":1".getBytes(StandardCharsets.UTF_8);
    assertNull(InitLines.read(reader(cut)));
  }

  @Test
  void aLineThatIsNotUtf8IsAnError() {
    byte[] bad = {'{', (byte) 0xff, '}', '\n'};
    IOException e = assertThrows(IOException.class, () -> InitLines.read(reader(bad)));
    assertEquals("init channel: a line that is not UTF-8", e.getMessage());
  }

  @Test
  void aNumberJsonCannotHoldIsNotSent() {
    RunSpec spec =
        fullSpec().toBuilder().limits(new Limits(null, null, null, Double.NaN, null)).build();
    InitMessage m =
        new InitMessage(
            "plan", null, sparsePlan().toBuilder().spec(spec).build(), null, null, null);
    IOException e = assertThrows(IOException.class, () -> InitLines.encode(m));
    assertEquals("init channel: plan cpus NaN has no JSON number", e.getMessage());
  }

  private static JsonLines.LineReader reader(byte[] bytes) {
    return new JsonLines.LineReader(Channels.newChannel(new ByteArrayInputStream(bytes)));
  }
}
