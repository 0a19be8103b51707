package org.glasshouse.helper.runtime.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.glasshouse.helper.linux.SockFilter;
import org.glasshouse.helper.runtime.seccomp.Assembler.Label;
import org.junit.jupiter.api.Test;

/** The assembler's encodings, label resolution and refusals. */
class AssemblerTest {

  @Test
  void encodesTheInstructionsAsTheKernelHeadersDo() {
    Assembler a = new Assembler();
    Label allow = a.label("allow");
    Label end = a.label("end");
    a.load(Bpf.DATA_ARCH).jeq(0xC000003E, allow, null).ret(Bpf.RET_KILL_PROCESS);
    a.bind(allow).load(Bpf.DATA_NR).and(0xff).jset(0x10, null, end).ret(Bpf.RET_ERRNO | 1);
    a.bind(end).ret(Bpf.RET_ALLOW);
    List<SockFilter> p = a.assemble();
    // As BPF_STMT/BPF_JUMP spell them in C: BPF_LD|BPF_W|BPF_ABS = 0x20, BPF_JMP|BPF_JEQ|BPF_K =
    // 0x15, BPF_RET|BPF_K = 0x06, BPF_ALU|BPF_AND|BPF_K = 0x54, BPF_JMP|BPF_JSET|BPF_K = 0x45.
    assertEquals(
        List.of(
            new SockFilter(0x20, 0, 0, 4),
            new SockFilter(0x15, 1, 0, 0xC000003E),
            new SockFilter(0x06, 0, 0, 0x80000000),
            new SockFilter(0x20, 0, 0, 0),
            new SockFilter(0x54, 0, 0, 0xff),
            new SockFilter(0x45, 0, 1, 0x10),
            new SockFilter(0x06, 0, 0, 0x00050001),
            new SockFilter(0x06, 0, 0, 0x7fff0000)),
        p);
    assertEquals("{ 0x0015, 1, 0, 0xc000003e }", p.get(1).toString());
    assertEquals(Bpf.RET_KILL_PROCESS, BpfInterpreter.run(p, 0x40000003, 0));
    assertEquals(Bpf.RET_ERRNO | 1, BpfInterpreter.run(p, 0xC000003E, 0x10));
    assertEquals(Bpf.RET_ALLOW, BpfInterpreter.run(p, 0xC000003E, 0x20));
  }

  @Test
  void jumpOffsetsCountFromTheNextInstruction() {
    Assembler a = new Assembler();
    Label t = a.label("t");
    Label f = a.label("f");
    a.load(0).jge(10, t, f).ret(1).ret(2).bind(f).ret(3).bind(t).ret(4);
    List<SockFilter> p = a.assemble();
    assertEquals(3, p.get(1).jt());
    assertEquals(2, p.get(1).jf());
    assertEquals(4, BpfInterpreter.run(p, 0, 10));
    assertEquals(3, BpfInterpreter.run(p, 0, 9));
  }

  @Test
  void jaReachesPastWhatAConditionalJumpCould() {
    Assembler a = new Assembler();
    Label far = a.label("far");
    a.load(0).ja(far);
    for (int i = 0; i < 300; i++) {
      a.ret(i);
    }
    a.bind(far).ret(Bpf.RET_ALLOW);
    List<SockFilter> p = a.assemble();
    assertEquals(300, p.get(1).k());
    assertEquals(Bpf.RET_ALLOW, BpfInterpreter.run(p, 0, 0));
  }

  @Test
  void refusesWhatTheKernelWouldRefuse() {
    Assembler tooFar = new Assembler();
    Label far = tooFar.label("far");
    tooFar.load(0).jeq(1, far, null);
    for (int i = 0; i < 256; i++) {
      tooFar.ret(0);
    }
    tooFar.bind(far).ret(1);
    IllegalStateException e = assertThrows(IllegalStateException.class, tooFar::assemble);
    assertTrue(e.getMessage().contains("256 ahead to far"), e.getMessage());

    Assembler unbound = new Assembler();
    unbound.load(0).jeq(1, unbound.label("nowhere"), null).ret(0);
    assertTrue(
        assertThrows(IllegalStateException.class, unbound::assemble)
            .getMessage()
            .contains("nowhere is never bound"));

    Assembler runsOff = new Assembler();
    runsOff.load(0);
    assertThrows(IllegalStateException.class, runsOff::assemble);

    Assembler past = new Assembler();
    Label end = past.label("end");
    past.load(0).jeq(1, end, null).ret(0).bind(end);
    assertThrows(IllegalStateException.class, past::assemble);

    Assembler twice = new Assembler();
    Label l = twice.label("l");
    twice.bind(l);
    assertThrows(IllegalStateException.class, () -> twice.bind(l));

    assertThrows(IllegalArgumentException.class, () -> new Assembler().load(64));
    assertThrows(IllegalArgumentException.class, () -> new Assembler().load(6));
    assertThrows(IllegalStateException.class, () -> new Assembler().assemble());
  }

  @Test
  void anInstructionsFieldsMustFitTheCStruct() {
    assertThrows(IllegalArgumentException.class, () -> new SockFilter(0x10000, 0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SockFilter(0x15, 256, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SockFilter(0x15, 0, -1, 0));
  }
}
